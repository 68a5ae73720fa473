"""A synthetic exhibition of any size, written to the content contract, with real photos.

    from bench.generate import generate
    content = generate(Path("/tmp/site"), n_products=300)   # -> /tmp/site/content

``ceil(n/10)`` booths of 10 products (the last booth takes the remainder), each product
with ``photos_per_product`` phone-size JPEGs (about 4000x3000, 3-5 MB) made by
``bench.photos.phone_photo`` from the real source photos, with a different crop per seed.
About a third are portrait photos stored sideways with EXIF orientation 6 or 8, as a
phone held upright saves them, so the pipeline must turn them.

Everything is a pure function of (n_products, photos_per_product, seed). Making a phone
photo takes about 0.4 s, so each one is kept in ``.cache/bench/photos/`` under a name
made of its source, seed, orientation and size, and hard-linked (copied across file
systems) into the site: a rerun only writes the Markdown.
"""

from __future__ import annotations

import math
import os
import random
import shutil
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .photos import phone_photo, source_photos

REPO = Path(__file__).resolve().parent.parent
BENCH_CACHE = REPO / ".cache" / "bench"
PRODUCTS_PER_BOOTH = 10

CATEGORIES = {
    "keset": ("Keset", "Doormats"),
    "batik": ("Batik", "Batik"),
    "mebel": ("Mebel", "Furniture"),
    "kulit": ("Kerajinan Kulit", "Leather Goods"),
    "kerajinan": ("Kerajinan", "Crafts"),
    "kuliner": ("Kuliner", "Food"),
}
NOUNS = [("Keset Sabut", "Coir doormat", "keset"), ("Kain Batik Tulis", "Hand-drawn batik", "batik"),
         ("Kursi Jati", "Teak chair", "mebel"), ("Dompet Kulit", "Leather wallet", "kulit"),
         ("Tas Anyaman", "Woven bag", "kerajinan"), ("Keripik Singkong", "Cassava crisps", "kuliner"),
         ("Meja Trembesi", "Rain-tree table", "mebel"), ("Sabuk Kulit", "Leather belt", "kulit")]
ADJECTIVES = [("Merah", "red"), ("Klasik", "classic"), ("Besar", "large"), ("Kecil", "small"),
              ("Motif Parang", "parang-pattern"), ("Alami", "natural"), ("Premium", "premium")]


@dataclass(frozen=True)
class PhotoSpec:
    """One generated phone photo: which source, which crop, how it is stored."""

    source: Path
    seed: int
    orientation: int  # 1: landscape as stored; 6 or 8: portrait stored sideways

    @property
    def size(self) -> tuple[int, int]:
        """The upright size passed to phone_photo."""
        return (4000, 3000) if self.orientation == 1 else (3000, 4000)

    @property
    def cache_name(self) -> str:
        w, h = self.size
        return f"{self.source.stem}-s{self.seed}-o{self.orientation}-{w}x{h}.jpg"


def photo_cache() -> Path:
    return BENCH_CACHE / "photos"


def _make(spec: PhotoSpec, target: Path) -> Path:
    temp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    phone_photo(spec.source, temp, size=spec.size, orientation=spec.orientation, seed=spec.seed)
    os.replace(temp, target)
    return target


def cached_photos(specs: list[PhotoSpec], workers: int | None = None,
                  progress=None) -> dict[PhotoSpec, Path]:
    """The cached file of every spec, making the missing ones on ``workers`` processes."""
    folder = photo_cache()
    folder.mkdir(parents=True, exist_ok=True)
    paths = {spec: folder / spec.cache_name for spec in specs}
    missing = list(dict.fromkeys(s for s in specs if not paths[s].is_file()))
    if missing:
        workers = max(1, min(workers or os.cpu_count() or 1, len(missing)))
        if progress:
            progress(f"making {len(missing)} phone photos on {workers} processes "
                     f"(~0.4 s each; cached in {folder})")
        if workers == 1:
            for spec in missing:
                _make(spec, paths[spec])
        else:
            with ProcessPoolExecutor(workers) as pool:
                list(pool.map(_make, missing, [paths[s] for s in missing], chunksize=4))
    return paths


def place(cached: Path, dest: Path) -> None:
    """Put a cached photo at ``dest``: a hard link if possible, else a copy.

    ``dest`` is unlinked first, never written through, so a replaced photo can never
    alter the shared cached file (or another site's link to it).
    """
    dest.unlink(missing_ok=True)
    try:
        os.link(cached, dest)
    except OSError:
        shutil.copyfile(cached, dest)


