"""The field registry: each check's typed value and its message for a bad one, the rules
between fields, and the registry's own consistency (words, examples, widgets)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
import yaml

from showcase.errors import Problems
from showcase.load import fields, schema
from showcase.load.fields import WIDGET_KINDS, ImageRef, Record
from showcase.load.schema import INVALID, At, Context
from showcase.load.source import parse_yaml
from showcase.model import (Availability, Category, Contact, Event, ImageSettings, Localised,
                            Marketplace, Organiser, Price, Product, SiteConfig, Venue)
from tests.conftest import SITE_YAML

LANGUAGES = ("id", "en")
CATEGORIES = ("keset", "batik")


def check(run, raw, languages=LANGUAGES):
    """(typed value, problems as 'line: field: message') of `run` on YAML text `raw`."""
    problems = Problems()
    value, errors = parse_yaml(f"v: {raw}" if not raw.startswith("\n") else f"v:{raw}")
    assert not errors, errors
    ctx = Context("f.md", problems, languages, CATEGORIES,
                  tuple(schema.BUILTIN_MARKETPLACES), dict(schema.BUILTIN_MARKETPLACES))
    typed = run(value["v"], At(ctx, "v", value.lines["v"]))
    return typed, [f"{p.line}: {p.field}: {p.message}" for p in problems.items]


def ok(run, raw):
    typed, problems = check(run, raw)
    assert not problems, problems
    return typed


def loc(**values):
    return Localised.of(values, "id")


@pytest.mark.parametrize("run, raw, expected", [
    (schema.text, "Keset", "Keset"),
    (schema.text, "12", "12"),
    (schema.phone, '"0812-3456-7890"', "0812-3456-7890"),
    (schema.email, "a@example.org", "a@example.org"),
    (schema.base_url, "https://example.org/pun", "https://example.org/pun/"),
    (schema.integer(0), "3", 3),
    (schema.boolean, "true", True),
    (schema.date, "2019-03-26", dt.date(2019, 3, 26)),
    (schema.localised(), "Keset", loc(id="Keset")),
    (schema.localised(), "{id: Keset, en: Doormat}", loc(id="Keset", en="Doormat")),
    (schema.list_of(schema.text), "[a, b]", ("a", "b")),
    (schema.localised(schema.list_of(schema.text, allow_single=True)), "karet",
     loc(id=("karet",))),
    (fields.price, "75000", Price(75000, 75000)),
    (fields.price, "{from: 50000, to: 120000}", Price(50000, 120000)),
    (fields.PRODUCT.field("availability").check, "sold-out", Availability.SOLD_OUT),
    (fields.PRODUCT.field("marketplaces").check, "{tokopedia: 'https://tokopedia.com/x'}",
     (Marketplace("tokopedia", "Tokopedia", "https://tokopedia.com/x"),)),
    (fields.CONTACT.build, '{whatsapp: "0812-0000-0001"}', Contact(whatsapp="0812-0000-0001")),
    (fields.EVENT.build, "{start: 2019-03-26, end: 2019-03-28, venue: {name: Aula}}",
     Event(dt.date(2019, 3, 26), dt.date(2019, 3, 28), None, Venue(loc(id="Aula")))),
    (fields.ORGANISER.build, "{name: Panitia}", Organiser(loc(id="Panitia"))),
    (fields.SITE.field("categories").check, "{keset: {name: Keset}}",
     (Category("keset", loc(id="Keset")),)),
    (fields.IMAGES.build, "{widths: [800, 480, 800], quality: 70}",
     ImageSettings(widths=(480, 800), qualities=(("avif", 70), ("webp", 70), ("jpeg", 70)))),
    (fields.image_ref, "foto.jpg", ImageRef("foto.jpg")),
    (fields.image_ref, "{file: foto.jpg, alt: Keset}", ImageRef("foto.jpg", loc(id="Keset"))),
])
def test_a_check_gives_the_typed_value(run, raw, expected):
    assert ok(run, raw) == expected


@pytest.mark.parametrize("run, raw, expected", [
    (schema.text, "[a]", "1: v: expected text, got a list"),
    (schema.phone, "81234567890", '1: v: write phone numbers in quotes, e.g. "0812-3456-7890"'),
    (schema.email, "nobody", "1: v: 'nobody' is not an e-mail address"),
    (schema.https_url, "http://x.org", "1: v: 'http://x.org' is not a web address starting "
                                       "with https://"),
    (schema.integer(0), "-1", "1: v: must be 0 or more, got -1"),
    (schema.boolean, "yes please", "1: v: expected true or false"),
    (schema.date, "tomorrow", "1: v: expected a date like 2019-03-26"),
    (schema.localised(), "{fr: Paillasson}", "1: v.fr: 'fr' is not a language"),
    (schema.category, "kest", "1: v: 'kest' is not a category of site.yaml; did you mean 'keset'?"),
    (fields.price, '"75rb"', "1: v: expected whole rupiah like 75000"),
    (fields.price, "{from: 90000, to: 50000}", "1: v: 'from' (90000) is more than 'to' (50000); "
                                               "swap them"),
    (fields.PRODUCT.field("availability").check, "instock",
     "1: v: 'instock' is not allowed; did you mean 'in-stock'?"),
    (fields.CONTACT.build, "\n  whatsapp: '0812-0000-0001'\n  emial: a@b.org",
     "3: v.emial: unknown field; did you mean 'email'?"),
    (fields.VENUE.build, "{address: Jl. Contoh}", "1: v.name: is required: the venue's name"),
])
def test_a_bad_value_is_reported_at_its_line(run, raw, expected):
    typed, problems = check(run, raw)
    assert typed is INVALID
    assert any(p.startswith(expected) for p in problems), problems


# -- rules ----------------------------------------------------------------------------------

def test_an_event_ending_before_it_starts_is_reported_at_end():
    typed, problems = check(fields.EVENT.build, "\n  start: 2019-03-26\n  end: 2019-03-25")
    assert typed is INVALID
    assert problems == ["3: v.end: 2019-03-25 is before v.start (2019-03-26); the last day "
                        "cannot come before the first: swap them, or correct the date"]


def test_a_one_day_event_is_fine():
    assert ok(fields.EVENT.build, "{start: 2019-03-26, end: 2019-03-26}").end == dt.date(2019, 3, 26)


def test_a_backwards_event_refuses_the_build(make_site):
    site_yaml = SITE_YAML.replace("event: {start: 2019-03-26, end: 2019-03-28, venue: {name: "
                                  "Gedung Uji}}", "event:\n  start: 2019-03-26\n  end: 2019-03-25\n"
                                  "  venue: {name: Gedung Uji}")
    site = make_site({"content/site.yaml": site_yaml})
    result = site.build()
    assert [str(p) for p in result.errors] == [
        "content/site.yaml:6: event.end: 2019-03-25 is before event.start (2019-03-26); the last "
        "day cannot come before the first: swap them, or correct the date"]
    assert not site.output.exists() or not any(site.output.iterdir())


# -- the registry itself --------------------------------------------------------------------

def all_records() -> list[Record]:
    return [fields.SITE, fields.BOOTH, fields.PRODUCT, fields.PAGE, fields.PRINTED,
            *fields.nested().values()]


def every_field():
    return [pytest.param(record, spec, id=f"{record.name}.{spec.name}")
            for record in all_records() for spec in record.fields]


@pytest.mark.parametrize("record, spec", every_field())
def test_every_field_is_documented_with_a_valid_example(record, spec):
    assert spec.doc.id.strip() and spec.doc.en.strip()
    assert spec.widget.kind in WIDGET_KINDS
    assert spec.example is not None
    assert spec.localised == (record.name != "printed" and spec.name in record.localised)
    if spec.required:
        assert spec.required_hint
    typed, problems = check(spec.check, spec.example)
    assert not problems and typed is not INVALID, problems
    if spec.default is not None:
        assert check(spec.check, spec.default)[1] == []


def test_defaults_agree_with_the_model():
    """An absent field means its documented default: the model's own default."""
    models = {"product": Product, "site": SiteConfig}
    for record in (fields.PRODUCT, fields.SITE):
        defaults = {f.name: f.default for f in dataclasses.fields(models[record.name])}
        for spec in record.fields:
            if spec.default is not None and spec.name in defaults:
                model_default = defaults[spec.name]
                if model_default is dataclasses.MISSING:
                    continue
                assert ok(spec.check, spec.default) == model_default, spec.name


