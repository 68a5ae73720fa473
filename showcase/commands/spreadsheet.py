"""Products to a spreadsheet and back: `showcase export` and `showcase import`.

Organisers keep stock and prices in spreadsheets. `export` writes one row per product,
as CSV or as an .xlsx workbook; `import_` reads the sheet back and, only when every row
is right, rewrites in place the lines of the values that changed, so that comments, key
order, Markdown bodies and every untouched line stay byte for byte and `git diff` shows
just the edit.

The sheet:

- a column per product field that the registry gives a `column` (fields.PRODUCT); a
  localised field has one per language (`name.id`, `name.en`); `images` and
  `marketplaces` are structured and stay in the files;
- a cell is text, a whole number, `true` or `false`, a range `50000-120000` (a
  `{from, to}` mapping) or a list joined with `; `: the field's own check picks the
  reading it accepts, so a price is read by the price check, a flag by the flag's;
- an empty cell means "no value" (clearing a price removes the line: "ask the booth");
- a column left out of the sheet leaves that field alone, and so does a product without a
  row; import never creates or deletes products.

Where a value is written: a default-language value in the main file (index.md or
index.yaml). A value in another language goes where the site takes it from:
`index.<lang>.md` when that file sets the field, else the main file when it holds a
mapping for the field (`name: {id: …, en: …}` or a block mapping), else `index.<lang>.md`,
created when missing. A new key goes at the end of the front matter.

A spreadsheet program "helps": it reads 081234567890 as a number and saves 81234567890,
reads UTF-8 as Windows-1252, turns a word into TRUE. The .xlsx export types every text
column as text so that cannot happen, and import refuses a cell that shows such damage
(`_damaged`) rather than publish a WhatsApp link to another country.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

import yaml

from showcase.load import fields, printed, schema, siteinfo
from showcase.errors import Problem, Problems, shown
from showcase.files import write_atomic
from showcase.load.schema import At, Context
from showcase.load.listing import main_names
from showcase.load.siteinfo import SiteFacts
from showcase.load.source import Document, decode, read_markdown, read_yaml

KEYS = ("booth", "slug")  # which product a row is: its booth's folder and its own
# Right after the keys, before the registry's order: what a row is known by on the cards.
LEADING = ("code",)
LIST_SEPARATOR = "; "
RANGE = re.compile(r"(\d+)\s*[-–]\s*(\d+)")  # a {from, to} mapping in a cell
EMPTY_TRANSLATION = b"---\n---\n"  # what a missing index.<lang>.md is read as
ZIP_MAGIC = b"PK\x03\x04"  # an .xlsx workbook is a zip archive, whatever its name says
# A workbook's bytes depend only on the content: its dates and its archive's entry times
# are this one, not the time of the export.
FIXED_TIME = datetime.datetime(2000, 1, 1)
# What a spreadsheet program cuts off the front of a number it took for a number.
LOST_PREFIXES = ("0", "00", "+", "62", "+62")
FLAG_WORDS = ("true", "false", "yes", "no", "ya", "tidak", "on", "off")
# A sheet's header, and its non-empty rows each with the line (or sheet row) it starts on.
Sheet = tuple[list[str], list[tuple[int, list[str]]]]
LEADING_ZERO = ("a spreadsheet program drops the leading 0 of numbers; export to .xlsx, or "
                "format the column as text")


class _Missing:
    """No value: the field is absent, or a cell asks for it to be removed."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


# --- reading the content ------------------------------------------------------------

@dataclass
class Source:
    """A content file's bytes with their parse: edits go to the lines the parser located."""

    path: Path
    raw: bytes
    doc: Document


@dataclass
class Entry:
    """A product: its main file, and a translation per other language (maybe not yet a file)."""

    booth: str
    slug: str
    main: Source
    translations: dict[str, Source]


def _source(content: Path, path: Path, problems: Problems, raw: bytes | None = None) -> Source:
    raw = path.read_bytes() if raw is None else raw
    doc = read_yaml(raw) if path.suffix == ".yaml" else read_markdown(raw)
    for error in doc.errors:
        problems.add(shown(path, content), error.line, "", error.message)
    return Source(path, raw, doc)


def _facts(content: Path, problems: Problems) -> SiteFacts | None:
    """What checking a cell needs of site.yaml, read the way the build reads it; what
    stands in its way is a problem."""
    path = content / siteinfo.FILE_NAME
    facts = siteinfo.read_site_facts(content, shown(path, content))
    if not facts.found:
        problems.add(shown(path, content), None, "", "site.yaml is missing; every site needs one")
        return None
    problems.items.extend(facts.problems.items)
    return facts


