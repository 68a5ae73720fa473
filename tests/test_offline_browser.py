"""Offline hall mode in headless Chromium: the service worker, its cache, and a new deploy.

The browser's own network is cut (`context.set_offline`), which the service worker's
fetches obey too, so what loads offline comes from its cache.
"""

from __future__ import annotations

import json
import re
import shutil
import time

import pytest

from tests.helpers import (PRODUCT_MD, REPO, SiteDir, photo_bytes, record_errors, serve,
                           served_site)

CACHES = "() => caches.keys()"


def wait_for_control(page) -> None:
    page.wait_for_function("navigator.serviceWorker && navigator.serviceWorker.controller !== null",
                           timeout=20_000)


def poll(page, script: str, arg=None, seconds: float = 20) -> None:
    """Until an async `script` returns true (wait_for_function takes a promise for true)."""
    deadline = time.monotonic() + seconds
    while not page.evaluate(script, arg):
        assert time.monotonic() < deadline, f"still false after {seconds} s: {script}"
        page.wait_for_timeout(100)


def wait_until_saved(page, url: str) -> None:
    """The worker saves a page while handing it over: wait until the copy is in."""
    poll(page, "async url => { for (const name of await caches.keys())"
               " if (await (await caches.open(name)).match(url)) return true;"
               " return false; }", url)


def note_shown(page) -> bool:
    return page.evaluate("!document.querySelector('[data-offline-note]').hidden")


def photo_shown(page, selector: str) -> bool:
    return page.evaluate("s => { const i = document.querySelector(s); "
                         "return i.complete && i.naturalWidth > 0; }", selector)


@pytest.fixture(scope="module")
def urls_(sample_build):
    out = sample_build.output
    product = next(out.glob("booths/*/*/index.html")).parent.relative_to(out).as_posix() + "/"
    booth = next(out.glob("booths/*/index.html")).parent.relative_to(out).as_posix() + "/"
    return {"product": product, "booth": booth}


def test_visited_pages_and_the_product_list_load_offline(phone, server, urls_):
    phone.goto(server)
    wait_for_control(phone)
    assert not note_shown(phone)
    phone.goto(server + urls_["product"])
    phone.wait_for_function("document.querySelector('.product img').complete")
    wait_until_saved(phone, server + urls_["product"])
    name = phone.inner_text("h1")

    phone.context.set_offline(True)
    for url, heading in ((urls_["product"], name), ("", None), ("products/", None),
                         ("en/products/", None), ("products/?q=keset", None)):
        response = phone.goto(server + url)
        assert response.ok, url
        assert note_shown(phone), url
        if heading:
            assert phone.inner_text("h1") == heading
    phone.goto(server + urls_["product"])
    assert photo_shown(phone, ".product img"), "the photo seen online is there offline"
    phone.goto(server + "products/")
    assert photo_shown(phone, ".grid img"), "card photos are saved ahead"
    index = phone.evaluate("fetch('../search-index.json').then(r => r.json())")
    assert index["products"], "the search index is saved ahead"
    assert phone.errors == [] and phone.foreign == []


def test_a_page_never_opened_shows_the_offline_page_not_an_error(phone, server, urls_):
    phone.goto(server)
    wait_for_control(phone)
    phone.context.set_offline(True)
    response = phone.goto(server + urls_["booth"])
    assert response is not None
    assert note_shown(phone)
    assert "belum tersimpan" in phone.inner_text("[data-offline-note]")
    assert phone.locator("a.btn").count() >= 2  # its way back: the product list and home
    assert phone.errors == []


def test_the_note_follows_the_connection(phone, server):
    phone.goto(server)
    assert not note_shown(phone)
    phone.context.set_offline(True)
    phone.wait_for_selector("[data-offline-note]:not([hidden])")
    phone.context.set_offline(False)
    phone.wait_for_selector("[data-offline-note]", state="hidden")


# -- a new deploy --------------------------------------------------------------------------

PHOTO_FILES = {"content/booths/lapas-uji/keset/foto.jpg": photo_bytes((640, 480))}


@pytest.fixture
def small_site(tmp_path):
    site = served_site(tmp_path / "site", PHOTO_FILES)
    assert site.build().ok
    with serve(site.output) as url:
        site.url = url
        yield site


def version_of(site: SiteDir) -> str:
    return json.loads(re.search(r"const VERSION = (\"\w+\");",
                                (site.output / "sw.js").read_text("utf-8"))[1])