def photo_specs(n_products: int, photos_per_product: int, seed: int) -> list[list[PhotoSpec]]:
    """Per product, its photos' specs (deterministic)."""
    sources = source_photos(BENCH_CACHE)
    rng = random.Random(f"bench-photos-{seed}")
    out = []
    for p in range(n_products):
        row = []
        for k in range(photos_per_product):
            index = p * photos_per_product + k
            orientation = rng.choice((1, 1, 6, 8) if k else (1, 1, 1, 6, 8))
            row.append(PhotoSpec(sources[rng.randrange(len(sources))],
                                 seed * 100_000 + index, orientation))
        out.append(row)
    return out


def replacement_spec(seed: int = 0) -> PhotoSpec:
    """A photo no generated site uses: what the benchmark swaps in for one product photo."""
    sources = source_photos(BENCH_CACHE)
    return PhotoSpec(sources[0], seed * 100_000 + 99_999, 1)


def _site_yaml() -> str:
    lines = [
        "title:",
        "  id: Pameran Benchmark",
        "  en: Benchmark Showcase",
        "tagline: {id: Situs uji kinerja, en: A performance test site}",
        "base_url: https://bench.example.org/",
        "languages: [id, en]",
        "contact:",
        '  whatsapp: "0812-0000-0190"',
        "categories:",
    ]
    for key, (name_id, name_en) in CATEGORIES.items():
        lines += [f"  {key}:", f"    name: {{id: {name_id}, en: {name_en}}}",
                  f"    description: {{id: Produk {name_id.lower()}., en: {name_en}.}}"]
    return "\n".join(lines) + "\n"


def _booth_md(b: int) -> str:
    return (f"---\nname:\n  id: Lapas Uji {b + 1}\n  en: Test Prison {b + 1}\n"
            f"code: B{b + 1:03d}\nstand: A-{b + 1}\nregion: Jawa Barat\n---\n"
            f"Bengkel kerja nomor {b + 1}: anyaman, kayu, kulit dan makanan olahan.\n")


def _product_md(p: int, booth: int, rng: random.Random) -> str:
    noun_id, noun_en, category = NOUNS[rng.randrange(len(NOUNS))]
    adj_id, adj_en = ADJECTIVES[rng.randrange(len(ADJECTIVES))]
    price = rng.randrange(20, 400) * 5000
    body = " ".join(
        f"Paragraf {i + 1}: {noun_id.lower()} {adj_id.lower()} dibuat tangan oleh warga binaan "
        "dengan bahan pilihan, dijahit dan diperiksa satu per satu." for i in range(3))
    return (f"---\nname:\n  id: {noun_id} {adj_id} {p + 1}\n  en: {adj_en.capitalize()} "
            f"{noun_en.lower()} {p + 1}\ncode: B{booth + 1:03d}-{p + 1:04d}\n"
            f"category: {category}\nprice: {price}\nmaterials: {{id: Bahan alami, en: Natural materials}}\n"
            f"tags: [bench, {category}]\nfeatured: {'true' if p % 7 == 0 else 'false'}\n---\n"
            f"{body}\n\nUkuran dan warna bisa dipesan khusus.\n")


def product_folder(content: Path, p: int) -> Path:
    booth = p // PRODUCTS_PER_BOOTH
    return content / "booths" / f"booth-{booth + 1:03d}" / f"product-{p % PRODUCTS_PER_BOOTH + 1:02d}"


def generate(root: Path, n_products: int, photos_per_product: int = 3, seed: int = 0,
             workers: int | None = None, progress=None) -> Path:
    """Write ``root/content/`` (replacing any there) and return its path."""
    root = Path(root)
    content = root / "content"
    if content.exists():
        shutil.rmtree(content)
    specs = photo_specs(n_products, photos_per_product, seed)
    files = cached_photos([s for row in specs for s in row], workers, progress)
    (content / "booths").mkdir(parents=True)
    (content / "site.yaml").write_text(_site_yaml(), "utf-8")
    pages = content / "pages"
    pages.mkdir()
    (pages / "about.md").write_text("---\ntitle: {id: Tentang, en: About}\nmenu: 1\n---\n"
                                    "Situs ini dibuat oleh `python -m bench`.\n", "utf-8")
    rng = random.Random(f"bench-text-{seed}")
    for b in range(math.ceil(n_products / PRODUCTS_PER_BOOTH)):
        folder = content / "booths" / f"booth-{b + 1:03d}"
        folder.mkdir()
        (folder / "index.md").write_text(_booth_md(b), "utf-8")
    for p, row in enumerate(specs):
        folder = product_folder(content, p)
        folder.mkdir()
        (folder / "index.md").write_text(_product_md(p, p // PRODUCTS_PER_BOOTH, rng), "utf-8")
        for k, spec in enumerate(row):
            place(files[spec], folder / f"photo-{k + 1}.jpg")
    return content
