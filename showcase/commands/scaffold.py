"""Scaffolding: `showcase new booth`, `showcase new product` and `showcase init`.

An organiser adding a booth on the eve of the opening should not need the schema by
heart, nor guess which code is free: a scaffold writes every field an entry can have,
each explained in Bahasa Indonesia and English, the optional ones commented out, and
placeholders that are valid so the site builds at once. The codes it picks are final
(they get printed on stand cards), so it counts every code the site has ever used,
printed and retired ones included.

Existing content is read leniently, straight from the files and not through
`content.load`: a typo in one booth must not stop anyone adding another. Nothing is
ever overwritten; a refusal says where, why, and what to do instead.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

import yaml
from PIL import Image, ImageDraw

from showcase import resources
from showcase.load import fields, printed, schema, siteinfo
from showcase.errors import Problems
from showcase.files import write_atomic
from showcase import messages
from showcase.messages import _
from showcase.load.listing import main_file
from showcase.load.source import read


class ScaffoldError(Exception):
    """Nothing was created, because of the content as it is (e.g. site.yaml is missing)."""


class UsageError(ScaffoldError):
    """Nothing was created, because the command asked for something impossible."""


# --- what a scaffold needs to know of the site ----------------------------------------

@dataclass(frozen=True)
class Existing:
    """The parts of a site that decide what a new entry may be called and coded."""

    languages: tuple[str, ...]
    categories: tuple[str, ...]
    booths: dict[str, str | None]   # booth slug -> its code (None: none readable)
    booth_codes: frozenset[str]     # in use, printed on a poster, or retired
    product_codes: frozenset[str]   # in use, printed on a card, or retired
    main_name: str = "index.md"     # a new entry's main file (SiteFacts.main_name)


def read_site(content: Path) -> Existing:
    """Only site.yaml must be readable: every other file is taken as far as it goes."""
    site_yaml = content / siteinfo.FILE_NAME
    facts = siteinfo.read_site_facts(content, str(site_yaml))
    if not facts.found:
        raise ScaffoldError(_("{path}: not found; run showcase in the folder that holds "
                              "content/, pass --content DIR, or start a site with showcase "
                              "init DIR").format(path=site_yaml))
    if facts.problems.errors:
        error = facts.problems.errors[0]
        raise ScaffoldError(f"{site_yaml}:{error.line or 1}: "
                            + (f"{error.field}: " if error.field else "")
                            + messages.problem(error).message
                            + _("; fix it first (showcase check lists every problem)"))
    default = facts.languages[0]
    booths = {folder.name: code_of(folder, default) for folder in _folders(content / "booths")}
    products = {code_of(sub, default) for folder in _folders(content / "booths")
                for sub in _folders(folder)}
    # A printed code stays taken even when its entry is gone: a card still points at it.
    cards = printed.load(content, printed.FILE_NAME, Problems())
    return Existing(
        languages=facts.languages, categories=tuple(map(str, facts.categories)), booths=booths,
        booth_codes=frozenset({c for c in booths.values() if c} | set(cards.booths)
                              | set(cards.retired)),
        product_codes=frozenset({c for c in products if c} | set(cards.products)
                                | set(cards.retired)),
        main_name=facts.main_name)


def _folders(parent: Path) -> list[Path]:
    if not parent.is_dir():
        return []
    return sorted((p for p in parent.iterdir() if p.is_dir() and not p.name.startswith(".")),
                  key=lambda p: p.name)  # not the Path: on Windows that ignores case


def code_of(folder: Path, default: str = "id") -> str | None:
    """An entry's code as written, or None; validating it is the build's job. `default`
    is the site's default language (its main file may be index.<default>.md)."""
    path = main_file(folder, default)
    if path is None:
        return None
    code = read(path).data.get("code")
    readable = isinstance(code, (str, int)) and not isinstance(code, bool)
    return str(code) if readable else None


# --- codes ------------------------------------------------------------------------------

def free_booth_code(slug: str, taken: Iterable[str]) -> str:
    """A code an organiser recognises from the slug: initials of three or more words
    (rutan-pondok-bambu: RPB), else the first three letters of each (lapas-cipinang:
    LAPCIP), with a digit added until no booth has it."""
    words = slug.upper().split("-")
    base = "".join(w[0] for w in words) if len(words) >= 3 else "".join(w[:3] for w in words)
    base = base[:8].ljust(2, "X")
    taken = set(taken)
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = base[:8 - len(str(n))] + str(n)
    return candidate


