"""Portfolio metrics, charts and pages, each checked against numbers worked out by hand.

The fixture hub (build date 2025-05-15, so 2025 Q2 is "now"):

| project    | status      | team      | started    | ended      | ROI (est / real)  |
|------------|-------------|-----------|------------|------------|-------------------|
| deliv      | delivered   | risk      | 2024-01-10 | 2024-05-20 | GBP 100 / 120     |
| retired    | retired     | risk      | 2024-02-01 | 2025-01-10 | GBP 50 / 40       |
| nullproj   | null-result | marketing | 2024-03-01 | 2024-05-30 | GBP 80 / 0        |
| cancel     | cancelled   | marketing | 2024-04-01 | 2025-01-20 | GBP 30 / -        |
| active     | active      | risk      | 2025-03-01 |            | USD 200 / -       |
| waiting    | backlog     | (none)    |            |            |                   |
| undated    | delivered   | risk      |            |            | EUR - / 10        |

2024 Q3 and Q4 have no event at all: they must still be there, as zeros.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from hubgen.analysis import portfolio as pf
from hubgen.analysis.lineage import build_graph
from hubgen.audience import restrict
from hubgen.cli import main
from hubgen.pipeline import check, generate
from hubgen.render import charts
from tests.conftest import MKDOCS_YML, PERSON, project_yml, write_files

TODAY = date(2025, 5, 15)
EPOCH = str(int(datetime(2025, 5, 15, 12, tzinfo=UTC).timestamp()))
CHART_NAMES = ("pipeline", "throughput", "hit-rate", "roi", "stage-time", "null-results", "reuse", "teams")


def _project(title: str, status: str, lead: str = "ana", **fields: str) -> str:
    extra = "".join(f"{k}: {v}\n" for k, v in fields.items())
    return project_yml(title, status=status, lead=lead, extra=extra)


def _null(title: str, when: str, reason: str | None = None) -> str:
    return (
        "---\n"
        f"title: {title}\n"
        f"date: {when}\n"
        "authors: [ana]\n"
        "hypothesis: It helps.\n"
        "outcome: It did not.\n" + (f"reason: {reason}\n" if reason else "") + "---\n\nWrite-up.\n"
    )


def _lineage(*consumes: str) -> str:
    return "consumes:\n" + "".join(f"  - {c}\n" for c in consumes)


def portfolio_files() -> dict[str, str]:
    return {
        "mkdocs.yml": MKDOCS_YML,
        "docs/about.md": "# About\n",
        "content/people/ana.yml": PERSON.format(name="Ana Silva", team="risk") + "joined: 2023-01-01\n",
        "content/people/ben.yml": PERSON.format(name="Ben Okafor", team="marketing")
        + "joined: 2024-04-01\nleft: 2025-01-15\n",
        "content/people/cy.yml": PERSON.format(name="Cy Young", team="risk"),  # no joined date
        "content/projects/deliv/project.yml": _project(
            "Delivered",
            "delivered",
            team="risk",
            started="2024-01-10",
            ended="2024-05-20",
            roi="{estimated: 100, realized: 120, currency: GBP}",
            stage_history="[{stage: research, date: 2024-01-10}, {stage: validation, date: 2024-03-01}, "
            "{stage: delivery, date: 2024-04-15}]",
        ),
        "content/projects/retired/project.yml": _project(
            "Retired",
            "retired",
            team="risk",
            started="2024-02-01",
            ended="2025-01-10",
            roi="{estimated: 50, realized: 40, currency: GBP}",
            stage_history="[{stage: research, date: 2024-02-01}, {stage: monitoring, date: 2024-06-01}]",
        ),
        "content/projects/nullproj/project.yml": _project(
            "Null project",
            "null-result",
            lead="ben",
            team="marketing",
            started="2024-03-01",
            ended="2024-05-30",
            roi="{estimated: 80, realized: 0, currency: GBP}",
        ),
        "content/projects/cancel/project.yml": _project(
            "Cancelled",
            "cancelled",
            lead="ben",
            team="marketing",
            started="2024-04-01",
            ended="2025-01-20",
            roi="{estimated: 30, currency: GBP}",
        ),
        "content/projects/active/project.yml": _project(
            "Active",
            "active",
            team="risk",
            stage="research",
            started="2025-03-01",
            roi="{estimated: 200, currency: USD}",
            stage_history="[{stage: data, date: 2025-03-01}, {stage: research, date: 2025-04-01}]",
            timeline="[{date: 2025-04-01, milestone: Kick-off}, {date: 2025-06-01, milestone: Pilot}, "
            "{date: 2025-09-01, milestone: Roll-out}]",
        ),
        "content/projects/waiting/project.yml": _project("Waiting", "backlog"),
        "content/projects/undated/project.yml": _project(
            "Undated", "delivered", team="risk", roi="{realized: 10, currency: EUR}"
        ),
        "content/null-results/n1.md": _null("First", "2024-05-10", "no-signal"),
        "content/null-results/n2.md": _null("Second", "2025-02-01", "data"),
        "content/null-results/n3.md": _null("Third", "2024-05-20"),
        # dataset:x: consumers start 2024-01-10, 2024-03-01, 2025-03-01 -> reused since 2024 Q1
        "content/projects/deliv/lineage.yml": _lineage("dataset:x", "dataset:w"),
        "content/projects/nullproj/lineage.yml": _lineage("dataset:x"),
        "content/projects/active/lineage.yml": _lineage("dataset:x", "dataset:y"),
        # dataset:y: 2024-04-01 and 2025-03-01 -> since 2025 Q1; dataset:z: two undated consumers
        "content/projects/cancel/lineage.yml": _lineage("dataset:y"),
        "content/projects/undated/lineage.yml": _lineage("dataset:z"),
        "content/projects/waiting/lineage.yml": _lineage("dataset:z"),
    }


@pytest.fixture
def folio_hub(make_hub) -> Path:
    return make_hub(portfolio_files())


@pytest.fixture
def folio(folio_hub) -> pf.Portfolio:
    hub = check(folio_hub, TODAY)
    assert [p for p in hub.problems if p.severity.value == "error"] == []
    visible = restrict(hub, "internal")
    return pf.analyse(visible, TODAY, build_graph(visible))


def rows(frame) -> list[dict]:
    return pf.records(frame)


# --- analysis -------------------------------------------------------------------------------------------------


def test_project_table_has_one_row_per_project(folio):
    t = folio.projects
    assert list(t["id"]) == ["active", "cancel", "deliv", "nullproj", "retired", "undated", "waiting"]
    deliv = rows(t[t["id"] == "deliv"])[0]
    assert deliv == {
        "id": "deliv",
        "title": "Delivered",
        "status": "delivered",
        "stage": None,
        "team": "risk",
        "started": "2024-01-10",
        "ended": "2024-05-20",
        "last_stage_change": "2024-04-15",
        "leads": "ana",
        "roi_estimated": 100.0,
        "roi_realized": 120.0,
        "roi_currency": "GBP",
        "deliverable": None,
    }


def test_stage_intervals_end_at_next_stage_then_ended_then_build_date(folio):
    got = [(r["id"], r["stage"], r["entered"], r["left"], r["days"], r["current"]) for r in rows(folio.intervals)]
    assert got == [
        ("active", "data", "2025-03-01", "2025-04-01", 31, False),
        ("active", "research", "2025-04-01", "2025-05-15", 44, True),  # current stage: up to the build date
        ("deliv", "research", "2024-01-10", "2024-03-01", 51, False),  # 2024 is a leap year
        ("deliv", "validation", "2024-03-01", "2024-04-15", 45, False),
        ("deliv", "delivery", "2024-04-15", "2024-05-20", 35, False),  # last stage ends at `ended`
        ("retired", "research", "2024-02-01", "2024-06-01", 121, False),
        ("retired", "monitoring", "2024-06-01", "2025-01-10", 223, False),
    ]


def test_pipeline_counts_active_projects_by_stage_and_backlog_apart(folio):
    assert dict(zip(folio.pipeline["stage"], folio.pipeline["projects"])) == {
        "backlog": 1,
        "ideation": 0,
        "data": 0,
        "research": 1,
        "validation": 0,
        "delivery": 0,
        "monitoring": 0,
    }


def test_quarters_are_continuous_with_empty_quarters_as_zeros(folio):
    q = rows(folio.quarterly)
    assert [r["quarter"] for r in q] == ["2024 Q1", "2024 Q2", "2024 Q3", "2024 Q4", "2025 Q1", "2025 Q2"]
    table = {r["quarter"]: (r["started"], r["finished"], r["delivered"], r["null_result"], r["cancelled"]) for r in q}
    assert table == {
        "2024 Q1": (3, 0, 0, 0, 0),
        "2024 Q2": (1, 2, 1, 1, 0),  # deliv delivered, nullproj null result
        "2024 Q3": (0, 0, 0, 0, 0),
        "2024 Q4": (0, 0, 0, 0, 0),
        "2025 Q1": (1, 2, 1, 0, 1),  # retired counts as delivered; cancel cancelled
        "2025 Q2": (0, 0, 0, 0, 0),
    }


def test_hit_rate_per_quarter_is_delivered_over_finished_and_empty_without_finished(folio):
    rates = {r["quarter"]: r["hit_rate"] for r in rows(folio.quarterly)}
    assert rates == {"2024 Q1": None, "2024 Q2": 0.5, "2024 Q3": None, "2024 Q4": None, "2025 Q1": 0.5, "2025 Q2": None}


def test_headcount_per_quarter_counts_joined_and_not_yet_left(folio):
    # ana from 2023; ben from 2024-04-01 to 2025-01-15; cy has no joined date and is reported instead
    assert list(folio.quarterly["headcount"]) == [1, 2, 2, 2, 1, 1]
    assert folio.gaps["people"] == ("cy",)


def test_headline_figures(folio):
    h = folio.headline
    assert (h.in_flight, h.backlog) == (1, 1)
    assert h.delivered_this_year == 1  # retired, ended 2025-01-10
    assert (h.delivered, h.finished) == (3, 5)  # the undated delivered project counts here: no date needed
    assert h.hit_rate == 0.6
    assert h.realized_roi == {"EUR": 10.0, "GBP": 160.0}
    assert h.estimated_roi == {"GBP": 260.0, "USD": 200.0}
    assert h.realized_projects == 4
    assert h.null_results == 4  # three write-ups and one null-result project
    assert h.reused_assets == 3  # x, y and z (z without dates)


def test_roi_by_team_per_currency_compares_each_project_with_its_own_estimate(folio):
    assert folio.currency == "GBP"
    got = {
        (r["team"], r["currency"]): (
            r["projects"],
            r["estimated"],
            r["realized"],
            r["estimate_only"],
            r["estimate_only_value"],
        )
        for r in rows(folio.roi_by_team)
    }
    assert got == {
        ("marketing", "GBP"): (1, 80.0, 0.0, 1, 30.0),  # cancel has an estimate only
        ("risk", "EUR"): (1, 0.0, 10.0, 0, 0.0),
        ("risk", "GBP"): (2, 150.0, 160.0, 0, 0.0),
        ("risk", "USD"): (0, 0.0, 0.0, 1, 200.0),
    }


def test_roi_caption_says_what_other_currencies_were_left_out(folio):
    from hubgen.render.portfolio import chart_specs

    roi = {c.name: c for _, c in chart_specs(folio)}["roi"]
    assert "in GBP" in roi.caption
    assert "Left out of the chart: 1 project in EUR, 1 project in USD" in roi.caption
    assert "1 project with an estimate only (GBP 30)" in roi.caption


def test_time_in_stage_quartiles(folio):
    st = {r["stage"]: r for r in rows(folio.stage_times)}
    research = st["research"]  # stays of 44 (still open), 51 and 121 days
    assert (research["intervals"], research["ongoing"]) == (3, 1)
    assert (research["min"], research["q1"], research["median"], research["q3"], research["max"]) == (
        44.0,
        47.5,
        51.0,
        86.0,
        121.0,
    )
    assert st["ideation"]["intervals"] == 0 and st["ideation"]["median"] is None


def test_null_results_per_quarter_and_by_reason(folio):
    nr = {r["quarter"]: r for r in rows(folio.null_results)}
    assert (
        nr["2024 Q2"]["no-signal"],
        nr["2024 Q2"]["unspecified"],
        nr["2024 Q2"]["whole project"],
        nr["2024 Q2"]["total"],
    ) == (1, 1, 1, 3)
    assert (nr["2025 Q1"]["data"], nr["2025 Q1"]["total"]) == (1, 1)
    assert sum(r["total"] for r in nr.values()) == 4
    by_reason = dict(zip(folio.null_reasons["reason"], folio.null_reasons["null_results"]))
    assert by_reason == {
        "no-signal": 1,
        "data": 1,
        "compliance": 0,
        "infrastructure": 0,
        "cost": 0,
        "other": 0,
        "unspecified": 1,
        "whole project": 1,
    }


def test_reuse_counts_from_the_quarter_the_second_consumer_started(folio):
    table = {r["quarter"]: (r["newly_reused"], r["reused_assets"]) for r in rows(folio.reuse.table)}
    assert table == {
        "2024 Q1": (1, 1),
        "2024 Q2": (0, 1),
        "2024 Q3": (0, 1),
        "2024 Q4": (0, 1),
        "2025 Q1": (1, 2),
        "2025 Q2": (0, 2),
    }
    assert {r["asset"]: r["since"] for r in rows(folio.reuse.assets)} == {
        "dataset:x": "2024 Q1",
        "dataset:y": "2025 Q1",
        "dataset:z": None,
    }
    assert folio.reuse.undated == ("dataset:z",)


def test_people_and_projects_per_team(folio):
    got = {r["team"]: (r["people"], r["alumni"], r["projects"], r["active"], r["delivered"]) for r in rows(folio.teams)}
    assert got == {"marketing": (0, 1, 2, 0, 0), "risk": (2, 0, 4, 1, 3), "(no team)": (0, 0, 1, 0, 0)}


def test_stakeholder_backlog_lists_in_flight_then_waiting_with_next_milestone(folio):
    got = rows(folio.backlog)
    assert [(r["team"], r["stage"], r["id"]) for r in got] == [
        ("risk", "research", "active"),
        ("(no team)", "backlog", "waiting"),
    ]
    active = got[0]
    assert (active["leads"], active["started"], active["last_stage_change"]) == ("ana", "2025-03-01", "2025-04-01")
    assert (active["next_milestone_date"], active["next_milestone"]) == ("2025-06-01", "Pilot")  # not the past one


def test_projects_without_dates_are_reported_not_dropped(folio):
    assert folio.gaps["started"] == ("undated",) and folio.gaps["ended"] == ("undated",)
    notes = folio.gap_notes()
    assert "1 project without dates is not in the quarterly charts: undated" in notes
    assert "1 person without a joined date is not in the headcount" in notes
    assert any(n.startswith("1 reused asset without two dated consuming projects") for n in notes)


def test_reference_date_is_a_parameter_not_the_clock(folio_hub):
    hub = restrict(check(folio_hub, TODAY), "internal")
    later = pf.analyse(hub, date(2025, 8, 1))
    assert list(later.quarterly["quarter"])[-1] == "2025 Q3"
    current = later.intervals[later.intervals["current"]]
    assert list(current["days"]) == [122]  # 2025-04-01 to 2025-08-01


def test_dates_after_the_build_date_or_far_back_do_not_stretch_the_quarters(make_hub):
    files = portfolio_files()
    files["content/projects/cancel/project.yml"] = _project(
        "Cancelled", "cancelled", lead="ben", team="marketing", started="1901-04-01", ended="2099-01-20"
    )
    hub = restrict(check(make_hub(files), TODAY), "internal")
    odd = pf.analyse(hub, TODAY)
    assert list(odd.quarterly["quarter"]) == ["2024 Q1", "2024 Q2", "2024 Q3", "2024 Q4", "2025 Q1", "2025 Q2"]
    assert odd.quarterly["finished"].sum() == 3 and odd.headline.finished == 5  # still finished, just not placed
    assert odd.gaps["out_of_range"] == ("cancel",)
    assert any(
        n.startswith("1 record has dates outside 2024 Q1 to 2025 Q2") and n.endswith(": cancel")
        for n in odd.gap_notes()
    )


def test_a_hub_with_one_undated_project(make_hub):
    hub = restrict(check(make_hub(), TODAY), "internal")
    one = pf.analyse(hub, TODAY)
    assert list(one.quarterly["quarter"]) == ["2025 Q2"]
    assert (one.headline.finished, one.headline.delivered, one.headline.hit_rate) == (1, 1, 1.0)
    assert one.quarterly["finished"].sum() == 0  # no end date: not in any quarter...
    assert one.gap_notes()[0] == "1 project without dates is not in the quarterly charts: churn"  # ...and said so
    assert one.currency is None and one.roi_by_team.empty
    from hubgen.render.portfolio import chart_specs

    for spec, _ in chart_specs(one):  # every chart draws, empty or not
        files = charts.render(spec)
        ET.fromstring(files["light.svg"])


# --- the built site -------------------------------------------------------------------------------------------

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == PNG_SIGNATURE and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


@pytest.fixture(scope="module")
def folio_site(tmp_path_factory) -> Path:
    """The fixture hub built once, as a user would: `hubgen build`."""
    root = write_files(tmp_path_factory.mktemp("folio") / "hub", portfolio_files())
    site = root.parent / "site"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", EPOCH)
        assert main(["build", "--repo", str(root), "--site-dir", str(site)]) == 0
    return site


def test_every_chart_is_in_the_site_as_svg_and_png_in_light_and_dark(folio_site):
    page = (folio_site / "portfolio/index.html").read_text()
    for name in CHART_NAMES:
        for theme in ("light", "dark"):
            svg = folio_site / f"portfolio/charts/{name}.{theme}.svg"
            root = ET.fromstring(svg.read_bytes())
            assert root.tag == "{http://www.w3.org/2000/svg}svg"
            assert b"<dc:date>" not in svg.read_bytes()  # no build date inside: byte-identical builds
            width, height = png_size((folio_site / f"portfolio/charts/{name}.{theme}.png").read_bytes())
            assert width == 800 and height >= 360
            # Material hides the variant of the other scheme by these URL suffixes
            assert f'src="charts/{name}.{theme}.png#only-{theme}"' in page
            assert f'srcset="charts/{name}.{theme}.svg" type="image/svg+xml"' in page


def test_each_chart_has_a_caption_alt_text_and_a_csv_with_its_columns(folio_site):
    expected = {
        "pipeline": ["stage", "projects"],
        "throughput": ["quarter", "started", "finished", "headcount"],
        "hit-rate": ["quarter", "finished", "delivered", "null_result", "cancelled", "hit_rate"],
        "roi": [
            "team",
            "currency",
            "projects",
            "estimated",
            "realized",
            "without_estimate",
            "estimate_only",
            "estimate_only_value",
        ],
        "stage-time": ["stage", "intervals", "ongoing", "min", "q1", "median", "q3", "max", "mean"],
        "null-results": [
            "quarter",
            "no-signal",
            "data",
            "compliance",
            "infrastructure",
            "cost",
            "other",
            "unspecified",
            "whole project",
            "total",
        ],
        "reuse": ["quarter", "newly_reused", "reused_assets"],
        "teams": ["team", "people", "alumni", "projects", "active", "backlog", "delivered", "null_result", "cancelled"],
    }
    page = (folio_site / "portfolio/index.html").read_text()
    figures = page.split("<figure")[1:]
    assert len(figures) == len(CHART_NAMES)
    for name, figure in zip(CHART_NAMES, figures):
        assert f"charts/{name}.light.png" in figure
        caption = figure.split("<figcaption>", 1)[1].split("</figcaption>", 1)[0]
        assert len(caption) > 80 and f'href="data/{name}.csv"' in caption
        alt = figure.split('alt="', 1)[1].split('"', 1)[0]
        assert len(alt) > 40 and ("chart" in alt.lower() or "plot" in alt.lower())
        assert any(ch.isdigit() for ch in alt)  # it tells the numbers, not just "a chart"
        table = list(csv.DictReader(io.StringIO((folio_site / f"portfolio/data/{name}.csv").read_text())))
        assert list(table[0].keys()) == expected[name]
    hit = list(csv.DictReader(io.StringIO((folio_site / "portfolio/data/hit-rate.csv").read_text())))
    assert [(r["quarter"], r["hit_rate"]) for r in hit] == [
        ("2024 Q1", ""),
        ("2024 Q2", "0.5"),
        ("2024 Q3", ""),
        ("2024 Q4", ""),
        ("2025 Q1", "0.5"),
        ("2025 Q2", ""),
    ]
    assert "1 project without dates is not in the quarterly charts: undated" in page


def test_portfolio_tables_are_exported_as_csv_and_json(folio_site):
    data = folio_site / "portfolio/data"
    projects = json.loads((data / "projects.json").read_text())
    assert [p["id"] for p in projects] == ["active", "cancel", "deliv", "nullproj", "retired", "undated", "waiting"]
    assert list(csv.DictReader(io.StringIO((data / "projects.csv").read_text())))[2]["ended"] == "2024-05-20"
    intervals = json.loads((data / "stage-intervals.json").read_text())
    assert intervals[1] == {
        "id": "active",
        "team": "risk",
        "status": "active",
        "stage": "research",
        "entered": "2025-04-01",
        "left": "2025-05-15",
        "days": 44,
        "current": True,
    }
    assert len(list(csv.DictReader(io.StringIO((data / "stage-intervals.csv").read_text())))) == 7
    page = (folio_site / "portfolio/index.html").read_text()
    for link in ("data/projects.csv", "data/projects.json", "data/stage-intervals.csv", "data/stage-intervals.json"):
        assert f'href="{link}"' in page


def test_portfolio_is_in_the_nav_and_the_home_page_shows_the_headline(folio_site):
    people = (folio_site / "people/index.html").read_text()  # a page that links to neither itself
    nav = people.split('class="md-nav md-nav--primary"', 1)[1]
    assert 'href="../portfolio/"' in nav and 'href="../portfolio/backlog/"' in nav
    home = (folio_site / "index.html").read_text()
    for figure, label in (
        ("1", "in flight"),
        ("1", "delivered in 2025"),
        ("60%", "hit rate"),
        ("GBP 160", "realized ROI"),
        ("4", "null results published"),
        ("3", "reused assets"),
    ):
        assert re.search(
            rf'<span class="hub-figure"[^>]*>{re.escape(figure)}</span> '
            rf'<span class="hub-card-label">{re.escape(label)}</span>',
            home,
        ), (figure, label)


def test_backlog_page_shows_leads_dates_and_next_milestone(folio_site):
    page = (folio_site / "portfolio/backlog/index.html").read_text()
    risk = page.split('id="team-risk"', 1)[1]
    assert "Ana Silva" in risk and "2025-03-01" in risk and "2025-04-01" in risk and "2025-06-01: Pilot" in risk
    assert "Kick-off" not in page  # past milestones are not "next"
    assert 'id="team-no-team"' in page and "Waiting" in page


def test_hub_json_has_the_headline_figures(folio_site, folio):
    export = json.loads((folio_site / "api/hub.json").read_text())
    headline = dict(export["portfolio"])
    assert headline.pop("notes") == folio.gap_notes()
    assert headline.pop("data") == "portfolio/data/"
    assert headline.pop("figures") == folio.figures.as_dict()
    assert headline.pop("by_status") == folio.figures.by_status
    assert headline.pop("by_stage") == folio.figures.by_stage
    assert headline == folio.headline.as_dict()


# --- cache and determinism ------------------------------------------------------------------------------------


def _chart_mtimes(root: Path) -> dict[str, int]:
    return {str(p.relative_to(root)): p.stat().st_mtime_ns for p in (root / ".hubgen-cache/charts").rglob("*.svg")}


def test_charts_are_rerendered_only_when_their_data_changes(folio_hub, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    charts.RENDERS.clear()
    first = generate(folio_hub).site.files
    assert set(charts.RENDERS) == set(CHART_NAMES)
    before = _chart_mtimes(folio_hub)
    assert len(before) == 2 * len(CHART_NAMES)

    charts.RENDERS.clear()
    again = generate(folio_hub).site.files
    assert sum(charts.RENDERS.values()) == 0  # nothing drawn: all from the cache
    assert _chart_mtimes(folio_hub) == before
    assert {k: v for k, v in again.items() if k.startswith("portfolio/charts/")} == {
        k: v for k, v in first.items() if k.startswith("portfolio/charts/")
    }

    # a joined date moves only the headcount line: only the throughput chart is drawn again
    (folio_hub / "content/people/ana.yml").write_text(
        PERSON.format(name="Ana Silva", team="risk") + "joined: 2024-06-01\n"
    )
    charts.RENDERS.clear()
    changed = generate(folio_hub).site.files
    assert dict(charts.RENDERS) == {"throughput": 1}
    assert changed["portfolio/charts/throughput.light.svg"] != first["portfolio/charts/throughput.light.svg"]
    after = _chart_mtimes(folio_hub)
    assert {k for k in after if "throughput" in k}.isdisjoint(before)  # the stale entry was replaced
    assert {k: v for k, v in after.items() if "throughput" not in k} == {
        k: v for k, v in before.items() if "throughput" not in k
    }


def test_chart_output_is_byte_identical_across_renders(folio):
    from hubgen.render.portfolio import chart_specs

    spec = {s.name: s for s, _ in chart_specs(folio)}["hit-rate"]
    assert charts.render(spec) == charts.render(spec)


# --- the command line -----------------------------------------------------------------------------------------


def run_stats(root: Path, *extra: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH)
    return subprocess.run(
        [sys.executable, "-m", "hubgen", "stats", "--repo", str(root), *extra],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


def test_stats_json_matches_the_analysis(folio_hub, folio):
    result = run_stats(folio_hub, "--json")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["as_of"] == "2025-05-15" and out["audience"] == "internal"
    assert out["headline"] == folio.headline.as_dict()
    assert out["quarters"] == pf.records(folio.quarterly)
    assert out["notes"] == folio.gap_notes()


def test_stats_prints_the_headline_and_the_quarters(folio_hub):
    result = run_stats(folio_hub)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert any(
        line.split() == ["hit", "rate", "60%", "3", "of", "5", "finished", "projects", "delivered"] for line in lines
    )
    assert any(line.split()[:2] == ["2024", "Q3"] and line.split()[2:7] == ["0"] * 5 for line in lines)
    assert "without dates" in result.stderr


def test_cli_does_not_import_pandas_or_matplotlib_until_needed():
    code = "import sys, hubgen.cli; print(any(m in sys.modules for m in ('pandas', 'matplotlib')))"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip() == "False"
