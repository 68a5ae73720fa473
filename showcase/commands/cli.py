"""The `showcase` command: the only place that prints and chooses an exit status."""

from __future__ import annotations

import argparse
import gc
import os
import re
import shlex
import sys
from pathlib import Path
from typing import Any

from showcase import __version__
from showcase.commands import advice, cards, codes, prepare, scaffold, spreadsheet, themecopy
from showcase.load import loader, placeholders, printed, schema
from showcase.render import theme as themes
from showcase.builder import BUILTIN_THEMES, Builder, BuildOptions
from showcase.cache import Caches
from showcase import messages
from showcase.errors import ContentError, Problem, Problems, shown
from showcase.messages import N_, _, ngettext

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2

EPILOG = N_("""\
examples:
  showcase build                               content/ -> output/
  showcase build --content pameran/ --output public/ --base-url https://example.org/pun/
  showcase build --drafts                      include entries marked draft: true
  showcase serve                               preview at http://127.0.0.1:8000/, live reload
  showcase serve --host 0.0.0.0                share the preview with phones on the network
  showcase serve --admin                       also the browser editor at /admin/, on this computer
  showcase check                               list every problem in content/
  showcase check --strict                      warnings count as problems too
  showcase cards                               every stand card and booth poster -> print/cards.pdf
  showcase cards --layout a4-4up --booth CPN   one booth's cards, four to an A4 sheet
  showcase cards --proof                       a marked proof to look at -> print/proof.pdf
  showcase new booth lapas-kediri              a booth with every field explained, and a code
  showcase new product lapas-kediri keset      a product with the booth's next free code
  showcase init pameran-2027                   a new site from the starter, ready to build
  showcase theme copy templates/product.html   one template of the default theme, to edit
  showcase export products.csv                 prices, stock and names to a spreadsheet
  showcase import products.csv                 the edited spreadsheet back into the files

exit status: 0 success, 1 problems in the content, 2 wrong usage
""")


class _Formatter(argparse.HelpFormatter):
    """`usage:` in the chosen language (argparse's own words come from its gettext
    domain, which no catalogue of ours reaches)."""

    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, _("usage: ") if prefix is None else prefix)


class _RawFormatter(_Formatter, argparse.RawDescriptionHelpFormatter):
    """The same, keeping the description's and the examples' own line breaks."""


class _Parser(argparse.ArgumentParser):
    """argparse speaking the chosen language: its section titles, its -h and its errors
    are worded here, because argparse looks its own words up in a catalogue we cannot
    reach; our help texts are marked like every other message."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, add_help=False, **kwargs)
        self._positionals.title = _("positional arguments")
        self._optionals.title = _("options")
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                          help=_("show this help message and exit"))

    def error(self, message: str):
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, _("{prog}: error: {message}").format(
            prog=self.prog, message=_usage_error(message)) + "\n")


# argparse's errors, as it words them in English, and the same in our catalogue.
USAGE_ERRORS = (
    (re.compile(r"argument (?P<argument>\S+): (?P<reason>.*)", re.S),
     N_("argument {argument}: {reason}")),
    (re.compile(r"the following arguments are required: (?P<names>.*)", re.S),
     N_("the following arguments are required: {names}")),
    (re.compile(r"invalid choice: (?P<value>.*) \(choose from (?P<choices>.*)\)", re.S),
     N_("invalid choice: {value} (choose from {choices})")),
    (re.compile(r"unrecognized arguments: (?P<names>.*)", re.S),
     N_("unrecognized arguments: {names}")),
    (re.compile(r"invalid (?P<type>\S+) value: (?P<value>.*)", re.S),
     N_("invalid {type} value: {value}")),
    (re.compile(r"expected one argument"), N_("expected one argument")),
)


def _usage_error(message: str) -> str:
    """One of argparse's errors in the chosen language (as it is if it is not known)."""
    for pattern, template in USAGE_ERRORS:
        found = pattern.fullmatch(message)
        if found:
            values = {name: _usage_error(value) if name == "reason" else value
                      for name, value in found.groupdict().items()}
            return _(template).format(**values)
    return message


