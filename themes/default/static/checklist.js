/*
 * Diglot default theme: checklists (task-list items on guide pages, and the checklist pages).
 * Pages work without this file: the boxes render from the HTML, unsaved, and print.
 *
 * localStorage: diglot:<book>:checklist  {"version":1,"items":{"<id>":true|false}}
 *   Only ids the user touched are stored; an absent id means the item's default.
 *   Unreadable, corrupt or unknown-version data counts as empty and is left alone until the
 *   user changes a box.
 * Export:       {"format":"diglot-checklist","version":1,"book":…,"exported":…,"items":{…}}
 * Tests:        window.DiglotChecklist = { state, exportMarkdown, exportJson, reset, importJson }
 */
(function () {
  'use strict';

  const doc = document;
  const html = doc.documentElement;
  const attr = (name) => html.getAttribute(name);
  const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
  // Defines a key even when it is "__proto__" (ids come from files and from storage).
  const put = (obj, key, value) =>
    Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });

  const BOOK = attr('data-book') || '';
  const KEY = 'diglot:' + BOOK + ':checklist';
  const FORMAT = 'diglot-checklist';
  const VERSION = 1;
  const MAX_IMPORT = 5 * 1024 * 1024; // bytes; a checklist export is a few KB
  const kind = attr('data-page-kind') || 'bilingual';

  // ---- storage: localStorage may be missing, throw on any access, be full or hold anything.

  // The stored choices as a Map, or null when storage cannot be read at all.
  function readStored() {
    let raw;
    try { raw = window.localStorage.getItem(KEY); } catch (e) { return null; }
    const items = new Map();
    if (typeof raw !== 'string') return items;
    let data = null;
    try { data = JSON.parse(raw); } catch (e) { /* corrupt: start empty */ }
    if (!isObject(data) || data.version !== VERSION || !isObject(data.items)) return items;
    Object.keys(data.items).forEach((id) => {
      if (typeof data.items[id] === 'boolean') items.set(id, data.items[id]);
    });
    return items;
  }

  function writeStored(items) { // returns whether it worked
    const out = {};
    items.forEach((value, id) => put(out, id, value));
    try {
      window.localStorage.setItem(KEY, JSON.stringify({ version: VERSION, items: out }));
      return true;
    } catch (e) {
      return false; // missing, disabled, or QuotaExceededError
    }
  }

  // ---- data: the embedded checklist on checklist pages, the boxes on every page

  const text = (v) => (v == null ? '' : String(v)).replace(/\s+/g, ' ').trim();
  const pair = (v) => (Array.isArray(v) ? [text(v[0]), text(v[1])] : [text(v), '']);
  const list = (v) => (Array.isArray(v) ? v.filter(isObject) : []);

  // {title, key, phases: [{slug, title, sections: [{title, groups: [{lead, items: [{id, text,
  // checked}]}]}]}]} with every string cleaned, or null without a (valid) data block.
  function readData() {
    const el = doc.getElementById('diglot-checklist-data');
    if (!el) return null;
    let data = null;
    try { data = JSON.parse(el.textContent); } catch (e) { return null; }
    if (!isObject(data)) return null;
    const book = isObject(data.book) ? data.book : {};
    return {
      title: pair(book.title),
      key: text(book.key),
      phases: list(data.phases).map((phase) => ({
        slug: text(phase.slug),
        title: pair(phase.title),
        sections: list(phase.sections).map((section) => ({
          title: pair(section.title),
          groups: list(section.groups).map((group) => ({
            lead: pair(group.lead_in),
            items: list(group.items)
              .filter((item) => typeof item.id === 'string' && item.id !== '')
              .map((item) => ({ id: item.id, text: pair(item.text), checked: item.checked === true })),
          })),
        })),
      })),
    };
  }

  const model = readData();
  const defaults = new Map(); // id -> checked by default
  const boxes = new Map();    // id -> [input.check-box]
  const rows = new Map();     // id -> [li]
  let saved = new Map();      // id -> the user's choice
  let storageBroken = false;

  function indexPage() {
    if (model) {
      model.phases.forEach((phase) => phase.sections.forEach((section) =>
        section.groups.forEach((group) =>
          group.items.forEach((item) => defaults.set(item.id, item.checked)))));
    }
    doc.querySelectorAll('input.check-box').forEach((input) => {
      const li = input.closest('li');
      const id = input.getAttribute('data-check-id') || (li && li.getAttribute('data-check-id'));
      if (!id) return;
      input.setAttribute('autocomplete', 'off'); // no form-state restoring over the saved state
      if (!boxes.has(id)) { boxes.set(id, []); rows.set(id, []); }
      boxes.get(id).push(input);
      if (li && rows.get(id).indexOf(li) < 0) rows.get(id).push(li);
      if (!defaults.has(id)) {
        defaults.set(id, input.defaultChecked ||
          (li !== null && li.getAttribute('data-default-checked') === 'true'));
      }
    });
  }

  const value = (id) => (saved.has(id) ? saved.get(id) : defaults.get(id) === true);

  function show(id) {
    const on = value(id);
    (boxes.get(id) || []).forEach((input) => { input.checked = on; });
    (rows.get(id) || []).forEach((li) => li.classList.toggle('is-checked', on));
  }

  function applyAll() { boxes.forEach((inputs, id) => show(id)); }

  // Ids of one phase ("*": all), from the data when it has the phase, else from the boxes on
  // the page (ids read "<phase>.<section>.<hash>").
  function idsOf(phase) {
    const ids = [];
    const add = (id) => { if (ids.indexOf(id) < 0) ids.push(id); };
    const phases = model ? model.phases.filter((p) => phase === '*' || p.slug === phase) : [];
    if (phases.length) {
      phases.forEach((p) => p.sections.forEach((s) => s.groups.forEach((g) =>
        g.items.forEach((item) => add(item.id)))));
    } else {
      boxes.forEach((inputs, id) => {
        if (phase === '*' || id.indexOf(phase + '.') === 0) add(id);
      });
    }
    return ids;
  }

  function updateProgress() {
    doc.querySelectorAll('[data-progress-phase]').forEach((el) => {
      const ids = idsOf(el.getAttribute('data-progress-phase') || '*');
      const total = ids.length;
      const done = ids.filter(value).length;
      const count = done + ' / ' + total;
      const bar = el.querySelector('progress');
      if (bar) {
        bar.max = Math.max(total, 1);
        bar.value = done;
        // The label in the reader's language with the count, e.g. "Progress: 3 / 10".
        if (!bar.hasAttribute('data-label')) bar.dataset.label = bar.getAttribute('aria-label') || '';
        const key = bar.getAttribute('data-ui-key');
        const base = key && window.Diglot && typeof window.Diglot.ui === 'function'
          ? window.Diglot.ui(key) : bar.dataset.label;
        bar.setAttribute('aria-label', base ? base + ': ' + count : count);
      }
      el.querySelectorAll('.progress-count').forEach((e) => { e.textContent = String(done); });
      el.querySelectorAll('.progress-total').forEach((e) => { e.textContent = String(total); });
      el.title = count;
      el.classList.toggle('is-complete', total > 0 && done === total);
    });
  }

  function refresh() {
    applyAll();
    updateProgress();
  }

  // ---- messages in the language(s) on screen

  // Fills el with message `key` in each language the view shows, as spans carrying their
  // language (the theme's i18n files, through diglot.js).
  function say(el, key, vars) {
    el.textContent = '';
    const parts = window.Diglot && typeof window.Diglot.uiParts === 'function'
      ? window.Diglot.uiParts(key, vars) : [{ text: key, lang: '' }];
    parts.forEach((part, i) => {
      if (i) el.appendChild(doc.createTextNode(' · '));
      const span = doc.createElement('span');
      if (part.lang) span.lang = part.lang;
      span.textContent = part.text;
      el.appendChild(span);
    });
  }

  let statusEl = null;
  let statusTimer = 0;
  function status(key, vars) {
    if (!statusEl) return;
    clearTimeout(statusTimer);
    say(statusEl, key, vars);
    statusTimer = setTimeout(() => { statusEl.textContent = ''; }, 6000);
  }

  // One small, lasting note that progress is not being saved; near the list that was used.
  let noticeEl = null;
  function notice(near) {
    if (noticeEl) return;
    const tools = doc.querySelector('.checklist-tools');
    const target = tools ? tools.nextSibling : near || doc.querySelector('.checklist');
    const parent = tools ? tools.parentNode : target && target.parentNode;
    if (!parent) return;
    noticeEl = doc.createElement('p');
    noticeEl.className = 'checklist-notice';
    noticeEl.setAttribute('role', 'status');
    parent.insertBefore(noticeEl, target);
    // Filled a moment later so that screen readers announce the new live region.
    setTimeout(() => say(noticeEl, 'progress_not_saved'), 50);
  }

  function persist(near) {
    const ok = writeStored(saved);
    if (!ok) notice(near);
    return ok;
  }

  // ---- user changes

  function onChange(event) {
    const input = event.target;
    if (!input || !input.classList || !input.classList.contains('check-box')) return;
    const li = input.closest('li');
    const id = input.getAttribute('data-check-id') || (li && li.getAttribute('data-check-id'));
    if (!id) return;
    saved.set(id, input.checked);
    show(id);
    updateProgress();
    persist(input.closest('.checklist'));
  }

  // Another tab changed the list, or the page came back from the back/forward cache.
  function reload() {
    const fresh = readStored();
    if (!fresh) return;
    saved = fresh;
    refresh();
  }

  // ---- export and import

  // "both" | "primary" | "secondary" (a language code names its side).
  function exportLang(lang) {
    if (typeof lang === 'string') {
      const l = lang.trim().toLowerCase();
      if (l === 'both' || l === 'primary' || l === 'secondary') return l;
      if (l === (attr('data-primary') || '').toLowerCase()) return 'primary';
      if (l === (attr('data-secondary') || '').toLowerCase()) return 'secondary';
    }
    const select = doc.querySelector('select[data-export-lang]');
    if (select && /^(both|primary|secondary)$/.test(select.value)) return select.value;
    return kind === 'primary' || kind === 'secondary' ? kind : 'both';
  }

  // Without a data block (guide pages) the boxes on the page make a one-phase checklist.
  function domModel() {
    const sides = (root, selector) => {
      const get = (cls) => {
        const el = root && root.querySelector(selector + '.' + cls);
        return el ? text(el.textContent) : '';
      };
      const both = [get('l1') || get('l0'), get('l2')];
      return both[0] || both[1] || !root ? both : [text(root.textContent), ''];
    };
    const groups = Array.from(doc.querySelectorAll('.checklist')).map((ul) => {
      const items = [];
      ul.querySelectorAll('li').forEach((li) => {
        const id = li.getAttribute('data-check-id');
        if (!id || !boxes.has(id) || items.some((item) => item.id === id)) return;
        const side = (cls) => {
          const label = li.querySelector(':scope > .' + cls + ' label');
          return label ? text(label.textContent) : '';
        };
        items.push({ id, text: [side('l1'), side('l2')], checked: defaults.get(id) === true });
      });
      return { lead: ['', ''], items };
    }).filter((group) => group.items.length);
    return {
      title: sides(doc.querySelector('.book-title'), 'span'),
      key: BOOK,
      phases: [{ slug: '', title: sides(doc.querySelector('.seg-title'), '*'),
        sections: [{ title: ['', ''], groups }] }],
    };
  }

  // Markdown would read a paragraph starting with "# ", "- ", "1. ", "> " as something else.
  const paragraph = (s) => s.replace(/^([#>+*-])/, '\\$1').replace(/^(\d+)([.)])/, '$1\\$2');

  function exportMarkdown(lang) {
    const which = exportLang(lang);
    const pick = (p) => {
      if (which === 'primary') return p[0] || p[1];
      if (which === 'secondary') return p[1] || p[0];
      return p[0] && p[1] && p[0] !== p[1] ? p[0] + ' · ' + p[1] : p[0] || p[1];
    };
    const m = model || domModel();
    const blocks = [];
    const heading = (level, p) => { if (pick(p)) blocks.push('#'.repeat(level) + ' ' + pick(p)); };
    heading(1, m.title);
    m.phases.forEach((phase) => {
      heading(2, phase.title);
      phase.sections.forEach((section) => {
        heading(3, section.title);
        section.groups.forEach((group) => {
          if (pick(group.lead)) blocks.push(paragraph(pick(group.lead)));
          if (group.items.length) {
            blocks.push(group.items.map((item) =>
              '- [' + (value(item.id) ? 'x' : ' ') + '] ' + pick(item.text)).join('\n'));
          }
        });
      });
    });
    return blocks.join('\n\n') + '\n';
  }

  function exportJson() {
    const items = {};
    (model ? idsOf('*') : Array.from(boxes.keys())).forEach((id) => put(items, id, value(id)));
    return {
      format: FORMAT,
      version: VERSION,
      book: BOOK || (model ? model.key : ''),
      exported: new Date().toISOString(),
      items,
    };
  }

  // Merges an export into the state. Returns the number of items taken, or -1 (and changes
  // nothing) when it is not a valid export. Ids of other phases are kept.
  function importData(obj) {
    let data = obj;
    if (typeof data === 'string') {
      try { data = JSON.parse(data); } catch (e) { return -1; }
    }
    if (!isObject(data) || data.format !== FORMAT || data.version !== VERSION ||
        !isObject(data.items)) return -1;
    const ids = Object.keys(data.items);
    if (ids.some((id) => typeof data.items[id] !== 'boolean')) return -1;
    ids.forEach((id) => saved.set(id, data.items[id]));
    persist();
    refresh();
    return ids.length;
  }

  // Back to the defaults for one phase ("*" or nothing: everything on this page).
  function reset(phase) {
    const which = typeof phase === 'string' && phase !== '' ? phase : '*';
    const ids = idsOf(which);
    doc.querySelectorAll(which === '*' ? '.checklist-page' :
      '[data-checklist-phase="' + which.replace(/["\\]/g, '\\$&') + '"]').forEach((article) => {
      article.querySelectorAll('input.check-box').forEach((input) => {
        const li = input.closest('li');
        const id = input.getAttribute('data-check-id') || (li && li.getAttribute('data-check-id'));
        if (id && ids.indexOf(id) < 0) ids.push(id);
      });
    });
    ids.forEach((id) => saved.delete(id));
    persist();
    refresh();
  }

  function state() {
    const out = {};
    defaults.forEach((d, id) => put(out, id, value(id)));
    saved.forEach((v, id) => put(out, id, v));
    return out;
  }

  // ---- tool bar

  function fileName(ext) {
    const article = doc.querySelector('[data-checklist-phase]');
    let name = article ? article.getAttribute('data-checklist-phase') : '';
    if (!name && model && model.phases.length === 1) name = model.phases[0].slug;
    name = (name || 'all').replace(/[^A-Za-z0-9_-]+/g, '-') || 'all';
    return 'checklist-' + name + '.' + ext;
  }

  function copyByCommand(content) {
    const area = doc.createElement('textarea');
    const focused = doc.activeElement;
    area.value = content;
    area.setAttribute('readonly', '');
    area.setAttribute('aria-hidden', 'true');
    area.style.cssText = 'position:fixed;top:0;left:-9999px;width:1px;height:1px;opacity:0';
    doc.body.appendChild(area);
    let ok = false;
    try {
      area.select();
      ok = doc.execCommand('copy');
    } catch (e) {
      ok = false;
    }
    area.remove();
    if (focused && focused.focus) focused.focus({ preventScroll: true });
    return ok;
  }

  function copy(content) {
    const done = (ok) => {
      if (ok) status('copied_to_clipboard');
      else status('copy_use_download');
    };
    const fallback = () => done(copyByCommand(content));
    try {
      if (navigator.clipboard && typeof navigator.clipboard.writeText === 'function') {
        navigator.clipboard.writeText(content).then(() => done(true), fallback);
        return;
      }
    } catch (e) { /* fall through */ }
    fallback();
  }

  function download(content, type, name) {
    try {
      const url = URL.createObjectURL(new Blob([content], { type: type + ';charset=utf-8' }));
      const a = doc.createElement('a');
      a.href = url;
      a.download = name;
      a.hidden = true;
      doc.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60000);
      status('downloaded', { name });
    } catch (e) {
      status('download_failed');
    }
  }

  function readFile(file) {
    if (typeof file.text === 'function') return file.text();
    return new Promise((resolve, reject) => {
      const reader = new FileReader();
      reader.onload = () => resolve(String(reader.result));
      reader.onerror = () => reject(reader.error);
      reader.readAsText(file);
    });
  }

  function importFile(file) {
    const wrong = () => status('import_invalid');
    if (!file) return;
    if (file.size > MAX_IMPORT) { wrong(); return; }
    readFile(file).then((content) => {
      const n = importData(content);
      if (n < 0) wrong();
      else status(n === 1 ? 'imported_one' : 'imported', { n });
    }, () => status('read_failed'));
  }

  function confirmReset() {
    try {
      const parts = window.Diglot && typeof window.Diglot.uiParts === 'function'
        ? window.Diglot.uiParts('reset_confirm') : [{ text: 'reset_confirm' }];
      return window.confirm(parts.map((p) => p.text).join('\n'));
    } catch (e) {
      return false;
    }
  }

  function setupTools(tools) {
    statusEl = doc.createElement('p');
    statusEl.className = 'checklist-status';
    statusEl.setAttribute('role', 'status');
    tools.appendChild(statusEl);

    // Monolingual pages export their own language unless the template chose.
    const select = tools.querySelector('select[data-export-lang]');
    if (select && (kind === 'primary' || kind === 'secondary') &&
        !Array.from(select.options).some((o) => o.defaultSelected) &&
        Array.from(select.options).some((o) => o.value === kind)) {
      select.value = kind;
    }

    const picker = doc.createElement('input');
    picker.type = 'file';
    picker.accept = '.json,application/json';
    picker.hidden = true;
    picker.tabIndex = -1;
    picker.addEventListener('change', guard(() => {
      importFile(picker.files && picker.files[0]);
      picker.value = ''; // the same file again is a new choice
    }));
    tools.appendChild(picker);

    tools.addEventListener('click', guard((event) => {
      const button = event.target.closest && event.target.closest('button[data-action]');
      if (!button || !tools.contains(button)) return;
      switch (button.getAttribute('data-action')) {
        case 'copy-md': copy(exportMarkdown()); break;
        case 'download-md': download(exportMarkdown(), 'text/markdown', fileName('md')); break;
        case 'copy-json': copy(JSON.stringify(exportJson(), null, 2) + '\n'); break;
        case 'download-json':
          download(JSON.stringify(exportJson(), null, 2) + '\n', 'application/json', fileName('json'));
          break;
        case 'import-json': picker.click(); break;
        case 'print': try { window.print(); } catch (e) { /* printing unavailable */ } break;
        case 'reset-phase':
          if (confirmReset()) {
            reset(button.getAttribute('data-phase') || '*');
            status('reset_done');
          }
          break;
        default: return;
      }
    }));
  }

  // ---- start

  // Nothing may escape into the page: a failing handler only logs.
  function guard(fn) {
    return function () {
      try {
        return fn.apply(this, arguments);
      } catch (e) {
        if (window.console) console.error('diglot checklist:', e);
        return undefined;
      }
    };
  }

  const start = guard(() => {
    indexPage();
    const stored = readStored();
    storageBroken = stored === null;
    saved = stored || new Map();
    refresh();

    doc.addEventListener('change', guard(onChange));
    window.addEventListener('storage', guard((event) => {
      if (event.key === KEY || event.key === null) reload();
    }));
    window.addEventListener('pageshow', guard((event) => { if (event.persisted) reload(); }));

    // The "↩" links back to the guide need a name for screen readers.
    doc.querySelectorAll('a.check-source').forEach((a) => {
      if (a.hasAttribute('aria-label')) return;
      const label = doc.createElement('span');
      say(label, 'view_in_guide');
      a.setAttribute('aria-label', label.textContent);
      if (!a.title) a.title = label.textContent;
    });

    const tools = doc.querySelector('.checklist-tools');
    if (tools) setupTools(tools);
    // On checklist pages say at once that nothing will be kept; elsewhere on the first change.
    if (storageBroken && tools) notice();
  });

  window.DiglotChecklist = {
    state: guard(state),
    exportMarkdown: guard(exportMarkdown),
    exportJson: guard(exportJson),
    reset: guard(reset),
    importJson: guard((obj) => importData(obj) >= 0),
  };

  // As the last child of <body> (where the templates put it) the page is parsed: start now so
  // the saved state shows on first paint. Anywhere else, wait.
  const script = doc.currentScript;
  if (doc.readyState !== 'loading' || (script && script.parentNode === doc.body)) start();
  else doc.addEventListener('DOMContentLoaded', start);
})();
