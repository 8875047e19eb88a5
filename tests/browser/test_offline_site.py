"""The offline build opened from disk, as a reader who double-clicks index.html (issue 16, item 4).

Every request must stay on file:// (none to a server, none outside), the tabs
and links must open pages rather than file listings, and Material's search
must answer and open its result, in light and dark.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import DESKTOP, OPEN_SHADOW_ROOTS


@pytest.fixture
def from_disk(browser: Any, offline_example_site):
    contexts = []

    def make(color_scheme: str = "light") -> tuple[Any, list[str], list[str]]:
        context = browser.new_context(viewport=DESKTOP, color_scheme=color_scheme)
        contexts.append(context)
        context.add_init_script(OPEN_SHADOW_ROOTS)
        page = context.new_page()
        page.set_default_timeout(15_000)
        errors: list[str] = []
        not_file: list[str] = []
        context.route(
            lambda url: not url.startswith(("file:", "data:", "blob:", "about:")),
            lambda route: (not_file.append(route.request.url), route.abort()),
        )
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda exc: errors.append(f"uncaught: {exc}"))
        page.on(
            "requestfailed",
            lambda req: (
                None
                if "ERR_ABORTED" in (req.failure or "")  # left by navigating on
                else errors.append(f"failed: {req.url}: {req.failure}")
            ),
        )
        page.goto(offline_example_site.joinpath("index.html").as_uri())
        return page, errors, not_file

    yield make
    for context in contexts:
        context.close()


def search(page: Any, query: str) -> None:
    """Type a query (Material reads it on keyup, which fill() does not send) and wait for results."""
    box = page.locator(".md-search__input")
    box.fill(query)
    box.press("End")
    page.locator(".md-search-result__item").first.wait_for()


def heading(page: Any) -> str:
    return page.locator("h1").first.inner_text().rstrip("¶").strip()


def test_tabs_and_links_open_pages_from_disk(from_disk):
    page, errors, not_file = from_disk()
    page.locator("a.md-tabs__link", has_text="Work").click()
    page.wait_for_load_state()
    assert page.url.endswith("/projects/index.html")
    assert heading(page) == "Projects"
    project = page.locator("article table a[href*='index.html']").first
    title = project.inner_text()
    project.click()
    page.wait_for_load_state()
    assert page.url.endswith("/index.html") and "/projects/" in page.url
    assert heading(page) == title
    page.locator("a.md-tabs__link", has_text="People").click()
    page.wait_for_load_state()
    assert heading(page) == "People"
    assert not errors and not not_file, (errors, not_file)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_search_answers_and_opens_its_result_from_disk(from_disk, scheme, artifacts):
    page, errors, not_file = from_disk(scheme)
    search(page, "uplift")
    first = page.locator(".md-search-result__item a").first
    assert "matching document" in page.locator(".md-search-result__meta").inner_text()
    page.screenshot(path=str(artifacts / f"offline-search-{scheme}.png"))
    target = first.evaluate("a => a.href").split("?")[0].split("#")[0]
    assert target.startswith("file:") and target.endswith(".html")
    first.click()
    page.wait_for_load_state()
    assert page.url.split("?")[0].split("#")[0] == target
    assert heading(page)  # a page, not a file listing
    assert not errors and not not_file, (errors, not_file)


def test_the_full_screen_explorer_says_it_needs_the_hosted_site(from_disk, offline_example_site):
    page, errors, not_file = from_disk()
    page.goto(offline_example_site.joinpath("lineage/index.html").as_uri())
    note = page.locator(".hub-explorer-offline")
    note.wait_for()
    assert "hosted site" in note.inner_text()
    assert not errors and not not_file, (errors, not_file)


def test_spelling_correction_works_from_disk(from_disk):
    page, errors, not_file = from_disk()
    search(page, "chrun")
    titles = page.locator(".md-search-result__item h1, .md-search-result__item h2").all_inner_texts()
    assert any("churn" in t.lower() for t in titles[:3]), titles[:5]
    assert not errors and not not_file, (errors, not_file)


def test_the_kind_filter_works_from_disk(from_disk):
    page, errors, not_file = from_disk()
    search(page, "churn")
    facets = page.locator(".hub-search-facets")
    facets.wait_for(state="visible")
    kinds = facets.locator('select[name="kind"] option').all_inner_texts()
    assert any(k.startswith("Null result (") for k in kinds), kinds
    links = (
        "() => [...document.querySelectorAll('.md-search-result__item a.md-search-result__link')]"
        ".map(a => new URL(a.href).pathname)"
    )
    before = len(page.evaluate(links))
    facets.locator('select[name="kind"]').select_option("null-result")
    page.wait_for_function(f"() => ({links})().length > 0 && ({links})().every(p => p.includes('/null-results/'))")
    assert 0 < len(page.evaluate(links)) < before
    assert not errors and not not_file, (errors, not_file)