def _lang_flag(argv: list[str]) -> str | None:
    """--lang, read before the parser is made, so that --help is in that language too."""
    for index, arg in enumerate(argv):
        value = (argv[index + 1] if arg == "--lang" and index + 1 < len(argv) else
                 arg.partition("=")[2] if arg.startswith("--lang=") else None)
        if value is not None:
            return value if value in messages.LANGUAGES else None
    return None


def parser() -> argparse.ArgumentParser:
    root = _Parser(
        prog="showcase", description=_("Build exhibition showcase sites from content folders."),
        epilog=_(EPILOG), formatter_class=_RawFormatter)
    root.add_argument("--version", action="version", version=f"showcase {__version__}",
                      help=_("show program's version number and exit"))
    root.add_argument("--lang", choices=messages.LANGUAGES,
                      help=_("the language of messages (default: SHOWCASE_LANG, else the "
                              "locale, else en); --format json stays English"))
    commands = _choices(root, "command", "COMMAND")

    build = commands.add_parser("build", help=_("build the site into the output folder"),
                                epilog=_(EPILOG), formatter_class=_RawFormatter)
    _shared(build, "--content", "--output", "--base-url", "--drafts", "--workers",
            helps={"--base-url": N_("override site.yaml's base_url, e.g. https://example.org/")})
    build.add_argument("--quiet", "-q", action="store_true", help=_("print only problems"))
    build.add_argument("--verbose", "-v", action="store_true",
                       help=_("also print the seconds each stage took"))

    serve = commands.add_parser(
        "serve", help=_("build, serve on this computer, rebuild and reload on every save"),
        description=_("Builds into the output folder, serves it with live reload, and "
                       "rebuilds when content or theme files change. A content problem "
                       "shows in the browser, with file and line, until it is fixed."))
    _shared(serve, "--content", "--output", "--base-url", "--drafts")
    serve.add_argument("--host", default="127.0.0.1",
                       help=_("address to listen on (default 127.0.0.1; 0.0.0.0 shares it "
                               "with phones on the hall's network)"))
    serve.add_argument("--port", type=int, default=8000, help=_("port (default 8000)"))
    serve.add_argument("--admin", action="store_true",
                       help=_("also serve the browser editor at /admin/, saving into content/ "
                              "(only on this computer: 127.0.0.1)"))
    _shared(serve, "--workers")

    check = commands.add_parser("check", help=_("validate the content and list every problem"))
    _shared(check, "--content", "--base-url")
    check.add_argument("--strict", action="store_true", help=_("treat warnings as problems"))
    check.add_argument("--format", choices=("text", "json", "github"), default="text",
                       help=_("text, grouped by file (default), json for tools, or github: "
                              "annotations on a pull request's lines (GitHub Actions)"))

    card = commands.add_parser(
        "cards", help=_("print-ready stand cards and booth posters with QR codes (PDF)"),
        description=_("Writes one A6 card per product and one A4 poster per booth, and "
                       "records every printed code in content/printed.yaml (commit it). "
                       "Refuses while base_url or a contact number is still a placeholder "
                       "(an example address, the starter's number); --proof prints anyway, "
                       "marked as a proof, and records nothing."))
    _shared(card, "--content")
    card.add_argument("--output", type=Path,
                      help=_("the PDF to write (default: print/cards.pdf, or print/proof.pdf "
                              "with --proof)"))
    card.add_argument("--layout", choices=cards.LAYOUTS, default="a6",
                      help=_("a6: one card per A6 page (default); a4-4up: four cards on A4 "
                              "with crop marks"))
    card.add_argument("--booth", action="append", default=[], metavar="CODE",
                      help=_("only this booth: its poster and its products' cards (repeatable)"))
    card.add_argument("--product", action="append", default=[], metavar="CODE",
                      help=_("only this product's card (repeatable)"))
    card.add_argument("--proof", action="store_true",
                      help=_("a proof to look at: marked PROOF / CONTOH CETAK on every card, "
                              "allowed with placeholders, recorded nowhere"))
    _shared(card, "--base-url")

    new = commands.add_parser(
        "new", help=_("scaffold a booth or a product with the next free code"),
        description=_("Writes an index.md with every field, explained in Bahasa Indonesia "
                       "and English, and a code no entry has used, printed or retired."))
    kinds = _choices(new, "kind", "KIND")
    booth = kinds.add_parser("booth", help=_("a new booth: content/booths/SLUG/index.md"))
    booth.add_argument("slug", metavar="SLUG", help=_("the booth's folder name, e.g. lapas-kediri, "
                          "or its name in quotes, e.g. \"Lapas Kediri\""))
    booth.add_argument("--code", help=_("its code, 2 to 8 of A-Z0-9 (default: made from SLUG)"))
    _shared(booth, "--content")
    product = kinds.add_parser("product",
                               help=_("a new product: content/booths/BOOTH/SLUG/index.md"))
    product.add_argument("booth", metavar="BOOTH", help=_("the booth's folder name"))
    product.add_argument("slug", metavar="SLUG",
                         help=_("the product's folder name, e.g. keset-sabut, or its name "
                                 "in quotes, e.g. \"Keset Sabut\""))
    _shared(product, "--content")

    fill = commands.add_parser(
        "codes", help=_("fill in the codes that booths and products lack (the next free ones)"),
        description=_("Writes the next free code into every booth and product that has no "
                      "code: yet, as 'new' would have (a product saved in the browser editor "
                      "has none). An existing code is never changed."))
    _shared(fill, "--content")

    start = commands.add_parser(
        "init", help=_("start a new site from the starter"),
        description=_("Writes a site project into DIR: content/ (a site, a page, a booth with "
                       "a product and its photo), a .gitignore that keeps what showcase makes "
                       "out of git, and .github/workflows/pages.yml, which publishes the site "
                       "on GitHub Pages when the folder is pushed to GitHub. It builds at once."))
    start.add_argument("dir", type=Path, metavar="DIR", help=_("a new or empty folder"))

    theme = commands.add_parser(
        "theme", help=_("copy the default theme's files into the site, to edit"),
        description=_("A site's theme holds only what it changes; every file it lacks comes "
                       "from the built-in default theme."))
    actions = _choices(theme, "action", "ACTION")
    copy = actions.add_parser(
        "copy", help=_("copy the default theme, or some of its files, into themes/NAME/"),
        description=_("Copies into themes/NAME/ beside the content folder; never overwrites "
                       "a file that is there."))
    copy.add_argument("files", nargs="*", metavar="FILE",
                      help=_("theme files such as templates/product.html, static/style.css, "
                              "i18n/en.yaml (default: all of them)"))
    copy.add_argument("--theme", default="default", metavar="NAME",
                      help=_("the theme folder to copy into (default: default)"))
    _shared(copy, "--content")

    admin = commands.add_parser(
        "admin", help=_("make the content ready for the online editor (/admin/)"),
        description=_("The online editor (admin: in site.yaml) reads the repository as it "
                      "is; this writes the content the way it opens it."))
    admin_actions = _choices(admin, "action", "ACTION")
    ready = admin_actions.add_parser(
        "prepare", help=_("rename entries to index.<language>.md and write values in the "
                          "editor's long form, in place"),
        description=_("Renames each entry's index.md (and each page's <slug>.md) to the name "
                      "the online editor opens, and writes short values (name: Keset, "
                      "price: 75000) in the long form its form holds, keeping comments and "
                      "text. The built site does not change. Every file is checked first; "
                      "if one cannot be read, nothing is changed."))
    _shared(ready, "--content")

    out = commands.add_parser(
        "export", help=_("write every product's price, stock and names to a spreadsheet "
                          "(CSV, or .xlsx when the name ends so)"),
        description=_("One row per product, ordered by booth and product folder; open it in "
                       "a spreadsheet, edit, and bring it back with showcase import."))
    into = commands.add_parser(
        "import", help=_("apply an edited spreadsheet (CSV or .xlsx) to the products' files"),
        description=_("Checks every row first and changes nothing if any row has a problem; "
                       "otherwise rewrites only the lines whose values changed."))
    for command, what in ((out, _("the CSV or .xlsx file to write")),
                          (into, _("the CSV or .xlsx file to read"))):
        command.add_argument("csv", type=Path, metavar="CSV", help=what)
        _shared(command, "--content")
    return root


