"""Source photos: what the loader needs to know about each, remembered between builds.

Reading a photo's digest, upright size and placeholder colour means reading and
partly decoding a 3-12 MB file; a warm build must not do that for hundreds of
unchanged photos. `PhotoIndex` remembers the answers keyed by path, size, mtime and
ctime (which no tool that restores mtimes can set back), in one JSON file in the
cache folder.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
from dataclasses import astuple, dataclass
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from showcase.files import write_atomic
from showcase.messages import N_

# Bump when PhotoInfo's fields or how they are computed change.
INDEX_VERSION = 2

ORIENTATION = 0x0112
GPS_IFD = 0x8825


class PhotoError(Exception):
    """A photo that cannot be used, with a reason an organiser can act on."""


@dataclass(frozen=True)
class PhotoInfo:
    digest: str
    width: int  # upright, after EXIF orientation
    height: int
    placeholder: str  # "#rrggbb": the photo's average colour, shown while it loads
    frames: int  # more than 1 for animated GIF/WebP: only the first is published
    has_gps: bool  # the original says where it was taken (never published)


def register_heif() -> None:
    """Teach Pillow to open HEIC/HEIF (iPhone photos) when pillow-heif is installed."""
    try:
        from pillow_heif import register_heif_opener
    except ImportError:
        return
    register_heif_opener()


def inspect(raw: bytes) -> PhotoInfo:
    """Read what rendering needs from a photo's bytes, decoding as little as possible."""
    register_heif()
    try:
        with Image.open(io.BytesIO(raw)) as image:
            image.verify()  # structure only; Pillow wants it straight after open
        with Image.open(io.BytesIO(raw)) as image:
            exif = image.getexif()
            width, height = image.size
            if exif.get(ORIENTATION, 1) in (5, 6, 7, 8):
                width, height = height, width
            frames = getattr(image, "n_frames", 1)
            has_gps = bool(exif.get_ifd(GPS_IFD))
            image.draft("RGB", (64, 64))  # JPEG: decode at 1/8 scale, enough for a colour
            small = _opaque(ImageOps.exif_transpose(image)).resize((1, 1), Image.Resampling.BOX)
    except Image.DecompressionBombError:
        raise PhotoError(N_("claims an enormous size (a decompression bomb?)")) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, RuntimeError):
        raise PhotoError(N_("is not a readable image (empty, truncated or not a photo)")) from None
    red, green, blue = small.getpixel((0, 0))
    return PhotoInfo(hashlib.sha256(raw).hexdigest(), width, height,
                     f"#{red:02x}{green:02x}{blue:02x}", frames, has_gps)


def _opaque(image: Image.Image) -> Image.Image:
    """RGB pixels, with anything transparent shown over white as the page shows it."""
    if image.mode == "P" and "transparency" in image.info or image.mode in ("LA", "PA", "RGBA"):
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba).convert("RGB")
    return image.convert("RGB")


class PhotoIndex:
    """PhotoInfo per file, reused while the file's size, mtime and ctime are unchanged."""

    def __init__(self, path: Path | None):
        self.path = path
        self.entries: dict[str, list] = {}
        self.used: set[str] = set()
        if path and path.is_file():
            try:
                stored = json.loads(path.read_text("utf-8"))
                if stored.get("version") == INDEX_VERSION:
                    self.entries = stored["photos"]
            except (ValueError, KeyError, OSError):
                self.entries = {}  # a damaged index is only a slower build

    def info(self, path: Path) -> PhotoInfo:
        stat = path.stat()
        key = os.path.abspath(path)
        self.used.add(key)
        entry = self.entries.get(key)
        seen = [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns]
        if entry and entry[:3] == seen:
            return PhotoInfo(*entry[3:])
        info = inspect(path.read_bytes())
        self.entries[key] = [*seen, *astuple(info)]
        return info

    def save(self) -> None:
        """Write the entries this build used (forgetting deleted photos), atomically."""
        if self.path is None:
            return
        kept = {key: self.entries[key] for key in sorted(self.used) if key in self.entries}
        write_atomic(self.path, json.dumps({"version": INDEX_VERSION, "photos": kept}),
                     durable=False)  # a damaged index is read again from the photos
