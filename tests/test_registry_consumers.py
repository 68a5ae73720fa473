"""The commands that read the field registry: `new`, `export`/`import` and the generated
content reference. A field added to the registry alone is validated, scaffolded,
exported, imported and documented, with no other change."""

from __future__ import annotations

import csv
import dataclasses
from pathlib import Path

import pytest

from showcase.commands import reference
from showcase.commands.cli import main as run  # the command line, as `showcase` runs it
from showcase.load import assemble, fields, schema
from tests.helpers import REPO

PRODUCT = "content/booths/lapas-uji/keset/index.md"

MIN_ORDER = fields.Field(
    "min_order", schema.integer(1),
    fields.Words("Pesanan paling sedikit, dalam buah", "The smallest order, in pieces"),
    example="10", column="min_order", widget=fields.Widget("number", minimum=1))


@pytest.fixture
def min_order(monkeypatch):
    """The registry with one more product field, and nothing else changed."""
    monkeypatch.setattr(fields, "PRODUCT", dataclasses.replace(
        fields.PRODUCT, fields=fields.PRODUCT.fields + (MIN_ORDER,)))


def with_min_order(site, value: str) -> Path:
    path = site.root / PRODUCT
    path.write_text(path.read_text("utf-8").replace("price: 75000\n",
                                                    f"price: 75000\nmin_order: {value}\n"),
                    "utf-8")
    return path