def _choices(command: argparse.ArgumentParser, dest: str, metavar: str):
    """A word that must follow `command` (a command, a kind of entry, an action)."""
    choices = command.add_subparsers(dest=dest, metavar=metavar)
    choices.required = True
    return choices


# Options more than one command takes, each declared once: flag -> add_argument's keywords.
SHARED: dict[str, dict[str, Any]] = {
    "--content": {"type": Path, "default": Path("content"),
                  "help": N_("the content folder (default: content)")},
    "--output": {"type": Path, "default": Path("output"),
                 "help": N_("where the site is written (default: output)")},
    "--base-url": {"help": N_("override site.yaml's base_url")},
    "--drafts": {"action": "store_true", "help": N_("include draft entries")},
    "--workers": {"type": int, "help": N_("image processes (default: all cores)")},
}


def _shared(command: argparse.ArgumentParser, *flags: str,
            helps: dict[str, str] | None = None) -> None:
    """Add shared options to a command in the order given, which is the order `--help`
    lists them in; `helps` words an option's help for this command alone."""
    helps = helps or {}
    for flag in flags:
        command.add_argument(flag, **{**SHARED[flag],
                                      "help": _(helps.get(flag, SHARED[flag]["help"]))})


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
            bar = "#" * filled + "." * (self.WIDTH - filled)
            self.stream.write("\r" + _("images [{bar}] {done}/{total} photos").format(
                bar=bar, done=done, total=total) + end)
        elif done * 10 // total != self.shown:
            self.shown = done * 10 // total
            self.stream.write(_("images: {done}/{total} photos").format(done=done, total=total)
                              + "\n")
        self.stream.flush()


