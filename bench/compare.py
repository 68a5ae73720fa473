"""``python -m bench compare``: showcase's image pipeline beside other tools, on the same photos.

One process, one set of phone photos (bench.generate: N products x 3 photos, about half
of them portrait photos stored sideways with EXIF orientation 6 or 8), then in turn:

- ``showcase``: a cold build of the generated site with ``images: {widths: [480, 960,
  1600], formats: [webp, jpeg]}`` in site.yaml (the variants the other tools are asked
  for), in a fresh interpreter as ``showcase build`` runs (``harness.cold_build``); it
  also makes one 1200x630 JPEG link-preview crop per product;
- ``showcase-default``: the same site with the pipeline's own defaults (AVIF + JPEG at
  480/800/1200/1600, and the link-preview crops);
- ``floor``: plain Pillow making the ``showcase`` row's variants in memory
  (``harness.floor``): what no Pillow pipeline can beat;
- ``eleventy`` (bench/eleventy.py), ``hugo`` (bench/hugo.py), ``sigal`` (bench/sigal.py):
  each tool on the same photo files (hard links named 0000.jpg, 0001.jpg, ...), cold
  (its outputs and caches removed) and warm (run again, a new process, nothing changed).

Per tool: the variants it made (output files counted), wall time, CPU seconds of the
tool's processes (``getrusage(RUSAGE_CHILDREN)`` before and after: the child and every
descendant it reaped), ms per photo and per variant, CPU-ms per variant (the figure to
trust when other processes share the machine), the warm run, the peak RSS of the tool's
process tree (``harness.PeakRss``, summed over processes, sampled every 20 ms), and
uprightness: for each portrait photo, the tool's largest output opened with Pillow (any
EXIF orientation it still carries applied) must be taller than wide.

A tool that is missing and cannot be installed is skipped with the reason. Results go to
``bench/results-compare.md``, one section per N (a run replaces the sections of the sizes
it ran and keeps the others).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import platform
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from . import generate as gen
from . import harness
from .harness import log

RESULTS = Path(__file__).resolve().parent / "results-compare.md"
# The variants every tool is asked for (Sigal can make only one size and a thumbnail).
WIDTHS = (480, 960, 1600)
QUALITY = 80
SAME_VARIANTS = "images:\n  widths: [480, 960, 1600]\n  formats: [webp, jpeg]\n"
# Other tools' modules, by subcommand; each has NAME, VARIANTS, add_tool_arguments(parser),
# setup(args) -> version (or raise Skip) and job(work, photos, args) -> Job.
TOOLS = {"eleventy": ".eleventy", "hugo": ".hugo", "sigal": ".sigal"}
ALL = ("showcase", "showcase-default", "floor", *TOOLS)
ORIENTATION = 0x0112
_INDEXED = re.compile(r"^(\d{4})\D")  # an output named after its photo, 0000.jpg -> 0


class Skip(Exception):
    """A tool cannot run here; the message says why."""


# -- measuring ------------------------------------------------------------------------------

@dataclass
class Measured:
    wall: float = 0.0
    cpu: float = 0.0      # CPU seconds of the measured processes
    foreign: float = 0.0  # CPU seconds every other process on the machine used meanwhile
    peak_mb: float = 0.0  # peak RSS of the measured process tree, summed

    def disturbed(self) -> bool:
        """Whether other processes' CPU use makes the wall time noise (harness.disturbed)."""
        return harness.disturbed(self.cpu, self.foreign)


@contextlib.contextmanager
def measuring(include_self: bool = False):
    """``with measuring() as m: ...``: wall time, CPU of the children reaped meanwhile (and
    of this process too with ``include_self``), and what other processes used."""
    m = Measured()
    started = time.perf_counter()
    with harness.CpuWatch() as watch:
        yield m
    m.wall = time.perf_counter() - started
    m.cpu = watch.own if include_self else watch.children
    m.foreign = watch.foreign  # never counts this process (the memory sampler)


