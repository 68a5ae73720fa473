"""`showcase admin prepare`: the content made ready for the online editor, which reads the
repository with nothing in between (issue 17). On a copy of the sample: entries renamed
to the editor's names, short values written long with every comment kept, the built
site byte for byte the same, `check` without the editor's warnings, a second run
changing nothing; and nothing at all written when one entry stands in the way. The
editor's own naming for new entries (`new`, `serve --admin`) is tested here too."""

from __future__ import annotations

import re
import shutil
import textwrap
from pathlib import Path

import pytest
import yaml

from showcase.commands import cli, scaffold
from showcase.commands.cmsbackend import LocalBackend
from showcase.commands.editorform import as_form
from showcase.load import fields
from showcase.load.source import read_markdown
from tests.helpers import (BOOTH, NEW_EN, NEW_ID, PRODUCT, PRINT_BASE_URL, REPO, STEP, SUNSET,
                           SiteDir, editor_site, field, open_editor, persist, post, publish,
                           serve_process, served_site, tree)

NEW = "content/booths/lapas-uji/keset-baru"
ADMIN_YAML = "\nadmin:\n  repo: panitia/pameran-2019\n"


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


def comments(data: bytes) -> list[str]:
    return [line.strip() for line in data.decode("utf-8").splitlines()
            if line.strip().startswith("#") or " #" in line and ":" in line]


@pytest.fixture(scope="module")
def prepared(tmp_path_factory):
    """The sample with `admin:` set, built, prepared, built again; (site, before, printed,
    files before)."""
    root = tmp_path_factory.mktemp("prepare")
    shutil.copytree(REPO / "content", root / "content")
    with (root / "content" / "site.yaml").open("a", encoding="utf-8") as out:
        out.write(ADMIN_YAML)
    site = SiteDir(root)
    before = snapshot(site.content)
    result = site.build(output=root / "before", workers=2)
    assert result.ok, "\n".join(map(str, result.errors))
    return site, before


@pytest.fixture(scope="module")
def first_run(prepared):
    site, before = prepared
    import contextlib
    import io
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(["admin", "prepare", "--content", str(site.content)])
    assert code == 0, err.getvalue()
    return out.getvalue(), err.getvalue()


def test_every_entry_gets_the_name_the_editor_opens(prepared, first_run):
    site, before = prepared
    after = snapshot(site.content)
    renamed = [name for name in before if re.search(r"(^|/)index\.md$", name)
               or re.fullmatch(r"pages/[a-z-]+\.md", name)]
    assert len(renamed) > 30
    for name in renamed:
        wanted = re.sub(r"\.md$", ".id.md", name)
        assert name not in after and wanted in after, name
    assert not [n for n in after if n.endswith("/index.md")]
    out, err = first_run
    assert "renamed booths/lapas-cipinang/index.md to index.id.md" in out.replace(
        str(site.content.parent) + "/", "").replace("content/", "")
    # index.yaml is said, not converted
    assert "booths/rutan-salemba/index.yaml" in after
    assert "rutan-salemba/index.yaml: not changed" in err and "index.id.md" in err


def test_short_values_are_written_long_with_every_comment_kept(prepared, first_run):
    site, before = prepared
    after = snapshot(site.content)
    talenan = after["booths/lapas-cipinang/talenan-kayu-jati/index.id.md"].decode("utf-8")
    assert "price: {from: 65000, to: 65000}\n" in talenan
    # the translation's name is taken in; the translation keeps its text only
    assert "  id: Talenan Kayu Jati\n  en: Teak chopping board\n" \
           "  # en: in index.en.md, beside this file\n" in talenan
    en = after["booths/lapas-cipinang/talenan-kayu-jati/index.en.md"].decode("utf-8")
    assert en.startswith("---\n---\nA cutting board")
    assert "name: {id: Lapas Kelas I Cipinang}\n" in \
        after["booths/lapas-cipinang/index.id.md"].decode("utf-8")
    for name, data in before.items():
        if not name.endswith((".md", ".yaml")):
            continue
        new = re.sub(r"(index|pages/[a-z-]+)\.md$", r"\1.id.md", name)
        kept = after[new] if new in after else after[name]
        assert all(c in comments(kept) for c in comments(data)), name
        if name.endswith(".md"):  # the text after the front matter is untouched
            assert read_markdown(kept).body == read_markdown(data).body, name


