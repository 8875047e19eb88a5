"""Large hubs search with Pagefind through the same search box: tested on a small hub forced into that mode."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from benchmarks.generate_hub import generate
from hubgen.cli import main
from tests.browser.conftest import serve
from tests.test_pagefind_index import fragments

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def pagefind_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    root = tmp_path_factory.mktemp("pagefind") / "hub"
    generate(root, 40, seed=3)
    config = root / "mkdocs.yml"
    config.write_text(
        config.read_text().replace(
            "  - hubgen\n", "  - hubgen:\n      search_index: pagefind\n      search_shard_pages: 20\n"
        )
    )
    site = root.parent / "site"
    assert main(["build", "--repo", str(root), "--site-dir", str(site)]) == 0
    with serve(site) as url:
        yield url, site


def test_pagefind_index_replaces_materials(pagefind_site: tuple[str, Path]) -> None:
    _, site = pagefind_site
    assert (site / "pagefind" / "pagefind.js").exists()
    assert (site / "search" / "search_index.json").stat().st_size < 1000  # Material's index is left empty
    home = (site / "index.html").read_text()
    assert "pagefind-search.js" in home  # it takes the search box over in the browser (no template override)
    assert "partials/search" not in home
    shards = indexed_by_shard(site)
    assert len(shards) >= 3, "20 pages a shard: this hub is indexed in several"
    manifest = json.loads((site / "pagefind" / "hubgen-shards.json").read_text())
    assert manifest["shards"] == [f"{name}/" for name in sorted(shards) if name != "pagefind"]
    indexed = set().union(*shards.values())
    assert sum(len(urls) for urls in shards.values()) == len(indexed)  # no page in two shards
    entity_pages = {
        "/" + str(p.parent.relative_to(site)) + "/"
        for p in site.rglob("index.html")
        if 'data-pagefind-meta="kind"' in p.read_text()
    }
    assert len(entity_pages) > 40 and entity_pages <= indexed  # every project, person, null result, discussion
    assert "/about/" in indexed  # the hub's own pages too
    assert not {"/", "/projects/", "/people/", "/null-results/"} & indexed  # index pages stay out
    assert manifest["pages"] == len(indexed)


def indexed_by_shard(site: Path) -> dict[str, set[str]]:
    """URLs in each shard, by shard folder name."""
    return {folder.name: set(fragments(folder)) for folder in [site / "pagefind", *(site / "pagefind").glob("shard-*")]}


@pytest.mark.parametrize("which", [0, -1])
def test_typing_a_title_finds_the_project_with_its_kind(
    browser: Any, pagefind_site: tuple[str, Path], which: int
) -> None:
    base, site = pagefind_site
    shards = indexed_by_shard(site)
    order = sorted(shards, key=lambda n: -1 if n == "pagefind" else int(n.split("-")[1]))
    with_projects = [sorted(u.split("/")[2] for u in shards[n] if u.startswith("/projects/")) for n in order]
    with_projects = [ids for ids in with_projects if ids]
    assert len(with_projects) >= 2  # the first and the last shard holding projects are different bundles

    def title_of(pid: str) -> str:
        return next(
            line
            for line in (site.parent / f"hub/content/projects/{pid}/project.yml").read_text().splitlines()
            if line.startswith("title: ")
        )[7:]

    def words(title: str) -> str:  # what a search engine tells titles apart by (numbers rank unreliably)
        return " ".join(w for w in title.lower().split() if not w.isdigit())

    everyone = [words(title_of(p.name)) for p in (site.parent / "hub/content/projects").iterdir()]
    # a title no other project shares in its searchable words: the intended record is then the answer
    pid = next(p for p in with_projects[which] if everyone.count(words(title_of(p))) == 1)
    title = title_of(pid)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    fetched: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("request", lambda request: fetched.append(request.url))
    page.goto(base, wait_until="load")
    box = page.locator(".md-search__input")
    box.click()
    box.press_sequentially(title)
    page.locator(".md-search-result__meta", has_text="matching document").wait_for(timeout=20_000)
    page.wait_for_timeout(600)  # results follow the typing: let the last query's land
    first = page.locator(".md-search-result__item").first
    assert title in first.inner_text()
    assert "Project" in first.inner_text()  # the kind line comes from data-pagefind-meta
    assert "¶" not in first.inner_text()
    # Only Pagefind searches: Material's worker and index are never fetched; nor, on the home page,
    # the lineage explorer's script (it loads on pages with an explorer).
    assert any("/pagefind/" in url for url in fetched)
    assert not [u for u in fetched if "/workers/search" in u or "search_index.json" in u or "explorer.js" in u]
    first.locator("a").click()
    page.wait_for_url(f"**/projects/{pid}/")
    box = page.locator(".md-search__input")
    box.click()
    box.press_sequentially("zzqxwv")
    page.get_by_text("No matching documents").wait_for(timeout=20_000)
    context.close()
    assert errors == []


def _typed(page: Any, query: str) -> list[str]:
    """Type `query` into the Pagefind-driven box; result paths once the last query's results land."""
    box = page.locator(".md-search__input")
    box.click()
    # The previous query's count must not pass for this one's: clear it, and wait for this query's.
    page.evaluate("() => { document.querySelector('.md-search-result__meta').textContent = ''; }")
    box.fill(query)
    box.press("End")
    page.locator(".md-search-result__meta", has_text="matching document").wait_for(timeout=20_000)
    page.wait_for_timeout(600)
    return page.evaluate(
        "() => [...document.querySelectorAll('.md-search-result__item a')].map(a => new URL(a.href).pathname)"
    )


