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

import dataclasses
import itertools
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from whoosh.lang.porter import stem as _porter

from hubgen.analysis.experts import Expert, Expertise, rank
from hubgen.analysis.health import PLACEHOLDER
from hubgen.analysis.lineage import LineageGraph
from hubgen.model import Hub

KINDS = ("project", "null-result", "discussion", "asset")
_WORD = re.compile(r"[a-z0-9]+")
STOP = frozenset(
    """
a about above after again against all also am an and any are as at be because been before being below between both
but by can could did do does doing down during each few for from further had has have having he her here hers him
his how i if in into is it its itself just me more most my no nor not now of off on once only or other our ours out
over own same she should so some such than that the their them then there these they this those through to too
under until up very was we were what when where which while who whom why will with would you your yours
v1 v2 v3 v4 new using use used based via per project projects model models data work todo tbd etc e g eg ie
""".split()
)

# Field weights: the title says what the work is; tags and domains are the author's own keywords.
TITLE, KEYWORD, TEXT = 3.0, 2.0, 1.0
PAIR = 0.7  # an adjacent pair of words, relative to a single word
EXPAND = 0.25  # a co-occurring term, relative to the query term it comes from
DATASET = 0.35  # a shared consumed dataset (the rarest one in the hub), added to the cosine
CITED = 0.5  # cited by a similar record: share of that record's score
COCITED = 0.3  # cited together with a similar record
# A short record (an asset named in lineage) matches a short query too easily: what it is worth
# next to a written-up project or null result.
KIND_WEIGHT = {"project": 1.0, "null-result": 1.0, "discussion": 0.8, "asset": 0.6}
FLOOR = 0.05  # ... and never a higher bar than this score
QUERY_TERMS = 48  # a query's heaviest terms, after the co-occurring ones join
MIN_SHARE = 0.2  # a suggestion scoring under this share of the best one is noise, not prior art
DF_CAP_SHARE, DF_CAP_MIN = 0.1, 200  # terms in more records than this share (and this many) say little


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
                canon = self.phrases.get(tuple(words[end - n + 1 : end + 1]))
                if canon is not None:
                    out[end] = (*out[end], canon)
                    break
        return out


def _field_terms(
    text: str,
    weight: float,
    glossary: Glossary,
    into: dict[str, float],
    surface: dict[str, str] | None = None,
    pairs: bool = True,
) -> None:
    if not text:
        return
    raw = [w for w in _WORD.findall(text.lower()) if w not in STOP and len(w) > 1 and not w.isdigit()]
    words = [_stem(w) for w in raw]
    if surface is not None:
        for w, r in zip(words, raw):
            surface.setdefault(w, r)
    if not glossary.phrases:
        for w in words:
            into[w] += weight
        if pairs:
            for a, b in itertools.pairwise(words):
                if a != b:
                    into[f"{a} {b}"] += weight * PAIR
        return
    prev: tuple[str, ...] = ()
    for alts in glossary.apply(words):
        for t in alts:
            into[t] += weight
        if pairs:
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
    record: bool = False  # it is `project` as written in the hub: its indexed words stand for it
    skip: frozenset[str] = frozenset()  # project ids not to suggest (shown elsewhere on its page)


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