def next_product_code(booth_code: str, taken: Iterable[str]) -> str:
    """<BOOTH>-<NNN>, one above the highest number with this prefix anywhere in the
    site: a product moved to another booth keeps its code, and a retired printed code
    must never come back on a different product."""
    own = re.compile(rf"{re.escape(booth_code)}-(\d+)")
    numbers = [int(m[1]) for code in taken if (m := own.fullmatch(code))]
    return f"{booth_code}-{max(numbers, default=0) + 1:03d}"


# --- front matter -----------------------------------------------------------------------

HEADER = (
    "# Baris berawalan # adalah komentar. Untuk memakai kolom yang dimatikan, hapus '# '\n"
    "# di depan namanya (dan di depan baris-baris isinya).\n"
    "# Lines starting with # are comments. To use a field that is switched off, remove the\n"
    "# '# ' before its name (and before the lines of its value).\n")


def _yaml(value: Any) -> str:
    """One value as flow YAML, quoted where YAML would misread it (a name 'No', '2019')."""
    dumped = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True,
                            sort_keys=False, width=1_000_000)
    return dumped.removesuffix("\n...\n").strip()


def _localised(languages: tuple[str, ...], id_text: Any, en_text: Any) -> str:
    """An example for every language of the site, so that uncommenting it stays valid."""
    return _yaml({lang: id_text if lang == "id" else en_text for lang in languages})


def _in_languages(example: str, languages: tuple[str, ...]) -> str:
    """The registry's examples give localised text as {id: ..., en: ...}: each such
    mapping is rewritten for the site's languages (Indonesian text for id, English for
    every other). It is found by counting brackets, which no example quotes."""
    parts, done = [], 0
    while (start := example.find("{id:", done)) >= 0:
        depth = 0
        for end in range(start, len(example)):
            depth += {"{": 1, "[": 1, "}": -1, "]": -1}.get(example[end], 0)
            if depth == 0:
                break
        text = example[start:end + 1]
        both = yaml.safe_load(text)
        if isinstance(both, dict) and set(both) == {"id", "en"}:
            text = _localised(languages, both["id"], both["en"])
        parts += [example[done:start], text]
        done = end + 1
    return "".join(parts) + example[done:]


def _explained(field: fields.Field, site: Existing) -> tuple[str, str, str]:
    """A field's words in Indonesian and English, and its example, for this site: a
    choice the site makes (the product's category) lists the site's own options."""
    words, example = field.doc, _in_languages(field.example or "", site.languages)
    if field.widget.kind == "select" and not field.widget.options and site.categories:
        listed = ", ".join(site.categories)
        return (f"{words.id}: pilih satu dari {listed}, hapus '# ', lalu hapus draft: true",
                f"{words.en}: choose one of {listed}, remove the '# ', then remove "
                "draft: true", site.categories[0])
    return words.id, words.en, example


def front_matter(record: fields.Record, values: dict[str, str], site: Existing) -> str:
    """Every field of `record` in the registry's order: those in `values` set, the rest
    commented out with their example, so the file itself shows all an entry can say."""
    lines = ["---", *HEADER.splitlines()]
    for field in record.fields:
        id_text, en_text, example = _explained(field, site)
        value = values.get(field.name, example)
        entry = f"{field.name}:" + (value if value.startswith("\n") else f" {value}")
        prefix = "" if field.name in values else "# "
        lines += ["", f"# {id_text} / {en_text}", *(prefix + line for line in entry.split("\n"))]
    lines.append("")
    translations = ", ".join(f"index.{lang}.md" for lang in site.languages[1:])
    lines.append("# Di bawah garis --- berikut: deskripsi dalam Markdown"
                 + (f"; terjemahannya di {translations}." if translations else "."))
    lines.append("# Below the next --- line: the description in Markdown"
                 + (f"; its translation goes in {translations}." if translations else "."))
    return "\n".join(lines + ["---", ""])


# --- new booth, new product -------------------------------------------------------------

def _title(slug: str) -> str:
    """A placeholder name the organiser will recognise: their own slug, capitalised."""
    return " ".join(word.capitalize() for word in slug.split("-"))


def slug_and_name(given: str) -> tuple[str, str]:
    """What `new` was given, as a folder name and a name: a name ("Rutan Salémba", with
    a space or a letter beyond ASCII, which no slug has) gives its slug (rutan-salemba)
    and stays the name as written; anything else is a slug, as it always was, and a
    wrong one is refused with the right one."""
    given = given.strip()
    if re.search(r"\s", given) or not given.isascii():
        return schema.slug_fix(given), given
    return given, _title(given)


