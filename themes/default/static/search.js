/*
 * Diglot search: the browser side of the index that the build writes to search/.
 *
 * The index is a set of script files (they also load from file://, where JSON fetches are
 * blocked), each one statement pushing onto window.DIGLOT_SEARCH:
 *   search/index.js    ["manifest", {version: 4, docs, chunk, shards, pages: [sections per page]}]
 *   search/s/<n>.js    ["shard", n, {term: [docId, weight, ...]}, [capped terms]], and for a
 *                      CJK pair [docId, weight, count, position deltas..., ...]; a capped term
 *                      (one CJK character, a word in very many sections) keeps only its best
 *                      sections
 *   search/d/<n>.js    ["docs", n, [[url, [pageTitle], [sectionTitle] | 0, [text]], ...]]
 * The page loads the manifest with itself (an async script in its head; this script asks for it
 * only when the page did not), then each query loads
 * only the shards of its tokens, and only the document chunks of the results it shows. Every
 * file is requested at most once per page (a failed one may be retried by a later query).
 *
 * Tokens follow the indexer's rules exactly: lowercase; CJK runs give their character pairs
 * and their last character (the index holds every character as a term of its own: the
 * sections with pairs it starts, the best of them for a common one); other
 * letter/digit runs are words, indexed as written and by their stem (caching, cach~): a query
 * word matches itself first (×2), then the other forms of its stem, then (the last word, still
 * being typed) the longer words it starts (×½). Pages holding more of the query's words as
 * typed rank above the others, whatever their scores.
 *
 * Nothing from the index ever goes through innerHTML: every node is built with textContent.
 */
