"""Rebuilds that render only what an edit can change, and publish it in place: the output
must always be exactly what a full build from scratch gives."""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil

import pytest

from showcase import source, writer
from tests.conftest import BOOTH_MD, PRODUCT_MD, REPO

KESET = "booths/lapas-uji/keset"
TIKAR = "booths/lapas-uji/tikar"
TIKAR_MD = PRODUCT_MD.replace("UJI-001", "UJI-002").replace("Keset Sabut Kelapa", "Tikar Pandan") \
    .replace("Keset tebal", "Tikar anyaman")


def tree(folder):
    """Every file below folder: relative path -> sha256 of its bytes."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def mtimes(folder):
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns
            for p in sorted(folder.rglob("*")) if p.is_file()}


def full_build(site, tmp_path, name="fresh"):
    """The same content built from nothing, into another folder with another cache."""
    output = tmp_path / name
    assert site.build(output, cache_dir=tmp_path / f"{name}-cache").ok
    return tree(output)


@pytest.fixture
def two_products(make_site):
    site = make_site({f"content/{TIKAR}/index.md": TIKAR_MD})
    assert site.build().ok
    return site


def edit(site, entry, old, new):
    path = site.content / entry / "index.md"
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new), "utf-8")


def changed(before, after):
    return sorted(name for name in after if before.get(name) != after[name])


def test_a_body_edit_renders_only_that_entrys_pages(two_products, tmp_path):
    site = two_products
    before = mtimes(site.output)
    edit(site, KESET, "Keset tebal dari sabut kelapa.", "Keset tebal, anyaman rapat.")
    result = site.build()
    assert result.ok
    assert "anyaman rapat" in site.html(KESET)
    touched = changed(before, mtimes(site.output))
    # The product page in both languages (its description changed too) and nothing else:
    # the booth and list pages show names, prices and photos, not descriptions.
    assert touched == [f"{KESET}/index.html", f"en/{KESET}/index.html"]
    assert result.written.written == 2
    assert result.pages == two_products.build().pages  # every page counted, kept or not
    assert tree(site.output) == full_build(site, tmp_path)


def test_a_field_edit_renders_every_page_and_changes_what_shows_it(two_products, tmp_path):
    site = two_products
    before = mtimes(site.output)
    edit(site, KESET, "price: 75000", "price: 80000")
    assert site.build().ok
    touched = changed(before, mtimes(site.output))
    assert f"{KESET}/index.html" in touched and "products/index.html" in touched
    assert f"{TIKAR}/index.html" not in touched  # rendered again, but the same bytes
    assert tree(site.output) == full_build(site, tmp_path)


def test_added_and_removed_entries_and_a_theme_edit_match_a_full_build(two_products, tmp_path):
    site = two_products
    site.write(f"content/booths/lapas-uji/bantal/index.md",
               TIKAR_MD.replace("UJI-002", "UJI-003").replace("Tikar Pandan", "Bantal Batik"))
    assert site.build().ok
    assert tree(site.output) == full_build(site, tmp_path, "one")
    shutil.rmtree(site.content / TIKAR)
    assert site.build().ok
    assert not (site.output / TIKAR).exists()  # no empty folder left behind
    assert tree(site.output) == full_build(site, tmp_path, "two")


def test_a_body_shown_on_another_page_renders_that_page_too(make_site, tmp_path):
    """A theme whose booth page shows each product's description: the renderer sees
    which bodies a page read, so editing one re-renders the booth page as well."""
    themes = tmp_path / "site" / "themes"
    shutil.copytree(REPO / "themes" / "default", themes / "wide")
    booth = themes / "wide" / "templates" / "booth.html"
    text = booth.read_text("utf-8")
    marker = "{{ markdown(booth.body) }}"
    assert marker in text
    booth.write_text(text.replace(marker, marker + "{% for p in products %}"
                                  "<div class=desc>{{ markdown(p.body) }}</div>{% endfor %}"),
                     "utf-8")
    site = make_site({f"content/{TIKAR}/index.md": TIKAR_MD})
    yaml = (site.content / "site.yaml").read_text("utf-8")
    (site.content / "site.yaml").write_text(yaml + "theme: wide\n", "utf-8")
    assert site.build().ok
    edit(site, KESET, "Keset tebal dari sabut kelapa.", "Keset paling awet.")
    assert site.build().ok
    assert "Keset paling awet." in site.html("booths/lapas-uji")
    assert tree(site.output) == full_build(site, tmp_path)


def test_an_output_changed_by_hand_is_rendered_whole_again(two_products):
    site = two_products
    page = site.output / KESET / "index.html"
    page.write_text("defaced", "utf-8")
    edit(site, TIKAR, "Tikar anyaman", "Tikar halus")
    assert site.build().ok
    assert "Keset Sabut Kelapa" in page.read_text("utf-8")
    (site.output / TIKAR / "index.html").unlink()
    assert site.build().ok
    assert "Tikar halus" in site.html(TIKAR)


def test_an_update_in_place_killed_half_way_is_rolled_back(two_products, monkeypatch):
    """A kill between moving files aside and moving the new ones in: the next build
    first puts the last good site back, then builds."""
    site = two_products
    good = tree(site.output)
    edit(site, KESET, "Keset tebal dari sabut kelapa.", "Keset tebal, anyaman rapat.")
    renames = []
    real_rename = os.rename

    def dying_rename(source, target):
        renames.append(target)
        if len(renames) == 4:  # the journal, both old pages aside: killed before the new are in
            raise KeyboardInterrupt
        real_rename(source, target)

    monkeypatch.setattr(writer.os, "rename", dying_rename)
    with pytest.raises(KeyboardInterrupt):
        site.build()
    monkeypatch.setattr(writer.os, "rename", real_rename)
    assert tree(site.output) != good  # half done: the product's pages are not there
    assert list(site.root.glob(".output.update-*"))
    assert writer.recover(site.output)
    assert tree(site.output) == good
    assert not list(site.root.glob(".output.update-*"))
    assert site.build().ok
    assert "anyaman rapat" in site.html(KESET)


def test_parsed_files_are_taken_from_the_cache_until_their_bytes_change(two_products, monkeypatch):
    site = two_products
    parsed = []
    real = source.read_markdown
    monkeypatch.setattr(source, "read_markdown", lambda raw: parsed.append(raw) or real(raw))
    edit(site, KESET, "Keset tebal dari sabut kelapa.", "Keset tebal, anyaman rapat.")
    assert site.build().ok
    assert len(parsed) == 1 and b"anyaman rapat" in parsed[0]  # only the edited file
    assert "anyaman rapat" in site.html(KESET)


def test_a_tampered_or_damaged_parse_cache_is_ignored(two_products, tmp_path):
    """The cache is a pickle: one that would run code is refused, not loaded."""
    site = two_products
    cache = site.root / ".cache" / "showcase" / "parsed.pickle"
    assert cache.is_file()
    planted = tmp_path / "planted"

    class Payload:
        def __reduce__(self):
            return (os.system, (f"touch {planted}",))

    cache.write_bytes(pickle.dumps(Payload()))
    edit(site, KESET, "Keset tebal dari sabut kelapa.", "Keset tebal, anyaman rapat.")
    assert site.build().ok
    assert not planted.exists()
    assert "anyaman rapat" in site.html(KESET)
    cache.write_bytes(cache.read_bytes()[:100])
    edit(site, KESET, "anyaman rapat", "anyaman halus")
    assert site.build().ok and "anyaman halus" in site.html(KESET)
