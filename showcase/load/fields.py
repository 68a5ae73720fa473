"""The field registry: every field of site.yaml, a booth, a product, a free page and
printed.yaml, declared once.

A field says how it is checked (and what typed value the check gives), whether it is
required or may differ per language, what it means in both languages the organisers
work in, an example that passes its own check, its spreadsheet column and its editor
widget. Validation, model construction, the scaffolds of `new`, the spreadsheet and the
reference all read these declarations, so adding a field is one entry here (and one
attribute on the model object it fills).

Read the records (`SITE`, `BOOTH`, `PRODUCT`, `PAGE`, `PRINTED`) at call time, never
copy them at import: a test may replace one with a record that has one more field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any, Callable

from showcase.load.schema import (BOOTH_CODE_RE, INVALID, LANG_RE, MAX_INTEGER,
                                  PRODUCT_CODE_RE, SLUG_RE, At, Check, base_url,
                                  boolean, booth_code_fix, category, choice, date, email,
                                  https_url, integer, list_of, localised, mapping_of,
                                  marketplace_key, nearest, pattern, phone, product_code_fix,
                                  quoted, slug_fix, text, text_that, type_name)
from showcase.load.source import LineDict
from showcase.messages import N_
from showcase.model import (Admin, Availability, Category, Contact, Event, ImageSettings,
                            Marketplace, Organiser, Price, Venue)


@dataclass(frozen=True)
class Words:
    """A text in both languages of the organisers."""

    id: str
    en: str


@dataclass(frozen=True)
class Widget:
    """How an editor form shows the field (the widget names of Decap CMS)."""

    kind: str
    # For "select": the choices, empty when the site decides (categories). For an
    # "object" without a record: its keys (each holding what `item` says).
    options: tuple[str, ...] = ()
    minimum: int | None = None     # for "number"
    maximum: int | None = None
    item: str = "string"           # for "list" and keyed "object": each value's widget kind
    multiple: bool = False         # for "select": a list of the options


WIDGET_KINDS = ("string", "text", "markdown", "number", "boolean", "select", "list", "image",
                "object", "datetime", "hidden")


@dataclass(frozen=True)
class Field:
    name: str
    check: Check             # (raw value, At) -> typed value, or INVALID (reported)
    doc: Words               # one line: what the field means
    required: bool = False
    localised: bool = False  # {lang: value}; a translation file index.<lang>.md may override it
    # A name (an exhibitor's, a maker's): written per language, never translated, so
    # `check` does not count it in the translation coverage.
    proper_name: bool = False
    default: Any = None      # what an absent field means, as written in YAML
    example: str | None = None  # YAML text; a leading newline makes it a block
    column: str | None = None   # the spreadsheet column (products), None if not in the sheet
    widget: Widget = Widget("string")
    record: Record | None = None  # the nested record, for a mapping (or a list of them)
    collection: str = ""  # "list" or "mapping" (key -> record) when `record` repeats
    # What "is required: ..." says when the field is missing.
    required_hint: str = ""
    # A draft may leave this required field out: it is a choice only the organiser can
    # make (a scaffold must not guess it), and the draft is not published until it is made.
    draft_may_omit: bool = False


@dataclass(frozen=True)
class Rule:
    """A rule between fields, declared beside the fields it joins. Its check runs once
    every one of `fields` is present and valid, and reports at the field that is wrong
    (`at.of(name)`), returning INVALID if it did."""

    fields: tuple[str, ...]
    check: Callable[[dict[str, Any], At], Any]
    doc: Words


@dataclass(frozen=True)
class Record:
    """A mapping with known keys: unknown keys are problems that name the nearest one.

    Calling it validates a mapping into {field name: typed value}; `build` turns that
    into `model` (the dataclass whose attributes carry the fields' names)."""

    name: str
    fields: tuple[Field, ...]
    rules: tuple[Rule, ...] = ()
    allow_extra: tuple[str, ...] = ()
    # The key that holds the Markdown body in an index.yaml: localised, and the only
    # key besides the localised fields that a translation file may set.
    body: str | None = None
    model: Callable[..., Any] | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_name", {f.name: f for f in self.fields})
        object.__setattr__(self, "_required", tuple(f.name for f in self.fields if f.required))

    def field(self, name: str) -> Field:
        return self._by_name[name]

    def get(self, name: str) -> Field | None:
        return self._by_name.get(name)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self._by_name)

    @property
    def required(self) -> tuple[str, ...]:
        return self._required

    @property
    def localised(self) -> tuple[str, ...]:
        """What a translation file may set."""
        own = tuple(f.name for f in self.fields if f.localised)
        return own + ((self.body,) if self.body else ())

    @property
    def photos(self) -> tuple[str, ...]:
        """The fields that name one photo file beside the entry (a booth's logo, ...)."""
        return tuple(f.name for f in self.fields if f.widget.kind == "image")

    def __call__(self, value: Any, at: At) -> Any:
        if not isinstance(value, dict):
            return at.problem(f"expected a mapping of 'key: value' lines, got {type_name(value)}")
        lines = value.lines if isinstance(value, LineDict) else {}
        by_name = self._by_name
        result: dict[str, Any] = {}
        ok = True
        for key, item in value.items():
            sub = at.child(str(key), lines.get(key))
            spec = by_name.get(key)
            if spec is not None and not spec.required and blank(item):
                continue  # left empty (as the browser editor saves a box it cleared): absent
            if spec is None:
                if key in self.allow_extra:
                    continue
                guess = nearest(key, by_name)
                hint = f"did you mean '{guess}'?" if guess else (
                    f"known fields: {', '.join(by_name)}")
                sub.problem(f"unknown field; {hint}")
                ok = False
                continue
            converted = spec.check(item, sub)
            if converted is INVALID:
                ok = False
            else:
                result[key] = converted
        for name in self.required:
            if name not in value:
                spec = by_name[name]
                if spec.draft_may_omit and value.get("draft") is True:
                    self.unchosen(spec, at.child(name, lines.get("draft")))
                    continue
                at.child(name, getattr(value, "line", None) or None).problem(
                    f"is required: {spec.required_hint}")
                ok = False
        if self.rules:
            ruled = At(at.ctx, at.field, at.line, lines)
            for rule in self.rules:
                if all(name in result for name in rule.fields) and \
                        rule.check(result, ruled) is INVALID:
                    ok = False
        return result if ok or at.field == "" else INVALID

    @staticmethod
    def unchosen(spec: Field, at: At) -> None:
        """A warning, not an error: the site builds without the draft meanwhile."""
        choices = (f"one of {', '.join(at.ctx.categories)}" if spec.widget.kind == "select"
                   and not spec.widget.options and at.ctx.categories else spec.required_hint)
        at.ctx.problems.warn(at.ctx.path, at.line, at.field,
                             f"not chosen yet, so this draft is not published (not even with "
                             f"--drafts); write {spec.name}: and {choices}, then remove "
                             "draft: true")

    def build(self, value: Any, at: At) -> Any:
        """The mapping validated and made into `model`; the check of a nested record."""
        values = self(value, at)
        return INVALID if values is INVALID else make(self.model, values)


