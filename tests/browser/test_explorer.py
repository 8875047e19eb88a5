"""The lineage explorer in headless Chromium on the example hub: walk, click through, columns, keyboard.

The routes are chosen from the built fragments (api/lineage/), not written
into the test: from `customer-360`, a consuming project whose output another
project consumes, three hops away.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

START = "dataset:customer-360"


def fragment(site: Path, summary_or_path: dict | str) -> dict:
    path = summary_or_path if isinstance(summary_or_path, str) else summary_or_path["fragment"]
    return json.loads((site / path).read_text())


def three_hops(site: Path) -> tuple[str, str, dict]:
    """(consumer project P, what P produces A, a project Q consuming A) with Q not a neighbour of the start."""
    start = fragment(site, "api/lineage/dataset/customer-360.json")
    near = {s["key"] for s in start["up"] + start["down"]} | {START}
    for p in start["down"]:
        if p["kind"] != "project" or not p["down"]:
            continue
        for a in fragment(site, p)["down"]:
            for q in fragment(site, a)["down"] if a["down"] else ():
                if q["kind"] == "project" and q["key"] not in near and q["url"]:
                    return p["key"], a["key"], q
    raise AssertionError("the example hub has no project three hops downstream of customer-360")


def column_page(site: Path) -> tuple[dict, dict]:
    """An asset whose fragment has an output column fed by input columns, and that column."""
    for path in sorted((site / "api/lineage").rglob("*.json")):
        f = json.loads(path.read_text())
        for c in f.get("columns", ()):
            if c.get("from"):
                return f["node"], c
    raise AssertionError("no column lineage in the example hub's fragments")


def ready(visit, path: str):
    visit.goto(path)
    box = visit.page.locator(".hub-explorer")
    box.wait_for()
    visit.page.wait_for_function("() => document.querySelector('.hub-explorer').dataset.state")
    assert box.get_attribute("data-state") == "ready", box.locator(".hub-explorer__status").inner_text()
    return box


def row(box, key: str):
    return box.locator(f'li[data-key="{key}"]')


def title_of(visit) -> str:
    return visit.page.locator("article h1").inner_text().replace("¶", "").strip()


def test_expand_downstream_twice_and_click_a_node_three_hops_away(open_page, example_site: Path):
    p, a, q = three_hops(example_site)
    visit = open_page()
    box = ready(visit, "assets/dataset/customer-360/")
    assert row(box, p).count() == 1 and row(box, q["key"]).count() == 0
    row(box, p).locator('button[data-side="down"]').click()
    row(box, a).wait_for()
    row(box, a).locator('button[data-side="down"]').click()
    row(box, q["key"]).wait_for()
    # Click the node in the drawing itself (Cytoscape's canvas), where it was laid out.
    where = visit.page.evaluate(
        """key => {
        const x = document.querySelector('.hub-explorer').hubExplorer, n = x.cy.getElementById(key);
        const r = x.canvas.getBoundingClientRect(), p = n.renderedPosition();
        return {inside: p.x > 0 && p.y > 0 && p.x < r.width && p.y < r.height, x: r.left + p.x, y: r.top + p.y};
    }""",
        q["key"],
    )
    if not where["inside"]:  # a wide graph is drawn zoomed for legibility: bring the node into view first
        visit.page.evaluate(
            "key => { const x = document.querySelector('.hub-explorer').hubExplorer;"
            " x.cy.center(x.cy.getElementById(key)); }",
            q["key"],
        )
        where = visit.page.evaluate(
            """key => {
            const x = document.querySelector('.hub-explorer').hubExplorer, n = x.cy.getElementById(key);
            const r = x.canvas.getBoundingClientRect(), p = n.renderedPosition();
            return {x: r.left + p.x, y: r.top + p.y};
        }""",
            q["key"],
        )
    with visit.page.expect_navigation():
        visit.page.mouse.click(where["x"], where["y"])
    assert visit.page.url.endswith("/" + q["url"])
    assert title_of(visit) == q["label"]
    assert not visit.problems(), visit.problems()


def test_pick_an_output_column_and_see_its_input_columns(open_page, example_site: Path):
    node, column = column_page(example_site)
    visit = open_page()
    box = ready(visit, node["url"])
    box.locator("select.hub-explorer__column").select_option(column["name"])
    inputs = box.locator(".hub-explorer__inputs li")
    inputs.first.wait_for()
    shown = [t.strip() for t in inputs.all_inner_texts()]
    assert len(shown) == len(column["from"])
    for link, text in zip(column["from"], shown):
        assert f".{link['column']}" in text
    # The input columns' datasets join the drawing, joined by a dashed column edge.
    edges = visit.page.evaluate(
        "() => document.querySelector('.hub-explorer').hubExplorer.cy.edges('.column').map(e => e.source().id())"
    )
    assert sorted(set(edges)) == sorted({link["key"] for link in column["from"]})


def tab_to(visit, selector: str, limit: int = 400) -> None:
    """Press Tab until `selector` has the focus, as a keyboard user would."""
    for _ in range(limit):
        if visit.page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return
        visit.page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def test_the_same_walk_and_columns_with_the_keyboard_only(open_page, example_site: Path):
    p, a, q = three_hops(example_site)
    visit = open_page()
    box = ready(visit, "assets/dataset/customer-360/")
    tab_to(visit, f'li[data-key="{p}"] button[data-side="down"]')
    visit.page.keyboard.press("Enter")
    row(box, a).wait_for()
    tab_to(visit, f'li[data-key="{a}"] button[data-side="down"]')
    visit.page.keyboard.press("Enter")
    row(box, q["key"]).wait_for()
    tab_to(visit, f'li[data-key="{q["key"]}"] a')
    with visit.page.expect_navigation():
        visit.page.keyboard.press("Enter")
    assert title_of(visit) == q["label"]

    node, column = column_page(example_site)
    box = ready(visit, node["url"])
    tab_to(visit, "select.hub-explorer__column")
    names = box.locator("select.hub-explorer__column option").evaluate_all("os => os.map(o => o.value)")
    for _ in range(names.index(column["name"])):
        visit.page.keyboard.press("ArrowDown")
    inputs = box.locator(".hub-explorer__inputs li")
    inputs.first.wait_for()
    assert [link["column"] for link in column["from"]] == [
        t.split(".")[-1].split(" (")[0].strip() for t in inputs.all_inner_texts()
    ]
    assert not visit.problems(), visit.problems()


def test_depth_filters_and_path(open_page, example_site: Path):
    q = three_hops(example_site)[2]
    visit = open_page()
    box = ready(visit, "assets/dataset/customer-360/")
    before = len(box.locator(".hub-explorer__list > li").all())
    box.locator(".hub-explorer__bar select").first.select_option("3")
    row(box, q["key"]).wait_for()  # depth 3 reaches what two expansions did
    assert len(box.locator(".hub-explorer__list > li").all()) > before
    kind = box.locator("select").nth(1)
    kind.select_option("job")
    visible = [li.get_attribute("data-key") for li in box.locator(".hub-explorer__list > li:not([hidden])").all()]
    assert all(k.startswith("job:") or k == START for k in visible) and len(visible) > 1
    kind.select_option("")
    box.locator("select").nth(4).select_option(START)
    box.locator("select").nth(5).select_option(q["key"])
    box.get_by_role("button", name="Highlight path").click()
    path = box.get_attribute("data-path").split(" ")
    assert path[0] == START and path[-1] == q["key"] and len(path) >= 3
    assert not visit.problems(), visit.problems()


def test_full_screen_view_opens_on_the_node_asked_for(open_page, example_site: Path):
    visit = open_page()
    box = ready(visit, "lineage/?node=" + START)
    assert row(box, START).count() == 1
    assert "Customer 360" in box.locator(".hub-explorer__status").inner_text()
    assert not visit.problems(), visit.problems()


def test_explorer_benchmark_smoke_run(tmp_path: Path):
    """benchmarks/explorer_transfer.py stays runnable: a 30-project hub, one run of each view.

    In its own process: it drives its own Playwright, which cannot share this session's event loop.
    """
    import subprocess
    import sys

    from tests.conftest import ROOT

    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks/explorer_transfer.py"),
            "--projects",
            "30",
            "--runs",
            "1",
            "--workdir",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    lines = [line for line in done.stdout.splitlines() if "explorer transfer" in line]
    assert len(lines) >= 2, done.stdout
    for line in lines:
        raw, gzipped = (
            int(x) for x in re.search(r"explorer transfer (\d+) KB as served, (\d+) KB gzipped", line).groups()
        )
        requests = int(re.search(r"(\d+) requests", line).group(1))
        assert requests >= 3 and gzipped < raw, line  # explorer.js, Cytoscape.js and at least the first fragment
        assert int(re.search(r"first graph (\d+) ms", line).group(1)) > 0, line


def test_first_view_says_how_many_neighbours_past_the_cap_its_page_lists(open_page, example_site: Path):
    """A fragment cut at its cap (a wide fan-out) keeps its true count; the first view says what it leaves out."""
    start = fragment(example_site, "api/lineage/dataset/customer-360.json")
    cut = dict(start, down=start["down"][:3])  # as a fragment past SIDE_CAP: fewer listed than down_total
    hidden = start["down_total"] - 3
    visit = open_page()
    visit.page.route(
        re.compile(r".*/api/lineage/dataset/customer-360\.json$"),
        lambda route: route.fulfill(content_type="application/json", body=json.dumps(cut)),
    )
    box = ready(visit, "lineage/?node=" + START)
    drawn = {START} | {n["key"] for n in cut["up"] + cut["down"]}
    assert box.locator("li[data-key]").count() == len(drawn)  # the node, its upstream and the three listed
    status = box.locator(".hub-explorer__status").inner_text()
    assert f"{hidden} more downstream are listed on its page" in status, status
    assert "upstream are listed" not in status  # every upstream neighbour is drawn
