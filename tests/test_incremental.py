"""Rebuilds that render only what an edit can change, and publish it in place: the output
must always be exactly what a full build from scratch gives."""

from __future__ import annotations

import hashlib
import html
import os
import pickle
import re
import shutil
import time

import pytest

from showcase import builder
from showcase.assets import qr
from showcase.load import source
from showcase.publish import stamp, writer
from showcase.render import pages
from showcase.render.markup import to_html
from tests.helpers import PRODUCT_MD, append, copy_theme, photo_bytes, tree

KESET = "booths/lapas-uji/keset"
TIKAR = "booths/lapas-uji/tikar"
TIKAR_MD = PRODUCT_MD.replace("UJI-001", "UJI-002").replace("Keset Sabut Kelapa", "Tikar Pandan") \
    .replace("Keset tebal", "Tikar anyaman")


def mtimes(folder):
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns
            for p in sorted(folder.rglob("*")) if p.is_file()}


def full_build(site, tmp_path, name="fresh", **options):
    """The same content built from nothing, into another folder with another cache."""
    output = tmp_path / name
    assert site.build(output, cache_dir=tmp_path / f"{name}-cache", **options).ok
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


@pytest.mark.parametrize("in_place", [False, True], ids=["build", "serve"])
def test_a_body_edit_renders_only_that_entrys_pages(two_products, tmp_path, in_place):
    site = two_products
    before = mtimes(site.output)
    edit(site, KESET, "Keset tebal dari sabut kelapa.", "Keset tebal, anyaman rapat.")
    result = site.build(in_place=in_place)
    assert result.ok
    assert "anyaman rapat" in site.html(KESET)
    touched = changed(before, mtimes(site.output))
    # The product page in both languages (its description changed too) and nothing else:
    # the booth and list pages show names, prices and photos, not descriptions.
    assert touched == [f"{KESET}/index.html", f"en/{KESET}/index.html"]
    assert result.written.written == 2
    # The output as the build recorded it (in place: the listing before it, updated) is
    # the output as it is, so the next build, with nothing changed, does nothing.
    again = site.build(in_place=in_place)
    assert again.stages == () and again.pages == result.pages  # every page counted, kept or not
    assert tree(site.output) == full_build(site, tmp_path)


def test_a_photo_shared_by_two_products_leaves_the_recorded_output_true(make_site):
    """Both products' image URLs are hard links to one cache file: adding the second
    changes the ctime the first one's names report, though the writer never touched them."""
    photo = photo_bytes((1200, 900))
    site = make_site({f"content/{KESET}/a.jpg": photo})
    assert site.build(in_place=True).ok
    site.write(f"content/{TIKAR}/index.md", TIKAR_MD)
    site.write(f"content/{TIKAR}/b.jpg", photo)
    assert site.build(in_place=True).written.touched
    again = site.build(in_place=True)
    assert again.stages == () and again.written.written == 0  # the stamp's short cut


def test_files_made_from_what_all_pages_share_are_kept_while_it_is_unchanged(two_products,
                                                                             monkeypatch):
    """The search indexes, sitemap and service worker are the same after a body edit:
    they are not made again (at 1,000 products that was 0.08 s of every such save)."""
    site, made = two_products, []
    real = pages.search.index_files
    monkeypatch.setattr(pages.search, "index_files", lambda *a: made.append(1) or real(*a))
    edit(site, KESET, "Keset tebal dari sabut kelapa.", "Keset tebal, anyaman rapat.")
    assert site.build(in_place=True).written.written == 2 and made == []
    edit(site, KESET, "Keset Sabut Kelapa", "Keset Sabut")  # a name is in the index
    assert site.build(in_place=True).ok and made == [1]
    assert '"n":"Keset Sabut"' in (site.output / "search-index.json").read_text("utf-8")


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
    site = make_site({f"content/{TIKAR}/index.md": TIKAR_MD})
    booth = copy_theme(site, "wide") / "templates" / "booth.html"
    marker = "{{ markdown(booth.body) }}"
    assert marker in booth.read_text("utf-8")
    append(booth, marker, marker + "{% for p in products %}"
           "<div class=desc>{{ markdown(p.body) }}</div>{% endfor %}")
    append(site.content / "site.yaml", "languages:", "theme: wide\nlanguages:")
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


