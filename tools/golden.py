#!/usr/bin/env python3
"""Prove that a change keeps behaviour: the same content gives the same bytes before and after.

    .venv/bin/python tools/golden.py REF        compare the working tree with commit REF
    .venv/bin/python tools/golden.py REF --keep keep the two outputs (printed) to diff by hand

A redesign must not move a single byte of what visitors, printers and tools receive. This
runs the same commands on the same inputs (the working tree's sample exhibition and its
docs/examples/ sites) with showcase's code from REF (checked out into a temporary worktree)
and from the working tree, then compares every file they wrote and everything they printed.
It exits 1 and lists what differs, or 0 and says how many files were identical.

What is run: `build` of the sample (with a real base URL, as a publisher would) and of the
example sites, `check` as text and JSON, `export` as CSV, `cards --proof` (a PDF, written
invariantly), and `new booth`/`new product` in a copy of the sample.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASE_URL = "https://pameran.kemenkumham.go.id/"  # a real address: cards refuse placeholders


def sites() -> dict[str, Path]:
    """The inputs: every content folder the project ships."""
    found = {"sample": ROOT / "content"}
    for folder in sorted((ROOT / "docs" / "examples").glob("*/content")):
        found[folder.parent.name] = folder
    return found


def commands(work: Path) -> list[tuple[str, list[str], Path | None]]:
    """(name, arguments, where its files land, if it writes any) for one run."""
    runs = []
    for name in sites():
        content = work / name / "content"
        runs.append((f"build {name}", ["build", "--content", str(content), "--output", str(work / name / "output"),
                                       "--base-url", BASE_URL], work / name / "output"))
        runs.append((f"check {name}", ["check", "--content", str(content), "--base-url", BASE_URL], None))
        runs.append((f"check-json {name}", ["check", "--content", str(content), "--format", "json",
                                            "--base-url", BASE_URL], None))
    sample = work / "sample" / "content"
    runs += [
        ("export", ["export", "--content", str(sample), str(work / "export.csv")], work / "export.csv"),
        ("cards", ["cards", "--content", str(sample), "--proof", "--base-url", BASE_URL,
                   "--output", str(work / "cards.pdf")], work / "cards.pdf"),
        ("new booth", ["new", "booth", "--content", str(sample), "Rutan Salémba"], sample / "booths"),
    ]
    return runs


def steady(printed: bytes) -> bytes:
    """What a command printed, without what depends on the clock: durations, and how
    often the progress line was refreshed."""
    printed = re.sub(rb" in \d+\.\d+ s", b" in <t> s", printed)
    return re.sub(rb"(?m)^images: \d+/\d+ photos\r?\n", b"", printed)


def run_all(code: Path, work: Path) -> dict[str, str]:
    """Every file written and every output printed, as digests keyed by a stable name."""
    for name, content in sites().items():
        shutil.copytree(content, work / name / "content")
    env = {**os.environ, "PYTHONPATH": str(code), "LANG": "C.UTF-8", "SHOWCASE_LANG": "en"}
    digests: dict[str, str] = {}
    for name, args, written in commands(work):
        done = subprocess.run([sys.executable, "-m", "showcase", *args], env=env, cwd=work,
                              capture_output=True)
        printed = steady((done.stdout + done.stderr).replace(os.fsencode(work), b"<work>"))
        digests[f"{name}: printed (exit {done.returncode})"] = hashlib.sha256(printed).hexdigest()
        if written is None:
            paths = []
        elif written.is_file():
            paths = [written]
        else:
            paths = sorted(p for p in written.rglob("*") if p.is_file())
        for path in paths:
            if ".cache" in path.relative_to(work).parts:  # how fast, never what is made
                continue
            digests[f"{name}: {path.relative_to(work).as_posix()}"] = hashlib.sha256(
                path.read_bytes()).hexdigest()
    return digests


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("ref", help="the commit to compare with, e.g. main or HEAD~3")
    parser.add_argument("--keep", action="store_true", help="keep both outputs")
    args = parser.parse_args(argv)
    scratch = Path(tempfile.mkdtemp(prefix="golden-"))
    before_code = scratch / "code"
    subprocess.run(["git", "worktree", "add", "--detach", "--quiet", str(before_code), args.ref],
                   cwd=ROOT, check=True)
    try:
        before = run_all(before_code, scratch / "before")
        after = run_all(ROOT, scratch / "after")
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(before_code)], cwd=ROOT)
    differ = sorted(key for key in before.keys() | after.keys() if before.get(key) != after.get(key))
    for key in differ:
        state = "only before" if key not in after else "only after" if key not in before else "differs"
        print(f"{state}: {key}")
    if args.keep:
        print(f"outputs kept in {scratch}")
    else:
        shutil.rmtree(scratch)
    if differ:
        print(f"{len(differ)} of {len(before.keys() | after.keys())} differ from {args.ref}")
        return 1
    print(f"all {len(after)} outputs identical to {args.ref}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
