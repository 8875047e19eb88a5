"""Prior art: for a proposal (a project or free text), the earlier work to read first, and why.

The one similarity engine of the hub: related work on every project page,
"Prior art to review" on ideation pages, the Proposals page, `hubgen
prior-art` and the CI notices all rank with `PriorArt.suggest`.

Evidence, all from the (audience-cut) hub, nothing downloaded:

- words: title (x3), tags and domains (x2), summary, problem, objective,
  tools, null results' hypothesis, approach and outcome; stemmed (Porter),
  with adjacent pairs ("customer churn") so look-alikes that share one word
  ("employee churn") rank below the real match; TF-IDF, cosine;
- the team's glossary (`glossary:` in hub.yml): every synonym also counts as
  its term, so "attrition" meets "churn";
- the hub's own co-occurrence: a query's key term also weakly matches the
  terms that nearly always come with it in titles and tags;
- lineage: a shared consumed dataset is strong evidence (rarer is stronger);
- citations: what the most similar records cite in `prior_art`, and what is
  cited together with them, is likely prior art too.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from whoosh.lang.porter import stem as _porter

from hubgen.analysis.experts import Expert, Expertise, rank
from hubgen.analysis.lineage import LineageGraph
from hubgen.model import Hub

KINDS = ("project", "null-result", "discussion", "asset")
_WORD = re.compile(r"[a-z0-9]+")
STOP = frozenset("""
a about above after again against all also am an and any are as at be because been before being below between both
but by can could did do does doing down during each few for from further had has have having he her here hers him
his how i if in into is it its itself just me more most my no nor not now of off on once only or other our ours out
over own same she should so some such than that the their them then there these they this those through to too
under until up very was we were what when where which while who whom why will with would you your yours
v1 v2 v3 v4 new using use used based via per project projects model models data work todo tbd etc e g eg ie
""".split())

# Field weights: the title says what the work is; tags and domains are the author's own keywords.
TITLE, KEYWORD, TEXT, LONG = 3.0, 2.0, 1.0, 0.3
PAIR = 0.7  # an adjacent pair of words, relative to a single word
EXPAND = 0.25  # a co-occurring term, relative to the query term it comes from
DATASET = 0.35  # a shared consumed dataset (the rarest one in the hub), added to the cosine
CITED = 0.5  # cited by a similar record: share of that record's score
COCITED = 0.3  # cited together with a similar record
# A short record (an asset named in lineage) matches a short query too easily: what it is worth
# next to a written-up project or null result.
KIND_WEIGHT = {"project": 1.0, "null-result": 1.0, "discussion": 0.8, "asset": 0.6}
POSTINGS_BUDGET = 40_000  # postings scored per query, rarest terms first: linear at 10,000 projects


def _stem(word: str, cache: dict[str, str] = {}) -> str:  # noqa: B006 (a deliberate memo)
    out = cache.get(word)
    if out is None:
        out = cache[word] = _porter(word) if len(word) > 3 and not word.isdigit() else word
    return out


def tokens(text: str) -> list[str]:
    """Content words of `text`, stemmed, in order (stop words dropped)."""
    return [_stem(w) for w in _WORD.findall(text.lower()) if _content(w)]


def _content(word: str) -> bool:
    """A word that can say what work is about: not a stop word, a lone letter or a bare number."""
    return word not in STOP and len(word) > 1 and not word.isdigit()


@dataclass(frozen=True)
class Glossary:
    """Synonym phrases (as stem tuples) -> the canonical term they also count as."""

    phrases: Mapping[tuple[str, ...], str]
    longest: int = 1

    @classmethod
    def from_settings(cls, raw: Mapping[str, Iterable[str]]) -> Glossary:
        phrases: dict[tuple[str, ...], str] = {}
        for term, synonyms in raw.items():
            canon_tokens = tokens(term)
            if not canon_tokens:
                continue
            canon = "=" + "_".join(canon_tokens)
            for phrase in (term, *synonyms):
                key = tuple(tokens(phrase))
                if key:
                    phrases.setdefault(key, canon)
        return cls(phrases, max((len(k) for k in phrases), default=1))

    def apply(self, words: list[str]) -> list[tuple[str, ...]]:
        """Each position's alternatives: the word, plus the glossary term a phrase ending there stands for."""
        out: list[tuple[str, ...]] = [(w,) for w in words]
        if not self.phrases:
            return out
        for end in range(len(words)):
            for n in range(min(self.longest, end + 1), 0, -1):
                canon = self.phrases.get(tuple(words[end - n + 1:end + 1]))
                if canon is not None:
                    out[end] = (*out[end], canon)
                    break
        return out


