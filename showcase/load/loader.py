"""Loading: the content folder becomes a validated `Site`, or a list of every problem.

The loader walks the tree the contract describes (`listing`), parses and checks each
file once against the field registry (`validate`), and assembles frozen `model`
objects (`assemble`). It never stops at the first problem: it keeps going and returns
them all.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from showcase.errors import Problems
from showcase.load import printed as printed_codes
from showcase.load.assemble import Assembler
from showcase.load.listing import Listing
from showcase.load.photos import PhotoIndex
from showcase.load.source import ParseCache
from showcase.load.validate import Validator
from showcase.messages import N_
from showcase.model import Site, Sources


@dataclass(frozen=True)
class LoadOptions:
    drafts: bool = False  # draft entries are part of the site
    base_url: str | None = None
    # Where facts about source photos are remembered between builds (None: nowhere).
    photo_index: Path | None = None
    # Where parsed files are kept between builds, by their bytes (None: nowhere).
    parse_cache: Path | None = None
    # Whether the drafts are published, for what printed QR codes may lead to (None: as
    # `drafts`). `check` reads drafts to advise on them, but judges printed codes by
    # what a build without --drafts publishes.
    drafts_published: bool | None = None


def load(root: Path, options: LoadOptions = LoadOptions()) -> tuple[Site | None, Problems]:
    """Load and validate the whole content folder; the site is None if anything is wrong."""
    problems = Problems()
    photos = PhotoIndex(options.photo_index)
    parsed = ParseCache(options.parse_cache)
    listing = Listing(root, problems)
    assembler = Assembler(Validator(listing, parsed), photos)
    if not root.is_dir():
        problems.add(str(root), None, "", N_("content folder not found; pass --content DIR "
                                        "or run showcase from the folder that holds content/"))
        return None, problems
    config = assembler.site_config(options.base_url)
    if config is None:
        return None, problems
    booths = []
    booths_dir = root / "booths"
    if booths_dir.is_dir():
        for folder in listing.subfolders(booths_dir):
            booth = assembler.booth(folder, config, options.drafts)
            if booth:
                booths.append(booth)
    assembler.check_unique(booths)
    pages = assembler.pages(config)
    photos.save()
    parsed.save()
    lang = config.default_language
    site = Site(config, tuple(sorted(booths, key=lambda b: b.sort_key(lang))), tuple(pages), root,
                sources=Sources(assembler.written, assembler.site_localised,
                                assembler.site_lines))
    printed = printed_codes.load(root, listing.show(root / printed_codes.FILE_NAME), problems)
    published = options.drafts if options.drafts_published is None else options.drafts_published
    printed_codes.check(printed, site, problems, {} if published else assembler.drafts)
    site = replace(site, retired=tuple((printed.retired_kind(code), code, path)
                                       for code, path in sorted(printed.retired.items())))
    return (None if problems.errors else site), problems
