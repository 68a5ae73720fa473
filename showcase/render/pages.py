"""Rendering: a `Site` and a `Theme` become `{output path: bytes}` for every page.

Templates ask for what they need through a few functions (`href`, `picture`, `price`,
`t`, ...) and get back text; nothing here reads or writes files beyond the templates,
so rendering is a pure function of the model and the theme. That is what lets a page
whose inputs did not change be reused from the last build (see `memo`).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator
from urllib.parse import quote

import jinja2
from markupsafe import Markup

from showcase import urls
from showcase.assets import images
from showcase.render import memo, search, sitefiles, structured
from showcase.i18n import format_event_dates, format_price, keep_quantities, language_name
from showcase.render.markup import to_html
from showcase.model import Localised, Photo, Product, Site, whatsapp_digits
from showcase.render.theme import Theme


@dataclass(frozen=True)
class Translation:
    """One entry of the language switch."""

    lang: str
    label: str
    url: str
    current: bool


@dataclass(frozen=True)
class PageInfo:
    """What every template knows about the page it renders."""

    kind: str
    url: str
    lang: str
    title: str
    description: str
    canonical: str
    alternates: tuple[tuple[str, str], ...]
    translations: tuple[Translation, ...]
    # The link-preview image (og:image): absolute URL, width, height; None without photos.
    preview: tuple[str, int, int] | None = None
    # 404.html is served at any depth, so its links start from the site's root path.
    rooted_links: bool = False


@dataclass(frozen=True)
class Spec:
    """A page to render: its template, URL per language and the extra variables."""

    kind: str
    template: str
    url: str
    lang: str
    title: Any  # Localised or str
    description: Any = None
    variables: dict[str, Any] = field(default_factory=dict)
    in_sitemap: bool = True
    preview: Photo | None = None  # the photo a link to this page is previewed with


@dataclass(frozen=True)
class ShortLink:
    url: str  # absolute, as encoded in the QR code
    display: str  # as printed for people who type it: no scheme, no trailing slash
    qr_image: str  # the QR code's SVG, relative to the page


@dataclass(frozen=True)
class ContactLink:
    """One way to reach a booth or the organiser, ready for an `<a>`."""

    kind: str  # whatsapp, phone, email, instagram, website: also the theme string's key
    label: str
    url: str
    external: bool


def contact_links(contact: Any) -> list[ContactLink]:
    """The links for a Contact or Organiser, in a fixed order, skipping what is missing."""
    links = []
    if getattr(contact, "whatsapp", None):
        links.append(ContactLink("whatsapp", contact.whatsapp,
                                 f"https://wa.me/{whatsapp_digits(contact.whatsapp)}", True))
    if getattr(contact, "phone", None):
        links.append(ContactLink("phone", contact.phone,
                                 "tel:" + re.sub(r"[^\d+]", "", contact.phone), False))
    if getattr(contact, "email", None):
        links.append(ContactLink("email", contact.email, f"mailto:{contact.email}", False))
    if getattr(contact, "instagram", None):
        handle = contact.instagram.strip()
        if handle.startswith("https://"):
            links.append(ContactLink("instagram", handle, handle, True))
        else:
            handle = handle.lstrip("@")
            links.append(ContactLink("instagram", f"@{handle}",
                                     f"https://www.instagram.com/{quote(handle)}/", True))
    if getattr(contact, "website", None):
        label = contact.website.split("://", 1)[-1].rstrip("/")
        links.append(ContactLink("website", label, contact.website, True))
    return links


@dataclass(frozen=True)
class Picture:
    sources: tuple[Any, ...]
    src: str
    srcset: str
    width: int
    height: int
    alt: str
    loading: str
    fetchpriority: str | None
    placeholder: str | None = None
    alt_lang: str | None = None  # the alt text's language when not the page's own


@dataclass(frozen=True)
class Source:
    type: str
    srcset: str


@dataclass
class Trace:
    """What rendering one page read beyond its key: entry bodies and photos."""

    bodies: dict[str, str] = field(default_factory=dict)  # entry -> body digest
    photos: dict[tuple[str, str], None] = field(default_factory=dict)  # in order shown


def written_in(value: Any, lang: str, default: str) -> str:
    """The language a content value shown on a `lang` page is really in: a `Localised`
    knows (its own text, or the default language's it falls back to); a value written
    once for every language (tags) is in the default language."""
    if isinstance(value, Localised):
        return value.language(lang)
    return default


def text_of(value: Any, lang: str) -> Any:
    """A content value as the page shows it: in `lang`, quantities kept whole ("250 g")."""
    if value is None:
        return ""
    if isinstance(value, Localised):
        value = value.get(lang)
        if isinstance(value, str):
            return keep_quantities(value)
        if isinstance(value, tuple):
            return tuple(keep_quantities(v) if isinstance(v, str) else v for v in value)
    return value


def summary(markdown_text: str, limit: int = 155) -> str:
    """Plain text of a Markdown body, cut at a word, for meta descriptions.

    Every entry needs one on every build, and converting whole bodies for 155
    characters was a fifth of a rebuild, so the first blocks are converted, with the
    body's link definitions, and more only while the text is still too short.
    """
    blocks = re.split(r"\n[ \t]*\n", markdown_text.strip())
    definitions = "\n".join(line for line in markdown_text.splitlines()
                             if LINK_DEFINITION.match(line))
    taken = 1
    while True:
        head = "\n\n".join(blocks[:taken] + [definitions])
        plain = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", to_html(head)))).strip()
        if len(plain) > limit or taken >= len(blocks):
            break
        taken *= 2
    if len(plain) <= limit:
        return plain
    return plain[:limit].rsplit(" ", 1)[0].rstrip(",.;:") + "…"


# A reference-style link's target ("[toko]: https://…"), wherever in the body it is.
LINK_DEFINITION = re.compile(r" {0,3}\[[^\]]+\]:\s*\S")


def first_photo(products) -> Photo | None:
    return next((p.photos[0] for p in products if p.photos), None)


def specs(site: Site) -> Iterator[Spec]:
    """Every page of the contract's URL table, in every language."""
    config = site.config
    products = site.products
    for lang in config.languages:
        yield Spec("home", "home.html", urls.home(lang, config), lang, config.title,
                   config.description or config.tagline,
                   {"featured": products.featured(), "booths": site.booths},
                   preview=first_photo(products.featured() or products.items))
        yield Spec("products", "products.html", urls.products(lang, config), lang,
                   "nav_products", None, {"products": tuple(sorted(
                       products, key=lambda p: (p.name.get(lang).casefold(), p.code)))})
        yield Spec("booths", "booths.html", urls.booths(lang, config), lang, "nav_booths",
                   None, {"booths": site.booths})
        yield Spec("shortlist", "shortlist.html", urls.shortlist(lang, config), lang,
                   "shortlist_title", None, in_sitemap=False)
        for booth in site.booths:
            yield Spec("booth", "booth.html", urls.booth(booth, lang, config), lang, booth.name,
                       summary(booth.body.get(lang)), {"booth": booth, "products": booth.products},
                       preview=booth.cover or first_photo(booth.products) or booth.logo)
            yield Spec("redirect", "redirect.html", urls.short_booth(booth.code, lang, config),
                       lang, booth.name, None, {"target_url": urls.booth(booth, lang, config)},
                       in_sitemap=False)
            for product in booth.products:
                yield Spec("product", "product.html", urls.product(product, lang, config), lang,
                           product.name, summary(product.body.get(lang)),
                           {"product": product, "booth": booth,
                            "category": site.category(product.category)},
                           preview=first_photo((product,)))
                yield Spec("redirect", "redirect.html",
                           urls.short_product(product.code, lang, config), lang, product.name,
                           None, {"target_url": urls.product(product, lang, config)},
                           in_sitemap=False)
        for category in config.categories:
            yield Spec("category", "category.html", urls.category(category, lang, config), lang,
                       category.name, category.description,
                       {"category": category, "products": products.in_category(category.key)},
                       preview=first_photo(products.in_category(category.key)))
        for page in site.pages:
            yield Spec("page", "page.html", urls.page(page, lang, config), lang, page.title,
                       page.description or summary(page.body.get(lang)), {"entry": page})
        for kind, code, path in site.retired:  # printed codes whose entry is gone
            short = (urls.short_booth if kind == "b" else urls.short_product)(code, lang, config)
            yield Spec("redirect", "redirect.html", short, lang,
                       Localised.of({lang: code}, lang), None,
                       {"target_url": urls.prefix(lang, config) + path.lstrip("/")},
                       in_sitemap=False)


class Renderer:
    """Renders pages of one site with one theme; holds the Jinja environment."""

    def __init__(self, site: Site, theme: Theme, compiled: Path | None = None):
        self.site = site
        self.theme = theme
        self.config = site.config
        # Every image variant a page referenced: the builder makes exactly these.
        self.variants: dict[str, images.Variant] = {}
        self._bodies = memo.bodies(site)
        self.body_digests = dict(self._bodies.values())  # entry -> digest of its body
        self._photos = {(str(photo.src_path), photo.digest): photo for photo in _photos(site)}
        self._trace = Trace()
        # A photo appears on many pages (its product, booth, category, home, in every
        # language); planning its variants once is a fifth of rendering time.
        self._plans: dict[tuple[str, str], tuple[images.Variant, ...]] = {}
        self._previews: dict[tuple[str, str], images.Variant] = {}
        self._facets_by_lang: dict[str, Any] = {}
        self.env = _TracingEnvironment(
            self._read,
            # The site's theme first, then the default's: a theme holds only what it changes.
            loader=jinja2.ChoiceLoader([jinja2.FileSystemLoader(folder)
                                        for folder in theme.template_dirs]),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            # Compiled templates kept between builds: compiling is a third of a warm build.
            bytecode_cache=jinja2.FileSystemBytecodeCache(str(compiled)) if compiled else None,
        )
        self.env.filters["loc"] = jinja2.pass_context(
            lambda ctx, v: text_of(v, ctx["lang"]))
        self.env.filters["shown"] = jinja2.pass_context(lambda ctx, v: self._shown_text(ctx, v))
        self.env.globals.update(
            t=jinja2.pass_context(lambda ctx, key, **kw: theme.strings[ctx["lang"]](key, **kw)),
            href=jinja2.pass_context(lambda ctx, target: self._href(ctx, target)),
            asset=jinja2.pass_context(lambda ctx, name: self._asset(ctx, name)),
            price=jinja2.pass_context(lambda ctx, product: self._price(ctx, product)),
            event_dates=jinja2.pass_context(lambda ctx, e: format_event_dates(e, ctx["lang"])),
            markdown=jinja2.pass_context(lambda ctx, v: self._markdown(ctx, v)),
            lang_attr=jinja2.pass_context(lambda ctx, v: self._lang_attr(ctx, v)),
            lang_note=jinja2.pass_context(
                lambda ctx, v, key="lang_note": self._lang_note(ctx, v, key)),
            picture=jinja2.pass_context(lambda ctx, *a, **kw: self._picture(ctx, *a, **kw)),
            whatsapp_url=jinja2.pass_context(lambda ctx, product: self._whatsapp_url(ctx, product)),
            contact_links=contact_links,
            short_link=jinja2.pass_context(lambda ctx, entry: self._short_link(ctx, entry)),
            facets=jinja2.pass_context(lambda ctx: self._facets(ctx["lang"])),
            seo=jinja2.pass_context(lambda ctx: structured.for_page(
                site, theme, self._shown, ctx["page"], ctx.get("product") or ctx.get("booth"))),
        )

    # -- functions templates call ------------------------------------------------------

    def _read(self, value: Any) -> Any:
        """Note an entry's body as read by the page being rendered (every value a
        template takes from an attribute or an item passes through here)."""
        owner = self._bodies.get(id(value))
        if owner is not None:
            self._trace.bodies[owner[0]] = owner[1]
        return value

    def _link(self, page: PageInfo, target_url: str) -> str:
        if page.rooted_links:
            return urls.rooted(target_url, self.config)
        return urls.relative(page.url, target_url)

    def _href(self, ctx, target: Any) -> str:
        return self._link(ctx["page"], urls.of(target, ctx["lang"], self.config))

    def _asset(self, ctx, name: str) -> str:
        return self._link(ctx["page"], self.theme.static[name][0])

    # -- text in another language than the page's -----------------------------------------
    # A value with no text in the page's language falls back to the default language's
    # (right: better Indonesian than nothing), but it must say so: in a lang attribute, so
    # screen readers read it in the right voice and browsers offer to translate it, and,
    # for longer text, in a note the reader sees. Templates ask; the deciding is here.

    def _foreign(self, ctx, value: Any) -> str | None:
        """The language `value` is shown in on this page, if not the page's own."""
        if value is None or value == "" or value == ():
            return None
        lang = ctx["lang"]
        written = written_in(value, lang, self.config.default_language)
        return None if written == lang else written

    def _shown_text(self, ctx, value: Any) -> Markup:
        """A value as text (a list joined by commas), inside <span lang=".."> when it is
        in another language than the page."""
        text = text_of(value, ctx["lang"])
        if isinstance(text, (tuple, list)):
            text = ", ".join(text)
        foreign = self._foreign(ctx, value) if text else None
        if foreign is None:
            return Markup.escape(text)
        return Markup('<span lang="{}">{}</span>').format(foreign, text)

    def _markdown(self, ctx, value: Any) -> Markup:
        """An entry's body as HTML, inside <div lang=".."> when it falls back."""
        body = Markup(to_html(text_of(value, ctx["lang"])))
        foreign = self._foreign(ctx, value) if body.strip() else None
        return body if foreign is None else Markup('<div lang="{}">{}</div>').format(foreign, body)

    def _lang_attr(self, ctx, value: Any) -> Markup:
        """` lang=".."` for the element holding `value`, when it is in another language."""
        foreign = self._foreign(ctx, value)
        return Markup(' lang="{}"').format(foreign) if foreign else Markup("")

    def _lang_note(self, ctx, value: Any, key: str) -> Markup:
        """A small note in the page's language saying which language `value` is in
        ("Description in Bahasa Indonesia"; the theme's string `key`), or nothing."""
        foreign = self._foreign(ctx, value)
        if foreign is None or not text_of(value, ctx["lang"]):
            return Markup("")
        name = self.theme.strings[foreign].get("language_name") or language_name(foreign)
        return Markup('<small class="lang-note">{}</small>').format(
            self.theme.strings[ctx["lang"]](key, language=name))

    def _price(self, ctx, product: Product) -> str:
        return format_price(product.price, ctx["lang"], self.theme.strings[ctx["lang"]]("ask_price"))

    def _picture(self, ctx, photo: Photo, sizes: str = "100vw", eager: bool = False) -> Picture:
        page: PageInfo = ctx["page"]
        variants = self._shown(photo)
        sources = []
        for fmt in self.config.images.formats:
            own = [v for v in variants if v.format == fmt]
            sources.append(Source(images.MIME[fmt], ", ".join(
                f"{self._link(page, v.url)} {v.width}w" for v in own)))
        fallback_format = self.config.images.fallback_format
        fallbacks = [v for v in variants if v.format == fallback_format]
        fallback = next((v for v in fallbacks if v.width >= 800), fallbacks[-1])
        return Picture(
            sources=tuple(s for s in sources if s.type != images.MIME[fallback_format]),
            src=self._link(page, fallback.url),
            srcset=", ".join(f"{self._link(page, v.url)} {v.width}w" for v in fallbacks),
            width=fallback.width, height=fallback.height,
            alt=text_of(photo.alt, ctx["lang"]),
            loading="eager" if eager else "lazy", fetchpriority="high" if eager else None,
            placeholder=photo.placeholder,
            alt_lang=self._foreign(ctx, photo.alt) if photo.alt is not None else None)

    def _facets(self, lang: str):
        """The product list's facets, worked out once per language (the index has them too)."""
        if lang not in self._facets_by_lang:
            self._facets_by_lang[lang] = search.facets(self.site, lang, self.theme.strings[lang])
        return self._facets_by_lang[lang]

    def _shown(self, photo: Photo) -> tuple[images.Variant, ...]:
        """The variants of a photo the page being rendered refers to (a picture, its
        structured data): they are published, and with the page if it is kept."""
        key = (str(photo.src_path), photo.digest)
        self._trace.photos[key] = None
        return self._plan(key, photo)

    def planned(self, photo: Photo) -> tuple[images.Variant, ...]:
        """A photo's variants, without publishing them (for lists of what exists)."""
        return self._plans.get((str(photo.src_path), photo.digest)) or images.plan(
            photo, self.config.images)

    def _plan(self, key: tuple[str, str], photo: Photo) -> tuple[images.Variant, ...]:
        if key not in self._plans:
            self._plans[key] = images.plan(photo, self.config.images)
            self.variants.update((v.url, v) for v in self._plans[key])
        return self._plans[key]

    def _short_link(self, ctx, entry: Any) -> ShortLink:
        """A product's or booth's short link in the page's language and its QR code, for
        staff to show: a visitor reading English who scans it stays in English. (Stand
        cards print the default language's; the codes there are the same, so both lead to
        the same entry.)"""
        kind, lang = ("p" if isinstance(entry, Product) else "b"), ctx["lang"]
        short = (urls.short_product if kind == "p" else urls.short_booth)(entry.code, lang, self.config)
        url = urls.absolute(short, self.config)
        return ShortLink(url, url.split("://", 1)[-1].rstrip("/"), self._link(
            ctx["page"], urls.qr_image(kind, entry.code, "svg", lang, self.config)))

    def _whatsapp_url(self, ctx, product: Product) -> str | None:

        booth = self.site.booth_of(product)
        number = product.whatsapp or booth.contact.whatsapp
        if not number:
            return None
        lang = ctx["lang"]
        message = self.theme.strings[lang](
            "whatsapp_message", name=product.name.get(lang), code=product.code,
            url=urls.absolute(urls.product(product, lang, self.config), self.config))
        return f"https://wa.me/{whatsapp_digits(number)}?text={quote(message, safe='')}"

    # -- pages -------------------------------------------------------------------------

    def page_info(self, spec: Spec, kind_urls: dict[str, str], rooted_links: bool = False) -> PageInfo:
        strings = self.theme.strings[spec.lang]
        title = spec.title if not isinstance(spec.title, str) else strings(spec.title)
        description = text_of(spec.description, spec.lang) or text_of(
            self.config.description or self.config.tagline or self.config.title, spec.lang)
        alternates = tuple((lang, urls.absolute(url, self.config)) for lang, url in kind_urls.items())
        default_url = kind_urls.get(self.config.default_language) or next(iter(kind_urls.values()))
        translations = tuple(
            Translation(lang, self.theme.strings[lang].get("language_name") or language_name(lang),
                        urls.rooted(url, self.config) if rooted_links
                        else urls.relative(spec.url, url), lang == spec.lang)
            for lang, url in kind_urls.items())
        preview = None
        if spec.preview is not None:
            key = (str(spec.preview.src_path), spec.preview.digest)
            if key not in self._previews:
                self._previews[key] = images.plan_preview(spec.preview)
            variant = self._previews[key]
            self.variants[variant.url] = variant
            preview = (urls.absolute(variant.url, self.config), variant.width, variant.height)
        return PageInfo(
            kind=spec.kind, url=spec.url, lang=spec.lang, preview=preview,
            title=text_of(title, spec.lang), description=description,
            canonical=urls.absolute(spec.url, self.config),
            alternates=alternates + (("x-default", urls.absolute(default_url, self.config)),),
            translations=translations, rooted_links=rooted_links)

    def render(self, template: str, page: PageInfo, variables: dict[str, Any]) -> tuple[bytes, Trace]:
        context = {"site": self.site, "lang": page.lang, "page": page, **variables}
        self._trace = Trace()
        return self.env.get_template(template).render(context).encode("utf-8"), self._trace

    def reuse(self, record: memo.PageRecord) -> None:
        """A page kept from the last build still needs the images it shows."""
        for key in record.photos:
            self._plan(key, self._photos[key])


class _TracingEnvironment(jinja2.Environment):
    """Hands every value a template gets by `x.y` or `x[y]` to `trace` first: however a
    template then uses an entry's body (`markdown()`, `|loc`, `.get()`), the renderer
    knows the page read it."""

    def __init__(self, trace: Callable[[Any], Any], **options: Any):
        super().__init__(**options)
        self.trace = trace

    def getattr(self, obj: Any, attribute: str) -> Any:
        return self.trace(super().getattr(obj, attribute))

    def getitem(self, obj: Any, argument: Any) -> Any:
        return self.trace(super().getitem(obj, argument))


def _photos(site: Site) -> Iterator[Photo]:
    for booth in site.booths:
        yield from (photo for photo in (booth.logo, booth.cover) if photo is not None)
        for product in booth.products:
            yield from product.photos


@dataclass(frozen=True)
class Rendered:
    files: dict[str, bytes]  # output path -> bytes
    variants: tuple[images.Variant, ...]  # the images the pages refer to
    kept: frozenset[str]  # pages not rendered again: the output already holds them
    memo: memo.Memo  # what every page was made from, for the next build


def render_site(site: Site, theme: Theme, compiled: Path | None = None,
                previous: memo.Memo | None = None, code_and_themes: str = "") -> Rendered:
    """Every page, the site-wide files (`sitefiles`), the theme's static files, and the
    images they use.

    `compiled` is a folder where Jinja may keep compiled templates between builds (only
    speed depends on it). QR codes are files of their own: see `qr.site_files`.
    With `previous`, the memo of the build whose output is in place, pages whose key
    and bodies are unchanged are not rendered but listed in `kept`; `code_and_themes`, a
    digest, must then change whenever a theme or showcase's code does.
    """
    renderer = Renderer(site, theme, compiled)
    shared = memo.shared(site, code_and_themes)
    records: dict[str, memo.PageRecord] = {}
    kept: set[str] = set()
    config = site.config
    all_specs = list(specs(site))
    # Group the same page's URLs by language, for hreflang and the language switch.
    by_key: dict[tuple, dict[str, str]] = {}
    for spec, key in zip(all_specs, (_strip_lang(s, config) for s in all_specs)):
        by_key.setdefault(key, {})[spec.lang] = spec.url
    files: dict[str, bytes] = {}
    sitemap: list[tuple[str, dict[str, str]]] = []
    redirects: list[tuple[str, str]] = []
    for spec in all_specs:
        kind_urls = by_key[_strip_lang(spec, config)]
        page = renderer.page_info(spec, kind_urls)
        variables = dict(spec.variables)
        if spec.kind == "redirect":
            redirects.append((spec.url, variables["target_url"]))
            variables = {"target": urls.relative(spec.url, variables["target_url"]),
                         "target_absolute": urls.absolute(variables["target_url"], config)}
        path = urls.output_path(spec.url)
        key = memo.page_key(shared, spec.template, page)
        record = previous.fresh(path, key, renderer.body_digests) if previous else None
        if record is not None:
            renderer.reuse(record)
            kept.add(path)
        else:
            files[path], trace = renderer.render(spec.template, page, variables)
            record = memo.PageRecord(key, tuple(sorted(trace.bodies.items())), tuple(trace.photos))
        records[path] = record
        if spec.in_sitemap:
            sitemap.append((spec.url, kind_urls))
    # Served for any path (by the host, or by the service worker offline), so their links
    # start from the site's root path; one of each per language.
    read_bodies = False
    for lang in config.languages:
        for spec in (Spec("404", "404.html", urls.not_found(lang, config), lang, "not_found_title"),
                     Spec("offline", "offline.html", urls.offline(lang, config), lang,
                          "offline_title")):
            page = renderer.page_info(spec, {lang: spec.url}, rooted_links=True)
            files[spec.url], trace = renderer.render(spec.template, page, {})
            read_bodies = read_bodies or bool(trace.bodies)
    for path, data in theme.static.values():
        files[path] = data
    if previous is not None and previous.shared == shared and not read_bodies:
        # Made from nothing but what all pages share (the service worker digests the
        # 404 and offline pages too, which here showed no entry's text), so the
        # output's are right.
        common = previous.common
        kept.update(common)
    else:
        made = sitefiles.files(site, theme, sitemap, redirects, files, records,
                               renderer.variants, renderer.planned, renderer._facets)
        files.update(made)
        common = tuple(sorted(made))
    return Rendered(files,
                    tuple(renderer.variants[url] for url in sorted(renderer.variants)),
                    frozenset(kept), memo.Memo(shared, records, common))


def _strip_lang(spec: Spec, config) -> tuple:
    prefix = urls.prefix(spec.lang, config)
    return (spec.kind, spec.url[len(prefix):] if prefix and spec.url.startswith(prefix) else spec.url)