def _field_terms(text: str, weight: float, glossary: Glossary, into: dict[str, float],
                 surface: dict[str, Counter[str]] | None = None) -> None:
    if not text:
        return
    raw = [w for w in _WORD.findall(text.lower()) if _content(w)]
    words = [_stem(w) for w in raw]
    if surface is not None:
        for w, r in zip(words, raw):
            surface[w][r] += 1
    positions = glossary.apply(words)
    prev: tuple[str, ...] = ()
    for alts in positions:
        for t in alts:
            into[t] += weight
        for a in prev:
            for b in alts:
                if a != b:
                    into[f"{a} {b}"] += weight * PAIR
        prev = alts


@dataclass(frozen=True)
class Proposal:
    """What is known of a proposed piece of work: text by field, and its data."""

    title: str = ""
    text: str = ""  # summary, problem, objective, free text
    keywords: tuple[str, ...] = ()  # tags, domains, tools
    datasets: frozenset[str] = frozenset()  # asset keys it consumes
    project: str | None = None  # its own project id: never its own prior art
    before: date | None = None  # only work dated no later than this


@dataclass(frozen=True)
class Suggestion:
    kind: str  # project, null-result, discussion, asset
    key: str  # the record's id, as in search
    title: str
    score: float
    why: tuple[str, ...]
    status: str = ""
    detail: str = ""  # null result: what was tried and why it failed; asset: its reuse count
    cited: bool = False  # the proposal already cites it

    @property
    def is_null_result(self) -> bool:
        return self.kind == "null-result" or (self.kind == "project" and self.status == "null-result")


@dataclass
class _Doc:
    kind: str
    key: str
    title: str
    status: str
    when: date | None
    project: str  # owning project (null results, discussions) or the project itself
    detail: str
    keywords: tuple[str, ...]
    datasets: frozenset[str]
    cites: tuple[str, ...]  # project ids in prior_art


