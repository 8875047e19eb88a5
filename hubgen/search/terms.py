"""The hub's own vocabulary for the site's "did you mean", written at build time, a file per word length.

A query word of n letters has its one-edit neighbours among the words of
n-1, n and n+1 letters, so the browser fetches three small files instead of
the whole vocabulary. Each file lists its words most frequent first, each with the
number of indexed pages holding it: the most frequent neighbour is the
correction. Words come from the same indexed text as the search engine's,
so the list holds nothing the build's audience may not see.

Each file is also written gzip-compressed (`<length>.txt.gz`, as Pagefind
stores its own index): static hosts seldom compress a file they do not know,
and the browser decodes it itself (DecompressionStream), falling back to the
plain file where it cannot.
"""

from __future__ import annotations

import gzip
import json
from collections import Counter
from pathlib import Path

from hubgen.search.typos import MIN_TYPO_LENGTH

FOLDER = "search/hubgen-terms"
FACETS = "search/hubgen-facets.json"
MAX_WORD = 40  # longer runs of letters are identifiers or noise, never a word someone misspells


def term_files(counts: Counter[str]) -> dict[str, str]:
    """File name (`<length>.txt`) to its lines `word<TAB>pages`, most frequent first."""
    by_length: dict[int, list[tuple[int, str]]] = {}
    for word, n in counts.items():
        # Words with digits too ("llama2"): one missing from the list would look unknown to the hub, and
        # its correction ("llama") would be shown instead of its own matches.
        if MIN_TYPO_LENGTH - 1 <= len(word) <= MAX_WORD and word.isalnum() and not word.isdigit():
            by_length.setdefault(len(word), []).append((-n, word))
    return {
        f"{length}.txt": "".join(f"{w}\t{-n}\n" for n, w in sorted(words))
        for length, words in sorted(by_length.items())
    }


def write_terms(site_dir: Path, counts: Counter[str]) -> int:
    """Write the term files under `site_dir`; the compressed files' total size in bytes (what browsers fetch)."""
    folder = Path(site_dir) / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    for old in [*folder.glob("*.txt"), *folder.glob("*.txt.gz")]:
        old.unlink()
    total = 0
    for name, text in term_files(counts).items():
        data = text.encode()
        (folder / name).write_bytes(data)
        # mtime=0: the same words give the same bytes, so incremental and clean builds agree.
        packed = gzip.compress(data, 9, mtime=0)
        (folder / f"{name}.gz").write_bytes(packed)
        total += len(packed)
    return total


def write_facets(site_dir: Path, facets: dict[str, tuple[str, str, str]]) -> None:
    """Kind, status and team of each record page by its URL, for filtering Material's results."""
    path = Path(site_dir) / FACETS
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        json.dumps({url: list(v) for url, v in sorted(facets.items())}, separators=(",", ":")), encoding="utf-8"
    )
