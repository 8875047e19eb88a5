"""Site search (Material's search plugin), typed into the header box as a reader does on a desktop."""

from __future__ import annotations

import re
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
    links = (
        "() => [...document.querySelectorAll('.md-search-result__item a.md-search-result__link')]"
        ".map(a => new URL(a.href).pathname)"
    )
    try:
        visit.page.wait_for_function(
            f"path => ({links})().some(p => p.endsWith(path))", arg=expected_path, timeout=10_000
        )
    except PlaywrightTimeout:
        pass  # the caller reports what the reader saw instead
    return visit.page.evaluate(links)


def test_searching_a_project_tag_finds_the_project(open_page, example_site: Path):
    tag, project = content.tag_of_exactly_one_project(example_site)
    visit = open_page()
    shown = search(visit, tag, f"/projects/{project.id}/")
    assert any(p.endswith(f"/projects/{project.id}/") for p in shown), (
        f"searching {tag!r} (a tag of {project.id} only) showed: {shown}"
    )
    title = (
        visit.page.locator(".md-search-result__item", has=visit.page.locator(f"a[href*='/projects/{project.id}/']"))
        .first.locator("h1")
        .inner_text()
    )
    assert title.strip() == project.title  # the result is labelled as a reader expects
    assert not visit.problems(), "\n".join(visit.problems())


def test_searching_a_word_of_a_null_result_write_up_finds_it(open_page, example_site: Path):
    word, nid, title = content.word_only_in_a_null_result_body(example_site)
    visit = open_page()
    shown = search(visit, word, f"/null-results/{nid}/")
    assert any(p.endswith(f"/null-results/{nid}/") for p in shown), (
        f"searching {word!r} (only in the write-up of {nid}) showed: {shown}"
    )
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


def term_counts(site: Path) -> dict[str, int]:
    """The site's own term list (search/hubgen-terms/): pages holding each word."""
    counts = {}
    for path in (site / "search" / "hubgen-terms").glob("*.txt"):
        for line in path.read_text(encoding="utf-8").splitlines():
            word, _, n = line.partition("\t")
            counts[word] = int(n)
    return counts


def transposed(word: str) -> str:
    """The word with its third and fourth letters swapped: the commonest typo there is."""
    return word[:2] + word[3] + word[2] + word[4:]


def rare_title_word(site: Path, projects: dict) -> tuple[str, str]:
    """(project id, a word of its title on the fewest pages): its transposition must still find it."""
    counts = term_counts(site)
    options = []
    for pid, project in projects.items():
        for word in re.findall(r"[a-z]{7,}", project.title.lower()):
            if word[2] != word[3] and transposed(word) not in counts and word in counts:
                options.append((counts[word], pid, word))
    assert options, "no project title has a long word"
    _, pid, word = min(options)
    return pid, word


def top(shown: list[str], path: str, n: int = 3) -> bool:
    return any(p.endswith(path) for p in shown[:n])


def test_a_swapped_pair_of_letters_still_finds_the_record(open_page, example_site: Path):
    projects = content.projects(example_site)
    churn = sorted(pid for pid, p in projects.items() if "churn" in p.title.lower().split())
    assert churn, "the example hub has a churn project"
    visit = open_page()
    shown = search(visit, "chrun", f"/projects/{churn[0]}/")
    assert any(top(shown, f"/projects/{pid}/") for pid in churn), f"'chrun' showed: {shown[:5]}"
    correction = visit.page.locator(".hub-search-correction")
    assert "churn" in correction.inner_text()  # the reader is told what was searched instead
    pid, word = rare_title_word(example_site, projects)
    shown = search(visit, transposed(word), f"/projects/{pid}/")
    assert top(shown, f"/projects/{pid}/"), f"{transposed(word)!r} (for {word!r}) showed: {shown[:5]}"
    assert not visit.problems(), "\n".join(visit.problems())


