"""`showcase serve --admin` without a browser: Decap's local-backend protocol as the CMS
speaks it (JSON posted to one URL), what each answer looks like, where saves land, and
every request that must be refused without writing a byte. The real CMS driving the same
backend is in test_admin_browser.py."""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml

from showcase.commands import cli, scaffold
from showcase.commands.cmsbackend import LocalBackend, Request, own_hosts
from showcase.load import loader
from showcase.load.source import read
from tests.helpers import (BOOTH, DANDELIONS, HOST, KESET_DIR, NEW_EN, NEW_ID, ORIGIN, PORT,
                           PRODUCT, SUNSET, fetch, persist, post, serve_process, served_site,
                           wait_for)

BOOTH_FOLDER = "content/booths/lapas-uji"
NEW = "content/booths/lapas-uji/keset-baru"


def backend(site, saved=None) -> LocalBackend:
    return LocalBackend(site.content, saved=saved)


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


def without(text: str, line: str) -> str:
    """`text` less one line, which must be there."""
    lines = text.splitlines(keepends=True)
    lines.remove(line)
    return "".join(lines)


@pytest.fixture
def site(tmp_path):
    return served_site(tmp_path / "site")


# -- answers ---------------------------------------------------------------------------------

def test_info_says_the_local_file_system_and_simple_publishing(site):
    status, answer = post(backend(site), "info")
    assert status == 200
    assert answer == {"repo": "site", "publish_modes": ["simple"], "type": "local_fs"}


def front(text: str) -> dict:
    return yaml.safe_load(text.split("---\n")[1]) or {}


def test_a_folder_lists_its_entries_as_the_cms_names_them(site):
    """The booth's own index.md is one level above its products': the products'
    collection gets the products only, the default language named index.id.md."""
    site.write(f"{KESET_DIR}/index.en.md", "---\n---\nA thick coir mat.\n")
    status, entries = post(backend(site), "entriesByFolder",
                           {"folder": BOOTH_FOLDER, "extension": "md", "depth": 2})
    assert status == 200
    assert [e["file"]["path"] for e in entries] == [
        f"{KESET_DIR}/index.en.md", f"{KESET_DIR}/index.id.md"]
    for entry in entries:
        assert entry["file"]["id"] == hashlib.sha256(entry["data"].encode()).hexdigest()
    english, default = (e["data"] for e in entries)
    assert english == "---\n---\nA thick coir mat.\n"  # as it is on disk
    assert default.endswith("---\nKeset tebal dari sabut kelapa.\n")
    # The short forms the contract allows, written out as the editor's widgets hold them.
    assert front(default) == {
        "name": {"id": "Keset Sabut Kelapa", "en": "Coconut-coir doormat"}, "code": "UJI-001",
        "category": "keset", "price": {"from": 75000, "to": 75000},
        "materials": {"id": ["sabut kelapa", "karet"]}}

    status, booths = post(backend(site), "entriesByFolder",
                          {"folder": "content/booths", "extension": "md", "depth": 2})
    assert [e["file"]["path"] for e in booths] == [f"{BOOTH_FOLDER}/index.id.md"]
    assert front(booths[0]["data"])["name"] == {"id": "Lapas Uji"}


def test_a_translations_own_values_are_shown_in_the_form_of_every_language(site):
    """A translation file may override localised fields; the form edits them beside the
    default language's, so they are shown there, and the translation as its body."""
    site.write(f"{KESET_DIR}/index.en.md", "---\nname: Thick coir mat\n---\nA thick mat.\n")
    b = backend(site)
    status, default = post(b, "getEntry", {"path": f"{KESET_DIR}/index.id.md"})
    status, english = post(b, "getEntry", {"path": f"{KESET_DIR}/index.en.md"})
    assert front(default["data"])["name"] == {"id": "Keset Sabut Kelapa", "en": "Thick coir mat"}
    assert english["data"] == "---\n---\nA thick mat.\n"
    # Saved as the CMS saves it, the site reads the same.
    post(b, "persistEntry", persist([(f"{KESET_DIR}/index.id.md", default["data"]),
                                     (f"{KESET_DIR}/index.en.md", english["data"])]))
    assert cli.main(["check", "--content", str(site.content)]) == 0
    built, _ = loader.load(site.content, loader.LoadOptions())
    product = next(iter(built.products))
    assert product.name.get("en") == "Thick coir mat" and product.price.low == 75000