@dataclass(frozen=True)
class _Postings:
    """Term -> (records, weights) as one CSR array: a block of queries is scored in a few numpy calls.

    Terms in more than `cap` records are left out (rare enough to say something, cheap enough at
    10,000 projects); the same rule for one query and for a block, so the ranking is one.
    """

    term_ids: dict[str, int]
    indptr: np.ndarray
    docs: np.ndarray
    weights: np.ndarray

    def product(self, queries: list[dict[str, float]], n_docs: int) -> np.ndarray:
        """Scores (queries × records): each query's weights times the records' weights, summed per record."""
        rows, terms, values = [], [], []
        for i, q in enumerate(queries):
            for t, w in q.items():
                tid = self.term_ids.get(t)
                if tid is not None:
                    rows.append(i)
                    terms.append(tid)
                    values.append(w)
        out = np.zeros(len(queries) * n_docs)
        if terms:
            tids = np.array(terms, dtype=np.int64)
            starts, counts = self.indptr[tids], self.indptr[tids + 1] - self.indptr[tids]
            total = int(counts.sum())
            if total:
                pos = np.repeat(starts - (np.cumsum(counts) - counts), counts) + np.arange(total)
                flat = np.repeat(np.array(rows, dtype=np.int64), counts) * n_docs + self.docs[pos]
                out = np.bincount(
                    flat,
                    weights=np.repeat(np.array(values), counts) * self.weights[pos],
                    minlength=len(queries) * n_docs,
                ).astype(float)
        return out.reshape(len(queries), n_docs)

    @classmethod
    def of(cls, vectors: list[dict[str, float]], cap: int) -> _Postings:
        df: Counter[str] = Counter(t for vec in vectors for t in vec)
        kept = sorted(t for t, c in df.items() if c <= cap)
        term_ids = {t: i for i, t in enumerate(kept)}
        tids, docs, weights = [], [], []
        for j, vec in enumerate(vectors):
            for t, w in vec.items():
                tid = term_ids.get(t)
                if tid is not None:
                    tids.append(tid)
                    docs.append(j)
                    weights.append(w)
        order = np.argsort(np.array(tids, dtype=np.int64), kind="stable")
        counts = np.bincount(np.array(tids, dtype=np.int64), minlength=len(kept))
        indptr = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
        return cls(term_ids, indptr, np.array(docs, dtype=np.int64)[order], np.array(weights)[order])


