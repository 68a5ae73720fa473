"""A visitor's phone in headless Chromium (390 px), on a small exhibition built for it.

Three booths: one with products of a category whose name holds a word other products
are named with ("Pakaian & Sarung Tangan"), one whose long name must fit a filter, one
whose products cannot be ordered (display only, sold out). What the pages should show
is read from the content written here, not from the page's own script.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from tests.helpers import BASE_PATH, BASE_URL, BOOTH_MD, SITE_YAML, serve, served_site

SITE = SITE_YAML.replace(BASE_URL, "https://example.org" + BASE_PATH).replace(
    "  batik: {name: Batik}\n", """\
  batik: {name: Batik}
  pakaian: {name: {id: "Pakaian & Sarung Tangan", en: Clothing and gloves}}
  kuliner: {name: {id: Kuliner, en: Food}}
""")

# The booth of lapas-uji (BOOTH_MD, WhatsApp 0812-0000-0002) gets clothes beside its doormat.
CIPINANG = """\
---
name: Lapas Kelas I Cipinang
code: SKM
stand: B-7
region: Cilacap, Jawa Tengah
contact: {whatsapp: "0812-0000-0003"}
---
Bengkel kerja.
"""

NOT_FOR_SALE = """\
---
name: Rutan Pameran
code: ABW
stand: C-1
contact: {whatsapp: "0812-0000-0004"}
---
Karya yang dipamerkan.
"""


def product(code: str, name: str, category: str, extra: str = "") -> str:
    return f"---\nname: {name}\ncode: {code}\ncategory: {category}\n{extra}---\nDeskripsi.\n"


FILES = {
    "content/site.yaml": SITE,
    "content/booths/lapas-uji/index.md": BOOTH_MD,
    "content/booths/lapas-uji/kaos/index.md": product(
        "UJI-002", "{id: Kaos Sablon, en: Printed T-shirt}", "pakaian", "price: 60000\n"),
    "content/booths/lapas-uji/sepatu/index.md": product(
        "UJI-003", "{id: Kaos Kaki dan Sepatu, en: Socks and shoes}", "pakaian", "price: 250000\n"),
    "content/booths/lapas-uji/sarung/index.md": product(
        "UJI-004", "{id: Sarung Tenun Ikat, en: Woven ikat sarong}", "pakaian", "price: 150000\n"),
    "content/booths/lapas-cipinang/index.md": CIPINANG,
    "content/booths/lapas-cipinang/kopi/index.md": product(
        "SKM-001", "{id: Kopi Robusta Bubuk, en: Ground robusta coffee}", "kuliner",
        "price: 45000\nprice_note: {id: per kemasan 250 g, en: per 250 g pack}\n"),
    "content/booths/lapas-cipinang/sarung-tangan/index.md": product(
        "SKM-002", "{id: Sarung Tangan Rajut, en: Knitted gloves}", "pakaian",
        "availability: made-to-order\n"),  # no price: "ask for price"
    "content/booths/rutan-pameran/index.md": NOT_FOR_SALE,
    "content/booths/rutan-pameran/kapal/index.md": product(
        "ABW-001", "{id: Miniatur Kapal Pinisi, en: Pinisi ship model}", "pakaian",
        "availability: display-only\n"),  # no price, and nothing to ask
    "content/booths/rutan-pameran/mukena/index.md": product(
        "ABW-002", "{id: Mukena Bordir, en: Embroidered prayer robe}", "pakaian",
        "price: 300000\navailability: sold-out\n"),
}
NAMES = {"UJI-001": ("Keset Sabut Kelapa", "Coconut-coir doormat"),
         "SKM-001": ("Kopi Robusta Bubuk", "Ground robusta coffee"),
         "UJI-004": ("Sarung Tenun Ikat", "Woven ikat sarong"),
         "ABW-001": ("Miniatur Kapal Pinisi", "Pinisi ship model")}
WHATSAPP = {"UJI": "6281200000002", "SKM": "6281200000003", "ABW": "6281200000004"}
UNORDERABLE = {"ABW-001", "ABW-002"}


@pytest.fixture(scope="module")
def fair(tmp_path_factory):
    site = served_site(tmp_path_factory.mktemp("visitor"), FILES)
    result = site.build()
    assert result.ok, [str(p) for p in result.errors]
    with serve(site.output) as url:
        yield url


@pytest.fixture
def phone(browser, fair):
    """A fresh 390 px phone: its own storage, its errors recorded."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2,
                                  is_mobile=True, has_touch=True)
    page = context.new_page()
    page.errors = errors = []
    # Every page names its icon, the short links' too: a request for the host's
    # /favicon.ico (a 404 here, as on most hosts) is an error like any other.
    page.on("console", lambda m: m.type == "error"
            and errors.append(f"{m.text} {m.location.get('url')}"))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("response", lambda r: r.status >= 400 and errors.append(f"{r.status} {r.url}"))
    yield page
    context.close()


