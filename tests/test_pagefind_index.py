"""The Pagefind feed: pages go in as they render, one bundle comes out; failures say what happened."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from hubgen.search.pagefind_index import PagefindError, PagefindFeed, balanced_shard_size, searchable


def fragments(bundle: Path) -> dict[str, dict]:
    """Pages of one Pagefind bundle, by URL (a fragment is gzip: a signature, then one page's JSON)."""
    out = {}
    for fragment in (bundle / "fragment").iterdir():
        data = gzip.decompress(fragment.read_bytes())
        page = json.loads(data[data.index(b"{") :])
        out[page["url"]] = page
    return out


def test_pages_fed_one_by_one_land_in_bounded_shards_listed_for_the_browser(tmp_path: Path) -> None:
    feed = PagefindFeed(tmp_path, "en", shard_pages=250)
    for i in range(600):  # more than the in-flight bound: `add` must wait, not lose pages
        feed.add(
            f"/projects/p{i}/",
            f'<h1 id="t">Project {i} <a class="headerlink" href="#t">¶</a></h1>'
            f'<p class="hub-kind" data-pagefind-meta="kind">Project</p><p>word{i} churn</p>',
        )
    folders = feed.write()
    bundle = tmp_path / "pagefind"
    assert folders == [bundle, bundle / "shard-1", bundle / "shard-2"]
    manifest = json.loads((bundle / "hubgen-shards.json").read_text())
    assert manifest == {"shards": ["shard-1/", "shard-2/"], "pages": 600}
    shards = [fragments(folder) for folder in folders]
    assert [len(s) for s in shards] == [250, 250, 100]
    pages = {url: page for shard in shards for url, page in shard.items()}
    assert len(pages) == 600 == feed.pages  # none lost, none twice
    for folder, shard in zip(folders, shards):
        entry = json.loads((folder / "pagefind-entry.json").read_text())
        assert entry["languages"]["en"]["page_count"] == len(shard)
        assert (folder / "pagefind.js").exists()
    page = pages["/projects/p7/"]
    assert page["meta"] == {"title": "Project 7", "kind": "Project"}
    assert "¶" not in page["content"] and "word7" in page["content"]


def test_a_small_hub_is_one_bundle(tmp_path: Path) -> None:
    feed = PagefindFeed(tmp_path)
    feed.add("/x/", "<h1>X</h1><p>text</p>")
    assert feed.write() == [tmp_path / "pagefind"]
    assert json.loads((tmp_path / "pagefind" / "hubgen-shards.json").read_text())["shards"] == []


def test_missing_binary_is_named(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "no-such-pagefind"))
    with pytest.raises(PagefindError, match="cannot start .*no-such-pagefind"):
        PagefindFeed(Path("/tmp"))


def test_a_service_that_dies_fails_the_feed_instead_of_hanging(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", "/bin/false")
    with pytest.raises(PagefindError, match="pagefind stopped"):
        PagefindFeed(Path("/tmp"))


def test_close_without_write_leaves_nothing(tmp_path: Path) -> None:
    feed = PagefindFeed(tmp_path)
    feed.add("/x/", "<h1>X</h1><p>text</p>")
    feed.close()
    feed.close()  # safe to repeat
    assert not (tmp_path / "pagefind").exists()


def test_sections_marked_for_material_search_exclusion_are_cut_for_pagefind_too() -> None:
    html = (
        "<h1>Churn model</h1><p>own words</p>"
        '<h2 id="rel" data-search-exclude>Related work</h2><ul><li>Other title</li></ul>'
        "<h3>Deeper</h3><p>still related</p>"
        '<h2 id="risks">Risks</h2><p>own risk</p>'
        "<h2 data-search-exclude>Null results</h2><p>another title</p>"
    )
    assert searchable(html) == '<h1>Churn model</h1><p>own words</p><h2 id="risks">Risks</h2><p>own risk</p>'
    assert searchable("<p>no headings</p>") == "<p>no headings</p>"


def test_shards_are_balanced_so_no_small_shard_outranks_the_others() -> None:
    assert balanced_shard_size(23_683, 5000) == 4737  # five shards of 4,736-4,737, not four of 5,000 and one of 3,683
    assert balanced_shard_size(10_000, 5000) == 5000
    assert balanced_shard_size(300, 5000) == 5000
    assert balanced_shard_size(None, 5000) == 5000


def test_a_half_written_shard_fails_the_build_instead_of_breaking_search(tmp_path: Path) -> None:
    from hubgen.search.pagefind_index import _check_bundle

    feed = PagefindFeed(tmp_path)
    feed.add("/x/", "<h1>X</h1><p>text</p>")
    feed.write()
    _check_bundle(tmp_path / "pagefind")  # whole: no error
    (tmp_path / "pagefind" / "pagefind-entry.json").write_text("")  # as a killed writer leaves it
    with pytest.raises(PagefindError, match="incomplete index in .*pagefind"):
        _check_bundle(tmp_path / "pagefind")


def test_waits_for_a_shard_still_being_flushed_and_gives_up_on_one_that_never_is(tmp_path: Path) -> None:
    import threading

    from hubgen.search.pagefind_index import _await_bundle

    feed = PagefindFeed(tmp_path)
    feed.add("/x/", "<h1>X</h1><p>text</p>")
    feed.write()
    bundle = tmp_path / "pagefind"
    whole = (bundle / "pagefind-entry.json").read_text()
    (bundle / "pagefind-entry.json").write_text("")  # as Pagefind leaves it right after its reply
    late = threading.Timer(0.3, lambda: (bundle / "pagefind-entry.json").write_text(whole))
    late.start()
    _await_bundle(bundle, timeout=10)
    late.join()
    assert (bundle / "pagefind-entry.json").read_text() == whole
    (bundle / "pagefind-entry.json").write_text("")
    with pytest.raises(PagefindError, match="incomplete index"):
        _await_bundle(bundle, timeout=0.3)
