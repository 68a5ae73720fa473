"""Phone-like metadata for the real test photos, and a scanner that finds it again.

The fixtures in ``tests/photos/`` are plain JPEGs with no metadata (see
``tests/photos/SOURCES.md``). A test that needs a photo "straight off a phone" plants
the metadata itself with :func:`add_phone_exif`, and checks what a build published
with :func:`has_metadata`.

``add_phone_exif(src, dest, orientation=6)`` stores the pixels so that a viewer must
apply EXIF Orientation 6 to show the photo upright, as a phone held upright does: the
fixture is what a correct build shows, whatever orientation was planted.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from PIL import Image, ImageOps
from PIL.TiffImagePlugin import IFDRational

__all__ = [
    "SERIAL", "JAKARTA", "METADATA_LABELS", "add_phone_exif", "fitted_jpeg", "has_metadata",
    "phone_exif", "phone_photo", "store_for_orientation",
]

SERIAL = "SN-PLANTED-12345"
JAKARTA = (-6.2088, 106.8456)  # latitude, longitude in degrees (south is negative)

# Tags (EXIF 2.32 / TIFF 6.0).
ORIENTATION = 0x0112
MAKE, MODEL, SOFTWARE, DATETIME = 0x010F, 0x0110, 0x0131, 0x0132
EXIF_IFD, GPS_IFD = 0x8769, 0x8825
DATETIME_ORIGINAL, DATETIME_DIGITIZED, BODY_SERIAL = 0x9003, 0x9004, 0xA431
GPS_VERSION, GPS_LAT_REF, GPS_LAT, GPS_LON_REF, GPS_LON = 0, 1, 2, 3, 4
GPS_ALT_REF, GPS_ALT = 5, 6

T = Image.Transpose
# What to do to upright pixels so that a viewer applying orientation N shows them
# upright again: the inverse of what ImageOps.exif_transpose does for N. 2, 3, 4, 5
# and 7 are their own inverses; 6 (viewer turns 90° clockwise) and 8 swap.
_STORE = {
    1: None,
    2: T.FLIP_LEFT_RIGHT,
    3: T.ROTATE_180,
    4: T.FLIP_TOP_BOTTOM,
    5: T.TRANSPOSE,
    6: T.ROTATE_90,    # stored turned 90° anticlockwise
    7: T.TRANSVERSE,
    8: T.ROTATE_270,   # stored turned 90° clockwise
}

# Labels has_metadata can return, in this order.
METADATA_LABELS = ("exif", "xmp", "gps", "serial", "pillow-exif")


def store_for_orientation(upright: Image.Image, orientation: int) -> Image.Image:
    """The pixels to store so that EXIF ``orientation`` is needed to show ``upright``."""
    if orientation not in _STORE:
        raise ValueError(f"EXIF orientation must be 1..8, got {orientation!r}")
    op = _STORE[orientation]
    return upright.copy() if op is None else upright.transpose(op)


def _dms(degrees: float) -> tuple[IFDRational, IFDRational, IFDRational]:
    degrees = abs(degrees)
    d = int(degrees)
    m = int((degrees - d) * 60)
    s = round(((degrees - d) * 60 - m) * 60 * 100)
    return IFDRational(d, 1), IFDRational(m, 1), IFDRational(s, 100)


def phone_exif(
    orientation: int = 1,
    serial: str = SERIAL,
    *,
    taken: str = "2019:03:26 10:15:42",
    where: tuple[float, float] = JAKARTA,
) -> Image.Exif:
    """EXIF as a phone writes it: camera, software, time, body serial and GPS."""
    lat, lon = where
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
        GPS_VERSION: b"\x02\x02\x00\x00",
        GPS_LAT_REF: "S" if lat < 0 else "N",
        GPS_LAT: _dms(lat),
        GPS_LON_REF: "W" if lon < 0 else "E",
        GPS_LON: _dms(lon),
        GPS_ALT_REF: b"\x00",
        GPS_ALT: IFDRational(8, 1),
    }
    return exif


def add_phone_exif(
    src: Path, dest: Path, orientation: int = 1, serial: str = SERIAL
) -> Path:
    """Write ``src`` to ``dest`` as a phone would: same upright size, pixels stored
    for EXIF ``orientation``, phone EXIF (Make, Model, Software, DateTimeOriginal,
    BodySerialNumber ``serial``, GPS IFD at Jakarta), JPEG quality 92."""
    with Image.open(src) as im:
        upright = im.convert("RGB")
    stored = store_for_orientation(upright, orientation)
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    stored.save(dest, "JPEG", quality=92, exif=phone_exif(orientation, serial))
    return dest


def fitted_jpeg(source: Path, size: tuple[int, int], quality: int, mirror: bool = False) -> bytes:
    """``source`` cropped and scaled to fill ``size``, as JPEG bytes; ``mirror`` makes
    another distinct photo from the same source."""
    with Image.open(source) as image:
        image = ImageOps.fit(image.convert("RGB"), size)
    if mirror:
        image = ImageOps.mirror(image)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality)
    return out.getvalue()


def phone_photo(size=(1200, 900), orientation=6) -> bytes:
    """A photo stored sideways with EXIF orientation, a GPS position and a camera serial."""
    image = Image.new("RGB", size, (40, 90, 160))
    image.paste((230, 200, 40), (0, 0, size[0] // 2, size[1] // 4))  # a mark in one corner
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[MAKE] = "PhoneMaker"
    exif.get_ifd(EXIF_IFD)[BODY_SERIAL] = "SERIAL-PLANTED-4242"
    exif.get_ifd(GPS_IFD).update({GPS_LAT_REF: "S", GPS_LAT: (6.0, 10.0, 30.0),
                                  GPS_LON_REF: "E", GPS_LON: (106.0, 49.0, 0.0)})
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, quality=90)
    return out.getvalue()


# An 0xFF inside entropy-coded JPEG data is followed by 0x00 (stuffing) or a restart
# marker; anything else ends the scan.
_SCAN_END = re.compile(rb"\xff[^\x00\xd0-\xd7]")


def _jpeg_outside_scans(data: bytes) -> bytes:
    out = bytearray()
    i, n = 2, len(data)
    while i < n:
        if data[i] != 0xFF:                      # not a marker: keep the rest
            out += data[i:]
            break
        if i + 1 >= n:
            break
        marker = data[i + 1]
        if marker == 0xFF:                       # fill byte
            i += 1
            continue
        if marker == 0xD9:                       # EOI: whatever trails it counts
            out += data[i + 2:]
            break
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:
            i += 2
            continue
        length = int.from_bytes(data[i + 2:i + 4], "big")
        if length < 2:
            out += data[i:]
            break
        out += data[i:i + 2 + length]
        i += 2 + length
        if marker == 0xDA:                       # SOS: skip the compressed scan
            m = _SCAN_END.search(data, i)
            if m is None:
                break
            i = m.start()
    return bytes(out)


def _chunks_outside(data: bytes, start: int, pixel: set[bytes],
                    big_endian: bool, pad: bool) -> bytes:
    out = bytearray()
    i, n = start, len(data)
    while i + 8 <= n:
        if big_endian:      # PNG: length, type, data, crc
            length = int.from_bytes(data[i:i + 4], "big")
            kind = data[i + 4:i + 8]
            end = i + 12 + length
        else:               # RIFF: type, length, data, pad to even
            kind = data[i:i + 4]
            length = int.from_bytes(data[i + 4:i + 8], "little")
            end = i + 8 + length + (length & 1 if pad else 0)
        if kind not in pixel:
            out += data[i:end]
        i = end
    out += data[i:]
    return bytes(out)


def _metadata_bytes(data: bytes) -> bytes:
    """The bytes of ``data`` that are not compressed pixels, where the format is one
    we can walk: short markers like b"GPS" would otherwise turn up in pixel data by
    chance in a large image."""
    if data[:2] == b"\xff\xd8":
        return _jpeg_outside_scans(data)
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return _chunks_outside(data, 8, {b"IDAT", b"fdAT"}, True, False)
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return _chunks_outside(data, 12, {b"VP8 ", b"VP8L", b"ALPH", b"ANMF"},
                               False, True)
    return data


def has_metadata(data: bytes, serial: str | bytes = SERIAL) -> list[str]:
    """What identifying metadata the raw bytes of an image still carry.

    Returns a list drawn from METADATA_LABELS, empty for a clean image:
    ``exif`` an EXIF block (b"Exif\\0\\0"); ``xmp`` an XMP packet; ``gps`` the text
    "GPS" outside the pixel data, or a GPS IFD that Pillow finds; ``serial`` the
    planted body serial anywhere in the file; ``pillow-exif`` Pillow's getexif() is
    not empty (this covers EXIF stored without the JPEG header, as in PNG and WebP).
    """
    if isinstance(serial, str):
        serial = serial.encode()
    found = []
    if b"Exif\x00\x00" in data:
        found.append("exif")
    if b"http://ns.adobe.com/xap" in data:
        found.append("xmp")
    exif = None
    try:
        with Image.open(io.BytesIO(data)) as im:
            exif = im.getexif()
    except Exception:  # not an image Pillow reads: the byte checks still stand
        pass
    gps_ifd = False
    if exif:
        try:
            gps_ifd = bool(exif.get_ifd(GPS_IFD))
        except Exception:
            gps_ifd = GPS_IFD in exif
    if b"GPS" in _metadata_bytes(data) or gps_ifd:
        found.append("gps")
    if serial and serial in data:
        found.append("serial")
    if exif:
        found.append("pillow-exif")
    return found
