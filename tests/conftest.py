"""Shared fixtures: small hubs written on the fly, and the example hub built once."""

from __future__ import annotations

import os
import textwrap
from collections.abc import Callable
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
# One build date for the whole session (today, unless SOURCE_DATE_EPOCH is set): the example
# site is then reproducible, and tests/test_publishing.py rebuilds it and compares the bytes.
BUILD_EPOCH = os.environ.get("SOURCE_DATE_EPOCH") or str(
    int(datetime.combine(date.today(), time(), tzinfo=UTC).timestamp())
)

MKDOCS_YML = """\
site_name: Test hub
docs_dir: docs
theme:
  name: material
plugins:
  - search
  - hubgen
"""

PERSON = "name: {name}\nteam: {team}\n"
PROJECT = """\
title: {title}
summary: {summary}
status: {status}
{extra}people:
  - person: {lead}
    role: lead
"""


def write_files(root: Path, files: dict[str, str | bytes]) -> Path:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content) if content.startswith("\n") else content, encoding="utf-8")
    return root


def project_yml(
    title: str = "A project",
    status: str = "delivered",
    lead: str = "ana",
    summary: str = "Why and what.",
    extra: str = "",
) -> str:
    return PROJECT.format(title=title, summary=summary, status=status, lead=lead, extra=extra)


def minimal_hub(**overrides: str | bytes) -> dict[str, str | bytes]:
    """A valid two-person, one-project hub; keys are repo-relative paths."""
    files: dict[str, str | bytes] = {
        "mkdocs.yml": MKDOCS_YML,
        "docs/about.md": "# About\n\nTest hub.\n",
        "content/people/ana.yml": PERSON.format(name="Ana Silva", team="risk"),
        "content/people/ben.yml": PERSON.format(name="Ben Okafor", team="marketing"),
        "content/projects/churn/project.yml": project_yml("Churn model"),
    }
    files.update(overrides)
    return {k: v for k, v in files.items() if v is not None}


def settled(root: Path) -> None:
    """Every content file and folder last changed ten seconds ago: past the racy window in which the
    stored indexes do not vouch for what they read (hubgen.search.index_state.RACY_NS)."""
    import os
    import time

    past = time.time() - 10
    for path in [root / "content", *(root / "content").rglob("*")]:
        os.utime(path, (past, past))


@pytest.fixture
def make_hub(tmp_path: Path) -> Callable[..., Path]:
    def make(files: dict[str, str | bytes] | None = None, **overrides: str | bytes) -> Path:
        root = tmp_path / "hub"
        root.mkdir(exist_ok=True)
        return write_files(root, files if files is not None else minimal_hub(**overrides))

    return make


@pytest.fixture(scope="session")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example hub in content/, built once at the default (internal) audience."""
    from hubgen.cli import main

    site = tmp_path_factory.mktemp("example") / "site"
    with pytest.MonkeyPatch.context() as env:
        env.setenv("SOURCE_DATE_EPOCH", BUILD_EPOCH)
        assert main(["build", "--repo", str(ROOT), "--site-dir", str(site)]) == 0
    return site


@pytest.fixture(scope="session")
def offline_example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example hub built with --offline: the site to open from disk."""
    from hubgen.cli import main

    site = tmp_path_factory.mktemp("offline") / "site"
    with pytest.MonkeyPatch.context() as env:
        env.setenv("SOURCE_DATE_EPOCH", BUILD_EPOCH)
        assert main(["build", "--offline", "--repo", str(ROOT), "--site-dir", str(site)]) == 0
    return site


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """With pytest-xdist (`-n 2 --dist loadgroup`, the README's test command) the browser tests run one after
    another in one worker (one Chromium, the example site built once there) while the other tests share both
    workers: Chromium and the builds then use a core each."""
    for item in items:
        if item.get_closest_marker("browser") is not None:
            item.add_marker(pytest.mark.xdist_group("browser"))