def test_an_unreadable_file_is_shown_as_it_is(site):
    broken = "---\nname: [unclosed\n---\nBody\n"
    site.write(PRODUCT, broken)
    status, entry = post(backend(site), "getEntry", {"path": f"{KESET_DIR}/index.id.md"})
    assert entry["data"] == broken


def test_entries_by_files_get_entry_and_a_missing_file(site):
    b = backend(site)
    status, entries = post(b, "entriesByFiles", {"files": [
        {"path": "content/site.yaml", "label": "Site"}]})
    assert status == 200 and entries[0]["file"]["label"] == "Site"
    settings = yaml.safe_load(entries[0]["data"])
    assert settings["title"] == {"id": "Pameran Uji", "en": "Test Fair"}
    assert settings["categories"]["batik"] == {"name": {"id": "Batik"}}  # was `name: Batik`
    status, entry = post(b, "getEntry", {"path": f"{KESET_DIR}/index.id.md"})
    assert status == 200 and entry["file"]["path"] == f"{KESET_DIR}/index.id.md"
    assert "code: UJI-001" in entry["data"]
    status, entry = post(b, "getEntry", {"path": f"{NEW}/index.id.md"})
    assert status == 200 and entry == {"data": None, "file": {"path": f"{NEW}/index.id.md",
                                                                "id": None}}


def test_media_lists_the_photos_beside_an_entry_and_not_the_entry(site):
    site.write(f"{KESET_DIR}/sabut.jpg", SUNSET.read_bytes())
    b = backend(site)
    status, media = post(b, "getMedia", {"mediaFolder": KESET_DIR})
    assert status == 200 and [m["name"] for m in media] == ["sabut.jpg"]
    assert media[0]["path"] == f"{KESET_DIR}/sabut.jpg" and media[0]["encoding"] == "base64"
    assert base64.b64decode(media[0]["content"]) == SUNSET.read_bytes()
    assert media[0]["id"] == hashlib.sha256(SUNSET.read_bytes()).hexdigest()
    status, one = post(b, "getMediaFile", {"path": f"{KESET_DIR}/sabut.jpg"})
    assert status == 200 and one == media[0]
    status, uploaded = post(b, "persistMedia", {
        "asset": {"path": f"{KESET_DIR}/bunga.jpg", "encoding": "base64",
                  "content": base64.b64encode(DANDELIONS.read_bytes()).decode()},
        "options": {"commitMessage": "Upload"}})
    assert status == 200 and uploaded["name"] == "bunga.jpg"
    assert (site.root / KESET_DIR / "bunga.jpg").read_bytes() == DANDELIONS.read_bytes()
    status, answer = post(b, "deleteFiles", {"paths": [f"{KESET_DIR}/bunga.jpg"],
                                             "options": {"commitMessage": "Delete"}})
    assert status == 200 and not (site.root / KESET_DIR / "bunga.jpg").exists()
    assert post(b, "getDeployPreview", {"collection": "x", "slug": "y"}) == (200, None)
    status, answer = post(b, "unpublishedEntries")
    assert status == 422 and "unpublishedEntries" in answer["error"]


# -- saves -----------------------------------------------------------------------------------

def test_a_new_product_is_written_as_the_contract_says_with_the_next_free_code(site, tmp_path):
    twin = tmp_path / "twin"
    shutil.copytree(site.content, twin)
    expected = scaffold.read_site(twin)  # what `showcase new product` would have seen
    made = scaffold.new_product(twin, "lapas-uji", "keset-baru")
    code = str(read(made).data["code"])
    assert code == scaffold.next_product_code("UJI", expected.product_codes) == "UJI-002"

    saves = []
    status, answer = post(backend(site, saved=lambda: saves.append(1)), "persistEntry", persist(
        [(f"{NEW}/index.id.md", NEW_ID), (f"{NEW}/index.en.md", NEW_EN)],
        [(f"{NEW}/sabut.jpg", SUNSET.read_bytes())]))
    assert (status, answer) == (200, {"message": "entry persisted"})
    assert saves == [1]
    folder = site.root / NEW
    assert sorted(p.name for p in folder.iterdir()) == ["index.en.md", "index.md", "sabut.jpg"]
    written = (folder / "index.md").read_text("utf-8")
    assert without(written, f"code: {code}\n") == NEW_ID  # the CMS's text, and the code
    assert (folder / "index.en.md").read_text("utf-8") == NEW_EN
    assert (folder / "sabut.jpg").read_bytes() == SUNSET.read_bytes()
    assert cli.main(["check", "--content", str(site.content)]) == 0
    built, problems = loader.load(site.content, loader.LoadOptions())
    product = next(p for p in built.products if p.code == "UJI-002")
    assert product.name.get("en") == "New doormat" and product.price.low == 50000


