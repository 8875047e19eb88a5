"""Building the example hub: every record in, every record out, nothing hidden leaks."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from hubgen.cli import main
from hubgen.pipeline import check
from tests.conftest import ROOT

CONTENT = ROOT / "content"
RANK = {"public": 0, "internal": 1, "confidential": 2}


def front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    return yaml.safe_load(text.split("\n---", 1)[0].removeprefix("---")) or {}


def raw_records(audience: str) -> dict[str, set[str]]:
    """Ids the audience should see, read straight from the files (not through hubgen)."""
    limit = RANK[audience]
    vis = lambda d: RANK.get((d or {}).get("visibility", "internal"), 2)  # noqa: E731
    projects = {p.parent.name: yaml.safe_load(p.read_text()) for p in CONTENT.glob("projects/*/project.yml")}
    shown = {pid for pid, d in projects.items() if vis(d) <= limit}
    nulls = set()
    for path in CONTENT.glob("projects/*/null-results/*.md"):
        if path.parent.parent.name in shown and vis(front_matter(path)) <= limit:
            nulls.add(path.stem)
    for path in CONTENT.glob("null-results/*.md"):
        fm = front_matter(path)
        if vis(fm) <= limit and fm.get("project") in (None, *shown):
            nulls.add(path.stem)
    discussions = {
        f"{p.parent.parent.name}/{p.stem}"
        for p in CONTENT.glob("projects/*/discussions/*.md")
        if p.parent.parent.name in shown
    }
    people = {p.stem for p in CONTENT.glob("people/*.yml")}
    return {"projects": shown, "null_results": nulls, "discussions": discussions, "people": people}


def test_example_hub_is_valid():
    hub = check(ROOT)
    errors = [str(p) for p in hub.problems if p.severity.value == "error"]
    assert errors == []
    assert hub.skipped == ()


def test_every_record_has_its_page_and_export_entry(example_site: Path):
    expected = raw_records("internal")
    export = json.loads((example_site / "api/hub.json").read_text())
    assert {p["id"] for p in export["projects"]} == expected["projects"]
    assert {n["id"] for n in export["null_results"]} == expected["null_results"]
    assert {f"{d['project']}/{d['id']}" for d in export["discussions"]} == expected["discussions"]
    assert {p["handle"] for p in export["people"]} == expected["people"]
    for section in ("projects", "null_results", "discussions", "people"):
        for record in export[section]:
            page = example_site / record["url"] / "index.html"
            assert page.exists(), f"no page for {record['url']}"
    # the counts are those of the files, and a real hub has plenty of each
    assert len(expected["projects"]) >= 40 and len(expected["people"]) >= 15


def test_entity_pages_stay_out_of_the_navigation(example_site: Path):
    home = (example_site / "index.html").read_text()
    # the primary sidebar, up to the table of contents (with nav sections Material
    # adds md-nav--lifted and nests the page's TOC inside the primary nav)
    nav = home.split("md-nav--primary", 1)[1].split("md-sidebar--secondary", 1)[0]
    assert "projects/" in nav
    export = json.loads((example_site / "api/hub.json").read_text())
    some_project = export["projects"][0]["url"]
    assert some_project not in nav


def test_site_loads_nothing_from_outside(example_site: Path):
    pattern = re.compile(r"""(?:src|href)=["'](?:https?:)?//(?!127\.0\.0\.1)""")
    for page in [example_site / "index.html", example_site / "projects/index.html"]:
        html = page.read_text()
        assets = [
            m
            for m in pattern.finditer(html)
            if "stylesheet" in html[max(0, m.start() - 80) : m.start()]
            or "<script" in html[max(0, m.start() - 40) : m.start()]
        ]
        assert not assets, [html[m.start() : m.start() + 120] for m in assets]
        assert "fonts.googleapis.com" not in html


@pytest.fixture(scope="module")
def public_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("public") / "site"
    assert main(["build", "--repo", str(ROOT), "--site-dir", str(site), "--audience", "public"]) == 0
    return site


def hidden_markers(audience: str) -> list[str]:
    """Ids and titles of the projects above `audience`, and asset ids only they mention."""
    visible = raw_records(audience)["projects"]
    markers = []
    mentioned: dict[str, set[str]] = {}
    for path in CONTENT.glob("projects/*/lineage.yml"):
        data = yaml.safe_load(path.read_text()) or {}
        for ref in (data.get("consumes") or []) + (data.get("produces") or []):
            mentioned.setdefault(ref.split("@")[0], set()).add(path.parent.name)
    for path in CONTENT.glob("projects/*/project.yml"):
        pid = path.parent.name
        if pid not in visible:
            markers += [pid, yaml.safe_load(path.read_text())["title"]]
    markers += [ref.split(":", 1)[1] for ref, users in mentioned.items() if ":" in ref and not users & visible]
    return markers


def leaks_in(site: Path, markers: list[str]) -> list[str]:
    """Every file of the site, every byte (gzip opened), searched for every marker: as a whole word
    (not inside a longer id), or HTML-escaped anywhere. One pass per file for all markers."""
    import gzip

    bounded = "|".join(re.escape(m) for m in sorted(markers, key=len, reverse=True))
    escaped = "|".join(re.escape(m.replace("&", "&amp;")) for m in sorted(markers, key=len, reverse=True))
    pattern = re.compile(rf"(?<![a-z0-9._-])(?P<word>{bounded})(?![a-z0-9_-])|(?P<escaped>{escaped})")
    unescape = {m.replace("&", "&amp;"): m for m in markers}
    found = []
    for path in site.rglob("*"):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if path.suffix == ".gz":
            data = gzip.decompress(data)
        text = data.decode("utf-8", "replace")
        hits = {match["word"] or unescape[match["escaped"]] for match in pattern.finditer(text)}
        found += [f"{path.relative_to(site)}: {marker}" for marker in sorted(hits)]
    return found


