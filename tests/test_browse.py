"""Browse by team, tag and tool (issue 18, item 5): one page each, linked wherever the name appears,
one index each, in the search index and api/hub.json, and nothing above the build's audience."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hubgen.cli import main
from tests.conftest import minimal_hub, project_yml, write_files

HIDDEN = "HIDDEN_MARK_5e1"


def _project(title: str, team: str, tags: str, tools: str, status: str = "delivered", extra: str = "") -> str:
    return project_yml(title, status=status, extra=f"team: {team}\ntags: {tags}\ntools: {tools}\n{extra}")


FILES = {
    "content/projects/churn/project.yml": _project(
        "Churn model", "risk", "[Forecasting, uplift]", "[xgboost==2.0, pandas]"
    ),
    "content/projects/churn/lineage.yml": "produces:\n  - dataset:scores\n",
    "content/projects/churn2/project.yml": _project(
        "Churn model two", "risk", "[forecasting]", "[xgboost==1.7]", status="active", extra="stage: data\n"
    ),
    "content/projects/churn2/lineage.yml": "consumes:\n  - dataset:scores\n",
    "content/projects/promo/project.yml": _project("Promo lift", "marketing", "[uplift]", "[pandas]"),
    "content/projects/promo/lineage.yml": "consumes:\n  - dataset:scores\n",
    "content/projects/promo/null-results/no-lift.md": (
        "---\ntitle: No lift from banners\ndate: 2025-01-01\nauthors: [ben]\nhypothesis: h\noutcome: o\n"
        "tags: [Uplift]\n---\nBody\n"
    ),
    "content/projects/secret/project.yml": _project(
        f"{HIDDEN} project",
        f"{HIDDEN.lower()}-team",
        f"[{HIDDEN.lower()}-tag]",
        f"[{HIDDEN.lower()}-tool==9]",
        extra="visibility: confidential\n",
    ),
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = write_files(tmp_path_factory.mktemp("browse") / "hub", minimal_hub(**FILES))
    out = root.parent / "site"
    assert main(["build", "--repo", str(root), "--site-dir", str(out)]) == 0
    return out


def read(site: Path, page: str) -> str:
    return (site / page / "index.html").read_text(encoding="utf-8")


def test_team_page_lists_people_projects_by_status_null_results_and_reuse(site: Path):
    risk = read(site, "teams/risk")
    assert "Ana Silva" in risk and "Ben Okafor" not in risk
    assert risk.index("<strong>active</strong>") < risk.index("<strong>delivered</strong>")
    assert "Churn model two" in risk and "Promo lift" not in risk
    reuse = risk.split('id="reuse"', 1)[1]
    assert "dataset:scores" in reuse and "<td>2</td>" in reuse  # consumed by churn2 and promo
    marketing = read(site, "teams/marketing")
    assert "No lift from banners" in marketing and "Ben Okafor" in marketing


def test_tags_are_one_page_whatever_the_case_and_tools_show_versions_in_use(site: Path):
    forecasting = read(site, "tags/forecasting")
    assert "Churn model" in forecasting and "Churn model two" in forecasting
    assert not (site / "tags/forecasting-2").exists()
    uplift = read(site, "tags/uplift")
    assert "Promo lift" in uplift and "No lift from banners" in uplift  # projects and null results
    xgb = read(site, "tools/xgboost")
    versions = xgb.split('id="versions-in-use"', 1)[1].split("<h2", 1)[0]
    assert versions.index(">2.0<") < versions.index(">1.7<")  # newest first
    assert "Churn model two" in versions


def test_names_link_to_their_pages_from_projects_and_lists(site: Path):
    page = read(site, "projects/churn")
    for target in (
        "../../teams/risk/",
        "../../tags/forecasting/",
        "../../tags/uplift/",
        "../../tools/xgboost/",
        "../../tools/pandas/",
    ):
        assert f'href="{target}"' in page, target
    assert 'href="../teams/risk/"' in read(site, "projects")
    assert 'href="../tags/uplift/"' in read(site, "null-results")
    assert 'href="../../teams/marketing/"' in read(site, "people/ben")
    for index, entry in (("teams", "risk/"), ("tags", "uplift/"), ("tools", "xgboost/")):
        assert f'href="{entry}"' in read(site, index)


def test_browse_pages_are_in_the_search_index_and_the_export(site: Path):
    search = json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))
    locations = {d["location"].split("#")[0] for d in search["docs"]}
    assert {"teams/risk/", "tags/uplift/", "tools/xgboost/"} <= locations
    export = json.loads((site / "api/hub.json").read_text(encoding="utf-8"))
    teams = {t["name"]: t for t in export["teams"]}
    assert teams["risk"]["projects"] == {"active": ["churn2"], "delivered": ["churn"]}
    assert teams["risk"]["assets"] == [{"key": "dataset:scores", "reuse": 2}] and teams["risk"]["reused_assets"] == 1
    tools = {t["name"]: t for t in export["tools"]}
    assert tools["xgboost"]["versions"] == {"2.0": ["churn"], "1.7": ["churn2"]}
    assert tools["xgboost"]["url"] == "tools/xgboost/"
    assert {t["name"] for t in export["tags"]} == {"Forecasting", "uplift"}


def test_nothing_above_the_audience_gets_a_browse_page_or_entry(site: Path):
    for kind in ("teams", "tags", "tools"):
        names = [p.name for p in (site / kind).iterdir() if p.is_dir()]
        assert not any(HIDDEN.lower() in n for n in names), (kind, names)
    everything = "\n".join(
        p.read_text(encoding="utf-8", errors="replace")
        for p in site.rglob("*")
        if p.is_file() and p.suffix in (".html", ".json", ".xml")
    )
    assert HIDDEN.lower() not in everything.lower()
