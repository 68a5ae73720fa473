"""Real, large photographs for the benchmarks, turned into phone-like JPEGs.

The photos come from Debian's ``lomiri-wallpapers-16.04`` package (the Ubuntu Touch
community wallpapers), fetched with ``apt-get download`` into a cache folder on first
use and unpacked with ``dpkg-deb -x``; nothing large is committed. Authors and
licences (from the package's ``/usr/share/doc/lomiri-wallpapers-16.04/copyright``)
are in PHOTOS below; all allow redistribution of modified copies, though the
benchmarks only write their derived photos to temporary folders.

    from bench.photos import source_photos, phone_photo
    sources = source_photos(Path(".cache/bench"))
    phone_photo(sources[i % len(sources)], dest, orientation=6, seed=i)

Stdlib and Pillow only. ``python -m bench.photos [CACHE_DIR]`` lists the photos.
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

from PIL import Image
from PIL.TiffImagePlugin import IFDRational

__all__ = ["PACKAGE", "PHOTOS", "SERIAL", "JAKARTA", "source_photos", "phone_photo"]

PACKAGE = "lomiri-wallpapers-16.04"
PHOTO_DIR = Path("usr/share/backgrounds")

# The real photographs in the package (the rest are renders or abstract art), largest
# first: file name -> (width, height, author, licence).
PHOTOS: dict[str, tuple[int, int, str, str]] = {
    "seeding_by_Clements_Engelhardt.jpg": (5312, 2988, "Clemens Engelhardt", "CC0-1.0"),
    "Bridge_by_Sander_Klootwijk.jpg": (4352, 2448, "Sander Klootwijk", "CC-BY-SA-4.0"),
    "sunset_by_Aitzol_Berasategi.jpg": (4272, 2848, "Aitzol Berasategi", "CC-BY-4.0"),
    "Dragonfly_by_Bolly.jpg": (4224, 3168, '"Bolly"', "CC-BY-SA-4.0"),
    "picosdeeuropa_by_Aitzol_Berasategi.jpg": (3264, 2448, "Aitzol Berasategi", "CC-BY-4.0"),
    "aitzgorri_by_Aitzol_Berasategi.jpg": (3088, 2056, "Aitzol Berasategi", "CC-BY-4.0"),
    "life_by_Aitzol_Berasategi.jpg": (3088, 2056, "Aitzol Berasategi", "CC-BY-4.0"),
    "Wine_by_Jakkub_Mede.jpg": (2560, 3837, "Jakub Mede", "CC-BY-4.0"),
    "friends_by_Aitzol_Berasategi.jpg": (2056, 3088, "Aitzol Berasategi", "CC-BY-4.0"),
}

SERIAL = "SN-PLANTED-12345"
JAKARTA = (-6.2088, 106.8456)  # latitude, longitude in degrees (south is negative)

# EXIF tags.
ORIENTATION, MAKE, MODEL, SOFTWARE, DATETIME = 0x0112, 0x010F, 0x0110, 0x0131, 0x0132
EXIF_IFD, GPS_IFD = 0x8769, 0x8825
DATETIME_ORIGINAL, DATETIME_DIGITIZED, BODY_SERIAL = 0x9003, 0x9004, 0xA431

T = Image.Transpose
# Applied to upright pixels so that a viewer honouring orientation N shows them
# upright: the inverse of ImageOps.exif_transpose for N.
_STORE = {
    1: None, 2: T.FLIP_LEFT_RIGHT, 3: T.ROTATE_180, 4: T.FLIP_TOP_BOTTOM,
    5: T.TRANSPOSE, 6: T.ROTATE_90, 7: T.TRANSVERSE, 8: T.ROTATE_270,
}


def _run(cmd: list[str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)


def _download(cache_dir: Path) -> Path:
    """The package's .deb in cache_dir, fetched with apt-get download if absent."""
    found = sorted(cache_dir.glob(f"{PACKAGE}_*.deb"))
    if found:
        return found[-1]
    if shutil.which("apt-get") is None:
        raise RuntimeError(f"bench photos need Debian's apt-get to fetch {PACKAGE}")
    done = _run(["apt-get", "download", PACKAGE], cache_dir)
    if done.returncode != 0 and hasattr(os, "geteuid") and os.geteuid() == 0:
        # A fresh machine may not have read the package lists yet.
        _run(["apt-get", "update"], cache_dir)
        done = _run(["apt-get", "download", PACKAGE], cache_dir)
    found = sorted(cache_dir.glob(f"{PACKAGE}_*.deb"))
    if done.returncode != 0 or not found:
        raise RuntimeError(
            f"apt-get download {PACKAGE} failed in {cache_dir} "
            f"(exit {done.returncode}): {done.stderr.strip() or done.stdout.strip()}"
        )
    return found[-1]


