/*
 * Diglot default theme: reader views, colour scheme, full sidebar contents.
 * Pages work without this file: the server renders data-mode on <html>.
 *
 * localStorage: diglot:<book>:view  primary code | secondary code | side-by-side | interleaved
 *               diglot:scheme       "dark" | "light" (absent = follow the system)
 */
(function () {
  'use strict';

  const doc = document;
  const html = doc.documentElement;
  const attr = (name) => html.getAttribute(name);

  // localStorage may be missing or throw on any access (disabled storage, sandboxed frames,
  // file://, quota). Nothing here may escape.
  function load(key) {
    try { return window.localStorage.getItem(key); } catch (e) { return null; }
  }
  function save(key, value) { // null removes; returns whether it worked
    try {
      if (value === null) window.localStorage.removeItem(key);
      else window.localStorage.setItem(key, value);
      return true;
    } catch (e) {
      return false;
    }
  }

  // ---- views

  const primary = attr('data-primary') || 'zh';
  const secondary = attr('data-secondary') || 'en';
  const kind = attr('data-page-kind') || 'bilingual';
  const bilingual = kind !== 'primary' && kind !== 'secondary';
  const VIEW_KEY = 'diglot:' + (attr('data-book') || '') + ':view';
  const VIEWS = [primary, secondary, 'side-by-side', 'interleaved']; // order of "v" and 1..4

  // Canonical name for a view, or null. "primary"/"secondary" are accepted as aliases.
  function viewName(name) {
    if (typeof name !== 'string') return null;
    const n = name.trim().toLowerCase();
    if (n === 'primary') return primary;
    if (n === 'secondary') return secondary;
    return VIEWS.find((v) => v.toLowerCase() === n) || null;
  }

  function modeOf(view) {
    return view === primary ? 'primary' : view === secondary ? 'secondary' : view;
  }

  function getView() {
    return viewName(attr('data-view')) ||
      (kind === 'primary' ? primary : kind === 'secondary' ? secondary : null) ||
      viewName(attr('data-default-view')) || 'side-by-side';
  }

  function switcherLinks() {
    return Array.from(doc.querySelectorAll('.view-switcher a[data-view]'));
  }

  // ---- interface strings (ui.js, from the theme's i18n/<language>.toml)

  const UI = window.DIGLOT_UI && typeof window.DIGLOT_UI === 'object' ? window.DIGLOT_UI : {};

  // The sides whose language the interface speaks now: a language's own page or view
  // speaks its language, the two-language views both.
  function uiSides() {
    const mode = bilingual ? attr('data-mode') : kind;
    return mode === 'primary' || mode === 'secondary' ? [mode] : ['primary', 'secondary'];
  }

  // String `key` in each language the interface speaks now, with its language tag;
  // `{name}` filled from `vars`. A key no translation has reads as itself.
  function uiParts(key, vars) {
    const parts = [];
    uiSides().forEach((side) => {
      const table = UI[side] && typeof UI[side] === 'object' ? UI[side] : {};
      const raw = typeof table[key] === 'string' ? table[key] : key;
      const text = raw.replace(/\{(\w+)\}/g, (m, name) =>
        vars && Object.prototype.hasOwnProperty.call(vars, name) ? String(vars[name]) : m);
      if (!parts.some((p) => p.text === text)) {
        parts.push({ text, lang: attr(side === 'primary' ? 'data-primary-tag' : 'data-secondary-tag') || '' });
      }
    });
    return parts;
  }

  function ui(key, vars) {
    return uiParts(key, vars).map((p) => p.text).join(' · ');
  }

  // Attributes the stylesheet cannot switch by view: named by data-ui-<attribute>="key".
  function relabel() {
    ['placeholder', 'aria-label', 'title'].forEach((name) => {
      doc.querySelectorAll('[data-ui-' + name + ']').forEach((el) => {
        el.setAttribute(name, ui(el.getAttribute('data-ui-' + name)));
      });
    });
  }

  // The document speaks the language of the view: <html lang> and the tab's title follow it.
  function retitle(view) {
    const mode = modeOf(view);
    const tag = attr(mode === 'secondary' ? 'data-secondary-tag' : 'data-primary-tag');
    if (tag) html.setAttribute('lang', tag);
    const text = attr(mode === 'primary' || mode === 'secondary'
      ? 'data-title-' + mode : 'data-title-bilingual');
    if (text) doc.title = text;
  }

  function applyView(view) {
    html.setAttribute('data-view', view);
    html.setAttribute('data-mode', modeOf(view));
    switcherLinks().forEach((a) => {
      if (viewName(a.getAttribute('data-view')) === view) a.setAttribute('aria-current', 'true');
      else a.removeAttribute('aria-current');
    });
    retitle(view);
    relabel();
    printInView(view);
    applyScheme(attr('data-scheme') || 'auto');
  }

  // Narrow screens show side by side one language above the other; a note says why (the
  // stylesheet shows it only then).
  function narrowHint() {
    const main = doc.getElementById('content');
    if (!main || main.querySelector('.narrow-hint')) return;
    const note = doc.createElement('p');
    note.className = 'narrow-hint';
    note.setAttribute('role', 'note');
    note.textContent = ui('narrow_side_by_side');
    const crumbs = main.querySelector('.breadcrumbs');
    main.insertBefore(note, crumbs ? crumbs.nextSibling : main.firstChild);
  }

  // The print page prints the view the reader is in.
  function printInView(view) {
    doc.querySelectorAll('a.toc-print').forEach((a) => {
      try {
        const url = new URL(a.getAttribute('href'), window.location.href);
        url.searchParams.set('view', view);
        a.setAttribute('href', url.href);
      } catch (e) { /* leave the link as it is */ }
    });
  }

  // A chosen view shows in the URL, so that the address a reader copies opens in it.
  function updateUrl(view) {
    try {
      const url = new URL(window.location.href);
      url.searchParams.set('view', view);
      if (url.href !== window.location.href) {
        window.history.replaceState(window.history.state, '', url.href);
      }
    } catch (e) { /* file:// or sandboxed documents may refuse; the view is applied anyway */ }
  }

  // Switching changes the height of every pair. Remember the first pair visible below the
  // sticky top bar and how far into it we are, and put it back in the same place afterwards.
  function scrollAnchor() {
    if (window.pageYOffset <= 0) return null;
    const bar = doc.querySelector('.topbar');
    const sticky = bar && /^(sticky|fixed)$/.test(getComputedStyle(bar).position);
    const top = sticky ? Math.max(0, bar.getBoundingClientRect().bottom) : 0;
    for (const el of doc.querySelectorAll('.content .seg')) {
      const r = el.getBoundingClientRect();
      if (r.height > 0 && r.bottom > top) {
        return { el, top, offset: r.top, fraction: Math.max(0, top - r.top) / r.height };
      }
    }
    return null;
  }
  function restoreAnchor(a) {
    const r = a && a.el.getBoundingClientRect();
    if (!r || r.height === 0) return; // gone in the new view: leave the scroll alone
    const wanted = a.fraction > 0 ? a.top - a.fraction * r.height : a.offset;
    window.scrollBy(0, r.top - wanted);
  }

  // A user's choice: switcher click, shortcut key or Diglot.setView(). Returns success.
  function chooseView(name) {
    const view = viewName(name);
    if (!view) return false;
    if (!bilingual) {
      // Monolingual pages show one language; the other views are other pages.
      if (view === getView()) return true;
      const link = switcherLinks().find((a) => viewName(a.getAttribute('data-view')) === view);
      if (!link) return false;
      save(VIEW_KEY, view);
      window.location.href = link.href;
      return true;
    }
    const anchor = view !== getView() ? scrollAnchor() : null;
    applyView(view);
    restoreAnchor(anchor);
    save(VIEW_KEY, view);
    updateUrl(view);
    return true;
  }

  // Priority: ?view=, then the stored choice, then the book's default.
  function initView() {
    if (!bilingual) return;
    let view = null;
    try {
      view = viewName(new URLSearchParams(window.location.search).get('view'));
    } catch (e) { /* no URLSearchParams */ }
    if (view) save(VIEW_KEY, view);
    else view = viewName(load(VIEW_KEY)) || viewName(attr('data-default-view')) || 'side-by-side';
    const changed = attr('data-mode') !== modeOf(view);
    html.setAttribute('data-view', view);
    html.setAttribute('data-mode', modeOf(view));
    // Without the inline head script the browser may have jumped to #id in the old layout.
    if (changed && window.location.hash) {
      let target = null;
      try {
        target = doc.getElementById(decodeURIComponent(window.location.hash.slice(1)));
      } catch (e) { /* malformed escape */ }
      if (target) target.scrollIntoView();
    }
  }

  function onSwitcherClick(event) {
    const link = event.target.closest && event.target.closest('a[data-view]');
    // Modified clicks (new tab/window) stay plain links.
    if (!link || event.defaultPrevented || event.button !== 0 ||
        event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const view = viewName(link.getAttribute('data-view'));
    if (!view) return;
    if (bilingual) {
      event.preventDefault();
      chooseView(view);
    } else {
      save(VIEW_KEY, view); // and let the browser follow the link
    }
  }

  function onShortcut(event) {
    if (event.defaultPrevented || event.repeat || event.isComposing) return;
    if (event.ctrlKey || event.altKey || event.metaKey) return;
    const t = event.target;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    const key = event.key || '';
    let view = null;
    if (key.toLowerCase() === 'v' && !event.shiftKey) {
      view = VIEWS[(VIEWS.indexOf(getView()) + 1) % VIEWS.length];
    } else if (/^[1-4]$/.test(key)) { // Shift allowed: AZERTY needs it for digits
      view = VIEWS[Number(key) - 1];
    }
    if (view && chooseView(view)) event.preventDefault();
  }

  // ---- scheme

  const SCHEME_KEY = 'diglot:scheme';
  const SCHEMES = ['auto', 'dark', 'light']; // cycling order

  function applyScheme(scheme) {
    if (scheme === 'auto') html.removeAttribute('data-scheme');
    else html.setAttribute('data-scheme', scheme);
    doc.querySelectorAll('.scheme-toggle').forEach((button) => {
      // The label in the reader's language with the state, e.g. "Colour scheme: dark".
      const base = ui('colour_scheme');
      button.setAttribute('aria-label', base + ': ' + scheme);
      button.title = base + ': ' + scheme;
    });
  }

  function nextScheme() {
    const now = attr('data-scheme');
    const next = SCHEMES[(Math.max(0, SCHEMES.indexOf(now)) + 1) % SCHEMES.length];
    applyScheme(next);
    save(SCHEME_KEY, next === 'auto' ? null : next);
  }

  function initScheme() {
    const stored = load(SCHEME_KEY);
    applyScheme(stored === 'dark' || stored === 'light' ? stored : 'auto');
  }

  // ---- sidebar

  // "./a/b/index.html" and "a/b/" name the same page.
  const samePage = (url) =>
    String(url).replace(/^(\.\/)+/, '').replace(/(^|\/)index\.html?$/, '$1');

  // Replaces the fallback .toc with the whole book from window.DIGLOT_TOC (DOM APIs only).
  // Returns the link to the current page, or null when nothing was built.
  function buildToc(sidebar) {
    const data = window.DIGLOT_TOC;
    const root = attr('data-view-root');
    if (!data || typeof data !== 'object' || root === null) return null;
    const here = attr('data-page-url') === null ? null : samePage(attr('data-page-url'));
    const tags = [attr('data-primary-tag') || primary, attr('data-secondary-tag') || secondary];
    let current = null;

    function el(tag, className, lang, text) {
      const e = doc.createElement(tag);
      if (className) e.className = className;
      if (lang) e.lang = lang;
      if (text) e.textContent = text;
      return e;
    }

    function link(entry) {
      // Relative URLs only (plus http/https): a bad entry must not become a javascript: link.
      let url = typeof entry.url === 'string' ? entry.url : '';
      if (/^[a-z][a-z0-9+.-]*:/i.test(url) && !/^https?:/i.test(url)) url = '';
      const a = el('a');
      // A page's folder is linked by its index.html: from disk a folder is a file listing.
      const folder = root + url;
      if (/^https?:/i.test(url)) a.setAttribute('href', url);
      else a.setAttribute('href', /(^|\/)$/.test(folder) ? folder + 'index.html' : folder);
      const title = Array.isArray(entry.title) ? entry.title : [entry.title];
      const t1 = title[0] == null ? '' : String(title[0]);
      const t2 = title[1] == null ? '' : String(title[1]);
      if (t1 && t2 && t1 !== t2) {
        a.appendChild(el('span', 'l1', tags[0], t1));
        a.appendChild(el('span', 'l2', tags[1], t2));
      } else if (t1 || t2) {
        // One language only, or the same in both: a plain span, shown in every view.
        a.appendChild(t1 ? el('span', '', tags[0], t1) : el('span', '', tags[1], t2));
      }
      if (here !== null && samePage(url) === here) {
        a.setAttribute('aria-current', 'page');
        current = a;
      }
      return a;
    }

    const list = el('ol', 'toc');
    const phases = Array.isArray(data.root_phases) ? data.root_phases : [];
    phases.forEach((phase, index) => {
      if (!phase || typeof phase !== 'object') return;
      const li = el('li', 'toc-phase');
      const row = el('div', 'toc-phase-row');
      const before = current;
      const phaseLink = link(phase);
      row.appendChild(phaseLink);
      li.appendChild(row);
      const pages = (Array.isArray(phase.pages) ? phase.pages : [])
        .filter((p) => p && typeof p === 'object');
      if (pages.length) {
        const sub = el('ol');
        sub.id = 'diglot-toc-' + index;
        pages.forEach((page) => sub.appendChild(el('li')).appendChild(link(page)));
        // Expanded: the phase holding (or being, or containing by URL) the current page.
        const base = samePage(typeof phase.url === 'string' ? phase.url : '');
        const open = current !== before || (here !== null && base !== '' && here.startsWith(base));
        const toggle = el('button', 'toc-toggle');
        toggle.type = 'button';
        toggle.setAttribute('aria-controls', sub.id);
        toggle.setAttribute('aria-expanded', String(open));
        const label = Array.from(phaseLink.children, (span) => span.textContent);
        toggle.setAttribute('aria-label', label.join(' / '));
        toggle.addEventListener('click', () => {
          const expand = toggle.getAttribute('aria-expanded') !== 'true';
          toggle.setAttribute('aria-expanded', String(expand));
          sub.hidden = !expand;
        });
        sub.hidden = !open;
        row.appendChild(toggle);
        li.appendChild(sub);
      }
      list.appendChild(li);
    });
    (Array.isArray(data.loose) ? data.loose : []).forEach((entry) => {
      if (entry && typeof entry === 'object') {
        list.appendChild(el('li', 'toc-loose')).appendChild(link(entry));
      }
    });

    if (!list.firstChild) return null;
    // One swap at the end: a malformed DIGLOT_TOC leaves the fallback untouched.
    const fallback = sidebar.querySelector('.toc');
    if (fallback) fallback.replaceWith(list);
    else sidebar.insertBefore(list, sidebar.firstChild);
    return current;
  }

  // Scroll the sidebar itself (never the page) so that the link sits in its upper third.
  function reveal(sidebar, link) {
    if (!link || sidebar.scrollHeight <= sidebar.clientHeight) return;
    const box = sidebar.getBoundingClientRect();
    const r = link.getBoundingClientRect();
    if (r.top < box.top || r.bottom > box.bottom) {
      sidebar.scrollTop += r.top - box.top - sidebar.clientHeight / 3;
    }
  }

  function setupSidebar() {
    const sidebar = doc.getElementById('sidebar');
    if (!sidebar) return;
    let current = null;
    try { current = buildToc(sidebar); } catch (e) { /* keep the server-rendered fallback */ }
    current = current || sidebar.querySelector('a[aria-current="page"]');
    reveal(sidebar, current);

    // Small screens: the sidebar is a drawer, open while <body> has .sidebar-open.
    const toggles = doc.querySelectorAll('.sidebar-toggle');
    const isOpen = () => doc.body.classList.contains('sidebar-open');
    function setOpen(open) {
      doc.body.classList.toggle('sidebar-open', open);
      toggles.forEach((b) => b.setAttribute('aria-expanded', String(open)));
      if (open) {
        reveal(sidebar, current);
        const first = current || sidebar.querySelector('a[href]');
        if (first) first.focus({ preventScroll: true });
      } else if (sidebar.contains(doc.activeElement) && toggles.length) {
        toggles[0].focus();
      }
    }
    toggles.forEach((b) => b.addEventListener('click', () => setOpen(!isOpen())));
    doc.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && isOpen()) setOpen(false);
    });
    // Close on a click outside (the backdrop is body::after) or on a link inside, which
    // matters for #fragment links that do not leave the page.
    doc.addEventListener('click', (event) => {
      const t = event.target;
      if (!isOpen() || !t.closest || t.closest('.sidebar-toggle')) return;
      if (!sidebar.contains(t) || t.closest('a[href]')) setOpen(false);
    });
  }

  // ---- code blocks: a copy button on each (highlighting itself happens at build time)

  function copyText(text) {
    if (navigator.clipboard && navigator.clipboard.writeText) {
      return navigator.clipboard.writeText(text).catch(() => copyByTextarea(text));
    }
    return copyByTextarea(text);
  }

  function copyByTextarea(text) {
    return new Promise((resolve, reject) => {
      const area = doc.createElement('textarea');
      area.value = text;
      area.setAttribute('readonly', '');
      area.style.position = 'fixed';
      area.style.opacity = '0';
      doc.body.appendChild(area);
      area.select();
      let ok = false;
      try { ok = doc.execCommand('copy'); } catch (e) { ok = false; }
      area.remove();
      if (ok) resolve(); else reject(new Error('copy failed'));
    });
  }

  function setupCodeCopy() {
    doc.querySelectorAll('pre.code').forEach((pre) => {
      const code = pre.querySelector('code');
      if (!code || pre.querySelector('.code-copy')) return;
      const button = doc.createElement('button');
      button.type = 'button';
      button.className = 'code-copy';
      button.textContent = ui('copy');
      button.setAttribute('data-ui-aria-label', 'copy_code');
      button.setAttribute('aria-label', ui('copy_code'));
      button.addEventListener('click', () => {
        copyText(code.textContent).then(
          () => { button.textContent = ui('copied'); },
          () => { button.textContent = ui('copy_failed'); }
        ).then(() => setTimeout(() => { button.textContent = ui('copy'); }, 1500));
      });
      pre.appendChild(button);
    });
  }

  // ---- headings: a link to each section, and an outline of the page

  // String `key` as HTML-free nodes in each language of the page, marked like the server's
  // interface strings so that the stylesheet shows the ones the view asks for.
  function uiNode(key) {
    const span = doc.createElement('span');
    if (!bilingual) {
      span.textContent = ui(key);
      return span;
    }
    span.className = 'ui';
    ['primary', 'secondary'].forEach((side, i) => {
      const table = UI[side] && typeof UI[side] === 'object' ? UI[side] : {};
      const part = doc.createElement('span');
      part.className = 'l' + (i + 1);
      part.lang = attr(side === 'primary' ? 'data-primary-tag' : 'data-secondary-tag') || '';
      part.textContent = typeof table[key] === 'string' ? table[key] : key;
      span.appendChild(part);
    });
    return span;
  }

  function sectionHeadings() {
    return Array.from(doc.querySelectorAll('article .seg-heading[id]'))
      .filter((seg) => !seg.closest('.checklist-group, .print'));
  }

  function setupHeadingLinks() {
    sectionHeadings().forEach((seg) => {
      Array.from(seg.children).filter((h) => /^H[1-6]$/.test(h.tagName)).forEach((h) => {
        if (h.querySelector('.heading-anchor')) return;
        const id = h.id || seg.id;
        const a = doc.createElement('a');
        a.className = 'heading-anchor';
        a.href = '#' + encodeURIComponent(id);
        a.textContent = '#';
        a.setAttribute('data-ui-aria-label', 'link_to_section');
        a.setAttribute('aria-label', ui('link_to_section'));
        a.addEventListener('click', () => {
          try {
            const url = new URL(a.href, window.location.href);
            copyText(url.href).then(() => {
              a.classList.add('is-copied');
              setTimeout(() => a.classList.remove('is-copied'), 1500);
            }, () => {});
          } catch (e) { /* the link still leads to the section */ }
        });
        h.appendChild(a);
      });
    });
  }

  // Pages with several sections get an outline under their title, in the view's languages.
  function setupOutline() {
    const headings = sectionHeadings().filter((seg) => seg.querySelector('h2, h3'));
    const title = doc.querySelector('article > .seg-title');
    if (headings.length < 3 || !title || doc.querySelector('.on-this-page')) return;
    const nav = doc.createElement('nav');
    nav.className = 'on-this-page';
    const label = doc.createElement('p');
    label.className = 'on-this-page-title';
    label.id = 'on-this-page-title';
    label.appendChild(uiNode('on_this_page'));
    nav.setAttribute('aria-labelledby', label.id);
    nav.appendChild(label);
    const list = doc.createElement('ol');
    headings.forEach((seg) => {
      const li = doc.createElement('li');
      if (seg.querySelector('h3')) li.className = 'on-this-page-sub';
      const a = doc.createElement('a');
      a.href = '#' + encodeURIComponent(seg.id);
      Array.from(seg.children).filter((h) => /^H[1-6]$/.test(h.tagName)).forEach((h) => {
        const span = doc.createElement('span');
        if (h.className) span.className = h.className;
        if (h.lang) span.lang = h.lang;
        const copy = h.cloneNode(true);
        copy.querySelectorAll('.heading-anchor').forEach((x) => x.remove());
        span.textContent = copy.textContent.trim();
        a.appendChild(span);
      });
      li.appendChild(a);
      list.appendChild(li);
    });
    nav.appendChild(list);
    title.parentNode.insertBefore(nav, title.nextSibling);
  }

  // ---- start

  initView();   // needs only <html>: run at once, even if the inline head script did not
  initScheme();

  function onReady() {
    if (bilingual) {
      narrowHint();
      applyView(getView()); // marks the switcher
    } else {
      printInView(getView());
    }
    const listen = (selector, handler) =>
      doc.querySelectorAll(selector).forEach((e) => e.addEventListener('click', handler));
    listen('.view-switcher', onSwitcherClick);
    listen('.scheme-toggle', nextScheme);
    doc.addEventListener('keydown', onShortcut);
    applyScheme(attr('data-scheme') || 'auto'); // label the buttons
    setupSidebar();
    setupCodeCopy();
    setupOutline();
    setupHeadingLinks();
  }

  // As the last child of <body> (where the templates put it) everything it needs is parsed:
  // set up now so the fallback contents are never painted. Anywhere else, wait.
  const script = doc.currentScript;
  if (doc.readyState !== 'loading' || (script && script.parentNode === doc.body)) onReady();
  else doc.addEventListener('DOMContentLoaded', onReady);

  window.Diglot = { setView: chooseView, getView: getView, ui: ui, uiParts: uiParts };
})();