def test_a_new_deploy_installs_a_new_cache_and_deletes_the_old_one(browser, small_site):
    context = browser.new_context()
    page = context.new_page()
    errors, loads = record_errors(page), []
    page.on("framenavigated", lambda frame: frame == page.main_frame and loads.append(frame.url))
    try:
        site = small_site
        page.goto(site.url)
        wait_for_control(page)
        page.goto(site.url + "booths/lapas-uji/keset/")
        wait_until_saved(page, site.url + "booths/lapas-uji/keset/")
        [old] = page.evaluate(CACHES)
        assert version_of(site) in old

        product = site.content / "booths/lapas-uji/keset/index.md"
        product.write_text(product.read_text("utf-8").replace("Keset Sabut Kelapa", "Keset Baru"),
                           "utf-8")
        assert site.build().ok
        assert version_of(site) not in old

        page.goto(site.url)  # a navigation makes the browser look for a new sw.js
        poll(page, "async old => { const names = await caches.keys();"
                   " return names.length === 1 && names[0] !== old; }", old)
        [new] = page.evaluate(CACHES)
        assert version_of(site) in new
        page.wait_for_timeout(500)
        assert loads == [site.url, site.url + "booths/lapas-uji/keset/", site.url], \
            "the page was never reloaded by the worker"

        context.set_offline(True)
        page.goto(site.url + "products/")  # never opened: saved ahead by the new worker
        assert "Keset Baru" in page.inner_text("main"), "the new deploy's pages are saved ahead"
        page.goto(site.url + "booths/lapas-uji/keset/")
        assert page.inner_text("h1") == "Keset Sabut Kelapa", \
            "a page opened before the deploy is still there offline, as it was seen"
        assert errors == []
    finally:
        context.close()


def test_sw_js_and_manifests_are_the_same_whether_pages_were_rendered_or_kept(tmp_path):
    """A rebuild that keeps pages from the last build (see memo) writes the same sw.js as
    a first build of the same content; a change a saved page shows changes its version."""
    edited, fresh = (served_site(tmp_path / name, PHOTO_FILES) for name in ("edited", "fresh"))
    assert edited.build().ok
    first = version_of(edited)
    body = "content/booths/lapas-uji/keset/index.md"
    changed = PRODUCT_MD.replace("Keset tebal", "Keset sangat tebal")
    for site in (edited, fresh):
        site.write(body, changed)
        assert site.build().ok
    for name in ("sw.js", "manifest.webmanifest", "en/manifest.webmanifest"):
        assert (edited.output / name).read_bytes() == (fresh.output / name).read_bytes(), name
    assert version_of(edited) == first, "a description is on no page saved ahead"
    edited.write(body, changed.replace("price: 75000", "price: 80000"))
    assert edited.build().ok
    assert version_of(edited) != first, "a price is on the product list, saved ahead"


def test_everything_saved_ahead_is_published(sample_build):
    out = sample_build.output
    listed = json.loads(re.search(r"const PRECACHE = (\[.*?\]);",
                                  (out / "sw.js").read_text("utf-8"))[1])
    for path in listed:
        assert (out / (path + "index.html" if path.endswith("/") or not path else path)).is_file()
    assert {"", "products/", "en/products/", "search-index.json", "en/search-index.json",
            "404.html"} <= set(listed)
    assert sum(path.startswith("media/") for path in listed) >= 20
    manifest = json.loads((out / "en/manifest.webmanifest").read_text("utf-8"))
    assert manifest["start_url"] == "../en/" and manifest["scope"] == "../"
    sizes = {(icon["sizes"], icon["purpose"]) for icon in manifest["icons"]}
    assert sizes == {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")}
    for icon in manifest["icons"]:
        assert (out / "en" / icon["src"]).resolve().is_file()


def test_the_worker_leaves_the_browser_editor_alone(browser, tmp_path):
    """admin/ (site.yaml's `admin:`) is in no precache list, and a visit saves none of it
    either: the worker does not even answer for it."""
    shutil.copytree(REPO / "content", tmp_path / "content")
    with (tmp_path / "content" / "site.yaml").open("a", encoding="utf-8") as out:
        out.write("\nadmin: {repo: panitia/pameran-2019}\n")
    site = SiteDir(tmp_path)
    assert site.build(workers=2).ok
    with serve(site.output) as url:
        context = browser.new_context()
        # The admin page's script is on a CDN: nothing leaves 127.0.0.1 in a test.
        context.route(lambda u: not u.startswith("http://127.0.0.1"), lambda r: r.abort())
        page = context.new_page()
        page.goto(url)
        wait_for_control(page)
        page.goto(url + "admin/")
        assert page.evaluate("navigator.serviceWorker.controller !== null")
        assert "editorial_workflow" in page.evaluate("fetch('config.yml').then(r => r.text())")
        page.goto(url + "products/")
        wait_until_saved(page, url + "products/")
        saved = page.evaluate("async () => { const all = []; for (const name of await "
                              "caches.keys()) for (const r of await (await caches.open(name))"
                              ".keys()) all.push(r.url); return all; }")
        assert url + "products/" in saved
        assert [u for u in saved if "/admin/" in u] == []
        context.close()