def test_the_spreadsheet_columns_are_the_scalar_product_fields():
    columns = [f.column for f in fields.PRODUCT.fields if f.column]
    assert set(columns) == set(fields.PRODUCT.names) - {"images", "marketplaces"}
    assert all(f.column == f.name for f in fields.PRODUCT.fields if f.column)


def test_a_field_added_to_the_registry_is_validated(monkeypatch, make_site):
    """Consumers read the record at call time: one more field is checked at once."""
    extra = fields.Field("min_order", schema.integer(1), fields.Words("Pesanan minimum",
                                                                      "Minimum order"),
                         example="10", widget=fields.Widget("number", minimum=1))
    monkeypatch.setattr(fields, "PRODUCT", dataclasses.replace(
        fields.PRODUCT, fields=fields.PRODUCT.fields + (extra,)))
    site = make_site({"content/booths/lapas-uji/keset/index.md": """\
        ---
        name: Keset
        code: UJI-001
        category: keset
        min_order: 0
        ---
        """})
    assert [str(p) for p in site.build().errors] == [
        "content/booths/lapas-uji/keset/index.md:5: min_order: must be 1 or more, got 0"]


def test_examples_are_yaml():
    for record in all_records():
        for spec in record.fields:
            yaml.safe_load(f"v:{spec.example}" if spec.example.startswith("\n")
                           else f"v: {spec.example}")
