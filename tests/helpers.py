"""What the tests share besides fixtures (those are in conftest.py): the default test
site, the real test photos and phone metadata planted in them, and the local server and
error recorder of the browser tests. Test modules import from here, never from each other.

The photos in ``tests/photos/`` are plain JPEGs with no metadata (see
``tests/photos/SOURCES.md``). A test that needs a photo "straight off a phone" plants
the metadata itself with :func:`add_phone_exif`, and checks what a build published
with :func:`has_metadata`.

``add_phone_exif(src, dest, orientation=6)`` stores the pixels so that a viewer must
apply EXIF Orientation 6 to show the photo upright, as a phone held upright does: the
fixture is what a correct build shows, whatever orientation was planted.

Chromium comes from Debian's `chromium` package (`.ci/run` installs it), or from wherever
SHOWCASE_CHROMIUM says. Without it the browser tests skip on a developer's machine but
fail under CI=true, so CI cannot pass by silently testing nothing, unless
SHOWCASE_CHROMIUM=none says the runner goes without on purpose (the macOS and Windows
runners of .github/workflows/tests.yml: the pages are the same bytes on every system, so
the ubuntu runner's browser tests speak for them).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import http.server
import io
import json
import os
import re
import shutil
import socket
import struct
import subprocess
import sys
import textwrap
import threading
import time
import urllib.error
import urllib.request
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageChops, ImageOps, ImageStat
from PIL.TiffImagePlugin import IFDRational

from showcase.builder import Builder, BuildOptions, BuildResult
from showcase.commands.cmsbackend import LocalBackend, Request, own_hosts

REPO = Path(__file__).resolve().parent.parent
PHOTOS = Path(__file__).resolve().parent / "photos"
SUNSET = PHOTOS / "landscape-sunset.jpg"        # 640x480
DANDELIONS = PHOTOS / "texture-dandelions.jpg"  # 640x480
DOGS = PHOTOS / "portrait-dogs.jpg"             # 480x640
FLOWER = PHOTOS / "colour-flower.jpg"           # 640x480


# -- the default test site: one booth with one product -----------------------------------------

BASE_URL = "https://example.org/pun/"  # SITE_YAML's base_url
# What tests print stand cards for: `cards` refuses an example domain such as BASE_URL's.
PRINT_BASE_URL = "https://pameran-uji.id/pun/"

SITE_YAML = """\
title: {id: Pameran Uji, en: Test Fair}
base_url: https://example.org/pun/
languages: [id, en]
event: {start: 2019-03-26, end: 2019-03-28, venue: {name: Gedung Uji}}
categories:
  keset: {name: {id: Keset, en: Doormats}}
  batik: {name: Batik}
