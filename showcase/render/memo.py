"""What each page was rendered from, so that an edit re-renders only the pages it can change.

A page is a function of the site model, the theme and its own spec. Hashing the whole
model for every page would cost as much as rendering it, so the model is split in two:

- the skeleton: everything but the Markdown bodies of entries, hashed once per build.
  Lists, navigation and product cards show names, prices, photos and categories on
  almost every page, so a change there (or to site.yaml, or the theme) re-renders all.
- the bodies, hashed one by one. A page depends on the bodies it rendered, which the
  renderer records as templates call `markdown()` or `loc` on them, and on its own
  description (part of its `PageInfo`, which is in its key).

So a sentence fixed in one product's description re-renders that product's pages and
nothing else. The last build's pages are reused only when the output folder still holds
exactly what that build wrote (the build stamp's listing), since reuse means leaving
those files where they are.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from showcase.files import write_atomic
from showcase.model import Site

# Bump when the memo's contents change meaning.
MEMO_VERSION = 3


@dataclass(frozen=True)
class PageRecord:
    """What one page was made from: its key, the bodies it rendered, the photos it showed."""

    key: str
    bodies: tuple[tuple[str, str], ...]  # (entry, body digest)
    photos: tuple[tuple[str, str], ...]  # (source path, photo digest)


@dataclass(frozen=True)
class Memo:
    """The records of one build: what all its pages share, output path -> PageRecord,
    and the files made from nothing else (sitemap, search indexes, service worker)."""

    shared: str  # see `shared`
    pages: dict[str, PageRecord]
    common: tuple[str, ...] = ()

    def fresh(self, path: str, key: str, bodies: dict[str, str]) -> PageRecord | None:
        """The page's record if rendering it again would give the same bytes, else None."""
        record = self.pages.get(path)
        if record is None or record.key != key:
            return None
        if any(bodies.get(entry) != digest for entry, digest in record.bodies):
            return None
        return record


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()


def skeleton(site: Site) -> str:
    """A digest of the whole model except the Markdown bodies of booths, products and pages.

    `repr` of the frozen dataclasses is exact and deterministic: every field, in order.
    """
    bare = dataclasses.replace(
        site,
        booths=tuple(dataclasses.replace(booth, body=None, products=tuple(
            dataclasses.replace(product, body=None) for product in booth.products))
            for booth in site.booths),
        pages=tuple(dataclasses.replace(page, body=None) for page in site.pages))
    return _digest(repr(bare))


def bodies(site: Site) -> dict[int, tuple[str, str]]:
    """id(body) -> (entry name, digest of the body) for every entry of the site.

    Keyed by identity: templates hand the renderer the body object itself, and two
    entries whose bodies are equal are still two entries.
    """
    owners: dict[int, tuple[str, str]] = {}
    for booth in site.booths:
        owners[id(booth.body)] = (f"b:{booth.code}", _digest(repr(booth.body)))
        for product in booth.products:
            owners[id(product.body)] = (f"p:{product.code}", _digest(repr(product.body)))
    for page in site.pages:
        owners[id(page.body)] = (f"page:{page.slug}", _digest(repr(page.body)))
    return owners


def shared(site: Site, code_and_themes: str) -> str:
    """What every page is made from: the skeleton, and a digest of the code and themes.
    Files that depend on nothing else (QR codes) are the same while this is."""
    return _digest(f"{skeleton(site)}\0{code_and_themes}")


def page_key(shared_digest: str, template: str, page: Any) -> str:
    """A page's key: what all pages share, its template and its PageInfo."""
    return _digest(f"{shared_digest}\0{template}\0{page!r}")


def load(path: Path) -> Memo | None:
    try:
        stored = json.loads(path.read_text("utf-8"))
        if stored["version"] != MEMO_VERSION:
            return None
        return Memo(stored["shared"], {
            name: PageRecord(key, tuple(map(tuple, bodies)), tuple(map(tuple, photos)))
            for name, (key, bodies, photos) in stored["pages"].items()}, tuple(stored["common"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def save(path: Path, memo: Memo) -> None:
    data = {"version": MEMO_VERSION, "shared": memo.shared, "common": memo.common,
            "pages": {name: [r.key, r.bodies, r.photos] for name, r in sorted(memo.pages.items())}}
    write_atomic(path, json.dumps(data, separators=(",", ":")), durable=False)  # damaged: all rendered


def forget(path: Path) -> None:
    """Drop the memo: the output it describes is about to change without it."""
    path.unlink(missing_ok=True)
