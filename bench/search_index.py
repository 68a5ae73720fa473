"""``python -m bench search-index``: how big the search index gets, raw and compressed.

    .venv/bin/python -m bench search-index --products 1000

Generates a site of N products with `bench.generate` (no photos: the index holds none),
loads it as a build does and writes nothing but the numbers, per language: the raw and
gzip -9 bytes of each search-index.json.
"""

from __future__ import annotations

import argparse
import gzip
import tempfile
from pathlib import Path

from .generate import generate

HELP = "raw and gzip bytes of each language's search-index.json for a site of N products"


def measure(n_products: int) -> list[tuple[str, int, int]]:
    """(path, raw bytes, gzip -9 bytes) of every language's index."""
    from showcase.load import loader
    from showcase.render import search, theme as themes
    from showcase.builder import BUILTIN_THEMES
    from showcase.errors import Problems

    with tempfile.TemporaryDirectory() as tmp:
        folder = generate(Path(tmp), n_products, photos_per_product=0)
        site, problems = loader.load(folder, loader.LoadOptions())
        assert site is not None, [str(p) for p in problems.errors]
        theme = themes.load((BUILTIN_THEMES / "default",), site.config.languages, Problems())
        files = search.index_files(site, theme.strings)
    return [(path, len(data), len(gzip.compress(data, 9, mtime=0))) for path, data in files.items()]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--products", type=int, default=1000,
                        help="products in the generated site; default 1000")


def run(args: argparse.Namespace) -> int:
    print("| products | file | raw KB | gzip KB | gzip bytes per product |")
    print("|---|---|---|---|---|")
    for path, raw, packed in measure(args.products):
        print(f"| {args.products} | {path} | {raw / 1024:.1f} | {packed / 1024:.1f} | "
              f"{packed / args.products:.1f} |")
    return 0