contact: {whatsapp: "0812-0000-0001"}
"""

BOOTH_MD = """\
---
name: Lapas Uji
code: UJI
stand: A-1
contact: {whatsapp: "0812-0000-0002"}
marketplaces: {tokopedia: "https://www.tokopedia.com/lapas-uji"}
---
Bengkel kerja **Lapas Uji**.
"""

PRODUCT_MD = """\
---
name: {id: Keset Sabut Kelapa, en: Coconut-coir doormat}
code: UJI-001
category: keset
price: 75000
materials: [sabut kelapa, karet]
---
Keset tebal dari sabut kelapa.
"""

# Where those are written, from the site's root folder.
SITE = "content/site.yaml"
BOOTH = "content/booths/lapas-uji/index.md"
PRODUCT = "content/booths/lapas-uji/keset/index.md"
KESET_DIR = "content/booths/lapas-uji/keset"  # the product's folder, beside its photos
KESET_PAGE = "booths/lapas-uji/keset/"  # its page's path: under base_url, output/ and content/

DEFAULT_FILES = {SITE: SITE_YAML, BOOTH: BOOTH_MD, PRODUCT: PRODUCT_MD}

# A product name that tries to end the script it is written into and run its own.
SCRIPT_BREAKER = "</script><img src=x onerror=alert(1)>"


def photo_bytes(size=(64, 48), color=(150, 110, 70)) -> bytes:
    """A small flat image for tests that need a file to exist, not a real photo."""
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "JPEG")
    return out.getvalue()


def decode_qr(image: Image.Image) -> list:
    """The QR codes zxing-cpp reads in an image (a real decoder, as a phone's camera)."""
    import zxingcpp  # only the tests that read codes need it
    return [r for r in zxingcpp.read_barcodes(image.convert("L"))
            if r.format == zxingcpp.BarcodeFormat.QRCode]


def tree(folder: Path) -> dict[str, str]:
    """Every file under `folder` and its content's digest: equal trees hold the same bytes."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def append(path: Path, old: str, new: str) -> None:
    """Replace `old` with `new` in a text file (new usually being old with more around it)."""
    path.write_text(path.read_text("utf-8").replace(old, new), "utf-8")


def with_field(line: str) -> tuple[str, int]:
    """The sample product with `line` replacing its field of the same key, and its line number."""
    key = line.split(":")[0]
    lines = [l for l in PRODUCT_MD.split("\n") if not l.startswith(f"{key}:")]
    closing = lines.index("---", 1)
    lines.insert(closing, line)
    return "\n".join(lines), closing + 1


@dataclass
class SiteDir:
    root: Path

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def output(self) -> Path:
        return self.root / "output"

    def write(self, name: str, text: str | bytes) -> Path:
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_bytes(textwrap.dedent(text).encode("utf-8"))  # \n on every system
        return path

    def build(self, output: Path | None = None, **options) -> BuildResult:
        options.setdefault("workers", 1)
        return Builder(BuildOptions(self.content, output or self.output, **options)).build()

    def html(self, url: str) -> str:
        return (self.output / url / "index.html").read_text("utf-8")


def copy_theme(site: SiteDir, name: str) -> Path:
    """A copy of the default theme beside the site, as themes/<name>, to edit."""
    shutil.copytree(REPO / "themes" / "default", site.root / "themes" / name)
    return site.root / "themes" / name


def make_site_at(root: Path, files: dict[str, str | bytes | None] | None = None,
                 defaults: bool = True) -> SiteDir:
    """What make_site does, in a folder of the caller's (for module-scoped fixtures and
    for two sites in one test)."""
    site = SiteDir(root)
    merged = {**(DEFAULT_FILES if defaults else {}), **(files or {})}
    for name, text in merged.items():
        if text is not None:
            site.write(name, text)
    return site


# -- the browser tests: headless Chromium, a built site served over HTTP -----------------------

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]

SAMPLE_BASE_URL = "https://pameran.example.org/pun-2019/"  # the sample's base_url
SAMPLE_PRINT_BASE_URL = "https://pameran-pun.id/pun-2019/"  # what its cards are printed for
BASE_PATH = "/pun-2019/"  # the path of the sample's base_url; every site is served under it


def chromium_path() -> str | None:
    """The browser the page tests drive: SHOWCASE_CHROMIUM names one (a path), or "none"
    where a CI runner goes without on purpose; else Debian's chromium on the PATH."""
    chosen = os.environ.get("SHOWCASE_CHROMIUM")
    if chosen:
        return None if chosen == "none" else chosen
    for name in ("chromium", "chromium-browser"):
        if path := shutil.which(name):
            return path
    return None


class Handler(http.server.SimpleHTTPRequestHandler):
    """Serves the output under base_url's path, as a static host would."""

    def translate_path(self, path):
        inside = path.startswith(BASE_PATH)
        return super().translate_path("/" + path[len(BASE_PATH):] if inside else "/-missing-")

    def send_head(self):
        # http.server answers If-Modified-Since to the whole second, so a file rebuilt
        # within the second it was first served looked unchanged (304) and a browser
        # kept the old one; real hosts validate exactly (ETags). Always send the file.
        del self.headers["If-Modified-Since"]
        return super().send_head()

    def log_message(self, *args):
        pass


@contextmanager
def serve(output: Path) -> Iterator[str]:
    """Serves a built site's output folder on 127.0.0.1 (a free port) while in the block;
    yields the site's URL, ending in BASE_PATH. A rebuild in place is served at once."""
    handler = functools.partial(Handler, directory=str(output))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}{BASE_PATH}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def record_errors(page) -> list[str]:
    """The list a Playwright page's script errors and console errors go to as they happen."""
    errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    return errors


def served_site(root: Path, files: dict[str, str | bytes | None] | None = None) -> SiteDir:
    """The default site with base_url under BASE_PATH, where `serve` serves it, changed by
    files; written, not built."""
    site_yaml = SITE_YAML.replace(BASE_URL, "https://example.org" + BASE_PATH)
    return make_site_at(root, {SITE: site_yaml, **(files or {})})


# -- the browser editor's real script, from its package (never from a CDN) --------------------

class BundleUnavailable(Exception):
    """The CMS's package could not be fetched: why, for the skip or the failure."""


def test_cache() -> Path:
    """Where tests keep what they fetched, outside the repository: SHOWCASE_TEST_CACHE,
    else the user's cache folder."""
    chosen = os.environ.get("SHOWCASE_TEST_CACHE")
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or os.environ.get("LOCALAPPDATA")
    return (Path(base) if base else Path.home() / ".cache") / "showcase-tests"


