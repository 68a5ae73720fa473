"""The image pipeline, checked on real photos by opening what a build published.

Every test builds a tiny site with one or two of the photos in ``tests/photos/`` (or a
file made from one of them) and reads the files under ``output/media/`` with Pillow:
sizes, pixels, colour, alpha and metadata are what a visitor's browser would get.
Image settings are read from ``ImageSettings()`` so that a change of the defaults
(widths, formats, qualities) does not need a change here.
"""

from __future__ import annotations

import io
import re
import shutil
import struct
import zlib
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest
from PIL import Image, ImageCms, ImageOps, ImageStat, PngImagePlugin, features

from showcase.assets import images
from showcase.model import ImageSettings, Photo
from tests.helpers import (CORRUPT, DANDELIONS, DOGS, FLOWER, KESET_DIR, KESET_PAGE, PRODUCT_MD,
                           SERIAL, SITE_YAML, SUNSET, SiteDir, add_phone_exif, has_metadata, load,
                           mean_difference, phone_exif, saved, store_for_orientation)

DEFAULTS = ImageSettings()
EXT_FORMAT = {ext: fmt for fmt, ext in images.SUFFIX.items()}
# Every encoder the pipeline has that this Pillow can run, JPEG (the fallback) last:
# the default formats plus WebP, so alpha, orientation and metadata are checked in each.
ALL_FORMATS = tuple(dict.fromkeys(
    [f for f in DEFAULTS.formats if f != "jpeg"] + ["webp"]
    + (["avif"] if features.check("avif") else []) + ["jpeg"]))
NAME_RE = re.compile(r"^(?P<stem>.+)-(?P<label>\d+|og)\.(?P<hash>[0-9a-f]{16})\.(?P<ext>[a-z]+)$")


# -- helpers -------------------------------------------------------------------------------

def site_yaml(formats=None, quality=None) -> str:
    """The test site's site.yaml, with an `images:` section when asked for."""
    parts = []
    if formats is not None:
        parts.append(f"formats: [{', '.join(formats)}]")
    if quality:
        parts.append("quality: {" + ", ".join(f"{k}: {v}" for k, v in quality.items()) + "}")
    return SITE_YAML + (f"images: {{{', '.join(parts)}}}\n" if parts else "")


def photo_site(make_site, photos: dict[str, bytes | Path], formats=None, quality=None,
               extra: dict | None = None) -> SiteDir:
    """A site whose one product has `photos` (name -> bytes, or a file to copy)."""
    files = {"content/site.yaml": site_yaml(formats, quality), **(extra or {})}
    for name, data in photos.items():
        files[f"{KESET_DIR}/{name}"] = data.read_bytes() if isinstance(data, Path) else data
    return make_site(files)


def published(site: SiteDir, stem: str) -> dict[tuple[str, str], Path]:
    """{(label, format): file} of one photo's published variants; label is a width or 'og'."""
    found = {}
    for path in (site.output / "media").iterdir():
        m = NAME_RE.match(path.name)
        assert m, f"unexpected file name in media/: {path.name}"
        if m["stem"] == stem:
            found[(m["label"], EXT_FORMAT[m["ext"]])] = path
    assert found, f"nothing published for {stem}: {sorted(p.name for p in (site.output / 'media').iterdir())}"
    return found


def largest(site: SiteDir, stem: str) -> dict[str, Path]:
    """{format: file} of the widest responsive variant of each format."""
    variants = published(site, stem)
    widest = max(int(label) for label, _ in variants if label != "og")
    return {fmt: path for (label, fmt), path in variants.items() if label == str(widest)}


def resized(image: Image.Image, size: tuple[int, int]) -> Image.Image:
    image = image.convert("RGB")
    return image if image.size == size else image.resize(size, Image.Resampling.LANCZOS)


def errors_text(result) -> str:
    return "\n".join(str(p) for p in result.errors)


def build_ok(site: SiteDir, **options):
    result = site.build(**options)
    assert result.ok, errors_text(result) or result.refused
    return result


# -- 1. orientation ------------------------------------------------------------------------

SAME_SIZE_MISTAKES = {"mirrored": Image.Transpose.FLIP_LEFT_RIGHT,
                      "upside down": Image.Transpose.FLIP_TOP_BOTTOM,
                      "turned 180": Image.Transpose.ROTATE_180}


@pytest.mark.parametrize("orientation", range(1, 9))
def test_every_exif_orientation_comes_out_upright(make_site, tmp_path, orientation):
    phone = add_phone_exif(SUNSET, tmp_path / "phone.jpg", orientation=orientation)
    with Image.open(phone) as stored:  # the fixture really needs the tag to be upright
        assert stored.size == ((640, 480) if orientation < 5 else (480, 640))
    site = photo_site(make_site, {"foto.jpg": phone}, formats=ALL_FORMATS)
    build_ok(site)
    upright = load(SUNSET, "RGB")
    outputs = largest(site, "foto")
    assert set(outputs) == set(ALL_FORMATS)
    for fmt, path in outputs.items():
        out = load(path)
        assert out.size == (640, 480), (fmt, out.size)
        good = mean_difference(out, upright)
        assert good < 8, (fmt, good)
        for mistake, op in SAME_SIZE_MISTAKES.items():  # the measure tells them apart
            assert mean_difference(out, upright.transpose(op)) > 3 * good + 10, (fmt, mistake)
    og = load(published(site, "foto")[("og", "jpeg")])
    assert og.size == images.OG_SIZE
    assert mean_difference(og, ImageOps.fit(upright, images.OG_SIZE)) < 10


