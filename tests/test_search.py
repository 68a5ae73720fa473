"""The search index and the pages around it, read from built sites (no browser here)."""

from __future__ import annotations

import gzip
import json
import random
import re
from pathlib import Path

import pytest

from showcase.render import search, theme as themes
from showcase.errors import Problems
from showcase.model import (Availability, Booth, Category, Contact, Localised, Marketplace,
                            Price, Product, Site, SiteConfig)
from tests.helpers import BOOTH_MD, PRODUCT_MD, REPO, SCRIPT_BREAKER, make_site_at

SECOND_BOOTH = """\
---
name: Rutan Uji
code: RTN
stand: B-2
region: Jawa Barat
contact: {whatsapp: "+62 812-0000-0003"}
marketplaces: {shopee: "https://shopee.co.id/rutan-uji"}
---
Dapur rutan.
"""

BATIK = """\
---
name: {id: Kain Batik Tulis Kawung, en: Hand-drawn kawung batik}
code: RTN-010
category: batik
price: {from: 250000, to: 400000}
availability: sold-out
materials: {id: [Katun primissima, Malam], en: [Primissima cotton, Wax]}
tags: [Pewarna Alam, Café Noir]
marketplaces: {tokopedia: "https://www.tokopedia.com/rutan-uji/batik"}
---
Batik.
"""

COFFEE = """\
---
name: Kopi Robusta Salemba
code: RTN-011
category: batik
whatsapp: "0812-0000-0099"
tags: [kopi]
---
Kopi.
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A site of two booths and three products, built once: the tests here only read it."""
    site = make_site_at(tmp_path_factory.mktemp("search"), {
        "content/booths/lapas-uji/index.md": BOOTH_MD.replace("stand: A-1", "stand: A-1\nregion: DKI Jakarta"),
        "content/booths/rutan-uji/index.md": SECOND_BOOTH,
        "content/booths/rutan-uji/batik/index.md": BATIK,
        "content/booths/rutan-uji/kopi/index.md": COFFEE,
    })
    assert site.build().ok
    return site


def read_index(site, path="search-index.json") -> dict:
    return json.loads((site.output / path).read_text("utf-8"))


def product(ix: dict, code: str) -> dict:
    return next(p for p in ix["products"] if p["c"] == code)


# -- words -----------------------------------------------------------------------------

def test_fold_drops_case_and_accents_the_way_the_browser_does():
    assert search.fold("Kesét SABUT Kelapa") == "keset sabut kelapa"
    assert search.fold("Cafe\u0301 Ñoño") == "cafe nono"  # decomposed input too
    assert search.fold("ﬁne Ｒｐ") == "fine rp"  # compatibility forms (NFKD)
    assert search.tokens(["Keset, keset!", "CPN-014", "sabut_kelapa"]) == [
        "keset", "cpn", "014", "sabut", "kelapa"]
    assert search.slug("Cilacap, Jawa Tengah") == "cilacap-jawa-tengah"


def test_search_fields_weigh_a_products_own_words_over_its_booth_and_category():
    """The weights the browser ranks by: one word in a better field outweighs the same
    word in any lesser one, the category least of all."""
    names = [name for name, _ in search.RANK]
    weights = [weight for _, weight in search.RANK]
    assert names == ["name", "words", "booth", "category"]
    assert all(better >= 2 * lesser for better, lesser in zip(weights, weights[1:]))
    assert weights[-1] > 0  # a category's name still finds its products


def test_price_bands_cover_every_price_once():
    assert search.price_band(None) == "ask"
    assert search.price_band(Price(49_999, 49_999)) == "0-50000"
    assert search.price_band(Price(50_000, 50_000)) == "50000-100000"
    assert search.price_band(Price(250_000, 400_000)) == "250000-500000"  # a range: its lowest
    assert search.price_band(Price(7_500_000, 7_500_000)) == "1000000-"
    for amount in range(0, 2_000_000, 2_500):
        assert sum(band.holds(amount) for band in search.PRICE_BANDS) == 1, amount


# -- the index of a built site ------------------------------------------------------------

