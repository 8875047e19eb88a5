"""Expert finding: who knows X, ranked with the evidence behind each score.

The model is the document-centric expert-finding model of Balog, Azzopardi
and de Rijke (SIGIR 2006, "Model 2"):

    p(q|e) · p(e)  =  Σ_d p(q|d) · p(d|e) · p(e)  =  Σ_d p(q|d) · p(e|d) · p(d)

Documents d are the hub's records that show someone's knowledge: projects,
null results, discussions, the assets a person's projects produced, and each
person's self-declared profile (skills and title). The person-document
association p(e|d)·p(d) is taken proportional to a weight

    a(d, e) = kind weight × role weight × status weight × 2^(−age / half-life)

(assets also × log2(1 + reuse); discussions × √messages), so a person's score
for a query is the sum over the records they are associated with of how well
the record matches the query times how strongly they are tied to it:

    score(e, q) = Σ_d p(q|d) · a(d, e)

For a topic t (a tag, a tool without its version, or a business domain),
p(t|d) is 1 when the record carries the topic and 0 otherwise; for a tool a
query can ask for a version ("tensorflow 2.16") or for the latest one, and
records using other versions then count `version_step` less per version step
away. For free text, p(q|d) mixes exact topic matches with the full-text
score of the record (BM25F from the search index, scaled so the best record
scores 1):

    p(q|d) = λ · p_topic(q|d) + (1 − λ) · p_text(q|d)

Pure functions: the reference date for recency is a parameter (the build
date), never the clock, and the full-text scores are passed in by the caller
(`hubgen.search_engine.document_scores`). Everything is computed from a hub
already restricted to the build audience, so evidence never cites a hidden
record. docs/expert-ranking.md describes the model and its settings for users.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from datetime import date
from typing import Any, Mapping

from hubgen.analysis.lineage import AssetUse, LineageGraph
from hubgen.model import Hub, Person, Project
from hubgen.render import urls
from hubgen.schema import ROLES

# --------------------------------------------------------------------------- settings

DEFAULT_ROLE_WEIGHTS: dict[str, float] = {
    "lead": 3.0, "contributor": 2.0, "reviewer": 1.0, "stakeholder": 0.5, "sponsor": 0.5,
}
EVIDENCE_KINDS = ("project", "null_result", "discussion", "asset", "skills")
DEFAULT_EVIDENCE_WEIGHTS: dict[str, float] = {
    "project": 1.0,  # × role weight
    "null_result": 1.5,  # per author
    "discussion": 0.5,  # × √(messages written in the thread)
    "asset": 0.5,  # × log2(1 + reuse) × role weight / lead weight
    "skills": 0.25,  # self-declared: the weakest signal
}
DEFAULT_STATUS_WEIGHTS: dict[str, float] = {"backlog": 0.5}
ACTIVE = ("active", "backlog")
LATEST_WORDS = frozenset({"latest", "newest", "recent", "current", "modern", "new"})
STOP_WORDS = frozenset(
    "a an and are as at be by can do does for from has have how i in into is it know knows of on or our "
    "the their there this to using we what who whom with about".split()
)


@dataclass(frozen=True)
class Settings:
    """`experts:` in hub.yml; every key optional (docs/expert-ranking.md)."""

    half_life_days: float = 540.0
    role_weights: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_ROLE_WEIGHTS))
    evidence_weights: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_EVIDENCE_WEIGHTS))
    status_weights: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_STATUS_WEIGHTS))
    version_step: float = 0.5
    topic_weight: float = 0.4
    text_exponent: float = 2.0
    profile_topics: int = 8

    def role(self, role: str) -> float:
        return self.role_weights.get(role, 0.0)

    def evidence(self, kind: str) -> float:
        return self.evidence_weights.get(kind, 0.0)

    def status(self, status: str) -> float:
        return self.status_weights.get(status, 1.0)

    def as_dict(self) -> dict[str, Any]:
        return {
            "half_life_days": self.half_life_days, "role_weights": dict(self.role_weights),
            "evidence_weights": dict(self.evidence_weights), "status_weights": dict(self.status_weights),
            "version_step": self.version_step, "topic_weight": self.topic_weight,
            "text_exponent": self.text_exponent, "profile_topics": self.profile_topics,
        }


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return None
    return float(value)


def parse_settings(raw: Any) -> tuple[Settings, list[str]]:
    """Settings from hub.yml `experts:`, and a message for each value that was ignored."""
    notes: list[str] = []
    if not isinstance(raw, dict):
        return Settings(), ([] if raw in (None, {}) else ["'experts' must be a mapping"])
    values: dict[str, Any] = {}

    def weights(key: str, known: tuple[str, ...] | None, defaults: Mapping[str, float]) -> None:
        given = raw.get(key)
        if given is None:
            return
        if not isinstance(given, dict):
            notes.append(f"'experts.{key}' must be a mapping of name to weight")
            return
        out = dict(defaults)
        for name, value in given.items():
            number = _number(value)
            if known is not None and name not in known:
                notes.append(f"'experts.{key}.{name}' is not one of {', '.join(known)}")
            elif number is None or number < 0:
                notes.append(f"'experts.{key}.{name}' must be a number ≥ 0")
            else:
                out[str(name)] = number
        values[key] = out

    weights("role_weights", ROLES, DEFAULT_ROLE_WEIGHTS)
    weights("evidence_weights", EVIDENCE_KINDS, DEFAULT_EVIDENCE_WEIGHTS)
    weights("status_weights", None, DEFAULT_STATUS_WEIGHTS)
    for key, low, high, kind in (("half_life_days", 0.0, None, float), ("version_step", 0.0, 1.0, float),
                                 ("topic_weight", 0.0, 1.0, float), ("text_exponent", 0.0, None, float),
                                 ("profile_topics", 1.0, None, int)):
        if key not in raw:
            continue
        number = _number(raw[key])
        if number is None or number < low or (high is not None and number > high) or (key == "half_life_days" and number == 0):
            bound = f"between {low:g} and {high:g}" if high is not None else ("> 0" if key == "half_life_days" else f"≥ {low:g}")
            notes.append(f"'experts.{key}' must be a number {bound}")
            continue
        values[key] = kind(number)
    for key in raw:
        if key not in values and key not in ("role_weights", "evidence_weights", "status_weights", "half_life_days",
                                             "version_step", "topic_weight", "text_exponent", "profile_topics"):
            notes.append(f"'experts.{key}' is not a known setting")
    return Settings(**values), notes


# --------------------------------------------------------------------------- topics and words

_TOKEN = re.compile(r"\d+(?:\.\d+)+|[a-z0-9]+")
_VERSION = re.compile(r"^v?\d+(?:\.[0-9x*]+)*$")
_TOOL = re.compile(r"^\s*([^=<>!~@\s]+)\s*(?:(==|>=|<=|~=|!=|===|=|@)\s*(\S+))?\s*$")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


def fold(text: str) -> str:
    """Case- and accent-folded text."""
    text = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in text if not unicodedata.combining(c))


def _canon(word: str) -> str:
    """One spelling per word for matching: British/American forms and plurals meet."""
    for old, new in (("isation", "ization"), ("ising", "izing"), ("ised", "ized"), ("elling", "eling"),
                     ("elled", "eled"), ("yse", "yze")):
        if word.endswith(old):
            word = word[: -len(old)] + new
            break
    else:
        if word.endswith("ise") and len(word) > 5:
            word = word[:-3] + "ize"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    return word


def words(text: str) -> tuple[str, ...]:
    """Folded tokens: letters and digits, dotted version numbers kept whole."""
    return tuple(_TOKEN.findall(fold(text)))


@lru_cache(maxsize=65536)
def topic_key(name: str) -> str:
    """The matching form of a topic name: 'Graph-Features' and 'graph features' are one topic."""
    tokens = words(name)
    return " ".join(_canon(t) for t in tokens) if tokens else fold(name).strip()


@lru_cache(maxsize=65536)
def split_tool(tool: str) -> tuple[str, str | None]:
    """'tensorflow==2.16' -> ('tensorflow', '2.16'); 'xgboost' -> ('xgboost', None)."""
    m = _TOOL.match(tool)
    if not m:
        return tool.strip(), None
    return m.group(1), m.group(3)


def version_key(version: str) -> tuple[int, ...]:
    return tuple(int(x) for x in re.findall(r"\d+", version))


def slugify(name: str) -> str:
    """An id-safe slug (`^[a-z0-9][a-z0-9._-]*$`) for a topic name."""
    text = unicodedata.normalize("NFKD", name.casefold()).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9._]+", "-", text).strip("-._")
    slug = re.sub(r"-{2,}", "-", slug)
    return slug if _SLUG.match(slug) else "topic"


def unique_slugs(names: Mapping[str, str]) -> dict[str, str]:
    """key -> slug, unique: on a collision the later keys (in sorted order) get -2, -3, …"""
    out: dict[str, str] = {}
    taken: set[str] = set()
    for key in sorted(names):
        base = slugify(names[key])
        slug, n = base, 1
        while slug in taken:
            n += 1
            slug = f"{base}-{n}"
        taken.add(slug)
        out[key] = slug
    return out


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Evidence:
    """One record behind a person's score, and what it contributed."""

    kind: str  # project, null-result, discussion, asset, skills
    key: str  # record key (asset `kind:id`, discussion `project/id`, skills: the handle)
    title: str
    url: str  # site-relative page URL
    role: str  # lead, contributor, …, author, participant, owner, self-declared
    date: date | None  # when the person last worked on it (None: undated)
    weight: float  # a(d, e): how strongly the person is tied to the record
    match: float  # p(q|d): how well the record matches the query or topic
    score: float  # weight × match: its part of the person's score
    detail: str = ""  # e.g. "4 messages", "reused 5×, via churn-uplift-2024"
    versions: tuple[str, ...] = ()  # versions of the matched tools in the record
    ongoing: bool = False  # the work goes on (active project, current owner): dated the reference date

    @property
    def when(self) -> str:
        return "ongoing" if self.ongoing else (self.date.isoformat() if self.date else "undated")


