// dossier default theme: small enhancements only; every page works without JavaScript.
(function () {
  "use strict";
  // Light/dark toggle: follows the system until the reader chooses; the choice is remembered.
  var toggle = document.getElementById("theme-toggle");
  if (toggle) {
    var current = function () {
      var t = document.documentElement.getAttribute("data-theme");
      if (t) return t;
      return window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
    };
    var label = function () {
      var dark = current() === "dark";
      toggle.textContent = dark ? "\u2600 Light" : "\u263e Dark";
      toggle.setAttribute("aria-pressed", dark ? "true" : "false");
    };
    toggle.hidden = false;
    label();
    toggle.addEventListener("click", function () {
      var next = current() === "dark" ? "light" : "dark";
      document.documentElement.setAttribute("data-theme", next);
      try { localStorage.setItem("dossier-theme", next); } catch (e) {}
      label();
    });
  }
  // "/" focuses the search box (unless typing in a field already).
  document.addEventListener("keydown", function (e) {
    if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey) return;
    var t = e.target;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    var box = document.getElementById("search-input") || document.getElementById("site-search-q");
    if (box) { e.preventDefault(); box.focus(); box.select(); }
  });
  // Relation graph: dim the kinds and statuses that are unticked, and the arcs between them.
  var filters = document.querySelector(".graph-filter-row");
  if (filters) {
    filters.hidden = false;
    filters.addEventListener("change", function () {
      var off = {};
      filters.querySelectorAll("input[data-status]").forEach(function (c) { if (!c.checked) off["status-" + c.getAttribute("data-status")] = true; });
      filters.querySelectorAll("input[data-kind]").forEach(function (c) { if (!c.checked) off["kind-" + c.getAttribute("data-kind")] = true; });
      document.querySelectorAll("#graph .node").forEach(function (n) {
        var hide = false;
        n.getAttribute("class").split(/\s+/).forEach(function (c) { if (off[c]) hide = true; });
        n.classList.toggle("dimmed", hide);
      });
    });
  }
  // Sortable tables: click a column heading to sort by it; again to reverse.
  document.querySelectorAll("table.sortable").forEach(function (table) {
    var heads = table.querySelectorAll("thead th");
    heads.forEach(function (th, col) {
      var button = th.querySelector("button");
      if (!button) return;
      button.addEventListener("click", function () {
        var asc = th.getAttribute("aria-sort") !== "ascending";
        heads.forEach(function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        var numeric = th.dataset.sort === "number";
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = a.cells[col].dataset.value || "", y = b.cells[col].dataset.value || "";
          var c;
          if (numeric) {
            var nx = x === "" ? Infinity : Number(x), ny = y === "" ? Infinity : Number(y);
            c = nx - ny;
          } else {
            c = x.localeCompare(y, undefined, { sensitivity: "base", numeric: true });
          }
          return asc ? c : -c;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  });
})();
