"""What search engines and link previews read, on the built sample and on small sites.

Every product page's JSON-LD is parsed and held to Google's product-snippet rules
(developers.google.com/search/docs/appearance/structured-data/product-snippet): a
Product has a `name`, images, and `offers` with a price, `priceCurrency` and an
`availability` from schema.org's ItemAvailability. Every property used must exist on
its type in the schema.org vocabulary (the table below is copied from schema.org's type
pages, inherited properties included).
"""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
from PIL import Image

from showcase import urls
from showcase.load import loader
from showcase.model import Availability
from tests.helpers import SAMPLE_BASE_URL, photo_bytes

# schema.org: the properties this site uses, per type (each listed on the type's page).
VOCABULARY = {
    "Product": {"name", "sku", "url", "image", "description", "category", "brand", "material",
                "offers"},
    "Offer": {"price", "priceCurrency", "availability", "itemCondition", "url", "seller"},
    "AggregateOffer": {"lowPrice", "highPrice", "priceCurrency", "availability", "itemCondition",
                       "url", "seller"},
    "Organization": {"name", "url", "description", "logo", "image", "location", "telephone",
                     "email", "sameAs"},
    "Brand": {"name"},
    "BreadcrumbList": {"itemListElement"},
    "ListItem": {"position", "name", "item"},
    "Event": {"name", "url", "startDate", "endDate", "eventStatus", "eventAttendanceMode",
              "description", "image", "location", "organizer"},
    "Place": {"name", "address", "hasMap"},
}
# schema.org's ItemAvailability members that Google's product snippets accept.
AVAILABILITY = {f"https://schema.org/{name}" for name in (
    "BackOrder", "Discontinued", "InStock", "InStoreOnly", "LimitedAvailability", "MadeToOrder",
    "OnlineOnly", "OutOfStock", "PreOrder", "PreSale", "Reserved", "SoldOut")}


class Head(HTMLParser):
    """A page's JSON-LD blocks, its meta tags by name/property, and its link rels."""

    def __init__(self):
        super().__init__()
        self.json_ld: list[str] = []
        self.meta: dict[str, str] = {}
        self.links: list[tuple[str, str, str | None]] = []
        self.title = ""
        self.inline_scripts = 0  # <script> elements other than JSON-LD without a src
        self._in: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script" and a.get("type") == "application/ld+json":
            self._in = "ld"
            self.json_ld.append("")
        elif tag == "script" and not a.get("src"):
            self.inline_scripts += 1
        elif tag == "title":
            self._in = "title"
        elif tag == "meta" and (a.get("property") or a.get("name")):
            self.meta[a.get("property") or a["name"]] = a.get("content", "")
        elif tag == "link":
            self.links.append((a.get("rel", ""), a.get("href", ""), a.get("hreflang")))

    def handle_endtag(self, tag):
        self._in = None

    def handle_data(self, data):
        if self._in == "ld":
            self.json_ld[-1] += data
        elif self._in == "title":
            self.title += data


def head(path: Path) -> Head:
    parser = Head()
    parser.feed(path.read_text("utf-8"))
    return parser


def nodes(page: Head) -> list[dict]:
    """Every top-level node of the page's JSON-LD (one block, maybe an @graph)."""
    found = []
    for block in page.json_ld:
        data = json.loads(block)
        assert data["@context"] == "https://schema.org"
        found += data.get("@graph", [data])
    return found


def check_vocabulary(node: dict) -> None:
    kind = node["@type"]
    unknown = set(node) - VOCABULARY[kind] - {"@type", "@id", "@context", "@graph"}
    assert not unknown, f"{kind} has no properties {unknown} in schema.org"
    for value in node.values():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, dict):
                check_vocabulary(item)


def published(output: Path, base_url: str, url: str) -> Path:
    assert url.startswith(base_url), url
    return output / url[len(base_url):]


