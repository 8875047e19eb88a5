"""The prior-art snapshot kept between runs (hubgen.analysis.prior_art.stored): the same answers as the
models built from the hub, used only while the content, the code and the date are those it was made from."""

from __future__ import annotations

import json
import shutil
import sys
from datetime import date
from pathlib import Path

import pytest

from hubgen.analysis import experts, prior_art
from hubgen.analysis.lineage import build_graph
from hubgen.analysis.prior_art import freshness, stored
from hubgen.audience import restrict
from hubgen.cli import EXIT_OK, main
from hubgen.load import load_hub
from tests.conftest import project_yml, settled
from tests.test_prior_art import SECRET, churn_hub

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from generate_hub import generate  # noqa: E402


def _answers(snapshot: stored.Snapshot, texts: list[str]) -> list[object]:
    """Every project's prior art and people to ask, and the same for free texts: what the CLI shows."""
    out: list[object] = []
    asked = [(snapshot.projects[pid].proposal, snapshot.projects[pid].people) for pid in sorted(snapshot.projects)]
    asked += [(prior_art.Proposal(title=t), ()) for t in texts]
    for proposal, own in asked:
        hits = snapshot.engine.suggest(proposal, 8)
        people = prior_art.people_to_ask(snapshot.expertise, proposal, hits, exclude=own)
        out.append(([(h.kind, h.key, h.score, h.why, h.detail) for h in hits], [(e.handle, e.score) for e in people]))
    return out


def test_the_stored_snapshot_answers_as_the_models_built_from_the_hub(tmp_path):
    root = tmp_path / "hub"
    generate(root, 80)
    hub = restrict(load_hub(root), "internal")
    graph = build_graph(hub)
    built = stored.Snapshot(
        prior_art.build(hub, graph),
        experts.expertise(hub, graph, date(2026, 12, 1)),
        {pid: stored.asked_of(hub, graph, pid) for pid in hub.projects},
    )
    directory = tmp_path / "snapshot"
    stored.write(directory, built.engine, built.expertise, built.projects, {"listed": "x"}, date(2026, 12, 1))
    texts = ["customer churn", "demand forecast tensorflow 2.12", "latest pytorch", "zzz unknown words"]
    expected = _answers(built, texts)
    assert any(hits for hits, _ in expected) and any(people for _, people in expected)  # the test can fail
    assert _answers(stored.read(directory), texts) == expected


def test_terms_are_found_by_binary_search_in_any_script():
    words = sorted(
        ["a", "ab", "b", "zebra", "é", "ß", "日本", "\U0001f600", "x\udcff"],
        key=lambda t: t.encode("utf-8", "surrogatepass"),
    )
    terms = stored.Terms(*stored.Terms.encode(words))
    assert [terms.get(w) for w in words] == list(range(len(words)))
    assert list(terms) == words and len(terms) == len(words)
    for missing in ("", "aa", "c", "zzz", "日", "\U0001f601"):
        assert missing not in terms and terms.get(missing) is None
    with pytest.raises(KeyError):
        terms["nope"]


def _snapshot_ready(root: Path, capsys) -> str:
    settled(root)
    assert main(["prior-art", "--repo", str(root), "--text", "subscriber attrition", "--json"]) == EXIT_OK
    assert (freshness.snapshot_dir(root, "internal") / "fingerprint.json").is_file()
    return capsys.readouterr().out


def _hub_unread(monkeypatch) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError("the hub was read: the stored snapshot should have answered")

    monkeypatch.setattr("hubgen.pipeline.check", refuse)


def test_a_warm_query_reads_the_snapshot_not_the_hub(make_hub, capsys, monkeypatch):
    root = churn_hub(make_hub, **{"content/projects/idea/project.yml": project_yml("Attrition of subscribers")})
    first = _snapshot_ready(root, capsys)
    _hub_unread(monkeypatch)
    assert main(["prior-art", "--repo", str(root), "--text", "subscriber attrition", "--json"]) == EXIT_OK
    assert capsys.readouterr().out == first
    assert main(["prior-art", "idea", "--repo", str(root), "--json"]) == EXIT_OK
    assert "churn" in [h["key"] for h in json.loads(capsys.readouterr().out)]


