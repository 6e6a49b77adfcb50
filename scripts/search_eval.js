// Runs query sets through the real search client (themes/default/static/search.js, as copied
// into the built site) in node, against a built site's index, and prints recall@1, recall@5 and
// MRR@10 for each set.
//
//   node scripts/search_eval.js BUILT_SITE QUERIES.json [QUERIES.json…] [--misses]
//   node scripts/search_eval.js BUILT_SITE --bytes [--files] QUERY…
//
// With --bytes, each query runs on a fresh engine (as a first query on the search page) and the
// bytes of search.js, passages.js, the index files and any stemmer it loaded ("index"), and
// then the pages of the ten results shown, which their snippets are cut from ("pages"), are added up (file sizes, as the preview server sends
// them), then the median time of the same query once loaded (20 runs). --files lists each file.
//
// A query file is {"set", "rule", "queries": [{"q", "want"}]} where `want` is the source path of
// the document that should come first (as in dossier.json). `cargo run --example search_eval`
// builds a source folder and runs this.
"use strict";
const fs = require("fs");
const path = require("path");
const args = process.argv.slice(2);
const misses = args.includes("--misses");
const [site, ...files] = args.filter((a) => !a.startsWith("--"));
if (!site || !files.length) throw new Error("usage: node scripts/search_eval.js BUILT_SITE QUERIES.json…");
global.self = global;
require(path.resolve(site, "assets", "search.js"));
const read = (p) => {
  try {
    return JSON.parse(fs.readFileSync(p, "utf8"));
  } catch (e) {
    return null;
  }
};
const engine = self.dossierSearchEngine({
  json: (p) => Promise.resolve(read(path.join(site, "search", p))),
  script: (p) => Promise.resolve(require(path.resolve(site, "assets", p))),
});
if (args.includes("--bytes")) {
  (async () => {
    for (const q of files) {
      let bytes = 0, n = 0;
      const size = (p) => {
        try {
          const b = fs.statSync(p).size;
          bytes += b;
          n++;
          if (args.includes("--files")) console.log(`  ${String(b).padStart(7)}  ${path.relative(site, p)}`);
        } catch (e) { /* missing */ }
      };
      size(path.resolve(site, "assets", "search.js"));
      size(path.resolve(site, "assets", "passages.js"));
      const fresh = self.dossierSearchEngine({
        json: (p) => { size(path.join(site, "search", p)); return Promise.resolve(read(path.join(site, "search", p))); },
        script: (p) => { size(path.resolve(site, "assets", p)); return Promise.resolve(require(path.resolve(site, "assets", p))); },
      });
      const ranked = await fresh.rank(q);
      const infos = await Promise.all(ranked.slice(0, 10).map((r) => fresh.docInfo(r.doc)));
      const index = bytes;
      infos.forEach((i) => i && size(path.join(site, decodeURIComponent(i.url), i.url.endsWith("/") || !i.url ? "index.html" : "")));
      const times = [];
      for (let i = 0; i < 20; i++) {
        const t = process.hrtime.bigint();
        await fresh.rank(q);
        times.push(Number(process.hrtime.bigint() - t) / 1e6);
      }
      times.sort((a, b) => a - b);
      console.log(`${JSON.stringify(q).padEnd(20)} results ${String(ranked.length).padStart(6)}  files ${String(n).padStart(3)}  index ${String(index).padStart(7)}  pages ${String(bytes - index).padStart(7)}  median ${times[10].toFixed(2)} ms`);
    }
  })();
  return;
}
const urlOf = {};
for (const d of read(path.join(site, "dossier.json")).documents) urlOf[d.source] = d.url;
(async () => {
  for (const file of files) {
    const set = read(file);
    let r1 = 0, r5 = 0, mrr = 0, n = 0;
    const times = [];
    for (const { q, want } of set.queries) {
      const url = urlOf[want];
      if (!url) throw new Error(`${file}: ${want} is not a document of ${site}`);
      const start = process.hrtime.bigint();
      const ranked = (await engine.rank(q)).slice(0, 10);
      times.push(Number(process.hrtime.bigint() - start) / 1e6);
      const urls = await Promise.all(ranked.map((r) => engine.docInfo(r.doc).then((i) => i && i.url)));
      const at = urls.indexOf(url);
      n++;
      if (at === 0) r1++;
      if (at >= 0 && at < 5) r5++;
      if (at >= 0) mrr += 1 / (at + 1);
      if (misses && at !== 0) console.log(`  miss ${JSON.stringify(q)} → ${want}: rank ${at < 0 ? "none" : at + 1}, first ${urls[0]}`);
    }
    times.sort((a, b) => a - b);
    const pct = (x) => ((100 * x) / n).toFixed(1) + "%";
    console.log(
      `${set.set.padEnd(24)} n=${String(n).padStart(4)}  recall@1 ${pct(r1).padStart(6)}  recall@5 ${pct(r5).padStart(6)}  ` +
        `MRR@10 ${(mrr / n).toFixed(3)}  median ${times[n >> 1].toFixed(2)} ms`,
    );
  }
})();
