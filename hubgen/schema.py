"""The record schema, in one place: validation, JSON Schema and docs come from here.

Each record kind is a list of `Field`s; each field has a `FieldType` that knows
how to convert a parsed YAML value (reporting problems with the line they are
on), how to describe itself as JSON Schema, and a short label for the docs.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol

from hubgen import model

ID_PATTERN = r"^[a-z0-9][a-z0-9._-]*$"
# `\Z`, not `$`: in Python `$` also matches before a final newline, and an id "x\n" would pass.
ID_RE = re.compile(ID_PATTERN[:-1] + r"\Z")
DATE_PATTERN = r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$"
ID_HINT = "ids use lowercase letters, digits, '.', '_' and '-', starting with a letter or digit"

STATUSES = ("backlog", "active", "delivered", "null-result", "cancelled", "retired")
STAGES = ("ideation", "data", "research", "validation", "delivery", "monitoring")
ROLES = ("lead", "contributor", "reviewer", "stakeholder", "sponsor")
DELIVERABLE_TYPES = ("report", "dashboard", "app", "batch", "api", "model")
CONSUMER_KINDS = ("app", "team", "process")
REASONS = ("no-signal", "data", "compliance", "infrastructure", "cost", "other")
DISCUSSION_STATUSES = ("open", "decided")
ASSET_KINDS = ("dataset", "component", "model", "feature", "app", "report", "job")
ASSET_SOURCES = ("internal", "vendor", "public")
LINK_KEYS = ("code", "data", "environment", "results", "docs")

INVALID: Any = object()  # returned by a conversion that reported a problem


class Context(Protocol):
    """What a conversion needs: where each value sits, and where to report."""

    def line(self, path: tuple[Any, ...]) -> int | None: ...

    def error(self, path: tuple[Any, ...], message: str, hint: str = "") -> None: ...

    def warn(self, path: tuple[Any, ...], message: str, hint: str = "") -> None: ...

    def reference(self, kind: str, value: str, path: tuple[Any, ...]) -> None: ...


def describe_value(value: Any) -> str:
    """Name a YAML value's type the way a user wrote it."""
    if value is None:
        return "nothing (empty)"
    if isinstance(value, bool):
        return f"a true/false value ({str(value).lower()})"
    if isinstance(value, (int, float)):
        return f"a number ({value})"
    if isinstance(value, (date, datetime)):
        return f"a date ({value})"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def field_name(path: tuple[Any, ...]) -> str:
    """`people[2].role` from a value path."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "the file"


class FieldType:
    label = "value"

    def convert(self, value: Any, ctx: Context, path: tuple[Any, ...]) -> Any:
        raise NotImplementedError

    def json_schema(self) -> dict[str, Any]:
        raise NotImplementedError

    def wrong_type(self, value: Any, ctx: Context, path: tuple[Any, ...], hint: str = "") -> Any:
        subject = f"'{field_name(path)}'" if path else "the file"
        ctx.error(path, f"{subject} must be {self.label}, not {describe_value(value)}", hint)
        return INVALID


class Text(FieldType):
    """Text; plain numbers are accepted as text (a title of `2024` is fine)."""

    label = "text"

    def convert(self, value: Any, ctx: Context, path: tuple[Any, ...]) -> Any:
        if isinstance(value, dict):
            return self.wrong_type(
                value, ctx, path, "text containing ': ' reads as a mapping in YAML: put the whole text in quotes"
            )
        if isinstance(value, bool) or value is None or isinstance(value, list):
            return self.wrong_type(value, ctx, path, "write it as a quoted string")
        if isinstance(value, (int, float, date)):
            value = str(value)
        if not isinstance(value, str):
            return self.wrong_type(value, ctx, path)
        if not value.strip():
            ctx.error(path, f"'{field_name(path)}' is empty", "write some text or remove the field")
            return INVALID
        return value.strip()

    def json_schema(self) -> dict[str, Any]:
        return {"type": ["string", "number"], "pattern": r"\S"}


class Choice(FieldType):
    def __init__(self, values: tuple[str, ...]):
        self.values = values
        self.label = "one of " + ", ".join(values)

    def convert(self, value: Any, ctx: Context, path: tuple[Any, ...]) -> Any:
        if isinstance(value, str) and value in self.values:
            return value
        near = difflib.get_close_matches(str(value), self.values, n=1)
        hint = f"did you mean '{near[0]}'?" if near else f"use one of: {', '.join(self.values)}"
        ctx.error(path, f"'{field_name(path)}' is '{value}', which is not one of {', '.join(self.values)}", hint)
        return INVALID

    def json_schema(self) -> dict[str, Any]:
        return {"enum": list(self.values)}


class Date(FieldType):
    label = "a date (YYYY-MM-DD)"

    def convert(self, value: Any, ctx: Context, path: tuple[Any, ...]) -> Any:
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        if isinstance(value, str) and re.fullmatch(DATE_PATTERN[1:-1], value.strip()):
            try:  # a quoted date ('2024-04-12') is a date too, as the JSON Schema says
                return date.fromisoformat(value.strip())
            except ValueError:
                pass
        if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", value.strip()):
            ctx.error(
                path,
                f"'{field_name(path)}' is '{value}', which is not a real date",
                "check the month (1-12) and the day of the month",
            )
            return INVALID
        return self.wrong_type(value, ctx, path, "write dates as YYYY-MM-DD, e.g. 2025-03-14")

    def json_schema(self) -> dict[str, Any]:
        return {"type": "string", "format": "date", "pattern": DATE_PATTERN}


class Number(FieldType):
    label = "a number"

    def __init__(self, integer: bool = False, minimum: float | None = None):
        self.integer = integer
        self.minimum = minimum
        if integer:
            self.label = "a whole number"

    def convert(self, value: Any, ctx: Context, path: tuple[Any, ...]) -> Any:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return self.wrong_type(value, ctx, path, "write a plain number without units or thousands separators")
        if isinstance(value, float) and not math.isfinite(value):
            return self.wrong_type(value, ctx, path)
        if self.integer and not float(value).is_integer():
            return self.wrong_type(value, ctx, path)
        if self.minimum is not None and value < self.minimum:
            ctx.error(path, f"'{field_name(path)}' is {value}, below the minimum {self.minimum}")
            return INVALID
        return int(value) if self.integer else value

    def json_schema(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": "integer" if self.integer else "number"}
        if self.minimum is not None:
            out["minimum"] = self.minimum
        return out


class Measure(FieldType):
    """A KPI or metric value: a number, or text such as '< 2%'."""

    label = "a number or text"

    def convert(self, value: Any, ctx: Context, path: tuple[Any, ...]) -> Any:
        if isinstance(value, bool) or value is None or isinstance(value, (list, dict)):
            return self.wrong_type(value, ctx, path)
        if isinstance(value, float) and not math.isfinite(value):
            return self.wrong_type(value, ctx, path)
        return value if isinstance(value, (int, float)) else str(value)

    def json_schema(self) -> dict[str, Any]:
        return {"type": ["number", "string"]}


class Ref(FieldType):
    """An id of another record (`person`, `project`); existence is checked later."""

    def __init__(self, kind: str):
        self.kind = kind
        self.label = f"a {kind} id"

    def convert(self, value: Any, ctx: Context, path: tuple[Any, ...]) -> Any:
        if not isinstance(value, str):
            return self.wrong_type(value, ctx, path)
        value = value.strip().removeprefix("@")
        if not ID_RE.match(value):
            ctx.error(path, f"'{field_name(path)}' is '{value}', which is not a valid {self.kind} id", ID_HINT)
            return INVALID
        ctx.reference(self.kind, value, path)
        return value

    def json_schema(self) -> dict[str, Any]:
        return {"type": "string", "pattern": "^@?" + ID_PATTERN[1:]}


class Anything(FieldType):
    """Free-form data kept as written (e.g. monitoring thresholds)."""

    label = "any value"

    def convert(self, value: Any, ctx: Context, path: tuple[Any, ...]) -> Any:
        return value

    def json_schema(self) -> dict[str, Any]:
        return {}


class ListOf(FieldType):
    def __init__(self, item: FieldType, min_items: int = 0, unique: bool = False):
        self.item = item
        self.min_items = min_items
        self.unique = unique
        self.label = f"a list of {item.label}"

    def convert(self, value: Any, ctx: Context, path: tuple[Any, ...]) -> Any:
        if isinstance(value, (str, int, float)) and not isinstance(value, bool) and isinstance(self.item, (Text, Ref)):
            # `tags: nlp` is a common slip for `tags: [nlp]`: accept it, say so.
            ctx.warn(path, f"'{field_name(path)}' should be a list", f"write it as [{value}]")
            value = [value]
        if not isinstance(value, list):
            return self.wrong_type(value, ctx, path, "start each item on its own line with '- '")
        out = []
        for i, item in enumerate(value):
            converted = self.item.convert(item, ctx, path + (i,))
            if converted is not INVALID:
                if self.unique and converted in out:
                    ctx.warn(
                        path + (i,),
                        f"'{converted}' is listed twice in '{field_name(path)}'",
                        "remove the repeated entry",
                    )
                    continue
                out.append(converted)
        if len(value) < self.min_items:
            ctx.error(path, f"'{field_name(path)}' needs at least {self.min_items} item(s)")
            return INVALID
        return tuple(out)

    def json_schema(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": "array", "items": self.item.json_schema()}
        if self.min_items:
            out["minItems"] = self.min_items
        return out


@dataclass(frozen=True)
class Field:
    name: str
    type: FieldType
    required: bool = False
    doc: str = ""
    attr: str = ""  # model attribute when it differs from the YAML name

    @property
    def attribute(self) -> str:
        return self.attr or self.name.replace("-", "_")


class Record(FieldType):
    """A mapping with known fields, converted to a model dataclass.

    Unknown keys are kept in `extra` when `keep_extra` (top-level records), and
    warned about otherwise; a missing required field makes the record invalid.
    """

    def __init__(
        self,
        name: str,
        fields: list[Field],
        build: Callable[..., Any] | None = None,
        keep_extra: bool = False,
        shorthand: str | None = None,
    ):
        self.name = name
        self.fields = fields
        self.build = build
        self.keep_extra = keep_extra
        self.shorthand = shorthand  # a field a bare string stands for, e.g. deliverable: dashboard
        self.label = f"a mapping ({name})"
        self.by_name = {f.name: f for f in fields}

    def convert(self, value: Any, ctx: Context, path: tuple[Any, ...]) -> Any:
        if self.shorthand and isinstance(value, str):
            value = {self.shorthand: value}
        if not isinstance(value, dict):
            return self.wrong_type(value, ctx, path, f"write it as 'key: value' lines ({', '.join(self.by_name)})")
        ok = True
        values: dict[str, Any] = {}
        extra: dict[str, Any] = {}
        for key, raw in value.items():
            spec = self.by_name.get(key)
            if spec is None:
                near = difflib.get_close_matches(str(key), list(self.by_name), n=1, cutoff=0.75)
                if " " in str(key):
                    ctx.warn(
                        path + (key,),
                        f"'{key}' reads as a field name: a ',' inside {{…}} or a ': ' inside a value splits it",
                        "put the whole value in quotes so YAML reads it as text",
                    )
                elif near:
                    ctx.warn(
                        path + (key,), f"unknown field '{key}' is kept as an other field", f"did you mean '{near[0]}'?"
                    )
                elif not self.keep_extra:
                    ctx.warn(
                        path + (key,),
                        f"unknown field '{key}' in {field_name(path)} is kept as written",
                        f"known fields: {', '.join(self.by_name)}",
                    )
                extra[str(key)] = raw
                continue
            if raw is None and not spec.required:
                continue  # `risks:` with nothing after it: the author left it empty
            converted = spec.type.convert(raw, ctx, path + (key,))
            if converted is INVALID:
                # A broken required field breaks the record; a broken optional
                # one is reported and left out, the rest of the record stands.
                ok = ok and not spec.required
                continue
            values[spec.attribute] = converted
        for spec in self.fields:
            if spec.required and spec.name not in value:
                ctx.error(
                    path or (),
                    f"missing required field '{spec.name}'" + (f" in {field_name(path)}" if path else ""),
                    spec.doc,
                )
                ok = False
            elif spec.required and value.get(spec.name) is None and spec.name in value:
                ctx.error(path + (spec.name,), f"required field '{spec.name}' is empty", spec.doc)
                ok = False
        if not ok:
            return INVALID
        if self.keep_extra:
            values["extra"] = extra
        return self.build(**values) if self.build else values

    def json_schema(self) -> dict[str, Any]:
        props = {}
        for f in self.fields:
            # An optional field left empty (`risks:`) is accepted, as by the loader.
            spec = f.type.json_schema() if f.required else _nullable(f.type.json_schema())
            props[f.name] = {**spec, "description": f.doc}
        schema: dict[str, Any] = {
            "type": "object",
            "properties": props,
            "required": [f.name for f in self.fields if f.required],
        }
        if self.shorthand:
            return {"anyOf": [schema, self.by_name[self.shorthand].type.json_schema()]}
        return schema


def _nullable(spec: dict[str, Any]) -> dict[str, Any]:
    """`spec`, also accepting null (an empty YAML value)."""
    if not spec:
        return spec
    if "type" in spec and "anyOf" not in spec:
        types = spec["type"] if isinstance(spec["type"], list) else [spec["type"]]
        return {**spec, "type": [*types, "null"]}
    if "enum" in spec:
        return {**spec, "enum": [*spec["enum"], None]}
    return {"anyOf": [spec, {"type": "null"}]}


class Links(FieldType):
    label = "a mapping of link names to URLs or repo paths"

    def convert(self, value: Any, ctx: Context, path: tuple[Any, ...]) -> Any:
        if not isinstance(value, dict):
            return self.wrong_type(value, ctx, path, f"write e.g. 'code: https://…' ({', '.join(LINK_KEYS)})")
        out: dict[str, str] = {}
        for key, raw in value.items():
            text = Text().convert(raw, ctx, path + (key,))
            if text is not INVALID:
                out[str(key)] = text
        return out

    def json_schema(self) -> dict[str, Any]:
        return {
            "type": "object",
            "properties": {k: {"type": "string"} for k in LINK_KEYS},
            "additionalProperties": {"type": "string"},
        }


class Glossary(FieldType):
    """A team's synonyms: each term to the other words people use for it (`churn: [attrition, customers who cancel]`)."""

    label = "a mapping of terms to lists of synonyms"

    def convert(self, value: Any, ctx: Context, path: tuple[Any, ...]) -> Any:
        if not isinstance(value, dict):
            return self.wrong_type(
                value, ctx, path, "write e.g. 'glossary: {churn: [attrition, customers who cancel]}'"
            )
        out: dict[str, tuple[str, ...]] = {}
        for key, raw in value.items():
            synonyms = ListOf(Text()).convert([raw] if isinstance(raw, str) else raw, ctx, path + (key,))
            if synonyms is INVALID:
                continue
            term = str(key).strip()
            if not term:
                ctx.error(path + (key,), "a glossary term must not be empty", "write the term, then its synonyms")
                continue
            out[term] = tuple(x.strip() for x in synonyms if x.strip())
        return out

    def json_schema(self) -> dict[str, Any]:
        return {
            "type": "object",
            "additionalProperties": {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]},
        }