def blank(value: Any) -> bool:
    """Nothing written: no value, empty text, or a mapping of nothing but those."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return True
    return isinstance(value, dict) and all(blank(item) for item in value.values())


def make(model: Callable[..., Any], values: dict[str, Any], used: tuple[str, ...] = (),
         **extra: Any) -> Any:
    """`model` from checked values: each value goes to the attribute of its field's name;
    `extra` (what the files do not say: a slug, a path, the photos) comes on top.

    A value with no attribute of its name, that the caller has not `used` to make another
    (a product's images become its photos), is a field declared only in the registry: a
    model with an `extra` attribute keeps it there (see `model.Declared`)."""
    names = getattr(model, "__dataclass_fields__", None)
    if names is None:
        return model(**{**values, **extra})
    chosen = {k: v for k, v in values.items() if k in names}
    if "extra" in names and "extra" not in extra:
        extra["extra"] = tuple(sorted((k, v) for k, v in values.items()
                                      if k not in names and k not in used))
    return model(**{**chosen, **extra})


def keyed(key_check: Check, record: Record) -> Check:
    """A mapping of key -> record, as a tuple of `record.model(key, ...)`."""
    inner = mapping_of(key_check, record)

    def check(value: Any, at: At) -> Any:
        checked = inner(value, at)
        if checked is INVALID:
            return INVALID
        return tuple(make(record.model, values, key=key) for key, values in checked.items())
    return check


def enum_of(kind: type) -> Check:
    """One of an enum's values, as the enum member."""
    one_of = choice(*(member.value for member in kind))

    def check(value: Any, at: At) -> Any:
        checked = one_of(value, at)
        return INVALID if checked is INVALID else kind(checked)
    return check


def shops(value: Any, at: At) -> Any:
    """Marketplace key -> https address, as `Marketplace`s named the way site.yaml does."""
    checked = mapping_of(marketplace_key, https_url)(value, at)
    if checked is INVALID:
        return INVALID
    names = at.ctx.marketplace_names
    return tuple(Marketplace(key, names.get(key, key), url) for key, url in checked.items())


# --- the nested records -----------------------------------------------------------------

def _before(first: str, second: str, fix: str) -> Callable[[dict[str, Any], At], Any]:
    """A rule: `second` may not be before `first` (a date or a number)."""
    def check(values: dict[str, Any], at: At) -> Any:
        low, high = values[first], values[second]
        if high < low:
            where = at.of(second)
            return where.problem(f"{high} is before {at.of(first).field} ({low}); {fix}")
        return None
    return check


def _from_to(values: dict[str, Any], at: At) -> Any:
    if values["from"] > values["to"]:
        return at.problem(f"'from' ({values['from']}) is more than 'to' ({values['to']}); swap them")
    return None


PRICE_RANGE = Record("price range", (
    Field("from", integer(0), Words("Harga terendah", "The lowest price"), required=True,
          example="50000", widget=Widget("number", minimum=0), required_hint="the lowest price"),
    Field("to", integer(0), Words("Harga tertinggi", "The highest price"), required=True,
          example="120000", widget=Widget("number", minimum=0), required_hint="the highest price"),
), rules=(Rule(("from", "to"), _from_to,
               Words("'from' tidak boleh lebih dari 'to'", "'from' may not be more than 'to'")),),
    model=lambda **v: Price(v["from"], v["to"]))


def price(value: Any, at: At) -> Any:
    """Whole rupiah, or a range; absent means 'ask the booth'."""
    if isinstance(value, dict):
        return PRICE_RANGE.build(value, at)
    if isinstance(value, str) and value.strip().isdigit():
        return quoted(value, at, str(int(value.strip())))
    if isinstance(value, bool) or not isinstance(value, int):
        digits = re.sub(r"\D", "", str(value)) if isinstance(value, str) else ""
        example = digits if digits and not re.search(r"rb|k|ribu|jt", str(value), re.I) else "75000"
        return at.problem(N_("expected whole rupiah like {example}, or {{from: 50000, to: "
                             "120000}}; got {got}"), example=example, got=type_name(value))
    if value < 0:
        return at.problem(f"a price cannot be negative ({value}); write it like 75000")
    if value > MAX_INTEGER:
        return at.problem(f"{value} is more than any real price (at most {MAX_INTEGER}); "
                          "check for extra digits")
    return Price(value, value)


def quality(value: Any, at: At) -> Any:
    """One quality for every format, or {webp: 75, jpeg: 80}."""
    def one(v: Any, a: At) -> Any:
        if isinstance(v, int) and not isinstance(v, bool) and v > 100:
            return a.problem(f"must be 100 or less, got {v}")
        return integer(1)(v, a)
    if isinstance(value, dict):
        return mapping_of(choice("avif", "webp", "jpeg"), one)(value, at)
    checked = one(value, at)
    return INVALID if checked is INVALID else {fmt: checked for fmt in ("avif", "webp", "jpeg")}


@dataclass(frozen=True)
class ImageRef:
    """A photo a product lists: its file beside index.md, and what it shows."""

    file: str
    alt: Any = None  # Localised[str] | None


IMAGE_REF = Record("image", (
    Field("file", text, Words("Nama file foto di folder ini", "The photo's file name in this "
                              "folder"), required=True, example="foto-1.jpg",
          widget=Widget("image"), required_hint="the photo's file name in this folder"),
    Field("alt", localised(), Words("Apa yang tampak di foto, untuk yang tidak bisa melihatnya",
                                    "What the photo shows, for people who cannot see it"),
          localised=True, example="{id: Keset tampak atas, en: The doormat from above}"),
), model=ImageRef)


def image_ref(value: Any, at: At) -> Any:
    """A file name, or {file, alt}."""
    if isinstance(value, dict):
        return IMAGE_REF.build(value, at)
    name = text(value, at)
    return INVALID if name is INVALID else ImageRef(name)


CONTACT = Record("contact", (
    Field("whatsapp", phone, Words("Nomor WhatsApp untuk pemesanan", "WhatsApp number for orders"),
          example='"0812-0000-0000"'),
    Field("phone", phone, Words("Nomor telepon", "Phone number"), example='"021-000-0000"'),
    Field("email", email, Words("Alamat e-mail", "E-mail address"),
          example="bengkel@example.org"),
    Field("instagram", text, Words("Akun Instagram", "Instagram handle"),
          example="bengkel.lapas"),
    Field("website", https_url, Words("Alamat situs web", "Website address"),
          example="https://example.org/"),
), model=Contact)

VENUE = Record("venue", (
    Field("name", localised(), Words("Nama tempat", "The venue's name"), required=True,
          localised=True, example="{id: Aula Serbaguna, en: Multipurpose Hall}",
          required_hint="the venue's name"),
    Field("address", localised(), Words("Alamat jalan", "Street address"), localised=True,
          example="{id: 'Jl. Contoh No. 1, Jakarta', en: 'Jl. Contoh No. 1, Jakarta, Indonesia'}"),
    Field("map_url", https_url, Words("Tautan ke peta", "Link to a map"),
          example="https://maps.example.org/aula"),
), model=Venue)

EVENT = Record("event", (
    Field("start", date, Words("Hari pertama", "First day"), example="2026-03-24",
          widget=Widget("datetime")),
    Field("end", date, Words("Hari terakhir", "Last day"), example="2026-03-26",
          widget=Widget("datetime")),
    Field("hours", localised(), Words("Jam buka", "Opening hours"), localised=True,
          example='{id: "09.00–17.00 WIB", en: "9 am – 5 pm (WIB)"}'),
    Field("venue", VENUE.build, Words("Tempat pameran", "Where the exhibition is held"),
          example="{name: Aula Serbaguna}", widget=Widget("object"), record=VENUE),
), rules=(Rule(("start", "end"),
               _before("start", "end", "the last day cannot come before the first: swap them, "
                                       "or correct the date"),
               Words("Hari terakhir tidak boleh sebelum hari pertama",
                     "The last day cannot come before the first")),),
    model=Event)

ORGANISER = Record("organiser", (
    Field("name", localised(), Words("Nama penyelenggara", "Who organises the exhibition"),
          required=True, localised=True,
          example="{id: Panitia Pameran, en: Exhibition Committee}",
          required_hint="who organises the exhibition"),
    # Reached as a booth is, but in its own order (the reference lists it so), writing
    # as the committee, and taking no orders on WhatsApp.
    replace(CONTACT.field("email"), example="panitia@example.org"),
    CONTACT.field("phone"),
    replace(CONTACT.field("whatsapp"), doc=Words("Nomor WhatsApp", "WhatsApp number")),
    CONTACT.field("website"),
), model=Organiser)

CATEGORY = Record("category", (
    Field("name", localised(), Words("Nama kategori", "The category's name"), required=True,
          localised=True, example="{id: Keset, en: Doormats}",
          required_hint="the category's name"),
    Field("description", localised(), Words("Isi kategori ini", "What the category holds"),
          localised=True, example="{id: Keset sabut kelapa., en: Coconut-coir doormats.}"),
), model=Category)

MARKETPLACE = Record("marketplace", (
    Field("name", text, Words("Nama marketplace", "The marketplace's name"), required=True,
          example="Toko Kita", required_hint="the marketplace's name"),
), model=lambda key, name: (key, name))


def _image_settings(widths: Any = None, formats: Any = None, quality: Any = None) -> ImageSettings:
    """The pipeline's defaults with site.yaml's overrides: widths sorted, formats once."""
    defaults = ImageSettings()
    return ImageSettings(
        widths=defaults.widths if widths is None else tuple(sorted(set(widths))),
        formats=defaults.formats if formats is None else tuple(dict.fromkeys(formats)),
        qualities=tuple({**dict(defaults.qualities), **(quality or {})}.items()))


IMAGES = Record("images", (
    Field("widths", list_of(integer(16, 10_000)),
          Words("Lebar varian gambar dalam piksel", "Variant widths in pixels"),
          default="[480, 800, 1200, 1600]", example="[480, 800, 1200, 1600]",
          widget=Widget("list", item="number")),
    Field("formats", list_of(choice("webp", "jpeg", "avif")),
          Words("Format gambar yang dibuat", "Output formats"), default="[avif, jpeg]",
          example="[avif, jpeg]", widget=Widget("select", ("avif", "webp", "jpeg"), multiple=True)),
    Field("quality", quality, Words("Kualitas 1-100, untuk semua format atau per format",
                                    "Encoder quality 1-100, for all formats or per format"),
          default="{avif: 60, webp: 80, jpeg: 80}", example="{avif: 60, jpeg: 80}",
          widget=Widget("object", ("avif", "webp", "jpeg"), minimum=1, maximum=100,
                        item="number")),
), model=_image_settings)


def _languages(value: Any, at: At) -> Any:
    checked = list_of(pattern(LANG_RE, "a two-letter language code", lambda v: "en"))(value, at)
    return INVALID if checked is INVALID else tuple(dict.fromkeys(checked))


def _marketplace_names(value: Any, at: At) -> Any:
    return keyed(pattern(SLUG_RE, "lowercase a-z, 0-9 and -", slug_fix), MARKETPLACE)(value, at)


REPO_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9._-]{1,100}$")


