"""`showcase serve`: the site as it is being edited, reloaded in every open browser.

Builds go through the same `Builder` as `showcase build`, into the same output folder,
so what is previewed is what is published. livereload (kept inside this module) watches
the content and theme folders, calls `rebuild` and then tells the browsers to reload;
its script is injected into pages as they are served, never written into `output/`.
With `--admin` it also answers the browser editor (`/admin/`) and its local backend
(`cmsbackend.py`); see `AdminRoutes`.
When the content has a problem, every page shows the list of problems (file, line,
field) instead, like a compiler's error overlay, until a save fixes it; the last good
site stays in `output/` meanwhile.
"""

from __future__ import annotations

import html
import json
import logging
import mimetypes
import socket
import sys
import time
from dataclasses import dataclass, field
from typing import Any
from pathlib import Path
from urllib.parse import unquote, urlparse

from showcase.publish import stamp
from showcase.commands import cmsbackend
from showcase import files
from showcase.load import loader
from showcase.render import admin
from showcase.builder import Builder, BuildOptions
from showcase.builder import BuildResult
from showcase.load.siteinfo import read_site_facts
from showcase import messages
from showcase.messages import _, ngettext

SETTLE_SECONDS = 0.05  # a burst of saves (an editor writing several files) ends when quiet this long
POLL_SECONDS = 0.05  # the watcher looks this often, or less often on a site where looking costs more
# The types of what a build publishes, fixed: `mimetypes` takes them from the system (on
# Windows from the registry, where .js is often text/plain), so a preview would differ.
TYPES = {".html": "text/html", ".css": "text/css", ".js": "text/javascript",
         ".json": "application/json", ".webmanifest": "application/manifest+json",
         ".xml": "application/xml", ".txt": "text/plain", ".svg": "image/svg+xml",
         ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".webp": "image/webp",
         ".avif": "image/avif", ".ico": "image/vnd.microsoft.icon", ".woff2": "font/woff2",
         ".pdf": "application/pdf"}


@dataclass
class Preview:
    """The state the server answers from: the options and the last build's result."""

    options: BuildOptions
    base_path: str = "/"  # base_url's path: the site is served under it, as published
    last: BuildResult | None = None
    # The page that shows the last build's problems, made where the build is reported:
    # the server may answer from a thread that never chose the organiser's language.
    problems_page: bytes = b""
    seen: str = ""  # the inputs' fingerprint the last build started from
    builds: int = 0
    log: list[str] = field(default_factory=list)
    admin: "AdminRoutes | None" = None  # with --admin: the editor and its backend
    poll: Any = None  # the watcher's check, set when it starts: a save runs it at once

    def watched(self) -> list[Path]:
        opts = self.options
        return [opts.content, opts.content.parent / "themes", opts.themes_dir]

    def fingerprint(self) -> str:
        return stamp.inputs(self.watched(), {})

    def rebuild(self, seen: str | None = None) -> BuildResult:
        """Wait for saves to settle, then build; report in the terminal like `build`.
        `seen` is the fingerprint the watcher has just computed, if it has."""
        previous, current = None, seen or self.fingerprint()
        while previous != current:
            time.sleep(SETTLE_SECONDS)
            previous, current = current, self.fingerprint()
        self.seen = current
        self.last = Builder(self.options).build()
        self.builds += 1
        self.problems_page = b"" if self.last.ok else error_page(self.last).encode("utf-8")
        for problem in self.last.errors + self.last.warnings:
            print(messages.problem_line(problem), file=sys.stderr)
        print(self.last.summary(), file=sys.stderr if not self.last.ok else sys.stdout, flush=True)
        return self.last

    # -- the WSGI application ------------------------------------------------------------

    def __call__(self, environ, start_response):
        path = unquote(environ.get("PATH_INFO") or "/")
        if not path.startswith(self.base_path):
            start_response("302 Found", [("Location", self.base_path)])
            return [b""]
        if self.admin is not None:  # before the error page: the editor can fix the error
            answered = self.admin.route(path[len(self.base_path):], environ, start_response)
            if answered is not None:
                return answered
        if self.last is not None and not self.last.ok:
            return self._respond(start_response, "200 OK", "text/html; charset=utf-8",
                                 self.problems_page)
        output = self.options.output.resolve()
        file = (output / path[len(self.base_path):]).resolve()
        if file.is_dir():
            if not path.endswith("/"):
                start_response("301 Moved Permanently", [("Location", path + "/")])
                return [b""]
            file = file / "index.html"
        if not file.is_relative_to(output) or not file.is_file():
            missing = nearest_404(output, path[len(self.base_path):])
            body = missing.read_bytes() if missing is not None else b"<h1>404</h1>"
            return self._respond(start_response, "404 Not Found", "text/html; charset=utf-8", body)
        kind = (TYPES.get(file.suffix.lower()) or mimetypes.guess_type(file.name)[0]
                or "application/octet-stream")
        if kind.startswith("text/") or kind in ("image/svg+xml", "application/xml"):
            kind += "; charset=utf-8"
        return self._respond(start_response, "200 OK", kind, file.read_bytes())

    @staticmethod
    def _respond(start_response, status: str, kind: str, body: bytes):
        start_response(status, [("Content-Type", kind), ("Cache-Control", "no-store")])
        return [body]


