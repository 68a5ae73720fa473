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
  const hidden = text => el('span', {class: 'vh'}, ' (', text, ')');
  // A booth's or product's name from the index, inside <span lang> where it is not in
  // the page's language (`l`: a name with no translation), as the built pages mark it.
  const named = x => (x.l ? el('span', {lang: x.l}, x.n) : x.n);
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
  // The one reading of a list of codes, for what a list shows and what saving it keeps:
  // a shared link's ?codes= as people type it and apps rewrite it ("SKM-001, skm-002",
  // `+` being a space too), or the stored list. Codes hold no space or comma, so either
  // separates them; case, empty items, unknown codes and repeats are dropped.
  const codesIn = (texts, known) => {
    const codes = new Set();
    for (const text of texts) {
      for (const c of String(text).toUpperCase().split(/[\s,]+/)) if (known.has(c)) codes.add(c);
    }
    return [...codes];
  };
  const redraws = [];
  const showSaved = () => {
    const codes = new Set(saved());
    for (const b of $$('button[data-save]')) {
      const on = codes.has(b.dataset.save);
      b.hidden = false;
      b.setAttribute('aria-pressed', on);
      // The label says what is, as the pressed state does: "Tersimpan" once saved.
      const label = $('[data-label]', b);
      if (label && b.dataset.on) label.textContent = on ? b.dataset.on : b.dataset.off;
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
    const cards = new Map($$('[data-code]').map((c, n) => [c.dataset.code, [c.closest('li') || c, n]]));
    // Each product's search fields with their weights (search.RANK in Python: name and
    // code, own words, booth, category); `at`: its place in the page's own order.
    const rank = ix.rank || [1, 1, 1, 1];
    const items = ix.products.map(p => {
      const [node, at] = cards.get(p.c) || [null, Infinity];
      return {p, node, at, score: 0, fields: [
        ' ' + words(p.n + ' ' + p.c + ' ' + p.c.replace(/-/g, '')).join(' '),
        ' ' + p.s, ' ' + ix.booths[p.b].s, ' ' + (p.k || '')].map((text, i) => [text, rank[i]])};
    });
    // Every word must be the start of a token somewhere; each counts at the best field
    // it is found in, and the sum orders the list. -1: not found.
    const score = (fields, terms) => {
      let sum = 0;
      for (const t of terms) {
        let best = 0;
        for (const [text, weight] of fields) if (weight > best && text.includes(' ' + t)) best = weight;
        if (!best) return -1;
        sum += best;
      }
      return sum;
    };
    const first = items.find(i => i.node), list = first ? first.node.parentNode : null;
    const byPlace = items.filter(i => i.node && i.node.parentNode === list).sort((a, b) => a.at - b.at);
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
      for (const item of items) {
        const {p, node} = item;
        item.score = score(item.fields, terms);
        const found = item.score >= 0;
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
      // The best matches first; without a query, the page's own order.
      const order = terms.length ? [...byPlace].sort((a, b) => b.score - a.score || a.at - b.at) : byPlace;
      if (order.some((item, n) => list.children[n] !== item.node)) list.append(...order.map(i => i.node));
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
    const own = $('[data-own-list]');  // "kept on your phone only": not so for a shared list
    const sharedCodes = () => codesIn([new URLSearchParams(location.search).get('codes')], byCode);
    const shareURL = codes => d.self + '?codes=' + codes.join(',');

    const item = (p, booth, shared) => {
      const orderable = p.o !== 0;
      const digits = orderable && (p.w || booth.w);
      const shops = orderable ? p.m || booth.m || [] : [];
      const state = avail >= 0 && ix.facets[avail][2][p.f[avail]];
      const buttons = [];
      if (digits) {
        const text = fill(d.message, {name: p.n, code: p.c, url: ix.base + booth.u + p.u});
        buttons.push(el('a', {class: 'btn btn-wa', href: whatsapp(digits, text), rel: 'noopener'}, d.order, hidden(named(p))));
      }
      for (const [name, url] of shops) {
        buttons.push(el('a', {class: 'btn btn-outline', href: url, rel: 'noopener'}, name, hidden(named(p))));
      }
      return el('li', {class: 'shortlist-item'},
        el('h3', {}, el('a', {href: link(booth.u + p.u)}, named(p))),
        el('p', {}, el('span', {class: 'code'}, p.c), p.p && [' · ', el('span', {class: 'card-price'}, p.p)],
          state && state[0] !== 'in-stock' && [' ', el('span', {class: 'badge badge-' + state[0]}, state[1])]),
        buttons.length ? el('ul', {class: 'buttons', role: 'list'}, buttons.map(b => el('li', {}, b))) : null,
        !shared && el('button', {type: 'button', class: 'btn-link', 'data-unsave': p.c}, d.remove, hidden(named(p))));
    };

    const section = (booth, n, products, shared) => {
      const id = 'shortlist-booth-' + n;
      // An order names only what can be ordered; with nothing orderable there is none.
      const orderable = products.filter(p => p.o !== 0);
      const send = booth.w && orderable.length > 0 && whatsapp(booth.w, fill(d.listMessage, {
        booth: booth.n, url: shareURL(orderable.map(p => p.c)),
        items: orderable.map(p => fill(d.listItem, {name: p.n, code: p.c})).join('\n')}));
      return el('section', {class: 'shortlist-booth', 'aria-labelledby': id},
        el('h2', {id}, el('a', {href: link(booth.u)}, named(booth))),
        booth.st && el('p', {class: 'muted'}, fill(d.stand, {stand: booth.st})),
        el('ul', {class: 'shortlist-items', role: 'list'}, products.map(p => item(p, booth, shared))),
        send && el('p', {}, el('a', {class: 'btn btn-wa', href: send, rel: 'noopener', 'data-booth': booth.n},
          d.send, hidden(named(booth)))));
    };

    const draw = () => {
      const shared = new URLSearchParams(location.search).has('codes');
      const codes = shared ? sharedCodes() : codesIn(saved(), byCode);
      if (own) own.hidden = shared;
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
        const mine = saved();
        keep(mine.concat(sharedCodes().filter(c => !mine.includes(c))));
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
