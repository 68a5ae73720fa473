"""The manual in docs/ (and the README) is true: every `showcase` command it shows is
run, with the exit status it implies and, where a `console` block shows output, exactly
that output; every relative link leads to a file of the project.

How a code block is run, read from HTML comments on the lines just above its fence:

- `<!-- site: starter|ready|sample|errors|warnings|empty -->`: the folder it runs in, a
  fresh temporary copy each time: the site `showcase init` makes (the default), the
  same with its placeholders replaced as the docs say to before printing (`ready`), the
  bundled sample, one of the example sites in docs/examples/, or an empty folder.
- `<!-- exit: N -->`: the exit status of each command (default 0).
- `<!-- not run: why -->`: the block is skipped (it needs the network or a server).

Commands speak the language of their page: English, and Bahasa Indonesia on the pages
in docs/id/ (as `SHOWCASE_LANG` chooses it), whatever the locale the tests run in.

In a `sh` block every line that starts with `showcase` is a command (a `#` comment after
it is dropped, `cd DIR` moves into DIR, `&&` chains); in a `console` block the lines
that start with `$ ` are, and the lines under one are its output. `serve` is started in
a process of its own, on a free port of 127.0.0.1, and must answer there.
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from showcase.commands import cli
from tests.helpers import PRINT_BASE_URL, REPO, free_port

DOCS = sorted((REPO / "docs").glob("*.md")) + sorted((REPO / "docs" / "id").glob("*.md"))
PAGES = [REPO / "README.md", *DOCS]
SITES = ("starter", "ready", "sample", "errors", "warnings", "empty")
FENCE = re.compile(r"^(```+)\s*(\S*)\s*$")
MARKER = re.compile(r"^<!--\s*([a-z ]+?)\s*:\s*(.*?)\s*-->$")


@dataclass
class Block:
    page: Path
    line: int
    language: str
    lines: list[str]
    markers: dict[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return f"{self.page.relative_to(REPO).as_posix()}:{self.line}"


def code_blocks(page: Path) -> list[Block]:
    """The fenced blocks of a Markdown page, with the markers written above each."""
    blocks, lines = [], page.read_text("utf-8").splitlines()
    i = 0
    while i < len(lines):
        fence = FENCE.match(lines[i])
        if not fence:
            i += 1
            continue
        markers, j = {}, i - 1
        while j >= 0 and (MARKER.match(lines[j]) or not lines[j].strip()):
            if lines[j].strip():
                key, value = MARKER.match(lines[j]).groups()
                markers[key] = value
            j -= 1
        end = next(k for k in range(i + 1, len(lines)) if lines[k].startswith(fence.group(1)))
        blocks.append(Block(page, i + 1, fence.group(2), lines[i + 1:end], markers))
        i = end + 1
    return blocks


@dataclass
class Step:
    argv: list[str]          # after "showcase"; ["cd", DIR] for a change of folder
    output: list[str] | None  # what a console block shows under the command, if anything


def steps(block: Block) -> list[Step]:
    found: list[Step] = []
    for line in block.lines:
        if block.language == "console":
            if not line.startswith("$ "):
                if found and found[-1].argv[0] != "cd":
                    found[-1].output = (found[-1].output or []) + [line]
                continue
            line = line[2:]
        for command in line.split("&&"):
            words = shlex.split(command, comments=True)
            if words[:1] == ["cd"]:
                found.append(Step(words, None))
            elif words[:1] == ["showcase"]:
                found.append(Step(words[1:], None))
    return [s for s in found if s.argv[0] != "cd" or len(s.argv) == 2]


RUN = [pytest.param(block, id=block.name) for page in PAGES for block in code_blocks(page)
       if block.language in ("sh", "console") and any(s.argv[0] != "cd" for s in steps(block))]


def test_the_docs_show_commands_and_every_site_marker_is_known():
    assert len(RUN) >= 25, [b.id for b in RUN]
    for param in RUN:
        block = param.values[0]
        assert set(block.markers) <= {"site", "exit", "not run"}, block.name
        assert block.markers.get("site", "starter") in SITES, block.name


def make_site(kind: str, tmp: Path) -> Path:
    """A fresh folder of the given kind to run a block in."""
    root = tmp / "site"
    if kind in ("starter", "ready"):
        assert cli.main(["init", str(root)]) == 0
        if kind == "ready":  # what docs/printing.md says to do before printing
            site_yaml = root / "content" / "site.yaml"
            text = site_yaml.read_text("utf-8")
            assert "https://example.org/" in text and "0812-0000-0000" in text
            site_yaml.write_text(text.replace("https://example.org/", PRINT_BASE_URL)
                                 .replace("0812-0000-0000", "0812-3456-7890"), "utf-8")
    elif kind == "sample":
        shutil.copytree(REPO / "content", root / "content")
    elif kind in ("errors", "warnings"):
        shutil.copytree(REPO / "docs" / "examples" / kind / "content", root / "content")
    else:
        root.mkdir()
    return root



def serve_answers(argv: list[str], cwd: Path, log: Path) -> None:
    """`showcase serve` as shown, on a free port of 127.0.0.1; it must answer there."""
    port = free_port()
    argv = [a for i, a in enumerate(argv) if a != "--host" and (i == 0 or argv[i - 1] != "--host")]
    argv = [a for i, a in enumerate(argv) if a != "--port" and (i == 0 or argv[i - 1] != "--port")]
    with open(log, "w") as out:
        process = subprocess.Popen([sys.executable, "-m", "showcase", *argv, "--host", "127.0.0.1",
                                    "--port", str(port), "--workers", "1"],
                                   cwd=cwd, stdout=out, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 60
            while True:
                assert process.poll() is None, log.read_text("utf-8")
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
                        assert response.status == 200
                    break
                except urllib.error.HTTPError as error:  # the server answers: under base_url's path
                    assert error.code == 404, error
                    break
                except OSError:
                    assert time.monotonic() < deadline, log.read_text("utf-8")
                    time.sleep(0.2)
        finally:
            process.terminate()
            process.wait(timeout=20)


def run(argv: list[str], capsys) -> tuple[int, str]:
    try:
        status = cli.main(argv)
    except SystemExit as exit_:  # argparse: --help, --version, usage
        status = exit_.code if isinstance(exit_.code, int) else 2
    out, err = capsys.readouterr()
    return status, out + err


@pytest.mark.parametrize("block", RUN)
def test_every_command_in_the_docs_runs(block: Block, tmp_path, monkeypatch, capsys):
    if "not run" in block.markers:
        pytest.skip(block.markers["not run"])
    monkeypatch.setenv("SHOWCASE_LANG", "id" if block.page.parent.name == "id" else "en")
    cwd = make_site(block.markers.get("site", "starter"), tmp_path)
    capsys.readouterr()
    expected_status = int(block.markers.get("exit", "0"))
    for step in steps(block):
        if step.argv[0] == "cd":
            cwd = cwd / step.argv[1]
            continue
        monkeypatch.chdir(cwd)
        if step.argv[0] == "serve":
            serve_answers(step.argv, cwd, tmp_path / "serve.log")
            continue
        status, output = run(step.argv, capsys)
        shown = f"{block.name}: showcase {shlex.join(step.argv)}\n{output}"
        assert status == expected_status, shown
        if step.output is not None:
            assert [line.rstrip() for line in output.rstrip("\n").splitlines()] == \
                   [line.rstrip() for line in "\n".join(step.output).rstrip("\n").splitlines()], shown


# -- links ------------------------------------------------------------------------------

LINK = re.compile(r"\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)|\]:\s*(\S+)|(?:href|src)=\"([^\"]+)\"")
EXTERNAL = re.compile(r"^(https?:|mailto:)")


def links(page: Path) -> list[str]:
    text = page.read_text("utf-8")
    text = re.sub(r"^(```+).*?^\1", "", text, flags=re.M | re.S)  # not inside code blocks
    return [next(g for g in m.groups() if g) for m in LINK.finditer(text)]


LINKED = [REPO / "README.md", REPO / "ARCHITECTURE.md", REPO / "bench" / "README.md",
          *sorted((REPO / "docs").rglob("*.md"))]


def anchors(page: Path) -> set[str]:
    """The anchors GitHub gives a page's headings."""
    text = re.sub(r"^(```+).*?^\1", "", page.read_text("utf-8"), flags=re.M | re.S)
    return {re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
            for heading in re.findall(r"^#+ (.+)$", text, flags=re.M)}


