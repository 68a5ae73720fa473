"""Print-ready stand cards and booth posters, as one vector PDF.

Drawn with reportlab (maintained, pure Python, writes PDF directly): text stays text
and the QR code is filled rectangles, so both are sharp at any zoom and at any print
size. The font is Bitstream Vera, which ships inside reportlab and covers Indonesian
and English text; it is embedded (subset), so the print shop sees what we see.
`invariant` output: the same site gives a byte-identical PDF.

Product cards are A6 (105 x 148 mm), one per page, or four to an A4 sheet (`a4-4up`):
four A6 cards fill A4 to the edge, so there they are set at 88 %, with a 6 mm gutter
between them and crop marks in the sheet's margin only, outside every card's trim.
Booth posters are A4. Everything that matters keeps 8 mm from the card's edge, clear of
a guillotine's tolerance and a printer's unprintable margin.

Text is pure black (one ink, K only): print shops convert colours unpredictably, and a
dark brown in RGB can come back muddy or as four-colour black. Text that does not fit
is set smaller, down to 7 pt on paper, and wrapped; what still does not fit is cut with
"…" and a warning names the file, line and field, so nothing is cut silently.

A proof (`proof=True`) carries a diagonal "PROOF / CONTOH CETAK" band on every card and
poster and says so under the code; it is for looking at, not for the print shop.

The words come from the theme's strings: the site's first language, then its second
where it has one ("Pindai untuk memesan · Scan to order"), since a stand's visitors
read either.
"""

from __future__ import annotations

import math
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
from showcase.errors import Problems, shown
from showcase.files import write_atomic
from showcase.i18n import Strings, format_price
from showcase.messages import N_
from showcase.model import Booth, Product, Site

LAYOUTS = ("a6", "a4-4up")
SAFE = 8 * mm  # nothing that matters nearer the trimmed edge than this
CARD_QR = 55 * mm  # the code with its quiet zone (25 mm is the least that scans well)
POSTER_QR = 140 * mm
MIN_TEXT = 7  # points on paper: the least that reads at arm's length
ELLIPSIS = "…"
FOUR_UP_SCALE = 0.88  # four A6 cards with gutter and crop marks on one A4 sheet
GUTTER = 6 * mm
PROOF_WORDS = "PROOF / CONTOH CETAK — not for printing"

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


# A text's (file, line, field): what a warning about a cut text names. Cards and
# posters map the attribute that holds each text to its Where.
Where = tuple[str, int | None, str]


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
    origin: Mapping[str, Where] | None = None  # where each of the texts above is written


@dataclass(frozen=True)
class Poster:
    """What one booth's A4 poster says."""

    code: str
    name: str
    stand: str | None  # as printed: "Stan A-12"
    url: str
    display_url: str
    marketplaces: tuple[tuple[str, str], ...]  # (name, shop URL)
    origin: Mapping[str, Where] | None = None


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


def _where(site: Site, path: Path | None, name: str, lang: str | None = None) -> Where:
    """Where a field is written: its translation file when that sets it, else the entry's
    own file (site.yaml when `path` is None)."""
    if path is None:
        return (shown(site.root / "site.yaml", site.root), site.sources.site_lines.get(name),
                name)
    written = site.sources.entries.get(path)
    field = f"{name}.{lang}" if lang else name
    for other, file, lines in written.translations if written else ():
        if other == lang and name in lines:
            return shown(file, site.root), lines[name], name
    return shown(path, site.root), written.lines.get(name) if written else None, field


def _site_origins(site: Site) -> dict[str, Where]:
    return {"title": _where(site, None, "title"), "display_url": _where(site, None, "base_url")}


def card_of(site: Site, product: Product, words: Labels) -> Card:
    languages = site.config.languages
    lang = languages[0]
    booth = site.booth_of(product)
    name = product.name.get(lang)
    other = product.name.get(languages[1]) if len(languages) > 1 and product.name.has(
        languages[1]) else None
    url, display = _short(site, "p", product.code)
    booth_name = booth.name.get(lang)
    path = product.src_path
    origin = {**_site_origins(site), "name": _where(site, path, "name", lang),
              "name_other": _where(site, path, "name", languages[min(1, len(languages) - 1)]),
              "price": _where(site, path, "price"),
              "booth": _where(site, booth.src_path, "name", lang)}
    return Card(product.code, name, other if other and other != name else None,
                format_price(product.price, lang, words.ask_price),
                f"{booth_name} · {words.at_stand.format(stand=booth.stand)}" if booth.stand
                else booth_name, url, display, origin)


