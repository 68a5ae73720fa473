"""`showcase admin prepare`: the content made ready for the online editor, in place.

On GitHub the editor (Decap CMS) reads the repository with nothing in between, so two
things the contract allows stop it there, though `serve --admin` hides both:

- its i18n `multiple_files` opens an entry's default-language text only from
  `index.<default>.md` (a page's from `pages/<slug>.<default>.md`); an entry written as
  `index.md` opens without it. Each such file is renamed, never over another file.
- its form holds a localised value as `{id: …, en: …}`, a price as `{from, to}`, a
  photo as `{file, alt}`; a value written short makes its widgets fail on the first
  edit. Each is written in that long form (`editorform.as_form`, the rule `serve
  --admin` shows files by), and a localised value a translation sets is moved into the
  main file, where the form edits every language. The edit is `import`'s in-place
  rewrite (`spreadsheet.set_values`): comments, key order and the body stay.

Both mean the same to the loader, so the built site does not change. Every entry is
read and planned first; one that cannot be read or rewritten safely is reported and
nothing at all is written ("nothing half-written"). A second run finds nothing to do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from showcase.commands.editorform import as_form, fold, plain
from showcase.commands.spreadsheet import MISSING, Source, set_values
# One line of YAML with the old line's comment kept, as `import` writes it.
from showcase.commands.spreadsheet import _line
from showcase.errors import Problems, shown
from showcase.files import write_atomic
from showcase.load import fields, siteinfo
from showcase.load.listing import PAGE_RE, main_names
from showcase.load.source import LineList, read_markdown, read_yaml
from showcase.messages import N_


@dataclass(frozen=True)
class Change:
    """One file's change: renamed (`to`), and/or fields written long or moved in."""

    path: Path                  # the file as it is now
    to: Path | None = None      # its new name, if renamed
    data: bytes | None = None   # its new bytes, if rewritten
    widened: tuple[str, ...] = ()  # fields written in the editor's long form
    moved: tuple[str, ...] = ()    # localised fields taken in from (or out to) a translation
    out: bool = False              # a translation, the fields in `moved` taken out of it


@dataclass
class Plan:
    changes: list[Change] = field(default_factory=list)
    # Entries the editor cannot open at all (index.yaml): (file, what to do), a template.
    notes: list[tuple[Path, str, Path]] = field(default_factory=list)
    problems: Problems = field(default_factory=Problems)
    content: Path = Path("content")


