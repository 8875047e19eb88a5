"""Lineage and reuse: what each project stands on, and what stands on it.

Counts are checked against expectations computed straight from the files
(the example hub), or stated by hand for small hubs written here; the real
OpenLineage events come from the OpenLineage project (tests/fixtures/openlineage/).
"""

from __future__ import annotations

import json
import threading
from collections import defaultdict
from pathlib import Path

import pytest
import yaml

from hubgen.analysis.lineage import build_graph
from hubgen.analysis.reuse import creators, investment, role_weights
from hubgen.audience import restrict
from hubgen.cli import main
from hubgen.pipeline import check, generate
from hubgen.problems import Severity
from tests.conftest import FIXTURES, ROOT, minimal_hub, project_yml

CONTENT = ROOT / "content"
OPENLINEAGE = FIXTURES / "openlineage"
RANK = {"public": 0, "internal": 1, "confidential": 2}


def graph_of(root: Path, audience: str | None = None):
    hub = check(root)
    if audience:
        hub = restrict(hub, audience)
    return hub, build_graph(hub)


def errors_of(root: Path) -> list[str]:
    return [str(p) for p in check(root).problems if p.severity is Severity.ERROR]


def lineage_yml(consumes: list[str] = (), produces: list[str] = ()) -> str:
    """consumes on line 1, its entries from line 2; then produces."""

    def block(name: str, items) -> str:
        return f"{name}:\n" + "".join(f"  - {i}\n" for i in items) if items else f"{name}: []\n"

    return block("consumes", consumes) + block("produces", produces)


# --- the example hub: counts against the raw files -------------------------------------------

intermediate: set = set()  # DVC outputs a later stage reads (filled by raw_lineage)


def raw_lineage(audience: str) -> tuple[dict[str, set[str]], dict[str, set[str]], dict[str, dict]]:  # noqa: C901 (an independent reading of the files, kept in one place on purpose)
    """(consumers, producing projects, projects) per asset key, read from the files without hubgen."""
    limit = RANK[audience]
    projects = {p.parent.name: yaml.safe_load(p.read_text()) for p in CONTENT.glob("projects/*/project.yml")}
    projects = {pid: d for pid, d in projects.items() if RANK.get(d.get("visibility", "internal"), 2) <= limit}
    hidden_assets = {
        f"{p.parent.name}:{p.stem}"
        for p in CONTENT.glob("assets/*/*.yml")
        if RANK.get((yaml.safe_load(p.read_text()) or {}).get("visibility", "internal"), 2) > limit
    }
    consumers: dict[str, set[str]] = defaultdict(set)
    producers: dict[str, set[str]] = defaultdict(set)
    intermediate.clear()
    for path in CONTENT.glob("projects/*/lineage.yml"):
        pid = path.parent.name
        if pid not in projects:
            continue
        doc = yaml.safe_load(path.read_text()) or {}
        for ref in doc.get("consumes") or []:
            if ":" in ref and not ref.startswith("project:"):
                consumers[ref.split("@")[0]].add(f"project:{pid}")
        for ref in doc.get("produces") or []:
            producers[ref.split("@")[0]].add(pid)
    for path in CONTENT.glob("projects/*/dvc.yaml"):  # every stage output and artifact is produced
        pid = path.parent.name
        if pid not in projects:
            continue
        doc = yaml.safe_load(path.read_text())
        by_path = {
            spec["path"]: f"{spec.get('type', 'model')}:{name}" for name, spec in (doc.get("artifacts") or {}).items()
        }
        outs = [
            next(iter(o)) if isinstance(o, dict) else o
            for stage in (doc.get("stages") or {}).values()
            for section in ("outs", "metrics", "plots")
            for o in stage.get(section) or []
        ]
        deps = {d for stage in (doc.get("stages") or {}).values() for d in stage.get("deps") or []}
        for out in outs:
            key = by_path.get(out, ("*", f"content/projects/{pid}", out))
            producers[key].add(pid)
            if out in deps and out not in by_path:
                intermediate.add(key)  # a step of the pipeline: no external use credit
        for out, key in by_path.items():
            if out not in outs:
                producers[key].add(pid)
    for path in CONTENT.glob("projects/*/**/*.dvc"):  # an import (repo.url) is consumed by its project
        pid = path.relative_to(CONTENT / "projects").parts[0]
        if pid in projects:
            for dep in yaml.safe_load(path.read_text()).get("deps") or []:
                if (dep.get("repo") or {}).get("url"):
                    consumers[("dataset", dep["repo"]["url"], dep["path"])].add(f"project:{pid}")
    # OpenLineage: identities are (namespace, name); an asset file's `symlinks` names the ones it stands for.
    symlinks = {
        (s["namespace"], s["name"]): f"{p.parent.name}:{p.stem}"
        for p in CONTENT.glob("assets/*/*.yml")
        for s in (yaml.safe_load(p.read_text()) or {}).get("symlinks") or []
    }
    for path in sorted(CONTENT.glob("lineage/*.*json")):
        for event in ol_events(path):
            for ds in event.get("inputs") or []:
                ident = (ds["namespace"], ds["name"])
                consumers[symlinks.get(ident, ("dataset",) + ident)].add(
                    ("job", event["job"]["namespace"], event["job"]["name"])
                )
    for path in sorted(CONTENT.rglob("manifest.json")):  # dbt: models, snapshots and exposures consume their depends_on
        manifest = json.loads(path.read_text())
        adapter = manifest["metadata"]["adapter_type"]
        relations = {**manifest["sources"], **manifest["nodes"]}
        for uid, node in {**manifest["nodes"], **manifest["exposures"]}.items():
            if node["resource_type"] not in ("model", "snapshot", "exposure"):
                continue
            for dep in node["depends_on"]["nodes"]:
                table = relations.get(dep, {})
                if table.get("resource_type") in ("model", "seed", "snapshot", "source"):
                    ident = (
                        adapter,
                        ".".join(
                            (
                                table["database"],
                                table["schema"],
                                table.get("alias") or table.get("identifier") or table["name"],
                            )
                        ),
                    )
                    consumers[symlinks.get(ident, ("dataset",) + ident)].add(
                        ("job", f"dbt://{node['package_name']}", uid)
                    )
    for key in hidden_assets:
        consumers.pop(key, None)
        producers.pop(key, None)
    return consumers, producers, projects


