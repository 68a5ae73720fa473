"""Offline hall mode: the service worker and what it saves ahead.

Visitors scan a stand card on a cheap phone, browse, and walk out of coverage. The
service worker (`sw.js` at the site's root, so its scope is the whole site and nothing
else on the host) saves ahead the site's shell: the stylesheet and scripts, every
language's home, product list and shortlist pages, the search indexes, each language's
offline page and the small photo the product list's cards show (the smallest width, in
the preferred format) of up to MAX_PHOTOS products. Pages are saved as they are visited,
with the photos and files they load.

- Which width of a photo a page asks for is the browser's choice (srcset and sizes, the
  screen's density, the window), so what is saved ahead cannot match every screen: a 3x
  phone asks for 800 w where 480 w was saved. Rather than guess that choice here (per
  density, per layout, per browser), the worker answers a photo it does not have, offline,
  with the same photo in a width it does have: the other candidates of the `<picture>`
  that asked, read from the saved copy of the asking page. That covers every screen, any
  `sizes`, and a card photo seen larger on its product page, at no cost online.
- A page never saved is answered, offline, by its language's offline page ("not saved on
  this phone yet", with links into that language), chosen by the path's language prefix
  (`offline_pages`, filled into the script as __OFFLINE__).

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

The worker's script is the theme's `sw.js` (a site's theme may replace it); this
module fills in its __VERSION__, __PRECACHE__ and __OFFLINE__.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Container, Mapping

from showcase import urls
from showcase.assets import images
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
    stand_ins = offline_pages(site, published)
    return {urls.service_worker(): service_worker(theme.service_worker, listed,
                                                  version(site, theme, listed, published),
                                                  stand_ins)}


def offline_pages(site: Site, published: Mapping[str, bytes]) -> dict[str, str]:
    """{path prefix of a language's pages: its offline page}: what the worker shows for a
    page of that language never saved on the phone ("" is the default language's)."""
    config = site.config
    return {urls.prefix(lang, config): urls.offline(lang, config) for lang in config.languages
            if urls.offline(lang, config) in published}


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
    wanted += [url for url in (urls.offline(lang, config) for lang in config.languages)
               if url in published]
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
    digest = hashlib.sha256(theme.service_worker.encode())
    digest.update(json.dumps(listed).encode())
    for path in listed:
        if path in published:  # pages are digested through their inputs below
            digest.update(f"\0{path}\0".encode() + hashlib.sha256(published[path]).digest())
    digest.update(repr(site.config).encode("utf-8", "surrogateescape"))
    digest.update(repr(sorted((lang, s.own, s.fallback) for lang, s in theme.strings.items()))
                  .encode("utf-8", "surrogateescape"))
    for name, template in theme.templates().items():  # includes, macros in folders too
        digest.update(f"\0{name}\0".encode() + template.read_bytes())
    return digest.hexdigest()[:16]


def service_worker(script: str, listed: tuple[str, ...], version: str,
                   stand_ins: Mapping[str, str]) -> bytes:
    """The theme's `sw.js` with its __VERSION__, __PRECACHE__ and __OFFLINE__ filled in."""
    return (script.replace("__VERSION__", json.dumps(version))
            .replace("__PRECACHE__", json.dumps(list(listed), separators=(",", ":")))
            .replace("__OFFLINE__", json.dumps(dict(stand_ins), separators=(",", ":"),
                                               sort_keys=True))
            .encode("utf-8"))
