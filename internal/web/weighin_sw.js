// Service worker of one tournament's weigh-in screen (scope: the screen's
// folder). It keeps the screen, its script and styles and the standings
// document in a cache, so a reload without signal still opens the screen;
// saves made offline wait in the page's IndexedDB queue (app.js), never here.
"use strict";
var CACHE = "sabc-weighin-v1";

self.addEventListener("install", function (ev) {
  ev.waitUntil(caches.open(CACHE).then(function (c) { return c.add(self.registration.scope); }).then(function () { return self.skipWaiting(); }));
});
self.addEventListener("activate", function (ev) { ev.waitUntil(self.clients.claim()); });

self.addEventListener("fetch", function (ev) {
  var req = ev.request;
  if (req.method !== "GET") { return; } // writes go to the network (the page queues them)
  var url = new URL(req.url);
  if (url.origin !== self.location.origin) { return; }
  if (url.pathname.indexOf("/static/") === 0) {
    // Fingerprinted files never change: cache first.
    ev.respondWith(caches.match(req).then(function (hit) {
      return hit || fetch(req).then(function (res) {
        var copy = res.clone();
        caches.open(CACHE).then(function (c) { c.put(req, copy); });
        return res;
      });
    }));
    return;
  }
  if (req.mode === "navigate" || url.pathname.indexOf("/api/v1/tournaments/") === 0) {
    // The screen (with its angler list) and the standings: network first,
    // the last good copy when there is no signal.
    ev.respondWith(fetch(req).then(function (res) {
      if (res.ok) {
        var copy = res.clone();
        caches.open(CACHE).then(function (c) { c.put(url.pathname === new URL(self.registration.scope).pathname ? self.registration.scope : req, copy); });
      }
      return res;
    }).catch(function () {
      return caches.match(req, { ignoreSearch: true }).then(function (hit) {
        return hit || caches.match(self.registration.scope);
      });
    }));
  }
});
