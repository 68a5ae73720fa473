"""`showcase check`'s advice: one small site per warning, the coverage table, the reports.

Every site starts from CLEAN, a default test site with everything translated, alt
text on its photo and a way to order, so that each test changes one thing and can
assert that exactly its warning appears.
"""

from __future__ import annotations

import dataclasses
import io
import json
import shutil
from typing import Any

import pytest
from PIL import Image

from showcase import model
from showcase.commands import advice
from showcase.load import assemble, fields, loader, schema
from showcase.errors import Problems
from showcase.load.photos import GPS_IFD
from tests.helpers import (BASE_URL, BOOTH, BOOTH_MD, PRINT_BASE_URL, PRODUCT, PRODUCT_MD, REPO,
                           SAMPLE_PRINT_BASE_URL, SITE, SITE_YAML)

PHOTO = "content/booths/lapas-uji/keset/keset.jpg"


def jpeg(size=(1200, 900), gps: bool = False, pad: int = 0) -> bytes:
    """A real JPEG; with `gps`, EXIF holding a position as a phone writes it."""
    image = Image.new("RGB", size, (150, 110, 70))
    exif = Image.Exif()
    if gps:
        exif[GPS_IFD] = {1: "S", 2: (6.0, 12.0, 31.68), 3: "E", 4: (106.0, 50.0, 44.16)}
    out = io.BytesIO()
    image.save(out, "JPEG", quality=70, exif=exif.tobytes())
    return out.getvalue() + b"\0" * pad  # bytes after the end marker: a fat file


CLEAN_SITE = SITE_YAML.replace("batik: {name: Batik}", "batik: {name: {id: Batik, en: Batik}}") \
    .replace("venue: {name: Gedung Uji}", "venue: {name: {id: Gedung Uji, en: Test Hall}}") \
    .replace(BASE_URL, PRINT_BASE_URL)  # an example's address is a placeholder check warns of
CLEAN_BOOTH = BOOTH_MD.replace("name: Lapas Uji", "name: {id: Lapas Uji, en: Test Prison}")
CLEAN_PRODUCT = PRODUCT_MD.replace(
    "materials: [sabut kelapa, karet]",
    "materials: {id: [sabut kelapa, karet], en: [coconut coir, rubber]}\n"
    "images:\n  - file: keset.jpg\n"
    "    alt: {id: Keset sabut di depan pintu, en: A coir mat at a door}")

CLEAN = {
    SITE: CLEAN_SITE,
    BOOTH: CLEAN_BOOTH,
    "content/booths/lapas-uji/index.en.md": "---\n---\nThe **Test Prison** workshop.\n",
    PRODUCT: CLEAN_PRODUCT,
    "content/booths/lapas-uji/keset/index.en.md": "---\n---\nA thick coconut-coir doormat.\n",
    PHOTO: jpeg(),
}


def line_of(text: str, start: str) -> int:
    """The 1-based line of the first line of `text` starting with `start`."""
    return next(n for n, line in enumerate(text.split("\n"), 1) if line.lstrip().startswith(start))


def check(make_site, files=None, photo_index=None):
    """Load like `showcase check` does, then advise: (warnings, coverage, problems)."""
    site_dir = make_site({**CLEAN, **(files or {})})
    site, problems = loader.load(site_dir.content, loader.LoadOptions(drafts=True))
    assert site is not None, [str(p) for p in problems.errors]
    coverage = advice.advise(site, problems, photo_index)
    return problems.warnings, coverage, problems


def find(warnings, path: str, field: str, phrase: str):
    found = [w for w in warnings if w.path == path and w.field == field and phrase in w.message]
    assert found, f"no {path} {field}: ...{phrase}... in:\n" + "\n".join(map(str, warnings))
    return found


def test_a_clean_site_has_no_warnings(make_site):
    warnings, coverage, problems = check(make_site)
    assert not problems.errors
    assert [str(w) for w in warnings] == []
    assert coverage.complete["en"] == advice.Share(2, 2)  # a booth and its product


# -- alt text -------------------------------------------------------------------------

