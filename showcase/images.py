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
import multiprocessing
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
PIPELINE_VERSION = "4"

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
        """The cache's file name: the key alone, so one photo saved under two file
        names is encoded once; the published URL adds the readable stem."""
        return self.url.rsplit("/", 1)[-1].split(".", 1)[1]


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


def _orientation(image: Image.Image) -> int:
    """The EXIF orientation, 1 when it is missing or not a number (damaged EXIF)."""
    value = image.getexif().get(0x0112, 1)
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def _jpeg_scale(stored: tuple[int, int], upright_need: tuple[int, int], turned: bool) -> int:
    """The largest JPEG DCT reduction (1, 2, 4 or 8) that still covers the variant."""
    need = upright_need[::-1] if turned else upright_need
    for scale in (8, 4, 2):
        if -(-stored[0] // scale) >= need[0] and -(-stored[1] // scale) >= need[1]:
            return scale
    return 1


def make(variants: tuple[Variant, ...], cache_dir: str) -> dict[str, int]:
    """Worker: write the given variants of one photo into the cache.

    Runs in a pool process on plain data. Each variant is resized from a decode that
    depends on that variant alone, so its bytes are a pure function of its name: a
    variant remade after cache damage is identical to one made in a cold build. JPEG
    sources are decoded at the smallest DCT scale that still covers the variant
    (draft mode), so a 480 px variant decodes an eighth of a 12 MP photo, and each
    scale is decoded once per job. Returns the size of each file written.
    """
    register_heif()
    path = variants[0].src_path
    with Image.open(path) as probe:
        is_jpeg, stored, turned = probe.format == "JPEG", probe.size, _orientation(probe) >= 5
    decoded: dict[int, Image.Image] = {}

    def scale_of(variant: Variant) -> int:
        return _jpeg_scale(stored, (variant.width, variant.height), turned) if is_jpeg else 1

    def source_for_cached(variant: Variant) -> Image.Image | None:
        return decoded.get(scale_of(variant))

    def source_for(variant: Variant) -> Image.Image:
        scale = scale_of(variant)
        if scale not in decoded:
            with Image.open(path) as source:
                source.seek(0)  # animated: the first frame
                if scale > 1:
                    source.draft("RGB", (-(-stored[0] // scale), -(-stored[1] // scale)))
                decoded[scale] = normalise(source)
                decoded[scale].load()
        return decoded[scale]

    resized: dict[tuple, Image.Image] = {}  # one resize serves every format of a size

    def picture_for(variant: Variant) -> Image.Image:
        image = source_for(variant)
        size = (variant.width, variant.height)
        key = (scale_of(variant), size, variant.crop)
        if key not in resized:
            if variant.crop:
                resized[key] = ImageOps.fit(image, size, Image.Resampling.LANCZOS)
            elif image.size != size:
                resized[key] = image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
            else:
                resized[key] = image
        return resized[key]

    written: dict[str, int] = {}
    # Link previews first, then widths from largest to smallest: decodes and resizes
    # are dropped as soon as no later variant needs them, so memory stays at about one
    # decoded photo per worker.
    ordered = sorted(variants, key=lambda v: (not v.crop, -v.width, v.format))
    for index, variant in enumerate(ordered):
        data = encode(picture_for(variant), variant.format, variant.quality)
        later = ordered[index + 1:]
        still_needed = {id(source_for_cached(v)) for v in later}
        for scale in [k for k, image in decoded.items() if id(image) not in still_needed]:
            del decoded[scale]
        sizes_left = {(scale_of(v), (v.width, v.height), v.crop) for v in later}
        for key in [k for k in resized if k not in sizes_left]:
            del resized[key]
        target = Path(cache_dir) / variant.name
        temp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        temp.write_bytes(data)
        os.replace(temp, target)
        written[variant.name] = len(data)
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


# A cache file no build has used for this many builds is deleted: long enough to
# survive toggling --drafts or switching branches, short enough to stay one site's size.
KEEP_UNUSED_BUILDS = 5

MAX_PHOTOS_PER_WORKER = 32


class Manifest:
    """Size and mtime of each cache file as written, and the last build that used it.

    A file whose size or mtime differs was touched after it was made (a full disk, a
    killed copy, an editor) and is made again instead of being published. Hashing every
    file instead would cost more than a whole warm build.
    """

    def __init__(self, cache_dir: Path):
        self.cache_dir = cache_dir
        self.path = cache_dir / "manifest.json"
        try:
            stored = json.loads(self.path.read_text("utf-8"))
            self.build, self.stamps = stored["build"] + 1, stored["files"]
        except (OSError, ValueError, KeyError, TypeError):
            self.build, self.stamps = 1, {}

    def intact(self, name: str) -> bool:
        try:
            stat = (self.cache_dir / name).stat()
        except OSError:
            return False
        stamp = self.stamps.get(name)
        return stamp is not None and stamp[:2] == [stat.st_size, stat.st_mtime_ns]

    def record(self, names) -> None:
        for name in names:
            stat = (self.cache_dir / name).stat()
            self.stamps[name] = [stat.st_size, stat.st_mtime_ns, self.build]

    def use(self, name: str) -> None:
        self.stamps[name][2:] = [self.build]

    def save(self) -> None:
        """Write the manifest atomically; called during long runs too, so that a killed
        cold build keeps what it finished."""
        temp = self.path.with_name(f".manifest.{os.getpid()}.tmp")
        temp.write_text(json.dumps({"build": self.build, "files": self.stamps}), "utf-8")
        os.replace(temp, self.path)

    def prune(self) -> None:
        """Delete files unused for KEEP_UNUSED_BUILDS builds, and strays never recorded."""
        for name, stamp in list(self.stamps.items()):
            if self.build - stamp[2] >= KEEP_UNUSED_BUILDS:
                (self.cache_dir / name).unlink(missing_ok=True)
                del self.stamps[name]
        for file in self.cache_dir.iterdir():
            if file.is_file() and file.name != self.path.name and file.name not in self.stamps:
                file.unlink(missing_ok=True)


def ensure(variants: list[Variant], cache_dir: Path, workers: int,
           progress: Callable[[int, int], None] | None = None) -> ImageReport:
    """Make every variant not already (intact) in the cache, one job per source photo."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    manifest = Manifest(cache_dir)
    missing: dict[str, dict[str, Variant]] = {}
    reused = 0
    for variant in dict.fromkeys(variants):
        if manifest.intact(variant.name):
            manifest.use(variant.name)
            reused += 1
        else:  # keyed by content: a photo saved under two names is made once
            missing.setdefault(variant.digest, {}).setdefault(variant.name, variant)
    jobs = [tuple(missing[digest].values()) for digest in sorted(missing)]
    failures: list[Failure] = []
    made = 0
    try:
        for done, result in enumerate(_run_all(jobs, str(cache_dir), max(1, min(workers, len(jobs) or 1))), 1):
            if isinstance(result, Failure):
                failures.append(result)
            else:
                manifest.record(result)
                made += len(result)
            if done % 16 == 0:
                manifest.save()
            if progress:
                progress(done, len(jobs))
    finally:
        manifest.save()
    manifest.prune()
    manifest.save()
    return ImageReport(made, reused, tuple(failures))


def _run_all(jobs: list[tuple[Variant, ...]], cache_dir: str, workers: int):
    """Results in job order, as they finish; in this process when one worker will do."""
    if workers == 1:
        yield from (_run(job, cache_dir) for job in jobs)
        return
    # Fresh workers from a small server process, each replaced after a number of photos:
    # they do not inherit the main process's memory, and what an encoder leaves
    # fragmented does not pile up over hundreds of photos.
    context = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context,
                             max_tasks_per_child=MAX_PHOTOS_PER_WORKER) as pool:
        yield from pool.map(_run, jobs, [cache_dir] * len(jobs))


def _run(variants: tuple[Variant, ...], cache_dir: str) -> dict[str, int] | Failure:
    try:
        return make(variants, cache_dir)
    except (OSError, ValueError, TypeError, SyntaxError, Image.DecompressionBombError) as exc:
        return Failure(variants[0].src_path, f"could not be converted ({exc}); "
                                             "re-export it as JPEG or PNG")