def test_index_holds_every_field_in_each_language(built):
    ix = read_index(built)
    assert ix["lang"] == "id" and ix["base"] == "https://example.org/pun/"
    assert [f[0] for f in ix["facets"]] == list(search.FACETS)
    assert [b["n"] for b in ix["booths"]] == ["Lapas Uji", "Rutan Uji"]
    keset, batik, coffee = product(ix, "UJI-001"), product(ix, "RTN-010"), product(ix, "RTN-011")
    assert keset["n"] == "Keset Sabut Kelapa" and keset["p"] == "Rp75.000"
    # Each product's URL, from its booth's, is a page of the site.
    for p in ix["products"]:
        assert (built.output / (ix["booths"][p["b"]]["u"] + p["u"]) / "index.html").is_file()
    # Search tokens: folded, beyond the name and code the browser already has; the
    # category's apart, beyond all those, for it weighs least.
    assert keset["s"] == "karet"  # materials "sabut kelapa" and category "Keset" are in its name
    assert "k" not in keset
    assert batik["s"] == "katun primissima malam pewarna alam cafe noir"
    assert "k" not in batik  # "Batik" is in its name
    assert coffee["s"] == "" and coffee["k"] == "batik"  # tag "kopi" is in the name
    assert ix["rank"] == [w for _, w in search.RANK]
    assert set(ix["booths"][1]["s"].split()) == {"rutan", "uji", "rtn", "b", "2", "jawa", "barat"}
    # Facets: each product's value by position.
    values = {f[0]: [v[0] for v in f[2]] for f in ix["facets"]}
    facet = lambda p, key: values[key][p["f"][search.FACETS.index(key)]]  # noqa: E731
    assert [facet(batik, k) for k in search.FACETS] == [
        "batik", "rutan-uji", "jawa-barat", "sold-out", "250000-500000"]
    assert facet(keset, "region") == "dki-jakarta" and facet(coffee, "price") == "ask"
    # Ordering: the booth's number, unless the product has its own; nothing if sold out.
    assert ix["booths"][0]["w"] == "6281200000002" and ix["booths"][1]["w"] == "6281200000003"
    assert ix["booths"][1]["m"] == [["Shopee", "https://shopee.co.id/rutan-uji"]]
    assert coffee["w"] == "6281200000099" and "o" not in coffee
    assert batik["o"] == 0 and "w" not in batik and "m" not in batik
    english = read_index(built, "en/search-index.json")
    assert english["lang"] == "en"
    assert product(english, "RTN-010")["n"] == "Hand-drawn kawung batik"
    assert english["booths"][1]["u"] == "en/booths/rutan-uji/"
    assert [v[1] for v in english["facets"][3][2]] == ["In stock", "Sold out"]
    assert english["facets"][4][2][-1] == ["ask", "Ask for price"]


def test_a_product_that_cannot_be_ordered_and_has_no_price_is_in_no_price_band(make_site):
    """"Tanya harga" offers to ask the price of something one can order: a display-only
    or sold-out product without a price is not counted there, and has no price text."""
    site = make_site({
        "content/booths/lapas-uji/kapal/index.md": PRODUCT_MD.replace("UJI-001", "UJI-002")
        .replace("price: 75000\n", "availability: display-only\n"),
        "content/booths/lapas-uji/habis/index.md": PRODUCT_MD.replace("UJI-001", "UJI-003")
        .replace("price: 75000\n", "availability: sold-out\n"),
        "content/booths/lapas-uji/tanya/index.md": PRODUCT_MD.replace("UJI-001", "UJI-004")
        .replace("price: 75000\n", "availability: made-to-order\n"),
    })
    assert site.build().ok
    ix = read_index(site)
    price = ix["facets"][search.FACETS.index("price")]
    assert [v[0] for v in price[2]] == ["50000-100000", "ask"]
    slot = search.FACETS.index("price")
    for code in ("UJI-002", "UJI-003"):
        assert product(ix, code)["f"][slot] is None and "p" not in product(ix, code)
    asking = product(ix, "UJI-004")
    assert price[2][asking["f"][slot]] == ["ask", "Tanya harga"] and asking["p"] == "Tanya harga"
    assert '<option value="ask" data-label="Tanya harga">Tanya harga (1)</option>' in site.html("products/")