def test_photo_without_alt_text_warns_per_language(make_site):
    product = CLEAN_PRODUCT.replace(
        "  - file: keset.jpg\n    alt: {id: Keset sabut di depan pintu, en: A coir mat at a door}",
        "  - keset.jpg")
    warnings, _, _ = check(make_site, {PRODUCT: product})
    line = line_of(product, "- keset.jpg")
    for label in ("Indonesian (id)", "English (en)"):
        [w] = find(warnings, PRODUCT, "images[0]", f"photo 'keset.jpg' has no alt text in {label}")
        assert w.line == line
        assert "alt:" in w.message


def test_alt_text_in_one_language_only_warns_for_the_other(make_site):
    product = CLEAN_PRODUCT.replace(", en: A coir mat at a door}", "}")
    warnings, _, _ = check(make_site, {PRODUCT: product})
    find(warnings, PRODUCT, "images[0]", "no alt text in English (en)")
    assert not [w for w in warnings if "Indonesian (id)" in w.message and "alt" in w.message]


def test_discovered_photos_have_no_alt_and_the_advice_says_to_list_them(make_site):
    product = CLEAN_PRODUCT.split("images:")[0] + "---\nKeset tebal dari sabut kelapa.\n"
    warnings, _, _ = check(make_site, {PRODUCT: product})
    [w] = find(warnings, PRODUCT, "images", "no alt text in English (en)")
    assert "list every photo" in w.message


# -- translations ---------------------------------------------------------------------

def test_untranslated_fields_are_listed_per_entry_and_language(make_site):
    product = CLEAN_PRODUCT.replace("name: {id: Keset Sabut Kelapa, en: Coconut-coir doormat}",
                                    "name: Keset Sabut Kelapa")
    warnings, _, _ = check(make_site, {PRODUCT: product,
                                       "content/booths/lapas-uji/keset/index.en.md": None})
    [w] = find(warnings, PRODUCT, "name, description", "not translated into English (en)")
    assert w.line == line_of(product, "name:")
    assert "create index.en.md" in w.message


def test_translation_in_its_file_counts(make_site):
    product = CLEAN_PRODUCT.replace("name: {id: Keset Sabut Kelapa, en: Coconut-coir doormat}",
                                    "name: Keset Sabut Kelapa")
    warnings, _, _ = check(make_site, {
        PRODUCT: product,
        "content/booths/lapas-uji/keset/index.en.md": "---\nname: Coir mat\n---\nA mat.\n"})
    assert not [w for w in warnings if "translated" in w.message]


def test_untranslated_booth_body_points_at_the_existing_translation(make_site):
    warnings, _, _ = check(make_site, {"content/booths/lapas-uji/index.en.md": "---\n---\n"})
    [w] = find(warnings, BOOTH, "description", "not translated into English (en)")
    assert w.line == line_of(CLEAN_BOOTH, "Bengkel")
    assert "add to index.en.md" in w.message


def test_untranslated_site_yaml_values(make_site):
    warnings, _, _ = check(make_site, {SITE: SITE_YAML})
    [w] = find(warnings, SITE, "event.venue.name, categories.batik.name",
               "not translated into English (en)")
    assert w.line == line_of(SITE_YAML, "event:")


def test_untranslated_page(make_site):
    page = "---\ntitle: Tentang\nmenu: 1\n---\nTentang pameran.\n"
    warnings, _, _ = check(make_site, {"content/pages/tentang.md": page})
    [w] = find(warnings, "content/pages/tentang.md", "title, text",
               "not translated into English (en)")
    assert "create tentang.en.md" in w.message


# -- photo files ----------------------------------------------------------------------

def test_small_photo(make_site):
    warnings, _, _ = check(make_site, {PHOTO: jpeg((800, 600))})
    [w] = find(warnings, PHOTO, "images[0]", "is only 800×600 px")
    assert "1000 px on the long side" in w.message
    assert f"used by {PRODUCT}:" in w.message


def test_small_logo_has_its_own_threshold(make_site):
    booth = CLEAN_BOOTH.replace("stand: A-1", "stand: A-1\nlogo: logo.jpg")
    logo = "content/booths/lapas-uji/logo.jpg"
    warnings, _, _ = check(make_site, {BOOTH: booth, logo: jpeg((400, 400))})
    assert not [w for w in warnings if w.path == logo]
    warnings, _, _ = check(make_site, {BOOTH: booth, logo: jpeg((120, 120))})
    find(warnings, logo, "logo", "is only 120×120 px")


