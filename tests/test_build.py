"""Whole sites built into temp folders, checked by reading what was written."""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, unquote, urljoin, urlparse

from PIL import Image

from showcase.i18n import keep_quantities
from tests.helpers import BOOTH_MD, PRODUCT, PRODUCT_MD, SiteDir, phone_photo, photo_bytes, tree


class Links(HTMLParser):
    """Collects every href/src/srcset and a few head facts of a page."""

    def __init__(self):
        super().__init__()
        self.refs: list[str] = []
        self.lang = None
        self.alternates: dict[str, str] = {}
        self.canonical = None
        self.refresh = None
        self.icon = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        if tag == "link" and a.get("rel") == "alternate" and a.get("hreflang"):
            self.alternates[a["hreflang"]] = a["href"]
        if tag == "link" and a.get("rel") == "canonical":
            self.canonical = a["href"]
        if tag == "link" and a.get("rel") == "icon":
            self.icon = a["href"]
        if tag == "meta" and (a.get("http-equiv") or "").lower() == "refresh":
            self.refresh = a["content"].split("url=", 1)[1]
        for key in ("href", "src"):
            if a.get(key):
                self.refs.append(a[key])
        if a.get("srcset"):
            self.refs += [part.strip().split(" ")[0] for part in a["srcset"].split(",")]


def parse(html: str) -> Links:
    links = Links()
    links.feed(html)
    return links


def local_target(output: Path, page_url: str, ref: str) -> Path | None:
    """The file a relative link from `page_url` leads to, or None for other hosts."""
    if re.match(r"^[a-z]+:", ref) or ref.startswith("#"):
        return None
    resolved = urlparse(urljoin(f"https://site.test/{page_url}", ref)).path.lstrip("/")
    path = output / unquote(resolved)
    return path / "index.html" if resolved.endswith("/") or resolved == "" else path


# -- the URL table -----------------------------------------------------------------------

CONTRACT_URLS = ["", "products/", "booths/", "booths/lapas-uji/", "booths/lapas-uji/keset/",
                 "categories/keset/", "categories/batik/", "tentang/", "p/uji-001/", "b/uji/"]


def test_every_contract_url_in_every_language(make_site):
    site = make_site({"content/pages/tentang.md": "---\ntitle: {id: Tentang, en: About}\nmenu: 1\n---\nHalo.\n"})
    assert site.build().ok
    for prefix, lang in (("", "id"), ("en/", "en")):
        for url in CONTRACT_URLS:
            page = parse(site.html(prefix + url))
            assert page.lang == lang, url
    for name in ("404.html", "sitemap.xml", "robots.txt"):
        assert (site.output / name).is_file()


def test_pages_link_to_their_translation_and_hreflang(make_site):
    site = make_site()
    site.build()
    page = parse(site.html("booths/lapas-uji/keset/"))
    assert page.canonical == "https://example.org/pun/booths/lapas-uji/keset/"
    assert page.alternates == {"id": "https://example.org/pun/booths/lapas-uji/keset/",
                               "en": "https://example.org/pun/en/booths/lapas-uji/keset/",
                               "x-default": "https://example.org/pun/booths/lapas-uji/keset/"}
    assert "../../../en/booths/lapas-uji/keset/" in page.refs
    english = parse(site.html("en/booths/lapas-uji/keset/"))
    assert "../../../../booths/lapas-uji/keset/" in english.refs


def test_every_relative_link_and_image_exists(make_site):
    site = make_site({"content/booths/lapas-uji/keset/foto.jpg": photo_bytes((1200, 900))})
    assert site.build().ok
    for html_file in site.output.rglob("*.html"):
        if html_file.name in ("404.html", "offline.html"):  # rooted links: tested below
            continue
        url = html_file.parent.relative_to(site.output).as_posix() + "/"
        url = "" if url == "./" else url
        for ref in parse(html_file.read_text("utf-8")).refs:
            target = local_target(site.output, url, ref)
            assert target is None or target.is_file(), f"{url} links to missing {ref}"


def test_short_links_lead_to_their_entries(make_site):
    site = make_site()
    site.build()
    for short, target in (("p/uji-001/", "booths/lapas-uji/keset/"), ("b/uji/", "booths/lapas-uji/"),
                          ("en/p/uji-001/", "en/booths/lapas-uji/keset/")):
        page = parse(site.html(short))
        assert page.canonical == f"https://example.org/pun/{target}"
        assert local_target(site.output, short, page.refresh) == site.output / target / "index.html"
        assert page.refresh in page.refs  # a visible link too, for browsers that ignore refresh
        # Its own icon: without one the browser asks the host for /favicon.ico, a 404.
        assert page.icon and local_target(site.output, short, page.icon).is_file(), page.icon


