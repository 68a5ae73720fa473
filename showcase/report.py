"""What a build did, as data: the CLI prints it, tests assert on it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .errors import Problem
from .images import ImageReport
from .writer import WriteReport


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
            return f"nothing written: {self.refused}"
        if self.errors:
            count = len(self.errors)
            return (f"{count} problem{'s' if count != 1 else ''} found; nothing written, "
                    f"{self.output} is as it was")
        parts = [f"{self.pages} pages"]
        if self.images:
            parts.append(f"images: {self.images.made} made, {self.images.reused} reused")
        if self.written:
            parts.append(f"files: {self.written.written} written, {self.written.unchanged} "
                         f"unchanged, {self.written.removed} removed, "
                         f"{self.written.total_bytes / 1e6:.1f} MB")
        return f"built {self.output} in {self.seconds:.2f} s: " + "; ".join(parts)
