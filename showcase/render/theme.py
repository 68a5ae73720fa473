"""A theme: its templates, static files (fingerprinted), strings and settings.

A site's `themes/<name>/` holds only what it changes. The theme is read in layers, the
site's folder first and the built-in default theme last, and what a layer lacks comes
from the next: a template by its name, a string by its key in each language, a static
file by its name under `static/`, a setting of `theme.yaml` by its key, the service
worker's script (`sw.js`) whole. The default theme alone is one layer, so it builds
exactly as it always did.

A broken theme file is reported like broken content (file, line, what is wrong), with
the file shown from the folder that holds `themes/`.
"""

from __future__ import annotations

import hashlib
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from showcase.errors import Problems
from showcase.files import files_below, stored_name
from showcase.i18n import Strings, strings_of
from showcase.load import source
from showcase.load.schema import nearest
from showcase.messages import N_

DEFAULT = "default"


@dataclass(frozen=True)
class Settings:
    """`theme.yaml`: what the theme decides that is neither a template nor a string."""

    theme_color: str
    background_color: str
    icons: tuple[tuple[str, int, str], ...]  # file in static/, size in pixels, purpose
    share_image: tuple[str, int, int] | None  # file in static/, width, height


@dataclass(frozen=True)
class Theme:
    layers: tuple[Path, ...]  # the site's theme folder first, the built-in default last
    # name in static/ -> (published path, bytes); the hash in the path lets browsers
    # cache a stylesheet forever and still see a new one after a deploy.
    static: dict[str, tuple[str, bytes]]
    strings: dict[str, Strings]
    settings: Settings
    service_worker: str  # sw.js, with __VERSION__ and __PRECACHE__ to fill in

    @property
    def root(self) -> Path:
        return self.layers[0]

    @property
    def template_dirs(self) -> tuple[Path, ...]:
        """Where templates are looked up, in order: the first that has a name wins."""
        return tuple(layer / "templates" for layer in self.layers
                     if (layer / "templates").is_dir())

    def templates(self) -> dict[str, Path]:
        """Every template name (includes and macros in folders too) and the file it is
        read from, in the order of their names' parts."""
        found: dict[str, Path] = {}
        for folder in self.template_dirs:
            for path in folder.rglob("*.html"):
                found.setdefault(stored_name(path.relative_to(folder).as_posix()), path)
        return {name: found[name] for name in sorted(found, key=lambda n: n.split("/"))}

    def where(self, exc: BaseException) -> tuple[str, int | None] | None:
        """The theme file and line an error was raised at while a template rendered
        (Jinja puts the template's lines into the traceback), innermost first."""
        templates = {str(path): path for path in self.templates().values()}
        filename = getattr(exc, "filename", None)
        if filename in templates:
            return shown(templates[filename]), getattr(exc, "lineno", None)
        for frame in reversed(traceback.extract_tb(exc.__traceback__)):
            if frame.filename in templates:
                return shown(templates[frame.filename]), frame.lineno
        return None


def shown(path: Path) -> str:
    """A theme file as an organiser finds it: `themes/<name>/i18n/en.yaml`."""
    for parent in path.parents:
        if parent.parent.name == "themes":
            return path.relative_to(parent.parent.parent).as_posix()
    return path.as_posix()


def fingerprinted(name: str, data: bytes) -> str:
    digest = hashlib.sha256(data).hexdigest()[:10]
    stem, dot, suffix = name.rpartition(".")
    return f"static/{stem}.{digest}.{suffix}" if dot else f"static/{name}.{digest}"


def find(name: str, content_root: Path, builtin: Path) -> tuple[Path, ...] | None:
    """The layers of theme `name`: a site's own `themes/<name>/` beside its content, then
    the bundled theme of that name, then the bundled default; None if neither the site
    nor showcase has a theme of that name."""
    own, bundled = content_root.parent / "themes" / name, builtin / name
    if not own.is_dir() and not bundled.is_dir():
        return None
    layers: dict[Path, Path] = {}
    for layer in (own, bundled, builtin / DEFAULT):
        if layer.is_dir():
            layers.setdefault(layer.resolve(), layer)
    return tuple(layers.values())


def load(layers: tuple[Path, ...], languages: tuple[str, ...], problems: Problems) -> Theme | None:
    """The theme read through its layers; None when a file of it is broken (each
    problem is added to `problems`)."""
    errors = len(problems.errors)
    static: dict[str, tuple[str, bytes]] = {}
    for layer in reversed(layers):
        static_dir = layer / "static"
        if static_dir.is_dir():
            static.update(files_below(static_dir))
    published = {}
    for name in sorted(static):
        data = static[name].read_bytes()
        published[name] = (fingerprinted(name, data), data)
    strings = load_strings(layers, languages, problems)
    settings = _settings(layers, problems)
    worker = next((layer / "sw.js" for layer in layers if (layer / "sw.js").is_file()), None)
    if worker is None:
        problems.add(shown(layers[0] / "sw.js"), None, "",
                     N_("the theme has no service worker script; copy the default theme's "
                        "with showcase theme copy sw.js"))
    if len(problems.errors) > errors or settings is None or worker is None:
        return None
    script = worker.read_bytes().decode("utf-8").replace("\r\n", "\n")
    return Theme(layers, published, strings, settings, script)


