"""What search engines and link previews read: schema.org JSON-LD and the og:image.

Built here from the model, so templates only print it. The rules followed are
schema.org's vocabulary and Google's documented requirements for product snippets
(a Product needs `name` and one of `offers`, `review` or `aggregateRating`; an Offer
needs `price` and `priceCurrency`, an AggregateOffer `lowPrice`), for events (`name`,
`startDate`, `location`) and for breadcrumbs.

A product without a price gets no Product node: an Offer without a price is invalid,
and a Product without offers (there are no reviews or ratings here) is reported as an
error by Google's product-snippet checks, which would flag every such page in Search
Console. Its page still has its breadcrumb, title, description and og:image.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from showcase import urls
from showcase.assets import images
from showcase.render import search
from showcase.model import Booth, Photo, Product, Site
from showcase.render.theme import Theme


SCHEMA = "https://schema.org"


@dataclass(frozen=True)
class Seo:
    """A page's machine-read extras: the og:image and its JSON-LD block."""

    image: tuple[str, int, int] | None  # absolute URL, width, height
    json_ld: Markup  # a whole <script type="application/ld+json"> element, or ""


def for_page(site: Site, theme: Theme, plan: images.Plan, page: Any, entry: Any = None) -> Seo:
    """`page` is the renderer's PageInfo (kind, lang, canonical, description, preview);
    `entry` the product or booth the page shows, if any; `plan` gives a photo's
    variants (the renderer's, which plans each photo once per build)."""
    image = page.preview or share_image(site, theme)
    nodes: list[dict[str, Any]] = []
    if page.kind == "product" and isinstance(entry, Product):
        nodes = [breadcrumbs(site, theme, page, entry)]
        product = product_node(site, plan, entry, page)
        if product is not None:
            nodes.insert(0, product)
    elif page.kind == "booth" and isinstance(entry, Booth):
        nodes = [booth_node(site, plan, entry, page, image)]
    elif page.kind == "home":
        event = event_node(site, page, image)
        nodes = [event] if event is not None else []
    return Seo(image, script(nodes))


def share_image(site: Site, theme: Theme) -> tuple[str, int, int] | None:
    if theme.settings.share_image is None:
        return None
    name, width, height = theme.settings.share_image
    if name not in theme.static:
        return None
    return urls.absolute(theme.static[name][0], site.config), width, height


def script(nodes: list[dict[str, Any]]) -> Markup:
    """One JSON-LD element. `search.to_json` writes `<`, `>` and `&` as \\u escapes, so no
    name or description (a product called `</script>`) can end the element early."""
    if not nodes:
        return Markup("")
    data = {"@context": SCHEMA, "@graph": nodes} if len(nodes) > 1 else {"@context": SCHEMA, **nodes[0]}
    return Markup('<script type="application/ld+json">{}</script>').format(
        Markup(search.to_json(data).decode("utf-8")))


# -- nodes ---------------------------------------------------------------------------------

def photo_urls(photo: Photo, site: Site, plan: images.Plan) -> list[str]:
    """The largest published size of a photo, in the format every crawler reads."""
    fmt = site.config.images.fallback_format
    largest = max((v for v in plan(photo) if v.format == fmt), key=lambda v: v.width)
    return [urls.absolute(largest.url, site.config)]


