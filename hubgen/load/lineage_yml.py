"""Native `lineage.yml`: what a project consumes and produces, by asset reference or project id."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from hubgen import schema
from hubgen.load.context import FileContext, Reference
from hubgen.load.importer import Found, ImportContext
from hubgen.model import LineageLink, Origin

LINEAGE = schema.Record("lineage", schema.LINEAGE_FIELDS)
REF = re.compile(r"^(?:(?P<kind>[a-z]+):)?(?P<id>[^@\s]+)(?:@(?P<version>\S+))?$")


def parse_ref(text: str) -> tuple[str, str, str | None] | None:
    """`dataset:claims@1.2` -> ("dataset", "claims", "1.2"); a bare id is a project."""
    match = REF.match(text.strip())
    if not match:
        return None
    kind = match["kind"] or "project"
    return kind, match["id"], match["version"]


def load_lineage_yml(ctx: ImportContext, path: Path) -> Iterator[Found]:
    repo, log, project = ctx.repo, ctx.log, ctx.project
    rel = repo.rel(path)
    doc = repo.read_yaml(path, log)
    if doc is None:
        return
    fctx = FileContext(doc, rel, log, ctx.refs)
    if doc.data is None:
        log.warn(rel, 1, "lineage file is empty", "list what the project consumes and produces, or delete it")
        return
    values = fctx.convert(LINEAGE)
    if values is None:
        return
    for verb in ("consumes", "produces"):
        for i, text in enumerate(values.get(verb, ())):
            line = doc.line((verb, i))
            parsed = parse_ref(text)
            if parsed is None:
                log.error(
                    rel,
                    line,
                    f"'{text}' is not an asset reference or project id",
                    "write kind:id[@version], e.g. dataset:claims-2023, or a project id",
                )
                continue
            kind, ident, version = parsed
            if kind != "project" and kind not in schema.ASSET_KINDS:
                log.error(
                    rel,
                    line,
                    f"unknown asset kind '{kind}' in '{text}'",
                    "use one of: " + ", ".join(schema.ASSET_KINDS),
                )
                continue
            if not schema.ID_RE.match(ident):
                log.error(rel, line, f"'{ident}' in '{text}' is not a valid id", schema.ID_HINT)
                continue
            if kind == "project":
                if verb == "produces":
                    log.error(
                        rel,
                        line,
                        f"a project cannot be produced ('{text}')",
                        "list assets under produces, e.g. model:churn-v2",
                    )
                    continue
                if ident == project:
                    log.error(rel, line, "a project cannot consume itself", "remove this entry")
                    continue
                ctx.refs.append(Reference("project", ident, rel, line, "consumes"))
            yield LineageLink(f"project:{project}", verb, f"{kind}:{ident}", version, Origin(rel, line))
