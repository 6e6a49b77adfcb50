// Generates concept query sets in tests/search-queries/: a query that says what a document is
// about in words of its own summary, none of them a word of its title, as a reader who knows the
// idea but not the name would search. Made after the ranking of the other sets was tuned, and
// never tuned to: it checks that stemming, typo tolerance and title ranking did not make such
// queries worse than the engine before them (scripts/search_eval.js on both builds).
//
// - concept: the first paragraph of the document's first section named Summary, Introduction,
//   Abstract or Motivation, link reference definitions left out (the text up to the first
//   ".", ";" or ":" that ends a sentence);
//   its words as the index splits them, lower-case, with stop words (the index's list), the
//   words every proposal uses (BOILERPLATE below), numbers, words of three letters or fewer,
//   and every word sharing its first five letters with a title word dropped; of the words left,
//   the three that the fewest documents of the corpus contain (the most specific, as a reader
//   picks words; ties in sentence order), in sentence order. Documents with fewer than two such
//   words, or whose words equal another document's, are skipped.
//
//   node scripts/search_queries_concept.js BUILT_SITE SOURCE_DIR OUT_DIR NAME [CONFIG_FILE]
"use strict";
const fs = require("fs");
const path = require("path");
const [site, source, out, name, configFile] = process.argv.slice(2);
if (!site || !source || !out || !name) throw new Error("usage: search_queries_concept.js BUILT_SITE SOURCE_DIR OUT_DIR NAME [CONFIG_FILE]");
const STOP = new Set(("a an and are as at be but by for from has have if in into is it its of on or that the their " +
  "then there these this to was we were will with").split(" "));
const BOILERPLATE = new Set(("rfc proposal proposes propose proposed document describes describe introduce introduces " +
  "introducing add adds adding allow allows allowing make makes support supports provide provides new also which " +
  "such should would could can may rust swift language feature features currently").split(" "));
const words = (t) => t.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((w) => w && !STOP.has(w));
const SECTION = /^#{1,3}\s*(summary|introduction|abstract|motivation)\s*$/i;
function summary(text) {
  const lines = text.split(/\r?\n/);
  const at = lines.findIndex((l) => SECTION.test(l.trim()));
  if (at < 0) return "";
  const para = [];
  for (const l of lines.slice(at + 1)) {
    if (/^#/.test(l.trim())) break;
    if (/^\[[^\]]+\]:\s/.test(l.trim())) continue; // a link reference definition

    if (!l.trim()) {
      if (para.length) break;
      continue;
    }
    para.push(l.trim());
  }
  const p = para.join(" ").replace(/`[^`]*`/g, " ").replace(/\[([^\]]*)\]\([^)]*\)/g, "$1");
  const end = p.search(/[.;:](\s|$)/);
  return end >= 0 ? p.slice(0, end) : p;
}
const docs = JSON.parse(fs.readFileSync(path.join(site, "dossier.json"), "utf8")).documents;
const texts = docs.map((d) => {
  try {
    return fs.readFileSync(path.join(source, d.source), "utf8");
  } catch (e) {
    return null;
  }
});
// How many documents contain each word.
const df = {};
for (const t of texts) if (t) for (const w of new Set(words(t))) df[w] = (df[w] || 0) + 1;
const all = [];
const seen = {};
docs.forEach((d, i) => {
  if (!texts[i]) return;
  const title = words(d.title).map((w) => w.slice(0, 5));
  const w = [...new Set(words(summary(texts[i])))].filter((x) => x.length > 3 && !/[0-9]/.test(x) &&
    !BOILERPLATE.has(x) && !title.includes(x.slice(0, 5)));
  const rare = w.map((x, at) => ({ x, at })).sort((a, b) => (df[a.x] || 0) - (df[b.x] || 0) || a.at - b.at).slice(0, 3);
  const q = rare.sort((a, b) => a.at - b.at).map((r) => r.x);
  if (q.length < 2) return;
  const key = [...q].sort().join(" ");
  seen[key] = (seen[key] || 0) + 1;
  all.push({ q: q.join(" "), want: d.source, key });
});
const queries = all.filter((x) => seen[x.key] === 1).map(({ q, want }) => ({ q, want }));
const head = fs.readFileSync(__filename, "utf8").split("\n");
const rule = head.slice(head.findIndex((l) => l.startsWith("// - concept")), head.findIndex((l) => l.startsWith("//   node")))
  .map((l) => l.replace(/^\/\/ ?/, "")).join(" ").replace(/\s+/g, " ").trim() +
  " BOILERPLATE: " + [...BOILERPLATE].join(" ") + ".";
const CONFIG = configFile ? fs.readFileSync(configFile, "utf8") :
  '[[collections]]\npath = "text"\nkind = "design"\nprefix = "RFC"\n[check]\nbroken_links = "warn"\n';
fs.mkdirSync(out, { recursive: true });
fs.writeFileSync(path.join(out, `${name}-concept.json`),
  JSON.stringify({ set: `${name} concept`, rule: "scripts/search_queries_concept.js: " + rule, config: CONFIG, queries }, null, 0)
    .replace(/\},\{/g, "},\n{") + "\n");
console.log(`concept ${queries.length}`);
