"""Windows and macOS as well as Linux: the paths a build takes where the system lacks
what Linux has, run here by taking it away.

Windows has no `fcntl` (the lock is `msvcrt.locking` there), no system has
`renameat2` but Linux (the swap is then a sequence of renames, see
showcase/publish/writer.py), and FAT or exFAT drives have no hard links (every link is
then a copy). Whatever is taken away, a build gives the same bytes; a kill at any step
of the renames leaves a site the next build completes or rolls back. And a name is
a name: a photo saved with a decomposed `é` (NFD, as macOS may save it) publishes as
the composed one (NFC) does.
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
import time
import types
import unicodedata
from pathlib import Path

import pytest

from showcase.load.listing import photos_in
from showcase.publish import writer
from tests.helpers import (KESET_DIR, PRODUCT_MD, REPO, SITE_YAML, Killed, SiteDir, dying_at,
                           photo_bytes, tree)

POSIX = pytest.mark.skipif(sys.platform == "win32", reason="stands Windows' calls in with POSIX ones")

# Starts showcase as on Windows on a FAT drive: no fcntl, no renameat2, no hard links.
# msvcrt, the lock Windows has, is stood in by POSIX record locks (os.lockf), which like
# it fail at once when another process holds the lock and end with the process.
# The stand-in goes in after showcase has loaded: Python's own modules take a module named
# msvcrt for a sign that they run on Windows.
WINDOWS_LIKE = """
import os, sys, types
sys.modules["fcntl"] = None
del os.link
from showcase.commands.cli import main
from showcase.load.listing import photos_in
from showcase.publish import writer
writer.can_exchange = lambda: False
msvcrt = types.ModuleType("msvcrt")
msvcrt.LK_UNLCK, msvcrt.LK_NBLCK = 0, 2
msvcrt.locking = lambda fd, mode, n: os.lockf(fd, os.F_TLOCK if mode else os.F_ULOCK, n)
sys.modules["msvcrt"] = msvcrt
sys.exit(main(sys.argv[1:]))
"""


def windows_like(site: SiteDir, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", WINDOWS_LIKE, *args], cwd=site.root,
        env={**os.environ, "PYTHONPATH": str(REPO), "PYTHONHASHSEED": "0"},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def run_windows_like(site: SiteDir, *args: str) -> str:
    process = windows_like(site, *args)
    out, err = process.communicate(timeout=300)
    assert process.returncode == 0, err
    assert "Traceback" not in err, err
    return out


def stand_in_msvcrt(monkeypatch) -> None:
    """This process as WINDOWS_LIKE starts its subprocesses, for the lock."""
    msvcrt = types.ModuleType("msvcrt")
    msvcrt.LK_UNLCK, msvcrt.LK_NBLCK = 0, 2
    msvcrt.locking = lambda fd, mode, n: os.lockf(fd, os.F_TLOCK if mode else os.F_ULOCK, n)
    monkeypatch.setitem(sys.modules, "fcntl", None)
    monkeypatch.setitem(sys.modules, "msvcrt", msvcrt)


def without_links_or_exchange(monkeypatch, links: str) -> None:
    monkeypatch.setattr(writer, "can_exchange", lambda: False)
    if links == "no os.link":
        monkeypatch.delattr(os, "link")
    else:
        def refuse(*args, **kwargs):
            raise OSError(1, "Operation not permitted")
        monkeypatch.setattr(os, "link", refuse)


def body_edit(site: SiteDir) -> None:
    site.write(f"{KESET_DIR}/index.md", PRODUCT_MD.replace("Keset tebal", "Keset rapat"))


def staged_edit(site: SiteDir) -> None:
    site.write("content/site.yaml", SITE_YAML.replace("Pameran Uji", "Pameran Baru"))
    site.write(f"{KESET_DIR}/baru.jpg", photo_bytes((700, 500), (30, 90, 140)))


@pytest.fixture
def built(make_site, tmp_path):
    """A site built the usual way, and what each edit builds to the usual way."""
    site = make_site({f"{KESET_DIR}/foto.jpg": photo_bytes((900, 600))})
    assert site.build().ok
    expected = {}
    for name, edits in {"body_edit": [body_edit], "staged_edit": [staged_edit],
                        "both": [body_edit, staged_edit]}.items():
        clean = SiteDir(tmp_path / f"clean-{name}")
        shutil.copytree(site.content, clean.content)
        for edit in edits:
            edit(clean)
        assert clean.build().ok
        expected[name] = tree(clean.output)
    return site, tree(site.output), expected


def copy(site: SiteDir, root: Path) -> SiteDir:
    shutil.copytree(site.root, root, symlinks=True)
    return SiteDir(root)


# -- nothing POSIX-only at module load ----------------------------------------------------------

def test_every_module_loads_without_posix_only_modules():
    script = """