def source_photos(cache_dir: Path) -> list[Path]:
    """Paths of the large real photographs, downloading and unpacking the package into
    ``cache_dir`` the first time (later calls only check the files are there)."""
    cache_dir = Path(cache_dir).resolve()
    root = cache_dir / PACKAGE
    paths = [root / PHOTO_DIR / name for name in PHOTOS]
    if all(p.is_file() for p in paths):
        return paths
    cache_dir.mkdir(parents=True, exist_ok=True)
    deb = _download(cache_dir)
    if shutil.which("dpkg-deb") is None:
        raise RuntimeError("bench photos need dpkg-deb to unpack " + deb.name)
    staging = Path(tempfile.mkdtemp(prefix=f".{PACKAGE}-", dir=cache_dir))
    try:
        done = _run(["dpkg-deb", "-x", str(deb), str(staging)], cache_dir)
        if done.returncode != 0:
            raise RuntimeError(f"dpkg-deb -x {deb.name} failed: {done.stderr.strip()}")
        missing = [p.name for p in paths if not (staging / PHOTO_DIR / p.name).is_file()]
        if missing:
            raise RuntimeError(f"{deb.name} lacks {', '.join(missing)}")
        if root.exists():
            shutil.rmtree(root)
        staging.rename(root)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return paths


def _dms(degrees: float) -> tuple[IFDRational, IFDRational, IFDRational]:
    degrees = abs(degrees)
    d = int(degrees)
    m = int((degrees - d) * 60)
    s = round(((degrees - d) * 60 - m) * 60 * 100)
    return IFDRational(d, 1), IFDRational(m, 1), IFDRational(s, 100)


def _phone_exif(orientation: int, serial: str, seed: int) -> Image.Exif:
    taken = (datetime(2019, 3, 26, 9, 0, 0) + timedelta(minutes=7 * seed)).strftime(
        "%Y:%m:%d %H:%M:%S")
    rng = random.Random(f"gps-{seed}")
    lat = JAKARTA[0] + rng.uniform(-0.005, 0.005)   # within half a kilometre or so
    lon = JAKARTA[1] + rng.uniform(-0.005, 0.005)
    exif = Image.Exif()
    exif[MAKE] = "samsung"
    exif[MODEL] = "SM-A515F"
    exif[SOFTWARE] = "A515FXXU4CUG1"
    exif[DATETIME] = taken
    exif[ORIENTATION] = orientation
    exif[EXIF_IFD] = {
        DATETIME_ORIGINAL: taken,
        DATETIME_DIGITIZED: taken,
        BODY_SERIAL: serial,
    }
    exif[GPS_IFD] = {
        0: b"\x02\x02\x00\x00",                       # GPSVersionID
        1: "S" if lat < 0 else "N", 2: _dms(lat),     # GPSLatitudeRef, GPSLatitude
        3: "W" if lon < 0 else "E", 4: _dms(lon),     # GPSLongitudeRef, GPSLongitude
        5: b"\x00", 6: IFDRational(8, 1),             # GPSAltitudeRef, GPSAltitude (m)
    }
    return exif


def phone_photo(
    src: Path,
    dest: Path,
    *,
    size: tuple[int, int] = (4000, 3000),
    orientation: int = 1,
    seed: int = 0,
    serial: str = SERIAL,
) -> Path:
    """Write a phone-like JPEG of ``src`` to ``dest``.

    ``size`` is the photo as it should be *shown* (upright). A crop of ``src`` with that
    shape, chosen by ``seed`` (between 55% and 100% of the largest such crop, at a
    seeded position), is resized to ``size``; the pixels are then stored so that EXIF
    Orientation ``orientation`` is needed to show them upright (for 5-8 the stored
    image is ``size`` turned, e.g. ``size=(3000, 4000), orientation=6`` stores
    4000x3000 pixels as a phone held upright does). EXIF: Make, Model, Software,
    DateTime(Original), BodySerialNumber ``serial`` and a GPS IFD near Jakarta.
    JPEG quality 92, 4:2:0, like a phone camera.
    """
    if orientation not in _STORE:
        raise ValueError(f"EXIF orientation must be 1..8, got {orientation!r}")
    w, h = size
    rng = random.Random(seed)
    with Image.open(src) as im:
        sw, sh = im.size
        # Largest crop of the target shape, scaled down by the seed, placed by the seed.
        cw, ch = (sw, round(sw * h / w)) if sw / sh <= w / h else (round(sh * w / h), sh)
        scale = rng.uniform(0.55, 1.0)
        cw, ch = max(1, min(sw, round(cw * scale))), max(1, min(sh, round(ch * scale)))
        left, top = rng.randint(0, sw - cw), rng.randint(0, sh - ch)
        box = (left, top, left + cw, top + ch)
        # Let the JPEG decoder downscale when the crop is far larger than the target.
        im.draft("RGB", (max(1, sw * w // cw), max(1, sh * h // ch)))
        fx, fy = im.size[0] / sw, im.size[1] / sh
        box = tuple(round(v * f) for v, f in zip(box, (fx, fy, fx, fy)))
        upright = im.convert("RGB").resize((w, h), Image.LANCZOS, box=box)
    op = _STORE[orientation]
    stored = upright if op is None else upright.transpose(op)
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    stored.save(dest, "JPEG", quality=92, subsampling="4:2:0",
                exif=_phone_exif(orientation, serial, seed))
    return dest


def main(argv: list[str]) -> int:
    cache = Path(argv[0]) if argv else Path(__file__).resolve().parent.parent / ".cache" / "bench"
    for path in source_photos(cache):
        with Image.open(path) as im:
            w, h = im.size
        author, licence = PHOTOS[path.name][2:]
        print(f"{w}x{h}  {path}  ({author}, {licence})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
