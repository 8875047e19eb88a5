"""Site search (Material's search plugin), typed into the header box as a reader does on a desktop."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser import content

pytestmark = pytest.mark.browser


def search(visit, query: str, expected_path: str) -> list[str]:
    """Type `query` into the search box; the result links once `expected_path` shows (or on timeout)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout  # here: the module must import without it

    visit.goto("projects/")
    box = visit.page.locator(".md-search__input")
    assert box.is_visible(), "the search box is not in the header at desktop width"
    box.fill(query)
    box.press("End")  # Material reads the query on keyup, which typing sends and fill() does not
    links = "() => [...document.querySelectorAll('.md-search-result__item a.md-search-result__link')]" \
            ".map(a => new URL(a.href).pathname)"
    try:
        visit.page.wait_for_function(f"path => ({links})().some(p => p.endsWith(path))", arg=expected_path,
                                     timeout=10_000)
    except PlaywrightTimeout:
        pass  # the caller reports what the reader saw instead
    return visit.page.evaluate(links)


def test_searching_a_project_tag_finds_the_project(open_page, example_site: Path):
    tag, project = content.tag_of_exactly_one_project(example_site)
    visit = open_page()
    shown = search(visit, tag, f"/projects/{project.id}/")
    assert any(p.endswith(f"/projects/{project.id}/") for p in shown), \
        f"searching {tag!r} (a tag of {project.id} only) showed: {shown}"
    title = visit.page.locator(".md-search-result__item", has=visit.page.locator(
        f"a[href*='/projects/{project.id}/']")).first.locator("h1").inner_text()
    assert title.strip() == project.title  # the result is labelled as a reader expects
    assert not visit.problems(), "\n".join(visit.problems())


def test_searching_a_word_of_a_null_result_write_up_finds_it(open_page, example_site: Path):
    word, nid, title = content.word_only_in_a_null_result_body(example_site)
    visit = open_page()
    shown = search(visit, word, f"/null-results/{nid}/")
    assert any(p.endswith(f"/null-results/{nid}/") for p in shown), \
        f"searching {word!r} (only in the write-up of {nid}) showed: {shown}"
    assert not visit.problems(), "\n".join(visit.problems())


def test_searching_nonsense_finds_nothing(open_page, example_site: Path):
    # The other two tests would pass if search listed every page for any query.
    visit = open_page()
    visit.goto("projects/")
    box = visit.page.locator(".md-search__input")
    box.fill("qzxwvkjh")
    box.press("End")
    meta = visit.page.locator(".md-search-result__meta")
    meta.filter(has_text="No matching documents").wait_for()
    assert visit.page.locator(".md-search-result__item").count() == 0
