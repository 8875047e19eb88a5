"""Where every page lives: one place for the stable URL scheme.

Pages are written as `<section>/<id>/index.md` so that an id such as `index`
cannot collide with a section index, and URLs are directory style:
`projects/<id>/`, `null-results/<id>/`, `discussions/<project>/<id>/`,
`people/<handle>/`, `assets/<kind>/<id>/`.

Index pages that are not a section of entities live outside the entity
sections so that no id can ever take their URL: `reuse/` (the reuse
leaderboard) and `reuse/investment/` (data investment).
"""

from __future__ import annotations

import hashlib

SECTIONS = {
    "project": "projects",
    "null-result": "null-results",
    "discussion": "discussions",
    "person": "people",
    "asset": "assets",
    "topic": "experts",
    "team": "teams",
    "tag": "tags",
    "tool": "tools",
}


MAX_SEGMENT = 120  # bytes; file systems refuse names over 255, and a 300-character tag is valid input


def url(kind: str, key: str) -> str:
    """Site-relative URL of an entity page; `key` for assets is `kind:id`, for discussions `project/id`."""
    if kind == "asset":
        key = key.replace(":", "/", 1)
    return f"{SECTIONS[kind]}/{'/'.join(_bounded(part) for part in key.split('/'))}/"


def _bounded(segment: str) -> str:
    """A path segment short enough for any file system; long ones keep a prefix and a hash (no collisions)."""
    if len(segment.encode()) <= MAX_SEGMENT:
        return segment
    digest = hashlib.sha256(segment.encode()).hexdigest()[:12]
    prefix = segment.encode()[: MAX_SEGMENT - 13].decode(errors="ignore")
    return f"{prefix}-{digest}"


def source(page_url: str) -> str:
    """The Markdown file that renders at `page_url`."""
    return f"{page_url}index.md" if page_url else "index.md"


def relative(from_url: str, to_url: str) -> str:
    """A link from one directory-style page URL to another, working under any base path.

    Both are site-relative directory URLs ("" for the home page, "projects/x/");
    files ("api/hub.json") work as targets too. Called for every link on every
    page, so it avoids posixpath.relpath's normalisation.
    """
    if from_url == to_url:
        return "./"
    here = [p for p in from_url.split("/") if p]
    there = to_url.split("/")
    common = 0
    while common < len(here) and common < len(there) - 1 and here[common] == there[common]:
        common += 1
    rel = "../" * (len(here) - common) + "/".join(there[common:])
    return rel or "./"


def fragment(key: str) -> str:
    """Site-relative path of a lineage node's neighbourhood fragment (the explorer fetches it on expand)."""
    kind, _, ident = key.partition(":")
    return f"api/lineage/{_bounded(kind)}/{_bounded(ident)}.json"


EXPLORER = "lineage/"  # the full-screen explorer page (index page, outside the entity sections)
