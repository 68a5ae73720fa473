"""Headless Chromium and a local web server for the browser tests (fixtures: conftest.py).

Chromium comes from Debian's `chromium` package (`.ci/run` installs it). Without it the
browser tests skip on a developer's machine but fail under CI=true, so CI cannot pass by
silently testing nothing.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]

BASE_PATH = "/pun-2019/"  # the path of the sample's base_url; every site is served under it


def chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser"):
        if path := shutil.which(name):
            return path
    return None


class Handler(http.server.SimpleHTTPRequestHandler):
    """Serves the output under base_url's path, as a static host would."""

    def translate_path(self, path):
        inside = path.startswith(BASE_PATH)
        return super().translate_path("/" + path[len(BASE_PATH):] if inside else "/-missing-")

    def send_head(self):
        # http.server answers If-Modified-Since to the whole second, so a file rebuilt
        # within the second it was first served looked unchanged (304) and a browser
        # kept the old one; real hosts validate exactly (ETags). Always send the file.
        del self.headers["If-Modified-Since"]
        return super().send_head()

    def log_message(self, *args):
        pass


@contextmanager
def serve(output: Path) -> Iterator[str]:
    """Serves a built site's output folder on 127.0.0.1 (a free port) while in the block;
    yields the site's URL, ending in BASE_PATH. A rebuild in place is served at once."""
    handler = functools.partial(Handler, directory=str(output))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}{BASE_PATH}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def record_errors(page) -> list[str]:
    """The list a Playwright page's script errors and console errors go to as they happen."""
    errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    return errors
