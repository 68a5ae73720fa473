"""Which image formats, qualities and widths should the pipeline make by default?

A measurement on real photographs (``bench.photos``), not a test. For each photo a
centred 4:3 landscape crop (the shape of a 12 MP phone photo) is decoded in JPEG draft
mode at the smallest scale that covers the largest width, then resized with Lanczos to
each width, largest first and each from the previous one (as ``showcase.images.make``
does). Every resized image is the lossless reference for its encodes:

- JPEG quality 60/70/75/80/85, ``optimize=True, progressive=True``;
- WebP quality 60/70/75/80/85 at ``method=4``, and ``method=6`` at quality 75;
- AVIF quality 40/50/60/70 at ``speed`` 6, 8 and 10 (aom encoder in Pillow's wheel).

For each encode: bytes, encode time (wall and CPU milliseconds; the median of
``--repeats`` runs at the focus width 800, one run at the other widths), and, against
the reference, SSIM and PSNR on luma (BT.601 Y). SSIM is the standard one of Wang et al.
(2004): an 11x11 Gaussian window with sigma 1.5, K1 = 0.01, K2 = 0.03, L = 255, the mean
of the map over the "valid" region. Encodes run one at a time, so CPU time is what a
build's two-process pool pays per encode on a 2-core machine.

Each photo is also cropped to 3:4 (a phone held upright) and encoded at 800px with
the picked configurations (PICKS) only, to see what portrait photos cost.

Prints markdown tables of medians across photos; ``--json`` also writes every raw
measurement and ``--load`` reports on such a file again without measuring. Needs
numpy (``.venv/bin/pip install numpy``), which showcase itself does not. About 4-5
minutes on 2 cores with the defaults (9 photos)::

    .venv/bin/python -m bench.formats [--photos 6] [--repeats 3] [--json out.json]
    .venv/bin/python -m bench.formats --load out.json
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from bench.photos import PHOTOS, source_photos

WIDTHS = (480, 800, 960, 1200, 1600)
FOCUS = 800  # the width whose encodes are timed with repeats
ASPECT = (4, 3)  # a phone photo's shape


@dataclass(frozen=True)
class Config:
    fmt: str      # "jpeg", "webp" or "avif"
    quality: int
    effort: str   # "" for JPEG, "m4"/"m6" for WebP, "s6"/"s8"/"s10" for AVIF

    @property
    def label(self) -> str:
        return f"{self.fmt} q{self.quality}" + (f" {self.effort}" if self.effort else "")

    def save_options(self) -> dict:
        if self.fmt == "jpeg":
            return {"format": "JPEG", "quality": self.quality,
                    "optimize": True, "progressive": True}
        if self.fmt == "webp":
            return {"format": "WEBP", "quality": self.quality, "method": int(self.effort[1:])}
        return {"format": "AVIF", "quality": self.quality, "speed": int(self.effort[1:])}


CONFIGS: tuple[Config, ...] = (
    *(Config("jpeg", q, "") for q in (60, 70, 75, 80, 85)),
    *(Config("webp", q, "m4") for q in (60, 70, 75, 80, 85)),
    Config("webp", 75, "m6"),
    *(Config("avif", q, f"s{s}") for s in (6, 8, 10) for q in (40, 50, 60, 70)),
)


FAMILIES = {  # the quality sweeps, for comparisons at equal SSIM
    "jpeg": [c.label for c in CONFIGS if c.fmt == "jpeg"],
    "webp m4": [c.label for c in CONFIGS if c.effort == "m4"],
    **{f"avif s{s}": [c.label for c in CONFIGS if c.effort == f"s{s}"] for s in (6, 8, 10)},
}

# Candidate defaults the report prices (the recommendation in FORMATS.md).
PICKS = {"jpeg": "jpeg q80", "webp": "webp q80 m4", "avif": "avif q60 s10"}
WIDTH_SETS = ((480, 960, 1600), (480, 800, 1200, 1600), (480, 800, 1200))
FORMAT_SETS = {
    "webp q75 + jpeg q80 (about today's)": ["webp q75 m4", "jpeg q80"],
    "webp q80 + jpeg q80": ["webp q80 m4", "jpeg q80"],
    "avif q60 s10 + jpeg q80": ["avif q60 s10", "jpeg q80"],
    "avif q60 s10 + webp q80 + jpeg q80": ["avif q60 s10", "webp q80 m4", "jpeg q80"],
    "avif q60 s8 + webp q80 + jpeg q80": ["avif q60 s8", "webp q80 m4", "jpeg q80"],
    "avif q60 s6 + webp q80 + jpeg q80": ["avif q60 s6", "webp q80 m4", "jpeg q80"],
}
# Phones (CSS px wide, device pixel ratio). The main product photo's `sizes` on a phone
# is calc(100vw - 2rem); Chromium 156 picks the smallest candidate at least that many
# device pixels wide (checked with the sample's srcset, is_mobile, in Playwright).
PHONES = ((360, 2.0), (390, 2.0), (412, 2.625), (360, 3.0))


@dataclass
class Result:
    photo: str
    width: int
    height: int
    config: str
    bytes: int
    ms: float       # wall, median of the runs
    cpu_ms: float   # process CPU time (all threads), median of the runs
    ssim: float
    psnr: float


# -- metrics -------------------------------------------------------------------------------

def luma(image: Image.Image) -> np.ndarray:
    """BT.601 luma of an RGB image as float64, 0-255."""
    rgb = np.asarray(image.convert("RGB"), dtype=np.float64)
    return rgb @ np.array([0.299, 0.587, 0.114])


def _gaussian(size: int = 11, sigma: float = 1.5) -> np.ndarray:
    x = np.arange(size) - (size - 1) / 2
    g = np.exp(-(x * x) / (2 * sigma * sigma))
    return g / g.sum()


_WINDOW = _gaussian()


def _filter(a: np.ndarray) -> np.ndarray:
    """Separable Gaussian filter, "valid" region only (no padding)."""
    n = len(_WINDOW)
    h, w = a.shape
    rows = sum(_WINDOW[i] * a[i:h - n + 1 + i, :] for i in range(n))
    return sum(_WINDOW[i] * rows[:, i:w - n + 1 + i] for i in range(n))


def ssim(x: np.ndarray, y: np.ndarray) -> float:
    """Mean SSIM of two luma planes (Wang, Bovik, Sheikh & Simoncelli 2004)."""
    c1, c2 = (0.01 * 255) ** 2, (0.03 * 255) ** 2
    x, y = x - 128.0, y - 128.0  # variances are shift-free; smaller squares, less rounding
    mx, my = _filter(x), _filter(y)
    sxx = _filter(x * x) - mx * mx
    syy = _filter(y * y) - my * my
    sxy = _filter(x * y) - mx * my
    num = (2 * mx * my + c1) * (2 * sxy + c2)
    den = (mx * mx + my * my + c1) * (sxx + syy + c2)
    return float(np.mean(num / den))


def psnr(x: np.ndarray, y: np.ndarray) -> float:
    mse = float(np.mean((x - y) ** 2))
    return 99.0 if mse == 0 else 10 * np.log10(255.0 ** 2 / mse)


# -- the photos ----------------------------------------------------------------------------

def resized(path: Path, widths: tuple[int, ...], aspect: tuple[int, int] = ASPECT,
            ) -> tuple[dict[int, Image.Image], float]:
    """The photo's centred crop of shape ``aspect`` at each width, and the
    decode+resize milliseconds."""
    start = time.perf_counter()
    aw, ah = aspect
    big = max(widths)
    with Image.open(path) as im:
        sw, sh = im.size
        cw, ch = (sw, sw * ah // aw) if sw * ah <= sh * aw else (sh * aw // ah, sh)
        box = ((sw - cw) / 2, (sh - ch) / 2, (sw + cw) / 2, (sh + ch) / 2)
        need = (big, big * ah // aw)
        if need[0] > cw:
            raise ValueError(f"{path.name}: a {cw}px crop is narrower than {big}px")
        im.draft("RGB", (sw * need[0] // cw + 1, sh * need[1] // ch + 1))
        fx, fy = im.size[0] / sw, im.size[1] / sh
        box = (box[0] * fx, box[1] * fy, box[2] * fx, box[3] * fy)
        image = im.convert("RGB")
    out: dict[int, Image.Image] = {}
    for width in sorted(widths, reverse=True):
        size = (width, width * ah // aw)
        image = image.resize(size, Image.Resampling.LANCZOS, box=box, reducing_gap=3.0)
        box = (0, 0, *size)
        out[width] = image
    return out, (time.perf_counter() - start) * 1000


def encode(image: Image.Image, config: Config) -> tuple[bytes, float, float]:
    """The encoded bytes, wall ms and CPU ms (like showcase.images.encode: no metadata)."""
    image = image.copy()
    image.info = {}
    out = io.BytesIO()
    wall, cpu = time.perf_counter(), time.process_time()
    image.save(out, **config.save_options())
    return (out.getvalue(), (time.perf_counter() - wall) * 1000,
            (time.process_time() - cpu) * 1000)


def measure(path: Path, repeats: int) -> tuple[list[Result], float]:
    images, prep_ms = resized(path, WIDTHS)
    results = []
    for width, image in sorted(images.items()):
        reference = luma(image)
        for config in CONFIGS:
            runs = [encode(image, config) for _ in range(repeats if width == FOCUS else 1)]
            data = runs[0][0]
            with Image.open(io.BytesIO(data)) as decoded:
                got = luma(decoded)
            results.append(Result(
                path.name, width, image.height, config.label, len(data),
                statistics.median(r[1] for r in runs), statistics.median(r[2] for r in runs),
                ssim(reference, got), psnr(reference, got)))
    # Portrait (3:4) product photos: the picked configurations at the focus width only.
    upright = resized(path, (FOCUS,), aspect=ASPECT[::-1])[0][FOCUS]
    reference = luma(upright)
    for label in PICKS.values():
        data = encode(upright, next(c for c in CONFIGS if c.label == label))[0]
        with Image.open(io.BytesIO(data)) as decoded:
            got = luma(decoded)
        results.append(Result(path.name, FOCUS, upright.height, label, len(data), 0.0, 0.0,
                              ssim(reference, got), psnr(reference, got)))
    return results, prep_ms


# -- report --------------------------------------------------------------------------------

def landscape(results: list[Result]) -> list[Result]:
    return [r for r in results if r.height < r.width]


def portrait(results: list[Result]) -> list[Result]:
    return [r for r in results if r.height > r.width]


def _median(results: list[Result], config: str, width: int, attr: str) -> float:
    return statistics.median(getattr(r, attr) for r in results
                             if r.config == config and r.width == width)


def _min(results: list[Result], config: str, width: int, attr: str) -> float:
    return min(getattr(r, attr) for r in results if r.config == config and r.width == width)


def portrait_table(everything: list[Result]) -> str:
    """The picked configurations on 3:4 crops, against the same photos' 4:3 crops."""
    lines = [f"| configuration | KB @{FOCUS} 3:4 median (max) | vs 4:3 | SSIM median (worst) |",
             "|---|---:|---:|---:|"]
    results, flat = portrait(everything), landscape(everything)
    for c in PICKS.values():
        kb = _median(results, c, FOCUS, "bytes")
        top = max(r.bytes for r in results if r.config == c)
        lines.append(f"| {c} | {kb / 1000:.1f} ({top / 1000:.0f}) "
                     f"| {kb / _median(flat, c, FOCUS, 'bytes'):.2f}x "
                     f"| {_median(results, c, FOCUS, 'ssim'):.4f} "
                     f"({_min(results, c, FOCUS, 'ssim'):.4f}) |")
    return "\n".join(lines)


