"""What changed in the hub, dated by the records themselves.

Feeds the "What's new" page and `feed.xml`. Only dates written in the records
count (a project's start, stage changes and end; a null result's date; a
discussion's date and messages), never the build's clock, so the same
commit always gives the same feed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from hubgen.model import Hub

ENDINGS = {
    "delivered": "Delivered",
    "cancelled": "Cancelled",
    "retired": "Retired",
    "null-result": "Ended as a null result",
}


@dataclass(frozen=True)
class NewsItem:
    kind: str  # "project", "null-result" or "discussion"
    key: str  # project id, null-result id, or project/discussion id
    title: str
    event: str  # what happened on `updated`, e.g. "Started", "Moved to validation", "Decided"
    updated: date  # the latest dated event
    published: date  # the first
    summary: str
    people: tuple[str, ...]  # handles: leads, authors or participants


def _project_items(hub: Hub, today: date) -> list[NewsItem]:
    out = []
    for p in hub.projects.values():
        # (date, priority, event): on the same day an ending beats a stage change beats the start
        events = []
        stages = sorted(p.stage_history, key=lambda e: e.date)
        start = p.started or (stages[0].date if stages else None)
        if start:
            events.append((start, 0, "Started"))
        for entry in stages:
            if start is not None and entry.date > start:  # the first stage is the start
                events.append((entry.date, 1, f"Moved to {entry.stage}"))
        if p.ended:
            events.append((p.ended, 2, ENDINGS.get(p.status, "Ended")))
        events = [e for e in events if e[0] <= today]
        if not events:
            continue
        latest = max(events)
        out.append(NewsItem("project", p.id, p.title, latest[2], latest[0], min(events)[0], p.summary, p.leads))
    return out


def news(hub: Hub, today: date) -> list[NewsItem]:
    """New and updated projects, null results and decided discussions, newest first."""
    items = _project_items(hub, today)
    for n in hub.null_results.values():
        if n.date <= today:
            items.append(NewsItem("null-result", n.id, n.title, "Null result", n.date, n.date, n.outcome, n.authors))
    for d in hub.discussions.values():
        if d.status != "decided":
            continue
        dates = [x for x in (d.date, *(m.date for m in d.messages)) if x is not None and x <= today]
        if not dates:
            continue
        items.append(
            NewsItem("discussion", d.key, d.title, "Decided", max(dates), min(dates), d.decision or "", d.participants)
        )
    return sorted(items, key=lambda i: (-i.updated.toordinal(), i.kind, i.key))