def test_an_error_while_files_move_rolls_the_update_back_at_once(two_products, monkeypatch):
    """Not a kill (tests/test_crash.py has those): an OSError or Ctrl-C in the middle of
    publishing, after the journal, some old files kept aside and a new one moved in."""
    site = two_products
    good = tree(site.output)
    edit(site, KESET, "Keset tebal dari sabut kelapa.", "Keset tipis.")
    real_replace, calls = os.replace, []

    def failing_replace(source, target):
        if os.path.basename(target) == "journal.json":  # written before anything moves
            return real_replace(source, target)
        calls.append(target)
        if len(calls) == 2:
            raise PermissionError(13, "Permission denied", str(target))
        real_replace(source, target)

    monkeypatch.setattr(writer.os, "replace", failing_replace)
    with pytest.raises(PermissionError):
        site.build(in_place=True)  # as under showcase serve
    monkeypatch.undo()
    assert len(calls) == 2
    assert tree(site.output) == good
    assert not list(site.root.glob(".output.update-*"))


def test_a_kill_after_the_commit_point_leaves_no_empty_folder(two_products, monkeypatch):
    site = two_products
    shutil.rmtree(site.content / TIKAR)
    real_rmtree = writer.shutil.rmtree

    def killed_before_cleaning(path, *args, **kwargs):
        if ".update-" in str(path):
            raise SystemExit("killed")  # stands for SIGKILL just after the commit point
        real_rmtree(path, *args, **kwargs)

    monkeypatch.setattr(writer.shutil, "rmtree", killed_before_cleaning)
    with pytest.raises(SystemExit):
        site.build(in_place=True)
    monkeypatch.undo()
    assert site.build().ok
    assert not (site.output / TIKAR).exists()
    assert "Tikar" not in site.html("booths/lapas-uji")


@pytest.mark.parametrize("in_place", [True, False], ids=["in place", "staged"])
def test_a_page_that_becomes_a_folder_and_back(tmp_path, in_place):
    """publish() writes exactly the files it is given, whatever stood at their paths, and
    says which it touched in place, from which the output's listing can be updated."""
    out = tmp_path / "out"

    def publish(files):
        before = stamp.listing(out) if out.exists() else None
        report = writer.publish(out, files, {}, present=before, in_place=in_place)
        if before is not None and report.touched is not None:
            assert stamp.updated(before, out, report.touched) == stamp.listing(out)
        return report

    publish({"a/index.html": b"1", "b": b"keep"})
    assert (publish({"a": b"2", "b": b"keep"}).touched is None) == (not in_place)
    assert (out / "a").read_bytes() == b"2"
    publish({"a/index.html": b"3", "b": b"keep"})
    assert tree(out) == {"a/index.html": hashlib.sha256(b"3").hexdigest(),
                         "b": hashlib.sha256(b"keep").hexdigest(),
                         writer.MARKER: hashlib.sha256(writer.MARKER_TEXT).hexdigest()}


def test_output_files_changed_in_place_with_their_mtime_kept_are_made_again(two_products, tmp_path):
    """As rsync --inplace -t or an image optimiser would: same inode, size and mtime."""
    site = two_products
    for name, old, new in ((f"{TIKAR}/index.html", b"Tikar Pandan", b"Tikar PANDAN"),
                           ("qr/p/uji-001.svg", b"<path", b"<PATH")):
        path = site.output / name
        stat, data = path.stat(), path.read_bytes()
        assert old in data
        with open(path, "r+b") as handle:
            handle.write(data.replace(old, new))
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    edit(site, KESET, "Keset tebal dari sabut kelapa.", "Keset tipis.")
    assert site.build().ok
    assert tree(site.output) == full_build(site, tmp_path)


