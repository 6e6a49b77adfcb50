// Generates the rust-rfcs query sets in tests/search-queries/ from a built site's dossier.json
// (titles and source paths only; no other corpus text is kept). The rules, fixed before any
// ranking was tuned to them:
//
// - exact: the first four words of the title (words as the index splits them, stop words
//   dropped), lower-case; titles with fewer than two such words, or whose words equal another
//   title's, are skipped.
// - inflected: each word of an exact query of four or more letters (no digits) changed to
//   another form by the first rule that applies: -ies → -y, -ss/-x/-ch/-sh → +es, -s (not -us,
//   -is) → dropped, -ing → -ed, -ed → -ing, -e → -es, -y → -ies, else +s; queries where no word
//   changed are skipped.
// - typo: one edit to the longest word (five letters or more) of an exact query, chosen by a
//   seeded generator (seed = the query's number): substitute a letter with its right-hand
//   neighbour on a QWERTY row, delete a letter, insert a doubled letter, or swap two adjacent
//   letters, at any position.
//
//   node scripts/search_queries.js BUILT_SITE OUT_DIR
"use strict";
const fs = require("fs");
const path = require("path");
const [site, out] = process.argv.slice(2);
const STOP = new Set(("a an and are as at be but by for from has have if in into is it its of on or that the their " +
  "then there these this to was we were will with").split(" "));
const words = (t) => t.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((w) => w && !STOP.has(w));
const docs = JSON.parse(fs.readFileSync(path.join(site, "dossier.json"), "utf8")).documents;
const exact = [];
const seen = {};
for (const d of docs) {
  const w = words(d.title).slice(0, 4);
  if (w.length < 2) continue;
  const key = [...w].sort().join(" ");
  seen[key] = (seen[key] || 0) + 1;
  exact.push({ q: w.join(" "), want: d.source, key });
}
const exactSet = exact.filter((e) => seen[e.key] === 1).map(({ q, want }) => ({ q, want }));
function inflect(w) {
  if (w.length < 4 || /[0-9]/.test(w)) return w;
  if (w.endsWith("ies")) return w.slice(0, -3) + "y";
  if (/(ss|x|ch|sh)$/.test(w)) return w + "es";
  if (w.endsWith("s") && !/(us|is)$/.test(w)) return w.slice(0, -1);
  if (w.endsWith("ing")) return w.slice(0, -3) + "ed";
  if (w.endsWith("ed")) return w.slice(0, -2) + "ing";
  if (w.endsWith("e")) return w + "s";
  if (w.endsWith("y")) return w.slice(0, -1) + "ies";
  return w + "s";
}
const inflected = exactSet
  .map(({ q, want }) => ({ q: q.split(" ").map(inflect).join(" "), want, orig: q }))
  .filter((x) => x.q !== x.orig)
  .map(({ q, want }) => ({ q, want }));
function rng(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const ROWS = ["qwertyuiop", "asdfghjkl", "zxcvbnm"];
const neighbour = (c) => {
  for (const r of ROWS) if (r.includes(c)) return r[(r.indexOf(c) + 1) % r.length];
  return c === "9" ? "0" : "x";
};
const typo = [];
exactSet.forEach(({ q, want }, i) => {
  const ws = q.split(" ");
  let at = 0;
  ws.forEach((w, j) => { if (w.length > ws[at].length) at = j; });
  const w = ws[at];
  if (w.length < 5) return;
  const r = rng(i + 1);
  const kind = Math.floor(r() * 4), p = Math.floor(r() * w.length);
  let t;
  if (kind === 0) t = w.slice(0, p) + neighbour(w[p]) + w.slice(p + 1);
  else if (kind === 1) t = w.slice(0, p) + w.slice(p + 1);
  else if (kind === 2) t = w.slice(0, p) + w[p] + w.slice(p);
  else {
    const s = Math.min(p, w.length - 2);
    t = w.slice(0, s) + w[s + 1] + w[s] + w.slice(s + 2);
  }
  if (t === w) return;
  ws[at] = t;
  typo.push({ q: ws.join(" "), want });
});
// The rules, as written in the comment at the top of this file.
const head = fs.readFileSync(__filename, "utf8").split("\n");
const rule = head.slice(head.findIndex((l) => l.startsWith("// - exact")), head.findIndex((l) => l.startsWith("//   node")))
  .map((l) => l.replace(/^\/\/ ?/, "")).join(" ").replace(/\s+/g, " ").trim();
// The configuration the corpus is built with (tests/corpora.rs builds it the same way).
const CONFIG = '[[collections]]\npath = "text"\nkind = "design"\nprefix = "RFC"\n[check]\nbroken_links = "warn"\n';
const write = (name, queries) =>
  fs.writeFileSync(path.join(out, `rust-rfcs-${name}.json`),
    JSON.stringify({ set: `rust-rfcs ${name}`, rule: "scripts/search_queries.js: " + rule, config: CONFIG, queries }, null, 0).replace(/\},\{/g, "},\n{") + "\n");
fs.mkdirSync(out, { recursive: true });
write("exact", exactSet);
write("inflected", inflected);
write("typo", typo);
console.log(`exact ${exactSet.length}, inflected ${inflected.length}, typo ${typo.length}`);
