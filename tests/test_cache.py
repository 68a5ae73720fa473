"""One list of the caches a build keeps, and one atomic write for every file it keeps."""

from __future__ import annotations

from showcase.cache import Caches
from tests.conftest import photo_bytes


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