def test_facets_count_products_and_leave_out_empty_values(built):
    ix = read_index(built)
    category, booth, region, availability, price = ix["facets"]
    assert category[2] == [["keset", "Keset"], ["batik", "Batik"]]
    assert [v[0] for v in availability[2]] == ["in-stock", "sold-out"]
    assert [v[0] for v in price[2]] == ["50000-100000", "250000-500000", "ask"]
    assert [v[1] for v in price[2]] == ["Rp50.000–Rp100.000", "Rp250.000–Rp500.000", "Tanya harga"]
    html = built.html("products/")
    assert '<option value="batik" data-label="Batik">Batik (2)</option>' in html
    assert '<option value="dki-jakarta" data-label="DKI Jakarta">DKI Jakarta (1)</option>' in html
    assert 'name="availability"' in html


def test_products_page_works_without_the_script(built):
    for prefix in ("", "en/"):
        html = built.html(prefix + "products/")
        # the list is whole; the form waits for the script
        assert html.count('data-code="') == 3
        assert re.search(r'<form class="search" role="search" hidden', html)
        index_link = re.search(r'data-index="([^"]+)"', html)[1]
        assert (built.output / prefix / "products" / index_link).resolve() == \
            (built.output / prefix / "search-index.json").resolve()
        assert 'href="../' in html and "categories/keset/" in html and "booths/rutan-uji/" in html
    script = re.search(r'<script src="(\.\./static/showcase\.[0-9a-f]{10}\.js)" defer></script>',
                       built.html("products/"))[1]
    assert (built.output / "products" / script).resolve().is_file()


def test_every_card_and_product_page_has_a_save_button(built):
    products_html = built.html("products/")
    page = built.html("booths/rutan-uji/batik/")
    for html, code in ((products_html, "RTN-010"), (page, "RTN-010")):
        assert re.search(rf'<button type="button" class="[^"]*save[^"]*" data-save="{code}" '
                         r'aria-pressed="false" hidden[ >]', html)
    assert ('data-off="Simpan Kain Batik Tulis Kawung" data-on="Tersimpan: Kain Batik Tulis Kawung">'
            '<span class="vh" data-label>Simpan Kain Batik Tulis Kawung</span>') in products_html
    assert 'data-off="Simpan" data-on="Tersimpan"><span data-label>Simpan</span>' in page
    assert 'data-off="Save" data-on="Saved"><span data-label>Save</span>' in built.html(
        "en/booths/rutan-uji/batik/")


def test_shortlist_page_in_every_language_noindex_and_not_in_the_sitemap(built):
    for prefix, words in (("", "Produk yang Anda simpan"), ("en/", "Your saved products")):
        html = built.html(prefix + "shortlist/")
        assert words in html
        assert '<meta name="robots" content="noindex">' in html
        assert f'data-self="https://example.org/pun/{prefix}shortlist/"' in html
        assert "{name}" in html and "{items}" in html  # message templates for the script
    assert "shortlist" not in (built.output / "sitemap.xml").read_text("utf-8")
    assert 'href="shortlist/"' in built.html("")  # reachable from every page's header


def test_shortlist_is_a_path_no_free_page_may_take(make_site):
    site = make_site({"content/pages/shortlist.md": "---\ntitle: Daftar\n---\nHalo.\n"})
    result = site.build()
    assert not result.ok
    assert any("shortlist" in str(p) and "path the site uses itself" in str(p) for p in result.errors)


def test_a_hostile_name_stays_inert_in_the_index_and_the_pages(make_site):
    site = make_site({"content/booths/lapas-uji/keset/index.md": PRODUCT_MD.replace(
        "name: {id: Keset Sabut Kelapa, en: Coconut-coir doormat}", f"name: '{SCRIPT_BREAKER}'")
        .replace("materials: [sabut kelapa, karet]", f"materials: ['{SCRIPT_BREAKER}']")})
    assert site.build().ok
    raw = (site.output / "search-index.json").read_bytes()
    assert b"<" not in raw and b">" not in raw  # inert even if someone inlines it
    ix = json.loads(raw)
    assert ix["products"][0]["n"] == SCRIPT_BREAKER
    for url in ("products/", "booths/lapas-uji/keset/", "shortlist/", ""):
        html = site.html(url)
        assert "<img src=x" not in html and "</script><img" not in html, url