@dataclass
class PriorArt:
    """The hub's records as weighted term vectors with postings, built once per (cut) hub."""

    docs: list[_Doc]
    vectors: list[dict[str, float]]
    idf: dict[str, float]
    postings: dict[str, tuple[np.ndarray, np.ndarray]]
    glossary: Glossary
    cooccur: dict[str, list[tuple[str, float]]]
    dataset_idf: dict[str, float]
    cited_by: dict[str, list[int]]  # doc index -> indexes of docs citing it
    cocited: dict[int, Counter[int]]
    surface: dict[str, str]
    index: dict[tuple[str, str], int] = field(default_factory=dict)
    reuse: dict[str, int] = field(default_factory=dict)

    def vector(self, p: Proposal) -> dict[str, float]:
        raw: dict[str, float] = defaultdict(float)
        _field_terms(p.title, TITLE, self.glossary, raw)
        _field_terms(p.text, TEXT, self.glossary, raw)
        for k in p.keywords:
            _keyword_terms(k, self.glossary, raw)
        return _weigh(raw, self.idf)

    def suggest(self, p: Proposal, limit: int = 10, kinds: Iterable[str] = KINDS) -> list[Suggestion]:
        """The best `limit` earlier records for `p`, best first, each with why."""
        wanted = set(kinds)
        q = self.vector(p)
        asked = set(q)
        for term, weight in list(q.items()):  # the hub's own co-occurrence: weak, from key terms only
            for other, strength in self.cooccur.get(term, ()):
                q[other] = max(q.get(other, 0.0), weight * EXPAND * strength)
        norm = math.sqrt(sum(w * w for w in q.values())) or 1.0
        scores = np.zeros(len(self.docs))
        shared: dict[int, list[tuple[float, str]]] = defaultdict(list)
        budget = POSTINGS_BUDGET
        for term in sorted(q, key=lambda t: (len(self.postings.get(t, ((),))[0]), t)):
            if term not in self.postings:
                continue
            ids, weights = self.postings[term]
            if len(ids) > budget:
                continue
            budget -= len(ids)
            contrib = (q[term] / norm) * weights
            scores[ids] += contrib
            if len(ids) <= 200 and term in asked:  # the words that explain a match: asked for, rare enough to say something
                for j, c in zip(ids.tolist(), contrib.tolist()):
                    shared[j].append((c, term))
        reasons: dict[int, list[str]] = defaultdict(list)
        best_ds = max(self.dataset_idf.values(), default=1.0)
        for ds in p.datasets:
            for j in self._datasets.get(ds, ()):
                scores[j] += DATASET * (self.dataset_idf.get(ds, best_ds) / best_ds) ** 2  # a shared common one says little
                reasons[j].append(f"same data source: {ds}")
        excluded = self._excluded(p)
        base = scores.copy()
        base[list(excluded)] = 0.0
        top = [int(j) for j in np.argsort(-base, kind="stable")[:10] if base[j] > 0]
        for j in top:  # what similar records cite, and what is cited together with them
            s = float(base[j])
            for cited in self.docs[j].cites:
                i = self.index.get(("project", cited))
                if i is not None:
                    scores[i] += CITED * s
                    reasons[i].append(f"cited by similar {self.docs[j].kind} {self.docs[j].key}")
            for i, n in self.cocited.get(j, {}).items():
                scores[i] += COCITED * s * min(n, 3) / 3
                reasons[i].append(f"cited together with {self.docs[j].key}")
        scores[list(excluded)] = 0.0
        scores *= self._kind_weight
        for j, d in enumerate(self.docs):
            if d.kind not in wanted or (p.before and d.when and d.when > p.before):
                scores[j] = 0.0
        order = [int(j) for j in np.argsort(-scores, kind="stable")[:limit] if scores[j] > 0]
        out = []
        for j in order:
            d = self.docs[j]
            why = self._why(q, d, sorted(shared.get(j, ()), reverse=True), p) + list(dict.fromkeys(reasons[j]))
            out.append(Suggestion(d.kind, d.key, d.title, round(float(scores[j]), 3), tuple(why), d.status, d.detail))
        return out

    @property
    def _datasets(self) -> dict[str, list[int]]:
        cached = self.__dict__.get("_ds")
        if cached is None:
            cached = defaultdict(list)
            for j, d in enumerate(self.docs):
                for ds in d.datasets:
                    cached[ds].append(j)
            self.__dict__["_ds"] = cached
        return cached

    @property
    def _kind_weight(self) -> np.ndarray:
        cached = self.__dict__.get("_kw")
        if cached is None:
            cached = self.__dict__["_kw"] = np.array([KIND_WEIGHT.get(d.kind, 1.0) for d in self.docs])
        return cached

    def _excluded(self, p: Proposal) -> set[int]:
        if not p.project:
            return set()
        return {j for j, d in enumerate(self.docs) if d.project == p.project}

    def _why(self, q: Mapping[str, float], d: _Doc, shared: list[tuple[float, str]], p: Proposal) -> list[str]:
        out = []
        domains = sorted({k for k in d.keywords if k.lower() in {x.lower() for x in p.keywords}})
        if domains:
            out.append("same domains, tags or tools: " + ", ".join(domains[:4]))
        words = []
        for _, term in shared:
            if term.startswith("#") or term in words:
                continue
            words.append(term)
            if len(words) == 4:
                break
        if words:
            out.append("shared problem terms: " + ", ".join(self._show(t) for t in words))
        return out

    def _show(self, term: str) -> str:
        if term.startswith("="):
            return term[1:].replace("_", " ") + " (glossary)"
        return " ".join(self.surface.get(part, part) for part in term.split(" "))


