"""Loading each record kind from its file into the model."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

from hubgen import model, schema
from hubgen.load.bodies import markdown_hazard
from hubgen.load.context import FileContext, Reference
from hubgen.load.files import Repo
from hubgen.problems import ProblemLog

PROJECT = schema.Record("project", schema.PROJECT_FIELDS, keep_extra=True)
PERSON = schema.Record("person", schema.PERSON_FIELDS, keep_extra=True)
NULL_RESULT = schema.Record("null result", schema.NULL_RESULT_FIELDS, keep_extra=True)
DISCUSSION = schema.Record("discussion", schema.DISCUSSION_FIELDS, keep_extra=True)
ASSET = schema.Record("asset", schema.ASSET_FIELDS, keep_extra=True)
HUB = schema.Record("hub settings", schema.HUB_FIELDS, keep_extra=True)

MESSAGE_HEADING = re.compile(r"^##\s+@(?P<handle>\S+)\s+(?P<date>\S+)\s*$")


def is_link(text: str) -> bool:
    """URLs and repo paths, as opposed to ids."""
    return "://" in text or "/" in text or text.startswith("mailto:")


def check_id(value: str, rel: str, log: ProblemLog, what: str) -> bool:
    if schema.ID_RE.match(value):
        return True
    log.error(rel, None, f"'{value}' is not a valid {what} id", f"rename it: {schema.ID_HINT}")
    return False


def check_body(body: str, rel: str, first_line: int, log: ProblemLog) -> None:
    """Warn about a Markdown body too costly to render: the site shows it as plain text."""
    hazard = markdown_hazard(body)
    if hazard is not None:
        line, reason = hazard
        log.warn(
            rel,
            first_line + line - 1,
            f"the text has {reason}; it is shown as plain text, not Markdown",
            "close the brackets or tags, or flatten the nesting",
        )


def _future(values: dict[str, Any], names: tuple[str, ...], ctx: FileContext, today: date) -> None:
    for name in names:
        value = values.get(name)
        if isinstance(value, date) and value > today:
            ctx.warn((name,), f"'{name}' is {value}, which is in the future", "check the year")


def load_person(repo: Repo, path: Path, log: ProblemLog, refs: list[Reference], today: date) -> model.Person | None:
    rel = repo.rel(path)
    doc = repo.read_yaml(path, log)
    if doc is None:
        return None
    ctx = FileContext(doc, rel, log, refs)
    values = ctx.convert(PERSON)
    if values is None:
        return None
    _future(values, ("joined", "left"), ctx, today)
    if values.get("joined") and values.get("left") and values["left"] < values["joined"]:
        ctx.error(("left",), "'left' is before 'joined'", "check both dates")
    return model.Person(handle=path.stem, origin=model.Origin(rel, 1), **values)


def _stage_history(values: dict[str, Any], ctx: FileContext, today: date) -> None:
    """Stage history as the pages and charts read it: in date order, inside started/ended, ending at `stage`.

    Each problem is a warning (`check --strict` fails on it) at the entry's line: a stage dated before
    `started` or entries out of order would otherwise draw months-long stays in the stage-time chart.
    """
    history = values.get("stage_history") or ()
    started, ended = values.get("started"), values.get("ended")
    for i, entry in enumerate(history):
        where = ("stage_history", i, "date")
        if entry.date > today:
            ctx.warn(where, f"stage '{entry.stage}' entered on {entry.date}, in the future", "check the year")
        if i and entry.date < history[i - 1].date:
            ctx.warn(
                where,
                f"stage_history is out of order: '{entry.stage}' ({entry.date}) comes after "
                f"'{history[i - 1].stage}' ({history[i - 1].date})",
                "list the stages in the order they were entered, oldest first",
            )
        if started and entry.date < started:
            ctx.warn(
                where,
                f"stage '{entry.stage}' entered on {entry.date}, before 'started' ({started})",
                "fix the entry's date or 'started'",
            )
        if ended and entry.date > ended:
            ctx.warn(
                where,
                f"stage '{entry.stage}' entered on {entry.date}, after 'ended' ({ended})",
                "fix the entry's date or 'ended'",
            )
    stage = values.get("stage")
    if history and stage:
        last = max(history, key=lambda e: e.date)
        if last.stage != stage:
            ctx.warn(
                ("stage",),
                f"'stage' is {stage}, but the latest stage_history entry ({last.date}) is {last.stage}",
                f"set stage: {last.stage}, or add the entry for {stage}",
            )


def load_project(repo: Repo, path: Path, log: ProblemLog, refs: list[Reference], today: date) -> model.Project | None:
    rel = repo.rel(path)
    doc = repo.read_yaml(path, log)
    if doc is None:
        return None
    ctx = FileContext(doc, rel, log, refs)
    values = ctx.convert(PROJECT)
    if values is None:
        return None
    if values["status"] == "active" and not values.get("stage"):
        ctx.error(("status",), "an active project needs a 'stage'", "add stage: one of " + ", ".join(schema.STAGES))
    if not any(r.role == "lead" for r in values["people"]):
        ctx.error(("people",), "no person has the role 'lead'", "give the project at least one lead")
    if values.get("started") and values.get("ended") and values["ended"] < values["started"]:
        ctx.error(
            ("ended",), f"'ended' ({values['ended']}) is before 'started' ({values['started']})", "check both dates"
        )
    _future(values, ("started", "ended", "last_used"), ctx, today)
    _stage_history(values, ctx, today)
    for i, role in enumerate(values["people"]):
        if role.since and role.until and role.until < role.since:
            ctx.error(("people", i, "to"), "'to' is before 'from'", "check both dates")
    for i, item in enumerate(values.get("prior_art", ())):
        if is_link(item):
            continue
        if schema.ID_RE.match(item):
            refs.append(Reference("project", item, rel, doc.line(("prior_art", i)), "prior_art"))
        else:
            ctx.warn(
                ("prior_art", i),
                f"prior_art '{item}' is neither a project id nor a URL",
                "write a project id (e.g. churn-model-2023) or a link",
            )
    readme = ""
    readme_path = path.parent / "README.md"
    if readme_path.exists():
        readme = repo.read_text(readme_path, log) or ""
        check_body(readme, repo.rel(readme_path), 1, log)
    return model.Project(id=path.parent.name, readme=readme, origin=model.Origin(rel, 1), **values)


def load_null_result(
    repo: Repo, path: Path, log: ProblemLog, refs: list[Reference], today: date, project: str | None
) -> model.NullResult | None:
    rel = repo.rel(path)
    parsed = repo.read_front_matter(path, log)
    if parsed is None:
        return None
    doc, body, body_line = parsed
    check_body(body, rel, body_line, log)
    ctx = FileContext(doc, rel, log, refs)
    values = ctx.convert(NULL_RESULT)
    if values is None:
        return None
    _future(values, ("date",), ctx, today)
    if project is not None:
        declared = values.get("project")
        if declared and declared != project:
            ctx.error(
                ("project",),
                f"'project' is '{declared}' but the file is under project '{project}'",
                "remove 'project:' (it is implied by the folder) or move the file",
            )
            refs[:] = [r for r in refs if not (r.path == rel and r.field == "project")]
        values["project"] = project
    return model.NullResult(id=path.stem, body=body.strip(), origin=model.Origin(rel, 1), **values)


def parse_messages(
    body: str, first_line: int, rel: str, log: ProblemLog, refs: list[Reference]
) -> tuple[str, tuple[model.Message, ...]]:
    """Split a discussion body into its context and `## @handle YYYY-MM-DD` messages."""
    context: list[str] = []
    messages: list[model.Message] = []
    current: dict[str, Any] | None = None
    text: list[str] = []

    def close() -> None:
        if current is not None:
            messages.append(model.Message(current["author"], current["date"], "\n".join(text).strip(), current["line"]))

    for offset, line in enumerate(body.split("\n")):
        lineno = first_line + offset
        if line.startswith("## @") or (line.startswith("##") and "@" in line[:6]):
            match = MESSAGE_HEADING.match(line)
            when = None
            if match:
                try:
                    when = date.fromisoformat(match["date"])
                except ValueError:
                    when = None
            if not match or when is None or not schema.ID_RE.match(match["handle"]):
                log.error(
                    rel,
                    lineno,
                    f"message heading '{line.strip()}' is not '## @handle YYYY-MM-DD'",
                    "write e.g. '## @ana 2025-03-14'; the text is kept as part of the previous message",
                )
                (text if current is not None else context).append(line)
                continue
            close()
            current = {"author": match["handle"], "date": when, "line": lineno}
            text = []
            refs.append(Reference("person", match["handle"], rel, lineno, "message author"))
            continue
        (text if current is not None else context).append(line)
    close()
    return "\n".join(context).strip(), tuple(messages)


def load_discussion(
    repo: Repo, path: Path, log: ProblemLog, refs: list[Reference], today: date, project: str
) -> model.Discussion | None:
    rel = repo.rel(path)
    parsed = repo.read_front_matter(path, log)
    if parsed is None:
        return None
    doc, body, body_line = parsed
    ctx = FileContext(doc, rel, log, refs)
    values = ctx.convert(DISCUSSION)
    if values is None:
        return None
    _future(values, ("date",), ctx, today)
    if values.get("status") == "decided" and not values.get("decision"):
        ctx.warn(("status",), "thread is 'decided' but has no 'decision'", "add decision: what was decided")
    check_body(body, rel, body_line, log)
    context, messages = parse_messages(body, body_line, rel, log, refs)
    if not messages:
        log.warn(rel, body_line, "discussion has no messages", "start each message with '## @handle YYYY-MM-DD'")
    return model.Discussion(
        id=path.stem, project=project, context=context, messages=messages, origin=model.Origin(rel, 1), **values
    )


def load_asset(repo: Repo, path: Path, log: ProblemLog, refs: list[Reference], kind: str) -> model.Asset | None:
    rel = repo.rel(path)
    doc = repo.read_yaml(path, log)
    if doc is None:
        return None
    ctx = FileContext(doc, rel, log, refs)
    values = ctx.convert(ASSET)
    if values is None:
        return None
    return model.Asset(kind=kind, id=path.stem, origin=model.Origin(rel, 1), **values)


def load_settings(repo: Repo, path: Path, log: ProblemLog) -> model.HubSettings:
    if not path.exists():
        return model.HubSettings()
    doc = repo.read_yaml(path, log)
    if doc is None:  # unreadable: its audience is unknown, so no build may assume one (fail closed)
        return model.HubSettings(audience=schema.INVALID_AUDIENCE)
    ctx = FileContext(doc, repo.rel(path), log, [])
    values = ctx.convert(HUB) if doc.data is not None else {}
    if values is None:
        return model.HubSettings(audience=schema.INVALID_AUDIENCE)
    if "experts" in values and not isinstance(values["experts"], dict):
        ctx.error(("experts",), "'experts' must be a mapping", "e.g. experts: {half_life_days: 540}")
        del values["experts"]
    return model.HubSettings(**values)
