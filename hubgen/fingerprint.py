"""What a cached artefact was made by: hubgen's own files and every installed package.

Caches key their entries on it so that upgrading hubgen, MkDocs, Material or an
extension (or editing hubgen in an editable install, where the version does not
change) never serves something the new code would not have made.
"""

from __future__ import annotations

import hashlib
import importlib.util
from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A hash of hubgen's package files (the plugin and theme included) and of every installed package's version."""
    from importlib import metadata  # here: 20 ms to import, and `code_stat` callers mostly never need it

    digest = hashlib.blake2b(digest_size=16)
    for package in ("hubgen", "mkdocs_hubgen", "hubgen_theme"):  # located, not imported: below every layer
        spec = importlib.util.find_spec(package)
        if spec is None or spec.origin is None:
            continue
        top = Path(spec.origin).parent
        for path in sorted(top.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(path.relative_to(top).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    for name, version in sorted({(d.metadata["Name"] or "", d.version) for d in metadata.distributions()}):
        digest.update(f"{name}=={version}\n".encode())
    return digest.hexdigest()


def code_stat() -> str:
    """What `code_fingerprint` is computed from, by file sizes and mtimes: milliseconds instead of its 0.1 s.

    Equal stats mean the same code: hubgen's own files are each stat'ed, and installing, upgrading or
    removing any package adds or removes a folder in its site-packages (the `dist-info`, named with the
    version), which changes that folder's mtime. A cache storing both can skip the fingerprint while the
    stats are unchanged.
    """
    import os
    import sys

    digest = hashlib.blake2b(digest_size=16)
    digest.update(sys.version.encode())
    for package in ("hubgen", "mkdocs_hubgen", "hubgen_theme"):
        spec = importlib.util.find_spec(package)
        if spec is None or spec.origin is None:
            continue
        top = Path(spec.origin).parent
        for path in sorted(top.rglob("*")):
            if "__pycache__" not in path.parts:
                st = path.stat()
                digest.update(f"{path}\0{st.st_size}\0{st.st_mtime_ns}\n".encode("utf-8", "surrogateescape"))
    for entry in sys.path:
        try:
            digest.update(f"{entry}\0{os.stat(entry or '.').st_mtime_ns}\n".encode("utf-8", "surrogateescape"))
        except OSError:
            digest.update(f"{entry}\0-\n".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def template_cache(root: Path) -> Path:
    """Where compiled Jinja templates are kept for this code (Jinja checks each template's source itself;
    the folder changes with the code, whose environment options the compiled form depends on)."""
    return root / ".hubgen-cache" / "templates" / code_fingerprint()[:16]
