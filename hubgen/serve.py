"""`hubgen serve`: MkDocs' live-reload server around builds that are always whole.

MkDocs' own `serve` logs at INFO (hidden by hubgen's WARNING level), says
nothing of what changed, and builds in place, so a broken edit leaves a
half-written site. Here each build goes to a staging folder and is swapped in
only when it succeeded; a failed one is reported and the last good site stays
served (browsers reload onto it rather than waiting for a fix).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from hubgen import sitedir

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

# Folders under the watched roots that builds write or tools keep: never a reason to rebuild.
IGNORED = {".hubgen-cache", ".git", "__pycache__", ".venv", "site"}
SHOWN_CHANGES = 5


def snapshot(paths: list[Path]) -> dict[str, int]:
    """Modification time of every file under `paths` (files or folders), by path."""
    seen: dict[str, int] = {}
    for path in paths:
        files = [path] if path.is_file() else (p for p in path.rglob("*") if p.is_file()) if path.is_dir() else []
        for file in files:
            if IGNORED.isdisjoint(file.parts[len(path.parts) - 1 :]):
                try:
                    seen[str(file)] = file.stat().st_mtime_ns
                except OSError:
                    pass  # removed while we looked
    return seen


def changes(before: dict[str, int], after: dict[str, int], root: Path) -> list[str]:
    """What differs between two snapshots, as 'path (added|changed|removed)' relative to `root`."""

    def rel(path: str) -> str:
        try:
            return Path(path).relative_to(root).as_posix()
        except ValueError:
            return path

    found = [f"{rel(p)} (added)" for p in after if p not in before]
    found += [f"{rel(p)} (changed)" for p in after if p in before and before[p] != after[p]]
    found += [f"{rel(p)} (removed)" for p in before if p not in after]
    return sorted(found)


def serve(root: Path, load: Callable[[Path], MkDocsConfig], dev_addr: str | None = None) -> int:
    """Serve the hub at `root`; `load(site_dir)` gives a validated config building into site_dir."""
    from urllib.parse import urlsplit

    from mkdocs.commands.build import build
    from mkdocs.livereload import LiveReloadServer, _serve_url

    base = Path(tempfile.mkdtemp(prefix="hubgen-serve-"))
    site_dir = base / "site"
    config = load(site_dir)
    if dev_addr:
        config.dev_addr = config["dev_addr"] = _parse_addr(dev_addr)  # (host, port), as MkDocs reads it
    host, port = config.dev_addr
    url = _serve_url(host, port, urlsplit(config.site_url or "/").path)
    watched = [root / "content", Path(config.docs_dir), Path(config.config_file_path)]
    state = {"files": snapshot(watched)}

    def builder(config: MkDocsConfig | None = None) -> bool:
        before, state["files"] = state["files"], snapshot(watched)
        staging = Path(tempfile.mkdtemp(prefix="build-", dir=base))
        started = time.monotonic()
        try:
            config = config if config is not None else load(staging)
            config.site_dir = config["site_dir"] = str(staging)
            config.site_url = url
            build(config, serve_url=url)
            broken = site_dir.exists() and _hub_errors(config)
        except Exception as exc:  # noqa: BLE001 - any failure (bad mkdocs.yml too) keeps the last good site
            shutil.rmtree(staging, ignore_errors=True)
            state["files"] = before  # the next good build reports these changes too
            detail = f": {exc}" if str(exc) else " (the problems are listed above)"
            print(f"hubgen serve: the build failed{detail}; still serving the last good site", file=sys.stderr)
            return False
        changed = changes(before, state["files"], root)
        what = ", ".join(changed[:SHOWN_CHANGES]) + (
            f" and {len(changed) - SHOWN_CHANGES} more" if len(changed) > SHOWN_CHANGES else ""
        )
        after = f" after {what}" if what else ""
        if broken:
            shutil.rmtree(staging, ignore_errors=True)
            state["files"] = before
            print(
                f"hubgen serve: {broken} error(s){after} (listed above); still serving the last good site",
                file=sys.stderr,
            )
            return False
        first = not site_dir.exists()
        sitedir.swap_in(staging, site_dir)
        took = time.monotonic() - started
        cache = getattr(config.plugins.get("hubgen"), "cache", None)
        summary = f" ({cache.summary()})" if cache is not None and cache.enabled else ""
        print(f"hubgen serve: {'built' if first else 'rebuilt'} in {took:.1f}s{after}{summary}", file=sys.stderr)
        return True

    server = LiveReloadServer(builder=cast(Callable[[], None], builder), host=host, port=port, root=str(site_dir))
    try:
        config.plugins.on_startup(command="serve", dirty=False)
        if not builder(config) and not site_dir.exists():
            print("hubgen serve: fix the problems above and run it again", file=sys.stderr)
            return 1
        for path in watched:
            server.watch(str(path))
        server = config.plugins.on_serve(server, config=config, builder=builder) or server
        own_docs = ".hubgen-cache" not in Path(config.docs_dir).parts  # not the stand-in for a missing docs/
        sources = ("content/, " + Path(config.docs_dir).name + "/," if own_docs else "content/") + " or mkdocs.yml"
        print(f"hubgen serve: serving {url} (Ctrl-C to stop); rebuilds when {sources} change", file=sys.stderr)
        try:
            server.serve()
        except KeyboardInterrupt:
            pass
        except OSError as exc:  # the address is taken, or not ours
            print(
                f"hubgen serve: cannot serve on {host}:{port}: {exc.strerror or exc} (try --dev-addr)", file=sys.stderr
            )
            return 1
        finally:
            server.shutdown()
    finally:
        config.plugins.on_shutdown()
        shutil.rmtree(base, ignore_errors=True)
    return 0


def _hub_errors(config: MkDocsConfig) -> int:
    """How many error-level problems the hubgen plugin found in this build (records it skipped)."""
    from hubgen.problems import Severity

    plugin = config.plugins.get("hubgen")
    result = getattr(plugin, "result", None)
    return sum(1 for p in result.hub.problems if p.severity is Severity.ERROR) if result is not None else 0


def _parse_addr(text: str) -> Any:
    from mkdocs.config.config_options import IpAddress

    return IpAddress().validate(text)
