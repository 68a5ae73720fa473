"""Writing one file so that a reader, or the next run after a crash, sees the old bytes or
the new ones, never a part.

Every file showcase writes outside the staged output folder goes through `write_atomic`:
the content's own files (`printed.yaml`, scaffolds, spreadsheet imports), the caches and
the records of the last build. Text is written as UTF-8 bytes with `\\n` line ends on every
system, so a file made on Windows is byte-identical to one made on Linux.

The names of files read are as portable: composed as git stores them (`stored_name`), and
listed in the order of those names (`files_below`), whatever the system and its disk.
"""

from __future__ import annotations

import os
import stat
import unicodedata
from pathlib import Path


def write_atomic(path: Path, data: bytes | str, *, durable: bool = True) -> None:
    """Write `data` beside `path` under a temporary name, flush it to the disk, then put
    it in place with one rename. A file that was there keeps its permission bits.

    The temporary file is in the same folder, so the rename never crosses file systems;
    its name carries the process id, so two processes never write into one temporary
    file. The fsync comes before the rename: without it a crash soon after can leave the
    new name pointing at an empty file on file systems that delay allocation.

    `durable=False` skips the fsync, for everything in the cache folder: image variants
    and QR codes (written by the hundred: an fsync each cost 9-22 % of a cold build) and
    the records of the last build (stamp, page memo, parse cache, photo facts, image
    manifest: at 1,000 products their fsyncs made a text edit's rebuild 20-30 % slower
    and cut pages per second by 13 %). A crash can then leave such a file empty or short,
    never a mix of old and new bytes, and the next build detects that and starts that
    cache afresh. What an organiser asked for (printed.yaml, scaffolds, imports, the
    cards PDF) and the publish journal keep the fsync.
    """
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(temp, "wb") as out:
            out.write(data)
            out.flush()
            if durable:
                os.fsync(out.fileno())
        try:
            os.chmod(temp, stat.S_IMODE(os.stat(path).st_mode))
        except FileNotFoundError:
            pass
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def stored_name(name: str) -> str:
    """A file name (or a path) as git stores it: composed, NFC. macOS may hand a name back
    decomposed (NFD); both spellings must give the same URL, output name and order."""
    return unicodedata.normalize("NFC", name)


def files_below(root: Path, pattern: str = "*") -> list[tuple[str, Path]]:
    """Every file below `root` whose name matches `pattern`, as (its POSIX path from
    `root`, NFC; the path), ordered by that name. Not by the Path: on Windows Paths
    sort without regard to case, so the order would differ from Linux's."""
    found = [(stored_name(path.relative_to(root).as_posix()), path)
             for path in root.rglob(pattern) if path.is_file()]
    return sorted(found, key=lambda item: item[0])


def repository_root(folder: Path) -> Path | None:
    """The git working tree holding `folder` (the nearest parent with a `.git`, a folder
    or a worktree's file), or None: paths a git host shows (the editor's, a pull
    request's annotations) are relative to it, and a site may be a subfolder of it."""
    here = folder.resolve()
    for candidate in (here, *here.parents):
        if (candidate / ".git").exists():
            return candidate
    return None


def in_repository(path: Path) -> str | None:
    """`path` as its repository names it (POSIX, from the working tree's root), or None
    when no repository holds it."""
    absolute = path.resolve()
    root = repository_root(absolute if absolute.is_dir() else absolute.parent)
    if root is None:
        return None
    return absolute.relative_to(root).as_posix() or "."
