"""Messages that point to the cause: a YAML mistake at the line where it was made, with
what to do; a quoted number told to lose its quotes; one field written two ways in an
entry and its translation. And scaffolds that do not mislead: a name makes its slug, no
category is guessed, no English name is a copy, `init`'s next command can be pasted."""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from showcase.commands import scaffold
from showcase.commands.cli import main as run
from showcase.load import loader
from showcase.load.source import read
from tests.helpers import PRODUCT, PRODUCT_MD, REPO

TRANSLATION = PRODUCT.replace("index.md", "index.en.md")


def problems_of(make_site, files: dict[str, str]) -> list[str]:
    site, problems = loader.load(make_site(files).content)
    return [str(p) for p in problems.errors]


def product_with(*lines: str) -> str:
    """A product whose front matter is `lines` (line 2 onwards), then the sample's rest."""
    return "---\n" + "\n".join(lines) + "\ncode: UJI-001\ncategory: keset\n---\nKeset.\n"


# --- YAML mistakes, at their line, with a hint ----------------------------------------

INDENT = ("YAML syntax: this line is indented differently from the lines around it; start "
          "it under the other keys of its mapping, with the same number of spaces")


@pytest.mark.parametrize("lines, line, message", [
    # an unclosed quote on line 3, reported where it opens, not at the end of the file
    (("price: 75000", 'name: "Keset Sabut', "materials: [sabut]"), 3,
     "YAML syntax: a quoted value starts here and is never closed; end it with the same quote"),
    (("name: Keset", "materials:", "\t- sabut"), 4,
     "YAML syntax: a tab indents this line; YAML indents with spaces, not tabs: replace the "
     "tab with spaces"),
    (("name: Keset", "price:75000", "featured: true"), 3,
     "YAML syntax: 'price:75000' needs a space after the colon; write price: 75000"),
    (("price:75000", "name: Keset"), 2,
     "YAML syntax: 'price:75000' needs a space after the colon; write price: 75000"),
    (("name: Keset", "materials: [sabut kelapa, karet", "price: 75000"), 3,
     "YAML syntax: a '[' opened here is never closed; close it with ']' on this line"),
    (("name: {id: Keset, en: Doormat", "price: 75000", "featured: true"), 2,
     "YAML syntax: a '{' opened here is never closed; close it with '}' on this line"),
    (("price: 75000", "name: Keset: besar"), 3,
     "YAML syntax: a ': ' inside a value makes YAML read another key; put the value in "
     'quotes: name: "Keset: besar"'),
    (("name:", "    id: Keset", "  en: Doormat", "price: 75000"), 4, INDENT),
    (("name:", "  id: Keset", "   en: Doormat", "price: 75000"), 4, INDENT),
    (("name: Keset", "  price: 75000"), 3, INDENT),
], ids=["unclosed quote", "tab", "no space after colon", "no space, first line",
        "unclosed bracket", "unclosed brace", "colon in value", "dedented key",
        "indented key", "indented after a value"])
def test_a_yaml_mistake_is_reported_where_it_starts_with_a_hint(make_site, lines, line,
                                                                message):
    assert problems_of(make_site, {PRODUCT: product_with(*lines)}) == [
        f"{PRODUCT}:{line}: {message}"]


def test_a_whole_file_that_is_one_key_without_its_space(tmp_path):
    (tmp_path / "index.md").write_text("---\nprice:75000\n---\n", "utf-8")
    assert [e.message for e in read(tmp_path / "index.md").errors] == [
        "YAML syntax: 'price:75000' needs a space after the colon; write price: 75000"]


# --- quoted numbers and flags ---------------------------------------------------------

@pytest.mark.parametrize("line, field, message", [
    ('price: "75000"', "price", '"75000" is in quotes, which makes it text, not a number; '
                                "remove the quotes: price: 75000"),
    ('price: {from: "50000", to: 120000}', "price.from",
     '"50000" is in quotes, which makes it text, not a number; remove the quotes: from: 50000'),
    ('featured: "true"', "featured", '"true" is in quotes, which makes it text, not true or '
                                     "false; remove the quotes: featured: true"),
])
def test_a_quoted_number_or_flag_is_told_to_lose_its_quotes(make_site, line, field, message):
    text = PRODUCT_MD.replace("price: 75000", line)
    assert problems_of(make_site, {PRODUCT: text}) == [f"{PRODUCT}:5: {field}: {message}"]


def test_a_quoted_menu_position_of_a_page(make_site):
    assert problems_of(make_site, {"content/pages/tentang.md":
                                   '---\ntitle: Tentang\nmenu: "2"\n---\nIsi.\n'}) == [
        'content/pages/tentang.md:3: menu: "2" is in quotes, which makes it text, not a '
        "number; remove the quotes: menu: 2"]


# --- one field, two values: the main file and its translation -------------------------

