"""A new team's hub renders right whatever its mkdocs.yml (issue 16).

A hub from `hubgen init` plus one `hubgen new` of each kind is built with the
configuration `init` writes, with the README's "Point it at your own
repository" snippet, and with the contract's minimal one (site name and the
plugin, no docs/ folder). On every page, in the light and the dark colour
scheme: diagrams are SVG (no Mermaid source left), each chart shows exactly
one image, no console errors, no requests off 127.0.0.1.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from hubgen.cli import EXIT_OK, main
from tests.browser.builtsite import read_site
from tests.browser.conftest import serve
from tests.conftest import ROOT

pytestmark = pytest.mark.browser

MINIMAL = "site_name: Minimal hub\nplugins:\n  - hubgen\n"  # ../shared/CONTENT_FORMAT.md: nothing else required
NEW = (
    ["person", "jo-bloggs", "--title", "Jo Bloggs"],
    ["project", "churn-v2", "--by", "jo-bloggs"],
    ["null-result", "wider-window", "--project", "churn-v2", "--by", "jo-bloggs"],
    ["discussion", "which-features", "--project", "churn-v2", "--by", "jo-bloggs"],
)


def readme_snippet() -> str:
    """The mkdocs.yml the README gives under "Point it at your own repository"."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Point it at your own repository", 1)[1]
    found = re.search(r"```yaml\n(.*?)```", section, re.DOTALL)
    assert found, "the README's own-repository section has no yaml block"
    return found.group(1)


@pytest.fixture(scope="module")
def new_hub(tmp_path_factory) -> Path:
    hub = tmp_path_factory.mktemp("new-hub") / "hub"
    assert main(["init", str(hub)]) == EXIT_OK
    for args in NEW:
        assert main(["new", *args, "--repo", str(hub)]) == EXIT_OK
    return hub


@pytest.fixture(scope="module", params=["init", "readme", "minimal"])
def built(request, new_hub: Path, tmp_path_factory) -> Path:
    """The new hub's site built with one of the three configurations."""
    hub = tmp_path_factory.mktemp(f"hub-{request.param}") / "hub"
    shutil.copytree(new_hub, hub)
    if request.param == "readme":
        (hub / "mkdocs.yml").write_text(readme_snippet(), encoding="utf-8")
    elif request.param == "minimal":
        (hub / "mkdocs.yml").write_text(MINIMAL, encoding="utf-8")
        shutil.rmtree(hub / "docs")
    assert main(["build", "--repo", str(hub)]) == EXIT_OK
    return hub / "site"


@pytest.fixture(scope="module")
def site_url(built: Path) -> Iterator[str]:  # overrides the example site's: open_page visits this hub
    with serve(built) as url:
        yield url


CHARTS_JS = """async () => Promise.all([...document.querySelectorAll('figure.hub-portfolio-chart')].map(async f => {
    const imgs = [...f.querySelectorAll('img')];
    for (const img of imgs) {
      img.loading = 'eager';
      if (!img.complete) await new Promise(done => { img.onload = img.onerror = done; });
    }
    return imgs.filter(img => { const b = img.getBoundingClientRect(); return b.width > 0 && b.height > 0; })
               .map(img => ({src: img.getAttribute('src'), natural: img.naturalWidth}));
}))"""
DIAGRAMS_JS = """() => [...document.querySelectorAll('div.mermaid')].map(host => {
    const svg = host.shadowRoot && host.shadowRoot.querySelector('svg');
    return svg ? 'svg' : host.textContent.slice(0, 60);
})"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_page_renders_diagrams_and_one_image_per_chart(open_page, built: Path, scheme: str):
    pages = read_site(built)
    assert any(p.mermaid for p in pages.values()), "no page has a lineage diagram"
    visit = open_page(color_scheme=scheme)
    wrong: list[str] = []
    charts = 0
    for path, page in sorted(pages.items()):
        if path == "404.html":
            continue
        if scheme == "dark" and not page.mermaid and "hub-portfolio-chart" not in (built / path).read_text("utf-8"):
            continue  # the scheme changes only diagrams and chart images: light has opened every page already
        visit.goto(page.url, wait="load")
        if page.mermaid:
            visit.page.wait_for_function(
                "n => document.querySelectorAll('div.mermaid').length >= n "
                "&& [...document.querySelectorAll('div.mermaid')].every(h => h.shadowRoot "
                "&& h.shadowRoot.querySelector('svg'))",
                arg=len(page.mermaid),
            )
        left = visit.page.locator("pre.mermaid, code:text-matches('^\\\\s*(mermaid\\\\s+)?flowchart')").count()
        if left:
            wrong.append(f"/{page.url}: {left} diagram(s) left as Mermaid source")
        wrong += [f"/{page.url}: diagram not rendered: {d!r}" for d in visit.page.evaluate(DIAGRAMS_JS) if d != "svg"]
        for number, shown in enumerate(visit.page.evaluate(CHARTS_JS), 1):
            charts += 1
            if len(shown) != 1 or shown[0]["natural"] == 0:
                wrong.append(f"/{page.url}: chart {number} shows {[s['src'] for s in shown]} in {scheme}")
        # ERR_ABORTED: the favicon still loading when the next page is opened, not a fault of the site
        wrong += [f"/{page.url}: {p}" for p in visit.problems() if "net::ERR_ABORTED" not in p]
        visit.console_errors.clear()
        visit.failed_requests.clear()
        visit.outside_requests.clear()
    assert charts, "no portfolio chart found"
    assert not wrong, "\n".join(wrong)
