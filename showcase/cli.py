"""The `showcase` command: the only place that prints and chooses an exit status."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__, advice, cards, content, printed, schema
from .builder import Builder, BuildOptions
from .errors import Problem

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2

EPILOG = """\
examples:
  showcase build                               content/ -> output/
  showcase build --content pameran/ --output public/ --base-url https://example.org/pun/
  showcase build --drafts                      include entries marked draft: true
  showcase serve                               preview at http://127.0.0.1:8000/, live reload
  showcase serve --host 0.0.0.0                share the preview with phones on the network
  showcase check                               list every problem in content/
  showcase check --strict                      warnings count as problems too
  showcase cards                               every stand card and booth poster -> print/cards.pdf
  showcase cards --layout a4-4up --booth CPN   one booth's cards, four to an A4 sheet

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
    build.add_argument("--verbose", "-v", action="store_true",
                       help="also print the seconds each stage took")

    serve = commands.add_parser(
        "serve", help="build, serve on this computer, rebuild and reload on every save",
        description="Builds into the output folder, serves it with live reload, and "
                    "rebuilds when content or theme files change. A content problem "
                    "shows in the browser, with file and line, until it is fixed.")
    _content_args(serve)
    serve.add_argument("--output", type=Path, default=Path("output"),
                       help="where the site is written (default: output)")
    serve.add_argument("--base-url", help="override site.yaml's base_url")
    serve.add_argument("--drafts", action="store_true", help="include draft entries")
    serve.add_argument("--host", default="127.0.0.1",
                       help="address to listen on (default 127.0.0.1; 0.0.0.0 shares it "
                            "with phones on the hall's network)")
    serve.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    serve.add_argument("--workers", type=int, help="image processes (default: all cores)")

    check = commands.add_parser("check", help="validate the content and list every problem")
    _content_args(check)
    check.add_argument("--strict", action="store_true", help="treat warnings as problems")
    check.add_argument("--format", choices=("text", "json"), default="text",
                       help="text, grouped by file (default), or json for tools")

    card = commands.add_parser(
        "cards", help="print-ready stand cards and booth posters with QR codes (PDF)",
        description="Writes one A6 card per product and one A4 poster per booth, and "
                    "records every printed code in content/printed.yaml (commit it).")
    _content_args(card)
    card.add_argument("--output", type=Path, default=Path("print") / "cards.pdf",
                      help="the PDF to write (default: print/cards.pdf)")
    card.add_argument("--layout", choices=cards.LAYOUTS, default="a6",
                      help="a6: one card per A6 page (default); a4-4up: four cards on A4 "
                           "with crop marks")
    card.add_argument("--booth", action="append", default=[], metavar="CODE",
                      help="only this booth: its poster and its products' cards (repeatable)")
    card.add_argument("--product", action="append", default=[], metavar="CODE",
                      help="only this product's card (repeatable)")
    card.add_argument("--base-url", help="override site.yaml's base_url")
    return root


def _content_args(command: argparse.ArgumentParser) -> None:
    command.add_argument("--content", type=Path, default=Path("content"),
                         help="the content folder (default: content)")


class ImageProgress:
    """Photos done out of all: a bar redrawn in place on a terminal, and a plain line at
    every tenth in a log (CI), where carriage returns would pile up."""

    WIDTH = 30

    def __init__(self, stream):
        self.stream = stream
        self.interactive = stream.isatty()
        self.shown = -1

    def __call__(self, done: int, total: int) -> None:
        if self.interactive:
            filled = self.WIDTH * done // total
            end = "\n" if done == total else ""
            self.stream.write(f"\rimages [{'#' * filled}{'.' * (self.WIDTH - filled)}] "
                              f"{done}/{total} photos{end}")
        elif done * 10 // total != self.shown:
            self.shown = done * 10 // total
            self.stream.write(f"images: {done}/{total} photos\n")
        self.stream.flush()


