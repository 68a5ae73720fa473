"""The spreadsheet round-trip: export, edit a cell, import, and only that line changes."""

from __future__ import annotations

import csv
from pathlib import Path

from showcase.commands import spreadsheet
from showcase.commands.cli import main as run  # the command line, as `showcase` runs it
from showcase.builder import Builder, BuildOptions
from tests.helpers import PRODUCT, PRODUCT_MD

CHAIR = "booths/lapas-cipinang/kursi-jati-minimalis"
BOARD = "booths/lapas-cipinang/talenan-kayu-jati"
TABLE = "booths/lapas-cipinang/meja-tamu-trembesi"


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def write_rows(path: Path, rows: list[dict[str, str]], delimiter: str = ",",
               encoding: str = "utf-8") -> None:
    with path.open("w", encoding=encoding, newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), delimiter=delimiter)
        writer.writeheader()
        writer.writerows(rows)


def edit(path: Path, product: str, **cells: str) -> int:
    """Set cells of one product's row; returns the row's line in the CSV."""
    rows = read_rows(path)
    booth, slug = product.split("/")[1:]
    index = next(i for i, r in enumerate(rows) if (r["booth"], r["slug"]) == (booth, slug))
    for column, value in cells.items():
        rows[index][column.replace("__", ".")] = value
    write_rows(path, rows)
    return index + 2


def changed_lines(before: bytes, after: bytes) -> list[tuple[str, str]]:
    old, new = before.decode().splitlines(), after.decode().splitlines()
    assert len(old) == len(new)
    return [(a, b) for a, b in zip(old, new) if a != b]


def test_export_then_import_changes_no_file(sample, tmp_path):
    before = snapshot(sample)
    sheet = tmp_path / "products.csv"
    count = spreadsheet.export(sample, sheet)
    report = spreadsheet.import_(sample, sheet)
    assert report.ok, report.problems
    assert report.changed == [] and report.unchanged == count == 34
    assert snapshot(sample) == before


def test_export_is_deterministic_and_ordered(sample, tmp_path):
    spreadsheet.export(sample, tmp_path / "a.csv")
    spreadsheet.export(sample, tmp_path / "b.csv")
    data = (tmp_path / "a.csv").read_bytes()
    assert data == (tmp_path / "b.csv").read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf")
    rows = read_rows(tmp_path / "a.csv")
    assert list(rows[0]) == spreadsheet.columns(("id", "en"))
    keys = [(r["booth"], r["slug"]) for r in rows]
    assert keys == sorted(keys)
    chair = next(r for r in rows if r["slug"] == "kursi-jati-minimalis")
    assert chair["price"] == "1250000" and chair["name.en"] == "Minimalist teak chair"
    assert chair["materials.id"] == "Kayu jati Perhutani; Pasak kayu; Finishing melamin doff"
    assert chair["featured"] == "true" and chair["draft"] == ""
    table = next(r for r in rows if r["slug"] == "meja-tamu-trembesi")
    assert table["price"] == "1800000-2750000"
    # The site shows index.en.md's name where it sets one, so the sheet does too.
    board = next(r for r in rows if r["slug"] == "talenan-kayu-jati")
    assert board["name.en"] == "Teak chopping board"