def product_node(site: Site, plan: images.Plan, product: Product, page: Any) -> dict[str, Any] | None:
    """Its photos and their link preview as images; never the theme's generic picture,
    which is not a picture of the product."""
    if product.price is None:
        return None
    config, lang = site.config, page.lang
    booth = site.booth_of(product)
    seller = {"@type": "Organization", "name": booth.name.get(lang),
              "url": urls.absolute(urls.booth(booth, lang, config), config)}
    price = product.price
    offer: dict[str, Any] = (
        {"@type": "AggregateOffer", "lowPrice": price.low, "highPrice": price.high}
        if price.is_range else {"@type": "Offer", "price": price.low})
    offer.update({"priceCurrency": config.currency, "availability": product.availability.schema_org,
                  "itemCondition": f"{SCHEMA}/NewCondition", "url": page.canonical,
                  "seller": seller})
    pictures = [url for photo in product.photos for url in photo_urls(photo, site, plan)]
    if page.preview is not None:
        pictures.append(page.preview[0])
    node: dict[str, Any] = {
        "@type": "Product", "@id": page.canonical + "#product", "name": product.name.get(lang),
        "sku": product.code, "url": page.canonical,
        "category": site.category(product.category).name.get(lang),
        "brand": {"@type": "Brand", "name": booth.name.get(lang)},
    }
    if pictures:
        node["image"] = pictures
    # Text that falls back to another language (no translation yet) is left out: the
    # node speaks the page's language (structured data has no per-value language here),
    # and a description in another language would be passed off as this one's.
    if page.description and product.body.language(lang) == lang:
        node["description"] = page.description
    if product.materials is not None and product.materials.language(lang) == lang:
        node["material"] = ", ".join(product.materials.get(lang))
    node["offers"] = offer
    return node


def breadcrumbs(site: Site, theme: Theme, page: Any, product: Product) -> dict[str, Any]:
    """The trail the page's own breadcrumb shows: products, the category, the product."""
    config, lang = site.config, page.lang
    category = site.category(product.category)
    trail = [(theme.strings[lang]("nav_products"), urls.products(lang, config)),
             (category.name.get(lang), urls.category(category, lang, config))]
    items = [{"@type": "ListItem", "position": n, "name": name,
              "item": urls.absolute(url, config)} for n, (name, url) in enumerate(trail, 1)]
    items.append({"@type": "ListItem", "position": len(items) + 1,
                  "name": product.name.get(lang)})
    return {"@type": "BreadcrumbList", "itemListElement": items}


def booth_node(site: Site, plan: images.Plan, booth: Booth, page: Any,
               image: tuple[str, int, int] | None) -> dict[str, Any]:
    """A booth is one exhibitor: the workshop of a prison, remand centre or LPKA."""
    node: dict[str, Any] = {"@type": "Organization", "@id": page.canonical + "#organization",
                            "name": booth.name.get(page.lang), "url": page.canonical}
    if page.description and booth.body.language(page.lang) == page.lang:  # as a product's
        node["description"] = page.description
    if booth.logo is not None:
        node["logo"] = photo_urls(booth.logo, site, plan)[0]
    if image is not None:
        node["image"] = image[0]
    if booth.region:
        node["location"] = booth.region
    contact = booth.contact
    if contact.phone or contact.whatsapp:
        node["telephone"] = contact.phone or contact.whatsapp
    if contact.email:
        node["email"] = contact.email
    same_as = [url for url in (contact.website, *(m.url for m in booth.marketplaces)) if url]
    if same_as:
        node["sameAs"] = same_as
    return node


def event_node(site: Site, page: Any, image: tuple[str, int, int] | None) -> dict[str, Any] | None:
    """The exhibition itself, on the home page: dates and venue from site.yaml."""
    config, lang = site.config, page.lang
    event = config.event
    if event.start is None:
        return None
    node: dict[str, Any] = {
        "@type": "Event", "name": config.title.get(lang), "url": page.canonical,
        "startDate": event.start.isoformat(),
        "endDate": (event.end or event.start).isoformat(),
        "eventStatus": f"{SCHEMA}/EventScheduled",
        "eventAttendanceMode": f"{SCHEMA}/OfflineEventAttendanceMode",
    }
    told = config.description or config.tagline  # what the home page's description is
    if page.description and (told is None or told.language(lang) == lang):
        node["description"] = page.description
    if image is not None:
        node["image"] = [image[0]]
    if event.venue is not None:
        place: dict[str, Any] = {"@type": "Place", "name": event.venue.name.get(lang)}
        if event.venue.address is not None:
            place["address"] = event.venue.address.get(lang)
        if event.venue.map_url:
            place["hasMap"] = event.venue.map_url
        node["location"] = place
    organiser = config.organiser
    if organiser is not None:
        node["organizer"] = {"@type": "Organization", "name": organiser.name.get(lang),
                             **({"url": organiser.website} if organiser.website else {}),
                             **({"email": organiser.email} if organiser.email else {})}
    return node
