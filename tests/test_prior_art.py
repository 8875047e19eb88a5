"""Prior art: the one ranking behind related work, proposals, `hubgen prior-art` and `hubgen new project`."""

from __future__ import annotations

import json

from hubgen.analysis import prior_art
from hubgen.analysis.lineage import build_graph
from hubgen.audience import restrict
from hubgen.cli import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, main
from hubgen.load import load_hub
from tests.conftest import minimal_hub, project_yml

SECRET = "Quokka payroll leavers model"


def churn_hub(make_hub, glossary: str = "", **extra: str):
    files = minimal_hub()
    files["content/hub.yml"] = "name: Test hub\n" + glossary
    files["content/projects/churn/project.yml"] = project_yml(
        "Subscriber attrition model",
        summary="Which subscribers will leave at contract end.",
        extra="domains: [retention]\nstarted: 2023-01-01\n",
    )
    files["content/projects/staff-turnover/project.yml"] = project_yml(
        "Store colleague turnover",
        summary="Which store colleagues resign in their first year.",
        extra="started: 2023-06-01\n",
    )
    files["content/projects/cancel-forecast/project.yml"] = project_yml(
        "Forecasting subscription cancellations",
        summary="Weekly count of subscription cancellations.",
        extra="started: 2024-01-01\n",
    )
    files["content/null-results/tenure-features.md"] = (
        "---\ntitle: Tenure features do not predict subscriber attrition\ndate: 2024-02-01\nauthors: [ana]\n"
        "hypothesis: tenure predicts attrition\noutcome: no lift over the baseline\nreason: no-signal\n---\nNone.\n"
    )
    files.update(extra)
    return make_hub(files)


def ranked(root, text: str, **kw) -> list[str]:
    hub = restrict(load_hub(root), "internal")
    graph = build_graph(hub)
    return [s.key for s in prior_art.build(hub, graph).suggest(prior_art.Proposal(title=text), **kw)]


def test_text_finds_work_with_no_record(make_hub, capsys):
    root = churn_hub(make_hub)
    assert main(["prior-art", "--repo", str(root), "--text", "subscriber attrition", "--json"]) == EXIT_OK
    hits = json.loads(capsys.readouterr().out)
    records = [h for h in hits if h["kind"] != "person"]
    assert records[0]["key"] in ("churn", "tenure-features")
    assert {"churn", "tenure-features"} <= {h["key"] for h in records}
    for h in hits:
        assert set(h) >= {"kind", "key", "title", "url", "score", "why"}
        assert isinstance(h["why"], list) and isinstance(h["score"], (int, float))
    null = next(h for h in hits if h["key"] == "tenure-features")
    assert null["kind"] == "null-result" and null["url"] == "null-results/tenure-features/"
    assert any("attrition" in w for w in null["why"])


def test_prior_art_of_a_project_leaves_out_itself_and_says_what_it_cites(make_hub, capsys):
    root = churn_hub(
        make_hub,
        **{
            "content/projects/proposal/project.yml": project_yml(
                "Subscriber attrition uplift", status="backlog", extra="prior_art: [churn]\n"
            )
        },
    )
    assert main(["prior-art", "proposal", "--repo", str(root), "--json"]) == EXIT_OK
    hits = json.loads(capsys.readouterr().out)
    assert "proposal" not in [h["key"] for h in hits]
    assert next(h for h in hits if h["key"] == "churn")["cited"] is True
    assert main(["prior-art", "--repo", str(root)]) == EXIT_USAGE
    assert main(["prior-art", "nope", "--repo", str(root)]) == EXIT_USAGE


def test_a_glossary_synonym_changes_the_ranking(make_hub):
    root = churn_hub(make_hub)
    assert "cancel-forecast" not in ranked(root, "subscriber churn", limit=5)
    root = churn_hub(make_hub, glossary="glossary:\n  churn: [cancellations, attrition]\n")
    keys = ranked(root, "subscriber churn", limit=5)
    assert "cancel-forecast" in keys and "churn" in keys
    assert keys.index("churn") < keys.index("staff-turnover") if "staff-turnover" in keys else True


def test_a_look_alike_ranks_below_the_real_match(make_hub):
    root = churn_hub(make_hub, glossary="glossary:\n  churn: [attrition, turnover]\n")
    keys = ranked(root, "subscriber turnover", limit=5, kinds=("project",))
    assert keys[0] == "churn"


