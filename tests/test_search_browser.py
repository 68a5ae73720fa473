"""Search, filters and the shortlist in headless Chromium, on the built sample site.

The expected results come from the published index through a matcher written here in
Python (prefix match of folded tokens), so the page's JavaScript is checked against an
independent reading of the same data, not against itself.
"""

from __future__ import annotations

import json
from urllib.parse import parse_qs, unquote, urlparse

import pytest

from showcase.render.search import FACETS, tokens
from tests.helpers import (PRODUCT_MD, SAMPLE_BASE_URL, SCRIPT_BREAKER, record_errors, serve,
                           served_site)


@pytest.fixture(scope="module")
def index(sample_build):
    return json.loads((sample_build.output / "search-index.json").read_text("utf-8"))


def product_url(ix, p) -> str:
    return ix["booths"][p["b"]]["u"] + p["u"]


def expected(ix, query: str = "", **facets: str) -> set[str]:
    """Codes the list should show: every query token a prefix of one of the product's."""
    values = {key: [v[0] for v in facet[2]] for key, facet in zip(FACETS, ix["facets"])}
    found = set()
    for p in ix["products"]:
        words = (tokens([p["n"], p["c"], p["c"].replace("-", "")]) + p["s"].split()
                 + ix["booths"][p["b"]]["s"].split() + p.get("k", "").split())
        if not all(any(w.startswith(t) for w in words) for t in tokens([query])):
            continue
        if all(p["f"][FACETS.index(k)] is not None and values[k][p["f"][FACETS.index(k)]] == v
               for k, v in facets.items()):
            found.add(p["c"])
    return found


def visible_codes(page) -> set[str]:
    return set(page.eval_on_selector_all(
        ".grid > li:not([hidden]) [data-code]", "cards => cards.map(c => c.dataset.code)"))


def query_of(page) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlparse(page.url).query).items()}


def open_products(page, server, path="products/"):
    page.goto(server + path)
    page.wait_for_selector("form.search:not([hidden])")


def open_filters(page, server, **selected: str):
    """/products/ with the filters unfolded and some options chosen, one by one."""
    open_products(page, server)
    page.click(".facets summary")
    for key, value in selected.items():
        page.select_option(f"select[name='{key}']", value)


def options(page, key: str) -> list[list]:
    """[value, text, disabled] of every option of a facet's select."""
    return page.eval_on_selector_all(f"select[name='{key}'] option",
                                     "os => os.map(o => [o.value, o.textContent, o.disabled])")


def count_text(page) -> str:
    return page.text_content("[data-count]").strip()


# -- search and facets -------------------------------------------------------------------

def test_search_narrows_the_list_ignoring_case_and_accents(phone, server, index):
    open_products(phone, server)
    everything = {p["c"] for p in index["products"]}
    assert visible_codes(phone) == everything
    want = expected(index, "keset")
    assert 0 < len(want) < len(everything)
    assert all(p["n"].lower().startswith("keset") for p in index["products"] if p["c"] in want)
    phone.fill("#search-q", "keset")
    assert visible_codes(phone) == want
    assert query_of(phone) == {"q": "keset"}
    assert count_text(phone) == f"{len(want)} produk"
    phone.fill("#search-q", "KESÉT sabu")  # accents and case folded, the last word a prefix
    assert visible_codes(phone) == expected(index, "keset sabu")
    assert 0 < len(expected(index, "keset sabu")) < len(want)
    phone.fill("#search-q", "jati")  # a material and a tag, not only names
    assert visible_codes(phone) == expected(index, "jati")
    assert any("jati" not in p["n"].lower() for p in index["products"]
               if p["c"] in expected(index, "jati"))
    phone.fill("#search-q", "zzzz")
    assert visible_codes(phone) == set()
    assert phone.is_visible(".no-results")
    assert count_text(phone) == "0 produk"
    assert phone.errors == [] and phone.foreign == []


