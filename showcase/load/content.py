"""Loading: the content folder becomes a validated `Site`, or a list of every problem.

The loader walks the tree the contract describes, parses each file once, validates it
against `schema`, and assembles frozen `model` objects. It never stops at the first
problem: it keeps going and returns them all.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from showcase.load import printed as printed_codes, schema
from showcase.errors import Problems
from showcase.load.photos import PhotoError, PhotoIndex
from showcase.model import (Availability, Booth, Category, Contact, Event, ImageSettings, Localised,
                    Marketplace, Organiser, Page, Photo, Price, Product, Site, SiteConfig,
                    Venue)
from showcase.load.schema import INVALID, At, Context
from showcase.load.source import Document, LineDict, ParseCache, SourceError, read, unreadable

PHOTO_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".heic", ".heif", ".gif", ".tif", ".tiff")
TRANSLATION_RE = re.compile(r"^index\.([a-z]{2,3})\.md$")
PAGE_RE = re.compile(r"^(?P<slug>[^.]+)(?:\.(?P<lang>[a-z]{2,3}))?\.md$")
# Free pages live at /<slug>/, so they must not take a path the site itself uses.
RESERVED_SLUGS = {"products", "booths", "categories", "p", "b", "qr", "static", "media",
                  "shortlist", "sitemap", "robots", "404"}


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


class _Loader:
    """Holds what one load needs: the content root and the problem collector."""

    def __init__(self, root: Path, problems: Problems, photos: PhotoIndex, parsed: ParseCache):
        self.root = root
        self.real_root = root.resolve()
        self.problems = problems
        self.photos = photos
        self.parsed = parsed
        # Keyed by str(path), which a Path keeps, where hashing a Path costs a tuple.
        self.checked: dict[str, str | None] = {}  # folder -> where it really is, if outside
        self.listed: dict[str, dict[str, os.DirEntry]] = {}
        self.unreadable: set[str] = set()
        self.drafts: dict[str, str] = {}  # code -> shown path of every draft product
        # What paths below the root start with (paths built from "." have no prefix).
        self.inside = "" if str(root) == "." else str(root) + os.sep
        self.shown_from = str(root.parent) + os.sep

    # -- the folders, each listed once ---------------------------------------------------

    def entries(self, folder: Path) -> dict[str, os.DirEntry]:
        """A folder's entries by name. One listing tells what each entry is (file,
        folder, link) without a system call per file; a thousand entries ask a dozen
        questions each about the same few files."""
        key = str(folder)
        if key not in self.listed:
            try:
                self.listed[key] = entries(folder)
            except OSError as exc:  # unreadable: what it holds must not vanish silently
                self.problems.add(self.show(folder), None, "",
                                  f"cannot be read ({exc.strerror or exc}); make the folder "
                                  "readable (check its permissions), or move it out of content/")
                self.listed[key] = {}
                self.unreadable.add(key)
        return self.listed[key]

    def readable(self, folder: Path) -> bool:
        """False (reported once) if the folder cannot be listed."""
        self.entries(folder)
        return str(folder) not in self.unreadable

    def is_file(self, path: Path) -> bool:
        entry = self.entries(path.parent).get(path.name)
        return entry is not None and _is(entry.is_file)

    def is_symlink(self, path: Path) -> bool:
        entry = self.entries(path.parent).get(path.name)
        return entry.is_symlink() if entry is not None else path.is_symlink()

    def subfolders(self, folder: Path) -> list[Path]:
        return [folder / name for name, entry in sorted(self.entries(folder).items())
                if not name.startswith(".") and _is(entry.is_dir)]

    # -- helpers -----------------------------------------------------------------------

    def show(self, path: Path) -> str:
        """A path as printed in messages: relative to the folder holding `content/`."""
        text = str(path)
        if text.startswith(self.shown_from):
            return text[len(self.shown_from):].replace(os.sep, "/")
        try:
            return path.relative_to(self.root.parent).as_posix()
        except ValueError:
            return path.as_posix()

    def outside(self, path: Path) -> str | None:
        """Where `path` really is, if a symlink takes it out of the content folder.

        Whatever a symlink points at would be read and published as if it were
        content: a private file, another site's photos. Only what lives in content/ is.
        """
        if path == self.root:
            return None
        if not self.is_symlink(path) and str(path).startswith(self.inside):
            # Then it is where its folder is: ask once per folder, up to the root.
            folder = path.parent
            key = str(folder)
            if key not in self.checked:
                self.checked[key] = self.outside(folder)
            return self.checked[key]
        try:
            real = path.resolve(strict=True)
        except (OSError, RuntimeError):  # a broken link or a loop: it leads nowhere usable
            return "nowhere (a broken or looping link)" if self.is_symlink(path) else None
        return None if real.is_relative_to(self.real_root) else str(real)

    def refuse_outside(self, path: Path, field: str = "") -> bool:
        """Report `path` if it leads out of content/; True when it does."""
        target = self.outside(path)
        if target is None:
            return False
        self.problems.add(self.show(path), None, field,
                          f"is a link to {target}, outside {self.show(self.root)}/; only what "
                          "is inside the content folder is used: copy it in instead")
        return True

    def document(self, path: Path) -> Document:
        if self.refuse_outside(path):
            return unreadable(SourceError(None, "outside the content folder"))  # reported
        doc = read(path, self.parsed)
        for error in doc.errors:
            self.problems.add(self.show(path), error.line, error.field, error.message)
        return doc

    def validate(self, record: schema.Record, doc: Document, ctx: Context) -> dict[str, Any]:
        if not doc.parsed:
            return {}
        return record(doc.data, At(ctx, "", doc.data.line or 1))

    def check_slug(self, folder: Path, what: str) -> bool:
        if schema.SLUG_RE.fullmatch(folder.name):
            return True
        self.problems.add(self.show(folder), None, "slug",
                          f"{what} folder name '{folder.name}' is not a valid slug "
                          "(lowercase a-z, 0-9 and -); rename the folder to "
                          f"{free_name(folder.parent, schema.slug_fix(folder.name))}")
        return False

    # -- site.yaml ---------------------------------------------------------------------

    def site_config(self, base_url_override: str | None) -> SiteConfig | None:
        path = self.root / "site.yaml"
        shown = self.show(path)
        if not path.is_file():
            self.problems.add(shown, None, "", "site.yaml is missing; every site needs one "
                              "(showcase init DIR writes a starter)")
            return None
        doc = self.document(path)
        data = doc.data
        languages = ("id",)
        if "languages" in data:
            langs = schema.SITE.fields["languages"].check(
                data["languages"], At(Context(shown, Problems()), "languages", data.lines["languages"]))
            if langs is not INVALID and langs:
                languages = tuple(dict.fromkeys(langs))
        categories = tuple(data.get("categories") or ()) if isinstance(data.get("categories"), dict) else ()
        marketplaces = tuple(schema.BUILTIN_MARKETPLACES) + (
            tuple(data["marketplaces"]) if isinstance(data.get("marketplaces"), dict) else ())
        ctx = Context(shown, self.problems, languages, categories, marketplaces)
        values = self.validate(schema.SITE, doc, ctx)
        if doc.errors:
            return None
        base = base_url_override or values.get("base_url")
        if base_url_override:
            base = schema.base_url(base_url_override, At(Context("--base-url", self.problems),
                                                         "base_url", None))
        if not base or base is INVALID:
            if not base_url_override and "base_url" not in data:
                self.problems.add(shown, data.line or 1, "base_url",
                                  "is required to build: the absolute https address where the "
                                  "site is published, e.g. base_url: https://example.org/pun-2019/ "
                                  "(or pass --base-url)")
            return None
        if "title" not in values or "categories" not in values:
            return None
        lang = languages[0]
        loc = lambda v: Localised.of(v, lang)  # noqa: E731 - short local alias
        event = values.get("event", {})
        venue = event.get("venue")
        organiser = values.get("organiser")
        images = values.get("images", {})
        defaults = ImageSettings()
        return SiteConfig(
            title=loc(values["title"]),
            base_url=base,
            languages=languages,
            categories=tuple(Category(key, loc(c["name"]), loc(c.get("description")))
                             for key, c in values["categories"].items()),
            tagline=loc(values.get("tagline")),
            description=loc(values.get("description")),
            event=Event(event.get("start"), event.get("end"), loc(event.get("hours")),
                        Venue(loc(venue["name"]), loc(venue.get("address")), venue.get("map_url"))
                        if venue and "name" in venue else None),
            organiser=Organiser(loc(organiser["name"]), organiser.get("email"),
                                organiser.get("phone"), organiser.get("whatsapp"),
                                organiser.get("website"))
            if organiser and "name" in organiser else None,
            currency=values.get("currency", "IDR"),
            contact=Contact(**values.get("contact", {})),
            marketplace_names=tuple(schema.BUILTIN_MARKETPLACES.items()) + tuple(
                (k, v["name"]) for k, v in values.get("marketplaces", {}).items()),
            theme=values.get("theme", "default"),
            images=ImageSettings(
                widths=tuple(sorted(set(images.get("widths", defaults.widths)))),
                formats=tuple(dict.fromkeys(images.get("formats", defaults.formats))),
                qualities=tuple({**dict(defaults.qualities), **images.get("quality", {})}.items())),
        )

    # -- entries (booths, products, pages) ---------------------------------------------

    def entry(self, folder: Path, record: schema.Record, kind: str, ctx_for) -> tuple[
            dict[str, Any], dict[str, str], Path, LineDict] | None:
        """Read an entry folder's index and translations: (values, bodies by lang, path)."""
        md, yml = folder / "index.md", folder / "index.yaml"
        has_md = self.is_file(md)
        if has_md and self.is_file(yml):
            self.problems.add(self.show(yml), None, "",
                              f"this folder has both index.md and index.yaml; keep one "
                              f"(the other is {self.show(md)})")
            return None
        path = md if has_md else yml
        ctx: Context = ctx_for(self.show(path))
        doc = self.document(path)
        values = self.validate(record, doc, ctx)
        default = ctx.languages[0]
        bodies: dict[str, str] = {}
        if path.suffix == ".yaml":
            description = doc.data.get("description")
            if description is not None:
                checked = schema.localised()(description, At(ctx, "description",
                                                             doc.data.lines.get("description")))
                if checked is not INVALID:
                    bodies.update(checked)
        elif doc.body.strip():
            bodies[default] = doc.body
        for name in sorted(self.entries(folder)):
            match = TRANSLATION_RE.match(name)
            if match:
                self.translation(folder / name, match.group(1), kind, ctx, values, bodies)
        return values, bodies, path, doc.data

    def translation(self, path: Path, lang: str, kind: str, ctx: Context,
                    values: dict[str, Any], bodies: dict[str, str]) -> None:
        shown = self.show(path)
        if lang not in ctx.languages:
            self.problems.add(shown, None, "", f"'{lang}' is not a language of site.yaml "
                              f"({', '.join(ctx.languages)}); add it there or rename the file")
            return
        if lang == ctx.languages[0]:
            self.problems.add(shown, None, "", f"'{lang}' is the default language: its text "
                              "belongs in index.md itself")
            return
        doc = self.document(path)
        allowed = schema.LOCALISABLE[kind]
        tctx = Context(shown, self.problems, (lang,), ctx.categories, ctx.marketplaces)
        record = {"booth": schema.BOOTH, "product": schema.PRODUCT, "page": schema.PAGE}[kind]
        for key, value in doc.data.items():
            at = At(tctx, str(key), doc.data.lines.get(key))
            if key not in allowed:
                guess = schema.nearest(key, allowed)
                at.problem(f"cannot be set in a translation; only {', '.join(allowed)} can"
                           + (f" (did you mean '{guess}'?)" if guess else "")
                           + f"; set {key} in the main index file")
                continue
            if key == "description" and kind != "page":  # index.yaml-style body; a page's
                # description is its sentence for search engines, a field like any other
                checked = schema.text(value, at)
                if checked is not INVALID:
                    bodies[lang] = checked
                continue
            checked = record.fields[key].check(value, at)
            if checked is not INVALID:
                merged = dict(values.get(key) or {})
                merged.update(checked)
                values[key] = merged
        if doc.body.strip():
            bodies[lang] = doc.body

    # -- photos ------------------------------------------------------------------------

    def photo(self, path: Path, field: str, shown_entry: str, line: int | None,
              alt: Localised[str] | None = None) -> Photo | None:
        if self.refuse_outside(path, field):
            return None
        try:
            info = self.photos.info(path)
        except PhotoError as exc:
            self.problems.add(self.show(path), None, field,
                              f"{exc}; replace it with a JPEG, PNG, WebP or HEIC photo "
                              f"(used by {shown_entry}:{line or 1})")
            return None
        except OSError as exc:  # unreadable, or deleted while the build ran
            self.problems.add(self.show(path), None, field,
                              f"cannot be read ({exc.strerror or exc}); check that it is a "
                              f"photo file you can open (used by {shown_entry}:{line or 1})")
            return None
        if info.frames > 1:
            self.problems.warn(self.show(path), None, field,
                               f"is animated ({info.frames} frames); only the first frame is "
                               "published, as a still photo")
        return Photo(path, info.digest, info.width, info.height, alt, info.placeholder)

    def photo_ref(self, folder: Path, name: str, at: At) -> Path | None:
        """A file named in front matter, which must stay inside the entry's folder."""
        candidate = folder / name
        # A symlink leading out of content/ passes here and is refused by `photo`.
        inside = (not Path(name).is_absolute() and "/" not in name and "\\" not in name
                  and name not in (".", ".."))
        if not inside:
            at.problem(f"'{name}' is not a file in this entry's folder; put the photo beside "
                       "index.md and write just its file name")
            return None
        if not self.is_file(candidate):
            photos = [p.name for p in photos_in(folder, self.entries(folder))]
            guess = schema.nearest(name, photos)
            hint = f"did you mean '{guess}'?" if guess else (
                f"photos here: {', '.join(photos)}" if photos else "this folder has no photos")
            at.problem(f"'{name}' does not exist in {self.show(folder)}; {hint}")
            return None
        return candidate

    # -- booths and products -----------------------------------------------------------

    def booth(self, folder: Path, config: SiteConfig, drafts: bool) -> Booth | None:
        if self.refuse_outside(folder) or not self.check_slug(folder, "booth") or \
                not self.readable(folder):
            return None
        ctx_for = lambda shown: Context(shown, self.problems, config.languages,  # noqa: E731
                                        tuple(c.key for c in config.categories),
                                        tuple(k for k, _ in config.marketplace_names))
        if not self.is_file(folder / "index.md") and not self.is_file(folder / "index.yaml"):
            self.problems.add(self.show(folder), None, "", "booth folder has no index.md; "
                              "add one (showcase new booth SLUG writes a starter)")
            return None
        loaded = self.entry(folder, schema.BOOTH, "booth", ctx_for)
        if loaded is None:
            return None
        values, bodies, path, data = loaded
        shown = self.show(path)
        ctx = ctx_for(shown)
        doc_lines = data.lines
        lang = config.default_language
        images = {}
        for key in ("logo", "cover"):
            if key in values:
                at = At(ctx, key, doc_lines.get(key))
                ref = self.photo_ref(folder, values[key], at)
                images[key] = self.photo(ref, key, shown, doc_lines.get(key)) if ref else None
        products = []
        for sub in self.subfolders(folder):
            product = self.product(sub, folder.name, config, ctx_for)
            if product and product.draft:
                self.drafts[product.code] = self.show(product.src_path)
            if product and (drafts or not product.draft):
                products.append(product)
        if "name" not in values or "code" not in values:
            return None
        return Booth(
            slug=folder.name, src_path=path, code=values["code"],
            name=Localised.of(values["name"], lang), body=Localised.of(bodies, lang)
            or Localised.of({lang: ""}, lang),
            contact=Contact(**values.get("contact", {})).merged_over(config.contact),
            stand=values.get("stand"), region=values.get("region"),
            logo=images.get("logo"), cover=images.get("cover"),
            marketplaces=marketplaces(values.get("marketplaces", {}), config),
            order=values.get("order"),
            products=tuple(sorted(products, key=lambda p: (p.name.get(lang).casefold(), p.slug))),
        )

    def product(self, folder: Path, booth_slug: str, config: SiteConfig, ctx_for) -> Product | None:
        if self.refuse_outside(folder) or not self.readable(folder):
            return None
        if not self.is_file(folder / "index.md") and not self.is_file(folder / "index.yaml"):
            if self.entries(folder):
                self.problems.add(self.show(folder), None, "",
                                  "product folder has no index.md; add one (showcase new product "
                                  f"{booth_slug} {folder.name} writes a starter) or move the "
                                  "folder out of booths/")
            return None
        if not self.check_slug(folder, "product"):
            return None
        loaded = self.entry(folder, schema.PRODUCT, "product", ctx_for)
        if loaded is None:
            return None
        values, bodies, path, data = loaded
        shown = self.show(path)
        ctx = ctx_for(shown)
        lines = data.lines
        lang = config.default_language
        photos = []
        if "images" in values:
            for index, ref in enumerate(values["images"]):
                at = At(ctx, f"images[{index}]", lines.get("images"))
                found = self.photo_ref(folder, ref["file"], at)
                photo = found and self.photo(found, f"images[{index}]", shown, lines.get("images"),
                                             Localised.of(ref.get("alt"), lang))
                if photo:
                    photos.append(photo)
        else:
            for found in photos_in(folder, self.entries(folder)):
                photo = self.photo(found, "images", shown, None)
                if photo:
                    photos.append(photo)
        if any(k not in values for k in ("name", "code", "category")):
            return None
        price = values.get("price")
        materials = values.get("materials")
        return Product(
            slug=folder.name, booth_slug=booth_slug, src_path=path, code=values["code"],
            name=Localised.of(values["name"], lang), category=values["category"],
            body=Localised.of(bodies, lang) or Localised.of({lang: ""}, lang),
            price=Price(*price) if price else None,
            price_note=Localised.of(values.get("price_note"), lang),
            photos=tuple(photos),
            availability=Availability(values.get("availability", "in-stock")),
            materials=Localised.of({k: tuple(v) for k, v in materials.items()}, lang)
            if materials else None,
            dimensions=Localised.of(values.get("dimensions"), lang),
            tags=tuple(values.get("tags", ())),
            marketplaces=marketplaces(values.get("marketplaces", {}), config),
            whatsapp=values.get("whatsapp"),
            featured=values.get("featured", False),
            maker=Localised.of(values.get("maker"), lang) if values.get("maker_consent") else None,
            draft=values.get("draft", False),
            languages=tuple(sorted(set(bodies) | {l for v in values.values()
                                                  if isinstance(v, dict) for l in v
                                                  if l in config.languages})),
        )

    # -- free pages --------------------------------------------------------------------

    def pages(self, config: SiteConfig) -> list[Page]:
        folder = self.root / "pages"
        if not folder.is_dir():
            return []
        found: dict[str, dict[str, Path]] = {}
        for path in sorted(folder.glob("*.md")):
            match = PAGE_RE.match(path.name)
            slug, lang = (match["slug"], match["lang"]) if match else (path.stem, None)
            if not schema.SLUG_RE.fullmatch(slug):
                fixed = free_name(folder, schema.slug_fix(slug), ".md")
                self.problems.add(self.show(path), None, "slug",
                                  f"page file name '{path.name}' is not a valid slug; rename it "
                                  f"to {fixed}")
                continue
            if slug in RESERVED_SLUGS or slug in config.languages:
                self.problems.add(self.show(path), None, "slug",
                                  f"'{slug}' is a path the site uses itself (/{slug}/); "
                                  f"rename the file, e.g. to 'info-{slug}.md'")
                continue
            same = found.setdefault(slug, {})
            lang = lang or config.default_language
            if lang in same:  # tentang.md and tentang.id.md, with id the default language
                self.problems.add(self.show(path), None, "slug",
                                  f"is the same page as {self.show(same[lang])} (/{slug}/ in "
                                  f"'{lang}'); keep one of the two files")
                continue
            same[lang] = path
        pages = []
        lang = config.default_language
        for slug, files in sorted(found.items()):
            main = files.get(lang)
            if main is None:
                self.problems.add(self.show(next(iter(files.values()))), None, "",
                                  f"translation without a main page: add pages/{slug}.md")
                continue
            ctx = Context(self.show(main), self.problems, config.languages)
            doc = self.document(main)
            values = self.validate(schema.PAGE, doc, ctx)
            bodies = {lang: doc.body} if doc.body.strip() else {}
            for other, path in sorted(files.items()):
                if other != lang:
                    self.translation(path, other, "page", ctx, values, bodies)
            if "title" in values:
                pages.append(Page(slug, main, Localised.of(values["title"], lang),
                                  Localised.of(bodies, lang) or Localised.of({lang: ""}, lang),
                                  values.get("menu"), Localised.of(values.get("description"), lang)))
        return pages

    # -- whole-site rules --------------------------------------------------------------

    def check_unique(self, booths: list[Booth]) -> None:
        seen: dict[str, Path] = {}
        for booth in booths:
            if booth.code in seen:
                self.problems.add(self.show(booth.src_path), None, "code",
                                  f"booth code '{booth.code}' is also used by "
                                  f"{self.show(seen[booth.code])}; give each booth its own code")
            seen.setdefault(booth.code, booth.src_path)
        seen = {}
        for product in (p for b in booths for p in b.products):
            if product.code in seen:
                self.problems.add(self.show(product.src_path), None, "code",
                                  f"product code '{product.code}' is also used by "
                                  f"{self.show(seen[product.code])}; codes are printed on stand "
                                  "cards, so give this product a new one")
            seen.setdefault(product.code, product.src_path)