def _keyword_terms(keyword: str, glossary: Glossary, into: dict[str, float]) -> None:
    name = keyword.lower().split("==")[0].strip()
    into["#" + name] += KEYWORD
    _field_terms(name.replace("-", " "), KEYWORD, glossary, into)


def _weigh(raw: Mapping[str, float], idf: Mapping[str, float]) -> dict[str, float]:
    """Sublinear term weight × idf, unit length; terms unknown to the hub are dropped."""
    out = {t: (1 + math.log(w) if w > 1 else w) * idf[t] for t, w in raw.items() if t in idf}
    norm = math.sqrt(sum(v * v for v in out.values())) or 1.0
    return {t: v / norm for t, v in out.items()}


def _null_detail(approach: str | None, outcome: str, reason: str | None) -> str:
    parts = [f"tried: {approach.strip()}" if approach else "", f"found: {outcome.strip()}" if outcome else "",
             f"why: {reason}" if reason else ""]
    return "; ".join(x for x in parts if x)[:300]


def proposal_of(hub: Hub, graph: LineageGraph, project_id: str) -> Proposal:
    """A project as a proposal: its own words, keywords and consumed datasets."""
    p = hub.projects[project_id]
    return Proposal(p.title, "\n".join(x for x in (p.summary, p.problem, p.objective) if x),
                    p.tags + p.domains + p.tools, _consumed(graph, p.id, p.data_sources), p.id, p.started)


def _consumed(graph: LineageGraph, project_id: str, data_sources: tuple[str, ...] = ()) -> frozenset[str]:
    refs = {k for k in graph.consumes.get(f"project:{project_id}", ()) if not k.startswith("project:")}
    refs |= {s.split("@")[0] for s in data_sources if ":" in s and not s.startswith(("http:", "https:"))}
    return frozenset(refs)


