"""Incremental builds (issue 20): a build that reuses stored pages equals a clean build, byte for byte.

Each edit a user makes is applied to a generated hub whose page cache is warm; the
incremental build is compared, file by file, with a clean build of the same tree
in another folder (no cache). The cache must be used (pages reused) and must never
change a byte: a damaged or foreign cache is reported and ignored.
"""

from __future__ import annotations

import logging
import re
import shutil
from pathlib import Path

import pytest

from benchmarks.edits import EDITS
from benchmarks.generate_hub import generate as generate_hub
from hubgen.cli import main

N_PROJECTS = 8


def site_files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def differences(a: Path, b: Path) -> list[str]:
    left, right = site_files(a), site_files(b)
    found = [f"only in one build: {p}" for p in sorted(set(left) ^ set(right))]
    return found + [f"differs: {p}" for p in sorted(set(left) & set(right)) if left[p] != right[p]]


def build(hub: Path, site: Path, caplog: pytest.LogCaptureFixture) -> tuple[int, int]:
    """Build `hub` into `site`; (pages reused, pages rendered) as the page cache reported them."""
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="mkdocs.plugins.hubgen"):
        assert main(["build", "--repo", str(hub), "--site-dir", str(site)]) == 0
    counts = re.findall(r"page cache: (\d+) page\(s\) reused, (\d+) rendered", caplog.text)
    assert counts, caplog.text
    return int(counts[-1][0]), int(counts[-1][1])


def copy_hub(source: Path, target: Path, with_cache: bool) -> Path:
    ignore = shutil.ignore_patterns("site") if with_cache else shutil.ignore_patterns("site", ".hubgen-cache")
    shutil.copytree(source, target, ignore=ignore)
    return target


@pytest.fixture(scope="module")
def warm_hub(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated hub built once, so its page cache holds every page."""
    hub = tmp_path_factory.mktemp("warm") / "hub"
    generate_hub(hub, N_PROJECTS)
    assert main(["build", "--repo", str(hub), "--site-dir", str(hub / "site")]) == 0
    return hub


@pytest.mark.parametrize("edit", list(EDITS))
def test_an_incremental_build_equals_a_clean_build(edit: str, warm_hub: Path, tmp_path: Path, caplog):
    hub = copy_hub(warm_hub, tmp_path / "incremental", with_cache=True)
    page = EDITS[edit](hub)
    reused, rendered = build(hub, tmp_path / "site-incremental", caplog)
    clean = copy_hub(hub, tmp_path / "clean", with_cache=False)
    clean_reused, _ = build(clean, tmp_path / "site-clean", caplog)
    assert clean_reused == 0
    assert differences(tmp_path / "site-incremental", tmp_path / "site-clean") == []
    assert reused > 0 and rendered > 0, (reused, rendered)  # the cache was used, and the edit re-rendered
    if page.startswith("-"):
        assert not (tmp_path / "site-incremental" / page[1:]).exists(), page
        assert page.split("/")[1] not in (tmp_path / "site-incremental" / "projects/index.html").read_text()
    else:
        assert (tmp_path / "site-incremental" / page).exists(), page


def _damage_one_entry(hub: Path) -> None:
    entry = sorted(hub.glob(".hubgen-cache/pages/*/html/*.html"))[0]
    data = entry.read_bytes()
    entry.write_bytes(data.replace(b"<", b"{", 5))  # same size, other bytes


def _garble_manifest(hub: Path) -> None:
    for manifest in hub.glob(".hubgen-cache/pages/*/manifest.json"):
        manifest.write_text(manifest.read_text()[:100])


def _foreign_manifest(hub: Path) -> None:
    for manifest in hub.glob(".hubgen-cache/pages/*/manifest.json"):
        manifest.write_text(manifest.read_text().replace('"format":1', '"format":999', 1))


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (_damage_one_entry, "missing or damaged: rendered again"),
        (_garble_manifest, "is unreadable"),
        (_foreign_manifest, "from another hubgen version"),
    ],
)
def test_a_damaged_or_foreign_cache_is_reported_and_never_changes_the_site(
    damage, message: str, warm_hub: Path, tmp_path: Path, caplog
):
    hub = copy_hub(warm_hub, tmp_path / "hub", with_cache=True)  # in another folder: paths are not in the key
    damage(hub)
    reused, rendered = build(hub, tmp_path / "site", caplog)
    assert message in caplog.text
    assert differences(tmp_path / "site", warm_hub / "site") == []
    if damage is _damage_one_entry:  # the one damaged page alone is rendered again, and stored whole
        assert rendered == 1 and reused > 20
        reused, rendered = build(hub, tmp_path / "site-again", caplog)
        assert rendered == 0 and reused > 20
        assert differences(tmp_path / "site-again", warm_hub / "site") == []


def test_another_plugin_turns_reuse_off(warm_hub: Path, tmp_path: Path, caplog):
    hub = copy_hub(warm_hub, tmp_path / "hub", with_cache=True)
    config = hub / "mkdocs.yml"
    config.write_text(config.read_text().replace("  - search\n", "  - search\n  - tags\n"))
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="mkdocs.plugins.hubgen"):
        assert main(["build", "--repo", str(hub), "--site-dir", str(tmp_path / "site")]) == 0
    assert re.search(r"every page is rendered: plugin\(s\) \S*tags may change any page", caplog.text)
    assert "reused" not in caplog.text