def free_name(folder: Path, name: str, suffix: str = "") -> str:
    """`'name'`, or a numbered one if `folder` holds that name already (with a note)."""
    if not (folder / f"{name}{suffix}").exists():
        return f"'{name}{suffix}'"
    number = 2
    while (folder / f"{name}-{number}{suffix}").exists():
        number += 1
    return f"'{name}-{number}{suffix}' ('{name}{suffix}' is taken)"


def entries(folder: Path) -> dict[str, os.DirEntry]:
    """A folder's entries by name (none if there is no such folder)."""
    try:
        with os.scandir(folder) as found:
            return {entry.name: entry for entry in found}
    except (FileNotFoundError, NotADirectoryError):
        return {}


def _is(test) -> bool:
    """A DirEntry's is_file or is_dir, False where it cannot tell (a link in a loop),
    as Path's answer."""
    try:
        return test()
    except OSError:
        return False


def photos_in(folder: Path, listed: dict[str, os.DirEntry] | None = None) -> list[Path]:
    """The photos in a folder, by name; `listed` is the folder's entries if known."""
    listed = entries(folder) if listed is None else listed
    return [folder / name for name, entry in sorted(listed.items())
            if not name.startswith(".") and os.path.splitext(name)[1].lower() in PHOTO_SUFFIXES
            and _is(entry.is_file)]


