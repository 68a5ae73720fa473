"""showcase installed as an organiser installs it: from a wheel (or a wheel built from the
sdist) into a fresh virtual environment outside the checkout, then used from a folder
that has never seen the repository.

Nothing is fetched: the wheel and the sdist are built with the hatchling of this
environment (`--no-build-isolation`), installed with `--no-index --no-deps`, and the
new environment borrows this one's dependencies through a `.pth` file. It still imports
showcase from its own site-packages, so anything the wheel lacks (a theme file, the
starter) fails here as it would on an organiser's laptop.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import tarfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from showcase import __version__
from tests.helpers import REPO, fetch, free_port, untracked, wait_for

BIN = "Scripts" if os.name == "nt" else "bin"
EXE = ".exe" if os.name == "nt" else ""
# Run as from a terminal that has never been near the checkout: no PYTHONPATH.
ENV = {name: value for name, value in os.environ.items()
       if name not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}


def run(args: list, cwd: Path, env: dict[str, str] = ENV) -> str:
    done = subprocess.run([str(arg) for arg in args], cwd=cwd, env=env, capture_output=True,
                          text=True, encoding="utf-8", timeout=300)
    assert done.returncode == 0, f"{args} exited {done.returncode}:\n{done.stdout}{done.stderr}"
    return done.stdout


def only(folder: Path, pattern: str) -> Path:
    [path] = folder.glob(pattern)
    return path


def build_wheel(project: Path, into: Path) -> Path:
    run([sys.executable, "-m", "pip", "wheel", "--no-build-isolation", "--no-deps",
         "--disable-pip-version-check", "--quiet", "-w", into, project], cwd=into.parent)
    return only(into, "showcase_exhibition-*.whl")


@dataclass(frozen=True)
class Dists:
    wheel: Path             # built from the checkout
    sdist: Path             # built from the checkout
    wheel_of_sdist: Path    # built from the unpacked sdist


@pytest.fixture(scope="module")
def dists(tmp_path_factory) -> Dists:
    out = tmp_path_factory.mktemp("dist")
    wheel = build_wheel(REPO, out / "wheel")
    run([sys.executable, "-m", "hatchling", "build", "-t", "sdist", "-d", out / "sdist"],
        cwd=REPO)
    sdist = only(out / "sdist", "showcase_exhibition-*.tar.gz")
    with tarfile.open(sdist) as archive:
        archive.extractall(out / "unpacked", filter="data")
    return Dists(wheel, sdist, build_wheel(only(out / "unpacked", "showcase_exhibition-*"), out / "again"))


@dataclass(frozen=True)
class Installed:
    venv: Path
    python: Path
    env: dict[str, str]

    def showcase(self, *args, cwd: Path) -> str:
        return run([self.venv / BIN / f"showcase{EXE}", *args], cwd=cwd, env=self.env)


@pytest.fixture(scope="module", params=["wheel", "wheel of the sdist"])
def installed(request, dists, tmp_path_factory) -> Installed:
    venv = tmp_path_factory.mktemp("venv")
    assert not venv.resolve().is_relative_to(REPO)
    run([sys.executable, "-m", "venv", "--without-pip", venv], cwd=venv)
    python = venv / BIN / f"python{EXE}"
    wheel = dists.wheel if request.param == "wheel" else dists.wheel_of_sdist
    run([sys.executable, "-m", "pip", "--python", python, "install", "--no-index", "--no-deps",
         "--disable-pip-version-check", "--quiet", wheel], cwd=venv)
    # The dependencies, from this environment: listed after the new site-packages, so
    # showcase itself still comes from the new one.
    site_packages = Path(run([python, "-c", "import sysconfig; print(sysconfig.get_paths()"
                                            "['purelib'])"], cwd=venv).strip())
    ours = dict.fromkeys([sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]])
    (site_packages / "zz-test-dependencies.pth").write_text("\n".join(ours) + "\n", "utf-8")
    env = {**ENV, "PATH": os.pathsep.join([str(venv / BIN), ENV.get("PATH", "")])}
    return Installed(venv, python, env)


def test_the_new_environment_runs_its_own_copy(installed, tmp_path):
    code, themes = run([installed.python, "-c", "import showcase, showcase.resources as r; "
                        "print(showcase.__file__); print(r.builtin_themes())"], cwd=tmp_path,
                       env=installed.env).splitlines()
    package = Path(code).resolve().parent
    assert package.is_relative_to(installed.venv.resolve()), code
    assert Path(themes).resolve() == package / "themes" and (package / "themes/default").is_dir()
    assert installed.showcase("--version", cwd=tmp_path).strip() == f"showcase {__version__}"


def test_an_organiser_starts_a_site_and_uses_every_command(installed, tmp_path):
    out = installed.showcase("init", "site", cwd=tmp_path)
    assert "next: cd site && showcase serve" in out
    site = tmp_path / "site"
    assert (site / ".github/workflows/pages.yml").is_file()

    installed.showcase("build", cwd=site)
    page = (site / "output/booths/lapas-contoh/keset-sabut-kelapa/index.html").read_text("utf-8")
    assert "Keset Sabut Kelapa" in page and "LPC-001" in page
    assert [p.name for p in (site / "output/static").glob("style.*.css")]  # the theme's own

    installed.showcase("check", cwd=site)
    site_yaml = site / "content/site.yaml"  # what the starter leaves to the organiser to set
    text = site_yaml.read_text("utf-8").replace("https://example.org/", "https://pameran-uji.id/")
    site_yaml.write_bytes(text.replace("0812-0000-0000", "0812-3456-7890").encode("utf-8"))
    assert " galat, " in installed.showcase("--lang", "id", "check", cwd=site)  # the catalogue
    installed.showcase("cards", cwd=site)
    assert (site / "print/cards.pdf").read_bytes().startswith(b"%PDF")
    installed.showcase("new", "product", "lapas-contoh", "tas-anyaman", cwd=site)
    assert (site / "content/booths/lapas-contoh/tas-anyaman/index.md").is_file()
    # `git add -A` after all that commits the project and nothing a command made.
    assert sorted({path.split("/")[0] for path in untracked(site)}) == [
        ".github", ".gitignore", "content"]

    port = free_port()
    with open(tmp_path / "serve.log", "w", encoding="utf-8") as log:
        process = subprocess.Popen(
            [installed.venv / BIN / f"showcase{EXE}", "serve", "--port", str(port)],
            cwd=site, env=installed.env, stdout=log, stderr=subprocess.STDOUT)
        try:
            def answered():
                if process.poll() is not None:
                    return "exited"
                try:
                    return fetch(f"http://127.0.0.1:{port}/")
                except OSError:
                    return None
            status = wait_for(answered, seconds=60)
            assert status != "exited" and status[0] == 200, (tmp_path / "serve.log").read_text()
            assert "Pameran Produk Warga Binaan" in status[1]
        finally:
            process.terminate()
            process.wait(timeout=20)


def test_the_wheel_carries_the_theme_the_starter_the_licence_and_the_notices(dists):
    names = set(zipfile.ZipFile(dists.wheel).namelist())
    themes = [path.relative_to(REPO / "themes").as_posix()
              for path in (REPO / "themes").rglob("*") if path.is_file()]
    assert {"default/templates/base.html", "default/i18n/id.yaml", "default/static/style.css",
            "default/static/favicon.svg"} <= set(themes)
    assert {f"showcase/themes/{name}" for name in themes} <= names
    starter = [path.relative_to(REPO / "showcase").as_posix()
               for path in (REPO / "showcase/starter").rglob("*") if path.is_file()]
    assert {"starter/.gitignore", "starter/.github/workflows/pages.yml"} <= set(starter)
    assert {f"showcase/{name}" for name in starter} <= names
    assert "showcase/locale/id/LC_MESSAGES/showcase.mo" in names  # committed, not compiled here
    info = f"showcase_exhibition-{__version__}.dist-info"
    assert {f"{info}/licenses/LICENSE", f"{info}/licenses/THIRD_PARTY_NOTICES.md"} <= names
    metadata = zipfile.ZipFile(dists.wheel).read(f"{info}/METADATA").decode()
    assert f"\nVersion: {__version__}\n" in metadata and "\nLicense-Expression: MIT\n" in metadata


def test_a_wheel_built_from_the_sdist_is_the_wheel_built_from_the_checkout(dists):
    names = tarfile.open(dists.sdist).getnames()
    top = f"showcase_exhibition-{__version__}/"
    assert {f"{top}themes/default/templates/base.html", f"{top}LICENSE",
            f"{top}THIRD_PARTY_NOTICES.md"} <= set(names)
    assert not [name for name in names if name.startswith((f"{top}content/", f"{top}tests/"))]

    def files(wheel: Path) -> dict[str, bytes]:
        with zipfile.ZipFile(wheel) as archive:
            return {name: archive.read(name) for name in archive.namelist()}
    assert files(dists.wheel_of_sdist) == files(dists.wheel)
