"""The machine-readable export `api/hub.json` (schema documented in docs/export.md)."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hubgen import urls
from hubgen.analysis.browse import export as browse_export
from hubgen.analysis.experts import export as experts_export
from hubgen.analysis.reuse import export as reuse_export
from hubgen.model import Hub

if TYPE_CHECKING:
    from hubgen.analysis.analyses import Analyses

EXPORT_VERSION = "2.3"  # 2.3: teams, tags, tools, portfolio figures; 2.2: null_result_projects; 2.1: $schema and schema_version; 2.0: no closure lists, imported identities and facts
SCHEMA_FILE = Path(__file__).with_name("export_schema.json")  # published as api/hub.schema.json


def export_schema_text() -> str:
    return SCHEMA_FILE.read_text(encoding="utf-8")


def plain(value: Any) -> Any:
    """Model values as JSON: dataclasses to objects, dates to ISO strings, tuples to lists."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value) if f.name != "origin"}
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [plain(v) for v in value]
    return value


def _record(record: Any, kind: str, key: str) -> dict[str, Any]:
    out = plain(record)
    out["url"] = urls.url(kind, key)
    out["source"] = record.origin.path if kind != "asset" else out.get("source")
    if kind == "asset":
        out["file"] = record.origin.path
    return out


def hub_export(hub: Hub, analyses: Analyses, audience: str) -> dict[str, Any]:
    graph = analyses.lineage
    nodes = sorted(
        {
            *graph.assets,
            *(f"project:{p}" for p in hub.projects),
            *graph.consumes,
            *graph.produces,
            *graph.consumed_by,
            *graph.produced_by,
        }
    )
    edges = sorted(
        {
            (link.subject, link.verb, link.target, link.version or "")
            for link in hub.lineage
            if link.verb in ("consumes", "produces")
        }
    )
    return {
        "$schema": "hub.schema.json",  # beside the export in api/
        "schema_version": EXPORT_VERSION,
        "version": EXPORT_VERSION,
        "hub": {"name": hub.settings.name, "url": hub.settings.url, "description": hub.settings.description},
        "audience": audience,
        "projects": [
            _record(p, "project", p.id) | _pipeline(hub, p.id)
            for p in sorted(hub.projects.values(), key=lambda p: p.id)
        ],
        "null_results": [
            _record(n, "null-result", n.id) for n in sorted(hub.null_results.values(), key=lambda n: n.id)
        ],
        # A project whose status is null-result is itself a null result: its id, so readers count it too.
        "null_result_projects": sorted(p.id for p in hub.projects.values() if p.status == "null-result"),
        "discussions": [_record(d, "discussion", d.key) for d in sorted(hub.discussions.values(), key=lambda d: d.key)],
        "people": [
            _record(p, "person", p.handle) | {"alumni": p.alumni}
            for p in sorted(hub.people.values(), key=lambda p: p.handle)
        ],
        "assets": [
            {
                "key": use.key,
                "kind": use.kind,
                "id": use.id,
                "url": urls.url("asset", use.key),
                "described": plain(hub.assets[use.key]) if use.key in hub.assets else None,
                "producers": list(use.producers),
                "consumers": list(use.consumers),
                "external_consumers": [{"project": e.project, **plain(e.consumer)} for e in use.external],
                "reuse": use.reuse,
                "transitive_reuse": use.transitive_reuse,
                "versions": list(use.versions),
                "last_used": plain(use.last_used),
                "last_used_by": use.last_used_by,
                "consuming_projects": list(use.consuming_projects),
                "transitive_count": use.transitive_count,
                "external_users": use.external_users,
                "producing_people": [
                    {"handle": mk.handle, "role": mk.role, "projects": list(mk.projects)} for mk in use.people
                ],
                "reads": list(use.reads),
                "writes": list(use.writes),
                **_identity(hub, use.key),
            }
            for use in sorted(graph.assets.values(), key=lambda u: u.key)
        ],
        "lineage": {
            "nodes": [
                {
                    "key": n,
                    "kind": n.split(":", 1)[0],
                    "id": n.split(":", 1)[1],
                    **{k: v for k, v in _identity(hub, n).items() if k in ("namespace", "name")},
                }
                for n in nodes
            ],
            "edges": [{"from": s, "verb": v, "to": t, "version": ver or None} for s, v, t, ver in edges],
            "cycles": graph.cycles,
            # Direct edges and transitive counts only: the closure of a node is a walk over `edges`
            # (linear), never written out (it made the export grow with paths, not edges).
            "dependencies": {
                n: {
                    "upstream": list(graph.upstream.get(n, ())),
                    "downstream": list(graph.downstream.get(n, ())),
                    "upstream_count": graph.reach_count(n, "up"),
                    "downstream_count": graph.reach_count(n, "down"),
                }
                for n in nodes
                if n.startswith(("project:", "job:"))
            },
            "stale_inputs": {
                pid: [{"consumes": s.key, "ended_project": s.source} for s in stale]
                for pid, stale in sorted(graph.stale_inputs.items())
            },
        },
        "reuse": reuse_export(analyses.reuse),
        "experts": experts_export(analyses.experts),
        "portfolio": _portfolio(analyses),
        **_browse(analyses),
    }


def _identity(hub: Hub, key: str) -> dict[str, Any]:
    """An imported node's identity exactly as its tool wrote it, and what the tool said of it.

    `facts` keeps unknown OpenLineage facets and other fields as written (under `facets`).
    """
    item = hub.facts.get(key)
    if item is None:
        return {}
    out = plain(item)
    del out["key"]
    out["file"], out["line"] = item.origin.path, item.origin.line
    return {"namespace": item.namespace, "name": item.name, "facts": out}


def _pipeline(hub: Hub, pid: str) -> dict[str, Any]:
    """A project's DVC pipeline (stages, metrics, params), when it has one."""
    item = hub.facts.get(f"project:{pid}")
    if item is None:
        return {}
    return {
        "pipeline": {
            "stages": plain(item.stages),
            "metrics": item.metrics,
            "facets": item.facets,
            "file": item.origin.path,
        }
    }


def _browse(analyses: Analyses) -> dict[str, Any]:
    """`teams`, `tags` and `tools`: what each browse page lists, with the page's URL."""
    if analyses.browse is None:
        return {"teams": [], "tags": [], "tools": []}
    out = browse_export(analyses.browse)
    for kind, items in (("team", out["teams"]), ("tag", out["tags"]), ("tool", out["tools"])):
        for item in items:
            item["url"] = urls.url(kind, str(item["slug"]))
    return out


def _portfolio(analyses: Analyses) -> dict[str, Any] | None:
    """The headline figures of the portfolio page (definitions in hubgen.analysis.portfolio)."""
    folio = getattr(analyses, "portfolio", None)
    if folio is None:
        return None
    figures = folio.figures
    return folio.headline.as_dict() | {
        "figures": figures.as_dict(),
        "by_status": figures.by_status,
        "by_stage": figures.by_stage,
        "notes": folio.gap_notes(),
        "data": "portfolio/data/",
    }
