"""The importers over real third-party files (../shared/fixtures beside the checkout).

Every expectation is counted from the file itself, in this test, without
hubgen: the (namespace, name) of each dataset and job, who reads and who
writes each dataset. hubgen's answer is then looked up by identity (the
`namespace` and `name` it keeps for each imported node) and compared.
"""

from __future__ import annotations

import json
import shutil
from collections import defaultdict
from pathlib import Path

import pytest
import yaml

from hubgen.analysis.lineage import build_graph
from hubgen.pipeline import check
from hubgen.problems import Severity
from tests.conftest import minimal_hub, project_yml

SHARED = Path(__file__).parents[1].parent / "shared" / "fixtures"
OL = SHARED / "openlineage"


def test_the_shared_fixtures_are_there():
    # CI clones the repository with shared/ beside it: a missing folder is a failure, not a skip
    assert (OL / "spark").is_dir() and (SHARED / "dbt" / "postgres_manifest.json").is_file(), SHARED
    assert (SHARED / "dvc" / "example-get-started" / "dvc.yaml").is_file()
    assert (SHARED / "backstage" / "catalog-info.yaml").is_file()


# --- counting from the files, without hubgen ---------------------------------------------


def events_of(path: Path) -> list:
    text = path.read_text()
    if path.suffix == ".ndjson":
        return [json.loads(line) for line in text.splitlines() if line.strip()]
    data = json.loads(text)
    return data if isinstance(data, list) else [data]


def ident(obj) -> tuple[str, str] | None:
    if isinstance(obj, dict) and isinstance(obj.get("name"), str) and obj["name"].strip():
        return (obj["namespace"] if isinstance(obj.get("namespace"), str) else ""), obj["name"]
    return None


class Expected:
    """Datasets (grouped by the symlinks facet), jobs, and each group's readers and writers."""

    def __init__(self, paths: list[Path]):
        self.jobs: set[tuple[str, str]] = set()
        self.datasets: set[tuple[str, str]] = set()
        self.reads: dict[tuple[str, str], set] = defaultdict(set)
        self.writes: dict[tuple[str, str], set] = defaultdict(set)
        pairs: list[tuple] = []
        for path in paths:
            for event in events_of(path):
                if not isinstance(event, dict):
                    continue
                job = ident(event.get("job"))
                if "job" not in event and ident(event.get("dataset")):
                    self._dataset(event["dataset"], pairs)
                    continue
                if job:
                    self.jobs.add(job)
                    run_facets = (event.get("run") or {}).get("facets") or {}
                    parent = run_facets.get("parent") or run_facets.get("parentRun") or {}
                    if ident(parent.get("job")) and ident(parent["job"]) != job:
                        self.jobs.add(ident(parent["job"]))
                for side, into in (("inputs", self.reads), ("outputs", self.writes)):
                    for ds in event.get(side) if isinstance(event.get(side), list) else []:
                        if ident(ds):
                            self._dataset(ds, pairs)
                            if job:
                                into[ident(ds)].add(job)
        # the symlinks facet joins identities (also through a name only a symlink mentions): union them
        group = {d: {d} for d in self.datasets | {x for pair in pairs for x in pair}}
        for a, b in pairs:
            if group[a] is not group[b]:
                merged = group[a] | group[b]
                for d in merged:
                    group[d] = merged
        self.groups = {frozenset(g & self.datasets) for g in group.values() if g & self.datasets}

    def _dataset(self, ds: dict, pairs: list) -> None:
        me = ident(ds)
        self.datasets.add(me)
        facets = {**(ds.get("facets") or {}), **(ds.get("inputFacets") or {}), **(ds.get("outputFacets") or {})}
        for spec in ((facets.get("columnLineage") or {}).get("fields") or {}).values():
            for src in spec.get("inputFields") or []:
                if ident(src):
                    self.datasets.add(ident(src))
        for other in (facets.get("symlinks") or {}).get("identifiers") or []:
            if ident(other) and ident(other) != me:
                pairs.append((me, ident(other)))

    def readers(self, members) -> set:
        return set().union(*(self.reads.get(d, set()) for d in members))

    def writers(self, members) -> set:
        return set().union(*(self.writes.get(d, set()) for d in members))