def test_a_build_overtaken_by_another_keeps_only_what_it_may(two_products, tmp_path, monkeypatch):
    """`showcase serve` and `showcase build` on one output: build B runs whole while
    build A waits for the lock. A must read the memo and the output B left, not the
    ones from before, or reverting B's edit would never reach the site."""
    site = two_products
    edit(site, KESET, "Keset tebal dari sabut kelapa.", "Keset tipis.")
    real_locked, overtaken = builder.locked, []

    def locked(output):
        if not overtaken:
            overtaken.append(True)
            edit(site, TIKAR, "Tikar anyaman", "Tikar baru")
            assert site.build().ok
        return real_locked(output)

    monkeypatch.setattr(builder, "locked", locked)
    assert site.build().ok
    monkeypatch.undo()
    edit(site, TIKAR, "Tikar baru", "Tikar anyaman")
    assert site.build().ok
    assert tree(site.output) == full_build(site, tmp_path)


def test_qr_codes_being_made_are_dropped_when_rendering_fails(tmp_path):
    urls = [f"https://example.org/p/x-{i:04d}/" for i in range(1500)]
    started = time.perf_counter()
    with pytest.raises(RuntimeError):
        with qr.making(urls, tmp_path, workers=2):
            raise RuntimeError("a template error")
    assert time.perf_counter() - started < 5  # making all 1,500 takes about 15 s


LONG = "Dibuat dengan tangan oleh warga binaan di bengkel kerja lapas. " * 6


@pytest.mark.parametrize("body", [
    f"Pesan lewat [toko kami][toko] atau di stan.\n\n{LONG}\n\n{LONG}\n\n[toko]: https://toko.example/",
    f"[Keset]({'https://example.org/' + 'x' * 300}) ukuran besar.\n\n{LONG}",
    f"# Judul\n\n- satu\n- dua\n\n{LONG}",
    "Pendek saja.",
], ids=["link defined at the end", "long link, short text", "heading and list", "short"])
def test_a_summary_converts_only_the_start_of_a_body_but_says_the_same(body):
    whole = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", to_html(body)))).strip()
    expected = whole if len(whole) <= 155 else whole[:155].rsplit(" ", 1)[0].rstrip(",.;:") + "…"
    assert pages.summary(body) == expected


def test_a_body_read_by_a_theme_any_way_renders_the_pages_that_show_it(make_site, tmp_path):
    """A booth page with a teaser of each product: `p.body.get(lang)|truncate`."""
    site = make_site({f"content/{TIKAR}/index.md": TIKAR_MD})
    templates = copy_theme(site, "wide") / "templates"
    marker = "{{ markdown(booth.body) }}"
    append(templates / "booth.html", marker, marker + "{% for p in products %}"
           "<p class=teaser>{{ p.body.get(lang)|truncate(40) }}</p>{% endfor %}")
    # The 404 page, which the service worker saves and digests, shows a body too: then the
    # files made from what all pages share (sw.js among them) are not simply kept.
    append(templates / "404.html",
           "</ul>", "</ul>{{ site.booths[0].products[0].body.get(lang)|truncate(30) }}")
    append(site.content / "site.yaml", "languages:", "theme: wide\nlanguages:")
    assert site.build().ok
    edit(site, KESET, "Keset tebal dari sabut kelapa.", "Keset paling awet.")
    assert site.build().ok
    assert "Keset paling awet." in site.html("booths/lapas-uji")
    assert "Keset paling awet." in (site.output / "404.html").read_text("utf-8")
    assert tree(site.output) == full_build(site, tmp_path)


def text_only_theme(site):
    """The default theme with no photo shown on any page: photos are then published only
    for what refers to them otherwise (structured data, link previews)."""
    macros = copy_theme(site, "plain") / "templates" / "macros.html"
    text = macros.read_text("utf-8")
    start = text.index("{% macro picture_tag")
    end = text.index("{%- endmacro %}", start) + len("{%- endmacro %}")
    macros.write_text(text[:start] + "{% macro picture_tag(photo, sizes, eager=False, alt='', "
                      "class='') -%}{%- endmacro %}" + text[end:], "utf-8")
    append(site.content / "site.yaml", "languages:", "theme: plain\nlanguages:")


