"""Every built page, read as HTML (no browser): links, reachability, accessibility basics.

Fast and dependency-free, so these run everywhere; the browser suite beside
this file covers what only a real browser can show.
"""

from __future__ import annotations

from collections import deque
from pathlib import Path

from tests.browser.builtsite import is_external, read_site, resolve

# Pages a reader is not expected to reach by following links from the home page.
UNLINKED_BY_DESIGN = {"404.html"}  # served by the web server for unknown URLs


def test_the_site_has_the_pages_a_reader_expects(example_site: Path):
    pages = read_site(example_site)
    for section in ("projects", "null-results", "discussions", "people", "assets"):
        entities = [p for p in pages if p.startswith(f"{section}/") and p != f"{section}/index.html"]
        assert f"{section}/index.html" in pages and entities, f"{section}: index or entity pages missing"
    assert len(pages) > 100


def test_no_internal_link_or_anchor_is_broken(example_site: Path):
    pages = read_site(example_site)
    broken: list[str] = []
    for path, page in pages.items():
        for link in page.links:
            if is_external(link.value):
                continue
            where = f"{path}: <{link.tag} {link.attr}={link.value!r}>"
            if link.value.startswith("/") and path not in UNLINKED_BY_DESIGN:
                # The site must work under any base path (e.g. GitLab Pages' /<group>/<repo>/).
                broken.append(f"{where} is root-absolute; internal links must be relative")
            target, fragment = resolve(example_site, path, link.value)
            if target.startswith("..") or not (example_site / target).is_file():
                broken.append(f"{where} points to {target}, which is not in the site")
            elif fragment and target.endswith(".html") and fragment not in pages[target].ids:
                broken.append(f"{where}: no element with id {fragment!r} in {target}")
    assert not broken, f"{len(broken)} broken link(s):\n" + "\n".join(broken[:50])


def test_every_page_is_reachable_from_the_home_page(example_site: Path):
    pages = read_site(example_site)
    seen = {"index.html"}
    queue = deque(seen)
    while queue:
        path = queue.popleft()
        for link in pages[path].links:
            if link.tag != "a" or is_external(link.value):
                continue
            target, _ = resolve(example_site, path, link.value)
            if target in pages and target not in seen:
                seen.add(target)
                queue.append(target)
    unreachable = sorted(set(pages) - seen - UNLINKED_BY_DESIGN)
    assert not unreachable, f"{len(unreachable)} page(s) no link leads to from the home page:\n" + "\n".join(
        unreachable[:50]
    )


def test_every_page_has_exactly_one_h1(example_site: Path):
    wrong = [
        f"{path}: {len(page.h1)} h1 {page.h1}" for path, page in read_site(example_site).items() if len(page.h1) != 1
    ]
    assert not wrong, "\n".join(wrong[:50])


def test_every_h1_names_the_page(example_site: Path):
    # Screen-reader users hear the h1 first and see it in the tab title: they must agree.
    wrong = [
        f"{path}: h1 {page.h1[0]!r}, title {page.title!r}"
        for path, page in read_site(example_site).items()
        if path not in UNLINKED_BY_DESIGN  # MkDocs titles its 404 page with the site name only
        and page.h1
        and page.h1[0] not in page.title
    ]
    assert not wrong, "\n".join(wrong[:50])


def test_images_have_alt_text(example_site: Path):
    missing = [
        f"{path}: <img src={img.src!r}> has no alt text"
        for path, page in read_site(example_site).items()
        for img in page.images
        if not img.hidden and not (img.alt or "").strip()
    ]
    assert not missing, "\n".join(missing[:50])


def test_tables_have_header_cells(example_site: Path):
    pages = read_site(example_site)
    tables = [(path, t) for path, page in pages.items() for t in page.tables if t.rows]
    assert len(tables) > 100  # the hub is mostly tables: this check must have something to check
    headless = [f"{path}: a table of {t.rows} row(s) has no <th>" for path, t in tables if not t.th]
    assert not headless, "\n".join(headless[:50])
