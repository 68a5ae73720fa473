"""Text shown in another language than its page's: a value with no translation falls back
to the default language, and the page says so (a `lang` attribute on the element around
it, a small note for longer text), and structured data does not pass it off as the
page's language. Read from built pages (Python's HTML parser) and in headless Chromium."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest

from showcase.model import Localised
from tests.helpers import photo_bytes, serve, served_site

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}


class Texts(HTMLParser):
    """Every text of a page's body with the language it is in (the nearest `lang`), and
    every <img alt> with its own."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, str | None]] = []
        self.texts: list[tuple[str, str]] = []
        self.alts: list[tuple[str, str]] = []
        self.in_body = False

    def lang(self) -> str:
        return next(lang for _, lang in reversed(self.stack) if lang is not None)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "body":
            self.in_body = True
        if tag in VOID:
            if tag == "img" and attrs.get("alt"):
                self.alts.append((attrs["alt"], attrs.get("lang") or self.lang()))
            return
        self.stack.append((tag, attrs.get("lang")))

    def handle_endtag(self, tag):
        while self.stack and tag not in VOID:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if self.in_body and data.strip() and not self.stack[-1][0] == "script":
            self.texts.append((" ".join(data.split()), self.lang()))


def texts(html: str) -> Texts:
    parsed = Texts()
    parsed.feed(html)
    return parsed


def langs_of(parsed: Texts, text: str) -> set[str]:
    return {lang for shown, lang in parsed.texts if shown == text}