@dataclass(frozen=True)
class Expert:
    handle: str
    name: str
    alumni: bool
    score: float
    evidence: tuple[Evidence, ...]  # largest contribution first

    @property
    def url(self) -> str:
        return urls.url("person", self.handle)


@dataclass(frozen=True)
class Topic:
    key: str  # matching form
    slug: str
    name: str  # display spelling
    kinds: tuple[str, ...]  # of tag, tool, domain
    versions: tuple[str, ...]  # tool versions seen, oldest first
    records: int  # records carrying it
    experts: tuple[Expert, ...]  # best first

    @property
    def url(self) -> str:
        return urls.url("topic", self.slug)

    @property
    def letter(self) -> str:
        first = self.slug[:1].upper()
        return first if first.isalpha() else "0–9"


@dataclass(frozen=True)
class Strength:
    """A topic on a person's profile."""

    topic: Topic
    score: float
    rank: int  # the person's place among the topic's experts (1 = first)
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True)
class Built:
    """An asset a person's projects produced (or that they own), with its reuse."""

    use: AssetUse
    role: str  # their strongest role on the producing projects, or "owner"
    projects: tuple[str, ...]


@dataclass(frozen=True)
class TopicMatch:
    """A topic (or a self-declared skill) found in a query."""

    key: str
    name: str
    slug: str | None  # None: only someone's declared skill, no record carries it
    version: str | None = None
    at_least: bool = False


