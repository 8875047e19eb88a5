"""axe-core in the browser: no critical or serious accessibility violations on the hub's pages.

axe runs on the rendered page (scripts done, palette applied), so it sees what
a screen reader and a low-vision reader get: contrast, names, roles, landmarks.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.browser.conftest import VENDOR
from tests.browser.test_pages import ENTITY_KINDS, entity_page

pytestmark = pytest.mark.browser

AXE = VENDOR / "axe.min.js"
FAILING_IMPACTS = {"critical", "serious"}
# WCAG 2.1 A and AA, the bar the hub is held to (axe's best-practice rules are advice, and double its time)
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# Every page kind: the indexes, one entity page of each kind, and the pages built from analyses.
INDEXES = [
    "",
    "projects/",
    "null-results/",
    "proposals/",
    "discussions/",
    "people/",
    "assets/",
    "experts/",
    "reuse/",
    "reuse/investment/",
    "portfolio/",
    "portfolio/backlog/",
    "health/",
    "whats-new/",
    "contribute/",
    "publishing/",
    "lineage/?node=dataset:customer-360",  # publishing/: a hand-written page with
    "teams/",
    "tags/",
    "tools/",
]  # highlighted code; lineage/: the full-screen explorer, drawn
BROWSE_KINDS = ["teams", "tags", "tools"]  # one team, tag and tool page (issue 18)
# The page kinds whose layout a phone changes most: home's cards, a list with a wide table, a project page
# (lineage diagram, tables), an asset page (impact), the portfolio's charts, the full-screen explorer, a topic.
PHONE_SECTIONS = {"", "projects", "assets", "portfolio", "lineage", "experts"}
VIEWPORTS = {"desktop": {"width": 1440, "height": 900}, "phone": {"width": 390, "height": 844}}


def settled(page) -> None:
    """Wait for what the page's scripts still change: Mermaid's SVGs (the raw source scrolls on a phone)
    and hubgen's second look at which tables scroll (300 ms after load)."""
    page.wait_for_function(
        "() => !document.querySelector('pre.mermaid') && [...document.querySelectorAll("
        "'div.mermaid')].every(h => h.shadowRoot && h.shadowRoot.querySelector('svg'))"
    )
    page.wait_for_timeout(350)


def run_axe(page) -> list[dict]:
    """Critical and serious violations on the page as rendered, Material's chrome included."""
    settled(page)
    page.add_script_tag(path=str(AXE))
    return page.evaluate(
        """async ([impacts, WCAG]) => {
        const result = await axe.run(document, {resultTypes: ['violations'], runOnly: {type: 'tag', values: WCAG}});
        return result.violations.filter(v => impacts.includes(v.impact));
    }""",
        [sorted(FAILING_IMPACTS), WCAG],
    )


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"  [{v['impact']}] {v['id']}: {v['help']} ({len(v['nodes'])} element(s))")
        for node in v["nodes"][:3]:
            summary = (node.get("failureSummary") or "").splitlines()[-1:]
            lines.append(f"      {node['target']} {node['html'][:100]!r} {summary}")
    return "\n".join(lines)


def pages_to_check(site: Path) -> list[str]:
    topic = next(p.parent.name for p in sorted((site / "experts").glob("*/index.html")))
    # a proposal's page: it shows "Prior art to review" where other projects show related work
    proposal = re.search(r'href="\.\./(projects/[^/"]+/)"', (site / "proposals/index.html").read_text()).group(1)
    return (
        INDEXES
        + [entity_page(site, kind).url for kind in (*ENTITY_KINDS, *BROWSE_KINDS)]
        + [f"experts/{topic}/", proposal]
    )


# Both schemes on the desktop; the phone layout (the same colours, rearranged) in light. Contrast is
# the scheme's business, reflow and touch targets the viewport's: three runs cover both axes.
@pytest.mark.parametrize(("scheme", "viewport"), [("light", "desktop"), ("dark", "desktop"), ("light", "phone")])
def test_pages_have_no_serious_accessibility_violations(open_page, example_site: Path, scheme: str, viewport: str):
    visit = open_page(color_scheme=scheme, viewport=VIEWPORTS[viewport])
    failures = []
    pages = pages_to_check(example_site)
    if viewport == "phone":  # what reflows: wide tables, charts, diagrams, the explorer, cards (colours are the
        pages = [u for u in pages if u.split("/")[0] in PHONE_SECTIONS]  # desktop runs' business)
    for url in pages:
        visit.goto(url)
        found = run_axe(visit.page)
        if found:
            failures.append(f"/{url}:\n{describe(found)}")
    # Search results, in the overlay Material opens over the page.
    visit.goto("")
    if viewport == "phone":  # the search box is behind the header's magnifier button
        visit.page.locator("label.md-header__button[for='__search']").first.click()
    visit.page.wait_for_function(  # "Initializing search" until Material's worker has the index; a query typed
        # before that is dropped
        "() => /\\S/.test(document.querySelector('.md-search-result__meta')?.textContent || '')"
        " && !/initializ/i.test(document.querySelector('.md-search-result__meta').textContent)"
    )
    visit.page.fill(".md-search__input", "churn")
    visit.page.press(".md-search__input", "End")  # Material reads the query on keyup, which fill() does not send
    visit.page.locator(".md-search-result__item").first.wait_for()
    visit.page.wait_for_timeout(600)  # Material fades results and colours in (.25 s transitions)
    found = run_axe(visit.page)
    if found:
        failures.append(f"search results:\n{describe(found)}")
    assert not failures, f"axe found critical/serious violations ({scheme}, {viewport}):\n" + "\n".join(failures)


def test_axe_catches_what_it_should(open_page):
    # The check must see what it is for: a contrast failure and a nameless link in the content.
    visit = open_page()
    visit.goto("people/")
    visit.page.evaluate("""() => {
        const p = document.createElement('p');
        p.innerHTML = '<span style="color:#bbb">faint</span> <a href="#x"><svg width="10" height="10"></svg></a>';
        document.querySelector('article').appendChild(p);
    }""")
    assert {"color-contrast", "link-name"} <= {v["id"] for v in run_axe(visit.page)}


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_search_filters_and_spelling_line_are_accessible(open_page, scheme: str):
    # A typo shows both hubgen additions to the overlay: the "Showing results for" line and the filters.
    visit = open_page(color_scheme=scheme)
    visit.goto("")
    visit.page.wait_for_function(
        "() => /\\S/.test(document.querySelector('.md-search-result__meta')?.textContent || '')"
        " && !/initializ/i.test(document.querySelector('.md-search-result__meta').textContent)"
    )
    visit.page.fill(".md-search__input", "chrun")
    visit.page.press(".md-search__input", "End")
    visit.page.locator(".hub-search-correction").wait_for(state="visible")
    visit.page.locator(".hub-search-facets").wait_for(state="visible")
    visit.page.wait_for_timeout(600)
    found = run_axe(visit.page)
    assert not found, describe(found)
