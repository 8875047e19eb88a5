"""Prior art: for a proposal (a project or free text), the earlier work to read first, and why.

The one similarity engine of the hub: related work on every project page,
"Prior art to review" on ideation pages, the Proposals page, `hubgen
prior-art` and the CI notices all rank with `PriorArt.suggest`.

Evidence, all from the (audience-cut) hub, nothing downloaded:

- words: title (x3), tags and domains (x2), summary, problem, objective,
  tools, null results' hypothesis, approach and outcome; stemmed (Porter),
  with adjacent pairs ("customer churn") so look-alikes that share one word
  ("employee churn") rank below the real match; TF-IDF, cosine;
- the team's glossary (`glossary:` in hub.yml): every synonym also counts as
  its term, so "attrition" meets "churn";
- the hub's own co-occurrence: a query's key term also weakly matches the
  terms that nearly always come with it in titles and tags;
- lineage: a shared consumed dataset is strong evidence (rarer is stronger);
- citations: what the most similar records cite in `prior_art`, and what is
  cited together with them, is likely prior art too.

The package: `text` (tokens, stems, glossary), `engine` (the index and its ranking), `index` (built
from a hub; related work and reviews), `proposals` (the Proposals page and the people to ask),
`stored` (both models kept between runs) and `freshness` (whether what is kept may be used).
The names below are imported when first used: `hubgen prior-art` answered from the stored models
needs neither the loader's modules nor the index builder's.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hubgen.analysis.prior_art.engine import (
        CITED,
        COCITED,
        DATASET,
        DF_CAP_MIN,
        DF_CAP_SHARE,
        EXPAND,
        FLOOR,
        KIND_WEIGHT,
        KINDS,
        MIN_SHARE,
        QUERY_TERMS,
        PriorArt,
        Proposal,
        Suggestion,
    )
    from hubgen.analysis.prior_art.index import (
        build,
        proposal_of,
        related,
        review,
    )
    from hubgen.analysis.prior_art.proposals import (
        PROPOSAL_STATUSES,
        ProposalReview,
        is_proposal,
        people_to_ask,
        proposals,
    )
    from hubgen.analysis.prior_art.text import (
        KEYWORD,
        PAIR,
        STOP,
        TEXT,
        TITLE,
        Glossary,
        tokens,
    )

_FROM = {
    "CITED": "engine",
    "COCITED": "engine",
    "DATASET": "engine",
    "DF_CAP_MIN": "engine",
    "DF_CAP_SHARE": "engine",
    "EXPAND": "engine",
    "FLOOR": "engine",
    "KIND_WEIGHT": "engine",
    "KINDS": "engine",
    "MIN_SHARE": "engine",
    "QUERY_TERMS": "engine",
    "PriorArt": "engine",
    "Proposal": "engine",
    "Suggestion": "engine",
    "build": "index",
    "proposal_of": "index",
    "related": "index",
    "review": "index",
    "PROPOSAL_STATUSES": "proposals",
    "ProposalReview": "proposals",
    "is_proposal": "proposals",
    "people_to_ask": "proposals",
    "proposals": "proposals",
    "KEYWORD": "text",
    "PAIR": "text",
    "STOP": "text",
    "TEXT": "text",
    "TITLE": "text",
    "Glossary": "text",
    "tokens": "text",
}


def __getattr__(name: str) -> Any:
    if name not in _FROM:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module = importlib.import_module(f"{__name__}.{_FROM[name]}")
    # All of the module's names at once: importing `proposals` (the module) also set this package's
    # `proposals` to it, which must be the function of that name.
    globals().update({n: getattr(module, n) for n, m in _FROM.items() if m == _FROM[name]})
    return globals()[name]


__all__ = [
    "CITED",
    "COCITED",
    "DATASET",
    "DF_CAP_MIN",
    "DF_CAP_SHARE",
    "EXPAND",
    "FLOOR",
    "Glossary",
    "KEYWORD",
    "KINDS",
    "KIND_WEIGHT",
    "MIN_SHARE",
    "PAIR",
    "PROPOSAL_STATUSES",
    "PriorArt",
    "Proposal",
    "ProposalReview",
    "QUERY_TERMS",
    "STOP",
    "Suggestion",
    "TEXT",
    "TITLE",
    "build",
    "is_proposal",
    "people_to_ask",
    "proposal_of",
    "proposals",
    "related",
    "review",
    "tokens",
]
