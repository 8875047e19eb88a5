"""How a new hub's requirements name hubgen: the way the running hubgen was installed.

`hubgen==<version>` only resolves where hubgen is on the package index, so a
hub started from a git or local install would fail its first CI run. PEP 610's
`direct_url.json` records where pip got the distribution.
"""

from __future__ import annotations

import json
from importlib import metadata
from typing import Any

from hubgen import __version__


def requirement(direct_url: dict[str, Any] | None = None) -> str:
    """A pip requirement for the running hubgen: VCS URL at its commit, local path, else the version pin."""
    info = direct_url if direct_url is not None else installed_direct_url()
    url = str(info.get("url") or "")
    vcs = info.get("vcs_info") or {}
    if vcs.get("vcs") == "git" and url:
        commit = vcs.get("commit_id") or vcs.get("requested_revision")
        base = url if url.startswith("git+") else f"git+{url}"
        return f"hubgen @ {base}@{commit}" if commit else f"hubgen @ {base}"
    if url.startswith("file://") and ("dir_info" in info or "archive_info" in info):
        return f"hubgen @ {url}"
    if url and "archive_info" in info:
        return f"hubgen @ {url}"
    return f"hubgen=={__version__}"


def installed_direct_url() -> dict[str, Any]:
    """The distribution's direct_url.json, or {} when it came from an index (or is not installed)."""
    # The first with a record: a stale hubgen.egg-info in the working folder has none.
    texts = [dist.read_text("direct_url.json") for dist in metadata.distributions(name="hubgen")]
    text = next((t for t in texts if t), None)
    try:
        data = json.loads(text) if text else {}
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}