def load_strings(layers: tuple[Path, ...], languages: tuple[str, ...],
                 problems: Problems) -> dict[str, Strings]:
    """Every language's strings, merged key by key (the first layer's words win)."""
    tables: dict[str, dict[str, str]] = {}
    for lang in dict.fromkeys((*languages, "en")):
        files = [layer / "i18n" / f"{lang}.yaml" for layer in reversed(layers)]
        files = [path for path in files if path.is_file()]
        if not files:
            if lang in languages:
                problems.warn(shown(layers[0] / "i18n" / f"{lang}.yaml"), None, "",
                              N_("the theme has no strings for '{lang}'; pages in {lang} use "
                                 "the default language's words", lang=lang))
            continue
        tables[lang] = {}
        for path in files:
            tables[lang].update(_strings_file(path, problems))
    return strings_of(tables, languages)


def _strings_file(path: Path, problems: Problems) -> dict[str, str]:
    data = _yaml(path, problems)
    table = {}
    for key, value in data.items():
        if isinstance(value, (dict, list)):
            problems.add(shown(path), data.lines.get(key), str(key),
                         N_("a theme string is one line of text, not a list or a mapping; "
                            "write it as key: text"))
        else:
            table[str(key)] = str(value)
    return table


def _yaml(path: Path, problems: Problems) -> source.LineDict:
    document = source.read(path)
    for error in document.errors:
        problems.add(shown(path), error.line, error.field, error.message)
    return document.data


def _settings(layers: tuple[Path, ...], problems: Problems) -> Settings | None:
    """theme.yaml merged key by key: the first layer that sets a key decides it."""
    found: dict[str, tuple[Any, Path, int | None]] = {}
    for layer in reversed(layers):
        path = layer / "theme.yaml"
        if not path.is_file():
            continue
        data = _yaml(path, problems)
        for key, value in data.items():
            if key in SETTINGS:
                found[key] = (value, path, data.lines.get(key))
            else:
                guess = nearest(key, SETTINGS)
                problems.add(shown(path), data.lines.get(key), str(key),
                             N_("not a theme setting; did you mean {guess}?", guess=guess)
                             if guess else N_("not a theme setting; the settings are {names}",
                                              names=", ".join(SETTINGS)))
    read = {}
    for key, reader in SETTINGS.items():
        value, path, line = found.get(key, (None, layers[0] / "theme.yaml", None))
        try:
            read[key] = reader(value)
        except ValueError as exc:
            problems.add(shown(path), line, key, N_("{reason}, as in the default theme's "
                                                    "theme.yaml (showcase theme copy theme.yaml)",
                                                    reason=exc.args[0]))
    return Settings(**read) if len(read) == len(SETTINGS) else None


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(N_("{value} should be text", value=_quoted(value)))
    return value


def _size(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(N_("{value} should be a whole number of pixels", value=_quoted(value)))
    return value


def _fields(value: Any, names: tuple[str, ...]) -> list[Any]:
    if not isinstance(value, dict) or set(value) != set(names):
        raise ValueError(N_("{value} should be a mapping of {names}", value=_quoted(value),
                            names=", ".join(names)))
    return [value[name] for name in names]


def _quoted(value: Any) -> str:
    return N_("nothing") if value is None else f"'{value}'"


def _icons(value: Any) -> tuple[tuple[str, int, str], ...]:
    if not isinstance(value, list):
        raise ValueError(N_("{value} should be a list of icons, each file, size, purpose",
                            value=_quoted(value)))
    icons = [_fields(icon, ("file", "size", "purpose")) for icon in value]
    return tuple((_text(file), _size(size), _text(purpose)) for file, size, purpose in icons)


def _share_image(value: Any) -> tuple[str, int, int] | None:
    if value is None:
        return None
    file, width, height = _fields(value, ("file", "width", "height"))
    return _text(file), _size(width), _size(height)


# theme.yaml's settings, each with what reads it (a ValueError says what is wrong).
SETTINGS = {"theme_color": _text, "background_color": _text, "icons": _icons,
            "share_image": _share_image}


def missing_string(exc: Exception, theme: Theme) -> str:
    """What a template's unknown string is, and the key it may have meant."""
    key = exc.args[0]
    known = {k for strings in theme.strings.values() for k in (*strings.own, *strings.fallback)}
    guess = nearest(key, known)
    if guess:
        return N_("no i18n file of the theme has the string '{key}'; did you mean '{guess}'?",
                  key=key, guess=guess)
    return N_("no i18n file of the theme has the string '{key}'; add it to the theme's i18n "
              "files", key=key)