def test_every_facet_narrows_the_list_with_counts_and_the_url(phone, server, index):
    open_filters(phone, server)
    for key, facet in zip(FACETS, index["facets"]):
        select = f"select[name='{key}']"
        choices = options(phone, key)
        assert len(choices) == len(facet[2]) + 1, key
        value, label, _ = choices[1]
        want = expected(index, **{key: value})
        assert label.endswith(f"({len(want)})"), (key, label)
        phone.select_option(select, value)
        assert visible_codes(phone) == want, key
        assert query_of(phone) == {key: value}
        assert count_text(phone) == (f"{len(want)} produk" if len(want) != 1 else "1 produk")
        phone.select_option(select, "")
    assert phone.errors == []


def test_facets_combine_and_their_counts_follow(phone, server, index):
    open_filters(phone, server, category="keset", availability="in-stock")
    phone.fill("#search-q", "sabut")
    want = expected(index, "sabut", category="keset", availability="in-stock")
    assert visible_codes(phone) == want and want
    assert query_of(phone) == {"q": "sabut", "category": "keset", "availability": "in-stock"}
    # A booth option counts what the query and the other facets let through.
    for value, text, disabled in options(phone, "booth")[1:]:
        n = len(expected(index, "sabut", category="keset", availability="in-stock", booth=value))
        assert text.endswith(f"({n})") and disabled == (n == 0), text
    assert phone.text_content("[data-active]") == "(2)"
    phone.click("[data-clear]")
    assert visible_codes(phone) == {p["c"] for p in index["products"]}
    assert query_of(phone) == {}
    assert phone.errors == []


def test_back_button_and_a_shared_url_restore_the_filters(phone, server, index):
    open_filters(phone, server, category="batik")
    phone.fill("#search-q", "p")
    phone.fill("#search-q", "parang")  # one history entry for the whole word
    assert visible_codes(phone) == expected(index, "parang", category="batik")
    phone.go_back()
    assert query_of(phone) == {"category": "batik"}
    assert phone.input_value("#search-q") == ""
    assert visible_codes(phone) == expected(index, category="batik")
    phone.go_back()
    assert query_of(phone) == {}
    assert phone.input_value("select[name='category']") == ""
    assert len(visible_codes(phone)) == len(index["products"])
    phone.go_forward()
    assert phone.input_value("select[name='category']") == "batik"
    # The same URL opened afresh (shared, bookmarked) shows the same list.
    open_products(phone, server, "products/?category=mebel&q=kayu")
    assert phone.input_value("select[name='category']") == "mebel"
    assert phone.input_value("#search-q") == "kayu"
    assert visible_codes(phone) == expected(index, "kayu", category="mebel")
    assert phone.is_visible("select[name='category']")  # the filters open when one is set
    assert phone.errors == []


def test_a_product_code_jumps_to_its_page(phone, server, index):
    p = next(p for p in index["products"] if p["c"] == "NKB-001")
    open_products(phone, server)
    phone.fill("#search-q", " nkb-001 ")
    phone.press("#search-q", "Enter")
    phone.wait_for_url(server + product_url(index, p))
    assert "NKB-001" in phone.text_content(".code")
    open_products(phone, server)
    phone.fill("#search-q", "sabut")
    phone.press("#search-q", "Enter")  # not a code: stays, filtered
    assert urlparse(phone.url).path.endswith("/products/")
    assert phone.errors == []


def test_english_page_searches_the_english_index(phone, server, sample_build):
    ix = json.loads((sample_build.output / "en/search-index.json").read_text("utf-8"))
    open_products(phone, server, "en/products/")
    phone.fill("#search-q", "doormat")
    want = expected(ix, "doormat")
    assert want and visible_codes(phone) == want
    assert count_text(phone) == f"{len(want)} products"
    phone.click("a[hreflang='id']")  # the language switch keeps the search
    phone.wait_for_url(server + "products/?q=doormat")
    phone.wait_for_selector("form.search:not([hidden])")
    assert visible_codes(phone) == expected(json.loads(
        (sample_build.output / "search-index.json").read_text("utf-8")), "doormat")
    assert phone.errors == []


