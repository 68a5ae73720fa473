"""A site's theme holds only what it changes; the rest comes from the built-in default.

Each site here is built beside a twin with the default theme alone, and the two outputs
are compared file by file: an override may change what it overrides (and `sw.js`, whose
version digests the theme) and nothing else.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from showcase import urls
from showcase.commands import cli
from showcase.load import loader
from tests.helpers import PRODUCT_MD, REPO, make_site_at, tree

DEFAULT = REPO / "themes" / "default"
TIKAR = "content/booths/lapas-uji/tikar"
TIKAR_MD = PRODUCT_MD.replace("UJI-001", "UJI-002").replace("Keset Sabut Kelapa", "Tikar Pandan")
MARK = "<p class=own-theme>made by the site's theme</p>"


def built(root: Path, theme: dict[str, str | bytes] | None = None):
    """A test site with two products and `theme` (theme-relative name -> text) as its
    own themes/default/; built; and its output's tree."""
    site = make_site_at(root, {f"{TIKAR}/index.md": TIKAR_MD})
    for name, data in (theme or {}).items():
        site.write(f"themes/default/{name}", data.encode() if isinstance(data, str) else data)
    result = site.build()
    return site, result, tree(site.output) if result.ok else None


@pytest.fixture(scope="module")
def plain(tmp_path_factory):
    return built(tmp_path_factory.mktemp("plain"))


def changed(one: dict[str, str], other: dict[str, str]) -> set[str]:
    return {name for name in one.keys() | other.keys() if one.get(name) != other.get(name)}


def test_a_theme_with_only_the_product_template_changes_product_pages_only(tmp_path, plain):
    product = (DEFAULT / "templates" / "product.html").read_text("utf-8")
    assert "<h1>{{ product.name|shown }}</h1>" in product
    site, result, files = built(tmp_path, {"templates/product.html": product.replace(
        "<h1>{{ product.name|shown }}</h1>", "<h1>{{ product.name|shown }}</h1>" + MARK)})
    assert result.ok, [str(p) for p in result.errors]
    model, _ = loader.load(site.content, loader.LoadOptions())
    config = model.config
    product_pages = {urls.output_path(urls.product(p, lang, config))
                     for p in model.products for lang in config.languages}
    assert len(product_pages) == 4
    assert changed(files, plain[2]) == product_pages | {"sw.js"}
    assert result.pages == plain[1].pages
    for page in product_pages:
        assert MARK in (site.output / page).read_text("utf-8")


def test_a_theme_with_one_string_changes_that_word_only(tmp_path, plain):
    english = (DEFAULT / "i18n" / "en.yaml").read_text("utf-8")
    assert 'nav_products: "Products"' in english
    site, result, files = built(tmp_path, {"i18n/en.yaml": 'nav_products: "Wares"\n'})
    assert result.ok, [str(p) for p in result.errors]
    differ = changed(files, plain[2]) - {"sw.js"}
    assert differ and all(name.startswith("en/") for name in differ)
    for name in differ:
        before = (plain[0].output / name).read_text("utf-8")
        assert (site.output / name).read_text("utf-8").replace("Wares", "Products") == before


def test_a_theme_with_only_a_stylesheet_publishes_it_and_every_other_static_file(tmp_path, plain):
    css = "body { color: rebeccapurple; }\n"
    site, result, files = built(tmp_path, {"static/style.css": css})
    assert result.ok, [str(p) for p in result.errors]
    ours = [name for name in files if name.startswith("static/style.")]
    assert len(ours) == 1 and (site.output / ours[0]).read_text("utf-8") == css
    others = lambda tree: {n: d for n, d in tree.items()  # noqa: E731
                           if n.startswith("static/") and not n.startswith("static/style.")}
    assert others(files) == others(plain[2]) and len(others(files)) == 8


def test_the_default_theme_copied_whole_builds_the_same_site(tmp_path, plain):
    theme = {path.relative_to(DEFAULT).as_posix(): path.read_bytes()
             for path in DEFAULT.rglob("*") if path.is_file()}
    _, result, files = built(tmp_path, theme)
    assert result.ok and files == plain[2]


def test_a_broken_string_file_names_its_file_and_line_and_writes_nothing(tmp_path):
    site, result, before = built(tmp_path)
    assert result.ok
    site.write("themes/default/i18n/en.yaml",
               b'nav_products: "Products"\nnav_booths: Booths\nask_price: "Ask for price\n'
               b"nav_home: Home\n")
    result = site.build()
    assert not result.ok
    assert [str(p) for p in result.errors] == [
        "themes/default/i18n/en.yaml:3: YAML syntax: a quoted value starts here and is "
        "never closed; end it with the same quote"]
    assert tree(site.output) == before


