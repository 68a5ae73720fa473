"""Offline hall mode: the service worker and what it saves ahead.

Visitors scan a stand card on a cheap phone, browse, and walk out of coverage. The
service worker (`sw.js` at the site's root, so its scope is the whole site and nothing
else on the host) saves ahead the site's shell: the stylesheet and scripts, every
language's home, product list and shortlist pages, the search indexes, the 404 page and
the small photo the product list's cards show (the smallest width, in the preferred
format) of up to MAX_PHOTOS products. Pages are saved as they are visited, with the
photos and files they load.

- Pages and other files whose names do not change are fetched from the network first
  and saved; the saved copy is shown only offline, or when the network has not
  answered within a few seconds (a crowded hall's signal). Online, pages are always
  fresh: no stale page can outlive a deploy.
- Files under static/ and media/ carry a hash of their bytes in their names, so a saved
  copy is always right: they come from the cache first.
- The cache's name holds a version: a digest of the list and of what the saved pages
  are made from. A deploy that changes any of it changes `sw.js`, so browsers install
  the new worker, which saves the new shell into a new cache, moves over the pages the
  visitor had opened (and their photos and styles: they stay readable offline), and
  deletes the old cache. The page is never reloaded for it: no reload loops.

The saved pages are made from the model and the theme; which of them this build
rendered and which it kept from the last build (see `memo`) must not change `sw.js`
(the same content gives the same bytes), so the version digests their inputs (the
search indexes, the site's settings, the theme's templates and strings, the precached
files' names) rather than page bytes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Container, Mapping

from showcase import urls
from showcase.assets import images
from showcase.files import files_below
from showcase.model import Site
from showcase.render.theme import Theme


# Theme files worth saving ahead: what every page loads. Icons are fetched by the
# browser when it needs them.
SHELL_SUFFIXES = (".css", ".js", ".svg")
# Card photos saved ahead: the featured products', then the product list's from the top.
# A 480 px AVIF is about 12 KB, so at most 1.2 MB on a first visit, however big the fair.
MAX_PHOTOS = 100


def files(site: Site, theme: Theme, published: Mapping[str, bytes], pages: Container[str],
          variants: Mapping[str, images.Variant], plan: images.Plan) -> dict[str, bytes]:
    """`sw.js`, as `{output path: bytes}`.

    `published` is what the renderer publishes (static files, search indexes,
    manifests, ...), `pages` every page's output path, rendered or kept, and `variants`
    every image variant the pages use: only files that exist are saved ahead. `plan`
    gives a photo's variants (the renderer's, which plans each photo once per build).
    """
    listed = precache(site, theme, published, pages, variants, plan)
    return {urls.service_worker(): service_worker(listed, version(site, theme, listed, published))}


def precache(site: Site, theme: Theme, published: Mapping[str, bytes], pages: Container[str],
             variants: Mapping[str, images.Variant], plan: images.Plan) -> tuple[str, ...]:
    """Site paths (relative to the root, "" is the home page) the worker saves on install."""
    config = site.config
    wanted: list[str] = []
    for lang in config.languages:
        wanted += [url for url in (urls.home(lang, config), urls.products(lang, config),
                                   urls.shortlist(lang, config))
                   if urls.output_path(url) in pages]
        wanted += [url for url in (urls.search_index(lang, config), urls.manifest(lang, config))
                   if url in published]
    if "404.html" in published:
        wanted.append("404.html")
    wanted += sorted(path for path, _ in theme.static.values()
                     if path.endswith(SHELL_SUFFIXES) and path in published)
    preferred, photos = config.images.formats[0], 0
    lang = config.default_language
    for product in sorted(site.products, key=lambda p: (not p.featured, p.name.get(lang).casefold(),
                                                         p.code)):
        if product.photos and photos < MAX_PHOTOS:
            own = [v for v in plan(product.photos[0]) if v.format == preferred]
            smallest = min(own, key=lambda v: v.width).url
            if smallest in variants and smallest not in wanted:
                wanted.append(smallest)
                photos += 1
    return tuple(wanted)


def version(site: Site, theme: Theme, listed: tuple[str, ...], published: Mapping[str, bytes]) -> str:
    """A digest of the list and of everything the saved files are made from."""
    digest = hashlib.sha256(SERVICE_WORKER.encode())
    digest.update(json.dumps(listed).encode())
    for path in listed:
        if path in published:  # pages are digested through their inputs below
            digest.update(f"\0{path}\0".encode() + hashlib.sha256(published[path]).digest())
    digest.update(repr(site.config).encode("utf-8", "surrogateescape"))
    digest.update(repr(sorted((lang, s.own, s.fallback) for lang, s in theme.strings.items()))
                  .encode("utf-8", "surrogateescape"))
    for name, template in files_below(theme.templates, "*.html"):  # includes, macros too
        digest.update(f"\0{name}\0".encode() + template.read_bytes())
    return digest.hexdigest()[:16]


def service_worker(listed: tuple[str, ...], version: str) -> bytes:
    return (SERVICE_WORKER.replace("__VERSION__", json.dumps(version))
            .replace("__PRECACHE__", json.dumps(list(listed), separators=(",", ":")))
            .encode("utf-8"))


# The worker. __VERSION__ and __PRECACHE__ are filled in by `service_worker`.
SERVICE_WORKER = r"""/* showcase's service worker, written by the build (showcase/offline.py). */
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
  if (path === 'sw.js') return;
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
"""
