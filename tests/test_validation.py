"""One small broken site per kind of problem, asserting the message: file, line, field."""

from __future__ import annotations

import pytest

from showcase.commands.cli import main
from tests.helpers import BOOTH, BOOTH_MD, PRODUCT, PRODUCT_MD, SITE_YAML, photo_bytes, with_field


def messages(result) -> list[str]:
    return [str(p) for p in result.errors]


def only(result, needle: str) -> str:
    found = [m for m in messages(result) if needle in m]
    assert found, f"no message with {needle!r} in {messages(result)}"
    return found[0]


def test_unknown_key_names_the_nearest(make_site):
    site = make_site({PRODUCT: PRODUCT_MD.replace("price:", "prise:")})
    assert only(site.build(), "prise") == (
        f"{PRODUCT}:5: prise: unknown field; did you mean 'price'?")


@pytest.mark.parametrize("line, expected", [
    ('price: "75rb"', "price: expected whole rupiah like 75000"),
    ("price: -5", "price: a price cannot be negative (-5)"),
    ("price: {from: 90000, to: 50000}", "price: 'from' (90000) is more than 'to' (50000)"),
    ("availability: instock", "availability: 'instock' is not allowed; did you mean 'in-stock'?"),
    ("category: kest", "category: 'kest' is not a category of site.yaml; did you mean 'keset'?"),
    ("featured: maybe", "featured: expected true or false"),
    ("marketplaces: {tokopedia: 'http://tokopedia.com/x'}",
     "marketplaces.tokopedia: 'http://tokopedia.com/x' is not a web address starting with https://"),
    ("marketplaces: {tokopedai: 'https://tokopedia.com/x'}",
     "marketplaces.tokopedai: 'tokopedai' is not a known marketplace; did you mean 'tokopedia'?"),
    ("marketplaces: {shopee: 'javascript:alert(1)'}", "marketplaces.shopee: 'javascript:alert(1)'"),
    ("whatsapp: 6281234567890", 'whatsapp: write phone numbers in quotes, e.g. "0812-3456-7890"'),
    ("whatsapp: '12'", "whatsapp: '12' is not a phone number"),
    ("name: {id: Keset, fr: Paillasson}", "name.fr: 'fr' is not a language of site.yaml"),
])
def test_wrong_values_point_at_file_line_and_field(make_site, line, expected):
    text, number = with_field(line)
    result = make_site({PRODUCT: text}).build()
    assert any(m.startswith(f"{PRODUCT}:{number}: {expected}") for m in messages(result)), messages(result)


def test_required_fields_are_named(make_site):
    text = "---\nname: Keset\n---\n"
    result = make_site({PRODUCT: text}).build()
    assert f"{PRODUCT}:2: code: is required" in " ".join(messages(result))
    assert f"{PRODUCT}:2: category: is required" in " ".join(messages(result))


def test_malformed_codes_propose_a_fix(make_site):
    result = make_site({PRODUCT: PRODUCT_MD.replace("code: UJI-001", "code: uji 001"),
                        BOOTH: BOOTH_MD.replace("code: UJI", "code: uji-lapas")}).build()
    assert only(result, "code: 'uji 001'").endswith("for example 'UJI-001'")
    assert "for example 'UJILAPAS'" in only(result, "code: 'uji-lapas'")


def test_bad_slug_proposes_the_corrected_folder_name(make_site):
    result = make_site({"content/booths/lapas-uji/Keset Besar/index.md": PRODUCT_MD.replace(
        "UJI-001", "UJI-002")}).build()
    assert "rename the folder to 'keset-besar'" in only(result, "Keset Besar")


def test_yaml_syntax_error_keeps_its_line(make_site):
    result = make_site({PRODUCT: PRODUCT_MD.replace("price: 75000", "price: [75000")}).build()
    assert only(result, "YAML syntax").startswith(f"{PRODUCT}:")