def test_without_javascript_the_list_is_complete_and_links_work(browser, server, index, sample_build):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(server + "products/")
    assert len(page.query_selector_all(".grid > li")) == len(index["products"])
    assert page.is_hidden("form.search") and page.is_hidden("[data-save]")
    links = page.eval_on_selector_all(".filters a", "as => as.map(a => a.getAttribute('href'))")
    assert any("categories/" in h for h in links) and any("booths/" in h for h in links)
    for href in links:
        target = sample_build.output / "products" / href / "index.html"
        assert target.resolve().is_file(), href
    page.goto(server + "shortlist/")
    assert "JavaScript" in page.text_content("main")
    context.close()


# -- the shortlist -------------------------------------------------------------------------

def wa_text(href: str) -> tuple[str, str]:
    url = urlparse(href)
    assert url.netloc == "wa.me"
    return url.path.strip("/"), parse_qs(url.query)["text"][0]


def test_shortlist_survives_a_reload_and_sends_each_booth_one_message(phone, server, index):
    by_code = {p["c"]: p for p in index["products"]}
    picks = ["NKB-004", "NKB-001", "CPN-004", "LPM-001"]  # NKB-004 is sold out
    open_products(phone, server)
    for code in picks[:3]:
        phone.click(f"[data-save='{code}']")
        assert phone.get_attribute(f"[data-save='{code}']", "aria-pressed") == "true"
    phone.goto(server + product_url(index, by_code[picks[3]]))
    phone.click(f"button[data-save='{picks[3]}']")
    product_page_order = phone.get_attribute(".buy .btn-wa", "href")
    phone.reload()
    assert phone.get_attribute(f"button[data-save='{picks[3]}']", "aria-pressed") == "true"
    assert phone.text_content("[data-shortlist-count]") == "4"
    phone.goto(server + "shortlist/")
    phone.wait_for_selector(".shortlist-booth")
    sections = phone.query_selector_all(".shortlist-booth")
    assert len(sections) == 3  # NKB, CPN, LPM
    for section in sections:
        booth = next(b for b in index["booths"] if b["n"] == section.query_selector("h2").text_content())
        codes = [c.text_content() for c in section.query_selector_all(".code")]
        assert codes and all(by_code[c]["b"] == index["booths"].index(booth) for c in codes)
        number, text = wa_text(section.query_selector("a[data-booth]").get_attribute("href"))
        assert number == booth["w"]
        orderable = [c for c in codes if by_code[c].get("o") != 0]  # an order lists no sold-out
        assert orderable != codes or booth["n"] != "Lapas Terbuka Kelas IIB Nusakambangan"
        for code in codes:
            assert (code in text and by_code[code]["n"] in text) == (code in orderable), code
        assert f"?codes={','.join(orderable)}" in text
    # Each item's order button is the one its product page has.
    item_order = phone.get_attribute(
        f".shortlist-item:has(.code:text-is('{picks[3]}')) .btn-wa", "href")
    assert item_order == product_page_order
    assert wa_text(item_order)[1].endswith(SAMPLE_BASE_URL + product_url(index, by_code[picks[3]]))
    # A sold-out product offers no way to order, and says why.
    sold_out = f".shortlist-item:has(.code:text-is('{picks[0]}'))"
    assert phone.query_selector(f"{sold_out} .btn-wa") is None
    assert phone.text_content(f"{sold_out} .badge") == "Habis"
    phone.click(f"[data-unsave='{picks[0]}']")
    assert picks[0] not in phone.text_content("[data-list]")
    assert phone.text_content("[data-count]") == "3 produk"
    assert phone.errors == [] and phone.foreign == []


