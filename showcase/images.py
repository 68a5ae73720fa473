"""Photos to web images: upright, sRGB, resized to a few widths, stripped of metadata.

A variant's file name is a pure function of the source bytes, its parameters and
`PIPELINE_VERSION`, so the renderer can name images before any is encoded, identical
photos are encoded once, a changed setting re-encodes only what it affects, and a warm
build finds everything in the cache.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from PIL import Image, ImageCms, ImageOps

from .model import ImageSettings, Photo
from .photos import register_heif

# Bump when encoding changes in a way that changes output bytes.
PIPELINE_VERSION = "3"

MIME = {"avif": "image/avif", "webp": "image/webp", "jpeg": "image/jpeg"}
SUFFIX = {"avif": "avif", "webp": "webp", "jpeg": "jpg"}

# Link previews (WhatsApp, Facebook, X) want 1.91:1 at 1200x630; JPEG is read by all.
OG_SIZE = (1200, 630)
OG_QUALITY = 80


def save_options(fmt: str, quality: int) -> dict:
    """Pillow's save arguments for a format: the one place encoder settings live."""
    if fmt == "jpeg":
        return {"format": "JPEG", "quality": quality, "optimize": True, "progressive": True}
    if fmt == "webp":
        return {"format": "WEBP", "quality": quality, "method": 4}
    # Speed 10 is slightly smaller than WebP at equal SSIM and cheaper to encode; speed 6
    # saves another 20% of bytes for 9 times the time (bench/FORMATS.md).
    # One thread: the pool already uses every core, and threads only contend.
    return {"format": "AVIF", "quality": quality, "speed": 10, "max_threads": 1}


@dataclass(frozen=True)
class Variant:
    """One output image: which source, how big, which format, and its published URL."""

    src_path: str
    digest: str
    width: int
    height: int
    format: str
    quality: int
    url: str
    crop: bool = False  # cover-fit to exactly width x height (link previews)

    @property
    def name(self) -> str:
        return self.url.rsplit("/", 1)[-1]


def widths_for(photo: Photo, settings: ImageSettings) -> tuple[int, ...]:
    """The configured widths that fit the photo, and the photo's own width to cap them.

    Never upscaled: a 700 px photo gets 480 and 700, not 960 and 1600.
    """
    fitting = [w for w in settings.widths if w < photo.width]
    if len(fitting) < len(settings.widths):
        fitting.append(photo.width)
    return tuple(fitting)


def _stem(photo: Photo) -> str:
    stem = re.sub(r"[^a-z0-9]+", "-", Path(photo.src_path).stem.lower()).strip("-")
    return stem[:40] or "photo"


def _variant(photo: Photo, width: int, height: int, fmt: str, quality: int, label: str,
             crop: bool = False) -> Variant:
    key = hashlib.sha256(
        f"{photo.digest}|{width}x{height}|{crop}|{fmt}|{quality}|{PIPELINE_VERSION}".encode()
    ).hexdigest()[:16]
    return Variant(str(photo.src_path), photo.digest, width, height, fmt, quality,
                   f"media/{_stem(photo)}-{label}.{key}.{SUFFIX[fmt]}", crop)


def plan(photo: Photo, settings: ImageSettings) -> tuple[Variant, ...]:
    """Every responsive variant of a photo, named without doing any work."""
    return tuple(
        _variant(photo, width, max(1, round(photo.height * width / photo.width)), fmt,
                 settings.quality_of(fmt), str(width))
        for width in widths_for(photo, settings) for fmt in settings.formats)


def plan_preview(photo: Photo) -> Variant:
    """The link-preview image (og:image) of a photo."""
    return _variant(photo, *OG_SIZE, "jpeg", OG_QUALITY, "og", crop=True)


# -- the worker ----------------------------------------------------------------------------

def _to_srgb(image: Image.Image) -> Image.Image:
    """Convert from an embedded colour profile (Display P3, Adobe RGB, CMYK) to sRGB."""
    icc = image.info.get("icc_profile")
    alpha = "A" in image.getbands()
    if not icc:
        return image if image.mode in ("RGB", "RGBA", "L") else image.convert("RGBA" if alpha else "RGB")
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        mode = "RGBA" if alpha else "RGB"
        return ImageCms.profileToProfile(image, source, ImageCms.createProfile("sRGB"),
                                         outputMode=mode)
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image.convert("RGBA" if alpha else "RGB")


def normalise(image: Image.Image) -> Image.Image:
    """Any photo Pillow opens, as 8-bit sRGB RGB/RGBA/L pixels, upright."""
    image = ImageOps.exif_transpose(image)
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        image = image.point(lambda v: v / 256).convert("L")
    elif image.mode == "P":
        image = image.convert("RGBA" if "transparency" in image.info else "RGB")
    elif image.mode in ("LA", "PA", "La"):
        image = image.convert("RGBA")
    elif image.mode == "RGBa":
        image = image.convert("RGBA")
    image = _to_srgb(image)
    if image.mode == "RGBA" and image.getextrema()[3][0] == 255:
        image = image.convert("RGB")  # an alpha channel with nothing transparent
    return image


def encode(image: Image.Image, fmt: str, quality: int) -> bytes:
    """Encode with nothing but pixels: no EXIF, XMP, ICC or comments reach the output."""
    if fmt == "jpeg" and image.mode == "RGBA":
        flat = Image.new("RGB", image.size, (255, 255, 255))
        flat.paste(image, mask=image.getchannel("A"))
        image = flat
    image = image.copy()
    image.info = {}
    out = io.BytesIO()
    image.save(out, **save_options(fmt, quality))
    return out.getvalue()


