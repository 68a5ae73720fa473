"""What other files need to know of site.yaml, read leniently before (or without) a load.

Checking a product needs the site's languages, categories and marketplaces; `serve`
needs the path the site is published under; `new` and `import` must work while some
other entry is broken. All of them read those facts here, the way the build does, so
that no command reads site.yaml its own way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from showcase.errors import Problems
from showcase.load import fields
from showcase.load.schema import BUILTIN_MARKETPLACES, INVALID, At, Context
from showcase.load.source import LineDict, read

FILE_NAME = "site.yaml"


@dataclass(frozen=True)
class SiteFacts:
    """The facts of site.yaml that checking any other file depends on."""

    languages: tuple[str, ...] = ("id",)  # default first; ("id",) unless a valid list
    categories: tuple[str, ...] = ()      # the keys, as written
    marketplaces: tuple[str, ...] = tuple(BUILTIN_MARKETPLACES)  # keys, built-in first
    marketplace_names: Mapping[str, str] = field(default_factory=lambda: BUILTIN_MARKETPLACES)
    base_url: str | None = None           # as written, unchecked
    found: bool = False                   # whether site.yaml exists
    editor: bool = False                  # whether `admin:` turns on the browser editor
    # What stood in the way: the file unreadable or unparsable, the languages wrong.
    problems: Problems = field(default_factory=Problems)

    @property
    def default_language(self) -> str:
        return self.languages[0]

    @property
    def main_name(self) -> str:
        """The name a new entry's main file gets: `index.md`, or with the browser editor
        on and more than one language `index.<default>.md`, the only name the editor
        (Decap CMS, i18n multiple_files) opens; the loader reads both the same."""
        return f"index.{self.languages[0]}.md" if self.editor and len(self.languages) > 1 \
            else "index.md"

    def context(self, shown: str, problems: Problems) -> Context:
        """The context a check of another file of this site runs in."""
        return Context(shown, problems, self.languages, self.categories, self.marketplaces,
                       self.marketplace_names)


def facts_of(data: Any, shown: str, problems: Problems | None = None,
             found: bool = True) -> SiteFacts:
    """The facts of site.yaml's parsed mapping; language problems go to `problems`."""
    problems = Problems() if problems is None else problems
    if not isinstance(data, dict):
        return SiteFacts(found=found, problems=problems)
    languages: tuple[str, ...] = ("id",)
    if "languages" in data:
        lines = data.lines if isinstance(data, LineDict) else {}
        checked = fields.SITE.field("languages").check(
            data["languages"], At(Context(shown, problems), "languages", lines.get("languages")))
        if checked is not INVALID and checked:
            languages = checked
    categories = data.get("categories")
    extra = data.get("marketplaces")
    names = dict(BUILTIN_MARKETPLACES)
    if isinstance(extra, dict):
        names.update((key, key) for key in extra if key not in names)
        names.update((key, value["name"]) for key, value in extra.items()
                     if isinstance(value, dict) and isinstance(value.get("name"), str))
    base_url = data.get("base_url")
    return SiteFacts(
        languages=languages,
        categories=tuple(categories) if isinstance(categories, dict) else (),
        marketplaces=tuple(BUILTIN_MARKETPLACES) + (tuple(extra) if isinstance(extra, dict)
                                                    else ()),
        marketplace_names=names, base_url=base_url if isinstance(base_url, str) else None,
        found=found, editor=data.get("admin") is not None, problems=problems)


def read_site_facts(content: Path, shown: str | None = None) -> SiteFacts:
    """site.yaml's facts, read straight from the file: as far as it can be read, with
    what stood in the way in `problems` (at `shown`, by default content/site.yaml)."""
    path = content / FILE_NAME
    shown = shown or f"{content.name}/{FILE_NAME}"
    if not path.is_file():
        return SiteFacts()
    problems = Problems()
    doc = read(path)
    for error in doc.errors:
        problems.add(shown, error.line, error.field, error.message)
    return facts_of(doc.data, shown, problems)
