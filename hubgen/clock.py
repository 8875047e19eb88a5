"""The build's one reading of the calendar: output never depends on the wall clock otherwise."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime


def build_date() -> date:
    """Today, or the date of SOURCE_DATE_EPOCH for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC).date()
    return date.today()
