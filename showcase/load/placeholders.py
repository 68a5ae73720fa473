"""Placeholders: values that stand in for the real ones until the organiser fills them in.

A new site is built from examples (the starter's site.yaml, the scaffolds' fields), so it
builds at once; but a QR code printed to an example address, or a card whose product page
offers the starter's WhatsApp number, leads visitors nowhere, and a printed code is
recorded for good. `check` warns about every placeholder, and `cards` refuses to print
while one would reach paper.

An address is a placeholder when its host is on a domain reserved for examples (RFC 2606
and 6761: example.com, example.net and example.org with their subdomains; the top-level
domains .example, .test, .invalid and .localhost; nothing else) or is the address the
starter ships. A number is a placeholder when it is one the scaffolds write, which are
the registry's examples.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

import yaml

from showcase.errors import shown
from showcase.load import fields
from showcase.load.schema import phone
from showcase.model import Site, whatsapp_digits
from showcase.messages import N_

RESERVED_DOMAINS = ("example.com", "example.net", "example.org")
RESERVED_TOP_LEVEL = ("example", "test", "invalid", "localhost")

SET_BASE_URL = N_("set base_url to the address where the site will be published; "
                  "stand cards are not printed until then")
SET_NUMBER = N_("write the real number, in quotes, or remove the line; stand cards are not "
                "printed until then")


def is_placeholder_host(host: str) -> bool:
    """Whether `host` is on a domain reserved for examples."""
    host = host.lower().rstrip(".")
    labels = host.split(".")
    return labels[-1] in RESERVED_TOP_LEVEL or any(
        host == domain or host.endswith("." + domain) for domain in RESERVED_DOMAINS)


def is_placeholder_url(url: str) -> bool:
    """Whether a web address is an example's or the starter's own."""
    return (url.rstrip("/") == starter_base_url().rstrip("/")
            or is_placeholder_host(urlsplit(url).hostname or ""))


def starter_base_url() -> str:
    """The base_url the starter and the registry's example write."""
    return fields.SITE.field("base_url").example or ""


def placeholder_numbers() -> frozenset[str]:
    """Every phone number the starter and the scaffolds write, as wa.me digits: the
    examples of each phone field in the registry, however deep."""
    found: set[str] = set()

    def walk(record: fields.Record) -> None:
        for field in record.fields:
            if field.check is phone and field.example:
                found.add(whatsapp_digits(str(yaml.safe_load(field.example))))
            if field.record is not None:
                walk(field.record)

    for record in (fields.SITE, fields.BOOTH, fields.PRODUCT):
        walk(record)
    return frozenset(found)


def is_placeholder_number(number: str, numbers: frozenset[str] | None = None) -> bool:
    """Whether `number` is one of `numbers` (by default the scaffolds'), however written."""
    return whatsapp_digits(number) in (placeholder_numbers() if numbers is None else numbers)


@dataclass(frozen=True)
class Placeholder:
    """One placeholder value, where it is written, and what to do about it."""

    path: str  # as messages name it; "--base-url" for the command-line option
    line: int | None
    field: str
    value: str
    advice: str

    @property
    def message(self) -> str:
        return N_("'{value}' is a placeholder; {advice}", value=self.value, advice=self.advice)


def find(site: Site, base_url_option: bool = False) -> list[Placeholder]:
    """Every placeholder of a loaded site, in site.yaml, booths and products, in that
    order. `base_url_option`: the site's base_url came from --base-url, not site.yaml."""
    config, sources = site.config, site.sources
    site_yaml = shown(site.root / "site.yaml", site.root)
    found = []
    starters = placeholder_numbers()
    if is_placeholder_url(config.base_url):
        where = ("--base-url", None) if base_url_option else (
            site_yaml, sources.site_lines.get("base_url"))
        found.append(Placeholder(*where, "base_url", config.base_url, SET_BASE_URL))

    def numbers(path: str, lines: Mapping[str, int], values: dict[str, str | None]) -> None:
        """The numbers written in this file (a booth's contact falls back to the site's,
        which is reported at site.yaml)."""
        for name, value in values.items():
            if name in lines and value and is_placeholder_number(value, starters):
                found.append(Placeholder(path, lines[name], name, value, SET_NUMBER))

    organiser = config.organiser
    numbers(site_yaml, sources.site_lines, {
        "contact.whatsapp": config.contact.whatsapp, "contact.phone": config.contact.phone,
        "organiser.whatsapp": organiser and organiser.whatsapp,
        "organiser.phone": organiser and organiser.phone})
    for booth in site.booths:
        entries = [(booth.src_path, {"contact.whatsapp": booth.contact.whatsapp,
                                     "contact.phone": booth.contact.phone})]
        entries += [(p.src_path, {"whatsapp": p.whatsapp}) for p in booth.products]
        for path, values in entries:
            written = sources.entries.get(path)
            if written is not None:
                numbers(shown(path, site.root), written.lines, values)
    return found