def _read(path: Path, content: Path, problems: Problems) -> Source | None:
    """A file with its parse, or None (a problem said where) if it cannot be edited."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        problems.add(shown(path, content), None, "",
                     N_("cannot be read ({reason}); make it readable, then run this again",
                        reason=str(exc.strerror or exc)))
        return None
    if path.suffix == ".md" and not raw.lstrip(b"\xef\xbb\xbf").startswith(b"---"):
        # A translation the editor saved as text alone: no fields, nothing to change.
        return Source(path, raw, read_markdown(b"---\n---\n" + raw))
    doc = read_yaml(raw) if path.suffix == ".yaml" else read_markdown(raw)
    if doc.errors or not doc.parsed:
        for error in doc.errors:
            problems.add(shown(path, content), error.line, error.field, error.message)
        if not doc.errors:
            problems.add(shown(path, content), None, "", N_("cannot be read as front matter "
                                                           "and text; fix it first"))
        return None
    return Source(path, raw, doc)


def _entries(content: Path, default: str) -> list[tuple[fields.Record, list[Path], Path]]:
    """(record, main files found, folder-or-page stem) of every booth, product and page."""
    found = []
    booths = content / "booths"

    def folders(parent: Path) -> list[Path]:
        if not parent.is_dir():
            return []
        return sorted((p for p in parent.iterdir() if p.is_dir() and not p.name.startswith(".")
                       and not p.is_symlink()), key=lambda p: p.name)

    for booth in folders(booths):
        for record, folder in [(fields.BOOTH, booth),
                               *((fields.PRODUCT, sub) for sub in folders(booth))]:
            mains = [folder / name for name in main_names(default) if (folder / name).is_file()]
            if mains:
                found.append((record, mains, folder / "index"))
    pages = content / "pages"
    if pages.is_dir():
        slugs: dict[str, list[Path]] = {}
        for path in sorted(pages.iterdir(), key=lambda p: p.name):
            match = PAGE_RE.fullmatch(path.name)
            if match and path.is_file() and match["lang"] in (None, default):
                slugs.setdefault(match["slug"], []).append(path)
        for slug, mains in sorted(slugs.items()):
            found.append((fields.PAGE, sorted(mains, key=lambda p: p.name != f"{slug}.md"),
                          pages / slug))
    return found


def plan(content: Path) -> Plan:
    """Every change `admin prepare` would make, or the problems that stop all of them."""
    result = Plan(content=content)
    problems = result.problems
    facts = siteinfo.read_site_facts(content, shown(content / siteinfo.FILE_NAME, content))
    if not facts.found:
        problems.add(shown(content / siteinfo.FILE_NAME, content), None, "",
                     N_("site.yaml is missing; run this in the folder that holds content/, "
                        "or pass --content DIR"))
        return result
    problems.items.extend(facts.problems.items)
    languages = facts.languages
    default = languages[0]
    # With one language Decap has no i18n and opens `index.md`; with more, only the
    # default language's own name.
    suffix = f".{default}.md" if len(languages) > 1 else ".md"
    site = _read(content / siteinfo.FILE_NAME, content, problems)
    if site is not None and not problems.errors:
        _widen(result, site, fields.SITE, languages, {})
    targets: set[Path] = set()
    for record, mains, stem in _entries(content, default):
        if len(mains) > 1:
            problems.add(shown(mains[1], content), None, "",
                         N_("this entry has both {first} and {second}, which the build reads "
                            "as the same file; keep one (move what the other adds into it), "
                            "then run this again", first=mains[0].name, second=mains[1].name))
            continue
        main = mains[0]
        target = stem.with_name(stem.name + suffix)
        if main.suffix == ".yaml":
            result.notes.append((main, N_("the online editor opens only Markdown entries; "
                                          "rewrite it as {wanted} (its fields between --- "
                                          "lines, then its text)"), target))
            continue
        source = _read(main, content, problems)
        translations = {}
        for lang in languages[1:]:
            path = stem.with_name(f"{stem.name}.{lang}.md")
            if path.is_file():
                translations[lang] = _read(path, content, problems)
        if source is None or None in translations.values():
            continue
        renamed = target if main != target else None
        if renamed is not None:
            if target.exists() or target in targets:
                problems.add(shown(main, content), None, "",
                             N_("cannot be renamed to {target}: that file is there; keep one "
                                "of the two, then run this again", target=target.name))
                continue
            targets.add(target)
        _widen(result, source, record, languages, translations, renamed)
    return result


def _widen(result: Plan, source: Source, record: fields.Record, languages: tuple[str, ...],
           translations: dict[str, Source], renamed: Path | None = None) -> None:
    """Plan one entry: its main file in the form's long form (with what its translations
    set moved in), renamed if `renamed`; its translations without what moved out."""
    front = plain(dict(source.doc.data))
    form = as_form(record, front, languages)
    wide = dict(form)  # before the translations' values come in
    outs: list[tuple[Source, list[str]]] = []
    for lang, translation in translations.items():
        moved = fold(record, form, lang, plain(dict(translation.doc.data)))
        if moved:
            outs.append((translation, moved))
    changed = {key: value for key, value in form.items() if front.get(key) != value}
    data = None
    if changed:
        source, rest = _items_in_place(source, record, changed)
        data = set_values(source, rest) if rest else source.raw
        if data is None:
            result.problems.add(shown(source.path, result.content), None, ", ".join(rest),
                                N_("cannot be written in the editor's long form without "
                                   "changing anything else in this file; write it so by "
                                   "hand ({example})", example=_example(rest)))
            return
    taken = {name for _, names in outs for name in names}
    if data is not None or renamed is not None:
        result.changes.append(Change(
            source.path, renamed, data,
            tuple(k for k in changed if k in front and wide[k] != front[k]),
            tuple(k for k in changed if k in taken)))
    for translation, names in outs:
        data = set_values(translation, {name: MISSING for name in names})
        if data is None:
            result.problems.add(shown(translation.path, result.content), None, ", ".join(names),
                                N_("cannot take these fields out of this file without changing "
                                   "anything else in it; move them into the main file by "
                                   "hand"))
            return
        if translation.raw.lstrip(b"\xef\xbb\xbf").startswith(b"---"):
            result.changes.append(Change(translation.path, None, data, (), tuple(names),
                                         out=True))


ITEM = re.compile(r"^(?P<dash>[ \t]*-[ \t]+)(?P<rest>[^\r\n]*)$")


def _items_in_place(source: Source, record: fields.Record, changed: dict[str, Any]
                    ) -> tuple[Source, dict[str, Any]]:
    """A block list of plain items (`- keset.jpg`, one a line) widened line by line
    (`- file: keset.jpg`), so a comment between its items stays where it is (a whole
    value rewritten by `set_values` is one line). What is left for `set_values`: the
    values this cannot do so."""
    data = source.doc.data
    text = source.raw.decode("utf-8")
    lines = text.splitlines(keepends=True)
    done = []
    for key, new in changed.items():
        spec = next((f for f in record.fields if f.name == key), None)
        old = data.get(key)
        if spec is None or spec.record is None or not isinstance(new, list) \
                or not isinstance(old, LineList) or len(set(old.lines)) != len(old):
            continue
        first = spec.record.fields[0].name
        edits: dict[int, str] = {}
        for item, wide, line in zip(old, new, old.lines):
            if wide == item:
                continue
            if isinstance(item, dict) and isinstance(wide, dict):
                if not _sub_edits(lines, item, wide, edits):
                    break
                continue
            match = ITEM.match(lines[line - 1].rstrip("\r\n"))
            if not isinstance(item, str) or wide != {first: item} or match is None:
                break
            ending = lines[line - 1][len(lines[line - 1].rstrip("\r\n")):]
            edits[line - 1] = f"{match['dash']}{first}: {match['rest']}{ending}"
        else:
            edited = list(lines)
            for index, line in edits.items():
                edited[index] = line
            raw = "".join(edited).encode("utf-8")
            doc = read_markdown(raw) if source.path.suffix == ".md" else read_yaml(raw)
            if not doc.errors and plain(doc.data.get(key)) == new and doc.body == \
                    source.doc.body:
                lines = edited
                source = Source(source.path, raw, doc)
                data = doc.data
                done.append(key)
    return source, {k: v for k, v in changed.items() if k not in done}


def _sub_edits(lines: list[str], item: Any, wide: dict, edits: dict[int, str]) -> bool:
    """Line edits widening the changed keys of one block-mapping item of a list (`alt:
    Keset` to `alt: {id: Keset}`), each written on its key's line; False if one cannot
    be (the caller's check of the result catches a value that ran on below)."""
    held = getattr(item, "lines", None)
    if not held or set(wide) != set(item):
        return False
    for key, value in wide.items():
        if value == item[key]:
            continue
        index = held[key] - 1
        match = re.match(rf"^([ \t]*(?:-[ \t]+)?){re.escape(str(key))}:", lines[index])
        if match is None or index in edits:
            return False
        ending = lines[index][len(lines[index].rstrip("\r\n")):] or "\n"
        edits[index] = _line(lines[index], match[1], str(key), value, True, ending)
    return True


def _example(values: dict[str, Any]) -> str:
    """The first value as one line of YAML, as the organiser may write it."""
    key, value = next(iter(values.items()))
    line = yaml.safe_dump({key: value}, default_flow_style=True, allow_unicode=True,
                          width=10**9, sort_keys=False)
    return line.strip().removeprefix("{").removesuffix("}")


def apply(result: Plan) -> None:
    """Carry out a plan with no problems: each file written whole (`write_atomic`),
    a renamed one under its new name before the old name goes."""
    assert not result.problems.errors
    for change in result.changes:
        target = change.to or change.path
        if change.data is not None or change.to is not None:
            data = change.data if change.data is not None else change.path.read_bytes()
            write_atomic(target, data)
        if change.to is not None and change.to != change.path:
            change.path.unlink()
