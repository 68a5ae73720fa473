"""QR codes for short links, as files for the site and as modules for the printer.

Encoded with segno (small, pure Python, maintained) rather than by hand. A code is the
smallest QR version that holds its URL, with the highest error correction that still
fits that version (`boost_error`): fewer, larger modules scan from further away and
from a worse phone camera than a denser code with more correction. Never Micro QR,
which phone cameras do not read.
"""

from __future__ import annotations

import io
from typing import Iterator

import segno

QUIET_ZONE = 4  # modules of light margin, as the QR standard requires


def make(url: str) -> segno.QRCode:
    return segno.make_qr(url, error="l", boost_error=True)


def svg(code: segno.QRCode, title: str) -> bytes:
    """A scalable file: one path, sized in modules, so CSS decides how large it shows."""
    out = io.BytesIO()
    code.save(out, kind="svg", scale=1, border=QUIET_ZONE, xmldecl=False, title=title,
              omitsize=True, svgclass=None, lineclass=None)
    return out.getvalue()


def png(code: segno.QRCode, scale: int = 10) -> bytes:
    """A bitmap for apps that want one (messages, slides): `scale` pixels per module."""
    out = io.BytesIO()
    code.save(out, kind="png", scale=scale, border=QUIET_ZONE)
    return out.getvalue()


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
