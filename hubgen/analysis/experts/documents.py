"""The documents of the expert model: every record that shows someone's knowledge, with the people tied
to it and how strongly (a(d, e)), and the topics it carries."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from hubgen.analysis.experts.settings import ACTIVE, Settings
from hubgen.analysis.experts.text import split_tool, topic_key
from hubgen.analysis.lineage import AssetUse, LineageGraph
from hubgen.model import Hub, Person, Project
from hubgen.render import urls


@dataclass(frozen=True)
class _Link:
    handle: str
    role: str
    date: date | None
    weight: float
    detail: str = ""
    ongoing: bool = False


@dataclass(frozen=True)
class _Doc:
    kind: str
    key: str
    title: str
    url: str
    topics: Mapping[str, tuple[str | None, ...]]  # topic key -> versions (None: unversioned)
    links: tuple[_Link, ...]
    shares: Mapping[str, float] = field(default_factory=dict)  # topic key -> p(t|d) below 1 (else 1)

    def carries(self, key: str) -> float:
        """p(t|d) for a topic: 1 for the record's own topics; for an asset, the share of its consuming
        projects that carry a topic it has only through them."""
        return self.shares.get(key, 1.0) if key in self.topics else 0.0


def decay(when: date | None, today: date, half_life_days: float) -> float:
    """2^(−age/half-life); future dates count as today, undated as one half-life old."""
    if when is None:
        return 0.5
    age = max(0, (today - when).days)
    return 0.5 ** (age / half_life_days)


def recency(when: date | None, today: date, s: Settings, here: bool) -> float:
    """How much work dated `when` still counts: decay that saturates at `recency_floor` for people still
    here (what they knew they still know, and can be asked), plain decay for alumni (from their leaving)."""
    d = decay(when, today, s.half_life_days)
    return s.recency_floor + (1 - s.recency_floor) * d if here else d


def _last_date(p: Project) -> date | None:
    dates = [s.date for s in p.stage_history] + [m.date for m in p.timeline]
    return max(dates) if dates else p.started


def _work_date(p: Project, until: date | None, person: Person | None, today: date) -> date | None:
    """When the person last worked on the project."""
    when = until or p.ended
    if when is None:
        when = today if p.status in ACTIVE else _last_date(p)
    if person is not None and person.left is not None and (when is None or when > person.left):
        when = person.left
    if when is not None and when > today:
        when = today
    return when


def _project_topics(p: Project) -> dict[str, list[str | None]]:
    topics: dict[str, list[str | None]] = defaultdict(list)
    for t in (*p.tags, *p.domains):
        topics[topic_key(t)].append(None)
    for tool in p.tools:
        name, version = split_tool(tool)
        topics[topic_key(name)].append(version)
    return topics


def _consumer_projects(hub: Hub, use: AssetUse) -> list[Project]:
    """The (visible) projects consuming an asset directly."""
    out = []
    for node in use.consumers:
        if node.startswith("project:") and node[len("project:"):] in hub.projects:
            out.append(hub.projects[node[len("project:"):]])
    return out


def _freeze(topics: Mapping[str, list[str | None]]) -> dict[str, tuple[str | None, ...]]:
    return {k: tuple(dict.fromkeys(v)) for k, v in topics.items() if k}


def _documents(hub: Hub, graph: LineageGraph, today: date, s: Settings) -> list[_Doc]:
    people = hub.people

    def here(handle: str) -> bool:
        person = people.get(handle)
        return person is not None and not person.alumni

    docs: list[_Doc] = []
    # when each person last worked on each project, and their strongest role there
    worked: dict[tuple[str, str], tuple[str, date | None]] = {}
    for p in sorted(hub.projects.values(), key=lambda p: p.id):
        best: dict[str, tuple[float, str, date | None]] = {}
        for r in p.people:
            when = _work_date(p, r.until, people.get(r.person), today)
            w = s.role(r.role)
            if r.person not in best or (w, when or date.min) > (best[r.person][0], best[r.person][2] or date.min):
                best[r.person] = (w, r.role, when)
        links = []
        for handle, (w, role, when) in best.items():
            worked[(p.id, handle)] = (role, when)
            a = s.evidence("project") * w * s.status(p.status, p.stage) * recency(when, today, s, here(handle))
            if a > 0:
                links.append(_Link(handle, role, when, a, p.status, when == today and p.status in ACTIVE))
        docs.append(_Doc("project", p.id, p.title, urls.url("project", p.id), _freeze(_project_topics(p)),
                         tuple(links)))
    for n in sorted(hub.null_results.values(), key=lambda n: n.id):
        topics: dict[str, list[str | None]] = defaultdict(list)
        for t in n.tags:
            topics[topic_key(t)].append(None)
        links = []
        for handle in dict.fromkeys(n.authors):
            person = people.get(handle)
            when = min(n.date, person.left) if person and person.left else n.date
            a = s.evidence("null_result") * recency(when, today, s, here(handle))
            if a > 0:
                links.append(_Link(handle, "author", when, a))
        docs.append(_Doc("null-result", n.id, n.title, urls.url("null-result", n.id), _freeze(topics), tuple(links)))
    for d in sorted(hub.discussions.values(), key=lambda d: d.key):
        project = hub.projects.get(d.project)
        topics = _project_topics(project) if project else defaultdict(list)
        count: dict[str, int] = defaultdict(int)
        last: dict[str, date] = {}
        for m in d.messages:
            count[m.author] += 1
            last[m.author] = max(last.get(m.author, m.date), m.date)
        links = []
        for handle, n_msgs in count.items():
            a = s.evidence("discussion") * math.sqrt(n_msgs) * recency(last[handle], today, s, here(handle))
            if a > 0:
                links.append(_Link(handle, "participant", last[handle], a,
                                   f"{n_msgs} message{'s' if n_msgs != 1 else ''}"))
        docs.append(_Doc("discussion", d.key, d.title, urls.url("discussion", d.key), _freeze(topics), tuple(links)))
    top_role = max(s.role_weights.values(), default=1.0) or 1.0
    for use in sorted(graph.assets.values(), key=lambda u: u.key):
        if use.reuse <= 0:
            continue
        described = hub.assets.get(use.key)
        topics = defaultdict(list)
        if described:
            for t in described.tags:
                topics[topic_key(t)].append(None)
        best_link: dict[str, _Link] = {}
        reuse = math.log2(1 + use.reuse)
        used_by = _consumer_projects(hub, use)
        others = use.reuse - len(used_by)
        by = [f"{len(used_by)} project{'s' if len(used_by) != 1 else ''}"] if used_by else []
        by += [f"{others} other user{'s' if others != 1 else ''}"] if others else []
        reused = f"{use.kind} {use.id}, consumed by {' and '.join(by)}"
        for producer in use.producers:
            pid = producer.split(":", 1)[1] if producer.startswith("project:") else None
            project = hub.projects.get(pid or "")
            if project is None:
                continue
            for key, versions in _project_topics(project).items():
                topics[key].extend(versions)
            for r in project.people:
                role, when = worked.get((project.id, r.person), (r.role, None))
                a = s.evidence("asset") * (s.role(role) / top_role) * reuse * recency(when, today, s, here(r.person))
                link = _Link(r.person, role, when, a, f"{reused}, via {project.id}",
                             when == today and project.status in ACTIVE)
                if a > 0 and (r.person not in best_link or a > best_link[r.person].weight):
                    best_link[r.person] = link
        # reuse credit: a topic the asset has only through the projects consuming it counts by their share
        own = set(topics)
        counts: dict[str, int] = defaultdict(int)
        for consumer in used_by:
            for key, versions in _project_topics(consumer).items():
                if key not in own:
                    counts[key] += 1
                    topics[key].extend(versions)
        shares = {key: s.consumer_topic_weight * n / len(used_by) for key, n in counts.items()}
        if described and described.owner and described.owner in people:
            owner = people[described.owner]
            when = owner.left or today
            a = s.evidence("asset") * reuse * recency(when, today, s, not owner.alumni)
            if a > 0 and (owner.handle not in best_link or a > best_link[owner.handle].weight):
                best_link[owner.handle] = _Link(owner.handle, "owner", when, a, reused,
                                                not owner.alumni)
        title = described.title if described and described.title else use.key
        docs.append(_Doc("asset", use.key, title, urls.url("asset", use.key), _freeze(topics),
                         tuple(best_link.values()), shares))
    for person in sorted(people.values(), key=lambda p: p.handle):
        topics = defaultdict(list)
        for skill in person.skills:
            topics[topic_key(skill)].append(None)
        a = s.evidence("skills")
        links = [_Link(person.handle, "self-declared", None, a)] if a > 0 else []
        docs.append(_Doc("skills", person.handle, f"{person.name}: declared skills",
                         urls.url("person", person.handle), _freeze(topics), tuple(links)))
    return docs