# One product with nothing in English but a name, one with no English at all, one
# translated whole; a booth with no English text; a category with no English name.
FILES = {
    "content/booths/lapas-uji/keset/index.md": """\
---
name: {id: Keset Sabut Kelapa, en: Coconut-coir doormat}
code: UJI-001
category: keset
price: 75000
materials: [sabut kelapa, karet]
tags: [rumah, dapur]
dimensions: 40 x 60 cm
images: [{file: foto.jpg, alt: Keset tampak atas}]
---
Keset tebal dari sabut kelapa.
""",
    "content/booths/lapas-uji/keset/foto.jpg": photo_bytes((640, 480)),
    "content/booths/lapas-uji/tas/index.md": """\
---
name: Tas Anyaman Pandan
code: UJI-002
category: keset
price: 120000
---
Tas tangan dari daun pandan.
""",
    "content/booths/lapas-uji/taplak/index.md": """\
---
name: {id: Taplak Batik, en: Batik tablecloth}
code: UJI-003
category: batik
price: 90000
materials: {id: [katun], en: [cotton]}
---
Taplak meja batik tulis.
""",
    "content/booths/lapas-uji/taplak/index.en.md": "---\n---\nA hand-drawn batik tablecloth.\n",
    # A second booth, translated, so that the product list has a booth filter; its
    # product is filed under "batik", a category with no English name.
    "content/booths/rutan-uji/index.md": """\
---
name: {id: Rutan Uji, en: Test Remand Centre}
code: RTN
stand: B-2
---
Bengkel Rutan Uji.
""",
    "content/booths/rutan-uji/sarung/index.md": """\
---
name: {id: Sarung Tenun, en: Woven sarong}
code: RTN-001
category: batik
price: 150000
---
Sarung tenun tangan.
""",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    built = served_site(tmp_path_factory.mktemp("langs") / "site", FILES)
    assert built.build().ok
    return built


def test_a_localised_value_knows_which_language_it_is_in():
    both = Localised.of({"id": "Keset", "en": "Doormat"}, "id")
    assert (both.get("en"), both.language("en")) == ("Doormat", "en")
    only = Localised.of({"id": "Keset"}, "id")
    assert (only.get("en"), only.language("en")) == ("Keset", "id")
    stray = Localised.of({"en": "Doormat"}, "id")  # not even the default's: the first given
    assert (stray.get("fr"), stray.language("fr")) == ("Doormat", "en")


def test_fallback_text_on_an_english_product_page_is_marked_indonesian(site):
    page = texts(site.html("en/booths/lapas-uji/keset/"))
    assert langs_of(page, "Coconut-coir doormat") == {"en"}, "translated: the page's own"
    for text in ("Keset tebal dari sabut kelapa.", "sabut kelapa, karet", "rumah", "dapur",
                 "40 x 60 cm", "Lapas Uji", "Gedung Uji"):
        assert langs_of(page, text) == {"id"}, text
    assert ("Keset tampak atas", "id") in page.alts
    notes = [text for text, lang in page.texts if lang == "en" and "Bahasa Indonesia" in text]
    assert "Description in Bahasa Indonesia" in notes
    assert notes.count("in Bahasa Indonesia") == 3  # materials, dimensions, tags

    none = texts(site.html("en/booths/lapas-uji/tas/"))
    assert langs_of(none, "Tas Anyaman Pandan") == {"id"}
    assert langs_of(none, "Tas tangan dari daun pandan.") == {"id"}


def test_translated_text_and_the_default_language_pages_carry_no_note(site):
    page = texts(site.html("en/booths/lapas-uji/taplak/"))
    for text in ("Batik tablecloth", "A hand-drawn batik tablecloth.", "cotton"):
        assert langs_of(page, text) == {"en"}, text
    assert not any("Bahasa Indonesia" in text for text, lang in page.texts if lang == "en"
                   and text != "Bahasa Indonesia")  # the language switch names it
    html = site.html("booths/lapas-uji/keset/")
    assert 'class="lang-note"' not in html and "<span lang=" not in html
    assert langs_of(texts(html), "Keset tebal dari sabut kelapa.") == {"id"}


def test_fallback_text_on_english_lists_and_booth_pages_is_marked(site):
    products = texts(site.html("en/products/"))
    assert langs_of(products, "Tas Anyaman Pandan") == {"id"}
    assert langs_of(products, "Coconut-coir doormat") == {"en"}
    booth = texts(site.html("en/booths/lapas-uji/"))
    assert langs_of(booth, "Lapas Uji") == {"id"}
    assert "Text in Bahasa Indonesia" in {text for text, lang in booth.texts if lang == "en"}
    assert langs_of(booth, "Bengkel kerja") == {"id"}


def test_filter_options_in_another_language_are_marked(site):
    """The product list's filters name categories and booths; a name with no English is
    shown in Indonesian, and its <option> says so."""
    page = texts(site.html("en/products/"))
    assert langs_of(page, "Batik (2)") == {"id"} and langs_of(page, "Lapas Uji (3)") == {"id"}
    assert langs_of(page, "Doormats (2)") == {"en"}
    assert langs_of(page, "Test Remand Centre (1)") == {"en"}
    assert "Rp50,000–Rp100,000 (2)" in {text for text, lang in page.texts if lang == "en"}
    assert "<option value=\"batik\" lang=\"id\"" in site.html("en/products/")
    assert " lang=" not in "".join(re.findall(r"<option[^>]*>", site.html("products/")))


def test_the_search_index_marks_names_not_in_its_language(site):
    """`l` on a booth or product of the index: the language its name is really in, only
    where that is not the index's, so the browser can mark what it draws."""
    english = json.loads((site.output / "en/search-index.json").read_text("utf-8"))
    products = {p["c"]: p for p in english["products"]}
    assert products["UJI-002"]["l"] == "id"  # "Tas Anyaman Pandan": no English name
    assert "l" not in products["UJI-001"] and "l" not in products["RTN-001"]
    assert [b.get("l") for b in english["booths"]] == ["id", None]  # Lapas Uji, Rutan Uji
    indonesian = (site.output / "search-index.json").read_text("utf-8")
    assert '"l":' not in indonesian


def json_ld(html: str) -> dict:
    return json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html,
                                re.S)[1])


def product_node(html: str) -> dict:
    data = json_ld(html)
    return next(node for node in data.get("@graph", [data]) if node["@type"] == "Product")


def test_structured_data_leaves_out_text_not_in_the_pages_language(site):
    english = product_node(site.html("en/booths/lapas-uji/keset/"))
    assert english["name"] == "Coconut-coir doormat"
    assert "description" not in english and "material" not in english
    indonesian = product_node(site.html("booths/lapas-uji/keset/"))
    assert indonesian["description"] == "Keset tebal dari sabut kelapa."
    assert indonesian["material"] == "sabut kelapa, karet"
    translated = product_node(site.html("en/booths/lapas-uji/taplak/"))
    assert translated["description"] == "A hand-drawn batik tablecloth."
    assert translated["material"] == "cotton"
    booth = json_ld(site.html("en/booths/lapas-uji/"))
    assert "description" not in booth
    assert json_ld(site.html("booths/lapas-uji/"))["description"].startswith("Bengkel kerja")


# -- in the browser: every fallback text node sits inside [lang=id] --------------------------

