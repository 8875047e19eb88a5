"""dbt `manifest.json`: models, seeds, sources, snapshots and exposures with their `depends_on`.

A model or snapshot is a job (what dbt runs) writing one dataset (its
relation); seeds and sources are datasets; an exposure is a job that
consumes (a dashboard, an app). Identity: a dataset is
`(adapter type, database.schema.alias)` as written in the manifest, a job
`(dbt://<package>, unique_id)`. Tests, macros, metrics and docs are not read.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from hubgen.load.importer import Found, ImportContext, as_dict, facts, identity_key
from hubgen.model import Column, LineageLink, Origin

MAX_MANIFEST_BYTES = 512 * 1024 * 1024
KNOWN_VERSIONS = range(1, 13)  # manifest schema v1 … v12 (dbt 0.19 … 1.9)
RELATIONS = ("model", "seed", "snapshot", "source")
VERSION = re.compile(r"/manifest/v(\d+)\.json$")


def _relation(node: dict) -> str:
    parts = [node.get("database"), node.get("schema"), node.get("alias") or node.get("identifier") or node.get("name")]
    return ".".join(str(p) for p in parts if p)


def _owner(node: dict) -> str | None:
    for meta in (node.get("meta"), (node.get("config") or {}).get("meta")):
        if isinstance(meta, dict) and isinstance(meta.get("owner"), str):
            return meta["owner"]
    owner = node.get("owner")  # exposures: {name, email}
    if isinstance(owner, dict):
        return owner.get("email") or owner.get("name")
    return None


def _columns(node: dict) -> tuple[Column, ...]:
    cols = as_dict(node.get("columns"))
    return tuple(
        Column(str(c.get("name") or n), c.get("data_type") or None, c.get("description") or None)
        for n, c in cols.items()
        if isinstance(c, dict)
    )


def load_manifest(ctx: ImportContext, path: Path) -> Iterator[Found]:
    rel = ctx.repo.rel(path)
    text = ctx.repo.read_text(path, ctx.log, MAX_MANIFEST_BYTES)
    if text is None:
        return
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        ctx.log.error(
            rel,
            getattr(exc, "lineno", None),
            f"dbt manifest is not valid JSON: {getattr(exc, 'msg', exc)}",
            "regenerate it with 'dbt compile' or 'dbt docs generate' (target/manifest.json)",
        )
        return
    if not isinstance(data, dict) or not isinstance(data.get("nodes"), dict):
        ctx.log.error(
            rel, 1, "not a dbt manifest (no 'nodes' mapping)", "copy target/manifest.json as dbt writes it; skipped"
        )
        return
    meta: dict[str, Any] = data["metadata"] if isinstance(data.get("metadata"), dict) else {}
    found = VERSION.search(str(meta.get("dbt_schema_version") or ""))
    if not found or int(found[1]) not in KNOWN_VERSIONS:
        ctx.log.warn(
            rel,
            1,
            f"unknown dbt manifest schema version '{meta.get('dbt_schema_version')}'; read as the "
            "latest known (v12): fields it changed may be missing",
            "check the lineage on the site; report the version to hubgen if something is lost",
        )
    adapter = str(meta.get("adapter_type") or "dbt")
    origin = Origin(rel, 1)
    keys: dict[str, str] = {}  # unique_id → dataset key (what depends_on points at)
    jobs: dict[str, tuple[str, dict]] = {}  # unique_id → (job key, node)
    everything = (
        {**data.get("sources", {}), **data["nodes"]} if isinstance(data.get("sources"), dict) else data["nodes"]
    )
    for uid, node in everything.items():
        if not isinstance(node, dict) or node.get("resource_type") not in RELATIONS:
            continue
        name = _relation(node)
        key = identity_key("dataset", adapter, name)
        keys[uid] = key
        yield facts(
            key,
            "dbt",
            origin,
            adapter,
            name,
            title=node.get("name"),
            description=node.get("description"),
            owners=tuple(o for o in [_owner(node)] if o),
            columns=_columns(node),
            tags=tuple(map(str, node.get("tags") or ())),
            facets={
                "dbt": {
                    "unique_id": uid,
                    "resource_type": node.get("resource_type"),
                    "materialized": (node.get("config") or {}).get("materialized"),
                }
            },
        )
        if node["resource_type"] in ("model", "snapshot"):
            jobs[uid] = (identity_key("job", f"dbt://{node.get('package_name') or uid.split('.')[1]}", uid), node)
    exposures: dict[str, Any] = data["exposures"] if isinstance(data.get("exposures"), dict) else {}
    for uid, node in exposures.items():
        if isinstance(node, dict):
            jobs[uid] = (identity_key("job", f"dbt://{node.get('package_name') or uid.split('.')[1]}", uid), node)
    for uid, (job, node) in jobs.items():
        kind = node.get("resource_type", "exposure")
        namespace, name = f"dbt://{node.get('package_name') or uid.split('.')[1]}", uid
        yield facts(
            job,
            "dbt",
            origin,
            namespace,
            name,
            title=node.get("label") or node.get("name"),
            description=node.get("description") if kind == "exposure" else None,
            owners=tuple(o for o in [_owner(node)] if o) if kind == "exposure" else (),
            sql=node.get("raw_code") or node.get("raw_sql"),
            job_type=f"dbt · {kind}" + (f" · {node['type']}" if kind == "exposure" and node.get("type") else ""),
            tags=tuple(map(str, node.get("tags") or ())),
            facets={"url": node["url"]} if kind == "exposure" and node.get("url") else {},
        )
        yield LineageLink(job, "declares", job, None, origin)
        if uid in keys:
            yield LineageLink(job, "produces", keys[uid], None, origin)
        deps: dict[str, Any] = node["depends_on"] if isinstance(node.get("depends_on"), dict) else {}
        for dep in deps.get("nodes") or []:
            if dep in keys:
                yield LineageLink(job, "consumes", keys[dep], None, origin)
            elif not str(dep).startswith(("macro.", "test.", "metric.", "semantic_model.")):
                ctx.log.warn(
                    rel,
                    1,
                    f"'{uid}' depends on '{dep}', which the manifest does not define",
                    "regenerate the manifest with 'dbt compile'",
                )
