"""``python -m bench sigal --sigal PATH``: Sigal on the same phone photos, for comparison.

Sigal (a Python gallery generator on Pillow) is the closest tool to compare the image
pipeline with. It is not a dependency: install it in its own virtual environment and
pass its ``sigal`` command. The photos are the benchmark's own (bench.generate, N
products x 3 phone photos, hard-linked into one album); Sigal makes a 1600x1200 JPEG
and a 480x360 thumbnail of each (two variants), turns photos upright, drops EXIF, on
``--workers`` processes. Reported: cold and warm wall time, ms per photo and per
variant, to set beside ``python -m bench images``.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from pathlib import Path

from . import generate as gen

HELP = "Sigal (installed separately) on the same phone photos: cold, warm, ms per variant"

CONFIG = """\
img_size = (1600, 1200)
thumb_size = (480, 360)
img_processor = "ResizeToFit"
thumb_fit = True
autorotate_images = True
copy_exif_data = False
keep_orig = False
orig_link = False
jpg_options = {"quality": 80, "optimize": True, "progressive": True}
use_orig = False
video_converter = None
plugins = []
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--sigal", required=True, type=Path, help="the sigal command to run")
    parser.add_argument("--size", type=int, default=30, help="products (3 photos each); default 30")
    parser.add_argument("--workers", type=int, default=2, help="Sigal's --ncpu (default 2)")


def run(args: argparse.Namespace) -> int:
    root = gen.BENCH_CACHE / "runs" / f"sigal-n{args.size}"
    shutil.rmtree(root, ignore_errors=True)
    content = gen.generate(root, args.size, workers=args.workers)
    album = root / "album" / "photos"
    album.mkdir(parents=True)
    photos = sorted(content.rglob("photo-*.jpg"))
    for index, photo in enumerate(photos):
        gen.place(photo, album / f"{index:04d}.jpg")
    (root / "sigal.conf.py").write_text(CONFIG, "utf-8")
    command = [str(args.sigal), "build", "--ncpu", str(args.workers), "-c",
               str(root / "sigal.conf.py"), str(root / "album"), str(root / "out")]
    times = []
    for _ in ("cold", "warm"):
        started = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - started)
    made = len(list((root / "out" / "photos").glob("*.jpg"))) + len(
        list((root / "out" / "photos" / "thumbnails").glob("*.jpg")))
    print(f"Sigal {args.sigal}: {len(photos)} photos, {made} variants on {args.workers} "
          f"processes: cold {times[0]:.1f} s ({times[0] / len(photos) * 1000:.0f} ms/photo, "
          f"{times[0] / made * 1000:.1f} ms/variant), warm {times[1]:.2f} s", file=sys.stderr)
    shutil.rmtree(root, ignore_errors=True)
    return 0