def test_bad_glossary_is_reported_with_file_and_line(make_hub, capsys):
    root = churn_hub(make_hub, glossary="glossary:\n  - churn\n")
    assert main(["check", "--repo", str(root)]) == EXIT_PROBLEMS
    err = capsys.readouterr().out
    assert "content/hub.yml:2" in err and "glossary" in err


def test_new_project_prints_and_writes_commented_suggestions(make_hub, capsys):
    root = churn_hub(make_hub)
    assert (
        main(
            [
                "new",
                "project",
                "attrition-2026",
                "--repo",
                str(root),
                "--by",
                "ana",
                "--title",
                "Subscriber attrition at renewal",
            ]
        )
        == EXIT_OK
    )
    err = capsys.readouterr().err
    assert "churn" in err and "earlier work" in err
    text = (root / "content/projects/attrition-2026/project.yml").read_text()
    block = text.split("\nprior_art:\n", 1)[1].split("\n# ──", 1)[0]
    assert "#  - churn " in block
    assert "tenure-features" in block
    assert all(line.startswith("#") or not line.strip() for line in block.splitlines())
    hub = load_hub(root)
    assert hub.projects["attrition-2026"].prior_art == ()  # suggestions count only once the author keeps them


def test_check_strict_fails_on_the_template_todo(make_hub, capsys):
    root = churn_hub(make_hub)
    assert main(["new", "project", "fresh", "--repo", str(root), "--by", "ana"]) == EXIT_OK
    capsys.readouterr()
    assert main(["check", "--strict", "--repo", str(root)]) == EXIT_PROBLEMS
    out = capsys.readouterr().out
    summary_line = next(
        i
        for i, line in enumerate((root / "content/projects/fresh/project.yml").read_text().splitlines(), 1)
        if "TODO:" in line
    )
    assert f"content/projects/fresh/project.yml:{summary_line}:" in out


def test_active_project_past_ideation_needs_a_problem_statement(make_hub, capsys):
    root = churn_hub(
        make_hub,
        **{
            "content/projects/running/project.yml": project_yml(
                "Running work", status="active", extra="stage: research\n"
            )
        },
    )
    assert main(["check", "--repo", str(root)]) == EXIT_OK
    assert main(["check", "--strict", "--repo", str(root)]) == EXIT_PROBLEMS
    assert "'running' is active (research) but has no problem statement" in capsys.readouterr().out


def test_a_confidential_past_project_never_appears_in_public_suggestions(make_hub, tmp_path, capsys):
    files = {
        "content/hub.yml": "name: Test hub\naudience: public\n",
        "content/projects/secret-leavers/project.yml": project_yml(
            SECRET,
            summary="Which store colleagues resign, from payroll leavers.",
            extra="visibility: confidential\nstarted: 2023-01-01\n",
        ),
        "content/projects/idea/project.yml": project_yml(
            "Payroll leavers early warning",
            status="active",
            summary="Which store colleagues resign in their first year.",
            extra="stage: ideation\nvisibility: public\n",
        ),
        "content/projects/public-old/project.yml": project_yml(
            "Store colleague scheduling",
            summary="Rota planning for store colleagues.",
            extra="visibility: public\nstarted: 2022-01-01\n",
        ),
    }
    root = churn_hub(make_hub, **files)
    assert main(["prior-art", "idea", "--repo", str(root), "--json"]) == EXIT_OK
    assert "secret-leavers" not in capsys.readouterr().out
    assert main(["prior-art", "idea", "--repo", str(root), "--json", "--audience", "confidential"]) == EXIT_OK
    assert "secret-leavers" in capsys.readouterr().out  # the leak test can fail: it is found when allowed
    out = tmp_path / "gen"
    assert main(["generate", "--repo", str(root), str(out), "--audience", "public"]) == EXIT_OK
    pages = "".join(p.read_text() for p in (out / "docs").rglob("*.md"))
    assert "Prior art to review" in (out / "docs/projects/idea/index.md").read_text()
    assert "Payroll leavers early warning" in (out / "docs/proposals/index.md").read_text()
    assert SECRET not in pages and "secret-leavers" not in pages


def test_related_work_on_pages_uses_the_same_ranking(make_hub, tmp_path):
    root = churn_hub(make_hub, glossary="glossary:\n  churn: [attrition]\n")
    out = tmp_path / "gen"
    assert main(["generate", "--repo", str(root), str(out)]) == EXIT_OK
    page = (out / "docs/projects/churn/index.md").read_text()
    related = page.split("## Related work", 1)[1].split("\n## ", 1)[0]
    hub = restrict(load_hub(root), "internal")
    graph = build_graph(hub)
    expected = prior_art.related(prior_art.build(hub, graph), hub, graph)["churn"]
    assert expected and all(s.title in related for s in expected)