def _entries(content: Path, facts: SiteFacts, problems: Problems) -> dict[tuple[str, str], Entry]:
    """Every product folder, keyed (booth, slug); unreadable files are problems."""
    entries = {}
    booths = content / "booths"
    # By name, not by Path: on Windows a Path sorts ignoring case.
    folders = sorted((p for p in booths.glob("*/*") if p.is_dir()),
                     key=lambda p: p.relative_to(booths).as_posix()) if booths.is_dir() else []
    for folder in folders:
        if folder.name.startswith(".") or folder.parent.name.startswith("."):
            continue
        found = [folder / name for name in main_names(facts.languages[0])
                 if (folder / name).is_file()]
        if len(found) > 1:
            problems.add(shown(found[1], content), None, "", f"this folder has both "
                         f"{found[0].name} and {found[1].name}; keep one")
            continue
        if not found:
            continue
        main = _source(content, found[0], problems)
        translations = {}
        for lang in facts.languages[1:]:
            path = folder / f"index.{lang}.md"
            raw = path.read_bytes() if path.is_file() else EMPTY_TRANSLATION
            if not raw.lstrip(b"\xef\xbb\xbf").startswith(b"---"):
                # Text alone (as the browser editor writes a translation with no fields):
                # read, and edited if need be, as the same text under an empty front matter.
                raw = b"---\n---\n" + raw
            translations[lang] = _source(content, path, problems, raw)
        entries[(folder.parent.name, folder.name)] = Entry(folder.parent.name, folder.name,
                                                           main, translations)
    return entries


# --- columns and cells --------------------------------------------------------------

def held() -> dict[str, fields.Field]:
    """Column (less its language) -> the product field it holds, in the sheet's order:
    the registry's, `LEADING` first. Read at call time, so a new field is a new column."""
    sheet = [f for f in fields.PRODUCT.fields if f.column]
    return {f.column: f for f in sorted(sheet, key=lambda f: f.name not in LEADING)}


def columns(languages: tuple[str, ...]) -> list[str]:
    """The sheet's columns, in a fixed order: keys, then fields, localised ones per language."""
    names = list(KEYS)
    for column, spec in held().items():
        names += [f"{column}.{lang}" for lang in languages] if spec.localised else [column]
    return names


def _split(column: str) -> tuple[str, str | None]:
    """The name of the field a column holds, and its language (None: not per language)."""
    base, _, lang = column.partition(".")
    spec = held().get(base)
    return spec.name if spec else base, lang or None


def _holder(entry: Entry, name: str, lang: str | None, default: str) -> tuple[Source, str | None]:
    """The file a value lives in (or will), and the language a plain value means there."""
    if lang is None or lang == default:
        return entry.main, lang
    translation = entry.translations[lang]
    if name in translation.doc.data:
        return translation, lang
    if isinstance(entry.main.doc.data.get(name), dict):
        return entry.main, default
    return translation, lang


def _current(entry: Entry, column: str, default: str) -> Any:
    """The value a column has in the files, as YAML read it (None when there is none)."""
    name, lang = _split(column)
    source, plain = _holder(entry, name, lang, default)
    value = source.doc.data.get(name)
    if lang is not None and isinstance(value, dict):
        return value.get(lang)
    return value if lang == plain else None


