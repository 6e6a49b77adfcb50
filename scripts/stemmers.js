// Writes themes/default/static/stem/<code>.js: one Snowball stemmer per language, cut out of the
// npm package `snowball-stemmers` (ISC licence, the JavaScript output of the same Snowball
// algorithms `rust-stemmers` is built from) and minified with terser. Each file defines
// `dossierStem["<code>"](word)`; search.js loads only the files of the site's languages.
//
//   npm install --no-save --prefix /tmp/stem snowball-stemmers@0.6.0 terser@5
//   node scripts/stemmers.js /tmp/stem/node_modules
//
// tests/search_stem_parity.rs proves every file stems like the Rust side.
"use strict";
const fs = require("fs");
const path = require("path");
const modules = process.argv[2];
if (!modules) throw new Error("usage: node scripts/stemmers.js NODE_MODULES");
const terser = require(path.join(modules, "terser"));
const pkg = path.join(modules, "snowball-stemmers");
const src = fs.readFileSync(path.join(pkg, "snowball-stemmers.js"), "utf8").split("\n");
const version = JSON.parse(fs.readFileSync(path.join(pkg, "package.json"), "utf8")).version;
// The languages both rust-stemmers and the package have (rust-stemmers' Greek is missing here).
const LANGS = {
  ar: "arabic", da: "danish", de: "german", en: "english", es: "spanish", fi: "finnish", fr: "french",
  hu: "hungarian", it: "italian", nl: "dutch", no: "norwegian", pt: "portuguese", ro: "romanian",
  ru: "russian", sv: "swedish", ta: "tamil", tr: "turkish",
};
const start = (name) => src.findIndex((l) => l.startsWith("    var " + name + " = function"));
const base = start("arabicStemmer");
// The shared runtime: helpers, Among, SnowballProgram, SnowballStemmer (after the exports lines).
const prelude = src.slice(0, 1).concat(src.slice(src.findIndex((l) => l.includes("exports.algorithms")) + 1, base));
const out = path.join(__dirname, "..", "themes", "default", "static", "stem");
fs.mkdirSync(out, { recursive: true });
const header = `/*! Snowball ${"$"}{name} stemmer from snowball-stemmers ${version} (https://github.com/mazko/jssnowball),
ISC licence: Permission to use, copy, modify, and/or distribute this software for any purpose with or
without fee is hereby granted, provided that the above copyright notice and this permission notice
appear in all copies. THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES.
Snowball algorithms (c) Martin Porter and Richard Boulton, BSD licence (https://snowballstem.org). */\n`;
(async () => {
  for (const [code, name] of Object.entries(LANGS)) {
    const from = start(name + "Stemmer");
    const to = src.findIndex((l, i) => i > from && l === "    }(SnowballStemmer);");
    const body = prelude.concat(src.slice(from, to + 1)).join("\n");
    const js = `(function (g) {\n${body}\nvar s = new ${name}Stemmer();\n` +
      `(g.dossierStem = g.dossierStem || {})[${JSON.stringify(code)}] = function (w) { s.setCurrent(w); s.stem(); return s.getCurrent(); };\n` +
      `})(typeof self !== "undefined" ? self : globalThis);\n`;
    const min = await terser.minify(js, { compress: true, mangle: true, output: { comments: false } });
    if (min.error) throw min.error;
    fs.writeFileSync(path.join(out, code + ".js"), header.replace("${name}", name) + min.code + "\n");
  }
})();
