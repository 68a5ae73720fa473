"""The content reference, generated from the field registry.

`docs/content-reference.md` (English) and `docs/id/referensi-konten.md` (Bahasa
Indonesia) say what every file of `content/` may hold, field by field: type, required,
localised, default, example, meaning, and the rules between fields, all read from
`showcase.load.fields`. Written by hand they would drift from what the build accepts;
generated, a field added to the registry is documented at once. Regenerate them after
changing the registry with

    python -m showcase.commands.reference

and a test fails while the committed files differ from what the registry gives.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from showcase.files import write_atomic
from showcase.load import fields
from showcase.load.fields import Field, Record, Rule, Words

COMMAND = "python -m showcase.commands.reference"
OUTPUTS = {"en": "docs/content-reference.md", "id": "docs/id/referensi-konten.md"}


@dataclass(frozen=True)
class Document:
    """One kind of file in content/: where it lives, what it is for, and how its
    translations are named (None: it has none, its texts are {lang: ...} mappings)."""

    kind: str  # the registry's record: fields.record(kind)
    path: str
    about: Words
    front_matter: bool  # Markdown with the fields between --- lines, or plain YAML
    translation: str | None = None


DOCUMENTS = (
    Document("site", "content/site.yaml", Words(
        "Satu untuk seluruh situs: pameran, bahasanya, kategori produk, dan nilai bawaan "
        "untuk stan.",
        "One for the whole site: the exhibition, its languages, the product categories, "
        "and defaults for the booths."), False),
    Document("booth", "content/booths/<booth>/index.md", Words(
        "Satu per stan, di foldernya; nama folder menjadi alamat stan. Logo, foto sampul dan "
        "folder produknya ada di sebelahnya.",
        "One per booth, in its folder; the folder's name is the booth's address. Its logo, "
        "cover photo and product folders sit beside it."), True,
        "content/booths/<booth>/index.<lang>.md"),
    Document("product", "content/booths/<booth>/<product>/index.md", Words(
        "Satu per produk, di folder di dalam folder stannya; foto-fotonya di sebelahnya.",
        "One per product, in a folder inside its booth's folder; its photos sit beside it."),
        True, "content/booths/<booth>/<product>/index.<lang>.md"),
    Document("page", "content/pages/<slug>.md", Words(
        "Halaman bebas (tentang, cara memesan, ...); nama file menjadi alamatnya.",
        "A free page (about, how to order, ...); the file's name is its address."),
        True, "content/pages/<slug>.<lang>.md"),
    Document("printed", "content/printed.yaml", Words(
        "Ditulis oleh `showcase cards`, yang mencatat setiap kode yang dicetaknya (simpan di "
        "git): kode tercetak harus tetap menuju ke suatu halaman; `retired` mengarahkan kode "
        "yang entrinya sudah tiada ke halaman lain.",
        "Written by `showcase cards`, which records every code it prints (commit it): a "
        "printed code must keep leading somewhere; `retired` sends a code whose entry is gone "
        "to another page."), False),
)

TITLE = Words("Referensi konten", "Content reference")
GENERATED = Words(
    f"Dibuat otomatis dari daftar kolom (`showcase/load/fields.py`), jangan disunting; buat "
    f"ulang dengan `{COMMAND}`.",
    f"Generated from the field registry (`showcase/load/fields.py`), do not edit; "
    f"regenerate with `{COMMAND}`.")
INTRO = Words(
    "Sebuah situs adalah folder `content/`. Setiap berkas di bawah ini ditulis dalam YAML "
    "(berkas `.md` menaruh kolomnya di antara dua baris `---`, lalu teks Markdown). Setiap "
    "masalah dilaporkan sebagai `berkas:baris: kolom: apa yang salah, dan apa yang benar`, "
    "semuanya dalam satu kali jalan (`showcase check`).",
    "A site is a `content/` folder. Each file below is written in YAML (a `.md` file puts "
    "its fields between two `---` lines, then Markdown text). Every problem is reported as "
    "`path:line: field: what is wrong, and what would be right`, all of them in one run "
    "(`showcase check`).")
LOCALISED = Words(
    "Kolom *berbahasa* berisi satu teks dalam bahasa bawaan (`name: Keset`) atau satu per "
    "bahasa (`name: {id: Keset, en: Doormat}`); bahasa-bahasanya adalah `languages` di "
    "site.yaml, yang pertama bawaan. Bahasa yang tidak diisi memakai teks bahasa bawaan.",
    "A *localised* field holds one text in the default language (`name: Keset`) or one per "
    "language (`name: {id: Keset, en: Doormat}`); the languages are site.yaml's "
    "`languages`, the first being the default. A language left out shows the default "
    "language's text.")
NESTED = Words(
    "Kolom bertitik (`event.start`) ada di dalam kolom di atasnya; `<key>` adalah kunci "
    "pilihan Anda, `[]` satu butir daftar.",
    "A dotted field (`event.start`) sits inside the field above it; `<key>` is a key of "
    "your choosing, `[]` an item of a list.")
HEADERS = Words("Kolom | Jenis | Wajib | Berbahasa | Bawaan | Contoh | Arti",
                "Field | Type | Required | Localised | Default | Example | Meaning")
YES = Words("ya", "yes")
TRANSLATED = Words("Terjemahan: `{path}` boleh mengisi {names} untuk bahasanya; teks "
                   "Markdown di bawah `---`-nya adalah terjemahan teks halaman (berkas "
                   "yang hanya berisi teks, tanpa baris `---`, dibaca sama).",
                   "Translations: `{path}` may set {names} for its language; the Markdown "
                   "below its `---` translates the page's text (a file of text alone, "
                   "with no `---` lines, reads the same).")
BODY = Words("Sebagai ganti `index.md`, boleh `index.yaml`: teks Markdown-nya lalu ada di "
             "kolom `{body}` (berbahasa).",
             "Instead of `index.md` it may be `index.yaml`: its Markdown text then goes in "
             "the field `{body}` (localised).")
EDITOR_NAME = Words(
    "Berkas utama boleh juga bernama `{name}` dengan kode bahasa bawaan (misalnya "
    "`{example}`): itu nama yang ditulis editor di peramban (`admin:`), dan dibaca persis "
    "seperti `{main}`. Keduanya dalam satu folder adalah kesalahan.",
    "The main file may also be named `{name}` with the default language's code (e.g. "
    "`{example}`): the name the browser editor (`admin:`) writes, read exactly as "
    "`{main}`. Both in one folder is an error.")
RULES = Words("Aturan antar kolom", "Rules between fields")
EXAMPLE = Words("Contoh", "Example")
BELOW = Words("lihat contoh", "see the example")

TYPES = {
    "string": Words("teks", "text"),
    "text": Words("teks, satu kalimat atau lebih", "text, a sentence or more"),
    "markdown": Words("Markdown", "Markdown"),
    "number": Words("bilangan bulat", "whole number"),
    "boolean": Words("`true` atau `false`", "`true` or `false`"),
    "select": Words("salah satu dari", "one of"),
    "multiple": Words("daftar berisi satu atau lebih dari", "a list of one or more of"),
    "list": Words("daftar", "list"),
    "image": Words("nama file gambar di folder ini", "file name of a picture in this folder"),
    "object": Words("pemetaan", "mapping"),
    "datetime": Words("tanggal, TTTT-BB-HH", "date, YYYY-MM-DD"),
    "hidden": Words("tersembunyi", "hidden"),
}
SITE_CHOICE = Words("kunci `categories` di site.yaml", "a key of `categories` in site.yaml")
AT_LEAST = Words("paling kecil", "at least")
AT_MOST = Words("paling besar", "at most")
OF_MAPPINGS = {"list": Words("daftar pemetaan", "list of mappings"),
               "mapping": Words("pemetaan kunci -> kolom di bawah", "mapping of key -> the "
                                                                     "fields below")}


def _say(words: Words, lang: str) -> str:
    return getattr(words, lang)


def _code(text: str) -> str:
    """Text as Markdown code inside a table cell."""
    return "`" + text.replace("|", "\\|") + "`"


def _plain(text: str) -> str:
    """Words as Markdown text: `<code>` in "/p/<code>/" is not a tag, `|` not a cell's end."""
    return "".join("\\" + c if c in "<>|" else c for c in text)


