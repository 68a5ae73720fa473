"""The bundled sample exhibition: it must build whole, in both languages, cleanly."""

from __future__ import annotations

import io
import subprocess
import sys

from showcase import urls
from showcase.commands import cli
from showcase.commands.cli import ImageProgress
from showcase.load import loader
from tests.helpers import REPO, photo_bytes


def test_sample_is_a_real_exhibition():
    site, problems = loader.load(REPO / "content")
    assert site is not None and not problems.errors and not problems.warnings
    assert len(site.booths) >= 8 and len(site.products) >= 30
    assert site.config.languages == ("id", "en")
    assert {c.key for c in site.config.categories} == {p.category for p in site.products}
    availabilities = {p.availability.value for p in site.products}
    assert {"in-stock", "made-to-order", "sold-out", "display-only"} <= availabilities
    assert any(p.price and p.price.is_range for p in site.products)
    assert any(p.price is None for p in site.products)
    assert sum(1 for p in site.products if p.languages and "en" in p.languages) >= len(site.products) / 2
    for photo in (REPO / "content").rglob("*.jpg"):
        assert photo.stat().st_size < 300_000, photo
    assert (REPO / "content" / "CREDITS.md").is_file()


def test_every_entry_is_built_in_both_languages(sample_build):
    site, _ = loader.load(sample_build.content)
    config = site.config
    for lang in config.languages:
        expected = [urls.home(lang, config), urls.products(lang, config), urls.booths(lang, config)]
        expected += [urls.booth(b, lang, config) for b in site.booths]
        expected += [urls.product(p, lang, config) for p in site.products]
        expected += [urls.short_product(p.code, lang, config) for p in site.products]
        expected += [urls.short_booth(b.code, lang, config) for b in site.booths]
        expected += [urls.category(c, lang, config) for c in config.categories]
        expected += [urls.page(p, lang, config) for p in site.pages]
        for url in expected:
            html = (sample_build.output / urls.output_path(url)).read_text("utf-8")
            assert f'<html lang="{lang}">' in html, url


def test_drafts_and_unconsented_makers_stay_unpublished(sample_build, make_site):
    drafts = [p for p in (sample_build.content / "booths").glob("*/*/index.md")
              if "\ndraft: true" in p.read_text("utf-8")]
    assert drafts
    for draft in drafts:
        folder = draft.parent.relative_to(sample_build.content)
        assert not (sample_build.output / folder).exists()
    # the sample names only makers who agreed (it passes `check --strict`), so the
    # scarf's entry, with its consent taken away, is built on its own
    scarf = "booths/lapas-perempuan-malang/syal-batik"
    entry = (sample_build.content / scarf / "index.md").read_text("utf-8")
    assert "\nmaker_consent: true\n" in entry
    site = make_site({f"content/{scarf}/index.md": entry.replace("maker_consent: true\n", ""),
                      f"content/{scarf}/index.en.md": (sample_build.content / scarf / "index.en.md").read_text("utf-8"),
                      f"content/{scarf}/syal.jpg": (sample_build.content / scarf / "syal.jpg").read_bytes(),
                      "content/booths/lapas-perempuan-malang/index.md": "---\nname: Lapas Perempuan Malang\ncode: LPM\n---\n"})
    result = site.build()
    assert result.ok, [str(p) for p in result.errors]
    maker = next(line.split(":", 1)[1].strip().strip('"') for line in entry.splitlines()
                 if line.startswith("maker:"))
    assert maker not in (site.output / scarf / "index.html").read_text("utf-8")


def test_no_original_photo_is_published(sample_build):
    originals = {p.name for p in sample_build.content.rglob("*") if p.suffix in (".jpg", ".png")}
    published = {p.name for p in sample_build.output.rglob("*") if p.is_file()}
    assert not originals & published


def test_command_line(tmp_path):
    run = lambda *args: subprocess.run([sys.executable, "-m", "showcase", *args],  # noqa: E731
                                       capture_output=True, text=True, cwd=tmp_path)
    version = run("--version")
    assert version.returncode == 0 and version.stdout.startswith("showcase ")
    helped = run("build", "--help")
    assert helped.returncode == 0 and "examples:" in helped.stdout
    assert run("frobnicate").returncode == 2
    missing = run("build")
    assert missing.returncode == 1 and "content folder not found" in missing.stderr
    assert "Traceback" not in missing.stderr


def test_build_reports_progress_stages_and_a_summary(make_site, capsys):
    site = make_site({"content/booths/lapas-uji/keset/foto.jpg": photo_bytes((1200, 900))})
    args = ["build", "--content", str(site.content), "--output", str(site.output), "--workers", "1"]
    assert cli.main(args + ["--verbose"]) == 0
    out, err = capsys.readouterr()
    assert "images: 0/1 photos" not in err and "images: 1/1 photos" in err  # plain lines in a log
    for stage in ("load", "render", "images", "publish"):
        assert f"  {stage} " in out
    assert "24 pages; images: 7 made, 0 reused; files: " in out  # 480, 800, 1200 x 2 + og
    assert cli.main(args + ["--quiet"]) == 0
    out, err = capsys.readouterr()
    assert out == "" and err == ""
    assert cli.main(args) == 0
    out, _ = capsys.readouterr()
    assert "images: 0 made, 7 reused; files: 0 written" in out


def test_the_progress_bar_redraws_in_place_on_a_terminal():
    class Terminal(io.StringIO):
        def isatty(self):
            return True
    screen = Terminal()
    bar = ImageProgress(screen)
    for done in range(1, 5):
        bar(done, 4)
    assert screen.getvalue().count("\r") == 4 and screen.getvalue().endswith("] 4/4 photos\n")
    assert "[" + "#" * 15 + "." * 15 + "] 2/4" in screen.getvalue()
