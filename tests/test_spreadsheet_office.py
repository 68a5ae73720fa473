"""The spreadsheet round trip through a real LibreOffice Calc: export, Calc, import.

Calc is driven headless (`soffice --convert-to`), which opens a file with the same import
filter, and the same default options, as a person opening it does; converting a CSV to
CSV is "open the CSV in Calc, save it as CSV". Those defaults are what spoil a sheet:
081234567890 becomes the number 81234567890. The tests show that import refuses such a
sheet and writes nothing, that the .xlsx route keeps every value, and that a price
changed in Calc's output changes that one line of one file.

Calc comes from Debian's `libreoffice-calc-nogui` (`.ci/run` installs it). Without it
these tests skip on a developer's machine but fail under CI=true, as the browser tests
do, so CI cannot pass by silently testing nothing.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from showcase.commands import spreadsheet
from tests.helpers import PRODUCT, PRODUCT_MD, tree

PHONE = "081234567890"
# A second product whose WhatsApp number starts with 0, as Indonesian numbers do, and
# whose size holds an en dash, which UTF-8 writes in three bytes.
TIKAR = "content/booths/lapas-uji/tikar/index.md"
TIKAR_MD = f"""\
---
name: {{id: Tikar Pandan, en: Pandan mat}}
code: UJI-002
category: keset
price: 120000
dimensions: "100–120 cm"
whatsapp: "{PHONE}"
---
Tikar anyaman pandan.
"""
LINE = "3"  # tikar's row: keset sorts first
TIMEOUT = 60  # seconds for one conversion; each takes one or two


@pytest.fixture
def soffice() -> str:
    """LibreOffice's command: skipped where it is missing, failed where CI=true."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("LibreOffice Calc (Debian's libreoffice-calc-nogui) is not installed; "
                        ".ci/run must install it")
        pytest.skip("LibreOffice Calc (Debian's libreoffice-calc-nogui) is not installed")
    return found


@pytest.fixture
def site(make_site):
    return make_site({TIKAR: TIKAR_MD})


def calc(soffice: str, source: Path, target: str, tmp_path: Path) -> Path:
    """`source` opened in Calc with its default options and saved as `target` (csv,
    xlsx): a profile of its own, so no setting of another run, or of a person, applies."""
    out = tmp_path / f"calc-{source.suffix[1:]}-to-{target}"
    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run([soffice, "--headless", "--norestore", f"-env:UserInstallation={profile}",
                    "--convert-to", target, "--outdir", str(out), str(source)],
                   check=True, capture_output=True, timeout=TIMEOUT)
    return out / f"{source.stem}.{target}"


def messages(report) -> list[str]:
    return [str(p) for p in report.problems]


def changed_files(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return sorted(name for name in before.keys() | after.keys()
                  if before.get(name) != after.get(name))


def test_a_csv_saved_by_calc_loses_the_leading_zero_and_is_refused(soffice, site, tmp_path):
    sheet = tmp_path / "products.csv"
    spreadsheet.export(site.content, sheet)
    saved = calc(soffice, sheet, "csv", tmp_path)
    assert f",81234567890," in saved.read_text("utf-8")  # the real damage, reproduced
    before = tree(site.content)
    report = spreadsheet.import_(site.content, saved)
    assert any(m.startswith(f"{saved}:{LINE}: whatsapp: got '81234567890', expected "
                            f"'{PHONE}' (a spreadsheet program drops the leading 0 of numbers; "
                            "export to .xlsx, or format the column as text)")
               for m in messages(report)), messages(report)
    assert tree(site.content) == before


def test_a_csv_saved_by_calc_reading_it_as_windows_1252_is_refused(soffice, site, tmp_path):
    """Calc's filter options name the character set; 1 is Windows-1252, the choice a
    Western European system offers first."""
    sheet = tmp_path / "products.csv"
    spreadsheet.export(site.content, sheet)
    out = tmp_path / "ansi"
    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run([soffice, "--headless", "--norestore", f"-env:UserInstallation={profile}",
                    "--infilter=CSV:44,34,1,1", "--convert-to", "csv:Text - txt - csv "
                    "(StarCalc):44,34,76", "--outdir", str(out), str(sheet)],
                   check=True, capture_output=True, timeout=TIMEOUT)
    saved = out / sheet.name
    assert "100â€“120 cm" in saved.read_text("utf-8")
    before = tree(site.content)
    report = spreadsheet.import_(site.content, saved)
    assert any(m.startswith(f"{saved}:{LINE}: dimensions.id: got '100â€“120 cm', expected "
                            "'100–120 cm' (a spreadsheet program read the UTF-8 sheet as "
                            "Windows-1252") for m in messages(report)), messages(report)
    assert tree(site.content) == before


def test_a_price_changed_in_a_csv_saved_by_calc_changes_that_line_only(soffice, make_site,
                                                                         tmp_path):
    site = make_site()  # no number with a leading 0: the CSV route is safe for it
    sheet = tmp_path / "products.csv"
    spreadsheet.export(site.content, sheet)
    saved = calc(soffice, sheet, "csv", tmp_path)
    with saved.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    rows[0]["price"] = "80000"
    with saved.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    before = tree(site.content)
    report = spreadsheet.import_(site.content, saved)
    assert report.ok, messages(report)
    assert changed_files(before, tree(site.content)) == ["booths/lapas-uji/keset/index.md"]
    after = (site.root / PRODUCT).read_text("utf-8")
    assert after == PRODUCT_MD.replace("price: 75000", "price: 80000")


def test_an_xlsx_through_calc_keeps_every_value_and_changes_one_price(soffice, site,
                                                                      tmp_path):
    from openpyxl import load_workbook

    sheet = tmp_path / "products.xlsx"
    spreadsheet.export(site.content, sheet)
    saved = calc(soffice, sheet, "xlsx", tmp_path)
    before = tree(site.content)
    report = spreadsheet.import_(site.content, saved)
    assert report.ok and report.changed == [], messages(report)
    book = load_workbook(saved)
    cells = book.active
    header = [c.value for c in cells[1]]
    row = int(LINE)
    assert cells.cell(row, header.index("whatsapp") + 1).value == PHONE  # kept as text
    cells.cell(row, header.index("price") + 1).value = 135000
    book.save(saved)
    report = spreadsheet.import_(site.content, saved)
    assert report.ok, messages(report)
    assert changed_files(before, tree(site.content)) == ["booths/lapas-uji/tikar/index.md"]
    after = (site.root / TIKAR).read_text("utf-8")
    assert after == TIKAR_MD.replace("price: 120000", "price: 135000")


def test_a_csv_saved_as_xlsx_by_calc_is_refused(soffice, site, tmp_path):
    """Opening the CSV in Calc and saving a workbook: the number is a number cell now."""
    sheet = tmp_path / "products.csv"
    spreadsheet.export(site.content, sheet)
    saved = calc(soffice, sheet, "xlsx", tmp_path)
    before = tree(site.content)
    report = spreadsheet.import_(site.content, saved)
    assert any(m.startswith(f"{saved}:{LINE}: whatsapp: got '81234567890', expected "
                            f"'{PHONE}' (a spreadsheet program drops the leading 0")
               for m in messages(report)), messages(report)
    assert tree(site.content) == before
