#!/usr/bin/env python3
"""Draw the default theme's app icons and link-preview fallback (Pillow only, deterministic).

    .venv/bin/python tools/make_icons.py

The drawing is static/favicon.svg's (a kawung flower: four cream petals on teal), so
the browser tab, the home-screen icon and a link preview look like one thing. The
PNGs are committed in themes/default/static/, where the build fingerprints them like
any theme file; a theme of one's own replaces them by shipping files of the same names.

- icon-192.png, icon-512.png: the web app manifest's icons (rounded square, "any").
- icon-maskable-512.png: full-bleed teal, the flower inside the central 80 % circle
  that Android's masks always keep.
- apple-touch-icon.png (180 px): iOS rounds the corners itself, so a full square.
- share.png (1200x630): og:image of a product or booth page that has no photo.
"""
from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image, ImageDraw

STATIC = Path(__file__).resolve().parent.parent / "themes" / "default" / "static"
TEAL = (11, 79, 82)
CREAM = (243, 227, 195)
SUPERSAMPLE = 4  # drawn large, then reduced: smooth edges without antialiasing support


def flower(draw: ImageDraw.ImageDraw, cx: float, cy: float, unit: float) -> None:
    """The favicon's flower, centred on (cx, cy); `unit` is one of its 32 viewBox units."""
    for dx, dy, rx, ry in ((0, -7, 4, 6), (0, 7, 4, 6), (-7, 0, 6, 4), (7, 0, 6, 4)):
        x, y = cx + dx * unit, cy + dy * unit
        draw.ellipse((x - rx * unit, y - ry * unit, x + rx * unit, y + ry * unit), fill=CREAM)
    draw.ellipse((cx - 2 * unit, cy - 2 * unit, cx + 2 * unit, cy + 2 * unit), fill=TEAL)


def picture(width: int, height: int, flower_units: float, radius: float = 0) -> Image.Image:
    """A teal card (rounded by `radius`, a share of the width) with the flower in the middle;
    the flower is `flower_units` of its 32-unit design across the shorter side."""
    big = Image.new("RGBA", (width * SUPERSAMPLE, height * SUPERSAMPLE), (0, 0, 0, 0))
    draw = ImageDraw.Draw(big)
    draw.rounded_rectangle((0, 0, big.width - 1, big.height - 1),
                           radius=radius * big.width, fill=TEAL)
    flower(draw, big.width / 2, big.height / 2, min(big.size) / flower_units)
    small = big.resize((width, height), Image.Resampling.LANCZOS)
    if not radius:
        small = small.convert("RGB")
    # Two colours and their blends: a 32-colour palette looks the same at a fifth of the bytes.
    method = Image.Quantize.FASTOCTREE if radius else Image.Quantize.MEDIANCUT
    return small.quantize(32, method=method, dither=Image.Dither.NONE)


def main() -> int:
    images = {
        "icon-192.png": picture(192, 192, 32, radius=6 / 32),
        "icon-512.png": picture(512, 512, 32, radius=6 / 32),
        # Petals reach 13 of 16 units from the centre; at 50 units across they end at 26 %
        # of the side from the centre, well inside the 40 % safe-zone radius.
        "icon-maskable-512.png": picture(512, 512, 50),
        "apple-touch-icon.png": picture(180, 180, 36),
        "share.png": picture(1200, 630, 40),
    }
    for name, image in images.items():
        image.save(STATIC / name, "PNG", optimize=True)
        print(f"{STATIC / name}: {image.width}x{image.height}, {(STATIC / name).stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