def ol_events(path: Path) -> list[dict]:
    """The events of an OpenLineage file (one event, an array or NDJSON), read without hubgen."""
    text = path.read_text()
    if path.suffix == ".ndjson":
        return [json.loads(line) for line in text.splitlines() if line.strip()]
    data = json.loads(text)
    return data if isinstance(data, list) else [data]


def keyed(hub, expected: dict) -> dict:
    """`expected` with (kind, namespace, name) identities replaced by the hub's keys for them (node sets too)."""
    by_identity = {(k.split(":", 1)[0], f.namespace, f.name): k for k, f in hub.facts.items()}
    by_identity |= {("*", f.namespace, f.name): k for k, f in hub.facts.items()}  # any kind

    def key(x):
        return by_identity[x] if isinstance(x, tuple) else x

    return {key(k): ({key(v) for v in vs} if isinstance(vs, set) else vs) for k, vs in expected.items()}


def raw_reuse(audience: str) -> dict[str, int]:
    consumers, producers, projects = raw_lineage(audience)
    return {
        key: len(consumers.get(key, ()))
        + (0 if key in intermediate else sum(len(projects[p].get("consumers") or []) for p in producers.get(key, ())))
        for key in set(consumers) | set(producers)
    }


def test_example_hub_reuse_counts_match_the_files():
    hub, graph = graph_of(ROOT)
    expected = keyed(hub, raw_reuse("confidential"))
    assert len(expected) > 20 and max(expected.values()) >= 5  # the example really exercises reuse
    got = {key: graph.assets[key].reuse for key in expected if key in graph.assets}
    assert got == expected
    consumers = keyed(hub, raw_lineage("confidential")[0])
    for key, who in consumers.items():
        assert set(graph.assets[key].consumers) == who, key


