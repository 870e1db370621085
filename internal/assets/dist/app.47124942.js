// Progressive enhancement only: every page works without this script.
// Placeholder; the real behaviour is added later. Run `go generate
// ./internal/assets` after editing.
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
})();