def test_an_edit_goes_back_to_the_file_the_entry_has_and_keeps_its_code(site):
    b = backend(site)
    status, entry = post(b, "getEntry", {"path": f"{KESET_DIR}/index.id.md"})
    changed = entry["data"].replace("75000", "80000").replace("code: UJI-001\n", "")
    status, answer = post(b, "persistEntry", persist([(f"{KESET_DIR}/index.id.md", changed)]))
    assert status == 200
    folder = site.root / KESET_DIR
    assert sorted(p.name for p in folder.iterdir()) == ["index.md"]
    text = (folder / "index.md").read_text("utf-8")
    assert "from: 80000" in text and "code: UJI-001" in text
    assert cli.main(["check", "--content", str(site.content)]) == 0


def test_an_entry_named_as_the_cms_names_it_stays_so(site):
    (site.root / PRODUCT).rename(site.root / KESET_DIR / "index.id.md")
    b = backend(site)
    status, entries = post(b, "entriesByFolder",
                           {"folder": BOOTH_FOLDER, "extension": "md", "depth": 2})
    assert f"{KESET_DIR}/index.id.md" in [e["file"]["path"] for e in entries]
    status, entry = post(b, "getEntry", {"path": f"{KESET_DIR}/index.id.md"})
    post(b, "persistEntry", persist([(f"{KESET_DIR}/index.id.md",
                                      entry["data"].replace("75000", "76000"))]))
    folder = site.root / KESET_DIR
    assert sorted(p.name for p in folder.iterdir()) == ["index.id.md"]
    assert "to: 76000" in (folder / "index.id.md").read_text("utf-8")


def test_a_new_booth_gets_a_code_from_its_slug(site):
    raw = "---\nname: Rutan Pondok Bambu\n---\n"
    post(backend(site), "persistEntry", persist(
        [("content/booths/rutan-pondok-bambu/index.id.md", raw)]))
    text = (site.content / "booths/rutan-pondok-bambu/index.md").read_text("utf-8")
    assert without(text, "code: RPB\n") == raw


# -- refusals: nothing written ---------------------------------------------------------------

@pytest.mark.parametrize("headers, status", [
    ({"origin": "https://evil.example"}, 403),
    ({"origin": "http://localhost:8123"}, 403),      # another origin than the page's own
    ({"origin": None}, 403),
    ({"host": "evil.example:8123", "origin": "http://evil.example:8123"}, 403),  # rebinding
    ({"site": "cross-site"}, 403),
    ({"kind": "application/x-www-form-urlencoded"}, 415),
    ({"kind": "text/plain"}, 415),
    ({"method": "GET"}, 405),
])
def test_a_request_from_anywhere_but_the_editor_is_refused(site, headers, status):
    before = snapshot(site.root)
    answer = post(backend(site), "persistEntry", persist(
        [(f"{NEW}/index.id.md", NEW_ID)]), **headers)
    assert answer[0] == status and answer[1]["error"].startswith("refused")
    assert snapshot(site.root) == before


@pytest.mark.parametrize("path", [
    "content/../../outside.md", "../outside.md", "content/booths/../../outside.md",
    "/tmp/outside.md", "C:/outside.md", "content\\booths\\x\\index.md", "site.yaml",
    "themes/default/templates/base.html", "content/.git/config", "output/index.html",
    "content/booths/lapas-uji/CON.jpg", "content/booths/lapas-uji/nul", "content/a:b.jpg",
])
def test_a_path_that_leaves_the_content_is_refused(site, path):
    before = snapshot(site.root.parent)
    status, answer = post(backend(site), "persistEntry", persist(
        [(f"{NEW}/index.id.md", NEW_ID), (path, NEW_EN)]))
    assert status == 403 and answer["error"].startswith("refused") and path in answer["error"]
    assert snapshot(site.root.parent) == before  # the good file of the same save neither
    status, answer = post(backend(site), "getEntry", {"path": path})
    assert status == 403


def test_a_photo_to_an_outside_path_is_refused_and_the_entry_not_written(site):
    before = snapshot(site.root.parent)
    status, answer = post(backend(site), "persistEntry", persist(
        [(f"{NEW}/index.id.md", NEW_ID)], [("content/../evil.jpg", SUNSET.read_bytes())]))
    assert status == 403 and snapshot(site.root.parent) == before