def test_example_site_export_and_leaderboard_agree_with_the_files(example_site: Path):
    export = json.loads((example_site / "api/hub.json").read_text())
    by_identity = {(a["kind"], a["namespace"], a["name"]): a["key"] for a in export["assets"] if a.get("name")}
    by_identity |= {("*", a["namespace"], a["name"]): a["key"] for a in export["assets"] if a.get("name")}
    expected = {by_identity[k] if isinstance(k, tuple) else k: v for k, v in raw_reuse("internal").items()}
    by_key = {a["key"]: a for a in export["assets"]}
    assert {k: by_key[k]["reuse"] for k in expected} == expected
    top = max(expected.values())
    leaders = {k for k, v in expected.items() if v == top}
    board = (example_site / "reuse/index.html").read_text()
    first_row = board.split("<tbody>", 1)[1].split("</tr>", 1)[0]
    assert any(f"<code>{k}</code>" in first_row for k in leaders), first_row
    assert f"<td>{top}</td>" in first_row
    # the most reused asset's page states its count and lists its consumers
    key = min(leaders)
    kind, ident = key.split(":", 1)
    page = (example_site / f"assets/{kind}/{ident}/index.html").read_text()
    assert f"reused by {top}" in page
    assert 'class="mermaid"' in page


def test_example_export_carries_people_dependencies_and_credit(example_site: Path):
    export = json.loads((example_site / "api/hub.json").read_text())
    projects = {p["id"]: p for p in export["projects"]}
    deps = export["lineage"]["dependencies"]
    for asset in export["assets"]:
        # producing people are the people of the producing projects, leads first
        handles = [p["handle"] for p in asset["producing_people"]]
        roles = [p["role"] for p in asset["producing_people"]]
        expected = {
            r["person"]
            for prod in asset["producers"]
            if prod.startswith("project:")
            for r in projects[prod[8:]]["people"]
        }
        assert set(handles) == expected, asset["key"]
        if "lead" in roles:
            assert roles[0] == "lead"
        assert asset["transitive_count"] >= len(asset["consumers"])
    for pid in projects:
        entry = deps[f"project:{pid}"]
        assert len(entry["upstream"]) <= entry["upstream_count"]  # counts, not closure lists (issue 17)
        assert len(entry["downstream"]) <= entry["downstream_count"]
        assert "upstream_all" not in entry and "downstream_all" not in entry
        for up in entry["upstream"]:  # the graph is consistent both ways
            assert f"project:{pid}" in deps[up]["downstream"]
    assert export["reuse"]["creators"] and export["reuse"]["creators"][0]["evidence"]
    # hidden projects do not appear anywhere in the internal export
    hidden = {
        p.parent.name
        for p in CONTENT.glob("projects/*/project.yml")
        if (yaml.safe_load(p.read_text()) or {}).get("visibility") == "confidential"
    }
    text = json.dumps(export)
    for pid in hidden:
        assert pid not in text


def test_navigation_has_the_assets_section(example_site: Path):
    hub_page = (example_site / "assets/index.html").read_text()
    for label, target in (
        ("Catalog", "assets/"),
        ("Reuse leaderboard", "reuse/"),
        ("Data investment", "reuse/investment/"),
    ):
        assert label in hub_page
        assert (example_site / target / "index.html").exists()


# --- real OpenLineage events ----------------------------------------------------------------


def ol_hub(make_hub, *names: str) -> Path:
    files = minimal_hub()
    for name in names:
        files[f"content/lineage/{name}"] = (OPENLINEAGE / name).read_text()
    return make_hub(files)


PG, DBT = "postgres://postgres:5432", "dbt-test-namespace"  # the namespaces of the jaffle_shop events


def ids(hub) -> dict[tuple[str, str, str], str]:
    """(kind, namespace, name) of every imported node → its key."""
    return {(k.split(":", 1)[0], f.namespace, f.name): k for k, f in hub.facts.items()}


