"""The `showcase` command: the only place that prints and chooses an exit status."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__, content
from .builder import Builder, BuildOptions
from .errors import Problem

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2

EPILOG = """\
examples:
  showcase build                               content/ -> output/
  showcase build --content pameran/ --output public/ --base-url https://example.org/pun/
  showcase build --drafts                      include entries marked draft: true
  showcase check                               list every problem in content/
  showcase check --strict                      warnings count as problems too

exit status: 0 success, 1 problems in the content, 2 wrong usage
"""


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(
        prog="showcase", description="Build exhibition showcase sites from content folders.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    root.add_argument("--version", action="version", version=f"showcase {__version__}")
    commands = root.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True

    build = commands.add_parser("build", help="build the site into the output folder",
                                epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    _content_args(build)
    build.add_argument("--output", type=Path, default=Path("output"),
                       help="where the site is written (default: output)")
    build.add_argument("--base-url", help="override site.yaml's base_url, e.g. https://example.org/")
    build.add_argument("--drafts", action="store_true", help="include draft entries")
    build.add_argument("--workers", type=int, help="image processes (default: all cores)")
    build.add_argument("--quiet", "-q", action="store_true", help="print only problems")

    check = commands.add_parser("check", help="validate the content and list every problem")
    _content_args(check)
    check.add_argument("--strict", action="store_true", help="treat warnings as problems")
    return root


def _content_args(command: argparse.ArgumentParser) -> None:
    command.add_argument("--content", type=Path, default=Path("content"),
                         help="the content folder (default: content)")


def _print_problems(problems: list[Problem] | tuple[Problem, ...]) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)


def cmd_build(args: argparse.Namespace) -> int:
    if args.workers is not None and args.workers < 1:
        print("showcase build: --workers must be 1 or more", file=sys.stderr)
        return EXIT_USAGE
    result = Builder(BuildOptions(args.content, args.output, args.base_url, args.drafts,
                                  workers=args.workers)).build()
    _print_problems(result.errors + result.warnings)
    if result.refused:
        print(f"showcase build: {result.summary()}", file=sys.stderr)
        return EXIT_USAGE
    if not result.ok:
        print(result.summary(), file=sys.stderr)
        return EXIT_PROBLEMS
    if not args.quiet:
        print(result.summary())
        print(f"open it: python3 -m http.server -d {args.output} 8000, "
              "then http://127.0.0.1:8000/")
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    site, problems = content.load(args.content, content.LoadOptions(drafts=True,
                                                                   base_url=None))
    errors, warnings = problems.errors, problems.warnings
    _print_problems(errors + warnings)
    failing = errors + (warnings if args.strict else [])
    print(f"{len(errors)} error(s), {len(warnings)} warning(s)",
          file=sys.stderr if failing else sys.stdout)
    return EXIT_PROBLEMS if failing else EXIT_OK


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    handler = {"build": cmd_build, "check": cmd_check}[args.command]
    try:
        return handler(args)
    except KeyboardInterrupt:
        print("interrupted; output is as it was", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