def test_edited_price_and_name_change_only_those_lines(sample, tmp_path):
    chair = sample / CHAIR / "index.md"
    # Comments an organiser wrote must survive, also one at the end of the edited line.
    text = chair.read_text("utf-8").replace("price: 1250000\n",
                                            "# harga pameran\nprice: 1250000  # naik 2019\n")
    chair.write_text(text, "utf-8")
    # The sample translates every field; the table's dimensions are made Indonesian
    # only, as a new entry's are, to see where an English value from the sheet goes.
    table = sample / TABLE / "index.md"
    table.write_text(table.read_text("utf-8").replace(
        "dimensions:\n  id: 110 × 60 × 45 cm\n  en: 110 × 60 × 45 cm\n", "dimensions: 110 × 60 × 45 cm\n"), "utf-8")
    sheet = tmp_path / "products.csv"
    spreadsheet.export(sample, sheet)
    edit(sheet, CHAIR, price="1300000", name__en="Minimalist teak dining chair")
    edit(sheet, BOARD, name__en="Teak carving board")
    edit(sheet, TABLE, price="2000000", dimensions__en="110 × 60 × 45 cm, 30 kg")
    before = snapshot(sample)

    report = spreadsheet.import_(sample, sheet)

    assert report.ok, report.problems
    assert report.changed == sorted([sample / BOARD / "index.en.md", sample / CHAIR / "index.md",
                                      sample / TABLE / "index.en.md", sample / TABLE / "index.md"])
    assert report.unchanged == 31
    after = snapshot(sample)
    assert {k for k in after if after[k] != before[k]} == {
        f"{CHAIR}/index.md", f"{BOARD}/index.en.md", f"{TABLE}/index.md", f"{TABLE}/index.en.md"}
    assert changed_lines(before[f"{CHAIR}/index.md"], after[f"{CHAIR}/index.md"]) == [
        ("  en: Minimalist teak chair", "  en: Minimalist teak dining chair"),
        ("price: 1250000  # naik 2019", "price: 1300000  # naik 2019")]
    assert "# harga pameran\n" in after[f"{CHAIR}/index.md"].decode()
    # index.en.md sets the English name, so that is where the new one goes.
    assert changed_lines(before[f"{BOARD}/index.en.md"], after[f"{BOARD}/index.en.md"]) == [
        ("name: Teak chopping board", "name: Teak carving board")]
    # A price range (three lines) becomes one price; the rest of the file is as it was.
    table_old = before[f"{TABLE}/index.md"].decode()
    assert after[f"{TABLE}/index.md"].decode() == table_old.replace(
        "price:\n  from: 1800000\n  to: 2750000\n", "price: 2000000\n")
    # dimensions is plain text (Indonesian) in index.md: English goes to index.en.md.
    en_old = before[f"{TABLE}/index.en.md"].decode()
    en_new = after[f"{TABLE}/index.en.md"].decode()
    assert en_new == en_old.replace("---\n---\n", "---\ndimensions: 110 × 60 × 45 cm, 30 kg\n---\n", 1)

    result = Builder(BuildOptions(sample, tmp_path / "output", workers=2)).build()
    assert result.ok, [str(p) for p in result.errors]
    page = (tmp_path / "output" / CHAIR / "index.html").read_text("utf-8")
    assert "Rp1.300.000" in page and "Rp1.250.000" not in page
    english = (tmp_path / "output" / "en" / CHAIR / "index.html").read_text("utf-8")
    assert "Minimalist teak dining chair" in english
    # (shown with a no-break space between number and unit: i18n.keep_quantities)
    assert "30\u00a0kg" in (tmp_path / "output" / "en" / TABLE / "index.html").read_text("utf-8")


def test_bad_row_changes_nothing_and_names_line_and_column(sample, tmp_path):
    sheet = tmp_path / "products.csv"
    spreadsheet.export(sample, sheet)
    line = edit(sheet, CHAIR, availability="ready")
    bad = edit(sheet, TABLE, price="75rb", name__en="Coffee table")
    rows = read_rows(sheet)
    for row in rows:
        row["price_not.en"] = ""
    write_rows(sheet, rows)
    before = snapshot(sample)

    report = spreadsheet.import_(sample, sheet)

    assert not report.ok and report.changed == []
    assert snapshot(sample) == before
    messages = [str(p) for p in report.problems]
    shown = str(sheet)
    assert any(m.startswith(f"{shown}:1: price_not.en: unknown column; did you mean "
                            "'price_note.en'?") for m in messages), messages
    assert any(m.startswith(f"{shown}:{line}: availability: 'ready' is not allowed")
               and "in-stock" in m for m in messages), messages
    price = next(m for m in messages if m.startswith(f"{shown}:{bad}: price: "))
    assert "75000" in price and "50000-120000" in price
    assert len(messages) == 3


def test_row_for_a_product_that_does_not_exist(sample, tmp_path):
    sheet = tmp_path / "products.csv"
    spreadsheet.export(sample, sheet)
    rows = read_rows(sheet)
    rows.append({**rows[0], "slug": "kursi-jati-minimalisz", "price": "1"})
    rows.append({**rows[0], "booth": "lapas-kediri"})
    write_rows(sheet, rows)
    before = snapshot(sample)
    report = spreadsheet.import_(sample, sheet)
    assert snapshot(sample) == before
    messages = [str(p) for p in report.problems]
    assert len(messages) == 2
    assert messages[0] == (
        f"{sheet}:{len(rows)}: slug: no product folder booths/lapas-cipinang/"
        "kursi-jati-minimalisz/; did you mean 'kursi-jati-minimalis'?; import changes "
        "existing products only (showcase new product lapas-cipinang kursi-jati-minimalisz "
        "adds one)")
    assert messages[1].startswith(f"{sheet}:{len(rows) + 1}: booth: no booth folder "
                                  "booths/lapas-kediri/")


