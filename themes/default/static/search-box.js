// dossier header search: results drop down under the header's box as you type (debounced), with
// status badge, kind and a snippet; ↑ ↓ choose, Enter opens, Esc closes, "All results" leads
// to the search page. The ranking is search.js's own (the search page's engine,
// `window.dossierEngine`, a `dossierSearchEngine` over the site's index) and the snippets
// passages.js's; this file is only the dropdown. dossier.js loads it when the box is
// first used, so a page that is only read loads no search code.
(function () {
  "use strict";
  var input = document.getElementById("site-search-q");
  if (!input || !window.fetch || input.getAttribute("role") === "combobox") return;
  var form = input.form, root = form.getAttribute("data-root") || "./", SHOWN = 6;
  function load(name) {
    return new Promise(function (ok, fail) {
      var s = document.createElement("script");
      s.src = root + "assets/" + name;
      s.onload = ok;
      s.onerror = fail;
      document.head.appendChild(s);
    });
  }
  var ready = (window.dossierPassage ? Promise.resolve() : load("passages.js")).then(function () {
    return window.dossierEngine ? null : load("search.js");
  }).then(function () { return window.dossierEngine; });
  function el(tag, cls, txt) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (txt !== undefined) e.textContent = txt;
    return e;
  }
  var drop = el("div", "search-drop"), list = el("div", "search-drop-list"), all = el("a", "search-all");
  var status = el("p", "visually-hidden");
  drop.id = "site-search-drop";
  drop.hidden = true;
  list.id = "site-search-list";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", "Search results");
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");
  drop.appendChild(list);
  drop.appendChild(all);
  form.appendChild(drop);
  form.appendChild(status);
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-controls", list.id);
  input.setAttribute("aria-expanded", "false");
  var selected = -1, seq = 0, timer = 0;
  function open(yes) {
    drop.hidden = !yes;
    input.setAttribute("aria-expanded", yes ? "true" : "false");
    if (!yes) select(-1);
  }
  function options() { return list.querySelectorAll("[role=option]"); }
  function select(i) {
    var items = options();
    selected = items.length ? Math.max(-1, Math.min(items.length - 1, i)) : -1;
    items.forEach(function (o, j) {
      o.classList.toggle("selected", j === selected);
      o.setAttribute("aria-selected", j === selected ? "true" : "false");
    });
    if (selected >= 0) {
      input.setAttribute("aria-activedescendant", items[selected].id);
      items[selected].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }
  function option(engine, info, i, words) {
    var a = el("a", "search-drop-item");
    a.id = "site-search-opt-" + i;
    a.href = root + info.url;
    a.setAttribute("role", "option");
    a.setAttribute("aria-selected", "false");
    a.tabIndex = -1;
    var title = el("span", "result-title");
    if (info.id) title.appendChild(el("span", "doc-id", info.id + " "));
    title.appendChild(document.createTextNode(info.title));
    var meta = el("span", "result-meta");
    meta.appendChild(el("span", "badge status-" + info.status, engine.ui().label(info)));
    meta.appendChild(el("span", "kind", engine.ui().kind(info.kind)));
    var p = el("span", "snippet");
    a.appendChild(title);
    a.appendChild(meta);
    a.appendChild(p);
    window.dossierPassage(engine.base, info.url, words).then(function (f) { p.appendChild(f); });
    return a;
  }
  function show(engine, q, ranked, infos) {
    list.textContent = "";
    selected = -1;
    input.removeAttribute("aria-activedescendant");
    var words = engine.marks(q);
    infos.forEach(function (info, i) { if (info) list.appendChild(option(engine, info, i, words)); });
    var n = ranked.length;
    all.href = root + "search/?q=" + encodeURIComponent(q);
    var ui = engine.ui();
    list.setAttribute("aria-label", ui.text("search_results"));
    all.textContent = n ? ui.count("search_all", n, { q: q }) : ui.text("search_none", { q: q }).replace(/[.。]$/, "");
    status.textContent = n ? ui.count("search_count", n) + ui.text("search_shown", { n: Math.min(n, SHOWN) }) : ui.text("search_none_short");
    open(true);
  }
  function run() {
    var q = input.value, mine = ++seq;
    return ready.then(function (engine) {
      if (!engine || mine !== seq) return;
      if (!engine.tokens(q).length) { list.textContent = ""; status.textContent = ""; open(false); return; }
      return engine.rank(q).then(function (ranked) {
        return Promise.all(ranked.slice(0, SHOWN).map(function (r) { return engine.docInfo(r.doc); })).then(function (infos) {
          if (mine === seq) show(engine, q, ranked, infos);
        });
      });
    });
  }
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(run, 80);
  });
  input.addEventListener("keydown", function (e) {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      if (drop.hidden) { if (options().length) open(true); return; }
      select(selected + (e.key === "ArrowDown" ? 1 : -1));
    } else if (e.key === "Enter" && !drop.hidden && selected >= 0) {
      e.preventDefault();
      location.href = options()[selected].href;
    } else if (e.key === "Escape" && !drop.hidden) {
      e.preventDefault();
      e.stopPropagation();
      open(false);
    }
  });
  form.addEventListener("focusout", function (e) {
    if (!e.relatedTarget || !form.contains(e.relatedTarget)) open(false);
  });
  input.addEventListener("focus", function () { if (input.value && options().length) open(true); });
  // For tests: resolves once the dropdown shows the results of what is typed now.
  window.dossierSearchBox = { run: run };
  if (input.value) run();
})();
