#!/usr/bin/env python3
"""Set up and run showcase from a fresh checkout with nothing but Python 3.11+.

    python3 dev.py site     make .venv, install showcase, build content/ into output/
    python3 dev.py test     make .venv, install showcase with test tools, run every test
    python3 dev.py bench    run the benchmarks in bench/ (slow; see README)

Any further arguments are passed on (e.g. `python3 dev.py test -k urls`).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
EXE = ".exe" if os.name == "nt" else ""  # Windows names its programs python.exe, showcase.exe
PYTHON = BIN / f"python{EXE}"


def setup(extras: str) -> None:
    """Create the virtual environment and install into it, only when something changed."""
    if sys.version_info < (3, 11):
        sys.exit(f"showcase needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    if not PYTHON.exists():
        print(f"creating {VENV.relative_to(ROOT)} ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    stamp = VENV / f".installed-{extras or 'base'}"
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text("utf-8") == wanted:
        return
    print("installing showcase and its dependencies ...", flush=True)
    target = f".[{extras}]" if extras else "."
    subprocess.run([str(PYTHON), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                    "--editable", target], cwd=ROOT, check=True)
    stamp.write_bytes(wanted.encode("ascii"))


def run(args: list[str]) -> int:
    return subprocess.run(args, cwd=ROOT).returncode


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("site", "test", "bench"):
        print(__doc__, file=sys.stderr)
        return 2
    command, rest = argv[0], argv[1:]
    if command == "site":
        setup("")
        return run([str(BIN / f"showcase{EXE}"), "build", *rest])
    if command == "test":
        setup("test")
        return run([str(PYTHON), "-m", "pytest", *rest])
    setup("bench")
    return run([str(PYTHON), "-m", "bench", *rest])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