def nearest_404(output: Path, path: str) -> Path | None:
    """The 404 page of a missing path's language: the nearest 404.html above it (an
    English page's is en/404.html), as hosts that look for one do; else the root's."""
    parts = [part for part in path.split("/") if part]
    for depth in range(len(parts) - 1, -1, -1):
        candidate = output.joinpath(*parts[:depth], "404.html").resolve()
        if candidate.is_relative_to(output) and candidate.is_file():
            return candidate
    return None


@dataclass
class AdminRoutes:
    """What `serve --admin` adds: the browser editor's page and configuration, the
    configuration pointed at this server (`local_backend`: only in what is served, never
    in `output/`), and the one URL of its backend (`cmsbackend.py`)."""

    preview: Preview
    backend: cmsbackend.LocalBackend
    hosts: frozenset[str]  # the Host headers this server answers the editor on
    default_host: str

    def route(self, rel: str, environ, start_response):
        if rel == cmsbackend.API_PATH:
            status, value = self.backend.answer(cmsbackend.Request.from_environ(environ),
                                                self.hosts)
            body = json.dumps(value, ensure_ascii=False)
            start_response(f"{status} {STATUS[status]}", [
                ("Content-Type", "application/json; charset=utf-8"),
                ("Cache-Control", "no-store"), ("X-Content-Type-Options", "nosniff")])
            return [body.encode("utf-8")]
        if rel in ("admin", "admin/", "admin/index.html", "admin/config.yml"):
            host = environ.get("HTTP_HOST")
            made = self.files(host if host in self.hosts else self.default_host)
            if made is None:
                return Preview._respond(start_response, "404 Not Found",
                                        "text/html; charset=utf-8", NO_ADMIN.encode("utf-8"))
            if rel == "admin/config.yml":
                return Preview._respond(start_response, "200 OK", "text/yaml; charset=utf-8",
                                        made[f"{admin.FOLDER}/config.yml"])
            # The end tag of <head> is optional in HTML; without it livereload finds
            # nowhere to inject its script, so a save never reloads the editor (which
            # would lose what is being typed there).
            page = made[f"{admin.FOLDER}/index.html"].replace(b"</head>", b"")
            return Preview._respond(start_response, "200 OK", "text/html; charset=utf-8", page)
        return None

    def files(self, host: str) -> dict[str, bytes] | None:
        """The editor's page and configuration, pointed at this server: the last good
        build's (a build with problems keeps them, so the editor can fix the problem),
        or, when site.yaml has no `admin:`, made for this server alone."""
        url = f"http://{host}{self.preview.base_path}{cmsbackend.API_PATH}"
        name = host.rsplit(":", 1)[0]
        # The CMS uses a local backend only on localhost and 127.0.0.1 unless told more.
        trusted = [] if name in ("127.0.0.1", "localhost") else [name]
        built = self.preview.options.output / admin.FOLDER
        if (built / "config.yml").is_file() and (built / "index.html").is_file():
            # One more top-level key of the block mapping the build wrote, added as text:
            # parsing and writing the whole configuration again took most of a second.
            config = (built / "config.yml").read_bytes().rstrip(b"\n")
            config += f"\nlocal_backend:\n  url: {json.dumps(url)}\n".encode("utf-8")
            if trusted:
                config += f"  allowed_hosts: {json.dumps(trusted)}\n".encode("utf-8")
            return {f"{admin.FOLDER}/index.html": (built / "index.html").read_bytes(),
                    f"{admin.FOLDER}/config.yml": config}
        site, _problems = loader.load(self.preview.options.content, loader.LoadOptions(
            drafts=True, base_url=self.preview.options.base_url))
        if site is None:
            return None
        made = admin.admin_config(site, local_url=url, content_path=self.backend.prefix)
        if trusted:
            made["local_backend"]["allowed_hosts"] = trusted
        return {f"{admin.FOLDER}/index.html": admin.admin_page(site),
                f"{admin.FOLDER}/config.yml": admin.config_yaml(made)}