def test_real_dbt_events_give_the_lineage_they_contain(make_hub):
    root = ol_hub(make_hub, "jaffle_shop_dbt_run.json")
    assert errors_of(root) == []
    hub, graph = graph_of(root)
    key = ids(hub)

    def ds(name):
        return key[("dataset", PG, f"postgres.public.{name}")]

    def job(name):
        return key[("job", DBT, f"model.jaffle_shop.{name}")]

    stg_orders = graph.assets[ds("stg_orders")]
    stg_payments = graph.assets[ds("stg_payments")]
    models = tuple(sorted((job("customers"), job("orders"))))
    assert stg_orders.consumers == models and stg_orders.reuse == 2
    assert stg_payments.consumers == models and stg_payments.reuse == 2
    assert stg_orders.producers == (job("stg_orders"),)
    customers = graph.assets[job("customers")]
    assert set(customers.reads) == {ds("stg_customers"), ds("stg_orders"), ds("stg_payments")}
    assert customers.writes == (ds("customers"),)
    # jobs depend on the jobs that wrote what they read; raw data reaches both models
    assert set(graph.upstream[job("customers")]) == {job("stg_customers"), job("stg_orders"), job("stg_payments")}
    assert set(graph.assets[ds("raw_orders")].transitive) == {job("stg_orders"), *models}
    assert graph.assets[ds("raw_orders")].last_used.isoformat() == "2024-11-20"
    # events with no inputs or outputs still declare their job
    assert key[("job", DBT, "model.jaffle_shop.stg_orders.sql.1")] in graph.assets


def test_failed_run_events_are_read_and_break_nothing(make_hub, tmp_path):
    root = ol_hub(make_hub, "jaffle_shop_dbt_failed_run.json")
    assert errors_of(root) == []
    hub, graph = graph_of(root)
    key = ids(hub)
    orders = graph.assets[key[("job", DBT, "model.jaffle_shop.orders")]]
    assert set(orders.reads) == {
        key[("dataset", PG, "postgres.public.stg_orders")],
        key[("dataset", PG, "postgres.public.stg_payments")],
    }
    assert orders.last_used.isoformat() == "2024-11-22"

    both = ol_hub(make_hub, "jaffle_shop_dbt_run.json", "jaffle_shop_dbt_failed_run.json")
    hub, graph = graph_of(both)
    key = ids(hub)
    stg_key = key[("dataset", PG, "postgres.public.stg_orders")]
    stg = graph.assets[stg_key]
    assert stg.reuse == 2  # the failed run's reads do not count twice
    assert stg.last_used.isoformat() == "2024-11-22"  # the later (failed) run still read it
    site = tmp_path / "site"
    assert main(["build", "--repo", str(both), "--site-dir", str(site)]) == 0
    page = (site / f"assets/dataset/{stg_key.split(':', 1)[1]}/index.html").read_text()
    assert "reused by 2" in page
    for name in ("customers", "orders"):
        assert f"../../job/{key[('job', DBT, f'model.jaffle_shop.{name}')].split(':', 1)[1]}/" in page
    job_page = site / f"assets/job/{key[('job', DBT, 'model.jaffle_shop.customers')].split(':', 1)[1]}/index.html"
    text = job_page.read_text()
    assert "Reads" in text and "postgres.public.stg_payments" in text and PG in text


def nd_event(when: str) -> str:
    return json.dumps({"eventTime": when, "job": {"name": "nd"}, "inputs": [{"name": "a"}]})


