"""The real Decap CMS, driven in headless Chromium against `showcase serve --admin` on a
copy of the sample exhibition: its configuration loads without an error from the CMS's
own schema, an organiser adds a product with a photo and sees it on the preview, changes
its price and sees that, and a page of another origin cannot change a file.

The CMS's script is the pinned package's own `dist/decap-cms.js`, fetched with `npm pack`
into the test cache (conftest.py's `decap`), never from a CDN: the site serves its own copy
with the documented `admin: {self_hosted: true}` setting, and every request that would
leave 127.0.0.1 fails the test. The page loads the script with Subresource Integrity, so
the CMS running at all proves render/admin.py's pinned hash;
`test_the_pinned_integrity_is_the_packages` says so directly.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import time
from urllib.parse import urlparse

import pytest
import yaml

from showcase.commands import cli, scaffold
from showcase.render.admin import DECAP_INTEGRITY
from tests.helpers import (DANDELIONS, STEP, SUNSET, editor_site, fetch, field, open_editor,
                           publish, serve, serve_process, wait_for)

BOOTH = "content/booths/lapas-cipinang"
NEW = f"{BOOTH}/keset-uji-baru"


def test_the_pinned_integrity_is_the_packages(decap):
    digest = hashlib.sha384((decap / "decap-cms.js").read_bytes()).digest()
    assert DECAP_INTEGRITY == "sha384-" + base64.b64encode(digest).decode("ascii")


@pytest.fixture(scope="module")
def editor(sample_build, tmp_path_factory, decap):
    """`showcase serve --admin` on a copy of the built sample (its caches too, so the
    first build reuses every photo) with `admin:` set and the site's own copy of the
    CMS; yields (site root, site URL)."""
    root = editor_site(sample_build.root, tmp_path_factory.mktemp("editor") / "site", decap)
    with serve_process(root, ["--admin", "--workers", "2"], "/pun-2019/",
                       ready="admin/config.yml", seconds=60) as (base, _port):
        yield root, base


@pytest.fixture(scope="module")
def cms(browser, editor):
    """A browser context in which every request that leaves 127.0.0.1 is recorded (and
    fails), and every answer of 400 or more."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(STEP)
    context.foreign, context.failed = [], []

    def elsewhere(route):
        context.foreign.append(route.request.url)
        route.abort()

    context.route(re.compile(r"https?://(?!127\.0\.0\.1[:/]).*"), elsewhere)
    context.on("response", lambda r: r.status >= 400 and "api/v1" not in r.url
               and context.failed.append(f"{r.status} {r.url}"))
    yield context
    context.close()


def test_the_configuration_passes_the_cms_own_schema(cms, editor):
    root, base = editor
    page = open_editor(cms, base + "admin/")
    page.get_by_text("Produk / Products: Lapas Kelas I Cipinang").first.wait_for()
    assert page.get_by_text("Error loading the CMS configuration").count() == 0
    assert not [e for e in page.errors if "Config" in e], page.errors
    page.close()

    # The check can fail: one field's setting the schema refuses is reported.
    def broken(route):
        config = yaml.safe_load(route.fetch().text())
        config["collections"][2]["fields"][0]["i18n"] = "sometimes"
        route.fulfill(body=yaml.safe_dump(config), content_type="text/yaml")

    cms.route("**/admin/config.yml", broken)
    try:
        page = open_editor(cms, base + "admin/")
        page.get_by_text("Error loading the CMS configuration").wait_for()
        assert "collections[2].fields[0].i18n" in page.inner_text("body")
        page.close()
    finally:
        cms.unroute("**/admin/config.yml", broken)
    assert cms.foreign == [] and cms.failed == []


def test_a_product_added_in_the_editor_is_saved_as_the_contract_says_and_previewed(
        cms, editor):
    root, base = editor
    started = time.monotonic()
    # What `showcase new product lapas-cipinang ...` would give now.
    code = scaffold.next_product_code("CPN", scaffold.read_site(root / "content").product_codes)
    page = open_editor(cms, base + "admin/")
    page.get_by_role("link", name="Produk / Products: Lapas Kelas I Cipinang").click()  # a booth
    page.locator('a[href$="/collections/products-lapas-cipinang/new"]').click()  # its New
    field(page, "name", "id").fill("Keset Uji Baru")
    field(page, "name", "en").fill("New test doormat")
    field(page, "category").fill("keset")
    page.keyboard.press("Enter")
    field(page, "from").fill("50000")
    field(page, "to").fill("120000")
    page.get_by_role("button", name=re.compile("Add images")).first.click()
    page.get_by_role("button", name="Choose an image").first.click()
    page.locator("input[type=file]").first.set_input_files(str(SUNSET))  # a phone's upload
    page.get_by_role("button", name="Choose selected").click()
    field(page, "alt", "id").fill("Keset di depan pintu")
    field(page, "alt", "en").fill("A doormat at the door")
    publish(page)

    folder = root / NEW
    # With `admin:` set, a new entry gets the name the online editor opens (index.md
    # without it: test_admin_local.py).
    assert sorted(p.name for p in folder.iterdir()) == ["index.id.md", "landscape-sunset.jpg"]
    assert (folder / "landscape-sunset.jpg").read_bytes() == SUNSET.read_bytes()
    text = (folder / "index.id.md").read_text("utf-8")
    data = yaml.safe_load(text.split("---\n")[1])
    assert data["code"] == code
    assert data["name"] == {"id": "Keset Uji Baru", "en": "New test doormat"}
    assert data["price"] == {"from": 50000, "to": 120000}
    assert data["images"] == [{"file": "landscape-sunset.jpg", "alt": {
        "id": "Keset di depan pintu", "en": "A doormat at the door"}}]
    assert cli.main(["check", "--content", str(root / "content")]) == 0

    product = base + "booths/lapas-cipinang/keset-uji-baru/"
    english = base + "en/booths/lapas-cipinang/keset-uji-baru/"
    html = wait_for(lambda: (r := fetch(product))[0] == 200 and r[1], seconds=15)
    assert "Keset Uji Baru" in html and 'class="price">Rp50.000–Rp120.000' in html
    assert "New test doormat" in fetch(english)[1]
    preview = cms.new_page()
    preview.goto(product)
    photo = preview.locator('img[alt="Keset di depan pintu"]').first
    photo.wait_for()
    assert preview.evaluate("i => i.complete && i.naturalWidth > 0", photo.element_handle())
    preview.close()

    # A second save of the same entry: its price changes on the page, its code stays.
    field(page, "from").fill("65000")
    publish(page)
    wait_for(lambda: "Rp65.000–Rp120.000" in fetch(product)[1], seconds=15)
    data = yaml.safe_load((folder / "index.id.md").read_text("utf-8").split("---\n")[1])
    assert data["code"] == code and data["price"] == {"from": 65000, "to": 120000}
    assert sorted(p.name for p in folder.iterdir()) == ["index.id.md", "landscape-sunset.jpg"]
    assert not [e for e in page.errors if "Config" in e or "Error" in e], page.errors
    assert cms.foreign == [] and cms.failed == []
    page.close()
    print(f"added, previewed and repriced in {time.monotonic() - started:.1f} s")


