"""Reverse indexes between records, computed once for every page to use."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from hubgen.model import Discussion, Hub, NullResult, Project, Role

ROLE_ORDER = ("lead", "contributor", "reviewer", "sponsor", "stakeholder")


@dataclass
class Relations:
    null_results_of_project: dict[str, list[NullResult]] = field(default_factory=lambda: defaultdict(list))
    discussions_of_project: dict[str, list[Discussion]] = field(default_factory=lambda: defaultdict(list))
    roles_of_person: dict[str, list[tuple[Project, Role]]] = field(default_factory=lambda: defaultdict(list))
    null_results_of_person: dict[str, list[NullResult]] = field(default_factory=lambda: defaultdict(list))
    discussions_of_person: dict[str, list[Discussion]] = field(default_factory=lambda: defaultdict(list))
    teams: dict[str, dict[str, list[str]]] = field(default_factory=dict)  # team -> {"people": [...], "projects": [...]}


def relate(hub: Hub) -> Relations:
    rel = Relations()
    for project in sorted(hub.projects.values(), key=lambda p: p.id):
        for role in sorted(project.people, key=lambda r: ROLE_ORDER.index(r.role)):
            rel.roles_of_person[role.person].append((project, role))
    for nr in sorted(hub.null_results.values(), key=lambda n: (n.date, n.id), reverse=True):
        if nr.project:
            rel.null_results_of_project[nr.project].append(nr)
        for author in nr.authors:
            rel.null_results_of_person[author].append(nr)
    for d in sorted(hub.discussions.values(), key=lambda d: (d.when or date.min, d.key), reverse=True):
        rel.discussions_of_project[d.project].append(d)
        for handle in d.participants:
            rel.discussions_of_person[handle].append(d)
    teams: dict[str, dict[str, list[str]]] = defaultdict(lambda: {"people": [], "projects": []})
    for person in sorted(hub.people.values(), key=lambda p: p.handle):
        if person.team:
            teams[person.team]["people"].append(person.handle)
    for project in sorted(hub.projects.values(), key=lambda p: p.id):
        if project.team:
            teams[project.team]["projects"].append(project.id)
    rel.teams = dict(sorted(teams.items()))
    return rel
