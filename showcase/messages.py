"""The command line's own words in the organiser's language, from gettext catalogues.

Messages are written in English in the code, marked with `_()` or `ngettext()`, and
looked up in `locale/<lang>/LC_MESSAGES/showcase.mo` (translated in the `.po` beside it;
docs/development.md says how to extract and compile). English needs no catalogue: an
untranslated or unknown message reads as written.

The language is chosen once per run by the command line (`use`), and held in a context
variable rather than passed to every function that prints: a marked message then reads
the same wherever it is, and a test or a thread that chose nothing gets English.
Nothing below the commands prints, so the commands (and `BuildResult.summary`, which
they print) translate with `_()`. A `Problem`, made far below and read by tools in
English, is marked with `N_()` where it is made and translated where it is printed
(`problem`); `--format json` never goes through here.
"""

from __future__ import annotations

import gettext
from collections.abc import Mapping
from contextvars import ContextVar, Token
from dataclasses import replace
from pathlib import Path

DOMAIN = "showcase"
LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGES = ("en", "id")
DEFAULT = "en"
# Where a language is looked for when --lang is not given, first set wins (gettext's order).
ENVIRONMENT = ("SHOWCASE_LANG", "LC_ALL", "LC_MESSAGES", "LANG")

# The chosen language's code and its catalogue.
_current: ContextVar[tuple[str, gettext.NullTranslations]] = ContextVar(
    "showcase_messages", default=(DEFAULT, gettext.NullTranslations()))


def catalogue(lang: str) -> gettext.NullTranslations:
    """The translations of `lang`, or none (English as written) if it has no catalogue."""
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang], fallback=True)


def use(lang: str) -> Token:
    """Speak `lang` from now on in this context; the token undoes it (`restore`)."""
    return _current.set((lang, catalogue(lang)))


def restore(token: Token) -> None:
    _current.reset(token)


def choose(flag: str | None, environ: Mapping[str, str]) -> str:
    """--lang, else SHOWCASE_LANG, else the locale (id_ID.UTF-8 is id), else English.
    A locale of a language without a catalogue (C, POSIX, fr_FR) is English."""
    if flag:
        return flag
    for name in ENVIRONMENT:
        value = environ.get(name, "")
        if value:
            lang = value.split(".")[0].split("@")[0].split("_")[0].split("-")[0].lower()
            return lang if lang in LANGUAGES else DEFAULT
    return DEFAULT


class Text(str):
    """English words that remember the marked template and values they were made of, so
    that they can be said again in the organiser's language where they are printed.

    It is a `str` (tools, JSON and tests read the English), so it travels through every
    layer that passes messages on, and through the parse cache and worker processes."""

    template: str
    values: tuple[tuple[str, object], ...]

    def __new__(cls, template: str, values: tuple[tuple[str, object], ...] = ()) -> "Text":
        self = super().__new__(cls, template.format(**dict(values)) if values else template)
        self.template, self.values = template, values
        return self

    def __reduce__(self):
        return type(self), (self.template, self.values)

    def said(self) -> str:
        """These words in the chosen language, and their values too."""
        said = _(self.template)
        if not self.values:
            return said
        return said.format(**{name: translate(value) for name, value in self.values})


def N_(message: str, **values: object) -> Text:
    """Marks a message for extraction where it is made, to be translated where it is
    printed (a `Problem`'s message, or a part of one: see `problem`). With `values`,
    the English is filled in at once (`str.format`); a part made this way may itself be
    a value of another message, and is translated with it."""
    return Text(message, tuple(values.items()))


def translate(text: object) -> object:
    """`text` in the chosen language if it is a `Text`, its values too; anything else
    (a number, a file name, a value the organiser wrote) as it is."""
    return text.said() if isinstance(text, Text) else text


def problem(found):
    """A `Problem` with its message in the chosen language, if its message was marked;
    one that was not reads as written."""
    if not found.template:
        return found
    return replace(found, message=translate(Text(found.template, found.values)))


def problem_line(found) -> str:
    """A `Problem` as the command line prints it, in the chosen language."""
    return problem(found).located(_("warning"))


def _(message: str) -> str:
    return _current.get()[1].gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    return _current.get()[1].ngettext(singular, plural, count)


def language() -> str:
    """The code of the language the command line speaks (`en` unless one was chosen)."""
    return _current.get()[0]
