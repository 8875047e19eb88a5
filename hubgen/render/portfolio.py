"""The portfolio section: chart specs with captions and alt text, data files, headline cards.

Numbers come from `hubgen.analysis.portfolio`; this module only words and
lays them out. Charts are drawn (or read from the cache) by
`hubgen.render.charts`; everything lands in `Site.files` under `portfolio/`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hubgen.analysis import portfolio as pf
from hubgen.analysis.figures import Figures
from hubgen.render import charts
from hubgen.render.chart_drawing import compact

SECTION = "portfolio/"
BACKLOG = "portfolio/backlog/"
DATA = "portfolio/data/"
CHARTS = "portfolio/charts/"
HIT_RATE_BAND = (0.6, 0.8)  # three or four of five


@dataclass(frozen=True)
class Chart:
    name: str
    title: str
    caption: str
    alt: str
    data: str  # site path of the chart's CSV
    extra: tuple[tuple[str, str], ...] = ()  # (label, site path) of related data files
    width: int = charts.WIDTH_PX
    height: int = charts.HEIGHT_PX

    def image(self, theme: str, fmt: str) -> str:
        return f"{CHARTS}{self.name}.{theme}.{fmt}"


@dataclass(frozen=True)
class DataFile:
    path: str
    title: str
    description: str


@dataclass(frozen=True)
class Card:
    figure: str
    label: str
    note: str
    target: str  # site URL (with #anchor)
    key: str = ""  # the shared figure shown (hubgen.analysis.figures), empty for others


# --- wording --------------------------------------------------------------------------------------------------


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def money(amount: float, currency: str | None) -> str:
    """`GBP 20.1M`, `USD 850k`."""
    value = compact(amount)
    return f"{currency} {value}" if currency and currency != pf.NO_CURRENCY else value


def percent(rate: float | None) -> str:
    return "n/a" if rate is None else f"{rate * 100:.0f}%"


def _span(quarters: list[str]) -> str:
    if not quarters:
        return ""
    return quarters[0] if len(quarters) == 1 else f"{quarters[0]} to {quarters[-1]}"


def _peak(frame: Any, column: str) -> str:
    if frame.empty or int(frame[column].max()) == 0:
        return "none"
    row = frame.loc[frame[column].idxmax()]
    return f"{int(row[column])} in {row['quarter']}"


def _gap(notes: list[str], *keys: str) -> str:
    picked = [n for n in notes if any(k in n for k in keys)]
    return (" " + " ".join(f"{n}." for n in picked)) if picked else ""


# --- charts ---------------------------------------------------------------------------------------------------


def chart_specs(p: pf.Portfolio) -> list[tuple[charts.ChartSpec, Chart]]:
    h = p.headline
    q = p.quarterly
    quarters = list(q["quarter"])
    span = _span(quarters)
    notes = p.gap_notes()
    out: list[tuple[charts.ChartSpec, Chart]] = []

    def add(
        name: str,
        kind: str,
        data: Any,
        title: str,
        caption: str,
        alt: str,
        params: dict[str, Any] | None = None,
        extra: tuple[tuple[str, str], ...] = (),
        rows: int = 0,
    ) -> None:
        height = max(charts.HEIGHT_IN, 1.2 + 0.5 * rows)  # horizontal bar charts grow with their rows
        spec = charts.ChartSpec(name, kind, data, params or {}, height)
        width, pixels = spec.pixels
        out.append((spec, Chart(name, title, caption, alt, f"{DATA}{name}.csv", extra, width, pixels)))

    stages = ", ".join(f"{r.stage} {int(r.projects)}" for r in p.pipeline.itertuples())
    add(
        "pipeline",
        "pipeline",
        p.pipeline,
        "Pipeline by stage",
        f"Projects in flight by lifecycle stage on {h.as_of.isoformat()}, with the backlog (hatched) as its own bar: "
        f"{_plural(h.in_flight, 'active project')}, {h.backlog} waiting in the backlog.",
        f"Horizontal bar chart of projects by stage today: {stages}.",
    )

    add(
        "throughput",
        "throughput",
        q[["quarter", "started", "finished", "headcount"]],
        "Throughput per quarter",
        f"Projects started and finished per quarter, {span}, with the team's headcount at the end of each quarter "
        "(line, right axis). Finished means delivered, retired, null result or cancelled, counted in the quarter "
        "of its end date; quarters with nothing are shown as zero."
        + _gap(notes, "without dates", "joined", "dates outside"),
        f"Bar chart of projects started and finished per quarter from {span}. Most started: {_peak(q, 'started')}; "
        f"most finished: {_peak(q, 'finished')}. Headcount went from {int(q['headcount'].iloc[0])} to "
        f"{int(q['headcount'].iloc[-1])} people.",
    )

    hit = q[["quarter", "finished", "delivered", "null_result", "cancelled", "hit_rate"]]
    rated = hit[hit["finished"] > 0]
    add(
        "hit-rate",
        "hit-rate",
        hit,
        "Hit rate per quarter",
        "Finished projects per quarter by outcome, and the hit rate: delivered ÷ finished (dots, right axis). "
        f"The shaded band is {percent(HIT_RATE_BAND[0])} to {percent(HIT_RATE_BAND[1])}, three or four projects "
        "of five delivering value. Retired projects count as delivered: they delivered before being retired. "
        f"Null results and cancellations are shown, not hidden. Overall, {h.delivered} of "
        f"{_plural(h.finished, 'finished project')} delivered ({percent(h.hit_rate)})."
        + _gap(notes, "without dates", "dates outside"),
        f"Stacked bar chart of finished projects per quarter from {span}, split into delivered, null result and "
        f"cancelled, with the hit rate as dots. Overall hit rate {percent(h.hit_rate)} ({h.delivered} of {h.finished})."
        + (
            f" Hit rate ranged from {percent(rated['hit_rate'].min())} to {percent(rated['hit_rate'].max())} "
            "in quarters with finished projects."
            if not rated.empty
            else ""
        ),
        {"band": list(HIT_RATE_BAND)},
    )

    by_team = p.roi_by_team
    currency = p.currency
    shown = by_team[(by_team["currency"] == currency) & (by_team["projects"] > 0)] if currency else by_team.iloc[0:0]
    mine = by_team[by_team["currency"] == currency]
    other = p.roi[p.roi["currency"] != currency].groupby("currency").size() if currency else None
    left_out = (
        " Left out of the chart: "
        + ", ".join(f"{_plural(int(n), 'project')} in {c}" for c, n in other.items())
        + "; they are in the data table."
        if other is not None and len(other)
        else ""
    )
    reported = int(shown["projects"].sum())
    waiting, waiting_value = int(mine["estimate_only"].sum()), float(mine["estimate_only_value"].sum())
    no_estimate = int(shown["without_estimate"].sum())
    add(
        "roi",
        "roi",
        by_team,
        "Estimated vs realized ROI",
        (
            f"Estimated and realized ROI by team in {currency}, over the {_plural(reported, 'project')} that report a "
            "realized figure, finished or still running, each counted with its own estimate"
            + (f" ({no_estimate} without one)" if no_estimate else "")
            + ". "
            f"Not shown: {_plural(waiting, 'project')} with an estimate only ({money(waiting_value, currency)}), "
            "most of them still in flight."
            if currency
            else "No project reports an ROI figure yet."
        )
        + left_out,
        (
            "Horizontal bar chart of estimated and realized ROI by team in "
            + str(currency)
            + ": "
            + "; ".join(
                f"{r.team} estimated {money(r.estimated, currency)}, realized {money(r.realized, currency)}"
                for r in shown.itertuples()
            )
            + "."
            if not shown.empty
            else "Empty chart: no project reports a realized ROI yet."
        ),
        {"currency": currency, "no_currency": pf.NO_CURRENCY},
        extra=(("ROI per project (CSV)", f"{DATA}roi-projects.csv"),),
        rows=len(shown),
    )

    st = p.stage_times
    timed = st[st["intervals"] > 0]
    working = timed[timed["stage"] != "monitoring"]  # monitoring is the live phase: long by design
    slowest = working.loc[working["median"].idxmax()] if not working.empty else None
    ongoing = int(st["ongoing"].sum())
    add(
        "stage-time",
        "stage-time",
        st,
        "Time in each stage",
        "Days projects spent in each lifecycle stage, from their stage history: the box holds the middle half of the "
        "stays (first to third quartile), the thick line is the median, the whiskers reach the shortest and "
        "longest; the scale is logarithmic so that weeks and years both read. A stay ends when the next stage "
        "starts, else at the project's end date; "
        f"{_plural(ongoing, 'stay')} still in progress {'is' if ongoing == 1 else 'are'} counted up to "
        f"{h.as_of.isoformat()}."
        + (
            f" Longest median before monitoring (the live phase, long by design): {slowest['stage']} "
            f"({slowest['median']:g} days)."
            if slowest is not None
            else ""
        ),
        (
            "Box plot of days per stage: "
            + "; ".join(
                f"{r.stage} median {r.median:g} days, quartiles {r.q1:g} to {r.q3:g} (n={int(r.intervals)})"
                for r in timed.itertuples()
            )
            + "."
            if not timed.empty
            else "Empty chart: no project has a stage history."
        ),
        extra=(("Stage intervals (CSV)", f"{DATA}stage-intervals.csv"),),
        rows=len(timed),
    )

    nr = p.null_results
    reasons = ", ".join(f"{r.reason} {int(r.null_results)}" for r in p.null_reasons.itertuples() if r.null_results)
    add(
        "null-results",
        "null-results",
        nr,
        "Null results per quarter",
        f"Null results published per quarter, by reason: write-ups by their date, and projects that ended as a null "
        f'result ("{pf.WHOLE_PROJECT}", hatched) by their end date. {h.null_results} in all'
        + (f": {reasons}." if reasons else ".")
        + _gap(notes, "null-result project", "dates outside"),
        f"Stacked bar chart of null results per quarter from {span} by reason; most in one quarter: "
        f"{_peak(nr, 'total')}. Totals by reason: {reasons or 'none'}.",
        {"categories": list(pf.NULL_CATEGORIES), "whole_project": pf.WHOLE_PROJECT},
        extra=(("By reason (CSV)", f"{DATA}null-results-by-reason.csv"),),
    )

    rg = p.reuse.table
    add(
        "reuse",
        "reuse",
        rg,
        "Reuse growth",
        "Assets (datasets, features, models, components) consumed by more than one project: the total (line) and "
        "those newly reused in each quarter (bars). An asset counts from the quarter its second consuming project "
        f"started. {_plural(h.reused_assets, 'asset is', 'assets are')} reused today." + _gap(notes, "reused asset"),
        f"Step chart of reused assets from {span}: from {int(rg['reused_assets'].iloc[0])} to "
        f"{int(rg['reused_assets'].iloc[-1])}; most newly reused: {_peak(rg, 'newly_reused')}.",
        extra=(("Reused assets (CSV)", f"{DATA}reused-assets.csv"),),
    )

    t = p.teams
    add(
        "teams",
        "teams",
        t,
        "People and projects per team",
        "People in each team now (alumni are not counted), all the team's projects, and those in flight.",
        (
            "Horizontal bar chart per team: "
            + "; ".join(
                f"{r.team} {_plural(int(r.people), 'person', 'people')}, {_plural(int(r.projects), 'project')}, "
                f"{int(r.active)} in flight"
                for r in t.itertuples()
            )
            + "."
            if not t.empty
            else "Empty chart: no teams."
        ),
        rows=len(t),
    )
    return out


def data_files(p: pf.Portfolio) -> tuple[list[DataFile], dict[str, bytes]]:
    """The portfolio tables for download: projects and stage intervals as CSV and JSON, and the rest as CSV."""
    tables = [
        (
            "projects",
            p.projects,
            "Project table",
            "one row per project: status, stage, team, dates, leads, ROI, deliverable",
        ),
        (
            "stage-intervals",
            p.intervals,
            "Stage intervals",
            "one row per project and stage entered: entered, left, days, still current",
        ),
        ("quarters", p.quarterly, "Per quarter", "started, finished by outcome, hit rate, headcount"),
        ("roi-projects", p.roi, "ROI per project", "estimated and realized ROI with currency"),
        ("null-results-by-reason", p.null_reasons, "Null results by reason", "all null results, dated or not"),
        ("reused-assets", p.reuse.assets, "Reused assets", "assets consumed by more than one project, and since when"),
        ("backlog", p.backlog, "Stakeholder backlog", "what is in flight and what waits, with leads and dates"),
    ]
    listed, files = [], {}
    for stem, frame, title, description in tables:
        files[f"{DATA}{stem}.csv"] = pf.to_csv(frame)
        listed.append(DataFile(f"{DATA}{stem}.csv", f"{title} (CSV)", description))
        if stem in ("projects", "stage-intervals"):
            files[f"{DATA}{stem}.json"] = (json.dumps(pf.records(frame), indent=1, ensure_ascii=False) + "\n").encode()
            listed.append(DataFile(f"{DATA}{stem}.json", f"{title} (JSON)", description))
    return listed, files


def build(p: pf.Portfolio, cache_dir: Path | None) -> tuple[list[Chart], list[DataFile], dict[str, bytes]]:
    """Every chart (drawn or from the cache), its CSV, and the downloadable tables."""
    listed, files = data_files(p)
    pairs = chart_specs(p)
    drawn = charts.chart_files([spec for spec, _ in pairs], cache_dir)
    for (spec, chart), variants in zip(pairs, drawn):
        files[chart.data] = spec.csv()
        for variant, data in variants.items():
            files[f"{CHARTS}{spec.name}.{variant}"] = data
    return [chart for _, chart in pairs], listed, files


# --- headline cards -------------------------------------------------------------------------------------------


def cards(h: pf.Headline, f: Figures) -> list[Card]:
    """The headline figures as cards, for the home page, the portfolio page and `hubgen stats`.

    Figures and their words come from `hubgen.analysis.figures`, so every place says the same.
    """
    currency = h.currency if h.currency in h.realized_roi else min(h.realized_roi, default=None)
    realized = money(h.realized_roi[currency], currency) if currency else "none"
    others = len(h.realized_roi) - 1 if currency else 0

    def card(key: str, note: str, target: str) -> Card:
        return Card(f[key].text, f[key].label, note, target, key)

    return [
        card("in_flight", f"{f['backlog'].text} {f['backlog'].label}", f"{SECTION}#pipeline"),
        card("delivered_this_year", "delivered or retired projects that ended this year", f"{SECTION}#throughput"),
        card(
            "hit_rate",
            f"{f['delivered'].text} of {f['finished'].text} {f['finished'].label} delivered",
            f"{SECTION}#hit-rate",
        ),
        Card(
            realized,
            "realized ROI",
            (f"reported by {_plural(h.realized_projects, 'project')}" if currency else "no ROI reported yet")
            + (f"; {others} more currenc{'y' if others == 1 else 'ies'}" if others else ""),
            f"{SECTION}#roi",
        ),
        card("null_results", "write-ups and null-result projects", f"{SECTION}#null-results"),
        card("reused_assets", f["reused_assets"].definition, f"{SECTION}#reuse"),
    ]


def quarter_rows(p: pf.Portfolio) -> list[dict[str, Any]]:
    """The per-quarter table as shown on the page (and printed by `hubgen stats`)."""
    rows = []
    for r in pf.records(p.quarterly):
        rows.append({**r, "hit_rate_text": percent(r["hit_rate"]) if r["hit_rate"] is not None else ""})
    return rows


def backlog_groups(p: pf.Portfolio) -> tuple[list[str], list[dict[str, Any]]]:
    """The stakeholder backlog by team: stage columns (backlog last) and, per team, counts and rows."""
    b = p.backlog
    present = set(b["stage"])
    columns = [s for s in (*pf.STAGES, pf.NO_STAGE, "backlog") if s in pf.STAGES or s in present or s == "backlog"]
    groups = []
    for team in dict.fromkeys(b["team"]):
        rows = pf.records(b[b["team"] == team])
        for r in rows:
            r["leads"] = [h for h in (r["leads"] or "").split(", ") if h]
        groups.append(
            {
                "team": team,
                "anchor": "team-" + (re.sub(r"[^a-z0-9]+", "-", team.lower()).strip("-") or "x"),
                "counts": [sum(1 for r in rows if r["stage"] == s) for s in columns],
                "total": len(rows),
                "rows": rows,
            }
        )
    return columns, groups