def test_share_link_opens_the_same_list_on_another_phone(phone, browser, server, index):
    phone.goto(server + "shortlist/")
    phone.evaluate("""codes => localStorage.setItem(
        'showcase-shortlist:' + new URL('../', document.querySelector('script[src*=showcase]').src).pathname,
        JSON.stringify(codes))""", ["SMK-001", "NKB-003", "CPN-001"])
    phone.reload()
    phone.wait_for_selector(".shortlist-booth")
    mine = [c.text_content() for c in phone.query_selector_all(".shortlist-item .code")]
    link = phone.get_attribute("[data-share-link]", "href")
    assert link.startswith(SAMPLE_BASE_URL + "shortlist/?codes=")
    _, text = wa_text(phone.get_attribute("[data-share-whatsapp]", "href"))
    assert text == link

    other = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True)
    page = other.new_page()
    errors = record_errors(page)
    page.goto(server + link[len(SAMPLE_BASE_URL):])
    page.wait_for_selector(".shortlist-booth")
    assert [c.text_content() for c in page.query_selector_all(".shortlist-item .code")] == mine
    assert sorted(mine) == ["CPN-001", "NKB-003", "SMK-001"]
    page.click("[data-keep-all]")  # keep them on this phone too
    assert urlparse(page.url).query == ""
    page.reload()
    page.wait_for_selector(".shortlist-booth")
    assert [c.text_content() for c in page.query_selector_all(".shortlist-item .code")] == mine
    other.close()
    assert errors == [] and phone.errors == []


def test_save_works_from_the_keyboard(phone, server, index):
    p = index["products"][0]
    phone.goto(server + product_url(index, p))
    button = f"button[data-save='{p['c']}']"
    phone.wait_for_selector(f"{button}:not([hidden])")
    phone.focus(button)
    phone.keyboard.press("Space")
    assert phone.get_attribute(button, "aria-pressed") == "true"
    phone.keyboard.press("Enter")
    assert phone.get_attribute(button, "aria-pressed") == "false"
    assert phone.errors == []


LAYOUT_SHIFT_JS = """() => new Promise(done => {
  let sum = 0;
  new PerformanceObserver(list => list.getEntries().forEach(e => { sum += e.value; }))
    .observe({type: 'layout-shift', buffered: true});
  setTimeout(() => done(sum), 300);
})"""


def test_what_the_script_shows_shifts_nothing(phone, server, index):
    """The form, the hearts and the saved count appear where their place was kept.
    (Every shift counts: Chromium marks those right after a navigation `hadRecentInput`.)"""
    p = index["products"][0]
    open_products(phone, server)
    phone.click(f"[data-save='{p['c']}']")  # so the header's count appears on the next pages
    for url in ("products/", product_url(index, p)):
        phone.goto(server + url)
        phone.wait_for_selector("button[data-save]:not([hidden])")
        assert phone.text_content("[data-shortlist-count]") == "1"
        shift = phone.evaluate(LAYOUT_SHIFT_JS)
        assert shift < 0.005, (url, shift)
    assert phone.errors == []


# -- content cannot turn into markup ---------------------------------------------------------

@pytest.fixture(scope="module")
def evil_server(tmp_path_factory):
    site = served_site(tmp_path_factory.mktemp("evil"), {
        "content/booths/lapas-uji/keset/index.md": PRODUCT_MD.replace(
            "name: {id: Keset Sabut Kelapa, en: Coconut-coir doormat}", f"name: '{SCRIPT_BREAKER}'")})
    assert site.build().ok
    with serve(site.output) as url:
        yield url


def test_a_hostile_product_name_stays_text_in_search_and_shortlist(browser, evil_server):
    context = browser.new_context()
    page = context.new_page()
    dialogs, errors = [], record_errors(page)
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(evil_server + "products/")
    page.wait_for_selector("form.search:not([hidden])")
    page.fill("#search-q", "onerror")
    assert visible_codes(page) == {"UJI-001"}
    page.goto(evil_server + "shortlist/?codes=UJI-001")
    page.wait_for_selector(".shortlist-item")
    assert page.text_content(".shortlist-item h3") == SCRIPT_BREAKER
    _, text = wa_text(page.get_attribute("a[data-booth]", "href"))
    assert SCRIPT_BREAKER in unquote(text)
    assert page.query_selector_all("main img") == []
    assert dialogs == [] and errors == []
    context.close()
