"""The hub's shared figures: each count defined once, with the words every page uses for it.

A portfolio site is read by people who compare pages: when the home page,
the portfolio and the reuse page each count "reused" their own way, nobody
trusts any of them. So every figure shown in more than one place (pages,
cards, captions, `hubgen stats --json`, `api/hub.json`) is computed here, once,
with its label and its definition; `docs/portfolio-metrics.md` lists the same
table. Pure functions of a `Hub` already cut to the audience.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hubgen.analysis.lineage import LineageGraph, is_asset
from hubgen.model import Hub
from hubgen.schema import STAGES, STATUSES

FINISHED = ("delivered", "retired", "null-result", "cancelled")
DELIVERED = ("delivered", "retired")
IN_FLIGHT = ("active",)
NO_STAGE = "(no stage)"


@dataclass(frozen=True)
class Figure:
    """One number with the words it is shown with everywhere."""

    key: str
    value: int | float | None
    label: str  # the words next to the number, on every page and in the CLI
    definition: str  # what is counted: docs, tooltips, the export
    rate: bool = False  # a share (0..1), shown as a percentage

    @property
    def text(self) -> str:
        if self.value is None:
            return "n/a"
        if self.rate:
            return f"{float(self.value) * 100:.0f}%"
        return f"{int(self.value):,}"

    def as_dict(self) -> dict[str, Any]:
        return {"value": self.value, "text": self.text, "label": self.label, "definition": self.definition}


def plural(n: int, one: str, many: str | None = None) -> str:
    """`1 team`, `2 teams`: the one place counts meet nouns."""
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


def assets_in_use(graph: LineageGraph) -> list[str]:
    """Asset keys (jobs apart) with at least one direct consumer: a project, a job or an external user."""
    return sorted(k for k, u in graph.assets.items() if is_asset(k) and u.reuse > 0)


def reused_assets(graph: LineageGraph) -> list[str]:
    """Asset keys (jobs apart) consumed directly by more than one project."""
    return sorted(k for k, u in graph.assets.items() if is_asset(k) and len(set(u.consuming_projects)) > 1)


def by_status(hub: Hub) -> dict[str, int]:
    """Every project by status, every status listed (zeros too), in the schema's order."""
    counts = dict.fromkeys(STATUSES, 0)
    for p in hub.projects.values():
        counts[p.status] = counts.get(p.status, 0) + 1
    return counts


def by_stage(hub: Hub) -> dict[str, int]:
    """The pipeline: the backlog apart, then projects in flight by stage (the portfolio's first chart)."""
    counts = {"backlog": sum(1 for p in hub.projects.values() if p.status == "backlog")}
    counts |= dict.fromkeys(STAGES, 0)
    for p in hub.projects.values():
        if p.status in IN_FLIGHT:
            stage = p.stage if p.stage in STAGES else NO_STAGE
            counts[stage] = counts.get(stage, 0) + 1
    return counts


@dataclass(frozen=True)
class Figures:
    """The shared figures by key, in the order the docs list them."""

    items: dict[str, Figure]
    by_status: dict[str, int]
    by_stage: dict[str, int]

    def __getitem__(self, key: str) -> Figure:
        return self.items[key]

    def values(self) -> dict[str, int | float | None]:
        return {k: f.value for k, f in self.items.items()}

    def as_dict(self) -> dict[str, Any]:
        return {k: f.as_dict() for k, f in self.items.items()}


def shared_figures(hub: Hub, graph: LineageGraph, year: int) -> Figures:
    """Every shared figure of `hub`; `year` is the build date's year (for "delivered in <year>")."""
    projects = list(hub.projects.values())
    finished = [p for p in projects if p.status in FINISHED]
    delivered = [p for p in finished if p.status in DELIVERED]
    this_year = [p for p in delivered if p.ended is not None and p.ended.year == year]
    nulls = len(hub.null_results) + sum(1 for p in projects if p.status == "null-result")
    teams = {p.team for p in hub.people.values() if p.team} | {p.team for p in projects if p.team}
    catalog = [k for k in graph.assets if is_asset(k)]
    figures = [
        Figure("projects", len(projects), "projects", "every project record, whatever its status"),
        Figure(
            "in_flight", sum(1 for p in projects if p.status in IN_FLIGHT), "in flight", "projects with status active"
        ),
        Figure(
            "backlog",
            sum(1 for p in projects if p.status == "backlog"),
            "waiting in the backlog",
            "projects with status backlog",
        ),
        Figure("finished", len(finished), "finished projects", "status delivered, retired, null-result or cancelled"),
        Figure(
            "delivered",
            len(delivered),
            "delivered",
            "status delivered or retired: a retired project delivered before it was retired",
        ),
        Figure(
            "delivered_this_year",
            len(this_year),
            f"delivered in {year}",
            f"delivered or retired projects whose end date falls in {year}",
        ),
        Figure(
            "hit_rate",
            round(len(delivered) / len(finished), 4) if finished else None,
            "hit rate",
            "delivered ÷ finished projects, over every finished project",
            rate=True,
        ),
        Figure(
            "null_results",
            nulls,
            "null results published",
            "null-result write-ups plus projects that ended as a null result",
        ),
        Figure(
            "assets",
            len(catalog),
            "assets",
            "datasets, features, models, reports, apps and components in the lineage (jobs apart)",
        ),
        Figure(
            "assets_in_use",
            len(assets_in_use(graph)),
            "assets in use",
            "assets with at least one direct consumer: a project, a job or an external user",
        ),
        Figure(
            "reused_assets",
            len(reused_assets(graph)),
            "reused assets",
            "assets consumed directly by more than one project",
        ),
        Figure(
            "people", sum(1 for p in hub.people.values() if not p.alumni), "people", "current members (alumni apart)"
        ),
        Figure("alumni", sum(1 for p in hub.people.values() if p.alumni), "alumni", "people who have left"),
        Figure("teams", len(teams), "teams", "teams named by a person or a project"),
        Figure("discussions", len(hub.discussions), "discussions", "discussion records"),
    ]
    return Figures({f.key: f for f in figures}, by_status(hub), by_stage(hub))
