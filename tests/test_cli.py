"""Every documented exit code of the CLI, and what a user sees on bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from hubgen.cli import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, main
from tests.conftest import project_yml


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "hubgen", *args], capture_output=True, text=True, cwd=cwd, timeout=300)


def test_check_ok_exits_0(make_hub):
    result = run("check", "--repo", str(make_hub()))
    assert result.returncode == EXIT_OK
    assert "1 projects, 2 people" in result.stderr
    assert "Traceback" not in result.stderr


def test_check_with_errors_exits_1_and_lists_all(make_hub):
    root = make_hub(
        **{
            "content/projects/churn/project.yml": project_yml(lead="nobody", status="wip"),
            "content/people/ben.yml": "name: Ben\njoined: yesterday\n",
        }
    )
    result = run("check", "--repo", str(root))
    assert result.returncode == EXIT_PROBLEMS
    lines = result.stdout.strip().splitlines()
    assert any(line.startswith("content/projects/churn/project.yml:3: 'status' is 'wip'") for line in lines)
    assert any(line.startswith("content/people/ben.yml:2: 'joined' must be a date") for line in lines)


def test_check_strict_fails_on_warnings(make_hub):
    root = make_hub(**{"content/projects/churn/project.yml": project_yml(extra="tags: nlp\n")})
    assert run("check", "--repo", str(root)).returncode == EXIT_OK
    assert run("check", "--repo", str(root), "--strict").returncode == EXIT_PROBLEMS


def test_check_json_format(make_hub):
    root = make_hub(**{"content/projects/churn/project.yml": project_yml(lead="nobody")})
    result = run("check", "--repo", str(root), "--format", "json")
    data = json.loads(result.stdout)
    assert data["ok"] is False
    assert data["problems"][0] == {
        "path": "content/projects/churn/project.yml",
        "line": 5,
        "severity": "error",
        "message": "unknown person 'nobody' in 'people.person'",
        "hint": "add content/people/nobody.yml",
    }


def test_usage_errors_exit_2(tmp_path):
    assert run("check", "--repo", str(tmp_path / "missing")).returncode == EXIT_USAGE
    result = run("build", "--repo", str(tmp_path))
    assert result.returncode == EXIT_USAGE
    assert "mkdocs.yml: not found" in result.stderr and "hubgen init" in result.stderr
    assert run("build", "--audience", "everyone").returncode == EXIT_USAGE


def test_every_command_has_help():
    for command in ("build", "serve", "check"):
        result = run(command, "--help")
        assert result.returncode == 0 and "--repo" in result.stdout


def test_build_skips_broken_records_and_says_so(make_hub, tmp_path):
    root = make_hub(**{"content/projects/broken/project.yml": "title: [unclosed\n"})
    site = tmp_path / "out"
    result = run("build", "--repo", str(root), "--site-dir", str(site))
    assert result.returncode == EXIT_OK, result.stderr
    assert "content/projects/broken/project.yml:" in result.stderr
    assert "skipped 1 broken record" in result.stderr
    assert (site / "projects/churn/index.html").exists()
    assert not (site / "projects/broken").exists()


def test_strict_build_fails_listing_problems_and_keeps_the_old_site(make_hub, tmp_path):
    root = make_hub()
    site = tmp_path / "out"
    assert main(["build", "--repo", str(root), "--site-dir", str(site)]) == EXIT_OK
    (root / "content/projects/broken").mkdir()
    (root / "content/projects/broken/project.yml").write_text("title: [unclosed\n")
    result = run("build", "--repo", str(root), "--site-dir", str(site), "--strict")
    assert result.returncode == EXIT_PROBLEMS
    assert "content/projects/broken/project.yml:" in result.stderr
    assert (site / "projects/churn/index.html").exists(), "the previous site must survive a failed build"
    assert not list(tmp_path.glob(".out-building-*")), "no half-written staging folder is left behind"


def test_serve_serves_the_site_with_live_reload(make_hub):
    import socket
    import time
    import urllib.request

    root = make_hub()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "hubgen", "serve", "--repo", str(root), "--dev-addr", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.time() + 120
        page = ""
        while time.time() < deadline:
            try:
                page = urllib.request.urlopen(f"http://127.0.0.1:{port}/projects/churn/", timeout=5).read().decode()
                break
            except OSError:
                if proc.poll() is not None:
                    pytest.fail(proc.stderr.read().decode()[-2000:])
                time.sleep(0.5)
        assert "Churn model" in page
        assert "livereload" in page  # mkdocs serve injects its reload script
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_a_hand_written_page_on_a_generated_url_is_reported_not_silently_lost(make_hub, tmp_path):
    root = make_hub(**{"docs/projects.md": "# Our projects\n\nHand-written.\n"})
    result = run("build", "--repo", str(root), "--site-dir", str(tmp_path / "site"))
    assert result.returncode == 0
    assert "docs/projects.md is not built: a generated page has its URL (projects/)" in result.stderr
    assert "Hand-written" not in (tmp_path / "site/projects/index.html").read_text()


def test_build_without_a_pagefind_binary_fails_naming_it_and_keeps_the_old_site(make_hub, tmp_path):
    root = make_hub()
    site = tmp_path / "out"
    assert main(["build", "--repo", str(root), "--site-dir", str(site)]) == EXIT_OK
    config = root / "mkdocs.yml"
    config.write_text(config.read_text().replace("- hubgen", "- hubgen:\n      search_index: pagefind"))
    assert "search_index: pagefind" in config.read_text()
    result = subprocess.run(
        [sys.executable, "-m", "hubgen", "build", "--repo", str(root), "--site-dir", str(site)],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PAGEFIND_BINARY_PATH": str(tmp_path / "missing-pagefind")},
    )
    assert result.returncode == EXIT_PROBLEMS
    assert "pagefind: cannot start" in result.stderr and "missing-pagefind" in result.stderr
    assert (site / "projects/churn/index.html").exists(), "the previous site must survive a failed build"
