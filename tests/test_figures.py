"""One number, one meaning: every shared figure is the same on every page, in the CLI and in the export.

Each figure shown on the home, portfolio and reuse pages carries `data-figure`
(its key in `hubgen.analysis.figures`) and `data-value`; the test reads them
from the built HTML and compares them with `api/hub.json` and
`hubgen stats --json`, for the example hub and for a generated one.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from hubgen.cli import main
from tests.conftest import BUILD_EPOCH, ROOT

PAGES = ("index.html", "portfolio/index.html", "reuse/index.html")


class _Figures(HTMLParser):
    """(key, data-value, shown text, label after it) of every element with data-figure."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[dict[str, str]] = []
        self._open: dict[str, str] | None = None
        self._label: dict[str, str] | None = None
        self._in_label = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if "data-figure" in a:
            self._open = {"key": a["data-figure"] or "", "value": a.get("data-value") or "", "text": "", "label": ""}
        elif a.get("class") == "hub-card-label" and self._label is not None:
            self._in_label = True

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._open["text"] += data
        elif self._in_label and self._label is not None:
            self._label["label"] += data

    def handle_endtag(self, tag: str) -> None:
        if self._open is not None and tag == "span":
            self.found.append(self._open)
            self._label, self._open = self._open, None
        elif self._in_label:
            self._in_label, self._label = False, None


def page_figures(site: Path, page: str) -> list[dict[str, str]]:
    parser = _Figures()
    parser.feed((site / page).read_text(encoding="utf-8"))
    return parser.found


def stats_json(repo: Path, capsys: pytest.CaptureFixture[str]) -> dict:
    capsys.readouterr()
    assert main(["stats", "--repo", str(repo), "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def assert_figures_agree(site: Path, stats: dict) -> None:
    export = json.loads((site / "api/hub.json").read_text(encoding="utf-8"))["portfolio"]
    assert export["figures"] == stats["figures"]
    assert export["by_status"] == stats["by_status"] and export["by_stage"] == stats["by_stage"]
    figures = export["figures"]
    seen: set[str] = set()
    for page in PAGES:
        shown = page_figures(site, page)
        assert shown, f"{page} shows no shared figure"
        for f in shown:
            expected = figures[f["key"]]
            where = f"{page}: {f['key']}"
            assert f["text"] == expected["text"], where
            if f["value"]:
                assert float(f["value"]) == expected["value"], where
            if f["label"]:  # a card: the words are the figure's own
                assert f["label"] == expected["label"], where
            seen.add(f["key"])
    # the figures the issue found disagreeing are each shown, and each once defined
    assert {"delivered", "reused_assets", "assets_in_use", "in_flight", "hit_rate", "null_results"} <= seen
    assert sum(export["by_status"].values()) == figures["projects"]["value"]
    assert export["by_status"]["active"] == figures["in_flight"]["value"]
    assert export["by_status"]["delivered"] + export["by_status"]["retired"] == figures["delivered"]["value"]
    assert sum(v for k, v in export["by_stage"].items() if k != "backlog") == figures["in_flight"]["value"]
    # the headline keeps its keys, from the same figures
    assert export["delivered"] == figures["delivered"]["value"]
    assert export["reused_assets"] == figures["reused_assets"]["value"]


def test_example_hub_figures_agree_across_pages_cli_and_export(example_site: Path, capsys, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", BUILD_EPOCH)
    assert_figures_agree(example_site, stats_json(ROOT, capsys))


def test_generated_hub_figures_agree_across_pages_cli_and_export(tmp_path: Path, capsys, monkeypatch):
    from benchmarks.generate_hub import generate

    monkeypatch.setenv("SOURCE_DATE_EPOCH", BUILD_EPOCH)
    generate(tmp_path / "hub", 40, seed=3)
    site = tmp_path / "site"
    assert main(["build", "--repo", str(tmp_path / "hub"), "--site-dir", str(site)]) == 0
    assert_figures_agree(site, stats_json(tmp_path / "hub", capsys))


def test_retired_projects_count_as_delivered_everywhere_on_the_home_page(example_site: Path):
    home = (example_site / "index.html").read_text(encoding="utf-8")
    delivered = {f["value"] for f in page_figures(example_site, "index.html") if f["key"] == "delivered"}
    assert len(delivered) == 1
    hit = re.search(r"(\d+) of (\d+) finished projects delivered", home)
    assert hit and hit.group(1) == delivered.pop()
