"""The conversion context of one file: lines, problems and references found."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from hubgen.load.files import Document
from hubgen.problems import ProblemLog
from hubgen.schema import INVALID, Record


@dataclass(frozen=True)
class Reference:
    """A mention of another record (`person`, `project`) to check once all are loaded."""

    kind: str
    value: str
    path: str
    line: int | None
    field: str


@dataclass
class FileContext:
    """Implements `hubgen.schema.Context` for one parsed file."""

    doc: Document
    rel: str
    log: ProblemLog
    references: list[Reference] = field(default_factory=list)

    def line(self, path: tuple[Any, ...]) -> int | None:
        return self.doc.line(path)

    def error(self, path: tuple[Any, ...], message: str, hint: str = "") -> None:
        self.log.error(self.rel, self.line(path), message, hint)

    def warn(self, path: tuple[Any, ...], message: str, hint: str = "") -> None:
        self.log.warn(self.rel, self.line(path), message, hint)

    def reference(self, kind: str, value: str, path: tuple[Any, ...]) -> None:
        name = ".".join(str(p) for p in path if not isinstance(p, int)) or kind
        self.references.append(Reference(kind, value, self.rel, self.line(path), name))

    def convert(self, record: Record) -> dict[str, Any] | None:
        """Convert the whole document as `record`; None when it cannot be built."""
        data = self.doc.data
        if data is None:
            required = [f.name for f in record.fields if f.required]
            hint = (
                "fill in at least: " + ", ".join(required)
                if required
                else "fill in some of: " + ", ".join(f.name for f in record.fields[:4]) + ", or delete the file"
            )
            self.log.error(self.rel, 1, "file is empty", hint)
            return None
        values = record.convert(data, self, ())
        return None if values is INVALID else values