def wa(href: str) -> tuple[str, str]:
    url = urlparse(href)
    assert url.netloc == "wa.me", href
    return url.path.strip("/"), parse_qs(url.query)["text"][0]


def stored(page) -> list[str]:
    return page.evaluate("""() => JSON.parse(localStorage.getItem(Object.keys(localStorage)
        .find(k => k.startsWith('showcase-shortlist:'))) || '[]')""")


def listed(page) -> list[str]:
    return [c.text_content() for c in page.query_selector_all(".shortlist-item .code")]


def open_shortlist(page, fair, query: str = "", prefix: str = "") -> None:
    page.goto(fair + prefix + "shortlist/" + query)
    page.wait_for_selector("[data-count]:not(:empty)")


# -- the shortlist -------------------------------------------------------------------------

def test_a_shared_list_with_spaces_and_plus_signs_is_saved_whole(phone, fair):
    """As typed, or as an app rewrites "," to ", ": every product shown is kept."""
    open_shortlist(phone, fair, "?codes=SKM-001,%20skm-002,+ABW-001,,SKM-001")
    assert listed(phone) == ["SKM-001", "SKM-002", "ABW-001"]
    assert phone.is_hidden("[data-own-list]")  # "kept on your phone only" is not so here
    phone.click("[data-keep-all]")
    assert sorted(stored(phone)) == ["ABW-001", "SKM-001", "SKM-002"]
    assert urlparse(phone.url).query == ""
    phone.reload()
    phone.wait_for_selector(".shortlist-item")
    assert listed(phone) == ["SKM-001", "SKM-002", "ABW-001"]
    assert phone.is_visible("[data-own-list]")
    assert phone.text_content("[data-shortlist-count]") == "3"
    assert phone.errors == []


def test_what_cannot_be_ordered_is_shown_but_never_offered(phone, fair):
    open_shortlist(phone, fair, "?codes=ABW-001,ABW-002,UJI-002")
    texts = phone.evaluate("""() => { const out = [], walk = document.createTreeWalker(
        document.querySelector('[data-list]'), NodeFilter.SHOW_TEXT);
        while (walk.nextNode()) out.push(walk.currentNode.textContent.trim()); return out; }""")
    assert "0" not in texts and "Tanya harga" not in texts
    for code in UNORDERABLE:
        item = f".shortlist-item:has(.code:text-is('{code}'))"
        assert phone.query_selector(f"{item} .buttons") is None
        assert phone.query_selector(f"{item} a[href^='https://wa.me']") is None
    badges = phone.eval_on_selector_all(".shortlist-item .badge", "bs => bs.map(b => b.textContent)")
    assert badges == ["Hanya dipamerkan", "Habis"]
    # The booth whose saved products cannot be ordered gets no list to send.
    booths = phone.eval_on_selector_all(
        ".shortlist-booth", "ss => ss.map(s => [s.querySelector('h2').textContent, !!s.querySelector('a[data-booth]')])")
    assert booths == [["Lapas Uji", True], ["Rutan Pameran", False]]
    number, text = wa(phone.get_attribute("a[data-booth]", "href"))
    assert number == WHATSAPP["UJI"] and "UJI-002" in text and "ABW" not in text
    # A booth with both: only the orderable ones are in its message.
    open_shortlist(phone, fair, "?codes=UJI-002,ABW-001")
    assert phone.query_selector_all("a[data-booth]") and "ABW-001" not in wa(
        phone.get_attribute("a[data-booth]", "href"))[1]
    assert phone.errors == []


