"""Lighthouse (mobile) on the sample site: home, products and a product page.

Not a test: Lighthouse's performance score depends on the machine's load. It builds
content/ into a temp folder, serves it on 127.0.0.1 (its links are relative, so it works
at the host's root; canonical links keep naming the https address the site is published
at, as they must), and runs Lighthouse's default mobile profile (a mid-range phone,
simulated slow 4G) with Debian's chromium.

Lighthouse is an npm package; 12.2.3 is the newest that runs on Node 20:

    npm i -E lighthouse@12.2.3 --prefix ~/.cache/lighthouse
    .venv/bin/python -m bench lighthouse --lighthouse ~/.cache/lighthouse/node_modules/.bin/lighthouse
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from .generate import REPO
from .harness import CHROMIUM, CHROMIUM_ARGS, build, serve

HELP = "Lighthouse mobile scores of the sample's home, products and a product page"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
CHROME_FLAGS = " ".join(CHROMIUM_ARGS)


def add_arguments(parser) -> None:
    parser.add_argument("--lighthouse", default=shutil.which("lighthouse") or "lighthouse",
                        help="the lighthouse command (default: on PATH)")
    parser.add_argument("--chrome", default=shutil.which("chromium") or CHROMIUM)
    parser.add_argument("--runs", type=int, default=1, help="runs per page; the median is kept")
    parser.add_argument("--results", type=Path, default=REPO / "bench" / "results-lighthouse.md")


def run(args) -> int:
    with tempfile.TemporaryDirectory() as temp:
        temp = Path(temp)
        output = temp / "output"
        shutil.copytree(REPO / "content", temp / "content")
        try:
            build(temp / "content", output, temp / "cache")
        except RuntimeError as failed:
            print("the sample does not build:", failed)
            return 1
        product = next(output.glob("booths/*/*/index.html")).parent.relative_to(output).as_posix()
        pages = {"home": "", "products": "products/", "product": product + "/"}
        with serve(output) as base:
            scores = {name: median_scores(args, base + url, temp, args.runs)
                      for name, url in pages.items()}
    lines = ["| page | " + " | ".join(CATEGORIES) + " |",
             "| --- |" + " ---: |" * len(CATEGORIES)]
    lines += [f"| {name} | " + " | ".join(str(s[c]) for c in CATEGORIES) + " |"
              for name, s in scores.items()]
    table = "\n".join(lines)
    print(table)
    versions = ", ".join(subprocess.run([command, "--version"], capture_output=True, text=True)
                         .stdout.strip() for command in (args.lighthouse, args.chrome))
    args.results.write_text("# Lighthouse (mobile), the sample site\n\n"
                            f"`python -m bench lighthouse`; see bench/lighthouse.py. Lighthouse "
                            f"{versions}, {os.cpu_count()} cores; median of {args.runs} run(s).\n\n"
                            + table + "\n", "utf-8")
    return 0


def median_scores(args, url: str, temp: Path, runs: int) -> dict[str, int]:
    results = [lighthouse(args, url, temp / f"report-{n}.json") for n in range(runs)]
    return {c: sorted(r[c] for r in results)[len(results) // 2] for c in CATEGORIES}


def lighthouse(args, url: str, report: Path) -> dict[str, int]:
    command = [args.lighthouse, url, "--quiet", "--output=json", f"--output-path={report}",
               "--only-categories=" + ",".join(CATEGORIES), f"--chrome-flags={CHROME_FLAGS}"]
    subprocess.run(command, check=True, env={**os.environ, "CHROME_PATH": args.chrome})
    data = json.loads(report.read_text("utf-8"))
    failed = [a["id"] for a in data["audits"].values()
              if a.get("score") is not None and a["score"] < 1 and a["scoreDisplayMode"] == "binary"]
    if failed:
        print(f"{url}: audits not passed: {', '.join(sorted(failed))}")
    return {c: round(data["categories"][c]["score"] * 100) for c in CATEGORIES}
