"""The JSON Schemas, the loader and the docs come from one schema and agree with each other."""

from __future__ import annotations

import functools
import json
from datetime import date, datetime
from pathlib import Path

import pytest
import yaml

from hubgen import schema
from hubgen.pipeline import check
from hubgen.scaffold import HUB_TEMPLATE
from hubgen.schema import reference
from tests.conftest import ROOT, write_files

jsonschema = pytest.importorskip("jsonschema")

SHIPPED = ROOT / "hubgen" / "schemas"


def plain(value):
    """Parsed YAML as JSON data (dates as the ISO text that was written)."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


class EditorLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """YAML as an editor's language server reads it: dates stay text (YAML 1.2 has no timestamps)."""


EditorLoader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def parse(path: Path):
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".md":
        text = text.split("\n---", 1)[0].removeprefix("---")
    return plain(yaml.load(text, Loader=EditorLoader))


def kind_of(rel: str) -> str | None:
    parts = rel.split("/")
    if rel == "content/hub.yml":
        return "hub"
    if parts[1] == "people":
        return "person"
    if parts[1] == "assets":
        return "asset"
    if "null-results" in parts:
        return "null-result"
    if "discussions" in parts:
        return "discussion"
    if parts[-1] == "project.yml":
        return "project"
    if parts[-1] == "lineage.yml":
        return "lineage"
    return None


def records(root: Path) -> list[tuple[str, str]]:
    """(repo-relative path, kind) of every record file of a hub."""
    found = []
    for path in sorted((root / "content").rglob("*")):
        if path.suffix in (".yml", ".md"):
            rel = path.relative_to(root).as_posix()
            kind = kind_of(rel)
            if kind and not (kind == "project" and path.name == "README.md"):
                found.append((rel, kind))
    return found


@functools.cache
def validator(kind: str):
    spec = json.loads((SHIPPED / f"{kind}.json").read_text())
    cls = jsonschema.validators.validator_for(spec)
    cls.check_schema(spec)
    return cls(spec, format_checker=cls.FORMAT_CHECKER)


def schema_errors(kind: str, data) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator(kind).iter_errors(data)]


def test_shipped_schemas_are_up_to_date():
    expected = reference.schema_files()
    shipped = {p.name: p.read_text(encoding="utf-8") for p in SHIPPED.glob("*.json")}
    assert shipped == expected, "hubgen/schemas/ is stale: run 'hubgen schema --out hubgen/schemas'"
    assert set(expected) == {f"{k.name}.json" for k in schema.RECORD_KINDS} | {"export.json"}


def test_format_reference_is_up_to_date():
    committed = (ROOT / "docs" / "format.md").read_text(encoding="utf-8")
    assert committed == reference.format_doc(), (
        "docs/format.md is stale: run 'python -m hubgen.schema.reference docs/format.md'"
    )
    for kind in schema.RECORD_KINDS:
        assert f"`{kind.location}`" in committed
        for f in kind.fields:
            assert f"| `{f.name}` | {'**yes**' if f.required else ''} |" in committed


@pytest.mark.parametrize("root", [ROOT, HUB_TEMPLATE], ids=["example", "init-template"])
def test_schemas_and_loader_accept_every_example_record(root: Path):
    found = records(root)
    kinds = {k for _, k in found}
    assert kinds >= {"project", "null-result", "discussion", "person", "asset", "lineage", "hub"}
    failures = {rel: errs for rel, kind in found if (errs := schema_errors(kind, parse(root / rel)))}
    assert failures == {}
    if root == ROOT:
        hub = check(root)
        loader_errors = [str(p) for p in hub.problems if p.severity.value == "error"]
        assert loader_errors == []


