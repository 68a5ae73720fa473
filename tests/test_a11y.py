"""Accessibility of every page type of the built sample: axe-core, and reflow when zoomed.

axe-core runs in headless Chromium from the copy bundled in the PyPI package
`axe-playwright-python` (a test dependency in pyproject.toml; it ships axe.min.js, MPL
2.0, version in its first line), injected from that local file: nothing comes from a CDN.
All of axe's rules run (WCAG 2.0-2.2 A and AA, and best practices), not a chosen subset.
"""

from __future__ import annotations

import os
from importlib import resources

import pytest


@pytest.fixture(scope="module")
def axe_source() -> str:
    try:
        return (resources.files("axe_playwright_python") / "axe.min.js").read_text("utf-8")
    except ModuleNotFoundError:
        if os.environ.get("CI") == "true":
            pytest.fail("axe-playwright-python is not installed; it is in the test extra")
        pytest.skip("axe-playwright-python is not installed")


@pytest.fixture(scope="module")
def page_types(sample_build) -> dict[str, str]:
    out = sample_build.output
    booth = next(out.glob("booths/*/index.html")).parent
    product = next(out.glob("booths/*/*/index.html")).parent
    category = next(out.glob("categories/*/index.html")).parent
    rel = lambda p: p.relative_to(out).as_posix() + "/"  # noqa: E731
    return {"home": "", "products": "products/", "booths": "booths/", "booth": rel(booth),
            "product": rel(product), "category": rel(category), "page": "tentang/",
            "shortlist": "shortlist/", "not found": "404.html", "home en": "en/",
            "product en": "en/" + rel(product), "products en": "en/products/"}


def violations(page, axe_source: str) -> list[str]:
    page.add_script_tag(content=axe_source)
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [f"{v['id']} ({v['impact']}): {v['help']} at "
            + "; ".join(" ".join(node["target"]) for node in v["nodes"][:3])
            for v in result["violations"]]


def test_axe_finds_no_violation_on_any_page_type(phone, server, page_types, axe_source):
    found = {}
    for kind, url in page_types.items():
        phone.goto(server + url)
        phone.wait_for_load_state("load")
        if problems := violations(phone, axe_source):
            found[kind] = problems
    assert found == {}
    assert phone.errors == []


def test_axe_finds_no_violation_in_what_scripts_show(phone, server, page_types, axe_source):
    """The open filters, a search with no result, a saved list, the offline note."""
    phone.goto(server + page_types["product"])
    phone.click("button.save[data-save]:visible")
    phone.goto(server + "products/?q=zzzzqx")
    phone.wait_for_selector("form.search:not([hidden])")
    phone.click("details.facets summary")
    assert violations(phone, axe_source) == []
    phone.goto(server + "shortlist/")
    phone.wait_for_load_state("load")
    assert violations(phone, axe_source) == []
    phone.context.set_offline(True)
    phone.wait_for_selector("[data-offline-note]:not([hidden])")
    assert violations(phone, axe_source) == []
    phone.context.set_offline(False)
    assert phone.errors == []


def test_axe_would_catch_a_violation(phone, server, axe_source):
    """The check is live: an image without alt text is reported."""
    phone.goto(server)
    phone.evaluate("document.querySelector('main').append(Object.assign(new Image(8, 8), "
                   "{src: 'data:image/gif;base64,R0lGODlhAQABAAAAACw='}))")
    assert any(v.startswith("image-alt") for v in violations(phone, axe_source))


@pytest.mark.parametrize("width, scale", [(640, 2), (320, 4)], ids=["200%", "400%"])
def test_pages_reflow_when_zoomed_without_sideways_scrolling(browser, server, page_types,
                                                             width, scale):
    """Browser zoom on a 1280 px wide screen: 200% leaves 640 CSS px, 400% (WCAG 1.4.10,
    reflow) 320. No page may then need scrolling sideways to read a line."""
    context = browser.new_context(viewport={"width": width, "height": 800},
                                  device_scale_factor=scale)
    page = context.new_page()
    try:
        wide = {}
        for kind, url in page_types.items():
            page.goto(server + url)
            scroll = page.evaluate("document.documentElement.scrollWidth")
            if scroll > width:
                wide[kind] = scroll
        assert wide == {}
    finally:
        context.close()
