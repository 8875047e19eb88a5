"""OpenLineage events: RunEvent, JobEvent and DatasetEvent, as one object, a JSON array or NDJSON.

Identity is `(namespace, name)` exactly as written; the `symlinks` facet is
the one way two identities become one. Files are read as a stream, one event
at a time, so a log of any size imports in bounded memory; only a single
event over MAX_EVENT_BYTES is refused (the events before it are kept).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from hubgen.load.event_stream import _json, _ndjson
from hubgen.load.importer import (
    Alias,
    Found,
    ImportContext,
    as_dict,
    facts,
    identity_key,
)
from hubgen.model import AssetFacts, Column, ColumnLink, LineageLink, Origin
from hubgen.problems import ProblemLog, Severity

# Facets hubgen shows; every other facet is kept as written in AssetFacts.facets.
SHOWN_FACETS = {"schema", "columnLineage", "ownership", "documentation", "sql", "symlinks", "dataSource", "jobType"}


MAX_PROBLEMS_PER_FILE = 50  # past this, a log's problems are counted, not listed (a log may repeat one fault)


@dataclass
class _CappedLog(ProblemLog):
    """A file's problems, the first MAX_PROBLEMS_PER_FILE listed and the rest counted, into `into`."""

    into: ProblemLog = field(default_factory=ProblemLog)
    listed: int = 0
    more: dict[Severity, int] = field(default_factory=dict)

    def add(
        self, path: Any, line: int | None, message: str, hint: str = "", severity: Severity = Severity.ERROR
    ) -> None:
        if self.listed < MAX_PROBLEMS_PER_FILE:
            self.listed += 1
            self.into.add(path, line, message, hint, severity)
        else:
            self.more[severity] = self.more.get(severity, 0) + 1

    def close(self, rel: str) -> None:
        if self.more:
            worst = Severity.ERROR if Severity.ERROR in self.more else Severity.WARNING
            self.into.add(
                rel,
                None,
                f"{sum(self.more.values())} more problem(s) in this file are not listed "
                f"(the first {MAX_PROBLEMS_PER_FILE} are)",
                "fix those and check again",
                worst,
            )


