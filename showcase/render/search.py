"""Search, facets and the shortlist's data: what the visitor's phone needs without a server.

The build writes one compact JSON index per language (`search-index.json` for the
default language, `<lang>/search-index.json` for the others). `/products/` filters its
server-rendered cards with it, and `/shortlist/` draws the saved products from it, so
the published site stays plain files. Words are folded here (NFKD, marks stripped,
lower case) and split into tokens; the browser folds the query the same way and
matches tokens by prefix, so "keset" finds "Keset Sabut Kelapa" and "kesét" does too.

A product's words sit in fields that weigh differently (`RANK`): what the product is
called counts most, its booth less, the category it is filed under least, so a query
lists the products that *are* what was asked before those merely filed near it.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Mapping

from showcase import urls
from showcase.i18n import Strings, format_amount, format_price
from showcase.model import Availability, Booth, Localised, Price, Product, Site, whatsapp_digits

# The facets in the order the page shows them; also the names of their URL parameters.
FACETS = ("category", "booth", "region", "availability", "price")


@dataclass(frozen=True)
class PriceBand:
    """A range of whole rupiah, `high` excluded; `high=None` is open-ended."""

    low: int
    high: int | None

    @property
    def key(self) -> str:  # the URL parameter's value: ?price=50000-100000
        return f"{self.low}-{self.high if self.high is not None else ''}"

    def holds(self, amount: int) -> bool:
        return amount >= self.low and (self.high is None or amount < self.high)


# Bands an exhibition visitor thinks in: a snack or a gift under Rp50.000, a doormat or a
# scarf under Rp100.000, a bag or shoes under Rp250.000 / Rp500.000, furniture above.
PRICE_BANDS = (PriceBand(0, 50_000), PriceBand(50_000, 100_000), PriceBand(100_000, 250_000),
               PriceBand(250_000, 500_000), PriceBand(500_000, 1_000_000),
               PriceBand(1_000_000, None))
ASK_PRICE = "ask"  # the band of products without a price

# What a query word is worth, by the field it is found in: a product's name and code;
# its own words (materials, tags); its booth (name, code, stand, region); its category.
# Each word counts once, at the best field it is found in, and the browser lists the
# products a query finds by the sum, ties in the page's own order. A category name is
# shared by every product filed under it and describes none of them in particular
# ("sarung" is in "Pakaian & Sarung Tangan", which holds T-shirts and shoes too), so it
# weighs least: it still finds the whole category, after the products named so. Each
# field weighs twice the next, so one word in a better field outweighs it in a lesser
# one, whatever else matched.
RANK = (("name", 8), ("words", 4), ("booth", 2), ("category", 1))


@dataclass(frozen=True)
class FacetValue:
    key: str  # in the URL
    label: str
    count: int  # products with this value, before any filter
    lang: str | None = None  # the label's language where it is not the page's (a fallback)


@dataclass(frozen=True)
class Facet:
    key: str  # one of FACETS
    label: str
    values: tuple[FacetValue, ...]


# -- words ---------------------------------------------------------------------------

def fold(text: str) -> str:
    """Lower case without accents: "Kesét" -> "keset". The browser's `fold` in
    showcase.js does the same (NFKD, drop every mark, toLowerCase)."""
    if text.isascii():  # most words, and NFKD leaves ASCII as it is
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.category(c).startswith("M")).lower()


_TOKEN = re.compile(r"[^\W_]+")  # letters and digits, as /[\p{L}\p{N}]+/gu in the browser


def tokens(texts: Iterable[str]) -> list[str]:
    """The folded words of some texts, each once, in order of appearance."""
    seen: dict[str, None] = {}
    for text in texts:
        for token in _TOKEN.findall(fold(text)):
            seen.setdefault(token)
    return list(seen)


def slug(text: str) -> str:
    """A URL-safe key for a free-text value (a booth's region): "Cilacap, Jawa Tengah" ->
    "cilacap-jawa-tengah"."""
    return "-".join(tokens([text])) or "-"


# -- what each product is, facet by facet ------------------------------------------------

def price_band(price: Price | None) -> str:
    """The band of a product's price; a range counts by its lowest price ("from Rp...")."""
    if price is None:
        return ASK_PRICE
    return next(band.key for band in PRICE_BANDS if band.holds(price.low))


def facet_keys(product: Product, booth: Booth) -> tuple[str | None, ...]:
    """The product's value of every facet, in FACETS order (None: it has none; a product
    that cannot be ordered and has no price is in no price band, not "ask for price")."""
    return (product.category, booth.slug, slug(booth.region) if booth.region else None,
            product.availability.value, price_band(product.price) if product.priced else None)


def foreign(name: Localised[str], lang: str) -> str | None:
    """The language `name` is shown in on a `lang` page, if not `lang` (a fallback)."""
    written = name.language(lang)
    return None if written == lang else written


def _band_label(key: str, lang: str, strings: Strings) -> str:
    if key == ASK_PRICE:
        return strings("ask_price")
    band = next(b for b in PRICE_BANDS if b.key == key)
    if band.low == 0:
        return strings("price_under", amount=format_amount(band.high, lang))
    if band.high is None:
        return strings("price_over", amount=format_amount(band.low, lang))
    return f"{format_amount(band.low, lang)}–{format_amount(band.high, lang)}"


def facets(site: Site, lang: str, strings: Strings) -> tuple[Facet, ...]:
    """Every facet with the values products have, labelled in `lang`, with their counts.

    Values come in the site's own order (categories as in site.yaml, booths as listed,
    availability as declared, prices ascending), regions alphabetically.
    """
    counts: list[dict[str, int]] = [{} for _ in FACETS]
    for booth in site.booths:
        for product in booth.products:
            for slot, key in zip(counts, facet_keys(product, booth)):
                if key is not None:
                    slot[key] = slot.get(key, 0) + 1
    # (key, label, the label's language if not `lang`): names an organiser wrote may
    # fall back to the default language; regions are place names, the theme's words are
    # the page's own.
    labels: list[list[tuple[str, str, str | None]]] = [
        [(c.key, c.name.get(lang), foreign(c.name, lang)) for c in site.config.categories],
        [(b.slug, b.name.get(lang), foreign(b.name, lang)) for b in site.booths],
        sorted(((k, region, None) for k, region in
                {slug(b.region): b.region for b in reversed(site.booths) if b.region}.items()),
               key=lambda kv: kv[0]),
        [(a.value, strings(f"availability_{a.value}"), None) for a in Availability],
        [(key, _band_label(key, lang, strings), None) for key in
         [b.key for b in PRICE_BANDS] + [ASK_PRICE]],
    ]
    return tuple(
        Facet(key, strings(key), tuple(FacetValue(k, label, slot[k], written)
                                       for k, label, written in values if slot.get(k)))
        for key, slot, values in zip(FACETS, counts, labels))


# -- the index ---------------------------------------------------------------------------

def _shops(marketplaces) -> list[list[str]]:
    return [[m.name, m.url] for m in marketplaces]


def index(site: Site, lang: str, strings: Strings,
          all_facets: tuple[Facet, ...] | None = None) -> dict[str, Any]:
    """The compact index of one language.

    `facets`: [key, label, [[value key, label], ...]] in FACETS order; a product's `f`
    holds the position of its value in each (null: none). `booths`: name `n`, URL `u`
    (from the site root), stand `st`, WhatsApp digits `w`, shops `m`, search tokens `s`.
    A booth's or product's `l` is the language its `n` is in, only where that is not the
    index's (a name with no translation, shown in the default language), so the browser
    can mark it as the pages do; absent for nearly every name, it costs next to nothing.
    `products`: code `c`, name `n`, URL `u` (from its booth's URL, as the contract nests
    them), booth position `b`, price text `p` (absent where `Product.priced` is false),
    search tokens `s` of its own words beyond those of its name and code (the browser
    takes those from `n` and `c`: a third of the index saved), `k` of its category's name
    beyond all those (absent if none), and only where they differ from the booth's: its
    own WhatsApp digits `w` and shops `m`; `o: 0` marks one that cannot be ordered now.
    `rank`: the weights of RANK, in its order (name and code, `s`, the booth's `s`, `k`).
    `all_facets`: the language's facets, if the caller has them already (the product
    list shows them too).
    """
    config = site.config
    all_facets = all_facets if all_facets is not None else facets(site, lang, strings)
    positions = [{v.key: n for n, v in enumerate(f.values)} for f in all_facets]
    categories = {c.key: c.name.get(lang) for c in config.categories}
    booths, products = [], []
    for booth in site.booths:
        if not booth.products:
            continue
        record: dict[str, Any] = {"n": booth.name.get(lang), "u": urls.booth(booth, lang, config)}
        if written := foreign(booth.name, lang):
            record["l"] = written
        if booth.stand:
            record["st"] = booth.stand
        if booth.contact.whatsapp:
            record["w"] = whatsapp_digits(booth.contact.whatsapp)
        if booth.marketplaces:
            record["m"] = _shops(booth.marketplaces)
        record["s"] = " ".join(tokens([booth.name.get(lang), booth.code, booth.stand or "",
                                       booth.region or ""]))
        for product in booth.products:
            name = product.name.get(lang)
            materials = product.materials.get(lang) if product.materials is not None else ()
            own = set(tokens([name, product.code]))
            words = [t for t in tokens([*materials, *product.tags]) if t not in own]
            category = [t for t in tokens([categories[product.category]])
                        if t not in own and t not in words]
            entry: dict[str, Any] = {
                "c": product.code, "n": name,
                "u": urls.product(product, lang, config).removeprefix(record["u"]),
                "b": len(booths),
                "f": [None if key is None else where[key] for key, where in
                      zip(facet_keys(product, booth), positions)],
            }
            if written := foreign(product.name, lang):
                entry["l"] = written
            if product.priced:
                entry["p"] = format_price(product.price, lang, strings("ask_price"))
            entry["s"] = " ".join(words)
            if category:
                entry["k"] = " ".join(category)
            if not product.availability.orderable:
                entry["o"] = 0
            elif product.whatsapp:
                entry["w"] = whatsapp_digits(product.whatsapp)
            if product.availability.orderable and product.marketplaces:
                entry["m"] = _shops(product.marketplaces)
            products.append(entry)
        booths.append(record)
    return {
        "lang": lang, "base": config.base_url, "rank": [weight for _, weight in RANK],
        "facets": [[f.key, f.label, [[v.key, v.label] for v in f.values]] for f in all_facets],
        "booths": booths, "products": products,
    }


def to_json(data: Any) -> bytes:
    """Compact UTF-8 JSON in which no `<`, `>` or `&` appears raw, so that a name like
    `</script>` stays inert even if the index is ever inlined into a page."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .encode("utf-8"))


def index_files(site: Site, strings: Mapping[str, Strings],
                facets_of: Callable[[str], tuple[Facet, ...]] | None = None) -> dict[str, bytes]:
    """`{output path: bytes}` of every language's index, for the renderer to publish;
    `facets_of(lang)` gives a language's facets if the caller has worked them out."""
    config = site.config
    return {urls.search_index(lang, config): to_json(index(
        site, lang, strings[lang], facets_of(lang) if facets_of else None))
            for lang in config.languages}
