"""Words as the prior-art engine reads them: tokens, Porter stems, stop words, the glossary and
the weighted terms of a field."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from whoosh.lang.porter import stem as _porter

_WORD = re.compile(r"[a-z0-9]+")
STOP = frozenset(
    """
a about above after again against all also am an and any are as at be because been before being below between both
but by can could did do does doing down during each few for from further had has have having he her here hers him
his how i if in into is it its itself just me more most my no nor not now of off on once only or other our ours out
over own same she should so some such than that the their them then there these they this those through to too
under until up very was we were what when where which while who whom why will with would you your yours
v1 v2 v3 v4 new using use used based via per project projects model models data work todo tbd etc e g eg ie
""".split()
)

# Field weights: the title says what the work is; tags and domains are the author's own keywords.
TITLE, KEYWORD, TEXT = 3.0, 2.0, 1.0
PAIR = 0.7  # an adjacent pair of words, relative to a single word


def _stem(word: str, cache: dict[str, str] = {}) -> str:  # noqa: B006 (a deliberate memo)
    out = cache.get(word)
    if out is None:
        out = cache[word] = _porter(word) if len(word) > 3 and not word.isdigit() else word
    return out


def tokens(text: str) -> list[str]:
    """Content words of `text`, stemmed, in order (stop words dropped)."""
    return [_stem(w) for w in _WORD.findall(text.lower()) if _content(w)]


def _content(word: str) -> bool:
    """A word that can say what work is about: not a stop word, a lone letter or a bare number."""
    return word not in STOP and len(word) > 1 and not word.isdigit()


@dataclass(frozen=True)
class Glossary:
    """Synonym phrases (as stem tuples) -> the canonical term they also count as."""

    phrases: Mapping[tuple[str, ...], str]
    longest: int = 1

    @classmethod
    def from_settings(cls, raw: Mapping[str, Iterable[str]]) -> Glossary:
        phrases: dict[tuple[str, ...], str] = {}
        for term, synonyms in raw.items():
            canon_tokens = tokens(term)
            if not canon_tokens:
                continue
            canon = "=" + "_".join(canon_tokens)
            for phrase in (term, *synonyms):
                key = tuple(tokens(phrase))
                if key:
                    phrases.setdefault(key, canon)
        return cls(phrases, max((len(k) for k in phrases), default=1))

    def apply(self, words: list[str]) -> list[tuple[str, ...]]:
        """Each position's alternatives: the word, plus the glossary term a phrase ending there stands for."""
        out: list[tuple[str, ...]] = [(w,) for w in words]
        if not self.phrases:
            return out
        for end in range(len(words)):
            for n in range(min(self.longest, end + 1), 0, -1):
                canon = self.phrases.get(tuple(words[end - n + 1 : end + 1]))
                if canon is not None:
                    out[end] = (*out[end], canon)
                    break
        return out


def _field_terms(
    text: str,
    weight: float,
    glossary: Glossary,
    into: dict[str, float],
    surface: dict[str, str] | None = None,
    pairs: bool = True,
) -> None:
    if not text:
        return
    raw = [w for w in _WORD.findall(text.lower()) if w not in STOP and len(w) > 1 and not w.isdigit()]
    words = [_stem(w) for w in raw]
    if surface is not None:
        for w, r in zip(words, raw):
            surface.setdefault(w, r)
    if not glossary.phrases:
        for w in words:
            into[w] += weight
        if pairs:
            for a, b in itertools.pairwise(words):
                if a != b:
                    into[f"{a} {b}"] += weight * PAIR
        return
    prev: tuple[str, ...] = ()
    for alts in glossary.apply(words):
        for t in alts:
            into[t] += weight
        if pairs:
            for a in prev:
                for b in alts:
                    if a != b:
                        into[f"{a} {b}"] += weight * PAIR
        prev = alts


def _keyword_terms(keyword: str, glossary: Glossary, into: dict[str, float]) -> None:
    name = keyword.lower().split("==")[0].strip()
    into["#" + name] += KEYWORD
    _field_terms(name.replace("-", " "), KEYWORD, glossary, into)
