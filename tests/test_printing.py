"""What reaches paper: no placeholder is printed, a proof records nothing, text fits
its card, the 4-up sheet cuts cleanly, and text is one ink.

PDFs are read back as a print shop would see them: text and its boxes through pdfium,
pages rendered to pixels, and the content streams' colour operators themselves.
"""

from __future__ import annotations

import base64
import json
import re
import zlib
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from showcase.commands import cards, scaffold
from showcase.commands.cli import main as run
from showcase.load import fields, placeholders
from tests.helpers import PRINT_BASE_URL, PRODUCT, PRODUCT_MD, SiteDir

PROOF_MARK = "PROOF / CONTOH CETAK"


# -- the rule ------------------------------------------------------------------------------

@pytest.mark.parametrize("url", [
    "https://example.org/", "https://sub.example.com/pun/", "https://example.net/",
    "https://foo.test/", "https://x.localhost/", "https://a.invalid/", "https://shop.example/",
    "https://EXAMPLE.ORG/", "https://pameran.example.org/pun-2019/"])
def test_an_address_on_a_domain_reserved_for_examples_is_a_placeholder(url):
    assert placeholders.is_placeholder_url(url)


@pytest.mark.parametrize("url", [
    "https://example.co.id/", "https://myexample.org/", "https://pameran.id/",
    "https://example.org.id/", "https://testing.id/", "https://localhost.id/pun/"])
def test_any_other_domain_is_not(url):
    assert not placeholders.is_placeholder_url(url)


def test_the_starters_values_and_every_number_a_scaffold_writes_are_placeholders():
    starter = dict(pair for group in scaffold.STARTER_SITE for pair in group)
    assert placeholders.is_placeholder_url(starter["base_url"])
    number = re.search(r'whatsapp: "([^"]+)"', starter["contact"]).group(1)
    assert placeholders.is_placeholder_number(number)
    for field in (fields.CONTACT.field("whatsapp"), fields.CONTACT.field("phone"),
                  fields.PRODUCT.field("whatsapp")):
        assert placeholders.is_placeholder_number(field.example.strip('"'))
    assert placeholders.is_placeholder_number("+62 812 0000 0000")  # the same number
    assert not placeholders.is_placeholder_number("0812-0000-0190")  # the sample's own


# -- a starter site ------------------------------------------------------------------------

@pytest.fixture
def starter(tmp_path, monkeypatch) -> SiteDir:
    assert run(["init", str(tmp_path / "site")]) == 0
    monkeypatch.chdir(tmp_path / "site")
    return SiteDir(tmp_path / "site")


def line_of(path: Path, start: str) -> int:
    lines = path.read_text("utf-8").split("\n")
    return next(n for n, line in enumerate(lines, 1) if line.lstrip().startswith(start))


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text
    path.write_bytes(text.replace(old, new).encode("utf-8"))


def test_check_warns_about_the_starters_address_and_number(starter, capsys):
    site_yaml = starter.content / "site.yaml"
    assert run(["check", "--format", "json"]) == 0  # warnings: the site still builds
    found = {(p["path"], p["line"], p["field"]): p["message"]
             for p in json.loads(capsys.readouterr().out)["warnings"]}
    base = found[("content/site.yaml", line_of(site_yaml, "base_url:"), "base_url")]
    assert "https://example.org/" in base
    assert "set base_url to the address where the site will be published" in base
    number = found[("content/site.yaml", line_of(site_yaml, "whatsapp:"), "contact.whatsapp")]
    assert "0812-0000-0000" in number and "placeholder" in number
    assert run(["check", "--strict"]) == 1
    assert "base_url: 'https://example.org/' is a placeholder" in capsys.readouterr().out


def test_check_points_at_a_booths_and_a_products_placeholder_number(starter, capsys):
    booth = starter.content / "booths/lapas-contoh/index.md"
    product = starter.content / "booths/lapas-contoh/keset-sabut-kelapa/index.md"
    replace_in(booth, "region:", 'contact:\n  phone: "021-000-0000"\nregion:')
    replace_in(product, "price:", 'whatsapp: "0812-0000-0000"\nprice:')
    run(["check", "--format", "json"])
    found = {(p["path"], p["line"], p["field"])
             for p in json.loads(capsys.readouterr().out)["warnings"]}
    assert ("content/booths/lapas-contoh/index.md", line_of(booth, "phone:"),
            "contact.phone") in found
    assert ("content/booths/lapas-contoh/keset-sabut-kelapa/index.md",
            line_of(product, "whatsapp:"), "whatsapp") in found


