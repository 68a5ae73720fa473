"""Publishing a build: all or nothing, and without touching files that did not change.

The new site is assembled in a staging folder beside `output/` and swapped in only when
complete, so a failed or killed build leaves the last good site whole. Files whose bytes
did not change are hard-linked from the previous output, so they keep their mtimes and
rsync or a deploy cache sees only what really changed.
"""

from __future__ import annotations

import fcntl
import os
import shutil
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

# Written into every output folder: only a folder carrying it may be replaced.
MARKER = ".showcase-output"
MARKER_TEXT = b"This folder is made by showcase build; it is replaced whole on every build.\n"


@dataclass(frozen=True)
class WriteReport:
    written: int
    unchanged: int
    removed: int
    total_bytes: int


class OutputRefused(Exception):
    """The output folder is one showcase must not replace."""


def refuse_reason(output: Path, protected: list[Path]) -> str | None:
    """Why `output` must not be replaced by a build, or None if it may."""
    out = output.resolve()
    home = Path.home().resolve()
    if out == Path(out.anchor) or out == home:
        return f"{output} is {'the home folder' if out == home else 'the root folder'}"
    for folder in protected:
        folder = folder.resolve()
        if out == folder or folder.is_relative_to(out):
            return f"{output} holds {folder}, which a build would delete"
        if out.is_relative_to(folder):
            return f"{output} is inside {folder}; build somewhere outside it"
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).exists():
        return (f"{output} is not empty and was not made by showcase (no {MARKER} file); "
                "choose an empty or new folder, or empty it yourself")
    return None


@contextmanager
def locked(output: Path) -> Iterator[None]:
    """One build at a time per output folder; a second one fails at once, clearly."""
    output.parent.mkdir(parents=True, exist_ok=True)
    lock_path = output.parent / f".{output.name}.lock"
    with open(lock_path, "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise OutputRefused(f"another build is writing {output} right now; "
                                "wait for it to finish") from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _recover(output: Path) -> None:
    """Finish or undo a swap that a killed build left half done."""
    leftovers = sorted(output.parent.glob(f".{output.name}.old-*"))
    if not output.exists() and leftovers:
        os.rename(leftovers[-1], output)
        leftovers = leftovers[:-1]
    for stale in leftovers + sorted(output.parent.glob(f".{output.name}.staging-*")):
        shutil.rmtree(stale, ignore_errors=True)


def _same(path: Path, data: bytes) -> bool:
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def _same_file(a: Path, b: Path) -> bool:
    try:
        first, second = a.stat(), b.stat()
    except OSError:
        return False
    return (first.st_ino, first.st_dev) == (second.st_ino, second.st_dev) or (
        first.st_size == second.st_size and first.st_mtime_ns == second.st_mtime_ns)


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def publish(output: Path, files: dict[str, bytes], links: dict[str, Path]) -> WriteReport:
    """Replace `output` with exactly `files` (bytes) and `links` (files to link or copy)."""
    _recover(output)
    files = {**files, MARKER: MARKER_TEXT}
    unchanged_report = _unchanged(output, files, links)
    if unchanged_report:
        return unchanged_report  # the common warm build: nothing to stage, nothing to swap
    staging = output.parent / f".{output.name}.staging-{os.getpid()}"
    staging.mkdir(parents=True)
    written = unchanged = total = 0
    try:
        for dest in sorted(files):
            data = files[dest]
            target = staging / dest
            target.parent.mkdir(parents=True, exist_ok=True)
            previous = output / dest
            if _same(previous, data):
                _link_or_copy(previous, target)
                unchanged += 1
            else:
                target.write_bytes(data)
                written += 1
            total += len(data)
        for dest in sorted(links):
            target = staging / dest
            target.parent.mkdir(parents=True, exist_ok=True)
            # Always from the source (the image cache), never the old output: an output
            # file damaged in place must not be carried forward. A hard link keeps the
            # source's mtime, so an unchanged image still looks unchanged to rsync.
            _link_or_copy(links[dest], target)
            if _same_file(output / dest, target):
                unchanged += 1
            else:
                written += 1
            total += target.stat().st_size
        removed = _count_removed(output, set(files) | set(links))
        _swap(staging, output)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return WriteReport(written, unchanged, removed, total)


def _unchanged(output: Path, files: dict[str, bytes], links: dict[str, Path]) -> WriteReport | None:
    """A report of zero writes if `output` already holds exactly this build, else None."""
    if not output.is_dir():
        return None
    total = 0
    for dest, data in files.items():
        if not _same(output / dest, data):
            return None
        total += len(data)
    for dest, source in links.items():
        if not _same_file(output / dest, source):
            return None
        total += source.stat().st_size
    present = sum(len(names) for _, _, names in os.walk(output))
    if present != len(files) + len(links):
        return None
    return WriteReport(0, len(files) + len(links), 0, total)


def _count_removed(output: Path, kept: set[str]) -> int:
    if not output.is_dir():
        return 0
    return sum(1 for p in output.rglob("*")
               if p.is_file() and p.relative_to(output).as_posix() not in kept)


def _swap(staging: Path, output: Path) -> None:
    if output.exists():
        old = output.parent / f".{output.name}.old-{os.getpid()}"
        os.rename(output, old)
        os.rename(staging, output)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.rename(staging, output)
