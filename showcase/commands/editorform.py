"""An entry's fields as the browser editor's form holds them: one rule for the two
places that show content to the editor.

The generated configuration (render/admin.py) gives a localised field one box per
language, a price a range and a photo an object; the contract also lets a file write
them short (`name: Keset`, `price: 75000`, `images: [keset.jpg]`), and Decap's object
and list widgets stop the editor when they meet the short form. `serve --admin`
(cmsbackend.py) shows every file widened so; `admin prepare` (prepare.py) writes the
files widened, for the online editor, which reads the repository with nothing between.
"""

from __future__ import annotations

from typing import Any

from showcase.load import fields


def as_form(record: fields.Record, data: dict, languages: tuple[str, ...]) -> dict:
    """`data` (an entry's fields) with every value the contract lets be short written
    out as the form of the generated configuration holds it (render/admin.py): a
    localised value as one per language (`name: Keset` is `{id: Keset}`), a price as a
    range (`75000` is `{from: 75000, to: 75000}`, the same price), a photo as `{file}`.
    Decap's object and list widgets cannot edit the short forms (changing one stops the
    editor), and both forms mean the same to the loader."""
    out = dict(data)
    for spec in record.fields:
        if spec.name not in out:
            continue
        value = out[spec.name]
        if spec.localised:
            if not _by_language(value, languages):
                value = {languages[0]: value}
        elif spec.check is fields.price:
            if isinstance(value, int) and not isinstance(value, bool):
                value = {"from": value, "to": value}
        elif spec.record is not None and spec.collection == "list" and isinstance(value, list):
            first = spec.record.fields[0].name
            value = [as_form(spec.record, item if isinstance(item, dict) else {first: item},
                             languages) for item in value]
        elif spec.record is not None and spec.collection == "mapping" and isinstance(value, dict):
            value = {key: as_form(spec.record, item, languages) if isinstance(item, dict)
                     else item for key, item in value.items()}
        elif spec.record is not None and isinstance(value, dict):
            value = as_form(spec.record, value, languages)
        out[spec.name] = value
    return out


def _by_language(value: Any, languages: tuple[str, ...]) -> bool:
    return isinstance(value, dict) and bool(value) and all(k in languages for k in value)


def plain(value: Any) -> Any:
    """Parsed YAML (with the loader's line-keeping types) as plain dicts and lists."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def fold(record: fields.Record, form: dict, lang: str, translation: dict) -> list[str]:
    """Put the localised values a translation (`index.<lang>.md`) sets into `form`, the
    default-language file's fields, where the editor's form edits every language (its
    localised fields have no `i18n`: the translation file holds only the text). The
    loader takes a translation's value over the main file's, so the value moved in
    replaces the main file's for that language. The names of the fields moved."""
    moved = []
    for spec in record.fields:
        value = translation.get(spec.name)
        if spec.localised and value is not None:
            held = form.get(spec.name)
            form[spec.name] = {**(held if isinstance(held, dict) else {}), lang: plain(value)}
            moved.append(spec.name)
    return moved
