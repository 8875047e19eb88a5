"""What the lineage explorer walks and what an asset's impact is: pure functions of a Hub and its graph.

The explorer draws the graph as it is recorded, readers and writers and what
they read and write: an edge runs from what is read to who reads it
(`dataset:a → project:p`) and from a producer to what it writes
(`project:p → model:m`); a project consumed directly is an edge
`project:q → project:p`. One hop in this graph is one line of a lineage file.

Impact counts (projects, jobs, apps and people downstream of an asset) are
folded once over the strongly connected components of the dependency graph,
as bitsets, so every asset page of a 10,000-project hub gets exact figures
without a walk per page.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from hubgen.analysis.lineage import LineageGraph, _components
from hubgen.model import Hub

T = TypeVar("T")
SHOWN_IMPACT = 30  # delivered / monitoring nodes named on a page; the count covers all


@dataclass(frozen=True)
class Walk:
    """The explorer's edges: for each key, what it is read from or written by (`up`) and what it feeds (`down`)."""

    up: dict[str, tuple[str, ...]]
    down: dict[str, tuple[str, ...]]

    def keys(self) -> list[str]:
        return sorted(set(self.up) | set(self.down))


def walk_edges(graph: LineageGraph) -> Walk:
    """Edges as recorded: target → consumer for `consumes`, producer → target for `produces`."""
    up: dict[str, set[str]] = defaultdict(set)
    down: dict[str, set[str]] = defaultdict(set)
    for subject, targets in graph.consumes.items():
        for target in targets:
            if target != subject:
                up[subject].add(target)
                down[target].add(subject)
    for subject, targets in graph.produces.items():
        for target in targets:
            if target != subject:
                up[target].add(subject)
                down[subject].add(target)
    return Walk({k: tuple(sorted(v)) for k, v in up.items()}, {k: tuple(sorted(v)) for k, v in down.items()})


@dataclass(frozen=True)
class Reach:
    """How many of each kind are downstream: `direct` one step (the consumers), `all` through them."""

    projects: int
    jobs: int
    apps: int
    people: int


@dataclass(frozen=True)
class Impact:
    """Impact at a glance for one asset: what is downstream of it, and what of that is live."""

    key: str
    direct: Reach
    all: Reach
    latest: tuple[date, str] | None  # the most recently active project or job downstream, by its date
    live: tuple[str, ...]  # delivered or in monitoring, downstream: the first SHOWN_IMPACT
    live_count: int


class Impacts:
    """Impact of every asset, from bitsets folded once over the dependency graph's components."""

    def __init__(self, hub: Hub, graph: LineageGraph):
        self.graph = graph
        self._index, self._reach = graph._reach_bits("down")
        self._order = sorted(self._index, key=self._index.__getitem__)
        self._projects = self._jobs = self._live = 0
        for node, i in self._index.items():
            if node.startswith("job:"):
                self._jobs |= 1 << i
            elif node.startswith("project:") and node[8:] in hub.projects:
                self._projects |= 1 << i
                if _live(hub, node):
                    self._live |= 1 << i
        self._hub = hub
        self._tables: dict[str, dict[str, int]] = {}
        people: dict[str, int] = {}
        apps: dict[str, int] = {}
        for pid, project in hub.projects.items():
            people[f"project:{pid}"] = self._number("person", (r.person for r in project.people))
            apps[f"project:{pid}"] = self._number("app", (f"external:{pid}:{c.name}" for c in project.consumers))
        for node, targets in graph.produces.items():  # the app assets a project or job writes
            apps[node] = apps.get(node, 0) | self._number("app", (t for t in sorted(targets) if t.startswith("app:")))
        self._own_people, self._own_apps = people, apps
        self._all_people = _fold(graph.downstream, people, _union, 0)
        self._all_apps = _fold(graph.downstream, apps, _union, 0)
        activity = _activity(hub)
        self._own_latest = activity
        self._all_latest = _fold(graph.downstream, activity, _later, None)

    def of(self, key: str) -> Impact:
        """Projects, jobs, apps and people downstream of `key`: its direct consumers, and all through them."""
        use = self.graph.assets.get(key)
        consumers = use.consumers if use else tuple(sorted(set(self.graph.consumed_by.get(key, ())) - {key}))
        starts = [*consumers, *([key] if self.graph.produces.get(key) else [])]  # a job: and what it writes
        external = len(use.external) if use else 0
        nodes, outside = 0, set()
        people = apps = 0
        latest: tuple[date, str] | None = None
        for s in starts:
            if s in self._index:
                nodes |= self._reach.get(s, 0) | (1 << self._index[s])
            elif s != key:
                outside.add(s)
            people |= self._all_people.get(s, self._own_people.get(s, 0))
            apps |= self._all_apps.get(s, self._own_apps.get(s, 0))
            latest = _later(latest, self._all_latest.get(s, self._own_latest.get(s)))
        if key in self._index:
            nodes &= ~(1 << self._index[key])
        direct, direct_outside = 0, set()
        direct_people = direct_apps = 0
        for c in consumers:
            if c in self._index:
                direct |= 1 << self._index[c]
            else:
                direct_outside.add(c)
            direct_people |= self._own_people.get(c, 0)
            direct_apps |= self._own_apps.get(c, 0)
        live = [self._order[i] for i in _first_bits(nodes & self._live, SHOWN_IMPACT)]
        live += sorted(n for n in outside if _live(self._hub, n))
        live_count = (nodes & self._live).bit_count() + sum(1 for n in outside if _live(self._hub, n))
        return Impact(
            key,
            Reach(*self._counts(direct, direct_outside), direct_apps.bit_count() + external, direct_people.bit_count()),
            Reach(*self._counts(nodes, outside), apps.bit_count() + external, people.bit_count()),
            latest if latest and latest[1] != key else None,
            tuple(live[:SHOWN_IMPACT]),
            live_count,
        )

    def _number(self, space: str, names: Iterable[str]) -> int:
        """A bitset of `names`, each distinct name of `space` (people, apps) given its own bit."""
        table = self._tables.setdefault(space, {})
        out = 0
        for name in names:
            out |= 1 << table.setdefault(name, len(table))
        return out

    def _counts(self, bits: int, outside: set[str]) -> tuple[int, int]:
        """(projects, jobs) among `bits` of the reach index and the nodes outside it."""
        return (
            (bits & self._projects).bit_count() + sum(1 for n in outside if n.startswith("project:")),
            (bits & self._jobs).bit_count() + sum(1 for n in outside if n.startswith("job:")),
        )