STATUS = {200: "OK", 400: "Bad Request", 403: "Forbidden", 404: "Not Found",
          405: "Method Not Allowed", 415: "Unsupported Media Type",
          422: "Unprocessable Entity", 500: "Internal Server Error"}
NO_ADMIN = ("<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>Editor</title>"
            "<h1>Editor</h1><p>Konten belum bisa dibaca, jadi editor belum bisa dibuat: "
            "perbaiki masalah yang ditampilkan halaman lain (atau showcase check), lalu "
            "muat ulang halaman ini.</p><p>The content cannot be read yet, so the editor "
            "cannot be made: fix the problems the other pages show (or showcase check), "
            "then reload this page.</p>")


def error_page(result: BuildResult) -> str:
    """Every problem of the last build, grouped by file, readable on a phone."""
    by_file: dict[str, list] = {}
    for problem in result.errors:
        by_file.setdefault(problem.path, []).append(problem)
    sections = []
    whole_file = _("(file)")  # a problem about the file itself rather than one field
    for path, problems in by_file.items():
        items = "".join(
            f"<li><code>{html.escape(path)}:{p.line or 1}</code> "
            f"<b>{html.escape(p.field or whole_file)}</b>: "
            f"{html.escape(messages.problem(p).message)}</li>"
            for p in problems)
        sections.append(f"<h2>{html.escape(path)}</h2><ul>{items}</ul>")
    count = len(result.errors)
    heading = ngettext("{count} problem in the content", "{count} problems in the content",
                       count).format(count=count)
    return (
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        f"<title>{html.escape(heading)} · showcase</title>"
        "<style>body{font:1rem/1.5 system-ui,sans-serif;margin:1rem;color:#2b2118;"
        "background:#fff4f2}h1{color:#8a1c0c}code{background:#fff;padding:0 .2em}"
        "li{margin:.5rem 0}</style></head><body><main>"
        f"<h1>{html.escape(heading)}</h1>"
        "<p>Ada masalah di konten; perbaiki dan simpan, halaman ini akan dimuat ulang. "
        "Fix and save the file: this page reloads by itself.</p>"
        + "".join(sections) + "</main></body></html>")


def serve(options: BuildOptions, base_path: str, host: str = "127.0.0.1",
          port: int = 8000, admin: bool = False) -> None:
    """Build, serve and rebuild on every change until interrupted."""
    from livereload import Server  # imported here: only `serve` needs tornado
    from livereload.handlers import LiveReloadHandler

    # livereload drops a reload that comes within 3 s of the previous one; our rebuild
    # already waits for saves to settle, so every finished rebuild must reach the browser.
    LiveReloadHandler.DEFAULT_RELOAD_TIME = 0
    preview = Preview(options, base_path)
    if admin:
        preview.admin = admin_routes(preview, host, port)
    preview.rebuild()
    server = _html_only(Server)(preview, watcher=_watcher(preview))
    # livereload logs every request and its own chatter at INFO into the terminal, where
    # the organiser reads rebuilds and problems; keep only what went wrong.
    logging.getLogger("tornado.access").addFilter(lambda record: False)
    logging.getLogger("livereload").addFilter(lambda record: record.levelno >= logging.WARNING)
    for line in announce(host, port, base_path, admin=admin):
        print(line, flush=True)
    server.serve(port=port, host=host, debug=False, restart_delay=0)