def _repo_fix(value: str) -> str:
    """owner/name out of what was pasted: a repository's address, a clone URL."""
    found = re.search(r"([A-Za-z0-9][A-Za-z0-9-]{0,38})/([A-Za-z0-9._-]+?)(?:\.git)?/?$",
                      value.strip())
    return f"{found[1]}/{found[2]}" if found else "owner/name"


def _branch(value: Any, at: At) -> Any:
    """A branch name git accepts (the rules of git check-ref-format, those that matter)."""
    checked = text(value, at)
    if checked is INVALID:
        return INVALID
    if re.search(r"[\s~^:?*\[\\]|\.\.|@\{|//", checked) or checked.startswith(("-", "/", ".")) \
            or checked.endswith(("/", ".", ".lock")):
        return at.problem(f"'{checked}' is not a branch name git accepts; for example 'main'")
    return checked


ADMIN = Record("admin", (
    Field("repo", pattern(REPO_RE, "the repository as owner/name", _repo_fix),
          Words("Repositori GitHub tempat konten disimpan, sebagai pemilik/nama",
                "The repository that holds the content, as owner/name"),
          required=True, example="panitia/pameran-2026",
          required_hint="the repository as owner/name, e.g. repo: panitia/pameran-2026"),
    Field("branch", _branch, Words("Cabang yang diterbitkan", "The branch that is published"),
          default="main", example="main"),
    Field("backend", choice("github", "gitlab"),
          Words("Tempat repositori: github (bawaan) atau gitlab",
                "Where the repository is: github (default) or gitlab"),
          default="github", example="github", widget=Widget("select", ("github", "gitlab"))),
    Field("review", boolean,
          Words("Perubahan masuk sebagai pull request untuk diperiksa panitia (bawaan: true)",
                "Edits arrive as pull requests the committee reviews (default: true)"),
          default="true", example="true", widget=Widget("boolean")),
    Field("auth_url", https_url,
          Words("Alamat layanan login GitHub (OAuth) untuk editor; tanpa ini: layanan Netlify",
                "The address of the GitHub login (OAuth) service; without it: Netlify's"),
          example="https://login.example.org"),
    Field("self_hosted", boolean,
          Words("true: halaman admin memuat admin/decap-cms.js dari folder situs (versi yang "
                "sama), bukan dari CDN",
                "true: the admin page loads admin/decap-cms.js from the site's folder (the "
                "same version), not from the CDN"),
          default="false", example="true", widget=Widget("boolean")),
), model=Admin)