def run_command(command: list[str], log_file: Path, env: dict[str, str] | None = None) -> Measured:
    """Run a tool to the end (output appended to ``log_file``), measured."""
    with measuring() as m, open(log_file, "ab") as out:
        child = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
        with harness.PeakRss(root=child.pid) as peak:
            child.wait()
    m.peak_mb = peak.mb
    if child.returncode != 0:
        tail = log_file.read_text("utf-8", errors="replace")[-3000:]
        raise RuntimeError(f"{command[0]} failed (exit {child.returncode}); {log_file}:\n{tail}")
    return m


def output(command: list[str], **kwargs) -> str:
    """What a short command prints (stdout, else stderr), stripped; '' if it fails."""
    try:
        done = subprocess.run(command, check=False, capture_output=True, text=True, timeout=600, **kwargs)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return (done.stdout.strip() or done.stderr.strip()) if done.returncode == 0 else ""


# -- the photos -----------------------------------------------------------------------------

@dataclass
class Photos:
    root: Path
    content: Path
    files: list[Path]       # every product photo, sorted; a tool gets files[i] as {i:04d}.jpg
    portrait: set[int]      # indices of the photos that are taller than wide once upright

    def place(self, folder: Path, name: Callable[[int], str] = lambda i: f"{i:04d}.jpg") -> list[Path]:
        """Hard-link every photo into ``folder`` (made anew), named by index."""
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        placed = []
        for i, photo in enumerate(self.files):
            dest = folder / name(i)
            dest.parent.mkdir(parents=True, exist_ok=True)
            gen.place(photo, dest)
            placed.append(dest)
        return placed


def upright_size(path: Path) -> tuple[int, int]:
    """An image's width and height as a viewer shows it (its EXIF orientation applied)."""
    from PIL import Image
    with Image.open(path) as im:
        width, height = im.size
        turned = im.getexif().get(ORIENTATION, 1) in (5, 6, 7, 8)
    return (height, width) if turned else (width, height)


def make_photos(root: Path, n: int, workers: int) -> Photos:
    content = gen.generate(root, n, workers=workers, progress=log)
    files = sorted(content.rglob("photo-*.jpg"))
    portrait = set()
    for i, f in enumerate(files):
        width, height = upright_size(f)
        if width < height:
            portrait.add(i)
    return Photos(root, content, files, portrait)


# -- results --------------------------------------------------------------------------------

@dataclass
class Result:
    tool: str
    version: str = ""
    variants: str = ""        # what it is asked for, per photo
    photos: int = 0
    made: int = 0             # variants made in the cold run (files, or images the build made)
    cold: Measured | None = None
    warm: Measured | None = None
    upright: tuple[int, int] | None = None  # (upright, portrait photos)
    skipped: str = ""
    notes: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def ms_per(seconds: float, count: int) -> float:
    """Milliseconds per one of ``count`` (a count of 0 taken as 1)."""
    return 1000 * seconds / max(count, 1)


def check_upright(outputs: dict[int, list[Path]], photos: Photos, result: Result) -> None:
    """Each photo's largest output must have the photo's upright shape; counts the
    portrait photos that do, and lists landscape photos that do not as problems."""
    good = 0
    for i in range(len(photos.files)):
        if not outputs.get(i):
            result.problems.append(f"{result.tool}: no output for photo {i:04d} ({photos.files[i]})")
            continue
        w, h = max(map(upright_size, outputs[i]), key=lambda s: s[0] * s[1])
        if i in photos.portrait:
            good += w < h
        elif w < h:
            result.problems.append(f"{result.tool}: landscape photo {i:04d} came out {w}x{h}")
    result.upright = (good, len(photos.portrait))


def by_photo(files) -> dict[int, list[Path]]:
    """Output files named after their photo's index (0000-480.webp, 0000_hu...), grouped."""
    grouped: dict[int, list[Path]] = {}
    for f in files:
        match = _INDEXED.match(f.name)
        if match and f.suffix.lower() in (".jpg", ".jpeg", ".webp", ".png", ".avif"):
            grouped.setdefault(int(match.group(1)), []).append(f)
    return grouped


