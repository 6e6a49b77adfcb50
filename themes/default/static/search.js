// dossier search: queries the sharded index in search/ (built by `dossier build`) and loads only
// the shards and metadata chunks a query needs; snippets come from passages.js. Every title and
// snippet is inserted as text, never as HTML.
//
// The engine is public, for the search page, the header box and tools (scripts/search_eval.js
// runs it in node): `dossierSearchEngine({json, script})` where `json(path)` resolves to the
// parsed file `search/<path>` (or null) and `script(path)` loads `assets/<path>` (a stemmer,
// needed only for a word the index lacks), returns
//   rank(q, filters, want) → Promise of [{doc, score}], best first (filters: {kind, status,
//                      tag}; `want`, default 10: how many results must be complete, for paging);
//   docInfo(doc)     → Promise of {doc, title, url, id, kind, status, label, date};
//   excerpt(doc)     → Promise of the start of the document's text (search/x/, what a
//                      "quoted phrase" is looked for in besides the title);
//   tokens(q)        → the words of a query, as matched;
//   marks(q)         → the words a snippet marks: the query's and its phrases', not -excluded ones;
//   ui()             → the site's interface text once a query has run (meta.json `ui`):
//                      text(key, {n, q}), count(key, n, {q}), label(info), kind(kind), date(date).
// In a page, one engine over the site's index is `window.dossierEngine` (with `base`, the URL of
// search/), shared by the search page and the header box (search-box.js).
(function (g) {
  "use strict";
  // A word with its diacritics removed, as search.rs `fold`.
  function fold(w) { return w.normalize("NFD").replace(/\p{M}/gu, ""); }
  // Interface text in the site's language, from meta.json's `ui` (render/strings.rs
  // `Ui::search_client`): `t` the sentences and names by key, `day`/`month` the date patterns.
  function dossierUi(u) {
    u = u || {};
    var t = u.t || {};
    function text(key, vars) {
      return (t[key] || "").replace(/\{(\w)\}/g, function (m, k) { return vars && k in vars ? String(vars[k]) : m; });
    }
    function count(key, n, vars) {
      vars = vars || {};
      vars.n = n;
      return text(key + (n === 1 ? "_one" : "_other"), vars);
    }
    // A date as the pages show it (`Ui::date`): days and months in words, else as written.
    function date(d) {
      var m = /^([0-9]{4})-([0-9]{2})(?:-([0-9]{2}))?$/.exec(d || ""), mo = m ? Number(m[2]) : 0;
      var pattern = m && (m[3] ? u.day : u.month);
      if (!pattern || mo < 1 || mo > 12) return d;
      return pattern.replace("{month}", (u.months || [])[mo - 1] || "").replace("{m}", mo)
        .replace("{d}", m[3] ? m[3].replace(/^0+/, "") : "").replace("{y}", m[1]);
    }
    return {
      text: text, count: count, date: date,
      label: function (info) { return info.label || text("status_" + info.status) || info.status; },
      kind: function (k) { return text("kind_" + k) || k; }
    };
  }
  function dossierSearchEngine(opts) {
    var STOP = ("a an and are as at be but by for from has have if in into is it its of on or that the their " +
      "then there these this to was we were will with").split(" ");
    var cache = {}, ui = dossierUi(null);
    function json(path) {
      if (!cache[path]) {
        cache[path] = opts.json(path);
      }
      return cache[path];
    }
    // Unspaced scripts (Han, kana, Hangul, Thai, Lao, Khmer, Myanmar): runs become bigrams.
    var UNSPACED = /[\u0E00-\u0EFF\u1000-\u109F\u1100-\u11FF\u1780-\u17FF\u3040-\u30FF\u3130-\u318F\u31F0-\u31FF\u3400-\u4DBF\u4E00-\u9FFF\uAC00-\uD7AF\uF900-\uFAFF\uFF66-\uFF9F\u{20000}-\u{2FA1F}]/u;
    // The words of a text as the index has them (search.rs `tokens`): lower-case, stop words
    // dropped, runs of unspaced scripts as overlapping bigrams.
    function tokens(text) {
      var out = [];
      text.split(/[^\p{L}\p{N}\p{M}]+/u).forEach(function (w) {
        var chars = Array.from(w), i = 0;
        while (i < chars.length) {
          var u = UNSPACED.test(chars[i]), j = i;
          while (j < chars.length && UNSPACED.test(chars[j]) === u) j++;
          var part = chars.slice(i, j), x = part.join("").toLowerCase();
          if (!u) { if (part.length <= 40 && STOP.indexOf(x) < 0) out.push(x); }
          else if (part.length === 1) out.push(x);
          else for (var k = 0; k + 1 < part.length; k++) out.push(part[k] + part[k + 1]);
          i = j;
        }
      });
      return out;
    }
    // A query: words to find, "quoted phrases" (their words in order), -excluded words.
    function parse(q) {
      var phrases = [], exclude = [], rest = q.replace(/"([^"]*)"?/g, function (_, p) {
        var w = tokens(p);
        if (w.length) phrases.push(w);
        return " " + p + " ";
      });
      rest = rest.replace(/(^|\s)-(\S+)/g, function (_, s, w) {
        exclude = exclude.concat(tokens(w));
        return s;
      });
      return { words: tokens(rest), phrases: phrases, exclude: exclude, open: !/[\s"]$/.test(q) };
    }
    // Code-point order, as search.rs sorts terms (not UTF-16's).
    function cmp(a, b) {
      var x = Array.from(a), y = Array.from(b);
      for (var i = 0; i < x.length && i < y.length; i++) {
        var d = x[i].codePointAt(0) - y[i].codePointAt(0);
        if (d) return d;
      }
      return x.length - y.length;
    }
    // The shard of a term: the last whose separator is not after it (search.rs `shard_of`).
    function shardOf(term, meta) {
      var lo = 0, hi = meta.shards.length;
      while (lo < hi) {
        var mid = (lo + hi) >> 1;
        if (cmp(meta.shards[mid], term) <= 0) lo = mid + 1; else hi = mid;
      }
      return Math.max(0, lo - 1);
    }
    var metaPromise = json("meta.json").then(function (m) {
      m = m || { docs: 0, chunk: 16, excerpts: 16, shards: [""] };
      m.stemmers = m.stemmers || [];
      ui = dossierUi(m.ui);
      return m;
    });
    function shard(term, meta) { return json("t/" + shardOf(term, meta) + ".json"); }
    // An entry of a shard: ["stem key", …, -threshold, "postings"] (see search.rs).
    function entry(list) {
      var i = 0, hints = [], last = list.length - 1;
      while (i < last && typeof list[i] === "string") hints.push(list[i++]);
      var thr = list[i] < 0 ? -list[i++] : 0;
      return { hints: hints, thr: thr, list: decode(typeof list[i] === "string" ? list[i] : "") };
    }
    // search.rs `encode_postings` read back: [doc, score, doc, score, …]. Each number is base 32,
    // most significant digit first, every digit but the last from the upper half of DIGITS;
    // documents are gaps from the previous one.
    var DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_", DIGIT = [];
    for (var di = 0; di < 64; di++) DIGIT[DIGITS.charCodeAt(di)] = di;
    function decode(s) {
      var out = [], v = 0, doc = 0, odd = false;
      for (var i = 0; i < s.length; i++) {
        var d = DIGIT[s.charCodeAt(i)] | 0;
        v = v * 32 + (d & 31);
        if (d < 32) {
          out.push(odd ? v : (doc += v));
          odd = !odd;
          v = 0;
        }
      }
      return out;
    }
    // Adds an entry's postings times `bonus` to `hits` (the best score per document), and notes
    // where its overflow is when the entry was cut.
    // The word's own entry (bonus 1, and its tiers) also marks the documents that have the word
    // as typed (`typed`, see `combine`).
    function addEntry(hits, e, bonus, term) {
      if (bonus === 1 && !hits.typed) hits.typed = {};
      for (var i = 0; i < e.list.length; i += 2) {
        var s = e.list[i + 1] * bonus;
        if (!(hits.docs[e.list[i]] >= s)) hits.docs[e.list[i]] = s;
        if (bonus === 1) hits.typed[e.list[i]] = 1;
      }
      if (e.thr) hits.cut.push({ term: term, bonus: bonus, thr: e.thr * bonus, tier: (e.tier || 0) + 1 });
    }
    var stemmers = {};
    function stemmer(code) {
      if (!stemmers[code]) {
        stemmers[code] = Promise.resolve(opts.script ? opts.script("stem/" + code + ".js") : null).then(function () {
          return g.dossierStem && g.dossierStem[code];
        });
      }
      return stemmers[code];
    }
    // The stem keys of a word the index does not have: its stem in each language of the site.
    function stemKeys(w, meta) {
      return Promise.all(meta.stemmers.map(stemmer)).then(function (fns) {
        var keys = [fold(w)];
        fns.forEach(function (f) { if (f) keys.push(fold(f(w))); });
        return keys;
      });
    }
    // Optimal string alignment distance of `a` and `b`, or max + 1 once it must exceed `max`.
    function distance(a, b, max) {
      if (Math.abs(a.length - b.length) > max) return max + 1;
      var prev2 = [], prev = [], cur;
      for (var j = 0; j <= b.length; j++) prev[j] = j;
      for (var i = 1; i <= a.length; i++) {
        cur = [i];
        var low = i;
        for (j = 1; j <= b.length; j++) {
          var c = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
          if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) c = Math.min(c, prev2[j - 2] + 1);
          cur[j] = c;
          if (c < low) low = c;
        }
        if (low > max) return max + 1;
        prev2 = prev;
        prev = cur;
      }
      return prev[b.length];
    }
    // Postings of one query word: {docs: {doc: score}, cut: [overflows]}. The exact word scores
    // in full, other forms of it (its stem key's entry) at 0.7, with `prefix` longer words at
    // 0.8; a word the index lacks in every form matches terms one typo away (two for long words).
    function postings(w, prefix, meta) {
      var hits = { docs: {}, cut: [], near: [] };
      return shard(w, meta).then(function (sh) {
        var found = sh && sh[w] && entry(sh[w]);
        if (found) addEntry(hits, found, 1, w);
        var keysP = found ? Promise.resolve(found.hints.concat([w])) : stemKeys(w, meta);
        var seen = 0, more = [];
        if (prefix && (w.length >= 3 || UNSPACED.test(w))) {
          // The shards after the word's own that still hold terms it starts (at most 3 more).
          var first = shardOf(w, meta), last = Math.min(shardOf(w + "\u{10FFFF}", meta), first + 3);
          more = [Promise.resolve(sh)];
          for (var k = first + 1; k <= last; k++) more.push(json("t/" + k + ".json"));
        }
        return Promise.all([keysP, Promise.all(more)]).then(function (res) {
          res[1].forEach(function (s2) {
            Object.keys(s2 || {}).forEach(function (t) {
              if (t !== w && t.indexOf(w) === 0 && t.slice(-1) !== "~" && seen++ < 200) {
                addEntry(hits, entry(s2[t]), 0.8, t);
                hits.near.push(t);
              }
            });
          });
          var keys = res[0].filter(function (k, i) { return res[0].indexOf(k) === i; });
          hits.keys = keys.concat([w, fold(w)]);
          return Promise.all(keys.map(function (k) {
            return shard(k + "~", meta).then(function (s3) {
              if (s3 && s3[k + "~"]) addEntry(hits, entry(s3[k + "~"]), 0.7, k + "~");
              else if (k !== w) return shard(k, meta).then(function (s4) { if (s4 && s4[k]) addEntry(hits, entry(s4[k]), 0.7, k); });
            });
          }));
        }).then(function () {
          if (found || Object.keys(hits.docs).length || !sh) return hits;
          var n = Array.from(w).length, max = n >= 8 ? 2 : n >= 4 ? 1 : 0;
          Object.keys(sh).forEach(function (t) {
            if (max && t.slice(-1) !== "~") {
              var d = distance(w, t, max);
              if (d <= max) {
                addEntry(hits, entry(sh[t]), d === 1 ? 0.5 : 0.3, t);
                hits.near.push(t);
              }
            }
          });
          return hits;
        });
      });
    }
    // Adds the next tier of every posting list cut at a threshold (search.rs `tiers`): the first
    // tier of a shard's terms is in its file .1, every further one in its file .2.
    function nextTier(hits, meta) {
      var cut = hits.cut;
      hits.cut = [];
      return Promise.all(cut.map(function (c) {
        return json("o/" + shardOf(c.term, meta) + "." + Math.min(c.tier, 2) + ".json").then(function (tiers) {
          var item = tiers && tiers[c.term];
          if (item && c.tier > 1) item = item[c.tier - 2];
          var e = entry(item || []);
          e.tier = c.tier;
          addEntry(hits, e, c.bonus, c.term);
        });
      })).then(function () { return hits; });
    }
    // Every posting of a word (for an exclusion).
    function complete(hits, meta) {
      return hits.cut.length ? nextTier(hits, meta).then(function (h) { return complete(h, meta); }) : Promise.resolve(hits);
    }
    function idTerm(q) {
      var m = /^\s*([a-z]+)[\s_-]*0*([0-9]+)\s*$/i.exec(q);
      return m ? m[1].toLowerCase() + m[2] : null;
    }
    // The postings of an ID term whose documents have that ID (a document whose text has the
    // word `edition2021` is no jump target for `edition 2021`).
    function ownIds(hits, idt, meta) {
      var docs = Object.keys(hits.docs).slice(0, 8);
      return Promise.all(docs.map(function (d) { return docInfo(Number(d), meta); })).then(function (infos) {
        var own = { docs: {}, cut: [] };
        infos.forEach(function (info, i) { if (info && info.id && idTerm(info.id) === idt) own.docs[docs[i]] = hits.docs[docs[i]]; });
        return own;
      });
    }
    function chunkOf(doc, meta) { return Math.floor(doc / meta.chunk); }
    function docInfo(doc, meta) {
      return json("d/" + chunkOf(doc, meta) + ".json").then(function (rows) {
        var r = rows && rows[doc % meta.chunk];
        return r && { doc: doc, title: r[0], url: r[1], id: r[2], kind: r[3], status: r[4], label: r[5], date: r[6], keys: r[7] ? r[7].split(" ") : [] };
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
    // Summed scores per document, documents that match every word first (OR-then-AND).
    // Summed scores per document, documents that match every word first (OR-then-AND), and of
    // those the ones with every word as typed (TYPED_WORDS) above the ones with some only in
    // another form (a stem's): a query of a document's own words finds it before documents that
    // use other forms of them more often. An ID hit on top.
    function combine(lists, idHits) {
      var scores = {}, count = {}, typed = {};
      lists.forEach(function (l) {
        Object.keys(l.docs).forEach(function (d) {
          scores[d] = (scores[d] || 0) + l.docs[d];
          count[d] = (count[d] || 0) + 1;
          if (l.typed && l.typed[d]) typed[d] = (typed[d] || 0) + 1;
        });
      });
      Object.keys(idHits.docs).forEach(function (d) {
        scores[d] = (scores[d] || 0) + 1e7;
        count[d] = lists.length;
      });
      return Object.keys(scores).map(function (d) {
        var all = count[d] >= lists.length;
        return { doc: Number(d), score: scores[d] + (all ? 1e6 : 0) + (all && typed[d] >= lists.length ? TYPED_WORDS : 0) };
      });
    }
    // Whether to load another tier of the posting lists cut at a threshold: while fewer than
    // `want` documents (after filters and exclusions) match every word, so a filter or a second
    // word never hides a document the index has; paging further asks for more.
    function mustComplete(lists, ranked, want) {
      if (!lists.some(function (l) { return l.cut.length; })) return false;
      // A word found nowhere: no document can match every word, the others rank as they are.
      if (lists.some(function (l) { return !Object.keys(l.docs).length; })) return false;
      var all = 0;
      for (var i = 0; i < ranked.length && all < want; i++) if (ranked[i].score >= 1e6) all++;
      return all < want;
    }
    // Ranks documents for a query: summed term scores, documents that match every word first,
    // quoted phrases found in order above those, -words left out, an ID typed in full (`ADR-12`,
    // `adr 12`) on top. Resolves to [{doc, score}], best first.
    function rank(q, filters, want) {
      filters = filters || {};
      want = want || 10;
      return metaPromise.then(function (meta) {
        var p = parse(q), words = p.words;
        if (!words.length) return [];
        var idt = idTerm(q);
        var lookups = words.map(function (w, i) { return postings(w, p.open && !p.phrases.length && i === words.length - 1, meta); });
        var needFacets = filters.kind || filters.status || filters.tag;
        return Promise.all([
          Promise.all(lookups),
          Promise.all(p.exclude.map(function (w) { return postings(w, false, meta).then(function (h) { return complete(h, meta); }); })),
          idt ? postings(idt, false, meta).then(function (h) { return ownIds(h, idt, meta); }) : Promise.resolve({ docs: {}, cut: [] }),
          needFacets ? json("f.json") : Promise.resolve(null),
        ]).then(function (res) {
          var lists = res[0], facets = res[3] || [];
          var keep = function (r) {
            return passes(r.doc, facets, meta, filters) && !res[1].some(function (x) { return r.doc in x.docs; });
          };
          var out = combine(lists, res[2]).filter(keep);
          out.sort(function (a, b) { return b.score - a.score || a.doc - b.doc; });
          // Load further tiers of cut lists while they could change the first page.
          var more = function (out) {
            if (idt || !mustComplete(lists, out, want)) return Promise.resolve(out);
            return Promise.all(lists.map(function (l) { return nextTier(l, meta); })).then(function () {
              var next = combine(lists, res[2]).filter(keep);
              next.sort(function (a, b) { return b.score - a.score || a.doc - b.doc; });
              return more(next);
            });
          };
          var done = more(out).then(function (out) { return wholeTitles(out, lists, words, meta); });
          return done.then(function (out) { return p.phrases.length ? phrased(out, p.phrases, meta) : out; });
        });
      });
    }
    // Ranking constants a port must mirror (src/mcp/rank.rs): of the first TITLE_CANDIDATES
    // documents that match every word, one whose title is the query's words, no more and no
    // fewer (compared by stem key, so "privates field" is the title "Private fields"), gains
    // WHOLE_TITLE, plus EXACT_TITLE times the share of its title's words typed in that form.
    var TITLE_CANDIDATES = 10, WHOLE_TITLE = 5e5, EXACT_TITLE = 1e5;
    // Whether a title is the query's words (every title word is a query word's form, every
    // query word is in the title), and the share of its words typed as written: {whole, exact}.
    function titleMatch(info, lists, words) {
      var keys = info.keys, typed = tokens(info.title || "");
      if (!keys.length || typed.length !== keys.length) return { whole: false, exact: 0 };
      // Word i of the query matches title word j: typed as written, typo'd or completed to it
      // (its `near` terms), or with a stem key in common.
      var matches = function (i, j) {
        var l = lists[i];
        return words[i] === typed[j] || (l.near || []).indexOf(typed[j]) >= 0 || (l.keys || []).indexOf(keys[j]) >= 0;
      };
      var all = function (n, m, f) { for (var a = 0; a < n; a++) { var ok = false; for (var b = 0; b < m && !ok; b++) ok = f(a, b); if (!ok) return false; } return true; };
      var whole = all(keys.length, words.length, function (j, i) { return matches(i, j); }) &&
        all(words.length, keys.length, function (i, j) { return matches(i, j); });
      var exact = typed.filter(function (t) { return words.indexOf(t) >= 0; }).length / typed.length;
      return { whole: whole, exact: exact };
    }
    // Moves documents whose whole title is the query's words above the other documents that
    // match every word (a short title that is all the query beats a longer one with the same words).
    function wholeTitles(out, lists, words, meta) {
      var head = out.slice(0, TITLE_CANDIDATES).filter(function (r) { return r.score >= 1e6; });
      if (!head.length) return Promise.resolve(out);
      return Promise.all(head.map(function (r) {
        return docInfo(r.doc, meta).then(function (info) {
          var m = info ? titleMatch(info, lists, words) : { whole: false };
          if (m.whole) r.score += WHOLE_TITLE + EXACT_TITLE * m.exact;
        });
      })).then(function () {
        out.sort(function (a, b) { return b.score - a.score || a.doc - b.doc; });
        return out;
      });
    }
    // Below WHOLE_TITLE, so that a title that is the query's words in other forms still ranks
    // above documents with the words as typed. (Added after the whole titles were looked for
    // among all documents with every word, it found them better but loaded the metadata of
    // twice as many documents: over the first query's byte budget.)
    var TYPED_WORDS = 3e5;
    // Moves documents whose title or kept text has every phrase, words in order, above the rest.
    function phrased(out, phrases, meta) {
      var head = out.slice(0, 20).filter(function (r) { return r.score >= 1e6; });
      return Promise.all(head.map(function (r) {
        return Promise.all([docInfo(r.doc, meta), excerpt(r.doc)]).then(function (x) {
          var text = " " + tokens(((x[0] && x[0].title) || "") + " \u2029 " + x[1]).join(" ") + " ";
          if (phrases.every(function (ph) { return text.indexOf(" " + ph.join(" ") + " ") >= 0; })) r.score += 2e6;
        });
      })).then(function () {
        out.sort(function (a, b) { return b.score - a.score || a.doc - b.doc; });
        return out;
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
    function marks(q) {
      var p = parse(q);
      return p.phrases.reduce(function (all, ph) { return all.concat(ph); }, p.words).filter(function (w, i, all) {
        return all.indexOf(w) === i && p.exclude.indexOf(w) < 0;
      });
    }
    return { rank: rank, docInfo: info, excerpt: excerpt, tokens: tokens, marks: marks, ui: function () { return ui; } };
  }
  dossierSearchEngine.fold = fold;
  g.dossierSearchEngine = dossierSearchEngine;
  if (typeof document === "undefined") return;
  // The search page's box, or else (loaded by search-box.js) the header's form: only the engine.
  var box = document.getElementById("search");
  var header = document.getElementById("site-search-q");
  if (!box && !(header && header.form)) return;
  var root = (box || header.form).getAttribute("data-root") || "../";
  var base = root + "search/";
  var engine = dossierSearchEngine({
    json: function (path) {
      return fetch(base + path).then(function (r) { return r.ok ? r.json() : null; }).catch(function () { return null; });
    },
    script: function (path) {
      return new Promise(function (done) {
        var s = document.createElement("script");
        s.src = root + "assets/" + path;
        s.onload = s.onerror = function () { done(); };
        document.head.appendChild(s);
      });
    }
  });
  // The engine, shared with the header box (search-box.js): the same words, the same ranking.
  engine.base = base;
  g.dossierEngine = engine;
  if (!box) return;
  var filters = { kind: "", status: "", tag: "" };
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
    var ui = engine.ui();
    list.textContent = "";
    selected = -1;
    var words = engine.marks(q);
    infos.forEach(function (info, i) {
      if (!info) return;
      var li = el("li", "result");
      li.id = "result-" + i;
      var a = el("a", "result-title");
      a.href = root + info.url;
      if (info.id) a.appendChild(el("span", "doc-id", info.id + " "));
      a.appendChild(document.createTextNode(info.title));
      var meta = el("div", "result-meta");
      meta.appendChild(el("span", "badge status-" + info.status, ui.label(info)));
      meta.appendChild(el("span", "kind", ui.kind(info.kind)));
      if (info.date) {
        var time = el("time", "", ui.date(info.date));
        time.setAttribute("datetime", info.date);
        meta.appendChild(time);
      }
      var p = el("p", "snippet");
      li.appendChild(a);
      li.appendChild(meta);
      li.appendChild(p);
      list.appendChild(li);
      g.dossierPassage(base, info.url, words).then(function (f) { p.appendChild(f); });
    });
    var n = ranked.length;
    status.textContent = !q.trim() ? "" : n === 0 ? ui.text("search_none", { q: q }) :
      ui.count("search_count", n) + (n > limit ? ui.text("search_showing", { n: limit }) : "") + ".";
    if (n > limit) {
      var li = el("li", "more"), b = el("button", "more-button", ui.text("search_more"));
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
    if (!engine.tokens(q).length) { list.textContent = ""; status.textContent = ""; return Promise.resolve(); }
    return engine.rank(q, filters, limit).then(function (ranked) {
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