def _name(languages: tuple[str, ...], name: str) -> str:
    """The name in the site's default language only, and a commented line for each
    other: a copy is not a translation, and `check`'s coverage should say what is
    still to translate."""
    return "\n".join([f"\n  {languages[0]}: {_yaml(name)}",
                      *(f"  # {lang}:" for lang in languages[1:])])


def _check_new_folder(folder: Path, slug: str, what: str) -> None:
    if not schema.SLUG_RE.fullmatch(slug):
        raise UsageError(_("{folder}: '{slug}' is not a valid {what} slug (lowercase a-z, "
                           "0-9 and -); use '{fix}'").format(
            folder=folder, slug=slug, what=what, fix=schema.slug_fix(slug)))
    if folder.exists():
        raise UsageError(_("{folder}: already exists; edit {file}, or choose another slug "
                           "for the new {what}").format(
            folder=folder, file=folder / "index.md", what=what))


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True)  # fails if the entry's folder appeared meanwhile
    write_atomic(path, text)
    return path


def new_booth(content: Path, slug: str, code: str | None = None) -> Path:
    """Write booths/<slug>/index.md with a free booth code; return its path. `slug` may
    be the booth's name instead (see `slug_and_name`)."""
    slug, name = slug_and_name(slug)
    site = read_site(content)
    folder = content / "booths" / slug
    _check_new_folder(folder, slug, _("booth"))
    if code is None:
        code = free_booth_code(slug, site.booth_codes)
    elif not schema.BOOTH_CODE_RE.fullmatch(code := code.upper()):  # 'cpn' clearly means CPN
        raise UsageError(_("--code {code}: not a booth code (2 to 8 of A-Z and 0-9); "
                           "for example '{fix}'").format(code=code,
                                                         fix=schema.booth_code_fix(code)))
    elif code in site.booth_codes:
        owner = next((s for s, c in site.booths.items() if c == code), None)
        where = (main_file(content / "booths" / owner, site.languages[0]) if owner
                 else content / printed.FILE_NAME)
        raise UsageError(_("--code {code}: already taken in {where}; leave --code out to "
                           "get a free one ({free})").format(
            code=code, where=where, free=free_booth_code(slug, site.booth_codes)))
    values = {"name": _name(site.languages, name), "code": _yaml(code)}
    return _write(folder / site.main_name, front_matter(fields.BOOTH, values, site))


def new_product(content: Path, booth_slug: str, slug: str) -> Path:
    """Write booths/<booth>/<slug>/index.md with the booth's next product code; return
    its path. Either may be a name instead of a slug (see `slug_and_name`).

    The category is the organiser's choice, not the scaffold's: the file lists the
    site's categories beside a commented `category:` line and is a draft, so the site
    builds without it meanwhile and `check` says what is left to choose."""
    booth_slug = slug_and_name(booth_slug)[0]
    slug, name = slug_and_name(slug)
    site = read_site(content)
    booth = content / "booths" / booth_slug
    if booth_slug not in site.booths:
        guess = schema.nearest(booth_slug, site.booths)
        hint = (_("did you mean '{guess}'?").format(guess=guess) if guess else
                _("booths: {booths}").format(booths=", ".join(site.booths)) if site.booths else
                _("this site has no booths yet; add one with showcase new booth SLUG"))
        raise UsageError(_("{booth}: no such booth; {hint}").format(booth=booth, hint=hint))
    folder = booth / slug
    _check_new_folder(folder, slug, _("product"))
    booth_code = site.booths[booth_slug]
    if booth_code is None or not schema.BOOTH_CODE_RE.fullmatch(booth_code):
        raise ScaffoldError(_("{path}: code: the booth needs a valid code (2 to 8 of A-Z and "
                              "0-9, e.g. code: CPN) before its products can be numbered; fix "
                              "it, then run this again").format(
            path=main_file(booth, site.languages[0]) or booth / "index.md"))
    if not site.categories:
        raise ScaffoldError(_("{path}: categories: none yet; every product needs one, e.g. "
                              "categories: {{keset: {{name: Keset}}}}").format(
            path=content / "site.yaml"))
    values = {"name": _name(site.languages, name),
              "code": _yaml(next_product_code(booth_code, site.product_codes)),
              "draft": "true"}
    return _write(folder / site.main_name, front_matter(fields.PRODUCT, values, site))


# --- a new site -------------------------------------------------------------------------