@pytest.mark.parametrize("host", ["decodes .gz itself", "has no .gz files"])
def test_term_lists_load_from_any_host(open_page, example_site: Path, host: str):
    # Some hosts send a .gz file with Content-Encoding: gzip (the browser then hands the page plain text);
    # a site built before the compressed lists has only the .txt files. "chrun" is corrected either way.
    folder = example_site / "search" / "hubgen-terms"
    visit = open_page()
    served: list[str] = []

    def as_host(route) -> None:
        name = route.request.url.rsplit("/", 1)[1]
        served.append(name)
        if host == "has no .gz files":
            route.fulfill(status=404, body="")
        else:
            route.fulfill(status=200, body=(folder / name.removesuffix(".gz")).read_bytes())

    visit.page.route("**/hubgen-terms/*.txt.gz", as_host)
    projects = content.projects(example_site)
    churn = sorted(pid for pid, p in projects.items() if "churn" in p.title.lower().split())
    shown = search(visit, "chrun", f"/projects/{churn[0]}/")
    assert served, "the term lists were not fetched compressed"
    assert any(top(shown, f"/projects/{pid}/") for pid in churn), f"'chrun' showed: {shown[:5]}"
    assert "churn" in visit.page.locator(".hub-search-correction").inner_text()
    missing = [r for r in visit.problems() if not (host == "has no .gz files" and ".txt.gz" in r and "404" in r)]
    assert not missing, "\n".join(missing)


def test_exact_matches_rank_above_corrections(open_page, example_site: Path):
    # "model" is a word of its own, and one edit from "models"/"modal": the pages saying "model" come first.
    visit = open_page()
    shown = search(visit, "forecast", "/")
    texts = visit.page.locator(".md-search-result__item").all_inner_texts()
    assert shown and "forecast" in texts[0].lower()


def test_results_filter_by_kind(open_page, example_site: Path, tmp_path: Path):
    from tests.browser.conftest import ARTIFACTS

    visit = open_page()
    search(visit, "churn", "/null-results/")
    facets = visit.page.locator(".hub-search-facets")
    facets.wait_for(state="visible")
    kinds = facets.locator('select[name="kind"] option').all_inner_texts()
    assert any(k.startswith("Null result (") for k in kinds) and any(k.startswith("Project (") for k in kinds), kinds
    before = visit.page.evaluate(
        "() => document.querySelectorAll('.md-search-result__item a.md-search-result__link').length"
    )
    facets.locator('select[name="kind"]').select_option("null-result")
    links = (
        "() => [...document.querySelectorAll('.md-search-result__item a.md-search-result__link')]"
        ".map(a => new URL(a.href).pathname)"
    )
    visit.page.wait_for_function(
        f"() => ({links})().length > 0 && ({links})().every(p => p.includes('/null-results/'))"
    )
    after = visit.page.evaluate(links)
    assert 0 < len(after) < before
    meta = visit.page.locator(".md-search-result__meta").inner_text()
    assert meta.split()[0] == str(len(set(after))) or len(set(after)) >= 10  # the count is the filtered one
    ARTIFACTS.mkdir(exist_ok=True)
    visit.page.screenshot(path=str(ARTIFACTS / "search-facets-material.png"))
    facets.locator('select[name="kind"]').select_option("")
    visit.page.wait_for_function(f"n => ({links})().length >= n", arg=before)
    assert not visit.problems(), "\n".join(visit.problems())


def test_the_filters_can_be_reached_and_used_by_keyboard(open_page, example_site: Path):
    visit = open_page()
    search(visit, "churn", "/null-results/")
    page = visit.page
    page.locator(".hub-search-facets").wait_for(state="visible")
    page.locator(".md-search__input").focus()
    page.keyboard.press("Tab")  # Material's own search would close here
    assert page.evaluate("() => document.activeElement.name") == "kind"
    assert page.evaluate("() => document.querySelector('input#__search').checked"), "the search closed"
    page.keyboard.press("ArrowDown")  # a closed select steps to its next option
    chosen = page.evaluate("() => document.activeElement.value")
    assert chosen
    links = (
        "() => [...document.querySelectorAll('.md-search-result__item a.md-search-result__link')]"
        ".map(a => new URL(a.href).pathname)"
    )
    section = {
        "asset": "/assets/",
        "discussion": "/discussions/",
        "null-result": "/null-results/",
        "person": "/people/",
        "project": "/projects/",
    }[chosen]
    page.wait_for_function(f"s => ({links})().length > 0 && ({links})().every(p => p.includes(s))", arg=section)
    assert page.evaluate("() => document.activeElement.name") == "kind"  # typing was not taken back to the box