def event_date(value: Any) -> date | None:
    """The UTC date of an OpenLineage `eventTime`; None when missing or not ISO 8601."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        # Fractions longer than microseconds (nanosecond clocks): keep six digits.
        trimmed = re.sub(r"(\.\d{6})\d+", r"\1", text)
        try:
            moment = datetime.fromisoformat(trimmed)
        except ValueError:
            return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.date()


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _identity(obj: Any) -> tuple[str, str] | None:
    """(namespace, name) of a job or dataset object; a missing namespace is the empty string."""
    if not isinstance(obj, dict) or _text(obj.get("name")) is None:
        return None
    namespace = obj.get("namespace")
    return (namespace if isinstance(namespace, str) else ""), obj["name"]


def dataset_key(namespace: str, name: str) -> str:
    return identity_key("dataset", namespace, name)


def job_key(namespace: str, name: str) -> str:
    return identity_key("job", namespace, name)


def _facets(obj: dict, *names: str) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for name in names:
        value = obj.get(name)
        if isinstance(value, dict):
            found.update(value)
    return found


def _columns(fields: Any, prefix: str = "") -> tuple[Column, ...]:
    out: list[Column] = []
    for f in fields if isinstance(fields, list) else []:
        if isinstance(f, dict) and _text(f.get("name")):
            name = prefix + f["name"]
            out.append(Column(name, _text(f.get("type")), _text(f.get("description"))))
            out += _columns(f.get("fields"), name + ".")  # nested struct fields
    return tuple(out)


def _column_lineage(facet: Any) -> tuple[ColumnLink, ...]:
    out: list[ColumnLink] = []
    fields = facet.get("fields") if isinstance(facet, dict) else None
    for column, spec in fields.items() if isinstance(fields, dict) else ():
        for src in (spec.get("inputFields") or []) if isinstance(spec, dict) else []:
            ident = _identity(src)
            if ident is None or not _text(src.get("field")):
                continue
            kinds = [
                t["type"] + (f"/{t['subtype']}" if t.get("subtype") else "")
                for t in src.get("transformations") or []
                if isinstance(t, dict) and isinstance(t.get("type"), str)
            ]
            how = ", ".join(kinds) or _text(spec.get("transformationType"))
            out.append(ColumnLink(str(column), dataset_key(*ident), src["field"], how))
    return tuple(out)


def _owners(facet: Any) -> tuple[str, ...]:
    owners = facet.get("owners") if isinstance(facet, dict) else None
    return tuple(o["name"] for o in owners or [] if isinstance(o, dict) and _text(o.get("name")))


def _kept(facets: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in facets.items() if k not in SHOWN_FACETS}


def _dataset(obj: dict, origin: Origin) -> Iterator[Found]:
    namespace, name = _identity(obj)  # type: ignore[misc]
    key = dataset_key(namespace, name)
    facets = _facets(obj, "facets", "inputFacets", "outputFacets")
    source = as_dict(facets.get("dataSource"))
    lineage = facets.get("columnLineage")
    for spec in (
        (lineage.get("fields") or {}).values()
        if isinstance(lineage, dict) and isinstance(lineage.get("fields"), dict)
        else ()
    ):
        for src in (spec.get("inputFields") or []) if isinstance(spec, dict) else []:
            ident = _identity(src)
            if ident is not None and ident != (namespace, name):
                yield facts(dataset_key(*ident), "openlineage", origin, *ident)  # a column's source is a dataset
    yield facts(
        key,
        "openlineage",
        origin,
        namespace,
        name,
        description=_text(
            (facets.get("documentation") or {}).get("description")
            if isinstance(facets.get("documentation"), dict)
            else None
        ),
        owners=_owners(facets.get("ownership")),
        columns=_columns(
            (facets.get("schema") or {}).get("fields") if isinstance(facets.get("schema"), dict) else None
        ),
        column_lineage=_column_lineage(facets.get("columnLineage")),
        data_source=_text(source.get("uri")) or _text(source.get("name")),
        facets=_kept(facets),
    )
    links = facets.get("symlinks")
    for ident in (links.get("identifiers") or []) if isinstance(links, dict) else []:
        other = _identity(ident)
        if other and other != (namespace, name):
            # A TABLE name stands for the group (Spark names a table's files by their path);
            # a LOCATION or other name is the alternative.
            if str(ident.get("type", "")).upper() == "TABLE":
                yield Alias(key, dataset_key(*other), origin, *other)
            else:
                yield Alias(dataset_key(*other), key, origin, namespace, name)


def _job_facts(job: dict, run: Any, namespace: str, name: str, origin: Origin) -> AssetFacts:
    facets = _facets(job, "facets")
    job_type = as_dict(facets.get("jobType"))
    run_facets = _facets(run, "facets") if isinstance(run, dict) else {}
    parent = run_facets.get("parent") or run_facets.get("parentRun") or {}  # parentRun: older Airflow
    parent_id = _identity(parent.get("job")) if isinstance(parent, dict) else None
    sql = as_dict(facets.get("sql"))
    doc = as_dict(facets.get("documentation"))
    return facts(
        job_key(namespace, name),
        "openlineage",
        origin,
        namespace,
        name,
        description=_text(doc.get("description")),
        owners=_owners(facets.get("ownership")),
        sql=_text(sql.get("query")),
        parent=job_key(*parent_id) if parent_id and parent_id != (namespace, name) else None,
        job_type=" · ".join(
            str(job_type[k]) for k in ("integration", "jobType", "processingType") if isinstance(job_type.get(k), str)
        )
        or None,
        facets=_kept(facets),
    )


def load_openlineage(ctx: ImportContext, path: Path) -> Iterator[Found]:
    """Every input/output becomes a dataset and every job a job, whatever the event type.

    START, RUNNING, COMPLETE, FAIL, ABORT and OTHER are all read: dbt and
    Airflow put the inputs and outputs on START and often send none on
    COMPLETE. Run ids are not used (test and template events carry
    placeholders). Each link keeps the date of the latest event showing it.
    """
    rel = ctx.repo.rel(path)
    log = _CappedLog(into=ctx.log)
    ctx = replace(ctx, log=log)
    try:
        yield from _read_events(ctx, path, rel, log)
    finally:
        log.close(rel)


def _read_events(ctx: ImportContext, path: Path, rel: str, log: ProblemLog) -> Iterator[Found]:  # noqa: C901 (each check names its own problem, in event order)
    if not ctx.repo.inside(path):
        log.error(
            rel,
            None,
            "symbolic link points outside the repository; not read",
            "copy the file into the repository instead of linking to it",
        )
        return
    seen: dict[tuple[str, str, str], date | None] = {}
    bad_times = 0
    reader = _ndjson if rel.endswith(".ndjson") else _json
    count = 0
    try:
        for line, event in reader(path, rel, ctx):
            count += 1
            origin = Origin(rel, line)
            if not isinstance(event, dict):
                log.error(
                    rel,
                    line,
                    f"event {count} is not an OpenLineage event (not a JSON object)",
                    "each event is an object with job and/or dataset; skipped",
                )
                continue
            when = event_date(event.get("eventTime"))
            if when is None and event.get("eventTime") is not None:
                bad_times += 1
            if "job" not in event and isinstance(event.get("dataset"), dict):  # DatasetEvent
                if _identity(event["dataset"]) is None:
                    log.error(
                        rel,
                        line,
                        f"event {count}: the dataset has no name",
                        "a DatasetEvent needs dataset: {namespace, name}; skipped",
                    )
                    continue
                yield from _dataset(event["dataset"], origin)
                continue
            ident = _identity(event.get("job"))
            if ident is None:
                sets = [
                    ds
                    for f in ("inputs", "outputs")
                    if isinstance(event.get(f), list)
                    for ds in event[f]
                    if _identity(ds) is not None
                ]
                if not sets:
                    log.error(
                        rel,
                        line,
                        f"event {count} is not an OpenLineage event (no job name and no dataset)",
                        "a RunEvent or JobEvent needs job: {namespace, name}, a DatasetEvent dataset: "
                        "{namespace, name}; skipped",
                    )
                    continue
                log.warn(
                    rel,
                    line,
                    f"event {count}: the job has no name; its {len(sets)} dataset(s) are imported without lineage",
                    "give the job a name (job: {namespace, name}) to link them",
                )
                for ds in sets:
                    yield from _dataset(ds, origin)
                continue
            job = job_key(*ident)
            found = _job_facts(event["job"], event.get("run"), *ident, origin)
            yield found
            if found.parent:  # the parent job (a dbt run, an Airflow DAG) is a node too
                run_facets = event["run"]["facets"]
                parent_job = (run_facets.get("parent") or run_facets["parentRun"])["job"]
                yield facts(found.parent, "openlineage", origin, *_identity(parent_job))  # type: ignore[misc]
            yield from _links(job, "declares", job, origin, when, seen)
            for verb, field_name in (("consumes", "inputs"), ("produces", "outputs")):
                datasets = event.get(field_name) or []
                if not isinstance(datasets, list):
                    log.warn(rel, line, f"event {count}: '{field_name}' is not a list; ignored", "")
                    continue
                for ds in datasets:
                    if _identity(ds) is None:
                        log.warn(rel, line, f"event {count}: a dataset in '{field_name}' has no name; ignored", "")
                        continue
                    yield from _dataset(ds, origin)
                    yield from _links(job, verb, dataset_key(*_identity(ds)), origin, when, seen)  # type: ignore[misc]
    except UnicodeDecodeError as exc:
        log.error(
            rel,
            None,
            f"not valid UTF-8 after event {count}; the events before it are imported",
            f"save the file as UTF-8 ({exc.reason})",
        )
    except OSError as exc:
        log.error(rel, None, f"cannot read file: {exc.strerror or exc}", "check the file permissions")
    if bad_times:
        log.warn(
            rel,
            None,
            f"{bad_times} event(s) have an eventTime that is not an ISO 8601 date-time; "
            "their dates are not used for 'last used'",
            "write e.g. 2024-11-20T19:45:47.102Z",
        )


def _links(
    subject: str,
    verb: str,
    target: str,
    origin: Origin,
    when: date | None,
    seen: dict[tuple[str, str, str], date | None],
) -> Iterator[LineageLink]:
    """A link once per file, and again only when it is seen at a later date."""
    key = (subject, verb, target)
    if key in seen and not (when and (seen[key] is None or when > seen[key])):  # type: ignore[operator]
        return
    seen[key] = when if when else seen.get(key)
    yield LineageLink(subject, verb, target, None, origin, when)
