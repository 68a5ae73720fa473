"""The build pipeline: load, render, make images, publish, report.

`build` and `serve` both go through `Builder.build`, which rebuilds the whole model
every time. Caches serve the expensive leaves, each keyed by everything it is made from:
encoded images by source bytes and settings, QR codes by URL, pages by the model's
skeleton, the theme and the bodies they show (see `memo`).
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import jinja2

from showcase.assets import images, qr
from showcase.assets.images import ImageReport
from showcase.cache import Caches
from showcase.load import loader
from showcase.publish import stamp
from showcase.render import admin, memo, pages, theme as themes
from showcase.errors import Problem, Problems, shown
from showcase.i18n import MissingString
from showcase.messages import _, ngettext
from showcase import files, resources
from showcase.publish.writer import OutputRefused, WriteReport, locked, publish, refuse_reason

BUILTIN_THEMES = resources.builtin_themes()


@dataclass(frozen=True)
class BuildResult:
    output: Path
    errors: tuple[Problem, ...] = ()
    warnings: tuple[Problem, ...] = ()
    pages: int = 0
    images: ImageReport | None = None
    written: WriteReport | None = None
    seconds: float = 0.0
    refused: str | None = field(default=None)  # why the output folder was not touched
    stages: tuple[tuple[str, float], ...] = ()  # seconds per stage of a full build

    @property
    def ok(self) -> bool:
        return not self.errors and self.refused is None

    def summary(self) -> str:
        if self.refused:
            return _("nothing written: {reason}").format(reason=self.refused)
        if self.errors:
            count = len(self.errors)
            return ngettext("{count} problem found; nothing written, {output} is as it was",
                            "{count} problems found; nothing written, {output} is as it was",
                            count).format(count=count, output=self.output)
        parts = [_("{count} pages").format(count=self.pages)]
        if self.images:
            parts.append(_("images: {made} made, {reused} reused").format(
                made=self.images.made, reused=self.images.reused))
        if self.written:
            report = self.written
            parts.append(_("files: {written} written, {unchanged} unchanged, {removed} removed, "
                           "{megabytes:.1f} MB").format(
                written=report.written, unchanged=report.unchanged, removed=report.removed,
                megabytes=report.total_bytes / 1e6))
        return _("built {output} in {seconds:.2f} s: ").format(
            output=self.output, seconds=self.seconds) + "; ".join(parts)


@dataclass(frozen=True)
class BuildOptions:
    content: Path
    output: Path
    base_url: str | None = None
    drafts: bool = False
    cache_dir: Path | None = None
    workers: int | None = None
    themes_dir: Path = BUILTIN_THEMES
    # Called as photos finish (done, total): the CLI draws a progress bar with it.
    progress: Callable[[int, int], None] | None = None
    # Publish a small change in place (fast, for `serve`) rather than swap the whole
    # output atomically (what `build` does: a kill can never leave a mixed site).
    in_place: bool = False

    @property
    def caches(self) -> Caches:
        return Caches.of(self.content, self.cache_dir)


class Builder:
    def __init__(self, options: BuildOptions):
        self.options = options

    def build(self) -> BuildResult:
        """Build under the output's lock: a second build of the same output, started while
        this one runs, fails at once instead of publishing pages this one is replacing."""
        opts = self.options
        # Before the lock file is made beside the output: every theme folder counts here,
        # as the one site.yaml names is not known yet.
        reason = refuse_reason(opts.output, [opts.content, opts.content.parent / "themes",
                                             opts.themes_dir])
        if reason:
            return BuildResult(opts.output, refused=reason)
        try:
            with locked(opts.output):
                return self._build()
        except OutputRefused as exc:
            return BuildResult(opts.output, refused=str(exc))

    def _build(self) -> BuildResult:
        started = time.perf_counter()
        stages: list[tuple[str, float]] = []

        def lap(stage: str) -> None:
            stages.append((stage, time.perf_counter() - started - sum(s for _, s in stages)))

        opts = self.options
        # Showcase's code and the themes: a change there can change every page.
        code_and_themes = stamp.inputs([opts.content.parent / "themes", opts.themes_dir], {})
        # (a self-hosted copy of the editor's script is beside content/, in admin/)
        fingerprint = stamp.inputs([opts.content, opts.content.parent / admin.FOLDER],
                                   {"base_url": opts.base_url, "drafts": opts.drafts,
                                    "code_and_themes": code_and_themes}, code=False)
        caches = opts.caches
        stamp_path = caches.stamp(opts.output)
        last = stamp.check(stamp_path, fingerprint, opts.output, caches.images)
        if last is not None:  # nothing read has changed and the output is as written
            return BuildResult(opts.output, (), last.warnings, last.pages,
                               images.ImageReport(0, last.images, ()),
                               WriteReport(0, last.files, 0, last.total_bytes),
                               time.perf_counter() - started)
        lap("stamp")
        site, problems = loader.load(opts.content, loader.LoadOptions(
            opts.drafts, opts.base_url, caches.photos, caches.parsed))
        lap("load")
        fail = lambda: BuildResult(opts.output, tuple(problems.errors),  # noqa: E731
                                   tuple(problems.warnings), seconds=time.perf_counter() - started)
        if site is None:
            return fail()
        layers = themes.find(site.config.theme, opts.content, opts.themes_dir)
        if layers is None:
            problems.add(f"{opts.content.name}/site.yaml", None, "theme",
                         f"theme '{site.config.theme}' not found in themes/; use 'default'")
            return fail()
        theme = themes.load(layers, site.config.languages, problems)
        if theme is None:  # a broken theme file, reported like broken content
            return fail()
        workers = opts.workers or os.cpu_count() or 1
        memo_path = caches.memo(opts.output)
        # Pages can be kept only if the output is still what the last build left.
        present = stamp.intact(stamp_path, opts.output)
        previous = memo.load(memo_path) if present is not None else None
        try:
            compiled = caches.templates
            compiled.mkdir(parents=True, exist_ok=True)
            # New QR codes are made in worker processes while this one renders the pages.
            with qr.making([url for _, _, url in qr.targets(site)], caches.qr,
                           workers):
                rendered = pages.render_site(site, theme, compiled, previous, code_and_themes)
        except (jinja2.TemplateError, MissingString) as exc:
            problems.add(*_theme_problem(exc, theme))
            return fail()
        lap("render")
        variants = rendered.variants
        image_report = images.ensure(list(variants), caches.images,
                                     workers, opts.progress)
        lap("images")
        for failure in image_report.failures:
            problems.add(shown(Path(failure.src_path), opts.content), None, "images", failure.message)
        if problems.errors:
            return fail()
        links = {v.url: caches.images / v.name for v in variants}
        codes, codes_kept = qr.site_files(site, caches.qr, unchanged=(
            previous is not None and previous.shared == rendered.memo.shared))
        memo.forget(memo_path)  # until the output it describes is in place
        # The editor at /admin/ (when site.yaml asks for it): never a page, never listed.
        script = None
        if site.config.admin is not None and site.config.admin.self_hosted:
            copy = opts.content.parent / admin.SELF_HOSTED
            script = copy.read_bytes() if copy.is_file() else None
            wrong = admin.wrong_copy(script)
            if wrong:
                problems.add(shown(opts.content / "site.yaml", opts.content), None,
                             "admin.self_hosted", wrong)
                return fail()
        editor = admin.admin_files(site, content_path=files.in_repository(opts.content)
                                   or opts.content.name, script=script)
        written = publish(opts.output, {**rendered.files, **codes, **editor}, links,
                          rendered.kept | codes_kept, present, in_place=opts.in_place)
        lap("publish")
        page_count = sum(1 for name in [*rendered.files, *rendered.kept] if name.endswith(".html"))
        memo.save(memo_path, rendered.memo)
        listed = (stamp.updated(present, opts.output, written.touched)
                  if present is not None and written.touched is not None else None)
        stamp.record(stamp_path, fingerprint, opts.output, caches.images, stamp.Recorded(
            page_count, tuple(problems.warnings), written.written + written.unchanged,
            written.total_bytes, image_report.made + image_report.reused), listed)
        lap("record")
        return BuildResult(opts.output, (), tuple(problems.warnings), page_count, image_report, written,
                           time.perf_counter() - started, stages=tuple(stages))


def _theme_problem(exc: Exception, theme: themes.Theme) -> tuple[str, int | None, str, str]:
    """A template's error as a problem: the template's file and line when Jinja knows them
    (a syntax error, or the line that asked for an unknown string), and what is wrong."""
    path, line = theme.where(exc) or (getattr(exc, "name", None) or "template", None)
    if isinstance(exc, MissingString):
        return path, line, "", themes.missing_string(exc, theme)
    message = exc.message if isinstance(exc, jinja2.TemplateSyntaxError) else str(exc)
    return path, line, "template", message or type(exc).__name__


__all__ = ["Builder", "BuildOptions", "BuildResult", "Problems"]
