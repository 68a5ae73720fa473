"""The same content gives byte-identical output, whatever the machine around it: the
folder it is built in, the time zone, the locale, the clock and the files' mtimes,
PYTHONHASHSEED, and the number of image workers.

Each build is a `showcase build` subprocess in its own folder with its own cache, so
every image is encoded again under the changed condition. One condition changes per
build, so a failure names the one that leaks into the output.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import (BOOTH_MD, REPO, SUNSET, SiteDir, fitted_jpeg, make_site_at, phone_photo,
                           tree)

BASE_ENV = {"TZ": "UTC", "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8", "PYTHONHASHSEED": "0"}

# Runs showcase with a clock twelve years and a bit ahead: time, datetime and date. The
# stand-in classes print as the real ones, so only what reads the clock can differ.
AHEAD = """\
import datetime, sys, time
SHIFT = 12 * 365 * 86400 + 12345
real_time, real_ns = time.time, time.time_ns
time.time = lambda: real_time() + SHIFT
time.time_ns = lambda: real_ns() + SHIFT * 10**9
def as_real(base):
    def __repr__(self):
        text = base.__repr__(self)
        return f"datetime.{base.__name__}" + text[text.index("("):]
    return __repr__
class Date(datetime.date):
    __repr__ = as_real(datetime.date)
    @classmethod
    def today(cls):
        return cls.fromtimestamp(time.time())
class DateTime(datetime.datetime):
    __repr__ = as_real(datetime.datetime)
    @classmethod
    def now(cls, tz=None):
        return cls.fromtimestamp(time.time(), tz)
    @classmethod
    def today(cls):
        return cls.fromtimestamp(time.time())
datetime.date, datetime.datetime = Date, DateTime
from showcase.commands.cli import main
sys.exit(main(sys.argv[1:]))
"""

CONDITIONS = {
    "another folder": {"folder": "elsewhere/dengan spasi/Pameran ü"},
    "another time zone": {"env": {"TZ": "Pacific/Kiritimati"}},
    "Jakarta time": {"env": {"TZ": "Asia/Jakarta"}},
    "another locale": {"env": {"LC_ALL": "tr_TR.UTF-8", "LANG": "de_DE.UTF-8", "LANGUAGE": "fr"}},
    "another hash seed": {"env": {"PYTHONHASHSEED": "4242"}},
    "two workers": {"workers": 2},
    "another clock and other mtimes": {"clock": True},
}


def write_site(root: Path) -> SiteDir:
    return make_site_at(root, {
        "content/booths/lapas-uji/index.md": BOOTH_MD.replace("stand: A-1", "stand: A-1\ncover: sampul.jpg"),
        "content/booths/lapas-uji/sampul.jpg": fitted_jpeg(SUNSET, (900, 600), quality=88),
        "content/booths/lapas-uji/keset/foto.jpg": phone_photo((900, 700)),
        "content/booths/lapas-uji/keset/index.en.md": "---\n---\nA thick coir doormat.\n",
        "content/pages/tentang.md": "---\ntitle: {id: Tentang, en: About}\nmenu: 1\n---\nHalo.\n",
    })


def build(site: SiteDir, workers: int = 1, env: dict | None = None, clock: bool = False) -> dict:
    command = [sys.executable, "-c", AHEAD] if clock else [sys.executable, "-m", "showcase"]
    environment = {**os.environ, **BASE_ENV, **(env or {}), "PYTHONPATH": str(REPO)}
    result = subprocess.run([*command, "build", "--quiet", "--workers", str(workers)],
                            cwd=site.root, env=environment, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr
    return tree(site.output)


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> dict:
    return build(write_site(tmp_path_factory.mktemp("reference") / "site"))


@pytest.mark.parametrize("name", CONDITIONS)
def test_output_is_the_same_under(reference, tmp_path, name):
    condition = CONDITIONS[name]
    site = write_site(tmp_path / condition.get("folder", "site"))
    if condition.get("clock"):
        for path in site.root.rglob("*"):
            os.utime(path, (978_307_200, 978_307_200))  # 2001-01-01
    output = build(site, condition.get("workers", 1), condition.get("env"), condition.get("clock", False))
    assert any(name.endswith(".avif") or name.endswith(".jpg") for name in output)
    differs = sorted(n for n in set(output) | set(reference) if output.get(n) != reference.get(n))
    assert not differs, f"{name}: these files differ: {differs[:10]}"


def test_a_rebuild_from_a_warm_cache_is_the_same(reference, tmp_path):
    """Reused images, reused pages: still the bytes of a build from nothing."""
    site = write_site(tmp_path / "site")
    build(site)
    shutil.rmtree(site.output)
    assert build(site) == reference
