"""The team's glossary (`glossary:` in hub.yml) applied to a full-text query.

Kept apart from the prior-art engine (which reads the glossary its own way) so that
`hubgen search` widens a query without importing the analyses.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping


def expand_query(text: str, glossary: Mapping[str, Iterable[str]]) -> str:
    """A search query with each glossary name in it widened to its whole group (whoosh syntax).

    `churn model` with `churn: [attrition]` becomes `(churn OR attrition) model`: search and
    the expert ranking's full text meet the team's other words for the same thing.
    """
    groups: dict[str, list[str]] = {}
    for term, synonyms in glossary.items():
        group = [g for g in (term, *synonyms) if g and '"' not in g]
        if len(group) < 2:
            continue
        for name in group:
            groups.setdefault(name.lower(), group)
    if not groups:
        return text
    names = sorted(groups, key=len, reverse=True)
    pattern = re.compile(r"(?<![\w\"])(" + "|".join(re.escape(n) for n in names) + r")(?![\w\"])", re.IGNORECASE)

    def widen(found: re.Match[str]) -> str:
        return "(" + " OR ".join(f'"{g}"' if " " in g else g for g in groups[found.group(0).lower()]) + ")"

    return pattern.sub(widen, text)
