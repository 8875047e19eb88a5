"""Expert finding: who knows X, ranked with the evidence behind each score.

The model is the document-centric expert-finding model of Balog, Azzopardi
and de Rijke (SIGIR 2006, "Model 2"):

    p(q|e) · p(e)  =  Σ_d p(q|d) · p(d|e) · p(e)  =  Σ_d p(q|d) · p(e|d) · p(d)

Documents d are the hub's records that show someone's knowledge: projects,
null results, discussions, the assets a person's projects produced, and each
person's self-declared profile (skills and title). The person-document
association p(e|d)·p(d) is taken proportional to a weight

    a(d, e) = kind weight × role weight × status weight × recency
    recency = floor + (1 − floor) · 2^(−age / half-life)   (people still here; alumni: no floor)

(assets also × log2(1 + reuse); discussions × √messages), so a person's score
for a query is the sum over the records they are associated with of how well
the record matches the query times how strongly they are tied to it:

    score(e, q) = Σ_d p(q|d) · a(d, e)

For a topic t (a tag, a tool without its version, or a business domain),
p(t|d) is 1 when the record carries the topic and 0 otherwise, except that an
asset also carries its consumers' topics, by the share of its consuming
projects that carry them: credit for reuse flows to the creators. For a tool a
query can ask for a version ("tensorflow 2.16") or for the latest one, and
records using other versions then count `version_step` less per version step
away. For free text, p(q|d) mixes exact topic matches with the full-text
score of the record (BM25F from the search index, scaled so the best record
scores 1):

    p(q|d) = λ · p_topic(q|d) + (1 − λ) · p_text(q|d)

with λ = 1 when the topics cover the whole query, so `hubgen experts <topic>`
is exactly the topic page's ranking.

Modules by concern: settings (hub.yml `experts:`), text (normalisation),
documents (records and their people), query (parsing, versions), results
(the returned types) and scoring (topic rankings, free-text ranking, export).

Pure functions: the reference date for recency is a parameter (the build
date), never the clock, and the full-text scores are passed in by the caller
(`hubgen.search.fulltext.document_scores`). Everything is computed from a hub
already restricted to the build audience, so evidence never cites a hidden
record. docs/expert-ranking.md describes the model and its settings for users.
"""

from hubgen.analysis.experts.documents import decay
from hubgen.analysis.experts.model import Expertise
from hubgen.analysis.experts.query import (
    TEXT_KINDS,
    parse_query,
    text_query,
    version_factor,
)
from hubgen.analysis.experts.results import (
    Built,
    Evidence,
    Expert,
    Ranking,
    Strength,
    Topic,
    TopicMatch,
)
from hubgen.analysis.experts.scoring import baseline, expertise, export, rank
from hubgen.analysis.experts.settings import (
    DEFAULT_EVIDENCE_WEIGHTS,
    DEFAULT_ROLE_WEIGHTS,
    DEFAULT_STATUS_WEIGHTS,
    EVIDENCE_KINDS,
    Settings,
    parse_settings,
)
from hubgen.analysis.experts.text import (
    fold,
    slugify,
    split_tool,
    topic_key,
    unique_slugs,
    version_key,
    words,
)

__all__ = [
    "DEFAULT_EVIDENCE_WEIGHTS",
    "DEFAULT_ROLE_WEIGHTS",
    "DEFAULT_STATUS_WEIGHTS",
    "EVIDENCE_KINDS",
    "TEXT_KINDS",
    "Built",
    "Evidence",
    "Expert",
    "Expertise",
    "Ranking",
    "Settings",
    "Strength",
    "Topic",
    "TopicMatch",
    "baseline",
    "decay",
    "expertise",
    "export",
    "fold",
    "parse_query",
    "parse_settings",
    "rank",
    "slugify",
    "split_tool",
    "text_query",
    "topic_key",
    "unique_slugs",
    "version_factor",
    "version_key",
    "words",
]