def marketplaces(values: dict[str, str], config: SiteConfig) -> tuple[Marketplace, ...]:
    names = dict(config.marketplace_names)
    return tuple(Marketplace(key, names.get(key, key), url) for key, url in values.items())


def load(root: Path, options: LoadOptions = LoadOptions()) -> tuple[Site | None, Problems]:
    """Load and validate the whole content folder; the site is None if anything is wrong."""
    problems = Problems()
    photos = PhotoIndex(options.photo_index)
    parsed = ParseCache(options.parse_cache)
    loader = _Loader(root, problems, photos, parsed)
    if not root.is_dir():
        problems.add(str(root), None, "", "content folder not found; pass --content DIR "
                     "or run showcase from the folder that holds content/")
        return None, problems
    config = loader.site_config(options.base_url)
    if config is None:
        return None, problems
    booths = []
    booths_dir = root / "booths"
    if booths_dir.is_dir():
        for folder in loader.subfolders(booths_dir):
            booth = loader.booth(folder, config, options.drafts)
            if booth:
                booths.append(booth)
    loader.check_unique(booths)
    pages = loader.pages(config)
    photos.save()
    parsed.save()
    lang = config.default_language
    site = Site(config, tuple(sorted(booths, key=lambda b: b.sort_key(lang))), tuple(pages), root)
    printed = printed_codes.load(root, loader.show(root / printed_codes.FILE_NAME), problems)
    published = options.drafts if options.drafts_published is None else options.drafts_published
    printed_codes.check(printed, site, problems, {} if published else loader.drafts)
    site = replace(site, printed_products=printed.products, printed_booths=printed.booths,
                   retired=tuple((printed.retired_kind(code), code, path)
                                 for code, path in sorted(printed.retired.items())))
    return (None if problems.errors else site), problems
