"""QR codes and stand cards: decoded with a real decoder, followed to a real page.

zxing-cpp reads every published PNG and every code in the cards PDF (pages rendered by
pdfium); each decoded URL must lead, through its short link, to a page of the build.
"""

from __future__ import annotations

import html
import io
import random
import re
import shutil
from pathlib import Path

import pypdfium2 as pdfium
import pytest
import segno
import yaml
import zxingcpp
from PIL import Image, ImageChops, ImageFilter

from showcase.assets import qr
from showcase.commands import cli
from tests.helpers import (BASE_URL, PRINT_BASE_URL, PRODUCT_MD, REPO, SAMPLE_PRINT_BASE_URL,
                           SITE_YAML, SiteDir, append, copy_theme, decode_qr)

MM_PER_INCH = 25.4


def decode(image: Image.Image) -> list[zxingcpp.Barcode]:
    return decode_qr(image)


def follow(output: Path, url: str, base: str = BASE_URL) -> Path:
    """The page a URL from a QR code ends on: the short link's redirect page, followed."""
    assert url.startswith(base), url
    path = url[len(base):]
    short = output / path / "index.html"
    assert short.is_file(), f"{url} has no page"
    refresh = re.search(r'http-equiv="refresh" content="0; url=([^"]+)"', short.read_text("utf-8"))
    assert refresh, f"{short} is not a redirect page"
    target = (short.parent / html.unescape(refresh.group(1)) / "index.html").resolve()
    assert target.is_file(), f"{url} leads to {target}, which does not exist"
    return target


@pytest.fixture(scope="module")
def printed_sample(tmp_path_factory) -> SiteDir:
    """A copy of the sample exhibition, built, with cards printed (A6 and 4-up)."""
    root = tmp_path_factory.mktemp("cards")
    shutil.copytree(REPO / "content", root / "content")
    site = SiteDir(root)
    assert site.build(workers=2).ok
    for layout, name in (("a6", "cards.pdf"), ("a4-4up", "cards-4up.pdf")):
        assert cards("--content", str(site.content), "--layout", layout, "--output",
                     str(root / "print" / name), base_url=SAMPLE_PRINT_BASE_URL) == 0
    return site


def cards(*args: str, base_url: str = PRINT_BASE_URL) -> int:
    """`showcase cards` for the address the site is published at: the test sites' own
    base_url is an example, for which cards are not printed."""
    return cli.main(["cards", *args, "--base-url", base_url])


def base_of(site: SiteDir) -> str:
    match = re.search(r"^base_url:\s*(\S+)", (site.content / "site.yaml").read_text("utf-8"), re.M)
    return match.group(1)


def pages_of(pdf_path: Path, dpi: int = 300) -> list[Image.Image]:
    pdf = pdfium.PdfDocument(str(pdf_path))
    return [page.render(scale=dpi / 72).to_pil() for page in pdf]


def text_of(pdf_path: Path) -> list[str]:
    pdf = pdfium.PdfDocument(str(pdf_path))
    return [page.get_textpage().get_text_range() for page in pdf]


# -- published codes ---------------------------------------------------------------------

def test_every_product_and_booth_has_a_qr_that_leads_to_its_page(printed_sample):
    base = base_of(printed_sample)
    pngs = sorted((printed_sample.output / "qr").rglob("*.png"))
    retired = yaml.safe_load(
        (printed_sample.content / "printed.yaml").read_text("utf-8"))["retired"]
    assert retired  # the sample retires a code: its short link leads on, without a QR
    short_links = {f"{kind}/{folder.name}" for kind in ("p", "b")
                   for folder in (printed_sample.output / kind).iterdir()
                   if folder.name.upper() not in retired}
    assert {f"{png.parent.name}/{png.stem}" for png in pngs} == short_links
    assert len(pngs) > 30
    for png in pngs:
        kind, code = png.parent.name, png.stem
        results = decode(Image.open(png))
        assert [r.text for r in results] == [f"{base}{kind}/{code}/"]
        page = follow(printed_sample.output, results[0].text, base)
        shown = page.read_text("utf-8")
        assert code.upper() in shown or kind == "b"
        assert (png.with_suffix(".svg")).is_file()


