"""Typos as people make them (a swapped pair of letters above all) and snippets that read label: value."""

from __future__ import annotations

import gzip
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from hubgen.pipeline import ensure_search_index
from hubgen.search import fulltext, index_state, typos
from hubgen.search.terms import term_files
from hubgen.search.text import indexable
from tests.conftest import ROOT
from tests.test_search import visible_projects


@pytest.fixture(scope="module")
def example_index(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("repo")
    shutil.copytree(ROOT / "content", root / "content")
    ensure_search_index(root, "internal")
    return index_state.index_dir(root, "internal")


def swap(word: str, i: int) -> str:
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def test_one_edit_counts_a_transposition_as_one():
    assert typos.within_one_edit("chrun", "churn")
    assert typos.within_one_edit("forcast", "forecast") and typos.within_one_edit("custmer", "customer")
    assert typos.within_one_edit("churns", "churn") and typos.within_one_edit("chern", "churn")
    assert not typos.within_one_edit("hcrun", "churn")  # two swaps
    assert not typos.within_one_edit("crhnu", "churn")
    assert "churn" in typos.one_edit_variants("chrun")
    frequency = {"churn": 5, "chorus": 1}.get
    assert typos.correction("chrun", lambda w: frequency(w) or 0) == "churn"
    assert typos.correction("churn", lambda w: frequency(w) or 0) is None  # known: left alone
    assert typos.correction("chr", lambda w: frequency(w) or 0) is None  # too short to correct
    # a typo someone wrote once (a how-to page's example) is still read as the common word too
    assert typos.correction("chrun", lambda w: {"chrun": 1, "churn": 20}.get(w, 0)) == "churn"
    assert typos.correction("chrun", lambda w: {"chrun": 1, "churn": 5}.get(w, 0)) is None
    assert typos.correction("chrun", lambda w: {"chrun": 3, "churn": 500}.get(w, 0)) is None


def test_cli_finds_a_title_word_with_two_letters_swapped(example_index):
    """A swapped pair finds what the word spelled right finds, in the same order."""
    projects = visible_projects()
    checked = found = 0
    for pid, p in list(projects.items())[::4]:
        word = max(re.findall(r"[A-Za-z]{6,}", p["title"]), key=len, default="").lower()
        if not word or word[2] == word[3]:
            continue
        hits, fuzzy = fulltext.search(example_index, swap(word, 2), kind="project", limit=3)
        right, _ = fulltext.search(example_index, word, kind="project", limit=3)
        assert fuzzy, swap(word, 2)
        assert [h.key for h in hits] == [h.key for h in right], f"{swap(word, 2)!r} (for {word!r})"
        checked += 1
        found += pid in [h.key for h in hits]
    assert checked >= 5 and found >= checked * 2 // 3


def test_chrun_finds_the_churn_project_and_exact_words_rank_first(example_index):
    churn = [pid for pid, p in visible_projects().items() if "churn" in p["title"].lower().split()]
    hits, fuzzy = fulltext.search(example_index, "chrun", limit=3)
    assert fuzzy and set(churn) & {h.key for h in hits}
    # "model" as typed, "chrun" corrected: a churn model outranks a record that only says churn or model
    mixed, _ = fulltext.search(example_index, "chrun model", limit=5)
    assert (
        "churn" in (mixed[0].title + mixed[0].snippet).lower()
        and "model" in (mixed[0].title + mixed[0].snippet).lower()
    )
    _, fuzzy = fulltext.search(example_index, "churn", limit=3)
    assert not fuzzy  # a word the hub has is never "corrected"


def test_cli_says_it_read_a_typo(tmp_path):
    shutil.copytree(ROOT / "content", tmp_path / "content")
    run = subprocess.run(
        [sys.executable, "-m", "hubgen", "search", "--repo", str(tmp_path), "chrun", "--limit", "3"],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert "close spellings" in run.stderr and "churn" in run.stdout.lower()


def test_index_text_separates_each_label_from_its_value():
    html = (
        '<table><tbody><tr><th scope="row">Hypothesis</th><td>Acumen segments lift churn</td></tr>'
        '<tr><th scope="row">Produced by</th><td><a href="x">Loyalty churn</a></td></tr></tbody></table>'
        "<table><thead><tr><th>#</th><th>Person</th><th>Score</th></tr></thead><tbody>"
        '<tr><td>1</td><td><a href="p">Daniel Osei</a><br><small>Lead</small></td><td>10.0</td></tr>'
        "<tr><td>2</td><td>Ana</td><td>8.1</td></tr></tbody></table><dl><dt>Owner</dt><dd>Ana</dd></dl>"
    )
    out = indexable(html)
    text = re.sub(r"<[^>]+>", "", out)
    for label, value in (
        ("Hypothesis", "Acumen"),
        ("Produced by", "Loyalty"),
        ("Person", "Daniel"),
        ("Score", "10.0"),
        ("Owner", "Ana"),
    ):
        assert re.search(rf"{label}: +{re.escape(value)}", text), (label, text)
    assert "<table" not in out and out.count("<p>") == 4  # a paragraph a row, not one run-on string
    assert "Daniel Osei, Lead" in text
    assert "#:" not in text and "1 · Person: " in text  # a column headed "#" labels nothing


def test_the_example_sites_index_reads_label_value(example_site):
    import json

    docs = json.loads((example_site / "search" / "search_index.json").read_text())["docs"]
    labelled = [d for d in docs if "Hypothesis" in d["text"]]
    assert labelled
    for doc in labelled:
        assert not re.search(r"Hypothesis(?!: )", re.sub(r"<[^>]+>", "", doc["text"])), doc["location"]
    assert not [d["location"] for d in docs if re.search(r"Produced by[A-Za-z]|#Person", d["text"])]


def test_site_term_list_is_split_by_length_and_ranked(example_site):
    folder = example_site / "search" / "hubgen-terms"
    five = (folder / "5.txt").read_text().splitlines()
    words = [line.split("\t") for line in five]
    assert all(len(w) == 5 and int(n) >= 1 for w, n in words)
    assert [int(n) for _, n in words] == sorted((int(n) for _, n in words), reverse=True)
    assert "churn" in {w for w, _ in words}
    # each list is also stored compressed, for hosts that do not compress .txt; the same words
    for plain in folder.glob("*.txt"):
        assert gzip.decompress((folder / f"{plain.name}.gz").read_bytes()) == plain.read_bytes(), plain.name
    assert term_files(typos.term_counts(["Churn churn model", "model"])) == {"5.txt": "model\t2\nchurn\t1\n"}
    # a word with digits is listed (else the site takes "llama2" for a typo of "llama"); numbers are not
    assert term_files(typos.term_counts(["llama2 llama 2024"])) == {"5.txt": "llama\t1\n", "6.txt": "llama2\t1\n"}
