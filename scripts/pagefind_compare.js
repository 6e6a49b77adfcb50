// Runs dossier's query sets through Pagefind on the same built site, side by side with
// scripts/search_eval.js (dossier's own client), in headless Chromium (Pagefind's client needs a
// browser: WebAssembly and fetch). Not a test: the first run fetches Pagefind from npm.
//
//   node scripts/pagefind_compare.js BUILT_SITE QUERIES.json [QUERIES.json…] [--probe QUERY…]
//
// It indexes BUILT_SITE with `npx pagefind --site BUILT_SITE --root-selector main` (the main
// content, as dossier indexes each document's text; output in BUILT_SITE/pagefind), serves the
// site on 127.0.0.1, and prints per set recall@1, recall@5 and MRR@10 (a result's URL against
// the URL dossier.json gives the wanted source path), then for each --probe query (default:
// the first query of each set) the bytes a first query loads on a fresh page: Pagefind's script,
// WebAssembly and index chunks ("index"), then the ten results' fragments ("fragments", what its
// snippets come from, as dossier's come from the result pages), counted by the server as it
// sends them (uncompressed, like search_eval.js's file sizes). A query that gives no answer in
// 20 s counts as a miss and is listed. CHROMIUM overrides /usr/bin/chromium; PAGEFIND_DEBUG=1
// shows Chromium's log.
"use strict";
const fs = require("fs");
const path = require("path");
const http = require("http");
const os = require("os");
const { execFileSync, spawn } = require("child_process");

const args = process.argv.slice(2);
const probeAt = args.indexOf("--probe");
const probes = probeAt >= 0 ? args.slice(probeAt + 1) : [];
const [site, ...files] = (probeAt >= 0 ? args.slice(0, probeAt) : args).filter((a) => !a.startsWith("--"));
if (!site || !files.length) throw new Error("usage: node scripts/pagefind_compare.js BUILT_SITE QUERIES.json… [--probe QUERY…]");

execFileSync("npx", ["--yes", "pagefind@1", "--site", site, "--root-selector", "main"], { stdio: ["ignore", "ignore", "inherit"] });

// A result's URL, from its fragment file (gzip, "pagefind_dcd" then JSON), as data() reads it.
const zlib = require("zlib");
const fragmentUrl = (id) => {
  try {
    const text = zlib.gunzipSync(fs.readFileSync(path.join(site, "pagefind", "fragment", id + ".pf_fragment"))).toString("utf8");
    return JSON.parse(text.replace(/^pagefind_dcd/, "")).url.replace(/^\//, "").replace(/index\.html$/, "");
  } catch (e) {
    return null;
  }
};
// The language of a wanted document: its page's <html lang> (Pagefind indexes it by that).
const langOf = (source) => {
  try {
    const html = fs.readFileSync(path.join(site, urlOf[source], "index.html"), "utf8");
    return (/<html[^>]*\blang="([^"]+)"/.exec(html) || [])[1] || "";
  } catch (e) {
    return "";
  }
};
const urlOf = {};
for (const d of JSON.parse(fs.readFileSync(path.join(site, "dossier.json"), "utf8")).documents) urlOf[d.source] = d.url;
const sets = files.map((f) => JSON.parse(fs.readFileSync(f, "utf8")));
const firsts = probes.length ? probes : sets.map((s) => s.queries[0].q);

// The page that runs in Chromium: every set's queries (or one probe), results posted back.
const PAGE = `<!doctype html><meta charset="utf-8"><script>
const fail = (e) => fetch("/__done", { method: "POST", body: JSON.stringify({ error: String(e && (e.stack || e.message || e.reason) || e) }) });
addEventListener("error", (e) => fail(e.error || e.message));
addEventListener("unhandledrejection", (e) => fail(e.reason));
</script><script type="module">
const p = new URLSearchParams(location.search);
// Pagefind keeps an index per page language and loads the one of the page it runs on.
if (p.get("lang")) document.documentElement.lang = p.get("lang");
const pf = await import("/pagefind/pagefind.js");
// Pagefind's web worker never answered a search in this headless Chromium (init returned, the
// first search waited for ever); on the main thread it runs the same index and ranking.
await pf.options({ noWorker: true });
await pf.init();
await fetch("/__progress?init");
// A query that does not answer in 20 s counts as no result (and is reported).
const slow = [];
const top = async (q) => {
  const timeout = new Promise((resolve) => setTimeout(() => resolve(null), 20000));
  const got = await Promise.race([timeout, (async () => {
    // The results' ids: the script reads each one's URL from its fragment file, so recall runs
    // load no fragment (fetching ten per query made a run of the sets take hours).
    const r = await pf.search(q);
    return r.results.slice(0, 10).map((x) => x.id);
  })()]);
  if (!got) slow.push(q);
  return got || [];
};
let out;
if (p.has("probe")) {
  const r = await pf.search(p.get("probe"));
  // The server counts the bytes it sends (Pagefind fetches some files in a worker, which
  // this page's resource timing does not see): the mark splits index from fragments.
  await fetch("/__mark");
  await Promise.all(r.results.slice(0, 10).map((x) => x.data()));
  out = { results: r.results.length };
} else {
  const sets = await (await fetch("/__queries.json?lang=" + (p.get("lang") || ""))).json();
  out = [];
  for (const s of sets) {
    const got = [];
    for (const q of s) {
      got.push(await top(q));
      if (got.length % (Number(p.get("every")) || 50) === 0) await fetch("/__progress?" + got.length);
    }
    out.push(got);
  }
  out = { sets: out, slow };
}
await fetch("/__done", { method: "POST", body: JSON.stringify(out) });
</script>`;