def build(hub: Hub, graph: LineageGraph) -> PriorArt:
    """Index every project, null result, decided discussion and asset of the hub."""
    glossary = Glossary.from_settings(hub.settings.glossary)
    surface_counts: dict[str, Counter[str]] = defaultdict(Counter)
    docs: list[_Doc] = []
    raws: list[dict[str, float]] = []
    keys: list[set[str]] = []  # title and keyword unigrams: the vocabulary of co-occurrence

    def add(doc: _Doc, title: str, text: str, long: str = "") -> None:
        raw: dict[str, float] = defaultdict(float)
        _field_terms(title, TITLE, glossary, raw, surface_counts)
        _field_terms(text, TEXT, glossary, raw, surface_counts)
        _field_terms(long, LONG, glossary, raw, surface_counts)
        for k in doc.keywords:
            _keyword_terms(k, glossary, raw)
        docs.append(doc)
        raws.append(raw)
        key_terms: dict[str, float] = defaultdict(float)
        _field_terms(title, 1.0, glossary, key_terms)
        for k in doc.keywords:
            _field_terms(k.replace("-", " "), 1.0, glossary, key_terms)
        keys.append({t for t in key_terms if " " not in t})

    for p in sorted(hub.projects.values(), key=lambda p: p.id):
        detail = f"ended as a null result: {p.summary.strip()}"[:300] if p.status == "null-result" else ""
        add(_Doc("project", p.id, p.title, p.status, p.started or p.ended, p.id, detail,
                 p.tags + p.domains + p.tools, _consumed(graph, p.id, p.data_sources) | frozenset(
                     k for k in graph.produces.get(f"project:{p.id}", ()) if not k.startswith("project:")),
                 tuple(c for c in p.prior_art if c in hub.projects)),
            p.title, "\n".join(x for x in (p.summary, p.problem, p.objective) if x), p.readme[:4000])
    for nr in sorted(hub.null_results.values(), key=lambda n: n.id):
        add(_Doc("null-result", nr.id, nr.title, "null-result", nr.date, nr.project or "",
                 _null_detail(nr.approach, nr.outcome, nr.reason), nr.tags, frozenset(), ()),
            nr.title, "\n".join(x for x in (nr.hypothesis, nr.approach, nr.outcome) if x), nr.body[:4000])
    for th in sorted(hub.discussions.values(), key=lambda d: d.key):
        if th.status != "decided":  # an open thread has not settled anything yet
            continue
        add(_Doc("discussion", th.key, th.title, "decided", th.when, th.project, (th.decision or "")[:300],
                 (th.topic,) if th.topic else (), frozenset(), ()),
            th.title, "\n".join(x for x in (th.decision, th.context) if x))
    reuse = {key: use.reuse for key, use in graph.assets.items()}
    for key, use in sorted(graph.assets.items()):
        if key.startswith("job:"):
            continue
        asset = hub.assets.get(key)
        title = (asset.title if asset else None) or (hub.facts[key].title if key in hub.facts else None) or key
        text = (asset.description if asset else None) or ""
        add(_Doc("asset", key, title, "", use.last_used, "", f"reused by {use.reuse}",
                 asset.tags if asset else (), frozenset({key}), ()),
            title + " " + key.split(":", 1)[1].replace("-", " ").replace("_", " "), text)

    n = max(len(docs), 1)
    df: Counter[str] = Counter()
    for raw in raws:
        df.update(raw.keys())
    idf = {t: math.log(1 + n / c) for t, c in df.items() if c < n or n < 3}
    vectors = [_weigh(raw, idf) for raw in raws]
    members: dict[str, list[int]] = defaultdict(list)
    for i, vec in enumerate(vectors):
        for t in vec:
            members[t].append(i)
    postings = {t: (np.array(ids, dtype=np.int64), np.array([vectors[j][t] for j in ids])) for t, ids in members.items()}
    index = {(d.kind, d.key): i for i, d in enumerate(docs)}
    cited_by: dict[str, list[int]] = defaultdict(list)
    cocited: dict[int, Counter[int]] = defaultdict(Counter)
    for j, d in enumerate(docs):
        cited = [index[("project", c)] for c in d.cites if ("project", c) in index]
        for c in cited:
            cited_by[docs[c].key].append(j)
            for other in cited:
                if other != c:
                    cocited[c][other] += 1
    ds_df = Counter(ds for d in docs if d.kind != "asset" for ds in d.datasets)
    dataset_idf = {ds: math.log(1 + n / c) for ds, c in ds_df.items()}
    surface = {s: c.most_common(1)[0][0] for s, c in surface_counts.items()}
    return PriorArt(docs, vectors, idf, postings, glossary, _cooccurrence(keys, len(docs)), dataset_idf,
                    cited_by, cocited, surface, index, reuse)


def _cooccurrence(keys: list[set[str]], n: int, top: int = 3) -> dict[str, list[tuple[str, float]]]:
    """Key term -> the key terms that come with it in most of its records (and rarely otherwise)."""
    df: Counter[str] = Counter()
    pairs: Counter[tuple[str, str]] = Counter()
    for ks in keys:
        df.update(ks)
        if len(ks) > 30:
            continue
        ordered = sorted(ks)
        for i, a in enumerate(ordered):
            for b in ordered[i + 1:]:
                pairs[(a, b)] += 1
    found: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for (a, b), c in pairs.items():
        if c < 2:
            continue
        for x, y in ((a, b), (b, a)):
            share = c / df[x]  # P(y | x)
            lift = share * n / df[y]
            if share >= 0.5 and lift >= 3:
                found[x].append((y, share))
    return {x: sorted(ys, key=lambda kv: (-kv[1], kv[0]))[:top] for x, ys in found.items()}


