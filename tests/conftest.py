"""Shared fixtures: tiny sites written from strings, built into temp folders; headless
Chromium and a local server for the browser tests."""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import textwrap
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import pytest
from PIL import Image

from showcase.builder import Builder, BuildOptions
from showcase.builder import BuildResult
from tests.browser_helpers import BASE_PATH, CHROMIUM_FLAGS, chromium_path, record_errors, serve

REPO = Path(__file__).resolve().parent.parent
PHOTOS = Path(__file__).resolve().parent / "photos"

SITE_YAML = """\
title: {id: Pameran Uji, en: Test Fair}
base_url: https://example.org/pun/
languages: [id, en]
event: {start: 2019-03-26, end: 2019-03-28, venue: {name: Gedung Uji}}
categories:
  keset: {name: {id: Keset, en: Doormats}}
  batik: {name: Batik}
contact: {whatsapp: "0812-0000-0001"}
"""

BOOTH_MD = """\
---
name: Lapas Uji
code: UJI
stand: A-1
contact: {whatsapp: "0812-0000-0002"}
marketplaces: {tokopedia: "https://www.tokopedia.com/lapas-uji"}
---
Bengkel kerja **Lapas Uji**.
"""

PRODUCT_MD = """\
---
name: {id: Keset Sabut Kelapa, en: Coconut-coir doormat}
code: UJI-001
category: keset
price: 75000
materials: [sabut kelapa, karet]
---
Keset tebal dari sabut kelapa.
"""

DEFAULT_FILES = {
    "content/site.yaml": SITE_YAML,
    "content/booths/lapas-uji/index.md": BOOTH_MD,
    "content/booths/lapas-uji/keset/index.md": PRODUCT_MD,
}


def photo_bytes(size=(64, 48), color=(150, 110, 70)) -> bytes:
    """A small flat image for tests that need a file to exist, not a real photo."""
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "JPEG")
    return out.getvalue()


def tree(folder: Path) -> dict[str, str]:
    """Every file under `folder` and its content's digest: equal trees hold the same bytes."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def append(path: Path, old: str, new: str) -> None:
    """Replace `old` with `new` in a text file (new usually being old with more around it)."""
    path.write_text(path.read_text("utf-8").replace(old, new), "utf-8")


@dataclass
class SiteDir:
    root: Path

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def output(self) -> Path:
        return self.root / "output"

    def write(self, name: str, text: str | bytes) -> Path:
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    def build(self, output: Path | None = None, **options) -> BuildResult:
        options.setdefault("workers", 1)
        return Builder(BuildOptions(self.content, output or self.output, **options)).build()

    def html(self, url: str) -> str:
        return (self.output / url / "index.html").read_text("utf-8")


def copy_theme(site: SiteDir, name: str) -> Path:
    """A copy of the default theme beside the site, as themes/<name>, to edit."""
    shutil.copytree(REPO / "themes" / "default", site.root / "themes" / name)
    return site.root / "themes" / name


def make_site_at(root: Path, files: dict[str, str | bytes | None] | None = None,
                 defaults: bool = True) -> SiteDir:
    """What make_site does, in a folder of the caller's (for module-scoped fixtures and
    for two sites in one test)."""
    site = SiteDir(root)
    merged = {**(DEFAULT_FILES if defaults else {}), **(files or {})}
    for name, text in merged.items():
        if text is not None:
            site.write(name, text)
    return site


@pytest.fixture
def make_site(tmp_path):
    """make_site(files={path: text or bytes or None}) writes the default site, changed by files."""
    def make(files: dict[str, str | bytes | None] | None = None, defaults: bool = True) -> SiteDir:
        return make_site_at(tmp_path / "site", files, defaults)
    return make


@pytest.fixture
def sample(tmp_path) -> Path:
    """A copy of the sample exhibition's content to change; the repository's own
    content/ is never touched."""
    shutil.copytree(REPO / "content", tmp_path / "content")
    return tmp_path / "content"


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory) -> SiteDir:
    """The bundled sample exhibition, built once for all tests that only read it."""
    root = tmp_path_factory.mktemp("sample")
    shutil.copytree(REPO / "content", root / "content")
    site = SiteDir(root)
    result = site.build(workers=2)
    assert result.ok, "\n".join(str(p) for p in result.errors) or result.refused
    return site


# -- the browser tests: headless Chromium, the built site served over HTTP ------------------

def served_site(root: Path, files: dict[str, str | bytes | None] | None = None) -> SiteDir:
    """The default site with base_url under BASE_PATH, where `serve` serves it, changed by
    files; written, not built."""
    site_yaml = SITE_YAML.replace("https://example.org/pun/", "https://example.org" + BASE_PATH)
    return make_site_at(root, {"content/site.yaml": site_yaml, **(files or {})})


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium (see tests/browser_helpers.py): skipped where it is missing,
    failed where CI=true."""
    executable = chromium_path()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
    if executable is None or sync_playwright is None:
        missing = "Debian's chromium package" if executable is None else "playwright"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{missing} is not installed; .ci/run must install it")
        pytest.skip(f"{missing} is not installed")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def server(sample_build):
    """The URL of the built sample exhibition, served under its base_url's path."""
    with serve(sample_build.output) as url:
        yield url


@pytest.fixture
def phone(browser, server):
    """A page in a 360 px wide phone viewport that records errors and foreign requests."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=2,
                                  is_mobile=True, has_touch=True)
    page = context.new_page()
    page.errors, page.foreign = record_errors(page), []
    page.on("response", lambda r: r.status >= 400 and page.errors.append(f"{r.status} {r.url}"))
    page.on("request", lambda r: urlparse(r.url).hostname not in ("127.0.0.1", None)
            and not r.url.startswith("data:") and page.foreign.append(r.url))
    yield page
    context.close()