def table(results: list[Result]) -> str:
    kb = lambda c, w: f"{_median(results, c, w, 'bytes') / 1000:.1f}"  # noqa: E731
    lines = [
        f"| format, quality, effort | KB @{FOCUS} | ms @{FOCUS} | CPU ms @{FOCUS} "
        f"| SSIM @{FOCUS} (worst) | PSNR-Y dB @{FOCUS} | "
        + " | ".join(f"KB @{w}" for w in WIDTHS if w != FOCUS)
        + " | SSIM @480 / @960 | ms @1200 |",
        "|---|" + "---:|" * (5 + len(WIDTHS) - 1 + 2),
    ]
    for config in CONFIGS:
        c = config.label
        lines.append(
            f"| {c} | {kb(c, FOCUS)} | {_median(results, c, FOCUS, 'ms'):.0f} "
            f"| {_median(results, c, FOCUS, 'cpu_ms'):.0f} "
            f"| {_median(results, c, FOCUS, 'ssim'):.4f} ({_min(results, c, FOCUS, 'ssim'):.4f}) "
            f"| {_median(results, c, FOCUS, 'psnr'):.2f} | "
            + " | ".join(kb(c, w) for w in WIDTHS if w != FOCUS)
            + f" | {_median(results, c, 480, 'ssim'):.4f} / {_median(results, c, 960, 'ssim'):.4f}"
            f" | {_median(results, c, 1200, 'ms'):.0f} |")
    return "\n".join(lines)