def test_flow_mappings_new_keys_and_cleared_cells(make_site, tmp_path):
    commented = PRODUCT_MD.replace("---\n", "---\n# Produk andalan\n", 1)
    site = make_site({"content/booths/lapas-uji/keset/index.md": commented})
    sheet = tmp_path / "products.csv"
    spreadsheet.export(site.content, sheet)
    edit(sheet, "booths/lapas-uji/keset", name__en="Coir doormat", price="", featured="TRUE",
         whatsapp="0812-3456-7890", materials__id="sabut kelapa; karet; lem")
    report = spreadsheet.import_(site.content, sheet)
    assert report.ok, report.problems
    assert (site.content / "booths/lapas-uji/keset/index.md").read_text("utf-8") == (
        "---\n"
        "# Produk andalan\n"
        "name: {id: Keset Sabut Kelapa, en: Coir doormat}\n"
        "code: UJI-001\n"
        "category: keset\n"
        "materials: [sabut kelapa, karet, lem]\n"
        "whatsapp: \"0812-3456-7890\"\n"
        "featured: true\n"
        "---\n"
        "Keset tebal dari sabut kelapa.\n")
    assert site.build().ok


def test_code_changes_are_checked(sample, tmp_path):
    sheet = tmp_path / "products.csv"
    spreadsheet.export(sample, sheet)
    printed = edit(sheet, CHAIR, code="CPN-099")
    duplicate = edit(sheet, TABLE, code="CPN-003")
    report = spreadsheet.import_(sample, sheet)
    messages = [str(p) for p in report.problems]
    assert any(m.startswith(f"{sheet}:{printed}: code: CPN-001 is printed on stand cards")
               for m in messages), messages
    assert any(m.startswith(f"{sheet}:{duplicate}: code: 'CPN-003' is also the code of "
                            "booths/lapas-cipinang/rak-buku-susun/") for m in messages), messages


def test_excel_csv_with_bom_and_semicolons(sample, tmp_path):
    """Excel in an Indonesian locale separates cells with ';' and writes a BOM."""
    sheet = tmp_path / "products.csv"
    spreadsheet.export(sample, sheet)
    rows = read_rows(sheet)
    rows[0]["price"] = "1275000"
    write_rows(sheet, rows, delimiter=";", encoding="utf-8-sig")
    report = spreadsheet.import_(sample, sheet)
    assert report.ok, report.problems
    assert report.changed == [sample / CHAIR / "index.md"]
    assert "price: 1275000\n" in (sample / CHAIR / "index.md").read_text("utf-8")


def test_commands_and_exit_status(sample, tmp_path, capsys):
    sheet = tmp_path / "products.csv"
    assert run(["export", str(sheet), "--content", str(sample)]) == 0
    assert run(["import", str(sheet), "--content", str(sample)]) == 0
    assert "0 file(s) updated, 34 row(s) unchanged" in capsys.readouterr().out
    assert run(["import", str(tmp_path / "missing.csv"), "--content", str(sample)]) == 2
    edit(sheet, CHAIR, featured="ya")
    assert run(["import", str(sheet), "--content", str(sample)]) == 1
    err = capsys.readouterr().err
    assert "featured: expected true or false, got 'ya'" in err
    assert err.rstrip().endswith("nothing was changed")