def identities(hub) -> dict[tuple[str, str, str], str]:
    """(kind, namespace, name) → key, for every imported node and every identity merged into one."""
    out = {}
    for key, f in hub.facts.items():
        kind = key.split(":", 1)[0]
        out[(kind, f.namespace, f.name)] = key
        for alias in f.facets.get("aliases", ()):
            out[(kind, alias["namespace"], alias["name"])] = key
    return out


def fresh(make_hub, files: dict) -> Path:
    """A hub of exactly `files` (make_hub reuses one folder per test)."""
    shutil.rmtree(make_hub({}))
    return make_hub(files)


def ol_hub(make_hub, paths: list[Path]) -> Path:
    files = minimal_hub()
    for path in paths:
        files[f"content/lineage/{path.parent.name}-{path.name}"] = path.read_text()
    return fresh(make_hub, files)


def assert_matches_the_files(make_hub, paths: list[Path]) -> Expected:
    expected = Expected(paths)
    hub = check(ol_hub(make_hub, paths))
    graph = build_graph(hub)
    key = identities(hub)
    # every job: one node per (namespace, name), never merged
    jobs = {(f.namespace, f.name) for k, f in hub.facts.items() if k.startswith("job:")}
    assert jobs == expected.jobs
    assert len({key[("job", *j)] for j in expected.jobs}) == len(expected.jobs)
    # every dataset: one node per symlinks group, never merged otherwise
    datasets = {k for k in hub.facts if k.startswith("dataset:")}
    assert len(datasets) == len(expected.groups)
    for members in expected.groups:
        keys = {key[("dataset", *d)] for d in members if ("dataset", *d) in key}
        assert len(keys) == 1, members
        use = graph.assets[keys.pop()]
        readers = {key[("job", *j)] for j in expected.readers(members)}
        writers = {key[("job", *j)] for j in expected.writers(members)}
        assert set(use.consumers) == readers, members
        assert set(use.producers) == writers, members
        assert use.reuse == len(readers)
    for job in expected.jobs:
        use = graph.assets[key[("job", *job)]]
        reads = {d for g in expected.groups for d in g if job in expected.readers(g)}
        writes = {d for g in expected.groups for d in g if job in expected.writers(g)}
        assert {key[("dataset", *d)] for d in reads if ("dataset", *d) in key} == set(use.reads), job
        assert {key[("dataset", *d)] for d in writes if ("dataset", *d) in key} == set(use.writes), job
    return expected


@pytest.mark.parametrize("folder", ["spark", "hive", "flink", "airflow", "marquez-api", "spec"])
def test_openlineage_identity_and_counts_match_the_files(make_hub, folder):
    paths = sorted((OL / folder).glob("*.json"))
    assert paths
    expected = assert_matches_the_files(make_hub, paths)
    assert expected.jobs or folder == "marquez-api"


def test_every_openlineage_fixture_together(make_hub):
    """Across integrations too: the same name on two servers stays two datasets."""
    paths = sorted(OL.rglob("*.json"))
    assert len(paths) > 200
    assert_matches_the_files(make_hub, paths)


def test_the_identity_cases_of_the_issue(make_hub):
    hub = check(ol_hub(make_hub, sorted(OL.rglob("*.json"))))
    key = identities(hub)
    graph = build_graph(hub)
    # a copy from s3://blob-source to s3://blob-sink under one name: two datasets, no self-read
    naming = events_of(OL / "marquez-api" / "marquez_event_namespace_naming.json")[0]
    src, dst = ident(naming["inputs"][0]), ident(naming["outputs"][0])
    assert src[1] == dst[1] and src[0] != dst[0]
    assert key[("dataset", *src)] != key[("dataset", *dst)]
    job = key[("job", *ident(naming["job"]))]
    assert graph.assets[key[("dataset", *src)]].consumers == (job,)
    assert graph.assets[key[("dataset", *dst)]].producers == (job,)
    # two Spark jobs named kafka_examples.collect_limit in different namespaces: two jobs
    collect = {j for j in key if j[0] == "job" and j[2] == "kafka_examples.collect_limit"}
    assert len(collect) >= 2 and len({key[j] for j in collect}) == len(collect)
    # /tmp/warehouse/test and tmp/warehouse-test slug alike, but are two ids
    names = {j[2]: key[j] for j in key if j[0] == "dataset" and j[2] in ("/tmp/warehouse/test", "tmp/warehouse-test")}
    assert len(set(names.values())) == len(names)
    # unicode and case kept exactly as written
    unicode_event = events_of(OL / "marquez-api" / "marquez_event_unicode.json")[0]
    for ds in unicode_event.get("inputs", []) + unicode_event.get("outputs", []):
        found = hub.facts[key[("dataset", *ident(ds))]]
        assert (found.namespace, found.name) == ident(ds)
    # every key is short enough for a file name and URL-safe
    for k in hub.facts:
        assert len(k.encode()) < 120 and all(c.isascii() for c in k), k