def _print_problems(problems: list[Problem] | tuple[Problem, ...]) -> None:
    for problem in problems:
        print(messages.problem_line(problem), file=sys.stderr)


def cmd_build(args: argparse.Namespace) -> int:
    if args.workers is not None and args.workers < 1:
        print(_("showcase build: --workers must be 1 or more"), file=sys.stderr)
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
        for stage, seconds in result.stages or ((_("nothing changed"), result.seconds),):
            print(f"  {stage:<16} {seconds:7.3f} s")
    if not args.quiet:
        print(result.summary())
        print(_("open it: python3 -m http.server -d {output} 8000, then "
                "http://127.0.0.1:8000/ (or showcase serve, which also reloads on every save)")
              .format(output=args.output))
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    from showcase.commands.serve import base_path_for, loopback, serve
    if args.admin and not loopback(args.host):
        print(_("showcase serve: --admin listens on this computer only (the editor can change "
                "your files): leave out --host {host}, or share the preview without "
                "--admin").format(host=args.host), file=sys.stderr)
        return EXIT_USAGE
    options = BuildOptions(args.content, args.output, args.base_url, args.drafts,
                           workers=args.workers, in_place=True)
    serve(options, base_path_for(args.content, args.base_url), args.host, args.port,
          admin=args.admin)
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    index = Caches.of(args.content).photos
    site, problems = loader.load(args.content, loader.LoadOptions(
        drafts=True, drafts_published=False, base_url=args.base_url, photo_index=index))
    coverage = advice.advise(site, problems, index)
    if args.format == "json":
        print(advice.report_json(problems, coverage))
    elif args.format == "github":
        print(advice.report_github(problems, args.content), end="")
    else:
        print(advice.report_text(problems, coverage))
    failing = problems.errors or (args.strict and problems.warnings)
    return EXIT_PROBLEMS if failing else EXIT_OK


def card_words(site, content_root: Path) -> cards.Labels | None:
    """The cards' words from the site's theme (its strings only: cards use no templates)."""
    languages = site.config.languages
    layers = themes.find(site.config.theme, content_root, BUILTIN_THEMES)
    if layers is None:
        print(_("showcase cards: theme '{theme}' not found in themes/; use 'default'")
              .format(theme=site.config.theme), file=sys.stderr)
        return None
    problems = Problems()
    strings = themes.load_strings(layers, languages, problems)
    bundled = themes.load_strings((BUILTIN_THEMES / themes.DEFAULT,),
                                  tuple(dict.fromkeys((*languages, "en"))), problems)
    if problems.errors:
        _print_problems(problems.errors)
        return None
    return cards.labels(site, strings, bundled)