def _cell(value: Any) -> str:
    """How a value reads in a cell; `_parse` reads it back."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return LIST_SEPARATOR.join(_cell(item) for item in value)
    if isinstance(value, dict) and set(value) == {"from", "to"}:
        return f"{value['from']}-{value['to']}"
    if isinstance(value, dict):
        return _yaml(value)
    return str(value)


def _readings(cell: str, old: Any, spec: fields.Field) -> list[tuple[Any, bool]]:
    """What a cell may mean, most likely first, each with whether its problems are the
    ones to report should no reading pass (the last such one is).

    Digits are a number, and true or false a flag, only for a field its editor shows as
    one: a phone number stays text. A list comes first when the cell lists several or
    the value was a list; else it is the last resort, so one word is text where text is
    allowed and a list where only a list is (materials stay one line, tags become a list
    of one)."""
    readings: list[tuple[Any, bool]] = [(cell, True)]
    if cell.isdigit() and spec.widget.kind == "number":
        readings.append((int(cell), True))
    if cell.lower() in ("true", "false") and spec.widget.kind == "boolean":
        readings.append((cell.lower() == "true", True))
    if match := RANGE.fullmatch(cell):
        readings.append(({"from": int(match[1]), "to": int(match[2])}, True))
    items = [item.strip() for item in cell.split(";") if item.strip()]
    if ";" in cell or isinstance(old, list):
        readings.insert(0, (items, True))
    else:
        readings.append((items, False))
    return readings


def _row(entry: Entry, names: list[str], default: str) -> dict[str, str]:
    cells = {"booth": entry.booth, "slug": entry.slug}
    cells.update((c, _cell(_current(entry, c, default))) for c in names if c not in KEYS)
    return cells


# --- export ---------------------------------------------------------------------------

def export(content: Path, csv_path: Path) -> int:
    """Write every product to a UTF-8 CSV, or to an .xlsx workbook when the name ends so,
    ordered by booth then product folder.

    The bytes depend only on the content, so a sheet re-exported from unchanged content
    is identical and can be committed or diffed. Raises ContentError when a product
    file cannot be read: a sheet silently missing rows would look complete.
    """
    problems = Problems()
    facts = _facts(content, problems)
    entries = _entries(content, facts, problems) if facts else {}
    problems.raise_if_errors()
    names = columns(facts.languages)
    rows = [names] + [[cells[c] for c in names] for cells in (
        _row(entries[key], names, facts.default_language) for key in sorted(entries))]
    if csv_path.suffix.lower() == ".xlsx":
        write_atomic(csv_path, _workbook(rows))
        return len(entries)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    write_atomic(csv_path, out.getvalue().encode("utf-8"))
    return len(entries)


def _workbook(rows: list[list[str]]) -> bytes:
    """The rows as an .xlsx workbook: whole numbers of number fields as numbers, to sum and
    sort; every other cell text-typed (format "@"), so a phone number or a code keeps its
    leading 0 in any spreadsheet program, and so does what is typed into that column."""
    from openpyxl import Workbook  # loaded by the commands that need it only
    from openpyxl.utils import get_column_letter
    from openpyxl.writer.excel import ExcelWriter

    book = Workbook()
    sheet = book.active
    sheet.title = "products"
    sheet.freeze_panes = "A2"
    header = rows[0]
    numbers = [_split(column)[0] in _held_names("number") for column in header]
    for index, number in enumerate(numbers, start=1):
        if not number:
            sheet.column_dimensions[get_column_letter(index)].number_format = "@"
    for row in rows:
        sheet.append([int(cell) if number and row is not header and _whole(cell) else cell
                      or None for cell, number in zip(row, numbers)])
    for row in sheet.iter_rows(min_row=2):
        for cell, number in zip(row, numbers):
            if not number or isinstance(cell.value, str):  # an empty price stays a number
                cell.number_format = "@"
    book.properties.created = book.properties.modified = FIXED_TIME
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(book, archive).write_data()
    return _fixed_times(raw.getvalue())


def _held_names(kind: str) -> set[str]:
    """The fields of the sheet that an editor shows as `kind` (number, boolean, …)."""
    return {spec.name for spec in held().values() if spec.widget.kind == kind}


def _whole(cell: str) -> bool:
    return cell.isdigit() and not (cell.startswith("0") and cell != "0")


def _fixed_times(raw: bytes) -> bytes:
    """The archive again with every entry dated FIXED_TIME: a zip records when each file
    was written, which would make two exports of the same content differ."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as old, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            stamp = zipfile.ZipInfo(info.filename, FIXED_TIME.timetuple()[:6])
            stamp.compress_type = zipfile.ZIP_DEFLATED
            new.writestr(stamp, old.read(info))
    return out.getvalue()


# --- import ---------------------------------------------------------------------------

