// Runs the theme's search.js in node against a built site and prints, for each query of a query
// file, the URLs of its first results: what tests/mcp.rs compares `dossier mcp`'s search with.
// Usage: node search-parity.js SITE SEARCH_JS QUERIES
// A query line may start with filters: `status=accepted kind=adr tag=x :: words`.
"use strict";
const fs = require("fs");
const path = require("path");
const vm = require("vm");
const [site, script, queryFile] = process.argv.slice(2);

function element() {
  return {
    value: "", textContent: "", className: "", id: "", attrs: {}, listeners: {},
    getAttribute(n) { return this.attrs[n] === undefined ? null : this.attrs[n]; },
    setAttribute(n, v) { this.attrs[n] = v; },
    removeAttribute(n) { delete this.attrs[n]; },
    addEventListener(t, f) { this.listeners[t] = f; },
    appendChild() {}, focus() {}, scrollIntoView() {},
    querySelectorAll(sel) { return sel === "select[data-filter]" ? selects : []; },
    querySelector() { return element(); },
    classList: { toggle() {} },
  };
}
const selects = ["kind", "status", "tag"].map(function (name) {
  const s = element();
  s.attrs["data-filter"] = name;
  return s;
});
const box = element();
box.attrs["data-root"] = "../";
const byId = { search: box, "search-input": element(), "search-results": element(), "search-status": element() };
const context = {
  document: {
    getElementById: (id) => byId[id] || null,
    createElement: element, createTextNode: () => ({}), createDocumentFragment: element,
  },
  location: { search: "", href: "" },
  history: { replaceState() {} },
  URLSearchParams, Promise, JSON, Array, Object, Math, Number, String, setTimeout, clearTimeout,
  fetch(url) {
    const file = path.join(site, "search", url.replace(/^\.\.\/search\//, ""));
    if (!fs.existsSync(file)) return Promise.resolve({ ok: false, json: () => Promise.resolve(null) });
    return Promise.resolve({ ok: true, json: () => Promise.resolve(JSON.parse(fs.readFileSync(file, "utf8"))) });
  },
};
context.window = context;
vm.createContext(context);
vm.runInContext(fs.readFileSync(script, "utf8"), context);

function setFilters(spec) {
  const want = {};
  spec.split(/\s+/).filter(Boolean).forEach(function (kv) {
    const [k, v] = kv.split("=");
    want[k] = v;
  });
  selects.forEach(function (s) {
    s.value = want[s.attrs["data-filter"]] || "";
    s.listeners.change();
  });
}

(async function () {
  await context.dossierSearchDone;
  const out = [];
  const lines = fs.readFileSync(queryFile, "utf8").split("\n").filter((l) => l.trim() && !l.startsWith("#"));
  for (const line of lines) {
    const parts = line.split(" :: ");
    const [spec, q] = parts.length > 1 ? parts : ["", parts[0]];
    setFilters(spec);
    const infos = await context.dossierSearch(q);
    out.push([line, infos.filter(Boolean).map((i) => i.url)]);
  }
  process.stdout.write(JSON.stringify(out) + "\n");
})();
