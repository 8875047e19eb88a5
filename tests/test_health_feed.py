"""The hub health page's measures and the What's new feed, on small hubs written for the purpose."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date

from hubgen.analysis.health import health
from hubgen.analysis.lineage import build_graph
from hubgen.analysis.news import news
from hubgen.pipeline import check
from hubgen.render.feed import atom_feed
from tests.conftest import MKDOCS_YML, PERSON

TODAY = date(2026, 1, 1)
ATOM = "{http://www.w3.org/2005/Atom}"

ALL_SECTIONS = """\
problem: Claims take too long.
objective: Halve the time.
kpis:
  - {name: AUC, target: 0.8}
roi: {estimated: 100000, currency: EUR}
data_sources: [dataset:claims]
risks: [Drift]
stakeholders: [Claims team]
prior_art: [https://example.com/paper]
timeline:
  - {date: 2024-06-01, milestone: Pilot}
"""


def project(title: str, status: str, team: str, lead: str, extra: str = "") -> str:
    return (
        f"title: {title}\nsummary: Why.\nstatus: {status}\nteam: {team}\n"
        f"people:\n  - {{person: {lead}, role: lead}}\n{extra}"
    )


def health_hub() -> dict[str, str]:
    return {
        "mkdocs.yml": MKDOCS_YML,
        "content/people/ana.yml": PERSON.format(name="Ana", team="risk"),
        "content/people/ben.yml": PERSON.format(name="Ben", team="risk") + "left: 2024-06-30\n",
        "content/people/cy.yml": PERSON.format(name="Cy", team="marketing"),
        "content/projects/full/project.yml": project(
            "Full",
            "delivered",
            "risk",
            "ana",
            ALL_SECTIONS
            + (
                "deliverable: {type: model}\nmonitoring: {plan: Weekly AUC on labelled claims, owner: ana}\n"
                "last_used: 2025-12-01\n"
            ),
        ),
        "content/projects/bare/project.yml": project(
            "Bare", "delivered", "risk", "ben", "deliverable: {type: api}\nlast_used: 2024-10-01\n"
        ),
        "content/projects/report/project.yml": project(
            "Report", "delivered", "marketing", "cy", "problem: P\nobjective: O\ndeliverable: report\n"
        ),
        "content/projects/old/project.yml": project("Old", "retired", "marketing", "ben", "last_used: 2020-01-01\n"),
        "content/projects/old/lineage.yml": "produces: [dataset:old-data]\n",
        "content/projects/consumer/project.yml": project("Consumer", "active", "marketing", "cy", "stage: data\n"),
        "content/projects/consumer/lineage.yml": "consumes: [dataset:old-data]\n",
        "content/assets/dataset/old-data.yml": "title: Old data\nowner: ben\n",
    }


def test_health_measures(make_hub):
    hub = check(make_hub(health_hub()), TODAY)
    assert [p for p in hub.problems if p.severity.value == "error"] == []
    h = health(hub, build_graph(hub), TODAY)

    assert [(g.project, len(g.missing)) for g in h.gaps] == [("bare", 9), ("consumer", 9), ("old", 9), ("report", 7)]
    assert h.gaps[-1].missing == ("kpis", "roi", "data_sources", "risks", "stakeholders", "prior_art", "timeline")
    adoption = {row.team: (row.projects, row.filled, round(row.percent, 1), row.complete) for row in h.adoption}
    assert adoption == {"marketing": (3, 2, 7.4, 0), "risk": (2, 9, 50.0, 1), "all teams": (5, 11, 24.4, 1)}
    assert h.adoption[-1].team == "all teams" and h.adoption[-1].by_section["problem"] == 2

    assert h.unmonitored == ["bare"]  # a report needs no monitoring; "full" has a plan
    assert [(u.project, u.days) for u in h.unused] == [("bare", 457)]  # "old" is retired: not expected in use
    assert [(o.kind, o.key, o.leads) for o in h.orphans] == [
        ("project", "bare", ("ben",)),
        ("asset", "dataset:old-data", ("ben",)),
    ]
    assert [(e.key, e.source, e.status, e.consumers) for e in h.ended_sources] == [
        ("dataset:old-data", "old", "retired", ("project:consumer",))
    ]
    assert h.placeholders == []


def test_health_counts_template_text_left_in_place(make_hub):
    from hubgen.scaffold import new_record

    root = make_hub()
    new_record(root, "project", "fresh", by="ana", today=TODAY)
    hub = check(root, TODAY)
    h = health(hub, build_graph(hub), TODAY)
    assert h.placeholders == [("project", "fresh")]
    assert ("fresh", 9) in [(g.project, len(g.missing)) for g in h.gaps]


def test_health_page_in_the_built_site(example_site):
    html = (example_site / "health/index.html").read_text()
    for heading in (
        "Template adoption by team",
        "Delivered without a monitoring plan",
        "Not used for over a year",
        "No lead who is still here",
        "Consumed from retired or cancelled projects",
    ):
        assert heading in html
    assert "all teams" in html


def feed_hub(url: str = "") -> dict[str, str]:
    return {
        "mkdocs.yml": MKDOCS_YML,
        "content/hub.yml": "name: Feed hub\n" + (f"url: {url}\n" if url else ""),
        "content/people/ana.yml": PERSON.format(name="Ana Silva", team="risk"),
        "content/people/ben.yml": PERSON.format(name="Ben Okafor", team="risk"),
        "content/projects/undated/project.yml": project("Undated", "delivered", "risk", "ana"),
        "content/projects/p1/project.yml": project(
            "Fraud graph",
            "active",
            "risk",
            "ana",
            (
                "stage: research\nstarted: 2024-01-10\nstage_history:\n"
                "  - {stage: data, date: 2024-01-10}\n  - {stage: research, date: 2024-03-01}\n"
            ),
        ),
        "content/projects/p2/project.yml": project(
            "Churn <v2> & co", "delivered", "risk", "ben", "started: 2023-05-01\nended: 2024-02-15\n"
        ),
        "content/null-results/n1.md": (
            "---\ntitle: Images do not help\ndate: 2024-02-01\nauthors: [ben]\nhypothesis: H\noutcome: No lift.\n---\n"
        ),
        "content/null-results/later.md": (
            "---\ntitle: Not yet\ndate: 2099-01-01\nauthors: [ben]\nhypothesis: H\noutcome: O\n---\n"
        ),
        "content/projects/p1/discussions/d1.md": (
            "---\ntitle: Which graph?\nstatus: decided\ndecision: Use the card graph.\ndate: 2024-03-05\n---\n\n"
            "## @ana 2024-03-01\n\nOptions.\n\n## @ben 2024-03-10\n\nAgreed.\n"
        ),
        "content/projects/p1/discussions/d2.md": "---\ntitle: Still open\nstatus: open\n---\n\n## @ana 2024-05-01\n\nHm.\n",
    }


def parse_feed(data: bytes) -> ET.Element:
    assert data.startswith(b"<?xml")
    return ET.fromstring(data)


def test_feed_is_atom_with_the_dated_changes_newest_first(make_hub):
    hub = check(make_hub(feed_hub()), TODAY)
    feed = parse_feed(atom_feed(hub, news(hub, TODAY)))
    assert feed.tag == f"{ATOM}feed"
    for tag in ("id", "title", "updated", "author"):
        assert feed.find(f"{ATOM}{tag}") is not None, tag
    entries = feed.findall(f"{ATOM}entry")
    got = [(e.findtext(f"{ATOM}title"), e.findtext(f"{ATOM}updated"), e.findtext(f"{ATOM}published")) for e in entries]
    assert got == [
        ("Decided: Which graph?", "2024-03-10T00:00:00Z", "2024-03-01T00:00:00Z"),
        ("Moved to research: Fraud graph", "2024-03-01T00:00:00Z", "2024-01-10T00:00:00Z"),
        ("Delivered: Churn <v2> & co", "2024-02-15T00:00:00Z", "2023-05-01T00:00:00Z"),
        ("Null result: Images do not help", "2024-02-01T00:00:00Z", "2024-02-01T00:00:00Z"),
    ]  # no undated project, no open discussion, nothing dated after the build date
    assert feed.findtext(f"{ATOM}updated") == "2024-03-10T00:00:00Z"
    stamp = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
    ids = []
    for e in entries:
        ids.append(e.findtext(f"{ATOM}id"))
        assert stamp.match(e.findtext(f"{ATOM}updated"))
        assert e.find(f"{ATOM}link").get("rel") == "alternate"
    assert len(set(ids)) == len(ids) and all(i.startswith("urn:uuid:") for i in ids)
    links = [e.find(f"{ATOM}link").get("href") for e in entries]
    assert links == ["discussions/p1/d1/", "projects/p1/", "projects/p2/", "null-results/n1/"]
    assert [a.findtext(f"{ATOM}name") for a in entries[0].findall(f"{ATOM}author")] == ["Ana Silva", "Ben Okafor"]
    assert entries[0].findtext(f"{ATOM}summary") == "Use the card graph."


def test_feed_ids_are_stable_and_links_absolute_with_a_hub_url(make_hub):
    files = feed_hub("https://hub.example.com/")
    root = make_hub(files)
    hub = check(root, TODAY)
    first = parse_feed(atom_feed(hub, news(hub, TODAY)))
    (root / "content/projects/p1/project.yml").write_text(
        files["content/projects/p1/project.yml"] + "  - {stage: validation, date: 2024-04-02}\n"
    )
    hub = check(root, TODAY)
    again = atom_feed(hub, news(hub, TODAY))
    assert again == atom_feed(hub, news(hub, TODAY)), "same records, same bytes"
    second = parse_feed(again)

    def by_id(feed):
        return {e.findtext(f"{ATOM}id"): e for e in feed.findall(f"{ATOM}entry")}

    assert set(by_id(first)) == set(by_id(second))
    top = second.findall(f"{ATOM}entry")[0]
    assert top.findtext(f"{ATOM}title") == "Moved to validation: Fraud graph"
    assert by_id(first)[top.findtext(f"{ATOM}id")].findtext(f"{ATOM}title") == "Moved to research: Fraud graph"
    assert top.find(f"{ATOM}link").get("href") == "https://hub.example.com/projects/p1/"
    assert second.find(f"{ATOM}link[@rel='self']").get("href") == "https://hub.example.com/feed.xml"


def test_whats_new_page_and_feed_link_in_the_site(example_site):
    home = (example_site / "index.html").read_text()
    assert re.search(r'<link rel="alternate" type="application/atom\+xml"[^>]*href="feed.xml"', home)
    feed = parse_feed((example_site / "feed.xml").read_bytes())
    entries = feed.findall(f"{ATOM}entry")
    assert 10 <= len(entries) <= 50
    dates = [e.findtext(f"{ATOM}updated") for e in entries]
    assert dates == sorted(dates, reverse=True)
    page = (example_site / "whats-new/index.html").read_text()
    first_title = entries[0].findtext(f"{ATOM}title").split(": ", 1)[1]
    assert first_title.replace("&", "&amp;") in page
    assert 'href="../feed.xml"' in page


def test_contribute_page_lists_every_record_kind(example_site):
    from hubgen.schema import RECORD_KINDS

    html = (example_site / "contribute/index.html").read_text()
    for kind in RECORD_KINDS:
        assert kind.location.replace("<", "&lt;").replace(">", "&gt;") in html, kind.name
    for command in ("hubgen new project ID", "hubgen new discussion ID --project P", "hubgen check --strict"):
        assert command in html
    assert "people[].role" in html
    nav = html.split("md-nav--primary", 1)[1].split("md-nav--secondary", 1)[0]
    for title, href in (("What&#39;s new", "whats-new/"), ("Hub health", "health/"), ("Contribute", "./")):
        assert re.search(rf'href="(\.\./)?{re.escape(href)}"', nav), href
        assert title in nav or title.replace("&#39;", "'") in nav, title


def test_health_and_project_pages_agree_on_every_requirements_section(example_site):
    """A section Health lists as missing is one the project page does not show, and the other way round."""
    from pathlib import Path

    from hubgen.analysis.health import requirement_gaps
    from tests.conftest import ROOT

    site = Path(example_site)
    hub = check(ROOT)
    headings = {
        "kpis": "kpis",
        "roi": "return-on-investment",
        "data_sources": "data-sources",
        "risks": "risks",
        "prior_art": "prior-art",
        "timeline": "timeline",
    }
    staged_without_plan = 0
    for gaps in requirement_gaps(hub):
        page = site / "projects" / gaps.project / "index.html"
        if not page.exists():  # above the build's audience
            continue
        html = page.read_text(encoding="utf-8")
        for section, anchor in headings.items():
            shown = f'id="{anchor}"' in html
            assert shown == (section not in gaps.missing), (gaps.project, section)
        p = hub.projects[gaps.project]
        if p.stage_history and not p.timeline:
            staged_without_plan += 1
            assert 'id="stage-history"' in html and 'id="timeline"' not in html
    assert staged_without_plan  # the case the issue found: a stage history and no planned milestones


def test_monitoring_thresholds_and_alerts_read_as_fields_not_yaml(example_site):
    from pathlib import Path

    html = (Path(example_site) / "projects/churn-uplift-2024/index.html").read_text(encoding="utf-8")
    monitoring = html.split('id="monitoring"', 1)[1].split("<h2", 1)[0]
    assert "<pre" not in monitoring and "..." not in monitoring
    assert re.search(r'<th scope="row">qini min</th><td>0.03</td>', monitoring)
    from html import unescape

    assert "<td>#crm-models</td>" in unescape(monitoring)  # as written, without YAML's quotes