def test_dataset_and_job_events_import_without_errors(make_hub):
    paths = [
        OL / "marquez-api" / "marquez_event_dataset_event.json",
        OL / "marquez-api" / "marquez_event_job_event.json",
    ]
    hub = check(ol_hub(make_hub, paths))
    assert [p for p in hub.problems if p.severity is Severity.ERROR] == []
    dataset_event = events_of(paths[0])[0]
    key = identities(hub)
    assert ("dataset", *ident(dataset_event["dataset"])) in key
    job_event = events_of(paths[1])[0]
    assert ("job", *ident(job_event["job"])) in key


def test_a_task_writing_what_it_reads_is_no_cycle(make_hub):
    # the Airflow default extractor reads and writes one table: valid, so --strict passes
    hub = check(ol_hub(make_hub, [OL / "airflow" / "default_extractor.json"]))
    assert [str(p) for p in hub.problems] == []
    events = events_of(OL / "airflow" / "default_extractor.json")
    table = ident(events[0]["inputs"][0])
    assert table == ident(events[0]["outputs"][0])
    use = build_graph(hub).assets[identities(hub)[("dataset", *table)]]
    assert len(use.producers) == len({ident(e["job"]) for e in events}) == 2  # several writers are normal


def test_facets_reach_the_facts(make_hub):
    spec = OL / "spec" / "example_full_event.json"
    hub = check(ol_hub(make_hub, [spec, *sorted((OL / "hive").glob("cll*Complete.json"))]))
    key = identities(hub)
    with_columns = [f for f in hub.facts.values() if f.columns]
    with_lineage = [f for f in hub.facts.values() if f.column_lineage]
    assert with_columns and with_lineage
    graph = build_graph(hub)
    for f in with_lineage:  # column lineage is shown both ways
        for link in f.column_lineage:
            assert any(u.target == f.key and u.target_column == link.column for u in graph.column_uses[link.source])
    event = events_of(spec)[0]
    job = hub.facts[key[("job", *ident(event["job"]))]]
    facets = event["job"].get("facets") or {}
    if "sql" in facets:
        assert job.sql == facets["sql"]["query"]
    if "documentation" in facets:
        assert job.description == facets["documentation"]["description"]
    parent = (event["run"].get("facets") or {}).get("parent")
    if parent:
        assert job.parent == key[("job", *ident(parent["job"]))]
    shown = {"schema", "columnLineage", "ownership", "documentation", "sql", "symlinks", "dataSource", "jobType"}
    unknown = set(facets) - shown
    assert unknown <= set(job.facets)  # unknown facets are kept for the export


# --- dbt ----------------------------------------------------------------------------------


def dbt_expected(manifest: dict):
    adapter = manifest["metadata"]["adapter_type"]
    tables = {
        uid: n
        for uid, n in {**manifest.get("sources", {}), **manifest["nodes"]}.items()
        if n["resource_type"] in ("model", "seed", "snapshot", "source")
    }
    datasets = {
        uid: (adapter, ".".join((n["database"], n["schema"], n.get("alias") or n.get("identifier") or n["name"])))
        for uid, n in tables.items()
    }
    runners = {
        uid: n
        for uid, n in {**manifest["nodes"], **manifest.get("exposures", {})}.items()
        if n["resource_type"] in ("model", "snapshot", "exposure")
    }
    jobs = {uid: (f"dbt://{n['package_name']}", uid) for uid, n in runners.items()}
    readers = {uid: {jobs[r] for r, n in runners.items() if uid in n["depends_on"]["nodes"]} for uid in tables}
    return datasets, jobs, readers