def test_the_editor_would_see_exactly_each_file(prepared, first_run):
    """`as_form` (what serve --admin widens a file to) changes nothing of a prepared
    file: on GitHub, where nothing widens, the editor sees the same."""
    site, _ = prepared
    languages = ("id", "en")
    checked = 0
    for path in sorted(site.content.rglob("*.id.md")):
        rel = path.relative_to(site.content).parts
        record = (fields.PAGE if rel[0] == "pages" else
                  {2: fields.BOOTH, 3: fields.PRODUCT}[len(rel) - 1])
        doc = read_markdown(path.read_bytes())
        data = dict(doc.data)
        assert as_form(record, data, languages) == data, path
        for lang in languages[1:]:
            translation = path.with_name(path.name.replace(".id.md", f".{lang}.md"))
            if translation.is_file():
                held = read_markdown(translation.read_bytes()).data
                assert not [f.name for f in record.fields if f.localised and f.name in held]
        checked += 1
    assert checked > 40
    backend = LocalBackend(site.content)
    rel = "content/booths/lapas-cipinang/talenan-kayu-jati/index.id.md"
    assert backend._read_presented(rel) == (site.root / rel).read_text("utf-8")


def test_the_built_site_is_the_same_and_check_has_no_editor_warning(prepared, first_run,
                                                                     capsys):
    site, _ = prepared
    result = site.build(output=site.root / "after", workers=2)
    assert result.ok
    assert tree(site.root / "after") == tree(site.root / "before")
    capsys.readouterr()
    cli.main(["check", "--content", str(site.content), "--base-url", PRINT_BASE_URL])
    said = capsys.readouterr()
    editor = [line for line in (said.out + said.err).splitlines() if "browser editor" in line]
    # One left: the index.yaml booth, which prepare names and the organiser rewrites.
    assert len(editor) == 1 and "index.yaml" in editor[0], editor
    assert "git mv" not in said.out + said.err


def test_a_second_run_changes_nothing(prepared, first_run, capsys):
    site, _ = prepared
    files = snapshot(site.content)
    capsys.readouterr()
    assert cli.main(["admin", "prepare", "--content", str(site.content)]) == 0
    out = capsys.readouterr().out
    assert "nothing to change" in out and "renamed" not in out
    assert snapshot(site.content) == files


# -- all or nothing --------------------------------------------------------------------------

def test_one_unreadable_entry_stops_every_change(tmp_path, capsys):
    site = served_site(tmp_path / "site", {
        "content/booths/lapas-uji/rusak/index.md": "---\nname: [Rusak\ncode: UJI-009\n---\nx\n"})
    files = snapshot(site.content)
    assert cli.main(["admin", "prepare", "--content", str(site.content)]) == 1
    err = capsys.readouterr().err
    assert "rusak/index.md" in err and "nothing was changed" in err
    assert snapshot(site.content) == files


def test_a_name_that_is_taken_is_reported_and_nothing_is_written(tmp_path, capsys):
    site = served_site(tmp_path / "site", {
        "content/pages/tentang.md": "---\ntitle: Tentang\n---\nA\n",
        "content/pages/tentang.id.md": "---\ntitle: Tentang lagi\n---\nB\n"})
    files = snapshot(site.content)
    assert cli.main(["admin", "prepare", "--content", str(site.content)]) == 1
    err = capsys.readouterr().err
    assert "tentang.md" in err and "tentang.id.md" in err and "nothing was changed" in err
    assert snapshot(site.content) == files


def test_the_scaffolds_comments_survive(tmp_path, capsys):
    """A product `new` wrote before the editor was turned on: prepared, it keeps every
    comment the scaffold wrote to explain its fields."""
    site = served_site(tmp_path / "site")
    made = scaffold.new_product(site.content, "lapas-uji", "keset-baru")
    assert made.name == "index.md"
    text = made.read_bytes()
    (site.content / "site.yaml").write_text(
        (site.content / "site.yaml").read_text("utf-8") + ADMIN_YAML, "utf-8")
    assert cli.main(["admin", "prepare", "--content", str(site.content)]) == 0
    prepared = made.with_name("index.id.md")
    assert not made.exists() and prepared.is_file()
    assert len(comments(text)) > 10
    assert comments(prepared.read_bytes()) == comments(text)
    product = (site.root / PRODUCT).with_name("index.id.md").read_text("utf-8")
    assert "price: {from: 75000, to: 75000}\n" in product
    assert "name: {id: Lapas Uji}\n" in (site.root / BOOTH).with_name("index.id.md") \
        .read_text("utf-8")
    capsys.readouterr()
    assert cli.main(["check", "--content", str(site.content)]) == 0
    said = capsys.readouterr()
    assert "browser editor" not in said.out + said.err


# -- new entries get the editor's name ----------------------------------------------------------

def test_new_writes_the_editors_name_when_admin_is_set(tmp_path):
    site = served_site(tmp_path / "site")
    (site.content / "site.yaml").write_text(
        (site.content / "site.yaml").read_text("utf-8") + ADMIN_YAML, "utf-8")
    booth = scaffold.new_booth(site.content, "lapas-baru")
    product = scaffold.new_product(site.content, "lapas-baru", "tas")
    assert (booth.name, product.name) == ("index.id.md", "index.id.md")
    assert scaffold.code_of(product.parent) == f"{scaffold.code_of(booth.parent)}-001"


