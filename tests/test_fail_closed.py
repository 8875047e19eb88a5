"""Issue 15: fail closed. No record above its audience, no markup from metadata,
no single input that costs the whole site, safe builds on a shared machine.

Each test builds a small hub the way a user does (`hubgen build` / `check`) and
asserts what a reader of the site, the export or the terminal would see.
"""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
import threading
from html.parser import HTMLParser
from pathlib import Path

import pytest

from hubgen.cli import main
from hubgen.pipeline import check
from tests.conftest import minimal_hub, project_yml, write_files

SECRET = "SECRET_MARKER_91d2"
NR = "---\ntitle: {title}\ndate: 2025-01-01\nauthors: [ana]\nhypothesis: h\noutcome: o\n{extra}---\nBody {title}\n"


def hub(tmp_path: Path, **files: str | bytes) -> Path:
    return write_files(tmp_path / "hub", minimal_hub(**files))


def build(root: Path, *args: str) -> tuple[int, Path]:
    site = root.parent / "site"
    return main(["build", "--repo", str(root), "--site-dir", str(site), *args]), site


def site_text(site: Path) -> str:
    """Every byte a reader or a script could get from the site, as text."""
    out = []
    for path in sorted(site.rglob("*")):
        if path.is_file():
            out.append(path.read_bytes().decode("utf-8", errors="replace"))
    return "\n".join(out)


def problems(root: Path) -> list[str]:
    return [str(p) for p in check(root).problems]


def secret_project(visibility_lines: str) -> dict[str, str]:
    return {
        "content/projects/secret/project.yml": (
            f"title: {SECRET} project\nsummary: {SECRET}\nstatus: delivered\n{visibility_lines}"
            "people:\n  - {person: ana, role: lead}\n"
        ),
        "content/projects/secret/README.md": f"# {SECRET} readme\n",
        "content/projects/secret/null-results/secret-nr.md": NR.format(title=SECRET, extra=""),
        "content/projects/secret/discussions/secret-d.md": (
            f"---\ntitle: {SECRET} thread\n---\n## @ana 2025-01-02\n{SECRET} message\n"
        ),
        "content/projects/secret/lineage.yml": f"produces:\n  - dataset:{SECRET.lower()}-table\n",
    }


# 1. Stored XSS through attr_list ---------------------------------------------------------------

ATTR = "{: tabindex=1 autofocus onfocus=window.__pwned=11 }"