def test_typos_are_forgiven_and_results_filter_by_kind(browser: Any, pagefind_site: tuple[str, Path]) -> None:
    import re

    from tests.browser.conftest import ARTIFACTS
    from tests.browser.test_search import transposed

    base, site = pagefind_site
    hub = site.parent / "hub"
    titles = {
        p.parent.name: next(line[7:] for line in p.read_text().splitlines() if line.startswith("title: "))
        for p in sorted(hub.glob("content/projects/*/project.yml"))
    }
    churn = sorted(pid for pid, t in titles.items() if "churn" in t.lower().split())
    assert churn, "the generated hub has a churn project"
    words: dict[str, int] = {}
    for t in titles.values():
        for w in set(re.findall(r"[a-z]{7,}", t.lower())):
            words[w] = words.get(w, 0) + 1
    # team, tag and tool pages carry their names: a word in them is no longer only a title word
    import yaml

    records = [yaml.safe_load(p.read_text()) for p in hub.glob("content/projects/*/project.yml")]
    noise = (
        " ".join(p.read_text() for p in (hub / "content/people").glob("*.yml")).lower()
        + " "
        + " ".join(
            str(v)
            for r in records
            for k in ("team", "tags", "tools", "domains")
            for v in ([r.get(k)] if isinstance(r.get(k), str) else r.get(k) or [])
        ).lower()
    )
    # a rare title word whose stem no other title word shares (Pagefind stems: "forecasting" finds "forecast")
    pid, word = min(
        (words[w], pid, w)
        for pid, t in titles.items()
        for w in re.findall(r"[a-z]{7,}", t.lower())
        if w[2] != w[3]
        and w not in noise
        and not any(o != w and o[:5] == w[:5] for o in re.findall(r"[a-z]+", " ".join(titles.values()).lower()))
    )[1:]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    terms: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("request", lambda r: terms.append(r.url) if "/hubgen-terms/" in r.url else None)
    page.goto(base, wait_until="load")
    shown = _typed(page, "chrun")
    assert any(p.endswith(f"/projects/{c}/") for c in churn for p in shown[:3]), shown[:5]
    assert "churn" in page.locator(".hub-search-correction").inner_text()
    # The term lists come compressed (a plain static host would send .txt uncompressed), decoded in the page.
    assert terms and all(u.endswith(".txt.gz") for u in terms), terms
    shown = _typed(page, transposed(word))
    intended = {p for p, t in titles.items() if word in re.findall(r"[a-z]{7,}", t.lower())}  # the rarest, maybe shared
    assert pid in intended and len(intended) == words[word]
    assert any(p.endswith(f"/projects/{i}/") for i in intended for p in shown[:3]), (word, intended, shown[:5])
    filter_requests: list[str] = []
    page.on("request", lambda r: filter_requests.append(r.url) if "/filter/" in r.url else None)
    shown = _typed(page, "churn")
    # The filter index is loaded only once the reader asks for the filters (its largest part on a big hub).
    assert filter_requests == [], filter_requests
    page.locator(".hub-search-facets__open").click()
    page.locator('.hub-search-facets select[name="kind"]').wait_for(state="visible")
    assert filter_requests  # every shard's filter chunks, now
    assert page.evaluate("() => document.activeElement.name") == "kind"  # focus moved on to the first filter
    kinds = page.locator('.hub-search-facets select[name="kind"] option').all_inner_texts()
    assert any(k.startswith("Project (") for k in kinds) and len(kinds) >= 3, kinds  # any + two kinds at least
    other = next(
        v
        for v in page.locator('.hub-search-facets select[name="kind"] option').evaluate_all(
            "os => os.map(o => o.value)"
        )
        if v and v != "project"
    )
    page.locator('.hub-search-facets select[name="kind"]').select_option("project")
    page.wait_for_timeout(800)
    only = page.evaluate(
        "() => [...document.querySelectorAll('.md-search-result__item a')].map(a => new URL(a.href).pathname)"
    )
    assert only and all(p.startswith("/projects/") for p in only), only
    assert set(only) < set(shown) or len(only) < len(shown) or other
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "search-facets-pagefind.png"))
    context.close()
    assert errors == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_filter_button_and_filters_are_accessible(browser: Any, pagefind_site: tuple[str, Path], scheme: str):
    from tests.browser.test_axe import describe, run_axe

    base, _ = pagefind_site
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    page.goto(base, wait_until="load")
    _typed(page, "chrun")
    button = page.locator(".hub-search-facets__open")
    assert button.is_visible() and button.inner_text() == "Filter by kind, status or team"
    found = run_axe(page)
    assert not found, describe(found)
    button.focus()
    page.keyboard.press("Enter")  # the keyboard opens the filters too
    page.locator('.hub-search-facets select[name="kind"]').wait_for(state="visible")
    assert not button.is_visible()
    found = run_axe(page)
    assert not found, describe(found)
    context.close()


