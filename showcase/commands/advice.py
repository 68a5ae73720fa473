"""Advice: what `showcase check` says on top of the build's validation, and its reports.

The build refuses content that cannot be published (errors). Many things can be
published but make a weaker exhibition: a photo a screen reader cannot describe, a
product page in English that falls back to Indonesian, a product nobody can order, a
photo that a phone camera tagged with where it was taken. Organisers only hear about
these if someone tells them, so `check` adds them as warnings, each saying what to do,
and a coverage table that shows how far the translations have come.

Everything here reads a loaded `Site`, and where the model drops something on purpose
(a maker without consent) or a warning needs a line, what the loader kept of the
files (`Site.sources`); no file is read again, and nothing is written.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from showcase.errors import Problem, Problems, shown
from showcase.files import in_repository
from showcase.i18n import locale
from showcase.load import fields, placeholders
from showcase.load.photos import PhotoError, PhotoIndex
from showcase.model import Booth, Localised, Page, Photo, Product, Site, Written
from showcase import messages
from showcase.messages import N_, _, ngettext

# A product photo is shown full width on phones (800 px at DPR 2) and up to 1600 px on
# large screens; below 1000 px on the long side it looks soft on most of them.
MIN_LONG_SIDE = 1000
# Logos are shown 5rem wide (theme macros.html): 240 px covers a DPR 3 phone.
MIN_LOGO_SIDE = 240
# Bigger originals only slow every build, clone and upload; no page needs them.
MAX_FILE_BYTES = 25 * 1000 * 1000


# -- coverage -------------------------------------------------------------------------

@dataclass(frozen=True)
class Share:
    """`have` out of `total`; an empty total counts as complete (nothing to translate)."""

    have: int
    total: int

    @property
    def ratio(self) -> float:
        return self.have / self.total if self.total else 1.0

    @property
    def percent(self) -> int:
        return int(self.ratio * 100)  # floored: 99.6 % is not yet 100 %

    def as_dict(self) -> dict[str, Any]:
        return {"have": self.have, "total": self.total, "share": round(self.ratio, 4)}


@dataclass(frozen=True)
class Coverage:
    """How far each language has come, for the table at the end of `check`.

    `entries[lang]`: booths, products and pages that have any text in `lang`.
    `complete[lang]`: those whose every localisable field has `lang` (no fallback).
    `fields[kind.field][lang]`: of the entries that fill in that field at all, those
    that have it in `lang`. Rows are keyed like "product.name" so that a booth's name
    and a product's name stay apart.
    """

    languages: tuple[str, ...] = ()
    entries: dict[str, Share] = field(default_factory=dict)
    complete: dict[str, Share] = field(default_factory=dict)
    fields: dict[str, dict[str, Share]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "languages": list(self.languages),
            "entries": {lang: s.as_dict() for lang, s in self.entries.items()},
            "complete": {lang: s.as_dict() for lang, s in self.complete.items()},
            "fields": {name: {lang: s.as_dict() for lang, s in by_lang.items()}
                       for name, by_lang in self.fields.items()},
        }


@dataclass(frozen=True)
class _Entry:
    """A booth, product or page seen as translatable text: (field, value) pairs."""

    kind: str  # "booth", "product", "page"
    src_path: Path
    values: tuple[tuple[str, Localised | None], ...]
    # The field that is the Markdown body: a page's `description` is front matter.
    body_field: str = "description"

    def present(self) -> Iterator[tuple[str, Localised]]:
        """The fields the entry fills in (an empty body is not text to translate)."""
        for name, value in self.values:
            if value is None:
                continue
            if name == self.body_field and not any(str(v).strip() for _, v in value.values):
                continue
            yield name, value

    def has_language(self, lang: str, default: str) -> bool:
        return lang == default or any(v.has(lang) for _, v in self.present())

    def missing(self, lang: str) -> list[str]:
        return [name for name, value in self.present() if not value.has(lang)]


def _translatable(record: fields.Record) -> tuple[str, ...]:
    """The fields of `record` that are text to translate, in the order a warning names
    them: what the entry is called (its required fields), what it says (the body), then
    the details. Read at call time, so a new localised field counts with no edit here."""
    counted = [f for f in record.fields if f.localised and not f.proper_name]
    body = (record.body,) if record.body else ()
    return (*(f.name for f in counted if f.required), *body,
            *(f.name for f in counted if not f.required))


def _values(record: fields.Record, item: Any) -> tuple[tuple[str, Localised | None], ...]:
    """The translatable values of a booth, product or page (the body is its `body`)."""
    return tuple((name, item.body if name == record.body else getattr(item, name))
                 for name in _translatable(record))


def _booth_entry(booth: Booth) -> _Entry:
    return _Entry("booth", booth.src_path, _values(fields.BOOTH, booth))


def _product_entry(product: Product) -> _Entry:
    return _Entry("product", product.src_path, _values(fields.PRODUCT, product))


def _page_entry(page: Page) -> _Entry:
    # A page's `description` is front matter; its Markdown body is "text".
    return _Entry("page", page.src_path, _values(fields.PAGE, page) + (("text", page.body),),
                  body_field="text")


def _entries(site: Site) -> list[_Entry]:
    found: list[_Entry] = []
    for booth in site.booths:
        found.append(_booth_entry(booth))
        found.extend(_product_entry(product) for product in booth.products)
    found.extend(_page_entry(page) for page in site.pages)
    return found


def coverage(site: Site) -> Coverage:
    """The share of entries, and of each localisable field, present in each language."""
    languages = site.config.languages
    default = site.config.default_language
    entries = _entries(site)
    by_field: dict[str, list[Localised]] = {}
    for entry in entries:
        for name, value in entry.present():
            by_field.setdefault(f"{entry.kind}.{name}", []).append(value)
    return Coverage(
        languages=languages,
        entries={lang: Share(sum(e.has_language(lang, default) for e in entries), len(entries))
                 for lang in languages},
        complete={lang: Share(sum(not e.missing(lang) for e in entries), len(entries))
                  for lang in languages},
        fields={name: {lang: Share(sum(v.has(lang) for v in values), len(values))
                       for lang in languages}
                for name, values in sorted(by_field.items())},
    )


# -- advice ---------------------------------------------------------------------------

class LanguageLabel(messages.Text):
    """'English (en)': organisers know their languages by name, files by code. Printed,
    the name is in the language the command line speaks ('bahasa Inggris (en)')."""

    def said(self) -> str:
        values = dict(self.values)
        name = locale(messages.language()).languages.get(values["lang"], values["name"])
        return _(self.template).format(name=name, lang=values["lang"])


def language_label(lang: str) -> str:
    name = locale("en").languages.get(lang)
    # N_ marks the template; the label is made with its own class so that it says its name.
    return LanguageLabel(N_("{name} ({lang})"), (("name", name), ("lang", lang))) if name \
        else lang


def advise(site: Site | None, problems: Problems,
           photo_index_path: Path | None = None) -> Coverage:
    """Add `check`'s warnings to `problems` and return the translation coverage.

    Call it once per `problems`: a second call would add every warning again.

    `site` is what `loader.load` returned; when it is None (the content has errors)
    there is nothing to advise on and the coverage is empty. `photo_index_path` is the
    build's photo index, so that photos already inspected are not decoded again.
    """
    if site is None:
        return Coverage()
    for found in placeholders.find(site):
        problems.warn(found.path, found.line, found.field, found.message)
    advisor = _Advisor(site, problems, PhotoIndex(photo_index_path))
    advisor.untranslated_site()
    for booth in site.booths:
        advisor.booth(booth)
        for product in booth.products:
            advisor.product(booth, product)
    for page in site.pages:
        advisor.untranslated(_page_entry(page))
    advisor.editor_names()
    return coverage(site)


class _Advisor:
    """Holds what one run needs: the site, the collector and the photo facts."""

    def __init__(self, site: Site, problems: Problems, photos: PhotoIndex):
        self.site = site
        self.problems = problems
        self.photos = photos
        self.languages = site.config.languages
        self.default = site.config.default_language

    # -- helpers ---------------------------------------------------------------------

    def show(self, path: Path) -> str:
        return shown(path, self.site.root)

    def written(self, path: Path) -> Written | None:
        """Where the entry's fields were written, as the loader kept it."""
        return self.site.sources.entries.get(path)

    def line(self, path: Path, key: str, body_field: str = "description") -> int | None:
        written = self.written(path)
        if written is None:
            return None
        if key == body_field and path.suffix == ".md":
            return written.body_line
        return written.lines.get(key)

    # -- the browser editor ----------------------------------------------------------

    def editor_names(self) -> None:
        """With `admin:` and more than one language, the editor (Decap CMS, i18n
        multiple_files) reads and writes an entry's default-language file as
        index.<lang>.md and a page's as <slug>.<lang>.md: it cannot open one named
        index.md, though the build reads both the same. Renaming is the fix, once."""
        if self.site.config.admin is None or len(self.languages) < 2:
            return
        default = self.default
        entries = [*((b.src_path, True) for b in self.site.booths),
                   *((p.src_path, True) for b in self.site.booths for p in b.products),
                   *((p.src_path, False) for p in self.site.pages)]
        for path, is_entry in entries:
            if path.suffix == ".yaml":
                self.problems.warn(
                    self.show(path), None, "",
                    N_("the browser editor (admin: in site.yaml) opens only entries written as "
                       "Markdown with front matter, not index.yaml; to edit this one there, "
                       "rewrite it as {wanted}"),
                    wanted=self.show(path.with_name(f"index.{default}.md")))
                continue
            wanted = path.with_name(f"index.{default}.md" if is_entry
                                    else f"{_page_slug(path, default)}.{default}.md")
            if path.name == wanted.name:
                continue
            self.problems.warn(
                self.show(path), None, "",
                N_("the browser editor (admin: in site.yaml) opens this entry's '{lang}' text "
                   "only from {name}, its name for this file; run showcase admin prepare, "
                   "which renames every such entry at once (the build reads both names the "
                   "same), and commit; or this one alone: git mv {old} {new}"),
                lang=default, name=wanted.name, old=self.show(path), new=self.show(wanted))

    # -- booths and products ---------------------------------------------------------

    def booth(self, booth: Booth) -> None:
        shown = self.show(booth.src_path)
        if not booth.products:
            self.problems.warn(shown, None, "",
                               N_("this booth has no products, so its page lists nothing; add "
                                  "one with 'showcase new product {slug} SLUG', or remove the "
                                  "booth's folder if it does not take part", slug=booth.slug))
        self.untranslated(_booth_entry(booth))
        shown_photos = [(key, getattr(booth, key)) for key in fields.BOOTH.photos]
        for key, photo in shown_photos:
            if photo is not None:
                self.photo_file(photo, key, booth.src_path, self.line(booth.src_path, key),
                                MIN_LOGO_SIDE if key == "logo" else MIN_LONG_SIDE)
        used = {photo.src_path.name for _, photo in shown_photos if photo is not None}
        written = self.written(booth.src_path)
        for path in written.photos if written else ():
            if path.name not in used:
                self.problems.warn(self.show(path), None, "",
                                   N_("no page shows this photo: a booth shows only its logo: "
                                      "and cover: (set in {file}); name it there, move it into "
                                      "a product's folder, or delete it", file=shown))

    def product(self, booth: Booth, product: Product) -> None:
        shown = self.show(product.src_path)
        self.untranslated(_product_entry(product))
        self.ordering(booth, product)
        self.maker(product)
        written = self.written(product.src_path)
        listed = written.images if written else None
        refs = _image_refs(listed)
        for photo in product.photos:
            if refs is None:
                name, line = "images", None
            else:
                index = refs.get(photo.src_path.name)
                name = f"images[{index}]" if index is not None else "images"
                line = listed[index][1] if index is not None else written.lines.get("images")
            self.alt_text(photo, name, product.src_path, line, listed is not None)
            self.photo_file(photo, name, product.src_path, line, MIN_LONG_SIDE)
        if refs is not None:
            for path in written.photos:
                if path.name not in refs:
                    self.problems.warn(self.show(path), None, "",
                                       N_("no page shows this photo: it is not listed under "
                                          "images: in {file}; add it there, or delete it",
                                          file=shown))

    def ordering(self, booth: Booth, product: Product) -> None:
        """A product visitors cannot price or order leaves them only the stand itself."""
        if product.price is not None or not product.availability.orderable:
            return
        if product.marketplaces or booth.marketplaces or product.whatsapp or booth.contact.whatsapp:
            return
        self.problems.warn(self.show(product.src_path), None, "price",
                           N_("this product has no price and no way to order it: no "
                              "marketplaces: and no WhatsApp number on the product, its booth or "
                              "site.yaml's contact; add a price, a whatsapp: number, or a "
                              "marketplace link"))

    def maker(self, product: Product) -> None:
        """The loader drops an unconsented maker silently; the organiser should know."""
        if product.maker is not None:
            return
        written = self.written(product.src_path)
        if written is None:
            return
        consent = written.maker_consent
        files = [(written.path, written.lines)] + [(path, lines) for _, path, lines
                                                   in written.translations]
        for path, lines in files:
            if "maker" not in lines:
                continue
            self.problems.warn(self.show(path), lines.get("maker"), "maker",
                               N_("will not be published: maker_consent is {state} in {file}. "
                                  "People in a correctional facility choose whether they are "
                                  "named; add maker_consent: true only once the maker has "
                                  "agreed, otherwise remove maker: from the file (it is public "
                                  "in the repository)",
                                  state="false" if consent is False else N_("not set"),
                                  file=self.show(product.src_path)))

    # -- photos ----------------------------------------------------------------------

    def alt_text(self, photo: Photo, name: str, entry: Path, line: int | None,
                 listed: bool) -> None:
        for lang in self.languages:
            if photo.alt is not None and photo.alt.has(lang):
                continue
            example = f"- {{file: {photo.src_path.name}, alt: {{{lang}: ...}}}}"
            how = (N_("write it as {example}", example=example) if listed else
                   N_("list every photo of the product under images: (only listed photos "
                      "are shown), e.g. {example}", example=example))
            self.problems.warn(self.show(entry), line, name,
                               N_("photo '{photo}' has no alt text in {language}, so screen "
                                  "readers and search engines cannot tell what it shows; {how}",
                                  photo=photo.src_path.name, language=language_label(lang),
                                  how=how))

    def photo_file(self, photo: Photo, name: str, entry: Path, line: int | None,
                   min_side: int) -> None:
        shown = self.show(photo.src_path)
        used_by = N_("used by {entry}", entry=self.show(entry) + (f":{line}" if line else ""))
        long_side = max(photo.width, photo.height)
        if long_side < min_side:
            self.problems.warn(shown, None, name,
                               N_("is only {width}×{height} px; it looks blurred on phones and "
                                  "large screens below {side} px on the long side; use the "
                                  "original from the camera or phone ({used_by})",
                                  width=photo.width, height=photo.height, side=min_side,
                                  used_by=used_by))
        try:
            size = photo.src_path.stat().st_size
        except OSError:
            size = 0
        if size > MAX_FILE_BYTES:
            self.problems.warn(shown, None, name,
                               N_("is {size} MB; files over {most} MB slow every build and "
                                  "upload and no page needs them; export it at about 3000 px on "
                                  "the long side ({used_by})", size=f"{size / 1e6:.1f}",
                                  most=MAX_FILE_BYTES // 10**6, used_by=used_by))
        try:
            has_gps = self.photos.info(photo.src_path).has_gps
        except (PhotoError, OSError):
            return  # the loader has reported an unreadable photo already
        if has_gps:
            self.problems.warn(shown, None, name,
                               N_("holds a GPS position (where it was taken) in its metadata; "
                                  "the build strips it, so the published site does not show "
                                  "it, but the original in content/ keeps it for anyone who can "
                                  "read the repository; remove location from the file if that "
                                  "matters ({used_by})", used_by=used_by))

    # -- translations ----------------------------------------------------------------

    def translation_file(self, entry: _Entry, lang: str) -> Path:
        if entry.kind == "page":
            return entry.src_path.with_name(f"{_page_slug(entry.src_path, self.default)}.{lang}.md")
        return entry.src_path.with_name(f"index.{lang}.md")

    def how_to_translate(self, entry: _Entry, lang: str, missing: list[str]) -> str:
        """Where to write the missing values, in the form this entry already uses."""
        both = f"{{{self.default}: ..., {lang}: ...}}"
        if entry.src_path.suffix != ".md":  # index.yaml: every value, body too, is a mapping
            if len(missing) == 1:
                return N_("write {fields} as {both} here, or put it in {file} beside this file",
                          fields=missing[0], both=both,
                          file=self.translation_file(entry, lang).name)
            return N_("write {fields} as {both} here, or put them in {file} beside this file",
                      fields=", ".join(missing), both=both,
                      file=self.translation_file(entry, lang).name)
        translation = self.translation_file(entry, lang)
        written = self.written(entry.src_path)
        exists = written is not None and any(l == lang for l, _, _ in written.translations)
        fields = [m for m in missing if m != entry.body_field]
        front = N_("{fields} in its front matter", fields=", ".join(fields))
        text = N_("the {language} text below it", language=language_label(lang))
        if fields and entry.body_field in missing:
            what = N_("{fields} and {text}", fields=front, text=text)
        else:
            what = front if fields else text
        if exists:
            advice = N_("add to {file} beside this file: {what}", file=translation.name, what=what)
        else:
            advice = N_("create {file} beside this file, with {what}", file=translation.name,
                        what=what)
        if fields:
            return N_("{advice} (a value that reads the same in both counts once written as "
                      "{example})", advice=advice,
                      example=f"{fields[0]}: {{{self.default}: X, {lang}: X}}")
        return advice

    def untranslated(self, entry: _Entry) -> None:
        """One warning per entry and language, listing the fields shown in the default."""
        for lang in self.languages[1:]:
            missing = entry.missing(lang)
            if not missing:
                continue
            lines = [n for n in (self.line(entry.src_path, m, entry.body_field)
                                 for m in missing) if n]
            self.problems.warn(self.show(entry.src_path), min(lines) if lines else None,
                               ", ".join(missing),
                               N_("not translated into {language}, so those visitors read the "
                                  "{default} text; {how}", language=language_label(lang),
                                  default=language_label(self.default),
                                  how=self.how_to_translate(entry, lang, missing)))

    def untranslated_site(self) -> None:
        """site.yaml's own localisable values: title, tagline, category names and so on."""
        path = self.site.root / "site.yaml"
        found = self.site.sources.site_localised
        for lang in self.languages[1:]:
            missing = [(name, line) for name, line, written in found if lang not in written]
            if not missing:
                continue
            self.problems.warn(self.show(path), min((l for _, l in missing if l), default=None),
                               ", ".join(name for name, _ in missing),
                               N_("not translated into {language}, so those visitors read the "
                                  "{default} text; write each as {both} (the same text twice "
                                  "when it reads the same)", language=language_label(lang),
                                  default=language_label(self.default),
                                  both=f"{{{self.default}: ..., {lang}: ...}}"))


def _page_slug(path: Path, default: str) -> str:
    """A page's slug from its main file: pages/<slug>.md or the editor's <slug>.<default>.md."""
    stem = path.stem
    return stem[:-len(default) - 1] if stem.endswith(f".{default}") else stem


def _image_refs(listed: tuple[tuple[str | None, int | None], ...] | None
                ) -> dict[str, int] | None:
    """File name -> index in a product's images: list; None when photos are discovered."""
    if listed is None:
        return None
    refs: dict[str, int] = {}
    for index, (name, _line) in enumerate(listed):
        if name is not None:
            refs.setdefault(name, index)
    return refs


# -- reports --------------------------------------------------------------------------

def _all(problems: Problems) -> tuple[list[Problem], list[Problem]]:
    return problems.errors, problems.warnings


def summary(problems: Problems) -> dict[str, int]:
    errors, warnings = _all(problems)
    return {"errors": len(errors), "warnings": len(warnings),
            "files": len({p.path for p in errors + warnings})}


def summary_line(problems: Problems) -> str:
    counts = summary(problems)
    errors, warnings, files = counts["errors"], counts["warnings"], counts["files"]
    return _("{errors}, {warnings} in {files}").format(
        errors=ngettext("{count} error", "{count} errors", errors).format(count=errors),
        warnings=ngettext("{count} warning", "{count} warnings", warnings).format(count=warnings),
        files=ngettext("{count} file", "{count} files", files).format(count=files))


def _problem_line(problem: Problem) -> str:
    parts = []
    if problem.line:
        parts.append(_("line {line}").format(line=problem.line))
    if problem.field:
        parts.append(problem.field)
    where = ", ".join(parts)
    kind = _("error") if problem.is_error else _("warning")
    return f"  {kind}: " + (f"{where}: " if where else "") + messages.problem(problem).message


# The kinds of entry, as the coverage table names them (its rows are `kind field`).
ENTRY_KINDS = (N_("booth"), N_("product"), N_("page"))


def coverage_table(coverage: Coverage) -> list[str]:
    """Rows of fields, a column per language: 'have/total pct%'."""
    if not coverage.languages:
        return []
    rows = [(_("entries with any text"), coverage.entries),
            (_("entries fully translated"), coverage.complete)]
    rows += [(" ".join((_(kind), field.replace(".", " "))), shares) for (kind, field), shares in
             sorted((tuple(name.split(".", 1)), shares)
                    for name, shares in coverage.fields.items())]
    cells = [[f"{s.have}/{s.total} {s.percent:>3}%" for s in (shares[lang] for lang in
                                                               coverage.languages)]
             for _, shares in rows]
    label_width = max(len(label) for label, _ in rows)
    widths = [max(len(lang), *(len(row[i]) for row in cells))
              for i, lang in enumerate(coverage.languages)]
    lines = [_("Translations:"),
             "  " + " " * label_width + "".join(f"  {lang:>{w}}" for lang, w in
                                                 zip(coverage.languages, widths))]
    for (label, _shares), row in zip(rows, cells):
        lines.append(f"  {label:<{label_width}}" + "".join(f"  {cell:>{w}}" for cell, w in
                                                           zip(row, widths)))
    return lines


def report_text(problems: Problems, coverage: Coverage) -> str:
    """Problems grouped by file (errors first), the coverage table, then the counts."""
    errors, warnings = _all(problems)
    by_file: dict[str, list[Problem]] = {}
    for problem in sorted(errors + warnings,
                          key=lambda p: (p.path, not p.is_error, p.line or 0, p.field, p.message)):
        by_file.setdefault(problem.path, []).append(problem)
    lines: list[str] = []
    for path, found in by_file.items():
        lines.append(path)
        lines.extend(_problem_line(p) for p in found)
        lines.append("")
    table = coverage_table(coverage)
    if table:
        lines.extend(table)
        lines.append("")
    lines.append(summary_line(problems))
    return "\n".join(lines) + "\n"


def _problem_dict(problem: Problem) -> dict[str, Any]:
    return {"path": problem.path, "line": problem.line, "field": problem.field,
            "message": problem.message, "severity": problem.severity.value}


def report_github(problems: Problems, content: Path) -> str:
    """Every problem as a GitHub Actions workflow command, so a pull request shows it as
    an annotation on the line it is about, then the counts.

    A problem's path is relative to the folder holding content/; GitHub wants it from
    the repository's root, and a site may be a subfolder of its repository."""
    site = content.resolve().parent
    where = in_repository(site)
    if where is None:  # not in a repository: from where the command runs, if below it
        try:
            where = site.relative_to(Path.cwd().resolve()).as_posix()
        except ValueError:
            where = site.as_posix()
    prefix = "" if where in ("", ".") else where.rstrip("/") + "/"
    errors, warnings = _all(problems)
    lines = []
    for problem in errors + warnings:
        kind = "error" if problem.is_error else "warning"
        said = messages.problem(problem)
        properties = [f"file={_escape_property(prefix + problem.path)}"]
        if problem.line:
            properties.append(f"line={problem.line}")
        properties.append(f"title={_escape_property('showcase check')}")
        text = f"{problem.field}: {said.message}" if problem.field else said.message
        lines.append(f"::{kind} {','.join(properties)}::{_escape_data(text)}")
    lines.append(summary_line(problems))
    return "\n".join(lines) + "\n"


def _escape_data(text: str) -> str:
    """A workflow command's message, escaped as GitHub's own toolkit does."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    """A workflow command's property value (file, title): ':' and ',' separate them."""
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def report_json(problems: Problems, coverage: Coverage) -> str:
    """The same report for tools: stable key order, problems sorted by file and line."""
    errors, warnings = _all(problems)
    return json.dumps({
        "errors": [_problem_dict(p) for p in errors],
        "warnings": [_problem_dict(p) for p in warnings],
        "coverage": coverage.as_dict(),
        "summary": summary(problems),
    }, ensure_ascii=False, indent=2) + "\n"