@dataclass
class PriorArt:
    """The hub's records as weighted term vectors with postings, built once per (cut) hub."""

    docs: list[_Doc]
    vectors: list[dict[str, float]]
    idf: dict[str, float]
    postings: _Postings
    glossary: Glossary
    cooccur: dict[str, list[tuple[str, float]]]
    dataset_idf: dict[str, float]
    cocited: dict[int, Counter[int]]
    surface: dict[str, str]
    index: dict[tuple[str, str], int] = field(default_factory=dict)
    queries: dict[str, dict[str, float]] = field(default_factory=dict)  # project id -> its words as a query

    def vector(self, p: Proposal) -> dict[str, float]:
        """The proposal's weighted words (title, text, keywords; not a README's long text)."""
        if p.record and p.project in self.queries:
            return dict(self.queries[p.project])
        raw: dict[str, float] = defaultdict(float)
        _field_terms(p.title, TITLE, self.glossary, raw)
        _field_terms(p.text, TEXT, self.glossary, raw)
        for k in p.keywords:
            _keyword_terms(k, self.glossary, raw)
        return _weigh(raw, self.idf)

    def suggest(self, p: Proposal, limit: int = 10, kinds: Iterable[str] = KINDS) -> list[Suggestion]:
        """The best `limit` earlier records for `p`, best first, each with why."""
        return self.suggest_many([p], limit, kinds)[0]

    def suggest_many(
        self, proposals: list[Proposal], limit: int = 10, kinds: Iterable[str] = KINDS, block: int = 256
    ) -> list[list[Suggestion]]:
        """`suggest` for many proposals at once: the word scores of a block in one sparse product."""
        kinds = tuple(kinds)
        out: list[list[Suggestion]] = []
        for start in range(0, len(proposals), block):
            chunk = proposals[start : start + block]
            queries = [self._query(p) for p in chunk]
            matrix = self.postings.product([q for q, _ in queries], len(self.docs))
            for p, (q, asked), row in zip(chunk, queries, matrix):
                out.append(self._finish(p, q, asked, row, limit, kinds))
        return out

    def _query(self, p: Proposal) -> tuple[dict[str, float], set[str]]:
        q = self.vector(p)
        asked = set(q)
        for term, weight in list(q.items()):  # the hub's own co-occurrence: weak, from key terms only
            for other, strength in self.cooccur.get(term, ()):
                q[other] = max(q.get(other, 0.0), weight * EXPAND * strength)
        norm = math.sqrt(sum(w * w for w in q.values())) or 1.0
        if len(q) > QUERY_TERMS:  # the heaviest terms carry the match; the tail costs time, not ranking
            q = dict(sorted(q.items(), key=lambda kv: (-kv[1], kv[0]))[:QUERY_TERMS])
        return {t: w / norm for t, w in q.items()}, asked

    def _finish(
        self, p: Proposal, q: dict[str, float], asked: set[str], scores: np.ndarray, limit: int, kinds: tuple[str, ...]
    ) -> list[Suggestion]:
        best_ds = max(self.dataset_idf.values(), default=1.0)
        for ds in p.datasets:
            holders = self._datasets.get(ds)
            if holders is not None:  # a shared common dataset says little: weighed by its rarity, squared
                scores[holders] += DATASET * (self.dataset_idf.get(ds, best_ds) / best_ds) ** 2
        excluded = self._owned.get(p.project or "", _NONE)
        if p.skip:
            excluded = np.concatenate(
                [
                    excluded,
                    np.array(
                        [self.index[("project", k)] for k in sorted(p.skip) if ("project", k) in self.index],
                        dtype=np.int64,
                    ),
                ]
            )
        scores[excluded] = 0.0
        reasons: dict[int, list[str]] = defaultdict(list)
        base = scores.copy()
        for j in _top(base, 10):  # what similar records cite, and what is cited together with them
            s = float(base[j])
            for cited in self.docs[j].cites:
                i = self.index.get(("project", cited))
                if i is not None:
                    scores[i] += CITED * s
                    reasons[i].append(f"cited by similar {self.docs[j].kind} {self.docs[j].key}")
            for i, n in self.cocited.get(j, {}).items():
                scores[i] += COCITED * s * min(n, 3) / 3
                reasons[i].append(f"cited together with {self.docs[j].key}")
        scores[excluded] = 0.0
        scores *= self._kind_weight
        scores[~self._kind_mask(kinds)] = 0.0
        if p.before:
            scores[self._when > p.before.toordinal()] = 0.0
        # noise: under a fifth of the best (a near-duplicate at the top does not hide the rest)
        floor = min(MIN_SHARE * float(scores.max()), FLOOR) if len(scores) else 0.0
        out = []
        for j in _top(scores, limit):
            if scores[j] < floor:
                break
            d = self.docs[j]
            vec = self.vectors[j]
            shared = sorted(((w * vec[t], t) for t, w in q.items() if t in asked and t in vec), reverse=True)
            why = self._why(d, shared, p) + [f"same data source: {ds}" for ds in sorted(p.datasets & d.datasets)]
            out.append(
                Suggestion(
                    d.kind,
                    d.key,
                    d.title,
                    round(float(scores[j]), 3),
                    tuple(dict.fromkeys(why + reasons[j])),
                    d.status,
                    d.detail,
                )
            )
        return out

    @property
    def _datasets(self) -> dict[str, np.ndarray]:
        return self._cached("_ds", lambda: _group((ds, j) for j, d in enumerate(self.docs) for ds in d.datasets))

    @property
    def _owned(self) -> dict[str, np.ndarray]:
        """Project id -> its own records (itself, its null results and discussions): never its own prior art."""
        return self._cached("_own", lambda: _group((d.project, j) for j, d in enumerate(self.docs) if d.project))

    @property
    def _kind_weight(self) -> np.ndarray:
        return self._cached("_kw", lambda: np.array([KIND_WEIGHT.get(d.kind, 1.0) for d in self.docs]))

    @property
    def _when(self) -> np.ndarray:
        """Each record's date as an ordinal (0 when undated: undated work is never "later")."""
        return self._cached(
            "_when", lambda: np.array([d.when.toordinal() if d.when else 0 for d in self.docs], dtype=np.int64)
        )

    def _kind_mask(self, kinds: tuple[str, ...]) -> np.ndarray:
        return self._cached(("_kinds", kinds), lambda: np.array([d.kind in kinds for d in self.docs], dtype=bool))

    def _cached(self, key, make):  # lazily built arrays, kept with the engine
        cache = self.__dict__.setdefault("_arrays", {})
        if key not in cache:
            cache[key] = make()
        return cache[key]

    def _why(self, d: _Doc, shared: list[tuple[float, str]], p: Proposal) -> list[str]:
        out = []
        domains = sorted({k for k in d.keywords if k.lower() in {x.lower() for x in p.keywords}})
        if domains:
            out.append("same domains, tags or tools: " + ", ".join(domains[:4]))
        words: list[str] = []
        said = {t for k in domains for t in tokens(k.split("==")[0].replace("-", " "))}  # named as a keyword already
        for _, term in shared:  # best first; a pair stands for its words ("customer service", not also "service")
            parts = set(term.split(" "))
            if term.startswith("#") or parts <= said or any(parts <= set(w.split(" ")) for w in words):
                continue
            words = [w for w in words if not set(w.split(" ")) <= parts] + [term]
            if len(words) == 4:
                break
        if words:
            out.append("shared problem terms: " + ", ".join(self._show(t) for t in words))
        return out

    def _show(self, term: str) -> str:
        """A term as people wrote it: stems back to a word seen, glossary terms named as such."""
        parts = [p[1:].replace("_", " ") if p.startswith("=") else self.surface.get(p, p) for p in term.split(" ")]
        return " ".join(parts) + (" (glossary)" if "=" in term else "")