def test_cards_refuse_until_base_url_and_the_number_are_set(starter, capsys):
    site_yaml = starter.content / "site.yaml"
    printed = starter.content / "printed.yaml"
    pdf = starter.root / "print" / "cards.pdf"

    assert run(["cards"]) == 1
    err = capsys.readouterr().err
    assert f"content/site.yaml:{line_of(site_yaml, 'base_url:')}: base_url: " \
           "'https://example.org/' is a placeholder" in err
    assert "set base_url to the address where the site will be published" in err
    assert f"content/site.yaml:{line_of(site_yaml, 'whatsapp:')}: contact.whatsapp:" in err
    assert "--proof" in err
    assert not pdf.exists() and not printed.exists()

    replace_in(site_yaml, "base_url: https://example.org/", "base_url: https://pameran-uji.id/")
    assert run(["cards"]) == 1
    err = capsys.readouterr().err
    assert "base_url" not in err and "contact.whatsapp" in err
    assert not pdf.exists() and not printed.exists()

    replace_in(site_yaml, "0812-0000-0000", "0812-3456-7890")
    assert run(["cards"]) == 0
    assert pdf.read_bytes().startswith(b"%PDF")
    assert "LPC-001" in printed.read_text("utf-8")
    assert PROOF_MARK not in " ".join(text_of(pdf))


def test_a_placeholder_base_url_given_on_the_command_line_is_refused_too(starter, capsys):
    replace_in(starter.content / "site.yaml", "0812-0000-0000", "0812-3456-7890")
    assert run(["cards", "--base-url", "https://pameran.test/"]) == 1
    err = capsys.readouterr().err
    assert "--base-url: base_url: 'https://pameran.test/' is a placeholder" in err
    assert run(["cards", "--base-url", "https://pameran-uji.id/"]) == 0


def test_only_the_placeholders_of_what_is_printed_stop_the_cards(starter, capsys):
    site_yaml = starter.content / "site.yaml"
    replace_in(site_yaml, "0812-0000-0000", "0812-3456-7890")
    run(["new", "booth", "lapas-lain"])
    other = starter.content / "booths/lapas-lain/index.md"
    replace_in(other, "\nname:", '\ncontact: {whatsapp: "0812-0000-0000"}\nname:')
    capsys.readouterr()
    assert run(["cards", "--base-url", PRINT_BASE_URL]) == 1  # every booth: the other's too
    assert f"content/booths/lapas-lain/index.md:{line_of(other, 'contact:')}: contact.whatsapp" \
        in capsys.readouterr().err
    assert run(["cards", "--base-url", PRINT_BASE_URL, "--booth", "LPC"]) == 0


def test_a_proof_is_marked_on_every_page_and_records_nothing(starter, capsys):
    assert run(["cards", "--proof"]) == 0  # placeholders and all
    assert "proof" in capsys.readouterr().out
    proof = starter.root / "print" / "proof.pdf"
    pages = text_of(proof)
    assert len(pages) == 2  # the card and the booth's poster
    assert all(PROOF_MARK in page and "not for printing" in page for page in pages)
    assert not (starter.content / "printed.yaml").exists()
    assert not (starter.root / "print" / "cards.pdf").exists()

    # A proof after real cards leaves their record as it was.
    replace_in(starter.content / "site.yaml", "0812-0000-0000", "0812-3456-7890")
    assert run(["cards", "--base-url", PRINT_BASE_URL]) == 0
    before = (starter.content / "printed.yaml").read_bytes()
    run(["new", "product", "lapas-contoh", "tas-anyaman"])
    assert run(["cards", "--proof", "--layout", "a4-4up", "--output", "p.pdf"]) == 0
    assert (starter.content / "printed.yaml").read_bytes() == before
    assert all(PROOF_MARK in page for page in text_of(starter.root / "p.pdf"))