@pytest.mark.parametrize("page", LINKED, ids=lambda p: p.relative_to(REPO).as_posix())
def test_every_relative_link_leads_to_a_file_of_the_project(page: Path):
    assert "../shared" not in page.read_text("utf-8")
    for target in links(page):
        if EXTERNAL.match(target):
            continue
        path, _, anchor = target.partition("#")
        assert not path.startswith("/") and "://" not in path, f"{page}: {target}"
        resolved = (page.parent / path).resolve()
        assert resolved.is_relative_to(REPO.resolve()), f"{page}: {target} leads out of the project"
        assert resolved.exists(), f"{page}: {target} does not exist"
        if anchor and resolved.suffix == ".md":
            assert anchor in anchors(resolved), f"{page}: {target}: no such heading"


def test_links_are_found():
    assert "docs/getting-started.md" in links(REPO / "README.md")
    assert "content-reference.md" in links(REPO / "docs" / "README.md")


# -- the examples -----------------------------------------------------------------------

def test_the_sample_passes_check_strict_and_the_examples_do_not(tmp_path, monkeypatch, capsys):
    """The sample is a model to copy; the mistakes the docs show live in docs/examples/.
    Its one warning is its address, on a domain reserved for examples on purpose, so its
    stand cards can never be printed for real: with a real address it passes --strict."""
    for kind, status in (("sample", 0), ("errors", 1), ("warnings", 1)):
        monkeypatch.chdir(make_site(kind, tmp_path / kind))
        strict = ["check", "--strict"] + (["--base-url", PRINT_BASE_URL] if kind == "sample" else [])
        assert run(strict, capsys)[0] == status, kind
    monkeypatch.chdir(tmp_path / "sample" / "site")
    status, shown = run(["check", "--format", "json"], capsys)[:2]
    warnings = json.loads(shown)["warnings"]
    assert status == 0 and [(w["path"], w["field"]) for w in warnings] == [
        ("content/site.yaml", "base_url")]
    monkeypatch.chdir(tmp_path / "warnings" / "site")
    assert run(["check"], capsys)[0] == 0  # warnings alone do not fail check