def _print_problems(problems: list[Problem] | tuple[Problem, ...]) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)


def cmd_build(args: argparse.Namespace) -> int:
    if args.workers is not None and args.workers < 1:
        print("showcase build: --workers must be 1 or more", file=sys.stderr)
        return EXIT_USAGE
    progress = None if args.quiet else ImageProgress(sys.stderr)
    result = Builder(BuildOptions(args.content, args.output, args.base_url, args.drafts,
                                  workers=args.workers, progress=progress)).build()
    _print_problems(result.errors + result.warnings)
    if result.refused:
        print(f"showcase build: {result.summary()}", file=sys.stderr)
        return EXIT_USAGE
    if not result.ok:
        print(result.summary(), file=sys.stderr)
        return EXIT_PROBLEMS
    if args.verbose:
        for stage, seconds in result.stages or (("nothing changed", result.seconds),):
            print(f"  {stage:<16} {seconds:7.3f} s")
    if not args.quiet:
        print(result.summary())
        print(f"open it: python3 -m http.server -d {args.output} 8000, then "
              "http://127.0.0.1:8000/ (or showcase serve, which also reloads on every save)")
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    from .server import base_path_for, serve
    options = BuildOptions(args.content, args.output, args.base_url, args.drafts,
                           workers=args.workers)
    serve(options, base_path_for(args.content, args.base_url), args.host, args.port)
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    index = BuildOptions(args.content, Path("output")).cache / "photos.json"
    site, problems = content.load(args.content, content.LoadOptions(drafts=True,
                                                                   photo_index=index))
    coverage = advice.advise(site, problems, index)
    if args.format == "json":
        print(advice.report_json(problems, coverage))
    else:
        print(advice.report_text(problems, coverage))
    failing = problems.errors or (args.strict and problems.warnings)
    return EXIT_PROBLEMS if failing else EXIT_OK


def cmd_cards(args: argparse.Namespace) -> int:
    index = BuildOptions(args.content, Path("output")).cache / "photos.json"
    site, problems = content.load(args.content, content.LoadOptions(
        base_url=args.base_url, photo_index=index))
    _print_problems(problems.errors + problems.warnings)
    if site is None:
        print(f"{len(problems.errors)} problem(s) found; no cards written", file=sys.stderr)
        return EXIT_PROBLEMS
    booths = {b.code: b for b in site.booths}
    products = {p.code: p for p in site.products}
    unknown = [(code, booths) for code in args.booth if code not in booths] + [
        (code, products) for code in args.product if code not in products]
    for code, known in unknown:
        guess = schema.nearest(code, known)
        print(f"showcase cards: no {'booth' if known is booths else 'product'} has code "
              f"{code}" + (f"; did you mean {guess}?" if guess else ""), file=sys.stderr)
    if unknown:
        return EXIT_USAGE
    if args.booth or args.product:
        chosen_booths = [booths[code] for code in dict.fromkeys(args.booth)]
        chosen = [p for b in chosen_booths for p in b.products]
        chosen += [products[code] for code in args.product if products[code] not in chosen]
    else:
        chosen_booths, chosen = list(site.booths), list(site.products)
    pages = cards.write(args.output, site, [cards.card_of(site, p) for p in chosen],
                        [cards.poster_of(site, b) for b in chosen_booths], args.layout)
    recorded = printed.record(args.content, [p.code for p in chosen],
                              [b.code for b in chosen_booths])
    print(f"wrote {args.output}: {len(chosen)} card(s), {len(chosen_booths)} poster(s), "
          f"{pages} page(s) ({args.layout})")
    print(f"recorded the printed codes in {recorded}; commit it with the content")
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    handler = {"build": cmd_build, "serve": cmd_serve, "check": cmd_check,
               "cards": cmd_cards}[args.command]
    try:
        return handler(args)
    except KeyboardInterrupt:
        print("interrupted; output is as it was", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