def per_photo(results: list[Result], configs: list[str], widths: tuple[int, ...]) -> str:
    photos = list(dict.fromkeys(r.photo for r in results))
    head = "| photo | " + " | ".join(f"{c} @{w}: KB (SSIM)" for c in configs for w in widths) + " |"
    lines = [head, "|---|" + "---:|" * (len(configs) * len(widths))]
    for photo in photos:
        cells = []
        for c in configs:
            for w in widths:
                r = next(r for r in results if r.photo == photo and r.config == c and r.width == w)
                cells.append(f"{r.bytes / 1000:.1f} ({r.ssim:.3f})")
        lines.append(f"| {photo.split('_by_')[0]} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _bytes_at(results: list[Result], photo: str, family: str, target: float,
              width: int = FOCUS) -> float | None:
    """Bytes the family needs for SSIM ``target`` on one photo: log(bytes) interpolated
    linearly in SSIM between the measured qualities; None outside the measured range."""
    pts = sorted((r.ssim, r.bytes) for r in results
                 if r.photo == photo and r.width == width and r.config in FAMILIES[family])
    for (s0, b0), (s1, b1) in zip(pts, pts[1:]):
        if s0 <= target <= s1 and s1 > s0:
            t = (target - s0) / (s1 - s0)
            return float(np.exp(np.log(b0) + t * (np.log(b1) - np.log(b0))))
    return None


