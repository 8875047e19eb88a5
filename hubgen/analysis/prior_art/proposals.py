"""Proposals (backlog, and active projects at ideation) with the prior art each should review and
the people to ask."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from hubgen.analysis.experts import Expert, Expertise, rank
from hubgen.analysis.lineage import LineageGraph
from hubgen.analysis.prior_art.engine import PriorArt, Proposal, Suggestion
from hubgen.analysis.prior_art.index import proposal_of, review
from hubgen.model import Hub

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
    return rank(ex, query, text, limit=limit, exclude=exclude).experts


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
