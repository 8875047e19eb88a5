"""The prior-art index and its ranking (`PriorArt.suggest`): postings, weights, and what a suggestion says."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from hubgen.analysis.prior_art.text import TEXT, TITLE, Glossary, _field_terms, _keyword_terms, tokens

KINDS = ("project", "null-result", "discussion", "asset")
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
    outputs: frozenset[str] = frozenset()  # asset keys it produces (projects): said apart in `why`
    # (weighing a producer above other holders of the dataset was tried: no better on either benchmark hub)


@dataclass(frozen=True)
class _Postings:
    """Term -> (records, weights) as one CSR array: a block of queries is scored in a few numpy calls.

    Terms in more than `cap` records are left out (rare enough to say something, cheap enough at
    10,000 projects); the same rule for one query and for a block, so the ranking is one.
    """

    term_ids: Mapping[str, int]
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

    docs: Sequence[_Doc]
    vectors: Sequence[Mapping[str, float]]  # a project's is also its words as a query
    idf: Mapping[str, float]
    postings: _Postings
    glossary: Glossary
    cooccur: dict[str, list[tuple[str, float]]]
    dataset_idf: dict[str, float]
    cocited: dict[int, Counter[int]]
    surface: dict[str, str]
    index: Mapping[tuple[str, str], int] = field(default_factory=dict)

    def vector(self, p: Proposal) -> dict[str, float]:
        """The proposal's weighted words (title, text, keywords; not a README's long text)."""
        own = self.index.get(("project", p.project)) if p.record and p.project else None
        if own is not None:
            return dict(self.vectors[own])
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
            why = (
                self._why(d, shared, p)
                + [f"its output is a data source: {ds}" for ds in sorted(p.datasets & d.outputs)]
                + [f"same data source: {ds}" for ds in sorted((p.datasets & d.datasets) - d.outputs)]
            )
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

    @property
    def _kinds(self) -> np.ndarray:
        return self._cached("_kinds", lambda: np.array([d.kind for d in self.docs], dtype=str))

    def _kind_mask(self, kinds: tuple[str, ...]) -> np.ndarray:
        return self._cached(("_kinds", kinds), lambda: np.isin(self._kinds, list(kinds)))

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


def _weigh(raw: Mapping[str, float], idf: Mapping[str, float]) -> dict[str, float]:
    """Sublinear term weight × idf, unit length; terms unknown to the hub are dropped."""
    out = {t: (1 + math.log(w) if w > 1 else w) * idf[t] for t, w in raw.items() if t in idf}
    norm = math.sqrt(sum(v * v for v in out.values())) or 1.0
    return {t: v / norm for t, v in out.items()}
