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
import re
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from showcase.files import stored_name, write_atomic
from showcase.model import ImageSettings, Photo
from showcase.load.photos import register_heif
from showcase.messages import N_

# Bump when encoding changes in a way that changes output bytes.
PIPELINE_VERSION = "6"

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
    # One thread: the pool already runs an encoder per core; two took the same time and
    # 2-3 MB more each.
    options = {"format": "AVIF", "quality": quality, "speed": 10, "max_threads": 1}
    if _aom_encodes():
        # libaom's temporal model is unused for one intra frame (the bytes are identical)
        # but allocates 5 MB per 1600 px encode, in every worker's peak.
        options["advanced"] = {"enable-tpl-model": "0"}
    return options


def _aom_encodes() -> bool:
    """Whether Pillow's libavif has libaom (the codec of Pillow's wheels, which libavif
    prefers); another codec would refuse libaom's options."""
    try:
        from PIL import _avif
    except ImportError:
        return False
    return bool(_avif.encoder_codec_available("aom"))


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
    # The larger sizes this variant is resized through, largest first: each width is
    # made from the one above it, as the floor does. Part of the name, so a variant
    # remade alone is identical to one made with its whole chain.
    steps: tuple[tuple[int, int], ...] = ()

    @property
    def name(self) -> str:
        """The cache's file name: the key alone, so one photo saved under two file
        names is encoded once; the published URL adds the readable stem."""
        return self.url.rsplit("/", 1)[-1].split(".", 1)[1]


# A photo's planned variants (`plan` with the site's settings), as a page asks for them.
Plan = Callable[[Photo], tuple[Variant, ...]]


def widths_for(photo: Photo, settings: ImageSettings) -> tuple[int, ...]:
    """The configured widths that fit the photo, and the photo's own width to cap them.

    Never upscaled: a 700 px photo gets 480 and 700, not 960 and 1600.
    """
    fitting = [w for w in settings.widths if w < photo.width]
    if len(fitting) < len(settings.widths):
        fitting.append(photo.width)
    return tuple(fitting)


def _stem(photo: Photo) -> str:
    """The readable part of a variant's URL, from the photo's file name in NFC (as git
    stores names): the same name saved decomposed, as macOS may, gives the same URL."""
    name = stored_name(Path(photo.src_path).stem)
    stem = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return stem[:40] or "photo"


def _variant(photo: Photo, stem: str, width: int, height: int, fmt: str, quality: int,
             label: str, crop: bool = False, steps: tuple[tuple[int, int], ...] = ()) -> Variant:
    chain = ">".join(f"{w}x{h}" for w, h in steps)
    key = hashlib.sha256(
        f"{photo.digest}|{width}x{height}|{crop}|{fmt}|{quality}|{chain}|{PIPELINE_VERSION}".encode()
    ).hexdigest()[:16]
    return Variant(str(photo.src_path), photo.digest, width, height, fmt, quality,
                   f"media/{stem}-{label}.{key}.{SUFFIX[fmt]}", crop, steps)


def plan(photo: Photo, settings: ImageSettings) -> tuple[Variant, ...]:
    """Every responsive variant of a photo, named without doing any work."""
    stem = _stem(photo)
    sizes = [(width, max(1, round(photo.height * width / photo.width)))
             for width in sorted(widths_for(photo, settings), reverse=True)]
    return tuple(
        _variant(photo, stem, width, height, fmt, settings.quality_of(fmt), str(width),
                 steps=tuple(sizes[:index]))
        for index, (width, height) in reversed(list(enumerate(sizes)))
        for fmt in settings.formats)


def plan_preview(photo: Photo) -> Variant:
    """The link-preview image (og:image) of a photo."""
    return _variant(photo, _stem(photo), *OG_SIZE, "jpeg", OG_QUALITY, "og", crop=True)


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
        image.load()  # an uncompressed file may be memory-mapped read-only: not in place
        if image.mode == mode and not image.readonly:  # no second full-size copy
            ImageCms.profileToProfile(image, source, ImageCms.createProfile("sRGB"),
                                      outputMode=mode, inPlace=True)
            return image
        return ImageCms.profileToProfile(image, source, ImageCms.createProfile("sRGB"),
                                         outputMode=mode)
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image.convert("RGBA" if alpha else "RGB")


def pixels(image: Image.Image) -> Image.Image:
    """8-bit sRGB RGB/RGBA/L pixels, still as stored (not yet turned upright)."""
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


# What turns a stored image upright, per EXIF orientation (as ImageOps.exif_transpose).
_UPRIGHT = {2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180,
            4: Image.Transpose.FLIP_TOP_BOTTOM, 5: Image.Transpose.TRANSPOSE,
            6: Image.Transpose.ROTATE_270, 7: Image.Transpose.TRANSVERSE,
            8: Image.Transpose.ROTATE_90}


def upright(image: Image.Image, orientation: int) -> Image.Image:
    method = _UPRIGHT.get(orientation)
    return image.transpose(method) if method is not None else image


def encode(image: Image.Image, fmt: str, quality: int) -> bytes:
    """Encode with nothing but pixels: no EXIF, XMP, ICC or comments reach the output."""
    if fmt == "jpeg" and image.mode == "RGBA":
        flat = Image.new("RGB", image.size, (255, 255, 255))
        flat.paste(image, mask=image.getchannel("A"))
        image = flat
    out = io.BytesIO()
    kept, image.info = image.info, {}  # bare pixels, without copying them
    try:
        image.save(out, **save_options(fmt, quality))
    finally:
        image.info = kept
    return out.getvalue()