def test_a_display_only_product_is_in_no_price_count(phone, fair):
    """"Tanya harga" counts the products one can ask the price of, to order them."""
    phone.goto(fair + "products/")
    phone.wait_for_selector("form.search:not([hidden])")
    phone.click(".facets summary")
    ask = "select[name='price'] option[value='ask']"
    assert phone.text_content(ask) == "Tanya harga (1)"
    phone.select_option("select[name='price']", "ask")
    shown = phone.eval_on_selector_all(".grid > li:not([hidden]) [data-code]",
                                       "cs => cs.map(c => c.dataset.code)")
    assert shown == ["SKM-002"]
    assert phone.errors == []


# -- search --------------------------------------------------------------------------------

def test_a_word_of_a_category_name_ranks_products_named_with_it_first(phone, fair):
    phone.goto(fair + "products/")
    phone.wait_for_selector("form.search:not([hidden])")
    before = phone.eval_on_selector_all(".grid [data-code]", "cs => cs.map(c => c.dataset.code)")
    phone.fill("#search-q", "sarung")
    shown = phone.eval_on_selector_all(
        ".grid > li:not([hidden]) .card-title", "ts => ts.map(t => t.textContent.toLowerCase())")
    named = [n for n in shown if "sarung" in n]
    assert sorted(named) == ["sarung tangan rajut", "sarung tenun ikat"]
    assert shown[:len(named)] == named  # the products named so, then the rest of the category
    assert len(shown) == 6  # every product of "Pakaian & Sarung Tangan" is still found
    assert "kaos sablon" in shown[len(named):]
    phone.fill("#search-q", "")  # no query: the page's own order again
    assert phone.eval_on_selector_all(".grid [data-code]", "cs => cs.map(c => c.dataset.code)") == before
    assert phone.errors == []


# -- small things that looked broken -------------------------------------------------------

@pytest.mark.parametrize("prefix, off, on", [("", "Simpan", "Tersimpan"), ("en/", "Save", "Saved")])
def test_the_save_label_follows_its_pressed_state(phone, fair, prefix, off, on):
    phone.goto(fair + prefix + "booths/lapas-uji/keset/")
    button = "button.btn[data-save='UJI-001']"
    phone.wait_for_selector(f"{button}:not([hidden])")
    assert (phone.text_content(button), phone.get_attribute(button, "aria-pressed")) == (off, "false")
    phone.click(button)
    assert (phone.text_content(button), phone.get_attribute(button, "aria-pressed")) == (on, "true")
    phone.reload()  # saved, so it says so on arrival
    phone.wait_for_selector(f"{button}:not([hidden])")
    assert (phone.text_content(button), phone.get_attribute(button, "aria-pressed")) == (on, "true")
    phone.goto(fair + prefix + "products/")  # the card's heart says so to a screen reader
    card = "button.save-icon[data-save='UJI-001']"
    phone.wait_for_selector(f"{card}:not([hidden])")
    assert phone.text_content(card).startswith(on) and phone.get_attribute(card, "aria-pressed") == "true"
    phone.click(card)
    assert phone.text_content(card).startswith(off) and phone.get_attribute(card, "aria-pressed") == "false"
    assert phone.errors == []


def test_the_language_pill_holds_no_empty_item(phone, fair):
    for url, other in (("", "English"), ("en/booths/lapas-uji/keset/", "Bahasa Indonesia")):
        phone.goto(fair + url)
        items = phone.eval_on_selector_all(".lang-switch li", """lis => lis.map(li => {
            const box = li.getBoundingClientRect(), list = li.parentElement.getBoundingClientRect();
            return [li.textContent.trim(), box.width > 0, box.left - list.left]; })""")
        assert items == [[other, True, 0]], url


def test_filters_show_whole_values_at_390px(phone, fair):
    phone.goto(fair + "products/")
    phone.wait_for_selector("form.search:not([hidden])")
    phone.click(".facets summary")
    cut = phone.evaluate("""() => { const c = document.createElement('canvas').getContext('2d'), out = [];
        for (const s of document.querySelectorAll('.facet-grid select')) {
          const st = getComputedStyle(s); c.font = st.font;
          const room = s.clientWidth - parseFloat(st.paddingLeft) - parseFloat(st.paddingRight) - 24;
          for (const o of s.options) if (c.measureText(o.textContent).width > room) out.push(o.textContent);
        } return out; }""")
    assert cut == []
    assert "Lapas Kelas I Cipinang (2)" in phone.eval_on_selector_all(
        "select[name='booth'] option", "os => os.map(o => o.textContent)")