def walk(record: Record, prefix: str = "") -> Iterator[tuple[str, Field | Rule]]:
    """Every field of `record` with its dotted name, nested records right after their
    field, and the rules of each record after its fields (named by their prefix)."""
    for field in record.fields:
        name = prefix + field.name
        yield name, field
        if field.record is not None:
            inner = {"list": f"{name}[].", "mapping": f"{name}.<key>."}.get(field.collection,
                                                                         f"{name}.")
            yield from walk(field.record, inner)
    for rule in record.rules:
        yield prefix, rule


def _type(field: Field, lang: str) -> str:
    widget = field.widget
    if field.record is not None and field.collection:
        return _say(OF_MAPPINGS[field.collection], lang)
    words = _say(TYPES["multiple" if widget.multiple else widget.kind], lang)
    if widget.kind == "select":
        options = ", ".join(_code(o) for o in widget.options) or _say(SITE_CHOICE, lang)
        words += f": {options}"
    if widget.minimum is not None:
        words += f", {_say(AT_LEAST, lang)} {widget.minimum}"
    if widget.maximum is not None:
        words += f", {_say(AT_MOST, lang)} {widget.maximum}"
    return words


def _row(name: str, field: Field, lang: str) -> str:
    yes = _say(YES, lang)
    example = field.example or ""
    shown = _say(BELOW, lang) if "\n" in example else _code(example) if example else ""
    cells = [_code(name), _type(field, lang), yes if field.required else "",
             yes if field.localised else "", _code(field.default) if field.default else "",
             shown, _plain(_say(field.doc, lang))]
    return "| " + " | ".join(cells) + " |"


