"""``python -m bench sigal [--sigal PATH]``: Sigal on the same phone photos, for comparison.

Sigal (a Python gallery generator on Pillow) is the closest tool to compare the image
pipeline with. It is not a dependency: without ``--sigal`` it is installed (``sigal``
2.x from PyPI) into its own virtual environment in ``.cache/bench/sigal`` the first time.
The photos are the benchmark's own (bench.generate, N products x 3 phone photos,
hard-linked into one album); Sigal makes a 1600x1200 JPEG and a 480x360 thumbnail of
each (two variants; it makes one format and one size besides the thumbnail), turns
photos upright, drops EXIF, on ``--workers`` processes. Cold: the output folder removed;
warm: the same command again. Measured by bench/compare.py's runner: wall time, CPU,
ms per photo and per variant, peak RSS, upright.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from . import compare
from . import generate as gen
from .harness import log

NAME = "sigal"
VARIANTS = "JPEG fit in 1600x1200 + 480x360 thumbnail"
HELP = "Sigal (installed into .cache if missing) on the same phone photos: cold, warm, ms per variant"
VENV = gen.BENCH_CACHE / "sigal"
REQUIREMENT = "sigal>=2.6,<3"

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


def add_tool_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--sigal", type=Path, default=None,
                        help=f"the sigal command to run (default: {VENV.relative_to(gen.REPO)}/bin/sigal, "
                             f"installed there if missing)")


def setup(args: argparse.Namespace) -> str:
    """Sigal's version; installs it into VENV if no command was given and none is there."""
    if args.sigal is None:
        args.sigal = VENV / "bin" / "sigal"
        if not args.sigal.exists():
            log(f"installing {REQUIREMENT} into {VENV}")
            for step in ([sys.executable, "-m", "venv", str(VENV)],
                         [str(VENV / "bin" / "pip"), "install", "-q", REQUIREMENT]):
                done = subprocess.run(step, check=False, capture_output=True, text=True)
                if done.returncode != 0:
                    raise compare.Skip(f"{' '.join(step[:3])} failed: {done.stderr.strip()[-500:]}")
    version = compare.output([str(args.sigal), "--version"])
    if not version:
        raise compare.Skip(f"{args.sigal} --version failed")
    return version.replace("sigal, version", "Sigal").strip()  # "sigal, version 2.6.1"


def job(work: Path, photos: compare.Photos, args: argparse.Namespace) -> compare.Job:
    photos.place(work / "album" / "photos")
    (work / "sigal.conf.py").write_text(CONFIG, "utf-8")
    out = work / "out"
    return compare.Job(
        command=[str(args.sigal), "build", "--ncpu", str(args.workers), "-c",
                 str(work / "sigal.conf.py"), str(work / "album"), str(out)],
        outputs=out, clean=(out,),
        notes=[(f"--ncpu {args.workers}; ResizeToFit 1600x1200 and a 480x360 cropped thumbnail, "
               "JPEG q80 optimize progressive; cold = output folder removed")])


add_arguments, run = compare.tool_subcommand("sigal")
