"""The browser editor at /admin/: Decap CMS's page and its configuration, made from the
field registry and the site, never written by hand.

Why it looks the way it does (docs/admin.md says the same for organisers):

- One folder collection per booth for its products (`content/booths/<booth>`), made
  from the booths the site has when it is built: Decap lists one folder's entries, and
  a product belongs to the booth whose folder holds it, so a collection per booth is
  the contract's layout as Decap can show it. A new booth's products become editable
  after the next build.
- Both languages side by side in one form: a localised field is an object with one
  value per language (`name: {id: ..., en: ...}`), the form the contract's own files,
  `new`, `import` and the sample write. Only the Markdown body goes through Decap's
  i18n (`multiple_files`), because the contract keeps a translation's body in
  `index.<lang>.md`. Decap names the default language's file `index.<lang>.md` too,
  which the loader reads exactly as `index.md`. Every other field has no `i18n` (Decap's
  "none": only in the default language's file): a translation file may set only
  localised fields, and these live in the main file.
- Photos are saved beside their entry (`media_folder: ""`): page bundles, as the
  contract keeps them.
- A product's code is hidden: the CMS cannot compute the next free code of a booth;
  `showcase codes` fills it (the pull-request workflow runs it), and `serve --admin`
  fills it on save, both with `new`'s own function.
- Decap has no Indonesian interface; each hint says the registry's words in Bahasa
  Indonesia, then in English.
"""

from __future__ import annotations

import base64
import hashlib
import html
from typing import Any

import yaml

from showcase.load import fields
from showcase.load.fields import Field, Record
from showcase.load.schema import BUILTIN_MARKETPLACES
from showcase.model import Site

DECAP_VERSION = "3.16.3"
# sha384 of dist/decap-cms.js in `npm pack decap-cms@3.16.3`, base64: what Subresource
# Integrity makes the browser check before running the script.
DECAP_INTEGRITY = "sha384-A/Gdn928CNLufmnGWGs9RM4Q9o8bSNLeJERqBFrBjwzL7FRpoLT3MPF8Tl0+Wd2p"
DECAP_URL = f"https://cdn.jsdelivr.net/npm/decap-cms@{DECAP_VERSION}/dist/decap-cms.js"

# libyaml's emitter writes the same bytes as PyYAML's own (a port of it), four times
# faster: the configuration is written on every build (tests/test_admin.py compares them).
DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

FOLDER = "admin"
CONTENT = "content"  # the content folder as the repository holds it, beside site.yaml's site
# With `admin: {self_hosted: true}`: the copy of the script, in the site's folder (beside
# content/), published beside the page under the same name.
SCRIPT = "decap-cms.js"
SELF_HOSTED = f"{FOLDER}/{SCRIPT}"


def integrity(data: bytes) -> str:
    """Subresource Integrity's value for `data` (sha384, base64)."""
    return "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode("ascii")


def wrong_copy(data: bytes | None) -> str | None:
    """What is wrong with a self-hosted copy of the script, or None: it must be the
    pinned version's file, byte for byte, as the page's integrity says."""
    if data is None:
        return (f"self_hosted: true, but {SELF_HOSTED} (beside content/) is missing; put "
                f"package/dist/{SCRIPT} of `npm pack decap-cms@{DECAP_VERSION}` there, or "
                "remove self_hosted")
    if integrity(data) != DECAP_INTEGRITY:
        return (f"self_hosted: true, but {SELF_HOSTED} is not Decap CMS {DECAP_VERSION}'s "
                f"dist/{SCRIPT} (its sha384 differs); copy that version's file there, the "
                "one showcase pins")
    return None


def admin_files(site: Site, *, local_url: str | None = None, content_path: str = CONTENT,
                script: bytes | None = None) -> dict[str, bytes]:
    """`{output path: bytes}` of the editor: its page, configuration and, self-hosted,
    the script (`script`, checked with `wrong_copy` first); nothing when site.yaml has
    no `admin:` and no `local_url` asks for one."""
    if site.config.admin is None and local_url is None:
        return {}
    config = admin_config(site, local_url=local_url, content_path=content_path)
    made = {f"{FOLDER}/index.html": admin_page(site),
            f"{FOLDER}/config.yml": config_yaml(config)}
    if site.config.admin is not None and site.config.admin.self_hosted and script is not None:
        made[SELF_HOSTED] = script
    return made


def config_yaml(config: dict[str, Any]) -> bytes:
    """The configuration as YAML, the same bytes for the same site on every system."""
    text = yaml.dump(config, Dumper=DUMPER, allow_unicode=True, sort_keys=False, width=100,
                     default_flow_style=False)
    return ("# Made by showcase build from the field registry; edits here are overwritten.\n"
            + text).encode("utf-8")