def equal_quality(results: list[Result], anchor: str = "jpeg q75") -> str:
    """Each family's bytes relative to WebP m4 at the same SSIM (each photo at the SSIM
    ``anchor`` reaches on it): the geometric mean over photos both families can reach."""
    photos = list(dict.fromkeys(r.photo for r in results))
    lines = ["| family | bytes vs WebP m4 at equal SSIM | photos compared |", "|---|---:|---:|"]
    for family in FAMILIES:
        ratios = []
        for photo in photos:
            target = next(r.ssim for r in results
                          if r.photo == photo and r.config == anchor and r.width == FOCUS)
            mine, webp = (_bytes_at(results, photo, f, target) for f in (family, "webp m4"))
            if mine and webp:
                ratios.append(mine / webp)
        geo = float(np.exp(np.mean(np.log(ratios)))) if ratios else float("nan")
        lines.append(f"| {family} | {geo:.2f} | {len(ratios)} |")
    return "\n".join(lines)


def build_cost(results: list[Result]) -> str:
    """Median CPU milliseconds to encode one photo's variants (not counting decoding)."""
    head = "| formats | " + " | ".join(str(ws) for ws in WIDTH_SETS) + " |"
    lines = [head, "|---|" + "---:|" * len(WIDTH_SETS)]
    for name, configs in FORMAT_SETS.items():
        cells = [f"{sum(_median(results, c, w, 'cpu_ms') for c in configs for w in ws):.0f}"
                 for ws in WIDTH_SETS]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def phone_downloads(results: list[Result]) -> str:
    """The main product photo a phone downloads: width picked, then median (max) KB."""
    lines = ["| phone | widths | picks | " + " | ".join(PICKS.values()) + " |",
             "|---|---|---:|" + "---:|" * len(PICKS)]
    for css, dpr in PHONES:
        need = (css - 32) * dpr
        for ws in WIDTH_SETS[:2]:
            pick = next((w for w in sorted(ws) if w >= need), max(ws))
            top = {c: max(r.bytes for r in results if r.config == c and r.width == pick)
                   for c in PICKS.values()}
            cells = [f"{_median(results, c, pick, 'bytes') / 1000:.1f} ({top[c] / 1000:.0f})"
                     for c in PICKS.values()]
            lines.append(f"| {css} px @{dpr:g} (needs {need:.0f}) | {ws} | {pick} | "
                         + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.formats", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--photos", type=int, default=len(PHOTOS),
                        help=f"how many photos (default all {len(PHOTOS)})")
    parser.add_argument("--repeats", type=int, default=3, help=f"timed runs at {FOCUS}px")
    parser.add_argument("--cache", type=Path,
                        default=Path(__file__).resolve().parent.parent / ".cache" / "bench")
    parser.add_argument("--json", type=Path, help="also write every measurement here")
    parser.add_argument("--load", type=Path,
                        help="report on measurements a --json run wrote, measuring nothing")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    prep: dict[str, float] = {}
    if args.load:
        results = [Result(**r) for r in json.loads(args.load.read_text())]
    else:
        results = []
        paths = source_photos(args.cache)[: args.photos]
        for i, path in enumerate(paths, 1):
            t = time.perf_counter()
            got, prep[path.name] = measure(path, args.repeats)
            results += got
            print(f"[{i}/{len(paths)}] {path.name}: {time.perf_counter() - t:.0f} s",
                  file=sys.stderr, flush=True)
        if args.json:
            args.json.write_text(json.dumps([asdict(r) for r in results], indent=1))
    report(results, args.repeats, prep)
    if not args.load:
        print(f"\nTotal run time: {time.perf_counter() - started:.0f} s "
              f"for {len(results)} encodes.")
    return 0


