"""Publishing a build: all or nothing, and without touching files that did not change.

Files whose bytes did not change are left alone (or hard-linked), so they keep their
mtimes and rsync or a deploy cache sees only what really changed.

`showcase build` assembles a changed site whole in a staging folder beside `output/`
(unchanged files hard-linked from the old output) and swaps it in with one atomic
exchange (on Linux; elsewhere two renames, and a build killed between them leaves no
`output/` until `recover` renames the old one back). A killed build leaves the last
good site, always.

Under `showcase serve` an edit must reach the browser at once, and it usually changes a
handful of files among thousands, so there a change of up to `IN_PLACE_LIMIT` files
is applied in place, as a transaction: the new files are written beside the output, a
journal lists what will change, the old files are kept aside (a hard link each) and
each new file renamed over its old one. An error or Ctrl-C rolls
it back at once; a killed build leaves the journal, and the next build (or `recover`)
rolls it back before anything else. For the milliseconds the renames take, a reader
may see some pages new and others old, never a missing or partly written page.
"""

from __future__ import annotations

import ctypes
import fcntl
import json
import os
import shutil
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterator, Mapping

from showcase.files import write_atomic

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
        return f"{output} is {'the home folder' if out == home else 'the root folder'}"
    for folder in protected:
        folder = folder.resolve()
        if out == folder or folder.is_relative_to(out):
            return f"{output} holds {folder}, which a build would delete"
        if out.is_relative_to(folder):
            return f"{output} is inside {folder}; build somewhere outside it"
    if out.exists() and not out.is_dir():
        return f"{output} is a file, not a folder; choose a folder for the site"
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


def recover(output: Path) -> bool:
    """Finish or undo a swap or an update in place that a killed build left half done;
    True if there was one."""
    updates = sorted(output.parent.glob(f".{output.name}.update-*"))
    for update in updates:
        _roll_back(output, update)
    leftovers = sorted(output.parent.glob(f".{output.name}.old-*"))
    staged = sorted(output.parent.glob(f".{output.name}.staging-*"))
    found = bool(updates or leftovers or staged)
    if not output.exists() and leftovers:
        os.rename(leftovers[-1], output)
        leftovers = leftovers[:-1]
    for stale in leftovers + staged:
        shutil.rmtree(stale, ignore_errors=True)
    return found


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
    for folder, _, names in os.walk(output):
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
        os.rename(staging, output)
    elif _exchange(staging, output):  # one step: the old site is now under staging's name
        shutil.rmtree(staging, ignore_errors=True)
    else:
        old = output.parent / f".{output.name}.old-{os.getpid()}"
        os.rename(output, old)
        os.rename(staging, output)  # a kill between the two: `recover` renames old back
        shutil.rmtree(old, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one step with Linux's renameat2(RENAME_EXCHANGE), so no
    reader ever finds the output missing; False where the system cannot."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):  # not Linux, or a C library without it
        return False
    at_fdcwd, rename_exchange = -100, 2
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0
