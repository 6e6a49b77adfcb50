// dossier serve: live reload. Injected into pages by the preview server, never by `build`.
(function () {
  "use strict";
  var base = "__BASE__";
  var key = "dossier-scroll:" + location.pathname;
  var saved = sessionStorage.getItem(key);
  if (saved !== null) {
    sessionStorage.removeItem(key);
    var y = Number(saved);
    window.addEventListener("load", function () { window.scrollTo(0, y); });
    if (document.readyState !== "loading") window.scrollTo(0, y);
  }
  function reload() {
    sessionStorage.setItem(key, String(window.scrollY));
    location.reload();
  }
  var build = null;
  var source = new EventSource(base + "__dossier/events");
  source.addEventListener("hello", function (e) {
    var d = JSON.parse(e.data);
    // A new build id after a reconnect means the server restarted or rebuilt meanwhile.
    if (build !== null && d.build !== build) reload();
    build = d.build;
  });
  source.addEventListener("reload", function (e) {
    var d = JSON.parse(e.data);
    build = d.build;
    var here = decodeURI(location.pathname);
    if (d.all || d.paths.indexOf(here) >= 0) reload();
  });
})();
