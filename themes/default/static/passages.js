// dossier search snippets: the passage of a document where the query's words occur, anywhere in
// it, with them marked. The text comes from search/p/<doc>.json (one small file per document,
// see src/render/passages.rs), fetched only for the results shown. Shared by the search page
// (search.js) and the header box (search-box.js). Text is inserted as text, never as HTML.
(function () {
  "use strict";
  var cache = {}, WINDOW = 28, BEFORE = 60, LENGTH = 240, WORD = /[\p{L}\p{N}]+/gu, WIDE = /[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]/;
  function text(base, doc) {
    var url = base + "p/" + doc + ".json";
    if (!cache[url]) {
      cache[url] = fetch(url).then(function (r) { return r.ok ? r.json() : ""; }).catch(function () { return ""; });
    }
    return cache[url];
  }
  // The part of the text's word `t` (lower-case) that matches the query word `q`, as [from,
  // to], or null: `q` a prefix of it (typing), a long common start (a stem: "caching" finds
  // "cache": both differ only by a common English ending), or, for CJK, `q` inside it.
  var SUFFIX = {};
  ["", "e", "s", "es", "ed", "d", "ing", "ion", "ions", "er", "ers", "ly", "ment", "ments", "ies", "y", "al"].forEach(function (x) { SUFFIX[x] = true; });
  function match(t, q) {
    if (t.indexOf(q) === 0) return [0, q.length];
    if (WIDE.test(q)) { var at = t.indexOf(q); return at < 0 ? null : [at, at + q.length]; }
    var n = 0;
    while (n < t.length && n < q.length && t[n] === q[n]) n++;
    return n >= 4 && SUFFIX[q.slice(n)] && SUFFIX[t.slice(n)] ? [0, n] : null;
  }
  // A word with its diacritics removed, as search.js and search.rs fold it ("Verträge" is found
  // by "vertrage").
  function fold(w) { return w.normalize("NFD").replace(/\p{M}/gu, ""); }
  // Every word of `body` with its position, the query word it matches (-1 for none) and the
  // matched part.
  function words(body, query) {
    var out = [], m;
    query = query.map(fold);
    WORD.lastIndex = 0;
    while ((m = WORD.exec(body))) {
      var t = fold(m[0].toLowerCase()), hit = -1, part = null;
      for (var i = 0; i < query.length && hit < 0; i++) if ((part = match(t, query[i]))) hit = i;
      // Lower-casing and folding keep the length of almost every word; where not, mark it whole.
      if (part && t.length !== m[0].length) part = [0, m[0].length];
      out.push({ at: m.index, end: m.index + m[0].length, hit: hit, part: part, exact: hit >= 0 && t.indexOf(query[hit]) === 0 });
    }
    return out;
  }
  // The window of WINDOW words with the most distinct query words, then the most found as
  // typed (not by their stem), then the most matches;
  // the first such window. Returns the index of its first word.
  function best(ws, n) {
    var bestAt = -1, bestScore = 0;
    for (var i = 0; i < ws.length; i++) {
      if (ws[i].hit < 0) continue;
      var seen = {}, distinct = 0, exact = 0, total = 0;
      for (var j = i; j < ws.length && j < i + WINDOW; j++) {
        var h = ws[j].hit;
        if (h < 0) continue;
        total++;
        if (!seen[h]) { seen[h] = true; distinct++; }
        if (ws[j].exact && seen[h] !== 2) { seen[h] = 2; exact++; }
      }
      var score = distinct * 10000 + exact * 100 + total;
      if (score > bestScore) { bestScore = score; bestAt = i; }
      if (exact === n) break;
    }
    return bestAt;
  }
  // The marked passage of `body` for the query words `query` (lower-case, as search.js makes them).
  function passage(body, query) {
    var frag = document.createDocumentFragment();
    var ws = words(body, query), at = best(ws, query.length);
    if (!ws.length) return frag;
    // About BEFORE characters of context before the first match, LENGTH in all, whole words.
    var first = 0, last = 0;
    if (at > 0) for (first = at; first > 0 && ws[first - 1].at >= ws[at].at - BEFORE;) first--;
    while (last < ws.length && ws[last].end <= ws[first].at + LENGTH) last++;
    last = Math.max(last, Math.min(ws.length, at + 1));
    var start = ws[first].at, end = last < ws.length ? ws[last - 1].end : body.length;
    if (start > 0) frag.appendChild(document.createTextNode("\u2026 "));
    var pos = start;
    for (var k = first; k < last; k++) {
      if (ws[k].hit < 0) continue;
      var from = ws[k].at + ws[k].part[0], to = ws[k].at + ws[k].part[1];
      if (from > pos) frag.appendChild(document.createTextNode(body.slice(pos, from)));
      var m = document.createElement("mark");
      m.textContent = body.slice(from, to);
      frag.appendChild(m);
      pos = to;
    }
    frag.appendChild(document.createTextNode(body.slice(pos, end) + (end < body.length ? " \u2026" : "")));
    return frag;
  }
  // Resolves to the marked passage of document `doc` of the index at `base` (".../search/").
  window.dossierPassage = function (base, doc, query) {
    return text(base, doc).then(function (body) { return passage(body || "", query); });
  };
})();
