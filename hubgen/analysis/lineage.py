"""The lineage graph and reuse counts, computed once per build.

Nodes are keys `kind:id`: projects (`project:x`), OpenLineage jobs (`job:x`)
and assets (`dataset:x`, `model:x`, ...). A project consuming an asset that
another project produces depends on that project; a project listed directly
under `consumes` is a dependency too. A job is both a node (it reads and
writes datasets) and an asset (it has a page, producers and consumers).

Reuse of an asset = distinct direct consumers: projects and jobs that consume
it, plus the external `consumers` of the projects that produce it (not for an
intermediate DVC output: the project's users use its deliverables, not its
pipeline's steps). Transitive
reuse counts every project and job downstream of the direct consumers (for a
job, also everything downstream of what it writes).
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from hubgen.model import Consumer, Hub, LineageLink
from hubgen.schema import ROLES

ENDED = ("retired", "cancelled")  # a project in one of these no longer maintains what it produced


@dataclass(frozen=True)
class ExternalUse:
    project: str
    consumer: Consumer


@dataclass(frozen=True)
class Maker:
    """A person of a project producing an asset, with their strongest role there."""

    handle: str
    role: str
    projects: tuple[str, ...]


@dataclass(frozen=True)
class AssetUse:
    """What is known of one asset's production and use."""

    key: str
    producers: tuple[str, ...]  # node keys (projects and jobs)
    consumers: tuple[str, ...]  # node keys consuming it directly
    external: tuple[ExternalUse, ...]
    transitive: tuple[str, ...]  # projects/jobs downstream, direct consumers first: at most SHOWN_DOWNSTREAM more
    versions: tuple[str, ...]
    last_used: date | None
    last_used_by: str | None = None  # node key (or "external") the date comes from
    people: tuple[Maker, ...] = ()  # people of the producing projects, leads first
    reads: tuple[str, ...] = ()  # for jobs: what the job consumes
    writes: tuple[str, ...] = ()  # for jobs: what the job produces
    transitive_count: int = 0  # every project/job downstream (the list above may be cut)

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
        return self.transitive_count + len(self.external)

    @property
    def external_users(self) -> int:
        return sum(e.consumer.users or 0 for e in self.external)

    @property
    def consuming_projects(self) -> tuple[str, ...]:
        return tuple(c.split(":", 1)[1] for c in self.consumers if c.startswith("project:"))


@dataclass(frozen=True)
class ColumnUse:
    """Column `column` of an asset feeds `target_column` of asset `target` (columnLineage, read backwards)."""

    column: str
    target: str
    target_column: str
    transformation: str | None = None