@dataclass(frozen=True)
class Ranking:
    query: str
    matches: tuple[TopicMatch, ...]
    latest: bool
    experts: tuple[Expert, ...]
    text_used: bool  # full-text scores took part


# --------------------------------------------------------------------------- documents


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


def decay(when: date | None, today: date, half_life_days: float) -> float:
    """2^(−age/half-life); future dates count as today, undated as one half-life old."""
    if when is None:
        return 0.5
    age = max(0, (today - when).days)
    return 0.5 ** (age / half_life_days)


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


def _freeze(topics: Mapping[str, list[str | None]]) -> dict[str, tuple[str | None, ...]]:
    return {k: tuple(dict.fromkeys(v)) for k, v in topics.items() if k}


def _documents(hub: Hub, graph: LineageGraph, today: date, s: Settings) -> list[_Doc]:
    people = hub.people
    hl = s.half_life_days
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
            a = s.evidence("project") * w * s.status(p.status) * decay(when, today, hl)
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
            a = s.evidence("null_result") * decay(when, today, hl)
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
            a = s.evidence("discussion") * math.sqrt(n_msgs) * decay(last[handle], today, hl)
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
        for producer in use.producers:
            pid = producer.split(":", 1)[1] if producer.startswith("project:") else None
            project = hub.projects.get(pid or "")
            if project is None:
                continue
            for key, versions in _project_topics(project).items():
                topics[key].extend(versions)
            for r in project.people:
                role, when = worked.get((project.id, r.person), (r.role, None))
                a = s.evidence("asset") * (s.role(role) / top_role) * reuse * decay(when, today, hl)
                link = _Link(r.person, role, when, a, f"reused {use.reuse}×, via {project.id}",
                             when == today and project.status in ACTIVE)
                if a > 0 and (r.person not in best_link or a > best_link[r.person].weight):
                    best_link[r.person] = link
        if described and described.owner and described.owner in people:
            owner = people[described.owner]
            when = owner.left or today
            a = s.evidence("asset") * reuse * decay(when, today, hl)
            if a > 0 and (owner.handle not in best_link or a > best_link[owner.handle].weight):
                best_link[owner.handle] = _Link(owner.handle, "owner", when, a, f"reused {use.reuse}×",
                                                not owner.alumni)
        title = described.title if described and described.title else use.key
        docs.append(_Doc("asset", use.key, title, urls.url("asset", use.key), _freeze(topics),
                         tuple(best_link.values())))
    for person in sorted(people.values(), key=lambda p: p.handle):
        topics = defaultdict(list)
        for skill in person.skills:
            topics[topic_key(skill)].append(None)
        a = s.evidence("skills")
        links = (_Link(person.handle, "self-declared", None, a),) if a > 0 else ()
        docs.append(_Doc("skills", person.handle, f"{person.name}: declared skills",
                         urls.url("person", person.handle), _freeze(topics), links))
    return docs