STARTER_INTRO = """\
# Pameran baru: ubah nilai-nilai ini, lalu jalankan `showcase serve`.
# A new exhibition: change these values, then run `showcase serve`.
"""

# The starter's site.yaml: its values, field by field, a blank line between the groups.
# What each field means comes from the registry (starter_site).
STARTER_SITE: tuple[tuple[tuple[str, str], ...], ...] = (
    (("title", """
  id: Pameran Produk Warga Binaan
  en: Prison Products Showcase"""),
     ("tagline", """
  id: Karya tangan dari lembaga pemasyarakatan
  en: Handmade in correctional facilities"""),
     ("description", """
  id: Katalog daring produk buatan warga binaan, bisa dipesan langsung ke bengkel kerja.
  en: The online catalogue of products made by inmates, to order from their workshops.""")),
    (("base_url", "https://example.org/"),
     ("languages", "[id, en]")),
    (("event", """
  start: 2026-03-24
  end: 2026-03-26
  hours: {id: "09.00–17.00 WIB", en: "9 am – 5 pm (WIB)"}
  venue:
    name: {id: Aula Serbaguna, en: Multipurpose Hall}
    address:
      id: Jl. Contoh No. 1, Jakarta
      en: Jl. Contoh No. 1, Jakarta, Indonesia"""),),
    (("organiser", """
  name: {id: Panitia Pameran, en: Exhibition Committee}
  email: panitia@example.org"""),),
    (("contact", '\n  whatsapp: "0812-0000-0000"'),),
    (("categories", """
  keset:
    name: {id: Keset, en: Doormats}
    description:
      id: Keset sabut kelapa dan kain perca.
      en: Doormats of coconut coir and fabric offcuts.
  kerajinan:
    name: {id: Kerajinan, en: Crafts}
    description:
      id: Anyaman, ukiran dan hiasan rumah.
      en: Weaving, carving and home decor."""),),
)
# Fields the starter shows commented out: settings a new site does not want yet.
STARTER_OFF = ("admin",)
COMMENT_AT = 32   # the column where a field's words start, beside its first line
LINE_WIDTH = 100  # words that would run past it go above the field, a line per language


def starter_site() -> str:
    """The starter's site.yaml: every field it sets, explained in the registry's words."""
    groups = []
    for group in STARTER_SITE:
        lines = []
        for name, value in group:
            words = fields.SITE.field(name).doc
            first, *rest = (f"{name}:" + (value if value.startswith("\n") else f" {value}")
                            ).split("\n")
            beside = f"{first.ljust(COMMENT_AT)}# {words.id} / {words.en}"
            lines += ([beside] if len(beside) <= LINE_WIDTH
                      else [f"# {words.id}", f"# {words.en}", first]) + rest
        groups.append("\n".join(lines) + "\n")
    # Off until the organiser names the repository: shown, commented, with its words.
    for name in STARTER_OFF:
        spec = fields.SITE.field(name)
        groups.append(f"# {spec.doc.id}\n# {spec.doc.en}\n# {name}: {spec.example}\n")
    return STARTER_INTRO + "\n" + "\n".join(groups)


def starter_photo() -> bytes:
    """A doormat on a floor, drawn rather than shipped: a few KB, the same bytes on every
    run, and 1200 px wide so `check` does not call it blurred."""
    image = Image.new("RGB", (1200, 900), (214, 208, 192))
    draw = ImageDraw.Draw(image)
    draw.rectangle((208, 192, 991, 703), fill=(150, 98, 52))
    draw.rectangle((272, 256, 927, 639), fill=(176, 120, 66))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80, optimize=True)
    return out.getvalue()


def init(target: Path) -> Path:
    """Write a new site project into `target` (new or empty); return its content folder.

    A whole project, not only content: pushed to GitHub as it is, its workflow
    publishes it, and its `.gitignore` keeps out what showcase derives. Everything but
    site.yaml (explained in the registry's words) and the photo is a file of the
    package's `starter/`."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise UsageError(_("{target}: is not empty; showcase init writes only into a new or "
                           "empty folder, so that nothing of yours is overwritten; choose "
                           "another").format(target=target))
    files: dict[str, str | bytes] = {"content/site.yaml": starter_site(),
                                     **resources.starter_files(),
                                     "content/booths/lapas-contoh/keset-sabut-kelapa/keset.jpg":
                                     starter_photo()}
    for name, data in files.items():
        write_atomic(target / name, data)
    return target / "content"