def test_openlineage_oddities_are_reported_not_fatal(make_hub):
    events = [
        {
            "eventType": "START",
            "eventTime": "2026-03-01T23:30:00-05:00",
            "run": {"runId": "not-a-uuid"},
            "job": {"namespace": "x", "name": "Load Sales"},
            "inputs": [{"name": "RAW.Sales"}],
            "outputs": "oops",
        },
        {"eventType": "OTHER", "eventTime": "yesterday", "job": {"name": "load sales"}},
        {"eventType": "COMPLETE", "run": {}, "job": {}},
        [1, 2, 3],
    ]
    text = json.dumps(events, indent=2)
    starts = [i for i, line in enumerate(text.splitlines(), 1) if line in ("  {", "  [")]
    root = make_hub(
        **{
            "content/lineage/odd.json": text,
            "content/lineage/lines.ndjson": "\n".join(
                [
                    nd_event("2026-01-01T00:00:00Z"),
                    "{broken",
                    nd_event("2026-02-01T08:00:00.123456789Z"),
                    nd_event("2025-12-01T00:00:00Z"),
                ]
            ),
        }
    )
    problems = [str(p) for p in check(root).problems]
    assert f"content/lineage/odd.json:{starts[0]}: warning: event 1: 'outputs' is not a list; ignored" in problems
    assert any(p.startswith("content/lineage/odd.json: warning: 1 event(s) have an eventTime") for p in problems)
    assert any(
        p.startswith(f"content/lineage/odd.json:{starts[2]}: event 3 is not an OpenLineage event") for p in problems
    ), problems
    assert any(p.startswith(f"content/lineage/odd.json:{starts[3]}: event 4 is not") for p in problems)
    assert any(p.startswith("content/lineage/lines.ndjson:2: not valid JSON") for p in problems)
    hub, graph = graph_of(root)
    key = ids(hub)
    use = graph.assets[key[("dataset", "", "RAW.Sales")]]
    assert use.consumers == (key[("job", "x", "Load Sales")],)  # "load sales" (no namespace) is another job
    assert key[("job", "", "load sales")] != key[("job", "x", "Load Sales")]
    assert use.last_used.isoformat() == "2026-03-02"  # 23:30 at UTC-5 is the next day in UTC
    a = graph.assets[key[("dataset", "", "a")]]
    assert a.consumers == (key[("job", "", "nd")],)
    assert a.last_used.isoformat() == "2026-02-01"  # the latest read, in any order


# --- DVC ------------------------------------------------------------------------------------

DVC_YAML = """\
stages:
  train:
    cmd: python train.py
    outs: [models/model.pkl]
artifacts:
  price-model:
    path: models/model.pkl
    type: model
  training-table:
    path: data/train.parquet
    type: dataset
"""

IMPORT_DVC = """\
md5: 1234
frozen: true
deps:
- path: data/claims_2023.csv
  repo:
    url: https://github.com/example/data-registry
    rev: v1.4
outs:
- path: claims_2023.csv
"""

PLAIN_DVC = "outs:\n- md5: abc\n  path: local.csv\n"


def test_dvc_artifacts_are_produced_and_imports_consumed(make_hub):
    root = make_hub(
        **{
            "content/projects/churn/dvc.yaml": DVC_YAML,
            "content/projects/churn/claims_2023.csv.dvc": IMPORT_DVC,
            "content/projects/churn/local.csv.dvc": PLAIN_DVC,
            "content/projects/pricing/project.yml": project_yml("Pricing", lead="ben"),
            "content/projects/pricing/lineage.yml": lineage_yml(["model:price-model"]),
        }
    )
    assert errors_of(root) == []
    hub, graph = graph_of(root)
    claims = ids(hub)[("dataset", "https://github.com/example/data-registry", "data/claims_2023.csv")]
    assert graph.produces["project:churn"] == {"model:price-model", "dataset:training-table"}
    assert graph.consumes["project:churn"] == {claims}  # the plain `dvc add` file is not an import
    assert graph.assets[claims].versions == ("v1.4",)
    assert graph.assets[claims].producers == ()
    assert graph.assets["model:price-model"].consumers == ("project:pricing",)
    assert graph.upstream["project:pricing"] == ("project:churn",)
    assert graph.transitive("project:churn", "down") == ["project:pricing"]
    people = graph.assets["model:price-model"].people
    assert [(m.handle, m.role) for m in people] == [("ana", "lead")]


# --- cycles and other lineage problems ------------------------------------------------------


def cyclic_hub() -> dict[str, str]:
    files = minimal_hub()
    for pid, eats, makes in (
        ("a", "dataset:c-out", "dataset:a-out"),
        ("b", "dataset:a-out", "dataset:b-out"),
        ("c", "dataset:b-out", "dataset:c-out"),
    ):
        files[f"content/projects/{pid}/project.yml"] = project_yml(f"Project {pid}")
        files[f"content/projects/{pid}/lineage.yml"] = lineage_yml(["dataset:shared", eats], [makes])
    files["content/projects/d/project.yml"] = project_yml("Project d")
    files["content/projects/d/lineage.yml"] = lineage_yml(["dataset:b-out"])
    return files