_NONE = np.zeros(0, dtype=np.int64)


def _top(scores: np.ndarray, k: int) -> list[int]:
    """Indexes of the `k` best positive scores, best first (ties by index: stable)."""
    if k <= 0 or not len(scores):
        return []
    if len(scores) > k:
        part = np.argpartition(-scores, k - 1)[:k]
        cut = scores[part].min()
        part = np.flatnonzero(scores >= cut)  # every tie with the k-th, so the order does not depend on partitioning
    else:
        part = np.arange(len(scores))
    order = sorted(part.tolist(), key=lambda j: (-scores[j], j))
    return [j for j in order[:k] if scores[j] > 0]


def _group(pairs: Iterable[tuple[str, int]]) -> dict[str, np.ndarray]:
    out: dict[str, list[int]] = defaultdict(list)
    for key, j in pairs:
        out[key].append(j)
    return {k: np.array(v, dtype=np.int64) for k, v in out.items()}


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
    parts = [
        f"tried: {approach.strip()}" if approach else "",
        f"found: {outcome.strip()}" if outcome else "",
        f"why: {reason}" if reason else "",
    ]
    return "; ".join(x for x in parts if x)[:300]


def proposal_of(hub: Hub, graph: LineageGraph, project_id: str) -> Proposal:
    """A project as a proposal: its own words, keywords and consumed datasets."""
    p = hub.projects[project_id]
    return Proposal(
        p.title,
        _written(p.summary, p.problem, p.objective),
        p.tags + p.domains + p.tools,
        _consumed(graph, p.id, p.data_sources),
        p.id,
        p.started,
        True,
    )


def _written(*texts: str | None) -> str:
    """The texts the author wrote: the template's placeholder sentences (`TODO: …`) say nothing of the work."""
    return "\n".join(t for t in texts if t and PLACEHOLDER not in t)


def _consumed(graph: LineageGraph, project_id: str, data_sources: tuple[str, ...] = ()) -> frozenset[str]:
    refs = {k for k in graph.consumes.get(f"project:{project_id}", ()) if not k.startswith("project:")}
    refs |= {s.split("@")[0] for s in data_sources if ":" in s and not s.startswith(("http:", "https:"))}
    return frozenset(refs)