def _jpeg_with_exif(exif: bytes | Image.Exif) -> bytes:
    return saved(load(SUNSET, "RGB"), "JPEG", quality=92, exif=exif)


def _garbled_exif() -> bytes:
    """A phone JPEG (stored upright) whose EXIF IFD bytes were scrambled in transit."""
    data = bytearray(_jpeg_with_exif(phone_exif(1)))
    start = data.index(b"Exif\x00\x00") + 6 + 8  # past the TIFF header
    for i in range(start, start + 200):
        data[i] = (data[i] * 37 + 11) & 0xFF
    return bytes(data)


def _truncated_exif() -> bytes:
    """A JPEG whose APP1 (EXIF) segment was cut short, its length fixed up to match."""
    data = _jpeg_with_exif(phone_exif(1))
    at = data.index(b"\xff\xe1")
    length = int.from_bytes(data[at + 2:at + 4], "big")
    payload = data[at + 4:at + 4 + 28]
    return (data[:at] + b"\xff\xe1" + (len(payload) + 2).to_bytes(2, "big") + payload
            + data[at + 2 + length:])


def _orientation_exif(value: int) -> Image.Exif:
    exif = phone_exif(1)
    exif[0x0112] = value
    return exif


def _raw_orientation_exif(tiff_type: int, count: int, value: bytes) -> bytes:
    """EXIF with a single IFD0 entry, Orientation, written with any TIFF type."""
    entry = struct.pack("<HHI", 0x0112, tiff_type, count) + value.ljust(4, b"\0")
    return b"Exif\x00\x00II*\x00" + struct.pack("<I", 8) + struct.pack("<H", 1) + entry + b"\0" * 4


DAMAGED_EXIF = {
    "orientation-0": lambda: _jpeg_with_exif(_orientation_exif(0)),
    "orientation-9": lambda: _jpeg_with_exif(_orientation_exif(9)),
    "orientation-65535": lambda: _jpeg_with_exif(_orientation_exif(65535)),
    "garbled-ifd": _garbled_exif,
    "truncated-segment": _truncated_exif,
    "orientation-of-unknown-type": lambda: _jpeg_with_exif(_raw_orientation_exif(99, 1, b"\x06")),
    "orientation-pointing-past-the-end": lambda: _jpeg_with_exif(
        _raw_orientation_exif(3, 50, struct.pack("<I", 99999))),
}


@pytest.mark.filterwarnings("ignore::UserWarning")  # Pillow notes the damage it skips
@pytest.mark.parametrize("damage", DAMAGED_EXIF)
def test_damaged_exif_still_publishes_the_photo_as_stored(make_site, damage):
    site = photo_site(make_site, {"foto.jpg": DAMAGED_EXIF[damage]()})
    build_ok(site)
    upright = load(SUNSET, "RGB")
    for fmt, path in largest(site, "foto").items():
        out = load(path)
        assert out.size == (640, 480), (damage, fmt)
        assert mean_difference(out, upright) < 8, (damage, fmt)


def test_orientation_stored_as_text_does_not_crash_the_build(make_site):
    site = photo_site(make_site, {"foto.jpg": _jpeg_with_exif(_raw_orientation_exif(2, 2, b"6\0"))})
    build_ok(site)
    for path in largest(site, "foto").values():
        assert mean_difference(load(path), load(SUNSET, "RGB")) < 8


# -- 2. colour -----------------------------------------------------------------------------

def _s15(value: float) -> bytes:
    return struct.pack(">i", round(value * 65536))


def _xyz(x: float, y: float, z: float) -> bytes:
    return b"XYZ " + b"\0" * 4 + _s15(x) + _s15(y) + _s15(z)


def display_p3_icc() -> bytes:
    """A minimal ICC v2 matrix/TRC RGB display profile with Display P3's primaries
    (D50-adapted), D65 white and a 2.2 gamma: the colour space phones shoot in."""
    text = b"Display P3 (test)\0"
    desc = (b"desc" + b"\0" * 4 + struct.pack(">I", len(text)) + text
            + b"\0" * 8 + b"\0" * 3 + b"\0" * 67)
    curve = b"curv" + b"\0" * 4 + struct.pack(">IH", 1, round(2.2 * 256)) + b"\0\0"
    tags = [(b"desc", desc), (b"wtpt", _xyz(0.9642, 1.0, 0.8249)),
            (b"rXYZ", _xyz(0.5151, 0.2412, -0.0011)), (b"gXYZ", _xyz(0.2920, 0.6922, 0.0419)),
            (b"bXYZ", _xyz(0.1571, 0.0666, 0.7841)),
            (b"rTRC", curve), (b"gTRC", curve), (b"bTRC", curve)]
    offset = 128 + 4 + 12 * len(tags)
    table, body = b"", b""
    for signature, data in tags:
        body += b"\0" * (-(offset + len(body)) % 4)
        table += signature + struct.pack(">II", offset + len(body), len(data))
        body += data
    size = offset + len(body)
    header = (struct.pack(">I", size) + b"none" + bytes([2, 0x10, 0, 0]) + b"mntr" + b"RGB "
              + b"XYZ " + b"\0" * 12 + b"acsp" + b"\0" * 4 + b"\0" * 4 + b"\0" * 8 + b"\0" * 8
              + b"\0" * 4 + _xyz(0.9642, 1.0, 0.8249)[8:] + b"\0" * 4 + b"\0" * 16 + b"\0" * 28)
    assert len(header) == 128
    return header + struct.pack(">I", len(tags)) + table + body