# -- other tools ----------------------------------------------------------------------------

@dataclass
class Job:
    """How to run a tool on photos placed in its folder."""

    command: list[str]
    outputs: Path                     # the tool's images are somewhere below this
    clean: tuple[Path, ...]           # outputs and caches, removed before the cold run
    env: dict[str, str] | None = None
    notes: list[str] = field(default_factory=list)


def tool_module(name: str):
    return importlib.import_module(TOOLS[name], __package__)


def run_tool(name: str, photos: Photos, args: argparse.Namespace) -> Result:
    module = tool_module(name)
    result = Result(module.NAME, variants=module.VARIANTS, photos=len(photos.files))
    try:
        result.version = module.setup(args)
    except Skip as why:
        result.skipped = str(why)
        log(f"{module.NAME}: skipped: {why}")
        return result
    work = photos.root / name
    job = module.job(work, photos, args)
    result.notes += job.notes
    for folder in job.clean:
        shutil.rmtree(folder, ignore_errors=True)
    log(f"{module.NAME} {result.version}: cold run")
    result.cold = run_command(job.command, work / "cold.log", job.env)
    outputs = by_photo(job.outputs.rglob("*"))
    result.made = sum(map(len, outputs.values()))
    check_upright(outputs, photos, result)
    log(f"{module.NAME}: cold {result.cold.wall:.1f} s, {result.made} variants; warm run")
    before = stamps(job.outputs)
    result.warm = run_command(job.command, work / "warm.log", job.env)
    after = stamps(job.outputs)
    if set(after) != set(before):
        result.problems.append(f"{module.NAME}: the warm run changed the set of outputs")
    rewritten = sum(after[f] != before.get(f) for f in after)
    result.notes.append(f"the warm run rewrote {rewritten} of {len(after)} output files")
    return result


def stamps(folder: Path) -> dict[Path, int]:
    """Every photo output below ``folder`` and its modification time (ns)."""
    return {f: f.stat().st_mtime_ns for files in by_photo(folder.rglob("*")).values() for f in files}


# -- showcase -------------------------------------------------------------------------------

def showcase_site(photos: Photos, name: str, same_variants: bool) -> Path:
    """A copy of the generated site (photos hard-linked) under ``name``, with the other
    tools' widths and formats in site.yaml if ``same_variants``."""
    content = photos.root / name / "content"
    shutil.rmtree(content.parent, ignore_errors=True)
    shutil.copytree(photos.content, content, copy_function=os.link)
    if same_variants:  # a new file: site.yaml is a hard link to the generated one
        config = content / "site.yaml"
        text = config.read_text("utf-8")
        config.unlink()
        config.write_text(text + SAME_VARIANTS, "utf-8")
    return content


def run_showcase(photos: Photos, args: argparse.Namespace, name: str, floor: bool = False) -> list[Result]:
    """showcase's cold and warm builds (each in a fresh interpreter), and, with ``floor``,
    plain Pillow making the same variants."""
    from PIL import __version__ as pillow

    from showcase.assets.images import PIPELINE_VERSION
    same = name == "showcase"
    content = showcase_site(photos, name, same)
    output, cache = content.parent / "output", content.parent / "cache"
    result = Result(name, version=f"{showcase_version()} (pipeline {PIPELINE_VERSION}, Pillow {pillow})",
                    variants=("WebP + JPEG at 480/960/1600" if same else
                              "AVIF + JPEG at 480/800/1200/1600") + " + 1 link-preview crop per product",
                    photos=len(photos.files))
    log(f"{name}: cold build")
    with measuring() as result.cold:
        cold = harness.cold_build(content, output, cache, args.workers)
    result.cold.peak_mb = cold.peak.mb
    result.made = cold.made
    result.notes.append(f"the build's own time (interpreter start and imports excluded): "
                        f"{cold.seconds:.1f} s; memory: {cold.peak.summary()}")
    log(f"{name}: cold {result.cold.wall:.1f} s, {cold.made} made; warm build")
    with measuring() as result.warm:
        warm = harness.cold_build(content, output, cache, args.workers)
    result.warm.peak_mb = warm.peak.mb
    if warm.made:
        result.problems.append(f"{name}: the warm build made {warm.made} images, expected 0")
    _site, variants = harness.site_variants(content, cache / "photos.json")
    index = {str(f): i for i, f in enumerate(photos.files)}
    outputs: dict[int, list[Path]] = {}
    for v in variants:
        if not v.crop:
            i = index[str(photos.content / Path(v.src_path).relative_to(content))]
            outputs.setdefault(i, []).append(output / v.url)
    check_upright(outputs, photos, result)
    if len(variants) != cold.made:
        result.problems.append(f"{name}: made {cold.made} images, the pages use {len(variants)}")
    results = [result]
    if floor:
        low = Result("floor", version=f"Pillow {pillow}", variants="the showcase row's variants, "
                     "in memory", photos=len(photos.files), made=len(variants))
        log(f"floor: {len(variants)} variants in plain Pillow")
        with measuring(include_self=True) as low.cold:
            harness.floor(variants, args.workers)
        results.append(low)
    return results


