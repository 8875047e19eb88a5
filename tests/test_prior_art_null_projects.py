"""A project whose status is null-result is itself a null result (the contract), everywhere it is counted or found."""

from __future__ import annotations

import json

from hubgen.cli import main
from hubgen.pipeline import ensure_search_index
from hubgen.search import fulltext, index_state
from tests.conftest import minimal_hub, project_yml

NULL_RESULT = (
    "---\ntitle: Weather features for footfall\ndate: 2025-01-01\nauthors: [ana]\nhypothesis: h\n"
    "outcome: no lift\n---\nNothing.\n"
)


def _hub(make_hub):
    files = minimal_hub()
    files["content/projects/quokka-pricing/project.yml"] = project_yml(
        "Quokka dynamic pricing", status="null-result", extra="ended: 2025-03-01\n"
    )
    files["content/null-results/weather-footfall.md"] = NULL_RESULT
    return make_hub(files)


def test_search_kind_null_result_finds_a_null_result_project(make_hub):
    root = _hub(make_hub)
    ensure_search_index(root, "internal")
    hits, _ = fulltext.search(index_state.index_dir(root, "internal"), "quokka pricing", kind="null-result")
    assert [(h.kind, h.key) for h in hits] == [("project", "quokka-pricing")]
    hits, _ = fulltext.search(index_state.index_dir(root, "internal"), "weather", kind="null-result")
    assert [(h.kind, h.key) for h in hits] == [("null-result", "weather-footfall")]
    # a delivered project is still not a null result
    hits, _ = fulltext.search(index_state.index_dir(root, "internal"), "churn", kind="null-result")
    assert hits == []


def test_check_counts_null_result_projects(make_hub, capsys):
    root = _hub(make_hub)
    assert main(["check", "--repo", str(root)]) == 0
    assert "2 null results (1 of them projects)" in capsys.readouterr().err
    assert main(["check", "--repo", str(root), "--format", "json"]) == 0
    counts = json.loads(capsys.readouterr().out)["counts"]
    assert counts["null_results"] == 2 and counts["null_result_projects"] == 1


def test_stats_and_export_count_null_result_projects(make_hub, capsys, tmp_path):
    root = _hub(make_hub)
    assert main(["stats", "--repo", str(root), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["headline"]["null_results"] == 2
    out = tmp_path / "gen"
    assert main(["generate", "--repo", str(root), str(out)]) == 0
    export = json.loads((out / "docs/api/hub.json").read_text())
    assert export["null_result_projects"] == ["quokka-pricing"]
    assert len(export["null_results"]) + len(export["null_result_projects"]) == 2