class Level(Choice):
    """A visibility level that decides who sees what: a value that cannot be read never widens it.

    Instead of being dropped (which would mean the default), an unreadable value
    becomes `fallback`: the most restrictive level for a record's visibility, a
    marker that stops the build for hub.yml's audience.
    """

    def __init__(self, fallback: str, consequence: str) -> None:
        super().__init__(model.VISIBILITY_LEVELS)
        self.fallback = fallback
        self.consequence = consequence

    def convert(self, value: Any, ctx: Context, path: tuple[Any, ...]) -> Any:
        if isinstance(value, str) and value in self.values:
            return value
        near = difflib.get_close_matches(str(value).strip().lower(), self.values, n=1)
        hint = f"did you mean '{near[0]}'?" if near else f"use one of: {', '.join(self.values)}"
        ctx.error(
            path,
            f"'{field_name(path)}' is {_shown(value)}, which is not one of {', '.join(self.values)}; "
            f"{self.consequence}",
            hint,
        )
        return self.fallback


INVALID_AUDIENCE = "<invalid>"  # HubSettings.audience when hub.yml's audience cannot be read


def _shown(value: Any) -> str:
    """A value as the user wrote it, quoted, so trailing spaces and brackets are visible."""
    return repr(value) if isinstance(value, str) else f"{describe_value(value)}"


