// Progressive enhancement only: every page works without this script.
// Run `go generate ./internal/assets` after editing.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // Confirm destructive actions marked with data-confirm.
  document.addEventListener("submit", function (ev) {
    var msg = ev.target.getAttribute && ev.target.getAttribute("data-confirm");
    if (msg && !window.confirm(msg)) {
      ev.preventDefault();
    }
  });

  function esc(s) {
    return String(s == null ? "" : s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  // renderStandings mirrors partials/weighin_standings.html from the API's
  // standings document (docs/api.md).
  function renderStandings(d, edit) {
    if (d.hidden) { return '<p class="notice">The standings are hidden until the tournament is complete.</p>'; }
    var h = '<p class="label-unofficial">' + (d.official ? "Official results" : "Unofficial until complete");
    if (d.big_bass.leaders.length) { h += " · Big bass: " + esc(d.big_bass.leaders.join(", ")) + " " + esc(d.big_bass.weight) + " lb"; }
    h += "</p>";
    if (!d.results.length) { h += "<p>No results yet.</p>"; } else {
      h += '<table class="data live-standings"><thead><tr><th class="place">Pl</th><th class="name">Angler</th>' +
        '<th class="num">Fish</th><th class="num">Net</th><th class="num">Pts</th></tr></thead><tbody>';
      d.results.forEach(function (r) {
        var link = edit ? "/tournaments/" + d.tournament.id + "/weigh-in/?person=" + r.person_id + "#angler" : "/anglers/" + r.person_id + "/";
        h += '<tr data-person="' + r.person_id + '"><td class="place">' + (r.dq ? "DQ" : (r.place == null ? "" : r.place)) +
          '</td><td class="name"><a href="' + link + '">' + esc(r.name) + "</a>" + (r.was_member ? "" : " (G)") +
          (r.buy_in ? " · buy-in" : "") + (r.late_minutes ? " · late " + r.late_minutes + "′" : "") +
          '</td><td class="num">' + r.fish + '</td><td class="num">' + esc(r.net) + '</td><td class="num">' +
          (r.points == null ? "" : r.points) + "</td></tr>";
      });
      h += "</tbody></table>";
    }
    if (d.boats.length) {
      h += '<h3>Boats</h3><table class="data live-boats"><thead><tr><th class="place">Pl</th><th class="name">Boat</th>' +
        '<th class="num">Fish</th><th class="num">Net</th></tr></thead><tbody>';
      d.boats.forEach(function (b) {
        h += '<tr><td class="place">' + (b.dq ? "DQ" : (b.place == null ? "" : b.place)) + '</td><td class="name">' +
          esc(b.anglers.map(function (a) { return a.name; }).join(" & ")) + (b.complete ? "" : ' <span class="warn">(1 angler)</span>') +
          '</td><td class="num">' + b.fish + '</td><td class="num">' + esc(b.net) + "</td></tr>";
      });
      h += "</tbody></table>";
    }
    return h;
  }

  // ---------- live leaderboard: server-sent events, polling where blocked ----------
  var live = document.getElementById("live");
  if (live) {
    var box = document.getElementById("live-standings");
    var state = document.getElementById("live-state");
    var show = function (d) {
      box.innerHTML = renderStandings(d, false);
      state.textContent = (d.official ? "The results are official." : "Unofficial until complete") +
        " — updated " + new Date().toLocaleTimeString();
    };
    var polling = false;
    var poll = function () {
      if (polling) { return; }
      polling = true;
      var etag = "";
      var tick = function () {
        fetch(live.getAttribute("data-poll"), { headers: etag ? { "If-None-Match": etag } : {}, cache: "no-store" })
          .then(function (res) {
            if (res.status === 200) { etag = res.headers.get("ETag") || ""; return res.json().then(show); }
          }).catch(function () {}).then(function () { setTimeout(tick, 5000); });
      };
      tick();
    };
    if (window.EventSource) {
      var opened = false;
      var es = new EventSource(live.getAttribute("data-events"));
      es.addEventListener("open", function () { opened = true; });
      es.addEventListener("standings", function (ev) { show(JSON.parse(ev.data)); });
      es.addEventListener("error", function () {
        // Never connected (a proxy blocks streams) or given up: poll instead.
        if (!opened || es.readyState === EventSource.CLOSED) { es.close(); poll(); }
      });
    } else {
      poll();
    }
  }

  // ---------- weigh-in screen: saves through the API, queued while offline ----------
  var screen = document.getElementById("weighin");
  var form = document.getElementById("result-form");
  if (!screen || !form || live) { return; }
  var tid = screen.getAttribute("data-tournament");
  var banner = document.getElementById("queue-banner");
  var conflicts = document.getElementById("conflicts");
  var standings = document.getElementById("standings");

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/tournaments/" + tid + "/weigh-in/sw.js").catch(function () {});
  }

  // The queue lives in IndexedDB so saves survive a reload or a dead battery.
  var dbp = new Promise(function (resolve, reject) {
    var req = indexedDB.open("sabc-weighin", 1);
    req.onupgradeneeded = function () { req.result.createObjectStore("queue", { keyPath: "seq", autoIncrement: true }); };
    req.onsuccess = function () { resolve(req.result); };
    req.onerror = function () { reject(req.error); };
  });
  function store(mode) {
    return dbp.then(function (db) { return db.transaction("queue", mode).objectStore("queue"); });
  }
  function all() {
    return store("readonly").then(function (s) {
      return new Promise(function (resolve) { var q = s.getAll(); q.onsuccess = function () { resolve(q.result || []); }; });
    });
  }
  function done(tx) { return new Promise(function (resolve) { tx.onsuccess = tx.onerror = function () { resolve(); }; }); }
  function add(item) { return store("readwrite").then(function (s) { return done(s.add(item)); }); }
  function remove(seq) { return store("readwrite").then(function (s) { return done(s.delete(seq)); }); }

  function showBanner(n, why) {
    if (!n) { banner.hidden = true; banner.textContent = ""; return; }
    banner.hidden = false;
    banner.textContent = n + (n === 1 ? " save" : " saves") + " waiting — " + (why || "will send when online");
  }
  function conflict(html) {
    conflicts.hidden = false;
    conflicts.insertAdjacentHTML("beforeend", "<p>" + html + "</p>");
  }

  var flushing = false;
  function flush() {
    if (flushing) { return Promise.resolve(); }
    flushing = true;
    return all().then(function (items) {
      items = items.filter(function (i) { return i.tid === tid; });
      var next = function (k) {
        if (k >= items.length) { showBanner(0); return; }
        var it = items[k];
        showBanner(items.length - k, navigator.onLine ? "sending…" : "will send when online");
        return fetch(it.url, { method: it.method, credentials: "same-origin", body: it.body,
          headers: { "Content-Type": "application/json", "Idempotency-Key": it.key } })
          .then(function (res) {
            if (res.status === 429 || res.status >= 500 || (res.status === 409 && res.headers.get("Retry-After"))) {
              var wait = parseInt(res.headers.get("Retry-After") || "5", 10) * 1000;
              showBanner(items.length - k, "the server asked to wait; retrying");
              setTimeout(flush, wait);
              return "stop";
            }
            if (res.status === 401 || res.status === 403) {
              showBanner(items.length - k, "log in again to send them");
              return "stop";
            }
            return res.json().then(function (body) {
              if (res.status === 200) {
                standings.innerHTML = "<h2>Standings</h2>" + renderStandings(body, true);
              } else if (res.status === 409) {
                var cur = body.current;
                conflict("Not saved for " + esc(it.label) + ": " + esc(body.error) +
                  (cur ? " Stored now: " + cur.fish + " fish, " + esc(cur.gross) + " lb (version " + cur.version + "). " : " ") +
                  '<a href="/tournaments/' + tid + "/weigh-in/?person=" + it.person + '#angler">Review it</a>');
              } else {
                var errs = body.errors || {};
                conflict("Not saved for " + esc(it.label) + ": " + esc(Object.keys(errs).map(function (f) { return f + ": " + errs[f]; }).join("; ") || body.error));
              }
              return remove(it.seq);
            });
          }, function () { return "offline"; })
          .then(function (r) {
            if (r === "stop") { return; }
            if (r === "offline") { showBanner(items.length - k, "will send when online"); return; }
            return next(k + 1);
          });
      };
      return next(0);
    }).catch(function () {}).then(function () { flushing = false; });
  }

  function field(name) { var el = form.elements[name]; return el ? el : { value: "", checked: false }; }
  function num(name) { var v = field(name).value.trim(); return v === "" ? 0 : parseInt(v, 10); }

  form.addEventListener("submit", function (ev) {
    var label = field("angler").value.trim();
    var m = /#(\d+)\)?\s*$/.exec(label);
    // New guests and unknown names go through the plain form post, which
    // creates the guest or explains the problem next to the field.
    if (!m || field("guest_first").value.trim() || field("guest_last").value.trim()) { return; }
    if (!/^\d*$/.test(field("fish").value.trim() + field("dead").value.trim() + field("late_minutes").value.trim())) { return; }
    ev.preventDefault();
    var lengths = field("lengths").value.split(",").map(function (s) { return s.trim(); }).filter(Boolean);
    var body = { fish: num("fish"), dead: num("dead"), late_minutes: num("late_minutes"),
      gross: field("gross").value.trim(), big_bass: field("big_bass").value.trim(),
      other_penalty: field("other_penalty").value.trim(), other_penalty_reason: field("other_penalty_reason").value.trim(),
      lengths: lengths, buy_in: field("buy_in").checked, dq: field("dq").checked, dq_reason: field("dq_reason").value.trim(),
      dq_points_allowed: field("dq_points_allowed").checked, version: num("version"),
      confirm_heavy: field("confirm_heavy").checked, correction: field("correction").value.trim() };
    var key = (window.crypto && crypto.randomUUID) ? crypto.randomUUID() : String(Date.now()) + Math.random();
    add({ tid: tid, person: m[1], label: label.replace(/\s*\(#\d+\)\s*$/, ""), key: key, method: "PUT",
      url: "/api/v1/tournaments/" + tid + "/results/" + m[1], body: JSON.stringify(body) }).then(function () {
      Array.prototype.forEach.call(form.elements, function (el) {
        if (el.type === "checkbox") { el.checked = false; } else if (el.tagName === "INPUT" && el.type !== "hidden") { el.value = ""; }
      });
      field("version").value = "0";
      var saved = document.getElementById("saved");
      if (saved) { saved.remove(); }
      field("angler").focus();
      return all().then(function (items) { showBanner(items.length, navigator.onLine ? "sending…" : "will send when online"); });
    }).then(flush);
  });

  window.addEventListener("online", flush);
  setInterval(function () { if (navigator.onLine) { flush(); } }, 10000);
  flush();
})();
