"""One list of the caches a build keeps, and one atomic write for every file it keeps."""

from __future__ import annotations

import os
import sys

import pytest

from showcase import files
from showcase.cache import Caches
from showcase.files import write_atomic
from tests.helpers import SITE_YAML, photo_bytes, tree


class Refused(Exception):
    pass


@pytest.mark.parametrize("step", ["fsync", "replace"])
@pytest.mark.parametrize("durable", [True, False])
def test_a_failed_write_keeps_the_old_bytes_and_leaves_no_temporary_file(tmp_path, monkeypatch,
                                                                         step, durable):
    path = tmp_path / "printed.yaml"
    path.write_bytes(b"old\n")

    def refuse(*args):
        raise Refused(step)

    monkeypatch.setattr(files.os, step, refuse)
    if step == "fsync" and not durable:  # nothing to refuse: the write goes through
        write_atomic(path, "new\n", durable=durable)
        assert path.read_bytes() == b"new\n"
    else:
        with pytest.raises(Refused):
            write_atomic(path, "new\n", durable=durable)
        assert path.read_bytes() == b"old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["printed.yaml"]


def test_an_interrupted_write_leaves_no_temporary_file(tmp_path, monkeypatch):
    path = tmp_path / "photos.json"

    def interrupted(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(files.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(path, b"{}")
    assert list(tmp_path.iterdir()) == []


def test_text_is_utf8_with_its_line_ends_untouched(tmp_path):
    path = tmp_path / "a.txt"
    write_atomic(path, "Keset sabut\nharga Rp 75.000 — murah\n")
    assert path.read_bytes() == "Keset sabut\nharga Rp 75.000 — murah\n".encode("utf-8")
    write_atomic(path, b"\x00\r\n")
    assert path.read_bytes() == b"\x00\r\n"


def test_the_parent_folders_are_made(tmp_path):
    path = tmp_path / "a" / "b" / "c.bin"
    write_atomic(path, b"x", durable=False)
    assert path.read_bytes() == b"x"


@pytest.mark.skipif(sys.platform == "win32", reason="Windows keeps only a read-only flag")
def test_a_replaced_file_keeps_its_permissions(tmp_path):
    path = tmp_path / "products.csv"
    path.write_bytes(b"old")
    os.chmod(path, 0o600)
    write_atomic(path, b"new")
    assert (path.stat().st_mode & 0o777, path.read_bytes()) == (0o600, b"new")


def test_the_cache_folder_is_beside_content_unless_one_is_given(tmp_path):
    assert Caches.of(tmp_path / "content").root == tmp_path / ".cache" / "showcase"
    assert Caches.of(tmp_path / "content", tmp_path / "ci").root == tmp_path / "ci"


def test_a_build_keeps_every_listed_cache_and_nothing_else(make_site):
    """A new cache cannot be added without being listed (with its key and invalidation)."""
    site = make_site({"content/booths/lapas-uji/keset/foto.jpg": photo_bytes((640, 480))})
    assert site.build().ok
    assert site.build().ok  # a second build adds nothing unlisted (a no-change build)
    caches = Caches.of(site.content)
    listed = caches.listed(site.output)
    missing = [name for name, path in listed.items()
               if not path.exists() or path.is_dir() and not any(path.iterdir())]
    assert not missing
    unlisted = [path.relative_to(caches.root).as_posix() for path in caches.root.rglob("*")
                if path.is_file() and not any(path == kept or kept in path.parents
                                              for kept in listed.values())]
    assert not unlisted


def test_cache_leaves_a_crash_cut_short_are_made_again(make_site):
    """QR codes and image variants are written without an fsync: after a crash one may
    be empty or short, and the next build must notice rather than publish it."""
    site = make_site({"content/booths/lapas-uji/keset/foto.jpg": photo_bytes((640, 480))})
    assert site.build().ok
    published = tree(site.output)
    caches = Caches.of(site.content)
    leaves = sorted(caches.qr.iterdir()) + sorted(p for p in caches.images.rglob("*.*")
                                                  if p.name != "manifest.json")
    for index, leaf in enumerate(leaves):
        data = leaf.read_bytes()
        leaf.write_bytes(data[:len(data) // 2] if index % 2 else b"")
    site.write("content/site.yaml", SITE_YAML.replace("Pameran Uji", "Pameran Baru"))
    assert site.build().ok
    assert {name: digest for name, digest in tree(site.output).items()
            if name.startswith(("qr/", "media/"))} == {
        name: digest for name, digest in published.items() if name.startswith(("qr/", "media/"))}
