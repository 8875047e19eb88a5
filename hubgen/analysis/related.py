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

POSTINGS_BUDGET = 2000
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
    """project id -> [(related project or null-result document, score)], best first.

    Each project scores the others through the postings of its terms, rarest
    first, within a budget of POSTINGS_BUDGET postings; a term too common to
    afford is skipped whole. The pass is then linear in the number of projects.
    """
    pool = [d for d in docs if d.kind in ("project", "null-result")]
    vectors = [_terms(d) for d in pool]
    df: dict[str, int] = defaultdict(int)
    for vec in vectors:
        for term in vec:
            df[term] += 1
    n = max(len(pool), 1)
    cap = max(3, n // 5)
    idf = {t: math.log(1 + n / c) for t, c in df.items() if c <= cap}
    postings: dict[str, list[int]] = defaultdict(list)
    for i, vec in enumerate(vectors):
        for term in vec:
            if term in idf:
                postings[term].append(i)
    out: dict[str, list[tuple[SearchDoc, float]]] = {}
    for i, d in enumerate(pool):
        if d.kind != "project":
            continue
        mine = vectors[i]
        scores: dict[int, float] = defaultdict(float)
        budget = POSTINGS_BUDGET
        for term in sorted((t for t in mine if t in idf), key=lambda t: (df[t], t)):
            if len(postings[term]) > budget:
                continue
            budget -= len(postings[term])
            weight = mine[term] * idf[term] ** 2
            for j in postings[term]:
                other = pool[j]
                if j != i and other.project != d.key:  # its own null results are listed already
                    scores[j] += weight * vectors[j][term]
        norm = math.sqrt(sum((w * idf.get(t, 0)) ** 2 for t, w in mine.items())) or 1.0
        ranked = sorted(scores.items(), key=lambda kv: (-kv[1], pool[kv[0]].kind, pool[kv[0]].key))
        out[d.key] = [(pool[j], round(score / norm, 3)) for j, score in ranked[:limit] if score > 0]
    return out
