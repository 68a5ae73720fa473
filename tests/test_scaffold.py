"""`showcase new booth|product` and `showcase init`: scaffolded files are built into real
sites and the output is read, so a scaffold is known to build, not just to look right."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
import yaml
from PIL import Image

from showcase import __version__
from showcase.cache import Caches
from showcase.commands import advice, scaffold
from showcase.load import fields, loader, schema
from showcase.commands.cli import main as run  # the command line, as `showcase` runs it
from showcase.builder import Builder, BuildOptions
from showcase.load.source import read
from tests.helpers import photo_bytes, untracked


def build(content_dir: Path):
    return Builder(BuildOptions(content_dir, content_dir.parent / "output", workers=2)).build()


def front_matter_of(path: Path) -> dict:
    return read(path).data


def png(size: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (size, size), (20, 40, 60)).save(out, "PNG")
    return out.getvalue()


def choose_category(product: Path, key: str) -> None:
    """What the organiser does to a new product: pick its category, publish it."""
    text = product.read_text("utf-8")
    product.write_text(re.sub(r"^# category: .*$", f"category: {key}", text, flags=re.M)
                       .replace("\ndraft: true\n", "\n"), "utf-8")


def scaffolded(content_dir: Path, kind: str):
    """A new booth or a new product of the default test site, and its schema."""
    if kind == "booth":
        return scaffold.new_booth(content_dir, "lapas-baru"), fields.BOOTH
    return scaffold.new_product(content_dir, "lapas-uji", "tas-anyaman"), fields.PRODUCT


# --- new booth and new product in the sample ------------------------------------------

def test_new_booth_and_products_build_into_the_sample(sample):
    booth = scaffold.new_booth(sample, "lapas-kediri")
    product = scaffold.new_product(sample, "lapas-kediri", "keset-sabut")
    chair = scaffold.new_product(sample, "lapas-cipinang", "bangku-taman")

    assert booth == sample / "booths/lapas-kediri/index.md"
    assert front_matter_of(booth)["code"] == "LAPKED"
    assert front_matter_of(product)["code"] == "LAPKED-001"
    choose_category(product, "keset")
    choose_category(chair, "keset")
    result = build(sample)
    assert result.ok, "\n".join(map(str, result.errors))
    assert not result.warnings
    output = sample.parent / "output"
    page = (output / "booths/lapas-kediri/keset-sabut/index.html").read_text("utf-8")
    assert "LAPKED-001" in page and "Keset Sabut" in page
    chair_page = output / "booths/lapas-cipinang/bangku-taman/index.html"
    assert "CPN-006" in chair_page.read_text("utf-8")
    assert "Lapas Kediri" in (output / "en/booths/lapas-kediri/index.html").read_text("utf-8")
    assert (output / "p/lapked-001/index.html").is_file()
    assert front_matter_of(chair)["category"] == "keset"  # as the organiser chose


def test_next_product_code_is_one_above_the_highest_ever_used(sample):
    # The sample's Cipinang booth has CPN-001..004, and printed.yaml retires CPN-005: a
    # printed card still leads somewhere, so that code must not come back.
    first = scaffold.new_product(sample, "lapas-cipinang", "bangku-taman")
    assert front_matter_of(first)["code"] == "CPN-006"
    (sample / "booths/lapas-cipinang/rak-buku-susun/index.md").write_text(
        (sample / "booths/lapas-cipinang/rak-buku-susun/index.md").read_text("utf-8")
        .replace("code: CPN-003", "code: CPN-014"), "utf-8")
    second = scaffold.new_product(sample, "lapas-cipinang", "kursi-goyang")
    assert front_matter_of(second)["code"] == "CPN-015"


def test_next_product_code_counts():
    assert scaffold.next_product_code("CPN", ["CPN-014", "CPN-002", "SMK-020"]) == "CPN-015"
    assert scaffold.next_product_code("CPN", ["SMK-001", "CPNX-009"]) == "CPN-001"
    assert scaffold.next_product_code("AB", ["AB-999"]) == "AB-1000"


def test_a_derived_booth_code_that_is_taken_gets_a_digit(sample):
    booth = scaffold.new_booth(sample, "cpn")  # 'CPN' is Lapas Cipinang's
    assert front_matter_of(booth)["code"] == "CPN2"
    assert front_matter_of(scaffold.new_booth(sample, "cpn-x"))["code"] == "CPNX"
    assert scaffold.free_booth_code("rutan-pondok-bambu", set()) == "RPB"
    assert scaffold.free_booth_code("lapas-cipinang", set()) == "LAPCIP"
    assert scaffold.free_booth_code("a", set()) == "AX"
    assert scaffold.free_booth_code("lapas-kelas-iia-yogyakarta-wirogunan", set()) == "LKIYW"
    assert scaffold.free_booth_code("lapas-cipinang", {"LAPCIP", "LAPCIP2"}) == "LAPCIP3"
    assert scaffold.free_booth_code("lapas-kediri-a", {f"LKA{n}" for n in range(2, 10)}
                                    | {"LKA"}) == "LKA10"
    code = scaffold.free_booth_code("lapas-perempuan-malang-jawa-timur-indonesia-x-y-z", set())
    assert schema.BOOTH_CODE_RE.fullmatch(code) and len(code) == 8


def test_a_given_booth_code_is_used_or_refused(sample):
    assert front_matter_of(scaffold.new_booth(sample, "lapas-kediri", code="kdr"))["code"] == "KDR"
    with pytest.raises(scaffold.ScaffoldError, match=r"booths/lapas-cipinang/index\.md"):
        scaffold.new_booth(sample, "lapas-baru", code="CPN")
    with pytest.raises(scaffold.ScaffoldError, match="for example 'KDR2'"):
        scaffold.new_booth(sample, "lapas-baru", code="kdr-2")
    assert not (sample / "booths/lapas-baru").exists()


def test_a_derived_code_that_yaml_would_misread_stays_text(make_site):
    site = make_site()
    booth = scaffold.new_booth(site.content, "no")  # 'NO' unquoted would be false
    assert front_matter_of(booth)["code"] == "NO"
    loaded, problems = loader.load(site.content)
    assert loaded is not None, "\n".join(map(str, problems.errors))


# --- every field, explained -----------------------------------------------------------

@pytest.mark.parametrize("kind", ["booth", "product"])
def test_every_schema_field_is_in_the_file_with_a_comment_in_both_languages(make_site, kind):
    site = make_site()
    path, record = scaffolded(site.content, kind)
    lines = path.read_text("utf-8").splitlines()
    for name in record.names:
        at = next(i for i, line in enumerate(lines) if re.match(rf"(# )?{name}:", line))
        explanation = lines[at - 1]
        assert re.fullmatch(r"# \S.* / \S.*", explanation), (name, explanation)
        # A choice only the organiser can make is left to them: the entry is a draft.
        required = record.field(name).required and not record.field(name).draft_may_omit
        set_on = required or (name == "draft" and kind == "product")
        assert lines[at].startswith("#") != set_on, (name, lines[at])


def test_the_product_comment_lists_every_category(make_site):
    site = make_site()
    text = scaffold.new_product(site.content, "lapas-uji", "tas-anyaman").read_text("utf-8")
    assert "choose one of keset, batik" in text
    assert "\ncategory:" not in text and "\n# category: keset\n" in text
    assert "\ndraft: true\n" in text


@pytest.mark.parametrize("kind", ["booth", "product"])
def test_every_commented_example_is_valid_once_switched_on(make_site, kind):
    """An organiser who removes the '# ' before a field gets a site that still builds."""
    site = make_site()
    path, record = scaffolded(site.content, kind)
    for name in ("logo.png", "cover.jpg") if kind == "booth" else ("foto-1.jpg",):
        (path.parent / name).write_bytes(photo_bytes((1200, 900)) if name.endswith(".jpg")
                                         else png(300))
    switched_on = rf"^# (?=(?:{'|'.join(record.names)}):|  )"
    path.write_text(re.sub(switched_on, "", path.read_text("utf-8"), flags=re.M), "utf-8")
    assert set(front_matter_of(path)) == set(record.names)
    result = site.build(drafts=True)
    assert result.ok, "\n".join(map(str, result.errors))


def test_one_language_sites_get_placeholders_in_that_language_only(make_site):
    site = make_site({"content/site.yaml": "title: Pameran\nbase_url: https://example.org/\n"
                                           "categories: {batik: {name: Batik}}\n"}, defaults=False)
    booth = scaffold.new_booth(site.content, "lapas-baru")
    product = scaffold.new_product(site.content, "lapas-baru", "kain-batik")
    assert front_matter_of(product)["name"] == {"id": "Kain Batik"}
    assert "index.en.md" not in booth.read_text("utf-8")
    choose_category(product, "batik")
    result = site.build()
    assert result.ok, "\n".join(map(str, result.errors))
    assert "LAPBAR-001" in site.html("booths/lapas-baru/kain-batik")


# --- refusals -------------------------------------------------------------------------

def test_a_bad_slug_is_refused_with_the_fixed_one(sample):
    with pytest.raises(scaffold.UsageError, match=r"'Lapas_Baru!' is not a valid booth slug.*"
                                                  r"use 'lapas-baru'"):
        scaffold.new_booth(sample, "Lapas_Baru!")  # not a name: no space, all ASCII
    with pytest.raises(scaffold.UsageError, match="use 'kursi-jati'"):
        scaffold.new_product(sample, "lapas-cipinang", "Kursi_Jati")
    assert not (sample / "booths/Lapas_Baru!").exists()


def test_an_existing_folder_is_refused_and_left_alone(sample):
    before = (sample / "booths/lapas-cipinang/index.md").read_bytes()
    with pytest.raises(scaffold.UsageError, match=r"booths/lapas-cipinang: already exists"):
        scaffold.new_booth(sample, "lapas-cipinang")
    with pytest.raises(scaffold.UsageError,
                       match=r"booths/lapas-cipinang/rak-buku-susun: already exists"):
        scaffold.new_product(sample, "lapas-cipinang", "rak-buku-susun")
    assert (sample / "booths/lapas-cipinang/index.md").read_bytes() == before


def test_a_missing_booth_is_refused_with_the_nearest_one(sample):
    with pytest.raises(scaffold.UsageError,
                       match=r"booths/lapas-cipinan: no such booth; did you mean 'lapas-cipinang'"):
        scaffold.new_product(sample, "lapas-cipinan", "bangku")
    assert not (sample / "booths/lapas-cipinan").exists()


def test_a_missing_site_yaml_is_refused(tmp_path):
    (tmp_path / "content").mkdir()
    with pytest.raises(scaffold.ScaffoldError,
                       match=r"content/site\.yaml: not found.*showcase init"):
        scaffold.new_booth(tmp_path / "content", "lapas-baru")
    assert not (tmp_path / "content/booths").exists()


def test_a_booth_without_a_valid_code_gets_no_products(make_site):
    site = make_site({"content/booths/lapas-uji/index.md": "---\nname: Lapas Uji\n---\n"})
    with pytest.raises(scaffold.ScaffoldError, match=r"lapas-uji/index\.md: code: the booth "
                                                     r"needs a valid code"):
        scaffold.new_product(site.content, "lapas-uji", "tas")


def test_init_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "site").mkdir()
    (tmp_path / "site/notes.txt").write_text("mine")
    with pytest.raises(scaffold.UsageError, match=r"site: is not empty"):
        scaffold.init(tmp_path / "site")
    assert [p.name for p in (tmp_path / "site").iterdir()] == ["notes.txt"]


# --- init -----------------------------------------------------------------------------

def test_init_gives_a_site_that_builds_and_checks_clean(tmp_path):
    content_dir = scaffold.init(tmp_path / "fair")
    assert content_dir == tmp_path / "fair/content"
    photo = content_dir / "booths/lapas-contoh/keset-sabut-kelapa/keset.jpg"
    assert 2_000 < photo.stat().st_size < 10_000

    result = build(content_dir)
    assert result.ok, "\n".join(map(str, result.errors))
    assert not result.warnings
    output = tmp_path / "fair/output"
    for page in ("", "en/", "tentang/", "booths/lapas-contoh/",
                 "booths/lapas-contoh/keset-sabut-kelapa/", "en/categories/keset/"):
        assert (output / page / "index.html").is_file(), page
    assert "https://example.org/booths/lapas-contoh/keset-sabut-kelapa/" in (
        output / "sitemap.xml").read_text()
    assert "LPC-001" in (output / "booths/lapas-contoh/keset-sabut-kelapa/index.html").read_text()
    # What the build made (output, its lock, the cache) stays out of the organiser's commits.
    assert sorted({path.split("/")[0] for path in untracked(tmp_path / "fair")}) == [
        ".github", ".gitignore", "content"]

    # `check` says only what the starter leaves to the organiser, its placeholder address
    # and number: every text in both languages, alt text, a photo large enough, a way to
    # order.
    site, problems = loader.load(content_dir)
    advice.advise(site, problems)
    assert not problems.errors, "\n".join(map(str, problems.items))
    assert [(w.field, "is a placeholder" in w.message) for w in problems.warnings] == [
        ("base_url", True), ("contact.whatsapp", True)], "\n".join(map(str, problems.items))

    # The starter grows with the scaffolds.
    product = scaffold.new_product(content_dir, "lapas-contoh", "tas-anyaman")
    assert front_matter_of(product)["code"] == "LPC-002"


def test_init_is_deterministic(tmp_path):
    first, second = scaffold.init(tmp_path / "a"), scaffold.init(tmp_path / "b")
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    assert all((first / f).read_bytes() == (second / f).read_bytes() for f in files)


def test_init_makes_a_project_that_publishes_itself_when_pushed(tmp_path):
    content_dir = scaffold.init(tmp_path / "fair")
    workflow = yaml.safe_load((tmp_path / "fair/.github/workflows/pages.yml").read_text())
    steps = workflow["jobs"]["build"]["steps"]
    runs = [step["run"] for step in steps if "run" in step]
    # The released showcase by name, a release that builds this site the same; not the
    # checkout (`pip install .`), which a site's repository does not have.
    major, minor = __version__.split(".")[:2]
    assert runs == [f'python -m pip install "showcase-exhibition~={major}.{minor}"', "showcase check",
                    "showcase build"]
    upload = next(step for step in steps if "upload-pages-artifact" in step.get("uses", ""))
    assert upload["with"]["path"] == "output"
    cache = next(step for step in steps if "actions/cache" in step.get("uses", ""))
    assert tmp_path / "fair" / cache["with"]["path"] == Caches.of(content_dir).root
    assert "deploy-pages" in str(workflow["jobs"]["deploy"]["steps"])


# --- the command line -----------------------------------------------------------------

def test_commands_exit_codes_and_messages(tmp_path, capsys):
    fair = tmp_path / "fair"
    assert run(["init", str(fair)]) == 0
    out = capsys.readouterr().out
    assert f"created {fair / 'content'}" in out and "showcase serve" in out

    options = ["--content", str(fair / "content")]
    assert run(["new", "booth", "lapas-kediri", *options]) == 0
    out = capsys.readouterr().out
    assert "created" in out and "(code LAPKED)" in out
    assert f"showcase new product lapas-kediri SLUG --content {fair / 'content'}" in out

    assert run(["new", "product", "lapas-kediri", "keset", *options]) == 0
    assert "(code LAPKED-001)" in capsys.readouterr().out
    assert run(["new", "booth", "lapas-lain", "--code", "KDR", *options]) == 0
    capsys.readouterr()

    # wrong usage: 2, with the reason on stderr
    assert run(["new", "booth", "Lapas_Kediri", *options]) == 2
    assert "use 'lapas-kediri'" in capsys.readouterr().err
    assert run(["new", "product", "lapas-kedir", "tas", *options]) == 2
    assert "did you mean 'lapas-kediri'?" in capsys.readouterr().err
    assert run(["init", str(fair)]) == 2
    assert "is not empty" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exited:
        run(["new", "booth"])
    assert exited.value.code == 2
    with pytest.raises(SystemExit) as exited:
        run(["new", "shop", "x"])
    assert exited.value.code == 2

    # a problem with the content: 1
    (tmp_path / "empty").mkdir()
    assert run(["new", "booth", "lapas-baru", "--content", str(tmp_path / "empty")]) == 1
    assert "site.yaml: not found" in capsys.readouterr().err

    result = build(fair / "content")
    assert result.ok, "\n".join(map(str, result.errors))
    # The new product waits, as a draft, for the category only the organiser can choose.
    assert [(p.field, "not chosen yet" in p.message) for p in result.warnings] == [
        ("category", True)]


def test_default_content_folder(tmp_path, monkeypatch, capsys):
    scaffold.init(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert run(["new", "product", "lapas-contoh", "tas"]) == 0
    assert (tmp_path / "content/booths/lapas-contoh/tas/index.md").is_file()
    assert "--content" not in capsys.readouterr().out