def poster_of(site: Site, booth: Booth, words: Labels) -> Poster:
    url, display = _short(site, "b", booth.code)
    lang = site.config.default_language
    origin = {**_site_origins(site), "name": _where(site, booth.src_path, "name", lang),
              "stand": _where(site, booth.src_path, "stand"),
              "marketplaces": _where(site, booth.src_path, "marketplaces")}
    return Poster(booth.code, booth.name.get(lang),
                  words.at_stand.format(stand=booth.stand) if booth.stand else None, url,
                  display, tuple((m.name, m.url) for m in booth.marketplaces), origin)


# -- drawing ---------------------------------------------------------------------------

def draw_qr(canvas: Canvas, url: str, x: float, y: float, size: float) -> None:
    """The QR code of `url` with its quiet zone as a `size` square, lower-left at (x, y)."""
    code = qr.make(url)
    module = size / qr.modules(code)
    canvas.setFillGray(1)
    canvas.rect(x, y, size, size, stroke=0, fill=1)  # the quiet zone stays white on any stock
    canvas.setFillGray(0)
    path = canvas.beginPath()
    top = y + size - qr.QUIET_ZONE * module
    for row, column, length in qr.runs(code):
        path.rect(x + (qr.QUIET_ZONE + column) * module, top - (row + 1) * module,
                  length * module, module)
    canvas.drawPath(path, stroke=0, fill=1)


