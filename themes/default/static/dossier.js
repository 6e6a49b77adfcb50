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
  // Copying: code blocks get a Copy button, heading anchors copy their link. A polite live
  // region says what was copied.
  var said = null;
  var say = function (text) {
    if (!said) {
      said = document.createElement("div");
      said.className = "visually-hidden";
      said.setAttribute("role", "status");
      said.setAttribute("aria-live", "polite");
      document.body.appendChild(said);
    }
    said.textContent = text;
  };
  var copy = function (text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    return new Promise(function (ok, fail) {
      var t = document.createElement("textarea");
      t.value = text;
      t.setAttribute("readonly", "");
      t.style.position = "fixed";
      t.style.opacity = "0";
      document.body.appendChild(t);
      t.select();
      var done = false;
      try { done = document.execCommand("copy"); } catch (e) {}
      document.body.removeChild(t);
      if (done) ok(); else fail(new Error("copy refused"));
    });
  };
  document.querySelectorAll(".doc-content pre").forEach(function (pre) {
    var wrap = document.createElement("div");
    wrap.className = "code-block";
    pre.parentNode.insertBefore(wrap, pre);
    wrap.appendChild(pre);
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy-code";
    button.textContent = "Copy";
    button.setAttribute("aria-label", "Copy code");
    wrap.appendChild(button);
    button.addEventListener("click", function () {
      var code = pre.querySelector("code") || pre;
      copy(code.innerText.replace(/\n$/, "")).then(function () {
        button.textContent = "Copied";
        say("Code copied");
      }, function () {
        button.textContent = "Press Ctrl+C";
        var range = document.createRange();
        range.selectNodeContents(code);
        var sel = window.getSelection();
        sel.removeAllRanges();
        sel.addRange(range);
      });
      setTimeout(function () { button.textContent = "Copy"; }, 2000);
    });
  });
  document.querySelectorAll(".doc-content a.anchor").forEach(function (a) {
    a.setAttribute("title", "Copy link to this section");
    a.addEventListener("click", function () {
      var url = location.href.split("#")[0] + a.getAttribute("href");
      copy(url).then(function () { say("Link copied"); a.classList.add("copied"); setTimeout(function () { a.classList.remove("copied"); }, 1500); }, function () {});
    });
  });
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
