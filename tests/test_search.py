"""Search as a user types it: titles, tags, words buried in write-ups, typos, filters, related work."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
import yaml

from hubgen.analysis import prior_art
from hubgen.analysis.lineage import build_graph
from hubgen.audience import restrict
from hubgen.load import load_hub
from hubgen.pipeline import ensure_search_index
from hubgen.search import fulltext, index_state
from tests.conftest import PERSON, ROOT, minimal_hub, project_yml, settled

CONTENT = ROOT / "content"


@pytest.fixture(scope="module")
def example_index(tmp_path_factory) -> Path:
    """The example hub's index, built from a copy so the repo's cache is untouched."""
    import shutil

    root = tmp_path_factory.mktemp("repo")
    shutil.copytree(CONTENT, root / "content")
    assert ensure_search_index(root, "internal") is True
    assert ensure_search_index(root, "internal") is False  # fresh: not rebuilt
    return index_state.index_dir(root, "internal")


def first(index: Path, query: str, **filters) -> tuple[str, str]:
    hits, _ = fulltext.search(index, query, **filters)
    assert hits, f"no hits for {query!r}"
    return hits[0].kind, hits[0].key


def visible_projects() -> dict[str, dict]:
    out = {}
    for path in sorted(CONTENT.glob("projects/*/project.yml")):
        data = yaml.safe_load(path.read_text())
        if data.get("visibility", "internal") != "confidential":
            out[path.parent.name] = data
    return out


def test_exact_title_ranks_first(example_index):
    projects = visible_projects()
    for pid in list(projects)[::7]:
        assert first(example_index, projects[pid]["title"]) == ("project", pid)


def test_a_tag_carried_by_one_project_finds_it(example_index):
    projects = visible_projects()
    counts = Counter(t for p in projects.values() for t in p.get("tags", []))

    # A tag none of whose words is in another project's title or tags: "actuarial-modeling" shares the
    # stem of "model" with "Model monitoring platform", so its rank swung with the corpus statistics
    # (issue 17 made imported datasets and jobs search documents under their own names).
    def words(text: str) -> set[str]:
        return set(text.lower().replace("-", " ").split())

    def elsewhere(tag: str) -> set[str]:
        return set().union(
            *(
                words(p["title"]) | words(" ".join(p.get("tags", [])))
                for p in projects.values()
                if tag not in p.get("tags", [])
            )
        )

    unique = sorted(t for t, c in counts.items() if c == 1 and not words(t) & elsewhere(t))
    assert unique
    tag = unique[0]
    owner = next(pid for pid, p in projects.items() if tag in p.get("tags", []))
    assert first(example_index, tag, kind="project") == ("project", owner)
    hits, _ = fulltext.search(example_index, tag.replace("-", " "), tag=tag)
    assert [h.key for h in hits if h.kind == "project"] == [owner]


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z]{7,}", text.lower()))


def test_a_word_only_in_a_null_result_body_finds_it(example_index):
    bodies = {}
    for path in sorted(CONTENT.rglob("null-results/*.md")):
        text = path.read_text()
        bodies[path.stem] = text.split("\n---", 1)[1] if "\n---" in text else text
    everything_else = " ".join(
        p.read_text() for p in CONTENT.rglob("*") if p.is_file() and "null-results" not in p.parts
    ).lower()
    counts = Counter(w for body in bodies.values() for w in _words(body))
    for nid, body in bodies.items():
        only_here = sorted(w for w in _words(body) if counts[w] == 1 and w not in everything_else)
        if only_here:
            assert first(example_index, only_here[0]) == ("null-result", nid)
            return
    pytest.fail("no null result has a word of its own")


def test_a_misspelled_title_word_still_finds_the_project(example_index):
    hits, fuzzy = fulltext.search(example_index, "tensorflw recomendations")
    assert fuzzy is True
    top = hits[0]
    assert "tensorflow" in (top.title + top.snippet).lower()
    projects = visible_projects()
    pid = next(pid for pid, p in projects.items() if "markdown" in p["title"].lower())
    word = next(w for w in re.findall(r"[A-Za-z]{8,}", projects[pid]["title"]))
    typo = word[:3] + word[4:]  # drop a letter
    assert first(example_index, typo, kind="project")[1] == pid


def test_phrase_query_and_filters(example_index):
    hits, _ = fulltext.search(example_index, '"identity graph"', kind="project", limit=50)
    assert hits and all(h.kind == "project" for h in hits)
    assert all("identity" in (h.snippet + h.title).lower() for h in hits)
    delivered, _ = fulltext.search(example_index, "forecast", status="delivered", limit=50)
    assert delivered and all(h.status == "delivered" for h in delivered)


def test_cli_search_prints_kind_status_snippet_and_url(tmp_path):
    import shutil

    shutil.copytree(CONTENT, tmp_path / "content")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "hubgen",
            "search",
            "--repo",
            str(tmp_path),
            "graph fraud",
            "--kind",
            "project",
            "--limit",
            "3",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert re.match(r" 1\. \[project\] .+ \((active|delivered|retired|null-result|cancelled|backlog)\)$", lines[0])
    assert lines[1].strip().startswith("projects/")
    assert "[" in lines[2]  # the hit is highlighted in the snippet
    as_json = subprocess.run(
        [sys.executable, "-m", "hubgen", "search", "--repo", str(tmp_path), "zzzxqv", "--json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert as_json.returncode == 1 and json.loads(as_json.stdout)["hits"] == []


def test_index_is_rebuilt_when_content_changes(make_hub):
    root = make_hub()
    assert ensure_search_index(root, "internal")
    (root / "content/projects/churn/project.yml").write_text(project_yml(title="Quokka habitat model"))
    assert ensure_search_index(root, "internal")
    assert first(index_state.index_dir(root, "internal"), "quokka") == ("project", "churn")


def test_confidential_records_are_not_in_a_public_index(make_hub):
    files = minimal_hub()
    files["content/projects/secret/project.yml"] = project_yml(
        title="Quokka acquisition", extra="visibility: confidential\n"
    )
    root = make_hub(files)
    ensure_search_index(root, "public")
    hits, _ = fulltext.search(index_state.index_dir(root, "public"), "quokka acquisition")
    assert all(h.key != "secret" for h in hits)


def test_related_work_finds_the_near_duplicate(make_hub):
    files = minimal_hub()
    common = "tags: [uplift-modeling, causal-forest, coupons]\ndomains: [promotions]\n"
    files["content/projects/coupon-uplift-2024/project.yml"] = project_yml("Coupon uplift targeting", extra=common)
    files["content/projects/coupon-uplift-2026/project.yml"] = project_yml("Coupon uplift targeting v2", extra=common)
    files["content/projects/store-forecast/project.yml"] = project_yml("Store forecast", extra="tags: [prophet]\n")
    files["content/null-results/causal-forest-coupons.md"] = (
        "---\ntitle: Causal forest for coupons\ndate: 2025-01-01\nauthors: [ana]\nhypothesis: h\noutcome: o\n"
        "tags: [causal-forest, coupons]\n---\nNo lift.\n"
    )
    hub = restrict(load_hub(make_hub(files)), "internal")
    graph = build_graph(hub)
    related = prior_art.related(prior_art.build(hub, graph), hub, graph)
    keys = [d.key for d in related["coupon-uplift-2026"]]
    assert keys[0] == "coupon-uplift-2024"
    assert "causal-forest-coupons" in keys
    assert "store-forecast" not in keys


def test_related_work_is_on_the_project_page(example_site):
    projects = visible_projects()
    pages_with_related = [
        pid for pid in projects if "Related work" in (example_site / f"projects/{pid}/index.html").read_text()
    ]
    assert len(pages_with_related) >= len(projects) // 2


def test_index_survives_new_mtimes_with_the_same_content(make_hub):
    """A fresh clone or a restored CI cache: every mtime is new, the files are not; no rebuild."""
    import os
    import time

    root = make_hub()
    assert ensure_search_index(root, "internal")
    later = time.time() + 100
    for path in (root / "content").rglob("*"):
        os.utime(path, (later, later))
    assert ensure_search_index(root, "internal") is False
    assert ensure_search_index(root, "internal") is False  # and the fast check is updated


@pytest.mark.parametrize(
    "change",
    ["a person added", "a project folder added", "a record deleted", "a record edited, same size"],
)
def test_the_stored_listing_answers_fresh_without_a_walk_and_sees_every_change(make_hub, monkeypatch, change):
    root = make_hub()
    settled(root)
    assert ensure_search_index(root, "internal")
    directory = index_state.index_dir(root, "internal")
    stored = json.loads((directory / index_state.FINGERPRINT).read_text())
    assert stored["listed"] and "projects/churn/project.yml" in stored["listing"].split("\n")

    def no_walk(*args, **kwargs):
        raise AssertionError("walked the content although the listing was unchanged")

    with monkeypatch.context() as m:
        m.setattr(index_state, "content_fingerprint", no_walk)
        assert index_state.is_fresh(directory, root, "internal")  # told by the listing alone
    record = root / "content/projects/churn/project.yml"
    if change == "a person added":
        (root / "content/people/quokka.yml").write_text(PERSON.format(name="Quokka Census", team="risk"))
    elif change == "a project folder added":
        (root / "content/projects/quokka").mkdir()
        (root / "content/projects/quokka/project.yml").write_text(project_yml(title="Quokka census"))
    elif change == "a record deleted":
        record.unlink()
    else:
        size = record.stat().st_size
        record.write_text(project_yml("Quokk model"))  # "Churn model", one word changed, same length
        assert record.stat().st_size == size
    assert not index_state.is_fresh(directory, root, "internal")
    assert ensure_search_index(root, "internal")
    if change == "a record deleted":
        assert fulltext.search(directory, "churn")[0] == []
    elif change == "a record edited, same size":
        assert first(directory, "quokk") == ("project", "churn")
    else:
        assert first(directory, "quokka census")[1] == "quokka"


def test_an_edit_made_while_a_build_reads_the_hub_is_never_vouched_for(make_hub):
    """A build hands the index worker the hub it read; a file saved during that read (after the
    loader passed it) must leave the index stale, not fingerprinted as if it were in it."""
    root = make_hub()
    settled(root)
    visible = restrict(load_hub(root), "internal")
    record = root / "content/projects/churn/project.yml"
    record.write_text(project_yml(title="Quokka habitat model"))  # saved after the loader read it
    assert ensure_search_index(root, "internal", visible)  # the index holds the old title
    directory = index_state.index_dir(root, "internal")
    assert not index_state.is_fresh(directory, root, "internal")
    assert ensure_search_index(root, "internal")  # so the next search rebuilds, from the file as it is
    assert first(directory, "quokka") == ("project", "churn")


def test_a_folder_that_could_not_be_read_keeps_the_listing_from_vouching(make_hub, monkeypatch):
    """While a folder cannot be listed, what is in it may change unseen: no listing is stored."""
    import os

    root = make_hub()
    settled(root)
    real = os.scandir
    people = str(root / "content/people")

    def flaky(path):
        if str(path) == people:
            raise PermissionError(path)
        return real(path)

    monkeypatch.setattr(index_state.os, "scandir", flaky)
    assert ensure_search_index(root, "internal")
    stored = json.loads((index_state.index_dir(root, "internal") / index_state.FINGERPRINT).read_text())
    assert stored["listed"] == ""


def test_a_listing_taken_while_files_may_still_change_is_not_stored(make_hub):
    """Files written within the racy window: the stored listing is empty and the walk decides."""
    root = make_hub()
    assert ensure_search_index(root, "internal")  # the files were written a moment ago
    stored = json.loads((index_state.index_dir(root, "internal") / index_state.FINGERPRINT).read_text())
    assert stored["listed"] == "" and stored["stat"]
    assert ensure_search_index(root, "internal") is False  # still fresh, by the walk


def test_cli_never_prints_an_answer_from_an_index_the_content_has_moved_past(make_hub, capsys):
    """The query runs while freshness is checked; a record made confidential since the index was
    written must not be printed from the old index."""
    from hubgen.cli import main

    root = make_hub()
    (root / "content/projects/churn/project.yml").write_text(project_yml(title="Quokka habitat model"))
    assert main(["search", "quokka", "--repo", str(root), "--json"]) == 0
    assert [h["key"] for h in json.loads(capsys.readouterr().out)["hits"]] == ["churn"]
    (root / "content/projects/churn/project.yml").write_text(
        project_yml(title="Quokka habitat model", extra="visibility: confidential\n")
    )
    assert main(["search", "quokka", "--repo", str(root), "--json"]) == 1
    captured = capsys.readouterr()
    assert json.loads(captured.out)["hits"] == [] and "search index rebuilt" in captured.err


def test_cli_follows_a_changed_build_audience(make_hub, capsys):
    """The audience read from hub.yml is remembered by hub.yml's bytes: editing it takes effect at once."""
    from hubgen.cli import main

    files = minimal_hub()
    files["content/projects/partner/project.yml"] = project_yml(title="Quokka census", extra="visibility: internal\n")
    root = make_hub(files)
    assert main(["search", "quokka", "--repo", str(root), "--json"]) == 0
    assert "partner" in [h["key"] for h in json.loads(capsys.readouterr().out)["hits"]]
    hub_yml = root / "content/hub.yml"
    hub_yml.write_text("name: Test hub\naudience: public\n")
    assert main(["search", "quokka", "--repo", str(root), "--json"]) == 1
    assert json.loads(capsys.readouterr().out)["hits"] == []
    hub_yml.write_text(hub_yml.read_text().replace("audience: public", "audience: everyone"))
    assert main(["search", "quokka", "--repo", str(root)]) == 2  # unknown audience: a usage error, not a default
    assert "content/hub.yml" in capsys.readouterr().err


def test_names_that_are_not_utf8_or_hold_a_newline_do_not_break_search_or_check(make_hub, capsys):
    """File names are bytes to the file system: a name that is not UTF-8 must hash, not crash."""
    import os

    from hubgen.cli import main

    root = make_hub()
    people = os.fsencode(root / "content/people")
    with open(os.path.join(people, b"bad\xffname.yml"), "wb") as f:
        f.write(b"name: X\nteam: t\n")
    (root / "content/people/new\nline.yml").write_text("name: Y\nteam: t\n")
    with open(os.path.join(os.fsencode(root / "content/projects/churn"), b"notes\xfe.md"), "wb") as f:
        f.write(b"hi")
    for _ in range(2):  # built, then asked again from the stored listing
        assert main(["search", "churn", "--repo", str(root), "--json"]) == 0
        assert [h["key"] for h in json.loads(capsys.readouterr().out)["hits"]] == ["churn"]
    assert main(["check", "--repo", str(root)]) == 1  # the two person files are reported, not fatal
    assert "not a valid person id" in capsys.readouterr().out
