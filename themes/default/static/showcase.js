/* showcase.js: search and filters on /products/, and the shortlist, on a static site.
   No framework, no build step. It only enhances what the build rendered: without it every
   list is complete and every link works. Words come from data-* attributes (the theme's
   i18n files), data from search-index.json (showcase/search.py explains its fields). */
(() => {
  'use strict';
  const script = document.currentScript;
  // This file is published as <site root>static/showcase.<hash>.js.
  const ROOT = new URL('../', script ? script.src : location.href);
  const KEY = 'showcase-shortlist:' + ROOT.pathname;
  const $ = (sel, el) => (el || document).querySelector(sel);
  const $$ = (sel, el) => Array.from((el || document).querySelectorAll(sel));
  const fill = (text, values) => text.replace(/\{(\w+)\}/g, (m, k) => ({}.hasOwnProperty.call(values, k) ? values[k] : m));
  // As search.fold in Python: NFKD, every mark dropped, lower case; then its tokens.
  const words = s => s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().match(/[\p{L}\p{N}]+/gu) || [];
  // As Python's quote(text, safe=''), so links equal the ones the product pages carry.
  const enc = s => encodeURIComponent(s).replace(/[!'()*]/g, c => '%' + c.charCodeAt(0).toString(16).toUpperCase());
  const whatsapp = (digits, text) => 'https://wa.me/' + digits + '?text=' + enc(text);
  const link = path => new URL(path, ROOT).href;
  const load = url => fetch(url).then(r => (r.ok ? r.json() : null), () => null);
  const el = (tag, attrs, ...kids) => {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    node.append(...kids.flat().filter(k => k != null && k !== false));
    return node;
  };
  const hidden = text => el('span', {class: 'vh'}, ' (' + text + ')');
  // The other language shows the same search or list: facet values and codes do not
  // depend on the language.
  const carry = () => $$('.lang-switch a').forEach(a => { a.search = location.search; });

  // -- the shortlist: product codes in localStorage, nothing else ----------------------
  let unstored = null;  // where storage is refused (some private modes): this page only
  const saved = () => {
    try {
      const codes = unstored || JSON.parse(localStorage.getItem(KEY));
      return Array.isArray(codes) ? codes.filter(c => typeof c === 'string') : [];
    } catch (e) { return []; }
  };
  const keep = codes => {
    try { localStorage.setItem(KEY, JSON.stringify(codes)); } catch (e) { unstored = codes; }
  };
  const redraws = [];
  const showSaved = () => {
    const codes = new Set(saved());
    for (const b of $$('button[data-save]')) {
      b.hidden = false;
      b.setAttribute('aria-pressed', codes.has(b.dataset.save));
    }
    for (const n of $$('[data-shortlist-count]')) n.textContent = codes.size || '';
    redraws.forEach(f => f());
  };
  document.addEventListener('click', e => {
    const button = e.target.closest('button[data-save], button[data-unsave]');
    if (!button) return;
    const code = button.dataset.save || button.dataset.unsave;
    const codes = saved().filter(c => c !== code);
    if ('save' in button.dataset && button.getAttribute('aria-pressed') !== 'true') codes.push(code);
    keep(codes);
    showSaved();
  });
  addEventListener('storage', e => { if (e.key === KEY) showSaved(); });
  showSaved();

  // -- /products/: search and facets over the rendered cards -------------------------------
  function catalogue(form, ix) {
    const keys = ix.facets.map(f => f[0]);
    const selects = keys.map(k => form.elements[k] || null);
    const positions = ix.facets.map(f => new Map(f[2].map((v, n) => [v[0], n])));
    const cards = new Map($$('[data-code]').map(c => [c.dataset.code, c.closest('li') || c]));
    const items = ix.products.map(p => ({p, node: cards.get(p.c), text: ' ' +
      words(p.n + ' ' + p.c + ' ' + p.c.replace(/-/g, '')).join(' ') + ' ' + p.s + ' ' + ix.booths[p.b].s}));
    const q = form.elements.q, count = $('[data-count]'), none = $('.no-results');
    let typing = false;  // a run of keystrokes makes one history entry

    const fromURL = () => {
      const params = new URLSearchParams(location.search);
      q.value = params.get('q') || '';
      selects.forEach((s, i) => {
        if (!s) return;
        s.value = params.get(keys[i]) || '';
        if (s.selectedIndex < 0) s.value = '';
      });
      if (selects.some(s => s && s.value)) $('details', form).open = true;
    };
    const toURL = push => {
      const params = new URLSearchParams();
      if (q.value.trim()) params.set('q', q.value.trim());
      selects.forEach((s, i) => { if (s && s.value) params.set(keys[i], s.value); });
      const url = location.pathname + (params.toString() ? '?' + params : '');
      if (url === location.pathname + location.search) return false;
      history[push ? 'pushState' : 'replaceState'](null, '', url);
      carry();
      return push;
    };
    const apply = () => {
      const terms = words(q.value);
      const want = selects.map((s, i) => (s && s.value ? positions[i].get(s.value) : undefined));
      const counts = keys.map(() => []);
      const add = (i, v) => { if (v !== null) counts[i][v] = (counts[i][v] || 0) + 1; };
      let shown = 0;
      for (const {p, node, text} of items) {
        const found = terms.every(t => text.includes(' ' + t));
        let misses = 0, missed = -1;
        want.forEach((w, i) => { if (w !== undefined && p.f[i] !== w) { misses++; missed = i; } });
        // A facet's count: the products the query and every *other* facet let through.
        if (found && !misses) { shown++; p.f.forEach((v, i) => add(i, v)); }
        if (found && misses === 1) add(missed, p.f[missed]);
        if (node) node.hidden = !(found && !misses);
      }
      selects.forEach((s, i) => {
        if (!s) return;
        for (const o of s.options) {
          if (!o.value) continue;
          const n = counts[i][positions[i].get(o.value)] || 0;
          o.textContent = o.dataset.label + ' (' + n + ')';
          o.disabled = !n && !o.selected;
        }
      });
      const said = shown === 1 ? form.dataset.one : fill(form.dataset.many, {n: shown});
      if (count.textContent.trim() !== said) count.textContent = said;  // a live region: speak on change
      none.hidden = shown > 0;
      const active = selects.filter(s => s && s.value).length;
      $('[data-active]', form).textContent = active ? '(' + active + ')' : '';
    };

    q.addEventListener('input', () => { apply(); typing = toURL(!typing) || typing; });
    selects.forEach(s => s && s.addEventListener('change', () => { typing = false; apply(); toURL(true); }));
    $('[data-clear]', form).addEventListener('click', () => {
      q.value = '';
      selects.forEach(s => { if (s) s.value = ''; });
      typing = false;
      apply();
      toURL(true);
      q.focus();
    });
    form.addEventListener('submit', e => {
      e.preventDefault();
      // A printed product code typed in full opens that product.
      const hit = ix.products.find(p => p.c === q.value.trim().toUpperCase());
      if (hit) location.assign(link(ix.booths[hit.b].u + hit.u));
    });
    addEventListener('popstate', () => { fromURL(); typing = false; apply(); carry(); });
    carry();
    fromURL();
    apply();
    form.hidden = false;
  }

  // -- /shortlist/: the saved products, grouped by booth, with ways to order ----------------
  function shortlist(box, ix) {
    const d = box.dataset;
    const byCode = new Map(ix.products.map(p => [p.c, p]));
    const avail = ix.facets.findIndex(f => f[0] === 'availability');
    const list = $('[data-list]', box), count = $('[data-count]', box), share = $('.share', box);
    const shareURL = codes => d.self + '?codes=' + codes.join(',');

    const item = (p, booth, shared) => {
      const orderable = p.o !== 0;
      const digits = orderable && (p.w || booth.w);
      const shops = orderable ? p.m || booth.m || [] : [];
      const state = avail >= 0 && ix.facets[avail][2][p.f[avail]];
      const buttons = [];
      if (digits) {
        const text = fill(d.message, {name: p.n, code: p.c, url: ix.base + booth.u + p.u});
        buttons.push(el('a', {class: 'btn btn-wa', href: whatsapp(digits, text), rel: 'noopener'}, d.order, hidden(p.n)));
      }
      for (const [name, url] of shops) {
        buttons.push(el('a', {class: 'btn btn-outline', href: url, rel: 'noopener'}, name, hidden(p.n)));
      }
      return el('li', {class: 'shortlist-item'},
        el('h3', {}, el('a', {href: link(booth.u + p.u)}, p.n)),
        el('p', {}, el('span', {class: 'code'}, p.c), ' · ', el('span', {class: 'card-price'}, p.p),
          state && state[0] !== 'in-stock' && [' ', el('span', {class: 'badge badge-' + state[0]}, state[1])]),
        buttons.length && el('ul', {class: 'buttons', role: 'list'}, buttons.map(b => el('li', {}, b))),
        !shared && el('button', {type: 'button', class: 'btn-link', 'data-unsave': p.c}, d.remove, hidden(p.n)));
    };

    const section = (booth, n, products, shared) => {
      const id = 'shortlist-booth-' + n;
      const send = booth.w && whatsapp(booth.w, fill(d.listMessage, {
        booth: booth.n, url: shareURL(products.map(p => p.c)),
        items: products.map(p => fill(d.listItem, {name: p.n, code: p.c})).join('\n')}));
      return el('section', {class: 'shortlist-booth', 'aria-labelledby': id},
        el('h2', {id}, el('a', {href: link(booth.u)}, booth.n)),
        booth.st && el('p', {class: 'muted'}, fill(d.stand, {stand: booth.st})),
        el('ul', {class: 'shortlist-items', role: 'list'}, products.map(p => item(p, booth, shared))),
        send && el('p', {}, el('a', {class: 'btn btn-wa', href: send, rel: 'noopener', 'data-booth': booth.n},
          d.send, hidden(booth.n))));
    };

    const draw = () => {
      const params = new URLSearchParams(location.search);
      const shared = params.has('codes');
      const codes = (shared ? params.get('codes').toUpperCase().split(',') : saved())
        .map(c => c.trim()).filter((c, i, all) => byCode.has(c) && all.indexOf(c) === i);
      const groups = new Map();
      for (const c of codes) {
        const p = byCode.get(c);
        if (!groups.has(p.b)) groups.set(p.b, []);
        groups.get(p.b).push(p);
      }
      list.textContent = '';
      count.textContent = codes.length === 1 ? d.one : fill(d.many, {n: codes.length});
      if (shared && codes.length) {
        list.append(el('p', {class: 'shared'}, d.shared + ' ',
          el('button', {type: 'button', class: 'btn btn-outline', 'data-keep-all': ''}, d.keep)));
      }
      if (!codes.length) list.append(el('p', {}, d.empty));
      [...groups.keys()].sort((a, b) => a - b)
        .forEach(b => list.append(section(ix.booths[b], b, groups.get(b), shared)));
      carry();
      share.hidden = !codes.length;
      const url = shareURL(codes);
      const anchor = $('[data-share-link]', share);
      anchor.href = url;
      anchor.textContent = url;
      $('[data-share-whatsapp]', share).href = 'https://wa.me/?text=' + enc(url);
    };

    box.addEventListener('click', e => {
      if (e.target.closest('button[data-keep-all]')) {
        const codes = saved();
        for (const c of new URLSearchParams(location.search).get('codes').toUpperCase().split(',')) {
          if (byCode.has(c) && !codes.includes(c)) codes.push(c);
        }
        keep(codes);
        history.replaceState(null, '', location.pathname);
        showSaved();
        count.focus();
      } else if (e.target.closest('button[data-unsave]')) {
        count.focus();  // the button is gone once the list is drawn again
      }
    });
    count.tabIndex = -1;
    redraws.push(draw);
    draw();
  }

  const form = $('form.search[data-index]');
  if (form) load(form.dataset.index).then(ix => ix && catalogue(form, ix));
  const box = $('.shortlist[data-index]');
  if (box) load(box.dataset.index).then(ix => ix && shortlist(box, ix));
})();
