"""``python -m bench images``: what the image pipeline costs at a few site sizes.

For each size N (products, 3 phone photos each) it generates a site (bench.generate),
then measures, in this order:

- cold build: empty cache and output, in a fresh interpreter as ``showcase build`` runs;
  wall time, images made, and the peak RSS of that process and all its workers together
  (a thread samples /proc every 20 ms), with each process's share;
- warm build: nothing changed, so nothing may be made;
- the floor: plain Pillow decoding, resizing and encoding exactly the variants the site
  uses, in memory, on the same number of processes: what no pipeline can beat;
- one photo replaced: one product photo swapped for another; the build must make exactly
  that photo's variants;
- a phone opening one product page: headless Chromium at 390x844 CSS px, DPR 2, served
  from 127.0.0.1, bytes by type and the main photo's size.

It prints a markdown table and writes it, with the date, CPU and command, to
``bench/results-images.md`` (after each size, so a long run leaves partial results).
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import io
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import threading
import time
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from PIL import Image, ImageOps

from . import generate as gen

RESULTS = Path(__file__).resolve().parent / "results-images.md"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# -- memory ---------------------------------------------------------------------------------

def _children_files_work() -> bool:
    return any(Path("/proc/self/task").glob("*/children"))


def field_kb(path: str, name: bytes) -> int:
    """The value of ``name`` (kB) in a /proc status-like file, 0 if missing."""
    return _fields_kb(path, (name,))[0]


def _fields_kb(path: str, names: tuple[bytes, ...]) -> list[int]:
    """The values of ``names`` (kB) in a /proc status-like file, 0 for each one missing."""
    found = [0] * len(names)
    try:
        with open(path, "rb") as f:
            for line in f:
                for i, name in enumerate(names):
                    if line.startswith(name):
                        found[i] = int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return found  # zeros: gone, or a zombie (no VmRSS)


def _pss_kb(pid: int) -> int:
    """Proportional set size: shared pages divided among their sharers, so a sum over
    forked workers does not count the parent's pages once per worker as VmRSS does."""
    return field_kb(f"/proc/{pid}/smaps_rollup", b"Pss:")


def _children_of(pid: int) -> list[int]:
    kids = []
    try:
        tasks = list(Path(f"/proc/{pid}/task").glob("*/children"))
    except OSError:
        return kids  # the process has just ended
    for children in tasks:
        try:
            kids += [int(c) for c in children.read_text().split()]
        except (OSError, ValueError):
            pass
    return kids