def admin_page(site: Site) -> bytes:
    """The page that loads the CMS: fixed, whatever the theme, and never indexed. Not a
    theme template: it shows nothing of the site, and no theme may drop its `noindex`
    or the script's integrity."""
    config = site.config
    admin = config.admin
    script = SCRIPT if admin and admin.self_hosted else DECAP_URL
    title = html.escape(config.title.get(config.default_language))
    return (
        "<!doctype html>\n"
        f'<html lang="{config.default_language}">\n'
        "<head>\n"
        '<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="robots" content="noindex, nofollow">\n'
        '<meta name="referrer" content="same-origin">\n'
        f"<title>Admin · {title}</title>\n"
        '<link href="config.yml" type="text/yaml" rel="cms-config-url">\n'
        "</head>\n"
        "<body>\n"
        f'<script src="{html.escape(script)}" integrity="{DECAP_INTEGRITY}" '
        'crossorigin="anonymous"></script>\n'
        "</body>\n"
        "</html>\n").encode("utf-8")


def admin_config(site: Site, *, local_url: str | None = None,
                 content_path: str = CONTENT) -> dict[str, Any]:
    """Decap CMS's configuration for this site, as plain data.

    `local_url` (what `serve --admin` passes: its own API's address) adds Decap's
    `local_backend`, which the built site never has. `content_path` is the content
    folder as the repository holds it (a site in a subfolder of its repository)."""
    config = site.config
    admin = config.admin
    languages = config.languages
    default = config.default_language
    made = _Maker(site)
    backend: dict[str, Any] = {"name": admin.backend if admin else "github",
                               "repo": admin.repo if admin else "local/site",
                               "branch": admin.branch if admin else "main"}
    if admin is not None and admin.auth_url:
        backend["base_url"] = admin.auth_url.rstrip("/")
    result: dict[str, Any] = {"backend": backend}
    if admin is None or admin.review:
        result["publish_mode"] = "editorial_workflow"
    if local_url is not None:
        result["local_backend"] = {"url": local_url}
    result.update({
        "site_url": config.base_url,
        "display_url": config.base_url,
        # The media library's own folder; a photo an entry shows is uploaded from its
        # form and saved beside it (each collection's media_folder).
        "media_folder": content_path,
        "public_folder": "",
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
    })
    if len(languages) > 1:
        result["i18n"] = {"structure": "multiple_files", "locales": list(languages),
                          "default_locale": default}
    collections: list[dict[str, Any]] = [
        {"name": "site", "label": "Pengaturan situs / Site settings",
         "editor": {"preview": False},
         "files": [{"name": "site", "label": "site.yaml", "file": f"{content_path}/site.yaml",
                    "fields": [made.field(spec) for spec in fields.SITE.fields]}]},
        made.folder("pages", "Halaman / Pages", f"{content_path}/pages", fields.PAGE,
                    "title", "{{slug}}"),
        made.folder("booths", "Stan / Booths", f"{content_path}/booths", fields.BOOTH,
                    "name", "{{slug}}/index"),
    ]
    for booth in site.booths:
        collections.append(made.folder(
            f"products-{booth.slug}",
            f"Produk / Products: {booth.name.get(default)}",
            f"{content_path}/booths/{booth.slug}", fields.PRODUCT, "name", "{{slug}}/index"))
    result["collections"] = collections
    return result