import pkgutil, sys, importlib
for name in ("fcntl", "resource", "termios", "pwd", "grp", "pty", "tty", "syslog"):
    sys.modules[name] = None
import showcase
for found in pkgutil.walk_packages(showcase.__path__, "showcase."):
    if found.name != "showcase.__main__":  # runs the command: the one module not imported
        importlib.import_module(found.name)
print("loaded")
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(REPO)}, timeout=120)
    assert result.returncode == 0 and "loaded" in result.stdout, result.stderr


# -- without fcntl, renameat2 and hard links: the same bytes ------------------------------------

@POSIX
def test_a_build_without_what_windows_lacks_gives_the_same_bytes(built, tmp_path):
    site, before, expected = built
    fresh = SiteDir(tmp_path / "fresh")
    shutil.copytree(site.content, fresh.content)
    run_windows_like(fresh, "build", "--quiet", "--workers", "2")  # a first build
    assert tree(fresh.output) == before
    body_edit(fresh)
    run_windows_like(fresh, "build", "--quiet")  # staged and swapped in by renames
    assert tree(fresh.output) == expected["body_edit"]
    staged_edit(fresh)
    run_windows_like(fresh, "build", "--quiet")
    assert tree(fresh.output) == expected["both"]
    assert "0 written" in run_windows_like(fresh, "build")  # a second build: nothing to do
    assert not [p.name for p in fresh.root.glob(".output.*") if p.name != ".output.lock"]


@pytest.mark.parametrize("links", ["no os.link", "os.link fails"])
@pytest.mark.parametrize("in_place", [True, False], ids=["serve", "build"])
def test_publishing_without_links_or_exchange_gives_the_same_bytes(built, tmp_path, monkeypatch,
                                                                    links, in_place):
    site, before, expected = built
    site = copy(site, tmp_path / "site-copy")
    without_links_or_exchange(monkeypatch, links)
    body_edit(site)
    result = site.build(in_place=in_place)
    assert result.ok and tree(site.output) == expected["body_edit"]
    staged_edit(site)
    assert site.build(in_place=in_place).ok
    assert tree(site.output) == expected["both"]
    again = site.build(in_place=in_place)
    assert again.ok and tree(site.output) == expected["both"]
    assert not [p.name for p in site.root.glob(".output.*") if p.name != ".output.lock"]


# -- the lock without fcntl ----------------------------------------------------------------------

@POSIX
def test_without_fcntl_a_second_build_fails_at_once(built, tmp_path, monkeypatch):
    site, before, _ = built
    site = copy(site, tmp_path / "site-copy")
    stand_in_msvcrt(monkeypatch)
    body_edit(site)
    with writer.locked(site.output):  # a build of this process holds the output
        started = time.monotonic()
        second = windows_like(site, "build", "--quiet")
        out, err = second.communicate(timeout=120)
        assert second.returncode == 2 and "another build is writing" in err, err
        assert time.monotonic() - started < 60
    assert tree(site.output) == before
    run_windows_like(site, "build", "--quiet")  # released: the next build goes ahead