def test_huge_photo_file(make_site):
    warnings, _, _ = check(make_site, {PHOTO: jpeg(pad=advice.MAX_FILE_BYTES)})
    [w] = find(warnings, PHOTO, "images[0]", "MB; files over 25 MB")
    assert "export it" in w.message


def test_gps_in_a_photo_is_reported_as_stripped(make_site, tmp_path):
    warnings, _, _ = check(make_site, {PHOTO: jpeg(gps=True)})
    [w] = find(warnings, PHOTO, "images[0]", "holds a GPS position")
    assert "the build strips it" in w.message


def test_gps_is_found_through_the_photo_index_too(make_site, tmp_path):
    index = tmp_path / "cache" / "photos.json"
    site_dir = make_site({**CLEAN, PHOTO: jpeg(gps=True)})
    site, problems = loader.load(site_dir.content, loader.LoadOptions(photo_index=index))
    assert index.is_file()
    advice.advise(site, problems, index)
    find(problems.warnings, PHOTO, "images[0]", "GPS position")


def test_unused_photos(make_site):
    booth = CLEAN_BOOTH.replace("stand: A-1", "stand: A-1\nlogo: logo.jpg\ncover: sampul.jpg")
    spare = "content/booths/lapas-uji/keset/cadangan.jpg"
    stray = "content/booths/lapas-uji/foto-stand.png"
    warnings, _, _ = check(make_site, {
        BOOTH: booth, spare: jpeg(), stray: jpeg(),
        "content/booths/lapas-uji/logo.jpg": jpeg((400, 400)),
        "content/booths/lapas-uji/sampul.jpg": jpeg((1600, 900))})
    [w] = find(warnings, spare, "", "no page shows this photo")
    assert "not listed under images:" in w.message
    [w] = find(warnings, stray, "", "no page shows this photo")
    assert "logo: and cover:" in w.message
    assert {w.path for w in warnings if "no page shows" in w.message} == {spare, stray}


def test_discovered_photos_are_all_used(make_site):
    product = CLEAN_PRODUCT.split("images:")[0] + "---\nKeset.\n"
    warnings, _, _ = check(make_site, {PRODUCT: product,
                                       "content/booths/lapas-uji/keset/lain.jpg": jpeg()})
    assert not [w for w in warnings if "no page shows" in w.message]


# -- products and booths --------------------------------------------------------------

NO_CONTACT = {
    SITE: CLEAN_SITE.replace('contact: {whatsapp: "0812-0000-0001"}\n', ""),
    BOOTH: CLEAN_BOOTH.replace('contact: {whatsapp: "0812-0000-0002"}\n', "")
    .replace('marketplaces: {tokopedia: "https://www.tokopedia.com/lapas-uji"}\n', ""),
}


def test_product_with_no_price_and_no_way_to_order(make_site):
    product = CLEAN_PRODUCT.replace("price: 75000\n", "")
    warnings, _, _ = check(make_site, {**NO_CONTACT, PRODUCT: product})
    [w] = find(warnings, PRODUCT, "price", "no price and no way to order")
    assert "whatsapp:" in w.message


@pytest.mark.parametrize("change", [
    {},  # it has a price
    {PRODUCT: CLEAN_PRODUCT.replace("price: 75000\n", 'whatsapp: "0812-0000-0009"\n')},
    {PRODUCT: CLEAN_PRODUCT.replace("price: 75000\n",
                                    "marketplaces: {shopee: 'https://shopee.co.id/x'}\n")},
    {PRODUCT: CLEAN_PRODUCT.replace("price: 75000\n", "availability: display-only\n")},
])
def test_a_price_a_way_to_order_or_not_for_sale_is_enough(make_site, change):
    warnings, _, _ = check(make_site, {**NO_CONTACT, **change})
    assert not [w for w in warnings if "no way to order" in w.message]