class _Handlers(HTMLParser):
    """Collects every on* attribute in a page (an event handler the author did not write)."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found += [f"<{tag} {k}={v!r}>" for k, v in attrs if k.lower().startswith("on")]


ATTR_FILES = {
    "content/projects/churn/project.yml": (
        f"title: 'Churn *x*{ATTR}'\nsummary: 'S {ATTR}'\nstatus: delivered\n"
        f"tags: ['tag{ATTR}']\ndomains: ['dom{ATTR}']\ntools: ['tool{ATTR}']\n"
        f"stakeholders: ['st{ATTR}']\nprior_art: ['pa{ATTR}']\n"
        "people:\n  - {person: ana, role: lead}\n"
    ),
    "content/projects/churn/lineage.yml": "produces:\n  - dataset:churn-scores\n",
    "content/projects/other/project.yml": project_yml("Other", extra="tags: [x]\n") + "",
    "content/projects/other/lineage.yml": "consumes:\n  - dataset:churn-scores\n",
    "content/people/ana.yml": f"name: 'Ana {ATTR}'\nteam: risk\nskills: ['skill{ATTR}']\njoined: 2024-01-01\n",
}


def test_attr_list_syntax_in_metadata_never_becomes_an_attribute(tmp_path: Path):
    root = hub(tmp_path, **ATTR_FILES)
    code, site = build(root)
    assert code == 0
    pages = list(site.rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        parser = _Handlers()
        parser.feed(page.read_text())
        assert parser.found == [], f"{page.relative_to(site)}: {parser.found}"
    # The text is still shown, as written.
    asset = (site / "assets/dataset/churn-scores/index.html").read_text()
    assert "tabindex=1 autofocus onfocus=window.__pwned=11" in asset


# 2. A visibility value written wrong fails closed ----------------------------------------------


@pytest.mark.parametrize(
    "value", ["confidental", "Confidential", "[confidential]", '"confidential "', "3", "{level: public}", "''"]
)
def test_unreadable_visibility_is_confidential(tmp_path: Path, value: str):
    root = hub(tmp_path, **secret_project(f"visibility: {value}\n"))
    shown = problems(root)
    assert any("project.yml:4:" in s and "'visibility'" in s and "treated as confidential" in s for s in shown), shown
    code, site = build(root)
    assert code == 0
    assert SECRET not in site_text(site)
    assert SECRET.lower() not in site_text(site)
    code, site = build(root, "--strict")
    assert code == 1


def test_unreadable_visibility_on_null_result_and_asset_is_confidential(tmp_path: Path):
    root = hub(
        tmp_path,
        **{
            "content/null-results/top.md": NR.format(title=SECRET, extra="visibility: secret\n"),
            "content/assets/dataset/hidden-table.yml": f"title: {SECRET}\nvisibility: Confidential\n",
            "content/projects/churn/lineage.yml": "consumes:\n  - dataset:hidden-table\n",
        },
    )
    code, site = build(root)
    assert code == 0
    assert SECRET not in site_text(site)
    assert "hidden-table" not in site_text(site)


# 3. Duplicate keys never widen an audience ------------------------------------------------------


def test_duplicate_visibility_key_takes_the_strictest_and_names_both_lines(tmp_path: Path):
    root = hub(tmp_path, **secret_project("visibility: public\nteam: x\nvisibility: confidential\n"))
    shown = problems(root)
    dup = [s for s in shown if "duplicate key 'visibility'" in s]
    assert dup and "project.yml:6:" in dup[0] and "line 4" in dup[0], shown
    assert "silently use only the last" not in dup[0]
    code, site = build(root, "--audience", "public")
    assert code == 0
    assert SECRET not in site_text(site)
    code, site = build(root, "--audience", "internal")
    assert SECRET not in site_text(site)


def test_duplicate_audience_in_hub_yml_never_widens(tmp_path: Path):
    root = hub(
        tmp_path,
        **secret_project("visibility: internal\n"),
        **{"content/hub.yml": "name: H\naudience: public\naudience: internal\n"},
    )
    shown = problems(root)
    assert any(s.startswith("content/hub.yml:3: duplicate key 'audience' (first at line 2)") for s in shown), shown
    code, site = build(root)
    assert code == 0
    assert SECRET not in site_text(site)  # the narrower of the two audiences


def test_duplicate_key_message_says_what_hubgen_does(tmp_path: Path):
    root = hub(
        tmp_path,
        **{"content/projects/churn/project.yml": "title: A\ntitle: B\n" + project_yml()[len("title: A project\n") :]},
    )
    shown = problems(root)
    dup = next(s for s in shown if "duplicate key 'title'" in s)
    assert "the first (line 1) is used" in dup, dup


# 4. DOM clobbering ---------------------------------------------------------------------------------


def test_body_ids_cannot_clobber_the_page_config(tmp_path: Path):
    clobber = (
        '<p id="__config">{"base":"http://127.0.0.1:8971/","search":"x"}</p>\n'
        '<form name="getElementById"></form><img name="cookie" src="x.png">\n\n## __search\n\n'
        "See [the section](#results).\n\n## Results\n"
    )
    root = hub(tmp_path, **{"content/projects/churn/README.md": clobber})
    code, site = build(root)
    assert code == 0
    page = (site / "projects/churn/index.html").read_text()
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert ids.count("__config") == 1  # the theme's own, not the author's
    assert "__search" not in [i for i in ids if i != "__search"] or ids.count("__search") <= 1
    assert 'name="getElementById"' not in page and 'name="cookie"' not in page
    # In-page links still work: the heading id and the link agree.
    target = re.search(r'href="#([^"]*results)"', page)
    assert target and f'id="{target.group(1)}"' in page


# 5. An invalid build audience is a usage error ---------------------------------------------------


@pytest.mark.parametrize("value", ["publik", "Public", "[public]", "''"])
def test_invalid_audience_in_hub_yml_is_a_usage_error(tmp_path: Path, value: str, capsys):
    root = hub(tmp_path, **{"content/hub.yml": f"name: H\naudience: {value}\n"})
    code, site = build(root)
    assert code == 2
    err = capsys.readouterr().err
    assert "content/hub.yml:2:" in err and "audience" in err
    assert not site.exists()
    assert any(s.startswith("content/hub.yml:2:") for s in problems(root))
    # An explicit --audience is a choice the user made: it builds, and check still reports hub.yml.
    code, site = build(root, "--audience", "public")
    assert code == 0


def test_unreadable_hub_yml_is_a_usage_error_for_a_default_audience(tmp_path: Path, capsys):
    root = hub(tmp_path, **{"content/hub.yml": "name: H\naudience: public\n  bad: [\n"})
    code, _ = build(root)
    assert code == 2
    assert "content/hub.yml" in capsys.readouterr().err


# 6. Records attached to a project that cannot be read --------------------------------------------


@pytest.mark.parametrize(
    "broken",
    [
        "title: T\nsummary: S\nstatus: secret\nvisibility: confidential\npeople:\n  - {person: ana, role: lead}\n",
        "title: T\nsummary: [oops\nvisibility: confidential\n",
        "title: T\nsummary: S\n\tstatus: delivered\nvisibility: confidential\n",
    ],
)
def test_null_result_of_an_unreadable_project_is_hidden(tmp_path: Path, broken: str):
    root = hub(
        tmp_path,
        **{
            "content/projects/secret/project.yml": broken,
            "content/null-results/leak.md": NR.format(title=SECRET, extra="project: secret\n"),
        },
    )
    shown = problems(root)
    assert any(s.startswith("content/null-results/leak.md:") and "treated as confidential" in s for s in shown), shown
    code, site = build(root)
    assert code == 0
    assert SECRET not in site_text(site)


# 7. The CLI search index sees inside symlinked project folders -----------------------------------


def test_search_index_refreshes_inside_symlinked_project_folder(tmp_path: Path, capsys):
    root = hub(tmp_path, **{"shared-projects/linked/project.yml": project_yml(f"{SECRET} linked")})
    os.symlink(root / "shared-projects/linked", root / "content/projects/linked")
    assert main(["search", "--repo", str(root), SECRET.lower()]) == 0
    assert "linked" in capsys.readouterr().out
    path = root / "shared-projects/linked/project.yml"
    path.write_text(path.read_text() + "visibility: confidential\n")
    assert main(["search", "--repo", str(root), SECRET.lower()]) == 1
    assert "linked" not in capsys.readouterr().out


# 8. No single input costs the whole site ----------------------------------------------------------


def test_long_names_binary_values_and_non_finite_numbers_build(tmp_path: Path):
    long_tag = "t" * 300
    root = hub(
        tmp_path,
        **{
            "content/projects/churn/project.yml": project_yml(
                extra=f"tags: [{long_tag}]\nx_blob: !!binary aGVsbG8=\nx_float: .nan\nx_inf: -.inf\n"
            ),
            "content/projects/churn/lineage.yml": f"produces:\n  - dataset:{'d' * 300}\n",
            "content/people/ana.yml": "name: Ana\nskills: [" + "s" * 300 + "]\n",
        },
    )
    code, site = build(root)
    assert code == 0
    for path in site.rglob("*"):
        assert len(path.name.encode()) <= 200, path.name
    text = (site / "api/hub.json").read_text()
    export = json.loads(text, parse_constant=lambda c: pytest.fail(f"{c} in api/hub.json"))
    project = next(p for p in export["projects"] if p["id"] == "churn")
    assert long_tag in json.dumps(project)
    assert "NaN" not in text and "Infinity" not in text
    shown = problems(root)
    assert any("x_blob" in s and "binary" in s for s in shown), shown
    assert any("x_float" in s and "not a finite number" in s for s in shown), shown


def test_pathological_markdown_renders_in_bounded_time(tmp_path: Path):
    """A body that makes Python-Markdown's link parser quadratic (minutes before the fix)."""
    from hubgen.render.markup import body_html

    done: list[str] = []
    bodies = [
        "[" * 20000 + "x" + "](" * 20000,
        "![" * 20000 + "x",
        "*" * 40000 + "x",
        "<" * 40000,
        "`" * 20000 + "x",
        "[x](" + "(" * 40000,
        "_" * 40000 + "x",
    ]

    def render() -> None:
        for body in bodies:
            done.append(str(body_html(body)))

    worker = threading.Thread(target=render, daemon=True)
    worker.start()
    worker.join(60)  # a hang guard, not a speed target: each of these took minutes before
    assert len(done) == len(bodies), f"body {len(done)} did not finish"
    assert "x" in done[0]