def related(engine: PriorArt, hub: Hub, graph: LineageGraph, limit: int = 5,
            kinds: Iterable[str] = ("project", "null-result")) -> dict[str, list[Suggestion]]:
    """Every project's related work: the same ranking as prior art, both directions in time."""
    out = {}
    kinds = tuple(kinds)
    for pid in sorted(hub.projects):
        p = proposal_of(hub, graph, pid)
        out[pid] = engine.suggest(Proposal(p.title, p.text, p.keywords, p.datasets, pid), limit, kinds)
    return out


def review(engine: PriorArt, hub: Hub, graph: LineageGraph, project_id: str, limit: int = 5) -> list[Suggestion]:
    """Prior art a proposal does not cite yet (what a reviewer would ask about)."""
    p = hub.projects[project_id]
    cited = set(p.prior_art)
    hits = engine.suggest(proposal_of(hub, graph, project_id), limit + len(cited))
    return [h for h in hits if h.key not in cited][:limit]


PROPOSAL_STATUSES = ("backlog",)  # and active projects at ideation


def is_proposal(status: str, stage: str | None) -> bool:
    """A project not started yet: the agenda of a prioritisation meeting."""
    return status in PROPOSAL_STATUSES or (status == "active" and stage == "ideation")


@dataclass(frozen=True)
class ProposalReview:
    """One proposal's nearest earlier work (null results first) and the people to ask."""

    project: str
    suggestions: tuple[Suggestion, ...]
    people: tuple[Expert, ...]


def people_to_ask(ex: Expertise, p: Proposal, hits: list[Suggestion], limit: int = 3,
                  exclude: Iterable[str] = ()) -> tuple[Expert, ...]:
    """The expert ranking (hubgen.analysis.experts) for the proposal, with the suggestions as its full-text
    evidence; `exclude` (the proposal's own people) are not sent to ask themselves."""
    query = " ".join((p.title, *p.keywords)).strip() or p.text[:200]
    text = {(h.kind, h.key): h.score for h in hits}
    skip = set(exclude)
    return tuple([e for e in rank(ex, query, text).experts if e.handle not in skip][:limit])


def proposals(engine: PriorArt, hub: Hub, graph: LineageGraph, ex: Expertise, limit: int = 5) -> list[ProposalReview]:
    """Every proposal with its prior art not cited yet, null results first, and people to ask."""
    out = []
    for pid in sorted(hub.projects):
        p = hub.projects[pid]
        if not is_proposal(p.status, p.stage):
            continue
        hits = review(engine, hub, graph, pid, limit)
        ordered = sorted(hits, key=lambda h: (not h.is_null_result, -h.score))
        own = [r.person for r in p.people]
        out.append(ProposalReview(pid, tuple(ordered), people_to_ask(ex, proposal_of(hub, graph, pid), hits, exclude=own)))
    return out


def expand_query(text: str, glossary: Mapping[str, Iterable[str]]) -> str:
    """A search query with each glossary name in it widened to its whole group (whoosh syntax).

    `churn model` with `churn: [attrition]` becomes `(churn OR attrition) model`: search and
    the expert ranking's full text meet the team's other words for the same thing.
    """
    groups: dict[str, list[str]] = {}
    for term, synonyms in glossary.items():
        group = [g for g in (term, *synonyms) if g and '"' not in g]
        if len(group) < 2:
            continue
        for name in group:
            groups.setdefault(name.lower(), group)
    if not groups:
        return text
    names = sorted(groups, key=len, reverse=True)
    pattern = re.compile(r"(?<![\w\"])(" + "|".join(re.escape(n) for n in names) + r")(?![\w\"])", re.IGNORECASE)

    def widen(found: re.Match[str]) -> str:
        return "(" + " OR ".join(f'"{g}"' if " " in g else g for g in groups[found.group(0).lower()]) + ")"

    return pattern.sub(widen, text)
