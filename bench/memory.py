"""``python -m bench memory``: where a cold build's peak memory is, process by process.

`bench images` reports one number, the peak of all processes' RSS together; to lower it
one must know who holds what when. This runs only a cold build per size (a site from
bench.generate, an empty cache) in a fresh interpreter (`harness.cold_build`, as the
`images` benchmark does), with `harness.PeakRss` sampling every process, and prints:

- the peak of the sum, when it happened (which build stage), and each process's share;
- each process's own peak (VmHWM), by role: the main process, image workers, the
  multiprocessing resource tracker;
- the main process's RSS at the end of each stage (stamp, load, render, images, ...).

``--photo PATH`` instead profiles one photo in a fresh worker-like process: the RSS
peak while decoding, resizing and encoding each variant, in order.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from . import generate as gen
from .harness import ColdBuild, add_size_arguments, cold_build, field_kb, fresh_site, log

HELP = "per-process peak memory of a cold image build (main, workers), by build stage"


def stage_table(cold: ColdBuild) -> list[str]:
    """The main process's and the others' RSS at the end of each stage, and their peaks
    (times from the interpreter's start: imports come before the first stage)."""
    peak = cold.peak
    lines = ["| stage | ends at s | main MB at end | main peak MB | others' peak MB |",
             "|---|---|---|---|---|"]
    start = cold.started
    for name, seconds in cold.stages:
        end = start + seconds
        before = [s for s in peak.timeline if s[0] <= end] or peak.timeline[:1]
        inside = [s for s in before if s[0] >= start] or before[-1:]
        last = inside[-1]
        lines.append(f"| {name} | {end:.1f} | {last[1]:.0f} | {max(s[1] for s in inside):.0f} "
                     f"| {max(s[2] for s in inside):.0f} |")
        start = end
    return lines


def run_size(n: int, workers: int, work: Path) -> list[str]:
    root, content, output, cache = fresh_site(work, n, workers)
    log(f"N={n}: cold build on {workers} workers")
    cold = cold_build(content, output, cache, workers)
    shutil.rmtree(root, ignore_errors=True)
    return [f"## N={n}: cold build {cold.seconds:.1f} s, {cold.made} images made", "",
            cold.peak.summary(), "", *stage_table(cold), ""]


# -- one photo --------------------------------------------------------------------------------

def profile_photo(path: Path) -> None:
    """In this process: make every default variant of ``path`` (as a worker would), and
    print the RSS peak of each step in order. Run it in a fresh process."""
    import tempfile
    import threading

    from PIL import Image

    from showcase.assets import images
    from showcase.model import ImageSettings, Photo
    from showcase.load.photos import inspect

    def rss() -> float:
        return field_kb("/proc/self/status", b"VmRSS:") / 1024

    steps: list[list] = [["imported", rss()]]  # [label, peak MB]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.001):
            steps[-1][1] = max(steps[-1][1], rss())

    def step(label: str, function):
        def wrapped(*args, **kwargs):
            steps.append([label(*args), rss()])
            value = function(*args, **kwargs)
            steps.append(["  (after)", rss()])
            return value
        return wrapped

    info = inspect(path.read_bytes())
    photo = Photo(path, info.digest, info.width, info.height)
    variants = images.plan(photo, ImageSettings()) + (images.plan_preview(photo),)
    # Instrumented in this process only: the steps make() takes, by the names it calls.
    images.encode = step(lambda im, fmt, q: f"encode {fmt} {im.size[0]}x{im.size[1]}", images.encode)
    images.pixels = step(lambda im: f"decode {im.size[0]}x{im.size[1]}", images.pixels)
    Image.Image.resize = step(lambda im, size, *a, **k: f"resize {im.size[0]}x{im.size[1]} "
                              f"-> {size[0]}x{size[1]}", Image.Image.resize)
    Image.Image.transpose = step(lambda im, method: f"transpose {im.size[0]}x{im.size[1]}",
                                 Image.Image.transpose)
    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        images.make(variants, folder)
        seconds = time.perf_counter() - started
    done.set()
    thread.join()
    print(f"{path.name}: {len(variants)} variants in {seconds * 1000:.0f} ms; "
          f"peak {max(s[1] for s in steps):.0f} MB")
    for label, mb in steps:
        print(f"  {mb:5.0f} MB  {label}")


# -- the subcommand ---------------------------------------------------------------------------

def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_size_arguments(parser, "30", os.cpu_count() or 1)
    parser.add_argument("--work", type=Path, default=gen.BENCH_CACHE / "memory")
    parser.add_argument("--photo", type=Path, action="append",
                        help="profile this photo's variants, step by step, in a fresh process "
                             "(repeatable) instead of building a site")


def run(args: argparse.Namespace) -> int:
    if args.photo:
        for photo in args.photo:
            subprocess.run([sys.executable, "-c", "import sys; from pathlib import Path; "
                            "from bench.memory import profile_photo; profile_photo(Path(sys.argv[1]))",
                            str(photo)], check=True)
        return 0
    for n in args.sizes:
        print("\n".join(run_size(n, args.workers, args.work)), flush=True)
    return 0