# --------------------------------------------------------------------------- the model


@dataclass
class Expertise:
    """Every topic's ranked experts, every person's profile, and what each built: computed once."""

    settings: Settings
    today: date
    topics: dict[str, Topic]  # slug -> topic, sorted by slug
    profiles: dict[str, tuple[Strength, ...]]  # handle -> strongest topics first
    built: dict[str, tuple[Built, ...]]  # handle -> most reused first
    people: dict[str, Person]
    docs: tuple[_Doc, ...] = field(repr=False, default=())
    slug_of: dict[str, str] = field(repr=False, default_factory=dict)  # topic key -> slug
    skill_names: dict[str, str] = field(repr=False, default_factory=dict)  # key -> spelling

    def topic(self, name: str) -> Topic | None:
        """A topic by slug, name or any spelling of it."""
        if name in self.topics:
            return self.topics[name]
        slug = self.slug_of.get(topic_key(name))
        return self.topics.get(slug) if slug else None

    def letters(self) -> list[tuple[str, list[Topic]]]:
        groups: dict[str, list[Topic]] = defaultdict(list)
        for t in sorted(self.topics.values(), key=lambda t: (t.name.casefold(), t.slug)):
            groups[t.letter].append(t)
        return sorted(groups.items(), key=lambda kv: (kv[0] == "0–9", kv[0]))


