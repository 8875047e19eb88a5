"""Related work: for each project, the most similar other projects and null results.

Similarity is TF-IDF over the same search documents the index holds: tags,
domains and tools count double, title words once. Terms carried by more than
a fifth of the hub say little and are skipped, which also keeps the pass near
linear at 10,000 projects.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict

from hubgen.analysis.documents import SearchDoc

STOP = frozenset("a an and for from in of on the to with by at is are was model models project data v1 v2 v3".split())
_WORD = re.compile(r"[a-z0-9]+")


def _terms(doc: SearchDoc) -> dict[str, float]:
    weights: dict[str, float] = defaultdict(float)
    for tag in doc.tags:
        weights["#" + tag.lower().split("==")[0]] += 2.0
    for word in _WORD.findall(doc.title.lower()):
        if word not in STOP and len(word) > 2:
            weights[word] += 1.0
    return weights


def related_work(docs: list[SearchDoc], limit: int = 5) -> dict[str, list[tuple[SearchDoc, float]]]:
    """project id -> [(related project or null-result document, score)], best first."""
    pool = [d for d in docs if d.kind in ("project", "null-result")]
    vectors = {id(d): _terms(d) for d in pool}
    df: dict[str, int] = defaultdict(int)
    for vec in vectors.values():
        for term in vec:
            df[term] += 1
    n = max(len(pool), 1)
    cap = max(3, n // 5)
    idf = {t: math.log(1 + n / c) for t, c in df.items() if c <= cap}
    postings: dict[str, list[SearchDoc]] = defaultdict(list)
    for d in pool:
        for term in vectors[id(d)]:
            if term in idf:
                postings[term].append(d)
    out: dict[str, list[tuple[SearchDoc, float]]] = {}
    for d in pool:
        if d.kind != "project":
            continue
        mine = vectors[id(d)]
        scores: dict[int, float] = defaultdict(float)
        by_id: dict[int, SearchDoc] = {}
        for term, w in mine.items():
            if term not in idf:
                continue
            for other in postings[term]:
                if other is d or other.project == d.key:  # its own null results are listed already
                    continue
                scores[id(other)] += w * vectors[id(other)][term] * idf[term] ** 2
                by_id[id(other)] = other
        norm = math.sqrt(sum((w * idf.get(t, 0)) ** 2 for t, w in mine.items())) or 1.0
        ranked = sorted(scores.items(), key=lambda kv: (-kv[1], by_id[kv[0]].kind, by_id[kv[0]].key))
        out[d.key] = [(by_id[i], round(s / norm, 3)) for i, s in ranked[:limit] if s > 0]
    return out
