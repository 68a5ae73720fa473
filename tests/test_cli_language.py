"""The command line in the organiser's language: Bahasa Indonesia from the locale,
`SHOWCASE_LANG` or `--lang`, English otherwise, and the same JSON for tools whatever the
language. Also what `serve` tells a phone to open, and what it keeps out of the terminal."""

from __future__ import annotations

import gettext
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from showcase import messages
from showcase.commands import serve
from tests.helpers import BOOTH_MD, PRODUCT, PRODUCT_MD, REPO, fetch, free_port, wait_for

# The same keywords as the documented extraction (docs/development.md).
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
CATALOGUE = messages.LOCALE_DIR / "id" / "LC_MESSAGES" / f"{messages.DOMAIN}.po"


def showcase(site, *args: str, **environment: str) -> subprocess.CompletedProcess:
    """`showcase` as an organiser's shell runs it, in a locale of our choosing."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("SHOWCASE_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")}
    env.update(environment, PYTHONPATH=str(REPO))
    return subprocess.run([sys.executable, "-m", "showcase", *args], cwd=site.root, env=env,
                          capture_output=True, text=True, encoding="utf-8")


@pytest.fixture
def broken(make_site):
    return make_site({PRODUCT: PRODUCT_MD.replace("price: 75000", "price: murah")})


def test_an_indonesian_locale_answers_in_indonesian(broken):
    done = showcase(broken, "check", LANG="id_ID.UTF-8")
    assert done.returncode == 1
    assert ("  galat: baris 5, price: harus rupiah bulat seperti 75000, atau "
            "{from: 50000, to: 120000}; tertulis 'murah'\n") in done.stdout  # a marked Problem
    assert done.stdout.rstrip().endswith("1 galat, 0 peringatan di 1 berkas")


@pytest.mark.parametrize("args, environment", [
    (("--lang", "en"), {"LANG": "id_ID.UTF-8"}),  # the flag wins over the locale
    (("--lang", "en"), {"SHOWCASE_LANG": "id"}),
    ((), {"LANG": "C"}), ((), {"LANG": "POSIX"}), ((), {"LANG": "en_US.UTF-8"}), ((), {}),
    ((), {"LANG": "fr_FR.UTF-8"}),  # a language without a catalogue
])
def test_english_otherwise(broken, args, environment):
    done = showcase(broken, *args, "check", **environment)
    assert ("  error: line 5, price: expected whole rupiah like 75000, or "
            "{from: 50000, to: 120000}; got 'murah'\n") in done.stdout
    assert done.stdout.rstrip().endswith("1 error, 0 warnings in 1 file")


@pytest.mark.parametrize("args, environment", [
    ((), {"SHOWCASE_LANG": "id", "LANG": "en_US.UTF-8"}),  # SHOWCASE_LANG wins over the locale
    (("--lang", "id"), {}),
    ((), {"LC_ALL": "id_ID.UTF-8", "LANG": "C"}),  # LC_ALL before LANG, as gettext reads them
])
def test_showcase_lang_and_the_flag_choose_indonesian(broken, args, environment):
    done = showcase(broken, *args, "check", **environment)
    assert done.stdout.rstrip().endswith("1 galat, 0 peringatan di 1 berkas")


def test_json_is_the_same_bytes_in_every_language(broken):
    english = showcase(broken, "check", "--format", "json", LANG="C")
    assert english.returncode == 1 and '"price"' in english.stdout
    for args, environment in (((), {"LANG": "id_ID.UTF-8"}), (("--lang", "id"), {}),
                              ((), {"SHOWCASE_LANG": "id"})):
        assert showcase(broken, *args, "check", "--format", "json",
                        **environment).stdout == english.stdout


def test_a_build_a_coverage_table_and_a_new_entry_in_indonesian(make_site):
    site = make_site()
    checked = showcase(site, "check", LANG="id_ID.UTF-8")
    assert "\nTerjemahan:\n" in checked.stdout and "  entri yang berisi teks " in checked.stdout
    built = showcase(site, "--lang", "id", "build", "--workers", "1")
    assert built.returncode == 0, built.stderr
    assert built.stdout.startswith("output selesai dibangun dalam ")
    assert " halaman; " in built.stdout
    made = showcase(site, "new", "booth", "lapas-baru", SHOWCASE_LANG="id")
    assert made.stdout.startswith("dibuat ") and "\nselanjutnya: isi kolom-kolomnya" in made.stdout


def entries():
    """The translated messages of the `.po`, without its header."""
    with CATALOGUE.open("rb") as file:
        return [message for message in read_po(file, locale="id") if message.id]


def test_every_marked_message_has_an_indonesian_translation():
    """A new English message without its translation fails here, not in front of an
    organiser: extract as the documented command does, and look each up."""
    marked = {(message if isinstance(message, str) else message[0])
              for _file, _line, message, _comments, _context in extract_from_dir(
                  REPO / "showcase", keywords=KEYWORDS, comment_tags=())}
    assert marked, "no marked messages found: is the extraction looking in the right place?"
    translated = {}
    for message in entries():
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert "fuzzy" not in message.flags, f"fuzzy translation of {key!r}"
        translated[key] = all(strings)
    assert sorted(m for m in marked if not translated.get(m)) == []


def test_the_compiled_catalogue_is_the_po_file():
    """The `.mo` is committed (a wheel and a checkout read the same file): it must say what
    the `.po` says, or a translation fixed in the `.po` never reaches the organiser."""
    expected = {}
    for message in entries():
        if isinstance(message.id, tuple):
            for index, text in enumerate(message.string):
                expected[(message.id[0], index)] = text
        else:
            expected[message.id] = message.string
    with CATALOGUE.with_suffix(".mo").open("rb") as file:
        compiled = gettext.GNUTranslations(file)
    assert {k: v for k, v in compiled._catalog.items() if k != ""} == expected


def test_serving_every_interface_names_the_address_a_phone_opens():
    lines = serve.announce("0.0.0.0", 8000, "/pun/", find_lan=lambda: "192.0.2.7")
    assert "http://192.0.2.7:8000/pun/" in lines[1]
    assert "0.0.0.0" not in "".join(lines)
    assert "http://127.0.0.1:8000/pun/" in lines[0]
    assert serve.announce("127.0.0.1", 8000, "/") == ["serving http://127.0.0.1:8000/ (Ctrl+C stops)"]
    assert serve.announce("127.0.0.1", 8000, "/pun/", admin=True)[1] == (
        "the editor: http://127.0.0.1:8000/pun/admin/ (saves into content/)")
    assert "Wi-Fi" in serve.announce("0.0.0.0", 8000, "/", find_lan=lambda: None)[1]


def test_serve_keeps_request_lines_out_of_the_terminal(make_site):
    site = make_site()
    port = free_port()
    log = site.root / "serve.log"
    with log.open("w") as out:
        env = {**os.environ, "PYTHONPATH": str(REPO), "SHOWCASE_LANG": "en"}
        process = subprocess.Popen(
            [sys.executable, "-m", "showcase", "serve", "--content", str(site.content),
             "--output", str(site.output), "--port", str(port), "--workers", "1"],
            cwd=site.root, stdout=out, stderr=subprocess.STDOUT, env=env)
        try:
            def up():
                try:
                    return fetch(f"http://127.0.0.1:{port}/pun/")[0] == 200
                except OSError:
                    return False
            wait_for(up)
            for path in ("/pun/", "/pun/no-such-page/", "/elsewhere"):
                try:
                    fetch(f"http://127.0.0.1:{port}{path}")
                except OSError:
                    pass
        finally:
            process.terminate()
            process.wait(timeout=10)
    text = log.read_text("utf-8")
    assert f"serving http://127.0.0.1:{port}/pun/ (Ctrl+C stops)" in text
    assert "GET" not in text and "Serving on" not in text


def test_a_scaffold_refuses_in_indonesian(make_site):
    site = make_site()
    done = showcase(site, "new", "product", "lapas-ujo", "keset-baru", SHOWCASE_LANG="id")
    assert done.returncode == 2
    assert done.stderr.strip().endswith(
        "lapas-ujo: stan ini tidak ada; maksudnya 'lapas-uji'?"), done.stderr
    done = showcase(site, "new", "booth", "lapas-uji", LANG="id_ID.UTF-8")
    assert "lapas-uji: sudah ada; sunting " in done.stderr
    assert "atau pilih slug lain untuk stan baru" in done.stderr


def test_a_failed_build_lists_its_problems_in_indonesian(broken):
    done = showcase(broken, "build", "--workers", "1", SHOWCASE_LANG="id")
    assert done.returncode == 1
    assert "price: harus rupiah bulat seperti 75000" in done.stderr
    assert "1 masalah ditemukan; tidak ada yang ditulis, output tetap seperti semula" in done.stderr


def test_a_warning_printed_by_build_says_peringatan(make_site):
    site = make_site({PRODUCT: PRODUCT_MD.replace("category: keset", "draft: true")})
    done = showcase(site, "build", "--workers", "1", "-q", LANG="id_ID.UTF-8")
    assert done.returncode == 0, done.stderr
    assert " peringatan: " in done.stderr and " warning: " not in done.stderr
    assert " warning: " in showcase(site, "build", "--workers", "1", "-q", LANG="C").stderr
    # nothing changed: the warning comes from the build stamp, and is said again in full
    again = showcase(site, "build", "--workers", "1", "-q", LANG="id_ID.UTF-8").stderr
    assert again == done.stderr and "category: peringatan: belum dipilih, jadi draf ini " \
        "tidak diterbitkan (bahkan dengan --drafts)" in again


def test_a_refused_output_folder_is_explained_in_indonesian(make_site):
    site = make_site()
    site.write("output/notes.txt", "mine\n")
    done = showcase(site, "build", "--workers", "1", SHOWCASE_LANG="id")
    assert done.returncode == 2
    assert done.stderr.startswith("showcase build: tidak ada yang ditulis: output tidak kosong "
                                  "dan tidak dibuat oleh showcase"), done.stderr


# -- every line in Indonesian -------------------------------------------------------------

# A site with one of each kind of mistake an organiser makes first: an unclosed quote, a
# number in quotes, a missing name, a phone number that is not one, a misspelt field.
BROKEN = {
    "content/booths/lapas-uji/index.md": BOOTH_MD.replace("stand: A-1", "stnad: A-1")
                                                .replace('"0812-0000-0002"', '"12ab"'),
    PRODUCT: PRODUCT_MD.replace("price: 75000", 'price: "75000"')
                       .replace("name: {id: Keset Sabut Kelapa, en: Coconut-coir doormat}\n", ""),
    "content/booths/lapas-uji/tas/index.md": PRODUCT_MD.replace(
        "name: {id: Keset Sabut Kelapa, en: Coconut-coir doormat}", 'name: "Tas pandan')
        .replace("UJI-001", "UJI-002"),
}

# Words of English messages that have no business in an Indonesian report.
ENGLISH = ("error:", "warning:", "line ", "expected", "got ", "unknown field", "is required",
           "is in quotes", "is not a phone", "YAML syntax", "never closed", "placeholder",
           "did you mean", "not translated", "write it", " errors", " warnings", " files",
           "English", "Indonesian")


def test_a_broken_site_is_reported_in_indonesian_line_by_line(make_site):
    site = make_site(BROKEN)
    indonesian = showcase(site, "check", LANG="id_ID.UTF-8")
    english = showcase(site, "check", LANG="C")
    assert indonesian.returncode == english.returncode == 1
    said = indonesian.stdout
    for line in (
            "  galat: baris 4, stnad: kolom tidak dikenal; maksudnya 'stand'?",
            "  galat: baris 5, contact.whatsapp: '12ab' bukan nomor telepon; tulis seperti "
            '"0812-3456-7890" atau "+62 812 3456 7890"',
            "  galat: baris 2, name: wajib diisi: nama produknya, misalnya name: Keset Sabut "
            "Kelapa",
            '  galat: baris 4, price: "75000" diapit tanda kutip, jadi terbaca sebagai teks, '
            "bukan angka; hapus tanda kutipnya: price: 75000",
            "  galat: baris 2: sintaks YAML: nilai bertanda kutip dimulai di sini dan tidak "
            "pernah ditutup; akhiri dengan tanda kutip yang sama",
            "5 galat, 0 peringatan di 3 berkas"):
        assert line + "\n" in said, said
    assert not [word for word in ENGLISH if word in said], said
    # Line by line, the same report: every message line says something else in English.
    pairs = list(zip(said.splitlines(), english.stdout.splitlines(), strict=True))
    for ours, theirs in pairs:
        if ours.startswith("content/") or not ours:  # a file's name, or a blank line
            assert ours == theirs
        else:
            assert ours.split(": ", 2)[-1] != theirs.split(": ", 2)[-1], ours
    json_c = showcase(site, "check", "--format", "json", LANG="C").stdout
    assert showcase(site, "check", "--format", "json", LANG="id_ID.UTF-8").stdout == json_c
    assert "is in quotes, which makes it text" in json_c and "diapit" not in json_c


@pytest.mark.parametrize("example", ["errors", "warnings"])
def test_no_message_of_the_examples_is_left_in_english(tmp_path, example):
    """Catches a message that was never marked as well as one marked but untranslated:
    the report of each example site in docs/examples/ is compared line by line with its
    English; only file names, blank lines and the coverage table's numbers may agree."""
    root = tmp_path / "site"
    shutil.copytree(REPO / "docs" / "examples" / example / "content", root / "content")
    site = SimpleNamespace(root=root)
    ours = showcase(site, "check", SHOWCASE_LANG="id").stdout.splitlines()
    theirs = showcase(site, "check", SHOWCASE_LANG="en").stdout.splitlines()
    assert len(ours) == len(theirs) > 3
    table = False
    for id_line, en_line in zip(ours, theirs):
        if not en_line or en_line.startswith("content/"):
            assert id_line == en_line
        elif en_line == "Translations:" or table:
            table = True  # the language codes and figures are the same; the labels differ
        else:
            message = en_line.split(": ", 2)[-1]
            assert message not in id_line, id_line
            assert not [word for word in ENGLISH if word in id_line], id_line
    built = showcase(site, "build", "--workers", "1", SHOWCASE_LANG="id")
    assert not [word for word in ENGLISH if word in built.stdout + built.stderr], built.stderr