def showcase_version() -> str:
    version = output(["git", "describe", "--always", "--dirty"], cwd=gen.REPO)
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as dist_version
    try:
        return f"{dist_version('showcase')} {version}".strip()
    except PackageNotFoundError:  # not installed as a distribution
        return version or "?"


# -- reporting ------------------------------------------------------------------------------

HEADER = ("| tool | version | variants per photo (asked) | made | cold s | CPU s | ms/photo "
          "| ms/variant | CPU-ms/variant | CPU-ms/variant vs showcase | warm s | peak RSS MB | upright |")


def table(results: list[Result]) -> str:
    base = next((r for r in results if r.tool == "showcase" and r.cold), None)
    base_cpu = ms_per(base.cold.cpu, base.made) if base else 0.0
    lines = [HEADER, "|" + "---|" * (HEADER.count("|") - 1)]
    for r in results:
        if r.skipped or not r.cold:
            lines.append(f"| {r.tool} | {r.version or '-'} | {r.variants} | skipped: {r.skipped} "
                         + "| " * 9 + "|")
            continue
        cpu_ms = ms_per(r.cold.cpu, r.made)
        star = "*" if r.cold.disturbed() else ""
        warm = f"{r.warm.wall:.2f}" if r.warm else "-"
        upright = f"{r.upright[0]} of {r.upright[1]}" if r.upright else "-"
        peak = f"{r.cold.peak_mb:.0f}" if r.cold.peak_mb else "-"
        ratio = f"{cpu_ms / base_cpu:.2f}x" if base_cpu else "-"
        lines.append(
            f"| {r.tool} | {r.version} | {r.variants} ({r.made / max(r.photos, 1):.2f}) | {r.made} "
            f"| {r.cold.wall:.1f}{star} | {r.cold.cpu:.1f} | {ms_per(r.cold.wall, r.photos):.0f} "
            f"| {ms_per(r.cold.wall, r.made):.1f} | {cpu_ms:.1f} | {ratio} | {warm} | {peak} | {upright} |")
    return "\n".join(lines)


def section(n: int, workers: int, results: list[Result]) -> str:
    photos = max((r.photos for r in results), default=0)
    notes = []
    for r in results:
        for phase, m in (("cold", r.cold), ("warm", r.warm)):
            if m:
                notes.append(f"- {r.tool} {phase}: CPU {m.cpu:.1f} s ours / {m.foreign:.1f} s "
                             "other processes'" + ("  **(disturbed)**" if m.disturbed() else ""))
        notes += [f"- {r.tool}: {note}" for note in r.notes]
    problems = [p for r in results for p in r.problems]
    text = [f"## N = {n} ({photos} photos)", "",
            f"- date: {datetime.now().strftime('%Y-%m-%d %H:%M')}",
            (f"- CPU: {harness.cpu_model()}, {os.cpu_count()} cores; workers: {workers}; "
            f"Python {platform.python_version()}"),
            f"- command: `python -m bench {' '.join(sys.argv[1:])}`", "",
            table(results), ""]
    if any(r.cold and r.cold.disturbed() for r in results):
        text += [("\\* cold wall time disturbed by other processes (see below); "
                 "compare CPU-ms/variant."), ""]
    text += notes
    if problems:
        text += ["", "Problems:", "", *[f"- {p}" for p in problems]]
    return "\n".join(text) + "\n"


