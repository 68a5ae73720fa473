"""Every URL and output path rule of the site, in one place.

URLs here are paths relative to the site root, without a leading slash and ending in
`/` ("booths/lapas-cipinang/"; "" is the home page). Printed QR codes point at these
paths, so a change here is a change to the contract: tests pin them.
"""

from __future__ import annotations

from urllib.parse import quote, urlparse

from showcase.model import Booth, Category, Page, Product, SiteConfig


def prefix(lang: str, config: SiteConfig) -> str:
    """The default language lives at the root, the others under /<lang>/."""
    return "" if lang == config.default_language else f"{lang}/"


def home(lang: str, config: SiteConfig) -> str:
    return prefix(lang, config)


def products(lang: str, config: SiteConfig) -> str:
    return f"{prefix(lang, config)}products/"


def booths(lang: str, config: SiteConfig) -> str:
    return f"{prefix(lang, config)}booths/"


def booth(entry: Booth, lang: str, config: SiteConfig) -> str:
    return f"{prefix(lang, config)}booths/{entry.slug}/"


def product(entry: Product, lang: str, config: SiteConfig) -> str:
    return f"{prefix(lang, config)}booths/{entry.booth_slug}/{entry.slug}/"


def category(entry: Category, lang: str, config: SiteConfig) -> str:
    return f"{prefix(lang, config)}categories/{entry.key}/"


def page(entry: Page, lang: str, config: SiteConfig) -> str:
    return f"{prefix(lang, config)}{entry.slug}/"


def shortlist(lang: str, config: SiteConfig) -> str:
    """The visitor's saved products: drawn in the browser, never in the sitemap."""
    return f"{prefix(lang, config)}shortlist/"


def search_index(lang: str, config: SiteConfig) -> str:
    """The language's search index (showcase.search); offline precaching names it too."""
    return f"{prefix(lang, config)}search-index.json"


def manifest(lang: str, config: SiteConfig) -> str:
    """The language's web app manifest (showcase.offline): its start page is that
    language's home, so one per language."""
    return f"{prefix(lang, config)}manifest.webmanifest"


def service_worker() -> str:
    """At the site's root: a service worker controls only the pages below its own URL."""
    return "sw.js"


def not_found(lang: str, config: SiteConfig) -> str:
    """The "page not found" page of a language (a machine file: hosts serve 404.html at
    the root; those that look for the nearest one find en/404.html under /en/)."""
    return f"{prefix(lang, config)}404.html"


def offline(lang: str, config: SiteConfig) -> str:
    """The page the service worker shows offline for a page of that language that was
    never saved on the phone (showcase.offline); a file, so no page slug can take it."""
    return f"{prefix(lang, config)}offline.html"


def short_product(code: str, lang: str, config: SiteConfig) -> str:
    """The QR target: codes are lowercased so that typed links are forgiving."""
    return f"{prefix(lang, config)}p/{code.lower()}/"


def short_booth(code: str, lang: str, config: SiteConfig) -> str:
    return f"{prefix(lang, config)}b/{code.lower()}/"


def qr_image(kind: str, code: str, ext: str, lang: str, config: SiteConfig) -> str:
    """The QR code of a short link ("p" or "b") in a language, as published under
    [<lang>/]qr/: the default language's codes (the ones stand cards print) stay at qr/,
    another language's encode its own short link (/en/p/<code>/)."""
    return f"{prefix(lang, config)}qr/{kind}/{code.lower()}.{ext}"


# The pages and files templates name by a word: href('products'), href('search-index').
NAMED = {"home": home, "products": products, "booths": booths, "shortlist": shortlist,
         "search-index": search_index, "manifest": manifest}


def of(target: object, lang: str, config: SiteConfig) -> str:
    """The URL of a model object, or of a named page or file (see NAMED)."""
    match target:
        case Product():
            return product(target, lang, config)
        case Booth():
            return booth(target, lang, config)
        case Category():
            return category(target, lang, config)
        case Page():
            return page(target, lang, config)
        case str() if target in NAMED:
            return NAMED[target](lang, config)
    raise TypeError(f"no URL for {target!r}")


def output_path(url: str) -> str:
    """Where a page's file goes: clean URLs are folders with an index.html."""
    return f"{url}index.html" if url.endswith("/") or url == "" else url


def absolute(url: str, config: SiteConfig) -> str:
    return config.base_url + quote(url, safe="/#?=&.-_~%")


def rooted(url: str, config: SiteConfig) -> str:
    """A link from the host's root ("/pun-2019/products/"), for pages served at any depth."""
    return urlparse(config.base_url).path + quote(url, safe="/#?=&.-_~%")


def relative(from_url: str, to_url: str) -> str:
    """A link from one site path to another that works on any host and under any prefix.

    Up to the root, then down: simple, fast (pages have hundreds of links) and it
    compresses to nothing.
    """
    if from_url == to_url:
        return "./"
    up = "../" * from_url.count("/")
    return (up + to_url) or "./"