def _ppid_map() -> dict[int, list[int]]:
    """Parent -> children from every /proc/<pid>/stat (for kernels without .../children)."""
    tree: dict[int, list[int]] = defaultdict(list)
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as f:
                stat = f.read()
            # The command name may hold spaces and parentheses: split after the last ')'.
            ppid = int(stat[stat.rindex(b")") + 2:].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        tree[ppid].append(int(entry.name))
    return tree


def descendants(root: int, use_children_files: bool) -> list[int]:
    """``root`` and every process below it (via .../children, else every /proc/*/stat)."""
    tree = None if use_children_files else _ppid_map()
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        if pid in found:
            continue
        found.append(pid)
        todo += _children_of(pid) if tree is None else tree.get(pid, [])
    return found


def _role(pid: int, root: int) -> str:
    """What a process is, for the per-process report: main, worker, tracker or its name."""
    if pid == root:
        return "main"
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return "gone"
    if b"resource_tracker" in cmdline:
        return "tracker"
    if b"spawn_main" in cmdline or b"forkserver" in cmdline:
        return "worker"
    return cmdline.split(b"\0", 1)[0].decode(errors="replace").rsplit("/", 1)[-1] or "?"


class PeakRss:
    """``with PeakRss() as peak: ...`` then ``peak.mb``: the largest summed VmRSS seen
    (``peak.pss_mb``: the largest summed PSS) of this process and all below it, or of
    ``root`` and all below it.

    Per process, too: ``peak.by_pid`` is each process's own peak (its VmHWM, which the
    kernel keeps exactly, this process's reset on entry), ``peak.at_peak`` what each held
    when the sum peaked, ``peak.at_peak_seconds`` when that was, and ``peak.timeline``
    (seconds, this process's MB, all others' MB) every sample, to tell which stage of a
    build holds what.

    VmRSS is read every ``interval``; the process list (a walk of /proc where the kernel
    has no .../children files) and PSS (smaps_rollup walks page tables) cost about 1 ms
    each, so they are refreshed every ``every``-th sample only, keeping the sampler's own
    CPU use near 2% of one core.
    """

    def __init__(self, interval: float = 0.02, every: int = 5, root: int | None = None):
        self.interval = interval
        self.root = root or os.getpid()  # whose process tree is measured
        self.every = every
        self.mb = 0.0
        self.pss_mb = 0.0
        self.samples = 0
        self.by_pid: dict[int, float] = {}
        self.roles: dict[int, str] = {}
        self.at_peak: dict[int, float] = {}
        self.at_peak_seconds = 0.0
        self.timeline: list[tuple[float, float, float]] = []
        self._stop = threading.Event()
        self._children_files = _children_files_work()

    def _run(self) -> None:
        root = self.root
        pids = [root]
        started = time.perf_counter()
        while True:
            if self.samples % self.every == 0:
                pids = descendants(root, self._children_files)
                self.pss_mb = max(self.pss_mb, sum(map(_pss_kb, pids)) / 1024)
            now = {}
            for pid in pids:
                rss, hwm = _fields_kb(f"/proc/{pid}/status", (b"VmRSS:", b"VmHWM:"))
                if rss:
                    now[pid] = rss / 1024
                    self.by_pid[pid] = max(self.by_pid.get(pid, 0.0), hwm / 1024)
                    if pid not in self.roles:
                        self.roles[pid] = _role(pid, root)
            total = sum(now.values())
            seconds = time.perf_counter() - started
            mine = now.get(root, 0.0)
            self.timeline.append((seconds, mine, total - mine))
            if total > self.mb:
                self.mb, self.at_peak, self.at_peak_seconds = total, now, seconds
            self.samples += 1
            if self._stop.wait(self.interval):
                return

    def __enter__(self) -> "PeakRss":
        if self.root == os.getpid():
            try:  # VmHWM of this process from here on, not since it started
                Path("/proc/self/clear_refs").write_text("5")
            except OSError:
                pass
        self._thread = threading.Thread(target=self._run, name="peak-rss", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def by_role(self) -> dict[str, list[float]]:
        """Each role's processes' own peaks (MB), largest first."""
        roles: dict[str, list[float]] = defaultdict(list)
        for pid, mb in self.by_pid.items():
            roles[self.roles.get(pid, "?")].append(mb)
        return {role: sorted(mbs, reverse=True) for role, mbs in roles.items()}

    def summary(self) -> str:
        """One line: the sum's peak, then each process's share of it and its own peak."""
        at = defaultdict(list)
        for pid, mb in self.at_peak.items():
            at[self.roles.get(pid, "?")].append(mb)
        shares = ", ".join(f"{role} {' + '.join(f'{mb:.0f}' for mb in sorted(mbs, reverse=True))}"
                           for role, mbs in sorted(at.items()))
        own = ", ".join(f"{role} {' / '.join(f'{mb:.0f}' for mb in mbs[:4])}"
                        + (f" (+{len(mbs) - 4} more)" if len(mbs) > 4 else "")
                        for role, mbs in sorted(self.by_role().items()))
        return (f"peak {self.mb:.0f} MB at {self.at_peak_seconds:.1f} s = {shares}; "
                f"each process's own peak: {own}")


def disturbed(own: float, foreign: float) -> bool:
    """Whether a timing is noise: other processes used over 5% as much CPU as ours."""
    return foreign > 0.05 * own


class CpuWatch:
    """``with CpuWatch() as cpu: ...``: CPU seconds this process and its reaped children
    used (``cpu.own``; the children's alone: ``cpu.children``; both from getrusage) and
    what every other process on the machine used meanwhile (``cpu.foreign``, from
    /proc/stat): a timing taken while something else was busy is noise (``disturbed``),
    and the report says so."""

    @staticmethod
    def _machine() -> float:
        try:
            fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
            user, nice, system, _idle, _iowait, irq, softirq, steal = map(int, fields[:8])
        except (OSError, ValueError):
            return 0.0
        return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")

    @staticmethod
    def _cpu(who: int) -> float:
        usage = resource.getrusage(who)
        return usage.ru_utime + usage.ru_stime

    def _read(self) -> tuple[float, float, float]:
        return (self._machine(), self._cpu(resource.RUSAGE_SELF),
                self._cpu(resource.RUSAGE_CHILDREN))

    def __enter__(self) -> "CpuWatch":
        self._start = self._read()
        self.own = self.children = self.foreign = 0.0
        return self

    def __exit__(self, *exc) -> None:
        machine, me, children = self._read()
        self.children = children - self._start[2]
        self.own = me - self._start[1] + self.children
        self.foreign = max(0.0, machine - self._start[0] - self.own)


# -- building ---------------------------------------------------------------------------------

def build(content: Path, output: Path, cache: Path, workers: int | None = None):
    """One build in this process, timed: (result, seconds); raises RuntimeError if it
    fails. ``workers`` None: the builder's default (one per core)."""
    from showcase.builder import Builder, BuildOptions
    started = time.perf_counter()
    result = Builder(BuildOptions(content, output, cache_dir=cache, workers=workers)).build()
    seconds = time.perf_counter() - started
    if not result.ok:
        shown = "\n".join(f"  {p}" for p in result.errors[:20])
        raise RuntimeError(f"build failed: {result.summary()}\n{shown}")
    return result, seconds


def site_variants(content: Path, photo_index: Path | None = None):
    """The site and every image variant its pages use (as the build would make them)."""
    from showcase.load import loader
    from showcase.render import pages, theme as themes
    from showcase.builder import BUILTIN_THEMES
    from showcase.errors import Problems
    site, problems = loader.load(content, loader.LoadOptions(photo_index=photo_index))
    if site is None:
        raise RuntimeError(f"{content} does not load: {problems.errors[:5]}")
    layers = themes.find(site.config.theme, content, BUILTIN_THEMES)
    theme = themes.load(layers, site.config.languages, Problems())
    return site, list(pages.render_site(site, theme).variants)


@dataclass
class ColdBuild:
    made: int
    seconds: float
    stages: tuple[tuple[str, float], ...]  # BuildResult.stages: (stage, seconds) in order
    peak: PeakRss
    started: float  # when the build began, in the seconds of peak.timeline


def cold_build(content: Path, output: Path, cache: Path, workers: int) -> ColdBuild:
    """A build in a fresh interpreter, as ``showcase build`` runs, with the peak memory
    of its process tree alone. In this process, the peak would also count what the
    harness holds from earlier sizes (sites, the floor, a browser driver), which no
    user's build carries."""
    code = ("import json, sys, time; from pathlib import Path; from bench.harness import build; "
            "started = time.time(); "
            "result, seconds = build(*map(Path, sys.argv[1:4]), int(sys.argv[4])); "
            "print(json.dumps([result.images.made, seconds, result.stages, started]))")
    launched = time.time()
    child = subprocess.Popen([sys.executable, "-c", code, str(content), str(output), str(cache),
                              str(workers)], cwd=gen.REPO, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    with PeakRss(root=child.pid) as peak:
        out, err = child.communicate()
    if child.returncode != 0:
        raise RuntimeError(f"cold build failed (exit {child.returncode}):\n{err[-3000:]}")
    made, seconds, stages, started = json.loads(out.strip().splitlines()[-1])
    return ColdBuild(made, seconds, tuple((name, s) for name, s in stages), peak,
                     started - launched)


# -- the floor --------------------------------------------------------------------------------

def _save_options(fmt: str, quality: int) -> dict:
    try:
        from showcase.assets.images import save_options
    except ImportError:
        save_options = None
    if save_options is not None:
        return save_options(fmt, quality)
    return {"jpeg": dict(format="JPEG", quality=quality, optimize=True, progressive=True),
            "webp": dict(format="WEBP", quality=quality, method=4),
            "avif": dict(format="AVIF", quality=quality)}[fmt]


def floor_job(src: str, variants: list[tuple[int, int, str, int, bool]]) -> int:
    """Decode one photo once and encode each (width, height, format, quality, crop) into
    memory, larger widths first, each resized from the previous. Returns bytes encoded."""
    need = (max(v[0] for v in variants), max(v[1] for v in variants))
    with Image.open(src) as im:
        if im.getexif().get(0x0112, 1) >= 5:  # stored sideways: the decoder sees it turned
            need = need[::-1]
        # The decoder's scale is chosen to cover the largest variant (as showcase does).
        im.draft("RGB", need)
        image = ImageOps.exif_transpose(im).convert("RGB")
    total = 0

    def encode(picture: Image.Image, fmt: str, quality: int) -> None:
        nonlocal total
        out = io.BytesIO()
        picture.save(out, **_save_options(fmt, quality))
        total += out.tell()

    for width, height, fmt, quality, crop in variants:
        if crop:
            encode(ImageOps.fit(image, (width, height), Image.Resampling.LANCZOS), fmt, quality)
    resized = image
    for width in sorted({v[0] for v in variants if not v[4]}, reverse=True):
        same = [v for v in variants if v[0] == width and not v[4]]
        if resized.size != (width, same[0][1]):
            resized = resized.resize((width, same[0][1]), Image.Resampling.LANCZOS)
        for _, _, fmt, quality, _ in same:
            encode(resized, fmt, quality)
    return total


def floor(variants, workers: int) -> tuple[float, int]:
    """Seconds plain Pillow takes for these variants on ``workers`` processes (pool
    start-up included, as in a build), and the bytes it encoded."""
    jobs: dict[str, list] = defaultdict(list)
    for v in variants:
        jobs[str(v.src_path)].append((v.width, v.height, v.format, v.quality, bool(v.crop)))
    srcs = sorted(jobs)
    started = time.perf_counter()
    with ProcessPoolExecutor(max(1, min(workers, len(srcs)))) as pool:
        total = sum(pool.map(floor_job, srcs, [jobs[s] for s in srcs]))
    return time.perf_counter() - started, total


# -- a phone loading a product page ---------------------------------------------------------

class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@contextlib.contextmanager
def serve(folder: Path):
    """The folder over HTTP on 127.0.0.1 (a free port), in a thread."""
    handler = functools.partial(_Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class PageBytes:
    html: int = 0
    css: int = 0
    images: int = 0
    other: int = 0
    main_photo: int = 0
    main_photo_url: str = ""
    image_count: int = 0
    failed: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.html + self.css + self.images + self.other


def phone_page_bytes(output: Path, path: str) -> PageBytes | str:
    """What a phone downloads on opening ``path`` (no scrolling), or why it was skipped."""
    if not Path(CHROMIUM).exists():
        return f"skipped: {CHROMIUM} is missing"
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return "skipped: Python playwright is not installed"
    result = PageBytes()
    with serve(output) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 390, "height": 844},
                                          device_scale_factor=2, is_mobile=True, has_touch=True)
            page = context.new_page()
            responses = []
            page.on("response", lambda response: responses.append(response))
            page.goto(base + path, wait_until="networkidle")
            main = page.evaluate(
                "() => { const i = document.querySelector('.product-media img, main img');"
                " return i ? i.currentSrc : ''; }")
            for response in responses:
                try:
                    size = len(response.body())
                except Exception:  # redirects and aborted requests have no body
                    size = 0
                if response.status >= 400:
                    result.failed.append(f"{response.status} {response.url}")
                kind = response.request.resource_type
                if kind == "document":
                    result.html += size
                elif kind == "stylesheet":
                    result.css += size
                elif kind == "image":
                    result.images += size
                    result.image_count += 1
                else:
                    result.other += size
                if main and response.url == main:
                    result.main_photo, result.main_photo_url = size, main[len(base):]
            context.close()
        finally:
            browser.close()
    return result


# -- one size ---------------------------------------------------------------------------------

@dataclass
class Row:
    n: int
    photos: int = 0
    variants: int = 0
    cold: float = 0.0
    cold_made: int = 0
    floor: float = 0.0
    warm: float = 0.0
    warm_made: int = 0
    replaced: float = 0.0
    replaced_made: int = 0
    replaced_expected: int = 0
    peak_rss: float = 0.0
    peak_pss: float = 0.0
    memory: str = ""  # the cold build's peak, process by process (PeakRss.summary)
    page: PageBytes | str | None = None
    problems: list[str] = field(default_factory=list)
    # phase -> (CPU s of this benchmark, CPU s of every other process meanwhile)
    busy: dict[str, tuple[float, float]] = field(default_factory=dict)

    def noisy(self) -> list[str]:
        """Phases during which other processes used over 5% as much CPU as ours."""
        return [f"{phase}: other processes used {foreign:.1f} CPU-s beside our {own:.1f}"
                for phase, (own, foreign) in self.busy.items() if disturbed(own, foreign)]


def fresh_site(work: Path, n: int, workers: int) -> tuple[Path, Path, Path, Path]:
    """The site of N products generated under ``work``, with no output and no cache yet:
    (root, content, output, cache)."""
    root = work / f"n{n}"
    content = gen.generate(root, n, workers=workers, progress=log)
    output, cache = root / "output", root / "cache"
    for folder in (output, cache):
        shutil.rmtree(folder, ignore_errors=True)
    return root, content, output, cache


def run_size(n: int, workers: int, work: Path, keep: bool) -> Row:
    row = Row(n)
    size_started = time.perf_counter()
    root, content, output, cache = fresh_site(work, n, workers)
    log(f"N={n}: site generated in {time.perf_counter() - size_started:.1f} s; cold build")

    with CpuWatch() as cpu:
        cold = cold_build(content, output, cache, workers)
    row.busy["cold"] = (cpu.own, cpu.foreign)
    row.cold, row.cold_made, peak = cold.seconds, cold.made, cold.peak
    row.peak_rss, row.peak_pss, row.memory = peak.mb, peak.pss_mb, peak.summary()
    log(f"N={n}: cold {row.cold:.1f} s, {row.cold_made} made, peak RSS {row.peak_rss:.0f} MB "
        f"(PSS {row.peak_pss:.0f} MB) ({peak.samples} samples): {row.memory}; warm build")

    result, row.warm = build(content, output, cache, workers)
    row.warm_made = result.images.made
    if row.warm_made != 0:
        row.problems.append(f"N={n}: warm build made {row.warm_made} images, expected 0")
    log(f"N={n}: warm {row.warm:.2f} s, {row.warm_made} made; the floor")

    site, variants = site_variants(content, cache / "photos.json")
    row.variants = len(variants)
    row.photos = len({str(v.src_path) for v in variants})
    if row.cold_made != row.variants:
        row.problems.append(f"N={n}: cold build made {row.cold_made} images but the pages "
                            f"use {row.variants} variants")
    with CpuWatch() as cpu:
        row.floor, _ = floor(variants, workers)
    row.busy["floor"] = (cpu.own, cpu.foreign)
    log(f"N={n}: floor {row.floor:.1f} s for {row.photos} photos, {row.variants} variants; "
        "one photo replaced")

    victim = gen.product_folder(content, n // 2) / "photo-2.jpg"
    row.replaced_expected = sum(1 for v in variants if Path(v.src_path) == victim)
    spec = gen.replacement_spec()
    gen.place(gen.cached_photos([spec])[spec], victim)
    result, row.replaced = build(content, output, cache, workers)
    row.replaced_made = result.images.made
    if row.replaced_made != row.replaced_expected:
        row.problems.append(f"N={n}: replacing {victim.relative_to(root)} made "
                            f"{row.replaced_made} images, expected {row.replaced_expected}")
    log(f"N={n}: one replaced {row.replaced:.2f} s, {row.replaced_made} made; phone page")

    first = gen.product_folder(content, 0).relative_to(content).as_posix() + "/"
    row.page = phone_page_bytes(output, first)
    if isinstance(row.page, PageBytes) and row.page.failed:
        row.problems.append(f"N={n}: the product page had failed requests: {row.page.failed[:5]}")
    for note in row.noisy():
        log(f"N={n}: WARNING, timing disturbed: {note}")
    log(f"N={n}: done in {time.perf_counter() - size_started:.0f} s")
    if not keep:
        shutil.rmtree(root, ignore_errors=True)
    return row


# -- reporting --------------------------------------------------------------------------------

HEADER = ("| N | photos | variants | cold s | floor s | cold/floor | ms/photo | ms/variant "
          "| warm s | one replaced s (made) | peak RSS MB (PSS) | phone page KB: html / css / img (main photo) |")


def kb(n: int) -> str:
    return f"{n / 1024:.0f}" if n >= 10240 else f"{n / 1024:.1f}"


def table(rows: list[Row]) -> str:
    lines = [HEADER, "|" + "---|" * (HEADER.count("|") - 1)]
    for r in rows:
        if isinstance(r.page, PageBytes):
            page = f"{kb(r.page.html)} / {kb(r.page.css)} / {kb(r.page.images)} ({kb(r.page.main_photo)})"
        else:
            page = str(r.page or "-")
        ratio = f"{r.cold / r.floor:.2f}" if r.floor else "-"
        lines.append(
            f"| {r.n} | {r.photos} | {r.variants} | {r.cold:.1f} | {r.floor:.1f} | {ratio} "
            f"| {1000 * r.cold / max(r.photos, 1):.0f} | {1000 * r.cold / max(r.variants, 1):.1f} "
            f"| {r.warm:.2f} | {r.replaced:.2f} ({r.replaced_made}) | {r.peak_rss:.0f} ({r.peak_pss:.0f}) | {page} |")
    return "\n".join(lines)


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def write_results(rows: list[Row], command: str, workers: int, pending: list[int]) -> None:
    import PIL
    notes = []
    for r in rows:
        busy = ", ".join(f"{phase} {own:.0f} CPU-s ours / {foreign:.1f} others'"
                         for phase, (own, foreign) in r.busy.items())
        notes.append(f"- N={r.n}: CPU during {busy}"
                     + ("  **(disturbed by other processes: treat as noise)**" if r.noisy() else ""))
        if r.memory:
            notes.append(f"- N={r.n}: cold build memory: {r.memory}")
        if isinstance(r.page, PageBytes):
            notes.append(f"- N={r.n}: phone page {r.page.total / 1024:.0f} KB in all "
                         f"({r.page.image_count} images, {kb(r.page.other)} KB other); main photo "
                         f"`{r.page.main_photo_url}`")
    problems = [p for r in rows for p in r.problems]
    text = [
        "# Image pipeline benchmark",
        "",
        f"- date: {datetime.now().strftime('%Y-%m-%d %H:%M')}",
        f"- CPU: {cpu_model()}, {os.cpu_count()} cores; workers: {workers}",
        f"- Python {platform.python_version()}, Pillow {PIL.__version__}",
        f"- command: `{command}`",
        "",
        table(rows),
        "",
        *notes,
    ]
    if pending:
        text += ["", f"Not finished yet: N = {', '.join(map(str, pending))}."]
    if problems:
        text += ["", "## Problems", "", *[f"- {p}" for p in problems]]
    text += ["", "Columns and method: see bench/README.md.", ""]
    RESULTS.write_text("\n".join(text), "utf-8")


# -- the subcommand ---------------------------------------------------------------------------

HELP = "cold/warm/one-replaced image builds vs. plain Pillow, memory, phone page bytes"


def _sizes(text: str) -> list[int]:
    try:
        return [int(s) for s in text.split(",") if s.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected numbers like 30,300, got {text!r}") from None


def add_size_arguments(parser: argparse.ArgumentParser, sizes: str, workers: int,
                       workers_help: str | None = None) -> None:
    """``--sizes`` (product counts, parsed into ``args.sizes``, a list of ints) and
    ``--workers``, with a benchmark's own defaults."""
    parser.add_argument("--sizes", type=_sizes, default=sizes,
                        help=f"comma-separated product counts (3 photos each); default {sizes}")
    parser.add_argument("--workers", type=int, default=workers, help=workers_help)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_size_arguments(parser, "30,300", os.cpu_count() or 1,
                       "image processes, for the build and the floor alike")
    parser.add_argument("--work", type=Path, default=gen.BENCH_CACHE / "runs",
                        help="where sites, caches and outputs are made (default .cache/bench/runs)")
    parser.add_argument("--keep", action="store_true", help="keep each size's site, cache and output")
    parser.add_argument("--no-write", action="store_true", help=f"do not write {RESULTS.name}")


def run(args: argparse.Namespace) -> int:
    sizes = args.sizes  # product counts, parsed by add_size_arguments
    command = "python -m bench " + " ".join(sys.argv[1:])
    rows: list[Row] = []
    for i, n in enumerate(sizes):
        rows.append(run_size(n, args.workers, args.work, args.keep))
        if not args.no_write:
            write_results(rows, command, args.workers, sizes[i + 1:])
    print(table(rows))
    problems = [p for r in rows for p in r.problems]
    for p in problems:
        print(f"PROBLEM: {p}", file=sys.stderr)
    if not args.no_write:
        print(f"\nwritten to {RESULTS}", file=sys.stderr)
    return 1 if problems else 0
