"""Print-ready stand cards and booth posters, as one vector PDF.

Drawn with reportlab (maintained, pure Python, writes PDF directly): text stays text
and the QR code is filled rectangles, so both are sharp at any zoom and at any print
size. The font is Bitstream Vera, which ships inside reportlab and covers Indonesian
and English text; it is embedded (subset), so the print shop sees what we see.
`invariant` output: the same site gives a byte-identical PDF.

Product cards are A6 (105 x 148 mm), one per page, or four to an A4 sheet with crop
marks (`a4-4up`). Booth posters are A4. Everything that matters keeps 8 mm from the
card's edge, clear of a guillotine's tolerance and a printer's unprintable margin.

The words come from the theme's strings: the site's first language, then its second
where it has one ("Pindai untuk memesan · Scan to order"), since a stand's visitors
read either.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.pagesizes import A4, A6
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from showcase import urls
from showcase.assets import qr
from showcase.files import write_atomic
from showcase.i18n import Strings, format_price
from showcase.model import Booth, Product, Site

LAYOUTS = ("a6", "a4-4up")
SAFE = 8 * mm  # nothing that matters nearer the trimmed edge than this
CARD_QR = 55 * mm  # the code with its quiet zone (25 mm is the least that scans well)
POSTER_QR = 140 * mm
INK = (0.12, 0.09, 0.06)
MUTED = (0.33, 0.28, 0.24)

FONTS = {"regular": ("ShowcaseVera", "Vera.ttf"), "bold": ("ShowcaseVera-Bold", "VeraBd.ttf"),
         "italic": ("ShowcaseVera-Italic", "VeraIt.ttf")}


@dataclass(frozen=True)
class Labels:
    """The fixed words of cards and posters, in the languages they are printed in."""

    scan_to_order: str
    scan_booth: str
    ask_price: str
    at_stand: str  # with {stand}, in the first language only: it sits in a short line


def labels(site: Site, strings: Mapping[str, Strings], bundled: Mapping[str, Strings]) -> Labels:
    """The labels in the site's first two languages, from the theme's strings, or the
    bundled theme's where a theme copied before cards had words of their own lacks them
    (`bundled` holds English too: the last resort for a language no one translated)."""
    languages = site.config.languages[:2]

    def word(lang: str, key: str) -> str:
        return strings[lang].get(key) or bundled[lang].get(key) or bundled["en"](key)

    def both(key: str) -> str:
        return " · ".join(dict.fromkeys(word(lang, key) for lang in languages))

    return Labels(both("card_scan_to_order"), both("poster_scan"), both("ask_price"),
                  word(languages[0], "at_stand"))


@dataclass(frozen=True)
class Card:
    """What one product's stand card says."""

    code: str
    name: str  # in the site's default language
    name_other: str | None  # in its second language, when that differs
    price: str
    booth: str  # with its stand, if it has one
    url: str  # the absolute short link, encoded in the QR code
    display_url: str  # the same, as typed: no scheme, no trailing slash


@dataclass(frozen=True)
class Poster:
    """What one booth's A4 poster says."""

    code: str
    name: str
    stand: str | None  # as printed: "Stan A-12"
    url: str
    display_url: str
    marketplaces: tuple[tuple[str, str], ...]  # (name, shop URL)


def _font(style: str) -> str:
    name, file_name = FONTS[style]
    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(name, file_name))  # found in reportlab's own fonts
    return name


def _short(site: Site, kind: str, code: str) -> tuple[str, str]:
    config = site.config
    short = (urls.short_product if kind == "p" else urls.short_booth)(
        code, config.default_language, config)
    url = urls.absolute(short, config)
    return url, url.split("://", 1)[-1].rstrip("/")


def card_of(site: Site, product: Product, words: Labels) -> Card:
    languages = site.config.languages
    lang = languages[0]
    booth = site.booth_of(product)
    name = product.name.get(lang)
    other = product.name.get(languages[1]) if len(languages) > 1 and product.name.has(
        languages[1]) else None
    url, display = _short(site, "p", product.code)
    booth_name = booth.name.get(lang)
    return Card(product.code, name, other if other and other != name else None,
                format_price(product.price, lang, words.ask_price),
                f"{booth_name} · {words.at_stand.format(stand=booth.stand)}" if booth.stand
                else booth_name, url, display)


def poster_of(site: Site, booth: Booth, words: Labels) -> Poster:
    url, display = _short(site, "b", booth.code)
    return Poster(booth.code, booth.name.get(site.config.default_language),
                  words.at_stand.format(stand=booth.stand) if booth.stand else None, url,
                  display, tuple((m.name, m.url) for m in booth.marketplaces))


# -- drawing ---------------------------------------------------------------------------

def draw_qr(canvas: Canvas, url: str, x: float, y: float, size: float) -> None:
    """The QR code of `url` with its quiet zone as a `size` square, lower-left at (x, y)."""
    code = qr.make(url)
    module = size / qr.modules(code)
    canvas.setFillColorRGB(1, 1, 1)
    canvas.rect(x, y, size, size, stroke=0, fill=1)  # the quiet zone stays white on any stock
    canvas.setFillColorRGB(0, 0, 0)
    path = canvas.beginPath()
    top = y + size - qr.QUIET_ZONE * module
    for row, column, length in qr.runs(code):
        path.rect(x + (qr.QUIET_ZONE + column) * module, top - (row + 1) * module,
                  length * module, module)
    canvas.drawPath(path, stroke=0, fill=1)


