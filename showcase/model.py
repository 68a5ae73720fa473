"""The exhibition as frozen data: what the loader produces and the renderer reads.

Nothing here touches the file system or knows about URLs (see `urls`), so the same
`Site` can be rendered, checked, or turned into stand cards.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, Iterator, Mapping, TypeVar

T = TypeVar("T")


class Declared:
    """An entry whose values come from the field registry. A field added only to the
    registry, with no attribute here, is kept in `extra` and read like an attribute
    (`product.min_order` in a template): adding a field is its declaration and the
    template line that shows it."""

    def __getattr__(self, name: str):
        if not name.startswith("__"):
            for key, value in self.__dict__.get("extra", ()):
                if key == name:
                    return value
        raise AttributeError(f"{type(self).__name__} has no field {name!r}")


@dataclass(frozen=True)
class Localised(Generic[T]):
    """A value in one or more languages; a missing language falls back to the default."""

    values: tuple[tuple[str, T], ...]
    default: str

    @classmethod
    def of(cls, values: dict[str, T] | None, default: str) -> Localised[T] | None:
        if not values:
            return None
        return cls(tuple(sorted(values.items())), default)

    def get(self, lang: str) -> T:
        mapping = dict(self.values)
        return mapping.get(lang, mapping.get(self.default, next(iter(mapping.values()))))

    def has(self, lang: str) -> bool:
        return any(code == lang for code, _ in self.values)


class Availability(enum.Enum):
    IN_STOCK = "in-stock"
    MADE_TO_ORDER = "made-to-order"
    SOLD_OUT = "sold-out"
    DISPLAY_ONLY = "display-only"

    @property
    def orderable(self) -> bool:
        """Whether the page should offer ways to buy."""
        return self in (Availability.IN_STOCK, Availability.MADE_TO_ORDER)

    @property
    def schema_org(self) -> str:
        return {
            Availability.IN_STOCK: "https://schema.org/InStock",
            Availability.MADE_TO_ORDER: "https://schema.org/MadeToOrder",
            Availability.SOLD_OUT: "https://schema.org/SoldOut",
            # Google: "not accepting orders, or the product isn't available for purchase".
            Availability.DISPLAY_ONLY: "https://schema.org/OutOfStock",
        }[self]


@dataclass(frozen=True)
class Price:
    """Whole rupiah; `low == high` for a single price."""

    low: int
    high: int

    @property
    def is_range(self) -> bool:
        return self.low != self.high


@dataclass(frozen=True)
class Photo:
    """A source photo beside its entry; only processed versions are ever published.

    `width`/`height` are the upright size (after EXIF orientation), read from the header
    at load time so that rendering can size `<img>` without decoding anything.
    """

    src_path: Path
    digest: str
    width: int
    height: int
    alt: Localised[str] | None = None
    placeholder: str | None = None  # "#rrggbb", painted behind the image while it loads


@dataclass(frozen=True)
class Contact:
    whatsapp: str | None = None
    phone: str | None = None
    email: str | None = None
    instagram: str | None = None
    website: str | None = None

    def merged_over(self, fallback: Contact) -> Contact:
        """This contact with its gaps filled from `fallback` (the site's default)."""
        return Contact(**{name: getattr(self, name) or getattr(fallback, name)
                          for name in self.__dataclass_fields__})


def whatsapp_digits(number: str) -> str:
    """wa.me wants the international number in digits: Indonesian 0812… becomes 62812…."""
    digits = re.sub(r"\D", "", number)
    if number.strip().startswith("+"):
        return digits
    if digits.startswith("0"):
        return "62" + digits[1:]
    return digits


@dataclass(frozen=True)
class Marketplace:
    key: str
    name: str
    url: str


@dataclass(frozen=True)
class Category:
    key: str
    name: Localised[str]
    description: Localised[str] | None = None


@dataclass(frozen=True)
class Product(Declared):
    slug: str
    booth_slug: str
    src_path: Path
    code: str
    name: Localised[str]
    category: str
    body: Localised[str]
    price: Price | None = None
    price_note: Localised[str] | None = None
    photos: tuple[Photo, ...] = ()
    availability: Availability = Availability.IN_STOCK
    materials: Localised[tuple[str, ...]] | None = None
    dimensions: Localised[str] | None = None
    tags: tuple[str, ...] = ()
    marketplaces: tuple[Marketplace, ...] = ()
    whatsapp: str | None = None
    featured: bool = False
    # None unless the maker agreed to be credited: the loader drops it otherwise.
    maker: Localised[str] | None = None
    draft: bool = False
    languages: tuple[str, ...] = ()  # languages with a translation file or values
    extra: tuple[tuple[str, Any], ...] = ()  # see Declared


@dataclass(frozen=True)
class Booth(Declared):
    slug: str
    src_path: Path
    code: str
    name: Localised[str]
    body: Localised[str]
    contact: Contact
    stand: str | None = None
    region: str | None = None
    logo: Photo | None = None
    cover: Photo | None = None
    marketplaces: tuple[Marketplace, ...] = ()
    order: int | None = None
    products: tuple[Product, ...] = ()
    extra: tuple[tuple[str, Any], ...] = ()  # see Declared

    def sort_key(self, lang: str) -> tuple:
        return (self.order if self.order is not None else 1 << 30, self.name.get(lang).casefold())


@dataclass(frozen=True)
class Page(Declared):
    """A free page: about, visiting, how to order."""

    slug: str
    src_path: Path
    title: Localised[str]
    body: Localised[str]
    menu: int | None = None
    description: Localised[str] | None = None
    extra: tuple[tuple[str, Any], ...] = ()  # see Declared


@dataclass(frozen=True)
class Venue:
    name: Localised[str]
    address: Localised[str] | None = None
    map_url: str | None = None


@dataclass(frozen=True)
class Event:
    start: dt.date | None = None
    end: dt.date | None = None
    hours: Localised[str] | None = None
    venue: Venue | None = None


@dataclass(frozen=True)
class Organiser:
    name: Localised[str]
    email: str | None = None
    phone: str | None = None
    whatsapp: str | None = None
    website: str | None = None


@dataclass(frozen=True)
class ImageSettings:
    """The image pipeline's parameters; every one of them is part of a variant's name.

    The defaults come from measurements on real photos (see bench/README.md).
    """

    # 800 is what a 390 px phone at DPR 2 needs for a full-width photo; 1200 serves
    # DPR 3 phones and cards on desktops; 1600 covers and large screens.
    widths: tuple[int, ...] = (480, 800, 1200, 1600)
    # AVIF first (<source> order is preference order), JPEG for the browsers without it.
    formats: tuple[str, ...] = ("avif", "jpeg")
    # The lowest qualities at which the median SSIM stays >= 0.97 and the worst photo
    # >= 0.93 (textures like rattan and batik smear below them).
    qualities: tuple[tuple[str, int], ...] = (("avif", 60), ("webp", 80), ("jpeg", 80))

    def quality_of(self, fmt: str) -> int:
        return dict(self.qualities)[fmt]

    @property
    def fallback_format(self) -> str:
        """What every browser and crawler reads: JPEG if made, else the last format."""
        return "jpeg" if "jpeg" in self.formats else self.formats[-1]


@dataclass(frozen=True)
class Admin:
    """Where the browser editor at /admin/ saves: a repository and branch on a git host."""

    repo: str
    branch: str = "main"
    backend: str = "github"
    review: bool = True  # edits arrive as pull requests (Decap's editorial workflow)
    auth_url: str | None = None  # the OAuth service logging in goes through (Decap's base_url)
    self_hosted: bool = False  # the CMS's script from the site's admin/ folder, not a CDN


@dataclass(frozen=True)
class SiteConfig:
    title: Localised[str]
    base_url: str
    languages: tuple[str, ...]
    categories: tuple[Category, ...]
    tagline: Localised[str] | None = None
    description: Localised[str] | None = None
    event: Event = field(default_factory=Event)
    organiser: Organiser | None = None
    currency: str = "IDR"
    contact: Contact = field(default_factory=Contact)
    marketplace_names: tuple[tuple[str, str], ...] = ()
    theme: str = "default"
    images: ImageSettings = field(default_factory=ImageSettings)
    admin: Admin | None = None  # None: no /admin/

    @property
    def default_language(self) -> str:
        return self.languages[0]


@dataclass(frozen=True)
class Products:
    """All published products with the queries pages need."""

    items: tuple[Product, ...]

    def __iter__(self) -> Iterator[Product]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def in_category(self, key: str) -> tuple[Product, ...]:
        return tuple(p for p in self.items if p.category == key)

    def featured(self) -> tuple[Product, ...]:
        return tuple(p for p in self.items if p.featured)


@dataclass(frozen=True)
class Written:
    """Where an entry's fields were written: kept by the loader so that `check` can point
    at a line, and say what the model leaves out on purpose, without reading the files
    again."""

    path: Path
    lines: Mapping[str, int]          # field -> its line in `path` (nested: contact.whatsapp)
    body_line: int | None = None      # where the Markdown body starts, if it has text
    translations: tuple[tuple[str, Path, Mapping[str, int]], ...] = ()  # (lang, file, lines)
    photos: tuple[Path, ...] = ()     # the photos in the entry's folder
    # The photos listed under images: (file name, line), or None when they are discovered.
    images: tuple[tuple[str | None, int | None], ...] | None = None
    maker_consent: bool | None = None  # as written: the model drops an unconsented maker


@dataclass(frozen=True)
class Sources:
    """What the content files said beyond the model, by entry (its src_path)."""

    entries: Mapping[Path, Written] = field(default_factory=dict)
    # site.yaml's localised values: (dotted field, line, the languages written).
    site_localised: tuple[tuple[str, int | None, tuple[str, ...]], ...] = ()
    site_lines: Mapping[str, int] = field(default_factory=dict)  # site.yaml: dotted field -> line


@dataclass(frozen=True)
class Site:
    config: SiteConfig
    booths: tuple[Booth, ...]
    pages: tuple[Page, ...]
    root: Path  # the content folder
    # Where the short links of retired printed codes lead ("/booths/x/").
    retired: tuple[tuple[str, str, str], ...] = ()  # (kind "p"/"b", code, path)
    sources: Sources = field(default_factory=Sources, compare=False, repr=False)

    @property
    def products(self) -> Products:
        return Products(tuple(p for b in self.booths for p in b.products))

    def booth_of(self, product: Product) -> Booth:
        return next(b for b in self.booths if b.slug == product.booth_slug)

    def category(self, key: str) -> Category:
        return next(c for c in self.config.categories if c.key == key)

    def menu(self) -> tuple[Page, ...]:
        return tuple(sorted((p for p in self.pages if p.menu is not None),
                            key=lambda p: (p.menu, p.slug)))
