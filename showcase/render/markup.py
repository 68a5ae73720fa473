"""Markdown bodies to safe HTML.

Python-Markdown passes raw HTML through, so its output goes through nh3's allow-list:
content can format text but can never add script, styles or event handlers.
"""

from __future__ import annotations

import functools
import re

import markdown as md
import nh3

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "div", "dl", "dt", "em",
    "h2", "h3", "h4", "h5", "h6", "hr", "i", "li", "ol", "p", "pre", "s", "small",
    "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "td": {"align"},
    "th": {"align"},
}


@functools.cache
def _converter() -> md.Markdown:
    """One converter, reset before each use: making one costs more than most bodies."""
    return md.Markdown(extensions=["tables", "sane_lists", "smarty"], output_format="html")


@functools.lru_cache(maxsize=4096)
def to_html(text: str) -> str:
    """Render Markdown (tables, lists, links) and sanitise it.

    Headings are shifted so that the body's highest one is an `<h2>`: the page's `<h1>`
    is the entry's name, so a `# Heading` must not compete with it, and a body written
    with `##` sections must not skip a level (screen readers navigate by them).
    """
    html = _converter().reset().convert(text)
    levels = [int(level) for level in re.findall(r"<h([1-6])\b", html)]
    shift = 2 - min(levels) if levels else 0
    if shift:
        html = re.sub(r"<(/?)h([1-6])\b",
                      lambda m: f"<{m[1]}h{min(6, int(m[2]) + shift)}", html)
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                     url_schemes={"http", "https", "mailto", "tel"},
                     link_rel="noopener noreferrer")
