"""Queries: the topics (and versions) a free-text query names, and how well a record's versions fit."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from hubgen.analysis.experts.results import TopicMatch
from hubgen.analysis.experts.settings import LATEST_WORDS, STOP_WORDS
from hubgen.analysis.experts.text import _VERSION, _canon, fold, version_key, words

if TYPE_CHECKING:
    from hubgen.analysis.experts.model import Expertise


def parse_query(ex: Expertise, query: str) -> tuple[tuple[TopicMatch, ...], bool, float]:
    """Topics (and declared skills) named in the query, whether it asks for the latest version, and the
    share of the query's content words the topics cover."""
    tokens = list(words(query))
    canon = [_canon(t) for t in tokens]
    latest = any(t in LATEST_WORDS for t in tokens)
    vocab: dict[tuple[str, ...], tuple[str, str | None]] = {}
    for topic, topic_slug in ex.slug_of.items():
        vocab[tuple(topic.split(" "))] = (topic, topic_slug)
    for skill in ex.skill_names:
        vocab.setdefault(tuple(skill.split(" ")), (skill, None))
    longest = max((len(k) for k in vocab), default=0)
    folded = fold(query)
    matches: list[TopicMatch] = []
    seen: set[str] = set()
    covered = [False] * len(tokens)
    i = 0
    while i < len(canon):
        for n in range(min(longest, len(canon) - i), 0, -1):
            hit = vocab.get(tuple(canon[i : i + n]))
            if hit is None:
                continue
            key, slug = hit
            version: str | None = None
            at_least = False
            nxt = i + n
            if nxt < len(tokens) and _VERSION.match(tokens[nxt]) and slug and ex.topics[slug].versions:
                version = tokens[nxt].lstrip("v")
                at_least = bool(
                    re.search(r">=\s*v?" + re.escape(version) + r"|v?" + re.escape(version) + r"\s*\+", folded)
                )
                nxt += 1
            if key not in seen:
                seen.add(key)
                name = ex.topics[slug].name if slug else ex.skill_names.get(key, key)
                matches.append(TopicMatch(key, name, slug, version, at_least))
            covered[i:nxt] = [True] * (nxt - i)
            i = nxt
            break
        else:
            i += 1
    content = [c for t, c in zip(tokens, covered) if t not in STOP_WORDS and t not in LATEST_WORDS]
    coverage = sum(content) / len(content) if content else (1.0 if matches else 0.0)
    return tuple(matches), latest, coverage


@lru_cache(maxsize=1 << 16)  # pure; a query asks it about the same few version sets again and again
def version_factor(
    have: tuple[str | None, ...], known: tuple[str, ...], step: float, want: str | None, at_least: bool, latest: bool
) -> float:
    """How well the versions a record used fit the version asked for (1 = exactly)."""
    if want is None and (not latest or not known):
        return 1.0
    if want is not None:
        w = version_key(want)
        ladder = sorted(set(known) | {want}, key=lambda v: (version_key(v), v))
        target = ladder.index(want)
    else:
        ladder = list(known)
        target = len(ladder) - 1
    best = step if None in have else 0.0  # an unversioned use counts one step away
    for v in have:
        if v is None:
            continue
        k = version_key(v)
        if want is not None and (k[: len(w)] == w or (at_least and k >= w)):
            return 1.0
        if want is None and target >= 0 and k >= version_key(ladder[target]):
            return 1.0
        place = ladder.index(v) if v in ladder else None
        if place is None:
            continue
        best = max(best, step ** abs(target - place))
    return best


TEXT_KINDS = ("project", "null-result", "discussion", "asset", "person")  # person: the self-declared profile


def text_query(query: str) -> str:
    """The query as sent to full-text search: version operators and 'latest' words dropped."""
    out = re.sub(r"(==|>=|<=|~=|!=|@)", " ", query)
    kept = [w for w in out.split() if fold(w).strip(".,;:!?") not in LATEST_WORDS]
    return " ".join(kept) or query
