#!/usr/bin/env node
// Search quality of a built Diglot site, measured against its Markdown sources.
//
//   node bench/search_quality.mjs --site public --src content [--src-en DIR] [--seed 7] [--json]
//
// Queries are sampled from the sources with a fixed seed; the ground truth is computed from
// the sources (a small Markdown stripper of its own, never Diglot's index), so a tool bug
// cannot hide itself. Each query runs cold: the site's own static/search.js in a fresh
// context, loading the index files from disk, with the bytes and the sequential depth of
// every file it loads counted. Reported: recall@10 (the share of the relevant pages, up to 10,
// among the top 10 results), hit@10 (a relevant page among them at all), strict precision (a result counts only if
// its page holds the exact Chinese substring, or every English word as a whole word), the
// median and worst bytes before the results, and the most sequential fetches the search makes
// (a manifest the page loads beside search.js counts in the bytes, not as a fetch of the search).
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => {
  if (a.startsWith('--')) acc.push([a.slice(2), all[i + 1] && !all[i + 1].startsWith('--') ? all[i + 1] : true]);
  return acc;
}, []));
if (!args.site || !args.src) {
  console.error('usage: node bench/search_quality.mjs --site BUILT_SITE --src CONTENT_DIR [--src-en MIRRORED_EN_DIR] [--seed N] [--json] [--misses] [--query Q [--top N]]');
  process.exit(2);
}
const SEED = Number(args.seed || 7);

// ---- deterministic random numbers (mulberry32)
let state = SEED >>> 0;
function rand() {
  state = (state + 0x6D2B79F5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pickOne = (a) => a[Math.floor(rand() * a.length)];

// ---- sources → pages of visible text
function walk(dir) {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name < b.name ? -1 : 1)) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p));
    else if (e.name.endsWith('.md') && !/^SUMMARY\.md$/i.test(e.name)) out.push(p);
  }
  return out;
}

