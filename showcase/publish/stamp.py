"""What the last good build read and wrote, so a build with nothing to do does nothing.

A warm build would otherwise parse every entry, render every page and compare every
file only to find the output already right. Instead, each successful build records a
fingerprint of everything it read (every file under the content folder, the themes and
showcase's own code, by size, mtime and ctime; the build options) and a listing of the
files it published (size, mtime, ctime, inode). The next build computes the same
fingerprint and lists the output; if both match, the output is exactly what a full
build would publish, and the recorded result is returned. Any change means a build;
what it may reuse of the last one is for `memo` and the caches to decide, and they
trust the output only while its listing is the recorded one (`intact`).

ctime cannot be set by tools that restore mtimes (`touch -d`, `cp -p`, `git` under
some settings), so an edit that keeps size and mtime is still seen.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from stat import S_ISDIR
from dataclasses import dataclass
from pathlib import Path

import jinja2
import markdown
import PIL

from showcase.errors import Problem, Severity
from showcase.files import write_atomic
from showcase.messages import Text

# Bump when the stamp's contents change meaning.
STAMP_VERSION = 3
CODE = Path(__file__).resolve().parent.parent  # the whole showcase package


@dataclass(frozen=True)
class Recorded:
    """The result of the build that made the output, to report again."""

    pages: int
    warnings: tuple[Problem, ...]
    files: int
    total_bytes: int
    images: int


def inputs(roots: list[Path], options: dict, code: bool = True) -> str:
    """A digest of every file under `roots` (by stat, not content), showcase's own code
    unless `code` is False, and the options."""
    digest = hashlib.sha256()
    versions = (sys.version, jinja2.__version__, markdown.__version__, PIL.__version__)
    digest.update(json.dumps([STAMP_VERSION, versions, options], sort_keys=True).encode())
    for root in [CODE, *roots] if code else roots:
        digest.update(f"\0root {root.resolve()}\n".encode())
        for rel, stat in _walk(root):
            digest.update(f"{rel}\0{stat.st_size}\0{stat.st_mtime_ns}\0{stat.st_ctime_ns}\n"
                          .encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


Listing = dict[str, list[int]]


def listing(output: Path) -> Listing:
    """Every file in the output: [size, mtime_ns, ctime_ns, inode]. The ctime catches a
    file rewritten in place with its mtime put back (`rsync --inplace -t`)."""
    return {rel: _facts(stat) for rel, stat in _walk(output)}


def _facts(stat: os.stat_result) -> list[int]:
    return [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino]


def updated(before: Listing, output: Path, touched: tuple[str, ...]) -> Listing:
    """The output's listing after a change in place to the `touched` files (written or
    removed), from the listing before it: stat'ing a few files instead of thousands.

    Images are hard links to the cache, so one inode can have several names in the
    output; linking or unlinking one name changes the ctime all of them report. Every
    name of an inode a touched file had or has is stat'ed again too.
    """
    after = dict(before)
    inodes = {before[rel][3] for rel in touched if rel in before}
    for rel in touched:
        found = _stat(output / rel)
        if found is None:  # removed, or a page that became a folder
            after.pop(rel, None)
        else:
            after[rel] = _facts(found)
            inodes.add(found.st_ino)
    done = set(touched)
    for rel in [rel for rel, facts in after.items() if facts[3] in inodes and rel not in done]:
        found = _stat(output / rel)  # another name of a touched file
        if found is None:
            del after[rel]
        else:
            after[rel] = _facts(found)
    return after


def _stat(path: Path) -> os.stat_result | None:
    """A file's stat, or None if it is gone or is a folder."""
    try:
        found = path.stat()
    except OSError:
        return None
    return None if S_ISDIR(found.st_mode) else found


def _walk(root: Path):
    """(relative path, stat) of every file below root, following symlinks, sorted."""
    out = []
    stack = [(root, "")]
    while stack:
        folder, prefix = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            rel = prefix + entry.name
            try:
                if entry.is_dir():
                    if entry.name not in ("__pycache__", ".git"):
                        stack.append((Path(entry.path), rel + "/"))
                else:
                    out.append((rel, entry.stat()))
            except OSError:
                continue
    out.sort(key=lambda item: item[0])
    return out


def check(stamp_path: Path, fingerprint: str, output: Path, cache: Path) -> Recorded | None:
    """The recorded result if the output is exactly what these inputs built, and the
    cache it links to is untouched (a damaged cache file is remade at once), else None."""
    try:
        stored = json.loads(stamp_path.read_text("utf-8"))
        if stored["version"] != STAMP_VERSION or stored["inputs"] != fingerprint:
            return None
        if stored["files"] != listing(output) or stored["cache"] != listing(cache):
            return None
        result = stored["result"]
        warnings = tuple(Problem(w[0], w[1], w[2], w[3], Severity.WARNING, w[4],
                                 tuple((name, _unplain(value)) for name, value in w[5]))
                         for w in result["warnings"])
        return Recorded(result["pages"], warnings, len(stored["files"]),
                        result["total_bytes"], result["images"])
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return None


def _plain(value: object) -> object:
    """A warning's value as JSON holds it: its marked words kept, to be said again in
    the language of the next run that prints it (a rebuild that changes nothing)."""
    if isinstance(value, Text):
        return {"template": value.template,
                "values": [[name, _plain(inner)] for name, inner in value.values]}
    return value if isinstance(value, (str, int, float, bool)) or value is None else str(value)


def _unplain(value: object) -> object:
    if isinstance(value, dict):
        return Text(value["template"], tuple((name, _unplain(inner))
                                             for name, inner in value["values"]))
    return value


def intact(stamp_path: Path, output: Path) -> Listing | None:
    """The output's listing if its files are exactly those the last recorded build published."""
    try:
        found = listing(output)
        return found if json.loads(stamp_path.read_text("utf-8"))["files"] == found else None
    except (OSError, ValueError, KeyError, TypeError):
        return None


def record(stamp_path: Path, fingerprint: str, output: Path, cache: Path,
           recorded: Recorded, files: Listing | None = None) -> None:
    """Record a build; `files` is the output's listing when the caller knows it already."""
    data = {"version": STAMP_VERSION, "inputs": fingerprint,
            "files": listing(output) if files is None else files,
            "cache": listing(cache),
            "result": {"pages": recorded.pages, "total_bytes": recorded.total_bytes,
                       "images": recorded.images,
                       "warnings": [[w.path, w.line, w.field, w.message, w.template,
                                     [[name, _plain(value)] for name, value in w.values]]
                                    for w in recorded.warnings]}}
    write_atomic(stamp_path, json.dumps(data), durable=False)  # damaged: a full build