def test_placeholder_warnings_and_the_cards_refusal_in_indonesian(make_site):
    site = make_site()
    checked = showcase(site, "check", LANG="id_ID.UTF-8").stdout
    assert ("  peringatan: baris 2, base_url: 'https://example.org/pun/' masih nilai contoh; "
            "isi base_url dengan alamat tempat situs akan diterbitkan; kartu stan tidak "
            "dicetak sebelum itu\n") in checked
    refused = showcase(site, "cards", LANG="id_ID.UTF-8")
    assert refused.returncode == 1
    assert refused.stderr.endswith(
        "1 nilai contoh akan ikut tercetak; tidak ada kartu yang ditulis. Untuk cetak coba "
        "yang hanya diperiksa, pakai showcase cards --proof (tidak mencatat apa pun)\n")
    assert "content/site.yaml:2: base_url: 'https://example.org/pun/' masih nilai contoh" \
        in refused.stderr
    unknown = showcase(site, "cards", "--booth", "UJJ", "--base-url", "https://pameran.id/",
                       SHOWCASE_LANG="id")
    assert unknown.returncode == 2
    assert unknown.stderr == "showcase cards: tidak ada stan berkode UJJ; maksudnya UJI?\n"


def test_a_damaged_spreadsheet_is_refused_in_indonesian(make_site):
    site = make_site()
    sheet = site.root / "products.csv"
    assert showcase(site, "export", str(sheet), SHOWCASE_LANG="id").stdout == \
        f"ditulis {sheet}: 1 produk\n"
    text = sheet.read_text("utf-8")
    sheet.write_text(text.replace(",75000,", ",75rb,").replace("sabut kelapa; karet", "TRUE")
                     .replace("lapas-uji,keset", "lapas-uji,kset"), "utf-8")
    before = (site.root / PRODUCT).read_bytes()
    done = showcase(site, "import", str(sheet), LANG="id_ID.UTF-8")
    assert done.returncode == 1
    assert ("products.csv:2: slug: tidak ada folder produk booths/lapas-uji/kset/; maksudnya "
            "'keset'?; import hanya mengubah produk yang sudah ada (showcase new product "
            "lapas-uji kset menambahkannya)") in done.stderr
    assert done.stderr.endswith("1 masalah ditemukan; tidak ada yang diubah\n")
    sheet.write_text(text.replace(",75000,", ",75rb,").replace("sabut kelapa; karet", "TRUE"),
                     "utf-8")
    done = showcase(site, "import", str(sheet), LANG="id_ID.UTF-8")
    assert ("products.csv:2: price: harus rupiah bulat seperti 75000, atau rentang seperti "
            "50000-120000; tertulis '75rb'") in done.stderr
    assert ("products.csv:2: materials.id: tertulis 'TRUE', seharusnya 'sabut kelapa; karet' "
            "(program spreadsheet menganggap sel ini nilai ya/tidak; format kolomnya sebagai "
            "teks lalu ketik ulang kata-katanya)") in done.stderr
    assert not [word for word in ENGLISH if word in done.stderr], done.stderr
    assert (site.root / PRODUCT).read_bytes() == before