# --- the documents --------------------------------------------------------------------

SITE = Record("site", (
    Field("title", localised(), Words("Nama pameran", "The exhibition's name"), required=True,
          localised=True,
          example="{id: Pameran Produk Warga Binaan, en: Prison Products Showcase}",
          required_hint="the exhibition's name, e.g. title: Pameran Produk Unggulan"),
    Field("tagline", localised(), Words("Satu baris di bawah judul", "One line under the title"),
          localised=True, example="{id: Karya tangan dari lembaga pemasyarakatan, "
                                  "en: Handmade in correctional facilities}"),
    Field("description", localised(), Words("Untuk mesin pencari",
                                            "For search engines and link previews"),
          localised=True, widget=Widget("text"),
          example="{id: Katalog daring produk buatan warga binaan., "
                  "en: The online catalogue of products made by inmates.}"),
    Field("base_url", base_url,
          Words("Alamat situs setelah terbit. QR code dibuat darinya: tetapkan sebelum "
                "mencetak kartu.", "Where the site will be published. QR codes are made "
                "from it: set it before printing cards."),
          example="https://example.org/"),
    Field("languages", _languages, Words("Bahasa; yang pertama bawaan",
                                         "Languages; the first is the default"),
          default="[id]", example="[id, en]", widget=Widget("list")),
    Field("event", EVENT.build, Words("Tanggal dan tempat", "Dates and venue"),
          example="{start: 2026-03-24, end: 2026-03-26}", widget=Widget("object"), record=EVENT),
    Field("organiser", ORGANISER.build, Words("Penyelenggara", "Who runs the exhibition"),
          example="{name: Panitia Pameran, email: panitia@example.org}",
          widget=Widget("object"), record=ORGANISER),
    Field("categories", keyed(pattern(SLUG_RE, "lowercase a-z, 0-9 and -", slug_fix), CATEGORY),
          Words("Kategori produk: kunci -> nama", "Product categories: key -> name"),
          required=True, example="{keset: {name: {id: Keset, en: Doormats}}}",
          widget=Widget("object"), record=CATEGORY, collection="mapping",
          required_hint="mapping of key -> {name, description}"),
    Field("currency", choice("IDR"), Words("Mata uang harga; untuk sekarang hanya IDR",
                                           "Currency of the prices; only IDR for now"),
          default="IDR", example="IDR", widget=Widget("select", ("IDR",))),
    Field("contact", CONTACT.build, Words("Kontak bawaan untuk stan",
                                          "Default contact for booths"),
          example='{whatsapp: "0812-0000-0000"}', widget=Widget("object"), record=CONTACT),
    Field("marketplaces", _marketplace_names,
          Words("Marketplace tambahan: kunci -> nama", "Extra marketplaces: key -> name"),
          example="{tokokita: {name: Toko Kita}}", widget=Widget("object"), record=MARKETPLACE,
          collection="mapping"),
    Field("theme", pattern(SLUG_RE, "a theme folder name", slug_fix),
          Words("Nama folder tema", "Theme folder name"), default="default", example="default"),
    Field("images", IMAGES.build, Words("Pengaturan gambar, bila beda dari bawaan",
                                        "Overrides of the image pipeline"),
          example="{widths: [480, 800, 1200, 1600]}", widget=Widget("object"), record=IMAGES),
    Field("admin", ADMIN.build,
          Words("Editor di peramban pada /admin/ (Decap CMS); tanpa ini: tidak ada",
                "The browser editor at /admin/ (Decap CMS); without it: none"),
          example="{repo: panitia/pameran-2026, branch: main}", widget=Widget("object"),
          record=ADMIN),
))