def test_a_field_set_differently_in_index_md_and_index_en_md_names_both(make_site):
    assert problems_of(make_site, {TRANSLATION: "---\nname: Coir mat\n---\nA doormat.\n"}) == [
        f"{TRANSLATION}:2: name: 'Coir mat' here, but {PRODUCT}:2 sets name in 'en' to "
        "'Coconut-coir doormat'; keep one: this file is the place for 'en', so delete "
        "'en: ...' from name in index.md (or delete this line)"]


def test_the_same_value_or_a_language_the_main_file_lacks_is_fine(make_site):
    assert problems_of(make_site, {TRANSLATION: "---\nname: Coconut-coir doormat\n---\n"}) == []
    plain = PRODUCT_MD.replace("name: {id: Keset Sabut Kelapa, en: Coconut-coir doormat}",
                               "name: Keset Sabut Kelapa")
    assert problems_of(make_site, {PRODUCT: plain,
                                   TRANSLATION: "---\nname: Coir mat\n---\n"}) == []


def test_a_page_and_its_translation_that_disagree(make_site):
    assert problems_of(make_site, {
        "content/pages/tentang.md": "---\nmenu: 1\ntitle:\n  id: Tentang\n  en: About\n---\nx\n",
        "content/pages/tentang.en.md": "---\ntitle: About us\n---\nx\n"}) == [
        "content/pages/tentang.en.md:2: title: 'About us' here, but content/pages/tentang.md:5 "
        "sets title in 'en' to 'About'; keep one: this file is the place for 'en', so delete "
        "'en: ...' from title in tentang.md (or delete this line)"]


# --- scaffolds ------------------------------------------------------------------------

def test_a_booth_named_rather_than_slugged(make_site, capsys):
    site = make_site()
    assert run(["new", "booth", "Rutan Salémba", "--content", str(site.content)]) == 0
    path = site.content / "booths/rutan-salemba/index.md"
    assert read(path).data["name"] == {"id": "Rutan Salémba"}
    assert "new product rutan-salemba SLUG" in capsys.readouterr().out
    product = scaffold.new_product(site.content, "rutan-salemba", "Keset Sabut Kelapa")
    assert product == site.content / "booths/rutan-salemba/keset-sabut-kelapa/index.md"
    assert read(product).data["name"] == {"id": "Keset Sabut Kelapa"}
    # a slug stays a slug, as it always was
    assert read(scaffold.new_booth(site.content, "lapas-kediri")).data["name"] == {
        "id": "Lapas Kediri"}


def test_no_english_name_is_a_copy_of_the_indonesian_one(make_site):
    site = make_site()
    text = scaffold.new_booth(site.content, "Rutan Salémba").read_text("utf-8")
    assert "\nname:\n  id: Rutan Salémba\n  # en:\n" in text


def test_no_category_is_guessed_and_the_draft_waits_for_one(make_site):
    site = make_site()
    product = scaffold.new_product(site.content, "lapas-uji", "Tas Anyaman")
    data = read(product).data
    assert "category" not in data and data["draft"] is True
    text = product.read_text("utf-8")
    assert "choose one of keset, batik" in text and "\n# category: keset\n" in text

    result = site.build()  # builds as written: the draft is simply not published
    assert result.ok, [str(p) for p in result.errors]
    assert not (site.output / "booths/lapas-uji/tas-anyaman").exists()
    shown = product.relative_to(site.root).as_posix()
    line = text.split("\n").index("draft: true") + 1
    assert [str(p) for p in result.warnings] == [
        f"{shown}:{line}: category: warning: not chosen yet, so this draft is not published (not even "
        "with --drafts); write category: and one of keset, batik, then remove draft: true"]

    # Not a draft any more, and still no category: an error, as for any product.
    product.write_text(text.replace("\ndraft: true\n", "\n"), "utf-8")
    assert "category: is required" in str(site.build().errors[0])


@pytest.mark.parametrize("folder", ["my fair", "pameran (2027)", "it's $HOME"])
def test_init_prints_a_command_that_can_be_pasted(tmp_path, capsys, folder):
    target = tmp_path / folder
    assert run(["init", str(target)]) == 0
    out = capsys.readouterr().out
    command = next(line for line in out.splitlines() if line.startswith("next: cd "))
    words = shlex.split(command.removeprefix("next: ").split(" && ")[0])
    assert words == ["cd", str(target)]


def test_the_pasted_command_runs_in_a_shell(tmp_path, capsys):
    if sys.platform == "win32":
        pytest.skip("a POSIX shell")
    target = tmp_path / "my fair"
    run(["init", str(target)])
    command = next(line for line in capsys.readouterr().out.splitlines()
                   if line.startswith("next: cd ")).removeprefix("next: ").split(" && ")[0]
    done = subprocess.run(["sh", "-c", f"{command} && pwd"], capture_output=True, text=True,
                          check=True, cwd=REPO)
    assert Path(done.stdout.strip()) == target