# -- text that fits ------------------------------------------------------------------------

def text_of(pdf_path: Path) -> list[str]:
    return [page.get_textpage().get_text_range() for page in pdfium.PdfDocument(str(pdf_path))]


LONG_NAME = ("Keset sabut kelapa tebal anti selip buatan tangan warga binaan lembaga "
             "pemasyarakatan kelas satu dengan alas karet alami dan anyaman rapat yang tahan "
             "lama untuk teras rumah dan dapur dan kamar mandi serta kantor dan gudang")[:200]


def test_a_200_character_name_fits_its_card_and_says_it_was_cut(make_site, capsys):
    assert len(LONG_NAME) == 200
    name = "{id: Keset Sabut Kelapa, en: Coconut-coir doormat}"
    site = make_site({PRODUCT: PRODUCT_MD.replace(name, f'{{id: "{LONG_NAME}", en: Doormat}}')})
    pdf = site.root / "cards.pdf"
    assert run(["cards", "--content", str(site.content), "--output", str(pdf),
                "--base-url", PRINT_BASE_URL, "--product", "UJI-001"]) == 0
    err = capsys.readouterr().err
    name_line = line_of(site.root / PRODUCT, "name:")
    assert f"{PRODUCT}:{name_line}: name.id: warning: too long for a stand card" in err
    assert "'…'" in err

    page = pdfium.PdfDocument(str(pdf))[0]
    width, height = page.get_size()
    text = page.get_textpage()
    safe = cards.SAFE - 0.5
    for index in range(text.count_chars()):
        left, bottom, right, top = text.get_charbox(index)
        if right > left:  # a drawn glyph, not a space
            assert safe <= left and right <= width - safe, (index, left, right)
            assert safe <= bottom and top <= height - safe, (index, bottom, top)
    drawn = " ".join(text.get_text_range().split())
    start = drawn.index(LONG_NAME[:30])
    shown_name = drawn[start:drawn.index("…", start) + 1]
    assert shown_name.endswith("…") and len(shown_name) < 200
    assert LONG_NAME.startswith(shown_name[:-1].rstrip())


def test_fit_shrinks_before_it_wraps_and_wraps_before_it_cuts():
    font = cards._font("bold")
    assert cards.fit("Keset", font, 17, 200, 1) == cards.Fitted(17, ("Keset",))
    longer = cards.fit("Keset Sabut Kelapa Tebal", font, 17, 150, 1)
    assert longer.size < 17 and len(longer.lines) == 1 and not longer.cut
    wrapped = cards.fit("Keset Sabut Kelapa Tebal " * 3, font, 17, 150, 3)
    assert len(wrapped.lines) > 1 and not wrapped.cut
    cut = cards.fit("Keset Sabut Kelapa Tebal " * 20, font, 17, 150, 2)
    assert cut.cut and cut.size == cards.MIN_TEXT and len(cut.lines) == 2
    assert cut.lines[-1].endswith("…")
    one_word = cards.fit("x" * 400, font, 10, 150, 2)  # an address without a space
    assert one_word.cut and len(one_word.lines) == 2


# -- the 4-up sheet and its ink ------------------------------------------------------------

@pytest.fixture
def four_cards(make_site) -> SiteDir:
    files = {f"content/booths/lapas-uji/keset-{n}/index.md":
             PRODUCT_MD.replace("UJI-001", f"UJI-00{n}").replace("Keset Sabut", f"Keset {n}")
             for n in range(2, 5)}
    return make_site(files)


