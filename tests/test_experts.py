"""The expert directory: who knows X, ranked with evidence (model, CLI, pages, export, quality)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from hubgen.analysis.experts import Expertise, expertise, rank, slugify, unique_slugs
from hubgen.analysis.lineage import build_graph
from hubgen.audience import restrict
from hubgen.pipeline import check
from hubgen.render.pages import render_site
from tests.conftest import MKDOCS_YML, ROOT

TODAY = date(2026, 6, 1)
SLUG = re.compile(r"^[a-z0-9][a-z0-9._-]*$")

PEOPLE = {
    "ana": "name: Ana Silva\nteam: risk\n",
    "ben": "name: Ben Okafor\nteam: risk\n",
    "cat": "name: Cat Moreau\nteam: risk\n",
    "dan": "name: Dan Reyes\nteam: marketing\n",
    "eve": "name: Eve Tanaka\nteam: marketing\n",
}


def project(
    title: str,
    people: dict[str, str],
    *,
    status: str = "delivered",
    ended: date | None = TODAY,
    tags: list[str] = (),
    tools: list[str] = (),
    domains: list[str] = (),
    extra: str = "",
) -> str:
    lines = [f"title: {title}", "summary: What and why.", f"status: {status}"]
    if status == "active":
        lines.append("stage: research")
    if ended and status != "active":
        lines.append(f"ended: {ended.isoformat()}")
    for key, values in (("tags", tags), ("tools", tools), ("domains", domains)):
        if values:
            lines.append(f"{key}: [{', '.join(json.dumps(v) for v in values)}]")
    lines.append("people:")
    lines += [f"  - {{person: {h}, role: {r}}}" for h, r in people.items()]
    return "\n".join(lines) + "\n" + extra


def hub_files(projects: dict[str, str], people: dict[str, str] | None = None, **more: str) -> dict[str, str]:
    files = {"mkdocs.yml": MKDOCS_YML, "docs/about.md": "# About\n"}
    for handle, text in (people or PEOPLE).items():
        files[f"content/people/{handle}.yml"] = text
    for pid, text in projects.items():
        files[f"content/projects/{pid}/project.yml"] = text
    files.update(more)
    return files


def model(root: Path, today: date = TODAY, audience: str = "internal") -> Expertise:
    hub = restrict(check(root, today), audience)
    return expertise(hub, build_graph(hub), today)


def handles(experts) -> list[str]:
    return [e.handle for e in experts]


# --------------------------------------------------------------------------- scoring


def test_role_order_lead_contributor_reviewer_stakeholder(make_hub):
    root = make_hub(
        hub_files(
            {
                "p1": project(
                    "Churn uplift",
                    {"dan": "stakeholder", "cat": "reviewer", "ana": "lead", "ben": "contributor"},
                    tags=["uplift-modeling"],
                )
            }
        )
    )
    topic = model(root).topic("uplift-modeling")
    assert handles(topic.experts) == ["ana", "ben", "cat", "dan"]
    assert [e.evidence[0].role for e in topic.experts] == ["lead", "contributor", "reviewer", "stakeholder"]


def test_recent_work_counts_more_with_the_configured_half_life(make_hub):
    files = hub_files(
        {
            "now": project("Forecast v2", {"ana": "lead"}, tags=["forecasting"], ended=TODAY),
            "old": project("Forecast v1", {"ben": "lead"}, tags=["forecasting"], ended=TODAY - timedelta(days=540)),
        }
    )
    topic = model(make_hub(files)).topic("forecasting")
    assert handles(topic.experts) == ["ana", "ben"]
    ana, ben = topic.experts
    # default half-life 540 days; for people still here decay saturates at the floor (0.5)
    assert ben.score == pytest.approx(ana.score * (0.5 + 0.5 / 2))

    files["content/hub.yml"] = "name: Hub\nexperts:\n  half_life_days: 270\n  recency_floor: 0\n"
    ana, ben = model(make_hub(files)).topic("forecasting").experts
    assert ben.score == pytest.approx(ana.score / 4)  # two half-lives, no floor


def test_a_track_record_outweighs_one_recent_project_but_recency_breaks_ties(make_hub):
    old = TODAY - timedelta(days=730)
    files = hub_files(
        {
            "v1": project("Queues v1", {"ana": "lead"}, tags=["queueing"], ended=old - timedelta(days=200)),
            "v2": project("Queues v2", {"ana": "lead"}, tags=["queueing"], ended=old - timedelta(days=100)),
            "v3": project("Queues v3", {"cat": "lead", "ana": "contributor"}, tags=["queueing"], ended=old),
            "new": project("Queues now", {"ben": "lead"}, tags=["queueing"], status="active"),
            "tie-old": project("Old tie", {"dan": "lead"}, tags=["tie"], ended=old),
            "tie-new": project("New tie", {"eve": "lead"}, tags=["tie"], ended=TODAY),
        }
    )
    ex = model(make_hub(files))
    assert handles(ex.topic("queueing").experts)[:2] == ["ana", "ben"]
    assert handles(ex.topic("tie").experts) == ["eve", "dan"]  # at equal work, the more recent first
    # alumni get no floor: their knowledge ages from the day they left
    people = dict(PEOPLE, ana="name: Ana Silva\nteam: risk\nleft: 2024-06-01\n")
    files.update({f"content/people/{h}.yml": t for h, t in people.items()})
    assert handles(model(make_hub(files)).topic("queueing").experts)[0] == "ben"


def test_versions_latest_and_named_version_beat_more_old_work(make_hub):
    old = TODAY - timedelta(days=200)
    root = make_hub(
        hub_files(
            {
                "tf1": project("Sentiment v1", {"ana": "lead"}, tools=["tensorflow==1.15"], ended=old),
                "tf2": project("Sentiment v2", {"ana": "lead"}, tools=["tensorflow==2.4"], ended=old),
                "tf3": project("Embeddings", {"ben": "lead"}, tools=["tensorflow==2.16", "keras"], ended=old),
            }
        )
    )
    ex = model(root)
    topic = ex.topic("tensorflow")
    assert topic.kinds == ("tool",)
    assert topic.versions == ("1.15", "2.4", "2.16")  # numeric order, not text order
    assert handles(topic.experts) == ["ana", "ben"]  # any version: two projects beat one
    assert topic.experts[1].evidence[0].versions == ("2.16",)
    for query in ("latest tensorflow", "tensorflow 2.16", "tensorflow==2.16", "newest TensorFlow"):
        assert handles(rank(ex, query).experts)[0] == "ben", query
    assert handles(rank(ex, "tensorflow 1.15").experts)[0] == "ana"
    assert handles(rank(ex, "tensorflow").experts)[0] == "ana"


def test_alumni_come_after_current_staff_at_equal_evidence(make_hub):
    people = dict(PEOPLE, ana="name: Ana Silva\nteam: risk\nleft: 2025-01-31\n")
    root = make_hub(
        hub_files(
            {
                "p1": project(
                    "Fraud v2",
                    {"cat": "lead", "ana": "contributor", "ben": "contributor"},
                    tags=["fraud-detection"],
                    ended=date(2024, 12, 20),
                )
            },
            people,
            **{"content/hub.yml": "name: Hub\nexperts: {recency_floor: 0}\n"},
        )
    )
    topic = model(root).topic("fraud-detection")  # no floor: the same evidence for Ana and Ben
    assert handles(topic.experts) == ["cat", "ben", "ana"]  # Ana's name sorts first, but she has left
    cat, ben, ana = topic.experts
    assert ana.score == pytest.approx(ben.score)
    assert ana.alumni and not ben.alumni


def test_alumni_evidence_ages_from_the_date_they_left(make_hub):
    people = dict(PEOPLE, ana="name: Ana Silva\nteam: risk\nleft: 2024-06-01\n")
    root = make_hub(
        hub_files(
            {"p1": project("Fraud v3", {"ben": "lead", "ana": "lead"}, status="active", tags=["fraud-detection"])},
            people,
        )
    )
    ben, ana = model(root).topic("fraud-detection").experts
    assert (ben.handle, ana.handle) == ("ben", "ana")
    assert ana.evidence[0].date == date(2024, 6, 1) and not ana.evidence[0].ongoing
    assert ben.evidence[0].ongoing
    assert ana.score < ben.score


def test_declared_skills_are_the_weakest_signal(make_hub):
    people = dict(PEOPLE, eve="name: Eve Tanaka\nteam: marketing\nskills: [nlp, llm]\n")
    root = make_hub(
        hub_files({"p1": project("Complaints", {"ana": "lead", "dan": "stakeholder"}, tags=["nlp"])}, people)
    )
    topic = model(root).topic("nlp")
    assert handles(topic.experts) == ["ana", "dan", "eve"]
    eve = topic.experts[-1]
    assert [(e.kind, e.role) for e in eve.evidence] == [("skills", "self-declared")]
    # a declared skill no record carries is no topic page, but a query still finds who declared it
    ex = model(root)
    assert ex.topic("llm") is None
    assert handles(rank(ex, "llm").experts) == ["eve"]


def test_evidence_lists_projects_null_results_discussions_and_reused_assets(make_hub):
    root = make_hub(
        hub_files(
            {
                "fraud-v3": project(
                    "Card fraud v3", {"ana": "lead", "dan": "reviewer"}, tags=["graph-features"], domains=["fraud"]
                ),
                "returns": project("Returns abuse", {"cat": "lead"}, domains=["returns"]),
                "claims": project("Claims triage", {"dan": "lead"}, domains=["claims"]),
            },
            **{
                "content/projects/fraud-v3/lineage.yml": "produces:\n  - feature:merchant-graph\n",
                "content/projects/returns/lineage.yml": "consumes:\n  - feature:merchant-graph\n",
                "content/projects/claims/lineage.yml": "consumes:\n  - feature:merchant-graph\n",
                "content/projects/fraud-v3/null-results/gnn.md": (
                    "---\ntitle: End-to-end GNN does not help\ndate: 2026-03-02\nauthors: [ben]\n"
                    "hypothesis: A GNN beats boosting.\noutcome: It did not.\ntags: [graph-features]\n---\nBody.\n"
                ),
                "content/projects/fraud-v3/discussions/thresholds.md": (
                    "---\ntitle: Step-up thresholds\n---\n\n## @cat 2026-04-01\n\nDecline above 0.9.\n\n"
                    "## @cat 2026-04-03\n\nOr step up.\n"
                ),
            },
        )
    )
    ex = model(root)
    topic = ex.topic("graph-features")
    by = {e.handle: e for e in topic.experts}
    assert handles(topic.experts)[0] == "ana"
    ana = {(e.kind, e.key): e for e in by["ana"].evidence}
    assert ana[("project", "fraud-v3")].role == "lead"
    assert ana[("project", "fraud-v3")].url == "projects/fraud-v3/"
    asset = ana[("asset", "feature:merchant-graph")]
    assert (
        asset.role == "lead"
        and "consumed by 2 projects" in asset.detail
        and asset.url == "assets/feature/merchant-graph/"
    )
    assert [(e.kind, e.key, e.role, e.date) for e in by["ben"].evidence] == [
        ("null-result", "gnn", "author", date(2026, 3, 2))
    ]
    cat = by["cat"].evidence[0]
    assert (cat.kind, cat.key, cat.role, cat.detail, cat.date) == (
        "discussion",
        "fraud-v3/thresholds",
        "participant",
        "2 messages",
        date(2026, 4, 3),
    )
    # what they built, with its reuse, for the person page
    built = ex.built["ana"]
    assert [(b.use.key, b.role, b.projects, b.use.reuse) for b in built] == [
        ("feature:merchant-graph", "lead", ("fraud-v3",), 2)
    ]
    # the profile: strongest topics first, with the person's place in each
    assert [(s.topic.name, s.rank) for s in ex.profiles["ana"]][:2] == [("fraud", 1), ("graph-features", 1)]


def test_reused_assets_count_more_than_unused_ones(make_hub):
    root = make_hub(
        hub_files(
            {
                "a": project("Geo features", {"ana": "lead"}, tags=["geospatial"]),
                "b": project("Geo prototype", {"ben": "lead"}, tags=["geospatial"]),
                "c": project("Store model", {"cat": "lead"}),
                "d": project("Delivery model", {"dan": "lead"}),
            },
            **{
                "content/projects/a/lineage.yml": "produces:\n  - component:geo\n",
                "content/projects/b/lineage.yml": "produces:\n  - component:geo-proto\n",
                "content/projects/c/lineage.yml": "consumes:\n  - component:geo\n",
                "content/projects/d/lineage.yml": "consumes:\n  - component:geo\n",
            },
        )
    )
    ana, ben = model(root).topic("geospatial").experts
    assert (ana.handle, ben.handle) == ("ana", "ben")
    assert ana.score > ben.score
    assert [e.kind for e in ben.evidence] == ["project"]  # an asset nobody reuses is no evidence


def test_topic_spellings_merge_and_free_text_finds_topics_in_a_sentence(make_hub):
    root = make_hub(
        hub_files(
            {
                "p1": project("Fraud graph", {"ana": "lead"}, tags=["graph-features"], domains=["fraud"]),
                "p2": project("Network features", {"ben": "lead"}, tags=["Graph Features"], domains=["marketing"]),
                "p3": project("Routes", {"cat": "lead"}, tags=["optimization"]),
            }
        )
    )
    ex = model(root)
    assert ex.topic("graph features") is ex.topic("Graph-Features")
    assert handles(ex.topic("graph-features").experts) == ["ana", "ben"]
    ranking = rank(ex, "graph features for fraud")
    assert [m.name for m in ranking.matches] == ["graph-features", "fraud"]
    assert handles(ranking.experts)[0] == "ana"
    assert handles(rank(ex, "route optimisation").experts) == ["cat"]  # British spelling meets the tag


def test_topic_slugs_are_ids_and_collisions_get_a_suffix():
    assert slugify("Marketing Attribution") == "marketing-attribution"
    assert slugify("C++") == "c"
    assert slugify("Node.js") == "node.js"
    assert slugify("--ü--") == "u"
    slugs = unique_slugs({"日本": "日本", "中文": "中文", "a b": "A/B"})
    assert slugs == {"a b": "a-b", "中文": "topic", "日本": "topic-2"}
    assert all(SLUG.match(s) for s in slugs.values())


def test_unusable_settings_are_warnings_and_defaults_apply(make_hub):
    hub_yml = (
        "name: Hub\nexperts:\n  half_life_days: -3\n  role_weights:\n    lead: high\n    boss: 9\n"
        "  colour: blue\n  recency_floor: 1.5\n  consumer_topic_weight: -1\n"
        "  stage_weights: {planning: 0.2, data: 0.8}\n"
    )
    root = make_hub(hub_files({"p1": project("P", {"ana": "lead"}, tags=["nlp"])}, **{"content/hub.yml": hub_yml}))
    messages = [p.message for p in check(root, TODAY).problems if p.path == "content/hub.yml"]
    assert "'experts.half_life_days' must be a number > 0" in messages
    assert "'experts.role_weights.lead' must be a number ≥ 0" in messages
    assert any(m.startswith("'experts.role_weights.boss' is not one of lead") for m in messages)
    assert "'experts.colour' is not a known setting" in messages
    assert "'experts.recency_floor' must be a number between 0 and 1" in messages
    assert "'experts.consumer_topic_weight' must be a number between 0 and 1" in messages
    assert any(m.startswith("'experts.stage_weights.planning' is not one of ideation") for m in messages)
    settings = model(root).settings
    assert settings.half_life_days == 540 and settings.recency_floor == 0.5 and settings.consumer_topic_weight == 1
    assert settings.stage_weights == {"ideation": 0.5, "data": 0.8}  # the usable value kept


# --------------------------------------------------------------------------- visibility, pages, export


def _secret_hub(make_hub) -> Path:
    secret = project(
        "Project Cedar", {"ben": "lead"}, status="active", tags=["target-screening"], extra="visibility: confidential\n"
    )
    return make_hub(
        hub_files(
            {
                "open": project("Open work", {"ana": "lead"}, tags=["scoring"]),
                "cedar": secret,
            },
            **{"content/projects/cedar/README.md": "Acquisition target screening with geospatial scoring.\n"},
        )
    )


def test_hidden_records_are_never_evidence(make_hub):
    root = _secret_hub(make_hub)
    internal = model(root)
    assert internal.topic("target-screening") is None
    assert all(e.key != "cedar" for t in internal.topics.values() for x in t.experts for e in x.evidence)
    assert handles(model(root, audience="confidential").topic("target-screening").experts) == ["ben"]


def test_site_has_an_experts_index_topic_pages_and_profiles(make_hub):
    root = make_hub(
        hub_files(
            {
                "p1": project(
                    "Card fraud",
                    {"ana": "lead", "ben": "contributor"},
                    tags=["fraud-detection"],
                    tools=["xgboost==2.0"],
                    domains=["fraud"],
                ),
                "p2": project("Claims", {"cat": "lead"}),
            },
            **{
                "content/projects/p1/lineage.yml": "produces:\n  - model:card-fraud\n",
                "content/projects/p2/lineage.yml": "consumes:\n  - model:card-fraud\n",
            },
        )
    )
    hub = restrict(check(root, TODAY), "internal")
    site = render_site(hub, "internal", TODAY)
    people_section = next(entry["People"] for entry in site.nav if "People" in entry)
    assert {"Experts": "experts/index.md"} in people_section
    assert "experts/index.md" in str(site.nav) and str(site.nav).count("experts/") == 1  # topic pages stay out
    index = site.pages["experts/index.md"]
    for slug in ("fraud", "fraud-detection", "xgboost"):
        assert f'href="../experts/{slug}/"' not in index  # links are relative to the page
        assert f'href="{slug}/"' in index
        assert f"experts/{slug}/index.md" in site.pages
    topic = site.pages["experts/xgboost/index.md"]
    assert "Who knows xgboost?" in topic and "versions 2.0" in topic
    assert topic.index("Ana Silva") < topic.index("Ben Okafor")
    assert 'href="../../projects/p1/"' in topic
    person = site.pages["people/ana/index.md"]
    assert "## Expertise" in person and 'href="../../experts/fraud/"' in person
    assert "## What they built, and its reuse" in person and "model:card-fraud" in person
    export = json.loads(site.files["api/hub.json"])["experts"]
    xgb = next(t for t in export["topics"] if t["slug"] == "xgboost")
    assert [e["handle"] for e in xgb["experts"]] == ["ana", "ben"]
    assert xgb["experts"][0]["score"] > xgb["experts"][1]["score"]
    assert export["reference_date"] == TODAY.isoformat()


def test_example_site_has_experts_pages(example_site):
    index = (example_site / "experts" / "index.html").read_text()
    assert 'href="tensorflow/"' in index and 'href="marketing-attribution/"' in index
    tensorflow = (example_site / "experts" / "tensorflow" / "index.html").read_text()
    assert tensorflow.index("Priya Raman") < tensorflow.index("Grace Liu")
    home = (example_site / "index.html").read_text()
    assert "experts/tensorflow/" not in home  # topic pages stay out of the navigation
    assert 'href="experts/"' in home


# --------------------------------------------------------------------------- command line


def hubgen(*args: str, root: Path, today: date = TODAY) -> subprocess.CompletedProcess:
    epoch = int(datetime(today.year, today.month, today.day, tzinfo=UTC).timestamp())
    env = dict(os.environ, SOURCE_DATE_EPOCH=str(epoch))
    return subprocess.run(
        [sys.executable, "-m", "hubgen", "experts", *args, "--repo", str(root)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


def _cli_hub(make_hub) -> Path:
    return make_hub(
        hub_files(
            {
                "fraud-v3": project(
                    "Card fraud v3",
                    {"ana": "lead", "ben": "contributor"},
                    status="active",
                    tags=["graph-features"],
                    domains=["fraud"],
                ),
                "fraud-v2": project(
                    "Card fraud v2", {"ben": "lead"}, domains=["fraud"], ended=TODAY - timedelta(days=900)
                ),
            },
            **{
                "content/projects/fraud-v3/README.md": "We score card rings with an isolation forest on the graph.\n",
                "content/null-results/device-vendor.md": (
                    "---\ntitle: Vendor device data adds nothing\ndate: 2026-02-01\nauthors: [cat]\n"
                    "hypothesis: Device data lifts recall.\noutcome: No lift.\ntags: [fraud]\n---\nBody.\n"
                ),
            },
        )
    )


def test_cli_json_ranks_people_with_their_evidence(make_hub):
    root = _cli_hub(make_hub)
    result = hubgen("graph features for fraud", "--json", root=root)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert [t["slug"] for t in data["topics"]] == ["graph-features", "fraud"]
    assert [e["handle"] for e in data["experts"]] == ["ana", "ben", "cat"]
    first = data["experts"][0]
    assert first["url"] == "people/ana/" and first["alumni"] is False
    top = first["evidence"][0]
    assert (top["kind"], top["key"], top["role"], top["ongoing"]) == ("project", "fraud-v3", "lead", True)
    assert top["score"] == pytest.approx(top["weight"] * top["match"], abs=1e-3)
    assert data["reference_date"] == TODAY.isoformat()


def test_cli_explain_lists_records_roles_dates_and_weights(make_hub):
    root = _cli_hub(make_hub)
    result = hubgen("fraud", "--explain", "--limit", "2", root=root)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "topics matched: fraud (tag/domain)" in out  # a domain of projects, a tag of the null result
    # Ben: contributor on the live project and lead of the old one; Ana: lead of the live one only
    assert " 1. Ben Okafor (@ben)" in out and " 2. Ana Silva (@ana)" in out and "Cat" not in out
    ben = out[out.index(" 1. Ben Okafor") : out.index(" 2. Ana Silva")]
    assert re.search(r'= 2\.00 × \d\.\d\d  project fraud-v3 "Card fraud v3" · contributor · ongoing', ben)
    old = (TODAY - timedelta(days=900)).isoformat()
    assert re.search(rf'project fraud-v2 "Card fraud v2" · lead · {old}', ben)


def test_cli_free_text_uses_the_search_index(make_hub):
    root = _cli_hub(make_hub)
    result = hubgen("isolation forest", "--json", root=root)  # only in a README: no tag says it
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["topics"] == [] and data["full_text"] is True
    assert [e["handle"] for e in data["experts"]][:2] == ["ana", "ben"]


def test_cli_respects_the_audience_and_reports_no_one(make_hub):
    root = _secret_hub(make_hub)
    hidden = hubgen("target screening", root=root)
    assert hidden.returncode == 1
    assert "no one found" in hidden.stderr and "Ben" not in hidden.stdout
    shown = hubgen("target screening", "--audience", "confidential", "--json", root=root)
    assert shown.returncode == 0
    assert [e["handle"] for e in json.loads(shown.stdout)["experts"]] == ["ben"]


# --------------------------------------------------------------------------- quality on judged queries


def test_model_beats_the_naive_baseline_on_judged_queries():
    from benchmarks.expert_quality import evaluate

    result = evaluate(ROOT, today=date(2026, 11, 24))
    assert len(result["queries"]) >= 25
    model_scores, base = result["model_scores"], result["baseline_scores"]
    assert model_scores.mrr > base.mrr
    assert model_scores.p1 > base.p1
    assert model_scores.p3 >= base.p3


# --------------------------------------------------------------------------- the site and the CLI agree


def test_every_topic_page_ranks_as_the_cli_does(example_site, capsys, monkeypatch):
    """For every topic, the page's ranked people, their order, scores and evidence counts are what
    `hubgen experts <topic> --json` gives (issue 18)."""
    from hubgen import pipeline
    from hubgen.cli import main
    from tests.conftest import BUILD_EPOCH

    monkeypatch.setenv("SOURCE_DATE_EPOCH", BUILD_EPOCH)  # the build date of example_site
    loaded = pipeline.check(ROOT)
    monkeypatch.setattr(pipeline, "check", lambda root, today=None: loaded)  # load the hub once, not per topic
    export = json.loads((example_site / "api" / "hub.json").read_text())["experts"]["topics"]
    assert len(export) > 50
    row = re.compile(r'<tr data-handle="([^"]+)">.*?<td>([\d.]+)<br><small data-records="(\d+)">', re.DOTALL)
    for topic in export:
        page = (example_site / topic["url"] / "index.html").read_text()
        shown = [(h, float(score), int(n)) for h, score, n in row.findall(page)]
        capsys.readouterr()
        status = main(["experts", topic["name"], "--json", "--limit", "1000", "--repo", str(ROOT)])
        assert status == (0 if shown else 1), topic["name"]  # no one on the page: the CLI finds no one
        cli = json.loads(capsys.readouterr().out)
        assert [m["slug"] for m in cli["topics"]] == [topic["slug"]] and not cli["full_text"]
        expected = [(e["handle"], e["score"], len(e["evidence"])) for e in cli["experts"]]
        assert [(h, n) for h, _, n in shown] == [(h, n) for h, _, n in expected][:50], topic["name"]
        assert [x for _, x, _ in shown] == pytest.approx([x for _, x, _ in expected][:50], abs=0.0051)
        if len(expected) > 50:
            assert f"The first 50 of {len(expected)} people" in page
        assert [e["handle"] for e in topic["experts"]] == [h for h, _, _ in expected]  # and api/hub.json


def test_topic_page_shows_the_explain_evidence(make_hub):
    root = make_hub(
        hub_files(
            {
                "p1": project("Geo features", {"ana": "lead"}, tags=["geospatial"]),
                "c1": project("Stores", {"ben": "lead"}, tags=["retail"]),
                "c2": project("Routes", {"cat": "lead"}, tags=["retail"]),
            },
            **{
                "content/projects/p1/lineage.yml": "produces:\n  - component:geo\n",
                "content/projects/c1/lineage.yml": "consumes:\n  - component:geo\n",
                "content/projects/c2/lineage.yml": "consumes:\n  - component:geo\n",
            },
        )
    )
    hub = restrict(check(root, TODAY), "internal")
    page = render_site(hub, "internal", TODAY).pages["experts/retail/index.md"]
    ana = page[page.index('<tr data-handle="ana">') :]
    ana = ana[: ana.index("</tr>")]  # the creator of what both retail projects consume ranks for retail
    assert "component geo, consumed by 2 projects, via p1" in ana
    assert re.search(r"<code>\d\.\d\d = \d\.\d\d × 1\.00</code>", ana)
    assert 'hubgen experts "retail" --explain' in page


def test_a_project_in_ideation_counts_half_and_consumers_topics_count_by_their_share(make_hub):
    files = hub_files(
        {
            "idea": project("New credit model", {"ana": "lead"}, status="active", tags=["credit-risk"]),
            "done": project("Default model", {"ben": "lead"}, tags=["credit-risk"], ended=TODAY - timedelta(days=700)),
            "geo": project("Geo features", {"cat": "lead"}),
            "s1": project("Stores", {"dan": "lead"}, tags=["retail"]),
            "s2": project("Claims", {"eve": "lead"}, tags=["claims"]),
        },
        **{
            "content/projects/idea/project.yml": project(
                "New credit model", {"ana": "lead"}, status="active", tags=["credit-risk"]
            ).replace("stage: research", "stage: ideation"),
            "content/projects/geo/lineage.yml": "produces:\n  - component:geo\n",
            "content/projects/s1/lineage.yml": "consumes:\n  - component:geo\n",
            "content/projects/s2/lineage.yml": "consumes:\n  - component:geo\n",
        },
    )
    ex = model(make_hub(files))
    ben, ana = ex.topic("credit-risk").experts
    assert (ben.handle, ana.handle) == ("ben", "ana") and ana.score == pytest.approx(3 * 0.5)
    cat = next(e for e in ex.topic("retail").experts if e.handle == "cat")
    assert cat.evidence[0].match == pytest.approx(0.5)  # one of the two consuming projects is on retail
    assert "consumed by 2 projects" in cat.evidence[0].detail
