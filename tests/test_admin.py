"""The browser editor (issue 17), as a build writes it and as the commands around it
treat its files: admin/ made from the field registry, never leaking into the public
site; the editor's file naming read as the contract's; `codes` filling what the editor
cannot; `check --format github` and the starter's workflow for pull requests.

`serve --admin` and the tests that drive the real CMS in Chromium are in
test_admin_local.py and test_admin_browser.py."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from showcase.commands import cli, scaffold
from showcase.load import fields
from showcase.load.schema import BUILTIN_MARKETPLACES
from showcase.render import admin
from tests.helpers import (BOOTH, BOOTH_MD, PRODUCT, PRODUCT_MD, REPO, SiteDir, make_site_at,
                           photo_bytes, tree)

ADMIN_YAML = "\nadmin:\n  repo: panitia/pameran-2019\n  branch: main\n"


@pytest.fixture(scope="module")
def edited(tmp_path_factory) -> SiteDir:
    """The sample with `admin:` set, built once."""
    root = tmp_path_factory.mktemp("admin")
    shutil.copytree(REPO / "content", root / "content")
    with (root / "content" / "site.yaml").open("a", encoding="utf-8") as out:
        out.write(ADMIN_YAML)
    site = SiteDir(root)
    result = site.build(workers=2)
    assert result.ok, "\n".join(map(str, result.errors))
    return site


@pytest.fixture(scope="module")
def config(edited) -> dict:
    return yaml.safe_load((edited.output / "admin" / "config.yml").read_text("utf-8"))


def collection(config: dict, name: str) -> dict:
    return next(c for c in config["collections"] if c["name"] == name)


def by_name(decap_fields: list[dict]) -> dict[str, dict]:
    return {f["name"]: f for f in decap_fields}


# -- the configuration covers the registry ---------------------------------------------

def plain_kind(spec: fields.Field) -> str:
    return spec.widget.kind


def assert_field(spec: fields.Field, made: dict, languages: list[str], site: dict,
                 within: bool = True, record: str = "") -> None:
    """One registry field against its Decap field, nested records included."""
    where = f"{record}.{spec.name}"
    assert made["name"] == spec.name, where
    if "hint" in made:
        assert spec.doc.id in made["hint"] and spec.doc.en in made["hint"], where
    if record == "product" and spec.name == "code":
        assert made["widget"] == "hidden" and made["required"] is False
        return
    assert made["required"] is (spec.required and within), where
    if spec.localised:
        assert made["widget"] == "object", where
        assert [f["name"] for f in made["fields"]] == languages, where
        for part in made["fields"]:
            assert part["widget"] == plain_kind(spec), where
            assert part["required"] is (spec.required and within and part["name"] == languages[0])
        return
    if spec.check is fields.price:
        assert made["widget"] == "object", where
        assert [(f["name"], f["widget"], f["value_type"]) for f in made["fields"]] == [
            ("from", "number", "int"), ("to", "number", "int")]
        return
    kind = spec.widget.kind
    if spec.record is not None and spec.collection == "mapping":
        keys = site[spec.name]
        assert made["widget"] == "object", where
        assert [f["name"] for f in made["fields"]] == list(keys), where
        for key_field in made["fields"]:
            for sub in spec.record.fields:
                assert_field(sub, by_name(key_field["fields"])[sub.name], languages, site,
                             False, spec.record.name)
        return
    assert made["widget"] == kind, where
    if spec.record is not None:
        for sub in spec.record.fields:
            assert_field(sub, by_name(made["fields"])[sub.name], languages, site,
                         spec.required and within, spec.record.name)
        assert [f["name"] for f in made["fields"]] == list(spec.record.names), where
    elif kind == "select":
        values = [o["value"] if isinstance(o, dict) else o for o in made["options"]]
        assert values == (list(spec.widget.options) or list(site["categories"])), where
    elif kind == "object":
        keys = spec.widget.options or tuple(BUILTIN_MARKETPLACES) + tuple(
            site.get("marketplaces", {}))
        assert [f["name"] for f in made["fields"]] == list(keys), where
    elif kind == "number":
        assert made["value_type"] == "int"
        assert made.get("min") == spec.widget.minimum


def test_every_registry_field_has_its_widget(edited, config):
    site = yaml.safe_load((edited.content / "site.yaml").read_text("utf-8"))
    languages = site["languages"]
    settings = collection(config, "site")["files"][0]
    assert settings["file"] == "content/site.yaml"
    documents = [(fields.SITE, settings["fields"]),
                 (fields.PAGE, collection(config, "pages")["fields"]),
                 (fields.BOOTH, collection(config, "booths")["fields"])]
    documents += [(fields.PRODUCT, c["fields"]) for c in config["collections"]
                  if c["name"].startswith("products-")]
    for record, made in documents:
        made = by_name(made)
        for spec in record.fields:
            assert_field(spec, made[spec.name], languages, site, record=record.name)
        extra = set(made) - set(record.names)
        assert extra <= {"body"}, extra


def test_the_widgets_an_organiser_sees(config):
    product = by_name(collection(config, "products-lapas-cipinang")["fields"])
    category = product["category"]
    assert category["widget"] == "select"
    assert {"label": "Keset (keset)", "value": "keset"} in category["options"]
    assert product["availability"]["options"] == ["in-stock", "made-to-order", "sold-out",
                                                  "display-only"]
    assert product["availability"]["default"] == "in-stock"
    price = by_name(product["price"]["fields"])
    # An optional price: neither end is forced on a product that has none.
    assert price["from"]["required"] is False and price["to"]["min"] == 0
    materials = by_name(product["materials"]["fields"])
    assert materials["id"]["widget"] == materials["en"]["widget"] == "list"
    images = product["images"]
    assert images["widget"] == "list"
    photo = by_name(images["fields"])
    assert photo["file"]["widget"] == "image" and photo["file"]["required"] is False
    assert [f["name"] for f in photo["alt"]["fields"]] == ["id", "en"]
    name = by_name(product["name"]["fields"])
    assert name["id"]["required"] is True and name["en"]["required"] is False
    assert product["name"]["hint"] == "Nama produk di tiap bahasa / The product's name in each language"
    assert product["featured"] == {**product["featured"], "widget": "boolean", "default": False}
    # Only the body is translated by the CMS's i18n; every other field stays in the main file.
    assert product["body"]["i18n"] is True
    # (No `i18n` key is Decap's "none"; "none" itself fails its schema for object widgets.)
    assert [n for n, f in product.items() if n != "body" and "i18n" in f] == []
    shops = by_name(product["marketplaces"]["fields"])
    assert "tokopedia" in shops and "galeri-pas" in shops  # built-in and the site's own
    event = by_name(by_name(collection(config, "site")["files"][0]["fields"])["event"]["fields"])
    assert event["start"]["format"] == "YYYY-MM-DD" and event["start"]["time_format"] is False


def test_collections_one_per_booth_with_photos_beside_each_entry(edited, config):
    booths = sorted(p.name for p in (edited.content / "booths").iterdir() if p.is_dir())
    products = [c for c in config["collections"] if c["name"].startswith("products-")]
    assert sorted(c["name"][len("products-"):] for c in products) == booths
    for made in products:
        slug = made["name"][len("products-"):]
        assert made["folder"] == f"content/booths/{slug}"
        assert made["path"] == "{{slug}}/index"
    labels = {c["name"]: c["label"] for c in products}
    assert labels["products-lapas-cipinang"] == "Produk / Products: Lapas Kelas I Cipinang"
    for made in [*products, collection(config, "booths"), collection(config, "pages")]:
        assert made["media_folder"] == "" and made["public_folder"] == ""
        assert made["extension"] == "md" and made["format"] == "frontmatter"
        assert made["i18n"] is True
        title = "title" if made["name"] == "pages" else "name"
        assert made["identifier_field"] == f"{title}.id"
        assert made["slug"] == made["summary"] == "{{fields.%s.id}}" % title
    assert collection(config, "booths")["path"] == "{{slug}}/index"
    assert collection(config, "booths")["folder"] == "content/booths"
    assert "path" not in collection(config, "pages")  # pages/<slug>.<lang>.md
    assert config["i18n"] == {"structure": "multiple_files", "locales": ["id", "en"],
                              "default_locale": "id"}
    assert config["backend"] == {"name": "github", "repo": "panitia/pameran-2019",
                                 "branch": "main"}
    assert config["publish_mode"] == "editorial_workflow"
    assert "local_backend" not in config


def test_the_settings_reach_the_backend(make_site):
    site = make_site()
    site.write("content/site.yaml", (site.content / "site.yaml").read_text() + (
        "admin: {repo: panitia/pameran, branch: terbit, backend: gitlab, review: false,\n"
        "        auth_url: 'https://login.example.org/'}\n"))
    assert site.build().ok
    made = yaml.safe_load((site.output / "admin" / "config.yml").read_text("utf-8"))
    assert made["backend"] == {"name": "gitlab", "repo": "panitia/pameran", "branch": "terbit",
                               "base_url": "https://login.example.org"}
    assert "publish_mode" not in made  # review: false saves straight to the branch


def test_the_page_loads_the_pinned_cms_with_integrity_and_is_never_indexed(edited):
    page = (edited.output / "admin" / "index.html").read_text("utf-8")
    assert '<meta name="robots" content="noindex, nofollow">' in page
    script = re.search(r'<script src="([^"]+)" integrity="([^"]+)" crossorigin="anonymous">',
                       page)
    assert script and script[1] == admin.DECAP_URL and script[2] == admin.DECAP_INTEGRITY
    assert f"decap-cms@{admin.DECAP_VERSION}/dist/decap-cms.js" in script[1]
    assert re.fullmatch(r"sha384-[A-Za-z0-9+/]{64}", admin.DECAP_INTEGRITY)
    assert 'rel="cms-config-url"' in page and 'href="config.yml"' in page


def test_admin_never_leaks_into_the_public_site(edited):
    out = edited.output
    robots = (out / "robots.txt").read_text("utf-8")
    assert "Disallow: /pun-2019/admin/" in robots
    assert "admin" not in (out / "sitemap.xml").read_text("utf-8")
    worker = (out / "sw.js").read_text("utf-8")
    precache = json.loads(re.search(r"^const PRECACHE = (.*);$", worker, re.M)[1])
    assert precache and not [url for url in precache if "admin" in url]
    for path in out.rglob("*"):
        if path.is_file() and path.suffix in (".json", ".xml", ".webmanifest", ".html", ".js") \
                and "admin" not in path.relative_to(out).parts and path.name != "sw.js":
            text = path.read_text("utf-8", errors="replace")
            assert "admin/" not in text and "config.yml" not in text, path


def test_no_admin_without_the_setting(sample_build):
    assert not (sample_build.output / "admin").exists()
    assert "Disallow" not in (sample_build.output / "robots.txt").read_text("utf-8")


def test_the_same_site_makes_the_same_bytes(edited, tmp_path):
    again = edited.build(output=tmp_path / "again", workers=2)
    assert again.ok
    for name in ("index.html", "config.yml"):
        assert (tmp_path / "again" / "admin" / name).read_bytes() == \
            (edited.output / "admin" / name).read_bytes()


def test_the_configuration_is_the_same_bytes_with_or_without_libyaml(edited, monkeypatch):
    from showcase.load import loader
    site, problems = loader.load(edited.content)
    assert site is not None, problems.errors
    config = admin.admin_config(site)
    made = admin.config_yaml(config)
    monkeypatch.setattr(admin, "DUMPER", yaml.SafeDumper)
    assert admin.config_yaml(config) == made
    assert made == (edited.output / "admin" / "config.yml").read_bytes()


def test_serve_gets_a_local_backend_only_when_it_asks(edited):
    from showcase.load import loader
    site, problems = loader.load(edited.content)
    assert site is not None, problems.errors
    served = admin.admin_config(site, local_url="http://127.0.0.1:8123/api/v1")
    assert served["local_backend"] == {"url": "http://127.0.0.1:8123/api/v1"}
    built = admin.admin_config(site)
    assert "local_backend" not in built
    assert {k: v for k, v in served.items() if k != "local_backend"} == built


def test_a_site_in_a_subfolder_of_its_repository_names_its_paths_from_the_root(make_site,
                                                                                tmp_path):
    site = make_site({"content/site.yaml": _with_admin(make_site().content)})
    repo = tmp_path
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    assert site.build().ok
    made = yaml.safe_load((site.output / "admin" / "config.yml").read_text("utf-8"))
    assert collection(made, "booths")["folder"] == "site/content/booths"
    assert collection(made, "products-lapas-uji")["folder"] == "site/content/booths/lapas-uji"
    assert collection(made, "site")["files"][0]["file"] == "site/content/site.yaml"


def test_a_self_hosted_copy_is_published_only_if_it_is_the_pinned_file(make_site,
                                                                      monkeypatch):
    site = make_site()
    site.write("content/site.yaml", _with_admin(site.content, "  self_hosted: true\n"))
    result = site.build()
    assert [(p.path, p.field) for p in result.errors] == [("content/site.yaml",
                                                           "admin.self_hosted")]
    assert "admin/decap-cms.js (beside content/) is missing" in result.errors[0].message
    assert f"npm pack decap-cms@{admin.DECAP_VERSION}" in result.errors[0].message
    copy = b"/* a copy of the CMS */"
    site.write("admin/decap-cms.js", b"/* another file */")
    result = site.build()
    assert "is not Decap CMS" in result.errors[0].message and not site.output.exists()
    # The real file's hash is pinned; a stand-in with its own pinned hash shows the rest.
    monkeypatch.setattr(admin, "DECAP_INTEGRITY", admin.integrity(copy))
    site.write("admin/decap-cms.js", copy)
    assert site.build().ok
    assert (site.output / "admin" / "decap-cms.js").read_bytes() == copy
    page = (site.output / "admin" / "index.html").read_text("utf-8")
    assert f'<script src="decap-cms.js" integrity="{admin.integrity(copy)}"' in page
    assert "cdn" not in page


def _with_admin(content: Path, extra: str = "") -> str:
    return (content / "site.yaml").read_text("utf-8") + ADMIN_YAML + extra


# -- the admin setting is checked like any other -----------------------------------------

@pytest.mark.parametrize("setting, expected", [
    ("admin: {repo: https://github.com/panitia/pameran.git}",
     "admin.repo: 'https://github.com/panitia/pameran.git' is not valid: the repository as "
     "owner/name; for example 'panitia/pameran'"),
    ("admin: {repo: a/b, backend: netlify}",
     "admin.backend: 'netlify' is not allowed; use one of: github, gitlab"),
    ("admin: {repo: a/b, branch: 'my branch'}",
     "admin.branch: 'my branch' is not a branch name git accepts; for example 'main'"),
    ("admin: {branch: main}", "admin.repo: is required: the repository as owner/name"),
    ("admin: {repo: a/b, self_hosted: yes please}", "admin.self_hosted: expected true or false"),
])
def test_a_wrong_admin_setting_is_a_problem_saying_what_is_right(make_site, capsys, setting,
                                                                expected):
    site = make_site()
    site.write("content/site.yaml", (site.content / "site.yaml").read_text() + setting + "\n")
    assert cli.main(["check", "--content", str(site.content)]) == 1
    out = capsys.readouterr().out
    assert expected in out.replace("\n  error: ", "\n").replace("line ", "") or \
        expected.split(": ", 1)[1] in out, out


# -- the editor's naming is the contract's ----------------------------------------------

TRANSLATION = "---\nname: Coconut-coir doormat\n---\nA thick doormat.\n"
PAGE = "---\ntitle: {id: Tentang, en: About}\nmenu: 1\n---\nTentang pameran.\n"


def test_cms_naming_builds_byte_identically(tmp_path):
    """index.id.md + index.en.md (what the CMS writes) is index.md + index.en.md."""
    def built(name: str, page: str) -> dict[str, str]:
        product = PRODUCT.replace("index.md", name)
        site = make_site_at(tmp_path / name, {
            PRODUCT: None, product: PRODUCT_MD,
            product.replace(name, "index.en.md"): TRANSLATION,
            BOOTH: None, BOOTH.replace("index.md", name): BOOTH_MD,
            f"content/pages/{page}": PAGE, "content/pages/tentang.en.md": "---\n---\nAbout (en).\n"})
        result = site.build(workers=1)
        assert result.ok, result.errors
        return tree(site.output)
    plain = built("index.md", "tentang.md")
    assert "booths/lapas-uji/keset/index.html" in plain and "tentang/index.html" in plain
    assert plain == built("index.id.md", "tentang.id.md")


def test_both_names_in_one_folder_is_an_error_naming_both(make_site, capsys):
    site = make_site({PRODUCT.replace("index.md", "index.id.md"): PRODUCT_MD})
    assert cli.main(["check", "--content", str(site.content)]) == 1
    out = capsys.readouterr().out
    assert ("content/booths/lapas-uji/keset/index.id.md\n  error: line 1: this folder has both "
            "index.md and index.id.md, which is read as index.md (the browser editor's name for "
            "it): the same entry twice; keep one (the other is "
            "content/booths/lapas-uji/keset/index.md:1)") in out
    assert not site.build().ok


def test_a_page_in_both_names_is_an_error_naming_both(make_site, capsys):
    site = make_site({"content/pages/tentang.md": PAGE, "content/pages/tentang.id.md": PAGE})
    assert cli.main(["check", "--content", str(site.content)]) == 1
    assert ("content/pages/tentang.md\n  error: slug: is the same page as "
            "content/pages/tentang.id.md (/tentang/ in 'id'); keep one of the two files"
            ) in capsys.readouterr().out


def test_a_translation_that_is_only_text_reads_as_one_with_empty_front_matter(tmp_path, capsys):
    def built(text: str) -> dict[str, str]:
        site = make_site_at(tmp_path / str(len(text)), {
            PRODUCT.replace("index.md", "index.en.md"): text,
            "content/pages/tentang.id.md": PAGE, "content/pages/tentang.en.md": text})
        assert site.build().ok
        return tree(site.output)
    assert built("A thick doormat.\n") == built("---\n---\nA thick doormat.\n")
    site = make_site_at(tmp_path / "sheet", {PRODUCT.replace("index.md", "index.en.md"):
                                             "A thick doormat.\n"})
    sheet = tmp_path / "products.csv"
    assert cli.main(["export", str(sheet), "--content", str(site.content)]) == 0
    sheet.write_text(sheet.read_text("utf-8").replace("Coconut-coir doormat", "Coir mat"),
                     "utf-8")
    assert cli.main(["import", str(sheet), "--content", str(site.content)]) == 0
    assert cli.main(["check", "--content", str(site.content)]) == 0
    assert site.build().ok
    assert "Coir mat" in site.html("en/booths/lapas-uji/keset/")


def test_export_and_import_read_the_cms_naming(make_site, tmp_path, capsys):
    site = make_site({PRODUCT: None, PRODUCT.replace("index.md", "index.id.md"): PRODUCT_MD})
    sheet = tmp_path / "products.csv"
    assert cli.main(["export", str(sheet), "--content", str(site.content)]) == 0
    text = sheet.read_text("utf-8")
    assert "UJI-001" in text and "75000" in text
    sheet.write_text(text.replace("75000", "80000"), "utf-8")
    assert cli.main(["import", str(sheet), "--content", str(site.content)]) == 0
    written = (site.root / PRODUCT.replace("index.md", "index.id.md")).read_text("utf-8")
    assert "price: 80000" in written
    assert not (site.root / PRODUCT).exists()


def test_with_admin_check_says_how_to_rename_what_the_editor_cannot_open(make_site, capsys):
    site = make_site({"content/pages/tentang.md": PAGE})
    site.write("content/site.yaml", _with_admin(site.content))
    assert cli.main(["check", "--content", str(site.content)]) == 0
    out = capsys.readouterr().out
    assert ("warning: the browser editor (admin: in site.yaml) opens this entry's 'id' text only "
            "from index.id.md, its name for this file; run showcase admin prepare, which renames "
            "every such entry at once (the build reads both names the same), and commit; or this "
            "one alone: git mv content/booths/lapas-uji/keset/index.md "
            "content/booths/lapas-uji/keset/index.id.md") in out
    assert "git mv content/pages/tentang.md content/pages/tentang.id.md" in out
    assert "git mv content/booths/lapas-uji/index.md content/booths/lapas-uji/index.id.md" in out
    # Renamed as it says, nothing is left to say about names.
    for old in ("booths/lapas-uji/keset/index.md", "booths/lapas-uji/index.md"):
        (site.content / old).rename(site.content / old.replace("index.md", "index.id.md"))
    (site.content / "pages/tentang.md").rename(site.content / "pages/tentang.id.md")
    assert cli.main(["check", "--content", str(site.content)]) == 0
    assert "browser editor" not in capsys.readouterr().out


def test_without_admin_nothing_is_said_about_names(make_site, capsys):
    site = make_site()
    assert cli.main(["check", "--content", str(site.content)]) == 0
    assert "browser editor" not in capsys.readouterr().out


# -- what the CMS writes passes check ----------------------------------------------------

CMS_PRODUCT = """\
---
name:
  id: Keset Kaki
  en: Doormat
