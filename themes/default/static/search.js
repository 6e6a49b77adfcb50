// dossier search: queries the sharded index in search/ (built by `dossier build`) and loads only
// the shards, metadata chunks and excerpts a query needs. Every title and snippet is inserted
// as text, never as HTML.
//
// The engine is public, for the search page, the header box and tools (scripts/search_eval.js
// runs it in node): `dossierSearchEngine({json})` where `json(path)` resolves to the parsed file
// `search/<path>` (or null), returns
//   rank(q, filters) → Promise of [{doc, score}], best first (filters: {kind, status, tag});
//   docInfo(doc)     → Promise of {doc, title, url, id, kind, status, label, date};
//   excerpt(doc)     → Promise of the document's text kept for snippets;
//   tokens(q)        → the words of a query, as matched.
(function (g) {
  "use strict";
  function dossierSearchEngine(opts) {
    var STOP = ("a an and are as at be but by for from has have if in into is it its of on or that the their " +
      "then there these this to was we were will with").split(" ");
    var cache = {};
    function json(path) {
      if (!cache[path]) {
        cache[path] = opts.json(path);
      }
      return cache[path];
    }
    function tokens(q) {
      return q.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(function (w) {
        return w && w.length <= 40 && STOP.indexOf(w) < 0;
      });
    }
    // The shard of a term: as many characters as the index split that prefix (see search.rs).
    function shardOf(term, meta) {
      var chars = Array.from(term), n = Math.min(meta.shard, chars.length);
      while (n < chars.length && meta.splitSet[chars.slice(0, n).join("")]) n++;
      return chars.slice(0, n).join("");
    }
    function fileKey(prefix) {
      return Array.from(prefix).map(function (c) {
        return /[a-z0-9]/.test(c) ? c : "_" + c.codePointAt(0).toString(16);
      }).join("");
    }
    var metaPromise = json("meta.json").then(function (m) {
      m = m || { docs: 0, chunk: 16, excerpts: 8, shard: 2, splits: [] };
      m.splitSet = {};
      m.splits.forEach(function (s) { m.splitSet[s] = true; });
      return m;
    });
    // Postings of one term: {doc: score}; with `prefix`, the best score over terms starting with it.
    function postings(term, prefix, meta) {
      var prefixes = [shardOf(term, meta)];
      if (prefix && meta.splitSet[term]) {
        // The prefix was split into longer shards: load those whose prefix is a child.
        prefixes = meta.splits.filter(function (s) { return s.indexOf(term) === 0; }).concat([term]);
      }
      return Promise.all(prefixes.map(function (p) { return json("t/" + fileKey(p) + ".json"); })).then(function (shards) {
        var out = {}, seen = 0;
        shards.forEach(function (shard) {
          if (!shard) return;
          Object.keys(shard).forEach(function (t) {
            if (t === term || (prefix && t.indexOf(term) === 0 && seen++ < 200)) {
              var list = shard[t], bonus = t === term ? 1 : 0.8;
              for (var i = 0; i < list.length; i += 2) {
                var s = list[i + 1] * bonus;
                if (!(out[list[i]] >= s)) out[list[i]] = s;
              }
            }
          });
        });
        return out;
      });
    }
    function idTerm(q) {
      var m = /^\s*([a-z]+)[\s_-]*0*([0-9]+)\s*$/i.exec(q);
      return m ? m[1].toLowerCase() + m[2] : null;
    }
    function chunkOf(doc, meta) { return Math.floor(doc / meta.chunk); }
    function docInfo(doc, meta) {
      return json("d/" + chunkOf(doc, meta) + ".json").then(function (rows) {
        var r = rows && rows[doc % meta.chunk];
        return r && { doc: doc, title: r[0], url: r[1], id: r[2], kind: r[3], status: r[4], label: r[5], date: r[6] };
      });
    }
    function passes(doc, facets, meta, filters) {
      if (!filters.kind && !filters.status && !filters.tag) return true;
      var f = facets[doc];
      if (!f) return false;
      if (filters.kind && meta.kinds[f[0]] !== filters.kind) return false;
      if (filters.status && meta.statuses[f[1]] !== filters.status) return false;
      if (filters.tag && f[2].map(function (t) { return meta.tags[t]; }).indexOf(filters.tag) < 0) return false;
      return true;
    }
    // Ranks documents for a query: summed term scores, documents that match every word first,
    // an ID typed in full (`ADR-12`, `adr 12`) on top. Resolves to [{doc, score}], best first.
    function rank(q, filters) {
      filters = filters || {};
      return metaPromise.then(function (meta) {
        var words = tokens(q);
        if (!words.length) return [];
        var prefixLast = !/\s$/.test(q) && words[words.length - 1].length >= 3;
        var idt = idTerm(q);
        var lookups = words.map(function (w, i) { return postings(w, prefixLast && i === words.length - 1, meta); });
        if (idt) lookups.push(postings(idt, false, meta));
        var needFacets = filters.kind || filters.status || filters.tag;
        return Promise.all([Promise.all(lookups), needFacets ? json("f.json") : Promise.resolve(null)]).then(function (res) {
          var lists = res[0], facets = res[1] || [];
          var idHits = idt ? lists.pop() : {};
          var scores = {}, hits = {};
          lists.forEach(function (list) {
            Object.keys(list).forEach(function (d) {
              scores[d] = (scores[d] || 0) + list[d];
              hits[d] = (hits[d] || 0) + 1;
            });
          });
          Object.keys(idHits).forEach(function (d) {
            scores[d] = (scores[d] || 0) + 1e7;
            hits[d] = lists.length;
          });
          var out = Object.keys(scores).map(function (d) {
            var all = hits[d] >= lists.length ? 1e6 : 0;
            return { doc: Number(d), score: scores[d] + all };
          }).filter(function (r) { return passes(r.doc, facets, meta, filters); });
          out.sort(function (a, b) { return b.score - a.score || a.doc - b.doc; });
          return out;
        });
      });
    }
    function excerpt(doc) {
      return metaPromise.then(function (meta) {
        return json("x/" + Math.floor(doc / meta.excerpts) + ".json").then(function (texts) {
          return (texts && texts[doc % meta.excerpts]) || "";
        });
      });
    }
    function info(doc) { return metaPromise.then(function (meta) { return docInfo(doc, meta); }); }
    return { rank: rank, docInfo: info, excerpt: excerpt, tokens: tokens };
  }
  g.dossierSearchEngine = dossierSearchEngine;
  if (typeof document === "undefined") return;
  var box = document.getElementById("search");
  if (!box) return;
  var root = box.getAttribute("data-root") || "../";
  var base = root + "search/";
  var engine = dossierSearchEngine({
    json: function (path) {
      return fetch(base + path).then(function (r) { return r.ok ? r.json() : null; }).catch(function () { return null; });
    }
  });
  var tokens = engine.tokens;
  var filters = { kind: "", status: "", tag: "" };
  // The part of `body` around the first query word, with every query word marked.
  function snippet(body, words) {
    var lower = body.toLowerCase(), at = -1;
    words.forEach(function (w) {
      var i = lower.indexOf(w);
      if (i >= 0 && (at < 0 || i < at)) at = i;
    });
    var start = Math.max(0, at - 60), end = Math.min(body.length, (at < 0 ? 0 : at) + 160);
    var part = (start > 0 ? "… " : "") + body.slice(start, end) + (end < body.length ? " …" : "");
    var frag = document.createDocumentFragment(), lp = part.toLowerCase(), pos = 0;
    while (pos < part.length) {
      var next = -1, len = 0;
      words.forEach(function (w) {
        var i = lp.indexOf(w, pos);
        if (i >= 0 && (next < 0 || i < next)) { next = i; len = w.length; }
      });
      if (next < 0) { frag.appendChild(document.createTextNode(part.slice(pos))); break; }
      if (next > pos) frag.appendChild(document.createTextNode(part.slice(pos, next)));
      var m = document.createElement("mark");
      m.textContent = part.slice(next, next + len);
      frag.appendChild(m);
      pos = next + len;
    }
    return frag;
  }
  var input = document.getElementById("search-input");
  var list = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  var selected = -1, seq = 0, PAGE = 10, limit = PAGE;
  function el(tag, cls, txt) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (txt !== undefined) e.textContent = txt;
    return e;
  }
  function render(q, ranked, infos) {
    list.textContent = "";
    selected = -1;
    var words = tokens(q);
    infos.forEach(function (info, i) {
      if (!info) return;
      var li = el("li", "result");
      li.id = "result-" + i;
      var a = el("a", "result-title");
      a.href = root + info.url;
      if (info.id) a.appendChild(el("span", "doc-id", info.id + " "));
      a.appendChild(document.createTextNode(info.title));
      var meta = el("div", "result-meta");
      meta.appendChild(el("span", "badge status-" + info.status, info.label));
      meta.appendChild(el("span", "kind", info.kind === "adr" ? "Decision" : info.kind === "design" ? "Design doc" : "Page"));
      if (info.date) meta.appendChild(el("time", "", info.date));
      var p = el("p", "snippet");
      li.appendChild(a);
      li.appendChild(meta);
      li.appendChild(p);
      list.appendChild(li);
      engine.excerpt(info.doc).then(function (text) { p.appendChild(snippet(text, words)); });
    });
    var n = ranked.length;
    status.textContent = !q.trim() ? "" : n === 0 ? "No results for \u201c" + q + "\u201d." :
      n + (n === 1 ? " result" : " results") + (n > limit ? ", showing the first " + limit : "") + ".";
    if (n > limit) {
      var li = el("li", "more"), b = el("button", "more-button", "Show more results");
      b.type = "button";
      b.addEventListener("click", function () { limit += PAGE; run(true); });
      li.appendChild(b);
      list.appendChild(li);
    }
  }
  function run(keepLimit) {
    if (keepLimit !== true) limit = PAGE;
    var q = input.value, mine = ++seq;
    var params = new URLSearchParams();
    if (q) params.set("q", q);
    Object.keys(filters).forEach(function (k) { if (filters[k]) params.set(k, filters[k]); });
    history.replaceState(null, "", "?" + params.toString());
    if (!tokens(q).length) { list.textContent = ""; status.textContent = ""; return Promise.resolve(); }
    return engine.rank(q, filters).then(function (ranked) {
      return Promise.all(ranked.slice(0, limit).map(function (r) { return engine.docInfo(r.doc); })).then(function (infos) {
        if (mine === seq) render(q, ranked, infos);
      });
    });
  }
  function select(i) {
    var items = list.querySelectorAll("li.result");
    if (!items.length) return;
    selected = Math.max(0, Math.min(items.length - 1, i));
    items.forEach(function (li, j) {
      li.classList.toggle("selected", j === selected);
      if (j === selected) li.setAttribute("aria-current", "true"); else li.removeAttribute("aria-current");
    });
    items[selected].scrollIntoView({ block: "nearest" });
  }
  var timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(run, 60);
  });
  input.addEventListener("keydown", function (e) {
    if (e.key === "ArrowDown") { e.preventDefault(); select(selected + 1); }
    else if (e.key === "ArrowUp") { e.preventDefault(); select(selected - 1); }
    else if (e.key === "Enter") {
      var items = list.querySelectorAll("li a.result-title");
      if (items.length) { e.preventDefault(); location.href = items[Math.max(selected, 0)].href; }
    }
  });
  box.querySelectorAll("select[data-filter]").forEach(function (s) {
    s.addEventListener("change", function () { filters[s.getAttribute("data-filter")] = s.value; run(); });
  });
  box.querySelector("form").addEventListener("submit", function (e) { e.preventDefault(); run(); });
  var params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  box.querySelectorAll("select[data-filter]").forEach(function (s) {
    var v = params.get(s.getAttribute("data-filter"));
    if (v) { s.value = v; filters[s.getAttribute("data-filter")] = v; }
  });
  input.focus();
  // For tests and tools: ranked results of a query as [{id, title, url}], best first.
  window.dossierSearch = function (q) {
    return engine.rank(q, filters).then(function (ranked) {
      return Promise.all(ranked.slice(0, PAGE).map(function (r) { return engine.docInfo(r.doc); }));
    });
  };
  window.dossierSearchDone = run();
})(typeof self !== "undefined" ? self : globalThis);
