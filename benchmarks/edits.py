"""The edits an author makes between two builds, on a generated hub: the incremental-build tests apply
each and compare with a clean build; the benchmarks time the build after each."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import yaml


def first(hub: Path, pattern: str) -> Path:
    return sorted(hub.glob(pattern))[0]


def edit_title(hub: Path) -> str:
    """A project's title; returns the page that must show it."""
    path = first(hub, "content/projects/*/project.yml")
    data = yaml.safe_load(path.read_text())
    path.write_text(path.read_text().replace(f"title: {data['title']}", "title: Renamed churn study", 1))
    return f"projects/{path.parent.name}/index.html"


def edit_person_name(hub: Path) -> str:
    """A person's name (it is on every page that lists them)."""
    path = first(hub, "content/people/*.yml")
    name = yaml.safe_load(path.read_text())["name"]
    path.write_text(path.read_text().replace(f"name: {name}", "name: Zeynep Quist", 1))
    return f"people/{path.stem}/index.html"


def add_lineage_edge(hub: Path) -> str:
    """A project starts consuming a new dataset."""
    path = first(hub, "content/projects/*/lineage.yml")
    data = yaml.safe_load(path.read_text())
    data.setdefault("consumes", []).append("dataset:added-edge-table")
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return "assets/dataset/added-edge-table/index.html"


def delete_record(hub: Path) -> str:
    """A project folder removed; returns its page prefixed with '-': it must be gone."""
    gone = first(hub, "content/projects/*/project.yml").parent
    shutil.rmtree(gone)
    return f"-projects/{gone.name}/index.html"


EDITS: dict[str, Callable[[Path], str]] = {
    "project-title": edit_title,
    "person-name": edit_person_name,
    "lineage-edge": add_lineage_edge,
    "record-deleted": delete_record,
}