def test_init_and_new_answer_in_indonesian(tmp_path, make_site):
    made = showcase(SimpleNamespace(root=tmp_path), "init", "pameran baru", SHOWCASE_LANG="id")
    assert made.returncode == 0, made.stderr
    first, then = made.stdout.splitlines()
    assert first == f"dibuat {Path('pameran baru', 'content')}"
    assert then.startswith("selanjutnya: cd ") and then.endswith(
        " && showcase serve (pratinjau yang dimuat ulang setiap kali disimpan), atau showcase "
        "build; untuk menerbitkan, push folder ini ke repositori GitHub (caranya ada di "
        ".github/workflows/pages.yml)")
    site = make_site()
    made = showcase(site, "new", "product", "lapas-uji", "Tas Anyaman", LANG="id_ID.UTF-8")
    assert made.stdout.startswith(
        "dibuat content/booths/lapas-uji/tas-anyaman/index.md (kode UJI-002)\n"
        "selanjutnya: pilih kategorinya, taruh fotonya di sebelahnya"), made.stdout
    wrong = showcase(site, "new", "booth", "lapas-baru", "--code", "x", LANG="id_ID.UTF-8")
    assert wrong.returncode == 2
    assert wrong.stderr == ("showcase: --code X: bukan kode stan (2 sampai 8 huruf A-Z dan "
                            "angka 0-9); misalnya 'XX'\n")