@POSIX
def test_without_fcntl_two_builds_at_once_do_not_corrupt_each_other(built, tmp_path):
    site, _, expected = built
    site = copy(site, tmp_path / "site-copy")
    staged_edit(site)
    first, second = windows_like(site, "build", "--quiet"), windows_like(site, "build", "--quiet")
    results = [(p.wait(timeout=300), p.communicate()[1]) for p in (first, second)]
    for code, err in results:
        assert code == 0 or (code == 2 and "another build is writing" in err), (code, err)
        assert "Traceback" not in err
    assert tree(site.output) == expected["staged_edit"]
    assert not [p.name for p in site.root.glob(".output.*") if p.name != ".output.lock"]


# -- a kill at every rename of the sequence -----------------------------------------------------

@pytest.mark.parametrize("edit", [body_edit, staged_edit], ids=["build", "staged"])
def test_a_kill_at_any_rename_is_completed_or_rolled_back(built, tmp_path, monkeypatch, edit):
    site, old, expected = built
    new = expected[edit.__name__]
    without_links_or_exchange(monkeypatch, "no os.link")
    missing_after = []
    for step in range(1, 200):
        killed = copy(site, tmp_path / f"kill-{step}")
        edit(killed)
        with monkeypatch.context() as patch:
            done = dying_at(step, patch)
            try:
                killed.build()
            except Killed:
                pass
            else:
                break  # finished before this step: every step has been a kill
        if not killed.output.exists():
            missing_after.append(done[-1])
        elif tree(killed.output) not in (old, new):
            pytest.fail(f"killed at {done[-1]}: neither site")
        probe = copy(killed, tmp_path / f"probe-{step}")
        writer.recover(probe.output)  # what the next build does first
        assert tree(probe.output) in (old, new), f"killed at {done[-1]}: neither site"
        assert not [p.name for p in probe.root.glob(".output.*") if p.name != ".output.lock"]
        result = killed.build()
        assert result.ok, [str(p) for p in result.errors]
        assert tree(killed.output) == new, f"killed at {done[-1]}: the next build differs"
        assert not [p.name for p in killed.root.glob(".output.*") if p.name != ".output.lock"]
    assert step > 3, "the build was never killed"
    # Only between steps 2 and 3 of the sequence is there no output, and only the
    # staging folder's rename ends that moment.
    assert [kill.split()[1] for kill in missing_after] == ["output"], missing_after


