"""`showcase codes`: fill in the codes entries lack, as `new` would have written them.

The browser editor cannot compute a booth's next free product code (it knows one file at
a time), so a product saved there has none; the pull-request workflow runs this before
`check`, and `serve --admin` calls `fill` on save. A code is printed on stand cards and
must never change, so an existing code, valid or not, is never touched: only a missing
(or empty) `code:` is written, in place, with every other byte of the file kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from showcase.commands import scaffold
from showcase.commands.spreadsheet import Source, set_values
from showcase.files import write_atomic
from showcase.load import schema
from showcase.load.listing import main_file
from showcase.load.source import read_markdown, read_yaml
from showcase.messages import N_


@dataclass(frozen=True)
class Filled:
    path: Path  # the entry's main file
    code: str


@dataclass(frozen=True)
class Skipped:
    path: Path
    reason: str  # a template marked N_ (English); the command says it in the organiser's words
    booth: str = ""

    @property
    def message(self) -> str:
        return self.reason.format(booth=self.booth)


def _missing(source: Source) -> bool:
    code = source.doc.data.get("code") if source.doc.parsed else "unreadable"
    return code is None or (isinstance(code, str) and not code.strip())


def _source(path: Path) -> Source:
    raw = path.read_bytes()
    return Source(path, raw, read_yaml(raw) if path.suffix == ".yaml" else read_markdown(raw))


def fill(content: Path, folders: Iterable[Path] | None = None
         ) -> tuple[list[Filled], list[Skipped]]:
    """Write the missing codes of the booths and products of `content` (only those in
    `folders`, entry folders, when given); what was written, and what could not be.

    A booth gets `new booth`'s code made from its slug; a product its booth's next
    product code (`new product`'s), counting every code in use, printed or retired.
    Booths come first, so a new booth's new products are numbered after its new code."""
    site = scaffold.read_site(content)  # raises ScaffoldError if site.yaml is unusable
    default = site.languages[0]
    wanted = None if folders is None else {Path(f).resolve() for f in folders}
    booth_codes, product_codes = set(site.booth_codes), set(site.product_codes)
    codes = dict(site.booths)  # booth slug -> its code as written
    filled: list[Filled] = []
    skipped: list[Skipped] = []
    booths = content / "booths"
    booth_folders = sorted((p for p in booths.iterdir() if p.is_dir()
                            and not p.name.startswith(".")), key=lambda p: p.name) \
        if booths.is_dir() else []

    def write(folder: Path, make) -> str | None:
        path = main_file(folder, default)
        if path is None:
            return None
        source = _source(path)
        if not source.doc.parsed or source.doc.errors:
            return None  # check reports it; nothing is written into a file it cannot read
        if not _missing(source):
            return None
        code = make()
        data = set_values(source, {"code": code})
        if data is None:
            skipped.append(Skipped(path, N_("cannot add code: to this file without changing "
                                            "anything else in it; add it by hand")))
            return None
        write_atomic(path, data)
        filled.append(Filled(path, code))
        return code

    for folder in booth_folders:
        if wanted is None or folder.resolve() in wanted:
            code = write(folder, lambda: scaffold.free_booth_code(folder.name, booth_codes))
            if code:
                booth_codes.add(code)
                codes[folder.name] = code
    for folder in booth_folders:
        booth_code = codes.get(folder.name)
        for sub in sorted((p for p in folder.iterdir() if p.is_dir()
                           and not p.name.startswith(".")), key=lambda p: p.name):
            if wanted is not None and sub.resolve() not in wanted:
                continue
            if main_file(sub, default) is None:
                continue
            if booth_code is None or not schema.BOOTH_CODE_RE.fullmatch(booth_code):
                path = main_file(sub, default)
                source = _source(path)
                if source.doc.parsed and _missing(source):
                    skipped.append(Skipped(path, N_("its booth has no valid code yet, so its "
                                                    "products cannot be numbered; give "
                                                    "{booth} a code first"), folder.name))
                continue
            code = write(sub, lambda: scaffold.next_product_code(booth_code, product_codes))
            if code:
                product_codes.add(code)
    return filled, skipped
