"""Scoring: every topic's ranked experts and people's profiles (computed once), free-text rankings, the
naive baseline and the export."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np

from hubgen.analysis.experts.documents import _Doc, _documents, _Link, _project_topics
from hubgen.analysis.experts.model import Expertise
from hubgen.analysis.experts.query import parse_query, version_factor
from hubgen.analysis.experts.results import (
    Built,
    Evidence,
    Expert,
    Ranking,
    Strength,
    Topic,
)
from hubgen.analysis.experts.settings import Settings, parse_settings
from hubgen.analysis.experts.text import (
    _canon,
    split_tool,
    topic_key,
    unique_slugs,
    version_key,
    words,
)
from hubgen.analysis.lineage import LineageGraph
from hubgen.model import Hub, Person
from hubgen.schema import ROLES


def _order(people: Mapping[str, Person]):
    def key(item: tuple[str, float]) -> tuple:
        handle, score = item
        person = people.get(handle)
        return (
            -round(score, 9),
            bool(person and person.alumni),
            (person.name.casefold() if person else handle),
            handle,
        )

    return key


def _experts(
    scores: Mapping[str, float], evidence: Mapping[str, list[Evidence]], people: Mapping[str, Person]
) -> tuple[Expert, ...]:
    out = []
    for handle, score in sorted(scores.items(), key=_order(people)):
        if score <= 0:
            continue
        person = people.get(handle)
        ev = tuple(sorted(evidence[handle], key=lambda e: (-e.score, e.kind, e.key)))
        out.append(Expert(handle, person.name if person else handle, bool(person and person.alumni), score, ev))
    return tuple(out)


@dataclass(frozen=True)
class _Vocabulary:
    """Every tag, tool (without version) and domain carried by a record: its shown name, kinds and versions."""

    names: dict[str, str]
    kinds: dict[str, set[str]]
    versions: dict[str, set[str]]


def _vocabulary(hub: Hub, graph: LineageGraph) -> _Vocabulary:
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
    return _Vocabulary(names, kinds, versions)


@dataclass
class _Tally:
    """Per topic key: each person's score, their evidence, and how many records (not skills) carry it."""

    scores: dict[str, dict[str, float]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(float)))
    evidence: dict[str, dict[str, list[Evidence]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(list))
    )
    records: dict[str, int] = field(default_factory=lambda: defaultdict(int))


def _tally(docs: list[_Doc], slugs: Mapping[str, str]) -> _Tally:
    t = _Tally()
    for d in docs:
        made: dict[tuple[int, tuple[str, ...], float], Evidence] = {}  # one object per link, versions, match
        for key, vs in d.topics.items():
            if key not in slugs:
                continue  # a declared skill no record carries
            if d.kind != "skills":
                t.records[key] += 1
            shown = tuple(v for v in vs if v)
            match = d.carries(key)  # the same p(t|d) as rank() gives a query naming just this topic
            for i, link in enumerate(d.links):
                ev = made.get((i, shown, match))
                if ev is None:
                    ev = made[(i, shown, match)] = _evidence(d, link, match, shown)
                t.scores[key][link.handle] += ev.score
                t.evidence[key][link.handle].append(ev)
    return t


def _profiles(topics: Mapping[str, Topic], limit: int) -> dict[str, tuple[Strength, ...]]:
    """Each person's strongest topics, best first."""
    profiles: dict[str, list[Strength]] = defaultdict(list)
    for topic in topics.values():
        for place, expert in enumerate(topic.experts, 1):
            profiles[expert.handle].append(Strength(topic, expert.score, place, expert.evidence))
    return {
        handle: tuple(sorted(items, key=lambda st: (-round(st.score, 9), st.rank, st.topic.name.casefold()))[:limit])
        for handle, items in profiles.items()
    }


def expertise(hub: Hub, graph: LineageGraph, today: date, settings: Settings | None = None) -> Expertise:
    """The expertise model of a hub (already restricted to the audience) on the reference date `today`."""
    s = settings or parse_settings(hub.settings.experts)[0]
    docs = _documents(hub, graph, today, s)
    vocab = _vocabulary(hub, graph)
    slugs = unique_slugs(vocab.names)
    tally = _tally(docs, slugs)
    topics: dict[str, Topic] = {}
    for key in sorted(slugs, key=lambda k: slugs[k]):
        order = sorted(vocab.versions[key], key=lambda v: (version_key(v), v))
        topics[slugs[key]] = Topic(
            key,
            slugs[key],
            vocab.names[key],
            tuple(k for k in ("tag", "tool", "domain") if k in vocab.kinds[key]),
            tuple(order),
            tally.records[key],
            _experts(tally.scores[key], tally.evidence[key], hub.people),
        )
    skill_names = {topic_key(x): x for p in hub.people.values() for x in p.skills if topic_key(x) not in slugs}
    return Expertise(
        s,
        today,
        topics,
        _profiles(topics, s.profile_topics),
        _built(hub, graph),
        dict(hub.people),
        tuple(docs),
        dict(slugs.items()),
        skill_names,
    )


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
        handle: tuple(
            sorted(
                (Built(graph.assets[k], role, tuple(ps)) for k, (role, ps) in items.items()),
                key=lambda b: (-b.use.reuse, -b.use.transitive_reuse, b.use.key),
            )
        )
        for handle, items in found.items()
    }


