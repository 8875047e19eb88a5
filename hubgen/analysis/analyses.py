"""Every cross-page analysis of one audience's hub, run once per build and handed to the renderers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from hubgen import collector
from hubgen.analysis import prior_art
from hubgen.analysis.browse import Browse, browse
from hubgen.analysis.documents import SearchDoc, search_documents
from hubgen.analysis.experts import Expertise, expertise
from hubgen.analysis.explorer import Impacts, Walk, walk_edges
from hubgen.analysis.lineage import LineageGraph, build_graph
from hubgen.analysis.relations import Relations, relate
from hubgen.analysis.reuse import ReuseReport, reuse_report
from hubgen.model import Hub


@dataclass
class Analyses:
    relations: Relations
    lineage: LineageGraph
    documents: list[SearchDoc]
    related: dict[str, list[prior_art.Suggestion]]  # project id -> related work (the prior-art ranking)
    reuse: ReuseReport
    experts: Expertise
    portfolio: Any = None  # hubgen.analysis.portfolio.Portfolio (pandas: imported only when used)
    walk: Walk | None = None  # the lineage explorer's edges
    impacts: Impacts | None = None  # impact at a glance, per asset
    engine: prior_art.PriorArt | None = None  # the prior-art engine, for anything asked after the build
    proposals: dict[str, prior_art.ProposalReview] = field(default_factory=dict)  # ideation and backlog projects
    browse: Browse | None = None  # teams, tags and tools


def analyse(hub: Hub, today: date) -> Analyses:
    """Every cross-page analysis of a hub (already restricted to the audience), once; `today` is the
    reference date for recency. The lineage graph is built here and handed to each analysis."""
    with collector.paused():  # long-lived term vectors and evidence: see hubgen.collector
        return _analyse(hub, today)


def _analyse(hub: Hub, today: date) -> Analyses:
    docs = search_documents(hub)
    graph = build_graph(hub)
    from hubgen.analysis import portfolio

    engine = prior_art.build(hub, graph)
    ex = expertise(hub, graph, today)
    return Analyses(
        relate(hub),
        graph,
        docs,
        prior_art.related(engine, hub, graph),
        reuse_report(hub, graph),
        experts=ex,
        portfolio=portfolio.analyse(hub, today, graph),
        engine=engine,
        proposals={r.project: r for r in prior_art.proposals(engine, hub, graph, ex)},
        walk=walk_edges(graph),
        impacts=Impacts(hub, graph),
        browse=browse(hub, graph),
    )