def p3_to_srgb(image: Image.Image, icc: bytes) -> Image.Image:
    source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
    return ImageCms.profileToProfile(image, source, ImageCms.createProfile("sRGB"),
                                     outputMode="RGB")


def test_the_test_p3_profile_is_a_valid_icc_profile():
    icc = display_p3_icc()
    profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
    assert "Display P3" in ImageCms.getProfileDescription(profile)
    # LittleCMS reads the primaries: P3 orange is more saturated in sRGB numbers.
    r, g, b = p3_to_srgb(Image.new("RGB", (1, 1), (200, 100, 50)), icc).getpixel((0, 0))
    assert r > 205 and b < 40


def test_display_p3_photo_is_converted_to_srgb_without_a_profile(make_site):
    icc = display_p3_icc()
    flat = Image.new("RGB", (640, 480), (200, 100, 50))
    flower = load(FLOWER, "RGB")
    site = photo_site(make_site, {
        "a-flat.jpg": saved(flat, "JPEG", quality=95, icc_profile=icc),
        "b-flower.jpg": saved(flower, "JPEG", quality=95, icc_profile=icc),
    }, formats=ALL_FORMATS)
    build_ok(site)
    for path in (site.output / "media").iterdir():
        with Image.open(path) as im:
            assert not im.info.get("icc_profile"), f"{path.name} carries an ICC profile"
    expected = p3_to_srgb(Image.new("RGB", (1, 1), (200, 100, 50)), icc).getpixel((0, 0))
    for (label, fmt), path in published(site, "a-flat").items():
        r, g, b = load(path, "RGB").getpixel((100, 100))
        assert r > 205 and b < 40, (label, fmt, (r, g, b))  # red up, blue down
        assert all(abs(x - y) <= 6 for x, y in zip((r, g, b), expected)), (label, fmt, (r, g, b))
    converted = p3_to_srgb(flower, icc)
    for fmt, path in largest(site, "b-flower").items():
        out = load(path, "RGB")
        near, unconverted = mean_difference(out, converted), mean_difference(out, flower)
        assert near < 6 and near < unconverted, (fmt, near, unconverted)
        assert ImageStat.Stat(out).mean[0] > ImageStat.Stat(flower).mean[0] + 2  # redder


def test_cmyk_jpeg_comes_out_rgb_and_close_to_the_original(make_site):
    cmyk = saved(load(FLOWER, "RGB").convert("CMYK"), "JPEG", quality=95)
    assert load(cmyk).mode == "CMYK"
    site = photo_site(make_site, {"foto.jpg": cmyk})
    build_ok(site)
    for (label, fmt), path in published(site, "foto").items():
        out = load(path)
        assert out.mode in ("RGB", "RGBA"), (label, fmt, out.mode)
        if label != "og":
            assert mean_difference(out, resized(load(FLOWER), out.size)) < 8, (label, fmt)


def test_16_bit_greyscale_png_is_published(make_site):
    grey = load(DANDELIONS, "L")
    wide = Image.frombytes("I;16", grey.size, b"".join(
        struct.pack("<H", v * 257) for v in grey.tobytes()))
    data = saved(wide, "PNG")
    assert load(data).mode == "I;16"
    site = photo_site(make_site, {"foto.png": data})
    build_ok(site)
    for (label, fmt), path in published(site, "foto").items():
        out = load(path)
        if label != "og":
            assert mean_difference(out, resized(grey, out.size)) < 8, (label, fmt)


