"""Publishing a build: all or nothing, and without touching files that did not change.

Files whose bytes did not change are left alone (or hard-linked), so they keep their
mtimes and rsync or a deploy cache sees only what really changed.

`showcase build` assembles a changed site whole in a staging folder beside `output/`
(unchanged files hard-linked from the old output, or copied where the disk cannot link)
and swaps it in. On Linux the swap is one atomic exchange (renameat2). Elsewhere (macOS,
Windows, a C library without it) it is this sequence of renames, each of which the
next build's `recover` completes or rolls back, wherever a kill lands:

1. write the new site whole into `.output.staging-PID`;
2. rename `output` to `.output.old-PID`;
3. rename the staging folder to `output`;
4. move `.output.old-PID` into a fresh `.output.trash-*` folder and delete that.

Killed before 2: `recover` deletes the staging folder (rolled back). Between 2 and 3:
there is no `output`, so `recover` renames the `.old-*` back (rolled back). After 3:
`output` is the new site, and `recover` deletes the `.old-*` or trash left beside it
(completed). The trash step keeps a delete cut short from leaving part of a site under
the name that would be put back.

A killed build leaves the last good site, or the new one whole; between steps 2 and 3
a reader finds no `output/` for the moment the two renames take.

Under `showcase serve` an edit must reach the browser at once, and it usually changes a
handful of files among thousands, so there a change of up to `IN_PLACE_LIMIT` files
is applied in place, as a transaction: the new files are written beside the output, a
journal lists what will change, the old files are kept aside (a hard link or a copy
each) and each new file renamed over its old one. An error or Ctrl-C rolls
it back at once; a killed build leaves the journal, and the next build (or `recover`)
rolls it back before anything else. For the milliseconds the renames take, a reader
may see some pages new and others old, never a missing or partly written page.

Nothing POSIX-only is imported at module load: the lock and the exchange ask the system
for their calls when they run, so this module loads on Windows as on Linux.
"""

from __future__ import annotations

import ctypes
import json
import os
import shutil
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Iterator, Mapping

from showcase.files import write_atomic
from showcase.messages import _

# Written into every output folder: only a folder carrying it may be replaced.
MARKER = ".showcase-output"
MARKER_TEXT = b"This folder is made by showcase build; every build replaces what it holds.\n"
# Changes up to this many files go in place; more are staged and swapped whole.
IN_PLACE_LIMIT = 200


@dataclass(frozen=True)
class WriteReport:
    written: int
    unchanged: int
    removed: int
    total_bytes: int
    # The files written or removed in place, all others untouched; None when the
    # output was replaced whole (every file is then a new link).
    touched: tuple[str, ...] | None = None


class OutputRefused(Exception):
    """The output folder is one showcase must not replace."""


def refuse_reason(output: Path, protected: list[Path]) -> str | None:
    """Why `output` must not be replaced by a build, or None if it may."""
    out = output.resolve()
    home = Path.home().resolve()
    if out == Path(out.anchor) or out == home:
        return (_("{output} is the home folder") if out == home else
                _("{output} is the root folder")).format(output=output)
    for folder in protected:
        folder = folder.resolve()
        if out == folder or folder.is_relative_to(out):
            return _("{output} holds {folder}, which a build would delete").format(
                output=output, folder=folder)
        if out.is_relative_to(folder):
            return _("{output} is inside {folder}; build somewhere outside it").format(
                output=output, folder=folder)
    if out.exists() and not out.is_dir():
        return _("{output} is a file, not a folder; choose a folder for the site").format(
            output=output)
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).exists():
        return _("{output} is not empty and was not made by showcase (no {marker} file); "
                 "choose an empty or new folder, or empty it yourself").format(
            output=output, marker=MARKER)
    return None