category: keset
price:
  from: 50000
  to: 120000
images:
  - file: keset.jpg
    alt:
      id: Keset tampak atas
      en: The doormat from above
materials:
  id:
    - sabut kelapa
  en:
    - coconut coir
---
Keset baru.
"""


def test_a_product_as_the_cms_writes_it_gets_a_code_and_passes_check(make_site, capsys):
    site = make_site({
        "content/booths/lapas-uji/keset-kaki/index.id.md": CMS_PRODUCT,
        # Decap writes a translation with no fields as its text alone.
        "content/booths/lapas-uji/keset-kaki/index.en.md": "A new doormat.\n",
        "content/booths/lapas-uji/keset-kaki/keset.jpg": photo_bytes()})
    existing = (site.root / PRODUCT).read_bytes()
    assert cli.main(["check", "--content", str(site.content)]) == 1
    assert "code: is required" in capsys.readouterr().out
    assert cli.main(["codes", "--content", str(site.content)]) == 0
    out = capsys.readouterr().out
    assert "keset-kaki/index.id.md: code: UJI-002" in out
    written = (site.content / "booths/lapas-uji/keset-kaki/index.id.md").read_text("utf-8")
    assert written == CMS_PRODUCT.replace("    - coconut coir\n",
                                          "    - coconut coir\ncode: UJI-002\n")
    assert (site.root / PRODUCT).read_bytes() == existing  # an existing code is never touched
    assert cli.main(["check", "--content", str(site.content)]) == 0
    assert site.build().ok
    page = site.html("en/booths/lapas-uji/keset-kaki/")
    assert "Doormat" in page and "A new doormat." in page
    # Nothing left to fill: a second run changes nothing.
    before = tree(site.content)
    assert cli.main(["codes", "--content", str(site.content)]) == 0
    assert "every booth and product has a code" in capsys.readouterr().out
    assert tree(site.content) == before


def test_codes_count_printed_and_retired_codes_and_number_a_new_booth_first(make_site, capsys):
    site = make_site({
        "content/printed.yaml": "products: [UJI-001]\nretired: {UJI-007: /booths/lapas-uji/}\n",
        "content/booths/lapas-uji/tas/index.md": "---\nname: Tas\ncategory: batik\ncode: ''\n---\n",
        "content/booths/lapas-baru/index.id.md": "---\nname: Lapas Baru Kota\n---\n",
        "content/booths/lapas-baru/topi/index.id.md": "---\nname: Topi\ncategory: batik\n---\n"})
    assert cli.main(["codes", "--content", str(site.content)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [
        f"{site.content.as_posix()}/booths/lapas-baru/index.id.md: code: LAPBAR",
        f"{site.content.as_posix()}/booths/lapas-baru/topi/index.id.md: code: LAPBAR-001",
        f"{site.content.as_posix()}/booths/lapas-uji/tas/index.md: code: UJI-008"]
    assert "code: UJI-008" in (site.content / "booths/lapas-uji/tas/index.md").read_text()
    assert cli.main(["check", "--content", str(site.content)]) == 0


def test_codes_fills_only_the_folders_asked_for(make_site):
    from showcase.commands import codes
    site = make_site({
        "content/booths/lapas-uji/tas/index.md": "---\nname: Tas\ncategory: batik\n---\n",
        "content/booths/lapas-uji/topi/index.md": "---\nname: Topi\ncategory: batik\n---\n"})
    filled, skipped = codes.fill(site.content, [site.content / "booths/lapas-uji/topi"])
    assert [(f.path.parent.name, f.code) for f in filled] == [("topi", "UJI-002")]
    assert skipped == []
    assert "code:" not in (site.content / "booths/lapas-uji/tas/index.md").read_text()


# -- check --format github --------------------------------------------------------------

def test_check_format_github_annotates_lines_from_the_repository_root(tmp_path, capsys):
    repo = tmp_path / "repo"
    site = repo / "sites" / "pameran, 2019"
    shutil.copytree(REPO / "docs" / "examples" / "errors", site)
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    bad = site / "content/booths/lapas-contoh/keset-sabut-kelapa"
    text = (bad / "index.md").read_text("utf-8")
    (bad / "index.md").write_text(text.replace("---\n", "---\nfeatured: \"50%\\nya\"\n", 1),
                                  "utf-8")
    assert cli.main(["check", "--format", "github", "--content", str(site / "content")]) == 1
    lines = capsys.readouterr().out.splitlines()
    prefix = "file=sites/pameran%2C 2019/content/"
    annotations = [line for line in lines if line.startswith("::")]
    assert annotations, lines
    for line in annotations:
        assert re.fullmatch(r"::(error|warning) file=[^:,]+(,line=\d+)?,title=showcase check::"
                            r"[^\r\n]+", line), line
        assert line.split(" ", 1)[1].startswith(prefix), line
    assert ("::error file=sites/pameran%2C 2019/content/booths/lapas-contoh/keset-sabut-kelapa/"
            "index.md,line=7,title=showcase check::price: expected whole rupiah like 75000, or "
            "{from: 50000, to: 120000}; got '75rb'") in annotations
    featured = next(line for line in annotations if "::featured:" in line)
    assert "'50%25%0Aya'" in featured
    assert lines[-1].endswith("in 3 files")


def test_check_format_github_outside_a_repository_is_relative_to_where_it_runs(
        make_site, capsys, monkeypatch):
    site = make_site({"content/booths/lapas-uji/keset/index.md": PRODUCT_MD.replace(
        "price: 75000", "price: 75rb")})
    monkeypatch.chdir(site.root.parent)
    assert cli.main(["check", "--format", "github", "--content", "site/content"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("::error file=site/content/booths/lapas-uji/keset/index.md,line=5,")


# -- the workflow ------------------------------------------------------------------------

def test_the_starter_workflow_checks_pull_requests_and_deploys_only_main(tmp_path):
    scaffold.init(tmp_path / "fair")
    workflow = yaml.safe_load((tmp_path / "fair/.github/workflows/pages.yml").read_text("utf-8"))
    starter = yaml.safe_load((REPO / "showcase/starter/.github/workflows/pages.yml")
                             .read_text("utf-8"))
    assert workflow == starter
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert "pull_request" in triggers and triggers["push"]["branches"] == ["main"]
    check = workflow["jobs"]["check"]
    assert "pull_request" in check["if"]
    runs = [step.get("run", "") for step in check["steps"]]
    filled = runs.index("showcase codes")
    annotated = runs.index("showcase check --format github")
    commit = next(i for i, run in enumerate(runs) if "git commit" in run)
    assert filled < commit < annotated < runs.index("showcase build")
    assert check["permissions"]["contents"] == "write"
    checkout = check["steps"][0]
    assert checkout["with"]["ref"] == "${{ github.event.pull_request.head.ref }}"
    assert workflow["permissions"] == {"contents": "read"}
    build = workflow["jobs"]["build"]
    assert build["if"] == "github.event_name != 'pull_request'"
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert "refs/heads/main" in deploy["if"] and "pull_request" in deploy["if"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}


def test_the_starter_shows_admin_commented_and_builds_without_it(tmp_path):
    content = scaffold.init(tmp_path / "fair")
    text = (content / "site.yaml").read_text("utf-8")
    assert "# admin: {repo: " in text
    assert not (tmp_path / "fair" / "output" / "admin").exists()
    uncommented = text.replace("# admin: {repo: panitia/pameran-2026, branch: main}",
                               "admin: {repo: panitia/pameran-2026, branch: main}")
    (content / "site.yaml").write_text(uncommented, "utf-8")
    assert SiteDir(tmp_path / "fair").build().ok
    assert (tmp_path / "fair" / "output" / "admin" / "config.yml").is_file()


def test_boxes_the_editor_saves_empty_mean_nothing_written(make_site, capsys):
    """Decap writes a box that was typed in and cleared as '' (it keeps the key): an
    optional field left so is absent, and a language left empty falls back."""
    cleared = PRODUCT_MD.replace("price: 75000", "\n".join([
        "price: {from: '', to: ''}", "stand: ''", "price_note: {id: '', en: ''}",
        "dimensions: {id: 40 cm, en: ''}", "whatsapp:", "marketplaces: {tokopedia: ''}"]))
    site = make_site({PRODUCT: cleared.replace("stand: ''\n", "")})
    assert cli.main(["check", "--content", str(site.content)]) == 0, capsys.readouterr().out
    assert site.build().ok
    page = site.html("en/booths/lapas-uji/keset/")
    assert "40\u00a0cm" in page  # the Indonesian size, where English was left empty
    plain = make_site_at(site.root.parent / "plain", {PRODUCT: PRODUCT_MD.replace(
        "price: 75000", "dimensions: 40 cm")})
    assert plain.build().ok
    assert tree(plain.output) == tree(site.output)


def test_a_single_language_site_has_no_language_tabs(make_site):
    site = make_site()
    text = (site.content / "site.yaml").read_text().replace("languages: [id, en]\n", "")
    site.write("content/site.yaml", text.replace("title: {id: Pameran Uji, en: Test Fair}",
                                                 "title: Pameran Uji").replace(
        "keset: {name: {id: Keset, en: Doormats}}", "keset: {name: Keset}") + ADMIN_YAML)
    site.write(PRODUCT, PRODUCT_MD.replace(
        "name: {id: Keset Sabut Kelapa, en: Coconut-coir doormat}", "name: Keset Sabut Kelapa"))
    result = site.build()
    assert result.ok, result.errors
    made = yaml.safe_load((site.output / "admin" / "config.yml").read_text("utf-8"))
    assert "i18n" not in made
    product = collection(made, "products-lapas-uji")
    assert "i18n" not in product
    assert [f["name"] for f in by_name(product["fields"])["name"]["fields"]] == ["id"]
    assert "i18n" not in by_name(product["fields"])["body"]


@pytest.mark.parametrize("in_place", [False, True])
def test_turning_admin_off_takes_it_out_of_the_output(make_site, in_place):
    site = make_site()
    plain = (site.content / "site.yaml").read_text()
    site.write("content/site.yaml", plain + ADMIN_YAML)
    assert site.build(in_place=in_place).ok
    assert (site.output / "admin" / "index.html").is_file()
    site.write("content/site.yaml", plain)
    assert site.build(in_place=in_place).ok
    assert not (site.output / "admin").exists()
    assert "Disallow" not in (site.output / "robots.txt").read_text("utf-8")


def test_with_admin_an_index_yaml_entry_is_named_as_one_the_editor_cannot_open(make_site,
                                                                              capsys):
    site = make_site({PRODUCT: None, PRODUCT.replace("index.md", "index.yaml"): (
        "name: {id: Keset, en: Doormat}\ncode: UJI-001\ncategory: keset\n"
        "description: {id: Keset tebal., en: A thick doormat.}\n")})
    site.write("content/site.yaml", _with_admin(site.content))
    assert cli.main(["check", "--content", str(site.content)]) == 0
    assert ("content/booths/lapas-uji/keset/index.yaml\n  warning: the browser editor (admin: in "
            "site.yaml) opens only entries written as Markdown with front matter, not "
            "index.yaml; to edit this one there, rewrite it as "
            "content/booths/lapas-uji/keset/index.id.md") in capsys.readouterr().out
