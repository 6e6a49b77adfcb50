// Runs queries through the real search engine of a built site (its assets/search.js, the
// theme's search.js as copied by the build, through `dossierSearchEngine` as
// scripts/search_eval.js does) in node, and prints what tests/mcp.rs compares `dossier mcp`'s
// search with: for each query, the number of results and the first `want` with their URLs and
// scores.
//
//   node search-parity.js BUILT_SITE QUERIES.json
//
// QUERIES.json is [{"q", "kind", "status", "tag", "want"}] (filters "" for none, want 10 by
// default). Prints [{"q", "total", "results": [{"url", "score"}]}].
"use strict";
const fs = require("fs");
const path = require("path");
const [site, queryFile] = process.argv.slice(2);
if (!site || !queryFile) throw new Error("usage: node search-parity.js BUILT_SITE QUERIES.json");
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
(async () => {
  const out = [];
  for (const q of read(queryFile)) {
    const want = q.want || 10;
    const filters = { kind: q.kind || "", status: q.status || "", tag: q.tag || "" };
    const ranked = await engine.rank(q.q, filters, want);
    const shown = ranked.slice(0, want);
    const infos = await Promise.all(shown.map((r) => engine.docInfo(r.doc)));
    out.push({
      q: q.q,
      total: ranked.length,
      results: shown.map((r, i) => ({ url: infos[i] ? infos[i].url : null, score: r.score })),
    });
  }
  process.stdout.write(JSON.stringify(out) + "\n");
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
