"""Cut a hub down to what one audience may see.

Everything downstream (pages, search, counts, exports, charts) is computed from
the restricted hub, so a hidden record cannot leak through a neighbour's page,
a count or an index. A record inherits the visibility of the project it
belongs to when that is stricter.
"""

from __future__ import annotations

from dataclasses import replace

from hubgen.model import DEFAULT_VISIBILITY, VISIBILITY_LEVELS, Hub, visibility_rank


def restrict(hub: Hub, audience: str) -> Hub:
    limit = visibility_rank(audience)

    def visible(level: str | None) -> bool:
        return visibility_rank(level) <= limit

    # Records hubgen could not read, or could not tie to their project, have an unknown visibility.
    uncertain_hidden = not visible(VISIBILITY_LEVELS[-1])
    unreadable = hub.unreadable if uncertain_hidden else frozenset()
    hidden_projects = {pid for pid, p in hub.projects.items() if not visible(p.visibility)}
    hidden_projects |= {key.split(":", 1)[1] for key in unreadable if key.startswith("project:")}
    projects = {
        pid: replace(p, prior_art=tuple(a for a in p.prior_art if a not in hidden_projects))
        for pid, p in hub.projects.items()
        if pid not in hidden_projects
    }
    null_results = {
        nid: n
        for nid, n in hub.null_results.items()
        if visible(n.visibility)
        and n.project not in hidden_projects
        and not (uncertain_hidden and n.project is not None and n.project not in hub.projects)
    }
    discussions = {k: d for k, d in hub.discussions.items() if d.project not in hidden_projects}
    assets = {k: a for k, a in hub.assets.items() if visible(a.visibility) and k not in unreadable}
    # OpenLineage jobs carry no visibility field, so they have the default one (internal).
    hidden_jobs = (
        set()
        if visible(DEFAULT_VISIBILITY)
        else {link.subject for link in hub.lineage if link.subject.startswith("job:")}
    )
    # Imported assets (dbt, DVC, Backstage, OpenLineage facts) likewise, unless an asset file describes them.
    hidden_jobs |= (
        set()
        if visible(DEFAULT_VISIBILITY)
        else {k for k in hub.facts if k not in hub.assets and not k.startswith("project:")}
    )
    hidden_nodes = (
        hidden_jobs
        | unreadable
        | {f"project:{pid}" for pid in hidden_projects}
        | {k for k, a in hub.assets.items() if not visible(a.visibility)}
    )
    lineage = tuple(
        link for link in hub.lineage if link.subject not in hidden_nodes and link.target not in hidden_nodes
    )
    # An asset only a hidden project produces or consumes must vanish with it:
    # drop described assets that no visible link mentions and that are hidden-linked.
    hidden_linked = (
        {link.target for link in hub.lineage if link.subject in hidden_nodes}
        - {link.target for link in lineage}
        - {link.subject for link in lineage}
    )
    assets = {k: a for k, a in assets.items() if k not in hidden_linked}
    facts = {
        k: replace(
            f,
            column_lineage=tuple(c for c in f.column_lineage if c.source not in hidden_nodes),
            parent=None if f.parent in hidden_nodes else f.parent,
        )
        for k, f in hub.facts.items()
        if k not in hidden_nodes
        and k not in hidden_linked
        and (k[8:] in projects if k.startswith("project:") else visible(DEFAULT_VISIBILITY))
    }
    return replace(
        hub,
        projects=projects,
        null_results=null_results,
        discussions=discussions,
        assets=assets,
        lineage=lineage,
        facts=facts,
    )