def test_tabs_and_duplicate_keys(make_site):
    tabbed = PRODUCT_MD.replace("price: 75000", "price: 75000\n\tfeatured: true")
    doubled = PRODUCT_MD.replace("price: 75000", "price: 75000\nprice: 80000")
    assert "not tabs" in only(make_site({PRODUCT: tabbed}).build(), "YAML syntax")
    assert only(make_site({PRODUCT: doubled}).build(), "duplicate key") == (
        f"{PRODUCT}:6: price: duplicate key 'price' (first on line 5); keep one")


def test_unclosed_front_matter(make_site):
    result = make_site({PRODUCT: PRODUCT_MD.rsplit("---", 1)[0]}).build()
    assert "front matter is not closed" in only(result, PRODUCT)


def test_duplicate_codes_name_both_files(make_site):
    other = "content/booths/lapas-uji/keset-kecil/index.md"
    result = make_site({other: PRODUCT_MD}).build()
    message = only(result, "product code 'UJI-001' is also used by")
    assert message.startswith(other) and PRODUCT in message


def test_duplicate_booth_codes_name_both_files(make_site):
    result = make_site({"content/booths/lapas-dua/index.md": BOOTH_MD}).build()
    message = only(result, "booth code 'UJI' is also used by")
    assert "content/booths/lapas-dua/index.md" in message and BOOTH in message


def test_index_md_and_index_yaml_together(make_site):
    result = make_site({"content/booths/lapas-uji/keset/index.yaml": "name: x\n"}).build()
    assert "both index.md and index.yaml" in only(result, "index.yaml")


def test_missing_photo_suggests_the_nearest(make_site):
    site = make_site({
        PRODUCT: PRODUCT_MD.replace("price: 75000", "price: 75000\nimages: [keset-1.jpg]"),
        "content/booths/lapas-uji/keset/keset_1.jpg": photo_bytes(),
    })
    assert "did you mean 'keset_1.jpg'?" in only(site.build(), "images[0]")


@pytest.mark.parametrize("name", ["../lapas-uji/x.jpg", "/etc/passwd"])
def test_photo_paths_may_not_leave_the_folder(make_site, name):
    site = make_site({PRODUCT: PRODUCT_MD.replace("price: 75000", f"price: 75000\nimages: ['{name}']")})
    assert "is not a file in this entry's folder" in only(site.build(), "images[0]")


def test_every_problem_in_one_run(make_site):
    result = make_site({
        PRODUCT: PRODUCT_MD.replace("price: 75000", "price: murah\nfeatured: 3"),
        BOOTH: BOOTH_MD.replace("stand: A-1", "stand: A-1\nlogo: nope.png"),
    }).build()
    assert len(result.errors) == 3, messages(result)


def test_missing_base_url_is_reported_but_overridable(make_site):
    site = make_site({"content/site.yaml": SITE_YAML.replace("base_url: https://example.org/pun/\n", "")})
    assert "base_url: is required to build" in only(site.build(), "base_url")
    assert site.build(base_url="https://override.example/").ok


def test_non_utf8_file_is_reported_and_bom_crlf_work(make_site):
    bad = make_site({PRODUCT: PRODUCT_MD.replace("Keset tebal", "Keset \xe9").encode("latin-1")})
    assert "not UTF-8" in only(bad.build(), PRODUCT)
    good = make_site({PRODUCT: b"\xef\xbb\xbf" + PRODUCT_MD.replace("\n", "\r\n").encode()})
    assert good.build().ok


def test_cli_exit_status_and_no_traceback(make_site, capsys, monkeypatch):
    site = make_site({PRODUCT: PRODUCT_MD.replace("price: 75000", "price: 75rb")})
    monkeypatch.chdir(site.root)
    assert main(["build"]) == 1
    err = capsys.readouterr().err
    assert f"{PRODUCT}:5: price:" in err and "Traceback" not in err
    assert main(["check"]) == 1
    with pytest.raises(SystemExit) as exit_info:
        main(["build", "--no-such-flag"])
    assert exit_info.value.code == 2
