"""A new team's hub works out of the box (issue 16): config merging, the hubgen requirement, the minimal hub."""

from __future__ import annotations

import pytest
import yaml

from hubgen import __version__, engine
from hubgen.cli import EXIT_OK, EXIT_PROBLEMS, main
from hubgen.scaffold.install import requirement

FENCE = "pymdownx.superfences"


def test_required_extensions_are_added_and_the_users_settings_win():
    own_fence = {"name": "math", "class": "arithmatex", "format": "fmt"}
    names, settings = engine.merged_extensions(
        ["toc", "footnotes", FENCE], {"toc": {"permalink": "#"}, FENCE: {"custom_fences": [own_fence]}}, "mermaid-fmt"
    )
    assert names[:3] == ["toc", "footnotes", FENCE]
    assert {"admonition", "attr_list", "tables"} <= set(names)
    assert settings["toc"] == {"permalink": "#"}  # not hubgen's True
    assert settings[FENCE]["custom_fences"] == [
        own_fence,
        {"name": "mermaid", "class": "mermaid", "format": "mermaid-fmt"},
    ]
    mine = {"name": "mermaid", "class": "my-mermaid", "format": "theirs"}
    _, settings = engine.merged_extensions([FENCE], {FENCE: {"custom_fences": [mine]}}, "mermaid-fmt")
    assert settings[FENCE]["custom_fences"] == [mine]  # their own Mermaid fence is left alone


def test_the_plugin_free_config_gets_the_same():
    text = engine.standalone_config("site_name: X\nmarkdown_extensions:\n  - toc:\n      permalink: false\n", [])
    assert "!!python/name:pymdownx.superfences.fence_code_format" in text
    config = engine.read_config(text)
    by_name = {next(iter(e)) if isinstance(e, dict) else e: e for e in config["markdown_extensions"]}
    assert by_name["toc"] == {"toc": {"permalink": False}}
    assert by_name[FENCE][FENCE]["custom_fences"][0]["name"] == "mermaid"
    assert config["theme"]["name"] == "material" and engine.EXTRA_CSS[0] in config["extra_css"]


@pytest.mark.parametrize(
    "direct_url, expected",
    [
        (
            {"url": "https://git.example.com/org/hubgen.git", "vcs_info": {"vcs": "git", "commit_id": "abc123"}},
            "hubgen @ git+https://git.example.com/org/hubgen.git@abc123",
        ),
        ({"url": "file:///src/hubgen", "dir_info": {"editable": True}}, "hubgen @ file:///src/hubgen"),
        ({"url": "file:///src/hubgen", "dir_info": {}}, "hubgen @ file:///src/hubgen"),
        (
            {"url": "https://files.example.com/hubgen-0.1.0.tar.gz", "archive_info": {}},
            "hubgen @ https://files.example.com/hubgen-0.1.0.tar.gz",
        ),
        ({}, f"hubgen=={__version__}"),
    ],
)
def test_requirement_follows_how_hubgen_was_installed(direct_url, expected):
    assert requirement(direct_url) == expected


def test_init_requirements_name_the_running_hubgen(tmp_path):
    assert main(["init", str(tmp_path / "hub")]) == EXIT_OK
    lines = [
        line
        for line in (tmp_path / "hub/requirements.txt").read_text().splitlines()
        if line and not line.startswith("#")
    ]
    assert lines == [requirement()]
    ci = yaml.safe_load((tmp_path / "hub/.gitlab-ci.yml").read_text())
    assert ci["default"]["before_script"] == ["pip install -r requirements.txt"]


def test_the_contracts_minimal_hub_builds_and_checks_clean(tmp_path):
    """content/ and an mkdocs.yml enabling the plugin, nothing else (no docs/, no theme)."""
    assert main(["init", str(tmp_path / "init")]) == EXIT_OK
    hub = tmp_path / "hub"
    hub.mkdir()
    (tmp_path / "init/content").rename(hub / "content")
    (hub / "mkdocs.yml").write_text("site_name: Minimal\nplugins:\n  - hubgen\n")
    assert main(["check", "--strict", "--repo", str(hub)]) == EXIT_OK
    assert main(["build", "--repo", str(hub)]) == EXIT_OK
    assert not (hub / "docs").exists()
    page = (hub / "site/projects/churn-early-warning/index.html").read_text()
    assert '<pre class="mermaid">' in page and "assets/javascripts/bundle." in page  # Material, diagrams fenced


def test_strict_check_points_at_template_text(tmp_path, capsys):
    hub = tmp_path / "hub"
    assert main(["init", str(hub)]) == EXIT_OK
    assert main(["new", "project", "churn-v2", "--repo", str(hub)]) == EXIT_OK
    capsys.readouterr()
    assert main(["check", "--repo", str(hub)]) == EXIT_OK
    assert main(["check", "--strict", "--format", "github", "--repo", str(hub)]) == EXIT_PROBLEMS
    out = capsys.readouterr().out
    assert "::warning file=content/projects/churn-v2/project.yml,line=7,title=hubgen::" in out
