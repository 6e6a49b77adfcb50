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
  // The error overlay can be collapsed to a badge; the choice holds for this tab until the
  // errors are gone. Set before the overlay is parsed (this script comes first): no flash.
  var collapsedKey = "dossier-overlay-collapsed";
  var root = document.documentElement;
  function setCollapsed(on) {
    if (on) {
      sessionStorage.setItem(collapsedKey, "1");
      root.classList.add("dossier-collapsed");
    } else {
      sessionStorage.removeItem(collapsedKey);
      root.classList.remove("dossier-collapsed");
    }
  }
  if (sessionStorage.getItem(collapsedKey) === "1") root.classList.add("dossier-collapsed");
  document.addEventListener("click", function (e) {
    var t = e.target;
    if (!t || !t.closest) return;
    if (t.closest("#dossier-collapse")) {
      setCollapsed(true);
      var badge = document.getElementById("dossier-badge");
      if (badge) badge.focus();
    } else if (t.closest("#dossier-badge")) {
      setCollapsed(false);
      var button = document.getElementById("dossier-collapse");
      if (button) button.focus();
    }
  });
  window.addEventListener("DOMContentLoaded", function () {
    // A page without errors forgets the choice: the next failure shows the whole list again.
    if (!document.getElementById("dossier-overlay")) sessionStorage.removeItem(collapsedKey);
  });
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