def rows(sheet: Path) -> list[dict[str, str]]:
    with sheet.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def set_cell(sheet: Path, column: str, value: str) -> None:
    table = rows(sheet)
    table[0][column] = value
    with sheet.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(table[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(table)


# --- the proof: one field, declared once ----------------------------------------------

def test_a_bad_value_of_the_new_field_is_refused_at_its_line(min_order, make_site, capsys):
    site = make_site()
    with_min_order(site, "banyak")
    assert [str(p) for p in site.build().errors] == [
        f"{PRODUCT}:6: min_order: expected a whole number like 1, got 'banyak'"]
    assert run(["check", "--content", str(site.content)]) == 1
    assert "line 6, min_order: expected a whole number like 1" in capsys.readouterr().out


def test_a_good_value_of_the_new_field_loads(min_order, make_site, monkeypatch):
    made = []
    original = assemble.make

    def spy(model, values, **extra):
        made.append((model, dict(values)))
        return original(model, values, **extra)

    monkeypatch.setattr(assemble, "make", spy)
    site = make_site()
    with_min_order(site, "12")
    result = site.build()
    assert result.ok, [str(p) for p in result.errors]
    products = [values for model, values in made if model is assemble.Product]
    assert [values.get("min_order") for values in products] == [12]


def test_one_template_line_shows_the_new_field_on_its_page(min_order, make_site):
    """Adding a field is its declaration and the template line that shows it: a site theme
    that holds only product.html (the rest inherited) shows the value."""
    site = make_site()
    with_min_order(site, "12")
    template = REPO / "themes" / "default" / "templates" / "product.html"
    shown = "{{ product.price_note|shown }}</span>{% endif %}</p>"
    assert shown in template.read_text("utf-8")
    site.write("themes/default/templates/product.html", template.read_text("utf-8").replace(
        shown, shown + '\n    <p class="min-order">min. {{ product.min_order }}</p>', 1))
    assert site.build().ok
    assert '<p class="min-order">min. 12</p>' in site.html("booths/lapas-uji/keset")
    assert "min-order" not in site.html("booths/lapas-uji")


def test_new_product_scaffolds_the_new_field(min_order, make_site):
    site = make_site()
    assert run(["new", "product", "lapas-uji", "tas", "--content", str(site.content)]) == 0
    text = (site.content / "booths/lapas-uji/tas/index.md").read_text("utf-8")
    assert ("\n# Pesanan paling sedikit, dalam buah / The smallest order, in pieces\n"
            "# min_order: 10\n") in text
    # switched on, the example is valid
    (site.content / "booths/lapas-uji/tas/index.md").write_text(
        text.replace("# min_order: 10", "min_order: 10"), "utf-8")
    assert site.build().ok


def test_export_and_import_carry_the_new_field(min_order, make_site, tmp_path):
    site = make_site()
    with_min_order(site, "12")
    sheet = tmp_path / "products.csv"
    assert run(["export", str(sheet), "--content", str(site.content)]) == 0
    assert list(rows(sheet)[0])[-1] == "min_order" and rows(sheet)[0]["min_order"] == "12"

    set_cell(sheet, "min_order", "banyak")
    assert run(["import", str(sheet), "--content", str(site.content)]) == 1
    assert "min_order: 12\n" in (site.root / PRODUCT).read_text("utf-8")

    set_cell(sheet, "min_order", "24")
    assert run(["import", str(sheet), "--content", str(site.content)]) == 0
    text = (site.root / PRODUCT).read_text("utf-8")
    assert "min_order: 24\n" in text and "min_order: 12" not in text
    assert site.build().ok


def test_the_import_names_the_sheets_line_and_the_new_column(min_order, make_site, tmp_path,
                                                             capsys):
    site = make_site()
    sheet = tmp_path / "products.csv"
    run(["export", str(sheet), "--content", str(site.content)])
    set_cell(sheet, "min_order", "0")
    capsys.readouterr()
    assert run(["import", str(sheet), "--content", str(site.content)]) == 1
    assert f"{sheet}:2: min_order: must be 1 or more, got 0" in capsys.readouterr().err


def test_the_reference_documents_the_new_field(min_order):
    english, indonesian = reference.render("en"), reference.render("id")
    assert ("| `min_order` | whole number, at least 1 |  |  |  | `10` | The smallest order, "
            "in pieces |") in english
    assert ("| `min_order` | bilangan bulat, paling kecil 1 |  |  |  | `10` | Pesanan paling "
            "sedikit, dalam buah |") in indonesian
    assert "min_order: 10" in english


# --- site.yaml through the one reader of site facts ------------------------------------

def test_new_refuses_while_site_yaml_has_a_problem_and_names_it(make_site, capsys):
    site = make_site()
    (site.content / "site.yaml").write_text(
        (site.content / "site.yaml").read_text("utf-8").replace("[id, en]", "[id, EN]"), "utf-8")
    assert run(["new", "booth", "lapas-baru", "--content", str(site.content)]) == 1
    assert (f"{site.content / 'site.yaml'}:3: languages[1]: 'EN' is not valid"
            in capsys.readouterr().err)
    assert not (site.content / "booths/lapas-baru").exists()


# --- the generated reference ----------------------------------------------------------

@pytest.mark.parametrize("path", sorted(reference.OUTPUTS.values()))
def test_the_committed_reference_is_what_the_registry_gives(path):
    committed = (REPO / path).read_bytes()
    assert committed == reference.documents()[path].encode("utf-8"), (
        f"{path} is out of date: run {reference.COMMAND} and commit it")


def test_the_reference_command_writes_both_languages(tmp_path, capsys):
    assert reference.main([str(tmp_path)]) == 0
    for path, text in reference.documents().items():
        assert (tmp_path / path).read_bytes() == text.encode("utf-8")
        assert reference.COMMAND in text.split("\n\n", 2)[1]  # said at the top
    assert capsys.readouterr().out.split() == [
        "wrote", "docs/content-reference.md", "wrote", "docs/id/referensi-konten.md"]


def test_every_field_and_rule_of_the_registry_is_in_the_reference():
    english = reference.render("en")
    for document in reference.DOCUMENTS:
        record = fields.record(document.kind)
        for name, item in reference.walk(record):
            if isinstance(item, fields.Field):
                assert f"| `{name}` |" in english, name
                assert reference._plain(item.doc.en) in english, name
            else:
                assert reference._plain(item.doc.en) in english