def _symlink(link: Path, target: Path, is_dir: bool) -> None:
    try:
        link.symlink_to(target, target_is_directory=is_dir)
    except (OSError, NotImplementedError) as exc:  # Windows without the right to
        pytest.skip(f"cannot make a symbolic link here: {exc}")


def test_a_symlinked_target_or_parent_is_refused(site, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text("---\n---\nsecret\n")
    _symlink(site.root / KESET_DIR / "linked.jpg", outside / "secret.md", False)
    _symlink(site.root / BOOTH_FOLDER / "linked-folder", outside, True)
    before = snapshot(tmp_path)
    b = backend(site)
    for path in (f"{KESET_DIR}/linked.jpg", f"{BOOTH_FOLDER}/linked-folder/index.id.md",
                 f"{BOOTH_FOLDER}/linked-folder/secret.md"):
        status, answer = post(b, "persistEntry", persist([(path, NEW_EN)]))
        assert status == 403 and "symbolic link" in answer["error"], answer
        status, answer = post(b, "persistMedia", {"asset": {
            "path": path.replace(".md", ".jpg"), "encoding": "base64", "content": "AAAA"},
            "options": {"commitMessage": "x"}})
        assert status == 403
        assert post(b, "getEntry", {"path": path})[0] == 403
        assert post(b, "deleteFiles", {"paths": [path], "options": {"commitMessage": "x"}})[0] == 403
    assert post(b, "getMedia", {"mediaFolder": f"{BOOTH_FOLDER}/linked-folder"})[0] == 403
    # and a listing does not follow the link either
    status, entries = post(b, "entriesByFolder",
                           {"folder": BOOTH_FOLDER, "extension": "md", "depth": 2})
    assert all("linked" not in e["file"]["path"] for e in entries)
    assert snapshot(tmp_path) == before


def test_bad_requests_are_answered_with_an_error_the_cms_shows(site):
    b = backend(site)
    assert post(b, "launchMissiles")[0] == 422
    status, answer = post(b, "persistEntry", {"dataFiles": [{"path": f"{NEW}/index.id.md"}],
                                              "assets": []})
    assert status == 422 and "error" in answer
    status, answer = post(b, "persistEntry", persist([(f"{NEW}/photo.jpg", "x")]))
    assert status == 403
    status, answer = post(b, "persistMedia", {"asset": {
        "path": f"{NEW}/x.jpg", "encoding": "base64", "content": "not base64!"}})
    assert status == 422 and not (site.root / NEW).exists()
    raw = Request("POST", HOST, ORIGIN, None, "application/json", b"{not json")
    assert b.answer(raw, own_hosts("127.0.0.1", PORT))[0] == 400


# -- the command -----------------------------------------------------------------------------

@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20", "::", "example.org"])
def test_admin_refuses_a_host_other_computers_can_reach(site, host, capsys):
    assert cli.main(["serve", "--admin", "--host", host, "--content", str(site.content)]) == 2
    err = capsys.readouterr().err
    assert "--admin" in err and host in err
    assert not (site.root / "output").exists()


@pytest.fixture
def admin_served(site):
    with serve_process(site.root, ["--admin", "--content", str(site.content), "--output",
                                   str(site.output), "--workers", "1"], "/pun-2019/") as (base, port):
        yield site, base, port


def http_post(url: str, payload: dict, origin: str | None) -> tuple[int, dict]:
    headers = {"Content-Type": "application/json"}
    if origin:
        headers["Origin"] = origin
    request = urllib.request.Request(url, json.dumps(payload).encode(), headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_the_served_backend_refuses_other_origins_and_a_save_rebuilds_the_preview(admin_served):
    site, base, port = admin_served
    api = f"{base}admin/api/v1"
    page = f"{base}booths/lapas-uji/keset/"
    assert "75.000" in fetch(page)[1]
    before = snapshot(site.content)
    save = {"action": "persistEntry", "params": persist([(f"{KESET_DIR}/index.id.md", (
        site.root / PRODUCT).read_text("utf-8").replace("75000", "82500"))])}
    status, answer = http_post(api, save, "https://evil.example")
    assert status == 403 and "refused" in answer["error"]
    status, answer = http_post(api, save, None)
    assert status == 403
    assert snapshot(site.content) == before
    status, answer = http_post(api, {"action": "info"}, f"http://127.0.0.1:{port}")
    assert status == 200 and answer["type"] == "local_fs"

    started = time.monotonic()
    status, answer = http_post(api, save, f"http://127.0.0.1:{port}")
    assert status == 200
    wait_for(lambda: "82.500" in fetch(page)[1], seconds=10)
    seconds = time.monotonic() - started
    assert seconds < 5, f"the preview took {seconds:.1f} s to show a save"
    # The answers are JSON, with nothing of livereload's injected in them.
    status, entry = http_post(api, {"action": "getEntry", "params": {
        "path": f"{KESET_DIR}/index.id.md"}}, f"http://127.0.0.1:{port}")
    assert status == 200 and "82500" in entry["data"]


def test_a_translation_the_cms_writes_as_a_bare_body_gets_its_front_matter(site):
    """Decap writes a file with no field besides its body as the body alone, and an
    untouched translation of a new entry as a line break."""
    b = backend(site)
    photo = [(f"{NEW}/sabut.jpg", SUNSET.read_bytes())]
    post(b, "persistEntry", persist([(f"{NEW}/index.id.md", NEW_ID), (f"{NEW}/index.en.md", "\n")],
                                    photo))
    assert sorted(p.name for p in (site.root / NEW).iterdir()) == ["index.md", "sabut.jpg"]
    post(b, "persistEntry", persist([(f"{NEW}/index.id.md", NEW_ID),
                                     (f"{NEW}/index.en.md", "A new coir mat.\n")]))
    assert (site.root / NEW / "index.en.md").read_text("utf-8") == "---\n---\nA new coir mat.\n"
    assert cli.main(["check", "--content", str(site.content)]) == 0


def test_the_editor_is_served_pointed_at_this_server_and_never_written_into_output(
        admin_served):
    """Without `admin:` in site.yaml the editor is made for the local server alone; its
    page carries no live-reload script (a reload would lose what is being typed)."""
    site, base, port = admin_served
    status, config = fetch(base + "admin/config.yml")
    assert status == 200
    config = yaml.safe_load(config)
    assert config["local_backend"] == {"url": f"http://127.0.0.1:{port}/pun-2019/admin/api/v1"}
    folders = [c.get("folder") for c in config["collections"]]
    assert "content/booths/lapas-uji" in folders  # the products of the site's one booth
    status, page = fetch(base + "admin/")
    assert status == 200 and 'rel="cms-config-url"' in page and "livereload" not in page
    assert "livereload" in fetch(base)[1]  # the preview's own pages keep it
    assert not (site.output / "admin").exists()
    # Opened as http://[::1]:port/, the backend is that address, which the CMS must be
    # told to trust (it trusts localhost and 127.0.0.1 only); a foreign Host gets none.
    for host, url, allowed in ((f"[::1]:{port}", f"http://[::1]:{port}", ["[::1]"]),
                               ("evil.example", f"http://127.0.0.1:{port}", None)):
        request = urllib.request.Request(base + "admin/config.yml", headers={"Host": host})
        with urllib.request.urlopen(request, timeout=10) as response:
            local = yaml.safe_load(response.read())["local_backend"]
        assert local["url"] == url + "/pun-2019/admin/api/v1"
        assert local.get("allowed_hosts") == allowed


def test_a_file_that_cannot_be_written_is_an_error_the_cms_shows(site):
    """A folder in the way where a file is (or a full disk): an error, not a crash."""
    status, answer = post(backend(site), "persistMedia", {"asset": {
        "path": f"{PRODUCT}/x.jpg", "encoding": "base64", "content": "AAAA"}})
    assert status == 500 and "could not read or write" in answer["error"]
    assert (site.root / PRODUCT).is_file()


def test_a_product_deleted_in_the_editor_goes_with_its_photos(site):
    """Decap deletes an entry's files, one per language; the photos beside them were
    its page bundle, and a folder of photos without index.md would stop every build."""
    site.write(f"{KESET_DIR}/sabut.jpg", SUNSET.read_bytes())
    site.write(f"{KESET_DIR}/index.en.md", "---\n---\nA mat.\n")
    status, answer = post(backend(site), "deleteFiles", {"paths": [
        f"{KESET_DIR}/index.id.md", f"{KESET_DIR}/index.en.md"],
        "options": {"commitMessage": "Delete"}})
    assert status == 200 and not (site.root / KESET_DIR).exists()
    assert (site.root / BOOTH).is_file()
    # A booth keeps its folder: its products are in it.
    post(backend(site), "deleteFiles", {"paths": [f"{BOOTH_FOLDER}/index.id.md"],
                                        "options": {"commitMessage": "Delete"}})
    assert (site.root / BOOTH_FOLDER).is_dir() and not (site.root / BOOTH).exists()