def test_a_page_of_another_origin_cannot_write(cms, editor, tmp_path):
    """What a web page the organiser has open could try: post to the editor's backend
    from its own origin, as JSON (the browser asks first, and is refused) and as a
    simple request (sent, and refused by the server). Nothing changes."""
    root, base = editor
    api = base + "admin/api/v1"
    before = {p: p.read_bytes() for p in (root / "content").rglob("*") if p.is_file()}
    (tmp_path / "index.html").write_text("<!doctype html><title>elsewhere</title>")
    with serve(tmp_path) as elsewhere:
        page = cms.new_page()
        page.goto(elsewhere)
        save = {"action": "persistMedia", "params": {"branch": "main", "asset": {
            "path": f"{BOOTH}/evil.jpg", "encoding": "base64",
            "content": base64.b64encode(DANDELIONS.read_bytes()).decode()},
            "options": {"commitMessage": "x"}}}
        results = page.evaluate("""async ([api, body]) => {
            const out = [];
            for (const [mode, type] of [['cors', 'application/json'], ['no-cors', 'text/plain']]) {
              try {
                const r = await fetch(api, {method: 'POST', mode, body,
                                            headers: {'Content-Type': type}});
                out.push('sent ' + r.type);
              } catch (e) { out.push('blocked ' + e.name); }
            }
            return out;
        }""", [api, json.dumps(save)])
        page.close()
    assert urlparse(elsewhere).port != urlparse(base).port
    # JSON across origins needs the server's leave, which it never gives; a simple request
    # is sent (the browser shows its answer to nobody) and refused by the server.
    assert results == ["blocked TypeError", "sent opaque"]
    after = {p: p.read_bytes() for p in (root / "content").rglob("*") if p.is_file()}
    assert after == before and not (root / BOOTH / "evil.jpg").exists()


def test_entries_written_by_hand_open_and_save_as_the_contract_reads_them(cms, editor):
    """The sample's own files, written the short way (`name: Lapas Kelas I Cipinang`,
    `price: 1250000`), open in the editor's object widgets and save without a loss."""
    root, base = editor
    page = open_editor(cms, base + "admin/")
    page.get_by_role("link", name="Produk / Products: Lapas Kelas I Cipinang").click()
    page.get_by_text("Kursi Jati Minimalis").first.click()
    assert field(page, "name", "en").input_value() == "Minimalist teak chair"
    assert field(page, "from").input_value() == "1250000"
    field(page, "from").fill("1300000")
    field(page, "to").fill("1300000")
    publish(page)
    chair = root / BOOTH / "kursi-jati-minimalis"
    assert sorted(p.name for p in chair.iterdir()) == [
        "index.en.md", "index.md", "kursi-depan.jpg", "kursi-samping.jpg"]
    data = yaml.safe_load((chair / "index.md").read_text("utf-8").split("---\n")[1])
    assert data["code"] == "CPN-001" and data["price"] == {"from": 1300000, "to": 1300000}
    assert data["name"] == {"id": "Kursi Jati Minimalis", "en": "Minimalist teak chair"}
    assert (chair / "index.en.md").read_text("utf-8").startswith("---\n---\nA teak dining chair")

    page.goto(base + "admin/#/collections/booths")  # the CMS routes on the hash: no reload
    page.get_by_text("Lapas Kelas I Cipinang", exact=True).first.click()
    field(page, "stand").fill("A-02")
    publish(page)
    booth = yaml.safe_load((root / BOOTH / "index.md").read_text("utf-8").split("---\n")[1])
    assert booth["name"] == {"id": "Lapas Kelas I Cipinang"} and booth["stand"] == "A-02"
    assert booth["code"] == "CPN"
    assert cli.main(["check", "--content", str(root / "content")]) == 0
    wait_for(lambda: "Rp1.300.000" in fetch(base + "booths/lapas-cipinang/kursi-jati-minimalis/")[1],
             seconds=15)
    assert not page.errors and cms.foreign == [] and cms.failed == []
    page.close()