(function () {
  'use strict';

  if (window.DiglotSearch) return; // loaded twice

  const doc = document;
  const html = doc.documentElement;
  const attr = (name) => html.getAttribute(name);

  const PAGE_SIZE = 10;      // results shown at once ("more" adds as many again)
  const PREFIX_TERMS = 64;   // at most this many index terms per query word
  const SNIPPET = 160;       // characters of text around the first match
  const DEBOUNCE = 60;       // ms after the last keystroke
  const MAX_TOKENS = 32;

  // Messages in the reader's language (the theme's i18n files, through diglot.js).
  const say = (key, vars) =>
    (window.Diglot && typeof window.Diglot.ui === 'function' ? window.Diglot.ui(key, vars) : key);
  const MSG = {
    get searching() { return say('searching'); },
    get none() { return say('no_results'); },
    get failed() { return say('search_failed'); },
    get more() { return say('more_results'); },
    get results() { return say('search_results'); },
    count: (n) => say(n === 1 ? 'result_count_one' : 'result_count', { n }),
  };

  // ---- tokens (must stay identical to src/search.rs)

  function isCjk(cp) {
    return (cp >= 0x3040 && cp <= 0x30FF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
      (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xAC00 && cp <= 0xD7AF) ||
      (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x2FA1F);
  }

  // A letter or digit. Built at run time: an engine without \p{…} must not lose the whole
  // script to a syntax error (it gets a rough stand-in instead).
  const isWordChar = (function () {
    try {
      // The indexer's char::is_alphanumeric: Alphabetic or Numeric.
      const re = new RegExp('^[\\p{Alphabetic}\\p{N}]$', 'u');
      return (ch) => re.test(ch);
    } catch (e) {
      return (ch) => /^[0-9]$/.test(ch) || ch.toLowerCase() !== ch.toUpperCase();
    }
  })();

  // Lowercased text cut into {word: "..."} and {cjk: [chars]} runs, by code point.
  function runs(text) {
    const out = [];
    let word = '';
    let cjk = [];
    const endWord = () => { if (word) { out.push({ word: word }); word = ''; } };
    const endCjk = () => { if (cjk.length) { out.push({ cjk: cjk }); cjk = []; } };
    for (const ch of String(text).toLowerCase()) {
      if (isCjk(ch.codePointAt(0))) {
        endWord();
        cjk.push(ch);
      } else if (isWordChar(ch)) {
        endCjk();
        word += ch;
      } else {
        endWord();
        endCjk();
      }
    }
    endWord();
    endCjk();
    return out;
  }

  // Light English stemmer for lowercased words: cache, caches, cached, caching → cach.
  function stem(word) {
    let w = String(word);
    if (w.length < 4 || !/^[a-z]+$/.test(w)) return w;
    // 1. plurals
    if (w.length > 4 && w.endsWith('ies')) w = w.slice(0, -3) + 'y';
    else if (w.length > 4 && w.endsWith('es') && /(?:s|x|z|ch|sh)$/.test(w.slice(0, -2))) w = w.slice(0, -2);
    else if (w.endsWith('s') && !/(?:ss|us|is)$/.test(w)) w = w.slice(0, -1);
    // 2. -ing, -ed, then a doubled consonant other than l, s, z (runn → run)
    let cut = 0;
    if (w.endsWith('ing') && w.length - 3 >= 3) cut = 3;
    else if (w.endsWith('ed') && w.length - 2 >= 3) cut = 2;
    if (cut) {
      w = w.slice(0, -cut);
      if (/([bcdfghjkmnpqrtvwxy])\1$/.test(w)) w = w.slice(0, -1);
    }
    // 3. a final e, when more than three letters are left (uses → use, cache → cach).
    if (w.length > 3 && w.endsWith('e')) w = w.slice(0, -1);
    return w;
  }

  // A piece of code kept whole (as_str, std::mem::swap, #[no_std], vec<t>), or null.
  function identifier(chunk) {
    const cs = Array.from(chunk);
    let a = 0;
    let b = cs.length;
    while (a < b && !(isWordChar(cs[a]) || cs[a] === '#')) a++;
    while (b > a && !(isWordChar(cs[b - 1]) || cs[b - 1] === '>' || cs[b - 1] === ']')) b--;
    const t = cs.slice(a, b).join('');
    const joined = t.includes('_') || t.includes('::') || t.includes('<') || t.includes('#[');
    return joined && cs.slice(a, b).some(isWordChar) && b - a <= 64 ? t : null;
  }

  // Chunks of lowercased text between white space and CJK characters.
  const chunks = (text) => String(text).toLowerCase().split(/[\s\u3040-\u30FF\u3400-\u4DBF\u4E00-\u9FFF\uAC00-\uD7AF\uF900-\uFAFF]|[\uD840-\uD87E][\uDC00-\uDFFF]/u);

  const STEM_MARK = '~'; // a stem in the index (cach~), apart from a word written so

  // Index terms of a text, in order, as the indexer produces them (used by the self-checks).
  function terms(text) {
    const out = [];
    chunks(text).forEach((c) => { const id = identifier(c); if (id) out.push(id); });
    runs(text).forEach((r) => {
      if (r.word) {
        out.push(r.word);
        const s = stem(r.word);
        if (s !== r.word) out.push(s + STEM_MARK);
        return;
      }
      r.cjk.forEach((c, i) => {
        out.push(i + 1 < r.cjk.length ? c + r.cjk[i + 1] : c);
      });
    });
    return out;
  }

  // A query's groups (ANDed over a page) and the strings to highlight in results.
  // A group is a CJK run (its pairs must be adjacent and in order: a phrase), one CJK
  // character (the terms it starts), or a word (exact; also a prefix when it is the last word
  // and still being typed, i.e. the query does not end with a space).
  function parseQuery(q) {
    const groups = [];
    const seen = new Set();
    const needles = new Set();
    const add = (g) => {
      const key = g.terms.join(' ') + (g.prefix ? '*' : '');
      if (seen.has(key) || groups.length >= MAX_TOKENS) return;
      seen.add(key);
      groups.push(g);
    };
    const typing = !/\s$/.test(String(q));
    // A piece of code is one group: the whole token, or (found nowhere whole) its words.
    const parts = String(q).trim().split(/\s+/);
    const plain = [];
    parts.forEach((part, n) => {
      const id = identifier(chunks(part).find(identifier) || '');
      if (!id) { plain.push(part); return; }
      const words = runs(part).filter((r) => r.word).map((r) => r.word);
      add({ terms: [id], prefix: typing && n === parts.length - 1, parts: words });
      needles.add(id);
      words.forEach((w) => needles.add(w));
    });
    const all = runs(plain.join(' ') + (typing ? '' : ' '));
    all.forEach((r, n) => {
      if (r.word) {
        const s = stem(r.word);
        // The word as typed first, then every form of its stem (cache → cached, caching).
        // (All in the word's shard: a stem keeps the word's first two letters.)
        const prefix = typing && n === all.length - 1 && r.word.length >= 2 && plain.length === parts.length;
        const forms = [[r.word, 2, false]];
        if (s.length >= 2) forms.push([s + STEM_MARK, 1, false]);
        if (s !== r.word) forms.push([s, 1, false]);
        if (prefix) forms.push([r.word, 1, true]);
        add({ terms: [r.word], prefix: prefix, forms: forms });
        needles.add(r.word);
        needles.add(s);
      } else {
        const run = r.cjk;
        needles.add(run.join(''));
        // One character: the index's term for it (the sections with pairs it starts).
        if (run.length === 1) { add({ terms: [run[0]], prefix: false }); return; }
        const pairs = [];
        for (let i = 0; i + 1 < run.length && pairs.length < MAX_TOKENS; i++) pairs.push(run[i] + run[i + 1]);
        add({ terms: pairs, prefix: false, phrase: pairs.length > 1 });
      }
    });
    return { groups: groups, needles: Array.from(needles) };
  }

  const isPair = (t) => { const c = Array.from(t); return c.length === 2 && isCjk(c[0].codePointAt(0)) && isCjk(c[1].codePointAt(0)); };

  // The shard of a term: FNV-1a 32 over the UTF-8 bytes of its first two code points.
  function shardOf(term, shards) {
    let h = 0x811c9dc5;
    const byte = (b) => { h = Math.imul(h ^ b, 0x01000193) >>> 0; };
    const chars = Array.from(String(term));
    chars.slice(0, 2).forEach((ch) => {
      const c = ch.codePointAt(0);
      if (c < 0x80) {
        byte(c);
      } else if (c < 0x800) {
        byte(0xC0 | (c >> 6)); byte(0x80 | (c & 63));
      } else if (c < 0x10000) {
        byte(0xE0 | (c >> 12)); byte(0x80 | ((c >> 6) & 63)); byte(0x80 | (c & 63));
      } else {
        byte(0xF0 | (c >> 18)); byte(0x80 | ((c >> 12) & 63));
        byte(0x80 | ((c >> 6) & 63)); byte(0x80 | (c & 63));
      }
    });
    return h % shards;
  }

  // ---- index files

  const searchRoot = (function () {
    const root = attr('data-search-root');
    if (root !== null) return root;
    // Without the attribute: search/ next to static/, where this script lives.
    try { return new URL('../search/', doc.currentScript.src).href; } catch (e) { return 'search/'; }
  })();

  const store = { manifest: null, shards: new Map(), chunks: new Map() };
  const isIndex = (n) => typeof n === 'number' && n >= 0 && Math.floor(n) === n;

  function receive(entry) {
    try {
      if (!Array.isArray(entry)) return;
      if (entry[0] === 'manifest') {
        const m = entry[1] || {};
        if (m.version === 4 && isIndex(m.docs) && isIndex(m.chunk) && m.chunk > 0 && isIndex(m.shards) && m.shards > 0 &&
          Array.isArray(m.pages) && m.pages.every(isIndex)) {
          // The page of every document: a page's sections are consecutive documents.
          const pageOf = new Int32Array(m.docs);
          let id = 0;
          m.pages.forEach((n, page) => { for (let k = 0; k < n && id < m.docs; k++) pageOf[id++] = page; });
          store.manifest = { version: m.version, docs: m.docs, chunk: m.chunk, shards: m.shards, pageOf: pageOf };
        }
      } else if (entry[0] === 'shard' && isIndex(entry[1]) && entry[2] && typeof entry[2] === 'object') {
        // A Map: terms such as "constructor" must not meet Object.prototype.
        // entry[3]: the terms kept for their best sections only (see groupDocs).
        const capped = new Set(Array.isArray(entry[3]) ? entry[3].filter((t) => typeof t === 'string') : []);
        store.shards.set(entry[1], { terms: new Map(Object.entries(entry[2])), sorted: null, capped: capped });
      } else if (entry[0] === 'docs' && isIndex(entry[1]) && Array.isArray(entry[2])) {
        store.chunks.set(entry[1], entry[2]);
      }
    } catch (e) { /* a malformed entry is ignored */ }
  }

  // Take what is queued already, then every later push as it happens.
  const queue = Array.isArray(window.DIGLOT_SEARCH) ? window.DIGLOT_SEARCH : [];
  queue.splice(0).forEach(receive);
  queue.push = function () {
    for (let i = 0; i < arguments.length; i++) receive(arguments[i]);
    return 0;
  };
  window.DIGLOT_SEARCH = queue;

  const loading = new Map(); // path → Promise, while loading or once loaded

  // Loads search/<path> as a script; resolves once has() sees its data.
  function load(path, has) {
    if (has()) return Promise.resolve();
    let p = loading.get(path);
    if (p) return p;
    p = new Promise((resolve, reject) => {
      const s = doc.createElement('script');
      s.async = true;
      s.onload = () => {
        s.remove();
        if (has()) resolve();
        else reject(new Error('search: no data in ' + path));
      };
      s.onerror = () => {
        s.remove();
        reject(new Error('search: cannot load ' + path));
      };
      s.src = searchRoot + path;
      (doc.head || html).appendChild(s);
    });
    loading.set(path, p);
    p.catch(() => loading.delete(path)); // a later query may try again
    return p;
  }

  // The page loads the manifest itself, in parallel with this script (a <script async
  // data-search-manifest> in its head), so that a cold search starts at the shards. While
  // that script is on its way, wait for it rather than ask again; async scripts all finish
  // before the window's load event, so a failed one costs no more than that wait.
  function preloadedManifest() {
    const s = doc.querySelector('script[data-search-manifest]');
    if (store.manifest !== null || !s || doc.readyState === 'complete') return Promise.resolve();
    return new Promise((resolve) => {
      s.addEventListener('load', resolve);
      s.addEventListener('error', resolve);
      window.addEventListener('load', resolve);
    });
  }

  const loadManifest = () => preloadedManifest()
    .then(() => load('index.js', () => store.manifest !== null))
    .then(() => store.manifest);
  const loadShard = (n) => load('s/' + n + '.js', () => store.shards.has(n));
  const loadChunk = (n) => load('d/' + n + '.js', () => store.chunks.has(n));

  // ---- matching and ranking

  const postingsCache = new Map(); // "=term" / "*term" → Map(docId → {w, pos})

  // One term's postings: [doc, weight, …], with `count, deltas…` after each doc for a CJK pair.
  function addPostings(term, list, into) {
    if (!Array.isArray(list)) return;
    const pair = isPair(term);
    for (let i = 0; i + 1 < list.length;) {
      const id = list[i];
      const w = list[i + 1];
      i += 2;
      let pos = null;
      if (pair) {
        const n = list[i++] | 0;
        pos = new Set();
        let at = 0;
        for (let k = 0; k < n && i < list.length; k++) { at += list[i++]; pos.add(at); }
      }
      const had = into.get(id);
      if (had === undefined || w > had.w) into.set(id, { w: w, pos: pos });
    }
  }

  function postings(term, prefix, m) {
    const key = (prefix ? '*' : '=') + term;
    const cached = postingsCache.get(key);
    if (cached) return cached;
    const shard = store.shards.get(shardOf(term, m.shards));
    const out = new Map();
    out.capped = false;
    if (shard) {
      if (!prefix) {
        addPostings(term, shard.terms.get(term), out);
        out.capped = shard.capped.has(term);
      } else {
        if (!shard.sorted) shard.sorted = Array.from(shard.terms.keys()).sort();
        const keys = shard.sorted;
        let lo = 0;
        let hi = keys.length;
        while (lo < hi) { // first key >= term
          const mid = (lo + hi) >> 1;
          if (keys[mid] < term) lo = mid + 1; else hi = mid;
        }
        let found = [];
        for (let i = lo; i < keys.length && keys[i].startsWith(term); i++) found.push(keys[i]);
        if (found.length > PREFIX_TERMS) {
          // The term itself sorts first; then the shortest, nearest to what was typed.
          found = found.sort((a, b) => a.length - b.length || (a < b ? -1 : 1)).slice(0, PREFIX_TERMS);
        }
        // A longer word only half counts: the word itself ranks first.
        found.forEach((t) => {
          out.capped = out.capped || shard.capped.has(t);
          const part = new Map();
          addPostings(t, shard.terms.get(t), part);
          const f = t === term ? 1 : 0.5;
          part.forEach((v, id) => {
            const had = out.get(id);
            if (had === undefined || v.w * f > had.w) out.set(id, { w: v.w * f, pos: null });
          });
        });
      }
    }
    if (postingsCache.size > 200) postingsCache.clear();
    postingsCache.set(key, out);
    return out;
  }

  // The documents a group matches, with their scores: Map(docId → score), carrying `exact`
  // (the documents that hold the query's own form: the word as typed, the whole token) and
  // `capped` (a term so common that the index keeps only its best sections: the list says
  // nothing about the other documents, so it cannot rule them out).
  function groupDocs(g, m) {
    if (g.forms) {
      // Any form matches; a document keeps its best form's score.
      const out = new Map();
      out.capped = false;
      g.forms.forEach(([t, f, prefix], i) => {
        const one = groupDocs({ terms: [t], prefix: prefix }, m);
        if (i === 0) out.exact = new Set(one.keys());
        out.capped = out.capped || one.capped;
        one.forEach((v, id) => { if (!(out.get(id) >= v * f)) out.set(id, v * f); });
      });
      return out;
    }
    if (g.parts) {
      const whole = groupDocs({ terms: g.terms, prefix: g.prefix }, m);
      if (whole.size || !g.parts.length) {
        whole.forEach((v, id) => whole.set(id, v * 2)); // the whole token ranks first
        return whole;
      }
      const parts = groupDocs({ terms: g.parts, prefix: false }, m);
      parts.exact = new Set();
      return parts;
    }
    const lists = g.terms.map((t) => postings(t, g.prefix, m));
    const idf = lists.map((l) => Math.log(1 + m.docs / Math.max(1, l.size)));
    const out = new Map();
    out.capped = lists.some((l) => l.capped);
    let smallest = 0;
    lists.forEach((l, i) => { if (l.size < lists[smallest].size) smallest = i; });
    lists[smallest].forEach((_, id) => {
      let score = 0;
      const at = [];
      for (let i = 0; i < lists.length; i++) {
        const p = lists[i].get(id);
        if (p === undefined) return;
        score += p.w * idf[i];
        at.push(p.pos);
      }
      // A phrase: some position of the first pair starts the whole run of pairs.
      if (g.phrase) {
        let ok = false;
        for (const x of at[0] || []) {
          if (at.every((pos, i) => pos && pos.has(x + i))) { ok = true; break; }
        }
        if (!ok) return;
      }
      out.set(id, score);
    });
    out.exact = new Set(out.keys());
    return out;
  }

  // All matching pages, best first: [{id, score}], id being the section a result opens at:
  // the one holding most of the query's groups (then the best scored). Every group must
  // match somewhere on the page, not necessarily in one section, except a capped one (a word
  // on nearly every page: it adds to the score but rules nothing out, unless every group is
  // capped, when a page needs one of them). Pages holding more of the query's own forms
  // (the word as typed rather than another form of its stem or a longer word) come first.
  async function rank(q) {
    const m = await loadManifest();
    const parsed = parseQuery(q);
    const groups = parsed.groups;
    if (!groups.length) return { hits: [], needles: parsed.needles };
    const shards = new Set();
    groups.forEach((g) => g.terms.concat(g.parts || [], (g.forms || []).map((f) => f[0]))
      .forEach((t) => shards.add(shardOf(t, m.shards))));
    await Promise.all(Array.from(shards, loadShard));
    const matched = groups.map((g) => groupDocs(g, m));
    const required = matched.filter((d) => !d.capped).length;
    const counts = (d) => !d.capped || required === 0;
    const pages = new Map(); // page → {best: [score per group], seen, exact, docs: Map(id → {n, score})}
    matched.forEach((docs, gi) => {
      docs.forEach((score, id) => {
        const page = m.pageOf[id];
        let p = pages.get(page);
        if (!p) {
          p = { best: new Array(groups.length).fill(0), seen: 0, exact: 0, found: new Array(groups.length).fill(0), docs: new Map() };
          pages.set(page, p);
        }
        if (p.found[gi] === 0) {
          p.found[gi] = docs.exact.has(id) ? 2 : 1;
          if (counts(docs)) p.seen++;
        } else if (docs.exact.has(id)) {
          p.found[gi] = 2;
        }
        p.best[gi] = Math.max(p.best[gi], score);
        const d = p.docs.get(id) || { n: 0, score: 0 };
        d.n++;
        d.score += score;
        p.docs.set(id, d);
      });
    });
    const hits = [];
    pages.forEach((p) => {
      if (required ? p.seen < required : p.seen === 0) return;
      let best = -1;
      let top = null;
      p.docs.forEach((d, id) => {
        if (!top || d.n > top.n || (d.n === top.n && d.score > top.score)) { top = d; best = id; }
      });
      let score = p.best.reduce((a, b) => a + b, 0);
      if (top.n === groups.length) score *= 1.5; // all in one section
      const exact = p.found.filter((f, gi) => f === 2 && counts(matched[gi])).length;
      hits.push({ id: best, score: score, exact: exact });
    });
    hits.sort((a, b) => b.exact - a.exact || b.score - a.score || a.id - b.id);
    return { hits: hits, needles: parsed.needles };
  }

  const viewRoot = attr('data-view-root') || '';
  const fromDisk = window.location.protocol === 'file:';

  // The link to a result, relative to this page and in this page's form (language).
  function hrefFor(url) {
    let u = typeof url === 'string' ? url : '';
    // Index URLs are relative; anything else (javascript:, //host, /path) is not followed.
    if (/^[a-z][a-z0-9+.-]*:/i.test(u) || /^[\\/]/.test(u)) u = '';
    if (fromDisk) {
      // A folder URL opens a directory listing from disk: name its index.html.
      const hash = u.indexOf('#');
      const path = hash < 0 ? u : u.slice(0, hash);
      if (path === '' || path.endsWith('/')) u = path + 'index.html' + (hash < 0 ? '' : u.slice(hash));
    }
    return viewRoot + u || './';
  }

  const pair = (v) => {
    if (Array.isArray(v)) return [v[0] == null ? '' : String(v[0]), v[1] == null ? '' : String(v[1])];
    return typeof v === 'string' ? [v, v] : ['', ''];
  };

  // Loads the chunks of these hits; returns their documents (null for a missing one).
  async function documents(hits) {
    const m = await loadManifest();
    const chunks = new Set(hits.map((h) => Math.floor(h.id / m.chunk)));
    await Promise.all(Array.from(chunks, loadChunk));
    return hits.map((h) => {
      const chunk = store.chunks.get(Math.floor(h.id / m.chunk));
      const d = chunk && chunk[h.id % m.chunk];
      if (!Array.isArray(d)) return null;
      return {
        url: hrefFor(d[0]),
        title: pair(d[1]),
        section: d[2] ? pair(d[2]) : null,
        text: pair(d[3]),
        score: h.score,
      };
    });
  }

  // ---- highlighting and snippets

  // Lowercase without changing any index (a few characters grow when lowercased: keep those).
  function fold(text) {
    let out = '';
    for (const ch of text) {
      const l = ch.toLowerCase();
      out += l.length === ch.length ? l : ch;
    }
    return out;
  }

  // Merged [start, end) ranges of the needles in text, case-insensitive.
  function matchRanges(text, needles) {
    const folded = fold(text);
    const found = [];
    needles.forEach((n) => {
      if (!n) return;
      // One Latin letter or digit would light up everything: only as a whole word.
      const whole = n.length === 1 && !isCjk(n.codePointAt(0));
      let at = folded.indexOf(n);
      while (at >= 0) {
        const end = at + n.length;
        if (!whole || (!isWordChar(folded.charAt(at - 1) || ' ') && !isWordChar(folded.charAt(end) || ' '))) {
          found.push([at, end]);
        }
        at = folded.indexOf(n, at + 1);
      }
    });
    found.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
    const merged = [];
    found.forEach((r) => {
      const last = merged[merged.length - 1];
      if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
      else merged.push([r[0], r[1]]);
    });
    return merged;
  }

  const isHigh = (c) => c >= 0xD800 && c <= 0xDBFF;
  const isLow = (c) => c >= 0xDC00 && c <= 0xDFFF;

  // ~SNIPPET characters of text around its first match: {text, ranges} with ellipses added.
  function snippet(text, needles) {
    const ranges = matchRanges(text, needles);
    if (text.length <= SNIPPET) return { text: text, ranges: ranges };
    const first = ranges.length ? ranges[0] : [0, 0];
    // A quarter of the window before the first match, the rest after it.
    let start = Math.max(0, Math.min(first[0] - SNIPPET / 4, text.length - SNIPPET));
    let end = start + SNIPPET;
    // Cut at spaces near the ends when there are some (Latin text), never inside the match.
    if (start > 0) {
      const space = text.slice(start, Math.min(first[0], start + 20)).search(/\s/);
      if (space >= 0) start += space + 1;
      if (isLow(text.charCodeAt(start))) start++;
    }
    if (end < text.length) {
      const from = Math.max(start, end - 20, first[1]);
      const space = text.slice(from, end).search(/\s\S*$/);
      if (space >= 0) end = from + space;
      if (isHigh(text.charCodeAt(end - 1))) end--;
    }
    const body = text.slice(start, end);
    const lead = start > 0 ? '…' : '';
    const tail = end < text.length && !body.endsWith('…') ? '…' : '';
    const shift = start - lead.length;
    const clipped = [];
    ranges.forEach((r) => {
      const s = Math.max(r[0] - shift, lead.length);
      const e = Math.min(r[1] - shift, lead.length + body.length);
      if (e > s) clipped.push([s, e]);
    });
    return { text: lead + body + tail, ranges: clipped };
  }

  // Appends text to parent with each range wrapped in <mark> (DOM nodes only, no markup).
  function appendMarked(parent, text, ranges) {
    let at = 0;
    ranges.forEach((r) => {
      if (r[0] > at) parent.appendChild(doc.createTextNode(text.slice(at, r[0])));
      const mark = doc.createElement('mark');
      mark.textContent = text.slice(r[0], r[1]);
      parent.appendChild(mark);
      at = r[1];
    });
    if (at < text.length) parent.appendChild(doc.createTextNode(text.slice(at)));
  }

  // ---- public query

  // Top results of q, with their documents loaded: [{url, title, section, score}].
  async function query(q, limit) {
    const n = limit > 0 ? Math.floor(limit) : PAGE_SIZE;
    const ranked = await rank(String(q == null ? '' : q));
    const docs = await documents(ranked.hits.slice(0, n));
    return docs.filter(Boolean).map((d) => ({
      url: d.url, title: d.title, section: d.section, score: d.score,
    }));
  }

  // ---- the box and the panel

  const input = doc.getElementById('search-input');
  const panel = doc.getElementById('search-panel');
  const form = input ? input.form || input.closest('form') : null;
  const ui = Boolean(input && panel);

  const tags = [attr('data-primary-tag') || attr('data-primary') || '',
    attr('data-secondary-tag') || attr('data-secondary') || ''];

  // The languages the reader sees: [0], [1] or [0, 1] (primary first).
  function sides() {
    const kind = attr('data-page-kind');
    if (kind === 'primary') return [0];
    if (kind === 'secondary') return [1];
    const mode = attr('data-mode');
    return mode === 'primary' ? [0] : mode === 'secondary' ? [1] : [0, 1];
  }

  function el(tag, className, text) {
    const e = doc.createElement(tag);
    if (className) e.className = className;
    if (text) e.textContent = text;
    return e;
  }

  let status = null;
  let list = null;
  let more = null;
  let state = null;   // {q, hits, needles, docs: [shown documents]}
  let active = -1;    // index of the highlighted result, -1 for none
  let seq = 0;        // the latest search; older ones drop their results
  let timer = 0;
  let returnTo = null;

  function buildPanel() {
    while (panel.firstChild) panel.removeChild(panel.firstChild);
    status = el('p', 'search-status');
    status.setAttribute('role', 'status');
    list = el('ul', 'search-results');
    list.id = 'search-results';
    list.setAttribute('role', 'listbox');
    list.setAttribute('aria-label', MSG.results);
    more = el('button', 'search-more', MSG.more);
    more.type = 'button';
    more.hidden = true;
    panel.append(status, list, more);
    input.setAttribute('role', 'combobox');
    input.setAttribute('aria-autocomplete', 'list');
    input.setAttribute('aria-haspopup', 'listbox');
    if (!input.hasAttribute('aria-controls')) input.setAttribute('aria-controls', panel.id);
  }

  const isOpen = () => ui && !panel.hidden;

  function setOpen(open) {
    panel.hidden = !open;
    input.setAttribute('aria-expanded', String(open));
    if (form) form.classList.toggle('is-open', open);
    if (!open) setActive(-1);
  }

  // The text for one language of a pair, or the other language's when it is empty.
  function pick(p, side) {
    if (p[side]) return { text: p[side], side: side };
    if (p[1 - side]) return { text: p[1 - side], side: 1 - side };
    return null;
  }

  function line(className, side, second) {
    const e = el('span', className + (second ? ' search-alt' : ''));
    if (tags[side]) e.lang = tags[side];
    return e;
  }

  // A result's link, telling the page what to mark: `?hl=` holds the query's strings.
  function withMarks(url, needles) {
    const wanted = needles.filter((n) => n && n.length <= 40).slice(0, 6);
    if (!wanted.length) return url;
    const hash = url.indexOf('#');
    const path = hash < 0 ? url : url.slice(0, hash);
    const sep = path.indexOf('?') < 0 ? '?' : '&';
    return path + sep + 'hl=' + encodeURIComponent(wanted.join('\n')) + (hash < 0 ? '' : url.slice(hash));
  }

  // Opened from a result: marks the query's strings in the page and brings the first one
  // at or after the section the link names into view, then drops `hl` from the address.
  function markFromAddress() {
    let params;
    try { params = new URL(window.location.href).searchParams; } catch (e) { return; }
    const raw = params.get('hl');
    const article = doc.querySelector('article.page') || doc.querySelector('main');
    if (!raw || !article) return;
    const needles = raw.split('\n').map(fold).filter((n) => n && n.length <= 40).slice(0, 6);
    const walker = doc.createTreeWalker(article, NodeFilter.SHOW_TEXT, {
      acceptNode: (n) => (n.parentElement && n.parentElement.closest('script, style, mark, .search-panel'))
        ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT,
    });
    const nodes = [];
    while (walker.nextNode()) nodes.push(walker.currentNode);
    const marks = [];
    for (const node of nodes) {
      if (marks.length >= 50) break;
      const text = node.nodeValue;
      const found = matchRanges(text, needles);
      if (!found.length) continue;
      const frag = doc.createDocumentFragment();
      let at = 0;
      found.forEach((r) => {
        if (r[0] > at) frag.appendChild(doc.createTextNode(text.slice(at, r[0])));
        const mark = doc.createElement('mark');
        mark.className = 'search-mark';
        mark.textContent = text.slice(r[0], r[1]);
        frag.appendChild(mark);
        marks.push(mark);
        at = r[1];
      });
      if (at < text.length) frag.appendChild(doc.createTextNode(text.slice(at)));
      node.parentNode.replaceChild(frag, node);
    }
    const target = window.location.hash ? doc.getElementById(decodeURIComponent(window.location.hash.slice(1))) : null;
    const visible = (m) => m.getClientRects().length > 0;
    const after = (m) => !target || (target.compareDocumentPosition(m) & Node.DOCUMENT_POSITION_FOLLOWING);
    const first = marks.find((m) => visible(m) && after(m)) || marks.find(visible);
    if (first) first.scrollIntoView({ block: 'center' });
    try {
      const url = new URL(window.location.href);
      url.searchParams.delete('hl');
      window.history.replaceState(window.history.state, '', url.href);
    } catch (e) { /* the address stays as it is */ }
  }

  function resultNode(d, index, needles) {
    const a = el('a', 'search-hit');
    a.id = 'search-result-' + index;
    a.href = withMarks(d.url, needles);
    a.tabIndex = -1;
    a.setAttribute('role', 'option');
    a.setAttribute('aria-selected', 'false');
    const shown = sides();
    const titles = [];
    const texts = [];
    shown.forEach((side, i) => {
      const page = pick(d.title, side);
      const section = d.section ? pick(d.section, side) : null;
      const key = (page ? page.text : '') + '\u0000' + (section ? section.text : '');
      if (titles.every((t) => t.key !== key) && (page || section)) {
        const e = line('search-hit-title', page ? page.side : section.side, i > 0);
        if (page) appendMarked(e, page.text, matchRanges(page.text, needles));
        if (page && section) e.appendChild(el('span', 'search-hit-sep', '›'));
        if (section) {
          const s = el('span', 'search-hit-section');
          appendMarked(s, section.text, matchRanges(section.text, needles));
          e.appendChild(s);
        }
        titles.push({ key: key, node: e });
      }
      // Only one language shown: fall back to the other's text; both shown: skip an empty one.
      const text = shown.length === 1 ? pick(d.text, side) : d.text[side] ? { text: d.text[side], side: side } : null;
      if (text && texts.every((t) => t.key !== text.text)) {
        const e = line('search-hit-text', text.side, texts.length > 0);
        const cut = snippet(text.text, needles);
        appendMarked(e, cut.text, cut.ranges);
        texts.push({ key: text.text, node: e });
      }
    });
    titles.forEach((t) => a.appendChild(t.node));
    texts.forEach((t) => a.appendChild(t.node));
    if (!titles.length) a.appendChild(el('span', 'search-hit-title', d.url));
    const li = el('li');
    li.setAttribute('role', 'none');
    li.appendChild(a);
    return li;
  }

  function render() {
    const keep = active;
    list.textContent = '';
    const docs = state.docs;
    status.textContent = state.hits.length ? MSG.count(state.hits.length) : MSG.none;
    docs.forEach((d, i) => { if (d) list.appendChild(resultNode(d, i, state.needles)); });
    more.hidden = docs.length >= state.hits.length;
    setOpen(true);
    setActive(Math.min(keep, docs.length - 1), true);
  }

  function options() {
    return list ? Array.from(list.querySelectorAll('[role="option"]')) : [];
  }

  function setActive(index, quiet) {
    const all = options();
    active = index >= 0 && index < all.length ? index : -1;
    all.forEach((a, i) => a.setAttribute('aria-selected', String(i === active)));
    if (active < 0) {
      input.removeAttribute('aria-activedescendant');
      return;
    }
    input.setAttribute('aria-activedescendant', all[active].id);
    if (!quiet) all[active].scrollIntoView({ block: 'nearest' });
  }

  function move(delta) {
    const n = options().length;
    if (!n) return;
    // Positions cycle through "none" (the box itself) and every result.
    setActive(((active + 1 + delta) % (n + 1) + n + 1) % (n + 1) - 1);
  }

  function setUrl(q) {
    try {
      const url = new URL(window.location.href);
      if (q) url.searchParams.set('search', q);
      else if (url.searchParams.has('search')) url.searchParams.delete('search');
      else return;
      if (url.href !== window.location.href) window.history.replaceState(window.history.state, '', url.href);
    } catch (e) { /* a sandboxed or file:// document may refuse: the search works anyway */ }
  }

  // Searches q and shows its results; resolves when they are on screen (or replaced).
  async function run(q, then) {
    const mine = ++seq;
    clearTimeout(timer);
    q = q.trim();
    if (!q) {
      state = null;
      setOpen(false);
      return;
    }
    if (!state) {
      list.textContent = '';
      more.hidden = true;
      status.textContent = MSG.searching;
      setOpen(true);
    }
    try {
      const ranked = await rank(q);
      const docs = await documents(ranked.hits.slice(0, PAGE_SIZE));
      if (mine !== seq) return;
      state = { q: q, hits: ranked.hits, needles: ranked.needles, docs: docs };
      active = -1;
      render();
      if (then) then();
    } catch (e) {
      if (mine !== seq) return;
      state = null;
      list.textContent = '';
      more.hidden = true;
      status.textContent = MSG.failed;
      setOpen(true);
    }
  }

  function schedule() {
    clearTimeout(timer);
    const q = input.value;
    setUrl(q.trim());
    timer = setTimeout(() => run(q), DEBOUNCE);
  }

  async function showMore() {
    if (!state || state.docs.length >= state.hits.length) return;
    const mine = seq;
    const from = state.docs.length;
    try {
      const docs = await documents(state.hits.slice(from, from + PAGE_SIZE));
      if (mine !== seq || !state) return;
      state.docs = state.docs.concat(docs);
      render();
      input.focus({ preventScroll: true });
      setActive(from);
    } catch (e) {
      status.textContent = MSG.failed;
    }
  }

  function close() {
    seq++;
    clearTimeout(timer);
    if (!ui) return;
    setOpen(false);
    setUrl('');
  }

  // Esc: close, and give focus back to where it was before the search took it.
  function closeAndReturn() {
    close();
    const back = returnTo;
    returnTo = null;
    if (back && back.isConnected && back !== doc.body && typeof back.focus === 'function') {
      back.focus({ preventScroll: true });
    } else if (doc.activeElement && typeof doc.activeElement.blur === 'function') {
      doc.activeElement.blur();
    }
  }

  function follow(index) {
    const a = options()[index];
    if (a) a.click();
  }

  const inside = (node) => node && ((form && form.contains(node)) || input === node || panel.contains(node));

  function onKey(event) {
    if (event.isComposing || event.keyCode === 229) return; // IME: keys pick candidates
    const key = event.key;
    if (key === 'Escape') {
      event.preventDefault(); // and keep <input type=search> from clearing itself
      closeAndReturn();
    } else if (event.target !== input) {
      return;
    } else if (key === 'ArrowDown' || key === 'ArrowUp') {
      event.preventDefault();
      if (isOpen() && state) {
        // Past the last result: bring in the next ones (the keyboard's way to "more").
        const last = active === options().length - 1;
        if (key === 'ArrowDown' && last && state.docs.length < state.hits.length) showMore();
        else move(key === 'ArrowDown' ? 1 : -1);
      }
      else if (input.value.trim()) run(input.value, () => setActive(key === 'ArrowDown' ? 0 : options().length - 1));
    } else if (key === 'Enter') {
      event.preventDefault();
      if (isOpen() && active >= 0 && state && state.q === input.value.trim()) follow(active);
      else run(input.value, () => setActive(0)); // first Enter: search now, select the first
    }
  }

  // Ctrl+K (⌘K on a Mac) anywhere, or "/" or "s" outside a field, focuses the box.
  function onShortcut(event) {
    if (event.defaultPrevented || event.isComposing || event.altKey) return;
    if ((event.ctrlKey || event.metaKey) && !event.shiftKey && (event.key || '').toLowerCase() === 'k') {
      event.preventDefault(); // not the browser's own search bar
      input.focus();
      input.select();
      return;
    }
    if (event.ctrlKey || event.metaKey) return;
    const t = event.target;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    if (event.key !== '/' && !(event.key === 's' && !event.shiftKey)) return;
    event.preventDefault(); // nor type the key, nor start the browser's quick find
    input.focus();
    input.select();
  }

  // The shortcut, shown at the end of the box while it is not in use.
  function showShortcut() {
    if (!form || form.querySelector('.search-kbd')) return;
    const mac = /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent || '');
    const hint = doc.createElement('kbd');
    hint.className = 'search-kbd';
    hint.setAttribute('aria-hidden', 'true');
    const label = () => {
      const text = window.Diglot && window.Diglot.ui ? window.Diglot.ui('search_shortcut') : 'Ctrl K';
      hint.textContent = mac ? text.replace(/Ctrl\s*/i, '⌘') : text;
    };
    label();
    input.setAttribute('aria-keyshortcuts', mac ? 'Meta+K' : 'Control+K');
    form.appendChild(hint);
  }

  function setup() {
    buildPanel();
    showShortcut();
    setOpen(false);

    input.addEventListener('focus', (event) => {
      // Remember where the focus came from (kept when it only moves within the search).
      const from = event.relatedTarget;
      if (!inside(from)) returnTo = from || null;
      loadManifest().catch(() => {}); // warm up; errors show when a query needs it
      if (!isOpen() && input.value.trim()) {
        setUrl(input.value.trim());
        run(input.value);
      }
    });
    input.addEventListener('input', (event) => {
      if (event.isComposing) return; // wait for compositionend
      schedule();
    });
    input.addEventListener('compositionend', schedule);
    input.addEventListener('keydown', onKey);
    panel.addEventListener('keydown', onKey);
    if (form) {
      form.addEventListener('submit', (event) => {
        event.preventDefault();
        if (isOpen() && active >= 0) follow(active);
        else run(input.value, () => setActive(0));
      });
    }
    more.addEventListener('click', showMore);
    // Clicks in the list keep the focus in the box (combobox), and hovering picks a result.
    list.addEventListener('mousedown', (event) => event.preventDefault());
    list.addEventListener('mousemove', (event) => {
      const a = event.target.closest && event.target.closest('[role="option"]');
      const i = options().indexOf(a);
      if (i >= 0 && i !== active) setActive(i, true);
    });
    list.addEventListener('click', (event) => {
      const a = event.target.closest && event.target.closest('a[href]');
      if (!a) return;
      // A section of this very page: only the #fragment changes, so close the panel.
      // Another page: leave ?search= in this URL so that Back returns to the results.
      try {
        const to = new URL(a.href);
        const here = new URL(window.location.href);
        if (to.origin === here.origin && to.pathname === here.pathname) close();
      } catch (e) { close(); }
    });
    // Leaving the search (a click or Tab elsewhere) closes it.
    doc.addEventListener('pointerdown', (event) => {
      if (isOpen() && !inside(event.target)) close();
    });
    const onFocusOut = (event) => {
      if (isOpen() && event.relatedTarget && !inside(event.relatedTarget)) close();
    };
    input.addEventListener('focusout', onFocusOut);
    panel.addEventListener('focusout', onFocusOut);
    doc.addEventListener('keydown', onShortcut);
    // The reader switched views: show the results in the new language(s).
    if (window.MutationObserver) {
      new MutationObserver(() => { if (state && isOpen()) render(); })
        .observe(html, { attributes: true, attributeFilter: ['data-mode'] });
    }

    let initial = null;
    try { initial = new URLSearchParams(window.location.search).get('search'); } catch (e) { /* none */ }
    if (initial && initial.trim()) {
      input.value = initial;
      run(initial);
    }
  }

  function open(q) {
    if (!ui) return query(q).then(() => undefined);
    if (typeof q === 'string') input.value = q;
    const text = input.value.trim();
    setUrl(text);
    return run(text).then(() => undefined);
  }

  if (ui) setup();
  if (doc.readyState === 'loading') doc.addEventListener('DOMContentLoaded', markFromAddress);
  else markFromAddress();

  window.DiglotSearch = {
    query: query,
    open: open,
    close: close,
    // For tests and the self-check: the indexer's rules.
    stem: stem,
    terms: terms,
    shardOf: shardOf,
    identifier: identifier,
  };
})();