def decap_dist(version: str) -> Path:
    """`dist/` of the decap-cms package at `version`, fetched once with `npm pack` (npm's
    own registry settings) and unpacked into the test cache; later runs reuse it. The
    folder appears whole or not at all (unpacked beside it, then renamed)."""
    import subprocess
    import tarfile
    import tempfile

    target = test_cache() / f"decap-cms-{version}"
    if (target / "dist" / "decap-cms.js").is_file():
        return target / "dist"
    npm = shutil.which("npm")
    if npm is None:
        raise BundleUnavailable("npm is not installed (the CMS's script is fetched with "
                                f"npm pack decap-cms@{version})")
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as temp:
        try:
            done = subprocess.run([npm, "pack", f"decap-cms@{version}", "--silent"], cwd=temp,
                                  capture_output=True, text=True, timeout=300)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise BundleUnavailable(f"npm pack decap-cms@{version} failed: {exc}")
        packed = sorted(Path(temp).glob("decap-cms-*.tgz"))
        if done.returncode != 0 or not packed:
            raise BundleUnavailable(f"npm pack decap-cms@{version} failed: "
                                    f"{(done.stderr or done.stdout).strip()[-500:]}")
        unpacked = Path(temp) / "unpacked"
        with tarfile.open(packed[0]) as archive:
            members = [m for m in archive.getmembers() if m.isfile()
                       and m.name.startswith("package/dist/") and ".." not in m.name]
            safe = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}
            archive.extractall(unpacked, members=members, **safe)
        if not (unpacked / "package" / "dist" / "decap-cms.js").is_file():
            raise BundleUnavailable(f"decap-cms@{version} has no dist/decap-cms.js")
        staged = Path(temp) / "whole"
        staged.mkdir()
        (unpacked / "package" / "dist").rename(staged / "dist")
        try:
            staged.rename(target)
        except OSError:  # another run put it there meanwhile
            if not (target / "dist" / "decap-cms.js").is_file():
                raise
    return target / "dist"


# -- `showcase serve` in a process of its own: a free port, and waiting for it to answer --------

def untracked(project: Path) -> list[str]:
    """What `git add -A` would commit in a fresh repository at `project`: its .gitignore
    at work, as an organiser's git applies it."""
    subprocess.run(["git", "init", "-q", str(project)], check=True)
    listed = subprocess.run(["git", "-C", str(project), "status", "--porcelain", "--untracked-files=all"],
                            check=True, capture_output=True, text=True).stdout
    return [line[3:] for line in listed.splitlines()]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def wait_for(check, seconds: float = 20.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.1)
    raise AssertionError("timed out waiting for the server")