class _Maker:
    """Registry fields to Decap fields, for one site (its languages, categories and
    marketplaces decide some widgets' choices)."""

    def __init__(self, site: Site):
        config = site.config
        self.languages = config.languages
        self.default = config.default_language
        self.categories = [(c.key, c.name.get(self.default)) for c in config.categories]
        self.marketplaces = [key for key, _ in config.marketplace_names]
        self.i18n = len(self.languages) > 1

    def folder(self, name: str, label: str, folder: str, record: Record, title: str,
               path: str) -> dict[str, Any]:
        """A folder collection of entries written as front matter and a Markdown body."""
        # No `i18n` on a field means "none" (Decap's normalisation); writing "none" out
        # fails Decap's own schema for object widgets, which take a boolean only.
        top = [self.field(spec, record=record.name) for spec in record.fields]
        body = {"name": "body", "label": "Teks / Text", "widget": "markdown", "required": False,
                "hint": _hint(fields.Words("Teks halaman; terjemahannya di tab bahasa lain",
                                           "The page's text; its translation in the other "
                                           "language's tab"))}
        if self.i18n:
            body["i18n"] = True
        made: dict[str, Any] = {
            "name": name, "label": label, "folder": folder, "path": path,
            "create": True, "extension": "md", "format": "frontmatter",
            # The default language's name of the entry: its slug, and the list's title
            # (Decap reads a dotted identifier into the object of both languages).
            "identifier_field": f"{title}.{self.default}",
            "slug": f"{{{{fields.{title}.{self.default}}}}}",
            "summary": f"{{{{fields.{title}.{self.default}}}}}",
            "media_folder": "", "public_folder": "",
            "fields": [*top, body],
        }
        if path == "{{slug}}":
            del made["path"]
        if self.i18n:
            made["i18n"] = True
        return made

    def field(self, spec: Field, within: bool = True, record: str = "") -> dict[str, Any]:
        """One registry field as a Decap field; a localised one as one value per language.

        A field is required in the form only when every mapping around it is (`within`):
        an optional price may be left out whole, though a range has both ends."""
        required = spec.required and within
        if spec.localised:
            inner = self.plain(spec, required=False)
            parts = []
            for lang in self.languages:
                part = dict(inner, name=lang, label=lang,
                            required=required and lang == self.default)
                part.pop("hint", None)
                parts.append(part)
            return {"name": spec.name, "label": spec.name, "widget": "object",
                    "required": required, "collapsed": False, "hint": _hint(spec.doc),
                    "fields": parts}
        return self.plain(spec, required, record)

    def plain(self, spec: Field, required: bool, record: str = "") -> dict[str, Any]:
        """The widget of one value of the field (one language's, if localised)."""
        widget = spec.widget
        made: dict[str, Any] = {"name": spec.name, "label": spec.name, "widget": widget.kind,
                                "required": required, "hint": _hint(spec.doc)}
        if spec.name == "code" and record == "product":
            # Filled by `showcase codes` (or serve --admin) as `new` would; kept as written.
            made["widget"] = "hidden"
            made["required"] = False
            return made
        if spec.check is fields.price:
            # A number or a range: the range form holds both (the same number twice is
            # one price), and a price the file gives as one number shows in both.
            made.update(widget="object", collapsed=False,
                        fields=[self.field(sub, False) for sub in spec.record.fields])
            return made
        kind = widget.kind
        if kind == "number":
            made["value_type"] = "int"
            if widget.minimum is not None:
                made["min"] = widget.minimum
            if widget.maximum is not None:
                made["max"] = widget.maximum
        elif kind == "select":
            options = widget.options
            made["options"] = ([{"label": f"{label} ({key})", "value": key}
                                for key, label in self.categories]
                               if not options else list(options))
            if widget.multiple:
                made["multiple"] = True
            if spec.default is not None and not widget.multiple:
                made["default"] = yaml.safe_load(spec.default)
        elif kind == "boolean":
            made["default"] = bool(spec.default and yaml.safe_load(spec.default))
        elif kind == "image":
            made["choose_url"] = False
        elif kind == "datetime":
            made.update(format="YYYY-MM-DD", date_format="YYYY-MM-DD", time_format=False,
                        picker_utc=True)
        elif kind == "list":
            if spec.record is not None:
                made["fields"] = [self.field(sub, required) for sub in spec.record.fields]
                made["summary"] = "{{fields.%s}}" % spec.record.fields[0].name
            elif widget.item != "string":
                made["field"] = {"name": "item", "label": spec.name, "widget": widget.item,
                                 **({"value_type": "int"} if widget.item == "number" else {})}
        elif kind == "object":
            made["collapsed"] = True
            made["fields"] = self.object_fields(spec)
        return made

    def object_fields(self, spec: Field) -> list[dict[str, Any]]:
        """The keys of a mapping: a record's fields, a keyed record's existing keys, the
        site's marketplaces, or the keys the widget names."""
        widget = spec.widget
        record = spec.record
        if record is not None and spec.collection == "mapping":
            # Keys are the organiser's (categories, marketplaces): the editor edits the
            # ones site.yaml has; a new one is added in site.yaml itself.
            keys = ([key for key, _ in self.categories] if spec.name == "categories" else
                    [key for key in self.marketplaces if key not in BUILTIN_MARKETPLACES])
            return [{"name": key, "label": key, "widget": "object", "required": False,
                     "collapsed": True,
                     "fields": [self.field(sub, False) for sub in record.fields]}
                    for key in keys]
        if record is not None:
            return [self.field(sub, spec.required) for sub in record.fields]
        if widget.options:
            return [self.value(key, widget, spec) for key in widget.options]
        # A marketplace -> https address mapping (a booth's shops, a product's listings).
        return [{"name": key, "label": key, "widget": "string", "required": False,
                 "pattern": ["^https://", "https://..."]} for key in self.marketplaces]

    @staticmethod
    def value(key: str, widget: fields.Widget, spec: Field) -> dict[str, Any]:
        made: dict[str, Any] = {"name": key, "label": key, "widget": widget.item,
                                "required": False}
        if widget.item == "number":
            made["value_type"] = "int"
            if widget.minimum is not None:
                made["min"] = widget.minimum
            if widget.maximum is not None:
                made["max"] = widget.maximum
        return made


def _hint(words: fields.Words) -> str:
    """Decap shows one hint and has no Indonesian interface: both languages, id first."""
    return f"{words.id} / {words.en}"
