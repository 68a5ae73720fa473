"""Documents and their translations, parsed once and checked against the field registry.

An entry is its main file (index.md or index.yaml) and a translation file per other
language (index.<lang>.md), which may set only the fields the registry calls
localised. What the checks give is typed (`Localised`, `Price`, `Contact`...), ready to
become model objects; what `check` will want to point at (lines, the files read) is
kept beside it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

from showcase.load import schema
from showcase.load.fields import Record
from showcase.load.listing import TRANSLATION_RE, Listing, main_names
from showcase.load.schema import INVALID, At, Context
from showcase.load.source import (Document, LineDict, ParseCache, SourceError, body_only,
                                  read, unreadable)
from showcase.model import Localised


@dataclass
class Entry:
    """A booth's, product's or page's checked values, Markdown bodies by language, and
    where they were written."""

    values: dict[str, Any]
    bodies: dict[str, str]
    path: Path
    data: LineDict
    body_line: int | None  # of the main file's Markdown body, if it has text
    translations: list[tuple[str, Path, Any]]  # (lang, file, its lines)


class Validator:
    """Reads documents through the listing (nothing from outside content/) and checks
    them; problems go to the listing's collector."""

    def __init__(self, listing: Listing, parsed: ParseCache):
        self.listing = listing
        self.problems = listing.problems
        self.parsed = parsed

    def document(self, path: Path, translation: bool = False) -> Document:
        """The file parsed, its problems reported; a `translation` may be text alone."""
        if self.listing.refuse_outside(path):
            return unreadable(SourceError(None, "outside the content folder"))  # reported
        doc = read(path, self.parsed)
        if translation:
            doc = body_only(doc)
        for error in doc.errors:
            self.problems.add(self.listing.show(path), error.line, error.field, error.message)
        return doc

    @staticmethod
    def validate(record: Record, doc: Document, ctx: Context) -> dict[str, Any]:
        if not doc.parsed:
            return {}
        return record(doc.data, At(ctx, "", doc.data.line or 1))

    def entry(self, folder: Path, record: Record, ctx_for: Callable[[str], Context]
              ) -> Entry | None:
        """An entry folder's index and translations."""
        listing = self.listing
        default = ctx_for("").languages[0]
        found = [folder / name for name in main_names(default) if listing.is_file(folder / name)]
        if len(found) > 1:
            first, *others = found
            for other in others:
                if other.suffix == ".yaml":
                    self.problems.add(listing.show(other), None, "",
                                      f"this folder has both {first.name} and index.yaml; keep "
                                      f"one (the other is {listing.show(first)})")
                    continue
                self.problems.add(listing.show(other), 1, "",
                                  f"this folder has both {first.name} and {other.name}, which "
                                  f"is read as {first.name} (the browser editor's name for it): "
                                  f"the same entry twice; keep one (the other is "
                                  f"{listing.show(first)}:1)")
            return None
        path = found[0]
        ctx = ctx_for(listing.show(path))
        doc = self.document(path)
        values = self.validate(record, doc, ctx)
        bodies: dict[str, str] = {}
        body_line = None
        if path.suffix == ".yaml":
            description = doc.data.get(record.body) if record.body else None
            if description is not None:
                checked = schema.localised()(description, At(ctx, record.body,
                                                             doc.data.lines.get(record.body)))
                if checked is not INVALID:
                    bodies.update(checked.values)
        elif doc.body.strip():
            bodies[default] = doc.body
            body_line = doc.body_line
        entry = Entry(values, bodies, path, doc.data, body_line, [])
        for name in sorted(listing.entries(folder)):
            match = TRANSLATION_RE.match(name)
            if match and name != path.name:
                self.translation(folder / name, match.group(1), record, ctx, entry)
        return entry

    def translation(self, path: Path, lang: str, record: Record, ctx: Context,
                    entry: Entry) -> None:
        """A translation file's values merged into the entry's."""
        shown = self.listing.show(path)
        if lang not in ctx.languages:
            self.problems.add(shown, None, "", f"'{lang}' is not a language of site.yaml "
                              f"({', '.join(ctx.languages)}); add it there or rename the file")
            return
        default = ctx.languages[0]
        if lang == default:
            self.problems.add(shown, None, "", f"'{lang}' is the default language: its text "
                              f"belongs in the main file ({entry.path.name}) itself")
            return
        doc = self.document(path, translation=True)
        entry.translations.append((lang, path, doc.data.lines))
        allowed = record.localised
        tctx = Context(shown, self.problems, (lang,), ctx.categories, ctx.marketplaces,
                       ctx.marketplace_names)
        values = entry.values
        for key, value in doc.data.items():
            at = At(tctx, str(key), doc.data.lines.get(key))
            if key not in allowed:
                guess = schema.nearest(key, allowed)
                at.problem(f"cannot be set in a translation; only {', '.join(allowed)} can"
                           + (f" (did you mean '{guess}'?)" if guess else "")
                           + f"; set {key} in the main index file")
                continue
            if key == record.body:  # index.yaml-style body; a page's description is
                # its sentence for search engines, a field like any other
                checked = schema.text(value, at)
                if checked is not INVALID:
                    entry.bodies[lang] = checked
                continue
            checked = record.field(key).check(value, at)
            if checked is not INVALID and not self.conflict(entry, key, lang, checked, at):
                old = values.get(key)
                merged = dict(old.values) if old else {}
                merged.update(checked.values)
                values[key] = Localised.of(merged, default)
        if doc.body.strip():
            entry.bodies[lang] = doc.body


    def conflict(self, entry: Entry, key: str, lang: str, checked: Localised, at: At) -> bool:
        """Whether the main file already gives `key` a different value in `lang`: two
        values for one thing, and which one pages show would be an accident of loading."""
        old = entry.values.get(key)
        if not isinstance(old, Localised) or not old.has(lang) or old.get(lang) == checked.get(lang):
            return False
        written = entry.data.get(key)
        line = (written.lines.get(lang) if isinstance(written, LineDict) else None
                ) or entry.data.lines.get(key)
        main = self.listing.show(entry.path)
        at.problem(f"'{_shown(checked.get(lang))}' here, but {main}:{line} sets {key} in "
                   f"'{lang}' to '{_shown(old.get(lang))}'; keep one: this file is the place for "
                   f"'{lang}', so delete '{lang}: ...' from {key} in {entry.path.name} (or delete "
                   "this line)")
        return True


def _shown(value: Any) -> str:
    return ", ".join(map(str, value)) if isinstance(value, tuple) else str(value)


def localised_written(record: Record, data: Any, prefix: str = ""
                      ) -> Iterator[tuple[str, int | None, tuple[str, ...]]]:
    """(dotted field, line, languages written) of every localised value in `data`, as
    the registry declares them, nested records included."""
    if not isinstance(data, dict):
        return
    lines = getattr(data, "lines", {})
    for spec in record.fields:
        value = data.get(spec.name)
        name = prefix + spec.name
        if spec.localised:
            if value not in (None, ""):
                yield name, lines.get(spec.name), tuple(value) if isinstance(value, dict) else ("",)
        elif spec.record is not None and isinstance(value, dict):
            if spec.collection == "mapping":
                for key, item in value.items():
                    yield from localised_written(spec.record, item, f"{name}.{key}.")
            elif not spec.collection:
                yield from localised_written(spec.record, value, name + ".")
