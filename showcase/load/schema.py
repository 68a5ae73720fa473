"""The vocabulary of checks the field registry (`showcase.load.fields`) is written in.

A check takes a raw value and its position and returns the typed value (text, a
number, a date, a `Localised`, a tuple), or reports a `Problem` at the field's line and
returns `INVALID`; it never raises, so one run lists every problem in the content.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

from showcase.errors import Problems
from showcase.model import Localised
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

    def problem(self, message: str, **values: Any) -> Any:
        self.ctx.problems.add(self.ctx.path, self.line, self.field, message, **values)
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


def text_that(ok: Callable[[str], Any], wrong: Callable[[str], str]) -> Check:
    """Text that passes `ok`; otherwise the problem `wrong(value)` words."""
    def check(value: Any, at: At) -> Any:
        value = text(value, at)
        if value is INVALID or ok(value):
            return value
        return at.problem(wrong(value))
    return check


_phone_text = text_that(
    lambda v: 8 <= len(re.sub(r"\D", "", v)) <= 15 and re.fullmatch(r"\+?[0-9 ()./-]+", v),
    lambda v: f"'{v}' is not a phone number; write it like \"0812-3456-7890\" "
              "or \"+62 812 3456 7890\"")


def phone(value: Any, at: At) -> Any:
    """A phone number must be quoted: YAML reads unquoted 0812… as a number and loses the 0."""
    if isinstance(value, int) and not isinstance(value, bool):
        return at.problem(f"write phone numbers in quotes, e.g. \"0812-3456-7890\"; YAML read "
                          f"this one as the number {value}, which loses a leading 0 or +")
    return _phone_text(value, at)


email = text_that(lambda v: re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", v),
                  lambda v: f"'{v}' is not an e-mail address; write it like name@example.org")


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


def quoted(value: Any, at: At, plain: str) -> Any:
    """A number or true/false in quotes is text to YAML: the quotes are the mistake, so
    the problem says so rather than asking for what is already there."""
    key = re.sub(r".*[.\]]", "", at.field)
    what = "true or false" if plain in ("true", "false") else "a number"
    return at.problem(f"\"{value}\" is in quotes, which makes it text, not {what}; remove "
                      f"the quotes: {key + ': ' if key else ''}{plain}")


def integer(minimum: int = 0, maximum: int = MAX_INTEGER) -> Check:
    def check(value: Any, at: At) -> Any:
        if isinstance(value, str) and value.strip().isdigit():
            return quoted(value, at, str(int(value.strip())))
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
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return quoted(value, at, value.strip().lower())
    if not isinstance(value, bool):
        return at.problem(f"expected true or false, got {type_name(value)}")
    return value


def date(value: Any, at: At) -> Any:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        # Quoted, as a YAML 1.2 writer may (the browser editor's): the same date.
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return at.problem(f"'{value.strip()}' is not a date of the calendar; write it like "
                              "2019-03-26")
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
    return text_that(regex.fullmatch,
                     lambda v: f"'{v}' is not valid: {describe}; for example '{fix(v)}'")


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


def one_of_site(value: Any, at: At, options: tuple[str, ...], what: str, more: str = "") -> Any:
    """`value` if it is one of the site's `options` (its categories, languages, ...), else
    a problem that names the nearest and every one; `more` says how to add another."""
    if value in options:
        return value
    guess = nearest(value, options)
    hint = f"did you mean '{guess}'? " if guess else ""
    return at.problem(f"'{value}' is not {what}; {hint}use one of: {', '.join(options)}{more}")


def category(value: Any, at: At) -> Any:
    return one_of_site(value, at, at.ctx.categories, "a category of site.yaml")


# --- composite checks -----------------------------------------------------------------

def localised(inner: Check = text) -> Check:
    """A plain value in the default language, or a mapping of language code to value:
    a `Localised` whose default is the site's default language."""
    def check(value: Any, at: At) -> Any:
        if isinstance(value, dict):
            result = {}
            for lang, item in value.items():
                if lang != at.ctx.languages[0] and (item is None or (
                        isinstance(item, str) and not item.strip())):
                    continue  # a language left empty is not written: it falls back
                sub = at.child(str(lang), value.lines.get(lang) if isinstance(value, LineDict) else None)
                if one_of_site(lang, sub, at.ctx.languages,
                               "a language of site.yaml") is INVALID:
                    continue
                converted = inner(item, sub)
                if converted is not INVALID:
                    result[lang] = converted
            if not result:
                return INVALID
            return Localised.of(result, at.ctx.languages[0])
        converted = inner(value, at)
        return INVALID if converted is INVALID else Localised(((at.ctx.languages[0], converted),),
                                                              at.ctx.languages[0])
    return check


def list_of(inner: Check, allow_single: bool = False) -> Check:
    """A list, as a tuple."""
    def check(value: Any, at: At) -> Any:
        if not isinstance(value, list):
            if allow_single:
                converted = inner(value, at)
                return INVALID if converted is INVALID else (converted,)
            return at.problem(f"expected a list ('- item' lines or [a, b]), got {type_name(value)}")
        lines = value.lines if isinstance(value, LineList) else [None] * len(value)
        result = [inner(item, at.child(i, line)) for i, (item, line) in enumerate(zip(value, lines))]
        for item in result:
            if item is INVALID:
                return INVALID
        return tuple(result)
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
    return one_of_site(value, at, at.ctx.marketplaces, "a known marketplace",
                       " (or declare it under marketplaces in site.yaml)")
