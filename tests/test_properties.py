"""Property-based: whatever a record holds, loading only reports problems, and valid records all reach the export."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hubgen.analysis.analyses import analyse
from hubgen.audience import restrict
from hubgen.load import load_hub
from hubgen.problems import Problem
from hubgen.render.export import hub_export
from hubgen.schema import ROLES, STATUSES

TODAY = date(2026, 11, 24)
PEOPLE = {"ana": "name: Ana\n", "ben": "name: Ben\n"}

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=True),
    st.text(max_size=30),
    st.dates(),
    st.sampled_from(["2024-02-30", "yesterday", "", "@ana"]),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=12,
)
FIELDS = [
    "title",
    "summary",
    "status",
    "stage",
    "team",
    "tags",
    "tools",
    "domains",
    "people",
    "started",
    "ended",
    "kpis",
    "roi",
    "deliverable",
    "consumers",
    "links",
    "monitoring",
    "timeline",
    "stage_history",
    "visibility",
    "prior_art",
    "risks",
    "unknown_field",
]
any_record = st.dictionaries(st.sampled_from(FIELDS), values, max_size=12)

ids = st.from_regex(r"[a-z0-9][a-z0-9-]{0,12}", fullmatch=True)
words = st.text(st.characters(categories=("L", "N", "Zs", "P")), min_size=1, max_size=40).filter(str.strip)
valid_project = st.fixed_dictionaries(
    {
        "title": words,
        "summary": words,
        "status": st.sampled_from(STATUSES),
        "people": st.lists(
            st.fixed_dictionaries({"person": st.sampled_from(["ana", "ben"]), "role": st.sampled_from(ROLES)}),
            max_size=3,
        ),
    },
    optional={
        "tags": st.lists(words, max_size=3, unique=True),
        "started": st.dates(date(2020, 1, 1), TODAY),
        "team": words,
        "visibility": st.sampled_from(["public", "internal"]),
    },
).map(
    lambda d: {
        **d,
        "people": [{"person": "ana", "role": "lead"}] + d["people"],
        **({"stage": "data"} if d["status"] == "active" else {}),
    }
)


def write_hub(root: Path, projects: dict[str, object], raw: dict[str, bytes] | None = None) -> None:
    for handle, text in PEOPLE.items():
        (root / "content/people").mkdir(parents=True, exist_ok=True)
        (root / f"content/people/{handle}.yml").write_text(text)
    for pid, record in projects.items():
        (root / f"content/projects/{pid}").mkdir(parents=True, exist_ok=True)
        (root / f"content/projects/{pid}/project.yml").write_text(yaml.safe_dump(record, allow_unicode=True))
    for rel, data in (raw or {}).items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(record=any_record, junk=st.binary(max_size=200))
def test_loader_only_ever_reports_problems(record, junk):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write_hub(
            root,
            {"p": record},
            {"content/projects/q/project.yml": junk, "content/null-results/n.md": b"---\n" + junk + b"\n---\nbody"},
        )
        hub = load_hub(root, TODAY)  # must not raise, whatever the input
        assert all(isinstance(p, Problem) and p.path and p.message for p in hub.problems)
        for pid in ("p", "q"):
            assert (pid in hub.projects) != any(s.startswith(f"content/projects/{pid}") for s in hub.skipped)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(projects=st.dictionaries(ids, valid_project, min_size=1, max_size=5))
def test_every_valid_record_appears_in_the_export(projects):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write_hub(root, projects)
        hub = load_hub(root, TODAY)
        assert [str(p) for p in hub.problems if p.severity.value == "error"] == []
        visible = restrict(hub, "internal")
        export = hub_export(visible, analyse(visible, TODAY), "internal")
        assert {p["id"] for p in export["projects"]} == set(projects)
        titles = {p["id"]: p["title"] for p in export["projects"]}
        assert titles == {pid: record["title"].strip() for pid, record in projects.items()}