def report(everything: list[Result], repeats: int, prep: dict[str, float]) -> None:
    results = landscape(everything)
    photos = len({r.photo for r in results})
    print(f"## Medians across {photos} photos (centred 4:3 crops; "
          f"{FOCUS}px = {FOCUS}x{FOCUS * 3 // 4})\n")
    print(table(results))
    print("\nKB = 1000 bytes. ms: wall time of one encode, median of "
          f"{repeats} runs at {FOCUS}px and one run at 1200px; CPU ms counts every "
          "encoder thread. (worst) = the lowest SSIM of any photo.\n")
    print("## Per photo\n")
    print(per_photo(results, list(PICKS.values()) + ["avif q50 s8"], (800, 1200)))
    print("\n## Bytes at equal SSIM (each photo at the SSIM of its jpeg q75), "
          f"{FOCUS}px\n")
    print(equal_quality(results))
    print("\n## Encode CPU ms per photo for a set of widths (median photo)\n")
    print(build_cost(results))
    print("\n## The phone's main product photo: median KB (largest photo)\n")
    print(phone_downloads(results))
    print(f"\n## Portrait (3:4) crops, {FOCUS}x{FOCUS * 4 // 3}\n")
    print(portrait_table(everything))
    if prep:
        print("\n## Decode (draft) + Lanczos resize to every width, ms\n")
        print(" | ".join(f"{name.split('_by_')[0]} {ms:.0f}" for name, ms in prep.items()))


if __name__ == "__main__":
    sys.exit(main())
