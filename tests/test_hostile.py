"""Hostile and broken content: every kind of bad input gets a located message, and the
last good site stays byte for byte; output folders that are not ours are refused; text
from content never becomes markup.

One table, one row per kind of bad input the contract names. Each row builds a good
site first, breaks it, builds again, and checks the message (file, line, field, and the
fix it proposes), that `check` reports the same problem, and that `output/` is exactly
what the good build wrote.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import struct
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlparse
from xml.etree import ElementTree

import pypdfium2
import pytest
from PIL import Image

from showcase.publish import writer
from showcase.builder import Builder, BuildOptions
from showcase.commands.cli import main
from tests.helpers import (BOOTH, BOOTH_MD, CORRUPT, KESET_DIR, PRODUCT, PRODUCT_MD, REPO,
                           PRINT_BASE_URL, SERIAL, SITE, SITE_YAML, SiteDir, copy_theme,
                           has_metadata, phone_exif, photo_bytes, with_field)

OTHER_PRODUCT = "content/booths/lapas-uji/keset-kecil/index.md"


@dataclass(frozen=True)
class Case:
    """Files to write (None deletes) and the problem that must be reported."""

    files: dict[str, str | bytes | None]
    path: str  # the file the message names
    line: int | None
    field: str
    says: str  # a part of the message: what is wrong, and what would be right
    # (link, target): target is a path in the site, or "OUTSIDE/..." for a folder beside it
    links: tuple[tuple[str, str], ...] = ()


def product(line: str) -> tuple[dict[str, str], int]:
    text, number = with_field(line)
    return {PRODUCT: text}, number


def product_case(line: str, field_name: str, says: str) -> Case:
    files, number = product(line)
    return Case(files, PRODUCT, number, field_name, says)


def billion_laughs() -> str:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for prev, name in zip("abcdefgh", "bcdefghi"):
        lines.append(f"{name}: &{name} [{', '.join([f'*{prev}'] * 9)}]")
    return "\n".join(lines) + "\n"


def jpeg_bomb() -> bytes:
    """A valid tiny JPEG whose frame header claims 60000x60000 pixels."""
    data = bytearray(photo_bytes((8, 8)))
    sof = data.index(b"\xff\xc0")
    data[sof + 5:sof + 9] = struct.pack(">HH", 60000, 60000)
    return bytes(data)


LINK_BOOTH = BOOTH_MD.replace("stand: A-1", "stand: A-1\nlogo: ../../site.yaml")
BAD_WEBSITE = BOOTH_MD.replace('contact: {whatsapp: "0812-0000-0002"}',
                               'contact: {whatsapp: "0812-0000-0002", website: "javascript:alert(1)"}')

CASES: dict[str, Case] = {
    # -- broken YAML and front matter
    "front matter not closed": Case({PRODUCT: PRODUCT_MD.rsplit("---", 1)[0]}, PRODUCT, 1, "",
                                    "front matter is not closed: add a line '---'"),
    "front matter missing": Case({PRODUCT: "name: Keset\ncode: UJI-001\n"}, PRODUCT, 1, "",
                                 "start the file with a line '---'"),
    "tab indenting a key": Case({PRODUCT: PRODUCT_MD.replace("price: 75000", "price: 75000\n\tfeatured: true")},
                                PRODUCT, 6, "", "not tabs"),
    "tab in site.yaml": Case({SITE: SITE_YAML.replace("  keset:", "\tkeset:")}, SITE, 6, "",
                             "YAML indents with spaces, not tabs"),
    "duplicate key": Case({PRODUCT: PRODUCT_MD.replace("price: 75000", "price: 75000\nprice: 80000")},
                          PRODUCT, 6, "price", "duplicate key 'price' (first on line 5); keep one"),
    "duplicate nested key": Case({SITE: SITE_YAML.replace("{name: Batik}", "{name: Batik, name: Tenun}")},
                                 SITE, 7, "categories.batik.name", "duplicate key 'name'"),
    "unclosed bracket": Case({PRODUCT: PRODUCT_MD.replace("price: 75000", "price: [75000")},
                             PRODUCT, 5, "", "YAML syntax: a '[' opened here is never closed"),
    "second YAML document": Case({SITE: SITE_YAML + "---\ntitle: Lagi\n"}, SITE, 9, "",
                                 "a line '---' starts a second document; remove it"),
    "control character": Case({PRODUCT: PRODUCT_MD.replace("karet]", "karet\x00]")}, PRODUCT, 6, "",
                              "control character #x0000"),
    "impossible date": Case({SITE: SITE_YAML.replace("start: 2019-03-26", "start: 2019-02-30")}, SITE, 4,
                            "event.start", "'2019-02-30' is not a real date"),
    "YAML alias bomb": Case({PRODUCT: "---\n" + billion_laughs() + "---\n"}, PRODUCT, 2, "",
                            "aliases (*name) expand this document beyond any real content"),
    "YAML alias bomb in site.yaml": Case({SITE: SITE_YAML + billion_laughs()}, SITE, 1, "",
                                         "write the values out instead"),
    "python tag": Case({PRODUCT: PRODUCT_MD.replace("price: 75000", "price: !!python/object/apply:os.system [ls]")},
                       PRODUCT, 5, "", "could not determine a constructor"),
    # -- wrong types and ranges
    "price in words": product_case('price: "75rb"', "price", "expected whole rupiah like 75000"),
    "negative price": product_case("price: -5", "price", "a price cannot be negative (-5); write it like 75000"),
    "absurd price": product_case("price: " + "9" * 40, "price", "more than any real price"),
    "price range reversed": product_case("price: {from: 90000, to: 50000}", "price", "swap them"),
    "unknown availability": product_case("availability: habis", "availability",
                                         "use one of: in-stock, made-to-order, sold-out, display-only"),
    "availability typo": product_case("availability: instock", "availability", "did you mean 'in-stock'?"),
    "list for text": product_case("dimensions: [40, 60]", "dimensions", "expected text, got a list"),
    "unquoted phone number": product_case("whatsapp: 6281234567890", "whatsapp", "write phone numbers in quotes"),
    "image width too large": Case({SITE: SITE_YAML + "images: {widths: [480, 9999999]}\n"}, SITE, 9,
                                  "images.widths[1]", "must be 10000 or less"),
    # -- unknown categories and keys
    "unknown category": product_case("category: kest", "category", "did you mean 'keset'?"),
    "unknown key": product_case("prise: 5", "prise", "unknown field; did you mean 'price'?"),
    "unknown key in site.yaml": Case({SITE: SITE_YAML + "titel: X\n"}, SITE, 9, "titel",
                                     "did you mean 'title'?"),
    "unknown language": product_case("name: {id: Keset, fr: Paillasson}", "name.fr",
                                     "'fr' is not a language of site.yaml"),
    "unknown marketplace": product_case("marketplaces: {tokopedai: 'https://tokopedia.com/x'}",
                                        "marketplaces.tokopedai", "did you mean 'tokopedia'?"),
    # -- malformed codes and slugs, with the corrected name proposed
    "malformed product code": product_case("code: uji 001", "code", "for example 'UJI-001'"),
    "malformed booth code": Case({BOOTH: BOOTH_MD.replace("code: UJI", "code: uji-lapas")}, BOOTH, 3,
                                 "code", "for example 'UJILAPAS'"),
    "malformed product slug": Case({"content/booths/lapas-uji/Keset Besar/index.md": PRODUCT_MD.replace(
        "UJI-001", "UJI-002")}, "content/booths/lapas-uji/Keset Besar", None, "slug",
        "rename the folder to 'keset-besar'"),
    "malformed booth slug": Case({"content/booths/Lapas_Dua/index.md": BOOTH_MD.replace("UJI", "DUA")},
                                 "content/booths/Lapas_Dua", None, "slug",
                                 "rename the folder to 'lapas-dua'"),
    "malformed page slug": Case({"content/pages/Tentang Kami.md": "---\ntitle: T\n---\n"},
                                "content/pages/Tentang Kami.md", None, "slug", "rename it to 'tentang-kami.md'"),
    # -- duplicate codes and slugs
    "duplicate product code": Case({OTHER_PRODUCT: PRODUCT_MD}, OTHER_PRODUCT, None, "code",
                                   f"product code 'UJI-001' is also used by {PRODUCT}"),
    "duplicate booth code": Case({"content/booths/lapas-dua/index.md": BOOTH_MD}, BOOTH, None, "code",
                                 "booth code 'UJI' is also used by content/booths/lapas-dua/index.md"),
    "slug that would duplicate another": Case(
        {"content/booths/lapas-uji/Keset/index.md": PRODUCT_MD.replace("UJI-001", "UJI-002")},
        "content/booths/lapas-uji/Keset", None, "slug", "'keset-2' ('keset' is taken)"),
    "the same page twice": Case({"content/pages/tentang.md": "---\ntitle: A\n---\n",
                                 "content/pages/tentang.id.md": "---\ntitle: B\n---\n"},
                                "content/pages/tentang.md", None, "slug",
                                "is the same page as content/pages/tentang.id.md"),
    "index.md and index.yaml": Case({f"{KESET_DIR}/index.yaml": "name: Keset\n"}, f"{KESET_DIR}/index.yaml", None,
                                    "", f"both index.md and index.yaml; keep one (the other is {PRODUCT})"),
    # -- text that is not UTF-8
    "Latin-1 file": Case({PRODUCT: PRODUCT_MD.replace("Keset tebal", "Keset caf\xe9").encode("latin-1")},
                         PRODUCT, 8, "", "not UTF-8 text; save it as UTF-8"),
    "UTF-16 file": Case({PRODUCT: PRODUCT_MD.encode("utf-16")}, PRODUCT, 1, "", "not UTF-8"),
    "Latin-1 site.yaml": Case({SITE: SITE_YAML.replace("Gedung Uji", "Gedung \xc9").encode("latin-1")},
                              SITE, 4, "", "not UTF-8"),
    # -- images
    "missing image": product_case("images: [keset-1.jpg]", "images[0]",
                                  "'keset-1.jpg' does not exist in content/booths/lapas-uji/keset"),
    **{f"unusable image {name}": Case({f"{KESET_DIR}/{name}": make()}, f"{KESET_DIR}/{name}", None, "images",
                                      "bomb" if "bomb" in name else "not a readable image")
       for name, make in CORRUPT.items()},
    "decompression bomb JPEG": Case({f"{KESET_DIR}/bomb.jpg": jpeg_bomb()}, f"{KESET_DIR}/bomb.jpg", None,
                                    "images", "claims an enormous size"),
    # -- addresses
    "http address": product_case("marketplaces: {tokopedia: 'http://tokopedia.com/x'}",
                                 "marketplaces.tokopedia", "is not a web address starting with https://"),
    "javascript: address": product_case("marketplaces: {shopee: 'javascript:alert(1)'}",
                                        "marketplaces.shopee", "is not a web address starting with https://"),
    "javascript: website": Case({BOOTH: BAD_WEBSITE}, BOOTH, 5, "contact.website",
                                "'javascript:alert(1)' is not a web address"),
    "javascript: map link": Case({SITE: SITE_YAML.replace(
        "venue: {name: Gedung Uji}", "venue: {name: Gedung Uji, map_url: 'javascript:alert(1)'}")},
        SITE, 4, "event.venue.map_url", "is not a web address starting with https://"),
    "markup in an address": product_case("""marketplaces: {shopee: 'https://shopee.co.id/x"><b>'}""",
                                         "marketplaces.shopee", "holds \" < >, which a web address cannot"),
    # -- image paths that leave the entry's folder
    "image path with ../": product_case("images: ['../index.md']", "images[0]",
                                        "put the photo beside index.md and write just its file name"),
    "absolute image path": product_case("images: ['/etc/hostname']", "images[0]",
                                        "is not a file in this entry's folder"),
    "logo path with ../": Case({BOOTH: LINK_BOOTH}, BOOTH, 5, "logo", "is not a file in this entry's folder"),
    "named photo linked outside": Case(product("images: [foto.jpg]")[0], f"{KESET_DIR}/foto.jpg", None,
                                       "images[0]", "outside content/; only what is inside",
                                       links=((f"{KESET_DIR}/foto.jpg", "OUTSIDE/secret.jpg"),)),
    "photo in the folder linked outside": Case({}, f"{KESET_DIR}/foto.jpg", None, "images", "is a link to",
                                               links=((f"{KESET_DIR}/foto.jpg", "OUTSIDE/secret.jpg"),)),
    "booth folder linked outside": Case({}, "content/booths/luar", None, "", "outside content/",
                                        links=(("content/booths/luar", "OUTSIDE"),)),
    "index.md linked outside": Case({PRODUCT: None}, PRODUCT, None, "", "outside content/",
                                    links=((PRODUCT, "OUTSIDE/index.md"),)),
    # -- base_url
    "missing base_url": Case({SITE: SITE_YAML.replace("base_url: https://example.org/pun/\n", "")}, SITE, 1,
                             "base_url", "is required to build: the absolute https address"),
    "relative base_url": Case({SITE: SITE_YAML.replace("https://example.org/pun/", "/pun/")}, SITE, 2,
                              "base_url", "write it like https://example.org/pun-2019/"),
    "http base_url": Case({SITE: SITE_YAML.replace("https://", "http://")}, SITE, 2, "base_url",
                          "is not a web address starting with https://"),
}


def tree_with_mtimes(folder: Path) -> dict[str, tuple[str, int]]:
    """Every file's digest and mtime: 'untouched' means both."""
    return {p.relative_to(folder).as_posix(): (hashlib.sha256(p.read_bytes()).hexdigest(),
                                               p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def break_site(site: SiteDir, case: Case, outside: Path) -> None:
    for name, data in case.files.items():
        if data is None:
            (site.root / name).unlink()
        else:
            site.write(name, data)
    for link, target in case.links:
        path = site.root / link
        path.parent.mkdir(parents=True, exist_ok=True)
        path.symlink_to(outside.joinpath(*target.split("/")[1:]) if target.startswith("OUTSIDE")
                        else site.root / target)


@pytest.fixture
def outside(tmp_path) -> Path:
    """A folder beside the site: a photo and an entry that must never be published."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "secret.jpg").write_bytes(photo_bytes())
    (folder / "index.md").write_text(BOOTH_MD.replace("UJI", "LUAR"))
    return folder


def leftovers(site: SiteDir) -> list[str]:
    """Staging folders, half-done swaps or updates beside the output."""
    return [p.name for p in site.root.glob(".output.*") if p.name != ".output.lock"]


def located(case: Case) -> str:
    where = f"{case.path}:{case.line}" if case.line else case.path
    return f"{where}: {case.field}: " if case.field else f"{where}: "


@pytest.mark.parametrize("name", CASES)
def test_bad_input_is_located_and_the_last_good_site_kept(make_site, outside, capsys, name):
    case = CASES[name]
    site = make_site()
    assert site.build().ok
    before = tree_with_mtimes(site.output)
    break_site(site, case, outside)
    result = site.build()
    messages = [str(p) for p in result.errors]
    assert not result.ok and not result.refused
    assert any(m.startswith(located(case)) and case.says in m for m in messages), (
        f"wanted {located(case)}...{case.says}... in {messages}")
    # marked for translation, so the command line can say it in Bahasa Indonesia too
    assert [str(p) for p in result.errors if not p.template] == []
    assert tree_with_mtimes(site.output) == before
    assert not leftovers(site)
    # `check` finds the same problem, and says it in its JSON report
    assert main(["check", "--content", str(site.content), "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert {"path": case.path, "line": case.line, "field": case.field} in [
        {k: e[k] for k in ("path", "line", "field")} for e in report["errors"]], report["errors"]


@pytest.mark.parametrize("folder", ["booths", "booths/lapas-uji", "booths/lapas-uji/keset"])
def test_an_unreadable_folder_is_a_problem_not_missing_content(make_site, monkeypatch, folder):
    """A folder without read permission (tests run as root, so os.scandir is made to
    refuse it) must not make its booths or products vanish from a site that builds."""
    site = make_site()
    assert site.build().ok
    before = tree_with_mtimes(site.output)
    refused, real = str(site.content / folder), os.scandir

    def scandir(path):
        if str(path) == refused:
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    result = site.build()
    assert [str(p) for p in result.errors] == [
        f"content/{folder}: cannot be read (Permission denied); make the folder readable "
        "(check its permissions), or move it out of content/"]
    assert tree_with_mtimes(site.output) == before


@pytest.mark.parametrize("name", [n for n in CASES if "linked outside" in n])
def test_links_out_are_refused_from_inside_the_content_folder_too(make_site, outside,
                                                                  monkeypatch, name):
    """`showcase build --content .`: paths have no folder prefix then, and links out
    must still be found (the loader's check takes another road for them)."""
    site = make_site()
    break_site(site, CASES[name], outside)
    monkeypatch.chdir(site.content)
    result = Builder(BuildOptions(Path("."), site.output, workers=1)).build()
    assert not result.ok and any("is a link to" in p.message and "only what is inside the content "
                                 "folder is used" in p.message for p in result.errors), result.errors
    assert not (site.output / "index.html").exists()


def test_every_problem_of_a_badly_broken_site_in_one_run(make_site, outside):
    """One build reports the problems of many rows at once, each in its own file."""
    chosen = ["unknown key in site.yaml", "javascript: website", "booth folder linked outside",
              "duplicate product code", "malformed page slug", "unusable image empty.jpg"]
    site = make_site()
    for name in chosen:
        break_site(site, CASES[name], outside)
    messages = [str(p) for p in site.build().errors]
    for name in chosen:
        assert any(m.startswith(located(CASES[name])) for m in messages), (name, messages)
    assert len(messages) == len(chosen), messages


def test_bom_and_crlf_build_the_same_site(make_site, tmp_path):
    plain = make_site()
    assert plain.build().ok
    windows = SiteDir(tmp_path / "windows")
    for path in plain.content.rglob("*"):
        if path.is_file():
            text = path.read_bytes().replace(b"\n", b"\r\n")
            windows.write(path.relative_to(plain.root).as_posix(), b"\xef\xbb\xbf" + text)
    assert windows.build().ok
    assert {k: v[0] for k, v in tree_with_mtimes(windows.output).items()} == {
        k: v[0] for k, v in tree_with_mtimes(plain.output).items()}


# -- output folders that are not ours --------------------------------------------------------

def own_theme(site: SiteDir) -> Path:
    """The site's own copy of the default theme, so its folder is one the site names."""
    theme = copy_theme(site, "mine")
    site.write(SITE, SITE_YAML + "theme: mine\n")
    return theme


REFUSED = {
    "the content folder": (lambda site, home: site.content, "holds"),
    "inside the content folder": (lambda site, home: site.content / "booths" / "out", "inside"),
    "the theme": (lambda site, home: site.root / "themes" / "mine", "inside"),
    "inside the theme": (lambda site, home: site.root / "themes" / "mine" / "static", "inside"),
    "the themes folder": (lambda site, home: site.root / "themes", "holds"),
    "the site's folder": (lambda site, home: site.root, "holds"),
    "a parent of everything": (lambda site, home: site.root.parent, "holds"),
    "the home folder": (lambda site, home: home, "the home folder"),
    "a folder showcase did not make": (lambda site, home: site.root / "notes", "not made by showcase"),
    "a file": (lambda site, home: site.root / "notes" / "todo.txt", "is a file, not a folder"),
}


@pytest.mark.parametrize("name", REFUSED)
def test_output_folders_that_are_not_ours_are_refused(make_site, tmp_path, monkeypatch, name):
    make_output, reason = REFUSED[name]
    home = tmp_path / "home"
    home.mkdir()
    (home / ".bashrc").write_text("# mine\n")
    monkeypatch.setenv("HOME", str(home))
    site = make_site()
    own_theme(site)
    site.write("notes/todo.txt", "beli sabut kelapa\n")
    output = make_output(site, home)
    before = outside_the_cache(tmp_path, site)
    result = site.build(output=output)
    assert result.refused and reason in result.refused, result.refused
    assert str(output) in result.refused
    assert outside_the_cache(tmp_path, site) == before


def outside_the_cache(folder: Path, site: SiteDir) -> dict:
    """Every file under `folder` but the site's cache, which any build may fill."""
    return {k: v for k, v in tree_with_mtimes(folder).items()
            if not (folder / k).is_relative_to(site.root / ".cache")}


def test_the_root_folder_is_refused(make_site):
    site = make_site()
    assert writer.refuse_reason(Path("/"), [site.content]) == "/ is the root folder"
    result = site.build(output=Path("/"))  # only reached if the line above held
    assert result.refused == "/ is the root folder"


def test_refusal_is_a_usage_error_that_changes_nothing(make_site, capsys, monkeypatch):
    site = make_site()
    site.write("output/notes.txt", "precious")
    monkeypatch.chdir(site.root)
    assert main(["build"]) == 2
    err = capsys.readouterr().err
    assert "output is not empty and was not made by showcase" in err and "Traceback" not in err
    assert [p.name for p in site.output.iterdir()] == ["notes.txt"]


def test_an_empty_folder_or_one_showcase_made_is_replaced(make_site):
    site = make_site()
    site.output.mkdir()
    assert site.build().ok
    assert (site.output / writer.MARKER).is_file()
    (site.output / "stale.html").write_text("from an older build")
    assert site.build().ok
    assert not (site.output / "stale.html").exists()


def test_a_second_build_while_one_publishes_fails_clearly(make_site):
    site = make_site()
    assert site.build().ok
    before = tree_with_mtimes(site.output)
    site.write(PRODUCT, PRODUCT_MD.replace("75000", "80000"))
    with writer.locked(site.output):
        result = site.build()
    assert result.refused and "another build is writing" in result.refused
    assert tree_with_mtimes(site.output) == before
    assert site.build().ok  # the lock goes with the build that held it


# -- text from content never becomes markup --------------------------------------------------

EVIL = "\"'><x-evil data-evil=1>{{7*7}}</x-evil><script>alert(1)</script>"
EVIL_WORD = "'\"><x-evil/data-evil=1>"  # no spaces: for fields that take one word
EVIL_SITE = f"""\
title: {{id: '{EVIL.replace("'", "''")}', en: Fair}}
tagline: '{EVIL.replace("'", "''")}'
description: '{EVIL.replace("'", "''")}'
base_url: https://example.org/pun/
languages: [id, en]
event:
  start: 2019-03-26
  end: 2019-03-28
  hours: '{EVIL.replace("'", "''")}'
  venue: {{name: '{EVIL.replace("'", "''")}', address: '{EVIL.replace("'", "''")}'}}
organiser: {{name: '{EVIL.replace("'", "''")}', email: panitia@example.org}}
categories:
  keset: {{name: '{EVIL.replace("'", "''")}', description: '{EVIL.replace("'", "''")}'}}
  batik: {{name: Batik}}
contact: {{whatsapp: "0812-0000-0001", instagram: '{EVIL_WORD.replace("'", "''")}'}}
"""
Q = EVIL.replace("'", "''")
EVIL_BOOTH = f"""\
---
name: '{Q}'
code: UJI
stand: '{Q}'
region: '{Q}'
contact: {{whatsapp: "0812-0000-0002", instagram: '{EVIL_WORD.replace("'", "''")}'}}
---
{EVIL}

<iframe src="https://evil.example/"></iframe><img src=x onerror=alert(2)>
[klik](javascript:alert(3)) [data](data:text/html;base64,PHNjcmlwdD4=) [toko](https://toko.example/x)
"""
EVIL_PRODUCT = f"""\
---
name: '{Q}'
code: UJI-001
category: keset
price: 75000
price_note: '{Q}'
materials: ['{Q}', karet]
dimensions: '{Q}'
tags: ['{Q}']
maker: '{Q}'
maker_consent: true
featured: true
images: [{{file: foto.jpg, alt: '{Q}'}}]
---
{EVIL}

<style>body{{display:none}}</style><a href="javascript:alert(4)" onclick="alert(5)">x</a>
[luar](https://other.example/page) ![pixel](https://tracker.example/p.png)
<img src="https://tracker.example/q.png"> <link rel="stylesheet" href="https://tracker.example/s.css">
"""
EVIL_PAGE = f"---\ntitle: '{Q}'\ndescription: '{Q}'\n---\n{EVIL}\n"


class Markup(HTMLParser):
    """Every element and attribute of a page, and its text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.code: list[str] = []  # inside <script> and <style>
        self.in_code = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self.in_code = tag in ("script", "style")

    def handle_endtag(self, tag):
        self.in_code = False

    def handle_data(self, data):
        (self.code if self.in_code else self.text).append(data)


@pytest.fixture(scope="module")
def evil_site(tmp_path_factory) -> SiteDir:
    site = SiteDir(tmp_path_factory.mktemp("evil"))
    site.write(SITE, EVIL_SITE)
    site.write(BOOTH, EVIL_BOOTH)
    site.write(PRODUCT, EVIL_PRODUCT)
    site.write(f"{KESET_DIR}/index.en.md", f"---\nname: '{Q}'\n---\n{EVIL}\n")
    site.write(f"{KESET_DIR}/foto.jpg", photo_bytes((320, 240)))
    site.write("content/pages/tentang.md", EVIL_PAGE)
    result = site.build()
    assert result.ok, [str(p) for p in result.errors]
    return site


def pages(site: SiteDir) -> dict[str, Markup]:
    found = {}
    for path in sorted(site.output.rglob("*.html")):
        parsed = Markup()
        parsed.feed(path.read_text("utf-8"))
        found[path.relative_to(site.output).as_posix()] = parsed
    return found


def test_content_never_becomes_an_element_or_attribute(evil_site):
    found = pages(evil_site)
    assert len(found) > 20
    for name, page in found.items():
        # JSON in a <script> may carry the text, escaped; it must never end the element
        assert not [c for c in page.code if "<x-evil" in c.lower() or "</script" in c.lower()
                    or "<!--" in c or "display:none" in c], (name, page.code)
        for tag, attrs in page.tags:
            assert tag not in ("x-evil", "iframe", "object", "embed"), (name, tag)
            assert "data-evil" not in attrs and not any(a.startswith("on") for a in attrs), (name, tag, attrs)
            if tag == "script":  # the theme's own script file, or JSON data; never inline code
                assert attrs.get("src", "").count("static/") == 1 or attrs.get("type", "").endswith("json"), (
                    name, attrs)
            for key in ("href", "src", "action", "formaction", "srcset", "content"):
                value = (attrs.get(key) or "").strip().lower()
                assert not value.startswith(("javascript:", "data:", "vbscript:")), (name, tag, attrs)


def test_content_is_shown_as_the_text_it_is(evil_site):
    found = pages(evil_site)
    for name in ("booths/lapas-uji/keset/index.html", "en/booths/lapas-uji/keset/index.html",
                 "booths/lapas-uji/index.html", "tentang/index.html", "index.html",
                 "categories/keset/index.html"):
        text = "".join(found[name].text)
        assert "<x-evil data-evil=1>{{7*7}}</x-evil>" in text, name
    product = found["booths/lapas-uji/keset/index.html"]
    assert any(EVIL in (a.get("alt") or "") for t, a in product.tags if t == "img")
    assert any(EVIL in (a.get("content") or "") for t, a in product.tags if t == "meta"
               and a.get("property") == "og:title")


def test_pages_load_nothing_from_other_hosts(evil_site):
    """A tracking pixel in a body would tell another host who looked at which product."""
    for name, page in pages(evil_site).items():
        for tag, attrs in page.tags:
            loads = [attrs.get("src"), *(attrs.get("srcset") or "").split(",")]
            if tag == "link" and attrs.get("rel") in ("stylesheet", "preload", "icon", "manifest"):
                loads.append(attrs.get("href"))
            hosts = {urlparse(u.strip().split(" ")[0]).hostname for u in loads if u and u.strip()}
            assert hosts <= {None}, (name, tag, attrs)


def test_links_to_other_sites_get_noopener(evil_site):
    seen = set()
    for name, page in pages(evil_site).items():
        for tag, attrs in page.tags:
            href = attrs.get("href") or ""
            host = urlparse(href).hostname
            if tag == "a" and host and host != "example.org":
                assert "noopener" in (attrs.get("rel") or "").split(), (name, attrs)
                seen.add(host)
    assert {"other.example", "toko.example", "wa.me"} <= seen


def test_machine_files_stay_well_formed(evil_site):
    ElementTree.parse(evil_site.output / "sitemap.xml")
    for svg in (evil_site.output / "qr").rglob("*.svg"):
        ElementTree.parse(svg)
    robots = (evil_site.output / "robots.txt").read_text()
    assert "x-evil" not in robots


def test_cards_print_content_as_text(evil_site, tmp_path, monkeypatch):
    monkeypatch.chdir(evil_site.root)
    pdf_path = tmp_path / "cards.pdf"
    assert main(["cards", "--output", str(pdf_path), "--base-url", PRINT_BASE_URL]) == 0
    pdf = pypdfium2.PdfDocument(str(pdf_path))
    text = "".join(page.get_textpage().get_text_range() for page in pdf)
    assert "x-evil" in text and "{{7*7}}" in text  # drawn as it was written, not interpreted
    pdf.close()
    os.remove(evil_site.content / "printed.yaml")


# -- privacy: nothing about the people or the place behind a photo ---------------------------

MAKER_NOTE = b"MAKERNOTE-PLANTED-" + bytes(range(40, 90))  # vendor data: serials, lens, owner


def phone_photo_with_maker_note(source: Path) -> bytes:
    """A phone JPEG with EXIF (camera, body serial, GPS in Jakarta), a maker note and XMP."""
    exif = phone_exif(6)
    exif[0x8769] = {**exif[0x8769], 0x927C: MAKER_NOTE}  # Exif IFD: MakerNote
    with Image.open(source) as image:
        out = io.BytesIO()
        image.convert("RGB").save(out, "JPEG", quality=90, exif=exif,
                                  xmp=b'<x:xmpmeta xmlns:x="adobe:ns:meta/">SN-PLANTED-12345</x:xmpmeta>')
    return out.getvalue()


def test_no_published_byte_tells_who_or_where(make_site):
    photos = {f"{KESET_DIR}/foto-{i}.jpg": phone_photo_with_maker_note(path)
              for i, path in enumerate(sorted((REPO / "tests" / "photos").glob("*.jpg"))[:2])}
    planted = next(iter(photos.values()))
    assert MAKER_NOTE in planted and {"gps", "serial", "exif"} <= set(has_metadata(planted))
    site = make_site({**photos, PRODUCT: PRODUCT_MD.replace(
        "price: 75000", "price: 75000\nmaker: Budi Santoso\nmaker_consent: false")})
    result = site.build()
    assert result.ok and result.images.made > 0
    files = [p for p in site.output.rglob("*") if p.is_file()]
    originals = set(photos.values())
    for path in files:
        data = path.read_bytes()
        shown = path.relative_to(site.output)
        assert data not in originals, f"{shown} is an original photo"
        assert MAKER_NOTE[:18] not in data and SERIAL.encode() not in data, shown
        assert b"Budi Santoso" not in data, f"{shown} names a maker who did not consent"
        if path.suffix in (".jpg", ".png", ".webp", ".avif"):
            assert has_metadata(data) == [], (shown, has_metadata(data))