@dataclass(frozen=True)
class StaleInput:
    """Something a project consumes that a retired or cancelled project produces (or is)."""

    key: str  # what is consumed
    source: str  # the ended project's id


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
    column_uses: dict[str, tuple[ColumnUse, ...]] = field(default_factory=dict)  # input key -> its columns' uses
    children: dict[str, tuple[str, ...]] = field(default_factory=dict)  # parent job -> jobs under it
    owners: dict[str, str] = field(default_factory=dict)  # imported owner text -> person handle
    origins: dict[tuple[str, str, str], LineageLink] = field(default_factory=dict)
    stale_inputs: dict[str, tuple[StaleInput, ...]] = field(default_factory=dict)  # project id -> ...
    _bits: dict[str, tuple[dict[str, int], dict[str, int]]] = field(default_factory=dict, repr=False)

    def transitive(self, node: str, direction: str, limit: int | None = None) -> list[str]:
        """Nodes reachable upstream ("up") or downstream ("down"), BFS order, cycle-safe; the first `limit`."""
        return _walk(self.upstream if direction == "up" else self.downstream, [node], {node}, limit)

    def reach_count(self, node: str, direction: str) -> int:
        """How many nodes `transitive(node, direction)` lists, without listing them."""
        index, reach = self._reach_bits(direction)
        return (reach.get(node, 0) & ~(1 << index[node])).bit_count() if node in index else 0

    def downstream_count(self, starts: list[str], exclude: str) -> int:
        """Nodes in or downstream of `starts`, `exclude` left out: an asset's transitive reuse."""
        index, reach = self._reach_bits("down")
        bits = 0
        for n in starts:
            if n in index:
                bits |= reach.get(n, 0) | (1 << index[n])
        if exclude in index:
            bits &= ~(1 << index[exclude])
        return bits.bit_count() + sum(1 for n in starts if n not in index and n != exclude)

    def _reach_bits(self, direction: str) -> tuple[dict[str, int], dict[str, int]]:
        """Per node, the set of nodes it reaches as an int bitset: linear in nodes × components / 64.

        Computed once per direction over the strongly connected components in
        reverse topological order, so a dense graph with loops costs megabytes,
        not the gigabytes of a closure list per node.
        """
        cached = self._bits.get(direction)
        if cached is None:
            step = self.upstream if direction == "up" else self.downstream
            nodes = sorted(set(step) | {n for v in step.values() for n in v})
            index = {n: i for i, n in enumerate(nodes)}
            comp_reach: list[int] = []
            comp_of: dict[str, int] = {}
            for comp in _components(step):  # each after every component it reaches
                me = len(comp_reach)
                members = 0
                for m in comp:
                    comp_of[m] = me
                    members |= 1 << index[m]
                bits = members if len(comp) > 1 else 0
                for m in comp:
                    for nxt in step.get(m, ()):
                        if comp_of.get(nxt, me) != me:
                            bits |= comp_reach[comp_of[nxt]] | (1 << index[nxt])
                comp_reach.append(bits)
            cached = self._bits[direction] = (index, {n: comp_reach[comp_of[n]] for n in nodes})
        return cached


SHOWN_DOWNSTREAM = 30  # pages list this many nodes further downstream; counts cover all


def _walk(step: dict[str, tuple[str, ...]], starts: list[str], seen: set[str], limit: int | None) -> list[str]:
    order: list[str] = []
    queue = deque(n for s in starts for n in step.get(s, ()))
    while queue and (limit is None or len(order) < limit):
        nxt = queue.popleft()
        if nxt in seen:
            continue
        seen.add(nxt)
        order.append(nxt)
        queue.extend(step.get(nxt, ()))
    return order


def _components(edges: dict[str, tuple[str, ...]]) -> list[list[str]]:
    """Every strongly connected component (Tarjan, iterative), each listed after all it can reach."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    out: list[list[str]] = []
    nodes = sorted(set(edges) | {n for v in edges.values() for n in v})
    for root in nodes:
        if root in index:
            continue
        work = [(root, iter(edges.get(root, ())))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, it = work[-1]
            advanced = False
            for nxt in it:
                if nxt not in index:
                    index[nxt] = low[nxt] = len(index)
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
                out.append(comp)
    return out


def is_asset(key: str) -> bool:
    """True for asset keys; projects and jobs are the nodes that consume and produce."""
    return not key.startswith(("project:", "job:"))


def is_node(key: str) -> bool:
    return key.startswith(("project:", "job:"))


def _pid(key: str) -> str | None:
    return key.split(":", 1)[1] if key.startswith("project:") else None


def build_graph(hub: Hub) -> LineageGraph:
    """The lineage graph of a hub (already restricted to the audience): edges, dependencies, every asset's use."""
    g, jobs, seen_at = _edges_and_dependencies(hub)
    keys = (
        set(hub.assets)
        | jobs
        | {k for k in g.consumed_by if is_asset(k)}
        | {k for k in g.produced_by if is_asset(k)}
        | {k for k in hub.facts if not k.startswith("project:")}
    )
    versions: dict[str, set[str]] = defaultdict(set)
    for link in hub.lineage:
        if link.version and not link.target.startswith("project:"):
            versions[link.target].add(link.version)
    for key in sorted(keys):
        g.assets[key] = _asset_use(g, hub, key, seen_at.get(key, ()), versions.get(key, set()))
    for pid in hub.projects:
        stale = _stale_inputs(g, hub, pid)
        if stale:
            g.stale_inputs[pid] = stale
    g.column_uses = column_uses(hub)
    kids: dict[str, list[str]] = defaultdict(list)
    for key in sorted(hub.facts):
        parent = hub.facts[key].parent
        if parent and parent != key:
            kids[parent].append(key)
    g.children = {k: tuple(v) for k, v in kids.items()}
    g.owners = owner_handles(hub)
    return g