@dataclass
class ImportReport:
    """What an import did: the files it rewrote, or the problems that stopped it."""

    changed: list[Path] = field(default_factory=list)
    unchanged: int = 0  # rows that already matched the content
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _read_sheet(path: Path, shown: str, problems: Problems) -> Sheet | None:
    """The sheet in the file; None when it cannot be read, which is then the one problem
    said about it (not also every column as missing).

    A workbook is read as one, whatever its name: organisers save from Excel and pick
    the sheet to import by its name, not its format. Spreadsheets in an Indonesian
    locale save CSV with `;` between cells (the comma is the decimal mark), and Excel
    adds a BOM: both are accepted.
    """
    raw = path.read_bytes()
    if raw.startswith(ZIP_MAGIC):
        return _read_workbook(raw, shown, problems)
    text, error = decode(raw)
    if error:
        problems.add(shown, error.line, "", error.message + "; or save the sheet as .xlsx, "
                     "which import reads too")
        return None
    first = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text), delimiter=max(",;\t", key=first.count))
    header = [name.strip() for name in next(reader, [])]
    rows, line = [], reader.line_num + 1
    for cells in reader:
        if any(cell.strip() for cell in cells):
            rows.append((line, cells))
        line = reader.line_num + 1
    return header, rows


def _read_workbook(raw: bytes, shown: str, problems: Problems) -> Sheet | None:
    """The first sheet of an .xlsx workbook, each cell as the text a CSV would hold."""
    from openpyxl import load_workbook  # loaded by the commands that need it only

    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception:  # a damaged zip or workbook raises whatever its reader meets
        problems.add(shown, None, "", "cannot be read as an .xlsx workbook; save it again "
                     "from the spreadsheet program as .xlsx or as CSV (UTF-8)")
        return None
    try:
        sheet = book.worksheets[0]
        found = [(number, [_text(value) for value in values]) for number, values in
                 enumerate(sheet.iter_rows(values_only=True), start=1)]
    finally:
        book.close()
    header = [name.strip() for name in found[0][1]] if found else []
    return header, [(n, cells) for n, cells in found[1:] if any(c.strip() for c in cells)]


def _text(value: Any) -> str:
    """A workbook cell as the text a spreadsheet program shows and saves to CSV."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        return value.date().isoformat()
    return str(value)


def _header(header: list[str], valid: list[str], shown: str, problems: Problems) -> dict[str, int]:
    """Known column -> its index; unknown or repeated columns are problems on line 1."""
    found: dict[str, int] = {}
    for index, name in enumerate(header):
        if name in found:
            problems.add(shown, 1, name, f"is column {found[name] + 1} too; keep one of them")
        elif name in valid:
            found[name] = index
        elif name:
            guess = schema.nearest(name, valid)
            hint = f"did you mean '{guess}'?" if guess else f"columns are: {', '.join(valid)}"
            problems.add(shown, 1, name, f"unknown column; {hint}")
    for key in KEYS:
        if key not in found:
            problems.add(shown, 1, key, "column is missing: every row needs booth and slug, "
                         "the product's folders (export writes them)")
    return found


def _value(column: str, cell: str, old: Any, at: At, facts: SiteFacts) -> Any:
    """A cell as the value to write: the first reading the field's own check accepts, as
    the build will check it; else the problems of the reading the cell looks like."""
    name, lang = _split(column)
    spec = fields.PRODUCT.field(name)
    if not cell:
        if spec.required and lang in (None, facts.default_language):
            at.problem(f"is required: {spec.required_hint}")
        return MISSING
    told: tuple[Any, Problems] = (cell, Problems())  # the text reading always tells
    for value, telling in _readings(cell, old, spec):
        found = Problems()
        checked = spec.check({lang: value} if lang else value,
                             At(facts.context(at.ctx.path, found), column, at.line))
        if checked is not schema.INVALID and not found.errors:
            return value
        if telling:
            told = (value, found)
    value, found = told
    for problem in found.items:  # said again at the sheet's line and column
        at.problem(problem.message.replace("{from: 50000, to: 120000}",
                                           "a range like 50000-120000"))
    return value


def _changes(entry: Entry, cells: dict[str, str], at: At, facts: SiteFacts) -> dict[str, Any]:
    """The row's cells that differ from the content, as values; bad ones become problems."""
    changes = {}
    for column, cell in cells.items():
        if column in KEYS:
            continue
        old = _current(entry, column, facts.default_language)
        if cell.strip() == _cell(old).strip():
            continue
        here = At(at.ctx, column, at.line)
        damage = _damaged(column, cell.strip(), _cell(old).strip())
        if damage:
            here.problem(damage)
            if _split(column)[0] != "code":  # a new code is still checked, to say all
                continue
        changes[column] = _value(column, cell.strip(), old, here, facts)
    return changes


