"""The example site in headless Chromium: pages open cleanly, images and diagrams show, links lead on."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.browser import content
from tests.browser.builtsite import Page, read_site

pytestmark = pytest.mark.browser

INDEXES = ["", "projects/", "null-results/", "discussions/", "people/", "assets/"]
ENTITY_KINDS = ["projects", "null-results", "discussions", "people", "assets"]


def entity_page(site: Path, section: str) -> Page:
    """One entity page of a section; for projects one with a lineage diagram, the richest page kind."""
    pages = [
        p for path, p in read_site(site).items() if path.startswith(f"{section}/") and path != f"{section}/index.html"
    ]
    assert pages, f"no {section} entity page in the site"
    if section == "projects":
        with_diagram = [p for p in pages if p.mermaid]
        assert with_diagram, "no project page has a lineage diagram"
        return with_diagram[0]
    return pages[0]


def assert_clean(visit, path: str) -> None:
    assert not visit.problems(), f"/{path}:\n" + "\n".join(visit.problems())


@pytest.mark.parametrize("path", INDEXES, ids=lambda p: p or "home")
def test_index_page_opens_cleanly(open_page, example_site: Path, path: str):
    visit = open_page()
    visit.goto(path)
    expected = read_site(example_site)[f"{path}index.html"].h1[0]
    assert visit.page.locator("article h1").inner_text().strip().removesuffix("¶").strip() == expected
    table = visit.page.locator(".hub-filterable table").first
    if table.count():  # the index's filter bar (hubgen.js) is there and filters
        rows = table.locator("tbody tr")
        total = rows.count()
        bar = visit.page.locator(".hub-filters").first
        assert bar.is_visible(), "the filter bar above the table is missing"
        assert f"{total} of {total} shown" in bar.inner_text()
        first_row = rows.first.locator("td").first.inner_text().strip().splitlines()[0]
        bar.locator("input").fill(first_row)
        shown = table.locator("tbody tr:visible").count()
        assert 1 <= shown < total or total == 1, f"filtering on {first_row!r} left {shown} of {total} rows"
    assert_clean(visit, path)


@pytest.mark.parametrize("section", ENTITY_KINDS)
def test_entity_page_opens_cleanly(open_page, example_site: Path, section: str):
    page = entity_page(example_site, section)
    visit = open_page()
    visit.goto(page.url)
    heading = visit.page.locator("article h1")
    assert heading.is_visible()
    assert heading.inner_text().strip().removesuffix("¶").strip() == page.h1[0]
    if page.mermaid:  # rendering happens after load: let it finish (or fail) before judging
        visit.page.wait_for_function("n => document.querySelectorAll('div.mermaid').length >= n", arg=len(page.mermaid))
    assert_clean(visit, page.url)


IMAGES_JS = """async () => Promise.all([...document.querySelectorAll('article img')].map(async img => {
    img.loading = 'eager';  // lazy images below the fold load only when scrolled to: ask for all now
    if (!img.complete) await new Promise(done => {
      img.addEventListener('load', done, {once: true});
      img.addEventListener('error', done, {once: true});
    });
    const box = img.getBoundingClientRect();
    return {src: img.currentSrc || img.getAttribute('src'), alt: (img.getAttribute('alt') || '').trim(),
            variant: img.getAttribute('src') || '', natural: img.naturalWidth, shown: box.width > 0 && box.height > 0};
}))"""
# Material shows `x.png#only-light` in the light palette only, and `#only-dark` in the dark one.
OTHER_PALETTE = {"light": "#only-dark", "dark": "#only-light"}


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_image_loads_and_has_alt_text(open_page, example_site: Path, scheme: str):
    with_images = [p for p in read_site(example_site).values() if p.images]
    if not with_images:
        pytest.skip("the built site has no <img> yet (charts will come from portfolio/)")
    visit = open_page(color_scheme=scheme)
    broken = []
    shown = 0
    for page in with_images:
        visit.goto(page.url, wait="load")
        images = visit.page.evaluate(IMAGES_JS)
        assert len(images) >= len(page.images), f"/{page.url}: images missing from the article"
        for img in images:
            where = f"/{page.url}: {img['src']}"
            if img["natural"] == 0:
                broken.append(f"{where} did not load")
            if not img["alt"]:
                broken.append(f"{where} has no alt text")
            if img["variant"].endswith(OTHER_PALETTE[scheme]):
                continue
            shown += 1
            if not img["shown"]:
                broken.append(f"{where} is not visible in the {scheme} palette")
    assert not broken, "\n".join(broken)
    assert shown, f"no image is visible in the {scheme} palette"
    assert not visit.problems(), "\n".join(visit.problems())


def diagram_svgs(page) -> list[str]:
    """The SVG markup Material rendered for each Mermaid diagram on the page."""
    return page.evaluate("""() => [...document.querySelectorAll('div.mermaid')].map(host => {
        const svg = host.shadowRoot && host.shadowRoot.querySelector('svg');
        return svg ? svg.outerHTML : '';
    })""")


def test_lineage_diagram_renders_as_svg(open_page, example_site: Path):
    page = entity_page(example_site, "projects")
    project_id = page.url.split("/")[1]
    visit = open_page()
    visit.goto(page.url)
    visit.page.wait_for_function("n => document.querySelectorAll('div.mermaid').length >= n", arg=len(page.mermaid))
    assert visit.page.locator("pre.mermaid").count() == 0, "a diagram was left as source text"
    svgs = diagram_svgs(visit.page)
    assert len(svgs) == len(page.mermaid)
    for svg in svgs:
        assert svg.startswith("<svg"), "the diagram did not render to an <svg>"
        assert "Syntax error" not in svg
        assert project_id in svg, "the project's own node is missing from its lineage diagram"
    box = visit.page.locator("div.mermaid").first.bounding_box()
    assert box and box["width"] > 100 and box["height"] > 30, f"the diagram is not visible: {box}"
    assert_clean(visit, page.url)


def test_every_diagram_in_the_site_is_valid_mermaid(open_page, example_site: Path):
    # Loading every page with a diagram would take minutes: instead the vendored Mermaid
    # parses every diagram source of the site on one page (rendering is tested above).
    sources = {src: path for path, p in read_site(example_site).items() for src in p.mermaid}
    assert sources
    visit = open_page()
    visit.goto(entity_page(example_site, "projects").url)
    visit.page.wait_for_function("() => window.mermaid && document.querySelector('div.mermaid')")
    errors = visit.page.evaluate(
        """async sources => {
        const out = [];
        for (const src of sources) {
            try { out.push(await window.mermaid.parse(src) ? '' : 'not a diagram'); }
            catch (e) { out.push(String(e && e.message || e)); }
        }
        return out;
    }""",
        list(sources),
    )
    bad = [f"{path}: {error}" for (src, path), error in zip(sources.items(), errors) if error]
    assert not bad, f"{len(bad)} of {len(sources)} diagrams are not valid Mermaid:\n" + "\n".join(bad[:20])


def test_reader_clicks_from_home_to_a_lead_and_on_to_their_other_project(open_page, example_site: Path):
    project, lead, other = content.lead_with_another_project(example_site)
    lead_name = content.people_names()[lead]
    visit = open_page()
    page = visit.page

    def h1() -> str:
        return page.locator("article h1").inner_text().strip().removesuffix("¶").strip()

    visit.goto("")
    # The header tab that leads to the projects (its label is the nav's business: "Work" today).
    page.locator(".md-tabs__link[href$='projects/']").click()
    page.wait_for_url(re.compile(r"/projects/$"))
    assert h1() == "Projects"

    page.locator("article a", has_text=re.compile(rf"^{re.escape(project.title)}$")).first.click()
    page.wait_for_url(re.compile(rf"/projects/{re.escape(project.id)}/$"))
    assert h1() == project.title

    page.locator(".hub-facts tr", has=page.locator("th", has_text="Lead")).get_by_role(
        "link", name=lead_name, exact=True
    ).click()
    page.wait_for_url(re.compile(rf"/people/{re.escape(lead)}/$"))
    assert h1() == lead_name

    page.locator("article a", has_text=re.compile(rf"^{re.escape(other.title)}$")).first.click()
    page.wait_for_url(re.compile(rf"/projects/{re.escape(other.id)}/$"))
    assert h1() == other.title
    assert not visit.problems(), "\n".join(visit.problems())


def _project_with_team_tags_and_tools(site: Path) -> content.Project:
    for project in content.projects(site).values():
        data = yaml_project(project.id)
        if data.get("team") and data.get("tags") and data.get("tools"):
            return project
    raise AssertionError("no built project has a team, tags and tools")


def yaml_project(pid: str) -> dict:
    import yaml

    from tests.conftest import ROOT

    return yaml.safe_load((ROOT / "content" / "projects" / pid / "project.yml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("row, section", [("Team", "teams"), ("Tags", "tags"), ("Tools", "tools")])
def test_reader_clicks_from_a_project_to_its_team_tag_and_tool_pages(
    open_page, example_site: Path, row: str, section: str
):
    project = _project_with_team_tags_and_tools(example_site)
    data = yaml_project(project.id)
    name = {"teams": data["team"], "tags": data["tags"][0], "tools": data["tools"][0]}[section]
    visit = open_page()
    page = visit.page
    visit.goto(f"projects/{project.id}/")
    page.locator(".hub-facts tr", has=page.locator("th", has_text=re.compile(rf"^{row}$"))).get_by_role(
        "link", name=name, exact=True
    ).first.click()
    page.wait_for_url(re.compile(rf"/{section}/[a-z0-9][a-z0-9._-]*/$"))
    h1 = page.locator("article h1").inner_text().strip().removesuffix("¶").strip()
    expected = name.split("==")[0].split(">=")[0] if section == "tools" else name
    assert h1.casefold() == expected.casefold()
    # the page lists the project the reader came from, and leads back to it
    page.locator("article a", has_text=re.compile(rf"^{re.escape(project.title)}$")).first.click()
    page.wait_for_url(re.compile(rf"/projects/{re.escape(project.id)}/$"))
    assert_clean(visit, f"projects/{project.id}/")


LIST_PAGES = [
    "projects/",
    "null-results/",
    "discussions/",
    "people/",
    "assets/",
    "reuse/",
    "reuse/investment/",
    "portfolio/",
    "portfolio/backlog/",
    "health/",
    "experts/",
    "teams/",
    "tags/",
    "tools/",
]


def test_list_pages_need_no_sideways_scrolling_at_1280_px(open_page, example_site: Path):
    visit = open_page(viewport={"width": 1280, "height": 900})
    wide = []
    for path in LIST_PAGES:
        visit.goto(path)
        found = visit.page.evaluate("""() => {
            const doc = document.documentElement;
            const out = doc.scrollWidth > doc.clientWidth ? [`page ${doc.scrollWidth}px > ${doc.clientWidth}px`] : [];
            for (const t of document.querySelectorAll('article table')) {
                const box = t.closest('.md-typeset__scrollwrap') || t.parentElement;
                if (t.scrollWidth > box.clientWidth + 1)
                    out.push(`table "${(t.querySelector('th') || {}).innerText}" ${t.scrollWidth}px > ${box.clientWidth}px`);
            }
            return out;
        }""")
        wide += [f"/{path}: {w}" for w in found]
    assert not wide, "\n".join(wide)