@dataclass(frozen=True)
class Fitted:
    """A text set to fit a block: its size, its lines, and whether it had to be cut."""

    size: float
    lines: tuple[str, ...]
    cut: bool = False


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Lines at word breaks; a word wider than the block (a long address) is broken
    between characters rather than run over the edge."""
    lines = []
    for line in simpleSplit(text, font, size, width):
        while pdfmetrics.stringWidth(line, font, size) > width and len(line) > 1:
            end = len(line) - 1
            while end > 1 and pdfmetrics.stringWidth(line[:end], font, size) > width:
                end -= 1
            lines.append(line[:end])
            line = line[end:]
        lines.append(line)
    return lines


def fit(text: str, font: str, size: float, width: float, max_lines: int,
        minimum: float = MIN_TEXT) -> Fitted:
    """`text` in at most `max_lines` lines of `width`: at `size` if it fits, else smaller
    (half a point at a time, down to `minimum`), and at `minimum` cut to end in "…"."""
    while True:
        lines = _wrap(text, font, size, width)
        if len(lines) <= max_lines:
            return Fitted(size, tuple(lines))
        if size <= minimum:
            break
        size = max(minimum, size - 0.5)
    kept = lines[:max_lines]
    last = kept[-1]
    while last and pdfmetrics.stringWidth(last.rstrip() + ELLIPSIS, font, size) > width:
        last = last[:-1]
    kept[-1] = last.rstrip() + ELLIPSIS
    return Fitted(size, tuple(kept), cut=True)


@dataclass
class Pen:
    """What every text on a page is drawn with: where cut texts are reported, the least
    size in the page's own units (a 4-up card is scaled down), and the origins of the
    texts of the card or poster in hand."""

    canvas: Canvas
    problems: Problems
    minimum: float = MIN_TEXT
    origin: Mapping[str, Where] | None = None

    def lines(self, text: str, style: str, size: float, x: float, top: float, width: float,
              max_lines: int = 3, centred: bool = False, what: str = "") -> float:
        """Text whose first line's top is at `top`, fitted to `max_lines` of `width`;
        returns where the next block may start."""
        font = _font(style)
        fitted = fit(text, font, size, width, max_lines, self.minimum)
        if fitted.cut:
            self.cut(text, fitted, max_lines, what)
        canvas = self.canvas
        size = fitted.size
        canvas.setFont(font, size)
        canvas.setFillGray(0)
        baseline = top - size * 0.95
        for line in fitted.lines:
            if centred:
                canvas.drawCentredString(x + width / 2, baseline, line)
            else:
                canvas.drawString(x, baseline, line)
            baseline -= size * 1.2
        return baseline + size * 1.2 - size * 0.3

    def cut(self, text: str, fitted: Fitted, max_lines: int, what: str) -> None:
        """Say where the text that was cut is written (a fixed word: the theme's strings)."""
        path, line, field = (self.origin or {}).get(what) or ("(theme strings)", None, what)
        kept = sum(map(len, fitted.lines)) - 1
        self.problems.warn(path, line, field,
                           N_("too long for a stand card ({length} characters): even at "
                              "{size} pt it takes more than {lines} line(s), so it is printed "
                              "cut short, ending in '{ellipsis}'; shorten it to about {kept} "
                              "characters", length=len(text), size=MIN_TEXT, lines=max_lines,
                              ellipsis=ELLIPSIS, kept=kept))


def draw_card(pen: Pen, card: Card, words: Labels, title: str, proof: bool) -> None:
    """One A6 card with its lower-left corner at (0, 0) of the canvas."""
    canvas = pen.canvas
    width, height = A6
    inner = width - 2 * SAFE
    x = SAFE
    if proof:
        _proof_band(canvas, width, height)
    top = pen.lines(title, "regular", 8, x, height - SAFE, inner, 1, what="title")
    top = pen.lines(card.name, "bold", 17, x, top - 2 * mm, inner, 3, what="name")
    if card.name_other:
        top = pen.lines(card.name_other, "italic", 11, x, top - 1 * mm, inner, 2,
                        what="name_other")
    top = pen.lines(card.price, "bold", 15, x, top - 3 * mm, inner, 1, what="price")
    top = pen.lines(f"{card.code} · {card.booth}", "regular", 10, x, top - 1.5 * mm, inner, 2,
                    what="booth")
    footer = SAFE
    link_top = footer + 13 * mm
    qr_y = link_top + 1 * mm
    draw_qr(canvas, card.url, (width - CARD_QR) / 2, qr_y, CARD_QR)
    pen.lines(card.display_url, "bold", 10, x, link_top, inner, 2, centred=True,
              what="display_url")
    pen.lines(PROOF_WORDS if proof else words.scan_to_order, "regular", 8, x, footer + 8,
              inner, 1, centred=True, what="card_scan_to_order")


def draw_poster(pen: Pen, poster: Poster, words: Labels, title: str, proof: bool) -> None:
    width, height = A4
    margin = 15 * mm
    inner = width - 2 * margin
    x = margin
    if proof:
        _proof_band(pen.canvas, width, height)
    top = pen.lines(title, "regular", 12, x, height - margin, inner, 2, centred=True,
                    what="title")
    top = pen.lines(poster.name, "bold", 34, x, top - 6 * mm, inner, 3, centred=True,
                    what="name")
    if poster.stand:
        top = pen.lines(poster.stand, "bold", 20, x, top - 3 * mm, inner, 1, centred=True,
                        what="stand")
    qr_y = top - 8 * mm - POSTER_QR
    draw_qr(pen.canvas, poster.url, (width - POSTER_QR) / 2, qr_y, POSTER_QR)
    top = pen.lines(poster.display_url, "bold", 18, x, qr_y - 4 * mm, inner, 2, centred=True,
                    what="display_url")
    top = pen.lines(PROOF_WORDS if proof else words.scan_booth, "regular", 11, x,
                    top - 2 * mm, inner, 2, centred=True, what="poster_scan")
    top -= 4 * mm
    for name, shop in poster.marketplaces:
        top = pen.lines(f"{name}: {shop.split('://', 1)[-1]}", "regular", 11, x, top,
                        inner, 2, centred=True, what="marketplaces")


def _proof_band(canvas: Canvas, width: float, height: float) -> None:
    """A light band with the proof's words across the page, corner to corner, under
    everything else: the QR code's white square still covers it, so a proof scans."""
    canvas.saveState()
    trim = canvas.beginPath()
    trim.rect(0, 0, width, height)
    canvas.clipPath(trim, stroke=0, fill=0)  # on a 4-up sheet, nothing in the gutter
    canvas.translate(width / 2, height / 2)
    canvas.rotate(math.degrees(math.atan2(height, width)))
    length = math.hypot(width, height)
    band = 0.09 * width
    canvas.setFillGray(0.85)
    canvas.rect(-length / 2, -band / 2, length, band, stroke=0, fill=1)
    canvas.setFillGray(0)
    font = _font("bold")
    size = band * 0.4
    step = pdfmetrics.stringWidth(PROOF_WORDS, font, size) + band
    canvas.setFont(font, size)
    count = int(length // step) + 1  # repeated end to end: the code covers some, not all
    for index in range(count):
        canvas.drawCentredString((index - (count - 1) / 2) * step, -size * 0.35, PROOF_WORDS)
    canvas.restoreState()


def four_up_slots() -> list[tuple[float, float]]:
    """The lower-left corners of the four scaled cards on an A4 sheet, in reading order,
    centred with a gutter between them."""
    card_w, card_h = A6[0] * FOUR_UP_SCALE, A6[1] * FOUR_UP_SCALE
    left = (A4[0] - 2 * card_w - GUTTER) / 2
    bottom = (A4[1] - 2 * card_h - GUTTER) / 2
    xs = (left, left + card_w + GUTTER)
    ys = (bottom + card_h + GUTTER, bottom)
    return [(x, y) for y in ys for x in xs]


def _crop_marks(canvas: Canvas) -> None:
    """Where to cut four cards from an A4 sheet: a mark in the sheet's margin on the line
    of every trim edge, kept clear of the trim, so none falls inside a card or the gutter."""
    card_w, card_h = A6[0] * FOUR_UP_SCALE, A6[1] * FOUR_UP_SCALE
    slots = four_up_slots()
    cuts_x = sorted({x for x, _ in slots} | {x + card_w for x, _ in slots})
    cuts_y = sorted({y for _, y in slots} | {y + card_h for _, y in slots})
    offset, length = 2 * mm, 4 * mm
    canvas.setStrokeGray(0)
    canvas.setLineWidth(0.25)
    for x in cuts_x:
        canvas.line(x, cuts_y[0] - offset, x, cuts_y[0] - offset - length)
        canvas.line(x, cuts_y[-1] + offset, x, cuts_y[-1] + offset + length)
    for y in cuts_y:
        canvas.line(cuts_x[0] - offset, y, cuts_x[0] - offset - length, y)
        canvas.line(cuts_x[-1] + offset, y, cuts_x[-1] + offset + length, y)


def write(path: Path, site: Site, cards: list[Card], posters: list[Poster], words: Labels,
          layout: str = "a6", problems: Problems | None = None, proof: bool = False) -> int:
    """The PDF: cards first, then posters. Drawn in memory and written atomically, so a
    failed run never leaves half a PDF. Texts cut to fit are reported to `problems`.
    Returns the number of pages."""
    if layout not in LAYOUTS:
        raise ValueError(f"layout must be one of {', '.join(LAYOUTS)}")
    problems = Problems() if problems is None else problems
    title = site.config.title.get(site.config.default_language)
    # The initial font too: otherwise reportlab declares Helvetica, which is not embedded.
    canvas = Canvas(None, pagesize=A6 if layout == "a6" else A4, invariant=1,
                    initialFontName=_font("regular"))
    canvas.setTitle(f"{title}: {'proof of the ' if proof else ''}stand cards")
    canvas.setAuthor(title)
    canvas.setCreator("showcase cards")
    pages = 0
    scale = 1 if layout == "a6" else FOUR_UP_SCALE
    per_page = 1 if layout == "a6" else 4
    slots = [(0, 0)] if layout == "a6" else four_up_slots()
    for start in range(0, len(cards), per_page):
        canvas.setPageSize(A6 if layout == "a6" else A4)
        for card, (x, y) in zip(cards[start:start + per_page], slots):
            canvas.saveState()
            canvas.translate(x, y)
            canvas.scale(scale, scale)
            draw_card(Pen(canvas, problems, MIN_TEXT / scale, card.origin), card, words,
                         title, proof)
            canvas.restoreState()
        if layout != "a6":
            _crop_marks(canvas)
        canvas.showPage()
        pages += 1
    for poster in posters:
        canvas.setPageSize(A4)
        draw_poster(Pen(canvas, problems, origin=poster.origin), poster, words, title, proof)
        canvas.showPage()
        pages += 1
    _unique(problems)
    write_atomic(path, canvas.getpdfdata())
    return pages


def _unique(problems: Problems) -> None:
    """A text on every card (the site's title) is reported once, not once per card."""
    problems.items[:] = list(dict.fromkeys(problems.items))
