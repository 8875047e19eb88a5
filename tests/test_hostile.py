"""Hostile and broken input: the exact message, nothing lost, nothing leaked, nothing run."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from hubgen.cli import main
from hubgen.pipeline import check
from tests.conftest import write_files
from tests.hostile_corpus import BASE, CASES, Case

SECRET = "OUTSIDE_SECRET_7f3a"


def materialise(case: Case, tmp: Path) -> Path:
    root = tmp / "repo"
    write_files(root, {**BASE, **case.files})
    if case.big_file:
        path, size = case.big_file
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "wb") as fh:
            fh.write(b"title: big\n")
            fh.truncate(size)  # sparse: cheap on disk
    if case.symlink:
        link, _ = case.symlink
        outside = tmp / "outside.yml"
        outside.write_text(f"name: {SECRET}\n")
        (root / link).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(outside, root / link)
    return root


def snapshot(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_check_names_file_line_and_fix(case: Case, tmp_path: Path):
    root = materialise(case, tmp_path)
    shown = [str(p) for p in check(root).problems]
    for line in case.expect:
        assert any(s == line or (s.startswith(line) and case.name == "lineage-cycle") for s in shown), (
            f"expected:\n  {line}\ngot:\n  " + "\n  ".join(shown)
        )
    if not case.expect:
        assert not [s for s in shown if ": warning:" not in s], shown


def build(args: list[str], seconds: int = 240) -> int:
    """`hubgen build` in process (fast), failing instead of hanging."""

    def hang(*_):
        raise TimeoutError(f"hubgen build did not finish in {seconds} s")

    previous = signal.signal(signal.SIGALRM, hang)
    signal.alarm(seconds)
    try:
        return main(["build", *args])
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_build_keeps_every_valid_record_and_stays_inside(case: Case, tmp_path: Path, caplog):
    root = materialise(case, tmp_path)
    site = tmp_path / "site"
    before = snapshot(tmp_path)
    assert build(["--repo", str(root), "--site-dir", str(site)]) == 0
    for line in case.expect:
        # the build says what it skipped and why; the log's own level names a warning (never "WARNING ...: warning:")
        assert line.split(" (")[0].replace(": warning: ", ": ", 1) in caplog.text
    export = json.loads((site / "api/hub.json").read_text())
    assert len(export["projects"]) == case.projects
    assert {"alpha", "beta"} <= {p["id"] for p in export["projects"]}
    written = {p for p in snapshot(tmp_path) - before if not p.startswith(("site", "repo/.hubgen-cache"))}
    assert written == set(), "hubgen wrote outside the site directory and its cache"
    if case.symlink:
        for page in site.rglob("*"):
            if page.is_file() and page.suffix in (".html", ".json", ".xml"):
                assert SECRET not in page.read_text(errors="replace"), page


@pytest.mark.parametrize("case", [c for c in CASES if c.expect], ids=[c.name for c in CASES if c.expect])
def test_strict_build_fails_listing_all_problems(case: Case, tmp_path: Path, caplog):
    root = materialise(case, tmp_path)
    site = tmp_path / "site"
    assert build(["--repo", str(root), "--site-dir", str(site), "--strict"]) == 1
    failure = next(r.getMessage() for r in caplog.records if "problem(s) in the hub (strict mode)" in r.getMessage())
    for line in case.expect:
        assert line in failure
    assert not site.exists()


def test_a_broken_hub_runs_without_traceback_as_a_user_runs_it(tmp_path: Path):
    """One end-to-end run in a subprocess, the way a user calls it."""
    case = next(c for c in CASES if c.name == "billion-laughs")
    root = materialise(case, tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "hubgen", "build", "--repo", str(root), "--site-dir", str(tmp_path / "site")],
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert result.returncode == 0 and "Traceback" not in result.stderr
    assert case.expect[0].split(" (")[0] in result.stderr


def build_payload_site(tmp: Path, search_index: str = "auto") -> Path:
    """The script-in-every-field case, built the way a user builds it (with the given site search)."""
    case = next(c for c in CASES if c.name == "script-payload-everywhere")
    root = materialise(case, tmp)
    if search_index != "auto":
        config = root / "mkdocs.yml"
        config.write_text(
            config.read_text().replace("  - hubgen\n", f"  - hubgen:\n      search_index: {search_index}\n")
        )
    site = tmp / "site"
    result = subprocess.run(
        [sys.executable, "-m", "hubgen", "build", "--repo", str(root), "--site-dir", str(site)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return site


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    return build_payload_site(tmp_path_factory.mktemp("hostile"))


def test_payload_is_shown_as_text_not_dropped(hostile_site: Path):
    page = (hostile_site / "projects/gamma/index.html").read_text()
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in page
    assert "<script>window.__pwned" not in page
    assert 'href="javascript:' not in page