def check_product_snippet(product: dict, output: Path, base_url: str) -> None:
    """Google's product-snippet rules, and images that really are published."""
    assert isinstance(product["name"], str) and product["name"].strip()
    assert product["image"], "a product with photos lists them"
    for url in product["image"]:
        assert published(output, base_url, url).is_file(), url
    offer = product["offers"]
    if offer["@type"] == "Offer":
        assert isinstance(offer["price"], (int, float)) and offer["price"] > 0
    else:
        assert offer["@type"] == "AggregateOffer"
        assert 0 < offer["lowPrice"] < offer["highPrice"]
    assert offer["priceCurrency"] == "IDR"
    assert offer["availability"] in AVAILABILITY
    check_vocabulary(product)


@pytest.fixture(scope="module")
def sample_site(sample_build):
    site, problems = loader.load(sample_build.content)
    assert site is not None, problems
    return site


def test_every_priced_product_page_carries_a_valid_product_with_its_offer(sample_build, sample_site):
    config, checked = sample_site.config, 0
    for product in sample_site.products:
        for lang in config.languages:
            url = urls.product(product, lang, config)
            page = head(sample_build.output / urls.output_path(url))
            found = {node["@type"]: node for node in nodes(page)}
            crumbs = found["BreadcrumbList"]["itemListElement"]
            assert [c["position"] for c in crumbs] == [1, 2, 3]
            assert crumbs[-1]["name"] == product.name.get(lang)
            if product.price is None:
                assert "Product" not in found, "no offer, no Product: Google would flag it"
                continue
            node = found["Product"]
            check_product_snippet(node, sample_build.output, config.base_url)
            assert node["name"] == product.name.get(lang)
            assert node["sku"] == product.code
            assert node["url"] == node["offers"]["url"] == urls.absolute(url, config)
            assert node["offers"]["availability"] == product.availability.schema_org
            price = node["offers"].get("price", node["offers"].get("lowPrice"))
            assert price == product.price.low
            assert node["offers"]["seller"]["name"] == sample_site.booth_of(product).name.get(lang)
            checked += 1
    assert checked >= 20