def _damaged(column: str, cell: str, before: str) -> str | None:
    """What a spreadsheet program visibly did to a cell that was `before`, said as what
    arrived, what was expected, and why; None when the change looks like a person's."""
    name, _ = _split(column)
    expected = f"got '{cell}', expected '{before}'"
    lost = cell.isdigit() and before.endswith(cell) and (
        before[:-len(cell)] in LOST_PREFIXES or not before[:-len(cell)].strip("0"))
    if name == "code":
        return f"{expected} ({LEADING_ZERO})" if lost else (
            f"{expected}: a code is not changed by a sheet, since its QR code and short link "
            "follow it; change it in the product's file, where check and cards see it")
    if lost and before:
        return f"{expected} ({LEADING_ZERO})"
    if cell.upper() in ("TRUE", "FALSE") and before and before.lower() not in FLAG_WORDS \
            and name not in _held_names("boolean"):
        return (f"{expected} (a spreadsheet program took the cell for a yes/no value; format "
                "the column as text and type the words again)")
    repaired = _unmangled(cell)
    if repaired != cell:
        return (f"got '{cell}', expected '{repaired}' (a spreadsheet program read the UTF-8 "
                "sheet as Windows-1252; open the CSV choosing UTF-8, or export to .xlsx)")
    return None


def _unmangled(text: str) -> str:
    """`text` as it was before UTF-8 bytes were read as Windows-1252 or Latin-1 (`â€“`
    for `–`), or itself when it does not read as such."""
    for misread in ("cp1252", "latin-1"):
        try:
            return text.encode(misread).decode("utf-8")
        except UnicodeError:
            continue
    return text


def _with_lang(current: Any, lang: str | None, plain: str | None, value: Any) -> Any:
    """A key's whole new value once one language of it (or the whole, for lang None) changes."""
    if isinstance(current, dict) and lang is not None:
        return _edited(current, {lang: value}) or MISSING
    if lang == plain or current is MISSING:
        return value
    return current if value is MISSING else {plain: current, lang: value}


def import_(content: Path, csv_path: Path) -> ImportReport:
    """Apply a sheet to the content: every row checked first, then all files or none.

    Each changed cell is judged by the schema check the build uses, and a problem names
    the sheet's line and column. Only when no row has a problem are the changed files
    rewritten, each atomically.
    """
    problems = Problems()
    shown = str(csv_path)
    facts = _facts(content, problems)
    if facts is None:
        return ImportReport(problems=problems.errors)
    entries = _entries(content, facts, problems)
    sheet = _read_sheet(csv_path, shown, problems)
    if sheet is None:
        return ImportReport(problems=problems.errors)
    header, rows = sheet
    found = _header(header, columns(facts.languages), shown, problems)
    if any(key not in found for key in KEYS):
        return ImportReport(problems=problems.errors)
    ctx = facts.context(shown, problems)
    pending: dict[Path, dict[str, Any]] = {}  # file -> key -> its whole new value
    sources: dict[Path, Source] = {}
    codes = {key: str(e.main.doc.data.get("code")) for key, e in entries.items()}
    code_lines: dict[tuple[str, str], int] = {}
    seen: dict[tuple[str, str], int] = {}
    unchanged = 0
    for line, row in rows:
        extra = [c for c in row[len(header):] if c.strip()]
        if len(row) < len(header) or extra:
            problems.add(shown, line, "", f"has {len(row)} cells, the header has "
                         f"{len(header)}; a cell is missing or one too many (check for a "
                         "separator inside a value: quote that value)")
            continue
        cells = {column: row[index] for column, index in found.items()}
        key = (cells["booth"].strip(), cells["slug"].strip())
        if key in seen:
            problems.add(shown, line, "slug", f"repeats the product of line {seen[key]}; "
                         "keep one row per product")
            continue
        seen[key] = line
        entry = entries.get(key)
        if entry is None:
            _unknown_product(key, entries, At(ctx, "", line))
            continue
        changes = _changes(entry, cells, At(ctx, "", line), facts)
        unchanged += not changes
        for column, value in changes.items():
            name, lang = _split(column)
            source, plain = _holder(entry, name, lang, facts.default_language)
            sources[source.path] = source
            values = pending.setdefault(source.path, {})
            current = values.get(name, source.doc.data.get(name, MISSING))
            values[name] = _with_lang(current, lang, plain, value)
            if name == "code" and value is not MISSING:
                codes[key], code_lines[key] = value, line
    _check_codes(content, entries, codes, code_lines, ctx)
    texts = {} if problems.errors else _rewrite_all(content, pending, sources, problems)
    if problems.errors:
        return ImportReport(problems=problems.errors)
    for path, data in texts.items():
        write_atomic(path, data)
    return ImportReport(sorted(texts), unchanged)


