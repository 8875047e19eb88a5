"""The Pagefind index of a large hub, fed page by page while the engine renders.

Pagefind's binary runs in service mode in its own process, so indexing takes
the core MkDocs leaves idle instead of adding a crawl of the finished site at
the end. Only each page's rendered content is sent, the part a reader
searches: the theme's navigation, header and footer are never parsed.

This is a small synchronous client of the service protocol the `pagefind`
package's own API speaks (base64 JSON messages, each ended by a comma). That
API polls for replies every 100 ms, one reply per poll: 40 minutes for 23,000
pages. Here a reader thread takes replies as they come, and `add` waits only
when too many pages are in flight, which bounds the memory held for them.
"""

from __future__ import annotations

import base64
import json
import subprocess
import threading
from html import escape
from pathlib import Path
from typing import Any

# Pagefind skips these inside the indexed content: permalink anchors (¶) and the
# filter controls of listing tables.
EXCLUDE_SELECTORS = (".headerlink", ".hub-filters")
MAX_IN_FLIGHT = 256


class PagefindError(RuntimeError):
    """Pagefind could not start, index a page or write its files."""


class PagefindFeed:
    """A running Pagefind index: `add` pages, then `write` to a site folder, or `close` to discard."""

    def __init__(self, language: str = "en") -> None:
        from pagefind.service import get_executable

        self.language = language or "en"
        self.pages = 0
        binary = get_executable()
        if binary is None:
            raise PagefindError("pagefind: no Pagefind binary found (install hubgen with its dependencies: "
                                "pip install 'pagefind[bin]')")
        try:
            self._proc = subprocess.Popen([str(binary), "--service"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                          stderr=subprocess.DEVNULL)
        except OSError as exc:
            raise PagefindError(f"pagefind: cannot start {binary}: {exc}") from exc
        self._lock = threading.Condition()
        self._replies: dict[int, dict[str, Any]] = {}
        self._waiting: set[int] = set()  # ids whose reply someone will collect; other replies are only checked
        self._in_flight = 0
        self._failure: str | None = None
        self._next_id = 0
        self._reader = threading.Thread(target=self._read, name="hubgen-pagefind", daemon=True)
        self._reader.start()
        reply = self._request({"type": "NewIndex", "config": {"exclude_selectors": list(EXCLUDE_SELECTORS),
                                                              "force_language": self.language}}, wait=True)
        self._index_id = reply["index_id"]

    def add(self, url: str, content_html: str) -> None:
        """Index one page's rendered content under `url` (site-absolute, e.g. /projects/x/)."""
        html = (f'<!doctype html><html lang="{escape(self.language)}"><head><meta charset="utf-8"></head>'
                f"<body><main data-pagefind-body>{content_html}</main></body></html>")
        self._request({"type": "AddFile", "index_id": self._index_id, "url": url, "file_path": None,
                       "file_contents": html})
        self.pages += 1

    def write(self, site_dir: Path) -> None:
        """Wait for every page, write the bundle to `site_dir`/pagefind and stop the service."""
        try:
            with self._lock:
                self._lock.wait_for(lambda: self._in_flight == 0 or self._failure is not None)
            self._check()
            self._request({"type": "WriteFiles", "index_id": self._index_id,
                           "output_path": str(Path(site_dir).resolve() / "pagefind")}, wait=True)
        finally:
            self.close()

    def close(self) -> None:
        """Stop the service without writing anything (also after `write`; safe to repeat)."""
        if self._proc.poll() is None:
            try:
                if self._proc.stdin:
                    self._proc.stdin.close()
            except OSError:
                pass
            self._proc.terminate()
            try:
                self._proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
        self._reader.join(timeout=10)

    def _request(self, payload: dict[str, Any], wait: bool = False) -> dict[str, Any]:
        with self._lock:
            self._lock.wait_for(lambda: self._in_flight < MAX_IN_FLIGHT or self._failure is not None)
            self._check()
            self._next_id += 1
            message_id = self._next_id
            self._in_flight += 1
            if wait:
                self._waiting.add(message_id)
        message = base64.b64encode(json.dumps({"message_id": message_id, "payload": payload}).encode()) + b","
        try:
            assert self._proc.stdin is not None
            self._proc.stdin.write(message)
            self._proc.stdin.flush()
        except (OSError, ValueError) as exc:
            self._fail(f"pagefind stopped: {exc}")
            self._check()
        if not wait:
            return {}
        with self._lock:
            self._lock.wait_for(lambda: message_id in self._replies or self._failure is not None)
            self._check()
            return self._replies.pop(message_id)

    def _read(self) -> None:
        """Reader thread: every reply as it arrives; an error reply fails the feed."""
        stdout = self._proc.stdout
        assert stdout is not None
        buffer = b""
        while True:
            chunk = stdout.read1(1 << 16)
            if not chunk:
                self._fail("pagefind stopped unexpectedly")
                return
            buffer += chunk
            *messages, buffer = buffer.split(b",")
            for raw in messages:
                try:
                    reply = json.loads(base64.b64decode(raw))
                except ValueError:
                    continue  # not a protocol message (the service does not log to stdout in this mode)
                payload = reply.get("payload") or {}
                if payload.get("type") == "Error":
                    self._fail(f"pagefind failed: {payload.get('message', 'unknown error')}")
                    return
                with self._lock:
                    self._in_flight -= 1
                    message_id = reply.get("message_id")
                    if message_id in self._waiting:
                        self._waiting.discard(message_id)
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