def _html_only(server_class):
    """livereload's server, its script put into HTML pages only. livereload's own puts it
    before any "</head>" in any answer: a JavaScript file holding that string (the CMS's
    does) was changed, and the browser then refused it for its integrity hash."""
    from livereload.server import LiveScriptContainer
    from tornado import web

    class HtmlOnly(LiveScriptContainer):
        def __init__(self, wsgi_app, script):
            def typed(environ, start_response):
                def start(status, headers, exc_info=None):
                    kind = next((v for k, v in headers if k.lower() == "content-type"), "")
                    self.script = script if kind.startswith("text/html") else b""
                    return start_response(status, headers, exc_info)
                return wsgi_app(environ, start)
            super().__init__(typed, script)

    class Server(server_class):
        def get_web_handlers(self, script):
            return [(r".*", web.FallbackHandler, {"fallback": HtmlOnly(self.app, script)})]

    return Server


def admin_routes(preview: Preview, host: str, port: int) -> AdminRoutes:
    def saved() -> None:
        """A save is a change the watcher would find within its next look; look now."""
        if preview.poll is not None:
            from tornado.ioloop import IOLoop
            IOLoop.current().add_callback(preview.poll)

    content = preview.options.content
    # The configuration's folders are named from the repository's root (render/admin.py),
    # or from the folder holding content/ when no repository holds it.
    backend = cmsbackend.LocalBackend(
        content, root=files.repository_root(content) or content.resolve().parent, saved=saved)
    return AdminRoutes(preview, backend, cmsbackend.own_hosts(host, port),
                       f"{'[' + host + ']' if ':' in host else host}:{port}")


def loopback(host: str) -> bool:
    """Whether `host` is this computer only: the editor writes files, so it never
    listens where another computer could reach it."""
    import ipaddress
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


# Hosts that mean "every interface": no browser can open them as an address.
EVERY_INTERFACE = ("0.0.0.0", "::", "")


def announce(host: str, port: int, base_path: str, find_lan=None,
             admin: bool = False) -> list[str]:
    """Where to open the preview (and, with `admin`, the editor, which is what the
    organiser came for). Bound to every interface, that is this computer's address on
    the hall's network, which a phone on the same Wi-Fi can open."""
    if host not in EVERY_INTERFACE:
        url = f"http://{host}:{port}{base_path}"
        lines = [_("serving {url} (Ctrl+C stops)").format(url=url)]
        if admin:
            lines.append(_("the editor: {url}admin/ (saves into content/)").format(url=url))
        return lines
    lines = [_("serving {url} on this computer (Ctrl+C stops)").format(
        url=f"http://127.0.0.1:{port}{base_path}")]
    lan = (find_lan or lan_address)()
    lines.append(_("on a phone on the same network: {url}").format(
        url=f"http://{lan}:{port}{base_path}") if lan else
        _("no network address found: join this computer to the phones' Wi-Fi"))
    return lines


def lan_address() -> str | None:
    """This computer's address on its network. Connecting a UDP socket sends nothing: it
    only asks the system which address its route out would use."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("10.255.255.255", 1))
            address = probe.getsockname()[0]
    except OSError:
        return None
    return None if address.startswith("127.") or address == "0.0.0.0" else address


def _watcher(preview: Preview):
    """A livereload watcher that looks for changes the way the build stamp does.

    livereload's own polls every 0.8 s and compares mtimes only; this one compares the
    stamp's fingerprint (size, mtime and ctime of every input), polling as often as
    its cost allows (every 0.05 s on a small site, spending at most a fifth of the time
    looking), so a save reaches the browser in well under a second.
    """
    from livereload.watcher import Watcher
    from tornado.ioloop import PeriodicCallback

    class FingerprintWatcher(Watcher):
        def start(self, callback) -> bool:
            preview.poll = callback
            started = time.perf_counter()
            preview.fingerprint()
            interval = max(POLL_SECONDS, 4 * (time.perf_counter() - started))
            PeriodicCallback(callback, interval * 1000).start()
            return True  # livereload need not poll as well

        def examine(self):
            if self._changes:  # livereload's own "server started" note
                return self._changes.pop()
            current = preview.fingerprint()
            if current == preview.seen:
                return None, None
            preview.rebuild(current)
            self.filepath = str(preview.options.content)
            return self.filepath, None

    return FingerprintWatcher()


def base_path_for(content: Path, override: str | None) -> str:
    """The path the site is published under, read before any build (which may fail)."""
    base_url = override if override is not None else read_site_facts(content).base_url
    path = urlparse(base_url or "/").path or "/"
    return path if path.endswith("/") else path + "/"
