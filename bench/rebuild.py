"""``python -m bench rebuild``: how fast an organiser's edit reaches the site.

For each size N (products, one small photo each: this measures rebuilds, not codecs;
`bench images` measures those) it generates a site with bench.generate's text, then:

- cold build (pages per second: rendering and publishing, images made once);
- no-change `showcase build` (Builder.build, in this process);
- one product's text edited, and one product's photo replaced: the build's wall time,
  and how many files it wrote (the rest must keep their mtimes, which is checked);
- the same edit under ``showcase serve`` (a subprocess on 127.0.0.1): from the save to
  the new text on disk and to livereload's reload message, as a browser receives it.

A text-only site of ``--pages-size`` products (no photos) measures cold pages per second.
Results go to ``bench/results-rebuild.md``.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import math
import os
import platform
import random
import shutil
import socket
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

from PIL import Image

from . import generate as gen
from .harness import build, log

RESULTS = Path(__file__).resolve().parent / "results-rebuild.md"
HELP = "rebuild after an edit: no change, text edit, photo replaced, and under serve"


def small_photo(seed: int) -> bytes:
    """A distinct 1200x900 JPEG: enough for every width but the largest."""
    rng = random.Random(seed)
    image = Image.new("RGB", (1200, 900), tuple(rng.randrange(256) for _ in range(3)))
    for _ in range(12):
        box = sorted(rng.randrange(1200) for _ in range(2)), sorted(rng.randrange(900) for _ in range(2))
        image.paste(tuple(rng.randrange(256) for _ in range(3)),
                    (box[0][0], box[1][0], box[0][1] + 1, box[1][1] + 1))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def generate(root: Path, n: int, photos: bool) -> Path:
    content = root / "content"
    shutil.rmtree(content, ignore_errors=True)
    (content / "booths").mkdir(parents=True)
    (content / "site.yaml").write_text(gen._site_yaml(), "utf-8")
    rng = random.Random("bench-rebuild")
    for b in range(math.ceil(n / gen.PRODUCTS_PER_BOOTH)):
        folder = content / "booths" / f"booth-{b + 1:03d}"
        folder.mkdir()
        (folder / "index.md").write_text(gen._booth_md(b), "utf-8")
    for p in range(n):
        folder = gen.product_folder(content, p)
        folder.mkdir()
        (folder / "index.md").write_text(gen._product_md(p, p // gen.PRODUCTS_PER_BOOTH, rng), "utf-8")
        if photos:
            (folder / "photo.jpg").write_bytes(small_photo(p % 20))  # 20 distinct photos
    return content


def mtimes(output: Path) -> dict[str, int]:
    return {str(p.relative_to(output)): p.stat().st_mtime_ns
            for p in output.rglob("*") if p.is_file()}


def timed_build(content: Path, output: Path, cache: Path, workers: int):
    before = mtimes(output)
    result, seconds = build(content, output, cache, workers)
    after = mtimes(output)
    touched = sum(1 for name, mtime in after.items() if before.get(name) != mtime)
    return result, seconds, touched


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def _serve_edit(port: int, page: Path, product: Path, marker: str) -> tuple[float, float]:
    from tornado.websocket import websocket_connect
    ws = await websocket_connect(f"ws://127.0.0.1:{port}/livereload")
    await ws.write_message(json.dumps({"command": "hello", "protocols": [
        "http://livereload.com/protocols/official-7"]}))
    await ws.read_message()
    await ws.write_message(json.dumps({"command": "info", "url": "http://bench/", "plugins": {}}))
    await asyncio.sleep(2)
    while True:  # livereload's start-up reloads
        try:
            await asyncio.wait_for(ws.read_message(), timeout=1)
        except asyncio.TimeoutError:
            break
    text = product.read_text("utf-8")
    saved = time.perf_counter()
    assert "Paragraf 1:" in text
    product.write_text(text.replace("Paragraf 1:", marker, 1), "utf-8")
    on_disk = None
    while on_disk is None:
        if marker in page.read_text("utf-8"):
            on_disk = time.perf_counter() - saved
        else:
            await asyncio.sleep(0.005)
    await asyncio.wait_for(ws.read_message(), timeout=30)
    reloaded = time.perf_counter() - saved
    ws.close()
    return on_disk, reloaded


def serve_edit(content: Path, output: Path, product: Path, page: Path) -> tuple[float, float]:
    """Seconds from a save to the new page on disk, and to the browser's reload message."""
    port = free_port()
    log_file = open(content.parent / "serve.log", "w")
    process = subprocess.Popen([sys.executable, "-m", "showcase", "serve", "--content", str(content),
                                "--output", str(output), "--port", str(port), "--workers", "2"],
                               stdout=log_file, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        return asyncio.run(_serve_edit(port, page, product, "Serve-edit"))
    finally:
        process.terminate()
        process.wait(timeout=20)
        log_file.close()


def run_size(n: int, workers: int, work: Path) -> dict:
    root = work / f"rebuild-n{n}"
    content = generate(root, n, photos=True)
    output, cache = root / "output", root / "cache"
    for folder in (output, cache):
        shutil.rmtree(folder, ignore_errors=True)
    row: dict = {"n": n}
    result, row["cold"], _ = timed_build(content, output, cache, workers)
    row["pages"] = result.pages
    _, row["no_change"], row["no_change_touched"] = timed_build(content, output, cache, workers)
    product = gen.product_folder(content, n // 2) / "index.md"
    product.write_text(product.read_text("utf-8").replace("Ukuran dan warna", "Warna dan ukuran"), "utf-8")
    result, row["text_edit"], row["text_edit_touched"] = timed_build(content, output, cache, workers)
    photo = gen.product_folder(content, n // 3) / "photo.jpg"
    photo.unlink()
    photo.write_bytes(small_photo(10_000))
    result, row["photo"], row["photo_touched"] = timed_build(content, output, cache, workers)
    row["photo_made"] = result.images.made
    page = output / gen.product_folder(content, n // 2).relative_to(content) / "index.html"
    row["serve_disk"], row["serve_reload"] = serve_edit(content, output, product, page)
    log(f"N={n}: {row}")
    shutil.rmtree(root, ignore_errors=True)
    return row


def pages_per_second(n: int, workers: int, work: Path) -> tuple[int, float]:
    root = work / f"pages-n{n}"
    content = generate(root, n, photos=False)
    result, seconds = build(content, root / "output", root / "cache", workers)
    shutil.rmtree(root, ignore_errors=True)
    return result.pages, seconds


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--sizes", default="100,1000", help="products per site (default 100,1000)")
    parser.add_argument("--pages-size", type=int, default=3000,
                        help="products of the text-only site for pages per second (default 3000)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--work", type=Path, default=gen.BENCH_CACHE / "runs")


def run(args: argparse.Namespace) -> int:
    rows = [run_size(int(n), args.workers, args.work) for n in args.sizes.split(",")]
    pages, seconds = pages_per_second(args.pages_size, args.workers, args.work)
    lines = [
        "# Rebuild benchmark", "",
        f"- date: {datetime.now():%Y-%m-%d %H:%M}",
        f"- CPU: {platform.processor() or platform.machine()}, {os.cpu_count()} cores; "
        f"workers: {args.workers}",
        f"- command: `python -m bench rebuild {' '.join(sys.argv[2:])}`", "",
        "| N | pages | cold s | no change s (files touched) | text edit s (touched) "
        "| photo replaced s (touched, made) | serve: save to disk s | save to reload s |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['n']} | {r['pages']} | {r['cold']:.2f} | {r['no_change']:.3f} "
            f"({r['no_change_touched']}) | {r['text_edit']:.3f} ({r['text_edit_touched']}) | "
            f"{r['photo']:.3f} ({r['photo_touched']}, {r['photo_made']}) | "
            f"{r['serve_disk']:.3f} | {r['serve_reload']:.3f} |")
    lines += ["", f"Text-only cold build of {args.pages_size} products: {pages} pages in "
              f"{seconds:.2f} s, **{pages / seconds:.0f} pages per second**.", ""]
    RESULTS.write_text("\n".join(lines), "utf-8")
    print("\n".join(lines))
    return 0
