"""The hub as plain, immutable data: no I/O, no rendering.

Field names follow the input contract (CONTENT_FORMAT.md); where a contract
name is a Python keyword or clashes (`from`, `to`), the attribute is renamed
and `hubgen.schema` records the mapping.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from hubgen.visibility import DEFAULT_VISIBILITY, VISIBILITY_LEVELS, visibility_rank  # noqa: F401 (re-exported)

Day = date  # for annotations inside classes whose own field is called `date`


@dataclass(frozen=True)
class Origin:
    """Where a record was written: repo-relative path and line."""

    path: str
    line: int | None = None


@dataclass(frozen=True)
class Role:
    person: str
    role: str
    since: date | None = None
    until: date | None = None


@dataclass(frozen=True)
class KPI:
    name: str
    target: float | str | None = None
    baseline: float | str | None = None
    actual: float | str | None = None
    unit: str | None = None


@dataclass(frozen=True)
class ROI:
    estimated: float | None = None
    realized: float | None = None
    currency: str | None = None
    basis: str | None = None


@dataclass(frozen=True)
class StageEntry:
    stage: str
    date: date


@dataclass(frozen=True)
class Milestone:
    date: date
    milestone: str


@dataclass(frozen=True)
class Deliverable:
    type: str
    url: str | None = None


@dataclass(frozen=True)
class Consumer:
    name: str
    kind: str | None = None
    users: int | None = None
    since: date | None = None


@dataclass(frozen=True)
class Monitoring:
    plan: str
    owner: str | None = None
    thresholds: Any = None
    alerts: Any = None


@dataclass(frozen=True)
class Metric:
    name: str
    baseline: float | str | None = None
    result: float | str | None = None


@dataclass(frozen=True)
class Person:
    handle: str
    name: str
    title: str | None = None
    team: str | None = None
    email: str | None = None
    skills: tuple[str, ...] = ()
    joined: date | None = None
    left: date | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    origin: Origin = Origin("")

    @property
    def alumni(self) -> bool:
        return self.left is not None


@dataclass(frozen=True)
class Project:
    id: str
    title: str
    summary: str
    status: str
    people: tuple[Role, ...]
    stage: str | None = None
    team: str | None = None
    domains: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    tools: tuple[str, ...] = ()
    started: date | None = None
    ended: date | None = None
    stage_history: tuple[StageEntry, ...] = ()
    problem: str | None = None
    objective: str | None = None
    kpis: tuple[KPI, ...] = ()
    roi: ROI | None = None
    data_sources: tuple[str, ...] = ()
    risks: tuple[str, ...] = ()
    stakeholders: tuple[str, ...] = ()
    prior_art: tuple[str, ...] = ()
    timeline: tuple[Milestone, ...] = ()
    deliverable: Deliverable | None = None
    consumers: tuple[Consumer, ...] = ()
    links: dict[str, str] = field(default_factory=dict)
    monitoring: Monitoring | None = None
    last_used: date | None = None
    visibility: str = DEFAULT_VISIBILITY
    readme: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    origin: Origin = Origin("")

    @property
    def leads(self) -> tuple[str, ...]:
        return tuple(r.person for r in self.people if r.role == "lead")


@dataclass(frozen=True)
class NullResult:
    id: str
    title: str
    date: date
    authors: tuple[str, ...]
    hypothesis: str
    outcome: str
    approach: str | None = None
    metrics: tuple[Metric, ...] = ()
    reason: str | None = None
    tags: tuple[str, ...] = ()
    project: str | None = None
    visibility: str = DEFAULT_VISIBILITY
    body: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    origin: Origin = Origin("")


@dataclass(frozen=True)
class Message:
    author: str
    date: date
    text: str
    line: int | None = None


@dataclass(frozen=True)
class Discussion:
    id: str
    project: str
    title: str
    topic: str | None = None
    status: str | None = None
    decision: str | None = None
    date: date | None = None
    context: str = ""
    messages: tuple[Message, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)
    origin: Origin = Origin("")

    @property
    def key(self) -> str:
        return f"{self.project}/{self.id}"

    @property
    def when(self) -> Day | None:
        """The thread's date, or its last message's."""
        return self.date or (max(m.date for m in self.messages) if self.messages else None)

    @property
    def participants(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(m.author for m in self.messages))


@dataclass(frozen=True)
class Asset:
    """A reusable asset described under `assets/<kind>/<id>.yml`."""

    kind: str
    id: str
    title: str | None = None
    description: str | None = None
    owner: str | None = None
    source: str | None = None
    annual_cost: float | None = None
    url: str | None = None
    tags: tuple[str, ...] = ()
    visibility: str = DEFAULT_VISIBILITY
    symlinks: tuple[Symlink, ...] = ()  # OpenLineage identities that are this asset
    extra: dict[str, Any] = field(default_factory=dict)
    origin: Origin = Origin("")

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.id}"


@dataclass(frozen=True)
class LineageLink:
    """`subject` consumes or produces `target`; both are node keys `kind:id`.

    Projects are `project:<id>`; OpenLineage jobs are `job:<id>`. `when` is the
    date of the latest OpenLineage event that showed the link (None elsewhere).
    """

    subject: str
    verb: str  # "consumes" | "produces" | "declares" (an OpenLineage job seen)
    target: str
    version: str | None = None
    origin: Origin = Origin("")
    when: date | None = None


@dataclass(frozen=True)
class HubSettings:
    name: str = "Data science hub"
    url: str | None = None
    description: str | None = None
    audience: str = DEFAULT_VISIBILITY
    experts: dict[str, Any] = field(default_factory=dict)
    glossary: dict[str, tuple[str, ...]] = field(default_factory=dict)  # term -> synonyms (hub.yml)
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Hub:
    """Everything loaded from one hub repository, plus what could not be."""

    settings: HubSettings
    projects: dict[str, Project]
    people: dict[str, Person]
    null_results: dict[str, NullResult]
    discussions: dict[str, Discussion]
    assets: dict[str, Asset]
    lineage: tuple[LineageLink, ...]
    problems: tuple[Any, ...] = ()  # hubgen.problems.Problem
    skipped: tuple[str, ...] = ()  # repo-relative paths of records not built
    facts: dict[str, AssetFacts] = field(default_factory=dict)  # imported facts by node key
    # Lineage keys (`project:<id>`, `<kind>:<id>`) of records whose file exists but could not be
    # built: their visibility is unknown, so they count as confidential (hubgen.audience).
    unreadable: frozenset[str] = frozenset()
    # time.time_ns() when its files began to be read (later changes may be missing); not part of its value
    read_from_ns: int = field(default=0, compare=False)

    def projects_of(self, handle: str) -> list[tuple[Project, Role]]:
        return [(p, r) for p in self.projects.values() for r in p.people if r.person == handle]


@dataclass(frozen=True)
class Symlink:
    """An OpenLineage identity `(namespace, name)` that is the same thing as the asset it is listed on."""

    namespace: str
    name: str


@dataclass(frozen=True)
class Column:
    name: str
    type: str | None = None
    description: str | None = None


@dataclass(frozen=True)
class ColumnLink:
    """Output `column` of the asset is fed by `source_column` of asset `source` (a node key)."""

    column: str
    source: str
    source_column: str
    transformation: str | None = None


@dataclass(frozen=True)
class Stage:
    """One stage of a project's DVC pipeline, as written in dvc.yaml."""

    name: str
    cmd: str | None = None
    deps: tuple[str, ...] = ()
    outs: tuple[str, ...] = ()
    params: tuple[str, ...] = ()
    metrics: tuple[str, ...] = ()
    plots: tuple[str, ...] = ()


