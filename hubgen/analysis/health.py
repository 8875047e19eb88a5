"""How well the hub itself is kept: "measure everything, including yourself".

Pure functions of a `Hub` (and its lineage graph). Each finding names the
record to fix; the Health page shows them, worst first.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from hubgen.analysis.lineage import LineageGraph
from hubgen.model import Hub, Project

# The requirements-document sections of a project record, in template order.
REQUIREMENT_SECTIONS = (
    "problem",
    "objective",
    "kpis",
    "roi",
    "data_sources",
    "risks",
    "stakeholders",
    "prior_art",
    "timeline",
)
# Deliverables that run unattended and so need a monitoring plan.
MONITORED_DELIVERABLES = ("model", "api", "batch")
ENDED = ("retired", "cancelled")
STALE_AFTER = timedelta(days=365)
NO_TEAM = "(no team)"
# Text `hubgen new` leaves for the author to replace (hubgen.scaffold.PLACEHOLDER).
PLACEHOLDER = "TODO:"


@dataclass(frozen=True)
class Gaps:
    """A project's empty requirements sections."""

    project: str
    team: str
    missing: tuple[str, ...]

    @property
    def filled(self) -> int:
        return len(REQUIREMENT_SECTIONS) - len(self.missing)


@dataclass(frozen=True)
class Adoption:
    """Template adoption of one team: share of requirements sections filled across its projects."""

    team: str
    projects: int
    filled: int  # sections filled, summed over projects
    complete: int  # projects with every section filled
    by_section: dict[str, int]  # section -> projects that fill it

    @property
    def possible(self) -> int:
        return self.projects * len(REQUIREMENT_SECTIONS)

    @property
    def percent(self) -> float:
        return 100.0 * self.filled / self.possible if self.possible else 0.0


@dataclass(frozen=True)
class Unused:
    project: str
    last_used: date
    days: int


@dataclass(frozen=True)
class Orphan:
    """A live record whose every lead (owner) has left."""

    kind: str  # "project" or "asset"
    key: str
    leads: tuple[str, ...]


@dataclass(frozen=True)
class EndedSource:
    """An asset (or project) consumed while the project that produces it is retired or cancelled."""

    key: str  # what is consumed: an asset key or project:<id>
    source: str  # the ended project's id
    status: str
    consumers: tuple[str, ...]  # node keys still consuming it


@dataclass
class Health:
    as_of: date
    gaps: list[Gaps] = field(default_factory=list)  # projects with at least one empty section
    adoption: list[Adoption] = field(default_factory=list)  # per team, then the whole hub last
    unmonitored: list[str] = field(default_factory=list)  # project ids
    unused: list[Unused] = field(default_factory=list)
    orphans: list[Orphan] = field(default_factory=list)
    ended_sources: list[EndedSource] = field(default_factory=list)
    placeholders: list[tuple[str, str]] = field(default_factory=list)  # (kind, key) still holding template text
    projects: int = 0

    @property
    def overall(self) -> Adoption | None:
        return self.adoption[-1] if self.adoption else None

    @property
    def findings(self) -> int:
        return (
            len(self.gaps)
            + len(self.unmonitored)
            + len(self.unused)
            + len(self.orphans)
            + len(self.ended_sources)
            + len(self.placeholders)
        )


def section_filled(project: Project, section: str) -> bool:
    """Whether a requirements section is filled: the project page shows a section exactly when this is true.

    `timeline` is the planned milestones; the stage history (what happened) is not a plan and the page
    shows it apart, so Health and the page agree.
    """
    value = getattr(project, section)
    return value is not None and value != () and value != ""


def requirement_gaps(hub: Hub) -> list[Gaps]:
    """Every project with its empty sections (projects with none missing included)."""
    out = []
    for p in sorted(hub.projects.values(), key=lambda p: p.id):
        missing = tuple(s for s in REQUIREMENT_SECTIONS if not section_filled(p, s))
        out.append(Gaps(p.id, p.team or NO_TEAM, missing))
    return out