def run_with_timeout(fn, seconds: float = 20):
    out: list = []
    thread = threading.Thread(target=lambda: out.append(fn()), daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), "hung"
    return out[0]


def test_cycle_is_reported_with_file_and_line_and_nothing_hangs(make_hub, capsys, tmp_path):
    root = make_hub(cyclic_hub())
    hub = run_with_timeout(lambda: check(root))
    cycles = [p for p in hub.problems if "lineage cycle" in p.message]
    assert len(cycles) == 1
    problem = cycles[0]
    # a depends on c (it consumes c's output, line 3 of its lineage.yml), c on b, b on a
    assert (problem.path, problem.line) == ("content/projects/a/lineage.yml", 3)
    assert "a → c → b → a" in problem.message
    assert problem.severity is Severity.ERROR
    assert main(["check", "--repo", str(root)]) == 1
    assert "content/projects/a/lineage.yml:3: lineage cycle: a → c → b → a" in capsys.readouterr().out
    # the site still builds, and the counts stay finite
    result = run_with_timeout(lambda: generate(root))
    graph = build_graph(result.visible)
    assert set(graph.transitive("project:a", "down")) == {"project:a", "project:b", "project:c", "project:d"} - {
        "project:a"
    }
    assert graph.assets["dataset:shared"].reuse == 3
    assert set(graph.assets["dataset:a-out"].transitive) == {"project:a", "project:b", "project:c", "project:d"}
    page = result.site.pages["projects/d/index.md"]
    assert "depends on 1 project(s) or job(s) directly (3 in all)" in page


def test_openlineage_cycle_points_at_the_event(make_hub):
    events = [
        {"eventType": "COMPLETE", "job": {"name": "x"}, "inputs": [{"name": "t2"}], "outputs": [{"name": "t1"}]},
        {"eventType": "COMPLETE", "job": {"name": "y"}, "inputs": [{"name": "t1"}], "outputs": [{"name": "t2"}]},
    ]
    root = make_hub(**{"content/lineage/loop.json": json.dumps(events, indent=1)})
    found = [str(p) for p in run_with_timeout(lambda: check(root)).problems if "lineage cycle" in p.message]
    # a loop the events record is a warning (cycle errors are for dependencies declared in lineage.yml)
    assert found and found[0].startswith("content/lineage/loop.json:2: warning: lineage cycle: job:x → job:y → job:x")


def test_unknown_projects_kinds_and_duplicate_producers(make_hub):
    root = make_hub(
        **{
            "content/projects/churn/lineage.yml": "consumes:\n  - dataset:crm\n  - table:orders\n  - churn-v0\nproduces:\n  - model:churn\n",
            "content/projects/other/project.yml": project_yml("Other"),
            "content/projects/other/lineage.yml": "consumes: []\nproduces:\n  - model:churn\n",
            "content/assets/tables/orders.yml": "title: Orders\n",
        }
    )
    problems = [str(p) for p in check(root).problems]
    assert "content/projects/churn/lineage.yml:3: unknown asset kind 'table' in 'table:orders'" in "\n".join(problems)
    assert any(p.startswith("content/projects/churn/lineage.yml:4: unknown project 'churn-v0'") for p in problems)
    assert any(
        p.startswith("content/projects/other/lineage.yml:3: 'model:churn' is produced by 2 projects: churn, other")
        for p in problems
    ), problems
    assert any(p.startswith("content/assets/tables: 'tables' is not an asset kind") for p in problems)


# --- retired producers ----------------------------------------------------------------------


