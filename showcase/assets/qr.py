"""QR codes for short links, as files for the site and as modules for the printer.

Encoded with segno (small, pure Python, maintained) rather than by hand. A code is the
smallest QR version that holds its URL, with the highest error correction that still
fits that version (`boost_error`): fewer, larger modules scan from further away and
from a worse phone camera than a denser code with more correction. Never Micro QR,
which phone cameras do not read.
"""

from __future__ import annotations

import hashlib
import io
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import segno
from PIL import Image

from showcase import urls
from showcase.files import write_atomic
from showcase.model import Site

QUIET_ZONE = 4  # modules of light margin, as the QR standard requires
FILES_VERSION = "3"  # bump when svg() or png() change their output


def make(url: str) -> segno.QRCode:
    return segno.make_qr(url, error="l", boost_error=True)


def svg(code: segno.QRCode, title: str) -> bytes:
    """A scalable file: one path, sized in modules, so CSS decides how large it shows."""
    out = io.BytesIO()
    code.save(out, kind="svg", scale=1, border=QUIET_ZONE, xmldecl=False, title=title,
              omitsize=True, svgclass=None, lineclass=None)
    return out.getvalue()


def png(code: segno.QRCode, scale: int = 10) -> bytes:
    """A bitmap for apps that want one (messages, slides): `scale` pixels per module.

    Drawn with Pillow from the module matrix: segno's pure-Python PNG writer took as
    long as choosing the mask, and a cold build makes thousands of these (one per entry
    and language). Saved without `optimize`: its search for the smallest encoding took
    two thirds of the drawing time to save about 10% of a 700-byte file.
    """
    size = len(code.matrix) + 2 * QUIET_ZONE
    light = bytes([255]) * size
    rows = [light] * QUIET_ZONE
    rows += [bytes([255]) * QUIET_ZONE + bytes(0 if dark else 255 for dark in row)
             + bytes([255]) * QUIET_ZONE for row in code.matrix]
    rows += [light] * QUIET_ZONE
    image = Image.frombytes("L", (size, size), b"".join(rows)).convert("1", dither=Image.Dither.NONE)
    out = io.BytesIO()
    image.resize((size * scale, size * scale), Image.Resampling.NEAREST).save(out, "PNG")
    return out.getvalue()


def _key(url: str) -> str:
    return hashlib.sha256(f"{url}|{segno.__version__}|{FILES_VERSION}".encode()).hexdigest()[:24]


@contextmanager
def making(urls: list[str], cache: Path, workers: int) -> Iterator[int]:
    """Make the codes not yet in the cache on `workers` processes while the caller does
    other work; on leaving, every code is in the cache. Yields how many it makes.

    A cold build of thousands of products would otherwise spend most of its time here,
    on one core, before rendering could start.
    """
    try:
        cached = set(os.listdir(cache))  # one listing, not a stat per code
    except OSError:
        cached = set()
    missing = [url for url in dict.fromkeys(urls) if f"{_key(url)}.png" not in cached]
    if len(missing) < 64 or workers < 2:
        for url in missing:
            files(url, cache)
        yield len(missing)
        return
    context = multiprocessing.get_context("spawn")  # as the image pool, for the same reasons
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        done = pool.map(files, missing, [cache] * len(missing), chunksize=32)
        try:
            yield len(missing)
        except BaseException:  # the caller failed: the codes are not needed now
            pool.shutdown(cancel_futures=True)
            raise
        list(done)  # raises here if a worker failed


def files(url: str, cache: Path | None) -> tuple[bytes, bytes]:
    """The SVG and PNG of a URL's code, from the cache when made before.

    Choosing the best mask makes a code cost about 10 ms in pure Python: a thousand
    products would add 10 s to every build. A code is a pure function of its URL, so
    it is made once and kept by a hash of the URL, segno's version and ours. The files
    are written without an fsync, so one a crash cut short is made again here.
    """
    key = _key(url)
    svg_path, png_path = (cache / f"{key}.svg", cache / f"{key}.png") if cache else (None, None)
    if svg_path and svg_path.is_file() and png_path.is_file():
        kept = svg_path.read_bytes(), png_path.read_bytes()
        if _whole(*kept):
            return kept
    code = make(url)
    made = svg(code, url), png(code)
    if cache:
        for path, data in zip((svg_path, png_path), made):
            write_atomic(path, data, durable=False)
    return made


def _whole(svg_bytes: bytes, png_bytes: bytes) -> bool:
    """Both files end as svg() and png() end them (not empty or cut short)."""
    return svg_bytes.endswith(b"</svg>\n") and png_bytes.endswith(b"IEND\xaeB`\x82")


def runs(code: segno.QRCode) -> Iterator[tuple[int, int, int]]:
    """Dark modules as (row, first column, length) runs, without the quiet zone.

    Drawing runs instead of single squares keeps a printed code free of hairline seams
    between neighbouring modules and keeps the PDF small.
    """
    for y, row in enumerate(code.matrix):
        x = 0
        while x < len(row):
            if row[x] & 1:
                start = x
                while x < len(row) and row[x] & 1:
                    x += 1
                yield y, start, x - start
            else:
                x += 1


def modules(code: segno.QRCode) -> int:
    """Modules per side, quiet zone included: what a printed size is divided into."""
    return code.symbol_size(scale=1, border=QUIET_ZONE)[0]


def targets(site: Site) -> list[tuple[str, str, str, str]]:
    """(kind, code, language, absolute short link) of every product and booth in every
    language: what the site's QR codes encode. Each language's pages show the code of
    their own short link (an English page's leads to /en/p/<code>/); stand cards print
    the default language's, which `cards` makes itself."""
    config = site.config
    entries = []
    for lang in config.languages:
        entries += [("p", p.code, lang, urls.short_product(p.code, lang, config))
                    for p in site.products]
        entries += [("b", b.code, lang, urls.short_booth(b.code, lang, config))
                    for b in site.booths]
    return [(kind, code, lang, urls.absolute(short, config)) for kind, code, lang, short in entries]


def site_files(site: Site, cache: Path, unchanged: bool) -> tuple[dict[str, bytes], frozenset[str]]:
    """Every product's and booth's QR code (SVG and PNG), as (bytes to write, paths kept).

    The codes are written as bytes, not linked from the cache, so that an output file
    changed in place can never damage the cache. When what all pages share is
    `unchanged` (so every short link is), the codes already in the output are kept.
    """
    config = site.config
    paths = [(urls.qr_image(kind, code, "svg", lang, config),
              urls.qr_image(kind, code, "png", lang, config), url)
             for kind, code, lang, url in targets(site)]
    if unchanged:
        return {}, frozenset(path for *both, _ in paths for path in both)
    made = {}
    for svg_path, png_path, url in paths:
        made[svg_path], made[png_path] = files(url, cache)
    return made, frozenset()