def _union(a: int, b: int) -> int:
    return a | b


def _live(hub: Hub, node: str) -> bool:
    """Delivered, or in its monitoring stage: something a change upstream would break in use."""
    project = hub.projects.get(node[8:]) if node.startswith("project:") else None
    return bool(project and (project.status == "delivered" or project.stage == "monitoring"))


def _bits(x: int) -> Iterator[int]:
    while x:
        low = x & -x
        yield low.bit_length() - 1
        x ^= low


def _first_bits(x: int, limit: int) -> list[int]:
    out: list[int] = []
    for i in _bits(x):
        if len(out) >= limit:
            break
        out.append(i)
    return out


def _later(a: tuple[date, str] | None, b: tuple[date, str] | None) -> tuple[date, str] | None:
    """The more recent of two (date, node); on the same day the smaller key, so the choice is stable."""
    if a is None:
        return b
    if b is None:
        return a
    return a if (a[0], _neg(a[1])) >= (b[0], _neg(b[1])) else b


def _neg(key: str) -> tuple[int, ...]:
    return tuple(-ord(c) for c in key)


def _activity(hub: Hub) -> dict[str, tuple[date, str] | None]:
    """Each project's and job's last sign of life: last used, a stage entered, started or ended; a job's last run."""
    out: dict[str, tuple[date, str] | None] = {}
    for pid, p in hub.projects.items():
        days = [d for d in (p.last_used, p.started, p.ended, *(s.date for s in p.stage_history)) if d]
        if days:
            out[f"project:{pid}"] = (max(days), f"project:{pid}")
    for link in hub.lineage:
        if link.when and link.subject.startswith("job:"):
            out[link.subject] = _later(out.get(link.subject), (link.when, link.subject))
    return out


def _fold(step: dict[str, tuple[str, ...]], own: dict[str, T], combine: Callable[[T, T], T], empty: T) -> dict[str, T]:
    """Per node, `own` combined over the node and everything downstream of it (`step` edges), in one pass."""
    acc: dict[str, T] = {}
    comp_of: dict[str, int] = {}
    for number, comp in enumerate(_components(step)):  # each after every component it reaches
        value = empty
        for m in comp:
            comp_of[m] = number
            value = combine(value, own.get(m, empty))
        for m in comp:
            for nxt in step.get(m, ()):
                if comp_of.get(nxt) != number:
                    value = combine(value, acc[nxt])
        for m in comp:
            acc[m] = value
    return acc