@pytest.mark.parametrize("status", ["retired", "cancelled"])
def test_consuming_from_an_ended_project_warns_on_the_project_page(make_hub, status):
    root = make_hub(
        **{
            "content/projects/old/project.yml": project_yml("Old pipeline", status=status),
            "content/projects/old/lineage.yml": lineage_yml([], ["dataset:paths"]),
            "content/projects/churn/lineage.yml": lineage_yml(["dataset:paths", "old"]),
            "content/projects/fresh/project.yml": project_yml("Fresh"),
            "content/projects/fresh/lineage.yml": lineage_yml(["dataset:other"]),
        }
    )
    pages = generate(root).site.pages
    page = pages["projects/churn/index.md"]
    assert f'!!! warning "Consumes dataset:paths from a {status} project"' in page
    assert f'!!! warning "Depends on a {status} project"' in page
    assert "[Old pipeline](../old/)" in page
    assert "!!! warning" not in pages["projects/fresh/index.md"]


def test_no_warning_when_the_producer_is_alive(make_hub):
    root = make_hub(
        **{
            "content/projects/old/project.yml": project_yml("Old pipeline", status="delivered"),
            "content/projects/old/lineage.yml": lineage_yml([], ["dataset:paths"]),
            "content/projects/churn/lineage.yml": lineage_yml(["dataset:paths"]),
        }
    )
    page = generate(root).site.pages["projects/churn/index.md"]
    assert "## Upstream / downstream" in page and "!!! warning" not in page
    assert "[Old pipeline](../old/)" not in page and "Old pipeline" in page  # linked as a dependency


# --- data investment and credit -------------------------------------------------------------


def paid_hub() -> dict[str, str]:
    files = minimal_hub()
    files.update(
        {
            "content/people/cara.yml": "name: Cara Diaz\nteam: risk\n",
            "content/projects/churn/project.yml": project_yml(
                "Churn model", extra="consumers:\n  - {name: CRM app, kind: app, users: 40}\n"
            )
            + ("  - person: ben\n    role: contributor\n  - person: cara\n    role: sponsor\n"),
            "content/projects/churn/lineage.yml": lineage_yml(["dataset:weather"], ["model:churn"]),
            "content/projects/retention/project.yml": project_yml("Retention", lead="ben"),
            "content/projects/retention/lineage.yml": lineage_yml(["dataset:weather", "model:churn"]),
            "content/projects/winback/project.yml": project_yml(
                "Win-back", lead="cara", status="active", extra="stage: research\n"
            ),
            "content/projects/winback/lineage.yml": lineage_yml(["model:churn", "dataset:weather"]),
            "content/projects/legacy/project.yml": project_yml("Legacy", status="retired"),
            "content/projects/legacy/lineage.yml": lineage_yml(["dataset:old-feed"]),
            "content/projects/secret/project.yml": project_yml(
                "Secret merger model", extra="visibility: confidential\n"
            ),
            "content/projects/secret/lineage.yml": lineage_yml(["dataset:weather", "model:churn"]),
            "content/assets/dataset/weather.yml": "title: Weather feed\nsource: vendor\nannual_cost: 36000\n",
            "content/assets/dataset/geo-segments.yml": "title: Geo segments\nsource: vendor\nannual_cost: 64000\nowner: cara\n",
            "content/assets/dataset/old-feed.yml": "title: Old feed\nsource: vendor\nannual_cost: 5000\n",
            "content/assets/dataset/census.yml": "title: Census\nsource: public\nannual_cost: 0\n",
        }
    )
    return files


def test_data_investment_cost_per_project_and_unused(make_hub):
    root = make_hub(paid_hub())
    assert errors_of(root) == []
    hub, graph = graph_of(root, "internal")  # the confidential project is not counted
    inv = investment(hub, graph)
    weather = inv.get("dataset:weather")
    assert weather.projects == ("churn", "retention", "winback")
    assert weather.per_project == 12000
    assert [p.key for p in inv.unused] == ["dataset:geo-segments"]
    assert [p.key for p in inv.dormant] == ["dataset:old-feed"]
    assert inv.get("dataset:census") is None  # free public data is not an investment
    assert inv.totals == {"": 105000} and inv.unused_totals == {"": 64000}
    assert {s.project: s.amount for s in inv.shares} == {
        "churn": 12000,
        "retention": 12000,
        "winback": 12000,
        "legacy": 5000,
    }
    _, everything = graph_of(root)
    assert investment(check(root), everything).get("dataset:weather").per_project == 9000

    pages = generate(root, "internal").site.pages
    page = pages["reuse/investment/index.md"]
    assert "Paid for, not used" in page and "dataset:geo-segments" in page
    assert "<td>12,000</td>" in page
    assert "Secret merger model" not in page and "secret" not in page
    assert "nothing consumes it" in pages["assets/dataset/geo-segments/index.md"]
    assert "12,000 per consuming project" in pages["assets/dataset/weather/index.md"]
    assert "reuse/investment/" in pages["assets/index.md"]


