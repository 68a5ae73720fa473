"""``python -m bench eleventy [--node-dir PATH]``: eleventy-img (sharp) on the same phone photos.

eleventy-img is Eleventy's image plugin; Eleventy itself only renders templates, so the
benchmark runs the plugin alone, as a build calls it: a Node script (written into the
run folder) calls ``Image(photo, {widths: [480, 960, 1600], formats: ["webp", "jpeg"]})``
for every photo at once and waits for all, with ``Image.concurrency = --workers`` (its
queue of photos in progress; each photo's six outputs are encoded in parallel on libuv's
thread pool, as in any Eleventy build). Encoder settings are sharp's defaults (WebP and
JPEG quality 80); outputs are named ``0000-480.webp`` and so on.

Node and npm must be on PATH. ``@11ty/eleventy-img`` (major MAJOR: 7 needs Node 22) is
installed with npm into ``--node-dir`` (default ``.cache/bench/node``, git-ignored) when
it is not there; sharp brings its libvips binary as an npm package.

Cold: the output folder removed. Warm: the same script again in a new Node process (what
a rebuild is): eleventy-img's disk cache finds each output file and skips encoding, but
still reads and hashes every photo and reads its metadata.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
from pathlib import Path

from . import compare
from . import generate as gen
from .harness import log

NAME = "eleventy-img"
VARIANTS = "WebP + JPEG at 480/960/1600"
HELP = "eleventy-img (sharp) on the same phone photos: cold, warm, CPU, peak RSS, upright (npm-installs it)"
MAJOR = 6
PACKAGE = "@11ty/eleventy-img"

SCRIPT = """\
// Written by bench/eleventy.py: eleventy-img on every photo listed, as a build calls it.
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import path from "node:path";

const [nodeDir, listFile, outputDir, concurrency] = process.argv.slice(2);
const require = createRequire(path.resolve(nodeDir, "package.json"));
const Image = require("@11ty/eleventy-img");
Image.concurrency = Number(concurrency);
const photos = readFileSync(listFile, "utf8").split("\\n").filter(Boolean);
const results = await Promise.all(photos.map((src) => Image(src, {
  widths: WIDTHS,
  formats: ["webp", "jpeg"],
  outputDir,
  filenameFormat: (id, src, width, format) => `${path.parse(src).name}-${width}.${format}`,
})));
const count = results.reduce((n, r) => n + Object.values(r).reduce((m, list) => m + list.length, 0), 0);
console.log(`${photos.length} photos, ${count} outputs`);
"""

VERSIONS = ("const s = require('sharp'); console.log(JSON.stringify({sharp: s.versions.sharp, "
            "vips: s.versions.vips, concurrency: s.concurrency(), "
            "img: require('@11ty/eleventy-img/package.json').version}))")


def add_tool_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--node-dir", type=Path, default=gen.BENCH_CACHE / "node",
                        help=f"where {PACKAGE} is (installed with npm if missing); "
                             "default .cache/bench/node")


def setup(args: argparse.Namespace) -> str:
    """The versions of eleventy-img, sharp and libvips; npm-installs eleventy-img if missing."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        raise compare.Skip("node and npm are needed on PATH")
    node_dir = args.node_dir.resolve()
    if not (node_dir / "node_modules" / PACKAGE / "package.json").is_file():
        node_dir.mkdir(parents=True, exist_ok=True)
        log(f"installing {PACKAGE}@{MAJOR} into {node_dir}")
        done = subprocess.run([npm, "install", "--prefix", str(node_dir), "--no-audit", "--no-fund",
                               f"{PACKAGE}@{MAJOR}"], check=False, capture_output=True, text=True)
        if done.returncode != 0:
            raise compare.Skip(f"npm install {PACKAGE}@{MAJOR} failed (exit {done.returncode}): "
                               + (done.stderr.strip() or done.stdout.strip())[-500:])
    done = subprocess.run([node, "-e", VERSIONS], cwd=node_dir, check=False, capture_output=True, text=True)
    if done.returncode != 0:
        raise compare.Skip(f"sharp does not load in {node_dir}: {done.stderr.strip()[-500:]}")
    v = json.loads(done.stdout)
    args.node_dir, args.node = node_dir, node
    node_version = compare.output([node, "--version"])
    return (f"eleventy-img {v['img']}, sharp {v['sharp']}, libvips {v['vips']} "
            f"(sharp.concurrency {v['concurrency']}), Node {node_version}")


def job(work: Path, photos: compare.Photos, args: argparse.Namespace) -> compare.Job:
    placed = photos.place(work / "photos")
    listing = work / "photos.txt"
    listing.write_text("".join(f"{p}\n" for p in placed), "utf-8")
    script = work / "eleventy-img.mjs"
    script.write_text(SCRIPT.replace("WIDTHS", json.dumps(list(compare.WIDTHS))), "utf-8")
    out = work / "img"
    return compare.Job(
        command=[args.node, str(script), str(args.node_dir), str(listing), str(out), str(args.workers)],
        outputs=out, clean=(out,),
        notes=[(f"Image.concurrency = {args.workers}; libuv's default 4 threads; sharp's default "
               "encoder settings (quality 80); cold = output folder removed; warm = a new Node process")])


add_arguments, run = compare.tool_subcommand("eleventy")
