"""Large hubs search with Pagefind through the same search box: tested on a small hub forced into that mode."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any, Iterator

import pytest

from benchmarks.generate_hub import generate
from hubgen.cli import main
from tests.browser.conftest import serve

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def pagefind_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    root = tmp_path_factory.mktemp("pagefind") / "hub"
    generate(root, 40, seed=3)
    config = root / "mkdocs.yml"
    config.write_text(config.read_text().replace("  - hubgen\n", "  - hubgen:\n      search_index: pagefind\n"))
    site = root.parent / "site"
    assert main(["build", "--repo", str(root), "--site-dir", str(site)]) == 0
    with serve(site) as url:
        yield url, site


def test_pagefind_index_replaces_materials(pagefind_site: tuple[str, Path]) -> None:
    _, site = pagefind_site
    assert (site / "pagefind" / "pagefind.js").exists()
    assert (site / "search" / "search_index.json").stat().st_size < 1000  # Material's index is left empty
    home = (site / "index.html").read_text()
    assert 'data-hubgen-search="pagefind"' in home and "pagefind-search.js" in home
    indexed = indexed_urls(site)
    entity_pages = {"/" + str(p.parent.relative_to(site)) + "/" for p in site.rglob("index.html")
                    if 'data-pagefind-meta="kind"' in p.read_text()}
    assert len(entity_pages) > 40 and entity_pages <= indexed  # every project, person, null result, discussion
    assert "/about/" in indexed  # the hub's own pages too
    assert not {"/", "/projects/", "/people/", "/null-results/"} & indexed  # index pages stay out
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text())
    assert entry["languages"]["en"]["page_count"] == len(indexed)


def indexed_urls(site: Path) -> set[str]:
    """The URLs in Pagefind's fragments (gzip: a signature, then one page's JSON)."""
    urls = set()
    for fragment in (site / "pagefind" / "fragment").iterdir():
        data = gzip.decompress(fragment.read_bytes())
        urls.add(json.loads(data[data.index(b"{"):])["url"])
    return urls


def test_typing_a_title_finds_the_project_with_its_kind(browser: Any, pagefind_site: tuple[str, Path]) -> None:
    base, site = pagefind_site
    built = sorted(p.parent.name for p in (site / "projects").glob("project-*/index.html"))
    pid = built[len(built) // 2]  # a project this audience can see
    title = next(line for line in (site.parent / f"hub/content/projects/{pid}/project.yml").read_text()
                 .splitlines() if line.startswith("title: "))[7:]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
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
    first.locator("a").click()
    page.wait_for_url(f"**/projects/{pid}/")
    box = page.locator(".md-search__input")
    box.click()
    box.press_sequentially("zzqxwv")
    page.get_by_text("No matching documents").wait_for(timeout=20_000)
    context.close()
    assert errors == []
