"""Random front matter and random content trees: the loader never crashes, and every
problem it reports names a file that exists.

Hypothesis runs derandomized (the same examples on every run, so CI is stable) and with
modest example counts so the module stays well under half a minute.
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings, strategies as st
from PIL import Image

from showcase.commands import advice
from showcase.load import loader, schema
from showcase.load.source import parse_yaml, read_markdown, read_yaml
from tests.conftest import DEFAULT_FILES, make_site_at

SETTINGS = dict(derandomize=True, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

FIELD_NAMES = sorted({*schema.SITE.fields, *schema.BOOTH.fields, *schema.PRODUCT.fields,
                      *schema.PAGE.fields, "description", "id", "en", "from", "to", "file",
                      "alt", "venue", "start", "widths", "quality", "tokopedia"})

# Characters YAML gives meaning to, line breaks and tabs, a BOM, control characters,
# non-ASCII letters and markup: what a careless or hostile edit can put in a file.
YAML_CHARS = st.sampled_from(list(":-[]{},#&*!|>'\"%@`? \t\n\r") +
                             ["---\n", "\ufeff", "\x00", "\x85", "\u2028", "é", "日",
                              "<script>", "&a", "*a", "!!int ", "!!timestamp ", "2019-02-30"])
raw_yaml = st.lists(YAML_CHARS | st.text(max_size=4), max_size=40).map("".join)

scalars = (st.none() | st.booleans() | st.integers() | st.integers(-10**30, 10**30)
           | st.floats() | st.text(max_size=12) | st.dates()
           | st.sampled_from(["", " ", "75rb", "in-stock", "keset", "UJI-001", "https://x.y/z",
                              "javascript:alert(1)", "http://example.org/", "../x.jpg",
                              "/etc/passwd", "<b>x</b>", "id", "en"]))
keys = st.sampled_from(FIELD_NAMES) | st.text(min_size=1, max_size=6)
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(keys, inner, max_size=4), max_leaves=12)
front_matter = st.dictionaries(keys, values, max_size=8)


def dump(data) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=None)


def assert_well_reported(site_root: Path, site, problems) -> None:
    """No problem without a file that exists; a load that fails says why."""
    if site is None:
        assert problems.errors, "the load failed without saying why"
    else:
        assert not problems.errors
    for problem in problems.items:
        assert problem.path and problem.message.strip(), problem
        assert (site_root / problem.path).exists() or (site_root / problem.path).is_symlink(), (
            f"{problem} names no file")
        assert problem.line is None or problem.line >= 1, problem
        assert str(problem).startswith(problem.path), problem


def load(root: Path):
    """What `showcase check` does: load, then add its warnings; all of it well reported."""
    site, problems = loader.load(root / "content", loader.LoadOptions(drafts=True))
    coverage = advice.advise(site, problems)
    assert_well_reported(root, site, problems)
    assert advice.report_text(problems, coverage) and advice.report_json(problems, coverage)
    return site, problems


# -- the reader alone ----------------------------------------------------------------------

@settings(max_examples=300, **SETTINGS)
@given(raw_yaml)
def test_any_text_parses_or_gives_a_located_reason(text):
    for first_line in (1, 2):
        data, errors = parse_yaml(text, first_line)
        for error in errors:
            assert error.message.strip()
            assert error.line is None or error.line >= first_line
    for raw in (text.encode("utf-8", "surrogatepass"), ("---\n" + text + "\n---\nbody").encode()):
        for doc in (read_markdown(raw), read_yaml(raw)):
            assert isinstance(doc.data, dict)
            assert all(e.message.strip() for e in doc.errors)


@settings(max_examples=200, **SETTINGS)
@given(st.binary(max_size=200))
def test_any_bytes_read_without_an_exception(raw):
    for doc in (read_markdown(raw), read_yaml(raw), read_markdown(b"---\n" + raw + b"\n---\n")):
        assert isinstance(doc.data, dict)
        assert all(e.message.strip() for e in doc.errors)


@settings(max_examples=200, **SETTINGS)
@given(st.text(max_size=20))
def test_every_proposed_name_is_itself_valid(name):
    assert schema.SLUG_RE.fullmatch(schema.slug_fix(name))
    assert schema.BOOTH_CODE_RE.fullmatch(schema.booth_code_fix(name))
    assert schema.PRODUCT_CODE_RE.fullmatch(schema.product_code_fix(name))


# -- random front matter in a real site ----------------------------------------------------

PLACES = {
    "product": ("content/booths/lapas-uji/keset/index.md", True),
    "booth": ("content/booths/lapas-uji/index.md", True),
    "page": ("content/pages/tentang.md", True),
    "translation": ("content/booths/lapas-uji/keset/index.en.md", True),
    "site": ("content/site.yaml", False),
    "index.yaml": ("content/booths/lapas-uji/tikar/index.yaml", False),
    "printed": ("content/printed.yaml", False),
}


@settings(max_examples=150, **SETTINGS)
@given(st.sampled_from(sorted(PLACES)), front_matter, st.text(max_size=30))
def test_random_front_matter_is_reported_never_raised(place, data, body):
    path, markdown = PLACES[place]
    text = f"---\n{dump(data)}---\n{body}\n" if markdown else dump(data)
    with tempfile.TemporaryDirectory() as folder:
        make_site_at(Path(folder), {path: text})
        load(Path(folder))


@settings(max_examples=150, **SETTINGS)
@given(st.sampled_from(sorted(PLACES)), raw_yaml)
def test_random_text_as_front_matter_is_reported_never_raised(place, text):
    path, markdown = PLACES[place]
    with tempfile.TemporaryDirectory() as folder:
        make_site_at(Path(folder), {path: f"---\n{text}\n---\n" if markdown else text})
        load(Path(folder))


# -- random trees --------------------------------------------------------------------------

def tiny_jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 6), (120, 80, 40)).save(out, "JPEG")
    return out.getvalue()


JPEG = tiny_jpeg()
PRODUCT_TEXT = DEFAULT_FILES["content/booths/lapas-uji/keset/index.md"]
BOOTH_TEXT = DEFAULT_FILES["content/booths/lapas-uji/index.md"]

names = st.sampled_from(["keset", "lapas-dua", "Keset Besar", "a.b", "ü", "x_y", "-", "tikar",
                         "index.md", "p", "en", "UPPER"]) | st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="/\x00"),
    min_size=1, max_size=8).filter(lambda n: n not in (".", "..") and len(n.encode()) < 200)
index_files = st.sampled_from([
    ("index.md", PRODUCT_TEXT), ("index.md", BOOTH_TEXT), ("index.md", "---\nname: x\n---\n"),
    ("index.md", b"\xff\xfe---\n"), ("index.md", ""), ("index.yaml", "name: x\ncode: UJI-009\n"),
    ("index.yaml", "- a\n"), ("index.en.md", "---\nname: Mat\n---\nA mat.\n"),
    ("index.fr.md", "---\n---\n"), ("index.id.md", "---\n---\n")])
photos = st.sampled_from([("foto.jpg", JPEG), ("empty.jpg", b""), ("half.jpg", JPEG[:40]),
                          ("text.png", b"not a photo"), ("FOTO.JPG", JPEG)])
entry = st.lists(index_files | photos, max_size=4)
booth = st.tuples(entry, st.dictionaries(names, entry, max_size=3))
pages = st.dictionaries(names.map(lambda n: n + ".md") | st.sampled_from(
    ["tentang.md", "tentang.id.md", "tentang.en.md", "products.md"]),
    st.sampled_from(["---\ntitle: T\n---\n", "---\n---\n", "no front matter"]), max_size=3)
links = st.lists(st.sampled_from(["outside-file", "outside-folder", "loop", "broken", "inside"]),
                 max_size=2)


def write_tree(root: Path, booths: dict, page_files: dict, link_kinds: list[str]) -> None:
    make_site_at(root)
    base = root / "content" / "booths"
    for booth_name, (files, products) in booths.items():
        folder = base / booth_name
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in files:
            write_file(folder / name, data)
        for product_name, product_files in products.items():
            if (folder / product_name).exists() and not (folder / product_name).is_dir():
                continue
            (folder / product_name).mkdir(exist_ok=True)
            for name, data in product_files:
                write_file(folder / product_name / name, data)
    for name, text in page_files.items():
        write_file(root / "content" / "pages" / name, text)
    outside = root / "outside"
    outside.mkdir()
    (outside / "secret.jpg").write_bytes(JPEG)
    (outside / "index.md").write_text(BOOTH_TEXT.replace("UJI", "LUAR"))
    keset = base / "lapas-uji" / "keset"
    targets = {"outside-file": (keset / "link.jpg", outside / "secret.jpg"),
               "outside-folder": (base / "luar", outside),
               "loop": (keset / "loop.jpg", keset / "loop.jpg"),
               "broken": (keset / "gone.jpg", keset / "missing.jpg"),
               "inside": (keset / "same.jpg", base / "lapas-uji" / "keset" / "index.md")}
    for kind in link_kinds:
        link, target = targets[kind]
        if not link.exists() and not link.is_symlink():
            link.symlink_to(target)


def write_file(path: Path, data: str | bytes) -> None:
    if path.is_dir():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode())


@settings(max_examples=120, **SETTINGS)
@given(st.dictionaries(names, booth, max_size=3), pages, links)
def test_random_trees_are_reported_never_raised(booths, page_files, link_kinds):
    with tempfile.TemporaryDirectory() as folder:
        write_tree(Path(folder), booths, page_files, link_kinds)
        site, problems = load(Path(folder))
        if any(kind.startswith("outside") for kind in link_kinds):
            assert any("outside content/" in p.message for p in problems.errors)


# -- what validates also builds ------------------------------------------------------------

plain_text = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=30).filter(
    lambda t: t.strip())
localised = plain_text | st.fixed_dictionaries({"id": plain_text}, optional={"en": plain_text})
plausible_product = st.fixed_dictionaries(
    {"name": localised, "code": st.just("UJI-001"), "category": st.sampled_from(["keset", "batik"])},
    optional={
        "price": st.integers(0, schema.MAX_INTEGER) | st.integers(0, 10**6).flatmap(
            lambda low: st.fixed_dictionaries({"from": st.just(low),
                                               "to": st.integers(low, schema.MAX_INTEGER)})),
        "price_note": localised, "availability": st.sampled_from(
            ["in-stock", "made-to-order", "sold-out", "display-only"]),
        "materials": st.lists(plain_text, min_size=1, max_size=3) | localised,
        "dimensions": localised, "tags": st.lists(plain_text, max_size=3),
        "marketplaces": st.dictionaries(st.sampled_from(["tokopedia", "shopee"]), st.text(
            "abc/?=&%#'", max_size=10).map(lambda t: "https://shop.example/" + t), max_size=2),
        "featured": st.booleans(), "maker": localised, "maker_consent": st.booleans(),
    })


@pytest.fixture(scope="module")
def cache(tmp_path_factory) -> Path:
    """Compiled templates and QR codes kept across examples: only speed depends on it."""
    return tmp_path_factory.mktemp("cache")


@settings(max_examples=25, **SETTINGS)
@given(data=plausible_product, body=st.text(max_size=80))
def test_a_product_that_validates_builds(cache, data, body):
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        site = make_site_at(root, {"content/booths/lapas-uji/keset/index.md":
                                   f"---\n{dump(data)}---\n{body}\n"})
        result = site.build(cache_dir=cache)
        assert result.ok, [str(p) for p in result.errors]
        assert (root / "output/booths/lapas-uji/keset/index.html").is_file()