@dataclass(frozen=True)
class AssetFacts:
    """What an importer (OpenLineage, dbt, DVC, Backstage) says about one node key.

    `namespace` and `name` are the identity exactly as the tool wrote it; the
    key's id is only a URL slug of it. `facets` keeps what hubgen does not show
    (unknown OpenLineage facets, other manifest fields) for the export.
    """

    key: str
    source: str  # "openlineage" | "dbt" | "dvc" | "backstage"
    namespace: str | None = None
    name: str | None = None
    title: str | None = None
    description: str | None = None
    owners: tuple[str, ...] = ()
    columns: tuple[Column, ...] = ()
    column_lineage: tuple[ColumnLink, ...] = ()
    sql: str | None = None
    parent: str | None = None  # node key of the parent job (dbt run, Airflow DAG)
    data_source: str | None = None
    job_type: str | None = None
    tags: tuple[str, ...] = ()
    path: str | None = None  # DVC: the path exactly as written in dvc.yaml
    cmd: str | None = None  # DVC: the stage command that writes it
    stage: str | None = None  # DVC: the stage that writes it
    stage_consumers: tuple[str, ...] = ()  # DVC: stages of the same pipeline that read it
    lifecycle: str | None = None
    stages: tuple[Stage, ...] = ()  # DVC, on `project:<id>`: the pipeline
    metrics: dict[str, Any] = field(default_factory=dict)  # DVC metrics files, by path
    facets: dict[str, Any] = field(default_factory=dict)
    origin: Origin = Origin("")
