"""Compiled Jinja templates kept between builds: in this process (`hubgen serve` builds many times),
and on disk under the hub's cache (the next `hubgen build`).

Compiling hubgen's page templates and the theme's takes seconds per build. Jinja
checks each stored template against its source (a changed template is compiled
again); the folder is named after hubgen's code and packages
(`hubgen.fingerprint`), on which the environment options the compiled form
depends on are fixed.
"""

from __future__ import annotations

from pathlib import Path

import jinja2

from hubgen.fingerprint import template_cache

# Jinja's bucket key (template name and file) -> compiled template. One process runs one version of the code,
# so every hub it builds shares these (a test session, `hubgen serve` rebuilding).
_IN_PROCESS: dict[str, bytes] = {}


class CompiledTemplates(jinja2.FileSystemBytecodeCache):
    """Jinja's file cache with a process-wide layer in front of it."""

    def __init__(self, root: Path) -> None:
        folder = template_cache(root)
        folder.mkdir(parents=True, exist_ok=True)
        super().__init__(str(folder))

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = _IN_PROCESS.get(bucket.key)
        if data is not None:
            bucket.bytecode_from_string(data)  # a stale one (the source changed) is dropped by Jinja
            if bucket.code is not None:
                return
        super().load_bytecode(bucket)
        if bucket.code is not None:
            _IN_PROCESS[bucket.key] = bucket.bytecode_to_string()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        super().dump_bytecode(bucket)
        _IN_PROCESS[bucket.key] = bucket.bytecode_to_string()