@contextmanager
def locked(output: Path) -> Iterator[None]:
    """One build at a time per output folder; a second one fails at once, clearly."""
    output.parent.mkdir(parents=True, exist_ok=True)
    lock_path = output.parent / f".{output.name}.lock"
    handle = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        release = _lock(handle)
        if release is None:
            raise OutputRefused(f"another build is writing {output} right now; "
                                "wait for it to finish")
        try:
            yield
        finally:
            release()
    finally:
        os.close(handle)


def _lock(handle: int) -> Callable[[], None] | None:
    """Lock an open file without waiting, with the system's own call: the function that
    unlocks it, or None if another process holds it. Both calls hold the lock only while
    the process lives, so a killed build never leaves the output locked."""
    try:
        import fcntl
    except ImportError:  # Windows: a lock on the file's first byte (beyond its end is allowed)
        import msvcrt
        try:
            msvcrt.locking(handle, msvcrt.LK_NBLCK, 1)
        except OSError:
            return None
        return lambda: msvcrt.locking(handle, msvcrt.LK_UNLCK, 1)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return None
    return lambda: fcntl.flock(handle, fcntl.LOCK_UN)


def recover(output: Path) -> bool:
    """Finish or undo a swap or an update in place that a killed build left half done;
    True if there was one."""
    updates = sorted(output.parent.glob(f".{output.name}.update-*"))
    for update in updates:
        _roll_back(output, update)
    leftovers = sorted(output.parent.glob(f".{output.name}.old-*"))
    staged = sorted(output.parent.glob(f".{output.name}.staging-*"))
    trash = sorted(output.parent.glob(f".{output.name}.trash-*"))
    found = bool(updates or leftovers or staged or trash)
    if not output.exists() and leftovers:  # killed between steps 2 and 3: roll back
        # Only a build killed there leaves an `.old-*` without `output`, and the next
        # build puts it back first, so there is one; the newest, should there be more.
        newest = max(leftovers, key=lambda folder: folder.stat().st_ctime_ns)
        _rename(newest, output)
        leftovers.remove(newest)
    for stale in leftovers:
        _discard(output, stale)
    for stale in staged + trash:
        shutil.rmtree(stale, ignore_errors=True)
    return found


def _discard(output: Path, folder: Path) -> None:
    """Delete a former site: first moved under a trash name, so that a delete cut short
    never leaves part of a site under the `.old-*` name `recover` would put back."""
    trash = Path(tempfile.mkdtemp(prefix=f".{output.name}.trash-", dir=output.parent))
    try:
        os.rename(folder, trash / "site")
    except OSError:  # cannot move it (Windows: a file held open): delete it where it is
        shutil.rmtree(folder, ignore_errors=True)
    shutil.rmtree(trash, ignore_errors=True)


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
    """A second name for `source`, or a copy of it (with its mtime) where the system or
    the disk cannot link: FAT and exFAT drives, across disks, Windows without the right."""
    link = getattr(os, "link", None)
    try:
        if link is None:
            raise OSError("no hard links here")
        link(source, target)
    except OSError:
        shutil.copy2(source, target)


def publish(output: Path, files: dict[str, bytes], links: dict[str, Path],
            keep: frozenset[str] = frozenset(), present: Mapping[str, list[int]] | None = None,
            in_place: bool = False) -> WriteReport:
    """Replace `output` with exactly `files` (bytes), `links` (files to link or copy) and
    `keep` (files the output holds already, as they are). `present`, the output's
    listing (path -> [size, ...]) when the caller has just made it, saves listing and
    measuring it again. `in_place` allows a small change to be applied in place rather
    than swapped in whole."""
    recovered = recover(output)
    files = {**files, MARKER: MARKER_TEXT}
    if not output.is_dir():
        return _stage(output, files, links, keep, {*files, *links}, 0)
    if recovered:  # the caller's listing is from before the roll-back: list again
        return replace(_update(output, files, links, keep, _listing(output), in_place),
                       touched=None)
    return _update(output, files, links, keep, present or _listing(output), in_place)


