"""Project folders loaded from the cache (issue 20): the same hub as reading every file, every time."""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path

import pytest

from benchmarks.generate_hub import generate as generate_hub
from hubgen.clock import build_date
from hubgen.load import load_hub
from hubgen.load.folder_cache import FolderCache
from tests.conftest import ROOT
from tests.hostile_corpus import CASES
from tests.test_hostile import materialise


def cold_and_warm(root: Path):
    shutil.rmtree(root / ".hubgen-cache" / "loaded", ignore_errors=True)
    cold = load_hub(root, build_date())
    assert list((root / ".hubgen-cache" / "loaded").glob("*.pickle")), "the first load stores the folders"
    return cold, load_hub(root, build_date())


def test_a_warm_load_is_the_same_hub(tmp_path: Path):
    hub = tmp_path / "hub"
    generate_hub(hub, 60)
    for root in (hub, ROOT):
        cold, warm = cold_and_warm(root)
        assert warm == cold and warm.projects and warm.problems == cold.problems


@pytest.mark.parametrize("case", [c for c in CASES if c.expect][:12], ids=lambda c: c.name)
def test_problems_come_back_from_the_cache_with_their_lines(case, tmp_path: Path):
    root = materialise(case, tmp_path)
    cold, warm = cold_and_warm(root)
    assert [str(p) for p in warm.problems] == [str(p) for p in cold.problems]
    assert warm == cold


def test_an_edited_file_is_read_again(make_hub):
    root = make_hub()
    load_hub(root, build_date())
    record = root / "content/projects/churn/project.yml"
    record.write_text(record.read_text().replace("title: Churn model", "title: Churn model, second try"))
    assert load_hub(root, build_date()).projects["churn"].title == "Churn model, second try"
    shutil.rmtree(root / "content/projects/churn")
    assert "churn" not in load_hub(root, build_date()).projects


def test_a_linked_file_is_always_read(make_hub):
    root = make_hub()
    record = root / "content/projects/churn/project.yml"
    shared = root / "shared-project.yml"  # inside the repository, outside the project folder
    record.rename(shared)
    record.symlink_to(shared)
    assert load_hub(root, build_date()).projects["churn"].title == "Churn model"
    shared.write_text(shared.read_text().replace("title: Churn model", "title: Churn model, linked"))
    assert load_hub(root, build_date()).projects["churn"].title == "Churn model, linked"


class _RunsCode:
    def __reduce__(self):
        return (Path.touch, (Path("/tmp/hubgen-planted-pickle-ran"),))


def test_a_planted_or_damaged_cache_file_is_refused_and_the_hub_read(make_hub, capsys):
    root = make_hub()
    expected = load_hub(root, build_date())
    cache_file = FolderCache(root, build_date()).file
    ran = Path("/tmp/hubgen-planted-pickle-ran")
    ran.unlink(missing_ok=True)
    for planted in (pickle.dumps({"content/projects/churn": ("x", b"")})[:-7], pickle.dumps(_RunsCode())):
        cache_file.write_bytes(planted)
        assert load_hub(root, build_date()) == expected
        assert "is unreadable" in capsys.readouterr().err
    assert not ran.exists(), "a cache file ran code"
    # an entry whose record blob would run code: refused, the folder read from its files
    key = FolderCache(root, build_date()).key(root / "content/projects/churn")
    cache_file.write_bytes(pickle.dumps({"content/projects/churn": (key, pickle.dumps(_RunsCode()))}))
    assert load_hub(root, build_date()) == expected
    assert not ran.exists()
