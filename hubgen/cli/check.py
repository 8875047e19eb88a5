"""`hubgen check`: problems as lines, GitHub annotations or a GitLab code-quality report, and prior-art notices."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from hubgen.cli.common import EXIT_OK, EXIT_PROBLEMS, UsageError, _default_audience, _repo


def cmd_check(args: argparse.Namespace) -> int:
    from hubgen.pipeline import check, errors

    root = _repo(args)
    hub = check(root)
    failing = errors(hub.problems, args.strict)
    notices = _notices(root, hub, args)  # advice: never part of `failing`
    null_projects = sum(1 for p in hub.projects.values() if p.status == "null-result")
    n_null = len(hub.null_results) + null_projects  # a null-result project is itself a null result
    if args.format == "json":
        print(
            json.dumps(
                {
                    "ok": not failing,
                    "problems": [p.as_dict() for p in hub.problems],
                    "notices": [p.as_dict() for p in notices],
                    "skipped": list(hub.skipped),
                    "counts": {
                        "projects": len(hub.projects),
                        "people": len(hub.people),
                        "null_results": n_null,
                        "null_result_records": len(hub.null_results),
                        "null_result_projects": null_projects,
                        "discussions": len(hub.discussions),
                        "assets": len(hub.assets),
                    },
                },
                indent=2,
            )
        )
        return EXIT_PROBLEMS if failing else EXIT_OK
    n_err = sum(1 for p in hub.problems if p.severity.value == "error")
    of_which = f" ({null_projects} of them projects)" if null_projects else ""
    summary = (
        f"{len(hub.projects)} projects, {len(hub.people)} people, {n_null} null results{of_which}, "
        f"{len(hub.discussions)} discussions: {n_err} error(s), {len(hub.problems) - n_err} warning(s)"
    )
    if hub.skipped:
        summary += f"; {len(hub.skipped)} record(s) would be skipped"
    if notices:
        summary += f"; {len(notices)} proposal(s) with earlier work to cite"
    if args.format == "gitlab":
        print(json.dumps([gitlab_issue(p, root) for p in (*hub.problems, *notices)], indent=2))
    else:
        for problem in (*hub.problems, *notices):
            print(github_annotation(problem, root) if args.format == "github" else problem)
    print(summary, file=sys.stderr)
    if args.format == "github" and failing:
        strict = " (--strict: warnings fail the check too)" if args.strict and n_err < len(failing) else ""
        print(f"::error title=hubgen check::{_escape_data(summary)}{strict}")
    return EXIT_PROBLEMS if failing else EXIT_OK


def _notices(root: Path, hub, args: argparse.Namespace) -> list:
    """Prior-art notices for proposals changed since --changed-since (none without it)."""
    if args.changed_since is None:
        return []
    if not args.changed_since.strip():  # e.g. a pipeline run outside a merge request: no base to compare with
        print("hubgen: --changed-since is empty (no merge-request base): no prior-art notices", file=sys.stderr)
        return []
    from hubgen.notices import ChangesError, prior_art_notices

    try:
        return prior_art_notices(root, hub, _default_audience(root), args.changed_since)
    except ChangesError as exc:
        raise UsageError(str(exc)) from exc


def _repo_path(path: str, root: Path, variable: str) -> str:
    """A hub-relative path from the repository root (`variable` names it in CI): the hub may sit in a subfolder."""
    workspace = Path(os.environ.get(variable) or Path.cwd()).resolve()
    try:
        return (root / path).resolve().relative_to(workspace).as_posix()
    except ValueError:
        return path


def gitlab_issue(problem, root: Path) -> dict[str, object]:
    """A GitLab Code Quality entry: the problem shows on its line in the merge request."""
    import hashlib

    severity = {"error": "major", "warning": "minor"}.get(problem.severity.value, "info")
    text = problem.message + (f" ({problem.hint})" if problem.hint else "")
    fingerprint = hashlib.sha256(f"{problem.path}:{problem.line}:{problem.message}".encode()).hexdigest()
    return {
        "description": text,
        "check_name": f"hubgen-{problem.severity.value}",
        "fingerprint": fingerprint,
        "severity": severity,
        "location": {"path": _repo_path(problem.path, root, "CI_PROJECT_DIR"), "lines": {"begin": problem.line or 1}},
    }


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_annotation(problem, root: Path) -> str:
    """A GitHub Actions workflow command: the problem shows on its line in the pull request."""
    path = _repo_path(problem.path, root, "GITHUB_WORKSPACE")
    level = problem.severity.value  # error, warning or notice: GitHub's own three levels
    where = f"file={_escape_property(path)}" + (f",line={problem.line}" if problem.line else "")
    hint = f" ({problem.hint})" if problem.hint else ""
    return f"::{level} {where},title=hubgen::{_escape_data(problem.message + hint)}"