# Each needle's text nodes, by the language of the nearest [lang]: an option's count
# ("Batik (2)") is left out of its label, and text inside [hidden] is not counted.
WALK = """needles => {
  const found = {};
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    let text = node.data.replace(/\\s+/g, ' ').trim();
    if (node.parentElement.tagName === 'OPTION') text = text.replace(/ \\(\\d+\\)$/, '');
    if (!needles.includes(text) || node.parentElement.closest('[hidden]')) continue;
    (found[text] = found[text] || []).push(node.parentElement.closest('[lang]').lang);
  }
  return found;
}"""


def test_every_fallback_text_on_english_pages_is_inside_lang_id_in_the_browser(browser, site):
    """For each product whose content lacks English, walk the English pages' DOM: each
    Indonesian text node is inside an element with lang="id" (and is there at all)."""
    fallbacks = {
        "en/booths/lapas-uji/keset/": ["Keset tebal dari sabut kelapa.", "sabut kelapa, karet",
                                       "rumah", "dapur", "40 x 60 cm", "Lapas Uji"],
        "en/booths/lapas-uji/tas/": ["Tas Anyaman Pandan", "Tas tangan dari daun pandan.",
                                     "Lapas Uji"],
        "en/products/": ["Tas Anyaman Pandan", "Lapas Uji"],
        "en/booths/lapas-uji/": ["Lapas Uji", "Bengkel kerja", "Tas Anyaman Pandan"],
    }
    with serve(site.output) as url:
        page = browser.new_page()
        try:
            for path, needles in fallbacks.items():
                page.goto(url + path)
                assert page.evaluate("document.documentElement.lang") == "en"
                found = page.evaluate(WALK, needles)
                for needle in needles:
                    assert found.get(needle), f"{path}: {needle!r} not shown"
                    assert set(found[needle]) == {"id"}, (path, needle, found[needle])
                own = page.evaluate(WALK, ["Coconut-coir doormat", "Batik tablecloth"])
                assert all(set(langs) == {"en"} for langs in own.values()), (path, own)
        finally:
            page.close()


def test_fallback_names_the_scripts_draw_are_inside_lang_id_in_the_browser(browser, site):
    """What showcase.js shows from the English search index: the product list's filters
    and a search's results, and the shortlist it draws from saved codes. Every name with
    no English is inside [lang=id], English ones are not."""
    with serve(site.output) as url:
        page = browser.new_page()
        try:
            page.goto(url + "en/products/")
            page.wait_for_selector("form.search:not([hidden])")
            found = page.evaluate(WALK, ["Batik", "Lapas Uji", "Doormats", "Test Remand Centre"])
            assert set(found["Batik"]) == {"id"} and set(found["Lapas Uji"]) == {"id"}, found
            assert set(found["Doormats"]) == set(found["Test Remand Centre"]) == {"en"}, found
            options = page.evaluate("""() => Object.fromEntries([...document.querySelectorAll(
                'select option[value]:not([value=""])')].map(o => [o.value, o.closest('[lang]').lang]))""")
            assert options == {"keset": "en", "batik": "id", "lapas-uji": "id", "rutan-uji": "en",
                               "50000-100000": "en", "100000-250000": "en"}, options
            page.fill("#search-q", "pandan")
            page.wait_for_function("document.querySelector('[data-count]').textContent.includes('1 ')")
            found = page.evaluate(WALK, ["Tas Anyaman Pandan", "Coconut-coir doormat", "Batik"])
            assert set(found["Tas Anyaman Pandan"]) == {"id"}, found
            assert "Coconut-coir doormat" not in found  # filtered out: not what was asked for
            assert set(found["Batik"]) == {"id"}, found  # its option, its count redrawn

            page.evaluate("""codes => localStorage.setItem('showcase-shortlist:' + new URL('../',
                document.querySelector('script[src*=showcase]').src).pathname,
                JSON.stringify(codes))""", ["UJI-002", "UJI-001", "RTN-001"])
            page.goto(url + "en/shortlist/")
            page.wait_for_selector(".shortlist-item")
            assert page.evaluate("document.documentElement.lang") == "en"
            found = page.evaluate(WALK, ["Tas Anyaman Pandan", "Lapas Uji", "Coconut-coir doormat",
                                         "Woven sarong", "Test Remand Centre"])
            # Its heading, and the order, shop and remove buttons' hidden "(name)".
            assert found.get("Tas Anyaman Pandan") == ["id"] * 4, found
            assert found.get("Lapas Uji") == ["id"] * 2, found  # heading, the send button
            for own in ("Coconut-coir doormat", "Woven sarong", "Test Remand Centre"):
                assert found.get(own) and set(found[own]) == {"en"}, (own, found)
        finally:
            page.close()
