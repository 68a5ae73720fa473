"""The checked values become the site: site.yaml's settings, booths with their products
and photos, free pages, and the rules across entries (codes are unique).

Each model object is made from its record's checked values by `fields.make`: a value
goes to the attribute of its field's name, and only what the files do not say (the
slug, the path, the photos, the Markdown body) is added here.
"""

from __future__ import annotations

from pathlib import Path

from showcase.errors import Problems
from showcase.files import stored_name
from showcase.load import fields, schema
from showcase.load.fields import make
from showcase.load.listing import PAGE_RE, Listing, free_name
from showcase.load.photos import PhotoError, PhotoIndex
from showcase.load.schema import INVALID, At, Context
from showcase.load.siteinfo import facts_of
from showcase.load.source import dotted_lines
from showcase.load.validate import Entry, Validator, localised_written
from showcase.model import (Booth, Contact, Localised, Page, Photo, Product, SiteConfig,
                            Written)

# Free pages live at /<slug>/, so they must not take a path the site itself uses.
RESERVED_SLUGS = {"products", "booths", "categories", "p", "b", "qr", "static", "media",
                  "shortlist", "sitemap", "robots", "404"}


class Assembler:
    """Holds what one load builds up: the drafts met, and the sources `check` reads."""

    def __init__(self, validator: Validator, photos: PhotoIndex):
        self.validator = validator
        self.listing: Listing = validator.listing
        self.problems: Problems = validator.problems
        self.photos = photos
        self.drafts: dict[str, str] = {}  # code -> shown path of every draft product
        self.written: dict[Path, Written] = {}
        self.site_localised: tuple[tuple[str, int | None, tuple[str, ...]], ...] = ()
        self.site_lines: dict[str, int] = {}

    # -- site.yaml ---------------------------------------------------------------------

    def site_config(self, base_url_override: str | None) -> SiteConfig | None:
        root = self.listing.root
        path = root / "site.yaml"
        shown = self.listing.show(path)
        if not path.is_file():
            self.problems.add(shown, None, "", "site.yaml is missing; every site needs one "
                              "(showcase init DIR writes a starter)")
            return None
        doc = self.validator.document(path)
        data = doc.data
        # What the checks of site.yaml itself depend on; its problems are reported by
        # the checks themselves.
        facts = facts_of(data, shown)
        languages = facts.languages
        values = self.validator.validate(fields.SITE, doc, facts.context(shown, self.problems))
        if doc.errors:
            return None
        self.site_localised = tuple(localised_written(fields.SITE, data))
        self.site_lines = dotted_lines(data)
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
        return make(SiteConfig, values, base_url=base, languages=languages,
                    marketplace_names=tuple(schema.BUILTIN_MARKETPLACES.items())
                    + values.get("marketplaces", ()))

    # -- photos ------------------------------------------------------------------------

    def photo(self, path: Path, field: str, shown_entry: str, line: int | None,
              alt: Localised[str] | None = None) -> Photo | None:
        show = self.listing.show
        if self.listing.refuse_outside(path, field):
            return None
        try:
            info = self.photos.info(path)
        except PhotoError as exc:
            self.problems.add(show(path), None, field,
                              f"{exc}; replace it with a JPEG, PNG, WebP or HEIC photo "
                              f"(used by {shown_entry}:{line or 1})")
            return None
        except OSError as exc:  # unreadable, or deleted while the build ran
            self.problems.add(show(path), None, field,
                              f"cannot be read ({exc.strerror or exc}); check that it is a "
                              f"photo file you can open (used by {shown_entry}:{line or 1})")
            return None
        if info.frames > 1:
            self.problems.warn(show(path), None, field,
                               f"is animated ({info.frames} frames); only the first frame is "
                               "published, as a still photo")
        return Photo(path, info.digest, info.width, info.height, alt, info.placeholder)

    def photo_ref(self, folder: Path, name: str, at: At) -> Path | None:
        """A file named in front matter, which must stay inside the entry's folder."""
        candidate = self.listing.spelled(folder, name)
        # A symlink leading out of content/ passes here and is refused by `photo`.
        inside = (not Path(name).is_absolute() and "/" not in name and "\\" not in name
                  and name not in (".", ".."))
        if not inside:
            at.problem(f"'{name}' is not a file in this entry's folder; put the photo beside "
                       "index.md and write just its file name")
            return None
        if not self.listing.is_file(candidate):
            photos = [p.name for p in self.listing.photos(folder)]
            guess = schema.nearest(name, photos)
            hint = f"did you mean '{guess}'?" if guess else (
                f"photos here: {', '.join(photos)}" if photos else "this folder has no photos")
            at.problem(f"'{name}' does not exist in {self.listing.show(folder)}; {hint}")
            return None
        return candidate

    # -- booths and products -----------------------------------------------------------

    def context_for(self, config: SiteConfig):
        """The check context of an entry of this site, by its shown path."""
        categories = tuple(c.key for c in config.categories)
        keys = tuple(k for k, _ in config.marketplace_names)
        names = dict(config.marketplace_names)
        return lambda shown: Context(shown, self.problems, config.languages, categories, keys,
                                     names)

    def remember(self, entry: Entry, **more) -> None:
        """Keep where the entry's fields were written, for `check`."""
        self.written[entry.path] = Written(entry.path, dotted_lines(entry.data), entry.body_line,
                                           tuple(entry.translations), **more)

    def booth(self, folder: Path, config: SiteConfig, drafts: bool) -> Booth | None:
        listing = self.listing
        if listing.refuse_outside(folder) or not listing.check_slug(folder, "booth") or \
                not listing.readable(folder):
            return None
        ctx_for = self.context_for(config)
        if not listing.has_index(folder, config.default_language):
            self.problems.add(listing.show(folder), None, "", "booth folder has no index.md; "
                              "add one (showcase new booth SLUG writes a starter)")
            return None
        entry = self.validator.entry(folder, fields.BOOTH, ctx_for)
        if entry is None:
            return None
        values, path, lines = entry.values, entry.path, entry.data.lines
        shown = listing.show(path)
        ctx = ctx_for(shown)
        lang = config.default_language
        images = {}
        for key in fields.BOOTH.photos:
            if key in values:
                ref = self.photo_ref(folder, values[key], At(ctx, key, lines.get(key)))
                images[key] = self.photo(ref, key, shown, lines.get(key)) if ref else None
        self.remember(entry, photos=tuple(listing.photos(folder)))
        products = []
        for sub in listing.subfolders(folder):
            product = self.product(sub, folder.name, config, ctx_for)
            if product and product.draft:
                self.drafts[product.code] = listing.show(product.src_path)
            if product and (drafts or not product.draft):
                products.append(product)
        if any(name not in values for name in fields.BOOTH.required):  # reported
            return None
        return make(
            Booth, values, slug=folder.name, src_path=path, body=self.body(entry, lang),
            contact=values.get("contact", Contact()).merged_over(config.contact),
            **{key: images.get(key) for key in fields.BOOTH.photos},
            products=tuple(sorted(products, key=lambda p: (p.name.get(lang).casefold(), p.slug))))

    @staticmethod
    def body(entry: Entry, lang: str) -> Localised[str]:
        return Localised.of(entry.bodies, lang) or Localised.of({lang: ""}, lang)

    def product(self, folder: Path, booth_slug: str, config: SiteConfig, ctx_for
                ) -> Product | None:
        listing = self.listing
        if listing.refuse_outside(folder) or not listing.readable(folder):
            return None
        if not listing.has_index(folder, config.default_language):
            if listing.entries(folder):
                self.problems.add(listing.show(folder), None, "",
                                  "product folder has no index.md; add one (showcase new product "
                                  f"{booth_slug} {folder.name} writes a starter) or move the "
                                  "folder out of booths/")
            return None
        if not listing.check_slug(folder, "product"):
            return None
        entry = self.validator.entry(folder, fields.PRODUCT, ctx_for)
        if entry is None:
            return None
        values, path, lines = entry.values, entry.path, entry.data.lines
        shown = listing.show(path)
        lang = config.default_language
        photos = []
        listed = None
        in_folder = tuple(listing.photos(folder))
        if "images" in values:
            ctx = ctx_for(shown)
            listed = entry.data.get("images")
            for index, ref in enumerate(values["images"]):
                at = At(ctx, f"images[{index}]", lines.get("images"))
                found = self.photo_ref(folder, ref.file, at)
                photo = found and self.photo(found, f"images[{index}]", shown, lines.get("images"),
                                             ref.alt)
                if photo:
                    photos.append(photo)
        else:
            for found in in_folder:
                photo = self.photo(found, "images", shown, None)
                if photo:
                    photos.append(photo)
        self.remember(entry, photos=in_folder,
                      images=None if listed is None else _listed(listed),
                      maker_consent=values.get("maker_consent"))
        if any(name not in values for name in fields.PRODUCT.required):  # reported
            return None
        return make(
            Product, values, used=("images", "maker_consent"), slug=folder.name,
            booth_slug=booth_slug, src_path=path, body=self.body(entry, lang), photos=tuple(photos),
            maker=values.get("maker") if values.get("maker_consent") else None,
            languages=tuple(sorted(set(entry.bodies) | {
                code for value in values.values() if isinstance(value, Localised)
                for code, _ in value.values if code in config.languages})))

    # -- free pages --------------------------------------------------------------------

    def pages(self, config: SiteConfig) -> list[Page]:
        listing = self.listing
        folder = listing.root / "pages"
        if not folder.is_dir():
            return []
        found: dict[str, dict[str, Path]] = {}
        for path in sorted(folder.glob("*.md"), key=lambda path: stored_name(path.name)):
            match = PAGE_RE.match(path.name)
            slug, lang = (match["slug"], match["lang"]) if match else (path.stem, None)
            if not schema.SLUG_RE.fullmatch(slug):
                fixed = free_name(folder, schema.slug_fix(slug), ".md")
                self.problems.add(listing.show(path), None, "slug",
                                  f"page file name '{path.name}' is not a valid slug; rename it "
                                  f"to {fixed}")
                continue
            if slug in RESERVED_SLUGS or slug in config.languages:
                self.problems.add(listing.show(path), None, "slug",
                                  f"'{slug}' is a path the site uses itself (/{slug}/); "
                                  f"rename the file, e.g. to 'info-{slug}.md'")
                continue
            same = found.setdefault(slug, {})
            lang = lang or config.default_language
            if lang in same:  # tentang.md and tentang.id.md, with id the default language
                self.problems.add(listing.show(path), None, "slug",
                                  f"is the same page as {listing.show(same[lang])} (/{slug}/ in "
                                  f"'{lang}'); keep one of the two files")
                continue
            same[lang] = path
        pages = []
        lang = config.default_language
        for slug, files in sorted(found.items()):
            main = files.get(lang)
            if main is None:
                self.problems.add(listing.show(next(iter(files.values()))), None, "",
                                  f"translation without a main page: add pages/{slug}.md")
                continue
            ctx = Context(listing.show(main), self.problems, config.languages)
            doc = self.validator.document(main)
            values = self.validator.validate(fields.PAGE, doc, ctx)
            has_body = bool(doc.body.strip())
            entry = Entry(values, {lang: doc.body} if has_body else {}, main, doc.data,
                          doc.body_line if has_body else None, [])
            for other, path in sorted(files.items()):
                if other != lang:
                    self.validator.translation(path, other, fields.PAGE, ctx, entry)
            self.remember(entry)
            if "title" in values:
                pages.append(make(Page, values, slug=slug, src_path=main,
                                  body=self.body(entry, lang)))
        return pages

    # -- whole-site rules --------------------------------------------------------------

    def check_unique(self, booths: list[Booth]) -> None:
        show = self.listing.show
        seen: dict[str, Path] = {}
        for booth in booths:
            if booth.code in seen:
                self.problems.add(show(booth.src_path), None, "code",
                                  f"booth code '{booth.code}' is also used by "
                                  f"{show(seen[booth.code])}; give each booth its own code")
            seen.setdefault(booth.code, booth.src_path)
        seen = {}
        for product in (p for b in booths for p in b.products):
            if product.code in seen:
                self.problems.add(show(product.src_path), None, "code",
                                  f"product code '{product.code}' is also used by "
                                  f"{show(seen[product.code])}; codes are printed on stand "
                                  "cards, so give this product a new one")
            seen.setdefault(product.code, product.src_path)


def _listed(listed: list) -> tuple[tuple[str | None, int | None], ...]:
    """A product's images: as written, each file name (None if not text) and its line."""
    lines = getattr(listed, "lines", None) or [None] * len(listed)
    names = (item.get("file") if isinstance(item, dict) else item for item in listed)
    return tuple((name if isinstance(name, str) else None, line)
                 for name, line in zip(names, lines))
