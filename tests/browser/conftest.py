"""The example site served on 127.0.0.1 and one headless Chromium for the whole session.

Without Chromium or Playwright the browser tests skip with the reason on a
developer machine, and fail in CI (CI=true): CI must never skip them.
Set HUBGEN_CHROMIUM to use a Chromium other than /usr/bin/chromium.
"""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.conftest import ROOT, in_ci

ARTIFACTS = ROOT / "test-artifacts"
VENDOR = Path(__file__).parent / "vendor"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
DESKTOP = {"width": 1440, "height": 900}  # wide enough for Material's header search box and tabs
# Material renders Mermaid diagrams into a *closed* shadow root; open it so tests can see the <svg>.
OPEN_SHADOW_ROOTS = """
(() => {
  const attach = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) { return attach.call(this, Object.assign({}, init, {mode: "open"})); };
})();
"""


def unavailable(reason: str) -> None:
    if in_ci():
        pytest.fail(f"{reason}; CI=true, so the browser tests must run, not skip", pytrace=False)
    pytest.skip(reason)


def chromium_path() -> str | None:
    for candidate in (os.environ.get("HUBGEN_CHROMIUM"), "/usr/bin/chromium"):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return shutil.which("chromium") or shutil.which("chromium-browser")


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


@contextlib.contextmanager
def serve(site: Path) -> Iterator[str]:
    """Serve a built site on 127.0.0.1 (a free port) for the duration; yields its base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(site)))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def site_url(example_site: Path) -> Iterator[str]:
    """Base URL of the example site, served by a local HTTP server on a free port."""
    with serve(example_site) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        unavailable("the Playwright Python package is not installed (pip install -e '.[test]')")
    executable = chromium_path()
    if executable is None:
        unavailable(
            "Chromium not found at /usr/bin/chromium or on PATH (apt-get install chromium, or set HUBGEN_CHROMIUM)"
        )
    manager = sync_playwright().start()
    try:
        try:
            chromium = manager.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        except Error as exc:
            unavailable(f"Chromium at {executable} did not start: {exc.message.splitlines()[0]}")
        yield chromium
        chromium.close()
    finally:
        manager.stop()


@dataclass
class Visit:
    """What a page did while a test used it: what a reader would see go wrong."""

    page: Any
    base: str
    console_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    outside_requests: list[str] = field(default_factory=list)

    def goto(self, path: str, wait: str = "networkidle") -> Any:
        response = self.page.goto(self.base + path, wait_until=wait)
        assert response is not None and response.ok, f"{path}: HTTP {response.status if response else '?'}"
        return response

    def problems(self) -> list[str]:
        return (
            [f"console error: {e}" for e in self.console_errors]
            + [f"failed request: {r}" for r in self.failed_requests]
            + [f"request to another host: {r}" for r in self.outside_requests]
        )


@pytest.fixture
def open_page(browser: Any, site_url: str) -> Iterator[Callable[..., Visit]]:
    """open_page(color_scheme="light"|"dark", viewport=...) -> a Visit on a fresh page (closed after the test).

    Every request to a host other than 127.0.0.1 is recorded and aborted, so a
    site that reaches outside fails here rather than hanging on the network.
    """
    contexts: list[Any] = []
    local = urlsplit(site_url).hostname

    def make(color_scheme: str = "light", viewport: dict[str, int] | None = None) -> Visit:
        context = browser.new_context(viewport=viewport or DESKTOP, color_scheme=color_scheme, service_workers="block")
        contexts.append(context)
        context.add_init_script(OPEN_SHADOW_ROOTS)
        page = context.new_page()
        page.set_default_timeout(15_000)
        visit = Visit(page, site_url)

        def outside(url: str) -> bool:
            parts = urlsplit(url)
            return parts.scheme not in ("data", "blob", "about") and parts.hostname != local

        def block(route: Any) -> None:
            visit.outside_requests.append(route.request.url)
            route.abort()

        context.route(outside, block)
        page.on(
            "console",
            lambda msg: (
                visit.console_errors.append(f"{msg.text} ({msg.location.get('url')})") if msg.type == "error" else None
            ),
        )
        page.on("pageerror", lambda exc: visit.console_errors.append(f"uncaught: {exc}"))
        # ERR_ABORTED: a request the page cancelled by navigating away (a fetch still in flight when a
        # test clicks a link); a missing file is an HTTP error below, and any other failure is recorded.
        page.on(
            "requestfailed",
            lambda req: (
                None
                if outside(req.url) or "ERR_ABORTED" in (req.failure or "")
                else visit.failed_requests.append(f"{req.url}: {req.failure}")
            ),
        )
        page.on(
            "response",
            lambda resp: (
                visit.failed_requests.append(f"{resp.url}: HTTP {resp.status}") if resp.status >= 400 else None
            ),
        )
        return visit

    yield make
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
