"""The portfolio: the whole body of work as tables and metrics (pandas).

Pure functions of a `Hub` (already restricted to the audience, so nothing here
looks at visibility) and a reference date `today`, which is the build date
(`hubgen.clock.build_date()`): nothing here reads the clock.

Definitions (the docs and the chart captions say the same):

- finished: status `delivered`, `retired`, `null-result` or `cancelled`,
  counted in the quarter of `ended`. A retired project delivered before it was
  retired, so it counts as delivered.
- hit rate: delivered ÷ finished (per quarter by `ended`; overall over every
  finished project, dated or not).
- stage intervals: one per `stage_history` entry; it ends when the next stage
  starts, else at `ended`, else (active projects only: the current stage) at
  `today`. Still-open intervals are included in the stage times and flagged.
- null results: null-result records by their `date` and `reason`, plus
  projects with status `null-result` by `ended` (reason "whole project").
- reuse: an asset consumed by more than one project counts from the quarter
  its second consuming project started.
- quarters are a continuous range from the earliest dated event to the
  quarter of `today` (or the latest event if later); empty quarters are zeros.
  Projects with no dates count wherever dates are not needed (pipeline, hit
  rate overall, ROI, teams) and are listed in `Portfolio.gaps`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd

from hubgen.analysis.figures import (
    DELIVERED,
    FINISHED,
    IN_FLIGHT,
    NO_STAGE,
    Figures,
    reused_assets,
    shared_figures,
)
from hubgen.analysis.lineage import LineageGraph, build_graph
from hubgen.analysis.portfolio_tables import (
    MAX_QUARTERS,
    NO_CURRENCY,
    NO_TEAM,
    NULL_CATEGORIES,
    UNSPECIFIED,
    WHOLE_PROJECT,
    _count_by_quarter,
    _dates,
    _quarter,
    _team,
    out_of_range,
    pipeline_now,
    project_table,
    quarter_label,
    quarter_range,
    quarterly,
    records,
    stage_intervals,
    to_csv,
)
from hubgen.model import Hub, Project
from hubgen.schema import STAGES

# defined once, in hubgen.analysis.figures and .portfolio_tables; offered here with the portfolio
__all__ = [
    "DELIVERED",
    "FINISHED",
    "IN_FLIGHT",
    "NO_STAGE",
    "NO_CURRENCY",
    "NULL_CATEGORIES",
    "WHOLE_PROJECT",
    "records",
    "to_csv",
]


def roi_projects(projects: pd.DataFrame) -> pd.DataFrame:
    """Projects with an ROI figure: estimated and realized, in their currency."""
    has = projects["roi_estimated"].notna() | projects["roi_realized"].notna()
    frame = projects.loc[has, ["id", "title", "team", "status", "roi_currency", "roi_estimated", "roi_realized"]]
    frame = frame.rename(
        columns={"roi_currency": "currency", "roi_estimated": "estimated", "roi_realized": "realized"}
    ).reset_index(drop=True)
    frame["team"] = frame["team"].fillna(NO_TEAM)
    frame["currency"] = frame["currency"].fillna(NO_CURRENCY)
    frame.insert(4, "finished", frame["status"].isin(FINISHED))
    return frame


def roi_by_team(roi: pd.DataFrame) -> pd.DataFrame:
    """Estimated vs realized per team and currency, over the projects that report a realized figure.

    Each such project counts with its own estimate, so the two bars compare like with like; projects with
    an estimate only (mostly still in flight) are counted apart (`estimate_only`, `estimate_only_value`).
    """
    columns = [
        "team",
        "currency",
        "projects",
        "estimated",
        "realized",
        "without_estimate",
        "estimate_only",
        "estimate_only_value",
    ]
    rows = []
    for (team, currency), group in roi.groupby(["team", "currency"], sort=True):
        reported = group[group["realized"].notna()]
        waiting = group[group["realized"].isna() & group["estimated"].notna()]
        rows.append(
            {
                "team": team,
                "currency": currency,
                "projects": len(reported),
                "estimated": float(reported["estimated"].sum()),
                "realized": float(reported["realized"].sum()),
                "without_estimate": int(reported["estimated"].isna().sum()),
                "estimate_only": len(waiting),
                "estimate_only_value": float(waiting["estimated"].sum()),
            }
        )
    return pd.DataFrame(rows, columns=columns)


def main_currency(roi: pd.DataFrame) -> str | None:
    """The currency most projects state (ties: alphabetical, a real currency before none)."""
    if roi.empty:
        return None
    counts = roi["currency"].value_counts()
    return sorted(counts.index, key=lambda c: (-counts[c], c == NO_CURRENCY, c))[0]


def stage_times(intervals: pd.DataFrame) -> pd.DataFrame:
    """Days spent in each stage: count, still open, min, quartiles (linear), max, mean."""
    rows = []
    known = intervals.dropna(subset=["days"])
    for stage in STAGES:
        days = known.loc[known["stage"] == stage, "days"].astype(float)
        ongoing = int(known.loc[known["stage"] == stage, "current"].sum())
        if days.empty:
            rows.append(
                {
                    "stage": stage,
                    "intervals": 0,
                    "ongoing": 0,
                    "min": None,
                    "q1": None,
                    "median": None,
                    "q3": None,
                    "max": None,
                    "mean": None,
                }
            )
            continue
        rows.append(
            {
                "stage": stage,
                "intervals": int(days.size),
                "ongoing": ongoing,
                "min": days.min(),
                "q1": days.quantile(0.25),
                "median": days.median(),
                "q3": days.quantile(0.75),
                "max": days.max(),
                "mean": round(days.mean(), 1),
            }
        )
    return pd.DataFrame(rows, columns=["stage", "intervals", "ongoing", "min", "q1", "median", "q3", "max", "mean"])


def null_result_events(hub: Hub) -> pd.DataFrame:
    """Every published null result: records by date and reason, null-result projects by `ended`."""
    rows = [
        {"kind": "record", "id": n.id, "date": n.date, "category": n.reason or UNSPECIFIED}
        for n in sorted(hub.null_results.values(), key=lambda n: n.id)
    ]
    rows += [
        {"kind": "project", "id": p.id, "date": p.ended, "category": WHOLE_PROJECT}
        for p in sorted(hub.projects.values(), key=lambda p: p.id)
        if p.status == "null-result"
    ]
    frame = pd.DataFrame(rows, columns=["kind", "id", "date", "category"])
    frame["date"] = pd.to_datetime(frame["date"])
    return frame


def null_results_quarterly(events: pd.DataFrame, quarters: pd.PeriodIndex) -> pd.DataFrame:
    frame = pd.DataFrame({"quarter": [quarter_label(q) for q in quarters]})
    for category in NULL_CATEGORIES:
        frame[category] = _count_by_quarter(events.loc[events["category"] == category, "date"], quarters).to_numpy()
    frame["total"] = frame[list(NULL_CATEGORIES)].sum(axis=1)
    return frame


def null_results_by_reason(events: pd.DataFrame) -> pd.DataFrame:
    counts = events["category"].value_counts()
    return pd.DataFrame(
        {"reason": list(NULL_CATEGORIES), "null_results": [int(counts.get(c, 0)) for c in NULL_CATEGORIES]}
    )


@dataclass(frozen=True)
class Reuse:
    table: pd.DataFrame  # quarter, newly_reused, reused_assets (cumulative)
    assets: pd.DataFrame  # asset, projects, since (quarter label or empty)
    undated: tuple[str, ...]  # reused assets not in the chart: no two dated consuming projects, or out of range


def reuse_growth(hub: Hub, graph: LineageGraph, quarters: pd.PeriodIndex) -> Reuse:
    rows, undated = [], []
    quarters_set = set(quarters)
    for key in reused_assets(graph):
        consumers = sorted(set(graph.assets[key].consuming_projects))
        starts = sorted(d for c in consumers if c in hub.projects and (d := hub.projects[c].started) is not None)
        since = _quarter(starts[1]) if len(starts) >= 2 else None
        if since is None or since not in quarters_set:
            undated.append(key)
        rows.append(
            {
                "asset": key,
                "projects": len(consumers),
                "since": quarter_label(since) if since else None,
                "_period": since,
            }
        )
    assets = pd.DataFrame(rows, columns=["asset", "projects", "since", "_period"])
    counts = pd.Series([r["_period"] for r in rows if r["_period"] is not None], dtype="period[Q-DEC]")
    new = counts.value_counts().reindex(quarters, fill_value=0).astype(int)
    table = pd.DataFrame({"quarter": [quarter_label(q) for q in quarters], "newly_reused": new.to_numpy()})
    table["reused_assets"] = table["newly_reused"].cumsum()
    return Reuse(table, assets.drop(columns="_period"), tuple(undated))


def teams(hub: Hub, projects: pd.DataFrame) -> pd.DataFrame:
    """People (current and alumni) and projects (by outcome) per team."""
    names = {_team(p.team) for p in hub.people.values()} | set(projects["team"].fillna(NO_TEAM))
    rows = []
    for name in sorted(names, key=lambda t: (t == NO_TEAM, t)):
        members = [p for p in hub.people.values() if _team(p.team) == name]
        mine = projects[projects["team"].fillna(NO_TEAM) == name]
        rows.append(
            {
                "team": name,
                "people": sum(1 for p in members if not p.alumni),
                "alumni": sum(1 for p in members if p.alumni),
                "projects": len(mine),
                "active": int((mine["status"] == "active").sum()),
                "backlog": int((mine["status"] == "backlog").sum()),
                "delivered": int(mine["status"].isin(DELIVERED).sum()),
                "null_result": int((mine["status"] == "null-result").sum()),
                "cancelled": int((mine["status"] == "cancelled").sum()),
            }
        )
    frame = pd.DataFrame(
        rows,
        columns=["team", "people", "alumni", "projects", "active", "backlog", "delivered", "null_result", "cancelled"],
    )
    return frame[(frame["people"] + frame["alumni"] + frame["projects"]) > 0].reset_index(drop=True)


def _next_milestone(p: Project, today: date) -> tuple[date | None, str | None]:
    upcoming = sorted((m for m in p.timeline if m.date >= today), key=lambda m: m.date)
    return (upcoming[0].date, upcoming[0].milestone) if upcoming else (None, None)


BACKLOG_COLUMNS = [
    "team",
    "status",
    "stage",
    "id",
    "title",
    "leads",
    "started",
    "last_stage_change",
    "next_milestone_date",
    "next_milestone",
]


def stakeholder_backlog(hub: Hub, today: date) -> pd.DataFrame:
    """What is in flight and what waits: by team, then stage (the backlog last), with leads and dates."""
    order = {s: i for i, s in enumerate((*STAGES, NO_STAGE, "backlog"))}
    rows: list[dict[str, Any]] = []
    for p in hub.projects.values():
        if p.status not in (*IN_FLIGHT, "backlog"):
            continue
        history = sorted(p.stage_history, key=lambda s: s.date)
        when, what = _next_milestone(p, today)
        stage = "backlog" if p.status == "backlog" else (p.stage if p.stage in STAGES else NO_STAGE)
        rows.append(
            {
                "team": _team(p.team),
                "status": p.status,
                "stage": stage,
                "id": p.id,
                "title": p.title,
                "leads": ", ".join(p.leads),
                "started": p.started,
                "last_stage_change": history[-1].date if history else None,
                "next_milestone_date": when,
                "next_milestone": what,
            }
        )
    rows.sort(
        key=lambda r: (r["team"] == NO_TEAM, r["team"], order[r["stage"]], r["started"] or date.max, r["title"].lower())
    )
    return _dates(pd.DataFrame(rows, columns=BACKLOG_COLUMNS))


# --- headline figures -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Headline:
    as_of: date
    in_flight: int  # active projects
    backlog: int
    delivered_this_year: int  # delivered or retired, `ended` in the year of `as_of`
    finished: int  # every finished project, dated or not
    delivered: int  # of those, delivered or retired
    null_results: int  # null-result records + projects with status null-result
    reused_assets: int  # assets consumed by more than one project
    realized_projects: int = 0  # projects reporting a realized ROI
    currency: str | None = None  # the currency most projects state their ROI in
    realized_roi: dict[str, float] = field(default_factory=dict)  # currency -> sum over all projects
    estimated_roi: dict[str, float] = field(default_factory=dict)  # currency -> sum over all projects

    @property
    def hit_rate(self) -> float | None:
        return round(self.delivered / self.finished, 4) if self.finished else None

    @property
    def year(self) -> int:
        return self.as_of.year

    def as_dict(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "in_flight": self.in_flight,
            "backlog": self.backlog,
            "delivered_this_year": self.delivered_this_year,
            "year": self.year,
            "hit_rate": self.hit_rate,
            "finished": self.finished,
            "delivered": self.delivered,
            "roi_currency": self.currency,
            "realized_projects": self.realized_projects,
            "realized_roi": dict(self.realized_roi),
            "estimated_roi": dict(self.estimated_roi),
            "null_results": self.null_results,
            "reused_assets": self.reused_assets,
        }


def _sums(roi: pd.DataFrame, column: str) -> dict[str, float]:
    known = roi.dropna(subset=[column])
    sums = known.groupby("currency", sort=True)[column].sum()
    return {str(c): float(v) for c, v in sums.items()}


# --- everything at once ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Portfolio:
    today: date
    projects: pd.DataFrame
    intervals: pd.DataFrame
    pipeline: pd.DataFrame
    quarterly: pd.DataFrame
    roi: pd.DataFrame  # per project
    roi_by_team: pd.DataFrame  # per team and currency, projects reporting realized ROI
    currency: str | None  # the currency the ROI chart shows: the one most projects state
    stage_times: pd.DataFrame
    null_results: pd.DataFrame  # per quarter and category
    null_reasons: pd.DataFrame
    reuse: Reuse
    teams: pd.DataFrame
    backlog: pd.DataFrame
    headline: Headline
    figures: Figures  # the shared figures, with their words (hubgen.analysis.figures)
    gaps: dict[str, tuple[str, ...]]  # what is left out where, by id

    def gap_notes(self) -> list[str]:
        """Plain sentences on what the dated charts leave out, for captions, pages and the CLI."""
        notes = []
        undated = sorted(set(self.gaps["started"]) | set(self.gaps["ended"]))
        if undated:
            n = len(undated)
            notes.append(
                f"{n} project{'s' if n != 1 else ''} without dates {'are' if n != 1 else 'is'} not in "
                f"the quarterly charts: {', '.join(undated)}"
            )
        if self.gaps["null_results"]:
            n = len(self.gaps["null_results"])
            notes.append(
                f"{n} null-result project{'s' if n != 1 else ''} without an end date "
                f"{'are' if n != 1 else 'is'} not in the null results per quarter: "
                + ", ".join(self.gaps["null_results"])
            )
        if self.gaps["people"]:
            n = len(self.gaps["people"])
            notes.append(
                f"{n} {'people' if n != 1 else 'person'} without a joined date "
                f"{'are' if n != 1 else 'is'} not in the headcount"
            )
        if self.gaps["out_of_range"]:
            n = len(self.gaps["out_of_range"])
            first, last = self.quarterly["quarter"].iloc[0], self.quarterly["quarter"].iloc[-1]
            notes.append(
                f"{n} record{'s have' if n != 1 else ' has'} dates outside {first} to {last} (after the "
                f"build date, or more than {MAX_QUARTERS // 4} years before it); those dates are not in the "
                f"quarterly charts: {', '.join(self.gaps['out_of_range'])}"
            )
        if self.reuse.undated:
            n = len(self.reuse.undated)
            notes.append(
                f"{n} reused asset{'s' if n != 1 else ''} without two dated consuming projects in range "
                f"{'are' if n != 1 else 'is'} not in the reuse growth chart: {', '.join(self.reuse.undated)}"
            )
        return notes


def analyse(hub: Hub, today: date, graph: LineageGraph | None = None) -> Portfolio:
    graph = graph or build_graph(hub)
    projects = project_table(hub)
    intervals = stage_intervals(hub, today)
    events = null_result_events(hub)
    finished = projects[projects["status"].isin(FINISHED)]
    quarters = quarter_range(
        [*projects["started"].dropna(), *finished["ended"].dropna(), *events["date"].dropna()], today
    )
    roi = roi_projects(projects)
    reuse = reuse_growth(hub, graph, quarters)
    figures = shared_figures(hub, graph, today.year)
    count = figures.values()
    headline = Headline(
        as_of=today,
        in_flight=int(count["in_flight"] or 0),
        backlog=int(count["backlog"] or 0),
        delivered_this_year=int(count["delivered_this_year"] or 0),
        finished=int(count["finished"] or 0),
        delivered=int(count["delivered"] or 0),
        null_results=int(count["null_results"] or 0),
        reused_assets=int(count["reused_assets"] or 0),
        realized_projects=int(roi["realized"].notna().sum()),
        currency=main_currency(roi),
        realized_roi=_sums(roi, "realized"),
        estimated_roi=_sums(roi, "estimated"),
    )
    gaps = {
        "started": tuple(projects.loc[(projects["status"] != "backlog") & projects["started"].isna(), "id"]),
        "ended": tuple(finished.loc[finished["ended"].isna(), "id"]),
        "null_results": tuple(events.loc[events["date"].isna(), "id"]),
        "people": tuple(sorted(h for h, p in hub.people.items() if p.joined is None)),
        "out_of_range": tuple(
            sorted(
                {
                    *out_of_range(projects, ["started"], quarters),
                    *out_of_range(finished, ["ended"], quarters),
                    *out_of_range(events.rename(columns={"date": "when"}), ["when"], quarters),
                }
            )
        ),
    }
    return Portfolio(
        today=today,
        projects=projects,
        intervals=intervals,
        pipeline=pipeline_now(projects),
        quarterly=quarterly(hub, projects, quarters, today),
        roi=roi,
        roi_by_team=roi_by_team(roi),
        currency=main_currency(roi),
        stage_times=stage_times(intervals),
        null_results=null_results_quarterly(events, quarters),
        null_reasons=null_results_by_reason(events),
        reuse=reuse,
        teams=teams(hub, projects),
        backlog=stakeholder_backlog(hub, today),
        headline=headline,
        figures=figures,
        gaps=gaps,
    )


# --- plain data out -------------------------------------------------------------------------------------------
