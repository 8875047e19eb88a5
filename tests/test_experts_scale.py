"""Expert finding on a large, noisy generated hub with planted answers (benchmarks/expert_scale.py, issue 23).

A smaller instance of the benchmark's hub (fewer noise projects, every planted case) must rank the
planted expert first for every judged query, and `--explain` must show the reuse behind a creator's score.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

from benchmarks.expert_quality import evaluate
from benchmarks.expert_scale import REFERENCE, build
from hubgen.cli import main
from hubgen.pipeline import check

CASES = {  # every kind of question issue 23 asks the judged set to cover
    "volume vs recency",
    "reuse: producing project's topic",
    "reuse: the asset's own tags",
    "reuse: the asset's description (free text)",
    "reuse: the consumers' topics",
    "stakeholders who never did the work",
    "alumni with old versions vs current with new (latest)",
    "alumni with old versions (the old version asked for)",
    "self-declared skills without evidence",
    "null-result authors",
    "free text only in summarys",
    "free text only in READMEs",
    "one person with many projects among many one-offs",
}


@pytest.fixture(scope="module")
def scale_hub(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("scale") / "hub"
    build(root, projects=150, seed=5)
    return root


def test_every_planted_expert_ranks_first(scale_hub: Path):
    assert [str(p) for p in check(scale_hub).problems if p.severity.value == "error"] == []  # a valid hub
    judged = yaml.safe_load((scale_hub / "judged.yml").read_text())["queries"]
    assert {q["case"] for q in judged} == CASES
    result = evaluate(scale_hub, scale_hub / "judged.yml", today=REFERENCE)
    misses = [
        (query, ranked[:3], sorted(relevant))
        for (query, relevant), ranked in zip(result["queries"], result["model"])
        if not ranked or ranked[0] not in relevant
    ]
    assert misses == []
    assert result["model_scores"].p1 > result["baseline_scores"].p1


def _experts(root: Path, *args: str, capsys, monkeypatch) -> str:
    epoch = int(datetime(REFERENCE.year, REFERENCE.month, REFERENCE.day, tzinfo=UTC).timestamp())
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(epoch))
    capsys.readouterr()
    assert main(["experts", *args, "--repo", str(root)]) == 0
    return capsys.readouterr().out


def test_explain_shows_the_reuse_behind_a_creators_score(scale_hub: Path, capsys, monkeypatch):
    out = _experts(scale_hub, "entity resolution", "--explain", "--limit", "2", capsys=capsys, monkeypatch=monkeypatch)
    first = out.split("\n 2. ")[0]
    assert " 1. Cara Creator1 (@creator-1)" in first
    assert "component matcher-1, consumed by 16 projects" in first
    # a topic reached only through the consumers: the creator's evidence is the asset, matched by their share
    data = json.loads(_experts(scale_hub, "loyalty programmes", "--json", capsys=capsys, monkeypatch=monkeypatch))
    top = data["experts"][0]
    assert top["handle"] == "platform-1"
    asset = top["evidence"][0]
    assert (asset["kind"], asset["key"], asset["role"]) == ("asset", "feature:signals-1", "lead")
    assert "consumed by 16 projects" in asset["detail"] and asset["match"] == pytest.approx(1.0)