CONTACT_EXAMPLE = """
  whatsapp: "0812-0000-0000"
  phone: "021-000-0000"
  email: bengkel@example.org
  instagram: bengkel.lapas
  website: https://example.org/"""

BOOTH = Record("booth", (
    Field("name", localised(), Words("Nama peserta pameran", "The exhibitor's name"),
          required=True, localised=True, proper_name=True, example="Lapas Kelas I Cipinang",
          required_hint="the exhibitor's name, e.g. name: Lapas Kelas I Cipinang"),
    Field("code", pattern(BOOTH_CODE_RE, "2 to 8 of A-Z and 0-9", booth_code_fix),
          Words("Kode unik 2-8 huruf A-Z/angka, tautan pendek /b/<kode>/; jangan diubah "
                "setelah dicetak", "Unique code of 2-8 A-Z/0-9, short link /b/<code>/; never "
                "change it once printed"),
          required=True, example="CPN",
          required_hint="a unique short code of 2 to 8 of A-Z0-9, e.g. code: CPN"),
    Field("stand", text, Words("Nomor stan di aula", "Stand number in the hall"), example="A-01"),
    Field("region", text, Words("Provinsi atau kota", "Province or city"), example="DKI Jakarta"),
    Field("logo", text, Words("Nama file logo di folder ini",
                              "File name of the logo in this folder"),
          example="logo.png", widget=Widget("image")),
    Field("cover", text, Words("Nama file foto sampul di folder ini",
                               "File name of the cover photo in this folder"),
          example="cover.jpg", widget=Widget("image")),
    Field("contact", CONTACT.build, Words("Kontak stan; produknya ikut memakainya",
                                          "How to reach the booth; its products use it too"),
          example=CONTACT_EXAMPLE, widget=Widget("object"), record=CONTACT),
    Field("marketplaces", shops, Words("Toko daring stan: marketplace -> alamat https",
                                       "The booth's online shops: marketplace -> https address"),
          example="\n  tokopedia: https://www.tokopedia.com/nama-toko\n"
                  "  shopee: https://shopee.co.id/nama-toko", widget=Widget("object")),
    Field("order", integer(0), Words("Urutan di daftar stan; tanpa ini: menurut nama",
                                     "Position in the list of booths; without it: by name"),
          example="1", widget=Widget("number", minimum=0)),
), allow_extra=("description",), body="description")

