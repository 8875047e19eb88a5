"""Lineage from the three sources: `lineage.yml`, DVC files and OpenLineage events.

Each adapter yields the same `LineageLink` records; node keys are `kind:id`
(`project:<id>` for projects, `job:<id>` for OpenLineage jobs).
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, Iterator

from hubgen import schema
from hubgen.load.context import FileContext, Reference
from hubgen.load.files import MAX_EVENTS_BYTES, Repo
from hubgen.model import LineageLink, Origin
from hubgen.problems import ProblemLog

LINEAGE = schema.Record("lineage", schema.LINEAGE_FIELDS)
# DVC artifact types that are other words for an asset kind.
DVC_TYPES = {"data": "dataset", "datasets": "dataset", "models": "model"}
REF = re.compile(r"^(?:(?P<kind>[a-z]+):)?(?P<id>[^@\s]+)(?:@(?P<version>\S+))?$")


def slug(text: str) -> str:
    """An id from an outside name: lowercase, other characters become '-'."""
    out = re.sub(r"[^a-z0-9._-]+", "-", text.strip().lower()).strip("-")
    return out if out and schema.ID_RE.match(out) else ("x-" + out if out else "unnamed")


def parse_ref(text: str) -> tuple[str, str, str | None] | None:
    """`dataset:claims@1.2` -> ("dataset", "claims", "1.2"); a bare id is a project."""
    match = REF.match(text.strip())
    if not match:
        return None
    kind = match["kind"] or "project"
    return kind, match["id"], match["version"]


def load_lineage_yml(repo: Repo, path: Path, project: str, log: ProblemLog,
                     refs: list[Reference]) -> list[LineageLink]:
    rel = repo.rel(path)
    doc = repo.read_yaml(path, log)
    if doc is None:
        return []
    ctx = FileContext(doc, rel, log, refs)
    if doc.data is None:
        log.warn(rel, 1, "lineage file is empty", "list what the project consumes and produces, or delete it")
        return []
    values = ctx.convert(LINEAGE)
    if values is None:
        return []
    links: list[LineageLink] = []
    for verb in ("consumes", "produces"):
        for i, text in enumerate(values.get(verb, ())):
            line = doc.line((verb, i))
            parsed = parse_ref(text)
            if parsed is None:
                log.error(rel, line, f"'{text}' is not an asset reference or project id",
                          "write kind:id[@version], e.g. dataset:claims-2023, or a project id")
                continue
            kind, ident, version = parsed
            if kind != "project" and kind not in schema.ASSET_KINDS:
                log.error(rel, line, f"unknown asset kind '{kind}' in '{text}'",
                          "use one of: " + ", ".join(schema.ASSET_KINDS))
                continue
            if not schema.ID_RE.match(ident):
                log.error(rel, line, f"'{ident}' in '{text}' is not a valid id", schema.ID_HINT)
                continue
            if kind == "project":
                if verb == "produces":
                    log.error(rel, line, f"a project cannot be produced ('{text}')",
                              "list assets under produces, e.g. model:churn-v2")
                    continue
                if ident == project:
                    log.error(rel, line, "a project cannot consume itself", "remove this entry")
                    continue
                refs.append(Reference("project", ident, rel, line, "consumes"))
            links.append(LineageLink(f"project:{project}", verb, f"{kind}:{ident}", version, Origin(rel, line)))
    return links


def load_dvc(repo: Repo, project_dir: Path, project: str, log: ProblemLog) -> list[LineageLink]:
    """`artifacts:` of dvc.yaml are produced; `*.dvc` imports with `repo.url` are consumed."""
    links: list[LineageLink] = []
    dvc_yaml = project_dir / "dvc.yaml"
    if dvc_yaml.exists():
        rel = repo.rel(dvc_yaml)
        doc = repo.read_yaml(dvc_yaml, log)
        data = doc.data if doc else None
        if doc is not None and not isinstance(data, dict):
            log.error(rel, 1, "dvc.yaml must be a mapping", "see DVC's dvc.yaml reference")
        elif doc is not None:
            artifacts = data.get("artifacts") or {}
            if not isinstance(artifacts, dict):
                log.error(rel, doc.line(("artifacts",)), "'artifacts' must be a mapping of name to details",
                          "write 'artifacts:' then '  my-model: {path: ..., type: model}'")
                artifacts = {}
            for name, spec in artifacts.items():
                line = doc.line(("artifacts", name))
                kind = spec.get("type", "model") if isinstance(spec, dict) else "model"
                kind = DVC_TYPES.get(kind, kind) if isinstance(kind, str) else kind
                if kind not in schema.ASSET_KINDS:
                    log.warn(rel, line, f"DVC artifact type '{kind}' is not an asset kind; read as a model",
                             "use type: model or dataset")
                    kind = "model"
                links.append(LineageLink(f"project:{project}", "produces", f"{kind}:{slug(str(name))}", None,
                                         Origin(rel, line)))
    for path in sorted(project_dir.glob("*.dvc")):
        if not repo.inside(path):
            continue
        rel = repo.rel(path)
        doc = repo.read_yaml(path, log)
        if doc is None or not isinstance(doc.data, dict):
            if doc is not None:
                log.error(rel, 1, "a .dvc file must be a mapping", "see DVC's .dvc file reference")
            continue
        deps = doc.data.get("deps") or []
        for i, dep in enumerate(deps if isinstance(deps, list) else []):
            if isinstance(dep, dict) and isinstance(dep.get("repo"), dict) and dep["repo"].get("url"):
                stem = Path(str(dep.get("path") or path.stem)).name.split(".")[0]
                links.append(LineageLink(f"project:{project}", "consumes", f"dataset:{slug(stem)}",
                                         dep["repo"].get("rev") or None, Origin(rel, doc.line(("deps", i)))))
    return links


def _events(text: str, rel: str, log: ProblemLog) -> Iterator[tuple[int | None, Any]]:
    """Events from a JSON array, one JSON event, or NDJSON, with their line."""
    stripped = text.lstrip()
    if not stripped:
        log.error(rel, None, "OpenLineage file is empty", "remove it or add run events")
        return
    if rel.endswith(".ndjson"):
        for i, line in enumerate(text.split("\n"), 1):
            if line.strip():
                try:
                    event = json.loads(line)
                except json.JSONDecodeError as exc:
                    log.error(rel, i, f"not valid JSON: {exc.msg}", "each line must be one complete JSON event")
                    continue
                except RecursionError:
                    log.error(rel, i, "JSON nested too deeply to read", "this is not an OpenLineage event")
                    continue
                yield i, event
        return
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        log.error(rel, exc.lineno, f"not valid JSON: {exc.msg} (truncated file?)",
                  "the file must be a JSON array of events, one event, or NDJSON named *.ndjson")
        return
    except RecursionError:
        log.error(rel, None, "JSON nested too deeply to read", "this is not an OpenLineage event file")
        return
    if not isinstance(data, list):
        yield text[: len(text) - len(stripped)].count("\n") + 1, data
        return
    lines = _element_lines(text, len(data))
    for i, event in enumerate(data):
        yield lines[i], event


def _element_lines(text: str, count: int) -> list[int | None]:
    """The line each element of a top-level JSON array starts on (None if not found)."""
    decoder = json.JSONDecoder()
    out: list[int | None] = []
    pos = text.index("[") + 1
    line, seen = 1, 0
    try:
        for _ in range(count):
            while text[pos] in " \t\r\n,":
                pos += 1
            line += text.count("\n", seen, pos)
            seen = pos
            out.append(line)
            _, pos = decoder.raw_decode(text, pos)
    except (ValueError, IndexError, RecursionError):
        pass
    return out + [None] * (count - len(out))


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
        moment = moment.astimezone(timezone.utc)
    return moment.date()


def load_openlineage(repo: Repo, path: Path, log: ProblemLog) -> list[LineageLink]:
    """Every input/output becomes a dataset and every job a job, whatever the event type.

    START, RUNNING, COMPLETE, FAIL, ABORT and OTHER events are all read: dbt and
    Airflow put the inputs and outputs on START and often send none on COMPLETE.
    Run ids are not used (test and template events carry placeholders). Each
    link keeps the date of the latest event showing it, for "last used".
    """
    rel = repo.rel(path)
    text = repo.read_text(path, log, MAX_EVENTS_BYTES)
    if text is None:
        return []
    links: dict[tuple[str, str, str], LineageLink] = {}
    count = 0
    bad_times = 0

    def add(subject: str, verb: str, target: str, origin: Origin, when: date | None) -> None:
        key = (subject, verb, target)
        old = links.get(key)
        if old is None:
            links[key] = LineageLink(subject, verb, target, None, origin, when)
        elif when and (old.when is None or when > old.when):
            links[key] = replace(old, when=when)

    for line, event in _events(text, rel, log):
        count += 1
        job = event.get("job") if isinstance(event, dict) else None
        if not isinstance(job, dict) or not isinstance(job.get("name"), str) or not job["name"].strip():
            log.error(rel, line, f"event {count} is not an OpenLineage run event (no job name)",
                      "each event needs job: {namespace, name}; skipped")
            continue
        job_key = f"job:{slug(job['name'])}"
        origin = Origin(rel, line)
        when = event_date(event.get("eventTime"))
        if when is None and event.get("eventTime") is not None:
            bad_times += 1
        add(job_key, "declares", job_key, origin, when)
        for verb, field_name in (("consumes", "inputs"), ("produces", "outputs")):
            datasets = event.get(field_name) or []
            if not isinstance(datasets, list):
                log.warn(rel, line, f"event {count}: '{field_name}' is not a list; ignored", "")
                continue
            for ds in datasets:
                if not isinstance(ds, dict) or not isinstance(ds.get("name"), str) or not ds["name"].strip():
                    log.warn(rel, line, f"event {count}: a dataset in '{field_name}' has no name; ignored", "")
                    continue
                add(job_key, verb, f"dataset:{slug(ds['name'])}", origin, when)
    if bad_times:
        log.warn(rel, None, f"{bad_times} event(s) have an eventTime that is not an ISO 8601 date-time; "
                 "their dates are not used for 'last used'", "write e.g. 2024-11-20T19:45:47.102Z")
    return list(links.values())
