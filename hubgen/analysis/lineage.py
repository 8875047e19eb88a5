"""The lineage graph and reuse counts, computed once per build.

Nodes are keys `kind:id`: projects (`project:x`), OpenLineage jobs (`job:x`)
and assets (`dataset:x`, `model:x`, ...). A project consuming an asset that
another project produces depends on that project; a project listed directly
under `consumes` is a dependency too.

Reuse of an asset = distinct consumers: projects and jobs that consume it, plus
the external `consumers` of the projects that produce it. Transitive reuse
counts every project and job downstream of it.
"""

from __future__ import annotations

from collections import defaultdict, deque
from dataclasses import dataclass, field
from datetime import date

from hubgen.model import Consumer, Hub, LineageLink
from hubgen.problems import Problem, Severity


@dataclass(frozen=True)
class ExternalUse:
    project: str
    consumer: Consumer


@dataclass(frozen=True)
class AssetUse:
    """What is known of one asset's production and use."""

    key: str
    producers: tuple[str, ...]  # node keys (projects and jobs)
    consumers: tuple[str, ...]  # node keys consuming it directly
    external: tuple[ExternalUse, ...]
    transitive: tuple[str, ...]  # every project/job downstream
    versions: tuple[str, ...]
    last_used: date | None

    @property
    def kind(self) -> str:
        return self.key.split(":", 1)[0]

    @property
    def id(self) -> str:
        return self.key.split(":", 1)[1]

    @property
    def reuse(self) -> int:
        return len(self.consumers) + len(self.external)

    @property
    def transitive_reuse(self) -> int:
        return len(self.transitive) + len(self.external)


@dataclass
class LineageGraph:
    consumes: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    produces: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    consumed_by: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    produced_by: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    assets: dict[str, AssetUse] = field(default_factory=dict)
    upstream: dict[str, tuple[str, ...]] = field(default_factory=dict)  # node -> nodes it depends on
    downstream: dict[str, tuple[str, ...]] = field(default_factory=dict)
    cycles: list[list[str]] = field(default_factory=list)
    origins: dict[tuple[str, str, str], LineageLink] = field(default_factory=dict)

    def transitive(self, node: str, direction: str) -> list[str]:
        """Every node reachable upstream or downstream (cycle-safe, BFS order)."""
        step = self.upstream if direction == "up" else self.downstream
        seen = {node}
        order: list[str] = []
        queue = deque(step.get(node, ()))
        while queue:
            nxt = queue.popleft()
            if nxt in seen:
                continue
            seen.add(nxt)
            order.append(nxt)
            queue.extend(step.get(nxt, ()))
        return order


def is_asset(key: str) -> bool:
    return not key.startswith(("project:", "job:"))


def build_graph(hub: Hub) -> LineageGraph:
    g = LineageGraph()
    for link in hub.lineage:
        if link.verb == "consumes":
            g.consumes[link.subject].add(link.target)
            g.consumed_by[link.target].add(link.subject)
        elif link.verb == "produces":
            g.produces[link.subject].add(link.target)
            g.produced_by[link.target].add(link.subject)
        g.origins.setdefault((link.subject, link.verb, link.target), link)

    # Dependencies between consumers/producers (projects and jobs), via assets or directly.
    up: dict[str, set[str]] = defaultdict(set)
    for subject, targets in list(g.consumes.items()):
        for target in targets:
            if is_asset(target):
                up[subject].update(p for p in g.produced_by.get(target, ()) if p != subject)
            else:
                up[subject].add(target)
    down: dict[str, set[str]] = defaultdict(set)
    for node, deps in up.items():
        for dep in deps:
            down[dep].add(node)
    g.upstream = {k: tuple(sorted(v)) for k, v in up.items()}
    g.downstream = {k: tuple(sorted(v)) for k, v in down.items()}
    g.cycles = _cycles(g.upstream)

    asset_keys = set(hub.assets) | {k for k in g.consumed_by if is_asset(k)} | {
        k for k in g.produced_by if is_asset(k)
    }
    versions: dict[str, set[str]] = defaultdict(set)
    for link in hub.lineage:
        if link.version and is_asset(link.target):
            versions[link.target].add(link.version)
    for key in sorted(asset_keys):
        producers = tuple(sorted(g.produced_by.get(key, ())))
        consumers = tuple(sorted(g.consumed_by.get(key, ())))
        external = tuple(
            ExternalUse(p.split(":", 1)[1], c)
            for p in producers if p.startswith("project:") and p.split(":", 1)[1] in hub.projects
            for c in hub.projects[p.split(":", 1)[1]].consumers
        )
        transitive: dict[str, None] = dict.fromkeys(consumers)
        for c in consumers:
            transitive.update(dict.fromkeys(g.transitive(c, "down")))
        uses = [hub.projects[c.split(":", 1)[1]].last_used for c in consumers
                if c.startswith("project:") and c.split(":", 1)[1] in hub.projects]
        uses += [e.consumer.since for e in external]
        known = [d for d in uses if d]
        g.assets[key] = AssetUse(key, producers, consumers, external, tuple(transitive),
                                 tuple(sorted(versions.get(key, ()))), max(known) if known else None)
    return g


def _cycles(edges: dict[str, tuple[str, ...]]) -> list[list[str]]:
    """Strongly connected components with more than one node (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    out: list[list[str]] = []
    counter = 0
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, iter(edges.get(root, ())))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, it = work[-1]
            advanced = False
            for nxt in it:
                if nxt not in index:
                    index[nxt] = low[nxt] = counter
                    counter += 1
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(edges.get(nxt, ()))))
                    advanced = True
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                comp = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    comp.append(member)
                    if member == node:
                        break
                if len(comp) > 1:
                    out.append(sorted(comp))
    return sorted(out)


def lineage_problems(hub: Hub, graph: LineageGraph) -> list[Problem]:
    """Cycles and assets with more than one producing project, with file and line."""
    problems: list[Problem] = []
    for cycle in graph.cycles:
        first = cycle[0]
        link = next((graph.origins[(first, "consumes", t)] for t in sorted(graph.consumes.get(first, ()))
                     if (first, "consumes", t) in graph.origins), None)
        path = link.origin.path if link else first
        problems.append(Problem(path, link.origin.line if link else None,
                                "lineage cycle: " + " → ".join(c.split(":", 1)[1] for c in cycle + [first]),
                                "a project cannot depend on itself through others; remove one of the consumes entries"))
    for key, use in graph.assets.items():
        projects = [p for p in use.producers if p.startswith("project:")]
        if len(projects) > 1:
            for p in projects[1:]:
                link = graph.origins.get((p, "produces", key))
                problems.append(Problem(link.origin.path if link else p, link.origin.line if link else None,
                                        f"'{key}' is produced by {len(projects)} projects: "
                                        + ", ".join(x.split(':', 1)[1] for x in projects),
                                        "one project should produce an asset; others consume it, "
                                        "or give each version its own id", Severity.ERROR))
    return problems