def cmd_cards(args: argparse.Namespace) -> int:
    index = Caches.of(args.content).photos
    site, problems = loader.load(args.content, loader.LoadOptions(
        base_url=args.base_url, photo_index=index))
    _print_problems(problems.errors + problems.warnings)
    if site is None:
        print(_("{count} problem(s) found; no cards written").format(count=len(problems.errors)),
              file=sys.stderr)
        return EXIT_PROBLEMS
    booths = {b.code: b for b in site.booths}
    products = {p.code: p for p in site.products}
    unknown = [(code, booths) for code in args.booth if code not in booths] + [
        (code, products) for code in args.product if code not in products]
    for code, known in unknown:
        guess = schema.nearest(code, known)
        refusal = (_("showcase cards: no booth has code {code}") if known is booths else
                   _("showcase cards: no product has code {code}")).format(code=code)
        print(refusal + (_("; did you mean {guess}?").format(guess=guess) if guess else ""),
              file=sys.stderr)
    if unknown:
        return EXIT_USAGE
    if args.booth or args.product:
        chosen_booths = [booths[code] for code in dict.fromkeys(args.booth)]
        chosen = [p for b in chosen_booths for p in b.products]
        chosen += [products[code] for code in args.product if products[code] not in chosen]
    else:
        chosen_booths, chosen = list(site.booths), list(site.products)
    if not args.proof and _placeholders_printed(site, args.base_url is not None, chosen,
                                                chosen_booths):
        return EXIT_PROBLEMS
    words = card_words(site, args.content)
    if words is None:
        return EXIT_PROBLEMS
    output = args.output or Path("print") / ("proof.pdf" if args.proof else "cards.pdf")
    cut = Problems()
    pages = cards.write(output, site, [cards.card_of(site, p, words) for p in chosen],
                        [cards.poster_of(site, b, words) for b in chosen_booths], words,
                        args.layout, cut, args.proof)
    _print_problems(cut.warnings)
    counts = dict(output=output, cards=len(chosen), posters=len(chosen_booths), pages=pages,
                  layout=args.layout)
    if args.proof:
        print(_("wrote {output}: a proof of {cards} card(s), {posters} poster(s), {pages} "
                "page(s) ({layout}), marked as one; nothing recorded, so print the cards "
                "themselves with showcase cards").format(**counts))
        return EXIT_OK
    recorded = printed.record(args.content, [p.code for p in chosen],
                              [b.code for b in chosen_booths])
    print(_("wrote {output}: {cards} card(s), {posters} poster(s), {pages} page(s) ({layout})")
          .format(**counts))
    print(_("recorded the printed codes in {path}; commit it with the content")
          .format(path=recorded))
    return EXIT_OK


def _placeholders_printed(site, base_url_option: bool, chosen, chosen_booths) -> bool:
    """Print each placeholder that would reach paper (site.yaml's, and those of the
    entries being printed); whether there was one. A printed code is recorded for good,
    so a card must never lead to an example address or the starter's number."""
    printed_files = {p.src_path for p in chosen} | {b.src_path for b in chosen_booths} | {
        site.booth_of(p).src_path for p in chosen}
    unprinted = {shown(path, site.root) for path in
                 {p.src_path for p in site.products} | {b.src_path for b in site.booths}
                 if path not in printed_files}
    found = [f for f in placeholders.find(site, base_url_option) if f.path not in unprinted]
    shown_found = Problems()
    for each in found:
        shown_found.add(each.path, each.line, each.field, each.message)
    for problem in shown_found.items:
        print(messages.problem_line(problem), file=sys.stderr)
    if found:
        print(_("{count} placeholder(s) would be printed; no cards written. For a test print "
                "to look at, use showcase cards --proof (it records nothing)")
              .format(count=len(found)), file=sys.stderr)
    return bool(found)


def _scaffolded(make, next_step: str) -> int:
    try:
        path = make()
    except scaffold.ScaffoldError as exc:
        print(f"showcase: {exc}", file=sys.stderr)
        return EXIT_USAGE if isinstance(exc, scaffold.UsageError) else EXIT_PROBLEMS
    code = scaffold.code_of(path.parent)
    print((_("created {path} (code {code})") if code else _("created {path}"))
          .format(path=path, code=code))
    print(_("next: {step}").format(step=next_step))
    return EXIT_OK