PRODUCT = Record("product", (
    Field("name", localised(), Words("Nama produk di tiap bahasa",
                                     "The product's name in each language"),
          required=True, localised=True, example="{id: Keset Sabut Kelapa, en: Coconut-coir doormat}",
          column="name", required_hint="the product's name, e.g. name: Keset Sabut Kelapa"),
    Field("code", pattern(PRODUCT_CODE_RE, "2 to 16 of A-Z, 0-9 and -", product_code_fix),
          Words("Kode unik di seluruh situs, tautan pendek /p/<kode>/ di kartu stan; jangan "
                "diubah", "Unique in the site, short link /p/<code>/ on the stand card; never "
                "change it"),
          required=True, example="CPN-001", column="code",
          required_hint="a unique code of 2 to 16 of A-Z0-9-, e.g. code: CPN-014"),
    # The scaffold lists the site's categories and leaves the choice to the organiser.
    Field("category", category, Words("Kategori", "Category"), required=True, example="keset",
          column="category", widget=Widget("select"),
          required_hint="a key of site.yaml's categories", draft_may_omit=True),
    Field("price", price, Words("Harga dalam rupiah tanpa titik, atau {from: 50000, to: 120000}; "
                                "tanpa harga: tanya stan", "Price in whole rupiah, or a range; "
                                "without it: ask the booth"),
          example="75000", column="price", widget=Widget("number", minimum=0),
          record=PRICE_RANGE),
    Field("price_note", localised(), Words("Keterangan harga", "Note on the price"),
          localised=True, example="{id: per buah, en: each}", column="price_note"),
    Field("images", list_of(image_ref),
          Words("Foto di folder ini, yang pertama jadi sampul; tanpa ini: semua foto menurut "
                "nama", "Photos in this folder, the first is the cover; without it: every "
                "photo, by name"),
          example="\n  - file: foto-1.jpg\n    alt: {id: Keset tampak atas, "
                  "en: The doormat from above}",
          widget=Widget("list"), record=IMAGE_REF, collection="list"),
    Field("availability", enum_of(Availability),
          Words("Ketersediaan: in-stock (bawaan), made-to-order, sold-out atau display-only",
                "Availability: in-stock (default), made-to-order, sold-out or display-only"),
          default="in-stock", example="made-to-order", column="availability",
          widget=Widget("select", tuple(a.value for a in Availability))),
    Field("materials", localised(list_of(text, allow_single=True)), Words("Bahan", "Materials"),
          localised=True, example="{id: [sabut kelapa, karet], en: [coconut coir, rubber]}",
          column="materials", widget=Widget("list")),
    Field("dimensions", localised(), Words("Ukuran", "Size"), localised=True,
          example="{id: 60 × 40 cm, en: 60 × 40 cm}", column="dimensions"),
    Field("tags", list_of(text), Words("Kata kunci untuk pencarian", "Keywords for search"),
          default="[]", example="[keset, rumah]", column="tags", widget=Widget("list")),
    Field("marketplaces", shops, Words("Halaman produk ini di marketplace",
                                       "This product's listings on marketplaces"),
          example="\n  tokopedia: https://www.tokopedia.com/nama-toko/nama-produk",
          widget=Widget("object")),
    Field("whatsapp", phone, Words("Nomor WhatsApp pemesanan, bila beda dari stan",
                                   "WhatsApp number for orders, if not the booth's"),
          example='"0812-0000-0000"', column="whatsapp"),
    Field("featured", boolean, Words("Tampil di halaman depan bila true",
                                     "Shown on the home page when true"),
          default="false", example="true", column="featured", widget=Widget("boolean")),
    Field("maker", localised(), Words("Pembuat, sebagaimana ia setuju disebut",
                                      "Who made it, as they agreed to be credited"),
          localised=True, proper_name=True,
          example="{id: Bengkel Kerja Anyaman, en: Weaving Workshop}", column="maker"),
    Field("maker_consent", boolean, Words("Isi true hanya bila pembuat setuju namanya tampil",
                                          "Set it to true only once the maker agreed to be named"),
          default="false", example="true", column="maker_consent", widget=Widget("boolean")),
    Field("draft", boolean, Words("Hanya dibangun dengan --drafts bila true",
                                  "Built only with --drafts when true"),
          default="false", example="true", column="draft", widget=Widget("boolean")),
), allow_extra=("description",), body="description")