def _example(document: Document, record: Record) -> list[str]:
    """The whole file with every field set to its example: valid as it stands."""
    lines = [f"{f.name}:" + (f.example if f.example.startswith("\n") else f" {f.example}")
             for f in record.fields if f.example]
    fence = ["---"] if document.front_matter else []
    return ["```yaml", *fence, *lines, *fence, "```"]


def render(lang: str) -> str:
    """The reference in one language, from the registry as it is now."""
    out = [f"# {_say(TITLE, lang)}", "", f"_{_say(GENERATED, lang)}_", "",
           _say(INTRO, lang), "", _say(LOCALISED, lang), "", _say(NESTED, lang), ""]
    out += [f"- [`{d.path}`](#{_anchor(d.path)})" for d in DOCUMENTS]
    for document in DOCUMENTS:
        record = fields.record(document.kind)
        out += ["", f"## `{document.path}`", "", _say(document.about, lang), "",
                "| " + _say(HEADERS, lang) + " |", "|" + " --- |" * 7]
        rules = []
        for name, item in walk(record):
            if isinstance(item, Rule):
                joined = ", ".join(_code(name + f) for f in item.fields)
                rules.append(f"- {joined}: {_plain(_say(item.doc, lang))}")
            else:
                out.append(_row(name, item, lang))
        if rules:
            out += ["", f"{_say(RULES, lang)}:", "", *rules]
        if document.translation:
            names = ", ".join(_code(n) for n in record.localised)
            out += ["", _say(TRANSLATED, lang).format(path=document.translation, names=names)]
        if document.translation:
            main = document.path.rsplit("/", 1)[1]
            named = document.translation.rsplit("/", 1)[1]
            out += ["", _say(EDITOR_NAME, lang).format(
                name=named, example=named.replace("<lang>", "id"), main=main)]
        if record.body and document.kind != "page":
            out += ["", _say(BODY, lang).format(body=record.body)]
        out += ["", f"{_say(EXAMPLE, lang)}:", "", *_example(document, record)]
    return "\n".join(out) + "\n"


def _anchor(heading: str) -> str:
    """The id Markdown renderers give a heading: lowercase, punctuation dropped, spaces to -."""
    kept = "".join(c for c in heading.lower() if c.isalnum() or c in " -_")
    return kept.replace(" ", "-")


def documents() -> dict[str, str]:
    """Each generated file (relative to the repository) and its text."""
    return {path: render(lang) for lang, path in OUTPUTS.items()}


def main(argv: list[str] | None = None) -> int:
    """Write both references under the repository (or the folder given)."""
    args = sys.argv[1:] if argv is None else argv
    root = Path(args[0]) if args else Path(__file__).resolve().parents[2]
    for path, text in documents().items():
        write_atomic(root / path, text)
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