def test_creators_are_credited_by_role_weighted_reuse(make_hub):
    root = make_hub(paid_hub())
    hub, graph = graph_of(root, "internal")
    churn = graph.assets["model:churn"]
    assert churn.consumers == ("project:retention", "project:winback") and churn.reuse == 3  # + the CRM app
    assert [(m.handle, m.role) for m in churn.people] == [("ana", "lead"), ("ben", "contributor"), ("cara", "sponsor")]
    board = {c.handle: c for c in creators(hub, graph)}
    assert board["ana"].score == 3 * 3 and board["ben"].score == 2 * 3 and board["cara"].score == 0.5 * 3
    evidence = board["ana"].evidence[0]
    assert (evidence.asset, evidence.role, evidence.projects) == ("model:churn", "lead", ("churn",))
    assert evidence.consumers == ("project:retention", "project:winback") and evidence.external == ("CRM app",)
    page = generate(root, "internal").site.pages["reuse/index.md"]
    assert page.index("Ana Silva") < page.index("Ben Okafor") < page.index("Cara Diaz")
    assert "3 × 3 = <strong>9</strong>" in page and "external: CRM app" in page  # evidence in a collapsed block
    assert "Secret merger model" not in page


def test_role_weights_come_from_hub_yml(make_hub):
    files = paid_hub()
    files["content/hub.yml"] = "name: Hub\nexperts:\n  role_weights:\n    lead: 1\n    sponsor: 0\n"
    root = make_hub(files)
    hub, graph = graph_of(root, "internal")
    assert role_weights(hub)["lead"] == 1 and role_weights(hub)["contributor"] == 2
    board = {c.handle: c.score for c in creators(hub, graph)}
    assert board["ana"] == 3 and board["ben"] == 6 and "cara" not in board


def test_catalog_lists_every_asset_with_kind_filter(make_hub):
    root = make_hub(paid_hub())
    result = generate(root, "internal")
    catalog = result.site.pages["assets/index.md"]
    graph = build_graph(result.visible)
    assert 'class="hub-table hub-filterable"' in catalog
    for key in graph.assets:
        assert f"<code>{key}</code>" in catalog
        kind, ident = key.split(":", 1)
        assert f"assets/{kind}/{ident}/index.md" in result.site.pages
    row = catalog.split('data-kind="model"', 1)[1].split("</tr>", 1)[0]
    assert "<td>3</td>" in row and "<td>40</td>" in row  # reuse and external users of model:churn


def test_transitive_counts_match_the_walk_on_a_graph_with_loops(make_hub):
    """Counts come from bitsets over strongly connected components; they must equal the plain walk."""
    import random

    rng = random.Random(3)
    files = minimal_hub()
    for i in range(40):
        eats = [f"dataset:d{rng.randrange(40)}" for _ in range(rng.randint(0, 3))]
        files[f"content/projects/p{i}/project.yml"] = project_yml(f"P{i}")
        files[f"content/projects/p{i}/lineage.yml"] = lineage_yml(sorted(set(eats)), [f"dataset:d{i}"])
    _, graph = graph_of(make_hub(files))
    assert graph.cycles  # the random graph has loops
    for node in graph.upstream.keys() | graph.downstream.keys():
        for way in ("up", "down"):
            assert graph.reach_count(node, way) == len(graph.transitive(node, way)), (node, way)
    for key, use in graph.assets.items():
        walk = set(use.consumers) | {n for c in use.consumers for n in graph.transitive(c, "down")}
        assert use.transitive_count == len(walk - {key}), key
        assert set(use.transitive) <= walk and len(use.transitive) <= len(use.consumers) + 30