def _rewrite_all(content: Path, pending: dict[Path, dict[str, Any]],
                 sources: dict[Path, Source], problems: Problems) -> dict[Path, bytes]:
    """The new bytes of every file that changes, all computed before any is written."""
    texts = {}
    for path, values in sorted(pending.items()):
        new = _rewrite(sources[path], values)
        if new is None:
            problems.add(shown(path, content), None, "", f"changing {', '.join(values)} "
                         "here in place would change more than the sheet asks (the file's "
                         "layout is unusual); make this change in the file by hand")
        elif new != sources[path].raw:
            texts[path] = new
    return texts


def _unknown_product(key: tuple[str, str], entries: dict, at: At) -> None:
    booth, slug = key
    booths = sorted({b for b, _ in entries})
    if booth not in booths:
        guess = schema.nearest(booth, booths)
        at.child("booth", None).problem(
            f"no booth folder booths/{booth}/" + (f"; did you mean '{guess}'?" if guess else ""))
        return
    slugs = sorted(s for b, s in entries if b == booth)
    guess = schema.nearest(slug, slugs)
    at.child("slug", None).problem(
        f"no product folder booths/{booth}/{slug}/" + (f"; did you mean '{guess}'?" if guess else "")
        + f"; import changes existing products only (showcase new product {booth} {slug} "
        "adds one)")


def _check_codes(content: Path, entries: dict, codes: dict, lines: dict, ctx: Context) -> None:
    """A changed code must stay unique, and must not strand a code printed on a card."""
    done = printed.load(content, shown(content / printed.FILE_NAME, content), Problems())
    for key, line in sorted(lines.items(), key=lambda item: item[1]):
        here = At(ctx, "code", line)
        others = [k for k, code in codes.items() if code == codes[key] and k != key]
        if others:
            here.problem(f"'{codes[key]}' is also the code of booths/{'/'.join(others[0])}/; "
                         "every product needs its own code")
        old = str(entries[key].main.doc.data.get("code"))
        if old in done.products and old not in done.retired:
            here.problem(f"{old} is printed on stand cards, so its QR code would lead nowhere; "
                         f"keep the code {old}, or first retire it in {done.shown}")


# --- rewriting front matter in place ----------------------------------------------------

@dataclass(frozen=True)
class Edit:
    """Replace lines[start:stop] by `lines`; `rank` orders edits that meet at one index."""

    start: int
    stop: int
    lines: list[str]
    rank: int  # 0 a mapping's new item, 1 a new key, 2 a replacement


def _split_lines(text: str) -> list[str]:
    """Lines with their own endings, numbered as `source.decode` numbers them."""
    return re.findall(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$", text)


def _ending(line: str) -> str:
    return line[len(line.rstrip("\r\n")):]


def _filler(line: str) -> bool:
    return not line.strip() or line.lstrip().startswith("#")


def _span(lines: list[str], starts: list[int], index: int, limit: int) -> tuple[int, int]:
    """The lines of the item starting at `index`: up to the next item, less trailing
    blank and comment lines (they belong to what follows, or to nobody)."""
    stop = min((s for s in starts if s > index), default=limit)
    while stop > index + 1 and _filler(lines[stop - 1]):
        stop -= 1
    return index, stop


def _yaml(value: Any, quoted: bool = False) -> str:
    """A value as one line of YAML (a newline inside text is written as \\n)."""
    style = '"' if quoted or "\\n" in repr(value) else None
    text = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=10**9,
                          sort_keys=False, default_style=style)
    return text.removesuffix("\n...\n").removesuffix("\n")


def _comment(line: str) -> str:
    """The end-of-line comment of a one-line `key: value` (`price: 75000  # grosir`)."""
    try:
        tokens = [t for t in yaml.scan(line)
                  if not isinstance(t, (yaml.BlockEndToken, yaml.StreamEndToken))]
    except yaml.YAMLError:
        return ""
    rest = line[max(t.end_mark.index for t in tokens):].rstrip("\r\n")
    return rest if rest.lstrip().startswith("#") else ""