def test_a_kill_while_deleting_the_old_site_is_completed(built, tmp_path, monkeypatch):
    """Step 4 deletes file by file; cut short, it must not leave a part of the old site
    where `recover` would put it back."""
    site, old, expected = built
    site = copy(site, tmp_path / "site-copy")
    without_links_or_exchange(monkeypatch, "no os.link")
    staged_edit(site)
    swapped, deleted = [], []
    real_rename, real_unlink = os.rename, os.unlink

    def rename(source, target, *args, **kwargs):
        real_rename(source, target, *args, **kwargs)
        if Path(target) == site.output:
            swapped.append(target)

    def unlink(path, *args, **kwargs):
        if swapped and len(deleted) == 3:
            raise Killed(path)
        deleted.append(path)
        return real_unlink(path, *args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(os, "rename", rename)
        patch.setattr(os, "unlink", unlink)
        with pytest.raises(Killed):
            site.build()
    assert tree(site.output) == expected["staged_edit"]
    assert writer.recover(site.output)
    assert tree(site.output) == expected["staged_edit"]
    assert not [p.name for p in site.root.glob(".output.*") if p.name != ".output.lock"]


def test_a_folder_held_open_for_a_moment_is_renamed_when_it_is_free(built, tmp_path, monkeypatch):
    """As on Windows, where a virus scanner opening a new file holds its folder."""
    site, _, expected = built
    site = copy(site, tmp_path / "site-copy")
    monkeypatch.setattr(writer, "can_exchange", lambda: False)
    staged_edit(site)
    refused, real_rename = [], os.rename

    def rename(source, target, *args, **kwargs):
        if Path(source).name.startswith(".output.staging-") and len(refused) < 2:
            refused.append(source)
            raise PermissionError(13, "Access is denied", str(source))
        return real_rename(source, target, *args, **kwargs)

    monkeypatch.setattr(os, "rename", rename)
    assert site.build().ok
    assert len(refused) == 2 and tree(site.output) == expected["staged_edit"]


# -- names and bytes ------------------------------------------------------------------------------

@pytest.mark.parametrize("written", ["NFC", "NFD"])
def test_a_decomposed_photo_name_publishes_as_the_composed_one(make_site, tmp_path, written):
    """The file saved as macOS may save it (NFD); front matter naming it either way."""
    composed = "Kafé Ölçü.jpg"
    nfc = SiteDir(tmp_path / "nfc")
    shutil.copytree(make_site().content, nfc.content)
    listed = PRODUCT_MD.replace("materials:", f"images:\n  - file: {unicodedata.normalize(written, composed)}\n"
                                "materials:")
    nfc.write(f"{KESET_DIR}/index.md", listed)
    nfd = SiteDir(tmp_path / "nfd")
    shutil.copytree(nfc.content, nfd.content)
    nfc.write(f"{KESET_DIR}/{composed}", photo_bytes((900, 600)))
    nfd.write(f"{KESET_DIR}/{unicodedata.normalize('NFD', composed)}", photo_bytes((900, 600)))
    for site in (nfc, nfd):
        result = site.build()
        assert result.ok, [str(p) for p in result.errors]
    assert tree(nfd.output) == tree(nfc.output)
    assert any(name.startswith("media/kaf-l-") for name in tree(nfc.output))


def test_photos_are_listed_in_the_order_of_their_composed_names(make_site, tmp_path):
    """`cafe\u0301` sorts before `cafz` by its bytes, after it composed: the composed order
    is the one every system gives."""
    sites, orders = [], []
    for form in ("NFC", "NFD"):
        site = SiteDir(tmp_path / form)
        shutil.copytree(make_site().content, site.content)
        site.write(f"{KESET_DIR}/cafz.jpg", photo_bytes((900, 600), (10, 20, 30)))
        site.write(f"{KESET_DIR}/{unicodedata.normalize(form, 'café.jpg')}", photo_bytes((900, 600)))
        orders.append([p.name[-5:] for p in photos_in(site.root / KESET_DIR)])
        assert site.build().ok
        sites.append(tree(site.output))
    assert orders == [["z.jpg", "é.jpg"], ["z.jpg", "\u0301.jpg"]]
    assert sites[0] == sites[1]


def test_no_crlf_is_written_even_where_the_system_line_end_is_crlf(built, tmp_path, monkeypatch):
    site, before, _ = built
    monkeypatch.setattr(os, "linesep", "\r\n")
    fresh = SiteDir(tmp_path / "fresh")
    shutil.copytree(site.content, fresh.content)
    assert fresh.build().ok
    assert tree(fresh.output) == before
    texts = [p for p in [*fresh.output.rglob("*"), *(fresh.root / ".cache").rglob("*")]
             if p.is_file() and p.suffix in (".html", ".css", ".js", ".json", ".xml", ".txt",
                                               ".svg", ".webmanifest", ".yaml", ".md", "")]
    assert texts
    assert [p for p in texts if b"\r\n" in p.read_bytes()] == []


def test_showcase_writes_no_file_in_text_mode():
    """Text mode writes `\\r\\n` on Windows: every file goes out as bytes
    (showcase.files.write_atomic, write_bytes), so this finds any other way in."""
    found = []
    for path in sorted((REPO / "showcase").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            where = f"{path.relative_to(REPO).as_posix()}:{getattr(node, 'lineno', 0)}"
            if isinstance(node, ast.Attribute) and node.attr in ("write_text", "linesep"):
                found.append(f"{where}: {node.attr}")
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "open":
                modes = [a.value for a in [*node.args[1:2], *[k.value for k in node.keywords
                                                            if k.arg == "mode"]]
                         if isinstance(a, ast.Constant)]
                if any(set(m) & set("wax") and "b" not in m for m in modes):
                    found.append(f"{where}: open in text mode")
    assert found == []
