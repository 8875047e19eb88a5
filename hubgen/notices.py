"""Prior-art notices for a merge request: proposals added or changed since a base commit, and the
earlier work each does not cite yet (`hubgen check --changed-since REF`)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from hubgen.analysis import prior_art
from hubgen.analysis.lineage import build_graph
from hubgen.audience import restrict
from hubgen.model import Hub
from hubgen.problems import Problem, Severity

_PROJECT_FILE = re.compile(r"^content/projects/([^/]+)/(project\.ya?ml|lineage\.ya?ml|README\.md)$")
_PRIOR_ART = re.compile(r"^prior_art\s*:")


class ChangesError(Exception):
    """The base of the comparison could not be read (no git, unknown commit)."""


def changed_files(root: Path, ref: str) -> list[str]:
    """Files under content/ added, modified or renamed since `ref`, relative to the hub root.

    Compared with the working tree, so a merge commit checked out by CI and
    uncommitted edits on a laptop both count.
    """
    try:
        done = subprocess.run(
            ["git", "diff", "--name-only", "--relative", "--diff-filter=AMR", ref, "--", "content"],
            cwd=root,
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
        untracked = subprocess.run(
            ["git", "ls-files", "--others", "--exclude-standard", "--", "content"],
            cwd=root,
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        raise ChangesError(f"--changed-since {ref}: git could not run ({exc})") from exc
    if done.returncode != 0:
        raise ChangesError(
            f"--changed-since {ref}: {done.stderr.strip() or 'git diff failed'} (is the base "
            "commit fetched? In CI check out the full history, e.g. fetch-depth: 0)"
        )
    return sorted(set(done.stdout.split()) | set(untracked.stdout.split() if untracked.returncode == 0 else ()))


def changed_proposals(hub: Hub, files: list[str]) -> list[str]:
    """Ids of projects at ideation or in the backlog whose files are among `files`."""
    ids = {m.group(1) for f in files if (m := _PROJECT_FILE.match(f))}
    return sorted(
        pid
        for pid in ids
        if pid in hub.projects and prior_art.is_proposal(hub.projects[pid].status, hub.projects[pid].stage)
    )


def prior_art_line(root: Path, path: str) -> int:
    """The line of `prior_art:` in a project file (its first line when there is none yet)."""
    try:
        lines = (root / path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return 1
    return next((i for i, line in enumerate(lines, 1) if _PRIOR_ART.match(line)), 1)


def prior_art_notices(root: Path, hub: Hub, audience: str, ref: str, limit: int = 3) -> list[Problem]:
    """One notice per changed proposal that does not cite the nearest earlier work yet."""
    visible = restrict(hub, audience)
    proposals = changed_proposals(visible, changed_files(root, ref))
    if not proposals:
        return []
    graph = build_graph(visible)
    engine = prior_art.build(visible, graph)
    out = []
    for pid in proposals:
        hits = prior_art.review(engine, visible, graph, pid, limit)
        if not hits:
            continue
        path = visible.projects[pid].origin.path
        listed = "; ".join(
            f"{'null result' if h.is_null_result else h.kind} {h.key} ({h.title}"
            + (f": {h.why[0]}" if h.why else "")
            + ")"
            for h in hits
        )
        out.append(
            Problem(
                path,
                prior_art_line(root, path),
                f"earlier work not cited in prior_art yet: {listed}",
                f"read it, then cite it under prior_art: or say why not (hubgen prior-art {pid})",
                Severity.NOTICE,
            )
        )
    return out
