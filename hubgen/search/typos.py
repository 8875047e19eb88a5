"""Typo tolerance shared by `hubgen search` and the site's term list: one edit, transpositions included.

A swapped pair of letters ("chrun") is the most common typo there is, and a
plain Levenshtein distance counts it as two edits; the Damerau form
(optimal string alignment) counts it as one. Words shorter than
MIN_TYPO_LENGTH are never corrected: at three letters almost every edit is
another real word.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable

MIN_TYPO_LENGTH = 4
RARE_PAGES = 2  # a word on this few pages may itself be a typo ...
DOMINANT = 10  # ... of a neighbour on this many times more
ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def one_edit_variants(word: str, alphabet: str = ALPHABET) -> set[str]:
    """Every string one deletion, insertion, substitution or adjacent transposition away from `word`."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    out = {a + b[1:] for a, b in splits if b}
    out |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    out |= {a + c + b[1:] for a, b in splits if b for c in alphabet}
    out |= {a + c + b for a, b in splits for c in alphabet}
    out.discard(word)
    return out


def within_one_edit(a: str, b: str) -> bool:
    """Whether `a` and `b` differ by at most one edit, a transposition counting as one."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    if la == lb:
        diff = [i for i in range(la) if a[i] != b[i]]
        return len(diff) == 1 or (
            len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
        )
    short, long_ = (a, b) if la < lb else (b, a)
    i = 0
    while i < len(short) and short[i] == long_[i]:
        i += 1
    return short[i:] == long_[i + 1 :]


def correction(word: str, frequency: Callable[[str], int]) -> str | None:
    """The most frequent known word one edit from `word` (ties: alphabetical), or None.

    `frequency` gives a word's document count in the hub (0: unknown). An
    unknown word takes its most frequent neighbour; a known word only when it
    is rare (on RARE_PAGES pages or fewer) and the neighbour DOMINANT times
    as common: "chrun" written once in a how-to page is still read as churn
    too. Words under MIN_TYPO_LENGTH letters are left alone.
    """
    word = word.lower()
    own = frequency(word) if len(word) >= MIN_TYPO_LENGTH else 0
    if len(word) < MIN_TYPO_LENGTH or own > RARE_PAGES:
        return None
    counted = [(frequency(v), v) for v in sorted(one_edit_variants(word))]
    known = [(n, v) for n, v in counted if n and len(v) >= MIN_TYPO_LENGTH - 1 and n >= DOMINANT * own]
    if not known:
        return None
    return max(known, key=lambda nv: (nv[0], [-ord(c) for c in nv[1]]))[1]


def words(text: str) -> list[str]:
    """Lower-case words of `text` as the term list counts them."""
    return _WORD.findall(text.lower())


def term_counts(texts: Iterable[str]) -> Counter[str]:
    """In how many texts each word of MIN_TYPO_LENGTH - 1 letters or more occurs (document frequency)."""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update({w for w in words(text) if len(w) >= MIN_TYPO_LENGTH - 1 and not w.isdigit()})
    return counts
