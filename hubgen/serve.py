"""`hubgen serve`: MkDocs' live-reload server around builds that are always whole.

MkDocs' own `serve` logs at INFO (hidden by hubgen's WARNING level), says
nothing of what changed, and builds in place, so a broken edit leaves a
half-written site and every request waits for the build. Here each build goes
to a staging folder and is swapped in only when it succeeded; a failed one is
reported and the last good site stays served. While a rebuild runs, the last
site is served at once, and the pages of the records just saved are rendered
into it first (hubgen.edited): the author sees their edit in about a second,
and the rest of the site follows when the rebuild is swapped in.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import threading
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

    _stop_on_sigterm()
    base = Path(tempfile.mkdtemp(prefix="hubgen-serve-"))
    site_dir = base / "site"
    config = load(site_dir)
    if dev_addr:
        config.dev_addr = config["dev_addr"] = _parse_addr(dev_addr)  # (host, port), as MkDocs reads it
    host, port = config.dev_addr
    url = _serve_url(host, port, urlsplit(config.site_url or "/").path)
    watched = [root / "content", Path(config.docs_dir), Path(config.config_file_path)]
    state: dict[str, Any] = {"files": snapshot(watched)}
    early = EarlyEdits(site_dir)

    def builder(config: MkDocsConfig | None = None) -> bool:
        started = time.monotonic()
        if early.reloads is not None:
            early.reloads.serve_during_build()
            early.wait_idle()
        before, state["files"] = state["files"], snapshot(watched)
        staging = Path(tempfile.mkdtemp(prefix="build-", dir=base))
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
        early.swap_in(staging, config.plugins.get("hubgen"), started)
        took = time.monotonic() - started
        cache = getattr(config.plugins.get("hubgen"), "cache", None)
        summary = f" ({cache.summary()})" if cache is not None and cache.enabled else ""
        print(f"hubgen serve: {'built' if first else 'rebuilt'} in {took:.1f}s{after}{summary}", file=sys.stderr)
        return True

    server = LiveReloadServer(builder=cast(Callable[[], None], builder), host=host, port=port, root=str(site_dir))
    if native_watch_fits(watched):
        # MkDocs polls: it walks every watched folder twice a second (33,000 files at 10,000 projects), a
        # core's share lost to the builds and up to half a second before an edit is seen at all.
        server.observer = writes_observer()  # type: ignore[assignment]  # any watchdog observer does
    else:
        print("hubgen serve: watching for changes by polling (more folders than inotify allows)", file=sys.stderr)
    try:
        config.plugins.on_startup(command="serve", dirty=False)
        if not builder(config) and not site_dir.exists():
            print("hubgen serve: fix the problems above and run it again", file=sys.stderr)
            return 1
        # Only the builds MkDocs' loop runs (after this first one) publish the epochs these set.
        early.reloads = Reloads(server)
        for path in watched:
            server.watch(str(path))
        early.start(server.observer, root / "content")
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
            early.stop()
            server.shutdown()
    finally:
        config.plugins.on_shutdown()
        shutil.rmtree(base, ignore_errors=True)
    return 0


def _stop_on_sigterm() -> None:
    """A stop by a service manager, a container runtime or `kill` (SIGTERM) ends serving as Ctrl-C does,
    so the served site in the temporary folder is removed (the default ended the process on the spot)."""
    import signal

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, stop)


class EarlyEdits:
    """Shows each saved record in the served site within a second or so, while rebuilds run (hubgen.edited).

    A thread of its own watches content/: an author who saves during a rebuild
    (which takes tens of seconds on a large hub) sees the edit at once rather
    than after that rebuild and the next one. The served folder has one writer
    at a time: this thread or a build swapping its site in. A site swapped in
    that was built before the last save gets the saved pages again.
    """

    SETTLE_S = 0.1  # an editor's save is several file events; render once they stop

    def __init__(self, site_dir: Path) -> None:
        self.site_dir = site_dir
        self.reloads: Reloads | None = None
        self.served: Any = None  # mkdocs_hubgen.quick_update.ServedBuild of the build being served
        self.lock = threading.Lock()  # the served folder
        self.saved_at = 0.0
        self.saved: dict[str, float] = {}  # files written since the served build read them: when
        self._wake = threading.Event()
        self._idle = threading.Event()  # no edit waiting to be shown
        self._idle.set()
        self._events = threading.Lock()  # _idle and _wake change together
        self._stopping = False

    def start(self, observer: Any, content: Path) -> None:
        """Watch `content` with `observer` (the server's, not yet started) and begin."""
        from watchdog.events import FileSystemEvent, FileSystemEventHandler

        early = self

        class Handler(FileSystemEventHandler):
            def on_any_event(self, event: FileSystemEvent) -> None:
                if not event.is_directory:
                    early.saw_change(event.src_path, getattr(event, "dest_path", "") or None)

        observer.schedule(Handler(), str(content), recursive=True)
        threading.Thread(target=self._run, name="hubgen-early-edits", daemon=True).start()

    def stop(self) -> None:
        self._stopping = True
        self._wake.set()

    def saw_change(self, *paths: str | bytes | None) -> None:
        with self._events:
            self.saved_at = time.monotonic()
            for path in paths:
                if path:
                    self.saved[os.fsdecode(path)] = self.saved_at
            self._idle.clear()
            self._wake.set()

    def wait_idle(self, timeout: float = 30.0) -> None:
        """Until the saved edits are shown: a build started meanwhile would halve this thread's share of
        the interpreter (one runs at a time), and the author is waiting for the edit, not the rebuild."""
        self._idle.wait(timeout)

    def swap_in(self, staging: Path, plugin: Any, build_started: float) -> None:
        """A finished build's site in place of the served one; browsers reload when the build loop ends."""
        with self.lock:
            sitedir.swap_in(staging, self.site_dir)
            served = getattr(plugin, "served", None)
            self.served = served() if served is not None else None
        if self.reloads is not None:
            self.reloads.reload_when_done()
        with self._events:
            # What the new site's build read need not be re-read for it; what was saved during it must.
            self.saved = {path: at for path, at in self.saved.items() if at >= build_started}
            if self.saved_at > build_started:  # saved while it was building: show those edits on this site too
                self._idle.clear()
                self._wake.set()

    def _run(self) -> None:
        while True:
            with self._events:
                if not self._wake.is_set():
                    self._idle.set()
            self._wake.wait()
            while self._wake.is_set() and not self._stopping:  # until the events stop coming
                self._wake.clear()
                time.sleep(self.SETTLE_S)
            if self._stopping:
                return
            started = time.monotonic()
            with self.lock:
                shown = self._show() if self.site_dir.exists() else []
            if shown and self.reloads is not None:
                self.reloads.reload_now()
                more = f" and {len(shown) - 1} more" if len(shown) > 1 else ""
                print(
                    f"hubgen serve: showing the edit on /{shown[0]}{more} ({time.monotonic() - started:.1f}s); "
                    "the rest of the site follows with the rebuild",
                    file=sys.stderr,
                )

    def _show(self) -> list[str]:
        if self.served is None:
            return []
        show = self.served.show_edited
        with self._events:
            saved = [Path(path) for path in self.saved]
        try:
            return list(show(self.site_dir, saved))
        except Exception:  # noqa: BLE001 - a half-saved file, say: the rebuild reports any problem in the hub
            return []


class Reloads:
    """When browsers reload, for a server whose site is built aside and swapped in whole.

    MkDocs' server holds every request while a build runs (it builds in place)
    and reloads the browsers when the build ends, even a failed one. Its epochs
    say both: a request waits while the wanted epoch is ahead of the visible
    one, and a browser reloads when the visible one passes the one its page
    was served with.
    """

    def __init__(self, server: Any) -> None:
        self.server = server
        self.usable = all(hasattr(server, a) for a in ("_epoch_cond", "_visible_epoch", "_wanted_epoch"))

    def serve_during_build(self) -> None:
        """The last good site is served while the build runs (no request waits for it)."""
        if self.usable:
            with self.server._epoch_cond:
                self.server._wanted_epoch = self.server._visible_epoch
                self.server._epoch_cond.notify_all()

    def reload_now(self) -> None:
        """Browsers reload at once (pages changed in the served site)."""
        if self.usable:
            with self.server._epoch_cond:
                self.server._visible_epoch = self.server._wanted_epoch = self._next()
                self.server._epoch_cond.notify_all()

    def reload_when_done(self) -> None:
        """Browsers reload when the build loop finishes this build (it publishes the wanted epoch)."""
        if self.usable:
            with self.server._epoch_cond:
                self.server._wanted_epoch = self._next()

    def _next(self) -> int:
        return max(time.monotonic_ns() // 1_000_000, int(self.server._visible_epoch) + 1)


def writes_observer() -> Any:
    """The system's file watcher (inotify on Linux), told only of writes: it also reports files opened
    and closed unwritten, and every rebuild reads the whole of content/, so each rebuild would ask for
    the next one (MkDocs rebuilds on any event) and the quick update would see every file as saved."""
    from watchdog import events
    from watchdog.observers import Observer

    writes: list[type[events.FileSystemEvent]] = [
        events.FileCreatedEvent,
        events.FileModifiedEvent,
        events.FileClosedEvent,  # closed after writing
        events.FileDeletedEvent,
        events.FileMovedEvent,
        events.FileAttribEvent,
        events.DirCreatedEvent,
        events.DirDeletedEvent,
        events.DirMovedEvent,
    ]

    class WritesOnly(Observer):  # type: ignore[misc, valid-type]  # Observer is the platform's class
        def schedule(self, event_handler: Any, path: Any, *, event_filter: Any = None, **kw: Any) -> Any:
            return super().schedule(event_handler, path, event_filter=event_filter or writes, **kw)

    return WritesOnly()


def native_watch_fits(paths: list[Path]) -> bool:
    """Whether the system's file watcher can watch `paths`: inotify (Linux) needs one watch per folder,
    and editors and other tools use the same per-user allowance, so keep to half of it."""
    limit_file = Path("/proc/sys/fs/inotify/max_user_watches")
    if not limit_file.exists():
        return True  # macOS' and Windows' watchers have no per-folder cost
    try:
        limit = int(limit_file.read_text())
    except (OSError, ValueError):
        return False
    folders = 0
    for path in paths:
        if path.is_dir():
            folders += sum(1 for _ in os.walk(path))
    return folders * 2 <= limit


def _hub_errors(config: MkDocsConfig) -> int:
    """How many error-level problems the hubgen plugin found in this build (records it skipped)."""
    from hubgen.problems import Severity

    plugin = config.plugins.get("hubgen")
    result = getattr(plugin, "result", None)
    return sum(1 for p in result.hub.problems if p.severity is Severity.ERROR) if result is not None else 0


def _parse_addr(text: str) -> Any:
    from mkdocs.config.config_options import IpAddress

    return IpAddress().validate(text)
