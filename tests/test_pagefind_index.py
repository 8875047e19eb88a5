"""The Pagefind feed: pages go in as they render, one bundle comes out; failures say what happened."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from hubgen.pagefind_index import PagefindError, PagefindFeed


def fragments(bundle: Path) -> dict[str, dict]:
    out = {}
    for fragment in (bundle / "fragment").iterdir():
        data = gzip.decompress(fragment.read_bytes())
        page = json.loads(data[data.index(b"{"):])
        out[page["url"]] = page
    return out


def test_pages_fed_one_by_one_land_in_one_bundle(tmp_path: Path) -> None:
    feed = PagefindFeed("en")
    for i in range(600):  # more than the in-flight bound: `add` must wait, not lose pages
        feed.add(f"/projects/p{i}/", f'<h1 id="t">Project {i} <a class="headerlink" href="#t">¶</a></h1>'
                                     f'<p class="hub-kind" data-pagefind-meta="kind">Project</p><p>word{i} churn</p>')
    feed.write(tmp_path)
    pages = fragments(tmp_path / "pagefind")
    assert len(pages) == 600 == feed.pages
    page = pages["/projects/p7/"]
    assert page["meta"] == {"title": "Project 7", "kind": "Project"}
    assert "¶" not in page["content"] and "word7" in page["content"]
    entry = json.loads((tmp_path / "pagefind" / "pagefind-entry.json").read_text())
    assert entry["languages"]["en"]["page_count"] == 600


def test_missing_binary_is_named(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "no-such-pagefind"))
    with pytest.raises(PagefindError, match="cannot start .*no-such-pagefind"):
        PagefindFeed()


def test_a_service_that_dies_fails_the_feed_instead_of_hanging(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", "/bin/false")
    with pytest.raises(PagefindError, match="pagefind stopped"):
        PagefindFeed()


def test_close_without_write_leaves_nothing(tmp_path: Path) -> None:
    feed = PagefindFeed()
    feed.add("/x/", "<h1>X</h1><p>text</p>")
    feed.close()
    feed.close()  # safe to repeat
    assert not (tmp_path / "pagefind").exists()