def _content_option(args: argparse.Namespace) -> str:
    return "" if args.content == Path("content") else f" --content {shell_quoted(args.content)}"


def shell_quoted(path: Path | str) -> str:
    """A path as the organiser's shell reads it back, so a printed command can be
    pasted: quoted where it holds a space or a character the shell would act on."""
    text = str(path)
    if os.name == "nt":  # cmd and PowerShell both take a double-quoted path
        return f'"{text}"' if re.search(r"[\s&|<>^()%!;,'`$@{}]", text) else text
    return shlex.quote(text)


def cmd_new(args: argparse.Namespace) -> int:
    option = _content_option(args)
    if args.kind == "booth":
        slug = scaffold.slug_and_name(args.slug)[0]
        return _scaffolded(lambda: scaffold.new_booth(args.content, args.slug, args.code),
                           _("fill in its fields, add a product with showcase new product "
                             "{slug} SLUG{option}, and preview with showcase serve{option}")
                           .format(slug=slug, option=option))
    return _scaffolded(lambda: scaffold.new_product(args.content, args.booth, args.slug),
                       _("choose its category, put its photos beside it, fill in its fields, "
                         "and preview with showcase serve{option} (or showcase build{option})")
                       .format(option=option))


def cmd_codes(args: argparse.Namespace) -> int:
    try:
        filled, skipped = codes.fill(args.content)
    except scaffold.ScaffoldError as exc:
        print(f"showcase: {exc}", file=sys.stderr)
        return EXIT_USAGE if isinstance(exc, scaffold.UsageError) else EXIT_PROBLEMS
    for done in filled:
        print(_("{path}: code: {code}").format(path=done.path.as_posix(), code=done.code))
    for left in skipped:
        print(_("{path}: code: not filled in: {reason}").format(
            path=left.path.as_posix(), reason=_(left.reason).format(booth=left.booth)),
            file=sys.stderr)
    if not filled and not skipped:
        print(_("every booth and product has a code"))
    return EXIT_PROBLEMS if skipped else EXIT_OK


def cmd_init(args: argparse.Namespace) -> int:
    return _scaffolded(lambda: scaffold.init(args.dir),
                       _("cd {dir} && showcase serve (a preview that reloads on every save), "
                         "or showcase build; to publish, push the folder to a GitHub "
                         "repository (.github/workflows/pages.yml in it says how)")
                       .format(dir=shell_quoted(args.dir)))


def cmd_theme(args: argparse.Namespace) -> int:
    target = args.content.parent / "themes" / args.theme
    try:
        written = themecopy.copy(BUILTIN_THEMES / themes.DEFAULT, target, args.files)
    except scaffold.UsageError as exc:
        print(f"showcase theme copy: {exc}", file=sys.stderr)
        return EXIT_USAGE
    for path in written:
        print(_("wrote {path}").format(path=path.as_posix()))
    step = ("" if args.theme == themes.DEFAULT else
            _("set theme: {theme} in site.yaml, then ").format(theme=args.theme))
    print(_("next: {step}").format(step=step + _(
        "edit the copies; anything {folder}/ lacks still comes from the built-in theme. "
        "Preview with showcase serve{option}").format(folder=target.as_posix(),
                                                      option=_content_option(args))))
    return EXIT_OK