def test_the_home_page_describes_the_exhibition_as_an_event(sample_build, sample_site):
    config = sample_site.config
    for lang in config.languages:
        page = head(sample_build.output / urls.output_path(urls.home(lang, config)))
        [event] = nodes(page)
        check_vocabulary(event)
        assert event["@type"] == "Event"
        assert event["name"] == config.title.get(lang)
        assert (event["startDate"], event["endDate"]) == ("2019-03-26", "2019-03-28")
        assert event["location"]["name"] == config.event.venue.name.get(lang)
        assert event["location"]["address"].startswith("Jl. Jend. Gatot Subroto")
        assert event["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
        assert event["organizer"]["name"] == config.organiser.name.get(lang)


def test_booth_pages_describe_their_organization(sample_build, sample_site):
    config = sample_site.config
    for booth in sample_site.booths:
        page = head(sample_build.output / urls.output_path(urls.booth(booth, "en", config)))
        [org] = nodes(page)
        check_vocabulary(org)
        assert org["@type"] == "Organization"
        assert org["name"] == booth.name.get("en")
        assert org["url"] == urls.absolute(urls.booth(booth, "en", config), config)
        if booth.logo is not None:
            assert published(sample_build.output, config.base_url, org["logo"]).is_file()


def pages_of(output: Path) -> list[Path]:
    """Every HTML page but the short-link redirects (noindex, no stylesheet)."""
    return [p for p in sorted(output.rglob("*.html"))
            if "/p/" not in p.as_posix() and "/b/" not in p.as_posix()]


def test_every_page_has_title_description_canonical_hreflang_and_a_card(sample_build):
    base = SAMPLE_BASE_URL
    for path in pages_of(sample_build.output):
        page = head(path)
        rel = path.relative_to(sample_build.output).as_posix()
        assert page.title.strip() and page.meta["description"].strip(), rel
        assert page.meta["og:title"] and page.meta["og:description"] and page.meta["og:url"], rel
        assert page.meta["twitter:card"] in ("summary", "summary_large_image"), rel
        rels = {rel_: href for rel_, href, _ in page.links}
        assert rels["canonical"].startswith(base), rel
        assert rels["manifest"] and rels["apple-touch-icon"], rel
        hreflangs = {lang for rel_, _, lang in page.links if rel_ == "alternate"}
        if path.name not in ("404.html", "offline.html"):  # one per language, no alternates
            assert hreflangs == {"id", "en", "x-default"}, rel


def test_product_and_booth_pages_have_a_1200x630_link_preview(sample_build):
    base = SAMPLE_BASE_URL
    pages = [p for p in pages_of(sample_build.output)
             if p.relative_to(sample_build.output).as_posix().removeprefix("en/").startswith("booths/")
             and p.parent.name != "booths"]
    assert len(pages) > 40
    for path in pages:
        page = head(path)
        assert page.meta["twitter:card"] == "summary_large_image"
        assert (page.meta["og:image:width"], page.meta["og:image:height"]) == ("1200", "630")
        with Image.open(published(sample_build.output, base, page.meta["og:image"])) as image:
            assert image.size == (1200, 630)


def test_a_product_without_photo_or_price_still_gets_a_preview_but_no_product(make_site):
    site = make_site({"content/booths/lapas-uji/keset/index.md": """\
        ---
        name: Keset
        code: UJI-001
        category: keset
        ---
        Tebal.
        """})
    assert site.build().ok
    page = head(site.output / "booths/lapas-uji/keset/index.html")
    assert page.meta["og:image"].startswith("https://example.org/pun/static/share.")
    assert (page.meta["og:image:width"], page.meta["og:image:height"]) == ("1200", "630")
    assert [node["@type"] for node in nodes(page)] == ["BreadcrumbList"]


def test_a_price_range_is_an_aggregate_offer_and_availability_maps_to_schema_org(make_site):
    site = make_site({"content/booths/lapas-uji/keset/index.md": """\
        ---
        name: Keset
        code: UJI-001
        category: keset
        price: {from: 50000, to: 120000}
        availability: made-to-order
        ---
        Tebal.
        """, "content/booths/lapas-uji/keset/foto.jpg": photo_bytes((900, 600))})
    assert site.build().ok
    [product] = [n for n in nodes(head(site.output / "booths/lapas-uji/keset/index.html"))
                 if n["@type"] == "Product"]
    check_product_snippet(product, site.output, "https://example.org/pun/")
    assert product["offers"]["@type"] == "AggregateOffer"
    assert (product["offers"]["lowPrice"], product["offers"]["highPrice"]) == (50000, 120000)
    assert product["offers"]["availability"] == "https://schema.org/MadeToOrder"
    assert {a.schema_org for a in Availability} <= AVAILABILITY


HOSTILE = '</script><script>alert(1)</script><!-- & "quoted"'


def test_a_name_cannot_break_out_of_the_json_ld_script(make_site):
    site = make_site({
        "content/booths/lapas-uji/index.md": f"""\
            ---
            name: '{HOSTILE} booth'
            code: UJI
            ---
            Bengkel.
            """,
        "content/booths/lapas-uji/keset/index.md": f"""\
            ---
            name: '{HOSTILE}'
            code: UJI-001
            category: keset
            price: 75000
            ---
            {HOSTILE}
            """,
        "content/booths/lapas-uji/keset/foto.jpg": photo_bytes((900, 600))})
    assert site.build().ok
    for url in ("booths/lapas-uji/keset/", "booths/lapas-uji/", "en/booths/lapas-uji/keset/"):
        html = site.html(url)
        page = head(site.output / url / "index.html")
        # A name that escaped would open an inline script of its own.
        assert len(page.json_ld) == 1
        assert page.inline_scripts == 0
        names = [node["name"] for node in nodes(page) if node["@type"] in ("Product", "Organization")]
        assert names and all(HOSTILE in name for name in names)
        block = html.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
        assert "<" not in block and ">" not in block and "&" not in block
