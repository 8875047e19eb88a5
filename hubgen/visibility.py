"""The visibility levels of records and build audiences, least to most restricted.

Kept apart from `hubgen.model` so the command line can offer them without
loading the data model (`hubgen search` starts faster).
"""

from __future__ import annotations

VISIBILITY_LEVELS: tuple[str, ...] = ("public", "internal", "confidential")
DEFAULT_VISIBILITY = "internal"


def visibility_rank(level: str | None) -> int:
    """Order of visibility levels; unknown levels rank as confidential (fail closed)."""
    level = level or DEFAULT_VISIBILITY
    return VISIBILITY_LEVELS.index(level) if level in VISIBILITY_LEVELS else len(VISIBILITY_LEVELS)