def make(variants: tuple[Variant, ...], cache_dir: str) -> dict[str, int]:
    """Worker: decode one photo once and write all its missing variants into the cache.

    Runs in a pool process on plain data. The JPEG decoder is asked for the smallest
    scale that still covers the largest variant (draft mode), larger widths are made
    first and each smaller one is resized from the previous, which is much faster than
    resizing the 12 MP original each time. Returns the size of each file written.
    """
    register_heif()
    need_w = max(v.width for v in variants)
    need_h = max(v.height for v in variants)
    with Image.open(variants[0].src_path) as source:
        source.seek(0)  # animated: the first frame
        upright = source.size if source.getexif().get(0x0112, 1) < 5 else source.size[::-1]
        scale = max(need_w / upright[0], need_h / upright[1])
        if source.format == "JPEG" and scale < 1:
            box = (source.size[0] * scale, source.size[1] * scale)
            source.draft("RGB", (int(box[0]) + 1, int(box[1]) + 1))
        image = normalise(source)
        image.load()
    written: dict[str, int] = {}
    target_dir = Path(cache_dir)

    def store(variant: Variant, picture: Image.Image) -> None:
        data = encode(picture, variant.format, variant.quality)
        target = target_dir / variant.name
        temp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        temp.write_bytes(data)
        os.replace(temp, target)
        written[variant.name] = len(data)

    for variant in (v for v in variants if v.crop):
        store(variant, ImageOps.fit(image, (variant.width, variant.height),
                                    Image.Resampling.LANCZOS))
    resized = image
    for width in sorted({v.width for v in variants if not v.crop}, reverse=True):
        same = [v for v in variants if v.width == width and not v.crop]
        if resized.size != (width, same[0].height):
            resized = resized.resize((width, same[0].height), Image.Resampling.LANCZOS,
                                     reducing_gap=3.0)
        for variant in same:
            store(variant, resized)
    return written


# -- the cache -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Failure:
    src_path: str
    message: str


@dataclass(frozen=True)
class ImageReport:
    made: int
    reused: int
    failures: tuple[Failure, ...]


class Manifest:
    """Sizes of the cache's files as written: a file whose size differs was damaged
    (a full disk, a killed copy) and is made again instead of being published."""

    def __init__(self, cache_dir: Path):
        self.path = cache_dir / "manifest.json"
        try:
            self.sizes: dict[str, int] = json.loads(self.path.read_text("utf-8"))
        except (OSError, ValueError):
            self.sizes = {}

    def intact(self, file: Path) -> bool:
        try:
            return file.stat().st_size == self.sizes.get(file.name, -1)
        except OSError:
            return False

    def save(self, keep: set[str]) -> None:
        kept = {name: size for name, size in sorted(self.sizes.items()) if name in keep}
        temp = self.path.with_name(f".manifest.{os.getpid()}.tmp")
        temp.write_text(json.dumps(kept), "utf-8")
        os.replace(temp, self.path)


def ensure(variants: list[Variant], cache_dir: Path, workers: int,
           progress: Callable[[int, int], None] | None = None) -> ImageReport:
    """Make every variant not already (intact) in the cache, one job per source photo.

    Files the cache holds that this build does not use are deleted, so the cache holds
    one site's images and no more.
    """
    cache_dir.mkdir(parents=True, exist_ok=True)
    manifest = Manifest(cache_dir)
    wanted = list(dict.fromkeys(variants))
    missing: dict[str, list[Variant]] = {}
    reused = 0
    for variant in wanted:
        if manifest.intact(cache_dir / variant.name):
            reused += 1
        else:
            missing.setdefault(variant.src_path, []).append(variant)
    jobs = [tuple(missing[src]) for src in sorted(missing)]
    failures: list[Failure] = []
    made = 0
    if jobs:
        results = _run_all(jobs, str(cache_dir), max(1, min(workers, len(jobs))), progress)
        for result in results:
            if isinstance(result, Failure):
                failures.append(result)
            else:
                manifest.sizes.update(result)
                made += len(result)
    names = {v.name for v in wanted}
    manifest.save(names)
    _prune(cache_dir, names)
    return ImageReport(made, reused, tuple(failures))


def _run_all(jobs, cache_dir: str, workers: int, progress) -> list:
    if workers == 1:
        results = []
        for done, job in enumerate(jobs, 1):
            results.append(_run(job, cache_dir))
            if progress:
                progress(done, len(jobs))
        return results
    with ProcessPoolExecutor(max_workers=workers) as pool:
        results = []
        for done, result in enumerate(pool.map(_run, jobs, [cache_dir] * len(jobs)), 1):
            results.append(result)
            if progress:
                progress(done, len(jobs))
        return results


def _prune(cache_dir: Path, keep: set[str]) -> None:
    for file in cache_dir.iterdir():
        if file.is_file() and file.name != "manifest.json" and file.name not in keep:
            file.unlink(missing_ok=True)


def _run(variants: tuple[Variant, ...], cache_dir: str) -> dict[str, int] | Failure:
    try:
        return make(variants, cache_dir)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        return Failure(variants[0].src_path, f"could not be converted ({exc}); "
                                             "re-export it as JPEG or PNG")
