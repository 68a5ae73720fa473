"""A theme folder: its templates, its static files (fingerprinted) and its strings."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from showcase.errors import Problems
from showcase.files import files_below
from showcase.i18n import Strings, load_strings


@dataclass(frozen=True)
class Theme:
    root: Path
    # name in static/ -> (published path, bytes); the hash in the path lets browsers
    # cache a stylesheet forever and still see a new one after a deploy.
    static: dict[str, tuple[str, bytes]]
    strings: dict[str, Strings]

    @property
    def templates(self) -> Path:
        return self.root / "templates"


def fingerprinted(name: str, data: bytes) -> str:
    digest = hashlib.sha256(data).hexdigest()[:10]
    stem, dot, suffix = name.rpartition(".")
    return f"static/{stem}.{digest}.{suffix}" if dot else f"static/{name}.{digest}"


def find(name: str, content_root: Path, builtin: Path) -> Path | None:
    """A site's own `themes/<name>/` beside its content wins over the bundled one."""
    for base in (content_root.parent / "themes", builtin):
        if (base / name / "templates").is_dir():
            return base / name
    return None


def load(root: Path, languages: tuple[str, ...], problems: Problems) -> Theme:
    static_dir = root / "static"
    static = {}
    if static_dir.is_dir():
        for name, path in files_below(static_dir):
            data = path.read_bytes()
            static[name] = (fingerprinted(name, data), data)
    strings, missing = load_strings(root / "i18n", languages)
    for lang in missing:
        problems.warn(str(root / "i18n" / f"{lang}.yaml"), None, "",
                      f"the theme has no strings for '{lang}'; pages in {lang} use the "
                      f"default language's words")
    return Theme(root, static, strings)
