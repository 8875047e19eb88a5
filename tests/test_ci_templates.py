"""The CI files `hubgen init` writes work as written (issue 16).

A hub made by `hubgen init` becomes a Git repository; a clean clone of it runs
the GitHub workflow's own `run:` steps in order, and the GitLab `pages` job's
script, in a fresh virtual environment whose hubgen comes from a local clone of
this repository, through the hub's own `requirements.txt`. `uses:` steps
(checkout, setup-python, cache, Pages upload and deploy) are GitHub's actions,
not shell: the clone stands in for checkout, the venv for setup-python, and the
site folder the upload step would publish is checked instead.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from hubgen.cli import EXIT_OK, main
from hubgen.scaffold.install import requirement
from tests.conftest import ROOT

BROKEN = "content/projects/churn-early-warning/project.yml"


def sh(cmd: list[str], cwd: Path, env: dict[str, str] | None = None, timeout: int = 900) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False)


def git(*args: str, cwd: Path) -> None:
    done = sh(["git", "-c", "user.name=Test", "-c", "user.email=test@example.com", *args], cwd)
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module")
def ci(tmp_path_factory) -> dict[str, Path]:
    """A hub repository (its requirements naming a clone of this repository) and a fresh venv."""
    base = tmp_path_factory.mktemp("ci")
    source = base / "hubgen-src"
    git("clone", "-q", "--no-local", str(ROOT), str(source), cwd=base)  # HEAD: what is committed
    origin = base / "hub-origin"
    assert main(["init", str(origin), "--name", "CI hub"]) == EXIT_OK
    pinned = requirement({"url": source.as_uri(), "dir_info": {}})  # as a non-editable install of the clone reads
    requirements = origin / "requirements.txt"
    requirements.write_text(requirements.read_text().replace(requirement(), pinned))
    assert pinned in requirements.read_text().splitlines()
    git("init", "-q", "-b", "main", cwd=origin)
    git("add", ".", cwd=origin)
    git("commit", "-q", "-m", "Start the hub", cwd=origin)
    git("checkout", "-q", "-b", "broken", cwd=origin)
    (origin / BROKEN).write_text((origin / BROKEN).read_text().replace("status: active", "status: shipped"))
    assert "status: shipped" in (origin / BROKEN).read_text()
    git("commit", "-q", "-am", "A bad status", cwd=origin)
    git("checkout", "-q", "main", cwd=origin)
    venv = base / "venv"
    done = sh([sys.executable, "-m", "venv", str(venv)], base)
    assert done.returncode == 0, done.stderr
    return {"base": base, "origin": origin, "venv": venv}


def clone(ci: dict[str, Path], name: str, branch: str = "main") -> Path:
    target = ci["base"] / name
    git("clone", "-q", "--branch", branch, str(ci["origin"]), str(target), cwd=ci["base"])
    return target


def environ(ci: dict[str, Path], workspace: Path, **extra: str) -> dict[str, str]:
    """A CI runner's environment: the venv first on PATH, nothing of this test's Python."""
    keep = {
        k: v
        for k, v in os.environ.items()
        if k in ("HOME", "LANG", "TMPDIR", "PIP_INDEX_URL", "PIP_FIND_LINKS", "PIP_CONFIG_FILE", "XDG_CACHE_HOME")
    }
    return {
        **keep,
        "PATH": f"{ci['venv'] / 'bin'}:/usr/bin:/bin",
        "VIRTUAL_ENV": str(ci["venv"]),
        "GITHUB_WORKSPACE": str(workspace),
        "CI": "true",
        **extra,
    }


def github_steps(hub: Path, job: str) -> list[str]:
    workflow = yaml.safe_load((hub / ".github/workflows/hub.yml").read_text())
    return [step["run"] for step in workflow["jobs"][job]["steps"] if "run" in step]


def run_steps(steps: list[str], cwd: Path, env: dict[str, str]) -> list[subprocess.CompletedProcess]:
    """Each step in its own `bash -e` (as GitHub runs `run:`), stopping at the first that fails."""
    done = []
    for step in steps:
        done.append(sh(["bash", "-e", "-c", step], cwd, env))
        if done[-1].returncode != 0:
            break
    return done


def test_github_build_job_checks_and_writes_the_site(ci):
    hub = clone(ci, "gh-build")
    steps = github_steps(hub, "build")
    assert steps[0] == "pip install -r requirements.txt"
    done = run_steps(steps, hub, environ(ci, hub))
    assert [d.returncode for d in done] == [0] * len(steps), done[-1].stdout + done[-1].stderr
    assert (hub / "site/index.html").exists() and (hub / "site/projects/churn-early-warning/index.html").exists()
    assert "::error" not in done[1].stdout


def test_github_check_job_annotates_a_broken_record_and_fails(ci):
    hub = clone(ci, "gh-check", branch="broken")
    done = run_steps(github_steps(hub, "check"), hub, environ(ci, hub))
    assert done[0].returncode == 0, done[0].stderr
    assert done[-1].returncode == 1
    assert re.search(rf"^::error file={re.escape(BROKEN)},line=\d+,title=hubgen::", done[-1].stdout, re.MULTILINE), (
        done[-1].stdout
    )


def test_gitlab_pages_job_publishes_public(ci):
    hub = clone(ci, "gitlab")
    config = yaml.safe_load((hub / ".gitlab-ci.yml").read_text())
    exports = [f'export {k}="{v}"' for k, v in config.get("variables", {}).items()]
    script = "\n".join([*exports, *config["default"]["before_script"], *config["pages"]["script"]])
    env = environ(ci, hub, CI_PROJECT_DIR=str(hub), PIP_CACHE_DIR="")
    env.pop("PIP_CACHE_DIR")  # the job sets it from its variables
    done = sh(["bash", "-e", "-o", "pipefail", "-c", script], hub, env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert config["pages"]["artifacts"]["paths"] == ["public"]
    assert (hub / "public/index.html").exists()
    # each page, style sheet and script also compressed beside itself, for GitLab Pages to send
    import gzip

    for name in ("index.html", "assets/hubgen/search-assist.js", "assets/hubgen/hubgen.css"):
        assert gzip.decompress((hub / f"public/{name}.gz").read_bytes()) == (hub / f"public/{name}").read_bytes()


def test_requirements_alone_build_with_plain_mkdocs(ci):
    hub = clone(ci, "plain")
    env = environ(ci, hub)
    done = sh(["bash", "-e", "-c", "pip install -r requirements.txt && mkdocs build"], hub, env)
    assert done.returncode == 0, done.stdout + done.stderr
    page = (hub / "site/projects/churn-early-warning/index.html").read_text()
    assert '<pre class="mermaid">' in page and "<code>mermaid" not in page