def test_windows_line_endings_are_kept_and_short_rows_refused(make_site, tmp_path):
    site = make_site()
    product = site.content / "booths/lapas-uji/keset/index.md"
    product.write_bytes(product.read_bytes().replace(b"\n", b"\r\n"))
    sheet = tmp_path / "products.csv"
    spreadsheet.export(site.content, sheet)
    edit(sheet, "booths/lapas-uji/keset", price="80000", availability="sold-out")
    assert spreadsheet.import_(site.content, sheet).ok
    text = product.read_bytes()
    assert b"price: 80000\r\nmaterials: [sabut kelapa, karet]\r\navailability: sold-out\r\n---\r\n" in text
    assert text.count(b"\r\n") == text.count(b"\n")

    sheet.write_text(sheet.read_text("utf-8").splitlines()[0] + "\nlapas-uji,keset,UJI-001\n", "utf-8")
    before = snapshot(site.content)
    report = spreadsheet.import_(site.content, sheet)
    assert [str(p) for p in report.problems] == [
        f"{sheet}:2: has 3 cells, the header has 21; a cell is missing or one too many "
        "(check for a separator inside a value: quote that value)"]
    assert snapshot(site.content) == before


# -- what a spreadsheet program does to a sheet, and .xlsx ---------------------------------

def test_xlsx_export_is_deterministic_text_typed_and_reads_back_unchanged(sample, tmp_path):
    import zipfile
    from openpyxl import load_workbook

    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    assert spreadsheet.export(sample, first) == 34
    spreadsheet.export(sample, second)
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as archive:
        assert {info.date_time for info in archive.infolist()} == {(2000, 1, 1, 0, 0, 0)}
        assert b"2000-01-01T00:00:00Z" in archive.read("docProps/core.xml")
    sheet = load_workbook(first).active
    header = [c.value for c in sheet[1]]
    chair = [c for c in sheet[2]]
    assert chair[header.index("code")].number_format == "@"
    assert chair[header.index("code")].value == "CPN-001"
    assert chair[header.index("price")].value == 1250000  # a number, to sum and sort
    before = snapshot(sample)
    report = spreadsheet.import_(sample, first)
    assert report.ok and report.changed == [] and report.unchanged == 34, report.problems
    assert snapshot(sample) == before


def test_damaged_cells_are_refused_with_what_arrived_and_what_was_expected(make_site, tmp_path):
    site = make_site({PRODUCT: PRODUCT_MD.replace(
        "price: 75000\n", 'price: 75000\nwhatsapp: "+6281234567890"\n'
        "dimensions: \"40 × 60 cm\"\n")})
    sheet = tmp_path / "products.csv"
    spreadsheet.export(site.content, sheet)
    line = edit(sheet, "booths/lapas-uji/keset", whatsapp="6281234567890", code="UJI-009",
                dimensions__id="40 Ã— 60 cm", name__en="TRUE")
    before = snapshot(site.content)
    report = spreadsheet.import_(site.content, sheet)
    messages = [str(p) for p in report.problems]
    assert sorted(messages) == [
        f"{sheet}:{line}: code: got 'UJI-009', expected 'UJI-001': a code is not changed by "
        "a sheet, since its QR code and short link follow it; change it in the product's "
        "file, where check and cards see it",
        f"{sheet}:{line}: dimensions.id: got '40 Ã— 60 cm', expected '40 × 60 cm' (a "
        "spreadsheet program read the UTF-8 sheet as Windows-1252; open the CSV choosing "
        "UTF-8, or export to .xlsx)",
        f"{sheet}:{line}: name.en: got 'TRUE', expected 'Coconut-coir doormat' (a spreadsheet "
        "program took the cell for a yes/no value; format the column as text and type the "
        "words again)",
        f"{sheet}:{line}: whatsapp: got '6281234567890', expected '+6281234567890' (a "
        "spreadsheet program drops the leading 0 of numbers; export to .xlsx, or format the "
        "column as text)"], messages
    assert snapshot(site.content) == before


def test_a_workbook_is_read_as_one_whatever_its_name(sample, tmp_path):
    """A workbook saved as products.csv is read, not refused as 'not UTF-8'; a file that
    is no workbook is one problem, not three."""
    sheet = tmp_path / "products.csv"
    spreadsheet.export(sample, tmp_path / "products.xlsx")
    sheet.write_bytes((tmp_path / "products.xlsx").read_bytes())
    report = spreadsheet.import_(sample, sheet)
    assert report.ok and report.unchanged == 34, report.problems
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really")
    assert [str(p) for p in spreadsheet.import_(sample, broken).problems] == [
        f"{broken}: cannot be read as an .xlsx workbook; save it again from the spreadsheet "
        "program as .xlsx or as CSV (UTF-8)"]