def test_404_links_start_from_the_site_root(make_site):
    site = make_site()
    site.build()
    for name, lang in (("404.html", "id"), ("en/404.html", "en"), ("offline.html", "id"),
                       ("en/offline.html", "en")):
        text = (site.output / name).read_text("utf-8")
        assert f'<html lang="{lang}">' in text, name
        refs = parse(text).refs
        assert refs and all(r.startswith(("/pun/", "#", "mailto:")) for r in refs
                            if "://" not in r), refs
        assert all(r.startswith("https://example.org/pun/") for r in refs if "://" in r), refs
        prefix = "/pun/en/" if lang == "en" else "/pun/"
        assert {prefix + "products/", prefix} <= set(refs), (name, refs)
    english = (site.output / "en/404.html").read_text("utf-8")
    assert "Page not found" in english and "Halaman" not in english
    offline = (site.output / "en/offline.html").read_text("utf-8")
    assert "Not saved on this phone yet" in offline and "not found" not in offline.lower()


def test_sitemap_and_robots(make_site):
    site = make_site()
    site.build()
    sitemap = (site.output / "sitemap.xml").read_text("utf-8")
    locs = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    assert "https://example.org/pun/booths/lapas-uji/keset/" in locs
    assert "https://example.org/pun/en/categories/keset/" in locs
    assert not any("/p/" in loc or "/b/" in loc for loc in locs)  # redirects are not pages
    assert ('hreflang="en" href="https://example.org/pun/en/booths/lapas-uji/keset/"') in sitemap
    robots = (site.output / "robots.txt").read_text()
    assert "Sitemap: https://example.org/pun/sitemap.xml" in robots


def test_base_url_override(make_site):
    site = make_site()
    site.build(base_url="https://pameran.example.net/2020")
    assert parse(site.html("")).canonical == "https://pameran.example.net/2020/"


# -- what pages say ----------------------------------------------------------------------

def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_prices_and_dates_are_formatted(make_site):
    site = make_site({
        "content/booths/lapas-uji/rentang/index.md": PRODUCT_MD.replace("UJI-001", "UJI-002").replace(
            "price: 75000", "price: {from: 50000, to: 120000}"),
        "content/booths/lapas-uji/tanya/index.md": PRODUCT_MD.replace("UJI-001", "UJI-003").replace(
            "price: 75000\n", ""),
    })
    site.build()
    assert "Rp75.000" in text_of(site.html("booths/lapas-uji/keset/"))
    assert "Rp75,000" in text_of(site.html("en/booths/lapas-uji/keset/"))
    assert "Rp50.000–Rp120.000" in text_of(site.html("booths/lapas-uji/rentang/"))
    assert "Tanya harga" in text_of(site.html("booths/lapas-uji/tanya/"))
    assert "Ask for price" in text_of(site.html("en/booths/lapas-uji/tanya/"))
    assert "26–28 Maret 2019" in text_of(site.html(""))
    assert "26–28 March 2019" in text_of(site.html("en/"))


def test_a_quantity_keeps_its_number_and_unit_together():
    """A no-break space between a number and its unit, so "250 g" never wraps; words
    that merely start like a unit ("2 menit", "4 lembar") are left alone."""
    nbsp = "\u00a0"
    assert keep_quantities("per kemasan 250 g") == f"per kemasan 250{nbsp}g"
    assert keep_quantities("40 x 60 cm, 1,5 kg, 500 ml, 1 L, 20 m², 100 gram") == (
        f"40 x 60{nbsp}cm, 1,5{nbsp}kg, 500{nbsp}ml, 1{nbsp}L, 20{nbsp}m², 100{nbsp}gram")
    for text in ("2 menit", "4 lembar", "g 250", "Kelas II G", "250g", ""):
        assert keep_quantities(text) == text


def test_quantities_in_content_are_published_unbreakable(make_site):
    site = make_site({PRODUCT: PRODUCT_MD.replace("price: 75000", (
        "price: 75000\nprice_note: {id: per kemasan 250 g, en: per 250 g pack}\n"
        "dimensions: 40 x 60 cm"))})
    assert site.build().ok
    for prefix, note in (("", "per kemasan 250\u00a0g"), ("en/", "per 250\u00a0g pack")):
        html = site.html(f"{prefix}booths/lapas-uji/keset/")
        assert f'<span class="price-note">{note}</span>' in html
        # plain, so in Indonesian: on the English page inside <span lang="id">
        assert "40 x 60\u00a0cm" + ("</span>" if prefix else "</dd>") in html
        assert "250 g" not in html and "60 cm" not in html


