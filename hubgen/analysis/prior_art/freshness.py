"""Whether the prior-art snapshot kept for an audience (`stored`) was made by this code for this
reference date: light, so the check can start on the other core before the models' modules load."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

VERSION = "1"
MADE_BY = "snapshot.json"  # what made it: the code and the reference date


def snapshot_dir(root: Path, audience: str) -> Path:
    return root / ".hubgen-cache" / "prior-art" / audience


def made_by(today: date) -> dict[str, str]:
    """What a snapshot made now is stored with (`made_here` compares it)."""
    from hubgen.fingerprint import code_fingerprint, code_stat

    return {
        "version": VERSION,
        "code": code_fingerprint(),
        "code_stat": code_stat(),
        "today": today.isoformat(),
    }


def made_here(directory: Path, today: date) -> bool:
    """Whether the snapshot at `directory` was made by this code for this reference date (not the content:
    `index_state.is_fresh` tells that). The code's fingerprint is taken only when its stats changed."""
    from hubgen.fingerprint import code_fingerprint, code_stat

    try:
        made = json.loads((directory / MADE_BY).read_text())
    except (OSError, ValueError):
        return False
    if not isinstance(made, dict) or made.get("version") != VERSION or made.get("today") != today.isoformat():
        return False
    return made.get("code_stat") == code_stat() or made.get("code") == code_fingerprint()
