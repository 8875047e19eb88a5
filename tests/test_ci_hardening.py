"""The CI files `hubgen init` writes pass the ecosystem's checker (issue 26, item 2).

zizmor, the GitHub Actions security linter, runs on the `.github/` folder of a
freshly initialised hub at its strictest persona, offline (no GitHub API here).
A deliberately careless workflow shows the same run does report what it should,
so a clean result is zizmor's verdict, not a run that checked nothing.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from hubgen.cli import EXIT_OK, main

ZIZMOR = shutil.which("zizmor") or str(Path(sys.executable).parent / "zizmor")

CARELESS = """\
name: careless
on: [push]
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: echo build
      - uses: actions/upload-pages-artifact@v3
        with:
          path: site
"""


def zizmor(target: Path) -> list[dict]:
    """zizmor's findings on a file or folder, as its JSON report lists them."""
    done = subprocess.run(
        [ZIZMOR, "--offline", "--persona", "pedantic", "--format", "json", str(target)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.stdout.strip().startswith("["), f"zizmor did not report: {done.stderr}"
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def hub(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("hardening") / "hub"
    assert main(["init", str(root), "--name", "Hardened hub"]) == EXIT_OK
    return root


def test_zizmor_finds_nothing_in_what_init_writes(hub):
    audited = sorted(p.name for p in (hub / ".github").rglob("*.yml"))
    assert audited == ["dependabot.yml", "hub.yml"]
    findings = zizmor(hub / ".github")
    assert findings == [], [(f["ident"], f["desc"]) for f in findings]


def test_zizmor_reports_a_careless_workflow(tmp_path):
    workflow = tmp_path / ".github/workflows/careless.yml"
    workflow.parent.mkdir(parents=True)
    workflow.write_text(CARELESS)
    found = {f["ident"] for f in zizmor(tmp_path / ".github")}
    assert {"artipacked", "unpinned-uses", "excessive-permissions"} <= found


def test_every_action_is_pinned_by_commit_with_its_release_named(hub):
    text = (hub / ".github/workflows/hub.yml").read_text()
    uses = [line.strip() for line in text.splitlines() if re.match(r"\s*(- )?uses:", line)]
    assert len(uses) >= 5
    for line in uses:
        assert re.fullmatch(r"(- )?uses: [\w.-]+/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+", line), line


def test_checkout_keeps_no_token_and_jobs_ask_only_for_what_they_use(hub):
    workflow = yaml.safe_load((hub / ".github/workflows/hub.yml").read_text())
    assert workflow["permissions"] == {}
    for name, job in workflow["jobs"].items():
        steps = job["steps"]
        checkouts = [s for s in steps if s.get("uses", "").startswith("actions/checkout@")]
        for step in checkouts:
            assert step["with"]["persist-credentials"] is False, name
        expected = {"contents": "read"} if checkouts else {"pages": "write", "id-token": "write"}
        assert job["permissions"] == expected, name


def test_gitlab_caches_are_per_branch_and_the_image_is_an_exact_tag(hub):
    ci = yaml.safe_load((hub / ".gitlab-ci.yml").read_text())
    default = ci["default"]
    assert default["cache"]["key"]["prefix"] == "$CI_COMMIT_REF_SLUG"
    assert default["cache"]["key"]["files"] == ["requirements.txt"]
    assert re.fullmatch(r"python:\d+\.\d+-\w+(@sha256:[0-9a-f]{64})?", default["image"]), default["image"]
    assert ci["variables"]["GIT_DEPTH"] == "1"
    assert "CI_JOB_TOKEN" not in (hub / ".gitlab-ci.yml").read_text()  # no job uses it beyond the clone
