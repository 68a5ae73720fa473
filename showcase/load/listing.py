"""The content folder as the loader sees it: each folder listed once, and nothing taken
from outside it.

Whatever a symlink points at would be read and published as if it were content (a
private file, another site's photos), so a path leading out of content/ is refused
here, once, with where it really leads.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from showcase.errors import Problems, shown
from showcase.files import stored_name
from showcase.load import schema

PHOTO_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".heic", ".heif", ".gif", ".tif", ".tiff")
TRANSLATION_RE = re.compile(r"^index\.([a-z]{2,3})\.md$")
PAGE_RE = re.compile(r"^(?P<slug>[^.]+)(?:\.(?P<lang>[a-z]{2,3}))?\.md$")


def main_names(default: str) -> tuple[str, ...]:
    """The names an entry's main file may have, in the order they are preferred:
    `index.md`, `index.<default language>.md` (the name the browser editor, Decap CMS,
    gives it: read exactly as index.md), and `index.yaml`. More than one is an error."""
    return ("index.md", f"index.{default}.md", "index.yaml")


def main_file(folder: Path, default: str) -> Path | None:
    """The entry's main file as the disk has it (the first of `main_names`), or None:
    for the commands that read entries without a `Listing`."""
    return next((folder / name for name in main_names(default) if (folder / name).is_file()),
                None)


class Listing:
    """The folders of one load, each listed once, and the paths as messages show them."""

    def __init__(self, root: Path, problems: Problems):
        self.root = root
        self.real_root = root.resolve()
        self.problems = problems
        # Keyed by str(path), which a Path keeps, where hashing a Path costs a tuple.
        self.checked: dict[str, str | None] = {}  # folder -> where it really is, if outside
        self.listed: dict[str, dict[str, os.DirEntry]] = {}
        self.unreadable: set[str] = set()
        # What paths below the root start with (paths built from "." have no prefix).
        self.inside = "" if str(root) == "." else str(root) + os.sep
        self.shown_from = str(root.parent) + os.sep

    def entries(self, folder: Path) -> dict[str, os.DirEntry]:
        """A folder's entries by name. One listing tells what each entry is (file,
        folder, link) without a system call per file; a thousand entries ask a dozen
        questions each about the same few files."""
        key = str(folder)
        if key not in self.listed:
            try:
                self.listed[key] = entries(folder)
            except OSError as exc:  # unreadable: what it holds must not vanish silently
                self.problems.add(self.show(folder), None, "",
                                  f"cannot be read ({exc.strerror or exc}); make the folder "
                                  "readable (check its permissions), or move it out of content/")
                self.listed[key] = {}
                self.unreadable.add(key)
        return self.listed[key]

    def readable(self, folder: Path) -> bool:
        """False (reported once) if the folder cannot be listed."""
        self.entries(folder)
        return str(folder) not in self.unreadable

    def is_file(self, path: Path) -> bool:
        entry = self.entries(path.parent).get(path.name)
        return entry is not None and _is(entry.is_file)

    def is_symlink(self, path: Path) -> bool:
        entry = self.entries(path.parent).get(path.name)
        return entry.is_symlink() if entry is not None else path.is_symlink()

    def has_index(self, folder: Path, default: str) -> bool:
        """Whether the folder is an entry: it holds one of `main_names`."""
        return any(self.is_file(folder / name) for name in main_names(default))

    def subfolders(self, folder: Path) -> list[Path]:
        return [folder / name for name, entry in sorted(self.entries(folder).items(), key=_by_name)
                if not name.startswith(".") and _is(entry.is_dir)]

    def spelled(self, folder: Path, name: str) -> Path:
        """`folder / name` as the disk spells it: a name written composed (NFC) in front
        matter finds a photo whose name macOS saved decomposed (NFD), and back."""
        listed = self.entries(folder)
        if name not in listed:
            wanted = stored_name(name)
            name = next((real for real in sorted(listed) if stored_name(real) == wanted), name)
        return folder / name

    def photos(self, folder: Path) -> list[Path]:
        return photos_in(folder, self.entries(folder))

    def show(self, path: Path) -> str:
        """A path as printed in messages: relative to the folder holding `content/`."""
        text = str(path)
        if text.startswith(self.shown_from):
            return text[len(self.shown_from):].replace(os.sep, "/")
        return shown(path, self.root)

    def outside(self, path: Path) -> str | None:
        """Where `path` really is, if a symlink takes it out of the content folder."""
        if path == self.root:
            return None
        if not self.is_symlink(path) and str(path).startswith(self.inside):
            # Then it is where its folder is: ask once per folder, up to the root.
            folder = path.parent
            key = str(folder)
            if key not in self.checked:
                self.checked[key] = self.outside(folder)
            return self.checked[key]
        try:
            real = path.resolve(strict=True)
        except (OSError, RuntimeError):  # a broken link or a loop: it leads nowhere usable
            return "nowhere (a broken or looping link)" if self.is_symlink(path) else None
        return None if real.is_relative_to(self.real_root) else str(real)

    def refuse_outside(self, path: Path, field: str = "") -> bool:
        """Report `path` if it leads out of content/; True when it does."""
        target = self.outside(path)
        if target is None:
            return False
        self.problems.add(self.show(path), None, field,
                          f"is a link to {target}, outside {self.show(self.root)}/; only what "
                          "is inside the content folder is used: copy it in instead")
        return True

    def check_slug(self, folder: Path, what: str) -> bool:
        if schema.SLUG_RE.fullmatch(folder.name):
            return True
        self.problems.add(self.show(folder), None, "slug",
                          f"{what} folder name '{folder.name}' is not a valid slug "
                          "(lowercase a-z, 0-9 and -); rename the folder to "
                          f"{free_name(folder.parent, schema.slug_fix(folder.name))}")
        return False


def free_name(folder: Path, name: str, suffix: str = "") -> str:
    """`'name'`, or a numbered one if `folder` holds that name already (with a note)."""
    if not (folder / f"{name}{suffix}").exists():
        return f"'{name}{suffix}'"
    number = 2
    while (folder / f"{name}-{number}{suffix}").exists():
        number += 1
    return f"'{name}-{number}{suffix}' ('{name}{suffix}' is taken)"


def entries(folder: Path) -> dict[str, os.DirEntry]:
    """A folder's entries by name (none if there is no such folder)."""
    try:
        with os.scandir(folder) as found:
            return {entry.name: entry for entry in found}
    except (FileNotFoundError, NotADirectoryError):
        return {}


def _by_name(item: tuple[str, os.DirEntry]) -> str:
    """Entries in the order of their names as git stores them, whatever the disk's."""
    return stored_name(item[0])


def _is(test) -> bool:
    """A DirEntry's is_file or is_dir, False where it cannot tell (a link in a loop),
    as Path's answer."""
    try:
        return test()
    except OSError:
        return False


def photos_in(folder: Path, listed: dict[str, os.DirEntry] | None = None) -> list[Path]:
    """The photos in a folder, by name; `listed` is the folder's entries if known."""
    listed = entries(folder) if listed is None else listed
    return [folder / name for name, entry in sorted(listed.items(), key=_by_name)
            if not name.startswith(".") and os.path.splitext(name)[1].lower() in PHOTO_SUFFIXES
            and _is(entry.is_file)]