def _transparent_corner(image: Image.Image) -> Image.Image:
    """RGBA with the top-left quarter fully transparent."""
    rgba = image.convert("RGBA")
    alpha = Image.new("L", rgba.size, 255)
    alpha.paste(0, (0, 0, rgba.width // 2, rgba.height // 2))
    rgba.putalpha(alpha)
    return rgba


def _palette_with_transparency() -> bytes:
    q = load(FLOWER, "RGB").quantize(255)
    q.putpalette(q.getpalette()[:255 * 3] + [0, 0, 0])
    q.paste(255, (0, 0, 320, 240))
    return saved(q, "PNG", transparency=255)


def test_palette_png_without_transparency_is_published(make_site):
    palette = load(FLOWER, "RGB").quantize(256)
    data = saved(palette, "PNG")
    assert load(data).mode == "P"
    site = photo_site(make_site, {"foto.png": data})
    build_ok(site)
    for fmt, path in largest(site, "foto").items():
        out = load(path)
        assert out.mode == "RGB", (fmt, out.mode)  # nothing transparent: no alpha
        assert mean_difference(out, palette.convert("RGB")) < 8, fmt


@pytest.mark.parametrize("kind", ["rgba", "palette"])
def test_transparency_kept_where_the_format_has_alpha_and_flattened_on_white_in_jpeg(
        make_site, kind):
    data = saved(_transparent_corner(load(FLOWER)), "PNG") if kind == "rgba" \
        else _palette_with_transparency()
    source = load(data)
    assert (source.mode, "transparency" in source.info) in (("RGBA", False), ("P", True))
    site = photo_site(make_site, {"foto.png": data}, formats=ALL_FORMATS)
    build_ok(site)
    assert "webp" in {fmt for _, fmt in published(site, "foto")}
    flower = load(FLOWER, "RGB")
    for (label, fmt), path in published(site, "foto").items():
        out = load(path)
        if label == "og":
            assert out.mode == "RGB" and out.getpixel((5, 5)) >= (250, 250, 250)
            continue
        w, h = out.size
        corner, opaque = (w // 8, h // 8), (w * 3 // 4, h * 3 // 4)
        if fmt == "jpeg":
            assert out.mode == "RGB", (label, out.mode)
            assert min(out.getpixel(corner)) >= 250, (label, out.getpixel(corner))
        else:
            assert out.mode == "RGBA", (label, fmt, out.mode)
            assert out.getpixel(corner)[3] == 0, (label, fmt, out.getpixel(corner))
            assert out.getpixel(opaque)[3] == 255, (label, fmt)
        # the opaque part is the photo
        box = (w // 2 + 4, h // 2 + 4, w, h)
        expected = resized(flower, out.size).crop(box)
        assert mean_difference(out.convert("RGB").crop(box), expected) < 10, (label, fmt)


# -- 3. HEIC -------------------------------------------------------------------------------

def _heic(image: Image.Image, **options) -> bytes:
    pillow_heif = pytest.importorskip("pillow_heif")
    out = io.BytesIO()
    pillow_heif.from_pillow(image).save(out, quality=80, **options)
    return out.getvalue()


def test_heic_photos_are_published_upright(make_site, tmp_path):
    pillow_heif = pytest.importorskip("pillow_heif")
    portrait = _heic(load(DOGS, "RGB"))
    # A phone HEIC shot sideways: pillow-heif stores EXIF orientation 6 as the HEIF
    # rotation, which viewers apply, so the photo is 640x480 upright.
    phone = load(add_phone_exif(SUNSET, tmp_path / "phone.jpg", orientation=6))
    pillow_heif.register_heif_opener()
    sideways = io.BytesIO()
    phone.save(sideways, format="HEIF", quality=80, exif=phone.info["exif"])
    site = photo_site(make_site, {"a-dogs.heic": portrait, "b-sunset.heic": sideways.getvalue()},
                      formats=ALL_FORMATS)
    build_ok(site)
    for stem, original, size in (("a-dogs", DOGS, (480, 640)), ("b-sunset", SUNSET, (640, 480))):
        outputs = largest(site, stem)
        assert set(outputs) == set(ALL_FORMATS)
        for fmt, path in outputs.items():
            out = load(path)
            assert out.size == size, (stem, fmt, out.size)
            assert mean_difference(out, load(original, "RGB")) < 8, (stem, fmt)
    assert not list(site.output.rglob("*.heic"))


# -- 4. animated GIF -----------------------------------------------------------------------

def test_animated_gif_publishes_its_first_frame_and_warns(make_site):
    frames = [load(p, "RGB").convert("P", palette=Image.Palette.ADAPTIVE)
              for p in (SUNSET, DANDELIONS, FLOWER)]
    data = saved(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=200, loop=0)
    with Image.open(io.BytesIO(data)) as gif:
        assert gif.n_frames == 3
        first = gif.convert("RGB")
    site = photo_site(make_site, {"anim.gif": data})
    result = build_ok(site)
    warnings = [str(w) for w in result.warnings]
    assert any(f"{KESET_DIR}/anim.gif" in w and "animated" in w for w in warnings), warnings
    for (label, fmt), path in published(site, "anim").items():
        with Image.open(path) as out:
            assert getattr(out, "n_frames", 1) == 1, (label, fmt)
            assert not getattr(out, "is_animated", False)
        out = load(path)
        if label != "og":
            assert mean_difference(out, resized(first, out.size)) < 8, (label, fmt)
            assert mean_difference(out, resized(frames[1], out.size)) > 20


# -- 5. no metadata, ever ------------------------------------------------------------------

XMP = ('<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
       '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
       'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
       '<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/" '
       'xmlns:aux="http://ns.adobe.com/exif/1.0/aux/" '
       'xmlns:exif="http://ns.adobe.com/exif/1.0/" '
       f'aux:SerialNumber="{SERIAL}" exif:GPSLatitude="6,12.528S" '
       'exif:GPSLongitude="106,50.736E" xmp:CreatorTool="A515FXXU4CUG1"/>'
       '</rdf:RDF></x:xmpmeta><?xpacket end="w"?>').encode()


def _phone_jpeg(tmp_path: Path) -> bytes:
    phone = add_phone_exif(SUNSET, tmp_path / "phone.jpg", orientation=6)
    image = load(phone)
    return saved(image, "JPEG", quality=92, exif=image.info["exif"], xmp=XMP,
                 comment=SERIAL.encode())


def _phone_png(tmp_path: Path) -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_itxt("XML:com.adobe.xmp", XMP.decode())
    info.add_text("Comment", SERIAL)
    return saved(load(SUNSET, "RGB"), "PNG", exif=phone_exif(1), pnginfo=info)


def _phone_webp(tmp_path: Path) -> bytes:
    return saved(load(SUNSET, "RGB"), "WEBP", quality=90, exif=phone_exif(1).tobytes(), xmp=XMP)


def _phone_heic(tmp_path: Path) -> bytes:
    pytest.importorskip("pillow_heif")
    return _heic(load(SUNSET, "RGB"), exif=phone_exif(1).tobytes(), xmp=XMP)


PHONE_FILES = {"jpg": _phone_jpeg, "png": _phone_png, "webp": _phone_webp, "heic": _phone_heic}


@pytest.mark.parametrize("ext", PHONE_FILES)
def test_no_published_file_carries_metadata(make_site, tmp_path, ext):
    data = PHONE_FILES[ext](tmp_path)
    planted = has_metadata(data)
    assert "serial" in planted and "gps" in planted, planted  # the source really has it
    site = photo_site(make_site, {f"foto.{ext}": data}, formats=ALL_FORMATS)
    build_ok(site)
    files = [p for p in site.output.rglob("*") if p.is_file()]
    media = [p for p in files if p.parent.name == "media"]
    assert {fmt for _, fmt in published(site, "foto")} == set(ALL_FORMATS)
    assert any("-og." in p.name for p in media)
    for path in files:  # every file: pages, feeds, every image format, the og image
        found = has_metadata(path.read_bytes())
        assert found == [], f"{path.relative_to(site.output)} carries {found}"
        assert path.read_bytes() != data, f"the original was copied to {path}"
    assert not [p for p in files if p.name == f"foto.{ext}"]
    for path in media:
        with Image.open(path) as im:
            assert not im.getexif()
            assert not {"exif", "xmp", "XML:com.adobe.xmp", "comment", "icc_profile"} & set(im.info), (
                path.name, sorted(im.info))


# -- 6. variant names ----------------------------------------------------------------------

BIG = Photo(Path("content/booths/lapas-uji/keset/Foto Keset.JPG"), "ab" * 32, 4000, 3000)


def names(variants) -> dict[tuple[int, str], str]:
    return {(v.width, v.format): v.name for v in variants}


def test_variant_names_are_stable_and_well_formed():
    first = images.plan(BIG, DEFAULTS)
    again = images.plan(replace(BIG), ImageSettings())
    assert names(first) == names(again)
    assert images.plan_preview(BIG) == images.plan_preview(replace(BIG))
    assert {(v.width, v.format) for v in first} == {
        (w, f) for w in DEFAULTS.widths for f in DEFAULTS.formats}
    assert len({v.name for v in first}) == len(first)
    for v in first:
        assert v.url.startswith("media/") and v.url.endswith("." + v.name)
        m = NAME_RE.match(v.url.removeprefix("media/"))
        assert m and m["stem"] == "foto-keset" and m["label"] == str(v.width), v.url
        assert EXT_FORMAT[m["ext"]] == v.format and v.quality == DEFAULTS.quality_of(v.format)
        assert v.height == round(3000 * v.width / 4000)
    og = images.plan_preview(BIG)
    assert (og.width, og.height, og.format) == (*images.OG_SIZE, "jpeg")
    assert re.fullmatch(r"media/foto-keset-og\.[0-9a-f]{16}\.jpg", og.url)


@pytest.mark.parametrize("file, stem", [
    ("Foto Baru (1).JPG", "foto-baru-1"), ("keset.tar.webp", "keset-tar"), ("..jpg", "photo"),
    ("a.", "a"), ("IMG_2041", "img-2041"), ("Kain Batik Tulis Motif Parang Rusak Barong.jpg",
                                          "kain-batik-tulis-motif-parang-rusak-baro")])
def test_the_readable_part_of_a_url_comes_from_the_file_name(file, stem):
    """Printed and shared links to photos keep working only while this rule holds."""
    photo = replace(BIG, src_path=Path("content/booths/b/p") / file)
    for variant in [*images.plan(photo, DEFAULTS), images.plan_preview(photo)]:
        assert NAME_RE.match(variant.url.removeprefix("media/"))["stem"] == stem, variant.url


def test_a_different_photo_changes_every_name():
    other = replace(BIG, digest="cd" * 32)
    before, after = names(images.plan(BIG, DEFAULTS)), names(images.plan(other, DEFAULTS))
    assert before.keys() == after.keys()
    assert all(before[k] != after[k] for k in before)
    assert images.plan_preview(BIG).name != images.plan_preview(other).name


def test_a_changed_width_changes_it_and_the_smaller_widths_resized_from_it():
    base = ImageSettings(widths=(480, 960, 1600))
    changed = ImageSettings(widths=(480, 1000, 1600))
    before, after = names(images.plan(BIG, base)), names(images.plan(BIG, changed))
    for fmt in base.formats:
        assert before[(1600, fmt)] == after[(1600, fmt)]  # made before the change
        assert before[(480, fmt)] != after[(480, fmt)]  # now resized from 1000, not 960
        assert (960, fmt) not in after and (1000, fmt) not in before
    assert images.plan_preview(BIG) == images.plan_preview(BIG)  # settings play no part


def test_a_changed_format_list_adds_or_drops_only_that_format():
    base = ImageSettings(formats=("webp", "jpeg"))
    more = ImageSettings(formats=("avif", "webp", "jpeg"))
    less = ImageSettings(formats=("jpeg",))
    before = names(images.plan(BIG, base))
    with_avif = names(images.plan(BIG, more))
    assert {k: v for k, v in with_avif.items() if k[1] != "avif"} == before
    assert {k[1] for k in with_avif} == {"avif", "webp", "jpeg"}
    assert names(images.plan(BIG, less)) == {k: v for k, v in before.items() if k[1] == "jpeg"}


@pytest.mark.parametrize("fmt", ["webp", "jpeg", "avif"])
def test_a_changed_quality_changes_only_that_formats_names(fmt):
    formats = ("avif", "webp", "jpeg")
    base = ImageSettings(formats=formats)
    qualities = dict(base.qualities)
    qualities[fmt] = qualities[fmt] - 15
    changed = ImageSettings(formats=formats, qualities=tuple(qualities.items()))
    before, after = names(images.plan(BIG, base)), names(images.plan(BIG, changed))
    assert before.keys() == after.keys()
    for key in before:
        assert (before[key] != after[key]) == (key[1] == fmt), key


def test_pipeline_version_is_part_of_every_name(monkeypatch):
    before = names(images.plan(BIG, DEFAULTS))
    og_before = images.plan_preview(BIG).name
    monkeypatch.setattr(images, "PIPELINE_VERSION", images.PIPELINE_VERSION + "-next")
    after = names(images.plan(BIG, DEFAULTS))
    assert before.keys() == after.keys() and all(before[k] != after[k] for k in before)
    assert images.plan_preview(BIG).name != og_before


# -- 7. the cache --------------------------------------------------------------------------

def planned_count(path: Path, settings: ImageSettings = DEFAULTS) -> int:
    with Image.open(path) as im:
        w, h = im.size
    return len(images.plan(Photo(path, "x" * 64, w, h), settings))


def cache_dir(site: SiteDir) -> Path:
    return site.root / ".cache" / "showcase" / "images"


def media_names(site: SiteDir) -> set[str]:
    return {p.name for p in (site.output / "media").iterdir()}


def test_a_warm_build_makes_no_images(make_site):
    site = photo_site(make_site, {"a.jpg": SUNSET, "b.jpg": DOGS})
    first = build_ok(site)
    total = planned_count(SUNSET) + planned_count(DOGS) + 1  # + the og image
    assert (first.images.made, first.images.reused) == (total, 0)
    second = build_ok(site)
    assert (second.images.made, second.images.reused) == (0, total)
    assert len(media_names(site)) == total


def test_replacing_one_photo_remakes_only_its_variants(make_site):
    site = photo_site(make_site, {"a.jpg": SUNSET, "b.jpg": DANDELIONS})
    build_ok(site)
    before = media_names(site)
    shutil.copyfile(FLOWER, site.content / "booths/lapas-uji/keset/b.jpg")
    result = build_ok(site)
    assert result.images.made == planned_count(FLOWER)
    after = media_names(site)
    assert len(after - before) == result.images.made
    assert all(name.startswith("b-") for name in after - before)
    assert all(name.startswith("b-") for name in before - after)  # old b variants gone
    for name in after - before:
        if name.endswith(".jpg"):
            out = load(site.output / "media" / name)
            assert mean_difference(out, resized(load(FLOWER), out.size)) < 8


def test_a_changed_quality_remakes_only_that_formats_variants(make_site):
    photos = {"a.jpg": SUNSET, "b.jpg": DANDELIONS}
    formats = ("webp", "jpeg")
    site = photo_site(make_site, photos, formats=formats)
    build_ok(site)
    before = {n: (site.output / "media" / n).stat().st_size for n in media_names(site)}
    site.write("content/site.yaml", site_yaml(formats, {"webp": 60}))
    result = build_ok(site)
    webp_count = 2 * len(images.widths_for(Photo(SUNSET, "", 640, 480), DEFAULTS))
    assert result.images.made == webp_count
    assert result.images.reused == len(before) - webp_count
    after = {n: (site.output / "media" / n).stat().st_size for n in media_names(site)}
    assert {n for n in before if not n.endswith(".webp")} == {n for n in after if not n.endswith(".webp")}
    new_webp = sorted(n for n in after if n.endswith(".webp"))
    old_webp = sorted(n for n in before if n.endswith(".webp"))
    assert len(new_webp) == webp_count and not set(new_webp) & set(old_webp)
    # really re-encoded at the lower quality: each one smaller than before
    old_by_label = {n.split(".")[0]: before[n] for n in old_webp}
    for name in new_webp:
        assert after[name] < old_by_label[name.split(".")[0]], name


def _fresh_bytes(site: SiteDir, tmp_path: Path) -> dict[str, bytes]:
    """media/ of the same content built from nothing, in a folder of its own."""
    fresh = SiteDir(tmp_path / "fresh")
    shutil.copytree(site.content, fresh.content)
    build_ok(fresh)
    return {p.name: p.read_bytes() for p in (fresh.output / "media").iterdir()}


def cached(site: SiteDir, pattern: str) -> Path:
    """The cache file behind the published variant whose name matches `pattern`:
    the cache names files by their key alone, the last two parts of the URL."""
    published = next(p for p in sorted((site.output / "media").iterdir()) if re.search(pattern, p.name))
    return cache_dir(site) / published.name.split(".", 1)[1]


def _built_for_damage(make_site) -> tuple[SiteDir, Path, str, bytes]:
    """A built one-photo site; the cache file behind its 640 px JPEG, the name that file
    is published under, and its good bytes."""
    site = photo_site(make_site, {"a.jpg": SUNSET})
    build_ok(site)
    target = cached(site, r"-640\.\w+\.jpg$")
    published = next(p.name for p in (site.output / "media").iterdir()
                     if p.name.endswith("." + target.name))
    return site, target, published, target.read_bytes()


@pytest.mark.parametrize("damage", ["truncated", "longer-garbage"])
def test_a_damaged_cache_file_is_detected_and_remade(make_site, tmp_path, damage):
    site, target, published, good = _built_for_damage(make_site)
    # Replaced as a restored or half-copied cache file is: a new file, not the one the
    # output links to.
    target.unlink()
    target.write_bytes(good[:len(good) // 3] if damage == "truncated"
                       else bytes((i * 7) & 255 for i in range(len(good) + 100)))
    result = build_ok(site)
    assert (result.images.made, result.images.reused) == (1, planned_count(SUNSET))
    assert target.read_bytes() == good
    fresh = _fresh_bytes(site, tmp_path)
    build_ok(site, output=tmp_path / "other-output")  # and into a new output folder
    for out in (site.output, tmp_path / "other-output"):
        published_file = out / "media" / published
        assert published_file.read_bytes() == fresh[published]
        assert load(published_file).size == (640, 480)


def test_a_cache_file_overwritten_with_same_size_garbage_is_remade(make_site, tmp_path):
    site, target, published, good = _built_for_damage(make_site)
    target.unlink()
    target.write_bytes(bytes((i * 7) & 255 for i in range(len(good))))
    result = build_ok(site, output=tmp_path / "new-output")
    published_file = tmp_path / "new-output" / "media" / published
    assert published_file.read_bytes() == good, "garbage was published"
    assert result.images.made == 1


def test_a_cache_file_truncated_in_place_does_not_stay_published(make_site):
    site, target, published, good = _built_for_damage(make_site)
    with open(target, "r+b") as handle:
        handle.truncate(len(good) // 3)
    result = build_ok(site)
    assert result.images.made == 1 and target.read_bytes() == good
    assert (site.output / "media" / published).read_bytes() == good


@pytest.mark.parametrize("orientation", [1, 6])
def test_a_variant_remade_alone_has_the_bytes_of_a_fresh_build(make_site, tmp_path, orientation):
    """Made alone in this process after a cold build on two: the same bytes, also for a
    photo stored sideways (turned upright after its first resize, then resized on)."""
    big = load(SUNSET, "RGB").resize((1920, 1440), Image.Resampling.LANCZOS)
    stored = saved(store_for_orientation(big, orientation), "JPEG", quality=90,
                   exif=phone_exif(orientation))
    site = photo_site(make_site, {"a.jpg": stored, "b.jpg": DOGS})  # two jobs: a real pool
    build_ok(site, workers=2)
    targets = [cached(site, rf"-800\.\w+\.{images.SUFFIX[fmt]}$") for fmt in DEFAULTS.formats]
    good = [target.read_bytes() for target in targets]
    for target in targets:
        target.unlink()
        target.write_bytes(b"x")
    result = build_ok(site, output=tmp_path / "new-output")
    assert result.images.made == len(targets)
    assert [target.read_bytes() for target in targets] == good


def _two_products(make_site, first: str, second: str):
    return photo_site(make_site, {first: SUNSET}, extra={
        "content/booths/lapas-uji/keset-dua/index.md": PRODUCT_MD.replace("UJI-001", "UJI-002"),
        f"content/booths/lapas-uji/keset-dua/{second}": SUNSET.read_bytes()})


def test_an_identical_photo_in_two_products_is_encoded_once(make_site):
    site = _two_products(make_site, "foto.jpg", "foto.jpg")
    result = build_ok(site)
    assert result.images.made == planned_count(SUNSET) + 1
    assert len(media_names(site)) == result.images.made


def test_an_identical_photo_under_another_name_is_encoded_once(make_site):
    site = _two_products(make_site, "foto.jpg", "IMG_0001.jpg")
    result = build_ok(site)
    assert result.images.made == planned_count(SUNSET) + 1


# -- 8. HTML -------------------------------------------------------------------------------

class Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {k: v or "" for k, v in attrs}))


def tags_of(html: str) -> list[tuple[str, dict[str, str]]]:
    parser = Tags()
    parser.feed(html)
    return parser.tags


def target_of(site: SiteDir, page_url: str, ref: str) -> Path:
    return site.output / urlparse(urljoin(f"https://x.test/{page_url}", ref)).path.lstrip("/")


def srcset_files(site: SiteDir, page_url: str, srcset: str) -> list[tuple[Path, int]]:
    entries = []
    for part in srcset.split(","):
        ref, descriptor = part.split()
        assert descriptor.endswith("w"), srcset
        entries.append((target_of(site, page_url, ref), int(descriptor[:-1])))
    return entries


ALT_PRODUCT = PRODUCT_MD.replace("category: keset\n", """\
category: keset
images:
  - {file: a.jpg, alt: {id: Matahari terbenam di bukit, en: Sunset over the hills}}
  - {file: b.jpg, alt: {id: Dua anjing di jendela, en: Two dogs at a window}}
""")


def test_product_page_pictures(make_site):
    formats = ALL_FORMATS
    site = photo_site(make_site, {"a.jpg": SUNSET, "b.jpg": DOGS}, formats=formats,
                      extra={f"{KESET_DIR}/index.md": ALT_PRODUCT})
    build_ok(site)
    for lang, prefix in (("id", ""), ("en", "en/")):
        check_product_page(site, formats, lang, prefix + KESET_PAGE)


def check_product_page(site: SiteDir, formats: tuple[str, ...], lang: str, url: str) -> None:
    html = site.html(url)
    main = html[html.index("<main"):html.index("</main>")]
    tags = tags_of(main)
    imgs = [a for t, a in tags if t == "img" and "/qr/" not in a["src"]]  # photos, not the QR
    sources = [a for t, a in tags if t == "source"]
    assert len(imgs) == 2
    alts = {"id": ["Matahari terbenam di bukit", "Dua anjing di jendela"],
            "en": ["Sunset over the hills", "Two dogs at a window"]}[lang]
    fallback = "jpeg" if "jpeg" in formats else formats[-1]
    others = [f for f in formats if f != fallback]
    assert [s["type"] for s in sources] == [images.MIME[f] for f in others] * 2
    originals = [load(SUNSET, "RGB"), load(DOGS, "RGB")]
    for index, (img, original) in enumerate(zip(imgs, originals)):
        assert img["alt"] == alts[index]
        assert img["sizes"]
        own_sources = sources[index * len(others):(index + 1) * len(others)]
        for source, fmt in zip(own_sources, others):
            assert source["sizes"] == img["sizes"]
            for path, width in srcset_files(site, url, source["srcset"]):
                assert path.suffix == "." + images.SUFFIX[fmt]
                assert load(path).width == width
        for path, width in srcset_files(site, url, img["srcset"]):
            assert path.suffix == "." + images.SUFFIX[fallback] and load(path).width == width
        src = target_of(site, url, img["src"])
        assert src.suffix == "." + images.SUFFIX[fallback]
        assert load(src).size == (int(img["width"]), int(img["height"]))
        assert src in [p for p, _ in srcset_files(site, url, img["srcset"])]
        colour = re.fullmatch(r"background-color: ?(#[0-9a-f]{6});?", img["style"].strip())
        assert colour, img["style"]
        average = ImageStat.Stat(original).mean
        rgb = [int(colour.group(1)[i:i + 2], 16) for i in (1, 3, 5)]
        assert all(abs(a - b) < 16 for a, b in zip(rgb, average)), (rgb, average)
    assert imgs[0]["loading"] == "eager" and imgs[0]["fetchpriority"] == "high"
    assert imgs[1]["loading"] == "lazy" and "fetchpriority" not in imgs[1]
    head = {a.get("property"): a.get("content") for t, a in tags_of(html) if t == "meta"}
    og = head["og:image"]
    m = re.fullmatch(r"https://example\.org/pun/(media/a-og\.[0-9a-f]{16}\.jpg)", og)
    assert m, og
    assert (head["og:image:width"], head["og:image:height"]) == ("1200", "630")
    with Image.open(site.output / m.group(1)) as preview:
        assert preview.format == "JPEG" and preview.size == (1200, 630)


# -- 9. never upscaled ---------------------------------------------------------------------

@pytest.mark.parametrize("photo", [SUNSET, DOGS], ids=["landscape-640", "portrait-480"])
def test_photos_are_never_upscaled(make_site, photo):
    site = photo_site(make_site, {"foto.jpg": photo})
    build_ok(site)
    width = load(photo).width
    variants = published(site, "foto")
    widths = {int(label) for label, _ in variants if label != "og"}
    assert max(widths) == width
    assert widths == {w for w in DEFAULTS.widths if w < width} | {width}
    assert {fmt for _, fmt in variants} == set(DEFAULTS.formats)
    for (label, fmt), path in variants.items():
        if label != "og":
            assert load(path).width == int(label) <= width
    html = site.html(KESET_PAGE)
    img = next(a for t, a in tags_of(html[html.index("<main"):]) if t == "img")
    descriptors = [int(part.split()[1][:-1]) for part in img["srcset"].split(",")]
    assert max(descriptors) == width
    assert int(img["width"]) == width


# -- 10. corrupt inputs --------------------------------------------------------------------

@pytest.mark.parametrize("name", CORRUPT)
def test_an_unusable_photo_fails_the_build_naming_the_file(make_site, name):
    data = CORRUPT[name]()
    if name == "bomb.png":  # a valid header that claims 10^10 pixels
        assert struct.unpack(">II", data[16:24]) == (100_000, 100_000)
        assert zlib.crc32(data[12:29]) == struct.unpack(">I", data[29:33])[0]
        with pytest.raises(Image.DecompressionBombError):
            Image.open(io.BytesIO(data))
    site = photo_site(make_site, {"good.jpg": DOGS, name: data})
    result = site.build()
    assert not result.ok
    problems = [str(p) for p in result.errors]
    assert any(f"{KESET_DIR}/{name}" in p for p in problems), problems
    assert not any(f"{KESET_DIR}/good.jpg" in p for p in problems), problems
    if name == "bomb.png":
        assert any("bomb" in p or "enormous" in p for p in problems), problems
    assert not site.output.exists()
