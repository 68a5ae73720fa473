"""Shared fixtures: tiny sites written from strings, built into temp folders; headless
Chromium and a local server for the browser tests. What they are made of is in helpers.py."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.helpers import (CHROMIUM_FLAGS, REPO, BundleUnavailable, SiteDir, chromium_path,
                           decap_dist, make_site_at, record_errors, serve)


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

@pytest.fixture(scope="module")
def browser():
    """Headless Chromium (see tests/helpers.py): skipped where it is missing,
    failed where CI=true."""
    executable = chromium_path()
    try:  # imported here, so that without playwright the browser tests skip, not fail to load
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
    if executable is None or sync_playwright is None:
        missing = "Debian's chromium package" if executable is None else "playwright"
        if os.environ.get("CI") == "true" and os.environ.get("SHOWCASE_CHROMIUM") != "none":
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


@pytest.fixture(scope="session")
def decap():
    """dist/ of the pinned Decap CMS package (render/admin.py's DECAP_VERSION), fetched
    with npm into the test cache: skipped where it cannot be had, failed where CI=true."""
    from showcase.render.admin import DECAP_VERSION
    try:
        return decap_dist(DECAP_VERSION)
    except BundleUnavailable as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{exc}; CI must be able to fetch the CMS's package (.ci/run)")
        pytest.skip(str(exc))