@pytest.mark.parametrize("edited", [KESET, TIKAR])
def test_photos_no_page_shows_are_published_as_a_full_build_publishes_them(make_site, tmp_path,
                                                                          edited):
    """The service worker's list must not publish what it lists (nor list what is not
    published), and a kept page keeps the photos its structured data names."""
    site = make_site({f"content/{KESET}/index.md": PRODUCT_MD.replace("price: 75000\n", ""),
                      f"content/{KESET}/a.jpg": photo_bytes((1200, 900)),
                      f"content/{TIKAR}/index.md": TIKAR_MD})
    text_only_theme(site)
    assert site.build(in_place=True).ok
    edit(site, edited, "dari sabut", "dari serat sabut")
    assert site.build(in_place=True).ok
    assert tree(site.output) == full_build(site, tmp_path)


DRAFT_MD = PRODUCT_MD.replace("UJI-001", "UJI-009").replace("Keset Sabut Kelapa", "Keset Draf") \
    .replace("price: 75000", "price: 75000\ndraft: true")


CHANGES = {  # each: change the site, return the build options it needs
    "base_url": lambda site: {"base_url": "https://other.example/x/"},
    "drafts": lambda site: {"drafts": True},
    "theme switched": lambda site: (
        append(copy_theme(site, "wide") / "templates" / "base.html", "<body", "<!-- wide --><body"),
        append(site.content / "site.yaml", "languages:", "theme: wide\nlanguages:"), {})[-1],
    "theme file edited": lambda site: (append(
        site.root / "themes" / "default" / "templates" / "base.html", "<body", "<!-- x --><body"),
        {})[-1],
    "photo replaced": lambda site: (site.write(f"content/{KESET}/foto.jpg",
                                               photo_bytes((1200, 900), (10, 200, 30))), {})[-1],
    "page added": lambda site: (site.write("content/pages/tentang.md",
                                           "---\ntitle: Tentang\nmenu: 1\n---\nTentang kami.\n"),
                                {})[-1],
    "language added": lambda site: (append(site.content / "site.yaml", "[id, en]", "[id, en, ms]"),
                                    {})[-1],
    "printed.yaml": lambda site: (site.write(
        "content/printed.yaml", "products: [UJI-001, UJI-002, UJI-007]\nbooths: [UJI]\n"
        "retired:\n  UJI-007: /booths/lapas-uji/\n"), {})[-1],
}


@pytest.mark.parametrize("change", CHANGES)
def test_every_kind_of_change_rebuilt_matches_a_full_build(make_site, tmp_path, change):
    site = make_site({f"content/{TIKAR}/index.md": TIKAR_MD,
                      f"content/{KESET}/foto.jpg": photo_bytes((1200, 900)),
                      "content/booths/lapas-uji/draf/index.md": DRAFT_MD})
    copy_theme(site, "default")  # a copy of the default theme beside the site, to edit
    assert site.build().ok
    options = CHANGES[change](site)
    assert site.build(**options).ok
    assert tree(site.output) == full_build(site, tmp_path, "fresh", **options)
    edit(site, TIKAR, "Tikar anyaman", "Tikar halus")  # and an edit after it
    assert site.build().ok
    assert tree(site.output) == full_build(site, tmp_path, "fresh2")


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


def test_a_photo_replaced_by_one_of_the_same_size_and_mtime_is_read_again(make_site, tmp_path):
    """As a restore from a backup or `cp -p` would leave it: only the ctime differs."""
    first, second = photo_bytes((1200, 900), (200, 40, 40)), photo_bytes((1200, 900), (40, 40, 200))
    width = max(len(first), len(second))
    first, second = first.ljust(width, b"\0"), second.ljust(width, b"\0")  # JPEG ignores a tail
    site = make_site({f"content/{KESET}/foto.jpg": first})
    assert site.build().ok
    photo = site.content / KESET / "foto.jpg"
    stat = photo.stat()
    photo.write_bytes(second)
    os.utime(photo, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert site.build().ok
    assert tree(site.output) == full_build(site, tmp_path)
