"""Problems found in a hub: collected, never raised one at a time."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from pathlib import PurePosixPath


class Severity(str, Enum):  # noqa: UP042 (str() and f-strings of a member stay as they are)
    ERROR = "error"
    WARNING = "warning"
    NOTICE = "notice"  # advice that never fails a check (prior art not cited yet)


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the hub, pointing at the file (and line) to fix.

    `path` is relative to the hub repository root, with forward slashes, so the
    same text works in a terminal, an editor and a CI annotation.
    """

    path: str
    line: int | None
    message: str
    hint: str = ""
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        label = {Severity.ERROR: "", Severity.WARNING: "warning: "}.get(self.severity, "note: ")
        return self.text(label)

    def text(self, label: str = "") -> str:
        """`path:line: message (hint)`; without a severity label for loggers that print their own
        (MkDocs' `WARNING -`), so the build never says "WARNING: ...: warning: ..."."""
        where = f"{self.path}:{self.line}" if self.line else self.path
        hint = f" ({self.hint})" if self.hint else ""
        return f"{where}: {label}{self.message}{hint}"

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "severity": self.severity.value,
            "message": self.message,
            "hint": self.hint,
        }


@dataclass
class ProblemLog:
    """Collects problems for one file at a time; `at` fixes the path."""

    problems: list[Problem] = field(default_factory=list)

    def add(
        self,
        path: str | PurePosixPath,
        line: int | None,
        message: str,
        hint: str = "",
        severity: Severity = Severity.ERROR,
    ) -> None:
        self.problems.append(Problem(str(path), line, message, hint, severity))

    def error(self, path: str, line: int | None, message: str, hint: str = "") -> None:
        self.add(path, line, message, hint, Severity.ERROR)

    def warn(self, path: str, line: int | None, message: str, hint: str = "") -> None:
        self.add(path, line, message, hint, Severity.WARNING)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]

    def sorted(self) -> list[Problem]:
        return sorted(set(self.problems), key=lambda p: (p.path, p.line or 0, p.message))


class ScaffoldError(Exception):
    """A refusal of `hubgen init` or `hubgen new`, with the CLI exit code: 1 would overwrite, 2 usage.

    Defined here, not in `hubgen.scaffold`, so the CLI can catch it without
    loading the scaffolding (and its imports) for every command.
    """

    def __init__(self, message: str, code: int = 2):
        super().__init__(message)
        self.code = code
