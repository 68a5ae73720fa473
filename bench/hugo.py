"""``python -m bench hugo [--hugo PATH]``: Hugo's image processing on the same phone photos.

Hugo (a Go static-site generator) is not a dependency. Without ``--hugo`` the ``hugo``
on PATH is used; if there is none and this runs as root, ``apt-get install -y hugo``
installs Debian's (0.111.3 extended on bookworm: WebP encoding included).

The site: one page bundle per photo (``content/photos/0000/index.md`` beside
``0000.jpg``), so Hugo renders the pages, and processes their images, concurrently; the
page template resizes the photo to 480, 960 and 1600 px wide, each as WebP and as JPEG
(quality 80, Lanczos; Hugo's default filter is Box) and links each, so all six are
published (the originals are not: ``_build: {publishResources: false}``). Cold: ``public/``, ``resources/`` (Hugo's image cache) and the cache folder
removed; warm: the same command again. Hugo uses every core (GOMAXPROCS is set to
``--workers``). Hugo 0.111 ignores EXIF orientation (``images.AutoOrient`` came in 0.121):
portrait phone photos come out lying on their side, which the upright column shows.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
from pathlib import Path

from . import compare
from .harness import log

NAME = "hugo"
VARIANTS = "WebP + JPEG at 480/960/1600"
HELP = "Hugo on the same phone photos: cold, warm, CPU, memory, upright (installs Debian's hugo if missing)"

CONFIG = """\
baseURL = "https://bench.example.org/"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]
[imaging]
  resampleFilter = "Lanczos"
  quality = {quality}
"""
# Every photo of the page, at every width, in both formats, linked so it is published.
SINGLE = """\
{{{{ range .Resources.ByType "image" }}}}{{{{ $photo := . }}}}
{{{{ range slice {widths} }}}}{{{{ $width := . }}}}
{{{{ range slice "webp" "jpg" }}}}<img src="{{{{ ($photo.Resize (printf "%dx %s q{quality}" $width .)).RelPermalink }}}}">
{{{{ end }}}}{{{{ end }}}}{{{{ end }}}}
"""
LIST = "{{ range .Pages }}<a href=\"{{ .RelPermalink }}\">{{ .Title }}</a>\n{{ end }}\n"


def add_tool_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--hugo", default="hugo",
                        help="the hugo command (default: hugo on PATH, installed with apt-get if missing)")


def setup(args: argparse.Namespace) -> str:
    """Hugo's version line; installs Debian's hugo if the default command is missing."""
    found = shutil.which(args.hugo)
    if found is None and args.hugo == "hugo" and os.geteuid() == 0 and shutil.which("apt-get"):
        log("hugo is missing: apt-get install -y hugo")
        install = ["apt-get", "install", "-y", "-q", "hugo"]
        if subprocess.run(install, check=False, capture_output=True).returncode != 0:
            subprocess.run(["apt-get", "update", "-q"], check=False, capture_output=True)
            subprocess.run(install, check=False, capture_output=True)
        found = shutil.which("hugo")
    if found is None:
        raise compare.Skip(f"{args.hugo} not found (Debian: apt-get install hugo)")
    args.hugo = found
    version = compare.output([found, "version"])
    if not version:
        raise compare.Skip(f"{found} version failed")
    # "hugo v0.111.3+extended linux/amd64 BuildDate=... VendorInfo=debian:0.111.3-1"
    return " ".join(version.split()[:2])


def job(work: Path, photos: compare.Photos, args: argparse.Namespace) -> compare.Job:
    site = work / "site"
    photos.place(site / "content" / "photos", lambda i: f"{i:04d}/{i:04d}.jpg")
    for i in range(len(photos.files)):
        (site / "content" / "photos" / f"{i:04d}" / "index.md").write_text(
            f"---\ntitle: photo {i:04d}\n_build:\n  publishResources: false\n---\n", "utf-8")
    (site / "config.toml").write_text(CONFIG.format(quality=compare.QUALITY), "utf-8")
    layouts = site / "layouts" / "_default"
    layouts.mkdir(parents=True)
    (layouts / "single.html").write_text(
        SINGLE.format(widths=" ".join(map(str, compare.WIDTHS)), quality=compare.QUALITY), "utf-8")
    (layouts / "list.html").write_text(LIST, "utf-8")
    public, cache = work / "public", work / "cache"
    return compare.Job(
        command=[args.hugo, "--source", str(site), "--destination", str(public),
                 "--cacheDir", str(cache), "--quiet"],
        outputs=public, clean=(public, site / "resources", cache),
        env={**os.environ, "GOMAXPROCS": str(args.workers)},
        notes=[("one page bundle per photo; Lanczos, q80; cold = public/, resources/ and "
               f"--cacheDir removed; GOMAXPROCS={args.workers}")])


add_arguments, run = compare.tool_subcommand("hugo")
