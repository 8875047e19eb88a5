"""The documents of the expert model: every record that shows someone's knowledge, with the people tied
to it and how strongly (a(d, e)), and the topics it carries."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from hubgen import urls
from hubgen.analysis.experts.settings import ACTIVE, Settings
from hubgen.analysis.experts.text import split_tool, topic_key
from hubgen.analysis.lineage import AssetUse, LineageGraph
from hubgen.model import Hub, Person, Project


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
        if node.startswith("project:") and node[len("project:") :] in hub.projects:
            out.append(hub.projects[node[len("project:") :]])
    return out


def _freeze(topics: Mapping[str, list[str | None]]) -> dict[str, tuple[str | None, ...]]:
    return {k: tuple(dict.fromkeys(v)) for k, v in topics.items() if k}


@dataclass(frozen=True)
class _Context:
    """What every document builder reads: the hub, the date, the settings."""

    hub: Hub
    today: date
    s: Settings

    def here(self, handle: str) -> bool:
        person = self.hub.people.get(handle)
        return person is not None and not person.alumni

    def recency(self, when: date | None, handle: str) -> float:
        return recency(when, self.today, self.s, self.here(handle))


# (project id, handle) -> (strongest role there, when they last worked on it)
_Worked = dict[tuple[str, str], tuple[str, date | None]]


def _project_docs(c: _Context, worked: _Worked) -> list[_Doc]:
    """One document per project; fills `worked` (asset documents credit the same roles and dates)."""
    s, docs = c.s, []
    for p in sorted(c.hub.projects.values(), key=lambda p: p.id):
        best: dict[str, tuple[float, str, date | None]] = {}
        for r in p.people:
            when = _work_date(p, r.until, c.hub.people.get(r.person), c.today)
            w = s.role(r.role)
            if r.person not in best or (w, when or date.min) > (best[r.person][0], best[r.person][2] or date.min):
                best[r.person] = (w, r.role, when)
        links = []
        for handle, (w, role, when) in best.items():
            worked[(p.id, handle)] = (role, when)
            a = s.evidence("project") * w * s.status(p.status, p.stage) * c.recency(when, handle)
            if a > 0:
                links.append(_Link(handle, role, when, a, p.status, when == c.today and p.status in ACTIVE))
        docs.append(
            _Doc("project", p.id, p.title, urls.url("project", p.id), _freeze(_project_topics(p)), tuple(links))
        )
    return docs


def _null_result_docs(c: _Context) -> list[_Doc]:
    docs = []
    for n in sorted(c.hub.null_results.values(), key=lambda n: n.id):
        topics: dict[str, list[str | None]] = defaultdict(list)
        for t in n.tags:
            topics[topic_key(t)].append(None)
        links = []
        for handle in dict.fromkeys(n.authors):
            person = c.hub.people.get(handle)
            when = min(n.date, person.left) if person and person.left else n.date
            a = c.s.evidence("null_result") * c.recency(when, handle)
            if a > 0:
                links.append(_Link(handle, "author", when, a))
        docs.append(_Doc("null-result", n.id, n.title, urls.url("null-result", n.id), _freeze(topics), tuple(links)))
    return docs


def _discussion_docs(c: _Context) -> list[_Doc]:
    docs = []
    for d in sorted(c.hub.discussions.values(), key=lambda d: d.key):
        project = c.hub.projects.get(d.project)
        topics = _project_topics(project) if project else defaultdict(list)
        count: dict[str, int] = defaultdict(int)
        last: dict[str, date] = {}
        for m in d.messages:
            count[m.author] += 1
            last[m.author] = max(last.get(m.author, m.date), m.date)
        links = []
        for handle, n_msgs in count.items():
            a = c.s.evidence("discussion") * math.sqrt(n_msgs) * c.recency(last[handle], handle)
            if a > 0:
                links.append(
                    _Link(handle, "participant", last[handle], a, f"{n_msgs} message{'s' if n_msgs != 1 else ''}")
                )
        docs.append(_Doc("discussion", d.key, d.title, urls.url("discussion", d.key), _freeze(topics), tuple(links)))
    return docs


def _reuse_phrase(use: AssetUse, used_by: list[Project]) -> str:
    others = use.reuse - len(used_by)
    by = [f"{len(used_by)} project{'s' if len(used_by) != 1 else ''}"] if used_by else []
    by += [f"{others} other user{'s' if others != 1 else ''}"] if others else []
    return f"{use.kind} {use.id}, consumed by {' and '.join(by)}"


def _keep_strongest(best: dict[str, _Link], link: _Link) -> None:
    if link.weight > 0 and (link.handle not in best or link.weight > best[link.handle].weight):
        best[link.handle] = link


def _asset_doc(c: _Context, use: AssetUse, worked: _Worked, top_role: float) -> _Doc:
    """A reused asset credits its producers' people (by role) and its owner, scaled by how much it is reused."""
    s, hub = c.s, c.hub
    described = hub.assets.get(use.key)
    topics: dict[str, list[str | None]] = defaultdict(list)
    if described:
        for t in described.tags:
            topics[topic_key(t)].append(None)
    best_link: dict[str, _Link] = {}
    reuse = math.log2(1 + use.reuse)
    used_by = _consumer_projects(hub, use)
    reused = _reuse_phrase(use, used_by)
    for producer in use.producers:
        pid = producer.split(":", 1)[1] if producer.startswith("project:") else None
        project = hub.projects.get(pid or "")
        if project is None:
            continue
        for key, versions in _project_topics(project).items():
            topics[key].extend(versions)
        for r in project.people:
            role, when = worked.get((project.id, r.person), (r.role, None))
            a = s.evidence("asset") * (s.role(role) / top_role) * reuse * c.recency(when, r.person)
            ongoing = when == c.today and project.status in ACTIVE
            _keep_strongest(best_link, _Link(r.person, role, when, a, f"{reused}, via {project.id}", ongoing))
    # reuse credit: a topic the asset has only through the projects consuming it counts by their share
    own = set(topics)
    counts: dict[str, int] = defaultdict(int)
    for consumer in used_by:
        for key, versions in _project_topics(consumer).items():
            if key not in own:
                counts[key] += 1
                topics[key].extend(versions)
    shares = {key: s.consumer_topic_weight * n / len(used_by) for key, n in counts.items()}
    if described and described.owner and described.owner in hub.people:
        owner = hub.people[described.owner]
        when = owner.left or c.today
        a = s.evidence("asset") * reuse * c.recency(when, owner.handle)
        _keep_strongest(best_link, _Link(owner.handle, "owner", when, a, reused, not owner.alumni))
    title = described.title if described and described.title else use.key
    return _Doc("asset", use.key, title, urls.url("asset", use.key), _freeze(topics), tuple(best_link.values()), shares)


def _skill_docs(c: _Context) -> list[_Doc]:
    docs = []
    for person in sorted(c.hub.people.values(), key=lambda p: p.handle):
        topics: dict[str, list[str | None]] = defaultdict(list)
        for skill in person.skills:
            topics[topic_key(skill)].append(None)
        a = c.s.evidence("skills")
        links = [_Link(person.handle, "self-declared", None, a)] if a > 0 else []
        docs.append(
            _Doc(
                "skills",
                person.handle,
                f"{person.name}: declared skills",
                urls.url("person", person.handle),
                _freeze(topics),
                tuple(links),
            )
        )
    return docs


def _documents(hub: Hub, graph: LineageGraph, today: date, s: Settings) -> list[_Doc]:
    c = _Context(hub, today, s)
    worked: _Worked = {}
    docs = _project_docs(c, worked)
    docs += _null_result_docs(c)
    docs += _discussion_docs(c)
    top_role = max(s.role_weights.values(), default=1.0) or 1.0
    docs += [
        _asset_doc(c, use, worked, top_role)
        for use in sorted(graph.assets.values(), key=lambda u: u.key)
        if use.reuse > 0
    ]
    docs += _skill_docs(c)
    return docs