// Pagefind instantiates its WebAssembly (`.pagefind`) with instantiateStreaming, which needs
// the application/wasm type: served as anything else, its worker never answered a search.
const TYPES = { ".html": "text/html", ".js": "text/javascript", ".json": "application/json", ".wasm": "application/wasm", ".pagefind": "application/wasm", ".css": "text/css" };
let waiting = null;
// Bytes and files sent since the run began, and at the page's mark.
let served = { bytes: 0, files: 0 }, marked = null;
const server = http.createServer((req, res) => {
  const url = decodeURIComponent(req.url.split("?")[0]);
  if (process.env.PAGEFIND_DEBUG) console.error("pagefind_compare: GET " + req.url);
  if (url === "/__mark") {
    marked = { ...served };
    return res.end("ok");
  }
  if (url === "/__compare.html") return res.end(PAGE);
  if (url === "/__progress") {
    console.error(`pagefind_compare: ${new Date().toISOString().slice(11, 19)} ${req.url.split("?")[1]} (${served.files} files sent)`);
    return res.end("ok");
  }
  if (url === "/__queries.json") {
    const lang = new URLSearchParams(req.url.split("?")[1] || "").get("lang");
    return res.end(JSON.stringify(sets.map((s) => s.queries.filter((x) => langOf(x.want) === lang).map((x) => x.q))));
  }
  if (url === "/__done") {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      res.end("ok");
      const out = JSON.parse(body);
      if (out && out.error) {
        console.error("pagefind_compare: the page failed: " + out.error);
        process.exit(1);
      }
      waiting(out);
    });
    return;
  }
  let file = path.join(site, url);
  if (!file.startsWith(path.resolve(site))) return res.writeHead(403).end();
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, "index.html");
  fs.readFile(file, (err, data) => {
    if (err) return res.writeHead(404).end();
    res.writeHead(200, { "content-type": TYPES[path.extname(file)] || "application/octet-stream", "cache-control": "no-store" });
    served.bytes += data.length;
    served.files++;
    res.end(data);
  });
});

function run(port, query) {
  served = { bytes: 0, files: 0 };
  marked = null;
  return new Promise((resolve) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pagefind-compare-"));
    const url = `http://127.0.0.1:${port}/__compare.html${query}`;
    const chrome = spawn(process.env.CHROMIUM || "/usr/bin/chromium", [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
      `--user-data-dir=${dir}`, "--remote-debugging-port=0",
      ...(process.env.PAGEFIND_DEBUG ? ["--enable-logging=stderr", "--v=0"] : []), url,
    ], { stdio: process.env.PAGEFIND_DEBUG ? ["ignore", "inherit", "inherit"] : "ignore" });
    waiting = (out) => {
      chrome.on("exit", () => {
        fs.rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
        resolve(out);
      });
      chrome.kill();
    };
  });
}

server.listen(0, "127.0.0.1", async () => {
  const port = server.address().port;
  // One run per language of the wanted documents, each on a page of that language.
  const every = process.env.PAGEFIND_EVERY ? "&every=" + process.env.PAGEFIND_EVERY : "";
  const langs = [...new Set(sets.flatMap((s) => s.queries.map((x) => langOf(x.want))))];
  const got = sets.map((s) => s.queries.map(() => []));
  const res = { slow: [] };
  for (const lang of langs) {
    const r = await run(port, "?lang=" + encodeURIComponent(lang) + every);
    res.slow.push(...r.slow);
    sets.forEach((s, i) => {
      let k = 0;
      s.queries.forEach((x, j) => { if (langOf(x.want) === lang) got[i][j] = r.sets[i][k++]; });
    });
  }
  if (res.slow.length) console.log(`pagefind: ${res.slow.length} queries gave no answer in 20 s: ${JSON.stringify(res.slow.slice(0, 5))}`);
  sets.forEach((s, i) => {
    let r1 = 0, r5 = 0, mrr = 0;
    s.queries.forEach(({ want }, j) => {
      const at = got[i][j].map(fragmentUrl).indexOf(urlOf[want]);
      if (at === 0) r1++;
      if (at >= 0 && at < 5) r5++;
      if (at >= 0) mrr += 1 / (at + 1);
    });
    const n = s.queries.length, pct = (x) => ((100 * x) / n).toFixed(1) + "%";
    console.log(`pagefind ${s.set.padEnd(24)} n=${String(n).padStart(4)}  recall@1 ${pct(r1).padStart(6)}  recall@5 ${pct(r5).padStart(6)}  MRR@10 ${(mrr / n).toFixed(3)}`);
  });
  for (const q of firsts) {
    const b = await run(port, "?probe=" + encodeURIComponent(q));
    const all = { ...served }, index = marked || all;
    console.log(`pagefind ${JSON.stringify(q).padEnd(28)} results ${String(b.results).padStart(5)}  files ${String(all.files).padStart(3)}  index ${String(index.bytes).padStart(7)}  fragments ${String(all.bytes - index.bytes).padStart(7)}`);
  }
  server.close();
});
