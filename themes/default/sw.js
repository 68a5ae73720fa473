/* showcase's service worker, written by the build (showcase/offline.py). */
'use strict';
const VERSION = __VERSION__;
const PRECACHE = __PRECACHE__;
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
  const response = await fetch(event.request);
  if (response.ok) event.waitUntil(cache.put(event.request, response.clone()));
  return response;
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
  if (!saved) return network.catch(() => fallback(cache, page));
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

async function fallback(cache, page) {
  const missing = page && await cache.match(new URL('404.html', SCOPE).href, MATCH);
  return missing ? marked(missing, 'missing') : Response.error();
}

// A page from the cache says so: offline.js shows the offline note on <html data-saved>,
// and on data-saved="missing" (a page never saved: the 404 page stands in) says that.
async function marked(response, why = '') {
  const text = (await response.text()).replace(/<html\b/, `<html data-saved="${why}"`);
  return new Response(text, {status: response.status, statusText: response.statusText,
                             headers: response.headers});
}