def test_search_and_experts_use_the_glossary(make_hub, capsys):
    root = churn_hub(make_hub)
    assert main(["search", "cancellations", "--repo", str(root), "--json"]) == EXIT_OK
    assert "churn" not in [h["key"] for h in json.loads(capsys.readouterr().out)["hits"]]
    (root / "content/hub.yml").write_text("name: Test hub\nglossary:\n  churn: [cancellations, attrition]\n")
    assert main(["search", "cancellations", "--repo", str(root), "--json"]) == EXIT_OK
    assert "churn" in [h["key"] for h in json.loads(capsys.readouterr().out)["hits"]]


def _git(root, *args):
    import subprocess

    done = subprocess.run(
        ["git", "-c", "user.name=T", "-c", "user.email=t@example.com", *args],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr


IDEA = (
    project_yml(
        "Subscriber attrition early warning",
        status="active",
        summary="Warn before subscribers cancel.",
        extra="stage: ideation\n",
    )
    + "prior_art:\n  - https://example.org/paper\n"
)


def test_ci_notice_lands_on_the_prior_art_line_of_a_changed_proposal_only(make_hub, capsys, monkeypatch):
    root = churn_hub(
        make_hub,
        glossary="glossary:\n  churn: [attrition]\n",
        **{"content/projects/old-idea/project.yml": IDEA.replace("early warning", "scorecard")},
    )
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", ".")
    _git(root, "commit", "-q", "-m", "base")
    (root / "content/projects/new-idea").mkdir()
    (root / "content/projects/new-idea/project.yml").write_text(IDEA)
    monkeypatch.setenv("GITHUB_WORKSPACE", str(root))
    assert main(["check", "--repo", str(root), "--format", "github", "--changed-since", "main"]) == EXIT_OK
    out = capsys.readouterr().out.splitlines()
    line = IDEA.splitlines().index("prior_art:") + 1
    notices = [x for x in out if x.startswith("::notice")]
    assert len(notices) == 1, out  # old-idea is unchanged since main: no notice
    assert notices[0].startswith(f"::notice file=content/projects/new-idea/project.yml,line={line},title=hubgen::")
    assert "project churn (" in notices[0] and "project old-idea (" in notices[0]
    # cited work is not asked for again
    (root / "content/projects/new-idea/project.yml").write_text(
        IDEA.replace("prior_art:\n", "prior_art:\n  - churn\n  - old-idea\n  - staff-turnover\n  - cancel-forecast\n")
    )
    assert main(["check", "--repo", str(root), "--format", "gitlab", "--changed-since", "main"]) == EXIT_OK
    report = json.loads(capsys.readouterr().out)
    notes = [r for r in report if r["check_name"] == "hubgen-notice"]
    assert all(
        "project churn (" not in r["description"] and "project old-idea (" not in r["description"] for r in notes
    ), notes
    assert all(r["location"]["path"] == "content/projects/new-idea/project.yml" for r in notes)
    assert main(["check", "--repo", str(root), "--changed-since", "no-such-ref"]) == EXIT_USAGE
    assert "no-such-ref" in capsys.readouterr().err


def test_a_record_whose_output_the_proposal_reads_says_so(make_hub):
    """'Its output is a data source' for the producer; 'same data source' for another reader of it."""
    root = churn_hub(
        make_hub,
        **{
            "content/projects/churn/lineage.yml": "consumes:\n  - dataset:crm\nproduces:\n  - model:attrition-scores\n",
            "content/projects/cancel-forecast/lineage.yml": "consumes:\n  - model:attrition-scores\n",
            "content/projects/staff-turnover/lineage.yml": "consumes:\n  - model:attrition-scores\n",
        },
    )
    hub = restrict(load_hub(root), "internal")
    graph = build_graph(hub)
    engine = prior_art.build(hub, graph)
    why = {s.key: s.why for s in engine.suggest(prior_art.proposal_of(hub, graph, "cancel-forecast"), 10, ("project",))}
    assert "its output is a data source: model:attrition-scores" in why["churn"]
    assert "same data source: model:attrition-scores" in why["staff-turnover"]
    assert not any("same data source" in w for w in why["churn"])
