"""Photos to web images: upright, sRGB, resized to a few widths, stripped of metadata.

A variant's file name is a pure function of the source bytes, its parameters and
`PIPELINE_VERSION`, so the renderer can name images before any is encoded, identical
photos are encoded once, and a warm build finds everything in the cache.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageCms, ImageOps

from .model import ImageSettings, Photo

# Bump when encoding changes in a way that changes output bytes.
PIPELINE_VERSION = "1"

MIME = {"avif": "image/avif", "webp": "image/webp", "jpeg": "image/jpeg"}
SUFFIX = {"avif": "avif", "webp": "webp", "jpeg": "jpg"}


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


def plan(photo: Photo, settings: ImageSettings) -> tuple[Variant, ...]:
    """Every variant of a photo, named without doing any work."""
    variants = []
    for width in widths_for(photo, settings):
        height = max(1, round(photo.height * width / photo.width))
        for fmt in settings.formats:
            key = hashlib.sha256(
                f"{photo.digest}|{width}|{fmt}|{settings.quality}|{PIPELINE_VERSION}".encode()
            ).hexdigest()[:16]
            url = f"media/{_stem(photo)}-{width}.{key}.{SUFFIX[fmt]}"
            variants.append(Variant(str(photo.src_path), photo.digest, width, height, fmt,
                                    settings.quality, url))
    return tuple(variants)


def _to_srgb(image: Image.Image) -> Image.Image:
    """Convert from an embedded colour profile (Display P3, Adobe RGB, CMYK) to sRGB."""
    icc = image.info.get("icc_profile")
    if image.mode == "CMYK" and not icc:
        return image.convert("RGB")
    if not icc:
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        target = ImageCms.createProfile("sRGB")
        mode = "RGBA" if "A" in image.getbands() else "RGB"
        return ImageCms.profileToProfile(image, source, target, outputMode=mode)
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image.convert("RGBA" if "A" in image.getbands() else "RGB")


def _normalise(image: Image.Image) -> Image.Image:
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        image = image.point(lambda v: v / 256).convert("L")
    if image.mode == "P":
        image = image.convert("RGBA" if "transparency" in image.info else "RGB")
    if image.mode in ("LA", "PA"):
        image = image.convert("RGBA")
    image = _to_srgb(image)
    if image.mode not in ("RGB", "RGBA", "L"):
        image = image.convert("RGB")
    return image


def _encode(image: Image.Image, fmt: str, quality: int) -> bytes:
    """Encode with nothing but pixels: no EXIF, XMP, ICC or comments reach the output."""
    if fmt == "jpeg" and image.mode == "RGBA":
        flat = Image.new("RGB", image.size, (255, 255, 255))
        flat.paste(image, mask=image.getchannel("A"))
        image = flat
    image.info = {}
    out = io.BytesIO()
    if fmt == "jpeg":
        image.save(out, "JPEG", quality=quality, optimize=True, progressive=True)
    elif fmt == "webp":
        image.save(out, "WEBP", quality=quality, method=4)
    else:
        image.save(out, "AVIF", quality=quality)
    return out.getvalue()


def make(variants: tuple[Variant, ...], cache_dir: str) -> list[str]:
    """Worker: decode one photo once and write all its missing variants into the cache.

    Runs in a pool process on plain data. Larger widths are made first and each smaller
    one is resized from the previous, which is faster than resizing the original again.
    """
    largest = max(v.width for v in variants)
    with Image.open(variants[0].src_path) as source:
        source.draft("RGB", (largest, largest))  # JPEG: decode at a reduced size
        image = _normalise(ImageOps.exif_transpose(source))
        image.load()
    written = []
    for width in sorted({v.width for v in variants}, reverse=True):
        height = next(v.height for v in variants if v.width == width)
        if image.size != (width, height):
            image = image.resize((width, height), Image.Resampling.LANCZOS)
        for variant in (v for v in variants if v.width == width):
            data = _encode(image.copy(), variant.format, variant.quality)
            target = Path(cache_dir) / variant.name
            temp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
            temp.write_bytes(data)
            os.replace(temp, target)
            written.append(variant.name)
    return written


@dataclass(frozen=True)
class Failure:
    src_path: str
    message: str


@dataclass(frozen=True)
class ImageReport:
    made: int
    reused: int
    failures: tuple[Failure, ...]


def ensure(variants: list[Variant], cache_dir: Path, workers: int) -> ImageReport:
    """Make every variant not already in the cache, one job per source photo."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    missing: dict[str, list[Variant]] = {}
    reused = 0
    for variant in dict.fromkeys(variants):
        if (cache_dir / variant.name).is_file():
            reused += 1
        else:
            missing.setdefault(variant.digest, []).append(variant)
    jobs = sorted(missing.values(), key=lambda vs: vs[0].src_path)
    failures = []
    made = 0
    if not jobs:
        return ImageReport(0, reused, ())
    workers = max(1, min(workers, len(jobs)))
    if workers == 1:
        results = [_run(tuple(job), str(cache_dir)) for job in jobs]
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            results = list(pool.map(_run, [tuple(j) for j in jobs], [str(cache_dir)] * len(jobs)))
    for job, result in zip(jobs, results):
        if isinstance(result, Failure):
            failures.append(result)
        else:
            made += len(result)
    return ImageReport(made, reused, tuple(failures))


def _run(variants: tuple[Variant, ...], cache_dir: str) -> list[str] | Failure:
    try:
        return make(variants, cache_dir)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        return Failure(variants[0].src_path, f"could not be converted ({exc}); "
                                             "re-export it as JPEG or PNG")