class WebURL(Text):
    """An absolute http(s) URL: it becomes links in pages and feeds."""

    label = "an http:// or https:// URL"

    def convert(self, value: Any, ctx: Context, path: tuple[Any, ...]) -> Any:
        text = super().convert(value, ctx, path)
        if text is INVALID or re.match(r"https?://[^\s]+\Z", text, re.IGNORECASE):
            return text
        ctx.error(
            path,
            f"'{field_name(path)}' must be an http:// or https:// URL, not '{text}'",
            "write the full address, e.g. https://hub.example.org/",
        )
        return INVALID

    def json_schema(self) -> dict[str, Any]:
        return {"type": "string", "pattern": "^[Hh][Tt][Tt][Pp][Ss]?://\\S+$"}


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


@dataclass(frozen=True)
class ImporterDoc:
    """What one lineage importer reads, how it names things, and what it leaves alone (docs/format.md)."""

    name: str
    files: str
    reads: list[str]
    identity: str
    ignored: str
    limits: str = ""  # `{max_event}`, `{max_manifest}`, `{max_file}`: filled in from the importers' constants


IMPORTERS: list[ImporterDoc] = [
    ImporterDoc(
        "Native lineage (`lineage.yml`)",
        "`content/projects/<id>/lineage.yml`",
        ["`consumes`: asset references `kind:id[@version]` or project ids; `produces`: asset references"],
        "the asset reference as written: `dataset:claims-2023` is one asset wherever it is written",
        "fields other than `consumes` and `produces` (warned about); an unknown kind, a bad id or a project "
        "under `produces` is an error with its line. A dependency loop between projects declared here is an "
        "error (`lineage cycle`); a loop the other tools' files record is a warning",
    ),
    ImporterDoc(
        "OpenLineage",
        "`content/lineage/**/*.json` (one event or an array) and `*.ndjson` (one event a line); "
        "`content/projects/<id>/*.ndjson`",
        [
            "RunEvent, JobEvent and DatasetEvent, of any `eventType` (START events often carry the inputs and "
            "outputs, COMPLETE events may carry none); `eventTime` gives 'last used'",
            "every input and output is a `dataset:` node, every job a `job:` node; a job reads its inputs and "
            "writes its outputs; several jobs may write one dataset, and a job that writes what it reads does not "
            "depend on its co-writers (no cycle)",
            "facets: `schema` (columns and types), `columnLineage` (which input columns feed each output column, "
            "shown on both datasets), `ownership` (owners, linked to people by email or handle), `documentation` "
            "(description), `sql` (shown as code), run facet `parent` (the job hierarchy: a dbt model under its run, "
            "an Airflow task under its DAG), `dataSource`, `jobType`; every other facet is kept as written in "
            "`api/hub.json` (`facts.facets`)",
            "`symlinks`: the one way two identities are one dataset; a `TABLE` identifier stands for the group, a "
            "`LOCATION` is an alternative name. An asset file's `symlinks` field does the same for a described asset",
        ],
        "`(namespace, name)` exactly as written: case, unicode, slashes and namespace all count. The node id is "
        "a readable slug of the name (at most 80 characters) plus 10 hex digits of a hash of the exact namespace "
        "and name, e.g. `dataset:postgres.public.orders-1a2b3c4d5e`: two names that differ anywhere are two "
        "nodes, and URLs do not change when other files are added. Pages and `api/hub.json` show the original "
        "`namespace` and `name`",
        "run ids (test and template events carry placeholders), `producer`, `schemaURL`, run facets other than "
        "`parent` (kept nowhere), input/output facets other than those above (kept in the export). A job with no "
        "name is reported; its datasets are still imported",
        "read as a stream, one event at a time: a file may be any size (memory grows with distinct datasets and "
        "jobs, not with events). One event may be at most {max_event}: a longer NDJSON line is reported and "
        "skipped; in a JSON array, it and the rest of the file are not read and the events before it are kept. "
        "A malformed event is reported with its line and event number, and the others are imported",
    ),
    ImporterDoc(
        "DVC",
        "`content/projects/<id>/dvc.yaml`, `dvc.lock` and `**/*.dvc` in the project folder",
        [
            "each stage of `dvc.yaml`: `cmd`, `deps`, `outs`, `params`, `metrics`, `plots` (the project page "
            "shows the pipeline)",
            "each stage output (`outs`, `metrics`, `plots` of a stage) is an asset produced by the project, with "
            "its `path` as written, the stage that writes it and the stages that read it; an output a later stage "
            "reads and that is no artifact is a pipeline step: it takes no external-use credit",
            "`dvc.lock`: each output's hash (`md5:…`) is its version; the params values are shown",
            "`artifacts:` are assets of their `type` (`model`, `dataset`, …) named by the artifact; an artifact whose "
            "path is an imported file is consumed, not produced",
            "`*.dvc` anywhere in the folder with `deps[].repo.url` (an import) is a dataset the project consumes, "
            "versioned by `rev_lock` (or `rev`); a `dvc add` file is a dataset the project consumes when a stage "
            "reads it",
            "metrics files a stage lists, when committed (JSON or YAML), are shown on the project page",
        ],
        "a pipeline file: `(project folder, path as written)`; an import: `(repo.url, path in that repo)`; an "
        "artifact: `kind:<artifact name>`",
        "source files and params files a stage reads (`src/*.py`, `params.yaml`) are not assets; `foreach`/"
        "`matrix` stages are reported and not expanded; the top-level `plots:` definitions. A stage without "
        "`cmd` or with an entry that is not a path is an error with its line; the rest is imported. A `*.dvc` "
        "link that points outside the repository is an error and is not read",
    ),
    ImporterDoc(
        "dbt",
        "`manifest.json` (or `*.manifest.json`) in `content/lineage/` (any depth) or a project folder",
        [
            "models and snapshots are `job:` nodes that write their relation (a `dataset:`) and read the datasets "
            "of their `depends_on.nodes`; seeds and sources are datasets; exposures are `job:` nodes that consume "
            "(dashboards, apps)",
            "`description`, `columns` (name, `data_type`, description), owner (`meta.owner` or `config.meta.owner`; "
            "an exposure's `owner.email`), `tags`, `raw_code` (shown as SQL), `materialized`",
        ],
        "a dataset: `(adapter_type, database.schema.alias)` as written in the manifest; a job: "
        "`(dbt://<package>, unique_id)`. OpenLineage's dbt integration names the same tables "
        "`(postgres://host:port, …)`: join them with `symlinks` in an asset file",
        "tests, macros, metrics, semantic models, docs blocks, `parent_map`/`child_map` (the same edges as "
        "`depends_on`). A manifest schema version hubgen does not know (it knows v1 to v12) is one warning, and "
        "the manifest is still read",
        "at most {max_manifest} (it is read whole)",
    ),
    ImporterDoc(
        "Backstage",
        "`catalog-info.yaml` in a project folder; any `*.yaml`/`*.yml` in `content/lineage/`",
        [
            "every document of the file; `Component` and `API` become `component:` assets, `Resource` a "
            "`dataset:`, `System` an `app:`",
            "`spec.owner` (a `user:` ref is shown as that User entity's email when the catalog gives one, and "
            "linked to the person with that email or handle), `spec.lifecycle`, `spec.type`, `metadata.description`,"
            " `metadata.title`, `metadata.tags`; `spec.system` is the parent",
            "`dependsOn` and `consumesApis` are consumes, `providesApis` produces",
        ],
        "the entity ref `kind:namespace/name`, without case as Backstage compares refs (the name is shown as written)",
        "`Domain`, `Location`, `Template` and `Group` entities (a group owner is shown as written), "
        "annotations and links (kept in the export)",
        "at most {max_catalog} (it is read whole)",
    ),
]