def _lines(canvas: Canvas, text: str, style: str, size: float, x: float, top: float,
           width: float, max_lines: int = 3, color=INK, centred: bool = False) -> float:
    """Wrapped text whose first line's top is at `top`, shrunk until it fits in
    `max_lines`; returns where the next block may start."""
    font = _font(style)
    while True:
        lines = simpleSplit(text, font, size, width)
        if len(lines) <= max_lines or size <= 7:
            break
        size -= 1
    canvas.setFont(font, size)
    canvas.setFillColorRGB(*color)
    baseline = top - size * 0.95
    for line in lines[:max_lines]:
        if centred:
            canvas.drawCentredString(x + width / 2, baseline, line)
        else:
            canvas.drawString(x, baseline, line)
        baseline -= size * 1.2
    return baseline + size * 1.2 - size * 0.3


def draw_card(canvas: Canvas, card: Card, words: Labels, title: str, x0: float, y0: float) -> None:
    """One A6 card with its lower-left corner at (x0, y0)."""
    width, height = A6
    inner = width - 2 * SAFE
    x = x0 + SAFE
    top = _lines(canvas, title, "regular", 8, x, y0 + height - SAFE, inner, 1, MUTED)
    top = _lines(canvas, card.name, "bold", 17, x, top - 2 * mm, inner, 3)
    if card.name_other:
        top = _lines(canvas, card.name_other, "italic", 11, x, top - 1 * mm, inner, 2, MUTED)
    top = _lines(canvas, card.price, "bold", 15, x, top - 3 * mm, inner, 1)
    top = _lines(canvas, f"{card.code} · {card.booth}", "regular", 10, x, top - 1.5 * mm, inner, 2)
    footer = y0 + SAFE
    link_top = footer + 13 * mm
    qr_y = link_top + 1 * mm
    draw_qr(canvas, card.url, x0 + (width - CARD_QR) / 2, qr_y, CARD_QR)
    _lines(canvas, card.display_url, "bold", 10, x, link_top, inner, 2, centred=True)
    _lines(canvas, words.scan_to_order, "regular", 8, x, footer + 8, inner, 1, MUTED,
           centred=True)


def draw_poster(canvas: Canvas, poster: Poster, words: Labels, title: str) -> None:
    width, height = A4
    margin = 15 * mm
    inner = width - 2 * margin
    x = margin
    top = _lines(canvas, title, "regular", 12, x, height - margin, inner, 2, MUTED, centred=True)
    top = _lines(canvas, poster.name, "bold", 34, x, top - 6 * mm, inner, 3, centred=True)
    if poster.stand:
        top = _lines(canvas, poster.stand, "bold", 20, x, top - 3 * mm, inner, 1, centred=True)
    qr_y = top - 8 * mm - POSTER_QR
    draw_qr(canvas, poster.url, (width - POSTER_QR) / 2, qr_y, POSTER_QR)
    top = _lines(canvas, poster.display_url, "bold", 18, x, qr_y - 4 * mm, inner, 2, centred=True)
    top = _lines(canvas, words.scan_booth, "regular", 11, x, top - 2 * mm, inner, 2, MUTED,
                 centred=True)
    top -= 4 * mm
    for name, shop in poster.marketplaces:
        top = _lines(canvas, f"{name}: {shop.split('://', 1)[-1]}", "regular", 11, x, top,
                     inner, 2, centred=True)


def _crop_marks(canvas: Canvas) -> None:
    """Where to cut four A6 cards from an A4 sheet: marks on the cut lines at every edge."""
    width, height = A4
    length = 5 * mm
    canvas.setStrokeColorRGB(0, 0, 0)
    canvas.setLineWidth(0.25)
    x, y = width / 2, height / 2
    canvas.line(x, 0, x, length)
    canvas.line(x, height - length, x, height)
    canvas.line(0, y, length, y)
    canvas.line(width - length, y, width, y)
    canvas.line(width / 2 - length / 2, height / 2, width / 2 + length / 2, height / 2)
    canvas.line(width / 2, height / 2 - length / 2, width / 2, height / 2 + length / 2)


def write(path: Path, site: Site, cards: list[Card], posters: list[Poster], words: Labels,
          layout: str = "a6") -> int:
    """The PDF: cards first, then posters. Drawn in memory and written atomically, so a
    failed run never leaves half a PDF. Returns the number of pages."""
    if layout not in LAYOUTS:
        raise ValueError(f"layout must be one of {', '.join(LAYOUTS)}")
    title = site.config.title.get(site.config.default_language)
    # The initial font too: otherwise reportlab declares Helvetica, which is not embedded.
    canvas = Canvas(None, pagesize=A6 if layout == "a6" else A4, invariant=1,
                    initialFontName=_font("regular"))
    canvas.setTitle(f"{title}: stand cards")
    canvas.setAuthor(title)
    canvas.setCreator("showcase cards")
    pages = 0
    if layout == "a6":
        for card in cards:
            canvas.setPageSize(A6)
            draw_card(canvas, card, words, title, 0, 0)
            canvas.showPage()
            pages += 1
    else:
        slots = [(0, A4[1] / 2), (A4[0] / 2, A4[1] / 2), (0, 0), (A4[0] / 2, 0)]
        for start in range(0, len(cards), 4):
            canvas.setPageSize(A4)
            for card, (x, y) in zip(cards[start:start + 4], slots):
                draw_card(canvas, card, words, title, x, y + (A4[1] / 2 - A6[1]) / 2)
            _crop_marks(canvas)
            canvas.showPage()
            pages += 1
    for poster in posters:
        canvas.setPageSize(A4)
        draw_poster(canvas, poster, words, title)
        canvas.showPage()
        pages += 1
    write_atomic(path, canvas.getpdfdata())
    return pages