def test_hubgens_own_scripts_and_styles_are_minified_in_the_site(example_site: Path):
    # Written to be read, sent small: a host that does not compress sends every byte of them on every page.
    sources = [
        p for p in (ROOT / "theme/assets/hubgen").iterdir() if p.suffix in (".js", ".css") and ".min." not in p.name
    ]
    assert {p.name for p in sources} >= {"search-assist.js", "pagefind-search.js", "hubgen.js", "hubgen.css"}
    for source in sources:
        built = (example_site / "assets/hubgen" / source.name).read_text()
        text = source.read_text()
        if "/*" in text or "\n  " in text:  # it has comments or indentation to drop
            assert len(built) < 0.9 * len(text), source.name
            assert "\n  " not in built, source.name
    home = (example_site / "index.html").read_text()
    assert "assets/hubgen/search-assist.js" in home  # still loaded by its name


def test_internal_build_has_no_trace_of_confidential_projects(example_site: Path):
    markers = hidden_markers("internal")
    assert len(markers) >= 4  # two confidential projects, their titles, and assets only they produce
    assert leaks_in(example_site, markers) == []
    export = json.loads((example_site / "api/hub.json").read_text())
    raw = {p.parent.name: yaml.safe_load(p.read_text()) for p in CONTENT.glob("projects/*/project.yml")}
    in_flight = sum(1 for pid in raw_records("internal")["projects"] if raw[pid]["status"] == "active")
    assert export["portfolio"]["in_flight"] == in_flight  # counts leave the hidden out too


def test_public_build_has_no_trace_of_hidden_projects(public_site: Path):
    markers = hidden_markers("public")
    confidential = [
        p.parent.name
        for p in CONTENT.glob("projects/*/project.yml")
        if (yaml.safe_load(p.read_text()) or {}).get("visibility") == "confidential"
    ]
    assert len(confidential) >= 2 and all(c in markers for c in confidential)
    leaks = leaks_in(public_site, markers)
    assert leaks == []
    export = json.loads((public_site / "api/hub.json").read_text())
    assert export["audience"] == "public"
    assert {p["id"] for p in export["projects"]} == raw_records("public")["projects"]
    assert export["projects"], "the public build should still show the public projects"


def _words_only_in_hidden_projects(audience: str) -> set[str]:
    """Words (5+ letters) of the project folders above `audience` that no visible file or docs page holds."""
    visible = raw_records(audience)["projects"]
    hidden_dirs = [p.parent for p in CONTENT.glob("projects/*/project.yml") if p.parent.name not in visible]
    assert hidden_dirs

    def words(paths) -> set[str]:
        out: set[str] = set()
        for path in paths:
            if path.is_file():
                out |= set(re.findall(r"[^\W\d_]{5,}", path.read_text(encoding="utf-8", errors="replace").lower()))
        return out

    hidden = words(f for d in hidden_dirs for f in d.rglob("*"))
    elsewhere = words(f for f in CONTENT.rglob("*") if not any(d in f.parents for d in hidden_dirs)) | words(
        (ROOT / "docs").rglob("*.md")
    )
    return hidden - elsewhere


@pytest.mark.parametrize("which", ["internal", "public"])
def test_search_term_list_and_facets_hold_nothing_hidden(which: str, example_site: Path, public_site: Path):
    """The site's "did you mean" vocabulary and facet map come from the audience's own pages only."""
    site = example_site if which == "internal" else public_site
    only_hidden = _words_only_in_hidden_projects(which)
    assert only_hidden, "the hidden projects have words of their own (else this test proves nothing)"
    listed = {
        line.split("\t")[0]
        for f in (site / "search" / "hubgen-terms").glob("*.txt")
        for line in f.read_text(encoding="utf-8").splitlines()
    }
    assert listed and not (only_hidden & listed), sorted(only_hidden & listed)[:10]
    facets = json.loads((site / "search" / "hubgen-facets.json").read_text())
    visible = raw_records(which)["projects"]
    projects = {url.split("/")[2] for url, f in facets.items() if f[0] == "project"}
    assert projects == visible


def test_build_output_names_a_warning_once(make_hub, tmp_path: Path, capfd, caplog):
    from tests.conftest import project_yml

    extra = "stage: data\nstage_history:\n  - stage: research\n    date: 2024-01-01\n"
    root = make_hub(**{"content/projects/churn/project.yml": project_yml(status="active", extra=extra)})
    with caplog.at_level("WARNING"):
        assert main(["build", "--repo", str(root), "--site-dir", str(tmp_path / "site")]) == 0
    said = [r.getMessage() for r in caplog.records if "latest stage_history entry" in r.getMessage()]
    assert said and all(r.levelname == "WARNING" for r in caplog.records if "stage_history" in r.getMessage())
    assert not any("warning:" in m.lower() for m in said), said  # the logger prints "WARNING -" itself
    assert said[0].startswith("content/projects/churn/project.yml:4: 'stage' is data")
