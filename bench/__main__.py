"""``python -m bench <benchmark> [options]``.

Each benchmark is a module with ``HELP`` (one line), ``add_arguments(parser)`` and
``run(args) -> exit status``. To add one (e.g. ``rebuild`` for text-edit rebuilds), write
``bench/rebuild.py`` with those three and add a line to BENCHMARKS. Every module is imported to
build ``--help``, so keep their top-level imports light (import showcase, playwright etc.
inside functions).
"""

from __future__ import annotations

import argparse
import importlib
import sys

# subcommand -> module (relative to this package)
BENCHMARKS = {
    "images": ".harness",
    "sigal": ".sigal",
    "hugo": ".hugo",
    "eleventy": ".eleventy",
    "compare": ".compare",
    "rebuild": ".rebuild",
    "memory": ".memory",
    "lighthouse": ".lighthouse",
    "search-index": ".search_index",
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description="Benchmarks for showcase; results go to bench/results-*.md.")
    sub = parser.add_subparsers(dest="benchmark", metavar="BENCHMARK", required=True)
    for name, module_name in BENCHMARKS.items():
        module = importlib.import_module(module_name, __package__)
        sub_parser = sub.add_parser(name, help=module.HELP, description=module.HELP)
        module.add_arguments(sub_parser)
        sub_parser.set_defaults(run=module.run)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
