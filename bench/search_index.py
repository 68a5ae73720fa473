"""How big the search index gets: raw and compressed bytes of search-index.json.

    .venv/bin/python -m bench.search_index --products 1000

Generates a site of N products with `bench.generate` (no photos: the index holds none),
loads it as a build does and writes nothing but the numbers, per language.
"""

from __future__ import annotations

import argparse
import gzip
import tempfile
from pathlib import Path

from showcase import content, search, theme as themes
from showcase.errors import Problems

from .generate import generate

THEMES = Path(__file__).resolve().parent.parent / "themes"


def measure(n_products: int) -> list[tuple[str, int, int]]:
    """(path, raw bytes, gzip -9 bytes) of every language's index."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = generate(Path(tmp), n_products, photos_per_product=0)
        site, problems = content.load(folder, content.LoadOptions())
        assert site is not None, [str(p) for p in problems.errors]
        theme = themes.load(THEMES / "default", site.config.languages, Problems())
        files = search.index_files(site, theme.strings)
    return [(path, len(data), len(gzip.compress(data, 9, mtime=0))) for path, data in files.items()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=1000)
    args = parser.parse_args()
    print(f"| products | file | raw KB | gzip KB | gzip bytes per product |")
    print("|---|---|---|---|---|")
    for path, raw, packed in measure(args.products):
        print(f"| {args.products} | {path} | {raw / 1024:.1f} | {packed / 1024:.1f} | "
              f"{packed / args.products:.1f} |")


if __name__ == "__main__":
    main()
