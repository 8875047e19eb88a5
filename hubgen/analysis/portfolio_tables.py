"""The portfolio's base tables (pandas): one row per project, stage intervals, the quarter range and
the quarterly counts. Definitions are in `hubgen.analysis.portfolio`'s docstring."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

import pandas as pd

from hubgen.analysis.figures import (
    DELIVERED,
    FINISHED,
    IN_FLIGHT,
    NO_STAGE,
)
from hubgen.model import Hub
from hubgen.schema import REASONS, STAGES

NO_TEAM = "(no team)"
NO_CURRENCY = "(no currency)"
UNSPECIFIED = "unspecified"
WHOLE_PROJECT = "whole project"
NULL_CATEGORIES = (*REASONS, UNSPECIFIED, WHOLE_PROJECT)

PROJECT_COLUMNS = [
    "id",
    "title",
    "status",
    "stage",
    "team",
    "started",
    "ended",
    "last_stage_change",
    "leads",
    "roi_estimated",
    "roi_realized",
    "roi_currency",
    "deliverable",
]
INTERVAL_COLUMNS = ["id", "team", "status", "stage", "entered", "left", "days", "current"]
QUARTER_COLUMNS = ["quarter", "started", "finished", "delivered", "null_result", "cancelled", "hit_rate", "headcount"]
DATE_COLUMNS = ("started", "ended", "last_stage_change", "entered", "left", "next_milestone_date")


def quarter_label(period: pd.Period) -> str:
    return f"{period.year} Q{period.quarter}"


def _quarter(value: Any) -> pd.Period | None:
    if value is None or (not isinstance(value, date) and pd.isna(value)):
        return None
    return pd.Period(pd.Timestamp(value), freq="Q")


def _dates(frame: pd.DataFrame) -> pd.DataFrame:
    for column in DATE_COLUMNS:
        if column in frame:
            frame[column] = pd.to_datetime(frame[column])
    return frame


def _team(value: str | None) -> str:
    return value or NO_TEAM


# --- the two base tables -------------------------------------------------------------------------------------


def project_table(hub: Hub) -> pd.DataFrame:
    """One row per project, sorted by id."""
    rows = []
    for p in sorted(hub.projects.values(), key=lambda p: p.id):
        history = sorted(p.stage_history, key=lambda s: s.date)
        rows.append(
            {
                "id": p.id,
                "title": p.title,
                "status": p.status,
                "stage": p.stage,
                "team": p.team,
                "started": p.started,
                "ended": p.ended,
                "last_stage_change": history[-1].date if history else None,
                "leads": ", ".join(p.leads),
                "roi_estimated": p.roi.estimated if p.roi else None,
                "roi_realized": p.roi.realized if p.roi else None,
                "roi_currency": p.roi.currency if p.roi else None,
                "deliverable": p.deliverable.type if p.deliverable else None,
            }
        )
    frame = pd.DataFrame(rows, columns=PROJECT_COLUMNS)
    for column in ("roi_estimated", "roi_realized"):
        frame[column] = frame[column].astype("float64")
    return _dates(frame)


def stage_intervals(hub: Hub, today: date) -> pd.DataFrame:
    """One row per project and `stage_history` entry: when it entered, left, and the days in between."""
    rows = []
    for p in sorted(hub.projects.values(), key=lambda p: p.id):
        history = sorted(p.stage_history, key=lambda s: s.date)
        for i, entry in enumerate(history):
            current = False
            if i + 1 < len(history):
                left: date | None = history[i + 1].date
            elif p.ended:
                left = p.ended
            elif p.status in IN_FLIGHT:
                left, current = today, True
            else:
                left = None  # finished without an end date: unknown
            days = (left - entry.date).days if left is not None and left >= entry.date else None
            rows.append(
                {
                    "id": p.id,
                    "team": p.team,
                    "status": p.status,
                    "stage": entry.stage,
                    "entered": entry.date,
                    "left": left,
                    "days": days,
                    "current": current,
                }
            )
    frame = pd.DataFrame(rows, columns=INTERVAL_COLUMNS)
    frame["days"] = frame["days"].astype("Int64")
    frame["current"] = frame["current"].astype(bool)
    return _dates(frame)


# --- metrics --------------------------------------------------------------------------------------------------


def pipeline_now(projects: pd.DataFrame) -> pd.DataFrame:
    """Projects per stage right now: the backlog as its own bar, then active projects by stage."""
    active = projects[projects["status"].isin(IN_FLIGHT)]
    rows = [{"stage": "backlog", "projects": int((projects["status"] == "backlog").sum())}]
    rows += [{"stage": s, "projects": int((active["stage"] == s).sum())} for s in STAGES]
    unstaged = int((~active["stage"].isin(STAGES)).sum())
    if unstaged:
        rows.append({"stage": NO_STAGE, "projects": unstaged})
    return pd.DataFrame(rows, columns=["stage", "projects"])


MAX_QUARTERS = 80  # twenty years back from the build date: older (mistyped) dates are reported, not drawn


def quarter_range(dates: Iterable[Any], today: date) -> pd.PeriodIndex:
    """Every quarter from the earliest date to today's, at most `MAX_QUARTERS` of them.

    Dates after the build date's quarter (a typo, or a planned end) are not in the range: the quarterly
    tables count what has happened. `out_of_range` lists what is left out.
    """
    now = _quarter(today)
    assert now is not None  # today is a date
    oldest = now - (MAX_QUARTERS - 1)
    periods = [q for q in (_quarter(d) for d in dates) if q is not None and oldest <= q <= now]
    return pd.period_range(min([*periods, now]), now, freq="Q")


def out_of_range(frame: pd.DataFrame, columns: Iterable[str], quarters: pd.PeriodIndex) -> tuple[str, ...]:
    """Ids of rows with a date in `columns` outside `quarters`."""
    first, last = quarters[0].start_time, quarters[-1].end_time
    outside = pd.Series(False, index=frame.index)
    for column in columns:
        values = frame[column]
        outside |= values.notna() & ((values < first) | (values > last))
    return tuple(frame.loc[outside, "id"])


def _count_by_quarter(values: pd.Series, quarters: pd.PeriodIndex) -> pd.Series:
    periods = values.dropna().dt.to_period("Q")
    return periods.value_counts().reindex(quarters, fill_value=0).astype(int)


def headcount(hub: Hub, quarters: pd.PeriodIndex, today: date) -> list[int]:
    """People in the hub at the end of each quarter (or today, for the current one): joined, not yet left."""
    counts = []
    for q in quarters:
        at = min(q.end_time.date(), today)
        counts.append(
            sum(
                1
                for p in hub.people.values()
                if p.joined is not None and p.joined <= at and (p.left is None or p.left > at)
            )
        )
    return counts


def quarterly(hub: Hub, projects: pd.DataFrame, quarters: pd.PeriodIndex, today: date) -> pd.DataFrame:
    """Started and finished per quarter (throughput), outcomes, hit rate and headcount."""
    finished = projects[projects["status"].isin(FINISHED)]
    frame = pd.DataFrame({"quarter": [quarter_label(q) for q in quarters]})
    frame["started"] = _count_by_quarter(projects["started"], quarters).to_numpy()
    frame["finished"] = _count_by_quarter(finished["ended"], quarters).to_numpy()
    frame["delivered"] = _count_by_quarter(finished[finished["status"].isin(DELIVERED)]["ended"], quarters).to_numpy()
    nulls = finished[finished["status"] == "null-result"]
    frame["null_result"] = _count_by_quarter(nulls["ended"], quarters).to_numpy()
    frame["cancelled"] = _count_by_quarter(finished[finished["status"] == "cancelled"]["ended"], quarters).to_numpy()
    rate = frame["delivered"] / frame["finished"].where(frame["finished"] > 0)
    frame["hit_rate"] = rate.round(4)
    frame["headcount"] = headcount(hub, quarters, today)
    return frame[QUARTER_COLUMNS]


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as JSON-ready dicts: ISO dates, None for missing, plain ints and floats."""
    out = []
    for row in frame.to_dict(orient="records"):
        clean: dict[str, Any] = {}
        for key, value in row.items():
            if value is None or (not isinstance(value, (str, bool, list, tuple)) and pd.isna(value)):
                clean[key] = None
            elif isinstance(value, pd.Timestamp):
                clean[key] = value.date().isoformat()
            elif hasattr(value, "item"):  # numpy scalars
                clean[key] = value.item()
            else:
                clean[key] = value
        out.append(clean)
    return out


def to_csv(frame: pd.DataFrame) -> bytes:
    """Deterministic CSV: ISO dates, empty for missing, LF line ends."""
    return frame.to_csv(index=False, lineterminator="\n", date_format="%Y-%m-%d").encode("utf-8")