def test_a_quantity_never_wraps_between_number_and_unit(phone, fair):
    for url, note in (("booths/lapas-cipinang/kopi/", "per kemasan 250\u00a0g"),
                      ("en/booths/lapas-cipinang/kopi/", "per 250\u00a0g pack")):
        phone.goto(fair + url)
        assert phone.text_content(".price-note") == note
        # Squeezed to one character's width, the number and its unit still share a line,
        # where with a plain space they would not.
        lines = """space => { const n = document.querySelector('.price-note');
            Object.assign(n.style, {display: 'inline-block', width: '1ch', overflowWrap: 'normal'});
            if (space) n.textContent = n.textContent.replace('\u00a0', ' ');
            const text = n.firstChild, at = text.textContent.indexOf('250'), r = document.createRange();
            r.setStart(text, at); r.setEnd(text, at + 5);
            return new Set([...r.getClientRects()].map(b => Math.round(b.top))).size; }"""
        assert phone.evaluate(lines, False) == 1, url
        assert phone.evaluate(lines, True) == 2, url


# -- the whole visit, as one story -----------------------------------------------------------

STORY = {
    "": {"save": "Tersimpan", "order": "Halo {booth}, saya ingin memesan:", "item": "- {name} (kode {code})"},
    "en/": {"save": "Saved", "order": "Hello {booth}, I would like to order:", "item": "- {name} (code {code})"},
}


@pytest.mark.parametrize("prefix", ["", "en/"], ids=["id", "en"])
def test_scan_save_and_order_from_the_shortlist(phone, fair, prefix):
    """A visitor scans three stand cards, saves each product, opens her list and sends
    each booth her order by WhatsApp, all in the page's language."""
    words = STORY[prefix]
    lang = 0 if prefix == "" else 1
    order_buttons = {}
    for code in ("SKM-001", "UJI-004", "ABW-001"):
        phone.goto(fair + prefix + f"p/{code.lower()}/")  # the QR code's short link
        phone.wait_for_url(lambda url: "/booths/" in url)
        assert urlparse(phone.url).path.startswith(BASE_PATH + prefix + "booths/")
        assert phone.text_content("h1") == NAMES[code][lang]
        save = f"button.btn[data-save='{code}']"
        phone.wait_for_selector(f"{save}:not([hidden])")
        phone.click(save)
        assert phone.text_content(save) == words["save"]
        order = phone.query_selector(".buy .btn-wa")
        order_buttons[code] = order and order.get_attribute("href")
    assert order_buttons["ABW-001"] is None  # display only: nothing to order
    assert phone.text_content("[data-shortlist-count]") == "3"

    phone.click(".shortlist-link")
    phone.wait_for_selector(".shortlist-booth")
    assert urlparse(phone.url).path == BASE_PATH + prefix + "shortlist/"
    sent = {}
    for section in phone.query_selector_all(".shortlist-booth"):
        codes = [c.text_content() for c in section.query_selector_all(".code")]
        send = section.query_selector("a[data-booth]")
        sent[tuple(codes)] = send and wa(send.get_attribute("href"))
        for code in codes:  # each item's button is its product page's
            item = section.query_selector(f".shortlist-item:has(.code:text-is('{code}')) .btn-wa")
            assert (item and item.get_attribute("href")) == order_buttons[code]
    booth = {"SKM-001": "Lapas Kelas I Cipinang", "UJI-004": "Lapas Uji"}
    assert set(sent) == {("SKM-001",), ("UJI-004",), ("ABW-001",)}
    assert sent[("ABW-001",)] is None
    for code, name in booth.items():
        number, text = sent[(code,)]
        assert number == WHATSAPP[code[:3]]
        assert text.startswith(words["order"].format(booth=name))
        assert words["item"].format(name=NAMES[code][lang], code=code) in text
        assert text.endswith(f"{BASE_PATH}{prefix}shortlist/?codes={code}")
    assert phone.errors == []
