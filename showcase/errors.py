"""Problems found in content, reported all at once rather than one per run."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from pathlib import Path


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the content, located the way a compiler would locate it.

    `path` is relative to the content folder's parent so that messages read the same
    on every machine and can be pasted into an editor's "go to file".
    """

    path: str
    line: int | None
    field: str
    message: str
    severity: Severity = Severity.ERROR
    # A marked message before its values were filled in, and those values: the command
    # line looks the template up in its catalogue to print it in the organiser's language
    # (see showcase.messages.problem); `message` is the English that tools read.
    template: str = field(default="", compare=False, repr=False)
    values: tuple[tuple[str, object], ...] = field(default=(), compare=False, repr=False)

    def __str__(self) -> str:
        return self.located()

    def located(self, warning: str = "warning") -> str:
        """`path:line: field: message`; `warning` is the word for a warning, in the
        language the command line speaks."""
        where = f"{self.path}:{self.line}" if self.line else self.path
        prefix = f"{warning}: " if self.severity is Severity.WARNING else ""
        field_part = f" {self.field}:" if self.field else ""
        return f"{where}:{field_part} {prefix}{self.message}"

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


def shown(path: Path, content: Path) -> str:
    """`path` as a Problem names it: relative to the folder holding `content`."""
    try:
        return path.relative_to(content.parent).as_posix()
    except ValueError:
        return path.as_posix()


class ContentError(Exception):
    """Raised by a stage that cannot go on; carries every problem found so far."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=_sort_key)
        super().__init__("\n".join(str(p) for p in self.problems))


def _sort_key(problem: Problem) -> tuple:
    return (problem.path, problem.line or 0, problem.field, problem.message)


@dataclass
class Problems:
    """A collector passed down the stages; stages add to it instead of raising early."""

    items: list[Problem] = field(default_factory=list)

    def add(self, path: str | Path, line: int | None, field: str, message: str,
            severity: Severity = Severity.ERROR, **values: object) -> None:
        """With `values`, `message` is a template marked for translation (`N_`), filled
        in with `str.format`; without, a message made by `N_` brings its own template
        and values (it is a `showcase.messages.Text`)."""
        if values:
            template, pairs = str(getattr(message, "template", message)), tuple(values.items())
            text = template.format(**values)
        else:
            template, pairs = getattr(message, "template", ""), getattr(message, "values", ())
            text = str(message)
        self.items.append(Problem(str(path), line, field, text, severity, template, pairs))

    def warn(self, path: str | Path, line: int | None, field: str, message: str,
             **values: object) -> None:
        self.add(path, line, field, message, Severity.WARNING, **values)

    @property
    def errors(self) -> list[Problem]:
        return sorted((p for p in self.items if p.is_error), key=_sort_key)

    @property
    def warnings(self) -> list[Problem]:
        return sorted((p for p in self.items if not p.is_error), key=_sort_key)

    def raise_if_errors(self) -> None:
        if self.errors:
            raise ContentError(self.errors)