def dependency_graph(hub: Hub) -> LineageGraph:
    """Edges, dependencies and cycles only: what `lineage_problems` reads. The per-asset uses (the costly
    part) are left empty; `build_graph` makes the whole graph once, for the audience's hub."""
    return _edges_and_dependencies(hub)[0]


def _edges_and_dependencies(hub: Hub) -> tuple[LineageGraph, set[str], dict[str, list[tuple[date, str]]]]:
    g = LineageGraph()
    jobs, seen_at = _add_edges(g, hub)
    _add_dependencies(g, jobs)
    return g, jobs, seen_at


def _add_edges(g: LineageGraph, hub: Hub) -> tuple[set[str], dict[str, list[tuple[date, str]]]]:
    """Every consumes/produces edge; returns the jobs met and when each asset or job was seen used."""
    jobs: set[str] = set()
    seen_at: dict[str, list[tuple[date, str]]] = defaultdict(list)  # asset -> (OpenLineage date, node)
    for link in hub.lineage:
        if link.verb == "consumes":
            g.consumes[link.subject].add(link.target)
            g.consumed_by[link.target].add(link.subject)
            if link.when:
                seen_at[link.target].append((link.when, link.subject))
        elif link.verb == "produces":
            g.produces[link.subject].add(link.target)
            g.produced_by[link.target].add(link.subject)
        for key in (link.subject, link.target):
            if key.startswith("job:"):
                jobs.add(key)
        if link.when and link.subject.startswith("job:"):
            seen_at[link.subject].append((link.when, link.subject))  # a job is used when it runs
        g.origins.setdefault((link.subject, link.verb, link.target), link)
    return jobs, seen_at


def _add_dependencies(g: LineageGraph, jobs: set[str]) -> None:
    """Dependencies between projects and jobs: via what they consume, or directly."""
    up: dict[str, set[str]] = defaultdict(set)
    for subject, targets in list(g.consumes.items()):
        for target in targets:
            if target.startswith("project:"):
                up[subject].add(target)
                continue
            if target in g.produces.get(subject, ()):
                continue  # it writes what it reads (an incremental table): its co-writers are peers, not upstream
            up[subject].update(p for p in g.produced_by.get(target, ()) if p != subject)
            if target.startswith("job:") and target != subject:
                up[subject].add(target)
    for job in jobs:  # a job a project produces (declares) runs downstream of it
        up[job].update(p for p in g.produced_by.get(job, ()) if p != job)
    down: dict[str, set[str]] = defaultdict(set)
    for node, deps in up.items():
        for dep in deps:
            down[dep].add(node)
    g.upstream = {k: tuple(sorted(v)) for k, v in up.items() if v}
    g.downstream = {k: tuple(sorted(v)) for k, v in down.items() if v}
    g.cycles = _cycles(g.upstream)


def _asset_use(g: LineageGraph, hub: Hub, key: str, seen: Iterable[tuple[date, str]], versions: set[str]) -> AssetUse:
    producers = tuple(sorted(g.produced_by.get(key, ())))
    consumers = tuple(sorted(set(g.consumed_by.get(key, ())) - {key}))
    producing = [hub.projects[pid] for pid in (_pid(p) for p in producers) if pid in hub.projects]
    external = () if _intermediate(hub, key) else tuple(ExternalUse(p.id, c) for p in producing for c in p.consumers)
    starts = [*consumers, *([key] if g.produces.get(key) else [])]  # a job: and what reads what it writes
    further = _walk(g.downstream, starts, {key, *consumers}, SHOWN_DOWNSTREAM)
    dates = list(seen)
    for node in (*consumers, *producers):
        project = hub.projects.get(_pid(node) or "")
        if project and project.last_used:
            dates.append((project.last_used, node))
    last = min(dates, key=lambda d: (-d[0].toordinal(), d[1])) if dates else None  # latest; ties by key
    return AssetUse(
        key,
        producers,
        consumers,
        external,
        (*consumers, *further),
        tuple(sorted(versions)),
        last[0] if last else None,
        last[1] if last else None,
        _makers(producing),
        tuple(sorted(g.consumes.get(key, ()))),
        tuple(sorted(g.produces.get(key, ()))),
        g.downstream_count(starts, key),
    )


