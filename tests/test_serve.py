"""`showcase serve` as an organiser uses it: edit, see it; break, see why; fix, see it."""

from __future__ import annotations

import asyncio
import json

import pytest
from tornado.websocket import websocket_connect

from tests.helpers import KESET_PAGE, PRODUCT_MD, SiteDir, fetch, serve_process


@pytest.fixture
def served(make_site):
    site: SiteDir = make_site()
    with serve_process(site.root, ["--content", str(site.content), "--output", str(site.output),
                                   "--workers", "1"], "/pun/") as (base, port):
        yield site, base, port


async def reload_after(port: int, edit) -> dict:
    """Connect as livereload.js does, make the edit, and return the reload message."""
    socket_ = await websocket_connect(f"ws://127.0.0.1:{port}/livereload")
    await socket_.write_message(json.dumps({"command": "hello", "protocols": [
        "http://livereload.com/protocols/official-7"]}))
    assert json.loads(await socket_.read_message())["command"] == "hello"
    await socket_.write_message(json.dumps({"command": "info", "url": "http://x/", "plugins": {}}))
    # livereload polls every 0.8 s and sends a reload or two as it starts and takes its
    # first look at the files: let those pass before editing.
    await asyncio.sleep(2)
    while True:
        try:
            await asyncio.wait_for(socket_.read_message(), timeout=1)
        except asyncio.TimeoutError:
            break
    edit()
    message = json.loads(await asyncio.wait_for(socket_.read_message(), timeout=20))
    socket_.close()
    return message


def test_an_edit_is_served_and_the_browser_told_to_reload(served):
    site, base, port = served
    status, page = fetch(base + KESET_PAGE)
    assert status == 200 and "Keset Sabut Kelapa" in page
    assert "livereload.js" in page  # injected as served...
    assert "livereload" not in (site.output / KESET_PAGE / "index.html").read_text("utf-8")  # ...not built in
    product = site.content / KESET_PAGE / "index.md"
    message = asyncio.run(reload_after(port, lambda: product.write_text(
        PRODUCT_MD.replace("Keset Sabut Kelapa", "Keset Serabut Baru"), "utf-8")))
    assert message["command"] == "reload", message
    assert "Keset Serabut Baru" in fetch(base + KESET_PAGE)[1], message


def test_a_broken_file_shows_its_problems_until_it_is_fixed(served):
    site, base, port = served
    product = site.content / KESET_PAGE / "index.md"
    broken = PRODUCT_MD.replace("price: 75000", "price: 75rb").replace("category: keset", "categori: keset")
    asyncio.run(reload_after(port, lambda: product.write_text(broken, "utf-8")))
    status, page = fetch(base + KESET_PAGE)
    assert "3 problems in the content" in page  # price, the misspelt key, the missing category
    assert "content/booths/lapas-uji/keset/index.md:5</code> <b>price</b>" in page
    assert "did you mean &#x27;category&#x27;?" in page
    assert fetch(base)[1] == page  # every page shows them
    assert "Keset Sabut Kelapa" in (site.output / KESET_PAGE / "index.html").read_text("utf-8")
    asyncio.run(reload_after(port, lambda: product.write_text(PRODUCT_MD, "utf-8")))
    status, page = fetch(base + KESET_PAGE)
    assert status == 200 and "Keset Sabut Kelapa" in page and "problem" not in page


def test_paths_outside_the_site_and_missing_pages(served):
    site, base, port = served
    status, page = fetch(f"http://127.0.0.1:{port}/")  # followed to the base path
    assert status == 200 and "<html" in page
    status, page = fetch(base + "no-such-page/")
    assert status == 404 and page == (site.output / "404.html").read_text("utf-8").replace(
        "</head>", page[page.index("<script"):page.index("</head>")] + "</head>", 1)
    status, page = fetch(base + "en/booths/no-such-booth/")  # in English: en/404.html
    assert status == 404 and "Page not found" in page and '<html lang="en">' in page
    assert fetch(base + "../../etc/passwd")[0] == 404
