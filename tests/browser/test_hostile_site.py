"""The hostile corpus built and opened page by page in Chromium: no payload ever runs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import serve
from tests.test_hostile import build_payload_site

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module", params=["material", "pagefind"])
def hostile_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    site = build_payload_site(tmp_path_factory.mktemp("hostile-browser"), request.param)
    with serve(site) as url:
        yield url, site


def test_no_script_runs_on_any_page(browser: Any, hostile_url: tuple[str, Path]) -> None:
    base, site = hostile_url
    pages = sorted(str(p.relative_to(site).parent) for p in site.rglob("index.html"))
    assert len(pages) >= 10
    context = browser.new_context()
    local = urlsplit(base).netloc
    outside: list[str] = []

    def block(route: Any) -> None:  # a clobbered config or a CDN Mermaid would ask another host
        outside.append(route.request.url)
        route.abort()

    context.route(lambda url: urlsplit(url).scheme in ("http", "https") and urlsplit(url).netloc != local, block)
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    for rel in pages:
        page.goto(base + ("" if rel == "." else rel + "/"), wait_until="load")
        page.fill(".md-search__input", "gamma")  # search runs on every page: its config must be the theme's
        page.press(".md-search__input", "End")  # Material reads the query on keyup
        page.wait_for_timeout(150)
        assert outside == [], f"{rel}: requests to another host: {outside}"
        hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
        assert not [h for h in hrefs if h.strip().lower().startswith("javascript:")], rel
        handlers = page.eval_on_selector_all(
            "article *", "els => els.filter(e => [...e.attributes].some(a => a.name.startsWith('on'))).length"
        )
        assert handlers == 0, f"an element with an on* handler on {rel}"
        assert page.evaluate("window.__pwned") is None, f"the payload ran on {rel}"
    context.close()
    assert dialogs == []