// The page key a URL path also reduces to: numeric prefixes and .md dropped, index → folder.
function keyOfSource(rel) {
  // page.en.md (the suffix-pair layout) is the same page as page.md.
  const parts = rel.replace(/\\/g, '/').replace(/\.md$/, '').replace(/\.[a-z]{2}(-[A-Za-z]+)?$/, '').split('/').map((p) => p.replace(/^\d+-/, ''));
  if (['_index', 'index', 'README'].includes(parts[parts.length - 1])) parts.pop();
  return parts.join('/');
}
function keyOfUrl(url) {
  let u = url.split('#')[0].replace(/index\.html$/, '').replace(/^\.\//, '');
  u = decodeURIComponent(u).replace(/^(zh|en)\//, '');
  return u.replace(/\/$/, '');
}

// What a reader sees, by lines (a line break is a break in the text).
function visibleText(md) {
  let title = '';
  md = md.replace(/^\+\+\+\n([\s\S]*?)\n\+\+\+\n/, (_, fm) => {
    const m = fm.match(/^title\s*=\s*"(.*)"\s*$/m);
    if (m) title = m[1].replace(/\s*\|\s*/, '\n');
    return '';
  });
  const lines = md
    .replace(/<!--[\s\S]*?-->/g, '')
    // A code fence and its info string (```console) are not shown: only the code is.
    .replace(/^\s*(```+|~~~+).*$/gm, '')
    .replace(/^\s*\{\{#[^}]*\}\}\s*$/gm, '')
    .replace(/^\s*\[[^\]]+\]:\s.*$/gm, '')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]*)\]\[[^\]]*\]/g, '$1')
    .replace(/<\/?[A-Za-z][^>]*>/g, '')
    .replace(/\*\*|\*|~~|`/g, '')
    .split('\n')
    .map((l) => l.replace(/^\s*(#{1,6}\s|>\s?|[-+]\s|\d+\.\s)+/, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&'));
  return [title, ...lines].join('\n');
}

// mdBook's {{#include path[:anchor|:start[:end]]}} and {{#rustdoc_include …}} as the reader
// sees them: the lines selected (anchor lines dropped), a Rust file's hidden `# ` lines left out.
function expandIncludes(md, file) {
  return md.replace(/\{\{#(include|rustdoc_include)\s+([^}\s]+)\s*\}\}/g, (all, kind, spec) => {
    const colon = spec.indexOf(':');
    const rel = colon < 0 ? spec : spec.slice(0, colon);
    const sel = colon < 0 ? '' : spec.slice(colon + 1);
    let lines;
    try { lines = fs.readFileSync(path.resolve(path.dirname(file), rel), 'utf8').split('\n'); } catch (e) { return ''; }
    const marker = (l) => /ANCHOR(_END)?:\s*[\w-]+/.test(l);
    if (/^[A-Za-z_][\w-]*$/.test(sel)) {
      const a = lines.findIndex((l) => new RegExp('ANCHOR:\\s*' + sel + '\\b').test(l));
      const b = lines.findIndex((l, i) => i > a && new RegExp('ANCHOR_END:\\s*' + sel + '\\b').test(l));
      lines = a < 0 ? [] : lines.slice(a + 1, b < 0 ? undefined : b);
    } else if (sel) {
      const [from, to] = sel.split(':');
      const start = from ? Number(from) - 1 : 0;
      const end = to === undefined ? start + 1 : to === '' ? undefined : Number(to);
      lines = lines.slice(start, end);
    }
    lines = lines.filter((l) => !marker(l));
    if (rel.endsWith('.rs')) lines = lines.filter((l) => !/^\s*#(\s|$)/.test(l));
    return lines.join('\n');
  });
}

const pages = new Map(); // key → visible text (both languages)
for (const file of walk(args.src)) {
  const rel = path.relative(args.src, file);
  let text = visibleText(expandIncludes(fs.readFileSync(file, 'utf8'), file));
  if (args['src-en']) {
    const en = path.join(args['src-en'], rel);
    if (fs.existsSync(en)) text += '\n' + visibleText(expandIncludes(fs.readFileSync(en, 'utf8'), en));
  }
  const key = keyOfSource(rel);
  pages.set(key, pages.has(key) ? pages.get(key) + '\n' + text : text);
}
const pageTexts = Array.from(pages.entries());
const lowerTexts = new Map(pageTexts.map(([k, t]) => [k, t.toLowerCase()]));

const HAN = /[\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF]+/g;
const wordRe = (w) => new RegExp('(?<![\\p{L}\\p{N}_])' + w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + '(?![\\p{L}\\p{N}_])', 'iu');

function relevant(q) {
  const out = new Set();
  const cjk = q.kind.startsWith('zh') || q.kind === 'none-zh';
  for (const [key, text] of pageTexts) {
    let ok;
    if (cjk) ok = text.includes(q.q);
    else ok = q.parts.every((p) => (/[\u4E00-\u9FFF]/.test(p) ? text.includes(p) : wordRe(p).test(lowerTexts.get(key))));
    if (ok) out.add(key);
  }
  return out;
}

// ---- queries
const queries = [];
const hanRuns = [];
for (const [, text] of pageTexts) for (const m of text.matchAll(HAN)) hanRuns.push(m[0]);
for (const n of [2, 3, 4]) {
  const runs = hanRuns.filter((r) => r.length >= n);
  for (let i = 0; i < 50; i++) {
    const r = pickOne(runs);
    const at = Math.floor(rand() * (r.length - n + 1)); // mid-word starts included
    queries.push({ kind: 'zh' + n, q: r.slice(at, at + n) });
  }
}
const wordsOf = (t) => t.match(/[A-Za-z][A-Za-z]{3,}/g) || [];
const enWords = pageTexts.flatMap(([, t]) => wordsOf(t).map((w) => w.toLowerCase()));
for (let i = 0; i < 70; i++) { const w = pickOne(enWords); queries.push({ kind: 'en-word', q: w, parts: [w] }); }
for (let i = 0; i < 30; i++) {
  const [, t] = pickOne(pageTexts);
  const line = pickOne(t.split('\n').filter((l) => wordsOf(l).length >= 2));
  if (!line) continue;
  const ws = wordsOf(line);
  const j = Math.floor(rand() * (ws.length - 1));
  const parts = [ws[j].toLowerCase(), ws[j + 1].toLowerCase()];
  queries.push({ kind: 'en-phrase', q: parts.join(' '), parts });
}
for (let i = 0; i < 30; i++) {
  const [, t] = pickOne(pageTexts);
  const runs = t.match(HAN) || [];
  const words = wordsOf(t);
  if (!runs.length || !words.length) { i--; continue; }
  const r = pickOne(runs.filter((x) => x.length >= 3).concat(runs.filter((x) => x.length >= 2)));
  const n = Math.min(r.length, 2 + Math.floor(rand() * 2));
  const at = Math.floor(rand() * (r.length - n + 1));
  const zh = r.slice(at, at + n);
  const w = pickOne(words).toLowerCase();
  queries.push({ kind: 'mixed', q: zh + ' ' + w, parts: [zh, w] });
}
const allText = pageTexts.map(([, t]) => t).join('\n');
for (let i = 0; queries.filter((q) => q.kind.startsWith('none')).length < 20 && i < 1000; i++) {
  if (i % 2 === 0) {
    const r = pickOne(hanRuns.filter((x) => x.length >= 3));
    const q = Array.from(r.slice(0, 3)).reverse().join('');
    if (!allText.includes(q)) queries.push({ kind: 'none-zh', q });
  } else {
    let w = '';
    for (let k = 0; k < 7; k++) w += String.fromCharCode(97 + Math.floor(rand() * 26));
    if (!allText.toLowerCase().includes(w)) queries.push({ kind: 'none-en', q: w, parts: [w] });
  }
}

// One character (sampled by occurrence, so common ones come often), drawn last so that the
// queries above stay the same from one version of this script to the next.
for (let i = 0; i < 30; i++) {
  const r = pickOne(hanRuns);
  queries.push({ kind: 'zh1', q: Array.from(r)[Math.floor(rand() * Array.from(r).length)] });
}

// ---- a cold search: search.js in a fresh context, files read from disk
const siteDir = path.resolve(args.site);
const searchJs = fs.readFileSync(path.join(siteDir, 'static/search.js'), 'utf8');
// A page that loads the manifest itself, beside search.js: it is there before the search
// starts, fetched in parallel with the script (depth 0: not one of the search's own fetches).
const preloadsManifest = /<script[^>]*\bsrc="[^"]*search\/index\.js"[^>]*data-search-manifest/.test(
  fs.readFileSync(path.join(siteDir, 'index.html'), 'utf8'));

async function coldQuery(q) {
  const loads = [];
  let doneDepth = 0;
  const attrs = { 'data-search-root': 'search/', 'data-view-root': '' };
  const head = {
    appendChild(s) {
      const depth = doneDepth + 1;
      const file = path.join(siteDir, s.src);
      setImmediate(() => {
        let code = null;
        try { code = fs.readFileSync(file, 'utf8'); } catch (e) { /* missing */ }
        loads.push({ file: s.src, bytes: code ? Buffer.byteLength(code) : 0, depth });
        doneDepth = Math.max(doneDepth, depth);
        if (code === null) { s.onerror && s.onerror(); return; }
        try { vm.runInContext(code, ctx); } catch (e) { s.onerror && s.onerror(); return; }
        s.onload && s.onload();
      });
    },
  };
  const document = {
    documentElement: { getAttribute: (n) => (n in attrs ? attrs[n] : null) },
    head,
    currentScript: { src: 'static/search.js' },
    getElementById: () => null,
    querySelector: () => null,
    readyState: 'complete',
    createElement: () => ({ remove() {} }),
    addEventListener() {},
  };
  const ctx = vm.createContext({ document, location: { protocol: 'http:', search: '', href: 'http://x/' }, URL, URLSearchParams, setTimeout, clearTimeout, console });
  ctx.window = ctx;
  if (preloadsManifest) {
    const code = fs.readFileSync(path.join(siteDir, 'search/index.js'), 'utf8');
    loads.push({ file: 'search/index.js', bytes: Buffer.byteLength(code), depth: 0 });
    vm.runInContext(code, ctx);
  }
  vm.runInContext(searchJs, ctx);
  const results = await ctx.DiglotSearch.query(q);
  return {
    urls: Array.from(results, (r) => r.url),
    bytes: loads.reduce((s, l) => s + l.bytes, 0),
    docBytes: loads.filter((l) => l.file.includes('/d/')).reduce((s, l) => s + l.bytes, 0),
    depth: loads.reduce((d, l) => Math.max(d, l.depth), 0),
  };
}

// ---- one query, explained: --query 'Q' [--kind mixed] prints each result and whether its page is relevant
if (args.query) {
  const q = String(args.query);
  const kind = String(args.kind || (/[\u4E00-\u9FFF]/.test(q) ? (/[A-Za-z]/.test(q) ? 'mixed' : 'zh' + q.length) : 'en-word'));
  const parts = q.split(/\s+/).filter(Boolean).map((p) => p.toLowerCase());
  const truth = relevant({ kind, q, parts });
  const r = await coldQuery(q);
  console.log(`${q} (${kind}): ${truth.size} relevant pages, ${r.urls.length} results, ${(r.bytes / 1024).toFixed(1)} KiB, ${r.depth} fetches`);
  r.urls.slice(0, Number(args.top || 20)).forEach((u, i) => console.log(`  ${String(i + 1).padStart(2)} ${truth.has(keyOfUrl(u)) ? '+' : '-'} ${u}`));
  const shown = new Set(r.urls.slice(0, 10).map(keyOfUrl));
  console.log('  relevant, not in the top 10: ' + Array.from(truth).filter((k) => !shown.has(k)).join(', '));
  process.exit(0);
}

// ---- measure
const kinds = ['zh1', 'zh2', 'zh3', 'zh4', 'en-word', 'en-phrase', 'mixed', 'none-zh', 'none-en'];
const stats = Object.fromEntries(kinds.map((k) => [k, { n: 0, recall: 0, hit: 0, shown: 0, right: 0, firstRight: 0, empty: 0 }]));
const bytes = [];
const bytesOf = {};
const docBytes = [];
let maxDepth = 0;
const misses = [];
for (const query of queries) {
  const truth = relevant(query);
  const r = await coldQuery(query.q);
  bytes.push(r.bytes);
  (bytesOf[query.kind] = bytesOf[query.kind] || []).push(r.bytes);
  docBytes.push(r.docBytes);
  maxDepth = Math.max(maxDepth, r.depth);
  const top = r.urls.slice(0, 10).map(keyOfUrl);
  const s = stats[query.kind];
  s.n++;
  if (query.kind.startsWith('none')) {
    if (!r.urls.length) s.empty++;
    else misses.push(query.q + ' → ' + r.urls.length + ' results');
    continue;
  }
  const found = new Set(top.filter((k) => truth.has(k)));
  s.recall += truth.size ? found.size / Math.min(truth.size, 10) : 1;
  if (found.size) s.hit++;
  s.shown += top.length;
  s.right += top.filter((k) => truth.has(k)).length;
  if (top.length && truth.has(top[0])) s.firstRight++;
  if (truth.size && found.size < Math.min(truth.size, 10)) misses.push(query.q + ' recall ' + found.size + '/' + Math.min(truth.size, 10));
}
bytes.sort((a, b) => a - b);
docBytes.sort((a, b) => a - b);
const kib = (list) => {
  const l = list.slice().sort((a, b) => a - b);
  return (l[l.length >> 1] / 1024).toFixed(1) + '/' + (l[l.length - 1] / 1024).toFixed(1);
};
const pct = (x) => (100 * x).toFixed(1) + ' %';
const report = { site: args.site, pages: pageTexts.length, seed: SEED, queries: queries.length, kinds: {} };
for (const k of kinds) {
  const s = stats[k];
  if (!s.n) continue;
  report.kinds[k] = k.startsWith('none')
    ? { n: s.n, empty: pct(s.empty / s.n) }
    : { n: s.n, KiB: kib(bytesOf[k]), 'recall@10': pct(s.recall / s.n), 'hit@10': pct(s.hit / s.n), precision: s.shown ? pct(s.right / s.shown) : '-', 'first right': pct(s.firstRight / s.n) };
}
report.bytes = { median_KiB: +(bytes[bytes.length >> 1] / 1024).toFixed(1), max_KiB: +(bytes[bytes.length - 1] / 1024).toFixed(1), median_documents_KiB: +(docBytes[docBytes.length >> 1] / 1024).toFixed(1) };
report.max_sequential_fetches = maxDepth;
if (args.json) console.log(JSON.stringify(report, null, 1));
else {
  console.log(`${args.site}: ${report.pages} pages, ${report.queries} queries, seed ${SEED}`);
  for (const [k, v] of Object.entries(report.kinds)) console.log('  ' + k.padEnd(10) + Object.entries(v).map(([a, b]) => `${a} ${b}`).join(', '));
  console.log(`  bytes before the results: median ${report.bytes.median_KiB} KiB, max ${report.bytes.max_KiB} KiB (documents: median ${report.bytes.median_documents_KiB} KiB); sequential fetches: ${maxDepth}`);
  if (args.misses) misses.forEach((m) => console.log('    ' + m));
}