def _order(people: Mapping[str, Person]):
    def key(item: tuple[str, float]) -> tuple:
        handle, score = item
        person = people.get(handle)
        return (-round(score, 9), bool(person and person.alumni),
                (person.name.casefold() if person else handle), handle)
    return key


def _experts(scores: Mapping[str, float], evidence: Mapping[str, list[Evidence]],
             people: Mapping[str, Person]) -> tuple[Expert, ...]:
    out = []
    for handle, score in sorted(scores.items(), key=_order(people)):
        if score <= 0:
            continue
        person = people.get(handle)
        ev = tuple(sorted(evidence[handle], key=lambda e: (-e.score, e.kind, e.key)))
        out.append(Expert(handle, person.name if person else handle, bool(person and person.alumni), score, ev))
    return tuple(out)


def expertise(hub: Hub, graph: LineageGraph, today: date, settings: Settings | None = None) -> Expertise:
    """The expertise model of a hub (already restricted to the audience) on the reference date `today`."""
    s = settings or parse_settings(hub.settings.experts)[0]
    docs = _documents(hub, graph, today, s)

    # vocabulary: every tag, tool (without version) and domain carried by a record
    spellings: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    kinds: dict[str, set[str]] = defaultdict(set)
    versions: dict[str, set[str]] = defaultdict(set)

    def see(name: str, kind: str, version: str | None = None) -> None:
        key = topic_key(name)
        if not key:
            return
        spellings[key][name.strip()] += 1
        kinds[key].add(kind)
        if version:
            versions[key].add(version)

    for p in hub.projects.values():
        for t in p.tags:
            see(t, "tag")
        for t in p.domains:
            see(t, "domain")
        for tool in p.tools:
            name, version = split_tool(tool)
            see(name, "tool", version)
    for n in hub.null_results.values():
        for t in n.tags:
            see(t, "tag")
    for asset in hub.assets.values():
        if asset.key in graph.assets and graph.assets[asset.key].reuse > 0:
            for t in asset.tags:
                see(t, "tag")
    names = {k: max(sorted(v), key=lambda n: (v[n], n.islower())) for k, v in spellings.items()}
    slugs = unique_slugs(names)

    scores: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    evidence: dict[str, dict[str, list[Evidence]]] = defaultdict(lambda: defaultdict(list))
    records: dict[str, int] = defaultdict(int)
    for d in docs:
        made: dict[tuple[int, tuple[str, ...]], Evidence] = {}  # one object per link and versions shown
        for key, vs in d.topics.items():
            if key not in slugs:
                continue  # a declared skill no record carries
            if d.kind != "skills":
                records[key] += 1
            shown = tuple(v for v in vs if v)
            for i, link in enumerate(d.links):
                ev = made.get((i, shown))
                if ev is None:
                    ev = made[(i, shown)] = Evidence(d.kind, d.key, d.title, d.url, link.role, link.date,
                                                     link.weight, 1.0, link.weight, link.detail, shown,
                                                     link.ongoing)
                scores[key][link.handle] += link.weight
                evidence[key][link.handle].append(ev)
    topics: dict[str, Topic] = {}
    for key in sorted(slugs, key=lambda k: slugs[k]):
        order = sorted(versions[key], key=lambda v: (version_key(v), v))
        topics[slugs[key]] = Topic(key, slugs[key], names[key], tuple(k for k in ("tag", "tool", "domain")
                                                                       if k in kinds[key]),
                                   tuple(order), records[key], _experts(scores[key], evidence[key], hub.people))
    profiles: dict[str, list[Strength]] = defaultdict(list)
    for topic in topics.values():
        for place, expert in enumerate(topic.experts, 1):
            profiles[expert.handle].append(Strength(topic, expert.score, place, expert.evidence))
    ranked_profiles = {
        handle: tuple(sorted(items, key=lambda st: (-round(st.score, 9), st.rank, st.topic.name.casefold()))
                      [: s.profile_topics])
        for handle, items in profiles.items()
    }
    skill_names = {topic_key(x): x for p in hub.people.values() for x in p.skills if topic_key(x) not in slugs}
    return Expertise(s, today, topics, ranked_profiles, _built(hub, graph), dict(hub.people), tuple(docs),
                     {k: v for k, v in slugs.items()}, skill_names)