def test_search_latency_benchmark_smoke_run(pagefind_site: tuple[str, Path]) -> None:
    """The benchmark runs (its own browser: in a process of its own, apart from this session's)."""
    import re
    import subprocess
    import sys

    from tests.conftest import ROOT

    _, site = pagefind_site
    done = subprocess.run(
        [sys.executable, "benchmarks/search_latency.py", str(site), "--query", "churn", "--warm-query", "chrun"]
        + ["--runs", "1"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    m = re.search(
        r"engine pagefind, 'churn': first results in ([\d.]+) s from navigation, ([\d.]+) MB downloaded as served "
        r"\(([\d.]+) MB gzipped\) in (\d+) requests; warm page, 'chrun': first results (\d+) ms",
        done.stdout,
    )
    assert m, done.stdout
    seconds, served, gzipped, requests, warm = (float(g) for g in m.groups())
    assert 0 < seconds < 30 and requests > 5 and warm > 0
    assert 0 < gzipped < served  # the page's HTML, CSS and JS compress; Pagefind's files already are


def test_a_search_index_that_fails_to_load_is_said_and_loaded_again_on_the_next_query(
    browser: Any, pagefind_site: tuple[str, Path]
) -> None:
    base, _ = pagefind_site
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.route("**/pagefind/pagefind.js", lambda route: route.abort())  # offline, a proxy, a failed deploy
    page.goto(base, wait_until="load")
    box = page.locator(".md-search__input")
    box.click()
    box.fill("churn")
    page.locator(".md-search-result__meta", has_text="Search could not load").wait_for(timeout=20_000)
    assert page.locator(".md-search-result__item").count() == 0
    page.unroute("**/pagefind/pagefind.js")
    assert _typed(page, "churn model")  # the next query loads Pagefind afresh and finds results
    context.close()
