"""Browsing by team, tag and tool: who owns what, what is about what, what runs on what.

Pure functions of a `Hub` already cut to the audience, and its lineage graph:
a tag that only a confidential project uses has no page in an internal build,
because that project is not in the hub this sees. Each view holds keys, not
records, so pages and `api/hub.json` read the same lists.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from hubgen.analysis.experts import split_tool, unique_slugs, version_key
from hubgen.analysis.lineage import LineageGraph, is_asset
from hubgen.model import Hub, Project

STATUS_ORDER = ("active", "backlog", "delivered", "null-result", "retired", "cancelled")
UNVERSIONED = "(no version)"


def _by_status(projects: list[Project]) -> dict[str, tuple[str, ...]]:
    """Project ids by status, statuses in lifecycle order, titles alphabetical; empty statuses left out."""
    out: dict[str, tuple[str, ...]] = {}
    for status in (*STATUS_ORDER, *sorted({p.status for p in projects} - set(STATUS_ORDER))):
        ids = tuple(p.id for p in sorted(projects, key=lambda p: p.title.lower()) if p.status == status)
        if ids:
            out[status] = ids
    return out


@dataclass(frozen=True)
class Team:
    name: str
    slug: str
    people: tuple[str, ...]  # current members, by name
    alumni: tuple[str, ...]
    projects: dict[str, tuple[str, ...]]  # status -> project ids
    null_results: tuple[str, ...]  # of the team's projects, or written by its people
    assets: tuple[str, ...]  # asset keys the team's projects produce, most reused first
    reuse: dict[str, int]  # asset key -> direct consumers (projects, jobs, external users)
    reused_assets: int  # of those, consumed directly by more than one project (the portfolio's figure)

    @property
    def project_count(self) -> int:
        return sum(len(v) for v in self.projects.values())

    @property
    def total_reuse(self) -> int:
        return sum(self.reuse.values())


@dataclass(frozen=True)
class Tag:
    name: str
    slug: str
    projects: dict[str, tuple[str, ...]]  # status -> project ids
    null_results: tuple[str, ...]
    assets: tuple[str, ...]  # described assets with the tag

    @property
    def count(self) -> int:
        return sum(len(v) for v in self.projects.values()) + len(self.null_results) + len(self.assets)


@dataclass(frozen=True)
class Tool:
    name: str
    slug: str
    versions: dict[str, tuple[str, ...]]  # version as written (or UNVERSIONED) -> project ids, newest first
    projects: dict[str, tuple[str, ...]]  # status -> project ids

    @property
    def count(self) -> int:
        return sum(len(v) for v in self.projects.values())


@dataclass(frozen=True)
class Browse:
    teams: dict[str, Team]  # by name, alphabetical
    tags: dict[str, Tag]  # by display name, alphabetical (case-insensitive)
    tools: dict[str, Tool]
    tag_of: dict[str, str]  # any spelling of a tag (casefolded) -> display name
    tool_of: dict[str, str]  # tool name (casefolded) -> display name

    def tag(self, name: str) -> Tag | None:
        key = self.tag_of.get(name.casefold())
        return self.tags.get(key) if key else None

    def tool(self, written: str) -> Tool | None:
        key = self.tool_of.get(split_tool(written)[0].casefold())
        return self.tools.get(key) if key else None


def _display(spellings: list[str]) -> str:
    """The most used spelling of a name, ties alphabetical."""
    counts: dict[str, int] = defaultdict(int)
    for s in spellings:
        counts[s] += 1
    return min(counts, key=lambda s: (-counts[s], s))


def teams(hub: Hub, graph: LineageGraph) -> dict[str, Team]:
    names = {p.team for p in hub.people.values() if p.team} | {p.team for p in hub.projects.values() if p.team}
    slugs = unique_slugs({n: n for n in names})
    out = {}
    for name in sorted(names, key=str.casefold):
        members = sorted((p for p in hub.people.values() if p.team == name), key=lambda p: p.name.lower())
        mine = [p for p in hub.projects.values() if p.team == name]
        ids = {p.id for p in mine}
        handles = {p.handle for p in members}
        nulls = sorted(
            (
                n
                for n in hub.null_results.values()
                if (n.project in ids) or (n.project is None and handles & set(n.authors))
            ),
            key=lambda n: (n.date, n.id),
            reverse=True,
        )
        produced = {
            k
            for k, u in graph.assets.items()
            if is_asset(k) and any(pr.startswith("project:") and pr[8:] in ids for pr in u.producers)
        }
        assets = sorted(produced, key=lambda k: (-graph.assets[k].reuse, k))
        out[name] = Team(
            name=name,
            slug=slugs[name],
            people=tuple(p.handle for p in members if not p.alumni),
            alumni=tuple(p.handle for p in members if p.alumni),
            projects=_by_status(mine),
            null_results=tuple(n.id for n in nulls),
            assets=tuple(assets),
            reuse={k: graph.assets[k].reuse for k in assets},
            reused_assets=sum(1 for k in assets if len(set(graph.assets[k].consuming_projects)) > 1),
        )
    return out


def tags(hub: Hub) -> tuple[dict[str, Tag], dict[str, str]]:
    spellings: dict[str, list[str]] = defaultdict(list)
    projects: dict[str, list[Project]] = defaultdict(list)
    nulls: dict[str, list[str]] = defaultdict(list)
    assets: dict[str, list[str]] = defaultdict(list)
    for p in hub.projects.values():
        for t in dict.fromkeys(p.tags):
            spellings[t.casefold()].append(t)
            projects[t.casefold()].append(p)
    for n in sorted(hub.null_results.values(), key=lambda n: (n.date, n.id), reverse=True):
        for t in dict.fromkeys(n.tags):
            spellings[t.casefold()].append(t)
            nulls[t.casefold()].append(n.id)
    for a in sorted(hub.assets.values(), key=lambda a: a.key):
        for t in dict.fromkeys(a.tags):
            spellings[t.casefold()].append(t)
            assets[t.casefold()].append(a.key)
    display = {k: _display(v) for k, v in spellings.items()}
    slugs = unique_slugs(display)
    out = {}
    for k in sorted(display, key=lambda k: (display[k].casefold(), k)):
        out[display[k]] = Tag(
            display[k],
            slugs[k],
            _by_status(projects[k]),
            tuple(dict.fromkeys(nulls[k])),
            tuple(dict.fromkeys(assets[k])),
        )
    return out, {k: display[k] for k in display}


def tools(hub: Hub) -> tuple[dict[str, Tool], dict[str, str]]:
    spellings: dict[str, list[str]] = defaultdict(list)
    projects: dict[str, list[Project]] = defaultdict(list)
    versions: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for p in sorted(hub.projects.values(), key=lambda p: p.id):
        seen: set[str] = set()
        for written in p.tools:
            name, version = split_tool(written)
            key = name.casefold()
            spellings[key].append(name)
            versions[key][version or UNVERSIONED].append(p.id)
            if key not in seen:
                projects[key].append(p)
                seen.add(key)
    display = {k: _display(v) for k, v in spellings.items()}
    slugs = unique_slugs(display)
    out = {}
    for k in sorted(display, key=lambda k: (display[k].casefold(), k)):
        ordered = sorted(versions[k], key=lambda v: (v == UNVERSIONED, tuple(-x for x in version_key(v)), v))
        out[display[k]] = Tool(
            display[k], slugs[k], {v: tuple(dict.fromkeys(versions[k][v])) for v in ordered}, _by_status(projects[k])
        )
    return out, {k: display[k] for k in display}


def browse(hub: Hub, graph: LineageGraph) -> Browse:
    """Every team, tag and tool of the (audience-cut) hub."""
    tag_views, tag_of = tags(hub)
    tool_views, tool_of = tools(hub)
    return Browse(teams(hub, graph), tag_views, tool_views, tag_of, tool_of)


def export(b: Browse) -> dict[str, list[dict[str, object]]]:
    """Plain JSON for `api/hub.json` (`teams`, `tags`, `tools`); URLs are added by the renderer."""
    return {
        "teams": [
            {
                "name": t.name,
                "slug": t.slug,
                "people": list(t.people),
                "alumni": list(t.alumni),
                "projects": {s: list(v) for s, v in t.projects.items()},
                "null_results": list(t.null_results),
                "assets": [{"key": k, "reuse": t.reuse[k]} for k in t.assets],
                "reused_assets": t.reused_assets,
            }
            for t in b.teams.values()
        ],
        "tags": [
            {
                "name": t.name,
                "slug": t.slug,
                "projects": {s: list(v) for s, v in t.projects.items()},
                "null_results": list(t.null_results),
                "assets": list(t.assets),
            }
            for t in b.tags.values()
        ],
        "tools": [
            {
                "name": t.name,
                "slug": t.slug,
                "versions": {v: list(ids) for v, ids in t.versions.items()},
                "projects": {s: list(v) for s, v in t.projects.items()},
            }
            for t in b.tools.values()
        ],
    }