def _stage(output: Path, files: dict[str, bytes], links: dict[str, Path],
           keep: frozenset[str], changed: set[str], removed: int) -> WriteReport:
    """Build the whole new tree beside the output, then swap it in. `changed` names the
    files and links that differ from the output's (the rest are linked from it, keeping
    their mtimes); `removed` counts the output's files the new tree leaves out."""
    staging = output.parent / f".{output.name}.staging-{os.getpid()}"
    staging.mkdir(parents=True)
    written = unchanged = total = 0
    try:
        for dest in sorted(files):
            data = files[dest]
            target = staging / dest
            target.parent.mkdir(parents=True, exist_ok=True)
            if dest in changed:
                target.write_bytes(data)
                written += 1
            else:
                _link_or_copy(output / dest, target)
                unchanged += 1
            total += len(data)
        for dest in sorted(links):
            target = staging / dest
            target.parent.mkdir(parents=True, exist_ok=True)
            # Always from the source (the image cache), never the old output: an output
            # file damaged in place must not be carried forward. A hard link keeps the
            # source's mtime, so an unchanged image still looks unchanged to rsync.
            _link_or_copy(links[dest], target)
            if dest in changed:
                written += 1
            else:
                unchanged += 1
            total += target.stat().st_size
        for dest in sorted(keep):
            target = staging / dest
            target.parent.mkdir(parents=True, exist_ok=True)
            _link_or_copy(output / dest, target)
            unchanged += 1
            total += target.stat().st_size
        _swap(staging, output)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return WriteReport(written, unchanged, removed, total)


def _listing(output: Path) -> dict[str, None]:
    """Every file below `output`, as relative POSIX paths (with no facts about them)."""
    found = {}
    for folder, _subfolders, names in os.walk(output):
        rel = os.path.relpath(folder, output)
        prefix = "" if rel == "." else rel.replace(os.sep, "/") + "/"
        found.update((prefix + name, None) for name in names)
    return found


def _update(output: Path, files: dict[str, bytes], links: dict[str, Path],
            keep: frozenset[str], present: Mapping[str, list[int] | None],
            in_place: bool) -> WriteReport:
    """Publish over an existing output: nothing if nothing differs, else in place or
    staged whole."""
    changed = {dest: data for dest, data in files.items() if not _same(output / dest, data)}
    changed_links = {dest: source for dest, source in links.items()
                     if not _same_file(output / dest, source)}
    removed = sorted(present.keys() - files.keys() - links.keys() - keep)
    missing = [dest for dest in keep if dest not in present]
    if missing:
        raise FileNotFoundError(f"{output / missing[0]}: kept from the last build but gone")
    if (changed or changed_links or removed) and (
            not in_place or len(changed) + len(changed_links) + len(removed) > IN_PLACE_LIMIT):
        return _stage(output, files, links, keep, {*changed, *changed_links}, len(removed))
    total = sum(len(data) for data in files.values())
    total += sum(_size(output, dest, present) for dest in keep)
    total += sum(source.stat().st_size for source in links.values())
    if changed or changed_links or removed:
        _transaction(output, changed, changed_links, removed)
    written = len(changed) + len(changed_links)
    return WriteReport(written, len(files) + len(links) + len(keep) - written, len(removed), total,
                       touched=(*changed, *changed_links, *removed))


def _size(output: Path, dest: str, present: Mapping[str, list[int] | None]) -> int:
    """A file's size, from the caller's listing when it has one."""
    facts = present[dest]
    return facts[0] if facts else (output / dest).stat().st_size


