"""The sample site in headless Chromium, where layout, focus and contrast live.

Chromium comes from Debian's `chromium` package (`.ci/run` installs it). Without it the
tests skip on a developer's machine but fail under CI=true, so CI cannot pass by
silently testing nothing. The fixtures (browser, server, phone) are in conftest.py.
"""

from __future__ import annotations

import io

import pytest
import zxingcpp
from PIL import Image


def first_product_url(sample_build) -> str:
    index = next(sample_build.output.glob("booths/*/*/index.html"))
    return index.parent.relative_to(sample_build.output).as_posix() + "/"


@pytest.fixture(scope="module")
def pages(sample_build):
    booth = next(sample_build.output.glob("booths/*/index.html")).parent.name
    return ["", "products/", "booths/", f"booths/{booth}/", first_product_url(sample_build),
            "en/", "en/" + first_product_url(sample_build), "tentang/", "404.html"]


def test_pages_fit_a_360px_phone_without_errors_or_other_hosts(phone, server, pages):
    for url in pages:
        phone.goto(server + url)
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"/{url} is {width}px wide on a 360px phone"
    assert phone.errors == []
    assert phone.foreign == []


CONTRAST_JS = """
() => {
  const parse = c => { const m = c.match(/[\\d.]+/g).map(Number); return {r: m[0], g: m[1], b: m[2], a: m.length > 3 ? m[3] : 1}; };
  const lum = ({r, g, b}) => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; }; return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const background = el => { for (; el; el = el.parentElement) { const c = parse(getComputedStyle(el).backgroundColor); if (c.a > 0.5) return c; } return {r: 255, g: 255, b: 255, a: 1}; };
  const failures = [];
  for (const el of document.querySelectorAll('body *')) {
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    const style = getComputedStyle(el);
    if (!own || style.visibility === 'hidden' || style.display === 'none' || !el.getClientRects().length) continue;
    const fg = parse(style.color), bg = background(el);
    const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
    const ratio = (hi + 0.05) / (lo + 0.05);
    const size = parseFloat(style.fontSize), bold = parseInt(style.fontWeight) >= 700;
    const needed = (size >= 24 || (bold && size >= 18.66)) ? 3 : 4.5;
    if (ratio < needed) failures.push(`${el.tagName} "${el.textContent.trim().slice(0, 30)}" ${ratio.toFixed(2)} < ${needed}`);
  }
  return failures;
}
"""


def test_text_contrast_passes_wcag_aa(phone, server, pages):
    for url in pages:
        phone.goto(server + url)
        assert phone.evaluate(CONTRAST_JS) == [], f"/{url}"


def test_keyboard_focus_is_visible(phone, server, pages):
    phone.goto(server + pages[4])
    seen = 0
    for _ in range(8):
        phone.keyboard.press("Tab")
        style = phone.evaluate("""() => { const s = getComputedStyle(document.activeElement);
            return {tag: document.activeElement.tagName, outline: s.outlineStyle, width: parseFloat(s.outlineWidth),
                    shadow: s.boxShadow}; }""")
        if style["tag"] == "BODY":
            continue
        seen += 1
        assert (style["outline"] != "none" and style["width"] >= 2) or style["shadow"] != "none", style
    assert seen >= 3


def test_language_switch_keeps_the_page(phone, server, pages):
    product = pages[4]
    phone.goto(server + product)
    phone.click("a[hreflang='en']")
    assert phone.evaluate("document.documentElement.lang") == "en"
    assert phone.url == server + "en/" + product


def test_short_link_reaches_the_product(phone, server, sample_build):
    code = next(sample_build.output.glob("p/*/index.html")).parent.name
    phone.goto(server + f"p/{code}/")
    phone.wait_for_url(lambda url: "/booths/" in url)
    assert code.upper() in phone.content()


def test_the_qr_code_shown_on_a_product_page_scans_to_that_page(phone, server, sample_build):
    """The published SVG, rasterised by the browser, decodes to the page's own short link."""
    product = first_product_url(sample_build)
    phone.goto(server + product)
    phone.click("details.qr summary")
    image = phone.locator("details.qr img")
    image.wait_for(state="visible")
    phone.wait_for_function("document.querySelector('details.qr img').complete")
    shot = Image.open(io.BytesIO(image.screenshot())).convert("L")
    [result] = zxingcpp.read_barcodes(shot)
    short = result.text.split("/pun-2019/", 1)[1]
    phone.goto(server + short)
    phone.wait_for_url(lambda url: "/booths/" in url)
    assert phone.url.endswith("/" + product)