def test_dbt_manifest_identity_and_counts_match_the_file(make_hub):
    path = SHARED / "dbt" / "postgres_manifest.json"
    manifest = json.loads(path.read_text())
    datasets, jobs, readers = dbt_expected(manifest)
    assert len(datasets) == 8 and len(jobs) == 5  # 5 models, 3 seeds; tests are not read
    for where in ("content/lineage/manifest.json", "content/projects/shop/manifest.json"):
        files = minimal_hub() | {where: path.read_text()}
        if "projects/shop" in where:
            files["content/projects/shop/project.yml"] = project_yml("Shop")
        hub = check(fresh(make_hub, files))
        assert [p for p in hub.problems if p.severity is Severity.ERROR] == []
        graph = build_graph(hub)
        key = identities(hub)
        assert {(f.namespace, f.name) for k, f in hub.facts.items() if k.startswith("dataset:")} == set(
            datasets.values()
        )
        assert {(f.namespace, f.name) for k, f in hub.facts.items() if k.startswith("job:")} == set(jobs.values())
        for uid, ds in datasets.items():
            use = graph.assets[key[("dataset", *ds)]]
            assert set(use.consumers) == {key[("job", *j)] for j in readers[uid]}, uid
            assert use.producers == ((key[("job", *jobs[uid])],) if uid in jobs else ()), uid
            node = {**manifest["nodes"], **manifest.get("sources", {})}[uid]
            assert [c.name for c in hub.facts[use.key].columns] == [c["name"] for c in node["columns"].values()]


def test_dbt_unknown_schema_version_is_one_clear_warning(make_hub):
    manifest = json.loads((SHARED / "dbt" / "postgres_manifest.json").read_text())
    manifest["metadata"]["dbt_schema_version"] = "https://schemas.getdbt.com/dbt/manifest/v99.json"
    hub = check(make_hub(minimal_hub() | {"content/lineage/manifest.json": json.dumps(manifest)}))
    problems = [str(p) for p in hub.problems]
    assert len(problems) == 1 and problems[0].startswith(
        "content/lineage/manifest.json:1: warning: unknown dbt manifest"
    )
    assert sum(k.startswith("dataset:") for k in hub.facts) == 8  # still imported


# --- DVC ----------------------------------------------------------------------------------


def dvc_project(make_hub, repo: str) -> tuple[Path, str]:
    pid = repo
    root = make_hub(minimal_hub() | {f"content/projects/{pid}/project.yml": project_yml("DVC example")})
    shutil.copytree(SHARED / "dvc" / repo, root / "content" / "projects" / pid, dirs_exist_ok=True)
    return root, pid


def dvc_expected(folder: Path):
    """(outputs path → (stage, reader stages)), imports (url, path, rev_lock, out path), tracked paths, artifacts."""
    doc = yaml.safe_load((folder / "dvc.yaml").read_text())
    stages = doc.get("stages") or {}

    def paths(items):
        return [next(iter(i)) if isinstance(i, dict) else i for i in items or []]

    outputs = {p: s for s, spec in stages.items() for sec in ("outs", "metrics", "plots") for p in paths(spec.get(sec))}
    readers = {
        p: {
            s
            for s, spec in stages.items()
            if s != outputs[p]
            and any(d == p or d.startswith(p + "/") or p.startswith(d + "/") for d in paths(spec.get("deps")))
        }
        for p in outputs
    }
    imports, tracked = [], []
    for f in folder.rglob("*.dvc"):
        data = yaml.safe_load(f.read_text())
        out = (f.parent.relative_to(folder) / data["outs"][0]["path"]).as_posix()
        src = next((d for d in data.get("deps") or [] if (d.get("repo") or {}).get("url")), None)
        if src:
            imports.append((src["repo"]["url"], src["path"], src["repo"].get("rev_lock"), out))
        else:
            tracked.append(out)
    deps = {d for spec in stages.values() for d in paths(spec.get("deps"))}
    used_tracked = [t for t in tracked if any(t == d or t.startswith(d + "/") for d in deps)]
    lock = yaml.safe_load((folder / "dvc.lock").read_text())["stages"]
    hashes = {o["path"]: o["md5"] for spec in lock.values() for o in spec.get("outs") or []}
    return outputs, readers, imports, used_tracked, doc.get("artifacts") or {}, hashes