def test_a_printed_sized_code_still_scans_when_blurred_noisy_and_turned(printed_sample):
    base = base_of(printed_sample)
    png = printed_sample.output / "qr" / "p" / "nkb-001.png"
    code = Image.open(png).convert("L")
    side = round(25 / MM_PER_INCH * 300)  # 25 mm, quiet zone included, at 300 dpi
    small = code.resize((side, side), Image.Resampling.LANCZOS)
    blurred = small.filter(ImageFilter.GaussianBlur(1.2))
    rng = random.Random(7)
    noise = Image.frombytes("L", blurred.size, bytes(
        max(0, min(255, 128 + round(rng.gauss(0, 25)))) for _ in range(side * side)))
    noisy = ImageChops.add(blurred, noise, offset=-128)
    turned = noisy.rotate(7, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    for degraded in (small, blurred, noisy, turned):
        assert [r.text for r in decode(degraded)] == [f"{base}p/nkb-001/"]


def test_the_code_is_the_smallest_version_that_holds_the_link():
    url = "https://pameran.example.org/pun-2019/p/cpn-014/"
    code = qr.make(url)
    assert code.version == segno.make_qr(url, error="l").version == 3
    assert code.mode == "byte" and not code.is_micro
    assert qr.modules(code) == 29 + 2 * qr.QUIET_ZONE
    for version in range(1, code.version):
        with pytest.raises(segno.DataOverflowError):
            segno.make_qr(url, error="l", version=version)


def test_the_svg_draws_the_same_code_as_the_png(printed_sample):
    """The SVG is rasterised from its path (segno writes one `M x y h n m dx dy` path of
    1-unit strokes) and decoded; the browser test shows it on a page as well."""
    svg = (printed_sample.output / "qr" / "b" / "cpn.svg").read_text("utf-8")
    size = int(re.search(r'viewBox="0 0 (\d+) \d+"', svg).group(1))
    path = re.search(r' d="([^"]+)"', svg).group(1)
    scale = 8
    image = Image.new("L", (size * scale, size * scale), 255)
    x = y = 0.0
    for op, a, b in re.findall(r"([Mmh])(-?[\d.]+)(?: (-?[\d.]+))?", path):
        if op == "M":
            x, y = float(a), float(b)
        elif op == "m":
            x, y = x + float(a), y + float(b)
        else:
            length = float(a)
            image.paste(0, (round(x * scale), round((y - 0.5) * scale),
                            round((x + length) * scale), round((y + 0.5) * scale)))
            x += length
    assert [r.text for r in decode(image)] == [f"{base_of(printed_sample)}b/cpn/"]


def test_the_product_page_shows_its_code_and_short_link(printed_sample):
    page = printed_sample.html("booths/lapas-nusakambangan/keset-sabut-welcome")
    assert 'src="../../../qr/p/nkb-001.svg"' in page
    assert "pameran.example.org/pun-2019/p/nkb-001</a>" in page
    english = printed_sample.html("en/booths/lapas-nusakambangan/keset-sabut-welcome")
    assert 'src="../../../../en/qr/p/nkb-001.svg"' in english  # its own language's code
    assert "pameran.example.org/pun-2019/en/p/nkb-001</a>" in english
    [code] = decode(Image.open(printed_sample.output / "en/qr/p/nkb-001.png"))
    assert code.text == "https://pameran.example.org/pun-2019/en/p/nkb-001/"
    follow(printed_sample.output, code.text, "https://pameran.example.org/pun-2019/")
    [printed] = decode(Image.open(printed_sample.output / "qr/p/nkb-001.png"))
    assert printed.text == "https://pameran.example.org/pun-2019/p/nkb-001/", \
        "the default language's code, the one stand cards print, is unchanged"
    booth = printed_sample.html("booths/lapas-nusakambangan")
    assert 'src="../../qr/b/nkb.svg"' in booth


# -- the cards PDF -----------------------------------------------------------------------

def test_every_card_and_poster_scans_to_its_page_at_print_size(printed_sample):
    base = SAMPLE_PRINT_BASE_URL
    pdf = printed_sample.root / "print" / "cards.pdf"
    products = [p for p in (printed_sample.output / "p").iterdir()
                if p.name != "cpn-005"]  # retired
    seen = []
    for number, page in enumerate(pages_of(pdf)):
        results = decode(page)
        assert len(results) == 1, f"page {number + 1}: {len(results)} codes"
        seen.append(results[0].text)
        follow(printed_sample.output, results[0].text, base)
        corners = results[0].position
        width_px = abs(corners.top_right.x - corners.top_left.x)
        code = qr.make(results[0].text)
        with_quiet_zone_mm = width_px * qr.modules(code) / (qr.modules(code) - 8) / 300 * MM_PER_INCH
        assert with_quiet_zone_mm >= 25, f"page {number + 1}: {with_quiet_zone_mm:.1f} mm"
    assert len([u for u in seen if "/p/" in u]) == len(products)
    assert len(set(seen)) == len(seen)


def test_the_4up_sheets_hold_four_cards_each(printed_sample):
    pdf = pdfium.PdfDocument(str(printed_sample.root / "print" / "cards-4up.pdf"))
    assert all(round(page.get_size()[0]) == 595 for page in pdf)  # A4 throughout
    pages = pages_of(printed_sample.root / "print" / "cards-4up.pdf", dpi=200)
    counts = [len(decode(page)) for page in pages]
    cards = len(list((printed_sample.output / "p").iterdir())) - 1  # cpn-005 is retired
    booths = len(list((printed_sample.output / "b").iterdir()))
    assert sum(counts[:-booths]) == cards and all(c == 4 for c in counts[:cards // 4])


def test_the_pdf_text_holds_each_products_name_code_and_price(printed_sample):
    pdf = printed_sample.root / "print" / "cards.pdf"
    text = " ".join(" ".join(text_of(pdf)).split())  # unwrapped
    assert 'Keset Sabut Kelapa "Welcome"' in text and 'Coconut-coir doormat' in text
    assert "NKB-001" in text and "Rp55.000" in text
    assert "pameran-pun.id/pun-2019/p/nkb-001" in text
    assert "Lapas Terbuka Kelas IIB Nusakambangan" in text and "Stan C-08" in text
    assert "Pindai untuk memesan · Scan to order" in text  # the theme's words, id then en
    for short in (printed_sample.output / "p").iterdir():
        assert (short.name.upper() in text) == (short.name != "cpn-005"), short.name


def test_the_cards_words_follow_the_sites_languages_and_its_themes_strings(make_site):
    """English first on an English-first site; a theme's own words win; a theme copied
    before cards had words of their own still prints the bundled ones."""
    site = make_site()
    append(site.content / "site.yaml", "languages: [id, en]", "theme: own\nlanguages: [en, id]")
    english = copy_theme(site, "own") / "i18n" / "en.yaml"
    append(english, 'card_scan_to_order: "Scan to order"', 'card_scan_to_order: "Scan me to buy"')
    append(english, 'poster_scan: "Scan to see and order our products"\n', "")
    pdf = site.root / "cards.pdf"
    assert cards("--content", str(site.content), "--output", str(pdf)) == 0
    text = " ".join(" ".join(text_of(pdf)).split())
    assert "Scan me to buy · Pindai untuk memesan" in text
    assert "Scan to see and order our products · Pindai untuk melihat" in text  # bundled



def test_cards_in_a_language_no_theme_has_print_the_bundled_english_words(make_site):
    malay = (SITE_YAML.replace("[id, en]", "[ms, en]")
             .replace("{id: Pameran Uji, en: Test Fair}", "Pameran Uji")
             .replace("{id: Keset, en: Doormats}", "Keset"))
    site = make_site({"content/site.yaml": malay, "content/booths/lapas-uji/keset/index.md":
                      PRODUCT_MD.replace("{id: Keset Sabut Kelapa, en: Coconut-coir doormat}",
                                         "Keset Sabut Kelapa")})
    assert site.build().ok  # the pages too fall back to the theme's English
    assert ">Materials<" in site.html("booths/lapas-uji/keset")
    pdf = site.root / "cards.pdf"
    assert cards("--content", str(site.content), "--output", str(pdf)) == 0
    text = " ".join(" ".join(text_of(pdf)).split())
    assert "Scan to order" in text and "Scan to order · Scan to order" not in text


def test_the_pdf_is_vector_with_embedded_fonts_and_deterministic(printed_sample, tmp_path):
    data = (printed_sample.root / "print" / "cards.pdf").read_bytes()
    assert b"/FontFile2" in data  # TrueType embedded
    assert b"/Subtype /Image" not in data and b"/Subtype/Image" not in data
    assert not re.search(rb"/BaseFont /(Helvetica|Times|Courier)", data)
    again = tmp_path / "again.pdf"
    assert cards("--content", str(printed_sample.content), "--output", str(again),
                 base_url=SAMPLE_PRINT_BASE_URL) == 0
    assert again.read_bytes() == data


def test_printed_codes_are_recorded_in_printed_yaml(printed_sample):
    printed = (printed_sample.content / "printed.yaml").read_text("utf-8")
    assert "  - NKB-001\n" in printed and "  - CPN\n" in printed


# -- subsets and usage -------------------------------------------------------------------

def site_with_two_booths(make_site) -> SiteDir:
    return make_site({
        "content/booths/lapas-dua/index.md": "---\nname: Lapas Dua\ncode: DUA\n---\n",
        "content/booths/lapas-dua/tas/index.md": PRODUCT_MD.replace("UJI-001", "DUA-001")
                                                            .replace("Keset Sabut", "Tas Sabut"),
    })


def test_cards_for_one_booth_or_product_only(make_site, capsys):
    site = site_with_two_booths(make_site)
    pdf = site.root / "print" / "dua.pdf"
    assert cards("--content", str(site.content), "--booth", "DUA",
                 "--output", str(pdf)) == 0
    texts = [r.text for page in pages_of(pdf, 150) for r in decode(page)]
    assert texts == [f"{PRINT_BASE_URL}p/dua-001/", f"{PRINT_BASE_URL}b/dua/"]
    printed = (site.content / "printed.yaml").read_text("utf-8")
    assert "DUA-001" in printed and "UJI-001" not in printed
    one = site.root / "print" / "one.pdf"
    assert cards("--content", str(site.content), "--product", "UJI-001",
                 "--output", str(one)) == 0
    assert [r.text for page in pages_of(one, 150) for r in decode(page)] == [
        f"{PRINT_BASE_URL}p/uji-001/"]
    printed = (site.content / "printed.yaml").read_text("utf-8")
    assert "DUA-001" in printed and "UJI-001" in printed  # merged, not replaced


def test_an_unknown_code_is_a_usage_error_with_a_suggestion(make_site, capsys):
    site = site_with_two_booths(make_site)
    assert cards("--content", str(site.content), "--product", "DUA-01",
                 "--output", str(site.root / "x.pdf")) == 2
    assert "did you mean DUA-001?" in capsys.readouterr().err
    assert not (site.root / "x.pdf").exists() and not (site.content / "printed.yaml").exists()


# -- printed codes never break ------------------------------------------------------------

def test_a_printed_code_whose_product_is_deleted_fails_the_build(make_site, capsys):
    site = site_with_two_booths(make_site)
    assert site.build().ok
    assert cards("--content", str(site.content),
                 "--output", str(site.root / "c.pdf")) == 0
    before = (site.output / "index.html").read_bytes()
    shutil.rmtree(site.content / "booths" / "lapas-dua" / "tas")
    result = site.build()
    assert not result.ok
    [problem] = [p for p in result.errors if "DUA-001" in p.message]
    assert problem.path == "content/printed.yaml" and problem.line and problem.field == "products"
    assert "retired" in problem.message
    assert (site.output / "index.html").read_bytes() == before  # the last good site stays
    assert cli.main(["check", "--content", str(site.content)]) == 1
    assert "content/printed.yaml" in capsys.readouterr().out  # check reports on stdout, like linters


def test_a_printed_code_whose_product_became_a_draft_fails_build_and_check_alike(make_site,
                                                                                capsys):
    """A draft is not published, so its printed QR code would lead nowhere; `check`
    (which reads drafts to advise on them) must say so as the build does."""
    site = site_with_two_booths(make_site)
    assert cards("--content", str(site.content),
                 "--output", str(site.root / "c.pdf")) == 0
    tas = site.content / "booths" / "lapas-dua" / "tas" / "index.md"
    tas.write_text(tas.read_text("utf-8").replace("price:", "draft: true\nprice:", 1), "utf-8")
    result = site.build()
    [problem] = result.errors
    assert (problem.path, problem.field) == ("content/printed.yaml", "products")
    assert "DUA-001" in problem.message and "draft: true in content/booths/lapas-dua/tas/index.md" \
        in problem.message
    assert cli.main(["check", "--content", str(site.content)]) == 1
    assert "its product is a draft" in capsys.readouterr().out
    assert site.build(drafts=True).ok  # a preview with drafts publishes it: the code works


def test_a_draft_of_a_products_next_version_may_carry_its_printed_code(make_site):
    site = make_site({
        "content/printed.yaml": "products: [UJI-001]\n",
        "content/booths/lapas-uji/keset-baru/index.md":
            PRODUCT_MD.replace("price:", "draft: true\nprice:").replace("Keset tebal", "Keset baru"),
    })
    assert site.build().ok


def test_a_code_retired_to_a_drafts_page_fails_build_and_check_alike(make_site, capsys):
    site = make_site({
        "content/printed.yaml": "products: [UJI-001, UJI-050]\n"
                                "retired:\n  UJI-050: /booths/lapas-uji/baru/\n",
        "content/booths/lapas-uji/baru/index.md":
            PRODUCT_MD.replace("UJI-001", "UJI-002").replace("price:", "draft: true\nprice:"),
    })
    [problem] = site.build().errors
    assert problem.field == "retired.UJI-050" and "not a page of this site" in problem.message
    assert cli.main(["check", "--content", str(site.content)]) == 1
    assert "retired.UJI-050" in capsys.readouterr().out


def test_a_retired_code_leads_to_its_new_page(make_site):
    site = site_with_two_booths(make_site)
    assert cards("--content", str(site.content),
                 "--output", str(site.root / "c.pdf")) == 0
    shutil.rmtree(site.content / "booths" / "lapas-dua" / "tas")
    printed = site.content / "printed.yaml"
    printed.write_text(printed.read_text("utf-8") + "retired:\n  DUA-001: /booths/lapas-dua/\n",
                       "utf-8")
    result = site.build()
    assert result.ok, result.errors
    assert follow(site.output, f"{BASE_URL}p/dua-001/") == (
        site.output / "booths" / "lapas-dua" / "index.html").resolve()
    assert follow(site.output, f"{BASE_URL}en/p/dua-001/") == (
        site.output / "en" / "booths" / "lapas-dua" / "index.html").resolve()
    redirects = (site.output / "_redirects").read_text("utf-8").splitlines()
    assert "/pun/p/dua-001/ /pun/booths/lapas-dua/ 301" in redirects
    # cards run again keep the retirement
    assert cards("--content", str(site.content),
                 "--output", str(site.root / "c.pdf")) == 0
    assert "  DUA-001: /booths/lapas-dua/" in printed.read_text("utf-8")


@pytest.mark.parametrize("retired, message", [
    ("OLD-001: /booths/nowhere/", "not a page of this site"),
    ("UJI-001: /booths/lapas-dua/", "still has this code"),
    ("DUA-001: booths/lapas-dua", "starting and ending with '/'"),
])
def test_a_wrong_retirement_is_reported_at_its_line(make_site, retired, message):
    site = site_with_two_booths(make_site)
    site.write("content/printed.yaml", f"products: [UJI-001]\nbooths: []\nretired:\n  {retired}\n")
    result = site.build()
    assert not result.ok
    [problem] = result.errors
    assert problem.path == "content/printed.yaml" and problem.line == 4
    assert message in problem.message


def test_redirects_file_lists_every_short_link_as_a_301(printed_sample):
    lines = (printed_sample.output / "_redirects").read_text("utf-8").splitlines()
    rules = [line.split() for line in lines if not line.startswith("#")]
    assert all(len(rule) == 3 and rule[2] == "301" for rule in rules)
    assert ["/pun-2019/p/nkb-001/", "/pun-2019/booths/lapas-nusakambangan/keset-sabut-welcome/",
            "301"] in rules
    assert ["/pun-2019/en/b/cpn/", "/pun-2019/en/booths/lapas-cipinang/", "301"] in rules
    for source, target, _ in rules:
        assert (printed_sample.output / target.removeprefix("/pun-2019/") / "index.html").is_file()
        assert (printed_sample.output / source.removeprefix("/pun-2019/") / "index.html").is_file()


def test_the_samples_retired_code_leads_to_its_booth(printed_sample):
    base = base_of(printed_sample)
    page = follow(printed_sample.output, base + "p/cpn-005/", base)
    assert page == (printed_sample.output / "booths" / "lapas-cipinang" / "index.html").resolve()


def test_codes_are_made_once_in_parallel_and_then_read_from_the_cache(tmp_path):
    links = [f"https://pameran.example.org/pun-2019/p/abc-{i:03d}/" for i in range(70)]
    with qr.making(links, tmp_path, workers=2) as made:
        assert made == 70  # enough to use the pool
    with qr.making(links, tmp_path, workers=2) as made:
        assert made == 0
    svg, png = qr.files(links[42], tmp_path)
    assert [r.text for r in decode(Image.open(io.BytesIO(png)))] == [links[42]]
    assert svg == qr.svg(qr.make(links[42]), links[42])  # the cache holds what make gives