def test_an_edit_a_new_date_or_new_code_makes_it_again(make_hub, capsys, monkeypatch):
    root = churn_hub(make_hub)
    _snapshot_ready(root, capsys)
    path = root / "content/projects/churn/project.yml"
    path.write_text(path.read_text().replace("Subscriber attrition model", "Subscriber attrition scorecard"))
    assert main(["prior-art", "--repo", str(root), "--text", "subscriber attrition", "--json"]) == EXIT_OK
    titles = [h["title"] for h in json.loads(capsys.readouterr().out)]
    assert "Subscriber attrition scorecard" in titles and "Subscriber attrition model" not in titles

    _snapshot_ready(root, capsys)
    reads: list[int] = []
    import hubgen.pipeline

    real = hubgen.pipeline.check
    monkeypatch.setattr("hubgen.pipeline.check", lambda *a, **k: reads.append(1) or real(*a, **k))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1893456000")  # 2030-01-01: the experts' recency is another
    assert main(["prior-art", "--repo", str(root), "--text", "subscriber attrition"]) == EXIT_OK
    assert reads == [1]
    monkeypatch.setattr("hubgen.fingerprint.code_stat", lambda: "other")
    monkeypatch.setattr("hubgen.fingerprint.code_fingerprint", lambda: "other code")
    assert main(["prior-art", "--repo", str(root), "--text", "subscriber attrition"]) == EXIT_OK
    assert reads == [1, 1]


@pytest.mark.parametrize("damage", ["records.pickle", "vec-terms.npy", "snapshot.json", "terms.bin"])
def test_a_damaged_snapshot_is_never_used(make_hub, capsys, damage):
    root = churn_hub(make_hub)
    first = _snapshot_ready(root, capsys)
    (freshness.snapshot_dir(root, "internal") / damage).write_bytes(b"\x80not what was written")
    assert main(["prior-art", "--repo", str(root), "--text", "subscriber attrition", "--json"]) == EXIT_OK
    out = capsys.readouterr()
    assert out.out == first
    if damage != "snapshot.json":  # what made it is checked before anything is read
        assert "cannot be read" in out.err and str(freshness.snapshot_dir(root, "internal")) in out.err


def test_each_audience_has_its_own_snapshot(make_hub, capsys):
    root = churn_hub(
        make_hub,
        **{
            "content/hub.yml": "name: Test hub\naudience: public\n",
            "content/projects/secret-leavers/project.yml": project_yml(
                SECRET, summary="Subscriber attrition from payroll leavers.", extra="visibility: confidential\n"
            ),
            "content/projects/open-attrition/project.yml": project_yml(
                "Subscriber attrition survey", summary="Why subscribers leave.", extra="visibility: public\n"
            ),
        },
    )
    settled(root)
    for audience in ("confidential", "public", "confidential", "public"):  # the second round answers warm
        assert main(["prior-art", "--repo", str(root), "--text", "subscriber attrition", "--audience", audience]) == 0
        out = capsys.readouterr().out
        assert "Subscriber attrition survey" in out
        assert (SECRET in out) == (audience == "confidential")


def test_new_project_suggests_from_the_snapshot_of_the_hub_before_it(make_hub, capsys, monkeypatch):
    root = churn_hub(make_hub)
    _snapshot_ready(root, capsys)
    _hub_unread(monkeypatch)
    assert (
        main(
            [
                "new",
                "project",
                "attrition-uplift",
                "--repo",
                str(root),
                "--by",
                "ana",
                "--title",
                "Subscriber attrition uplift",
            ]
        )
        == 0
    )
    written = (root / "content/projects/attrition-uplift/project.yml").read_text()
    assert "#  - churn" in written


def test_a_build_leaves_the_snapshot_the_next_command_answers_from(make_hub, capsys, monkeypatch, tmp_path):
    root = churn_hub(make_hub)
    settled(root)
    assert main(["prior-art", "--repo", str(root), "--text", "subscriber attrition", "--json"]) == EXIT_OK
    expected = capsys.readouterr().out
    shutil.rmtree(freshness.snapshot_dir(root, "internal"))
    assert main(["build", "--repo", str(root), "--site-dir", str(tmp_path / "site")]) == EXIT_OK
    assert (freshness.snapshot_dir(root, "internal") / "fingerprint.json").is_file()
    capsys.readouterr()
    _hub_unread(monkeypatch)
    assert main(["prior-art", "--repo", str(root), "--text", "subscriber attrition", "--json"]) == EXIT_OK
    assert capsys.readouterr().out == expected