@pytest.mark.parametrize("repo", ["example-get-started", "example-dvc-experiments"])
def test_dvc_repositories_match_the_files(make_hub, repo):
    root, pid = dvc_project(make_hub, repo)
    outputs, readers, imports, tracked, artifacts, hashes = dvc_expected(SHARED / "dvc" / repo)
    hub = check(root)
    assert [p for p in hub.problems if p.severity is Severity.ERROR] == []
    graph = build_graph(hub)
    ns = f"content/projects/{pid}"
    by_path = {f.path: k for k, f in hub.facts.items() if f.source == "dvc" and f.path}
    # every stage output: an asset with its path as written, produced by the project, with its stages
    for path, stage in outputs.items():
        key = by_path[path]
        use = graph.assets[key]
        assert use.producers == (f"project:{pid}",), path
        assert hub.facts[key].stage == stage and set(hub.facts[key].stage_consumers) == readers[path]
        assert use.consumers == ()  # its own pipeline's stages are not reuse
        if path in hashes:
            assert use.versions == (f"md5:{hashes[path]}",)
    named = {spec["path"]: name for name, spec in artifacts.items()}
    for path, name in named.items():
        assert by_path[path].split(":", 1)[1] == name
    # imports: consumed (never produced), versioned by rev_lock, with repo.url and path as identity
    key = identities(hub)
    for url, path, rev, _out in imports:
        k = key[("dataset", url, path)]
        assert graph.assets[k].producers == () and f"project:{pid}" in graph.assets[k].consumers
        assert graph.assets[k].versions == (rev,)
    for path in tracked:
        assert f"project:{pid}" in graph.assets[key[("dataset", ns, path)]].consumers
    # source files are not assets; the pipeline is on the project
    assert not any(f.path and f.path.startswith("src") for f in hub.facts.values())
    stages = hub.facts[f"project:{pid}"].stages
    assert [s.name for s in stages] == list(yaml.safe_load((SHARED / "dvc" / repo / "dvc.yaml").read_text())["stages"])
    produced = set(graph.produces[f"project:{pid}"])
    assert produced == {by_path[p] for p in outputs} | {by_path[p] for p in named if p in outputs}


def test_the_imported_dataset_is_consumed_not_produced(make_hub):
    root, pid = dvc_project(make_hub, "example-get-started")
    graph = build_graph(check(root))
    stack = graph.assets["dataset:stackoverflow-dataset"]
    assert stack.producers == () and stack.consumers == (f"project:{pid}",)
    assert stack.versions == ("f59388cd04276e75d70b2136597aaa27e7937cc3",)


def test_dvc_bad_stage_is_reported_and_the_rest_imported(make_hub):
    dvc = "stages:\n  broken:\n    deps: [data/raw.csv]\n    outs:\n    - 42\n    - out/ok.csv\n  fine:\n    cmd: run\n    outs: [model.pkl]\n"
    root = make_hub(
        minimal_hub() | {"content/projects/p/project.yml": project_yml("P"), "content/projects/p/dvc.yaml": dvc}
    )
    problems = [str(p) for p in check(root).problems]
    assert any(p.startswith("content/projects/p/dvc.yaml:2: stage 'broken' has no cmd") for p in problems), problems
    assert any(p.startswith("content/projects/p/dvc.yaml:5: entry 1 of 'outs' in stage 'broken'") for p in problems)
    hub = check(root)
    assert {f.path for f in hub.facts.values() if f.path} == {"out/ok.csv", "model.pkl"}


def test_a_linked_dvc_file_outside_the_repo_is_reported(make_hub, tmp_path):
    outside = tmp_path / "elsewhere.dvc"
    outside.write_text("deps:\n- path: x.csv\n  repo: {url: 'https://example.com/r'}\nouts:\n- path: x.csv\n")
    root = make_hub(minimal_hub() | {"content/projects/p/project.yml": project_yml("P")})
    (root / "content/projects/p/data").mkdir()
    (root / "content/projects/p/data/x.csv.dvc").symlink_to(outside)
    problems = [str(p) for p in check(root).problems]
    assert any(
        p.startswith("content/projects/p/data/x.csv.dvc: symbolic link points outside the repository") for p in problems
    ), problems