PAGE = Record("page", (
    Field("title", localised(), Words("Judul halaman", "The page's title"), required=True,
          localised=True, example="{id: Tentang Pameran, en: About the showcase}",
          required_hint="the page's title"),
    Field("menu", integer(0), Words("Urutan di menu; tanpa ini: tidak ada di menu",
                                    "Position in the menu; without it: not in the menu"),
          example="1", widget=Widget("number", minimum=0)),
    Field("description", localised(), Words("Satu kalimat untuk mesin pencari",
                                            "A sentence for search engines"),
          localised=True, example="{id: Tentang pameran ini., en: About this showcase.}",
          widget=Widget("text")),
))


site_path = text_that(
    lambda v: v.startswith("/") and v.endswith("/") and "//" not in v and ".." not in v,
    lambda v: f"'{v}' is not a page path of this site; write it from the site's root, "
              "starting and ending with '/', e.g. /booths/lapas-cipinang/")

any_code = text_that(PRODUCT_CODE_RE.fullmatch,
                     lambda v: f"'{v}' is not a product or booth code; for example "
                               f"'{product_code_fix(v)}'")


PRINTED = Record("printed", (
    Field("products", list_of(pattern(PRODUCT_CODE_RE, "2 to 16 of A-Z, 0-9 and -",
                                      product_code_fix)),
          Words("Kode produk yang tercetak di kartu stan", "Product codes printed on stand cards"),
          default="[]", example="[CPN-014, CPN-015]", widget=Widget("list")),
    Field("booths", list_of(pattern(BOOTH_CODE_RE, "2 to 8 of A-Z and 0-9", booth_code_fix)),
          Words("Kode stan yang tercetak di poster", "Booth codes printed on posters"),
          default="[]", example="[CPN]", widget=Widget("list")),
    Field("retired", mapping_of(any_code, site_path),
          Words("Kode tercetak -> halaman yang kini dituju tautan pendeknya",
                "Printed code -> the page its short link leads to now"),
          default="{}", example="{CPN-013: /booths/lapas-cipinang/}", widget=Widget("object")),
))

RECORDS = {"site": "SITE", "booth": "BOOTH", "product": "PRODUCT", "page": "PAGE",
           "printed": "PRINTED"}


def record(kind: str) -> Record:
    """The record of a document kind ("booth", ...), as the registry holds it now."""
    return globals()[RECORDS[kind]]


def nested() -> dict[str, Record]:
    """Every nested record, by name: for documentation and the self-consistency test."""
    return {r.name: r for r in (CONTACT, EVENT, VENUE, ORGANISER, CATEGORY, MARKETPLACE,
                                IMAGES, IMAGE_REF, PRICE_RANGE, ADMIN)}