def test_serve_admin_writes_a_new_entry_under_the_editors_name_when_admin_is_set(tmp_path):
    site = served_site(tmp_path / "site")
    (site.content / "site.yaml").write_text(
        (site.content / "site.yaml").read_text("utf-8") + ADMIN_YAML, "utf-8")
    status, answer = post(LocalBackend(site.content), "persistEntry", persist(
        [(f"{NEW}/index.id.md", NEW_ID), (f"{NEW}/index.en.md", NEW_EN)]))
    assert status == 200, answer
    folder = site.root / NEW
    assert sorted(p.name for p in folder.iterdir()) == ["index.en.md", "index.id.md"]
    assert "code: UJI-002" in (folder / "index.id.md").read_text("utf-8")


def test_a_block_list_of_photos_is_widened_line_by_line_keeping_its_comments(tmp_path):
    keset = "content/booths/lapas-uji/keset/index.md"
    site = served_site(tmp_path / "site", {keset: """\
        ---
        name: Keset  # nama
        code: UJI-001
        category: keset
        price: 75000
        images:
          # the front first
          - keset.jpg   # depan
          # the back
          - "keset-2.jpg"
          - file: keset-3.jpg
            alt: Keset dari samping  # sisi
        ---
        Teks.
        """})
    folder = site.root / keset
    for name in ("keset.jpg", "keset-2.jpg", "keset-3.jpg"):
        shutil.copy(SUNSET, folder.parent / name)
    before = site.build(output=tmp_path / "before")
    assert before.ok, before.errors
    assert cli.main(["admin", "prepare", "--content", str(site.content)]) == 0
    assert folder.with_name("index.id.md").read_text("utf-8") == textwrap.dedent("""\
        ---
        name: {id: Keset}  # nama
        code: UJI-001
        category: keset
        price: {from: 75000, to: 75000}
        images:
          # the front first
          - file: keset.jpg   # depan
          # the back
          - file: "keset-2.jpg"
          - file: keset-3.jpg
            alt: {id: Keset dari samping}  # sisi
        ---
        Teks.
        """)
    assert site.build(output=tmp_path / "after").ok
    assert tree(tmp_path / "after") == tree(tmp_path / "before")


# -- the real editor, seeing the files as GitHub would give them ---------------------------

@pytest.fixture(scope="module")
def unwidened(sample_build, tmp_path_factory, decap):
    """The sample, prepared, under `serve --admin` with its widening turned off: the
    editor gets each file exactly as it is on disk, as on GitHub. (site root, URL)."""
    root = editor_site(sample_build.root, tmp_path_factory.mktemp("unwidened") / "site", decap)
    assert cli.main(["admin", "prepare", "--content", str(root / "content")]) == 0
    script = ("import sys; from showcase.commands import cli, cmsbackend; "
              "cmsbackend.LocalBackend.widen = False; sys.exit(cli.main(sys.argv[1:]))")
    with serve_process(root, ["--admin", "--workers", "2"], "/pun-2019/",
                       ready="admin/config.yml", seconds=60, python=("-c", script)) as (base, _port):
        yield root, base


def test_prepared_entries_open_and_save_in_the_editor_as_they_are(browser, unwidened):
    root, base = unwidened
    backend = LocalBackend(root / "content")
    backend.widen = False
    chair = root / "content" / "booths" / "lapas-cipinang" / "kursi-jati-minimalis"
    rel = "content/booths/lapas-cipinang/kursi-jati-minimalis/index.id.md"
    assert backend._read_presented(rel) == (chair / "index.id.md").read_text("utf-8")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(STEP)
    foreign = []
    context.route(re.compile(r"https?://(?!127\.0\.0\.1[:/]).*"),
                  lambda route: (foreign.append(route.request.url), route.abort()))
    page = open_editor(context, base + "admin/")
    page.get_by_role("link", name="Produk / Products: Lapas Kelas I Cipinang").click()
    page.get_by_text("Kursi Jati Minimalis").first.click()
    assert field(page, "name", "en").input_value() == "Minimalist teak chair"
    assert field(page, "from").input_value() == "1250000"
    field(page, "from").fill("1300000")
    field(page, "to").fill("1300000")
    publish(page)
    assert sorted(p.name for p in chair.iterdir()) == [
        "index.en.md", "index.id.md", "kursi-depan.jpg", "kursi-samping.jpg"]
    data = yaml.safe_load((chair / "index.id.md").read_text("utf-8").split("---\n")[1])
    assert data["price"] == {"from": 1300000, "to": 1300000} and data["code"] == "CPN-001"

    page.goto(base + "admin/#/collections/products-lapas-cipinang")
    page.get_by_text("Talenan Kayu Jati").first.click()
    assert field(page, "name", "en").input_value() == "Teak chopping board"
    assert not page.errors and foreign == []
    page.close()
    context.close()
    assert cli.main(["check", "--content", str(root / "content")]) == 0
