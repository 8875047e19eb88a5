"""Lineage problems for `hubgen check`: cycles and assets with more than one producing project, each
with the file and line of an edge that makes it."""

from __future__ import annotations

from collections import deque

from hubgen.analysis.lineage import LineageGraph
from hubgen.model import Hub, LineageLink
from hubgen.problems import Problem, Severity


def cycle_path(graph: LineageGraph, members: list[str]) -> list[str]:
    """One actual loop through the first member of a cycle, closed: [a, b, ..., a]."""
    inside = set(members)
    start = members[0]
    parent: dict[str, str] = {}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for nxt in graph.upstream.get(node, ()):
            if nxt not in inside:
                continue
            if nxt == start:
                path = [node]
                while path[-1] != start:
                    path.append(parent[path[-1]])
                return [start, *reversed(path[:-1]), start] if node != start else [start, start]
            if nxt not in parent:
                parent[nxt] = node
                queue.append(nxt)
    return [*members, start]


def _edge_origin(graph: LineageGraph, node: str, dep: str) -> LineageLink | None:
    """The lineage entry that makes `node` depend on `dep`."""
    for target in sorted(graph.consumes.get(node, ())):
        if target == dep or dep in graph.produced_by.get(target, ()):
            link = graph.origins.get((node, "consumes", target))
            if link:
                return link
    return graph.origins.get((dep, "produces", node))  # a job its project declares


def label(hub: Hub, key: str) -> str:
    """How a node is named in messages: a project by id, an imported identity by its own name."""
    item = hub.facts.get(key)
    if key.startswith("project:"):
        return key.split(":", 1)[1]
    if item is not None and item.name:
        return f"{key.split(':', 1)[0]}:{item.name}"
    return key


def lineage_problems(hub: Hub, graph: LineageGraph) -> list[Problem]:
    """Cycles and assets with more than one producing project, with file and line (from the edges and
    dependencies alone: `dependency_graph` is enough)."""
    problems: list[Problem] = []
    for cycle in graph.cycles:
        path = cycle_path(graph, cycle)
        # path runs against the dependency arrows: path[i] depends on path[i+1]
        link = _edge_origin(graph, path[0], path[1]) if len(path) > 1 else None
        others = [c for c in cycle if c not in path]
        declared = all(c.startswith("project:") for c in cycle)  # only lineage.yml declares project dependencies
        problems.append(
            Problem(
                link.origin.path if link else label(hub, path[0]),
                link.origin.line if link else None,
                "lineage cycle: "
                + " → ".join(label(hub, c) for c in path)
                + " (each depends on the next"
                + (
                    f"; also involved: {', '.join(label(hub, c) for c in others[:10])}"
                    + (f" and {len(others) - 10} more" if len(others) > 10 else "")
                    if others
                    else ""
                )
                + ")",
                "a project cannot depend on itself through others; remove one of the consumes entries"
                if declared
                else "recorded by the tools' own files (jobs that feed each other, e.g. incremental loads); "
                "shown as it is, counts stay finite",
                Severity.ERROR if declared else Severity.WARNING,
            )
        )
    for key in sorted(graph.produced_by):
        if key.startswith("project:"):
            continue
        projects = sorted(p for p in graph.produced_by[key] if p.startswith("project:"))
        if len(projects) > 1:
            for p in projects[1:]:
                link = graph.origins.get((p, "produces", key))
                problems.append(
                    Problem(
                        link.origin.path if link else p,
                        link.origin.line if link else None,
                        f"'{key}' is produced by {len(projects)} projects: "
                        + ", ".join(x.split(":", 1)[1] for x in projects),
                        "one project should produce an asset; others consume it, or give each version its own id",
                        Severity.ERROR,
                    )
                )
    return problems
