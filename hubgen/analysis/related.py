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

import numpy as np

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
    Scores accumulate in one numpy array (reset where touched), in the same
    order of terms as a plain loop would, so results do not depend on it.
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
    members: dict[str, list[int]] = defaultdict(list)
    for i, vec in enumerate(vectors):
        for term in vec:
            if term in idf:
                members[term].append(i)
    postings = {t: (np.array(ids, dtype=np.int64), np.array([vectors[j][t] for j in ids]))
                for t, ids in members.items()}
    own: dict[str, list[int]] = defaultdict(list)  # a project's own null results: listed on its page already
    for j, d in enumerate(pool):
        if d.project:
            own[d.project].append(j)
    scores = np.zeros(len(pool))
    out: dict[str, list[tuple[SearchDoc, float]]] = {}
    for i, d in enumerate(pool):
        if d.kind != "project":
            continue
        mine = vectors[i]
        budget = POSTINGS_BUDGET
        touched = []
        for term in sorted((t for t in mine if t in idf), key=lambda t: (df[t], t)):
            ids, weights = postings[term]
            if len(ids) > budget:
                continue
            budget -= len(ids)
            scores[ids] += (mine[term] * idf[term] ** 2) * weights
            touched.append(ids)
        if not touched:
            out[d.key] = []
            continue
        candidates = np.unique(np.concatenate(touched))
        scores[i] = 0.0
        scores[own.get(d.key, [])] = 0.0
        values = scores[candidates]
        keep = values > 0
        if keep.sum() > limit:  # only ties with the limit-th best can still reach the top
            keep &= values >= np.partition(values, len(values) - limit)[len(values) - limit]
        chosen = [(int(j), float(v)) for j, v in zip(candidates[keep], values[keep])]
        scores[candidates] = 0.0
        norm = math.sqrt(sum((w * idf.get(t, 0)) ** 2 for t, w in mine.items())) or 1.0
        chosen.sort(key=lambda kv: (-kv[1], pool[kv[0]].kind, pool[kv[0]].key))
        out[d.key] = [(pool[j], round(score / norm, 3)) for j, score in chosen[:limit]]
    return out