# --- Backstage ----------------------------------------------------------------------------


def test_backstage_catalog_entities_and_owners(make_hub):
    text = (SHARED / "backstage" / "catalog-info.yaml").read_text()
    entities = [d for d in yaml.safe_load_all(text) if d]
    for where in ("content/lineage/catalog-info.yaml", "content/projects/portal/catalog-info.yaml"):
        files = minimal_hub() | {where: text}
        if "portal" in where:
            files["content/projects/portal/project.yml"] = project_yml("Portal")
        hub = check(fresh(make_hub, files))
        assert [p for p in hub.problems if p.severity is Severity.ERROR] == []
        found = {f.name: f for f in hub.facts.values() if f.source == "backstage"}
        assert set(found) == {f"{e['kind'].lower()}:{e['metadata']['name']}" for e in entities}
        for e in entities:
            f = found[f"{e['kind'].lower()}:{e['metadata']['name']}"]
            assert f.owners == (e["spec"]["owner"],) and f.lifecycle == e["spec"].get("lifecycle")


CATALOG = """\
apiVersion: backstage.io/v1alpha1
kind: System
metadata: {name: pricing}
spec: {owner: group:pricing-team}
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: {name: price-service, description: Serves prices}
spec:
  type: service
  owner: user:ana
  lifecycle: production
  system: pricing
  providesApis: [price-api]
  dependsOn: [resource:prices-db]
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: {name: checkout}
spec: {type: website, owner: user:default/bob, lifecycle: experimental, consumesApis: [price-api]}
---
apiVersion: backstage.io/v1alpha1
kind: API
metadata: {name: price-api}
spec: {type: openapi, owner: group:pricing-team, lifecycle: production}
---
apiVersion: backstage.io/v1alpha1
kind: Resource
metadata: {name: prices-db}
spec: {type: database, owner: group:pricing-team}
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata: {name: bob}
spec: {profile: {email: bob@example.com}}
"""


def test_backstage_multi_document_catalog_gives_lineage_and_people(make_hub):
    files = minimal_hub() | {
        "content/lineage/catalog-info.yaml": CATALOG,
        "content/people/bob.yml": "name: Bob B\nemail: bob@example.com\n",
    }
    hub = check(make_hub(files))
    assert [p for p in hub.problems if p.severity is Severity.ERROR] == []
    graph = build_graph(hub)
    key = {f.name: k for k, f in hub.facts.items()}
    api = graph.assets[key["api:price-api"]]
    assert api.producers == (key["component:price-service"],) and api.consumers == (key["component:checkout"],)
    assert graph.assets[key["resource:prices-db"]].consumers == (key["component:price-service"],)
    assert hub.facts[key["component:price-service"]].parent == key["system:pricing"]
    assert graph.owners["user:ana"] == "ana"  # a handle
    assert graph.owners[hub.facts[key["component:checkout"]].owners[0]] == "bob"  # via the User entity's email
    assert "group:pricing-team" not in graph.owners  # shown as written


# --- bad input and scale ------------------------------------------------------------------

GOOD = {
    "eventType": "COMPLETE",
    "eventTime": "2026-01-01T00:00:00Z",
    "job": {"namespace": "n", "name": "j"},
    "inputs": [{"namespace": "db", "name": "t"}],
}


def test_malformed_events_are_reported_and_the_rest_imported(make_hub):
    ndjson = "\n".join([json.dumps(GOOD), "{not json", json.dumps({**GOOD, "job": {"namespace": "n", "name": "k"}})])
    array = "[\n" + json.dumps(GOOD) + ",\n" + json.dumps({**GOOD, "job": {"namespace": "n", "name": "m"}}) + ",\n{oops"
    hub = check(make_hub(minimal_hub() | {"content/lineage/a.ndjson": ndjson, "content/lineage/b.json": array}))
    problems = [str(p) for p in hub.problems]
    assert any(p.startswith("content/lineage/a.ndjson:2: not valid JSON") for p in problems), problems
    assert any(
        p.startswith("content/lineage/b.json:4: not valid JSON") and "the 2 event(s) before it are imported" in p
        for p in problems
    ), problems
    jobs = {f.name for k, f in hub.facts.items() if k.startswith("job:")}
    assert jobs == {"j", "k", "m"}


