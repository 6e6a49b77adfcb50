// dossier default theme: small enhancements only; every page works without JavaScript.
(function () {
  "use strict";
  // The page's interface strings when they are not the English ones below (a JSON block the
  // template writes; `one|other` forms for a count, the first for one, in French for zero too).
  var S = {};
  try { var sb = document.getElementById("dossier-strings"); if (sb) S = JSON.parse(sb.textContent); } catch (e) {}
  var t = function (key, en) { return S[key] || en; };
  var count = function (key, n, en) {
    var forms = t(key, en).split("|");
    var fr = (document.documentElement.lang || "").toLowerCase().split("-")[0] === "fr";
    var one = fr ? n <= 1 : n === 1;
    return (one ? forms[0] : forms[forms.length - 1]).replace("{n}", n);
  };
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
      toggle.textContent = dark ? "\u2600 " + t("js_light", "Light") : "\u263e " + t("js_dark", "Dark");
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
  // "Waiting for N days": counted here, from the date in the page, so that two builds of the
  // same input stay byte-identical.
  var waits = document.querySelectorAll("[data-waiting-since]");
  for (var w = 0; w < waits.length; w++) {
    var since = Date.parse(waits[w].getAttribute("data-waiting-since") + "T00:00:00Z");
    if (!isNaN(since)) {
      var days = Math.max(0, Math.floor((Date.now() - since) / 86400000));
      waits[w].textContent = count("js_waiting_days", days, "waiting for {n} day|waiting for {n} days");
    }
  }
  // Copying: code blocks get a Copy button, heading anchors copy their link. A polite live
  // region says what was copied.
  var said = null;
  var say = function (text) {
    if (!said) {
      said = document.createElement("div");
      said.className = "visually-hidden";
      said.id = "copy-status";
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
    button.textContent = t("js_copy", "Copy");
    button.setAttribute("aria-label", t("js_copy_code", "Copy code"));
    wrap.appendChild(button);
    button.addEventListener("click", function () {
      var code = pre.querySelector("code") || pre;
      copy(code.innerText.replace(/\n$/, "")).then(function () {
        button.textContent = t("js_copied", "Copied");
        say(t("js_code_copied", "Code copied"));
      }, function () {
        button.textContent = t("js_press_ctrl_c", "Press Ctrl+C");
        var range = document.createRange();
        range.selectNodeContents(code);
        var sel = window.getSelection();
        sel.removeAllRanges();
        sel.addRange(range);
      });
      setTimeout(function () { button.textContent = t("js_copy", "Copy"); }, 2000);
    });
  });
  document.querySelectorAll(".doc-content a.anchor").forEach(function (a) {
    a.setAttribute("title", t("js_copy_link", "Copy link to this section"));
    a.addEventListener("click", function () {
      var url = location.href.split("#")[0] + a.getAttribute("href");
      copy(url).then(function () { say(t("js_link_copied", "Link copied")); a.classList.add("copied"); setTimeout(function () { a.classList.remove("copied"); }, 1500); }, function () {});
    });
  });
  // Sidebar: the tree of every document (one shared file), sections collapsible and
  // remembered, the current page highlighted, a filter box. Without JavaScript the sidebar
  // keeps its links to each collection's index.
  var side = document.getElementById("sidebar");
  var menu = document.getElementById("menu-toggle");
  if (side && menu) {
    menu.hidden = false;
    // On narrow screens the header's links move into the menu.
    var siteNav = document.querySelector(".site-nav");
    if (siteNav) {
      var navCopy = siteNav.cloneNode(true);
      navCopy.className = "sidebar-site-nav";
      navCopy.setAttribute("aria-label", t("js_site", "Site"));
      side.insertBefore(navCopy, side.firstChild);
    }
    menu.addEventListener("click", function () {
      var open = !side.classList.contains("open");
      side.classList.toggle("open", open);
      menu.setAttribute("aria-expanded", open ? "true" : "false");
      if (open) { var q = document.getElementById("sidebar-q"); if (q) q.focus(); else side.setAttribute("data-focus", "1"); }
    });
    document.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && side.classList.contains("open")) { side.classList.remove("open"); menu.setAttribute("aria-expanded", "false"); menu.focus(); }
    });
  }
  if (side && window.fetch) {
    fetch(side.getAttribute("data-tree")).then(function (r) { return r.ok ? r.json() : null; }).then(function (tree) {
      if (tree) drawTree(side, tree);
    }).catch(function () {});
  }
  function drawTree(side, tree) {
    var root = side.getAttribute("data-root"), current = side.getAttribute("data-current");
    var KEY = "dossier-nav-open", remembered = {};
    try { remembered = JSON.parse(localStorage.getItem(KEY) || "{}") || {}; } catch (e) {}
    var el = function (tag, cls, text) { var n = document.createElement(tag); if (cls) n.className = cls; if (text) n.textContent = text; return n; };
    var item = function (sec, d) {
      var li = el("li"), a = el("a");
      a.href = root + d[2];
      var st = tree.statuses[d[3]] || ["unknown", "No status"];
      if (sec.kind !== "page" || st[0] !== "unknown") {
        var dot = el("span", "dot status-" + st[0]);
        dot.setAttribute("aria-hidden", "true");
        a.appendChild(dot);
        a.appendChild(el("span", "visually-hidden", st[1] + ": "));
      }
      if (d[0]) a.appendChild(el("span", "doc-id", d[0].replace(/^[A-Za-z]+-/, "")));
      a.appendChild(el("span", "t", d[1]));
      a.title = (d[0] ? d[0] + " " : "") + d[1] + " (" + st[1] + ")";
      if (d[2] === current) { a.setAttribute("aria-current", "page"); li.className = "current"; }
      li.appendChild(a);
      return li;
    };
    var form = el("div", "sidebar-filter");
    var label = el("label", "visually-hidden", t("js_filter_docs", "Filter documents"));
    label.htmlFor = "sidebar-q";
    var input = el("input");
    input.id = "sidebar-q";
    input.type = "search";
    input.placeholder = "Filter: words, status, kind";
    input.autocomplete = "off";
    form.appendChild(label);
    form.appendChild(input);
    var status = el("p", "visually-hidden");
    status.setAttribute("role", "status");
    form.appendChild(status);
    var nav = el("nav", "sidebar-tree");
    nav.setAttribute("aria-label", t("js_all_docs", "All documents"));
    var parts = tree.sections.map(function (sec) {
      var details = el("details"), summary = el("summary"), list = el("ul");
      summary.appendChild(document.createTextNode(sec.label + " "));
      summary.appendChild(el("span", "count", String(sec.docs.length)));
      details.appendChild(summary);
      details.appendChild(list);
      var has = sec.docs.some(function (d) { return d[2] === current; });
      var drawn = false;
      var draw = function (docs) { list.textContent = ""; docs.forEach(function (d) { list.appendChild(item(sec, d)); }); };
      var open = sec.key in remembered ? remembered[sec.key] : has;
      if (has) open = true;
      if (open) { draw(sec.docs); drawn = true; details.open = true; }
      details.addEventListener("toggle", function () {
        if (!input.value && details.open && !drawn) { draw(sec.docs); drawn = true; }
      });
      // Only the reader's own opening and closing is remembered (not the script's).
      summary.addEventListener("click", function () {
        setTimeout(function () {
          if (input.value) return;
          remembered[sec.key] = details.open;
          try { localStorage.setItem(KEY, JSON.stringify(remembered)); } catch (e) {}
        }, 0);
      });
      nav.appendChild(details);
      // What the filter matches: the ID, the title, the kind and the status.
      var kind = sec.kind === "adr" ? "decision adr" : sec.kind === "design" ? "design doc" : "page";
      var hay = sec.docs.map(function (d) { var st = tree.statuses[d[3]] || ["", ""]; return (d[0] + " " + d[1] + " " + kind + " " + st[0] + " " + st[1]).toLowerCase(); });
      return { sec: sec, details: details, draw: draw, hay: hay, reset: function () {
        details.hidden = false;
        var o = sec.key in remembered ? remembered[sec.key] : has;
        draw(o || has ? sec.docs : []); drawn = o || has; details.open = o || has;
      } };
    });
    var timer = 0;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
        if (!words.length) { parts.forEach(function (p) { p.reset(); }); status.textContent = ""; return; }
        var total = 0;
        parts.forEach(function (p) {
          var hits = p.sec.docs.filter(function (d, i) { return words.every(function (w) { return p.hay[i].indexOf(w) >= 0; }); });
          total += hits.length;
          p.draw(hits.slice(0, 200));
          p.details.hidden = hits.length === 0;
          p.details.open = hits.length > 0;
        });
        status.textContent = count("n_docs", total, "{n} document|{n} documents");
      }, 80);
    });
    side.insertBefore(form, side.firstChild);
    side.appendChild(nav);
    side.classList.add("has-tree");
    // The menu opened before the tree arrived: the filter takes the focus now.
    if (side.classList.contains("open") && side.getAttribute("data-focus")) input.focus();
    side.removeAttribute("data-focus");
    var here = nav.querySelector("[aria-current=page]");
    if (here) side.scrollTop = Math.max(0, here.offsetTop - side.clientHeight / 2);
  }
  // Header search: the dropdown's script (search-box.js) loads the first time the box is used.
  // On narrow screens the box hides behind a search button in the header's one row.
  var hq = document.getElementById("site-search-q");
  var header = document.querySelector(".site-header");
  var searchToggle = document.getElementById("search-toggle");
  var searching = function (on) {
    header.classList.toggle("searching", on);
    searchToggle.setAttribute("aria-expanded", on ? "true" : "false");
    searchToggle.setAttribute("aria-label", on ? t("js_close_search", "Close search") : t("search", "Search"));
  };
  if (hq && window.fetch) {
    var boxLoaded = false;
    var loadBox = function () {
      if (boxLoaded) return;
      boxLoaded = true;
      var s = document.createElement("script");
      s.src = (hq.form.getAttribute("data-root") || "./") + "assets/search-box.js";
      document.head.appendChild(s);
    };
    hq.addEventListener("focus", loadBox);
    hq.addEventListener("input", loadBox);
  }
  if (hq && searchToggle && header) {
    searchToggle.hidden = false;
    searchToggle.addEventListener("click", function () {
      var on = !header.classList.contains("searching");
      searching(on);
      if (on) hq.focus(); else searchToggle.focus();
    });
    // Esc that the dropdown did not take (it was closed) closes the box.
    hq.form.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && !e.defaultPrevented && header.classList.contains("searching")) { searching(false); searchToggle.focus(); }
    });
  }
  // "/" focuses the search box (unless typing in a field already).
  document.addEventListener("keydown", function (e) {
    if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey) return;
    var t = e.target;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    var box = document.getElementById("search-input") || document.getElementById("site-search-q");
    if (box === hq && searchToggle && getComputedStyle(searchToggle).display !== "none") searching(true);
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
