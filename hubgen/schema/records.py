"""The record kinds of the contract, field by field: what the loader validates, the JSON Schemas
and the docs are all made from these lists."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from hubgen import model
from hubgen.schema.types import (
    INVALID_AUDIENCE,
    Anything,
    Choice,
    Date,
    Field,
    Glossary,
    Level,
    Links,
    ListOf,
    Measure,
    Number,
    Record,
    Ref,
    Text,
    WebURL,
)
from hubgen.schema.values import (
    ASSET_SOURCES,
    CONSUMER_KINDS,
    DELIVERABLE_TYPES,
    DISCUSSION_STATUSES,
    REASONS,
    ROLES,
    STAGES,
    STATUSES,
)

VISIBILITY = Field(
    "visibility",
    Level(model.VISIBILITY_LEVELS[-1], "the record is treated as confidential until this is fixed"),
    doc="who may see it: public, internal (default) or confidential; any other value counts as confidential",
)

ROLE = Record(
    "role",
    [
        Field("person", Ref("person"), True, "handle of a person in people/"),
        Field("role", Choice(ROLES), True, "lead, contributor, reviewer, stakeholder or sponsor"),
        Field("from", Date(), doc="date the role started", attr="since"),
        Field("to", Date(), doc="date the role ended", attr="until"),
    ],
    model.Role,
)

KPI_RECORD = Record(
    "kpi",
    [
        Field("name", Text(), True, "what is measured"),
        Field("target", Measure(), True, "the value that counts as success"),
        Field("baseline", Measure(), doc="value before the project"),
        Field("actual", Measure(), doc="value achieved"),
        Field("unit", Text(), doc="unit of the values, e.g. % or EUR"),
    ],
    model.KPI,
)

ROI_RECORD = Record(
    "roi",
    [
        Field("estimated", Number(), doc="expected yearly return"),
        Field("realized", Number(), doc="measured yearly return"),
        Field("currency", Text(), doc="currency code, e.g. EUR"),
        Field("basis", Text(), doc="how the figure was computed"),
    ],
    model.ROI,
)

PROJECT_FIELDS = [
    Field("title", Text(), True, "human title"),
    Field("summary", Text(), True, "one paragraph: what and why"),
    Field("status", Choice(STATUSES), True, "backlog, active, delivered, null-result, cancelled or retired"),
    Field("stage", Choice(STAGES), doc="lifecycle stage; required when status is active"),
    Field("team", Text(), doc="owning team"),
    Field("domains", ListOf(Text(), unique=True), doc="business domains, e.g. marketing attribution"),
    Field("tags", ListOf(Text(), unique=True), doc="techniques and topics, e.g. uplift-modeling"),
    Field("tools", ListOf(Text(), unique=True), doc="packages and tools, optionally versioned: tensorflow==2.16"),
    Field("people", ListOf(ROLE, min_items=1), True, "people and roles; at least one lead"),
    Field("started", Date(), doc="start date"),
    Field("ended", Date(), doc="end date"),
    Field(
        "stage_history",
        ListOf(
            Record(
                "stage entry",
                [
                    Field("stage", Choice(STAGES), True, "the stage entered"),
                    Field("date", Date(), True, "when it was entered"),
                ],
                model.StageEntry,
            )
        ),
        doc="when the project entered each stage",
    ),
    Field("problem", Text(), doc="problem statement"),
    Field("objective", Text(), doc="objective"),
    Field("kpis", ListOf(KPI_RECORD), doc="key performance indicators, target vs actual"),
    Field("roi", ROI_RECORD, doc="return on investment"),
    Field("data_sources", ListOf(Text()), doc="data used: text or asset references like dataset:claims-2023"),
    Field("risks", ListOf(Text()), doc="known risks"),
    Field("stakeholders", ListOf(Text()), doc="handles or free text"),
    Field("prior_art", ListOf(Text()), doc="project ids or URLs of earlier related work"),
    Field(
        "timeline",
        ListOf(
            Record(
                "milestone",
                [
                    Field("date", Date(), True, "milestone date"),
                    Field("milestone", Text(), True, "what happens"),
                ],
                model.Milestone,
            )
        ),
        doc="milestones",
    ),
    Field(
        "deliverable",
        Record(
            "deliverable",
            [
                Field("type", Choice(DELIVERABLE_TYPES), True, "report, dashboard, app, batch, api or model"),
                Field("url", Text(), doc="where to find it"),
            ],
            model.Deliverable,
            shorthand="type",
        ),
        doc="what the project delivers",
    ),
    Field(
        "consumers",
        ListOf(
            Record(
                "consumer",
                [
                    Field("name", Text(), True, "who or what uses the work"),
                    Field("kind", Choice(CONSUMER_KINDS), doc="app, team or process"),
                    Field("users", Number(integer=True, minimum=0), doc="number of users"),
                    Field("since", Date(), doc="in use since"),
                ],
                model.Consumer,
                shorthand="name",
            )
        ),
        doc="downstream use outside the hub",
    ),
    Field("links", Links(), doc="code, data, environment, results, docs: URLs or repo paths"),
    Field(
        "monitoring",
        Record(
            "monitoring",
            [
                Field("plan", Text(), True, "how the live model is watched"),
                Field("owner", Ref("person"), doc="who acts on alerts"),
                Field("thresholds", Anything(), doc="alert thresholds"),
                Field("alerts", Anything(), doc="where alerts go"),
            ],
            model.Monitoring,
            shorthand="plan",
        ),
        doc="how the live model is watched and who acts",
    ),
    Field("last_used", Date(), doc="date the work product was last used"),
    VISIBILITY,
]

NULL_RESULT_FIELDS = [
    Field("title", Text(), True, "what was tried, as a title"),
    Field("date", Date(), True, "when it was concluded"),
    Field("authors", ListOf(Ref("person"), min_items=1, unique=True), True, "handles of the authors"),
    Field("hypothesis", Text(), True, "what was expected"),
    Field("outcome", Text(), True, "what was observed"),
    Field("approach", Text(), doc="what was tried"),
    Field(
        "metrics",
        ListOf(
            Record(
                "metric",
                [
                    Field("name", Text(), True, "metric name"),
                    Field("baseline", Measure(), doc="value to beat"),
                    Field("result", Measure(), doc="value reached"),
                ],
                model.Metric,
            )
        ),
        doc="metrics measured",
    ),
    Field("reason", Choice(REASONS), doc="why it did not pan out"),
    Field("tags", ListOf(Text(), unique=True), doc="techniques and topics"),
    Field("project", Ref("project"), doc="project it relates to (top-level null results only)"),
    VISIBILITY,
]

DISCUSSION_FIELDS = [
    Field("title", Text(), True, "what is being decided"),
    Field("topic", Text(), doc="topic, e.g. modelling, data, deployment"),
    Field("status", Choice(DISCUSSION_STATUSES), doc="open or decided"),
    Field("decision", Text(), doc="the decision, once made"),
    Field("date", Date(), doc="date the thread started or was decided"),
]

PERSON_FIELDS = [
    Field("name", Text(), True, "full name"),
    Field("title", Text(), doc="job title"),
    Field("team", Text(), doc="team"),
    Field("email", Text(), doc="email address"),
    Field("skills", ListOf(Text(), unique=True), doc="self-declared skills"),
    Field("joined", Date(), doc="date joined"),
    Field("left", Date(), doc="date left: shown as alumni, still credited"),
]

ASSET_FIELDS = [
    Field("title", Text(), doc="human title"),
    Field("description", Text(), doc="what it is"),
    Field("owner", Ref("person"), doc="handle of the owner"),
    Field("source", Choice(ASSET_SOURCES), doc="internal, vendor or public"),
    Field("annual_cost", Number(minimum=0), doc="yearly licence cost (vendor data)"),
    Field("url", Text(), doc="where to find it"),
    Field("tags", ListOf(Text(), unique=True), doc="topics"),
    VISIBILITY,
    Field(
        "symlinks",
        ListOf(
            Record(
                "symlink",
                [
                    Field("namespace", Text(), True, "OpenLineage namespace, exactly as in the events"),
                    Field("name", Text(), True, "OpenLineage name, exactly as in the events"),
                ],
                model.Symlink,
            )
        ),
        doc="OpenLineage identities (`{namespace, name}`, as written in the events) that are "
        "this asset: their events count towards it (the same meaning as the OpenLineage `symlinks` facet)",
    ),
]

HUB_FIELDS = [
    Field("name", Text(), doc="hub name shown in the site header"),
    Field("url", WebURL(), doc="where the site is hosted (http:// or https://)"),
    Field("description", Text(), doc="one line about the hub"),
    Field(
        "audience",
        Level(INVALID_AUDIENCE, "builds stop until it is fixed or --audience is given"),
        doc="default build audience: public, internal or confidential",
    ),
    Field(
        "glossary",
        Glossary(),
        doc="the team's synonyms, a term to the other words used for it "
        "(`churn: [attrition, customers who cancel]`): prior art, related work and search treat them as one "
        "(docs/prior-art.md)",
    ),
    Field(
        "experts",
        Anything(),
        doc="expert-ranking tuning (docs/expert-ranking.md): half_life_days, recency_floor, role_weights, evidence_weights, status_weights, stage_weights, consumer_topic_weight, version_step, topic_weight, text_exponent, profile_topics",
    ),
]

LINEAGE_FIELDS = [
    Field("consumes", ListOf(Text()), doc="asset references (kind:id[@version]) or project ids"),
    Field("produces", ListOf(Text()), doc="asset references (kind:id[@version])"),
]


@dataclass(frozen=True)
class RecordKind:
    """A kind of file in a hub, with where it lives and its fields."""

    name: str
    location: str
    fields: list[Field]
    body: str = ""
    notes: list[str] = field(default_factory=list)
    rules: dict[str, Any] = field(default_factory=dict)  # JSON Schema for checks across fields


# Checks the loader makes across fields, for editors: an active project needs a
# stage; at least one person is the lead.
PROJECT_RULES: dict[str, Any] = {
    "if": {"properties": {"status": {"const": "active"}}, "required": ["status"]},
    "then": {"required": ["stage"], "properties": {"stage": {"enum": list(STAGES)}}},
    "properties": {
        "people": {"contains": {"type": "object", "properties": {"role": {"const": "lead"}}, "required": ["role"]}}
    },
}


RECORD_KINDS: list[RecordKind] = [
    RecordKind(
        "project",
        "content/projects/<project-id>/project.yml",
        PROJECT_FIELDS,
        notes=["A README.md beside project.yml is shown on the project page."],
        rules=PROJECT_RULES,
    ),
    RecordKind(
        "null-result",
        "content/projects/<project-id>/null-results/<id>.md or content/null-results/<id>.md",
        NULL_RESULT_FIELDS,
        body="Markdown write-up after the front matter.",
    ),
    RecordKind(
        "discussion",
        "content/projects/<project-id>/discussions/<id>.md",
        DISCUSSION_FIELDS,
        body="Messages, each starting with a heading `## @handle YYYY-MM-DD`; text before the first is the context.",
    ),
    RecordKind("person", "content/people/<handle>.yml", PERSON_FIELDS),
    RecordKind("asset", "content/assets/<kind>/<asset-id>.yml", ASSET_FIELDS),
    RecordKind("lineage", "content/projects/<project-id>/lineage.yml", LINEAGE_FIELDS),
    RecordKind("hub", "content/hub.yml", HUB_FIELDS),
]


def json_schema(kind: RecordKind) -> dict[str, Any]:
    """JSON Schema (draft 2020-12) for one record kind, for editors."""
    record = Record(kind.name, kind.fields)
    schema = record.json_schema()
    if kind.rules:
        schema["allOf"] = [kind.rules]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://hubgen.dev/schema/{kind.name}.json",
        "title": f"hubgen {kind.name}",
        "description": f"{kind.location}",
        **schema,
    }


def kind(name: str) -> RecordKind:
    """The record kind called `name` (project, null-result, discussion, person, asset, lineage, hub)."""
    for k in RECORD_KINDS:
        if k.name == name:
            return k
    raise KeyError(name)