def test_a_large_log_streams_and_an_oversized_event_keeps_what_came_before(make_hub, monkeypatch):
    from hubgen.load import event_stream

    monkeypatch.setattr(event_stream, "CHUNK", 4096)
    monkeypatch.setattr(event_stream, "MAX_EVENT_BYTES", 64 * 1024)
    events = [json.dumps({**GOOD, "job": {"namespace": "n", "name": f"job-{i % 50}"}}) for i in range(20000)]
    big = {**GOOD, "job": {"namespace": "n", "name": "huge"}, "padding": "x" * 100_000}
    log = "\n".join(events[:100] + [json.dumps(big)] + events[100:]) + "\n"
    assert len(log) > 40 * event_stream.MAX_EVENT_BYTES  # the file is far over the one-event limit
    array = "[" + ",\n".join(events[:10] + [json.dumps(big)] + events[10:20]) + "]"
    hub = check(make_hub(minimal_hub() | {"content/lineage/big.ndjson": log, "content/lineage/big.json": array}))
    problems = [str(p) for p in hub.problems]
    assert any(
        p.startswith("content/lineage/big.ndjson:101: line is over the 64 KB limit for one event") for p in problems
    ), problems
    assert any(p.startswith("content/lineage/big.json") and "the events before it are imported" in p for p in problems)
    jobs = {f.name for k, f in hub.facts.items() if k.startswith("job:")}
    assert jobs == {f"job-{i}" for i in range(50)}  # everything but the oversized event
    use = build_graph(hub).assets[identities(hub)[("dataset", "db", "t")]]
    assert use.reuse == 50


def test_imported_assets_are_internal(make_hub, tmp_path):
    from hubgen.audience import restrict

    files = minimal_hub() | {
        "content/lineage/e.json": json.dumps(GOOD),
        "content/lineage/manifest.json": (SHARED / "dbt" / "postgres_manifest.json").read_text(),
        "content/lineage/catalog-info.yaml": CATALOG,
        "content/projects/get/project.yml": project_yml("Get") + "visibility: public\n",
    }
    root = make_hub(files)
    shutil.copytree(SHARED / "dvc" / "example-get-started", root / "content/projects/get", dirs_exist_ok=True)
    hub = check(root)
    public = restrict(hub, "public")
    assert public.facts == {} or set(public.facts) == {"project:get"}
    assert all(
        not k.startswith(("job:", "dataset:data", "component:"))
        for link in public.lineage
        for k in (link.subject, link.target)
        if k in hub.facts
    ), public.lineage
    assert restrict(hub, "internal").facts.keys() == hub.facts.keys()
    # what the events say of a described public asset stays internal too
    described = minimal_hub() | {
        "content/lineage/e.json": json.dumps(GOOD),
        "content/assets/dataset/t.yml": "title: T\nvisibility: public\nsymlinks:\n  - {namespace: db, name: t}\n",
    }
    hub = check(fresh(make_hub, described))
    assert "dataset:t" in hub.facts and restrict(hub, "public").facts == {}


def test_a_log_repeating_one_fault_lists_the_first_problems_and_counts_the_rest(make_hub):
    from hubgen.load.openlineage import MAX_PROBLEMS_PER_FILE

    log = "\n".join(["{broken"] * 500 + [json.dumps(GOOD)])
    hub = check(fresh(make_hub, minimal_hub() | {"content/lineage/bad.ndjson": log}))
    problems = [str(p) for p in hub.problems if p.path == "content/lineage/bad.ndjson"]
    assert len(problems) == MAX_PROBLEMS_PER_FILE + 1
    assert any(f"{500 - MAX_PROBLEMS_PER_FILE} more problem(s) in this file are not listed" in p for p in problems)
    assert {f.name for f in hub.facts.values()} >= {"j", "t"}  # the valid event after them is imported
