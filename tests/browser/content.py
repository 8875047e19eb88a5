"""Facts about the example hub read straight from content/ (plain YAML, not hubgen).

The browser tests choose what to search for and where to click from these,
then check the built site shows it: no magic strings that rot when the
example content changes. A record only counts if the built site has its page
(i.e. it is visible at the build's audience).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import yaml

from tests.conftest import ROOT

CONTENT = ROOT / "content"
TEXT_SUFFIXES = {".yml", ".yaml", ".md", ".json", ".ndjson", ".txt", ".csv", ".dvc"}


@dataclass(frozen=True)
class Project:
    id: str
    title: str
    tags: tuple[str, ...]
    leads: tuple[str, ...]
    people: tuple[str, ...]


def split_front_matter(text: str) -> tuple[dict, str]:
    if not text.startswith("---"):
        return {}, text
    head, _, body = text[3:].partition("\n---")
    return yaml.safe_load(head) or {}, body.partition("\n")[2]


def projects(site: Path) -> dict[str, Project]:
    """Projects whose page is in the built site."""
    out = {}
    for path in sorted(CONTENT.glob("projects/*/project.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        pid = path.parent.name
        if not (site / "projects" / pid / "index.html").is_file():
            continue
        roles = [r for r in data.get("people") or [] if isinstance(r, dict)]
        out[pid] = Project(
            pid,
            str(data["title"]),
            tuple(str(t) for t in data.get("tags") or []),
            tuple(r["person"] for r in roles if r.get("role") == "lead"),
            tuple(r["person"] for r in roles),
        )
    return out


def people_names() -> dict[str, str]:
    return {
        p.stem: str((yaml.safe_load(p.read_text(encoding="utf-8")) or {}).get("name", p.stem))
        for p in CONTENT.glob("people/*.yml")
    }


def tag_of_exactly_one_project(site: Path) -> tuple[str, Project]:
    """A tag that exactly one project in the whole of content/ carries (that project being visible)."""
    users: dict[str, list[str]] = defaultdict(list)
    for path in CONTENT.glob("projects/*/project.yml"):
        for tag in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("tags") or []:
            users[str(tag)].append(path.parent.name)
    shown = projects(site)
    # Longest first: a long, specific tag is what a reader types to find a project.
    for tag in sorted(users, key=lambda t: (-len(t), t)):
        if len(users[tag]) == 1 and users[tag][0] in shown:
            return tag, shown[users[tag][0]]
    raise AssertionError("no tag in content/ is used by exactly one visible project")


def null_result_files() -> list[Path]:
    return sorted([*CONTENT.glob("null-results/*.md"), *CONTENT.glob("projects/*/null-results/*.md")])


def word_only_in_a_null_result_body(site: Path) -> tuple[str, str, str]:
    """(word, null-result id, title): a word of one null result's write-up found nowhere else in the hub.

    'Nowhere else' is checked as a case-insensitive substring over every text
    file in content/ and docs/ (and the null result's own front matter), so no
    other page can match it, whatever the search engine's stemming does.
    """
    corpus: dict[Path, str] = {
        p: p.read_text(encoding="utf-8", errors="replace").lower()
        for root in (CONTENT, ROOT / "docs")
        for p in root.rglob("*")
        if p.is_file() and p.suffix in TEXT_SUFFIXES
    }
    for path in null_result_files():
        meta, body = split_front_matter(path.read_text(encoding="utf-8"))
        nid = path.stem
        if not (site / "null-results" / nid / "index.html").is_file():
            continue
        front = corpus[path][: len(corpus[path]) - len(body)]
        others = [text for p, text in corpus.items() if p != path]
        for word in sorted(set(re.findall(r"\b[a-z]{8,}\b", body.lower()))):
            if word not in front and not any(word in text for text in others):
                return word, nid, str(meta["title"])
    raise AssertionError("no null-result body in content/ has a word of its own")


def lead_with_another_project(site: Path) -> tuple[Project, str, Project]:
    """(project, its lead's handle, another project of that lead), all with pages in the site."""
    shown = projects(site)
    for project in shown.values():
        for lead in project.leads:
            others = [p for p in shown.values() if p.id != project.id and lead in p.people]
            if others:
                return project, lead, others[0]
    raise AssertionError("no project lead in content/ works on a second project")