def _built(hub: Hub, graph: LineageGraph) -> dict[str, tuple[Built, ...]]:
    rank = {r: i for i, r in enumerate(ROLES)}
    found: dict[str, dict[str, tuple[str, list[str]]]] = defaultdict(dict)
    for use in graph.assets.values():
        for producer in use.producers:
            project = hub.projects.get(producer.split(":", 1)[1] if producer.startswith("project:") else "")
            if project is None:
                continue
            for r in project.people:
                role, projects = found[r.person].get(use.key, (r.role, []))
                if rank.get(r.role, 99) < rank.get(role, 99):
                    role = r.role
                if project.id not in projects:
                    projects.append(project.id)
                found[r.person][use.key] = (role, projects)
        described = hub.assets.get(use.key)
        if described and described.owner and use.key not in found[described.owner]:
            found[described.owner][use.key] = ("owner", [])
    return {
        handle: tuple(sorted((Built(graph.assets[k], role, tuple(ps)) for k, (role, ps) in items.items()),
                             key=lambda b: (-b.use.reuse, -b.use.transitive_reuse, b.use.key)))
        for handle, items in found.items()
    }


# --------------------------------------------------------------------------- free-text queries


def parse_query(ex: Expertise, query: str) -> tuple[tuple[TopicMatch, ...], bool, float]:
    """Topics (and declared skills) named in the query, whether it asks for the latest version, and the
    share of the query's content words the topics cover."""
    tokens = list(words(query))
    canon = [_canon(t) for t in tokens]
    latest = any(t in LATEST_WORDS for t in tokens)
    vocab: dict[tuple[str, ...], tuple[str, str | None]] = {}
    for key, slug in ex.slug_of.items():
        vocab[tuple(key.split(" "))] = (key, slug)
    for key in ex.skill_names:
        vocab.setdefault(tuple(key.split(" ")), (key, None))
    longest = max((len(k) for k in vocab), default=0)
    folded = fold(query)
    matches: list[TopicMatch] = []
    seen: set[str] = set()
    covered = [False] * len(tokens)
    i = 0
    while i < len(canon):
        for n in range(min(longest, len(canon) - i), 0, -1):
            hit = vocab.get(tuple(canon[i:i + n]))
            if hit is None:
                continue
            key, slug = hit
            version, at_least = None, False
            nxt = i + n
            if nxt < len(tokens) and _VERSION.match(tokens[nxt]) and slug and ex.topics[slug].versions:
                version = tokens[nxt].lstrip("v")
                at_least = bool(re.search(r">=\s*v?" + re.escape(version) + r"|v?" + re.escape(version) + r"\s*\+",
                                          folded))
                nxt += 1
            if key not in seen:
                seen.add(key)
                name = ex.topics[slug].name if slug else ex.skill_names.get(key, key)
                matches.append(TopicMatch(key, name, slug, version, at_least))
            covered[i:nxt] = [True] * (nxt - i)
            i = nxt
            break
        else:
            i += 1
    content = [c for t, c in zip(tokens, covered) if t not in STOP_WORDS and t not in LATEST_WORDS]
    coverage = sum(content) / len(content) if content else (1.0 if matches else 0.0)
    return tuple(matches), latest, coverage


