"""Words and formats in the visitor's language: theme strings, prices and dates.

Prices and dates come from Babel's CLDR data, so adding a language to site.yaml needs
no table here; only the theme's `i18n/<lang>.yaml` strings must be written.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.numbers import format_decimal

from showcase.model import Event, Price


class MissingString(KeyError):
    """A template asked for a theme string no i18n file has: args are (key, language)."""

    def __str__(self) -> str:
        key, lang = self.args
        return f"theme string '{key}' is missing from i18n/{lang}.yaml"


@dataclass(frozen=True)
class Strings:
    """A theme's strings for one language, falling back to the default language's."""

    lang: str
    own: dict[str, str]
    fallback: dict[str, str]

    def get(self, key: str) -> str | None:
        return self.own.get(key, self.fallback.get(key))

    def __call__(self, key: str, **values: object) -> str:
        template = self.own.get(key, self.fallback.get(key))
        if template is None:
            raise MissingString(key, self.lang)
        return template.format(**values) if values else template


def strings_of(tables: dict[str, dict[str, str]], languages: tuple[str, ...]) -> dict[str, Strings]:
    """Every language's strings from the theme's tables (language -> key -> text; English
    too when the theme has it): a word a language lacks is the default language's, and
    then English's."""
    english = tables.get("en") or {}
    default = tables.get(languages[0]) or english
    return {lang: Strings(lang, tables.get(lang, {}), {**english, **default}) for lang in languages}


@functools.lru_cache(maxsize=64)
def locale(lang: str) -> Locale:
    try:
        return Locale.parse(lang)
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


def language_name(lang: str) -> str:
    """A language's name in itself ("Indonesia", "English"), as a switcher should show it."""
    name = locale(lang).get_language_name(lang) or lang
    return name[:1].upper() + name[1:]


@functools.lru_cache(maxsize=4096)
def format_amount(amount: int, lang: str) -> str:
    return "Rp" + format_decimal(amount, format="#,##0", locale=locale(lang))


def format_price(price: Price | None, lang: str, ask: str) -> str:
    """Rp75.000, Rp50.000–Rp120.000, or the theme's "ask for price"."""
    if price is None:
        return ask
    if price.is_range:
        return f"{format_amount(price.low, lang)}–{format_amount(price.high, lang)}"
    return format_amount(price.low, lang)


# A number and the unit after it: metric units (as written in both languages, "gr" and
# "cc" too) and their names in Indonesian and English.
_QUANTITY = re.compile(
    r"(?<=\d) (?=(?:[kmc]?g|gr|[mc]?[lL]|[kcm]?m[²³23]?|cc|"
    r"gram|kilogram|liter|litre|meter|metre|sentimeter|centimetre|centimeter)(?![\w²³]))")


def keep_quantities(text: str) -> str:
    """The text with a no-break space between each number and its unit ("250 g",
    "30 x 40 cm"), so that a narrow screen never puts the unit on the next line.

    Organisers write quantities as free text (a price note, dimensions, a name);
    this is where they become typeset, the same bytes on every build."""
    return _QUANTITY.sub("\u00a0", text) if " " in text else text


def format_day(day: dt.date, lang: str) -> str:
    return format_date(day, "d MMMM y", locale=locale(lang))


def format_event_dates(event: Event, lang: str) -> str:
    """26–28 Maret 2019; 30 Maret – 2 April 2019; 30 Desember 2019 – 2 Januari 2020.

    Babel's interval skeletons abbreviate month names and use the US order in English,
    so the interval is composed here from Babel's own patterns and month names.
    """
    start, end = event.start, event.end or event.start
    if start is None:
        return ""
    loc = locale(lang)
    if end == start:
        return format_day(start, lang)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{format_day(end, lang)}"
    if start.year == end.year:
        return f"{format_date(start, 'd MMMM', locale=loc)} – {format_day(end, lang)}"
    return f"{format_day(start, lang)} – {format_day(end, lang)}"
