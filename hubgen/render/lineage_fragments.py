"""The lineage explorer's data: one small JSON fragment per node, fetched when a reader expands it.

No fragment holds more than one node's neighbourhood (at most `SIDE_CAP`
neighbours a side, with the true count), so opening the explorer on a
10,000-project hub downloads a few kilobytes, not the graph. Fragments are
written from the audience-cut hub only: what the build may not show, they
never saw.
"""

from __future__ import annotations

from typing import Any

from hubgen import urls
from hubgen.analysis.explorer import Walk
from hubgen.analysis.lineage import LineageGraph, is_asset
from hubgen.model import Hub

# Neighbours listed per side in one fragment; `up_total`/`down_total` give the full count. 50 keeps the
# first drawing readable and quick (at 10,000 projects a 100-node fan-out took 530 ms to lay out cold
# against 340 ms for 50, benchmarks/explorer_transfer.py); the node's page lists every neighbour.
SIDE_CAP = 50
FORMAT = 1


def node_label(hub: Hub, key: str) -> str:
    """What a reader calls a node: a project's title, an asset's title or imported name, else its id."""
    kind, _, ident = key.partition(":")
    if kind == "project":
        project = hub.projects.get(ident)
        return project.title if project else ident
    asset = hub.assets.get(key)
    if asset and asset.title:
        return asset.title
    facts = hub.facts.get(key)
    if facts and (facts.title or facts.name):
        return str(facts.title or facts.name)
    return ident


def summary(hub: Hub, graph: LineageGraph, walk: Walk, key: str) -> dict[str, Any]:
    """A node as the explorer draws it: name, kind, page, team and status (for filters), degrees (for expand)."""
    kind, _, ident = key.partition(":")
    project = hub.projects.get(ident) if kind == "project" else None
    team = status = None
    if project:
        team, status = project.team, project.status
    elif is_asset(key) or kind == "job":
        for producer in sorted(graph.produced_by.get(key, ())):
            maker = hub.projects.get(producer[8:]) if producer.startswith("project:") else None
            if maker and maker.team:
                team = maker.team
                break
    has_page = project is not None or (kind != "project" and key in graph.assets)
    out: dict[str, Any] = {
        "key": key,
        "label": node_label(hub, key),
        "kind": kind,
        "url": (urls.url("project", ident) if kind == "project" else urls.url("asset", key)) if has_page else None,
        "fragment": urls.fragment(key),
        "up": len(walk.up.get(key, ())),
        "down": len(walk.down.get(key, ())),
    }
    if team:
        out["team"] = team
    if status:
        out["status"] = status
    if project and project.stage:
        out["stage"] = project.stage
    facts = hub.facts.get(key)
    columns = len(facts.column_lineage) if facts else 0
    if columns or graph.column_uses.get(key):
        out["columns"] = columns + len(graph.column_uses.get(key, ()))
    return out


def fragment(hub: Hub, graph: LineageGraph, walk: Walk, key: str) -> dict[str, Any]:
    """One node's neighbourhood: itself, its first `SIDE_CAP` neighbours each way, and its column lineage."""
    up, down = _listed(walk, walk.up.get(key, ())), _listed(walk, walk.down.get(key, ()))
    out: dict[str, Any] = {
        "format": FORMAT,
        "node": summary(hub, graph, walk, key),
        "up": [summary(hub, graph, walk, k) for k in up],
        "up_total": len(walk.up.get(key, ())),
        "down": [summary(hub, graph, walk, k) for k in down],
        "down_total": len(walk.down.get(key, ())),
    }
    columns = _columns(hub, graph, key)
    if columns:
        out["columns"] = columns
        near = {*up, *down, key}
        others = sorted({link["key"] for c in columns for link in (*c.get("from", ()), *c.get("to", ()))} - near)
        out["column_nodes"] = [summary(hub, graph, walk, k) for k in others]
    return out


def _listed(walk: Walk, keys: tuple[str, ...]) -> tuple[str, ...]:
    """The neighbours a fragment lists, by name: all of them, or past `SIDE_CAP` the most connected
    (their own neighbours each way), since those are where a walk through the graph goes on."""
    if len(keys) <= SIDE_CAP:
        return keys
    degree = {k: len(walk.up.get(k, ())) + len(walk.down.get(k, ())) for k in keys}
    return tuple(sorted(sorted(keys, key=lambda k: (-degree[k], k))[:SIDE_CAP]))


def _columns(hub: Hub, graph: LineageGraph, key: str) -> list[dict[str, Any]]:
    """Column lineage of `key`: each output column with the input columns that feed it, each input column
    with the output columns it feeds (OpenLineage `columnLineage`, read both ways)."""
    by_name: dict[str, dict[str, Any]] = {}
    facts = hub.facts.get(key)
    for link in facts.column_lineage if facts else ():
        entry = by_name.setdefault(link.column, {"name": link.column})
        entry.setdefault("from", []).append(_link(link.source, link.source_column, link.transformation))
    for use in graph.column_uses.get(key, ()):
        entry = by_name.setdefault(use.column, {"name": use.column})
        entry.setdefault("to", []).append(_link(use.target, use.target_column, use.transformation))
    return [by_name[name] for name in sorted(by_name)]


def _link(key: str, column: str, how: str | None) -> dict[str, Any]:
    return {"key": key, "column": column, **({"how": how} if how else {})}


def fragment_files(hub: Hub, graph: LineageGraph, walk: Walk, dumps: Any) -> dict[str, bytes]:
    """Every node's fragment by site path: each project, each asset and job, each node of the walk."""
    keys = sorted({*walk.keys(), *(f"project:{p}" for p in hub.projects), *graph.assets})
    return {urls.fragment(k): (dumps(fragment(hub, graph, walk, k)) + "\n").encode() for k in keys}
