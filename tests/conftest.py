"""Shared fixtures: tiny sites written from strings, built into temp folders."""

from __future__ import annotations

import io
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image

from showcase.builder import Builder, BuildOptions
from showcase.report import BuildResult

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


@pytest.fixture
def make_site(tmp_path):
    """make_site(files={path: text or bytes or None}) writes the default site, changed by files."""
    def make(files: dict[str, str | bytes | None] | None = None, defaults: bool = True) -> SiteDir:
        site = SiteDir(tmp_path / "site")
        merged = {**(DEFAULT_FILES if defaults else {}), **(files or {})}
        for name, text in merged.items():
            if text is not None:
                site.write(name, text)
        return site
    return make


@pytest.fixture
def sample(tmp_path) -> Path:
    """A copy of the sample exhibition's content to change; the repository's own
    content/ is never touched."""
    import shutil
    shutil.copytree(REPO / "content", tmp_path / "content")
    return tmp_path / "content"


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory) -> SiteDir:
    """The bundled sample exhibition, built once for all tests that only read it."""
    import shutil
    root = tmp_path_factory.mktemp("sample")
    shutil.copytree(REPO / "content", root / "content")
    site = SiteDir(root)
    result = site.build(workers=2)
    assert result.ok, "\n".join(str(p) for p in result.errors) or result.refused
    return site
