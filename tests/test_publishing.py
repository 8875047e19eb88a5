"""The publishing workflow: start a hub, write records from templates, check in CI, build safely and reproducibly."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import hubgen.render.pages
from hubgen.cli import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, main
from hubgen.pipeline import check
from hubgen.schema.reference import SCHEMA_GLOBS
from tests.conftest import BUILD_EPOCH, ROOT, in_ci

EXPECTED_INIT_FILES = {
    "mkdocs.yml",
    "README.md",
    "requirements.txt",
    ".gitignore",
    ".pre-commit-config.yaml",
    ".github/workflows/hub.yml",
    ".github/dependabot.yml",
    ".vscode/settings.json",
    "docs/about.md",
    "content/hub.yml",
    "content/people/sam-rivera.yml",
    "content/projects/churn-early-warning/project.yml",
    "content/projects/churn-early-warning/lineage.yml",
    "content/projects/churn-early-warning/null-results/complaint-text-features.md",
    "content/projects/churn-early-warning/discussions/prediction-window.md",
    "content/assets/dataset/crm-customers.yml",
    ".gitlab-ci.yml",
    *(f"schemas/{k}.json" for k in ("project", "null-result", "discussion", "person", "asset", "lineage", "hub")),
}


def run(*args: str, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "hubgen", *args], capture_output=True, text=True, cwd=cwd, timeout=300, env=env
    )


@pytest.fixture(scope="module")
def built_init(tmp_path_factory) -> tuple[Path, Path]:
    """`hubgen init` into an empty folder, then `hubgen build`: (hub, site)."""
    hub = tmp_path_factory.mktemp("init") / "our-hub"
    assert main(["init", str(hub)]) == EXIT_OK
    assert main(["build", "--repo", str(hub)]) == EXIT_OK
    return hub, hub / "site"


@pytest.fixture
def fresh_hub(tmp_path) -> Path:
    hub = tmp_path / "hub"
    assert main(["init", str(hub), "--name", "Test hub"]) == EXIT_OK
    return hub


# ── hubgen init ─────────────────────────────────────────────────────────────


def test_init_gives_a_hub_that_builds_and_checks_clean(built_init):
    hub, site = built_init
    written = {
        p.relative_to(hub).as_posix()
        for p in hub.rglob("*")
        if p.is_file() and not p.relative_to(hub).as_posix().startswith(("site/", ".hubgen-cache/"))
    }
    assert written >= EXPECTED_INIT_FILES
    result = run("check", "--strict", "--repo", str(hub))
    assert result.returncode == EXIT_OK, result.stdout + result.stderr
    assert "0 error(s), 0 warning(s)" in result.stderr
    for page in (
        "index.html",
        "projects/churn-early-warning/index.html",
        "contribute/index.html",
        "whats-new/index.html",
        "health/index.html",
        "feed.xml",
    ):
        assert (site / page).exists(), page
    assert "Our hub" in (site / "index.html").read_text()


def test_init_config_files(built_init):
    hub, _ = built_init
    config = yaml.safe_load((hub / "mkdocs.yml").read_text())
    assert "hubgen" in config["plugins"] and config["theme"] == {**config["theme"], "name": "material", "font": False}
    ignored = (hub / ".gitignore").read_text().split()
    assert "site/" in ignored and ".hubgen-cache/" in ignored
    hooks = yaml.safe_load((hub / ".pre-commit-config.yaml").read_text())["repos"]
    hook = hooks[0]["hooks"][0]
    assert hooks[0]["repo"] == "local" and hook["entry"] == "hubgen check --strict" and hook["pass_filenames"] is False
    settings = json.loads((hub / ".vscode/settings.json").read_text())["yaml.schemas"]
    for schema_path, globs in settings.items():
        assert (hub / schema_path).exists(), schema_path
        for pattern in globs:
            assert list(hub.glob(pattern)), f"{pattern} matches no file of the new hub"
    assert set(settings) == {f"./schemas/{k}.json" for k in SCHEMA_GLOBS}


def test_init_refuses_a_non_empty_folder(tmp_path):
    target = tmp_path / "taken"
    target.mkdir()
    (target / "notes.txt").write_text("mine")
    result = run("init", str(target))
    assert result.returncode == EXIT_USAGE
    assert "not empty" in result.stderr and "notes.txt" in result.stderr
    assert sorted(p.name for p in target.iterdir()) == ["notes.txt"]
    (target / "notes.txt").unlink()
    (target / ".git").mkdir()  # just after `git init` counts as empty
    assert run("init", str(target)).returncode == EXIT_OK
    assert (target / "mkdocs.yml").exists()


def test_workflow_checks_pull_requests_and_publishes_the_default_branch(built_init):
    hub, _ = built_init
    workflow = yaml.safe_load((hub / ".github/workflows/hub.yml").read_text())
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert "pull_request" in triggers and triggers["push"]["branches"] == ["main"]
    jobs = workflow["jobs"]
    assert set(jobs) == {"check", "build", "deploy"}
    check_steps = [s.get("run", "") for s in jobs["check"]["steps"]]
    assert 'hubgen check --strict --format github --changed-since "$BASE_SHA"' in check_steps
    step = next(s for s in jobs["check"]["steps"] if "--changed-since" in s.get("run", ""))
    assert step["env"]["BASE_SHA"] == "${{ github.event.pull_request.base.sha }}"  # the pull request's base
    assert jobs["check"]["if"] == "github.event_name == 'pull_request'"
    assert jobs["build"]["if"] == "github.event_name != 'pull_request'"
    build_steps = jobs["build"]["steps"]
    assert any("hubgen build" in s.get("run", "") and "SOURCE_DATE_EPOCH" in s.get("run", "") for s in build_steps)
    uses = [s.get("uses", "") for s in build_steps]
    assert any(u.startswith("actions/upload-pages-artifact@") for u in uses)
    assert any(s.get("with", {}).get("path") == ".hubgen-cache" for s in build_steps if "cache" in s.get("uses", ""))
    assert all(
        s.get("with", {}).get("cache") == "pip"
        for s in build_steps + jobs["check"]["steps"]
        if s.get("uses", "").startswith("actions/setup-python")
    )
    assert jobs["deploy"]["needs"] == "build"
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert jobs["deploy"]["steps"][0]["uses"].startswith("actions/deploy-pages@")


# ── hubgen new ──────────────────────────────────────────────────────────────


def test_the_documented_cache_steps_are_the_ones_init_writes(built_init):
    """docs/publishing.md shows the CI cache steps; they must be what a new hub gets, and the GitHub key must
    change with everything a page is built from (else an exact hit keeps an old cache that is never refreshed)."""
    import re

    hub, _ = built_init
    text = (ROOT / "docs/publishing.md").read_text()
    blocks = [yaml.safe_load(b) for b in re.findall(r"```yaml\n(.*?)```", text, re.DOTALL)]
    workflow = yaml.safe_load((hub / ".github/workflows/hub.yml").read_text())
    step = next(s for s in workflow["jobs"]["build"]["steps"] if s.get("uses", "").startswith("actions/cache@"))
    assert [step] in blocks
    for source in ("requirements.txt", "mkdocs.yml", "content/**", "docs/**", "theme/**"):
        assert f"'{source}'" in step["with"]["key"]
    gitlab = yaml.safe_load((hub / ".gitlab-ci.yml").read_text())
    assert {"cache": gitlab["default"]["cache"]} in blocks


def test_every_new_record_passes_check_and_strict_names_its_placeholders(fresh_hub):
    made = []
    for args in (
        ["person", "jo-bloggs", "--title", "Jo Bloggs"],
        ["project", "churn-v2", "--by", "jo-bloggs"],
        ["null-result", "wider-window", "--project", "churn-v2", "--by", "jo-bloggs"],
        ["null-result", "survey-signal", "--by", "sam-rivera"],
        ["discussion", "which-features", "--project", "churn-v2", "--by", "jo-bloggs"],
    ):
        result = run("new", *args, "--repo", str(fresh_hub))
        assert result.returncode == EXIT_OK, result.stderr
        made.append(result.stdout.split()[0])
    assert made == [
        "content/people/jo-bloggs.yml",
        "content/projects/churn-v2/project.yml",
        "content/projects/churn-v2/null-results/wider-window.md",
        "content/null-results/survey-signal.md",
        "content/projects/churn-v2/discussions/which-features.md",
    ]
    result = run("check", "--repo", str(fresh_hub))
    assert result.returncode == EXIT_OK, result.stdout
    # The template's TODO: text passes a plain check but not --strict (issue 16), each on its own line.
    result = run("check", "--strict", "--repo", str(fresh_hub))
    assert result.returncode == EXIT_PROBLEMS
    flagged = {line.split(":")[0] for line in result.stdout.splitlines() if "TODO:" in line}
    assert flagged == set(made[1:])
    for line in result.stdout.splitlines():
        path, number = line.split(":")[:2]
        assert "TODO:" in (fresh_hub / path).read_text().splitlines()[int(number) - 1]
    hub = check(fresh_hub)
    project = hub.projects["churn-v2"]
    assert project.leads == ("jo-bloggs",) and project.status == "active" and project.stage == "ideation"
    assert hub.null_results["survey-signal"].project is None
    assert hub.null_results["wider-window"].project == "churn-v2"
    assert hub.discussions["churn-v2/which-features"].messages[0].author == "jo-bloggs"
    assert hub.people["jo-bloggs"].name == "Jo Bloggs"


def test_new_project_template_carries_the_requirements_sections(fresh_hub):
    assert main(["new", "project", "pricing-test", "--repo", str(fresh_hub)]) == EXIT_OK  # the only person leads
    path = fresh_hub / "content/projects/pricing-test/project.yml"
    text = path.read_text()
    for section in (
        "problem",
        "objective",
        "kpis",
        "roi",
        "data_sources",
        "risks",
        "stakeholders",
        "prior_art",
        "timeline",
    ):
        assert f"\n{section}:" in text, section
    first = text.splitlines()[0]
    assert first == "# yaml-language-server: $schema=../../../schemas/project.json"
    assert (path.parent / "../../../schemas/project.json").resolve().exists()
    for record in ("null-result", "discussion"):
        assert main(["new", record, f"a-{record}", "--project", "pricing-test", "--repo", str(fresh_hub)]) == EXIT_OK
    md = fresh_hub / "content/projects/pricing-test/discussions/a-discussion.md"
    modeline = md.read_text().splitlines()[1]
    assert (md.parent / modeline.split("$schema=")[1]).resolve() == (fresh_hub / "schemas/discussion.json").resolve()


def test_new_refuses_to_overwrite(fresh_hub):
    path = fresh_hub / "content/projects/churn-early-warning/project.yml"
    before = path.read_bytes()
    result = run("new", "project", "churn-early-warning", "--repo", str(fresh_hub))
    assert result.returncode == EXIT_PROBLEMS
    assert "already exists" in result.stderr and "not overwritten" in result.stderr
    assert path.read_bytes() == before
    # null-result ids are unique across the hub, wherever the other one lives
    result = run("new", "null-result", "complaint-text-features", "--repo", str(fresh_hub))
    assert result.returncode == EXIT_PROBLEMS
    assert "content/projects/churn-early-warning/null-results/complaint-text-features.md" in result.stderr
    assert not (fresh_hub / "content/null-results").exists()


@pytest.mark.parametrize(
    "args, message",
    [
        (["project", "Churn_Model"], "not a valid id"),
        (["discussion", "when-to-retrain"], "pass --project"),
        (["discussion", "when-to-retrain", "--project", "nope"], "no content/projects/nope/project.yml"),
        (["null-result", "x", "--project", "nope"], "no content/projects/nope/project.yml"),
        (["project", "x", "--by", "nobody"], "no content/people/nobody.yml"),
        (["person", "x", "--project", "churn-early-warning"], "--project applies to"),
    ],
)
def test_new_usage_errors(fresh_hub, args, message):
    before = sorted(p for p in fresh_hub.rglob("*"))
    result = run("new", *args, "--repo", str(fresh_hub))
    assert result.returncode == EXIT_USAGE
    assert message in result.stderr
    assert sorted(p for p in fresh_hub.rglob("*")) == before


def test_new_needs_to_know_who_writes_when_there_are_several_people(fresh_hub):
    assert main(["new", "person", "jo", "--repo", str(fresh_hub)]) == EXIT_OK
    env = {**os.environ, "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1"}
    result = run("new", "project", "x", "--repo", str(fresh_hub), env=env)
    assert result.returncode == EXIT_USAGE and "--by" in result.stderr


# ── hubgen check --format github ────────────────────────────────────────────


def test_check_github_annotations_point_at_the_lines(make_hub, tmp_path):
    make_hub(
        **{
            "content/projects/churn/project.yml": "title: Churn\nsummary: S\nstatus: wip\ntags: nlp\npeople:\n  - {person: ana, role: lead}\n"
        }
    )
    result = run("check", "--strict", "--format", "github", "--repo", "hub", cwd=tmp_path)
    assert result.returncode == EXIT_PROBLEMS
    lines = result.stdout.splitlines()
    assert any(
        line.startswith("::error file=hub/content/projects/churn/project.yml,line=3,title=hubgen::'status' is 'wip'")
        and "(use one of: backlog" in line
        for line in lines
    ), lines
    assert any(line.startswith("::warning file=hub/content/projects/churn/project.yml,line=4,") for line in lines)
    assert lines[-1].startswith("::error title=hubgen check::") and "warnings fail the check too" in lines[-1]
    assert all(line.startswith("::") for line in lines)


# ── builds ──────────────────────────────────────────────────────────────────


def test_same_commit_builds_byte_identical_sites(example_site, tmp_path):
    """A second build of the example, from another checkout path with another hash seed: the same bytes."""
    checkout = tmp_path / "elsewhere" / "checkout"
    checkout.mkdir(parents=True)
    for name in ("content", "docs", "mkdocs.yml"):
        subprocess.run(["cp", "-r", str(ROOT / name), str(checkout / name)], check=True)
    env = {**os.environ, "SOURCE_DATE_EPOCH": BUILD_EPOCH, "PYTHONHASHSEED": "12345"}
    result = run("build", "--repo", str(checkout), "--site-dir", str(tmp_path / "again"), env=env)
    assert result.returncode == 0, result.stderr[-2000:]
    a, b = example_site, tmp_path / "again"
    files_a = sorted(p.relative_to(a).as_posix() for p in a.rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(b).as_posix() for p in b.rglob("*") if p.is_file())
    assert files_a == files_b
    differ = [rel for rel in files_a if (a / rel).read_bytes() != (b / rel).read_bytes()]
    assert differ == []
    assert len(files_a) > 150 and "feed.xml" in files_a and "sitemap.xml.gz" in files_a
    gz_mtime = int.from_bytes((a / "sitemap.xml.gz").read_bytes()[4:8], "little")
    assert gz_mtime == int(BUILD_EPOCH), "sitemap.xml.gz is stamped with SOURCE_DATE_EPOCH, not the clock"


def test_interrupted_build_keeps_the_old_site(make_hub, tmp_path, monkeypatch):
    root = make_hub()
    site = tmp_path / "out"
    assert main(["build", "--repo", str(root), "--site-dir", str(site)]) == EXIT_OK
    before = {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    (root / "content/projects/churn/project.yml").write_text(
        (root / "content/projects/churn/project.yml").read_text().replace("Churn model", "Churn model v2")
    )

    def crash(self):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(hubgen.render.pages.Renderer, "render_publishing", crash)
    with pytest.raises(RuntimeError, match="disk on fire"):
        main(["build", "--repo", str(root), "--site-dir", str(site)])

    def interrupt(self):
        raise KeyboardInterrupt

    monkeypatch.setattr(hubgen.render.pages.Renderer, "render_publishing", interrupt)
    assert main(["build", "--repo", str(root), "--site-dir", str(site)]) == 130

    after = {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert after == before, "the previous site must stay as it was"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hub", "out"], "no staging folder left behind"


def test_generated_tree_builds_with_mkdocs_and_properdocs(built_init, tmp_path):
    hub, _ = built_init
    if not in_ci():
        pytest.importorskip("properdocs")
    tree = tmp_path / "tree"
    assert main(["generate", str(tree), "--repo", str(hub)]) == EXIT_OK
    procs = {
        engine: subprocess.Popen(
            [sys.executable, "-m", engine, "build", "-f", str(tree / "mkdocs.yml"), "-d", str(tmp_path / engine)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for engine in ("mkdocs", "properdocs")
    }
    for engine, proc in procs.items():
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, f"{engine}: {err.decode()[-2000:]}"
        out = tmp_path / engine
        for page in (
            "index.html",
            "projects/churn-early-warning/index.html",
            "contribute/index.html",
            "health/index.html",
            "whats-new/index.html",
            "feed.xml",
            "assets/hubgen/hubgen.css",
        ):
            assert (out / page).exists(), f"{engine}: no {page}"
        home = (out / "index.html").read_text()
        assert 'type="application/atom+xml"' in home, f"{engine}: no feed link"
        assert "Churn early warning" in (out / "projects/churn-early-warning/index.html").read_text()


def test_gitlab_example_in_the_docs_is_valid_ci_yaml():
    text = (ROOT / "docs/publishing.md").read_text()
    block = text.split("# .gitlab-ci.yml\n", 1)[1].split("```", 1)[0]
    ci = yaml.safe_load(block)
    assert ci["pages"]["artifacts"]["paths"] == ["public"]
    assert any("hubgen build" in line and "--site-dir public" in line for line in ci["pages"]["script"])
    assert ci["check"]["rules"][0]["if"] == '$CI_PIPELINE_SOURCE == "merge_request_event"'
    assert ".hubgen-cache/" in ci["default"]["cache"]["paths"]
    # the page shows what `hubgen init` writes
    assert ci == yaml.safe_load((ROOT / "hubgen/scaffold/hub/dot-gitlab-ci.yml").read_text())


def test_new_commands_have_help():
    for command in ("init", "new", "schema"):
        result = run(command, "--help")
        assert result.returncode == 0 and "usage: hubgen " + command in result.stdout


def test_schema_command_prints_or_writes(tmp_path):
    result = run("schema", "person")
    assert result.returncode == EXIT_OK
    assert json.loads(result.stdout)["required"] == ["name"]
    assert run("schema", "--out", str(tmp_path / "s")).returncode == EXIT_OK
    assert sorted(p.name for p in (tmp_path / "s").iterdir()) == sorted(
        p.name for p in (ROOT / "hubgen/schemas").iterdir()
    )