def write_results(sections: dict[int, str]) -> None:
    """Replace the sections of these sizes in RESULTS, keep the others, in order of N."""
    kept: dict[int, str] = {}
    if RESULTS.exists():
        for part in RESULTS.read_text("utf-8").split("\n## N = ")[1:]:
            n = int(part.split(" ", 1)[0])
            kept[n] = "## N = " + part.rstrip("\n") + "\n"
    kept.update(sections)
    head = ["# showcase beside other image pipelines", "",
            "`python -m bench compare`: columns and method in bench/compare.py and bench/README.md.", ""]
    RESULTS.write_text("\n".join(head + [kept[n] for n in sorted(kept)]), "utf-8")


# -- the subcommands ------------------------------------------------------------------------

HELP = "showcase, plain Pillow, eleventy-img, Hugo and Sigal on the same photos: time, CPU, memory, upright"


def common_arguments(parser: argparse.ArgumentParser) -> None:
    harness.add_size_arguments(parser, "30", 2,
                               "processes (or concurrent images) each tool may use; default 2")
    parser.add_argument("--keep", action="store_true", help="keep the photos and every tool's output")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    common_arguments(parser)
    parser.add_argument("--tools", default=",".join(ALL),
                        help=f"which of {', '.join(ALL)} to run, comma-separated; default all")
    parser.add_argument("--no-write", action="store_true", help=f"do not write {RESULTS.name}")
    for name in TOOLS:
        tool_module(name).add_tool_arguments(parser)


def run_size(n: int, tools: list[str], args: argparse.Namespace) -> list[Result]:
    root = gen.BENCH_CACHE / "runs" / f"compare-n{n}"
    shutil.rmtree(root, ignore_errors=True)
    photos = make_photos(root, n, args.workers)
    log(f"N={n}: {len(photos.files)} photos, {len(photos.portrait)} portrait")
    results: list[Result] = []
    try:
        for name in tools:
            if name.startswith("showcase"):
                results += run_showcase(photos, args, name, floor=name == "showcase" and "floor" in tools)
            elif name == "floor":  # made with the showcase row's variants
                if "showcase" not in tools:
                    results.append(Result("floor", skipped="it makes the showcase row's variants: "
                                          "add showcase to --tools"))
            else:
                results.append(run_tool(name, photos, args))
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    return results


def run_sizes(tools: list[str], args: argparse.Namespace, write: bool) -> int:
    sections, problems = {}, []
    for n in args.sizes:
        results = run_size(n, tools, args)
        sections[n] = section(n, args.workers, results)
        problems += [p for r in results for p in r.problems]
        print(sections[n])
        if write:
            write_results(sections)
    for p in problems:
        print(f"PROBLEM: {p}", file=sys.stderr)
    if write:
        print(f"written to {RESULTS}", file=sys.stderr)
    return 1 if problems else 0


def run(args: argparse.Namespace) -> int:
    tools = [t.strip() for t in args.tools.split(",") if t.strip()]
    unknown = [t for t in tools if t not in ALL]
    if unknown:
        print(f"--tools: unknown {', '.join(unknown)}; choose from {', '.join(ALL)}", file=sys.stderr)
        return 2
    return run_sizes(tools, args, write=not args.no_write)


def tool_subcommand(name: str):
    """HELP-less add_arguments and run for a tool's own subcommand (bench/hugo.py etc.):
    that tool alone on the photos, printed, not written."""
    def add_arguments(parser: argparse.ArgumentParser) -> None:
        common_arguments(parser)
        tool_module(name).add_tool_arguments(parser)

    def run(args: argparse.Namespace) -> int:
        return run_sizes([name], args, write=False)
    return add_arguments, run
