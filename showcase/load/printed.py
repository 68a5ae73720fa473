"""Codes printed on stand cards: they must lead somewhere for as long as cards exist.

`showcase cards` records every code it prints in `content/printed.yaml`, committed with
the content. From then on the site may not lose a printed code: a build or `check`
fails, naming the code and printed.yaml, if no entry has it any more, unless
`retired:` sends its short link to another page of the site.

    products: [CPN-014, CPN-015]
    booths: [CPN]
    retired:
      CPN-013: /booths/lapas-cipinang/
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from showcase import urls
from showcase.messages import N_
from showcase.load import fields
from showcase.errors import Problems
from showcase.files import write_atomic
from showcase.model import Site
from showcase.load.schema import INVALID, At, Context
from showcase.load.source import read

FILE_NAME = "printed.yaml"

HEADER = """\
# Codes printed on stand cards and posters, recorded by `showcase cards`.
# Kode yang sudah dicetak di kartu dan poster stan, dicatat oleh `showcase cards`.
#
# Commit this file. A printed code must always lead to a page: if a product or booth
# is deleted or its code changes, the build fails until the code is retired here to
# another page of the site, e.g.
# Jika produk/stan dihapus atau kodenya berubah, pensiunkan kodenya ke halaman lain:
#
#   retired:
#     CPN-014: /booths/lapas-cipinang/
"""


@dataclass(frozen=True)
class Printed:
    products: tuple[str, ...] = ()
    booths: tuple[str, ...] = ()
    retired: dict[str, str] = field(default_factory=dict)  # code -> "/path/" from the root
    lines: dict[tuple[str, str], int] = field(default_factory=dict)  # (list, code) -> line
    shown: str = FILE_NAME  # the file as messages name it

    def retired_kind(self, code: str) -> str:
        """Which short link a retired code had: a booth's if it was printed as one."""
        return "b" if code in self.booths and code not in self.products else "p"


def load(root: Path, shown: str, problems: Problems) -> Printed:
    """printed.yaml of a content folder, validated; empty when there is none yet."""
    path = root / FILE_NAME
    if not path.is_file():
        return Printed(shown=shown)
    doc = read(path)
    for error in doc.errors:
        problems.add(shown, error.line, "", error.message)
    if not doc.parsed or doc.data is None:
        return Printed(shown=shown)
    values = fields.PRINTED(doc.data, At(Context(shown, problems), "", doc.data.line or 1))
    if values is INVALID:
        return Printed(shown=shown)
    lines: dict[tuple[str, str], int] = {}
    for key in ("products", "booths", "retired"):
        items = doc.data.get(key)
        if isinstance(items, list) and hasattr(items, "lines"):
            lines.update(((key, str(code)), line) for code, line in zip(items, items.lines))
        elif isinstance(items, dict) and hasattr(items, "lines"):
            lines.update(((key, str(code)), line) for code, line in items.lines.items())
    return Printed(tuple(values.get("products", ())), tuple(values.get("booths", ())),
                   dict(values.get("retired", {})), lines, shown)


def site_paths(site: Site, drafts: Mapping[str, str]) -> set[str]:
    """Every page path of the default language, as printed.yaml writes them; `drafts`
    as for `check`."""
    config, lang = site.config, site.config.default_language
    found = {"home", "products", "booths", *site.booths, *_published(site, drafts),
             *config.categories, *site.pages}
    return {"/" + urls.of(target, lang, config) for target in found}


def check(printed: Printed, site: Site, problems: Problems,
          drafts: Mapping[str, str]) -> None:
    """Every printed code leads to an entry, or is retired to a page that exists.
    `drafts` (code -> file) are the draft products the site will not publish."""
    live = {"products": {p.code: p for p in _published(site, drafts)},
            "booths": {b.code: b for b in site.booths}}
    what = {"products": N_("product"), "booths": N_("booth")}
    for kind in ("products", "booths"):
        for code in getattr(printed, kind):
            if code in live[kind] or code in printed.retired:
                continue
            if kind == "products" and code in drafts:
                problems.add(printed.shown, printed.lines.get((kind, code)), kind,
                             N_("{code} is printed on stand cards but its product is a draft "
                                "(draft: true in {file}), which is not published, so its QR "
                                "code would lead to a missing page; remove draft: true, or "
                                "retire the code in {printed}", code=code, file=drafts[code],
                                printed=printed.shown))
                continue
            problems.add(printed.shown, printed.lines.get((kind, code)), kind,
                         N_("{code} is printed on stand cards but no {what} has this code any "
                            "more (deleted, or its code changed), so its QR code would lead to "
                            "a missing page; give the {what} back its code, or retire it in "
                            "{printed}: retired: {{{code}: /booths/<booth>/}}", code=code,
                            what=what[kind], printed=printed.shown))
    paths = site_paths(site, drafts)
    for code, target in printed.retired.items():
        at_line = printed.lines.get(("retired", code))
        holder = live["products"].get(code) or live["booths"].get(code)
        if holder is not None:
            problems.add(printed.shown, at_line, f"retired.{code}",
                         N_("{code} is retired, but {holder} still has this code; remove the "
                            "line from retired, or change that entry's code", code=code,
                            holder=holder.src_path.parent.name))
        elif target not in paths:
            example = min((p for p in paths if p.startswith("/booths/")), default="/")
            problems.add(printed.shown, at_line, f"retired.{code}",
                         N_("leads to {target}, which is not a page of this site; use a page "
                            "that exists, e.g. {example}", target=target, example=example))


def _published(site: Site, drafts: Mapping[str, str]) -> list:
    """The site's products but the drafts it will not publish (when it holds them to be
    checked); a published product may share its code with a draft of its next version."""
    return [p for p in site.products if not (p.draft and p.code in drafts)]


def record(root: Path, products: list[str], booths: list[str]) -> Path:
    """Add codes to printed.yaml (kept sorted, retired entries untouched), atomically."""
    path = root / FILE_NAME
    current = load(root, FILE_NAME, Problems()) if path.is_file() else Printed()
    merged_products = sorted(set(current.products) | set(products))
    merged_booths = sorted(set(current.booths) | set(booths))
    lines = [HEADER, "products:" if merged_products else "products: []"]
    lines += [f"  - {code}" for code in merged_products]
    lines.append("booths:" if merged_booths else "booths: []")
    lines += [f"  - {code}" for code in merged_booths]
    if current.retired:
        lines.append("retired:")
        lines += [f"  {code}: {target}" for code, target in sorted(current.retired.items())]
    write_atomic(path, "\n".join(lines) + "\n")
    return path