def _line(old: str, indent: str, key: str, value: Any, one_line: bool, newline: str) -> str:
    text = f"{indent}{key}: {_yaml(value, quoted=key == 'whatsapp')}"
    return text + (_comment(old) if one_line else "") + (_ending(old) or newline)


def _is_block(lines: list[str], line: int, value: Any) -> bool:
    """A mapping written one `lang: text` per line below its key, which can be edited
    item by item; a flow mapping ({id: …, en: …}) is rewritten whole."""
    items = getattr(value, "lines", None)
    return bool(items) and len(set(items.values())) == len(items) and all(
        at > line and lines[at - 1].lstrip().startswith(f"{k}:") for k, at in items.items())


def _key_edits(lines: list[str], data: Any, end: int, key: str, new: Any,
               newline: str) -> list[Edit]:
    if key not in data:
        return [] if new is MISSING else [Edit(end, end, [_line("", "", key, new, False, newline)], 1)]
    index = data.lines[key] - 1
    start, stop = _span(lines, [at - 1 for at in data.lines.values()], index, end)
    if new is MISSING:
        return [Edit(start, stop, [], 2)]
    old = data[key]
    if isinstance(old, dict) and isinstance(new, dict) and _is_block(lines, index + 1, old):
        return _item_edits(lines, old, new, stop, newline)
    return [Edit(start, stop, [_line(lines[index], "", key, new, stop - start == 1, newline)], 2)]


def _item_edits(lines: list[str], old: Any, new: dict, limit: int, newline: str) -> list[Edit]:
    """Edits to a block mapping's items: changed ones rewritten, new ones after the last."""
    starts = [at - 1 for at in old.lines.values()]
    first = lines[min(starts)]
    indent = first[:len(first) - len(first.lstrip())]
    edits = []
    for item, value in old.items():
        if item in new and new[item] == value:
            continue
        start, stop = _span(lines, starts, old.lines[item] - 1, limit)
        edits.append(Edit(start, stop, [] if item not in new else [
            _line(lines[start], indent, item, new[item], stop - start == 1, newline)], 2))
    after = _span(lines, starts, max(starts), limit)[1]
    edits += [Edit(after, after, [_line("", indent, item, value, False, newline)], 0)
              for item, value in new.items() if item not in old]
    return edits


def _rewrite(source: Source, values: dict[str, Any]) -> bytes | None:
    """The file's new bytes with `values` (key -> whole new value) set, or None if the
    result would not read back as exactly the intended data and the same body."""
    raw = source.raw
    bom = b"\xef\xbb\xbf" if raw.startswith(b"\xef\xbb\xbf") else b""
    lines = _split_lines(raw[len(bom):].decode("utf-8"))
    newline = _ending(lines[0]) if lines and _ending(lines[0]) else "\n"
    if source.path.suffix == ".yaml":
        end = len(lines)
    else:
        end = next(i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "..."))
    edits = [e for key, new in values.items()
             for e in _key_edits(lines, source.doc.data, end, key, new, newline)]
    if any(e.start == len(lines) for e in edits) and not _ending(lines[-1]):
        lines[-1] += newline  # a new key follows what was the file's last line
    # From the bottom up, so each edit's line numbers still hold; where edits meet at one
    # line: the replacement first, then new keys, then new items, which end up above them.
    ordered = sorted(enumerate(edits), key=lambda n_e: (n_e[1].start, n_e[1].rank, n_e[0]))
    for _, edit in reversed(ordered):
        lines[edit.start:edit.stop] = edit.lines
    result = bom + "".join(lines).encode("utf-8")
    return result if _reads_as(source, result, values) else None


def set_values(source: Source, values: dict[str, Any]) -> bytes | None:
    """The file's bytes with top-level `values` set in place, every other byte kept; None
    if that cannot be done safely. What `import` writes with, for other commands too."""
    return _rewrite(source, values)


def _reads_as(source: Source, result: bytes, values: dict[str, Any]) -> bool:
    """The safety net of an in-place edit: the new file parses to the intended data."""
    doc = read_yaml(result) if source.path.suffix == ".yaml" else read_markdown(result)
    expected = _edited(source.doc.data, values)
    return not doc.errors and dict(doc.data) == expected and doc.body == source.doc.body


def _edited(mapping: Mapping[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """`mapping` with `changes` made, a MISSING value removing its key."""
    result = dict(mapping)
    for key, value in changes.items():
        if value is MISSING:
            result.pop(key, None)
        else:
            result[key] = value
    return result
