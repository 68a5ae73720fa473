"""The files a site has one of, or one per language, beside its pages.

`sitemap.xml`, `robots.txt` and `_redirects` for search engines and hosts, each
language's search index and web app manifest, and the service worker (`offline`). None
of them is a page: they list the pages, so the renderer gathers what they need while it
renders and hands it to `files`. They are made from what every page shares, so while
that is unchanged (the memo's shared digest) `pages.render_site` keeps the last build's.
"""

from __future__ import annotations

import json
from collections.abc import Container, Mapping
from typing import Any, Callable
from xml.sax.saxutils import escape as xml_escape

from showcase import urls
from showcase.assets import images
from showcase.model import Site, SiteConfig
from showcase.render import offline, search
from showcase.render.theme import Theme

def files(site: Site, theme: Theme, sitemap: list[tuple[str, dict[str, str]]],
          redirects: list[tuple[str, str]], published: Mapping[str, bytes],
          pages: Container[str], variants: Mapping[str, images.Variant], plan: images.Plan,
          facets: Callable[[str], tuple[search.Facet, ...]]) -> dict[str, bytes]:
    """Every site-wide file, as `{output path: bytes}`.

    `sitemap` lists the pages search engines should know, each with its URL per
    language; `redirects` every short link and where it leads. `published` (what the
    renderer publishes besides), `pages`, `variants` and `plan` are what the service
    worker's list is made from (see `offline.files`); `facets(lang)` the facets the
    product list showed, which the search index holds too.
    """
    config = site.config
    made = {"sitemap.xml": sitemap_xml(sitemap, config),
            "robots.txt": robots_txt(config),
            "_redirects": redirects_file(redirects, config),
            **search.index_files(site, theme.strings, facets)}
    made.update((urls.manifest(lang, config), manifest(site, theme, lang))
                for lang in config.languages)
    made.update(offline.files(site, theme, {**published, **made}, pages, variants, plan))
    return made


def robots_txt(config: SiteConfig) -> bytes:
    # The editor's page says noindex itself; this keeps crawlers from fetching it at all.
    hidden = f"Disallow: {urls.rooted('admin/', config)}\n" if config.admin else ""
    return (f"User-agent: *\nAllow: /\n{hidden}\n"
            f"Sitemap: {urls.absolute('sitemap.xml', config)}\n").encode()


def sitemap_xml(entries: list[tuple[str, dict[str, str]]], config: SiteConfig) -> bytes:
    """A sitemap with hreflang alternates, as search engines document it."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
             'xmlns:xhtml="http://www.w3.org/1999/xhtml">']
    for url, alternates in entries:
        lines.append(f"  <url>\n    <loc>{xml_escape(urls.absolute(url, config))}</loc>")
        if len(alternates) > 1:
            for lang, other in alternates.items():
                lines.append(f'    <xhtml:link rel="alternate" hreflang="{lang}" '
                             f'href="{xml_escape(urls.absolute(other, config))}"/>')
        lines.append("  </url>")
    lines.append("</urlset>\n")
    return "\n".join(lines).encode("utf-8")


def redirects_file(redirects: list[tuple[str, str]], config: SiteConfig) -> bytes:
    """Short links as real 301s for hosts that read `_redirects` (Netlify, Cloudflare
    Pages); the redirect pages stay for every other host."""
    lines = ["# Short links (printed QR codes) as permanent redirects; written by showcase."]
    lines += [f"{urls.rooted(short, config)} {urls.rooted(target, config)} 301"
              for short, target in sorted(redirects)]
    return ("\n".join(lines) + "\n").encode("utf-8")


def short_name(title: str, limit: int = 12) -> str:
    """What fits under a home-screen icon: the title, or its initials and numbers
    ("Pameran Produk Unggulan Narapidana 2019" -> "PPUN 2019")."""
    if len(title) <= limit:
        return title
    words = title.split()
    initials = "".join(w[0] for w in words if w[0].isalpha()).upper()
    numbers = [w for w in words if w.isdigit()]
    return " ".join([initials, *numbers])[:limit] or title[:limit]


def manifest(site: Site, theme: Theme, lang: str) -> bytes:
    """A language's web app manifest; its links are relative to its own URL."""
    config = site.config
    here = urls.manifest(lang, config)
    title = config.title.get(lang)
    data: dict[str, Any] = {
        "name": title, "short_name": short_name(title), "lang": lang, "dir": "ltr",
        "start_url": urls.relative(here, urls.home(lang, config)),
        "scope": urls.relative(here, ""),
        "display": "standalone",
        "theme_color": theme.settings.theme_color,
        "background_color": theme.settings.background_color,
    }
    blurb = config.tagline or config.description
    if blurb is not None:
        data["description"] = blurb.get(lang)
    data["icons"] = [{"src": urls.relative(here, theme.static[name][0]),
                      "sizes": f"{size}x{size}", "type": "image/png", "purpose": purpose}
                     for name, size, purpose in theme.settings.icons if name in theme.static]
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