@pytest.mark.parametrize("remove", [BOOTH, SITE])
def test_booth_or_site_whatsapp_is_a_way_to_order(make_site, remove):
    product = CLEAN_PRODUCT.replace("price: 75000\n", "")
    warnings, _, _ = check(make_site, {**NO_CONTACT, remove: CLEAN[remove], PRODUCT: product})
    assert not [w for w in warnings if "no way to order" in w.message]


def test_booth_without_products(make_site):
    empty = "content/booths/lapas-kosong/index.md"
    warnings, _, _ = check(make_site, {
        empty: "---\nname: {id: Lapas Kosong, en: Empty Prison}\ncode: KSG\n---\n",
    })
    [w] = find(warnings, empty, "", "has no products")
    assert "showcase new product lapas-kosong" in w.message
    assert not [w for w in warnings if w.path == BOOTH]


@pytest.mark.parametrize("consent", ["", "maker_consent: false\n"])
def test_maker_without_consent_is_not_published(make_site, consent):
    product = CLEAN_PRODUCT.replace("price: 75000\n", f"price: 75000\nmaker: Ibu A.\n{consent}")
    warnings, _, _ = check(make_site, {PRODUCT: product})
    [w] = find(warnings, PRODUCT, "maker", "will not be published")
    assert w.line == line_of(product, "maker:")
    assert "maker_consent: true" in w.message


def test_maker_in_a_translation_without_consent(make_site):
    translation = "content/booths/lapas-uji/keset/index.en.md"
    warnings, _, _ = check(make_site, {translation: "---\nmaker: Mrs A.\n---\nA mat.\n"})
    [w] = find(warnings, translation, "maker", "will not be published")
    assert w.line == 2


def test_maker_with_consent_is_published_quietly(make_site):
    product = CLEAN_PRODUCT.replace(
        "price: 75000\n", "price: 75000\nmaker: {id: Bengkel Uji, en: Test Workshop}\n"
        "maker_consent: true\n")
    warnings, coverage, _ = check(make_site, {PRODUCT: product})
    assert [str(w) for w in warnings] == []
    assert "product.maker" not in coverage.fields  # a person's name: not text to translate


# -- coverage -------------------------------------------------------------------------

def test_coverage_with_one_untranslated_product(make_site):
    other = "content/booths/lapas-uji/batik/index.md"
    warnings, coverage, _ = check(make_site, {other: (
        "---\nname: Batik Tulis\ncode: UJI-002\ncategory: batik\nprice: 100000\n"
        "dimensions: 2 × 1 m\n---\nBatik tulis.\n"),
        "content/booths/lapas-uji/batik/batik.jpg": None})
    assert coverage.languages == ("id", "en")
    # a booth and two products; the new product has no English at all
    assert coverage.entries == {"id": advice.Share(3, 3), "en": advice.Share(2, 3)}
    assert coverage.complete["en"] == advice.Share(2, 3)
    assert coverage.fields["product.name"] == {"id": advice.Share(2, 2), "en": advice.Share(1, 2)}
    assert coverage.fields["product.description"]["en"] == advice.Share(1, 2)
    assert coverage.fields["product.dimensions"]["en"] == advice.Share(0, 1)
    assert coverage.fields["product.materials"]["en"] == advice.Share(1, 1)
    assert "booth.name" not in coverage.fields  # a proper name, not translated (README)
    assert "product.price_note" not in coverage.fields  # nobody fills it in
    assert coverage.entries["en"].percent == 66
    find(warnings, other, "name, description, dimensions", "not translated into English (en)")
    text = advice.report_text(Problems(list(warnings)), coverage)
    assert "product name" in text and "1/2  50%" in text