def _orientation(image: Image.Image) -> int:
    """The EXIF orientation, 1 when it is missing or not a number (damaged EXIF)."""
    value = image.getexif().get(0x0112, 1)
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def _jpeg_scale(stored: tuple[int, int], need: tuple[int, int]) -> int:
    """The largest JPEG DCT reduction (1, 2, 4 or 8) that still covers `need` (as stored)."""
    for scale in (8, 4, 2):
        if -(-stored[0] // scale) >= need[0] and -(-stored[1] // scale) >= need[1]:
            return scale
    return 1


def _open(path: str) -> Image.Image:
    """Open a photo; pillow-heif (several MB in every worker) is loaded only for a file
    Pillow cannot open without it."""
    try:
        return Image.open(path)
    except UnidentifiedImageError:
        register_heif()
        return Image.open(path)


def make(variants: tuple[Variant, ...], cache_dir: str) -> dict[str, int]:
    """Worker: write the given variants of one photo into the cache.

    Runs in a pool process on plain data. A JPEG is decoded once, at the smallest DCT
    scale that covers the largest variant (draft mode, in stored orientation); each
    smaller width is resized from the one above it (`Variant.steps`). Pixels are turned
    upright once, right after the first resize, and only the upright image is kept: no
    full-size copy, and no second copy beside the stored one while an encoder runs
    (libaom's AVIF encoder alone needs about 20 bytes a pixel). A variant's bytes depend
    only on its name, so one remade alone after cache damage is identical to one made in
    a cold build. Returns the size of each file written.
    """
    path = variants[0].src_path
    with _open(path) as probe:
        is_jpeg, stored, orientation = probe.format == "JPEG", probe.size, _orientation(probe)
    turned = orientation >= 5

    def keys(variant: Variant) -> list[tuple]:
        """Cache keys from the decode to the variant's pixels, each made from the one before."""
        sizes = (*variant.steps, (variant.width, variant.height))  # upright
        scale = _jpeg_scale(stored, sizes[0][::-1] if turned else sizes[0]) if is_jpeg else 1
        last = len(sizes) - 1
        return [(scale,)] + [(scale, variant.crop and i == last, sizes[:i + 1]) for i in range(len(sizes))]

    made: dict[tuple, Image.Image] = {}  # decodes and resizes, shared by formats and widths

    def decode(scale: int) -> Image.Image:
        with _open(path) as source:
            source.seek(0)  # animated: the first frame
            if scale > 1:
                source.draft("RGB", (-(-stored[0] // scale), -(-stored[1] // scale)))
            image = pixels(source)
            image.load()
            return image

    def resize(previous: Image.Image, size: tuple[int, int], crop: bool) -> Image.Image:
        if crop:
            return ImageOps.fit(previous, size, Image.Resampling.LANCZOS)
        if previous.size != size:
            return previous.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
        return previous

    def picture_for(variant: Variant) -> Image.Image:
        chain = keys(variant)
        start = max((i for i, key in enumerate(chain) if key in made), default=-1)
        for i in range(start + 1, len(chain)):
            key = chain[i]
            if i == 0:
                made[key] = decode(key[0])
            elif i == 1:  # from the decode, still as stored: resize, then turn upright
                size = key[2][-1][::-1] if turned else key[2][-1]
                made[key] = upright(resize(made[chain[0]], size, key[1]), orientation)
            else:
                made[key] = resize(made[chain[i - 1]], key[2][-1], key[1])
        return made[chain[-1]]

    written: dict[str, int] = {}
    # Link previews first, then widths from largest to smallest. Before each encode,
    # only the nearest image each later variant starts from is kept, so memory stays at
    # about one decoded photo per worker, and the encoder runs beside one resized one.
    ordered = sorted(variants, key=lambda v: (not v.crop, -v.width, v.format))
    for index, variant in enumerate(ordered):
        picture = picture_for(variant)
        keep = {keys(variant)[-1]}
        for later in ordered[index + 1:]:
            present = [key for key in keys(later) if key in made]
            if present:
                keep.add(present[-1])
        for key in [key for key in made if key not in keep]:
            del made[key]
        data = encode(picture, variant.format, variant.quality)
        del picture
        write_atomic(Path(cache_dir) / variant.name, data, durable=False)  # see Manifest
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

class Manifest:
    """Size and mtime of each cache file as written, and the last build that used it.

    A file whose size or mtime differs was touched after it was made (a full disk, a
    killed copy, an editor, a crash before the disk had its bytes: variants are written
    without an fsync, the manifest with one) and is made again instead of being
    published. Hashing every file instead would cost more than a whole warm build.
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
        write_atomic(self.path, json.dumps({"build": self.build, "files": self.stamps}),
                     durable=False)  # a damaged manifest: the variants are checked again

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
    # Fresh interpreters: workers do not inherit (and, in RSS, count again) the main
    # process's memory. Not recycled with max_tasks_per_child: on Python 3.11-3.13 a
    # pool that replaces a worker can deadlock (CPython gh-115634).
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        yield from pool.map(_run, jobs, [cache_dir] * len(jobs))


def _run(variants: tuple[Variant, ...], cache_dir: str) -> dict[str, int] | Failure:
    try:
        return make(variants, cache_dir)
    except (OSError, ValueError, TypeError, SyntaxError, Image.DecompressionBombError) as exc:
        return Failure(variants[0].src_path, N_("could not be converted ({reason}); "
                                                "re-export it as JPEG or PNG", reason=str(exc)))