def rank(
    ex: Expertise,
    query: str,
    text: Mapping[tuple[str, str], float] | None = None,
    limit: int | None = None,
    exclude: Iterable[str] = (),
) -> Ranking:
    """People ranked for a free-text query.

    `text` maps (kind, key) of records to their full-text score for the query
    (kinds as in the search index: project, null-result, discussion, asset, and
    person for the self-declared profile); without it only topic matches count.
    `exclude`: handles left out before `limit` applies. Evidence is gathered only
    for the people returned (a proposal's three people to ask need not list every
    record of everyone).
    """
    s = ex.settings
    matches, latest, coverage = parse_query(ex, query)
    best = max((v for v in (text or {}).values() if v > 0), default=0.0)
    # topic matches explain the part of the query they cover; full text the rest
    # (all of it when the query only names topics: `hubgen experts <topic>` is the topic page's ranking)
    explained = bool(matches) and coverage >= 1 and all(m.slug for m in matches)
    lam = 1.0 if explained or (matches and best == 0) else (s.topic_weight * coverage if matches else 0.0)
    use_text = best > 0 and lam < 1

    def match_of(d: _Doc) -> tuple[float, tuple[str, ...]]:
        """p(q|d) for one record, and the versions of the matched topics it used."""
        p_topic = 0.0
        shown: list[str] = []
        for m in matches:
            vs = d.topics.get(m.key)
            if vs is None:
                continue
            known = ex.topics[m.slug].versions if m.slug else ()
            p_topic += d.carries(m.key) * version_factor(vs, known, s.version_step, m.version, m.at_least, latest)
            shown.extend(v for v in vs if v)
        p_topic = p_topic / len(matches) if matches else 0.0
        text_kind = "person" if d.kind == "skills" else d.kind
        p_text = ((text or {}).get((text_kind, d.key), 0.0) / best) ** s.text_exponent if use_text else 0.0
        return lam * p_topic + (1 - lam) * p_text, tuple(dict.fromkeys(shown))

    handles, place = ex.handles
    scores = np.zeros(len(handles))
    scored = [r for r, v in (text or {}).items() if v > 0] if use_text else []
    candidates = ex.candidates((m.key for m in matches), scored)  # the only records with a match above 0
    # The score is linear in each record's match: the topic part is per-key totals by the versions records
    # used (computed once), and only the records full text found are visited (a proposal's query names
    # topics half the hub carries; visiting them all per query made the build quadratic). One array over
    # everyone: each person gets the same additions in the same order as a sum per person would.
    for m in matches:
        known = ex.topics[m.slug].versions if m.slug else ()
        for versions, people, totals in ex.version_arrays(m.key):
            factor = version_factor(versions, known, s.version_step, m.version, m.at_least, latest)
            if factor > 0:
                scores[people] += lam * factor * totals / len(matches)
    for i in sorted(ex.candidates((), scored)):
        d = ex.docs[i]
        text_kind = "person" if d.kind == "skills" else d.kind
        p_text = ((text or {})[text_kind, d.key] / best) ** s.text_exponent
        for link in d.links:
            scores[place[link.handle]] += link.weight * (1 - lam) * p_text
    skip = [place[h] for h in set(exclude) if h in place]
    scores[skip] = 0.0
    shown = np.flatnonzero(scores > 1e-12)
    if limit and len(shown) > limit:  # only those that can be among the first `limit` are ordered by name
        kth = np.partition(scores[shown], len(shown) - limit)[len(shown) - limit]
        shown = shown[scores[shown] >= kth - 1e-9]  # ties at 9 decimals included: the order rounds to them
    ordered = sorted(((handles[i], float(scores[i])) for i in shown), key=_order(ex.people))
    keep = [h for h, _ in ordered][:limit] if limit else [h for h, _ in ordered]
    final = dict(ordered)
    evidence = _evidence_of(ex, keep, candidates, match_of)
    experts = _experts({h: final[h] for h in keep}, evidence, ex.people)
    return Ranking(query, matches, latest, experts, best > 0 and lam < 1)


def _evidence_of(
    ex: Expertise, handles: list[str], candidates: set[int], match_of: Callable[[_Doc], tuple[float, tuple[str, ...]]]
) -> dict[str, list[Evidence]]:
    """The evidence of the people shown only, from each one's own records that match."""
    evidence: dict[str, list[Evidence]] = defaultdict(list)
    for handle in handles:
        for i in ex.records_of(handle):
            if i not in candidates:
                continue
            d = ex.docs[i]
            match, versions = match_of(d)
            if match > 0:
                evidence[handle].extend(
                    _evidence(d, link, match, versions) for link in d.links if link.handle == handle
                )
    return evidence


def _evidence(d: _Doc, link: _Link, match: float, versions: tuple[str, ...]) -> Evidence:
    """One record's part of a person's score: weight a(d, e) × match p(q|d)."""
    return Evidence(
        d.kind,
        d.key,
        d.title,
        d.url,
        link.role,
        link.date,
        link.weight,
        match,
        link.weight * match,
        link.detail,
        versions,
        link.ongoing,
    )


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
            {
                "slug": t.slug,
                "name": t.name,
                "kinds": list(t.kinds),
                "url": t.url,
                "records": t.records,
                "versions": list(t.versions),
                "experts": [{"handle": e.handle, "score": round(e.score, 4), "alumni": e.alumni} for e in t.experts],
            }
            for t in ex.topics.values()
        ],
    }