def build(hub: Hub, graph: LineageGraph) -> PriorArt:  # noqa: C901 (one add() per record kind, read top to bottom)
    """Index every project, null result, decided discussion and asset of the hub."""
    glossary = Glossary.from_settings(hub.settings.glossary)
    surface: dict[str, str] = {}
    docs: list[_Doc] = []
    query_raws: dict[str, dict[str, float]] = {}
    raws: list[dict[str, float]] = []
    keys: list[set[str]] = []  # title and keyword unigrams: the vocabulary of co-occurrence

    def add(doc: _Doc, title: str, text: str) -> None:
        raw: dict[str, float] = defaultdict(float)
        _field_terms(title, TITLE, glossary, raw, surface)
        _field_terms(text, TEXT, glossary, raw, surface)
        for k in doc.keywords:
            _keyword_terms(k, glossary, raw)
        if doc.kind == "project":
            query_raws[doc.key] = raw
        docs.append(doc)
        raws.append(raw)
        key_terms: dict[str, float] = defaultdict(float)
        _field_terms(title, 1.0, glossary, key_terms)
        for k in doc.keywords:
            _field_terms(k.replace("-", " "), 1.0, glossary, key_terms)
        keys.append({t for t in key_terms if " " not in t})

    for p in sorted(hub.projects.values(), key=lambda p: p.id):
        detail = p.summary.strip()[:300] if p.status == "null-result" else ""  # what was tried, in its own words
        add(
            _Doc(
                "project",
                p.id,
                p.title,
                p.status,
                p.started or p.ended,
                p.id,
                detail,
                p.tags + p.domains + p.tools,
                _consumed(graph, p.id, p.data_sources)
                | frozenset(k for k in graph.produces.get(f"project:{p.id}", ()) if not k.startswith("project:")),
                tuple(c for c in p.prior_art if c in hub.projects),
            ),
            p.title,
            _written(p.summary, p.problem, p.objective),
        )  # no README: it adds words, not precision (measured)
    for nr in sorted(hub.null_results.values(), key=lambda n: n.id):
        add(
            _Doc(
                "null-result",
                nr.id,
                nr.title,
                "null-result",
                nr.date,
                nr.project or "",
                _null_detail(nr.approach, nr.outcome, nr.reason),
                nr.tags,
                frozenset(),
                (),
            ),
            nr.title,
            "\n".join(x for x in (nr.hypothesis, nr.approach, nr.outcome) if x),
        )
    for th in sorted(hub.discussions.values(), key=lambda d: d.key):
        if th.status != "decided":  # an open thread has not settled anything yet
            continue
        add(
            _Doc(
                "discussion",
                th.key,
                th.title,
                "decided",
                th.when,
                th.project,
                (th.decision or "")[:300],
                (th.topic,) if th.topic else (),
                frozenset(),
                (),
            ),
            th.title,
            "\n".join(x for x in (th.decision, th.context) if x),
        )
    for key, use in sorted(graph.assets.items()):
        if key.startswith("job:"):
            continue
        asset = hub.assets.get(key)
        title = (asset.title if asset else None) or (hub.facts[key].title if key in hub.facts else None) or key
        text = (asset.description if asset else None) or ""
        add(
            _Doc(
                "asset",
                key,
                title,
                "",
                use.last_used,
                "",
                f"reused by {use.reuse}",
                asset.tags if asset else (),
                frozenset({key}),
                (),
            ),
            title + " " + key.split(":", 1)[1].replace("-", " ").replace("_", " "),
            text,
        )

    n = max(len(docs), 1)
    df: Counter[str] = Counter()
    for raw in raws:
        df.update(raw.keys())
    idf = {t: math.log(1 + n / c) for t, c in df.items() if c < n or n < 3}
    vectors = [_weigh(raw, idf) for raw in raws]
    postings = _Postings.of(vectors, max(DF_CAP_MIN, int(n * DF_CAP_SHARE)))
    index = {(d.kind, d.key): i for i, d in enumerate(docs)}
    cocited: dict[int, Counter[int]] = defaultdict(Counter)
    for d in docs:  # co-citation: cited together in one record's prior_art
        cited = [index[("project", c)] for c in d.cites if ("project", c) in index]
        for c in cited:
            for other in cited:
                if other != c:
                    cocited[c][other] += 1
    ds_df = Counter(ds for d in docs if d.kind != "asset" for ds in d.datasets)
    dataset_idf = {ds: math.log(1 + n / c) for ds, c in ds_df.items()}
    queries = {pid: _weigh(raw, idf) for pid, raw in query_raws.items()}
    return PriorArt(
        docs,
        vectors,
        idf,
        postings,
        glossary,
        _cooccurrence(keys, len(docs)),
        dataset_idf,
        cocited,
        surface,
        index,
        queries,
    )


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
            for b in ordered[i + 1 :]:
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


def related(
    engine: PriorArt, hub: Hub, graph: LineageGraph, limit: int = 5, kinds: Iterable[str] = ("project", "null-result")
) -> dict[str, list[Suggestion]]:
    """Every project's related work: the same ranking as prior art, both directions in time; projects the
    page lists as upstream or downstream already are left out (as its own null results are)."""
    ids = sorted(hub.projects)
    asked = [dataclasses.replace(proposal_of(hub, graph, pid), before=None, skip=_linked(graph, pid)) for pid in ids]
    return dict(zip(ids, engine.suggest_many(asked, limit, tuple(kinds))))


def _linked(graph: LineageGraph, project_id: str) -> frozenset[str]:
    """Projects one lineage hop up or down: the page lists them as dependencies already."""
    node = f"project:{project_id}"
    near = (*graph.upstream.get(node, ()), *graph.downstream.get(node, ()))
    return frozenset(n.split(":", 1)[1] for n in near if n.startswith("project:"))


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


def people_to_ask(
    ex: Expertise, p: Proposal, hits: list[Suggestion], limit: int = 3, exclude: Iterable[str] = ()
) -> tuple[Expert, ...]:
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
        out.append(
            ProposalReview(pid, tuple(ordered), people_to_ask(ex, proposal_of(hub, graph, pid), hits, exclude=own))
        )
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
