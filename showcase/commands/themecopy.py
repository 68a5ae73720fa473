"""`showcase theme copy`: files of the built-in default theme into the site, to edit.

A site's theme needs to hold only what it changes (`showcase.render.theme` reads the
rest from the default theme), so copying one template is enough to change that
template; copying the whole theme is for a new look. Nothing the organiser has is ever
overwritten.
"""

from __future__ import annotations

from pathlib import Path, PurePath

from showcase.commands.scaffold import UsageError
from showcase.files import write_atomic
from showcase.load.schema import nearest
from showcase.messages import _


def available(default: Path) -> list[str]:
    """Every file of the default theme, as a theme-relative POSIX name."""
    return sorted((path.relative_to(default).as_posix() for path in default.rglob("*")
                   if path.is_file() and "__pycache__" not in path.parts),
                  key=lambda name: name.split("/"))


def copy(default: Path, target: Path, names: list[str]) -> list[Path]:
    """Copy `names` (all files when empty) from the `default` theme into the theme folder
    `target`; return the files written. Writes nothing if any name is unknown or any
    file is there already."""
    known = available(default)
    wanted = [PurePath(name.replace("\\", "/")).as_posix() for name in names] or known
    unknown = [name for name in wanted if name not in known]
    if unknown:
        lines = []
        for name in unknown:
            guess = nearest(name, known)
            lines.append(_("the default theme has no file {name}").format(name=name)
                         + (_("; did you mean {guess}?").format(guess=guess) if guess else ""))
        raise UsageError("\n".join(lines) + "\n"
                         + _("its files: {files}").format(files=", ".join(known)))
    there = [target / name for name in wanted if (target / name).exists()]
    if there:
        raise UsageError("\n".join(_("{path}: already exists; it is not overwritten (delete "
                                     "or rename it first to copy it again)").format(
            path=path.as_posix()) for path in there))
    written = []
    for name in dict.fromkeys(wanted):
        path = target / name
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, (default / name).read_bytes())
        written.append(path)
    return written
