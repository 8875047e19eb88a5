"""`hubgen build --offline`: a site that works opened from disk (issue 16, item 4).

Over file:// a folder link shows a file listing and nothing can be fetched, so
every internal link of an offline site must name a file, and the search index
must come as a script. The browser half is tests/browser/test_offline_site.py.
"""

from __future__ import annotations

import json
import posixpath
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from hubgen.cli import EXIT_OK, main
from hubgen.render.offline import file_links
from tests.browser.builtsite import is_external, read_site


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ('<a href="../x/">', '<a href="../x/index.html">'),
        ('<a href="./">', '<a href="./index.html">'),
        ('<a href="..">', '<a href="../index.html">'),
        ('<a href="../../">', '<a href="../../index.html">'),
        ('<a href="x/#kpis">', '<a href="x/index.html#kpis">'),
        ("<link rel=x href='p/q/?a=1'>", "<link rel=x href='p/q/index.html?a=1'>"),
    ],
)
def test_folder_links_name_their_index_file(before, after):
    assert file_links(before) == after


@pytest.mark.parametrize(
    "kept",
    [
        '<a href="#top">',
        '<a href="feed.xml">',
        '<img src="x/">',
        '<a href="https://example.com/a/">',
        '<a href="/root/">',
        '<a href="mailto:a@example.com">',
        '<a href="javascript:void(0)">',
        '<a data-href="x/">',
        '<code>href="x/"</code>'.replace('"', "&quot;"),
    ],
)
def test_other_references_are_left_alone(kept):
    assert file_links(kept) == kept


def internal_targets(site: Path, page: str, value: str) -> str | None:
    """The file path a reference on `page` opens over file:// (no folder-to-index.html step)."""
    parts = urlsplit(value)
    if is_external(value) or not parts.path:
        return None
    return posixpath.normpath(posixpath.join(posixpath.dirname(page), unquote(parts.path)))


def test_every_internal_link_of_the_offline_site_opens_a_file(offline_example_site):
    site = offline_example_site
    pages = read_site(site)
    assert len(pages) > 300
    folders, missing = [], []
    for path, page in pages.items():
        if path == "404.html":
            continue  # a server's error page (root-relative links by design); never opened from disk
        for link in page.links:
            target = internal_targets(site, path, link.value)
            if target is None or target.startswith(".."):
                continue
            if (site / target).is_dir():
                folders.append(f"{path}: {link.tag} {link.attr}={link.value}")
            elif not (site / target).is_file():
                missing.append(f"{path}: {link.tag} {link.attr}={link.value}")
    assert not folders, f"{len(folders)} link(s) to a folder (a file listing from disk):\n" + "\n".join(folders[:20])
    assert not missing, f"{len(missing)} link(s) to nothing:\n" + "\n".join(missing[:20])


def test_the_offline_search_index_is_a_script_and_every_page_loads_the_worker_shim(offline_example_site):
    site = offline_example_site
    script = (site / "search/search_index.js").read_text(encoding="utf-8")
    prefix = "var __index = "
    assert script.startswith(prefix)
    index = json.loads(script[len(prefix) :])
    assert index == json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))
    locations = {doc["location"].split("#")[0] for doc in index["docs"]}
    assert all(loc.endswith(".html") and (site / loc).is_file() for loc in locations)  # results open files
    assert sum(loc.startswith("projects/") for loc in locations) >= 40
    home = (site / "index.html").read_text(encoding="utf-8")
    assert 'src="assets/hubgen/iframe-worker-shim.js"' in home
    assert (site / "assets/hubgen/iframe-worker-shim.js").is_file()
    assert 'type="application/atom+xml"' not in home  # Material would fetch a sitemap beside it


def test_offline_uses_materials_search_even_where_pagefind_was_asked_for(tmp_path):
    hub = tmp_path / "hub"
    assert main(["init", str(hub)]) == EXIT_OK
    config = hub / "mkdocs.yml"
    text, count = re.subn(
        r"^  - hubgen\b.*$", "  - hubgen:\n      search_index: pagefind", config.read_text(), flags=re.MULTILINE
    )
    assert count == 1
    config.write_text(text)
    assert main(["build", "--repo", str(hub), "--site-dir", str(tmp_path / "hosted")]) == EXIT_OK
    assert (tmp_path / "hosted/pagefind").is_dir()
    assert main(["build", "--offline", "--repo", str(hub), "--site-dir", str(tmp_path / "offline")]) == EXIT_OK
    assert not (tmp_path / "offline/pagefind").exists()
    assert (tmp_path / "offline/search/search_index.js").is_file()
    assert (tmp_path / "offline/projects/churn-early-warning/index.html").is_file()


def test_the_spelling_and_filter_data_come_as_one_script(offline_example_site):
    site = offline_example_site
    script = (site / "search/hubgen-search-data.js").read_text(encoding="utf-8")
    prefix = "var __hubgenSearch = "
    assert script.startswith(prefix) and script.endswith(";")
    files = json.loads(script[len(prefix) : -1])["files"]
    on_disk = sorted(p.relative_to(site).as_posix() for p in (site / "search/hubgen-terms").glob("*.txt"))
    assert on_disk and sorted(k for k in files if k.endswith(".txt")) == on_disk
    for path in on_disk:
        assert files[path] == (site / path).read_text(encoding="utf-8")
    facets = json.loads(files["search/hubgen-facets.json"])
    assert any(url.endswith("/index.html") and url.startswith("/projects/") for url in facets)
