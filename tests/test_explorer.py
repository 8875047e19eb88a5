"""The lineage explorer's data: per-node fragments, their audience cut, and impact at a glance."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hubgen import urls
from hubgen.analysis.explorer import Impacts
from hubgen.analysis.lineage import build_graph
from hubgen.audience import restrict
from hubgen.load import load_hub
from hubgen.pipeline import generate
from hubgen.render import lineage_fragments
from tests.conftest import ROOT, minimal_hub, project_yml


def lineage_yml(consumes: list[str], produces: list[str] = ()) -> str:
    return (
        "consumes:\n"
        + "".join(f"  - {c}\n" for c in consumes)
        + ("produces:\n" + "".join(f"  - {p}\n" for p in produces) if produces else "")
    )


def chain_hub() -> dict[str, str | bytes]:
    """crm → churn (delivered) → model:churn → offers (active, monitoring; an app and an outside user)."""
    return minimal_hub(
        **{
            "content/projects/churn/lineage.yml": lineage_yml(["dataset:crm"], ["model:churn"]),
            "content/projects/offers/project.yml": project_yml(
                "Next best offer",
                status="active",
                lead="ben",
                extra="stage: monitoring\nteam: growth\nconsumers:\n  - {name: CRM console, kind: app, users: 40}\n",
            ),
            "content/projects/offers/lineage.yml": lineage_yml(["model:churn"], ["app:offer-console"]),
        }
    )


def fragments(site_files: dict[str, bytes]) -> dict[str, dict]:
    return {path: json.loads(data) for path, data in site_files.items() if path.startswith("api/lineage/")}


def test_each_node_has_a_fragment_with_its_neighbours_each_way(make_hub):
    result = generate(make_hub(chain_hub()))
    found = fragments(result.site.files)
    model = found["api/lineage/model/churn.json"]
    assert model["node"]["label"] == "churn" and model["node"]["kind"] == "model"
    assert [s["key"] for s in model["up"]] == ["project:churn"]
    assert [s["key"] for s in model["down"]] == ["project:offers"]
    offers = model["down"][0]
    assert offers["label"] == "Next best offer" and offers["url"] == "projects/offers/"
    assert (offers["team"], offers["status"], offers["stage"]) == ("growth", "active", "monitoring")
    assert offers["up"] == 1 and offers["down"] == 1  # what expanding it would add
    assert offers["fragment"] in found  # every neighbour's own fragment is there to fetch
    for fragment in found.values():  # and so is every neighbour named anywhere
        for s in fragment["up"] + fragment["down"]:
            assert s["fragment"] in found
    # The page carries the explorer (pointing at its fragment) and keeps the static diagram as fallback.
    page = result.site.pages["assets/model/churn/index.md"]
    assert 'class="hub-explorer"' in page and 'data-fragment="../../../api/lineage/model/churn.json"' in page
    assert "```mermaid" in page
    assert 'data-node="project:churn"' in result.site.pages["projects/churn/index.md"]
    assert "lineage/index.md" in result.site.pages  # the full-screen view


def test_a_crowded_side_is_cut_with_its_true_count(make_hub, monkeypatch):
    files = minimal_hub()
    for name in ("a", "b", "c"):
        files[f"content/projects/{name}/project.yml"] = project_yml(f"Reader {name}")
        files[f"content/projects/{name}/lineage.yml"] = lineage_yml(["dataset:crm"])
    monkeypatch.setattr(lineage_fragments, "SIDE_CAP", 2)
    crm = fragments(generate(make_hub(files)).site.files)["api/lineage/dataset/crm.json"]
    assert [s["key"] for s in crm["down"]] == ["project:a", "project:b"]
    assert crm["down_total"] == 3 and crm["node"]["down"] == 3


def test_a_crowded_side_keeps_the_neighbours_a_walk_goes_on_from(make_hub, monkeypatch):
    files = minimal_hub()
    for name in ("a", "b", "c"):
        files[f"content/projects/{name}/project.yml"] = project_yml(f"Reader {name}")
        files[f"content/projects/{name}/lineage.yml"] = lineage_yml(["dataset:crm"])
    files["content/projects/c/lineage.yml"] = lineage_yml(["dataset:crm"], ["model:c-scores"])
    monkeypatch.setattr(lineage_fragments, "SIDE_CAP", 2)
    crm = fragments(generate(make_hub(files)).site.files)["api/lineage/dataset/crm.json"]
    # c feeds a model, so it is kept over b (a and b tie: by name); the list stays in name order
    assert [s["key"] for s in crm["down"]] == ["project:a", "project:c"]
    assert crm["down_total"] == 3


def test_column_lineage_reads_both_ways(example_site: Path):
    hub = restrict(load_hub(ROOT), "internal")
    key, facts = next((k, f) for k, f in sorted(hub.facts.items()) if f.column_lineage)

    def read(node: str) -> dict:
        return json.loads((example_site / urls.fragment(node)).read_text())

    for link in facts.column_lineage:
        column = next(c for c in read(key)["columns"] if c["name"] == link.column)
        assert any(f["key"] == link.source and f["column"] == link.source_column for f in column["from"])
        feeds = next(c for c in read(link.source)["columns"] if c["name"] == link.source_column)
        assert any(t["key"] == key and t["column"] == link.column for t in feeds["to"])  # read from the input side


@pytest.mark.parametrize("audience", ["public", "internal"])
def test_no_fragment_of_a_narrower_build_mentions_a_confidential_record(make_hub, audience):
    files = chain_hub()
    files["content/projects/quokka-merger/project.yml"] = project_yml(
        "Quokka merger targeting", extra="visibility: confidential\nteam: corporate-development\n"
    )
    files["content/projects/quokka-merger/lineage.yml"] = lineage_yml(
        ["dataset:crm", "model:churn", "churn"], ["dataset:quokka-targets"]
    )
    files["content/projects/offers/lineage.yml"] = lineage_yml(["model:churn"], ["app:offer-console"])
    for name in ("churn", "offers"):  # shown in a public build too, so its fragments are there to check
        path = f"content/projects/{name}/project.yml"
        files[path] = files.get(path, project_yml("Churn model")).replace("status:", "visibility: public\nstatus:")
    result = generate(make_hub(files), audience)
    found = {p: d for p, d in result.site.files.items() if p.startswith("api/lineage/")}
    assert "api/lineage/dataset/crm.json" in found and b"project:churn" in found["api/lineage/dataset/crm.json"]
    for marker in (b"quokka", b"Quokka", b"corporate-development"):
        leaks = [p for p, d in found.items() if marker in d or marker.decode() in p]
        assert leaks == [], f"{audience} build: {marker!r} in {leaks}"
    # The confidential build does show it: the test would see a leak.
    full = generate(make_hub(files), "confidential").site.files
    assert b"quokka-merger" in full["api/lineage/dataset/crm.json"]


def test_impact_counts_what_is_downstream_direct_and_in_all(make_hub):
    hub = restrict(load_hub(make_hub(chain_hub())), "internal")
    impact = Impacts(hub, build_graph(hub)).of("dataset:crm")
    assert (impact.direct.projects, impact.direct.jobs, impact.direct.people) == (1, 0, 1)  # churn, its lead ana
    assert (impact.all.projects, impact.all.people) == (2, 2)  # offers and ben too
    assert impact.all.apps == 2  # the app offers writes and offers' outside user
    assert set(impact.live) == {"project:churn", "project:offers"} and impact.live_count == 2  # delivered, monitoring
    page = generate(make_hub(chain_hub())).site.pages["assets/dataset/crm/index.md"]
    assert "Impact at a glance" in page and "Delivered or in monitoring" in page


def test_impact_of_an_asset_nothing_reads_is_not_shown(make_hub):
    files = minimal_hub(**{"content/projects/churn/lineage.yml": lineage_yml(["dataset:crm"], ["model:unused"])})
    hub = restrict(load_hub(make_hub(files)), "internal")
    impact = Impacts(hub, build_graph(hub)).of("model:unused")
    assert impact.all == impact.direct and impact.all.projects == impact.all.apps == 0 and impact.live == ()
    page = generate(make_hub(files)).site.pages["assets/model/unused/index.md"]
    assert "Impact at a glance" not in page
    assert "Impact at a glance" in generate(make_hub(files)).site.pages["assets/dataset/crm/index.md"]


def test_example_explorer_draws_all_fifteen_that_depend_on_customer_360(example_site: Path):
    sizes = [p.stat().st_size for p in (example_site / "api/lineage").rglob("*.json")]
    assert len(sizes) > 100
    start = json.loads((example_site / "api/lineage/dataset/customer-360.json").read_text())
    assert start["down_total"] == len(start["down"]) == 15  # "15 depend on it", and the explorer draws them