# 10. Mermaid from a CDN -----------------------------------------------------------------------------


def test_mermaid_class_in_a_body_loads_nothing_from_outside(tmp_path: Path):
    root = hub(
        tmp_path,
        **{
            "content/projects/churn/README.md": '<pre class="mermaid diagram">graph LR; a-->b</pre>\n<div class="mermaid">x</div>\n'
        },
    )
    code, site = build(root)
    assert code == 0
    page = (site / "projects/churn/index.html").read_text()
    # Either the author's class is gone, or the vendored Mermaid is on the page (Material then loads no CDN copy).
    assert 'class="mermaid' not in page.split("<article", 1)[1].split("</article>")[0] or "mermaid.min.js" in page


# 11, 12. Safe builds on a shared machine ---------------------------------------------------------------


def _build_process(root: Path, site: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "hubgen", "build", "--repo", str(root), "--site-dir", str(site)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_concurrent_builds_are_serialised_with_a_clear_message(tmp_path: Path):
    root = hub(tmp_path)
    site = tmp_path / "site"
    runs = [_build_process(root, site) for _ in range(3)]
    results = [(p.wait(300), p.stderr.read()) for p in runs]
    for code, err in results:
        assert "Traceback" not in err, err
        assert code == 0 or "another hubgen build" in err, err
    assert any(code == 0 for code, _ in results)
    assert (site / "index.html").exists()
    leftovers = [p.name for p in tmp_path.iterdir() if "building" in p.name or p.name.endswith("-old")]
    assert leftovers == []


def test_a_killed_build_leaves_nothing_that_the_next_build_does_not_clean(tmp_path: Path):
    root = hub(tmp_path)
    site = tmp_path / "site"
    proc = _build_process(root, site)
    for _ in range(600):  # wait until it is staging, then kill it hard
        if list((root / ".hubgen-cache").glob("staging/*")) or proc.poll() is not None:
            break
        threading.Event().wait(0.05)
    proc.kill()
    proc.wait()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # nothing beside the site
    code, _ = build(root)
    assert code == 0
    staging = root / ".hubgen-cache" / "staging"
    assert not staging.exists() or list(staging.iterdir()) == []
    assert ".hubgen-cache/" in (Path(__file__).parents[1] / ".gitignore").read_text()


def test_site_is_readable_as_the_umask_says(tmp_path: Path):
    root = hub(tmp_path)
    old = os.umask(0o022)
    try:
        code, site = build(root)
    finally:
        os.umask(old)
    assert code == 0
    assert stat.S_IMODE(site.stat().st_mode) == 0o755
    assert stat.S_IMODE((site / "index.html").stat().st_mode) == 0o644


# 13. Ids ending in a newline ---------------------------------------------------------------------------


def test_an_id_with_a_trailing_newline_is_not_valid(tmp_path: Path):
    root = hub(
        tmp_path,
        **{
            "content/projects/evil\n/project.yml": project_yml("Evil"),
            "content/null-results/nr\n.md": NR.format(title="Nr", extra=""),
        },
    )
    shown = problems(root)
    assert any(s.startswith("content/projects/evil\n") and "not a valid project id" in s for s in shown), shown
    assert any(s.startswith("content/null-results/nr\n.md") and "not a valid null result id" in s for s in shown), shown


# 15. Messages ------------------------------------------------------------------------------------------


def test_a_quoted_iso_date_is_a_date(tmp_path: Path):
    root = hub(tmp_path, **{"content/projects/churn/project.yml": project_yml(extra="started: '2024-04-12'\n")})
    assert not [s for s in problems(root) if "started" in s]
    assert build(root)[0] == 0
    site = root.parent / "site"
    assert "2024-04-12" in (site / "projects/churn/index.html").read_text()


def test_messages_for_infinite_kpis_empty_assets_and_late_nul(tmp_path: Path):
    root = hub(
        tmp_path,
        **{
            "content/projects/churn/project.yml": project_yml(extra="kpis:\n  - {name: auc, target: .inf}\n"),
            "content/assets/dataset/empty.yml": "",
            "content/projects/nul/project.yml": project_yml() + "\n" * 9000 + "x: \x00\n",
        },
    )
    shown = problems(root)
    kpi = next(s for s in shown if "kpis[0].target" in s)
    assert "not a number (inf)" not in kpi and "infinite" in kpi, kpi
    empty = next(s for s in shown if s.startswith("content/assets/dataset/empty.yml"))
    assert "fill in at least: " not in empty or not empty.endswith(": )"), empty
    assert "empty" in empty
    nul = next(s for s in shown if s.startswith("content/projects/nul/project.yml"))
    assert re.match(r"content/projects/nul/project.yml:\d+: ", nul) and ":9007:" in nul, nul


def test_hidden_project_folder_and_javascript_hub_url_are_reported(tmp_path: Path):
    root = hub(
        tmp_path,
        **{
            "content/projects/.draft/project.yml": project_yml("Draft"),
            "content/hub.yml": "name: H\nurl: 'javascript:alert(1)'\n",
        },
    )
    shown = problems(root)
    assert any(s.startswith("content/projects/.draft") and "not read" in s for s in shown), shown
    assert any(s.startswith("content/hub.yml:2:") and "url" in s for s in shown), shown
    code, site = build(root)
    assert code == 0
    assert "javascript:" not in (site / "feed.xml").read_text()


def test_terminal_output_strips_control_characters(tmp_path: Path):
    title = "Evil \x1b]0;pwned\x07\x1b[2J title"
    root = hub(
        tmp_path,
        **{
            "content/projects/churn/project.yml": project_yml(
                json.dumps(title), extra=json.dumps("x_\x1b[31mred") + ": 1\n"
            )
        },
    )
    for args in (["check", "--repo", str(root)], ["search", "--repo", str(root), "evil"]):
        out = subprocess.run(
            [sys.executable, "-m", "hubgen", *args], capture_output=True, text=True, timeout=120, check=False
        )
        assert "\x1b" not in out.stdout + out.stderr and "\x07" not in out.stdout + out.stderr, args


def test_nan_in_an_openlineage_facet_never_reaches_the_export_as_nan(tmp_path: Path):
    event = (
        '{"eventType": "COMPLETE", "eventTime": "2025-01-01T00:00:00Z", "run": {"runId": "r"},'
        ' "job": {"namespace": "ns", "name": "job1"}, "producer": "x",'
        ' "outputs": [{"namespace": "ns", "name": "t1", "facets": {"stats": {"rows": NaN, "max": Infinity}}}]}'
    )
    root = hub(tmp_path, **{"content/lineage/run.json": event})
    code, site = build(root)
    assert code == 0
    text = (site / "api/hub.json").read_text()
    json.loads(text, parse_constant=lambda c: pytest.fail(f"{c} in api/hub.json"))
