"""What every command shares: exit codes, the usage error, the repository and audience from the arguments."""

from __future__ import annotations

import argparse
from pathlib import Path

from hubgen.visibility import VISIBILITY_LEVELS

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    pass


def _repo(args: argparse.Namespace) -> Path:
    root = Path(args.repo).resolve()
    if not root.is_dir():
        raise UsageError(f"--repo {args.repo}: no such folder")
    return root


def _default_audience(root: Path) -> str:
    """hub.yml's audience; a usage error when it cannot be read, never a default (fail closed)."""
    from hubgen.load.files import Repo
    from hubgen.load.records import load_settings
    from hubgen.problems import ProblemLog

    log = ProblemLog()
    audience = load_settings(Repo(root), root / "content" / "hub.yml", log).audience or "internal"
    if audience not in VISIBILITY_LEVELS:
        found = "\n".join(str(p) for p in log.errors)
        raise UsageError(
            f"{found}\nthe build audience is unknown: fix content/hub.yml or pass "
            f"--audience {'|'.join(VISIBILITY_LEVELS)}"
        )
    return audience
