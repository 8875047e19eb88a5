"""The benchmarks stay runnable: a smoke run on tens of projects, and a valid, deterministic generator."""

from __future__ import annotations

import hashlib
from pathlib import Path

from benchmarks.generate_hub import generate
from benchmarks.run import bench
from hubgen.pipeline import check


def tree_digest(root: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file():
            h.update(str(path.relative_to(root)).encode() + path.read_bytes())
    return h.hexdigest()


def test_generator_is_deterministic_and_valid(tmp_path):
    counts = generate(tmp_path / "a", 60, seed=11)
    generate(tmp_path / "b", 60, seed=11)
    assert tree_digest(tmp_path / "a") == tree_digest(tmp_path / "b")
    generate(tmp_path / "c", 60, seed=12)
    assert tree_digest(tmp_path / "a") != tree_digest(tmp_path / "c")
    hub = check(tmp_path / "a")
    assert [str(p) for p in hub.problems if p.severity.value == "error"] == []
    assert len(hub.projects) == counts["projects"] == 60
    assert len(hub.null_results) == counts["null_results"] > 0
    assert len(hub.discussions) == counts["discussions"] > 0
    assert any(link.subject.startswith("job:") for link in hub.lineage)  # OpenLineage events too


def test_benchmark_smoke_run(tmp_path, capsys):
    row = bench(30, tmp_path, extra=True, edits=False)  # the edits' builds: tests/test_incremental.py
    out = capsys.readouterr().out
    assert "build_s" in out and "ratio_to_floor" in out
    assert row["pages"] > 30 and row["site_mb"] > 0 and row["search_index_mb"] > 0
    assert row["build_s"] > 0 and row["floor_s"] > 0 and row["check_s"] > 0 and row["search_s"] > 0
    assert (tmp_path / "site-30" / "projects" / "index.html").exists()