@contextmanager
def serve_process(cwd: Path, args: list[str], base_path: str, ready: str = "",
                  seconds: float = 20.0, python: tuple[str, ...] = ("-m", "showcase")
                  ) -> Iterator[tuple[str, int]]:
    """`showcase serve ARGS` in a process of its own on a free port, as an organiser runs
    it, until `ready` (below the site's URL) answers; yields (site URL, port). Its output
    goes to serve.log in `cwd`, a file rather than a pipe nobody reads, which never fills."""
    port = free_port()
    base = f"http://127.0.0.1:{port}{base_path}"

    def up():
        try:
            return fetch(base + ready)[0] == 200
        except OSError:
            return False
    with open(cwd / "serve.log", "w") as log:
        process = subprocess.Popen([sys.executable, *python, "serve", *args, "--port", str(port)],
                                   cwd=cwd, stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_for(up, seconds=seconds)
            yield base, port
        finally:
            process.terminate()
            process.wait(timeout=10)


def editor_site(sample: Path, root: Path, decap: Path) -> Path:
    """A copy of the built sample at `root` (its caches too, so a first build reuses every
    photo) with `admin:` set and the site's own copy of the CMS script from `decap`."""
    shutil.copytree(sample, root, symlinks=True)
    with open(root / "content" / "site.yaml", "a", encoding="utf-8") as site_yaml:
        site_yaml.write("admin:\n  repo: panitia/pameran-2019\n  self_hosted: true\n")
    (root / "admin").mkdir()
    shutil.copyfile(decap / "decap-cms.js", root / "admin" / "decap-cms.js")
    return root


# -- photos: pixels, phone metadata, and files no decoder should accept ------------------------

def saved(image: Image.Image, fmt: str, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def load(path: Path | bytes, mode: str | None = None) -> Image.Image:
    with Image.open(io.BytesIO(path) if isinstance(path, bytes) else path) as im:
        im.load()
        return im.convert(mode) if mode else im.copy()


def mean_difference(a: Image.Image, b: Image.Image) -> float:
    """Mean absolute difference per channel on 0-255 (RGB)."""
    assert a.size == b.size, (a.size, b.size)
    diff = ImageChops.difference(a.convert("RGB"), b.convert("RGB"))
    return sum(ImageStat.Stat(diff).mean) / 3


def _bomb_png() -> bytes:
    data = bytearray(saved(load(SUNSET, "RGB").resize((8, 6)), "PNG"))
    assert data[12:16] == b"IHDR"
    data[16:24] = struct.pack(">II", 100_000, 100_000)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
    return bytes(data)


# Photos a build must refuse, naming the file: name -> a maker of the file's bytes.
CORRUPT = {
    "empty.jpg": lambda: b"",
    "truncated.jpg": lambda: SUNSET.read_bytes()[:300],
    "half.jpg": lambda: SUNSET.read_bytes()[:len(SUNSET.read_bytes()) // 2],
    "text.jpg": lambda: b"Ini bukan foto.\nThis is not a photo.\n" * 20,
    "bomb.png": _bomb_png,
}

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


# -- a kill at a chosen step: every step that commits something to disk is a rename ------

class Killed(BaseException):
    """What SIGKILL does to the build, delivered at a chosen rename."""


def dying_at(step: int, monkeypatch) -> list[str]:
    """Make the `step`-th rename or replace of the build (1-based) the moment it dies.

    Every step that commits something (a cache file, the manifest, a staged tree swapped
    in, a file moved aside or in, the journal, the stamp) ends in one of these two calls.
    """
    done: list[str] = []
    real = {"rename": os.rename, "replace": os.replace}

    def wrap(name):
        def call(source, target, *args, **kwargs):
            done.append(f"{name} {Path(target).name}")
            if len(done) == step:
                raise Killed(done[-1])
            return real[name](source, target, *args, **kwargs)
        return call

    for name in real:
        monkeypatch.setattr(os, name, wrap(name))
    return done


# -- the browser editor's local backend (serve --admin), as the CMS speaks to it ------------

PORT = 8123  # the port the editor's requests name (Host, Origin); no server listens on it
HOST = f"127.0.0.1:{PORT}"
ORIGIN = f"http://{HOST}"


def post(backend: LocalBackend, action: str, params: dict | None = None, *,
         origin: str | None = ORIGIN, host: str | None = HOST, site: str | None = "same-origin",
         kind: str = "application/json; charset=utf-8", method: str = "POST"):
    body = json.dumps({"action": action, "params": params or {}, "branch": "main"}).encode()
    return backend.answer(Request(method, host, origin, site, kind, body),
                          own_hosts("127.0.0.1", PORT))


def persist(data_files: list[tuple[str, str]], assets: list[tuple[str, bytes]] = ()) -> dict:
    """persistEntry's params as decap-cms-backend-proxy sends them."""
    return {"branch": "main",
            "dataFiles": [{"path": p, "slug": "x", "raw": raw} for p, raw in data_files],
            "assets": [{"path": p, "content": base64.b64encode(b).decode(), "encoding": "base64"}
                       for p, b in assets],
            "options": {"commitMessage": "Create Products “x”", "useWorkflow": False,
                        "status": "", "newEntry": True}}


NEW_ID = """\
---
name: Keset Baru
category: keset
price:
  from: 50000
  to: 120000
images:
  - file: sabut.jpg
    alt: {id: Keset di depan pintu, en: A mat at the door}
---
Keset baru dari sabut.
"""


NEW_EN = "---\nname: New doormat\n---\nA new coir mat.\n"


# -- the real editor in Chromium ------------------------------------------------------------

STEP = 15_000  # ms: the longest a step of the editor may take before the test fails


def open_editor(context, url: str, route: str = ""):
    """The editor's page, logged in to the local backend (a button: there is no account),
    at `route` (the part after its #)."""
    page = context.new_page()
    page.errors = []
    page.on("console", lambda m: m.type == "error" and page.errors.append(m.text))
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.goto(url, wait_until="domcontentloaded")
    login = page.get_by_role("button", name="Login")
    failed = page.get_by_text("Error loading the CMS configuration")
    page.get_by_text("Collections").or_(login).or_(failed).first.wait_for()
    if login.is_visible():
        login.click()
    if route:
        page.get_by_text("Collections").first.wait_for()
        page.goto(f"{url}#{route}")  # the CMS routes on the hash: no reload
    return page


def field(page, name: str, sub: str | None = None):
    """The editor's input of a field (or of one key of an object field), in the default
    language's pane: Decap names each input `<field>-field-<n>`."""
    if sub is None:
        return page.locator(f'input[id^="{name}-field-"]').first
    return page.locator(f'[id^="{name}-field-"] input[id^="{sub}-field-"]').first


def publish(page) -> None:
    """Save the entry as an organiser does, and wait for the backend's answer."""
    def saving(response):
        return "api/v1" in response.url and '"persistEntry"' in (response.request.post_data or "")

    with page.expect_response(saving) as answer:
        page.get_by_role("button", name="Publish").first.click()
        page.get_by_text("Publish now").click()
    assert answer.value.status == 200, answer.value.text()
    page.get_by_text("Entry saved").first.wait_for()
