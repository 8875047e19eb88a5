"""What every command shares: exit codes, the usage error, the repository and audience from the arguments."""

from __future__ import annotations

import argparse
import hashlib
import json
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
    """hub.yml's audience; a usage error when it cannot be read, never a default (fail closed).

    Remembered in `.hubgen-cache/audience.json` by hub.yml's bytes, so a quick command (`hubgen
    search`) need not import the loader and the schema to read one setting again.
    """
    hub_yml = root / "content" / "hub.yml"
    memo = root / ".hubgen-cache" / "audience.json"
    try:
        digest = hashlib.sha256(hub_yml.read_bytes()).hexdigest()
    except OSError:
        digest = ""
    if digest:
        try:
            known = json.loads(memo.read_text())
            if known.get("hub.yml") == digest and known.get("audience") in VISIBILITY_LEVELS:
                return str(known["audience"])
        except (OSError, ValueError, AttributeError):
            pass
    from hubgen.load.files import Repo
    from hubgen.load.records import load_settings
    from hubgen.problems import ProblemLog

    log = ProblemLog()
    audience = load_settings(Repo(root), hub_yml, log).audience or "internal"
    if audience not in VISIBILITY_LEVELS:
        found = "\n".join(str(p) for p in log.errors)
        raise UsageError(
            f"{found}\nthe build audience is unknown: fix content/hub.yml or pass "
            f"--audience {'|'.join(VISIBILITY_LEVELS)}"
        )
    if digest:
        try:
            memo.parent.mkdir(exist_ok=True)
            memo.write_text(json.dumps({"hub.yml": digest, "audience": audience}))
        except OSError:
            pass  # a read-only checkout: read hub.yml again next time
    return audience
