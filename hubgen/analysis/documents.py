"""Every record as a search document: the one text view used by search, related work and experts."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from hubgen import urls
from hubgen.model import Hub


@dataclass(frozen=True)
class SearchDoc:
    kind: str  # project, null-result, discussion, person, asset
    key: str
    title: str
    url: str
    summary: str  # one line for result lists
    tags: tuple[str, ...]  # tags, domains, tools: matched above the body
    body: str
    status: str = ""
    team: str = ""
    people: tuple[str, ...] = ()  # handles credited on the record
    date: date | None = None
    project: str = ""  # owning project of a null result or discussion


def _words(name: str | None) -> str:
    """A dotted or slashed name (`model.shop.stg_orders`, `s3://b/p`) as words, so each part is found."""
    return re.sub(r"[._/:@-]+", " ", name or "").replace("_", " ").strip()


def _join(*parts: object) -> str:
    return "\n\n".join(str(p) for p in parts if p)


def search_documents(hub: Hub) -> list[SearchDoc]:
    """One document per record, in a stable order."""
    docs: list[SearchDoc] = []
    for p in sorted(hub.projects.values(), key=lambda p: p.id):
        docs.append(
            SearchDoc(
                "project",
                p.id,
                p.title,
                urls.url("project", p.id),
                p.summary,
                p.tags + p.domains + p.tools,
                _join(
                    p.summary,
                    p.problem,
                    p.objective,
                    " ".join(k.name for k in p.kpis),
                    " ".join(p.risks),
                    " ".join(p.data_sources),
                    p.readme,
                ),
                p.status,
                p.team or "",
                tuple(r.person for r in p.people),
                p.ended or p.started,
            )
        )
    for n in sorted(hub.null_results.values(), key=lambda n: n.id):
        project = hub.projects.get(n.project or "")
        docs.append(
            SearchDoc(
                "null-result",
                n.id,
                n.title,
                urls.url("null-result", n.id),
                n.outcome,
                n.tags,
                _join(n.hypothesis, n.outcome, n.approach, " ".join(m.name for m in n.metrics), n.reason, n.body),
                "null-result",
                (project.team or "") if project else "",
                n.authors,
                n.date,
                n.project or "",
            )
        )
    for d in sorted(hub.discussions.values(), key=lambda d: d.key):
        project = hub.projects.get(d.project)
        docs.append(
            SearchDoc(
                "discussion",
                d.key,
                d.title,
                urls.url("discussion", d.key),
                d.decision or d.topic or "",
                (d.topic,) if d.topic else (),
                _join(d.decision, d.context, *(m.text for m in d.messages)),
                d.status or "open",
                (project.team or "") if project else "",
                d.participants,
                d.when,
                d.project,
            )
        )
    for person in sorted(hub.people.values(), key=lambda p: p.handle):
        docs.append(
            SearchDoc(
                "person",
                person.handle,
                person.name,
                urls.url("person", person.handle),
                " · ".join(x for x in (person.title, person.team) if x),
                person.skills,
                _join(person.title, person.team, person.handle),
                "alumni" if person.alumni else "current",
                person.team or "",
                (person.handle,),
                person.joined,
            )
        )
    for asset in sorted(hub.assets.values(), key=lambda a: a.key):
        docs.append(
            SearchDoc(
                "asset",
                asset.key,
                asset.title or asset.key,
                urls.url("asset", asset.key),
                asset.description or "",
                asset.tags + (asset.kind,),
                _join(asset.description, asset.key),
                asset.source or "",
                "",
                (asset.owner,) if asset.owner else (),
            )
        )
    described = set(hub.assets)
    referenced = sorted(
        {
            link.target
            for link in hub.lineage
            if link.verb in ("consumes", "produces") and not link.target.startswith("project:")
        }
        - described
    )
    for key in referenced:
        kind = key.split(":", 1)[0]
        f = hub.facts.get(key)
        if f is None:
            docs.append(
                SearchDoc(
                    "asset",
                    key,
                    key,
                    urls.url("asset", key),
                    f"{kind} referenced in lineage",
                    (kind,),
                    key.replace(":", " ").replace("_", " ").replace(".", " "),
                )
            )
            continue
        # An imported node is found by its own name (not its slugged id), description and columns.
        name = f.title or f.name or key
        docs.append(
            SearchDoc(
                "asset",
                key,
                name,
                urls.url("asset", key),
                f.description or f"{kind} from {f.source}",
                (*f.tags, kind),
                _join(kind, _words(f.name), f.namespace, f.description, " ".join(c.name for c in f.columns)),
                f.source,
                "",
                (),
            )
        )
    return docs
