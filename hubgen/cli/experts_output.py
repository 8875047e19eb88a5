"""`hubgen experts` output: the ranking as JSON and as terminal lines (with --explain)."""

from __future__ import annotations

from typing import Any

from hubgen import urls
from hubgen.analysis.experts import Evidence, Expertise, Ranking, TopicMatch
from hubgen.analysis.experts.results import EXPLAIN_MIN


def _evidence_json(e: Evidence) -> dict[str, Any]:
    return {
        "kind": e.kind,
        "key": e.key,
        "title": e.title,
        "url": e.url,
        "role": e.role,
        "date": e.date.isoformat() if e.date else None,
        "ongoing": e.ongoing,
        "weight": round(e.weight, 4),
        "match": round(e.match, 4),
        "score": round(e.score, 4),
        "detail": e.detail,
        "versions": list(e.versions),
    }


def ranking_json(r: Ranking, ex: Expertise, audience: str) -> dict[str, Any]:
    """`hubgen experts --json`: the ranking with every piece of evidence."""
    return {
        "query": r.query,
        "audience": audience,
        "reference_date": ex.today.isoformat(),
        "latest": r.latest,
        "full_text": r.text_used,
        "topics": [
            {
                "name": m.name,
                "slug": m.slug,
                "url": urls.url("topic", m.slug) if m.slug else None,
                "version": m.version,
                "at_least": m.at_least,
                "versions_known": list(ex.topics[m.slug].versions) if m.slug else [],
            }
            for m in r.matches
        ],
        "experts": [
            {
                "rank": i,
                "handle": e.handle,
                "name": e.name,
                "alumni": e.alumni,
                "score": round(e.score, 4),
                "url": e.url,
                "evidence": [_evidence_json(x) for x in e.evidence],
            }
            for i, e in enumerate(r.experts, 1)
        ],
    }


def _topic_note(m: TopicMatch, ex: Expertise, latest: bool) -> str:
    known = ex.topics[m.slug].versions if m.slug else ()
    kinds = "/".join(ex.topics[m.slug].kinds) if m.slug else "declared skill"
    note = f"{m.name} ({kinds}"
    if m.version:
        note += f", version {m.version}{'+' if m.at_least else ''}"
    elif latest and known:
        note += f", latest = {known[-1]}"
    return note + ")"


def ranking_lines(r: Ranking, ex: Expertise, explain: bool = False) -> list[str]:
    """`hubgen experts` in the terminal: one entry per person, the evidence under it with --explain."""
    topics = "; ".join(_topic_note(m, ex, r.latest) for m in r.matches) or "none (full text only)"
    lines = [f"experts for '{r.query}' · topics matched: {topics}"]
    for i, e in enumerate(r.experts, 1):
        person = ex.people.get(e.handle)
        about = ", ".join(x for x in ((person.title, person.team) if person else ()) if x)
        alumni = f" [alumni, left {person.left}]" if person and person.left else ""
        lines.append(f"{i:>2}. {e.name} (@{e.handle}){alumni}{' · ' + about if about else ''} · score {e.score:.2f}")
        if explain:
            lines.append("    score = Σ over records of weight a(d,e) × match p(q|d):")
            shown, rest = e.explained()
            for x in shown:
                extra = f" · {x.detail}" if x.detail and x.kind != "project" else ""
                versions = f" · {', '.join(x.versions)}" if x.versions else ""
                lines.append(
                    f"    {x.score:6.2f} = {x.weight:4.2f} × {x.match:4.2f}  {x.kind} {x.key} "
                    f'"{x.title}" · {x.role} · {x.when}{extra}{versions}'
                )
            if rest:
                lines.append(
                    f"    {sum(x.score for x in rest):6.2f}   from {len(rest)} more record(s), "
                    f"each under {EXPLAIN_MIN:.0%} of the score (--json lists them)"
                )
        else:
            top = "; ".join(f"{x.title} ({x.role}, {x.when})" for x in e.evidence[:3])
            more = f"; +{len(e.evidence) - 3} more" if len(e.evidence) > 3 else ""
            lines.append(f"    {top}{more}")
    return lines
