"""The photo fixtures and the helpers that plant and find phone metadata."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageOps

from tests.helpers import (BODY_SERIAL, DANDELIONS, DATETIME_ORIGINAL, DOGS, EXIF_IFD, FLOWER,
                           GPS_IFD, GPS_LAT, GPS_LAT_REF, GPS_LON, GPS_LON_REF, MAKE, MODEL,
                           ORIENTATION, PHOTOS, SERIAL, SOFTWARE, SUNSET, add_phone_exif,
                           has_metadata, mean_difference)

FIXTURES = [SUNSET, DANDELIONS, DOGS, FLOWER]


def test_every_photo_fixture_is_documented():
    sources = (PHOTOS / "SOURCES.md").read_text("utf-8")
    for path in PHOTOS.iterdir():
        if path.name != "SOURCES.md":
            assert f"`{path.name}`" in sources, f"{path.name} has no entry in SOURCES.md"


def test_fixtures_are_small_plain_jpegs():
    sizes = set()
    for path in FIXTURES:
        data = path.read_bytes()
        assert len(data) < 60_000, path.name
        with Image.open(path) as im:
            assert im.format == "JPEG"
            assert im.mode == "RGB"
            assert sorted(im.size) == [480, 640], path.name
            assert "icc_profile" not in im.info
            sizes.add(im.size)
        assert has_metadata(data) == [], path.name
    assert sizes == {(640, 480), (480, 640)}  # landscape and portrait both present


def test_add_phone_exif_plants_phone_metadata(tmp_path):
    out = add_phone_exif(SUNSET, tmp_path / "phone.jpg", 3)
    with Image.open(out) as im:
        assert im.format == "JPEG"
        assert im.size == (640, 480)
        exif = im.getexif()
    assert exif[ORIENTATION] == 3
    assert exif[MAKE] and exif[MODEL] and exif[SOFTWARE]
    sub = exif.get_ifd(EXIF_IFD)
    assert sub[BODY_SERIAL] == SERIAL
    assert sub[DATETIME_ORIGINAL] == "2019:03:26 10:15:42"
    gps = exif.get_ifd(GPS_IFD)
    assert gps[GPS_LAT_REF] == "S" and gps[GPS_LON_REF] == "E"
    lat = sum(float(v) / 60**i for i, v in enumerate(gps[GPS_LAT]))
    lon = sum(float(v) / 60**i for i, v in enumerate(gps[GPS_LON]))
    assert lat == pytest.approx(6.2088, abs=1e-3)      # Jakarta
    assert lon == pytest.approx(106.8456, abs=1e-3)

    assert has_metadata(out.read_bytes()) == ["exif", "gps", "serial", "pillow-exif"]


def test_custom_serial_is_found(tmp_path):
    out = add_phone_exif(FLOWER, tmp_path / "p.jpg", serial="RZ8N70ABCDE")
    data = out.read_bytes()
    assert "serial" in has_metadata(data, serial="RZ8N70ABCDE")
    assert "serial" not in has_metadata(data)  # the default serial was not planted


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_plain_resave_carries_nothing(tmp_path, fmt):
    out = add_phone_exif(DANDELIONS, tmp_path / "p.jpg", 6)
    buf = io.BytesIO()
    with Image.open(out) as im:
        ImageOps.exif_transpose(im).save(buf, fmt)   # Pillow writes no EXIF unless asked
    assert has_metadata(buf.getvalue()) == []


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_resave_that_keeps_exif_is_caught(tmp_path, fmt):
    out = add_phone_exif(DANDELIONS, tmp_path / "p.jpg", 6)
    buf = io.BytesIO()
    with Image.open(out) as im:
        im.save(buf, fmt, exif=im.getexif())
    found = has_metadata(buf.getvalue())
    assert {"gps", "serial", "pillow-exif"} <= set(found)


def test_orientation_6_stores_pixels_rotated(tmp_path):
    src = DOGS
    out = add_phone_exif(src, tmp_path / "o6.jpg", 6)
    with Image.open(src) as upright, Image.open(out) as stored:
        upright = upright.convert("RGB")
        assert upright.size == (480, 640)
        assert stored.size == (640, 480)                       # sensor-shaped, as a phone stores it
        assert stored.getexif()[ORIENTATION] == 6
        # Stored = upright turned 90° anticlockwise; the viewer turns it back clockwise.
        assert mean_difference(stored, upright.transpose(Image.Transpose.ROTATE_90)) < 2
        assert mean_difference(ImageOps.exif_transpose(stored), upright) < 2


@pytest.mark.parametrize("orientation", range(1, 9))
def test_every_orientation_shows_upright_after_exif_transpose(tmp_path, orientation):
    src = SUNSET
    out = add_phone_exif(src, tmp_path / f"o{orientation}.jpg", orientation)
    with Image.open(src) as upright, Image.open(out) as stored:
        assert stored.getexif()[ORIENTATION] == orientation
        shown = ImageOps.exif_transpose(stored)
        assert mean_difference(shown, upright) < 2
        if orientation != 1:   # the tag is really needed: raw pixels are not upright
            raw = stored.convert("RGB")
            assert raw.size != upright.size or mean_difference(raw, upright) > 10


def test_has_metadata_finds_xmp_and_ignores_non_images():
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:xmp="http://ns.adobe.com/xap/1.0/"/></x:xmpmeta>'
    buf = io.BytesIO()
    with Image.open(FLOWER) as im:
        im.save(buf, "JPEG", xmp=xmp)
    assert has_metadata(buf.getvalue()) == ["xmp"]
    assert has_metadata(b"not an image") == []