# -- size ---------------------------------------------------------------------------------

WORDS = ("keset sabut kelapa batik tulis cap kawung parang kursi meja rak jati trembesi mahoni "
         "dompet tas sabuk sepatu kulit sapi anyaman pandan rotan bambu kopi robusta arabika "
         "keripik singkong tempe sambal bawang kue nastar mukena bordir taplak sulam topi rajut "
         "kaos sablon lukisan kanvas miniatur kapal pinisi sarung tangan las motor berkebun "
         "pot bunga lampu hias gelang kalung cincin perak tembaga gerabah tanah liat").split()


def large_site(n_products: int, seed: int = 0) -> Site:
    """A model of n products with varied names, as a real exhibition has (10 a booth)."""
    rng = random.Random(seed)
    words = lambda k: " ".join(rng.sample(WORDS, k)).title()  # noqa: E731
    categories = tuple(Category(k, Localised.of({"id": k.title(), "en": k}, "id"), None)
                       for k in ("keset", "batik", "mebel", "kulit", "kerajinan", "kuliner"))
    config = SiteConfig(Localised.of({"id": "Pameran"}, "id"), "https://pameran.example.org/pun-2027/",
                        ("id", "en"), categories)
    booths = []
    for b in range(n_products // 10):
        slug = f"lapas-kelas-iia-{words(1).lower()}-{b}"
        products = tuple(Product(
            slug=f"{words(2).lower().replace(' ', '-')}-{p}", booth_slug=slug, src_path=Path("x"),
            code=f"B{b:03d}-{p:03d}",
            name=Localised.of({"id": f"{words(3)} {words(1)}", "en": f"{words(3)}"}, "id"),
            category=rng.choice(categories).key, body=Localised.of({"id": ""}, "id"),
            price=Price(rng.randrange(5, 300) * 5000, rng.randrange(5, 300) * 5000 + 50_000)
            if p % 5 == 0 else Price(*(2 * [rng.randrange(5, 300) * 5000])),
            availability=rng.choice(list(Availability)),
            materials=Localised.of({"id": (words(2), words(1)), "en": (words(2),)}, "id"),
            tags=tuple(words(1).lower() for _ in range(3)),
            marketplaces=(Marketplace("tokopedia", "Tokopedia",
                                      f"https://www.tokopedia.com/{slug}/{b}-{p}"),) if p % 3 == 0 else ())
            for p in range(10))
        booths.append(Booth(slug, Path("x"), f"B{b:03d}", Localised.of({"id": f"Lapas {words(2)}"}, "id"),
                            Localised.of({"id": ""}, "id"), Contact(whatsapp=f"0812-{b:04d}-{b:04d}"),
                            stand=f"A-{b}", region=rng.choice(("Jawa Barat", "Banten", "DKI Jakarta")),
                            marketplaces=(Marketplace("shopee", "Shopee", f"https://shopee.co.id/{slug}"),),
                            products=products))
    return Site(config, tuple(booths), (), Path("x"))


def test_index_of_1000_products_stays_small():
    """The README's budget: a phone fetches (and the offline cache keeps) one language's
    index. These names are random draws from 70 words, which compress worse than a real
    catalogue's (bench.search_index: 17 KB); even so, no more than one product photo."""
    theme = themes.load((REPO / "themes" / "default",), ("id", "en"), Problems())
    site = large_site(1000)
    files = search.index_files(site, theme.strings)
    assert set(files) == {"search-index.json", "en/search-index.json"}
    for data in files.values():
        assert len(json.loads(data)["products"]) == 1000
        assert len(data) < 230_000, len(data)
        assert len(gzip.compress(data, 9)) < 48_000, len(gzip.compress(data, 9))