INVALID = {
    # path: (kind, text, what both must notice)
    "content/projects/bad-status/project.yml": (
        "project",
        ("title: T\nsummary: S\nstatus: wip\npeople:\n  - {person: ana, role: lead}\n"),
        "status",
    ),
    "content/projects/no-lead/project.yml": (
        "project",
        ("title: T\nsummary: S\nstatus: delivered\npeople:\n  - {person: ana, role: contributor}\n"),
        "lead",
    ),
    "content/projects/active-no-stage/project.yml": (
        "project",
        ("title: T\nsummary: S\nstatus: active\npeople:\n  - {person: ana, role: lead}\n"),
        "stage",
    ),
    "content/projects/no-summary/project.yml": (
        "project",
        ("title: T\nstatus: delivered\npeople:\n  - {person: ana, role: lead}\n"),
        "summary",
    ),
    "content/people/bad-date.yml": ("person", "name: Bad Date\njoined: 2024-13-45\n", "joined"),
    "content/people/no-name.yml": ("person", "team: risk\n", "name"),
    "content/null-results/no-outcome.md": (
        "null-result",
        ("---\ntitle: T\ndate: 2024-01-01\nauthors: [ana]\nhypothesis: H\n---\n"),
        "outcome",
    ),
    "content/null-results/bad-reason.md": (
        "null-result",
        ("---\ntitle: T\ndate: 2024-01-01\nauthors: [ana]\nhypothesis: H\noutcome: O\nreason: bad-luck\n---\n"),
        "reason",
    ),
    "content/assets/dataset/negative-cost.yml": ("asset", "title: X\nannual_cost: -5\n", "annual_cost"),
    "content/projects/churn/lineage.yml": ("lineage", "consumes: {dataset: x}\n", "consumes"),
}


def test_invalid_records_are_rejected_by_both(make_hub):
    root = make_hub()
    write_files(root, {path: text for path, (_, text, _) in INVALID.items()})
    hub = check(root)
    for path, (kind, _, field) in INVALID.items():
        errors = schema_errors(kind, parse(root / path))
        assert errors, f"the JSON Schema accepts {path}"
        loader = [p for p in hub.problems if p.path == path and p.severity.value == "error"]
        assert loader, f"the loader accepts {path}"
        assert any(field in p.message for p in loader), (path, [str(p) for p in loader])


def test_empty_optional_sections_are_valid_for_both(make_hub):
    """Templates leave sections empty (`risks:`): editors must not flag what hubgen accepts."""
    text = (
        "title: T\nsummary: S\nstatus: backlog\npeople:\n  - {person: ana, role: lead}\n"
        "problem:\nkpis:\nroi:\nrisks:\ntimeline:\n"
    )
    root = make_hub(**{"content/projects/churn/project.yml": text})
    assert schema_errors("project", parse(root / "content/projects/churn/project.yml")) == []
    assert [p for p in check(root).problems if p.path.endswith("project.yml")] == []


# The export's schema, checked with jsonschema (an independent validator) against real exports.


def export_validator():
    spec = json.loads((SHIPPED / "export.json").read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(spec)
    cls.check_schema(spec)
    return cls(spec)


def test_example_export_validates_and_links_its_schema(example_site: Path):
    export = json.loads((example_site / "api/hub.json").read_text(encoding="utf-8"))
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in export_validator().iter_errors(export)]
    assert errors == []
    assert export["schema_version"] == export["version"]
    published = example_site / "api" / export["$schema"]
    assert json.loads(published.read_text()) == json.loads((SHIPPED / "export.json").read_text())


def test_generated_hub_export_validates(tmp_path: Path):
    # The export alone (what the site writes as api/hub.json), without rendering the pages.
    from benchmarks.generate_hub import generate as generate_hub
    from hubgen.analysis.analyses import analyse
    from hubgen.audience import restrict
    from hubgen.clock import build_date
    from hubgen.pipeline import check
    from hubgen.render.export import hub_export
    from hubgen.render.pages import strict_json

    generate_hub(tmp_path / "hub", 1000, dense=True)
    visible = restrict(check(tmp_path / "hub"), "internal")
    export = json.loads(strict_json(hub_export(visible, analyse(visible, build_date()), "internal")))
    assert len(export["projects"]) == len(visible.projects) > 900  # confidential ones left out
    assert list(export_validator().iter_errors(export)) == []


def test_an_export_missing_a_key_or_with_a_wrong_type_fails(example_site: Path):
    export = json.loads((example_site / "api/hub.json").read_text(encoding="utf-8"))
    broken = dict(export)
    del broken["lineage"]
    assert not export_validator().is_valid(broken)
    broken = json.loads(json.dumps(export))
    broken["assets"][0]["reuse"] = "many"
    assert not export_validator().is_valid(broken)