def version_factor(have: tuple[str | None, ...], known: tuple[str, ...], step: float,
                   want: str | None, at_least: bool, latest: bool) -> float:
    """How well the versions a record used fit the version asked for (1 = exactly)."""
    if want is None and (not latest or not known):
        return 1.0
    if want is not None:
        w = version_key(want)
        ladder = sorted(set(known) | {want}, key=lambda v: (version_key(v), v))
        target = ladder.index(want)
    else:
        ladder = list(known)
        target = len(ladder) - 1
    best = step if None in have else 0.0  # an unversioned use counts one step away
    for v in have:
        if v is None:
            continue
        k = version_key(v)
        if want is not None and (k[: len(w)] == w or (at_least and k >= w)):
            return 1.0
        if want is None and target >= 0 and k >= version_key(ladder[target]):
            return 1.0
        place = ladder.index(v) if v in ladder else None
        if place is None:
            continue
        best = max(best, step ** abs(target - place))
    return best


def rank(ex: Expertise, query: str, text: Mapping[tuple[str, str], float] | None = None,
         limit: int | None = None) -> Ranking:
    """People ranked for a free-text query.

    `text` maps (kind, key) of records to their full-text score for the query
    (kinds as in the search index: project, null-result, discussion, asset, and
    person for the self-declared profile); without it only topic matches count.
    """
    s = ex.settings
    matches, latest, coverage = parse_query(ex, query)
    best = max((v for v in (text or {}).values() if v > 0), default=0.0)
    # topic matches explain the part of the query they cover; full text the rest
    lam = s.topic_weight * coverage if (matches and best > 0) else (1.0 if matches else 0.0)
    scores: dict[str, float] = defaultdict(float)
    evidence: dict[str, list[Evidence]] = defaultdict(list)
    for d in ex.docs:
        p_topic = 0.0
        shown: list[str] = []
        for m in matches:
            vs = d.topics.get(m.key)
            if vs is None:
                continue
            known = ex.topics[m.slug].versions if m.slug else ()
            p_topic += version_factor(vs, known, s.version_step, m.version, m.at_least, latest)
            shown.extend(v for v in vs if v)
        p_topic = p_topic / len(matches) if matches else 0.0
        text_kind = "person" if d.kind == "skills" else d.kind
        p_text = ((text or {}).get((text_kind, d.key), 0.0) / best) ** s.text_exponent if best > 0 else 0.0
        match = lam * p_topic + (1 - lam) * p_text
        if match <= 0:
            continue
        for link in d.links:
            contribution = match * link.weight
            scores[link.handle] += contribution
            evidence[link.handle].append(Evidence(d.kind, d.key, d.title, d.url, link.role, link.date, link.weight,
                                                  match, contribution, link.detail, tuple(dict.fromkeys(shown)),
                                                  link.ongoing))
    experts = _experts(scores, evidence, ex.people)
    return Ranking(query, matches, latest, experts[:limit] if limit else experts, best > 0)


TEXT_KINDS = ("project", "null-result", "discussion", "asset", "person")  # person: the self-declared profile


def text_query(query: str) -> str:
    """The query as sent to full-text search: version operators and 'latest' words dropped."""
    out = re.sub(r"(==|>=|<=|~=|!=|@)", " ", query)
    kept = [w for w in out.split() if fold(w).strip(".,;:!?") not in LATEST_WORDS]
    return " ".join(kept) or query


# --------------------------------------------------------------------------- naive baseline


def baseline(hub: Hub, query: str) -> list[tuple[str, int]]:
    """The naive ranking the model is measured against: per person, the number of projects
    they are on (any role) that carry a tag, tool or domain named in the query."""
    tokens = tuple(_canon(t) for t in words(query))
    text = " " + " ".join(tokens) + " "
    counts: dict[str, int] = defaultdict(int)
    for p in hub.projects.values():
        keys = _project_topics(p)
        if any(f" {k} " in text for k in keys):
            for handle in dict.fromkeys(r.person for r in p.people):
                counts[handle] += 1
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def export(ex: Expertise) -> dict[str, Any]:
    """Experts per topic for api/hub.json."""
    return {
        "settings": ex.settings.as_dict(),
        "reference_date": ex.today.isoformat(),
        "topics": [
            {"slug": t.slug, "name": t.name, "kinds": list(t.kinds), "url": t.url, "records": t.records,
             "versions": list(t.versions),
             "experts": [{"handle": e.handle, "score": round(e.score, 4), "alumni": e.alumni} for e in t.experts]}
            for t in ex.topics.values()
        ],
    }