def test_the_4up_sheet_has_a_blank_gutter_and_crop_marks_only_outside_the_cards(four_cards):
    pdf = four_cards.root / "4up.pdf"
    assert run(["cards", "--content", str(four_cards.content), "--output", str(pdf),
                "--layout", "a4-4up", "--base-url", PRINT_BASE_URL]) == 0
    scale = 150 / 72
    image = pdfium.PdfDocument(str(pdf))[0].render(scale=scale).to_pil().convert("L")
    width, height = image.size
    pixels = image.load()
    card_w, card_h = (side * cards.FOUR_UP_SCALE for side in cards.A6)
    # Card rectangles in pixels (PDF y runs up, the image's down).
    rects = [(x * scale, height - (y + card_h) * scale, (x + card_w) * scale,
              height - y * scale) for x, y in cards.four_up_slots()]
    (l1, t1, r1, b1), (l2, _, _, _), (_, t3, _, _) = rects[0], rects[1], rects[2]
    assert l2 - r1 >= 5.5 / 25.4 * 150 and t3 - b1 >= 5.5 / 25.4 * 150  # a 6 mm gutter

    def inside(x, y, margin=1.5):
        return any(left - margin <= x <= right + margin and top - margin <= y <= bottom + margin
                   for left, top, right, bottom in rects)

    dark = [(x, y) for x in range(width) for y in range(height) if pixels[x, y] < 128]
    marks = [(x, y) for x, y in dark if not inside(x, y)]
    assert marks, "no crop marks"
    for x, y in marks:
        in_gutter_x = r1 + 1 < x < l2 - 1
        in_gutter_y = b1 + 1 < y < t3 - 1
        assert not (in_gutter_x or in_gutter_y), f"a mark in the gutter at {(x, y)}"
    # Every trim line has its marks, in the margin beyond the cards.
    for left, top, right, bottom in rects:
        for x in (left, right):
            assert any(abs(mx - x) <= 2 and (my < rects[0][1] or my > rects[-1][3])
                       for mx, my in marks)
        for y in (top, bottom):
            assert any(abs(my - y) <= 2 and (mx < rects[0][0] or mx > rects[-1][2])
                       for mx, my in marks)
    # Nothing at a card's corner: no stubs of a centre cross inside the trim.
    for left, top, right, bottom in rects:
        for cx, cy in ((left, top), (right, top), (left, bottom), (right, bottom)):
            near = [(x, y) for x in range(int(cx - 12), int(cx + 12))
                    for y in range(int(cy - 12), int(cy + 12))
                    if inside(x, y, margin=-1) and pixels[x, y] < 200]
            assert not near, f"marks inside a card at {(cx, cy)}"


def content_streams(pdf_path: Path) -> list[bytes]:
    """The pages' drawing operators, decoded (fonts and other streams left out)."""
    streams = []
    for match in re.finditer(rb"/Filter \[([^\]]*)\][^>]*>>\s*stream\r?\n(.*?)endstream",
                             pdf_path.read_bytes(), re.S):
        filters, data = match.group(1).split(), match.group(2)
        if b"/ASCII85Decode" in filters:
            data = base64.a85decode(data.strip().removesuffix(b"~>"))
        data = zlib.decompress(data)
        if b"BT" in data:
            streams.append(data)
    return streams


def test_every_text_and_code_is_drawn_in_black_ink_only(four_cards):
    for layout in cards.LAYOUTS:
        pdf = four_cards.root / f"{layout}.pdf"
        assert run(["cards", "--content", str(four_cards.content), "--output", str(pdf),
                    "--layout", layout, "--base-url", PRINT_BASE_URL]) == 0
        streams = content_streams(pdf)
        assert streams
        for stream in streams:
            assert not re.search(rb"\b(rg|RG|k|K|sc|scn|SC|SCN)\b", stream), "a colour space"
            fill, saved, shown = b"0", [], 0
            for token in re.finditer(rb"([\d.]+) g\b|\bq\b|\bQ\b|\bT[jJ]\b|'", stream):
                word = token.group(0)
                if token.group(1) is not None:
                    fill = token.group(1)
                elif word == b"q":
                    saved.append(fill)
                elif word == b"Q":
                    fill = saved.pop()
                else:
                    assert float(fill) == 0, f"text drawn in grey {fill!r} in {layout}"
                    shown += 1
            assert shown


def test_the_cards_of_the_sample_exhibition_are_refused_for_its_example_address(sample, capsys):
    """The sample is fictional: its base_url is on example.org, so it prints only proofs."""
    assert run(["cards", "--content", str(sample), "--output", str(sample.parent / "c.pdf")]) == 1
    assert "content/site.yaml:20: base_url:" in capsys.readouterr().err
    assert run(["cards", "--content", str(sample), "--proof", "--output",
                str(sample.parent / "p.pdf")]) == 0
    assert not (sample.parent / "c.pdf").exists()