def test_a_template_syntax_error_names_the_template_and_line(tmp_path):
    product = (DEFAULT / "templates" / "product.html").read_text("utf-8").split("\n")
    product.insert(2, "{% if %}")
    site, result, _ = built(tmp_path, {"templates/product.html": "\n".join(product)})
    assert not result.ok
    [problem] = result.errors
    assert (problem.path, problem.line) == ("themes/default/templates/product.html", 3)
    assert "Traceback" not in problem.message
    assert not site.output.exists()


def test_a_template_that_fails_while_rendering_names_its_line_and_writes_nothing(tmp_path):
    """A mistake Jinja only meets at run time (here a division by zero, as a designer's
    arithmetic on a price might be) is a problem at the template's line, not a traceback."""
    product = (DEFAULT / "templates" / "product.html").read_text("utf-8")
    line = product[:product.index("<h1>")].count("\n") + 1
    site, result, _ = built(tmp_path, {"templates/product.html": product.replace(
        "<h1>", "{{ (product.code | length) // 0 }}<h1>", 1)})
    assert not result.ok
    [problem] = result.errors
    assert (problem.path, problem.line) == ("themes/default/templates/product.html", line)
    assert problem.message == "ZeroDivisionError: integer division or modulo by zero"
    assert not site.output.exists()


def test_an_unknown_string_names_the_template_line_and_a_likely_key(tmp_path):
    product = (DEFAULT / "templates" / "product.html").read_text("utf-8")
    line = product[:product.index("<h1>")].count("\n") + 1
    site, result, _ = built(tmp_path, {"templates/product.html": product.replace(
        "<h1>", "{{ t('nav_prodcts') }}<h1>", 1)})
    assert not result.ok
    [problem] = result.errors
    assert (problem.path, problem.line) == ("themes/default/templates/product.html", line)
    assert "'nav_prodcts'" in problem.message and "did you mean 'nav_products'?" in problem.message


def test_a_bad_theme_setting_is_reported_at_its_line(tmp_path):
    _, result, _ = built(tmp_path, {"theme.yaml": "theme_color: '#123456'\nicons: 3\n"
                                                  "backround_color: '#fff'\n"})
    assert sorted(str(p) for p in result.errors) == [
        "themes/default/theme.yaml:2: icons: '3' should be a list of icons, each file, size, "
        "purpose, as in the default theme's theme.yaml (showcase theme copy theme.yaml)",
        "themes/default/theme.yaml:3: backround_color: not a theme setting; did you mean "
        "background_color?"]


def test_theme_settings_reach_the_manifest(tmp_path):
    site, result, _ = built(tmp_path, {"theme.yaml": "theme_color: '#123456'\n"})
    assert result.ok
    manifest = (site.output / "manifest.webmanifest").read_text("utf-8")
    assert '"theme_color": "#123456"' in manifest and '"background_color": "#faf7f2"' in manifest


# -- showcase theme copy ---------------------------------------------------------------------


def copy(tmp_path, capsys, monkeypatch, *args: str) -> tuple[int, str, str]:
    monkeypatch.chdir(tmp_path)
    code = cli.main(["theme", "copy", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_theme_copy_copies_the_whole_default_theme(tmp_path, capsys, monkeypatch):
    code, out, _ = copy(tmp_path, capsys, monkeypatch)
    assert code == 0
    assert tree(tmp_path / "themes" / "default") == tree(DEFAULT)
    assert "wrote themes/default/templates/product.html\n" in out
    assert out.splitlines()[-1].startswith("next: ")


def test_theme_copy_copies_one_file_beside_the_content_folder(tmp_path, capsys, monkeypatch):
    code, out, _ = copy(tmp_path, capsys, monkeypatch, "templates/product.html",
                        "--content", "pameran/content")
    assert code == 0
    target = tmp_path / "pameran" / "themes" / "default"
    assert tree(target) == {"templates/product.html": tree(DEFAULT)["templates/product.html"]}
    assert out.startswith("wrote pameran/themes/default/templates/product.html\n")
    assert "showcase serve --content pameran/content" in out


def test_theme_copy_never_overwrites(tmp_path, capsys, monkeypatch):
    mine = tmp_path / "themes" / "default" / "static" / "style.css"
    mine.parent.mkdir(parents=True)
    mine.write_text("mine", "utf-8")
    code, _, err = copy(tmp_path, capsys, monkeypatch)
    assert code == 2
    assert err == ("showcase theme copy: themes/default/static/style.css: already exists; it "
                   "is not overwritten (delete or rename it first to copy it again)\n")
    assert mine.read_text("utf-8") == "mine"
    assert [p.name for p in (tmp_path / "themes" / "default").rglob("*") if p.is_file()] == [
        "style.css"]


def test_theme_copy_names_an_unknown_file_and_what_was_meant(tmp_path, capsys, monkeypatch):
    code, _, err = copy(tmp_path, capsys, monkeypatch, "templates/produk.html")
    assert code == 2
    assert err.startswith("showcase theme copy: the default theme has no file "
                          "templates/produk.html; did you mean templates/product.html?\n"
                          "its files: README.md, i18n/en.yaml, ")
    assert not (tmp_path / "themes").exists()