# --------------------------------------------------------------------------- views for the CLI


def _evidence_json(e: Evidence) -> dict[str, Any]:
    return {"kind": e.kind, "key": e.key, "title": e.title, "url": e.url, "role": e.role,
            "date": e.date.isoformat() if e.date else None, "ongoing": e.ongoing, "weight": round(e.weight, 4),
            "match": round(e.match, 4), "score": round(e.score, 4), "detail": e.detail,
            "versions": list(e.versions)}


def ranking_json(r: Ranking, ex: Expertise, audience: str) -> dict[str, Any]:
    """`hubgen experts --json`: the ranking with every piece of evidence."""
    return {
        "query": r.query,
        "audience": audience,
        "reference_date": ex.today.isoformat(),
        "latest": r.latest,
        "full_text": r.text_used,
        "topics": [{"name": m.name, "slug": m.slug, "url": urls.url("topic", m.slug) if m.slug else None,
                    "version": m.version, "at_least": m.at_least,
                    "versions_known": list(ex.topics[m.slug].versions) if m.slug else []}
                   for m in r.matches],
        "experts": [
            {"rank": i, "handle": e.handle, "name": e.name, "alumni": e.alumni, "score": round(e.score, 4),
             "url": e.url, "evidence": [_evidence_json(x) for x in e.evidence]}
            for i, e in enumerate(r.experts, 1)
        ],
    }


def _topic_note(m: TopicMatch, ex: Expertise, latest: bool) -> str:
    known = ex.topics[m.slug].versions if m.slug else ()
    kinds = "/".join(ex.topics[m.slug].kinds) if m.slug else "declared skill"
    note = f"{m.name} ({kinds}"
    if m.version:
        note += f", version {m.version}{'+' if m.at_least else ''}"
    elif latest and known:
        note += f", latest = {known[-1]}"
    return note + ")"


EXPLAIN_MIN = 0.01  # --explain lists records contributing at least this share of a person's score


def ranking_lines(r: Ranking, ex: Expertise, explain: bool = False) -> list[str]:
    """`hubgen experts` in the terminal: one entry per person, the evidence under it with --explain."""
    topics = "; ".join(_topic_note(m, ex, r.latest) for m in r.matches) or "none (full text only)"
    lines = [f"experts for '{r.query}' · topics matched: {topics}"]
    for i, e in enumerate(r.experts, 1):
        person = ex.people.get(e.handle)
        about = ", ".join(x for x in ((person.title, person.team) if person else ()) if x)
        alumni = f" [alumni, left {person.left}]" if person and person.left else ""
        lines.append(f"{i:>2}. {e.name} (@{e.handle}){alumni}{' · ' + about if about else ''} · score {e.score:.2f}")
        if explain:
            lines.append("    score = Σ over records of weight a(d,e) × match p(q|d):")
            shown = [x for x in e.evidence if x.score >= EXPLAIN_MIN * e.score]
            for x in shown:
                extra = f" · {x.detail}" if x.detail and x.kind != "project" else ""
                versions = f" · {', '.join(x.versions)}" if x.versions else ""
                lines.append(f"    {x.score:6.2f} = {x.weight:4.2f} × {x.match:4.2f}  {x.kind} {x.key} "
                             f"\"{x.title}\" · {x.role} · {x.when}{extra}{versions}")
            rest = e.evidence[len(shown):]
            if rest:
                lines.append(f"    {sum(x.score for x in rest):6.2f}   from {len(rest)} more record(s), "
                             f"each under {EXPLAIN_MIN:.0%} of the score (--json lists them)")
        else:
            top = "; ".join(f"{x.title} ({x.role}, {x.when})" for x in e.evidence[:3])
            more = f"; +{len(e.evidence) - 3} more" if len(e.evidence) > 3 else ""
            lines.append(f"    {top}{more}")
    return lines