def whatsapp_links(html: str) -> list[str]:
    return [r for r in parse(html).refs if r.startswith("https://wa.me/")]


def test_whatsapp_link_carries_name_code_and_url(make_site):
    site = make_site()
    site.build()
    for prefix, name in (("", "Keset Sabut Kelapa"), ("en/", "Coconut-coir doormat")):
        [link] = whatsapp_links(site.html(f"{prefix}booths/lapas-uji/keset/"))
        parsed = urlparse(link)
        assert parsed.path == "/6281200000002"  # the booth's number, 0 -> 62
        message = parse_qs(parsed.query)["text"][0]
        assert name in message and "UJI-001" in message
        assert f"https://example.org/pun/{prefix}booths/lapas-uji/keset/" in message


def test_product_whatsapp_overrides_booth_and_site_default_fills_gaps(make_site):
    site = make_site({
        PRODUCT: PRODUCT_MD.replace("price: 75000", 'price: 75000\nwhatsapp: "+62 811 0000 0009"'),
        "content/booths/lapas-dua/index.md": BOOTH_MD.replace("code: UJI", "code: DUA").replace(
            'contact: {whatsapp: "0812-0000-0002"}\n', ""),
        "content/booths/lapas-dua/sarung/index.md": PRODUCT_MD.replace("UJI-001", "DUA-001"),
    })
    site.build()
    assert urlparse(whatsapp_links(site.html("booths/lapas-uji/keset/"))[0]).path == "/6281100000009"
    assert urlparse(whatsapp_links(site.html("booths/lapas-dua/sarung/"))[0]).path == "/6281200000001"


def test_sold_out_offers_no_order_button(make_site):
    site = make_site({PRODUCT: PRODUCT_MD.replace("price: 75000", "price: 75000\navailability: sold-out")})
    site.build()
    html = site.html("booths/lapas-uji/keset/")
    assert not whatsapp_links(html) and "Habis" in text_of(html)


def test_translations_fall_back_to_the_default_language(make_site):
    site = make_site({
        "content/booths/lapas-uji/keset/index.en.md": "---\n---\nA thick doormat of coconut coir.\n",
        "content/booths/lapas-uji/sarung/index.md": PRODUCT_MD.replace("UJI-001", "UJI-002").replace(
            "name: {id: Keset Sabut Kelapa, en: Coconut-coir doormat}", "name: Sarung Tangan"),
    })
    site.build()
    assert "A thick doormat" in site.html("en/booths/lapas-uji/keset/")
    assert "Keset tebal" in site.html("booths/lapas-uji/keset/")
    english = site.html("en/booths/lapas-uji/sarung/")
    assert "Sarung Tangan" in english and "Keset tebal" in english


def test_translation_may_only_override_localisable_fields(make_site):
    site = make_site({"content/booths/lapas-uji/keset/index.en.md":
                      "---\nprice: 9\ndimensions: 60 x 40 cm\n---\n"})
    [problem] = site.build().errors
    assert str(problem).startswith("content/booths/lapas-uji/keset/index.en.md:2: price: cannot be "
                                   "set in a translation")


def test_index_yaml_entry_with_localised_description(make_site):
    site = make_site({
        PRODUCT: None,
        "content/booths/lapas-uji/keset/index.yaml": (
            "name: Keset\ncode: UJI-001\ncategory: keset\n"
            "description: {id: '**Tebal** sekali.', en: 'Very *thick*.'}\n"),
    })
    assert site.build().ok
    assert "<strong>Tebal</strong> sekali." in site.html("booths/lapas-uji/keset/")
    assert "Very <em>thick</em>." in site.html("en/booths/lapas-uji/keset/")


def test_drafts_only_with_drafts(make_site):
    site = make_site({"content/booths/lapas-uji/baru/index.md": PRODUCT_MD.replace(
        "UJI-001", "UJI-009").replace("price: 75000", "price: 75000\ndraft: true")})
    site.build()
    assert not (site.output / "booths/lapas-uji/baru").exists()
    site.build(drafts=True)
    assert (site.output / "booths/lapas-uji/baru/index.html").is_file()


def test_maker_is_published_only_with_consent(make_site):
    named = PRODUCT_MD.replace("price: 75000", "price: 75000\nmaker: Bengkel Sabut Budi")
    site = make_site({PRODUCT: named})
    site.build()
    assert "Bengkel Sabut Budi" not in site.html("booths/lapas-uji/keset/")
    site = make_site({PRODUCT: named + ""})
    site.write(PRODUCT, named.replace("maker: Bengkel", "maker_consent: true\nmaker: Bengkel"))
    site.build()
    assert "Bengkel Sabut Budi" in site.html("booths/lapas-uji/keset/")