@pytest.mark.parametrize("args, environment", [
    (("--lang", "id", "--help"), {}),
    (("check", "--help"), {"LANG": "id_ID.UTF-8"}),
    (("cards", "--help"), {"SHOWCASE_LANG": "id"}),
])
def test_help_in_indonesian(make_site, args, environment):
    done = showcase(make_site(), *args, **environment)
    assert done.returncode == 0
    assert done.stdout.startswith("cara pakai: showcase ")
    assert "\nopsi:\n" in done.stdout and "tampilkan bantuan ini lalu keluar" in done.stdout
    for english in ("usage:", "options:", "show this help", "default", "the content folder",
                    "validate", "print-ready", "examples:"):
        assert english not in done.stdout, english
    if "check" in args:
        assert "anggap peringatan sebagai masalah" in done.stdout
        assert "folder konten (bawaan: content)" in done.stdout
    assert showcase(make_site(), *args, **{"LANG": "C"}).stdout.startswith("usage: showcase ") \
        or "--lang" in args


def test_a_wrong_command_line_is_explained_in_indonesian(make_site):
    done = showcase(make_site(), "check", "--format", "xml", LANG="id_ID.UTF-8")
    assert done.returncode == 2
    assert done.stderr.endswith("showcase check: galat: argumen --format: pilihan tidak sah: "
                                "'xml' (pilih dari 'text', 'json', 'github')\n")
    done = showcase(make_site(), "new", SHOWCASE_LANG="id")
    assert done.stderr.endswith("showcase new: galat: argumen berikut wajib diisi: KIND\n")
    english = showcase(make_site(), "new", LANG="C")
    assert english.stderr.endswith("showcase new: error: the following arguments are "
                                   "required: KIND\n")


def test_the_page_serve_shows_for_a_broken_site_in_indonesian(broken):
    result = broken.build()
    assert not result.ok
    language = messages.use("id")
    try:
        page = serve.error_page(result)
    finally:
        messages.restore(language)
    assert "<h1>1 masalah di konten</h1>" in page
    assert "<b>price</b>: harus rupiah bulat seperti 75000" in page
    assert "1 problem in the content" in serve.error_page(result)  # nothing chosen: English
