/* showcase's service worker, written by the build (showcase/offline.py). */
'use strict';
const VERSION = __VERSION__;
const PRECACHE = __PRECACHE__;
// Each language's page for "not saved on this phone yet", by the path prefix of its pages.
const OFFLINE = __OFFLINE__;
const SCOPE = self.registration.scope;
// Every cache of this site starts so; other sites on the same host keep theirs.
const PREFIX = 'showcase ' + SCOPE + ' ';
const CACHE = PREFIX + VERSION;
const SLOW_MS = 4000;  // a page the network has not sent by then comes from the cache
const CARRY = 300;  // the newest entries of an old cache moved over when a deploy replaces it
const MATCH = {ignoreVary: true};

self.addEventListener('install', event => {
  event.waitUntil(caches.open(CACHE)
    .then(cache => cache.addAll(PRECACHE.map(path => new Request(new URL(path, SCOPE), {cache: 'reload'}))))
    .then(() => self.skipWaiting()));
});

self.addEventListener('activate', event => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    for (const name of await caches.keys()) {
      if (name === CACHE || !name.startsWith(PREFIX)) continue;
      const old = await caches.open(name);
      for (const request of (await old.keys()).slice(-CARRY)) {
        if (await cache.match(request, MATCH)) continue;
        const response = await old.match(request, MATCH);
        if (response) await cache.put(request, response);
      }
      await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

self.addEventListener('fetch', event => {
  const request = event.request;
  if (request.method !== 'GET' || !request.url.startsWith(SCOPE) || request.headers.has('range')) return;
  const path = request.url.slice(SCOPE.length);
  // The browser editor (admin/) is no part of the public site: never saved, never
  // answered from a cache (its configuration changes with every new booth).
  if (path === 'sw.js' || path.startsWith('admin/')) return;
  event.respondWith(/^(static|media)\//.test(path) ? cacheFirst(event) : networkFirst(event));
});

async function cacheFirst(event) {
  const cache = await caches.open(CACHE);
  const saved = await cache.match(event.request, MATCH);
  if (saved) return saved;
  try {
    const response = await fetch(event.request);
    if (response.ok) event.waitUntil(cache.put(event.request, response.clone()));
    return response;
  } catch (error) {
    const other = await samePhoto(cache, event.request);
    if (other) return other;
    throw error;
  }
}

// Offline, a photo in a width that was never saved: the same photo in a width that was.
// Which width a page asks for is the browser's choice (srcset, sizes, the screen's
// density, the window's width): a 3x phone asks for 800 w where 480 w was saved ahead,
// a card may ask for a width the product page's larger copy can stand in for. So the
// worker does not guess the choice ahead; it answers it with what it has. The photo's
// other widths and formats are the other candidates of the <picture> that asked, in the
// saved copy of the page that asked (every photo is in its page's HTML). Same format
// first (or JPEG, which every browser reads), the nearest width at or above the one
// asked for, else the largest below it.
async function samePhoto(cache, request) {
  if (!request.referrer || !request.referrer.startsWith(SCOPE)) return null;
  const page = await cache.match(withoutQuery(request.referrer), MATCH);
  if (!page) return null;
  const html = await page.text();
  const format = url => url.slice(url.lastIndexOf('.') + 1).toLowerCase();
  for (const picture of html.match(/<picture\b[\s\S]*?<\/picture>/g) || []) {
    const candidates = [];
    for (const [, list] of picture.matchAll(/\ssrcset="([^"]*)"/g)) {
      for (const item of list.split(',')) {
        const [url, width] = item.trim().replace(/&amp;/g, '&').split(/\s+/);
        if (url) candidates.push({url: new URL(url, request.referrer).href, width: parseInt(width) || 0});
      }
    }
    const asked = candidates.find(c => c.url === request.url);
    if (!asked) continue;
    const readable = c => format(c.url) === format(asked.url) || /^jpe?g$/.test(format(c.url));
    const rank = c => [format(c.url) === format(asked.url) ? 0 : 1,
                       c.width >= asked.width ? c.width - asked.width : 1e6 + asked.width - c.width];
    const order = candidates.filter(c => c !== asked && readable(c)).sort((a, b) => {
      const [x, y] = [rank(a), rank(b)];
      return x[0] - y[0] || x[1] - y[1];
    });
    for (const candidate of order) {
      const saved = await cache.match(candidate.url, MATCH);
      if (saved) return saved;
    }
    return null;
  }
  return null;
}

async function networkFirst(event) {
  const page = event.request.mode === 'navigate';
  const cache = await caches.open(CACHE);
  const key = page ? withoutQuery(event.request.url) : event.request;
  const network = fetch(event.request);
  event.waitUntil(network.then(response => {
    if (response.ok && !response.redirected) return cache.put(key, response.clone());
  }).catch(() => {}));
  const saved = await cache.match(key, MATCH);
  if (!saved) return network.catch(() => fallback(cache, page, key));
  return new Promise(resolve => {
    let done = false;
    const finish = response => { done = true; clearTimeout(timer); resolve(response); };
    const useSaved = () => { if (!done) finish(page ? marked(saved) : saved); };
    const timer = setTimeout(useSaved, SLOW_MS);
    network.then(response => { if (!done) finish(response); }, useSaved);
  });
}

// A page's query only filters what its script shows (?q=keset): one copy serves them all.
function withoutQuery(url) {
  const bare = new URL(url);
  bare.search = '';
  bare.hash = '';
  return bare.href;
}

// A page never saved: its language's offline page ("not saved on this phone yet", with
// links to that language's product list and home) stands in for it.
async function fallback(cache, page, url) {
  if (!page) return Response.error();
  const path = String(url).slice(SCOPE.length);
  let stand = OFFLINE[''];
  for (const [prefix, file] of Object.entries(OFFLINE)) {
    if (prefix && path.startsWith(prefix)) stand = file;
  }
  const missing = stand && await cache.match(new URL(stand, SCOPE).href, MATCH);
  return missing ? marked(missing, 'missing') : Response.error();
}

// A page from the cache says so: offline.js shows the offline note on <html data-saved>,
// and on data-saved="missing" (a page never saved: the offline page stands in) says that.
async function marked(response, why = '') {
  const text = (await response.text()).replace(/<html\b/, `<html data-saved="${why}"`);
  return new Response(text, {status: response.status, statusText: response.statusText,
                             headers: response.headers});
}