def cmd_admin(args: argparse.Namespace) -> int:
    if not args.content.is_dir():
        print(_("showcase admin prepare: content folder {folder} not found; pass --content DIR")
              .format(folder=args.content), file=sys.stderr)
        return EXIT_USAGE
    try:
        planned = prepare.plan(args.content)
    except OSError as exc:
        print(_("showcase admin prepare: cannot read {path}: {reason}").format(
            path=exc.filename, reason=exc.strerror), file=sys.stderr)
        return EXIT_PROBLEMS
    if planned.problems.errors:
        _print_problems(planned.problems.errors)
        print(_("{count} problem(s) found; nothing was changed").format(
            count=len(planned.problems.errors)), file=sys.stderr)
        return EXIT_PROBLEMS
    prepare.apply(planned)
    for change in planned.changes:
        path = change.path.as_posix()
        if change.to is not None:
            print(_("renamed {old} to {new}").format(old=path, new=change.to.name))
            path = change.to.as_posix()
        if change.widened:
            print(_("{path}: wrote {fields} in the editor's long form").format(
                path=path, fields=", ".join(change.widened)))
        if change.moved and change.out:
            print(_("{path}: moved {fields} into the main file, where the editor edits "
                    "every language").format(path=path, fields=", ".join(change.moved)))
        elif change.moved:
            print(_("{path}: took in {fields} from the translation").format(
                path=path, fields=", ".join(change.moved)))
    for path, note, wanted in planned.notes:
        print(_("{path}: not changed: {reason}").format(
            path=path.as_posix(), reason=_(note).format(wanted=wanted.name)), file=sys.stderr)
    if planned.changes:
        print(ngettext("{count} file changed; the built site is the same. Commit the change "
                       "(git add -A {folder}) so the online editor opens every entry",
                       "{count} files changed; the built site is the same. Commit the change "
                       "(git add -A {folder}) so the online editor opens every entry",
                       len(planned.changes)).format(count=len(planned.changes),
                                                    folder=shell_quoted(args.content)))
    else:
        print(_("nothing to change: the content is ready for the online editor"))
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    if not args.content.is_dir():
        print(_("showcase export: content folder {folder} not found; pass --content DIR")
              .format(folder=args.content), file=sys.stderr)
        return EXIT_USAGE
    try:
        count = spreadsheet.export(args.content, args.csv)
    except ContentError as exc:
        _print_problems(exc.problems)
        print(_("{count} problem(s) found; no spreadsheet written").format(
            count=len(exc.problems)), file=sys.stderr)
        return EXIT_PROBLEMS
    except OSError as exc:
        print(_("showcase export: cannot write {path}: {reason}").format(
            path=args.csv, reason=exc.strerror), file=sys.stderr)
        return EXIT_USAGE
    print(_("wrote {path}: {count} product(s)").format(path=args.csv, count=count))
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    for is_there, refusal in (
            (args.csv.is_file(), _("showcase import: {path} is not a file").format(path=args.csv)),
            (args.content.is_dir(),
             _("showcase import: {path} is not a folder").format(path=args.content))):
        if not is_there:
            print(refusal, file=sys.stderr)
            return EXIT_USAGE
    report = spreadsheet.import_(args.content, args.csv)
    if not report.ok:
        _print_problems(report.problems)
        print(_("{count} problem(s) found; nothing was changed").format(
            count=len(report.problems)), file=sys.stderr)
        return EXIT_PROBLEMS
    for path in report.changed:
        print(_("updated {path}").format(path=path))
    print(_("{changed} file(s) updated, {unchanged} row(s) unchanged").format(
        changed=len(report.changed), unchanged=report.unchanged))
    return EXIT_OK


COMMANDS = {"build": cmd_build, "serve": cmd_serve, "check": cmd_check, "cards": cmd_cards,
            "new": cmd_new, "codes": cmd_codes, "init": cmd_init, "theme": cmd_theme, "admin": cmd_admin,
            "export": cmd_export,
            "import": cmd_import}


# A build makes a model of many thousand small objects that live until it ends; at
# CPython's default threshold (700 allocations) the collector walks them again and again,
# about a tenth of a rebuild at 1,000 products. Commands are short, or (serve) rebuild
# from scratch, so collecting less often costs little memory. mypy does the same.
GC_THRESHOLD = (100_000, 20, 20)


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        # Windows prints into a pipe or file in its code page, which lacks most of
        # Unicode: a product name must come out escaped there, not as a traceback.
        if getattr(stream, "errors", None) == "strict" and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    language = messages.use(messages.choose(
        _lang_flag(sys.argv[1:] if argv is None else argv), os.environ))
    threshold = gc.get_threshold()
    try:
        args = parser().parse_args(argv)
        handler = COMMANDS[args.command]
        gc.set_threshold(*GC_THRESHOLD)
        return handler(args)
    except KeyboardInterrupt:
        print(_("interrupted; output is as it was"), file=sys.stderr)
        return 130
    finally:  # as it was, for a caller that runs main in its own process (tests)
        gc.set_threshold(*threshold)
        messages.restore(language)


if __name__ == "__main__":
    sys.exit(main())
