"""A build with nothing to do skips the work, and never skips an edit it should see."""

from __future__ import annotations

import os
from shutil import copytree

from showcase.builder import BUILTIN_THEMES
from tests.helpers import KESET_PAGE, SITE_YAML


def mtimes(folder):
    return {p: p.stat().st_mtime_ns for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_no_change_build_touches_nothing_and_reports_the_same(make_site):
    site = make_site({"content/site.yaml": SITE_YAML.replace(
        "languages: [id, en]", "languages: [id, en, fr]")})  # a warning: no French strings
    first = site.build()
    assert first.ok and first.warnings
    before = mtimes(site.output)
    again = site.build()
    assert again.ok
    assert mtimes(site.output) == before
    assert (again.pages, again.warnings) == (first.pages, first.warnings)
    assert again.written.written == 0
    assert again.written.unchanged == first.written.written + first.written.unchanged


def test_an_edit_that_keeps_size_and_mtime_is_still_built(make_site):
    site = make_site()
    assert site.build().ok
    path = site.content / KESET_PAGE / "index.md"
    stat = path.stat()
    path.write_text(path.read_text("utf-8").replace("Keset Sabut", "Keset Serat"), "utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # as `touch -r` or a restore would
    assert path.stat().st_size == stat.st_size
    assert site.build().ok
    assert "Keset Serat Kelapa" in site.html(KESET_PAGE)


def test_a_damaged_or_missing_output_file_is_rebuilt(make_site):
    site = make_site()
    assert site.build().ok
    page = site.output / KESET_PAGE / "index.html"
    good = page.read_bytes()
    page.write_bytes(b"<p>defaced</p>")
    (site.output / "sitemap.xml").unlink()
    assert site.build().ok
    assert page.read_bytes() == good
    assert (site.output / "sitemap.xml").is_file()


def test_a_stray_file_in_the_output_is_removed(make_site):
    site = make_site()
    assert site.build().ok
    (site.output / "left-over.html").write_text("old", "utf-8")
    result = site.build()
    assert result.ok and result.written.removed == 1
    assert not (site.output / "left-over.html").exists()


def test_a_changed_site_theme_or_option_is_built(make_site):
    site = make_site()
    assert site.build().ok
    assert site.build(base_url="https://pameran.example.id/").ok
    assert "https://pameran.example.id/" in (site.output / "sitemap.xml").read_text("utf-8")
    own = site.root / "themes" / "default"
    copytree(BUILTIN_THEMES / "default", own)
    base = own / "templates" / "base.html"
    base.write_text(base.read_text("utf-8").replace("<body", "<body data-own-theme"), "utf-8")
    assert site.build(base_url="https://pameran.example.id/").ok
    assert "data-own-theme" in site.html("")


def test_each_output_folder_has_its_own_record(make_site, tmp_path):
    site = make_site()
    assert site.build().ok
    other = site.build(output=tmp_path / "elsewhere")
    assert other.ok and other.written.written > 0
    assert (tmp_path / "elsewhere" / "index.html").is_file()