def adoption(gaps: list[Gaps]) -> list[Adoption]:
    """Per team (by name), then the whole hub under the name "all teams"."""
    groups: dict[str, list[Gaps]] = defaultdict(list)
    for g in gaps:
        groups[g.team].append(g)

    def summarise(team: str, items: list[Gaps]) -> Adoption:
        by_section = {s: sum(1 for g in items if s not in g.missing) for s in REQUIREMENT_SECTIONS}
        return Adoption(
            team, len(items), sum(g.filled for g in items), sum(1 for g in items if not g.missing), by_section
        )

    rows = [summarise(team, items) for team, items in sorted(groups.items())]
    if gaps:
        rows.append(summarise("all teams", gaps))
    return rows


def unmonitored(hub: Hub) -> list[str]:
    """Delivered models, APIs and batch jobs with no monitoring plan."""
    return sorted(
        p.id
        for p in hub.projects.values()
        if p.status == "delivered"
        and p.deliverable is not None
        and p.deliverable.type in MONITORED_DELIVERABLES
        and p.monitoring is None
    )


def unused(hub: Hub, today: date) -> list[Unused]:
    """Live work (not retired, cancelled or a null result) last used more than a year ago, oldest first."""
    out = [
        Unused(p.id, p.last_used, (today - p.last_used).days)
        for p in hub.projects.values()
        if p.last_used is not None and p.status not in (*ENDED, "null-result") and today - p.last_used > STALE_AFTER
    ]
    return sorted(out, key=lambda u: (u.last_used, u.project))


def orphans(hub: Hub) -> list[Orphan]:
    """Live projects whose leads have all left, and assets whose owner has left."""
    out = []
    for p in sorted(hub.projects.values(), key=lambda p: p.id):
        if p.status in (*ENDED, "null-result") or not p.leads:
            continue
        people = [hub.people.get(h) for h in p.leads]
        if all(person is not None and person.alumni for person in people):
            out.append(Orphan("project", p.id, p.leads))
    for key, asset in sorted(hub.assets.items()):
        owner = hub.people.get(asset.owner or "")
        if owner is not None and owner.alumni:
            out.append(Orphan("asset", key, (owner.handle,)))
    return out


def ended_sources(hub: Hub, graph: LineageGraph) -> list[EndedSource]:
    """What live projects and jobs still consume from retired or cancelled projects."""

    def live(node: str) -> bool:
        if node.startswith("project:"):
            project = hub.projects.get(node.split(":", 1)[1])
            return project is not None and project.status not in ENDED
        return True  # an OpenLineage job that reads it is in use

    found: dict[tuple[str, str], set[str]] = defaultdict(set)
    for consumer, targets in graph.consumes.items():
        if not live(consumer):
            continue
        for key in targets:
            sources = [key] if key.startswith("project:") else list(graph.produced_by.get(key, ()))
            for src in sources:
                if not src.startswith("project:") or src == consumer:
                    continue
                project = hub.projects.get(src.split(":", 1)[1])
                if project is not None and project.status in ENDED:
                    found[(key, project.id)].add(consumer)
    return [
        EndedSource(key, pid, hub.projects[pid].status, tuple(sorted(consumers)))
        for (key, pid), consumers in sorted(found.items())
    ]


def placeholders(hub: Hub) -> list[tuple[str, str]]:
    """Records still holding the template's TODO text from `hubgen new`."""
    out = []
    for p in sorted(hub.projects.values(), key=lambda p: p.id):
        if any(PLACEHOLDER in (t or "") for t in (p.summary, p.problem, p.objective)):
            out.append(("project", p.id))
    for n in sorted(hub.null_results.values(), key=lambda n: n.id):
        if any(PLACEHOLDER in (t or "") for t in (n.hypothesis, n.outcome)):
            out.append(("null-result", n.id))
    for d in sorted(hub.discussions.values(), key=lambda d: d.key):
        if any(PLACEHOLDER in m.text for m in d.messages):
            out.append(("discussion", d.key))
    return out


def health(hub: Hub, graph: LineageGraph, today: date) -> Health:
    gaps = requirement_gaps(hub)
    return Health(
        as_of=today,
        gaps=sorted((g for g in gaps if g.missing), key=lambda g: (-len(g.missing), g.project)),
        adoption=adoption(gaps),
        unmonitored=unmonitored(hub),
        unused=unused(hub, today),
        orphans=orphans(hub),
        ended_sources=ended_sources(hub, graph),
        placeholders=placeholders(hub),
        projects=len(hub.projects),
    )