def test_content_cannot_inject_markup(make_site):
    evil = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'
    site = make_site({PRODUCT: PRODUCT_MD.replace(
        "name: {id: Keset Sabut Kelapa, en: Coconut-coir doormat}", f"name: '{evil}'").replace(
        "Keset tebal", f"{evil} [klik](javascript:alert(3)) Keset tebal")})
    assert site.build().ok
    html = site.html("booths/lapas-uji/keset/")
    # The JSON-LD holds the name as JSON text with < and > escaped (tests/test_structured.py).
    html = re.sub(r'<script type="application/ld\+json">[^<]*</script>', "", html)
    assert "<script>alert" not in html and "onerror=alert" not in html.replace("onerror=alert(2)&gt;", "")
    assert "javascript:" not in html
    assert "&lt;script&gt;" in html  # the name is shown as text, escaped


def test_markdown_tables_lists_and_links(make_site):
    body = "| a | b |\n|---|---|\n| 1 | 2 |\n\n- satu\n- dua\n\n[toko](https://tokopedia.com/x)\n"
    site = make_site({PRODUCT: PRODUCT_MD.replace("Keset tebal dari sabut kelapa.", body)})
    site.build()
    html = site.html("booths/lapas-uji/keset/")
    assert "<table>" in html and "<li>satu</li>" in html
    assert '<a href="https://tokopedia.com/x" rel="noopener noreferrer">toko</a>' in html


# -- photos ------------------------------------------------------------------------------

def test_published_photos_are_upright_resized_and_carry_no_metadata(make_site):
    site = make_site({"content/booths/lapas-uji/keset/foto.jpg": phone_photo()})
    result = site.build()
    assert result.ok and result.images.made > 0
    published = [p for p in (site.output / "media").rglob("*")
                 if p.suffix in (".jpg", ".webp", ".png", ".avif") and "-og." not in p.name]
    assert published
    assert not (site.output / "booths/lapas-uji/keset/foto.jpg").exists()
    for path in published:
        data = path.read_bytes()
        assert b"SERIAL-PLANTED" not in data and b"Exif" not in data and b"PhoneMaker" not in data
        with Image.open(path) as image:
            assert not image.getexif()
            assert image.height > image.width  # stored 1200x900 sideways, shown 900x1200
            assert image.width <= 900
    html = site.html("booths/lapas-uji/keset/")
    img = re.search(r"<img [^>]*>", html[html.index("<main"):]).group(0)
    assert 'width="800"' in img and 'height="1067"' in img and "alt=" in img


def test_warm_build_encodes_nothing_and_keeps_mtimes(make_site):
    site = make_site({"content/booths/lapas-uji/keset/foto.jpg": phone_photo()})
    first = site.build()
    before = {p: p.stat().st_mtime_ns for p in site.output.rglob("*") if p.is_file()}
    second = site.build()
    assert first.images.made > 0 and second.images.made == 0
    assert second.written.written == 0
    assert {p: p.stat().st_mtime_ns for p in site.output.rglob("*") if p.is_file()} == before


# -- nothing half-written, nothing different ---------------------------------------------

def test_failed_build_leaves_the_last_good_output_byte_for_byte(make_site):
    site = make_site()
    assert site.build().ok
    before = tree(site.output)
    site.write(PRODUCT, PRODUCT_MD.replace("price: 75000", "price: 75rb"))
    result = site.build()
    assert not result.ok and tree(site.output) == before
    assert not [p for p in site.root.glob(".output.*") if p.is_dir()]  # no staging left


def test_two_builds_are_byte_identical_wherever_they_run(make_site, tmp_path):
    site = make_site({"content/booths/lapas-uji/keset/foto.jpg": phone_photo()})
    site.build()
    other = SiteDir(tmp_path / "elsewhere")
    shutil.copytree(site.content, other.content)
    assert other.build(workers=2).ok
    assert tree(site.output) == tree(other.output)


def test_refuses_to_replace_a_folder_it_did_not_make(make_site):
    site = make_site()
    site.write("output/notes.txt", "precious")
    result = site.build()
    assert result.refused and "not made by showcase" in result.refused
    assert (site.output / "notes.txt").read_text() == "precious"
    inside = site.build(output=site.content / "out")
    assert inside.refused and "inside" in inside.refused
    parent = site.build(output=site.root)
    assert parent.refused and "holds" in parent.refused
