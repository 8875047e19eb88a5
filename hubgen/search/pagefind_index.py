"""The Pagefind index of a large hub, fed page by page while the engine renders.

Pagefind's binary runs in service mode in its own process, so indexing takes
the core MkDocs leaves idle instead of adding a crawl of the finished site at
the end. Only each page's rendered content is sent, the part a reader
searches: the theme's navigation, header and footer are never parsed.

Memory: a Pagefind process needs about five times more while it writes its
bundle than while it collects pages (about 140 kB a page at write time, so
3 GB for 23,000 pages). Pages therefore go to shards of SHARD_PAGES: when one
is full its process writes it and exits while a new process takes the next
pages, so the peak is bounded by the shard size, not the hub, and only the
last shard's write is left for the end of the build. The browser merges the
shards (Pagefind's `mergeIndex`), listed in `pagefind/hubgen-shards.json`.

This is a small synchronous client of the service protocol the `pagefind`
package's own API speaks (base64 JSON messages, each ended by a comma). That
API polls for replies every 100 ms, one reply per poll: 40 minutes for 23,000
pages. Here a reader thread takes replies as they come, and `add` waits only
when too many pages are in flight, which bounds the memory held for them.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import subprocess
import threading
import time
from html import escape
from pathlib import Path
from typing import Any

# Pagefind skips these inside the indexed content: permalink anchors (¶), the
# filter controls of listing tables, and what Material's search skips too.
EXCLUDE_SELECTORS = (".headerlink", ".hub-filters", "[data-search-exclude]")
_HEADING = re.compile(r"<h([1-6])\b([^>]*)>", re.IGNORECASE)
MAX_IN_FLIGHT = 256
SHARD_PAGES = 5000
BUNDLE = "pagefind"  # the primary shard; the others are BUNDLE/shard-N/
MANIFEST = "hubgen-shards.json"


def shard_order(path: str) -> str:
    """Sort key that spreads pages evenly over shards: a stable hash of the page path.

    Pagefind ranks with per-index statistics; shards filled in path order would
    each hold one kind of page (all people, then all projects), and a rare word
    in one would outrank a common one in another.
    """
    return hashlib.blake2b(path.encode(), digest_size=8).hexdigest()


def balanced_shard_size(expected_pages: int | None, shard_pages: int) -> int:
    """At most `shard_pages` a shard, the shards as equal as the page count allows.

    Pagefind's ranking depends on its index's size, so a small last shard
    would rank its pages above the others'.
    """
    limit = max(1, shard_pages)
    if not expected_pages or expected_pages <= limit:
        return limit
    shards = -(-expected_pages // limit)
    return -(-expected_pages // shards)


def searchable(content_html: str) -> str:
    """Page content without the sections Material's search leaves out.

    A heading marked `data-search-exclude` (`## Related work { data-search-exclude }`)
    excludes its whole section from Material's index, up to the next heading
    of the same or a higher level; Pagefind only knows elements, so the
    section is cut here. Cross-reference lists are marked this way: the
    records they name are found on their own pages.
    """
    out, cut_level, pos = [], 0, 0
    for match in _HEADING.finditer(content_html):
        level = int(match.group(1))
        if cut_level and level > cut_level:
            continue
        if cut_level:
            pos = match.start()  # the section ends at this heading
            cut_level = 0
        if "data-search-exclude" in match.group(2):
            out.append(content_html[pos : match.start()])
            cut_level = level
    if not cut_level:
        out.append(content_html[pos:])
    return "".join(out)


FACET_NAMES = ("kind", "status", "team")


def filter_marks(facets: tuple[str, str, str] | None) -> str:
    """Empty elements that give a page its Pagefind filters (kind, status, team) without adding text."""
    return "".join(
        f'<span data-pagefind-filter="{name}:{escape(value)}"></span>'
        for name, value in zip(FACET_NAMES, facets or ())
        if value
    )


class PagefindError(RuntimeError):
    """Pagefind could not start, index a page or write its files."""


class _Service:
    """One Pagefind process in service mode holding one index."""

    def __init__(self, language: str) -> None:
        from pagefind.service import get_executable

        binary = get_executable()
        if binary is None:
            raise PagefindError(
                "pagefind: no Pagefind binary found (install hubgen with its dependencies: pip install 'pagefind[bin]')"
            )
        try:
            self._proc = subprocess.Popen(
                [str(binary), "--service"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
            )
        except OSError as exc:
            raise PagefindError(f"pagefind: cannot start {binary}: {exc}") from exc
        self._lock = threading.Condition()
        self._replies: dict[int, dict[str, Any]] = {}
        self._kept: set[int] = set()  # ids whose reply is collected; page replies are only counted
        self._in_flight = 0
        self._failure: str | None = None
        self._next_id = 0
        self._reader = threading.Thread(target=self._read, name="hubgen-pagefind", daemon=True)
        self._reader.start()
        config = {"exclude_selectors": list(EXCLUDE_SELECTORS), "force_language": language}
        self.index_id = self.reply(self.send({"type": "NewIndex", "config": config}, keep=True))["index_id"]
        self.pages = 0

    def add(self, url: str, html: str) -> None:
        self.send({"type": "AddFile", "index_id": self.index_id, "url": url, "file_path": None, "file_contents": html})
        self.pages += 1

    def start_writing(self, output: Path) -> int:
        """Ask for the bundle in `output` once every page sent is indexed; the id of the reply to wait for."""
        return self.send({"type": "WriteFiles", "index_id": self.index_id, "output_path": str(output)}, keep=True)

    def send(self, payload: dict[str, Any], keep: bool = False) -> int:
        with self._lock:
            self._lock.wait_for(lambda: self._in_flight < MAX_IN_FLIGHT or self._failure is not None)
            self._check()
            self._next_id += 1
            message_id = self._next_id
            self._in_flight += 1
            if keep:
                self._kept.add(message_id)
        message = base64.b64encode(json.dumps({"message_id": message_id, "payload": payload}).encode()) + b","
        try:
            assert self._proc.stdin is not None
            self._proc.stdin.write(message)
            self._proc.stdin.flush()
        except (OSError, ValueError) as exc:
            self._fail(f"pagefind stopped: {exc}")
            self._check()
        return message_id

    def has_reply(self, message_id: int) -> bool:
        with self._lock:
            self._check()
            return message_id in self._replies

    def reply(self, message_id: int) -> dict[str, Any]:
        with self._lock:
            self._lock.wait_for(lambda: message_id in self._replies or self._failure is not None)
            self._check()
            return self._replies.pop(message_id)

    def close(self, wait: float = 60) -> None:
        """End the service: it exits on end of input once its work is done; stopped if it will not."""
        if self._proc.poll() is None:
            try:
                if self._proc.stdin:
                    self._proc.stdin.close()
            except OSError:
                pass
            try:
                self._proc.wait(timeout=wait)
            except subprocess.TimeoutExpired:
                self._proc.terminate()
                try:
                    self._proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self._proc.kill()
                    self._proc.wait()
        self._reader.join(timeout=10)

    def _read(self) -> None:
        """Reader thread: every reply as it arrives; an error reply fails the service."""
        stdout = self._proc.stdout
        assert stdout is not None
        buffer = b""
        while True:
            chunk = stdout.read1(1 << 16)  # type: ignore[attr-defined]  # a pipe: a BufferedReader
            if not chunk:
                self._fail("pagefind stopped unexpectedly")
                return
            buffer += chunk
            *messages, buffer = buffer.split(b",")
            for raw in messages:
                try:
                    reply = json.loads(base64.b64decode(raw))
                except ValueError:
                    continue  # not a protocol message
                payload = reply.get("payload") or {}
                if payload.get("type") == "Error":
                    self._fail(f"pagefind failed: {payload.get('message', 'unknown error')}")
                    return
                with self._lock:
                    self._in_flight -= 1
                    message_id = reply.get("message_id")
                    if message_id in self._kept:
                        self._kept.discard(message_id)
                        self._replies[message_id] = payload
                    self._lock.notify_all()

    def _fail(self, message: str) -> None:
        with self._lock:
            if self._failure is None:
                self._failure = message
            self._lock.notify_all()

    def _check(self) -> None:
        if self._failure is not None:
            raise PagefindError(self._failure)


class PagefindFeed:
    """A running, sharded Pagefind index for `site_dir`: `add` pages, then `write`, or `close` to discard."""

    def __init__(
        self, site_dir: Path, language: str = "en", shard_pages: int = SHARD_PAGES, expected_pages: int | None = None
    ) -> None:
        self.bundle = Path(site_dir).resolve() / BUNDLE
        self.language = language or "en"
        self.shard_pages = balanced_shard_size(expected_pages, shard_pages)
        self.pages = 0
        self._writing: list[tuple[_Service, int, Path]] = []  # shards being written: reply to wait for, folder
        self._shards = 0
        self._current: _Service | None = _Service(self.language)

    def add(self, url: str, content_html: str, facets: tuple[str, str, str] | None = None) -> None:
        """Index one page's content under `url` (site-absolute, e.g. /projects/x/).

        `content_html` is what the index should read (the plugin passes it
        through `searchable` and `hubgen.search.text.indexable`); `facets`, a
        record page's kind, status and team, become Pagefind filters.
        """
        if self._current is None:
            raise PagefindError("pagefind: the index was already written or closed")
        if self._current.pages >= self.shard_pages:
            self._rotate()
        if self._writing and self.pages % 64 == 0:
            self._reap()
        html = (
            f'<!doctype html><html lang="{escape(self.language)}"><head><meta charset="utf-8"></head>'
            f"<body><main data-pagefind-body>{filter_marks(facets)}{content_html}</main></body></html>"
        )
        self._current.add(url, html)
        self.pages += 1

    def _shard_dir(self, n: int) -> Path:
        return self.bundle if n == 0 else self.bundle / f"shard-{n}"

    def _rotate(self) -> None:
        """The current shard is full: its process writes it in the background; a new one takes over."""
        assert self._current is not None
        folder = self._shard_dir(self._shards)
        self._writing.append((self._current, self._current.start_writing(folder), folder))
        self._shards += 1
        self._current = None
        self._current = _Service(self.language)

    def _reap(self) -> None:
        """Stop the processes whose shard is written: their memory goes back at once."""
        still = []
        for service, reply, folder in self._writing:
            if service.has_reply(reply):
                service.reply(reply)
                _await_bundle(folder)
                service.close()
            else:
                still.append((service, reply, folder))
        self._writing = still

    def write(self) -> list[Path]:
        """Wait for every shard, write the shard list the browser reads, stop the services; the shard folders."""
        try:
            if self._current is not None:
                folder = self._shard_dir(self._shards)
                self._writing.append((self._current, self._current.start_writing(folder), folder))
                self._shards += 1
                self._current = None
            for service, reply, folder in self._writing:
                service.reply(reply)
                _await_bundle(folder)
                service.close()
            folders = [self._shard_dir(n) for n in range(self._shards)]  # each one awaited whole above
            (self.bundle / MANIFEST).write_text(
                json.dumps({"shards": [f"{folder.name}/" for folder in folders[1:]], "pages": self.pages}) + "\n"
            )
            return folders
        finally:
            self.close()

    def close(self) -> None:
        """Stop every service (also after `write`; safe to repeat)."""
        services = [service for service, _, _ in self._writing] + ([self._current] if self._current else [])
        self._writing, self._current = [], None
        for service in services:
            service.close(wait=5)


def _await_bundle(folder: Path, timeout: float = 120) -> None:
    """Wait until a shard's files are on disk before its process may end.

    Pagefind answers WriteFiles while its last writes may still sit in its
    runtime's buffers (tokio files flush in the background): ending the
    process at once can leave `pagefind-entry.json` empty. Done when the entry
    reads whole and the folder's size holds still for a moment.
    """
    deadline = time.monotonic() + timeout
    last = -1
    while time.monotonic() < deadline:
        try:
            _check_bundle(folder)
            size = sum(
                f.stat().st_size
                for f in folder.rglob("*")
                if f.is_file() and not f.relative_to(folder).parts[0].startswith("shard-")
            )
        except (PagefindError, OSError):
            size = -1
        if size >= 0 and size == last:
            return
        last = size
        time.sleep(0.1)
    _check_bundle(folder)


def _check_bundle(folder: Path) -> None:
    """A written shard must be whole: a half-written one would break search for every reader."""
    entry = folder / "pagefind-entry.json"
    try:
        languages = json.loads(entry.read_text())["languages"]
        if not languages or not (folder / "pagefind.js").is_file():
            raise ValueError("no language index")
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise PagefindError(f"pagefind wrote an incomplete index in {folder} ({exc}); build again") from exc
