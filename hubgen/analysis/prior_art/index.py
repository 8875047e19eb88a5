"""Building the prior-art index from a hub, and the related work and reviews it answers."""

from __future__ import annotations

import dataclasses
import math
from collections import Counter, defaultdict
from collections.abc import Iterable

from hubgen.analysis.health import PLACEHOLDER
from hubgen.analysis.lineage import LineageGraph
from hubgen.analysis.prior_art.engine import (
    DF_CAP_MIN,
    DF_CAP_SHARE,
    PriorArt,
    Proposal,
    Suggestion,
    _Doc,
    _Postings,
    _weigh,
)
from hubgen.analysis.prior_art.text import TEXT, TITLE, Glossary, _field_terms, _keyword_terms
from hubgen.model import Hub


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
    raws: list[dict[str, float]] = []
    keys: list[set[str]] = []  # title and keyword unigrams: the vocabulary of co-occurrence

    def add(doc: _Doc, title: str, text: str) -> None:
        raw: dict[str, float] = defaultdict(float)
        _field_terms(title, TITLE, glossary, raw, surface)
        _field_terms(text, TEXT, glossary, raw, surface)
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
        detail = p.summary.strip()[:300] if p.status == "null-result" else ""  # what was tried, in its own words
        outputs = frozenset(k for k in graph.produces.get(f"project:{p.id}", ()) if not k.startswith("project:"))
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
                _consumed(graph, p.id, p.data_sources) | outputs,
                tuple(c for c in p.prior_art if c in hub.projects),
                outputs,
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
