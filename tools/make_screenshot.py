#!/usr/bin/env python3
"""Photograph the sample exhibition's home page on a phone, for the README's front page.

    .venv/bin/python tools/make_screenshot.py [--chromium PATH]

Builds content/ into a temporary folder, serves it on 127.0.0.1 under base_url's path,
opens it in headless Chromium (through playwright) at a phone's size, and writes
docs/screenshot.png, reduced to a palette so that it stays small (the README is read on
phones too). Run it again after a change to the theme or the sample's home page.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import io
import shutil
import sys
import tempfile
import threading
from pathlib import Path
from urllib.parse import urlsplit

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from showcase.builder import Builder, BuildOptions  # noqa: E402
from showcase.load import loader  # noqa: E402

TARGET = ROOT / "docs" / "screenshot.png"
PHONE = {"width": 390, "height": 844}
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
MAX_BYTES = 150_000


def build(folder: Path) -> str:
    """The sample built into folder/<base_url's path>; returns that path."""
    site, problems = loader.load(ROOT / "content")
    if site is None:
        sys.exit("\n".join(str(p) for p in problems.errors))
    path = urlsplit(site.config.base_url).path or "/"
    output = folder / path.strip("/")
    result = Builder(BuildOptions(ROOT / "content", output, cache_dir=ROOT / ".cache" / "showcase")).build()
    if not result.ok:
        sys.exit("\n".join(str(p) for p in result.errors) or str(result.refused))
    return path


def screenshot(url: str, chromium: str) -> bytes:
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=FLAGS)
        page = browser.new_page(viewport=PHONE, device_scale_factor=1, is_mobile=True, has_touch=True)
        page.goto(url, wait_until="networkidle")
        # the first screen and a little more: the featured products under the event
        data = page.screenshot(full_page=True, clip={"x": 0, "y": 0, "width": PHONE["width"], "height": 1500})
        browser.close()
    return data


def small_png(data: bytes) -> bytes:
    image = Image.open(io.BytesIO(data)).convert("RGB").quantize(colors=128, method=Image.Quantize.MEDIANCUT)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 (the base class's name)
        pass


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chromium", default=shutil.which("chromium") or shutil.which("chromium-browser"),
                        help="the Chromium to drive (default: chromium on PATH)")
    args = parser.parse_args(argv)
    if not args.chromium:
        parser.error("no chromium on PATH; pass --chromium PATH")
    with tempfile.TemporaryDirectory() as tmp:
        path = build(Path(tmp))
        handler = functools.partial(QuietHandler, directory=tmp)
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            png = small_png(screenshot(f"http://127.0.0.1:{server.server_address[1]}{path}", args.chromium))
        finally:
            server.shutdown()
    if len(png) > MAX_BYTES:
        sys.exit(f"the screenshot is {len(png)} bytes, over {MAX_BYTES}; make it smaller")
    TARGET.write_bytes(png)
    print(f"wrote {TARGET.relative_to(ROOT)}: {len(png) // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
