"""One generated tree, three engines, the same site (issue 26, item 4).

`hubgen generate` writes a plugin-free tree; MkDocs + Material, ProperDocs and
Zensical each build it. In Chromium, each engine's pages must show the same
links and tables, hubgen's cards styled, every chart once in light and once
in dark, and a header search box that finds a project. Screenshots of each
engine's home and portfolio pages go to test-artifacts/.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from hubgen.cli import EXIT_OK, main
from tests.browser.conftest import serve, unavailable
from tests.conftest import BUILD_EPOCH, ROOT

ENGINES = ("mkdocs", "properdocs", "zensical")
PAGES = ("", "portfolio/", "projects/", "people/", "assets/")
BIN = Path(sys.executable).parent


def engine_command(engine: str, tree: Path, out: Path) -> tuple[list[str], Path]:
    """The build command of an engine and the folder its site lands in."""
    if engine == "zensical":  # no --site-dir option: it writes site_dir (default site/) beside mkdocs.yml
        return [str(BIN / "zensical"), "build", "-f", str(tree / "mkdocs.yml")], tree / "site"
    return [sys.executable, "-m", engine, "build", "-q", "-f", str(tree / "mkdocs.yml"), "-d", str(out)], out


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> dict[str, Path]:
    """The example hub's generated tree built by each engine: {engine: site folder}."""
    if not (BIN / "zensical").exists() or shutil.which("zensical", path=str(BIN)) is None:
        unavailable("zensical is not installed in this environment (pip install -e '.[test]')")
    base = tmp_path_factory.mktemp("engines")
    tree = base / "tree"
    with pytest.MonkeyPatch.context() as env:
        env.setenv("SOURCE_DATE_EPOCH", BUILD_EPOCH)
        assert main(["generate", str(tree), "--repo", str(ROOT)]) == EXIT_OK
    built, seconds = {}, {}
    for engine in ENGINES:
        command, site = engine_command(engine, tree, base / engine)
        started = time.monotonic()
        done = subprocess.run(command, cwd=tree, capture_output=True, text=True, timeout=900, check=False)
        seconds[engine] = time.monotonic() - started
        assert done.returncode == 0, f"{engine}: {done.stderr[-3000:]}"
        built[engine] = site
    print("build seconds:", {k: round(v, 1) for k, v in seconds.items()})
    return built


PAGE_FACTS = """
() => {
  const article = document.querySelector("article") || document.querySelector("main");
  const visible = (el) => el.checkVisibility({visibilityProperty: true});
  const links = [...article.querySelectorAll("a[href]")]
    .filter((a) => !a.classList.contains("headerlink") && !a.closest(".md-source-file, .md-content__button"))
    .map((a) => { const u = new URL(a.href, location.href); return u.origin === location.origin
      ? u.pathname.replace(/index\\.html$/, "") : u.href; });
  const tables = [...article.querySelectorAll("table")].map((t) =>
    [...t.querySelectorAll("thead th")].map((th) => th.textContent.trim()).join("|"));
  const charts = {};
  for (const img of article.querySelectorAll("img[src*='charts/']")) {
    const name = new URL(img.src).pathname.split("/").pop().split(".")[0];
    charts[name] = (charts[name] || 0) + (visible(img) ? 1 : 0);
  }
  const card = article.querySelector(".hub-card");
  return {links: [...new Set(links)].sort(), tables, charts,
          card: card ? {border: getComputedStyle(card).borderTopStyle, radius: getComputedStyle(card).borderTopLeftRadius}
                     : null};
}
"""


def facts(page: Any, base: str, path: str) -> dict[str, Any]:
    page.goto(base + path, wait_until="networkidle")
    found = page.evaluate(PAGE_FACTS)
    prefix = urlsplit(base).path
    found["links"] = [link.removeprefix(prefix) if link.startswith(prefix) else link for link in found["links"]]
    return found


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_engine_shows_the_same_links_tables_cards_and_one_of_each_chart(browser, sites, scheme, artifacts):
    seen: dict[str, dict[str, Any]] = {}
    for engine, site in sites.items():
        context = browser.new_context(viewport={"width": 1440, "height": 900}, color_scheme=scheme)
        page = context.new_page()
        with serve(site) as base:
            seen[engine] = {path: facts(page, base, path) for path in PAGES}
            for path, name in (("", "home"), ("portfolio/", "portfolio")):
                page.goto(base + path, wait_until="networkidle")
                page.screenshot(path=str(artifacts / f"engine-{engine}-{name}-{scheme}.png"))
        context.close()
    reference = seen["mkdocs"]
    assert len(reference["projects/"]["links"]) >= 40 and reference["portfolio/"]["charts"]
    assert reference[""]["card"] is not None and reference[""]["card"]["border"] != "none"
    for engine in ENGINES[1:]:
        for path in PAGES:
            ours, theirs = reference[path], seen[engine][path]
            assert theirs["links"] == ours["links"], f"{engine} /{path}: links differ"
            assert theirs["tables"] == ours["tables"], f"{engine} /{path}: tables differ"
            assert theirs["card"] == ours["card"], f"{engine} /{path}: cards styled differently"
            assert set(theirs["charts"].values()) <= {1}, f"{engine} /{path} ({scheme}): {theirs['charts']}"
            assert theirs["charts"].keys() == ours["charts"].keys()
    assert set(reference["portfolio/"]["charts"].values()) == {1}


def search_material(page: Any, query: str) -> list[str]:
    box = page.locator(".md-search__input")
    box.fill(query)
    box.press("End")
    page.locator(".md-search-result__item").first.wait_for()
    return page.locator(".md-search-result__item a").evaluate_all("els => els.map(a => a.href)")


def search_zensical(page: Any, query: str) -> list[str]:
    page.locator(".md-search__button").click()
    page.keyboard.type(query)
    page.get_by_text(re.compile(r"^\d+ results?$")).first.wait_for()
    return page.locator("a[href*='/projects/']").evaluate_all(
        "els => els.filter(a => a.checkVisibility() && !a.closest('article, nav')).map(a => a.href)"
    )


def test_every_engines_header_search_finds_a_project(browser, sites):
    for engine, site in sites.items():
        context = browser.new_context(viewport={"width": 1440, "height": 900})
        page = context.new_page()
        page.set_default_timeout(20_000)
        with serve(site) as base:
            page.goto(base, wait_until="networkidle")
            header = page.locator(".md-header").bounding_box()
            assert header is not None and header["height"] < 120, f"{engine}: the header is {header}"
            search = search_zensical if engine == "zensical" else search_material
            hits = search(page, "uplift")
            assert any("/projects/" in hit for hit in hits), f"{engine}: {hits[:5]}"
        context.close()