def test_a_localised_field_added_to_the_registry_alone_is_counted(make_site, monkeypatch):
    """The coverage takes its fields from the registry: one more localised field (and its
    attribute on the model) is counted and advised on with no edit to the advice."""
    care = fields.Field("care", schema.localised(), fields.Words("Cara merawat", "How to care "
                                                                 "for it"), localised=True)
    monkeypatch.setattr(fields, "PRODUCT", dataclasses.replace(
        fields.PRODUCT, fields=fields.PRODUCT.fields + (care,)))
    monkeypatch.setattr(assemble, "Product", dataclasses.make_dataclass(
        "Product", [("care", Any, None)], bases=(model.Product,), frozen=True))
    product = CLEAN_PRODUCT.replace("price: 75000\n", "price: 75000\ncare: Cuci dengan air\n")
    assert product != CLEAN_PRODUCT
    warnings, coverage, _ = check(make_site, {PRODUCT: product})
    assert coverage.fields["product.care"] == {"id": advice.Share(1, 1),
                                               "en": advice.Share(0, 1)}
    [w] = find(warnings, PRODUCT, "care", "not translated into English (en)")
    assert w.line == line_of(product, "care:")
    assert "product care" in advice.report_text(Problems(list(warnings)), coverage)


# -- reports --------------------------------------------------------------------------

def test_text_report_groups_by_file_errors_first(make_site):
    problems = Problems()
    problems.warn("content/b.md", 3, "name", "a warning")
    problems.add("content/b.md", 9, "code", "an error")
    problems.warn("content/a.md", None, "", "another warning")
    text = advice.report_text(problems, advice.Coverage())
    assert text == (
        "content/a.md\n"
        "  warning: another warning\n"
        "\n"
        "content/b.md\n"
        "  error: line 9, code: an error\n"
        "  warning: line 3, name: a warning\n"
        "\n"
        "1 error, 2 warnings in 2 files\n")


def test_json_report_holds_the_same_problems_as_the_text(make_site):
    product = CLEAN_PRODUCT.replace("price: 75000\n", "price: 75000\nmaker: Ibu A.\n")
    _, coverage, problems = check(make_site, {PRODUCT: product, PHOTO: jpeg((900, 700), gps=True)})
    problems.add(PRODUCT, 4, "category", "an error for the report")
    text = advice.report_text(problems, coverage)
    document = json.loads(advice.report_json(problems, coverage))
    assert list(document) == ["errors", "warnings", "coverage", "summary"]
    assert document["summary"] == {"errors": 1, "warnings": len(problems.warnings),
                                   "files": len({p.path for p in problems.items})}
    assert text.rstrip().endswith(f"1 error, {len(problems.warnings)} warnings in "
                                  f"{document['summary']['files']} files")
    listed = document["errors"] + document["warnings"]
    assert len(listed) == len(problems.items) >= 4
    for item in listed:
        assert set(item) == {"path", "line", "field", "message", "severity"}
        assert item["message"] in text
        section = text.split(f"{item['path']}\n", 1)[1].split("\n\n", 1)[0]
        assert f"{item['severity']}: " in section and item["message"] in section
    assert [p["severity"] for p in document["errors"]] == ["error"]
    assert document["coverage"]["entries"]["en"] == {"have": 2, "total": 2, "share": 1.0}
    assert advice.report_json(problems, coverage) == advice.report_json(problems, coverage)


def test_no_site_means_no_advice(tmp_path):
    problems = Problems()
    problems.add("content/site.yaml", 1, "title", "is required")
    coverage = advice.advise(None, problems)
    assert coverage == advice.Coverage()
    assert "Translations" not in advice.report_text(problems, coverage)
    assert json.loads(advice.report_json(problems, coverage))["summary"]["errors"] == 1


# -- the sample exhibition ------------------------------------------------------------

def test_sample_exhibition_has_no_errors_and_no_warnings(tmp_path):
    """The sample is a model to copy, so `check --strict` passes on it once it has a real
    address (its own stays on a domain reserved for examples, so that its cards are never
    printed for real); the mistakes the manual shows live in docs/examples/
    (tests/test_docs.py)."""
    root = tmp_path / "sample"
    shutil.copytree(REPO / "content", root / "content")
    site, problems = loader.load(root / "content", loader.LoadOptions(
        drafts=True, base_url=SAMPLE_PRINT_BASE_URL))
    assert site is not None, [str(p) for p in problems.errors]
    coverage = advice.advise(site, problems)
    assert problems.errors == []
    assert [str(w) for w in problems.warnings] == []
    assert coverage.entries["en"].total == len(site.booths) + len(site.products) + len(site.pages)
    assert coverage.complete["en"].have == coverage.complete["en"].total
    json.loads(advice.report_json(problems, coverage))
