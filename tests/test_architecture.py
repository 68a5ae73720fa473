"""The layers of `pyproject.toml`'s import contract hold, and breaking one fails the run."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.helpers import REPO


def lint_imports(root: Path) -> subprocess.CompletedProcess:
    """import-linter over the `showcase` package found under root, with the repo's contract."""
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run([sys.executable, "-c", "from importlinter.cli import lint_imports_command;"
                           "lint_imports_command()", "--config", str(REPO / "pyproject.toml"),
                           "--no-cache"],
                          cwd=root, env=env, capture_output=True, text=True, timeout=120)


def test_the_layers_are_kept():
    run = lint_imports(REPO)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "2 kept, 0 broken" in run.stdout


def test_an_import_up_the_layers_breaks_the_contract(tmp_path):
    shutil.copytree(REPO / "showcase", tmp_path / "showcase",
                    ignore=shutil.ignore_patterns("__pycache__"))
    # The model reaching up into a command: the arrow every layer forbids.
    model = tmp_path / "showcase" / "model.py"
    model.write_text(model.read_text("utf-8") + "\nfrom showcase.commands import cli  # noqa\n",
                     "utf-8")
    # A stage drawing a PDF: what the forbidden contract keeps in the commands.
    pages = tmp_path / "showcase" / "render" / "pages.py"
    pages.write_text(pages.read_text("utf-8") + "\nimport reportlab  # noqa\n", "utf-8")
    run = lint_imports(tmp_path)
    assert run.returncode != 0
    assert "0 kept, 2 broken" in run.stdout
    assert "showcase.model -> showcase.commands.cli" in run.stdout
    assert "showcase.render.pages -> reportlab" in run.stdout


def test_no_test_module_imports_another():
    """What tests share lives in tests/helpers.py (and fixtures in conftest.py): a test
    module importing another runs that module's fixtures and tests' setup twice, and ties
    two files that should change alone."""
    import ast
    tests = {path.stem for path in (REPO / "tests").glob("test_*.py")}
    found = []
    for path in sorted((REPO / "tests").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            names = ([alias.name for alias in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            found += [f"{path.name} imports {name}" for name in names
                      if name.split(".")[-1] in tests]
    assert found == []