def _transaction(output: Path, files: dict[str, bytes], links: dict[str, Path],
                 removed: list[str]) -> None:
    """Write beside, move the old aside, move the new in; a journal, written before
    anything moves, lets `_roll_back` undo a transaction cut short at any point."""
    work = output.parent / f".{output.name}.update-{os.getpid()}"
    new, old = work / "new", work / "old"
    new.mkdir(parents=True)
    try:
        for dest, data in files.items():
            (new / dest).parent.mkdir(parents=True, exist_ok=True)
            (new / dest).write_bytes(data)
        for dest, source in links.items():
            (new / dest).parent.mkdir(parents=True, exist_ok=True)
            _link_or_copy(source, new / dest)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    incoming = sorted([*files, *links])
    existed = [dest for dest in incoming
               if os.path.lexists(output / dest) and not (output / dest).is_dir()]
    journal = {"incoming": incoming, "removed": removed, "existed": existed}
    write_atomic(work / "journal.json", json.dumps(journal))  # nothing moves before this
    try:
        for dest in existed:  # a second name for the old file; the new one replaces it in one step
            (old / dest).parent.mkdir(parents=True, exist_ok=True)
            _link_or_copy(output / dest, old / dest)
        for dest in removed:
            (old / dest).parent.mkdir(parents=True, exist_ok=True)
            os.rename(output / dest, old / dest)
        for dest in removed:  # before moving in: a removed page's folder may become a file
            _prune_empty(output, (output / dest).parent)
        for dest in incoming:
            (output / dest).parent.mkdir(parents=True, exist_ok=True)
            os.replace(new / dest, output / dest)
        os.rename(work / "journal.json", work / "done.json")  # the moment the new site is whole
    except BaseException:  # an error or Ctrl-C: the last good site, now, not at the next build
        _roll_back(output, work)
        raise
    shutil.rmtree(work, ignore_errors=True)


def _roll_back(output: Path, work: Path) -> None:
    """Put back what a cut-short `_transaction` moved, unless it had finished."""
    journal_path = work / "journal.json"
    if journal_path.is_file():
        journal = json.loads(journal_path.read_text("utf-8"))
        existed = set(journal["existed"])
        created = [dest for dest in journal["incoming"] if dest not in existed]
        for dest in created:
            # Moved in already when it is in the output and no longer waiting in new/.
            if os.path.lexists(output / dest) and not os.path.lexists(work / "new" / dest):
                (output / dest).unlink()
        for dest in created:  # folders made for new files, moved in or not
            _prune_empty(output, (output / dest).parent)
        for dest in [*journal["existed"], *journal["removed"]]:
            if os.path.lexists(work / "old" / dest):
                (output / dest).parent.mkdir(parents=True, exist_ok=True)
                os.replace(work / "old" / dest, output / dest)
    shutil.rmtree(work, ignore_errors=True)


def _prune_empty(output: Path, folder: Path) -> None:
    """Remove folders a removed page leaves empty, up to (not including) the output."""
    while folder != output:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


def _swap(staging: Path, output: Path) -> None:
    if not output.exists():
        _rename(staging, output)
    elif _exchange(staging, output):  # one step: the old site is now under staging's name
        shutil.rmtree(staging, ignore_errors=True)
    else:
        # The sequence in this module's docstring; `recover` knows each step.
        old = output.parent / f".{output.name}.old-{os.getpid()}"
        _rename(output, old)  # step 2
        _rename(staging, output)  # step 3
        _discard(output, old)  # step 4


def _rename(source: Path, target: Path) -> None:
    """Rename a whole site, tried again for a moment when refused: on Windows a virus
    scanner or the search indexer holds a file just written open for a few milliseconds,
    and the folder holding it cannot be renamed meanwhile."""
    for wait in (0.05, 0.1, 0.2, 0.4, 0.8, None):
        try:
            return os.rename(source, target)
        except PermissionError:
            if wait is None:
                raise
            time.sleep(wait)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one step, so no reader ever finds the output missing; False
    where the system cannot (then `_swap` takes the sequence of renames)."""
    if not can_exchange():
        return False
    at_fdcwd, rename_exchange = -100, 2
    renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0


def can_exchange() -> bool:
    """Whether the system has Linux's renameat2(RENAME_EXCHANGE): not macOS, not Windows,
    not a C library without it."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        ctypes.CDLL(None).renameat2
    except (OSError, AttributeError):
        return False
    return True