def _stale_inputs(g: LineageGraph, hub: Hub, pid: str) -> tuple[StaleInput, ...]:
    """What a project consumes from projects that have ended."""
    stale: list[StaleInput] = []
    for key in sorted(g.consumes.get(f"project:{pid}", ())):
        sources = [key] if key.startswith("project:") else sorted(g.produced_by.get(key, ()))
        for src in sources:
            other = hub.projects.get(_pid(src) or "")
            if other and other.id != pid and other.status in ENDED:
                stale.append(StaleInput(key, other.id))
    return tuple(stale)


def ancestors(hub: Hub, key: str) -> list[str]:
    """The parent chain of an imported job, nearest first (a dbt model's run, an Airflow task's DAG); loop-safe."""
    out: list[str] = []
    item = hub.facts.get(key)
    while item is not None and item.parent and item.parent not in out and item.parent != key:
        out.append(item.parent)
        item = hub.facts.get(item.parent)
    return out


def column_uses(hub: Hub) -> dict[str, tuple[ColumnUse, ...]]:
    """Column lineage read from the input side: which output columns each input column feeds."""
    uses: dict[str, list[ColumnUse]] = defaultdict(list)
    for key in sorted(hub.facts):
        for c in hub.facts[key].column_lineage:
            uses[c.source].append(ColumnUse(c.source_column, key, c.column, c.transformation))
    return {k: tuple(sorted(v, key=lambda u: (u.column, u.target, u.target_column))) for k, v in uses.items()}


def owner_handles(hub: Hub) -> dict[str, str]:
    """Imported owner strings that name a person of the hub (by handle or email) → that handle.

    Owners are written many ways (`jdoe`, `user:jdoe`, `user:default/jdoe`,
    `jdoe@example.com`); one that matches nobody is shown as written.
    """
    by_email = {p.email.casefold(): h for h, p in hub.people.items() if p.email}
    out: dict[str, str] = {}
    for item in hub.facts.values():
        for owner in item.owners:
            text = owner.strip()
            bare = text.split(":", 1)[1] if ":" in text and "@" not in text.split(":", 1)[0] else text
            bare = bare.rsplit("/", 1)[-1]
            handle = (
                by_email.get(text.casefold()) or by_email.get(bare.casefold()) or (bare if bare in hub.people else None)
            )
            if handle:
                out[owner] = handle
    return out


def _intermediate(hub: Hub, key: str) -> bool:
    """A DVC output a later stage of its own pipeline reads, not declared an artifact: a step, not a deliverable."""
    item = hub.facts.get(key)
    return bool(item and item.source == "dvc" and item.stage_consumers and "dvc_artifact" not in item.facets)


def _makers(projects: list) -> tuple[Maker, ...]:
    """People of the producing projects, one entry each with their strongest role, leads first."""
    rank = {r: i for i, r in enumerate(ROLES)}
    best: dict[str, str] = {}
    where: dict[str, list[str]] = defaultdict(list)
    order: list[str] = []
    for project in projects:
        for r in project.people:
            if r.person not in best:
                order.append(r.person)
                best[r.person] = r.role
            elif rank.get(r.role, 99) < rank.get(best[r.person], 99):
                best[r.person] = r.role
            if project.id not in where[r.person]:
                where[r.person].append(project.id)
    position = {h: i for i, h in enumerate(order)}
    return tuple(
        Maker(h, best[h], tuple(where[h])) for h in sorted(order, key=lambda h: (rank.get(best[h], 99), position[h]))
    )


def _cycles(edges: dict[str, tuple[str, ...]]) -> list[list[str]]:
    """Strongly connected components with more than one node."""
    return sorted(sorted(c) for c in _components(edges) if len(c) > 1)
