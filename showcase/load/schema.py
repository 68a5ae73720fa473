"""The declarative schema of site.yaml, booths, products and free pages.

Each field is declared once, with the check that validates and converts it and a line
of documentation. Checks never raise: they report a `Problem` at the field's line and
return `INVALID`, so one run lists every problem in the content.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

from showcase.errors import Problems
from showcase.load.source import LineDict, LineList

INVALID: Any = object()

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
BOOTH_CODE_RE = re.compile(r"^[A-Z0-9]{2,8}$")
PRODUCT_CODE_RE = re.compile(r"^[A-Z0-9][A-Z0-9-]{0,14}[A-Z0-9]$")
LANG_RE = re.compile(r"^[a-z]{2,3}$")

BUILTIN_MARKETPLACES = {
    "tokopedia": "Tokopedia", "shopee": "Shopee", "bukalapak": "Bukalapak",
    "blibli": "Blibli", "lazada": "Lazada", "tiktokshop": "TikTok Shop", "website": "Website",
}


@dataclass(frozen=True)
class Context:
    """What every check needs to know: where it is and which languages exist."""

    path: str
    problems: Problems
    languages: tuple[str, ...] = ("id",)
    categories: tuple[str, ...] = ()
    marketplaces: tuple[str, ...] = tuple(BUILTIN_MARKETPLACES)
    # Marketplace key -> the name pages show (site.yaml may add to the built-in ones).
    marketplace_names: Mapping[str, str] = field(default_factory=lambda: BUILTIN_MARKETPLACES)


@dataclass(frozen=True)
class At:
    """A position in a document: the dotted field name and its line."""

    ctx: Context
    field: str
    line: int | None
    lines: Mapping[Any, int] | None = None  # of the mapping at this position, for rules

    def of(self, name: str) -> At:
        """The position of field `name` of the mapping here (its own line if known)."""
        return self.child(name, (self.lines or {}).get(name))

    def problem(self, message: str) -> Any:
        self.ctx.problems.add(self.ctx.path, self.line, self.field, message)
        return INVALID

    def child(self, name: str | int, line: int | None) -> At:
        name = f"[{name}]" if isinstance(name, int) else name
        joined = f"{self.field}{name}" if name.startswith("[") else (
            f"{self.field}.{name}" if self.field else name)
        return At(self.ctx, joined, line or self.line)


Check = Callable[[Any, At], Any]


def nearest(word: str, choices) -> str | None:
    matches = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return matches[0] if matches else None


def type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, (dict, LineDict)):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return f"'{value}'"


# --- scalar checks --------------------------------------------------------------------

def text(value: Any, at: At) -> Any:
    """A line of text; numbers are accepted as text (a stand `12`, a dimension `40`)."""
    if isinstance(value, bool) or value is None or isinstance(value, (dict, list)):
        return at.problem(f"expected text, got {type_name(value)}")
    if isinstance(value, (int, float)):
        return str(value)
    if not isinstance(value, str) or not value.strip():
        return at.problem("is empty; write some text or remove the field")
    return value.strip()


def phone(value: Any, at: At) -> Any:
    """A phone number must be quoted: YAML reads unquoted 0812… as a number and loses the 0."""
    if isinstance(value, int) and not isinstance(value, bool):
        return at.problem(f"write phone numbers in quotes, e.g. \"0812-3456-7890\"; YAML read "
                          f"this one as the number {value}, which loses a leading 0 or +")
    value = text(value, at)
    if value is INVALID:
        return value
    digits = re.sub(r"\D", "", value)
    if not 8 <= len(digits) <= 15 or not re.fullmatch(r"\+?[0-9 ()./-]+", value):
        return at.problem(f"'{value}' is not a phone number; write it like \"0812-3456-7890\" "
                          "or \"+62 812 3456 7890\"")
    return value


def email(value: Any, at: At) -> Any:
    value = text(value, at)
    if value is not INVALID and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value):
        return at.problem(f"'{value}' is not an e-mail address; write it like name@example.org")
    return value


# Characters RFC 3986 leaves out of URLs (browsers percent-encode them when copying)
# that also mean something in HTML; {, | and } are left alone, some map links use them.
URL_UNSAFE = '"<>\\`'


def https_url(value: Any, at: At, example: str = "https://www.tokopedia.com/shop-name") -> Any:
    value = text(value, at)
    if value is INVALID:
        return value
    if not re.fullmatch(r"https://[^\s/?#]+\.[^\s/?#]+(?:[/?#]\S*)?", value):
        return at.problem(f"'{value}' is not a web address starting with https://; "
                          f"write it like {example}")
    unsafe = sorted(set(value) & set(URL_UNSAFE))
    if unsafe:  # never in a real address; in an attribute they are markup waiting to happen
        return at.problem(f"'{value}' holds {' '.join(unsafe)}, which a web address cannot; "
                          "copy the address again from the browser's address bar")
    return value


def base_url(value: Any, at: At) -> Any:
    value = https_url(value, at, "https://example.org/pun-2019/ (the full address where "
                                 "the site is published)")
    if value is not INVALID and ("?" in value or "#" in value):
        return at.problem("must not have a query or fragment; write it like "
                          "https://example.org/pun-2019/")
    return value if value is INVALID or value.endswith("/") else value + "/"


# Far above any real price, order or width, and far below what number formatting or an
# image library can handle (a 50-digit price used to crash Babel while rendering).
MAX_INTEGER = 10**12


def integer(minimum: int = 0, maximum: int = MAX_INTEGER) -> Check:
    def check(value: Any, at: At) -> Any:
        if isinstance(value, bool) or not isinstance(value, int):
            hint = f" like {minimum + 75000 if minimum == 0 else minimum}"
            if isinstance(value, str):
                digits = re.sub(r"[^\d]", "", value)
                if digits:
                    hint = f": {int(digits)}"
            return at.problem(f"expected a whole number{hint}, got {type_name(value)}")
        if value < minimum:
            return at.problem(f"must be {minimum} or more, got {value}")
        if value > maximum:
            return at.problem(f"must be {maximum} or less, got {value}; check for extra digits")
        return value
    return check


def boolean(value: Any, at: At) -> Any:
    if not isinstance(value, bool):
        return at.problem(f"expected true or false, got {type_name(value)}")
    return value


def date(value: Any, at: At) -> Any:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return at.problem(f"expected a date like 2019-03-26, got {type_name(value)}")


def choice(*options: str) -> Check:
    def check(value: Any, at: At) -> Any:
        if value not in options:
            guess = nearest(value, options)
            hint = f"did you mean '{guess}'? " if guess else ""
            return at.problem(f"'{value}' is not allowed; {hint}use one of: {', '.join(options)}")
        return value
    return check


def pattern(regex: re.Pattern, describe: str, fix: Callable[[str], str]) -> Check:
    def check(value: Any, at: At) -> Any:
        value = text(value, at)
        if value is INVALID:
            return value
        if not regex.fullmatch(value):
            return at.problem(f"'{value}' is not valid: {describe}; for example '{fix(value)}'")
        return value
    return check


def booth_code_fix(value: str) -> str:
    cleaned = re.sub(r"[^A-Z0-9]", "", value.upper())
    return cleaned[:8] if len(cleaned) >= 2 else (cleaned + "XX")[:2]


def product_code_fix(value: str) -> str:
    cleaned = re.sub(r"-+", "-", re.sub(r"[^A-Z0-9-]", "-", value.upper())).strip("-")
    if len(cleaned) < 2:
        return "ABC-001" if not cleaned else f"ABC-{cleaned:0>3}"
    return cleaned[:16].rstrip("-")


def slug_fix(value: str) -> str:
    import unicodedata
    ascii_ = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-") or "entry"


def category(value: Any, at: At) -> Any:
    options = at.ctx.categories
    if value not in options:
        guess = nearest(value, options)
        hint = f"did you mean '{guess}'? " if guess else ""
        return at.problem(f"'{value}' is not a category of site.yaml; {hint}"
                          f"use one of: {', '.join(options)}")
    return value


# --- composite checks -----------------------------------------------------------------

def localised(inner: Check = text) -> Check:
    """A plain value in the default language, or a mapping of language code to value."""
    def check(value: Any, at: At) -> Any:
        if isinstance(value, dict):
            result = {}
            for lang, item in value.items():
                sub = at.child(str(lang), value.lines.get(lang) if isinstance(value, LineDict) else None)
                if lang not in at.ctx.languages:
                    guess = nearest(lang, at.ctx.languages)
                    hint = f"did you mean '{guess}'? " if guess else ""
                    sub.problem(f"'{lang}' is not a language of site.yaml; {hint}"
                                f"use one of: {', '.join(at.ctx.languages)}")
                    continue
                converted = inner(item, sub)
                if converted is not INVALID:
                    result[lang] = converted
            if not result:
                return INVALID
            return result
        converted = inner(value, at)
        return INVALID if converted is INVALID else {at.ctx.languages[0]: converted}
    return check


def list_of(inner: Check, allow_single: bool = False) -> Check:
    def check(value: Any, at: At) -> Any:
        if not isinstance(value, list):
            if allow_single:
                converted = inner(value, at)
                return INVALID if converted is INVALID else [converted]
            return at.problem(f"expected a list ('- item' lines or [a, b]), got {type_name(value)}")
        lines = value.lines if isinstance(value, LineList) else [None] * len(value)
        result = [inner(item, at.child(i, line)) for i, (item, line) in enumerate(zip(value, lines))]
        return INVALID if INVALID in result else result
    return check


def mapping_of(key_check: Check, value_check: Check) -> Check:
    def check(value: Any, at: At) -> Any:
        if not isinstance(value, dict):
            return at.problem(f"expected a mapping of 'key: value' lines, got {type_name(value)}")
        result = {}
        for key, item in value.items():
            sub = at.child(str(key), value.lines.get(key) if isinstance(value, LineDict) else None)
            k, v = key_check(key, sub), value_check(item, sub)
            if k is not INVALID and v is not INVALID:
                result[k] = v
        return result
    return check


def marketplace_key(value: Any, at: At) -> Any:
    options = at.ctx.marketplaces
    if value not in options:
        guess = nearest(value, options)
        hint = f"did you mean '{guess}'? " if guess else ""
        return at.problem(f"'{value}' is not a known marketplace; {hint}use one of: "
                          f"{', '.join(options)} (or declare it under marketplaces in site.yaml)")
    return value


def key_text(value: Any, at: At) -> Any:
    return text(value, at)


@dataclass(frozen=True)
class Field:
    check: Check
    required: bool = False
    doc: str = ""


@dataclass(frozen=True)
class Record:
    """A mapping with known keys: unknown keys are problems that name the nearest one."""

    fields: Mapping[str, Field]
    allow_extra: tuple[str, ...] = field(default=())

    def __call__(self, value: Any, at: At) -> Any:
        if not isinstance(value, dict):
            return at.problem(f"expected a mapping of 'key: value' lines, got {type_name(value)}")
        lines = value.lines if isinstance(value, LineDict) else {}
        result: dict[str, Any] = {}
        ok = True
        for key, item in value.items():
            sub = at.child(str(key), lines.get(key))
            spec = self.fields.get(key)
            if spec is None:
                if key in self.allow_extra:
                    continue
                guess = nearest(key, self.fields)
                hint = f"did you mean '{guess}'?" if guess else (
                    f"known fields: {', '.join(self.fields)}")
                sub.problem(f"unknown field; {hint}")
                ok = False
                continue
            converted = spec.check(item, sub)
            if converted is INVALID:
                ok = False
            else:
                result[key] = converted
        for key, spec in self.fields.items():
            if spec.required and key not in value:
                at.child(key, getattr(value, "line", None) or None).problem(
                    f"is required: {spec.doc}")
                ok = False
        return result if ok or at.field == "" else INVALID


def price(value: Any, at: At) -> Any:
    """Whole rupiah, or a range; absent means 'ask the booth'."""
    if isinstance(value, dict):
        rng = Record({"from": Field(integer(0), True, "the lowest price"),
                      "to": Field(integer(0), True, "the highest price")})(value, at)
        if rng is INVALID:
            return INVALID
        if rng["from"] > rng["to"]:
            return at.problem(f"'from' ({rng['from']}) is more than 'to' ({rng['to']}); swap them")
        return (rng["from"], rng["to"])
    if isinstance(value, bool) or not isinstance(value, int):
        digits = re.sub(r"\D", "", str(value)) if isinstance(value, str) else ""
        example = digits if digits and not re.search(r"rb|k|ribu|jt", str(value), re.I) else "75000"
        return at.problem(f"expected whole rupiah like {example}, or {{from: 50000, to: 120000}}; "
                          f"got {type_name(value)}")
    if value < 0:
        return at.problem(f"a price cannot be negative ({value}); write it like 75000")
    if value > MAX_INTEGER:
        return at.problem(f"{value} is more than any real price (at most {MAX_INTEGER}); "
                          "check for extra digits")
    return (value, value)


def quality(value: Any, at: At) -> Any:
    """One quality for every format, or {webp: 75, jpeg: 80}."""
    one = lambda v, a: integer(1)(v, a) if not isinstance(v, int) or v <= 100 else (  # noqa: E731
        a.problem(f"must be 100 or less, got {v}"))
    if isinstance(value, dict):
        return mapping_of(choice("avif", "webp", "jpeg"), one)(value, at)
    checked = one(value, at)
    return INVALID if checked is INVALID else {fmt: checked for fmt in ("avif", "webp", "jpeg")}


def image_ref(value: Any, at: At) -> Any:
    if isinstance(value, dict):
        return Record({"file": Field(text, True, "the photo's file name in this folder"),
                       "alt": Field(localised(), False, "what the photo shows, for people "
                                                         "who cannot see it")})(value, at)
    name = text(value, at)
    return INVALID if name is INVALID else {"file": name}


CONTACT = Record({
    "whatsapp": Field(phone, doc="WhatsApp number for orders"),
    "phone": Field(phone, doc="phone number"),
    "email": Field(email, doc="e-mail address"),
    "instagram": Field(text, doc="Instagram handle"),
    "website": Field(https_url, doc="website address"),
})

SITE = Record({
    "title": Field(localised(), True, "the exhibition's name, e.g. title: Pameran Produk Unggulan"),
    "tagline": Field(localised(), doc="one line under the title"),
    "description": Field(localised(), doc="a sentence for search engines and link previews"),
    "base_url": Field(base_url, doc="where the site is published, e.g. https://example.org/pun-2019/"),
    "languages": Field(list_of(pattern(LANG_RE, "a two-letter language code", lambda v: "en")),
                       doc="language codes, default first, e.g. [id, en]"),
    "event": Field(Record({
        "start": Field(date, doc="first day, e.g. 2019-03-26"),
        "end": Field(date, doc="last day"),
        "hours": Field(localised(), doc="opening hours"),
        "venue": Field(Record({
            "name": Field(localised(), True, "the venue's name"),
            "address": Field(localised(), doc="street address"),
            "map_url": Field(https_url, doc="link to a map"),
        }), doc="where the exhibition is held"),
    }), doc="dates and venue"),
    "organiser": Field(Record({
        "name": Field(localised(), True, "who organises the exhibition"),
        "email": Field(email), "phone": Field(phone), "whatsapp": Field(phone),
        "website": Field(https_url),
    }), doc="who runs the exhibition"),
    "categories": Field(mapping_of(pattern(SLUG_RE, "lowercase a-z, 0-9 and -", slug_fix),
                                   Record({"name": Field(localised(), True, "the category's name"),
                                           "description": Field(localised())})),
                        True, "mapping of key -> {name, description}"),
    "currency": Field(choice("IDR"), doc="only IDR for now"),
    "contact": Field(CONTACT, doc="default contact for booths without one"),
    "marketplaces": Field(mapping_of(pattern(SLUG_RE, "lowercase a-z, 0-9 and -", slug_fix),
                                     Record({"name": Field(text, True, "the marketplace's name")})),
                          doc="extra marketplaces: key -> {name}"),
    "theme": Field(pattern(SLUG_RE, "a theme folder name", slug_fix), doc="theme folder name"),
    "images": Field(Record({
        "widths": Field(list_of(integer(16, 10_000)), doc="variant widths in pixels"),
        "formats": Field(list_of(choice("webp", "jpeg", "avif")), doc="output formats"),
        "quality": Field(quality, doc="encoder quality 1-100, for all formats or per format"),
    }), doc="overrides of the image pipeline"),
})

BOOTH = Record({
    "name": Field(localised(), True, "the exhibitor's name, e.g. name: Lapas Kelas I Cipinang"),
    "code": Field(pattern(BOOTH_CODE_RE, "2 to 8 of A-Z and 0-9", booth_code_fix), True,
                  "a unique short code of 2 to 8 of A-Z0-9, e.g. code: CPN"),
    "stand": Field(text, doc="stand number in the hall"),
    "region": Field(text, doc="province or city"),
    "logo": Field(text, doc="file name of the logo in this folder"),
    "cover": Field(text, doc="file name of the cover photo in this folder"),
    "contact": Field(CONTACT, doc="how to reach the booth"),
    "marketplaces": Field(mapping_of(marketplace_key, https_url), doc="key -> shop URL"),
    "order": Field(integer(0), doc="sort order"),
}, allow_extra=("description",))

PRODUCT = Record({
    "name": Field(localised(), True, "the product's name, e.g. name: Keset Sabut Kelapa"),
    "code": Field(pattern(PRODUCT_CODE_RE, "2 to 16 of A-Z, 0-9 and -", product_code_fix), True,
                  "a unique code of 2 to 16 of A-Z0-9-, e.g. code: CPN-014"),
    "category": Field(category, True, "a key of site.yaml's categories"),
    "price": Field(price, doc="whole rupiah (75000) or {from: 50000, to: 120000}"),
    "price_note": Field(localised(), doc="e.g. per meter"),
    "images": Field(list_of(image_ref), doc="file names, first is the cover"),
    "availability": Field(choice("in-stock", "made-to-order", "sold-out", "display-only"),
                          doc="in-stock, made-to-order, sold-out or display-only"),
    "materials": Field(localised(list_of(text, allow_single=True)), doc="what it is made of"),
    "dimensions": Field(localised(), doc="size"),
    "tags": Field(list_of(text), doc="list of words"),
    "marketplaces": Field(mapping_of(marketplace_key, https_url), doc="key -> listing URL"),
    "whatsapp": Field(phone, doc="overrides the booth's number for orders"),
    "featured": Field(boolean, doc="shown on the home page"),
    "maker": Field(localised(), doc="who made it, as they agreed to be credited"),
    "maker_consent": Field(boolean, doc="maker is published only when true"),
    "draft": Field(boolean, doc="built only with --drafts"),
}, allow_extra=("description",))

PAGE = Record({
    "title": Field(localised(), True, "the page's title"),
    "menu": Field(integer(0), doc="position in the menu"),
    "description": Field(localised(), doc="a sentence for search engines"),
})

def site_path(value: Any, at: At) -> Any:
    value = text(value, at)
    if value is INVALID:
        return value
    if not (value.startswith("/") and value.endswith("/")) or "//" in value or ".." in value:
        return at.problem(f"'{value}' is not a page path of this site; write it from the site's "
                          "root, starting and ending with '/', e.g. /booths/lapas-cipinang/")
    return value


def any_code(value: Any, at: At) -> Any:
    value = text(value, at)
    if value is INVALID:
        return value
    if not PRODUCT_CODE_RE.fullmatch(value):
        return at.problem(f"'{value}' is not a product or booth code; for example "
                          f"'{product_code_fix(value)}'")
    return value


PRINTED = Record({
    "products": Field(list_of(pattern(PRODUCT_CODE_RE, "2 to 16 of A-Z, 0-9 and -",
                                      product_code_fix)),
                      doc="product codes printed on stand cards"),
    "booths": Field(list_of(pattern(BOOTH_CODE_RE, "2 to 8 of A-Z and 0-9", booth_code_fix)),
                    doc="booth codes printed on posters"),
    "retired": Field(mapping_of(any_code, site_path),
                     doc="printed code -> the page its short link leads to now"),
})

# A translation file may override only localisable fields.
LOCALISABLE = {
    "booth": ("name", "description"),
    "product": ("name", "price_note", "materials", "dimensions", "maker", "description"),
    "page": ("title", "description"),
}
