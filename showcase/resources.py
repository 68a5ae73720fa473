"""The files that come with showcase: the built-in themes and the starter site.

An organiser installs showcase from a wheel and never sees its source tree, so these
are found through the installed package (`importlib.resources`), not through a path
relative to a checkout. The repository keeps the themes at its top level, in `themes/`;
building the wheel maps that folder into the package as `showcase/themes/`.
"""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path


def builtin_themes() -> Path:
    """The folder of the themes that come with showcase.

    Installed from a wheel, the package holds them. Run from a checkout (an editable
    install puts the checkout on the path, and the tests import it from there) the
    package has none, and the checkout's own `themes/` beside it is the one to use: it
    is the folder the wheel is built from, and edits to it show at once."""
    package = Path(resources.files("showcase"))
    inside = package / "themes"
    return inside if inside.is_dir() else package.parent / "themes"


def starter_files() -> dict[str, str]:
    """The files every new site starts with, by their path in it (POSIX), in path order.

    They are kept as the real files of `showcase/starter/`, laid out as in a new site.
    Read as text, so a checkout that turned their line ends into CRLF still gives `\\n`."""
    files: dict[str, str] = {}

    def walk(folder: Traversable, prefix: str) -> None:
        for entry in folder.iterdir():
            if entry.is_dir():
                walk(entry, f"{prefix}{entry.name}/")
            else:
                files[f"{prefix}{entry.name}"] = entry.read_text(encoding="utf-8")

    walk(resources.files("showcase") / "starter", "")
    return dict(sorted(files.items()))
