"""Full-text search over the hub, with whoosh kept behind this one module.

whoosh-reloaded is pinned: both it and the original Whoosh 2.7.4 are
unmaintained, but 2.7.4 emits SyntaxWarnings on import under Python 3.12+ and
whoosh-reloaded imports and runs warning-free on 3.11-3.13. Swapping engines
means reimplementing `write_index` and `search` only.

The index lives in `<repo>/.hubgen-cache/search/<audience>/`; whether it is
fresh is told by hubgen.search.index_state, which needs neither whoosh nor the hub.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from html import escape as htmlescape
from pathlib import Path
from typing import TYPE_CHECKING

from whoosh import index as whoosh_index
from whoosh import qparser, scoring
from whoosh.analysis import StandardAnalyzer, StemmingAnalyzer
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema
from whoosh.highlight import ContextFragmenter, Formatter, get_text
from whoosh.query import And, Or, Term

from hubgen.search import typos
from hubgen.search.index_state import FINGERPRINT, GLOSSARY, replace_stored

if TYPE_CHECKING:  # the data model is not needed to answer a query
    from hubgen.analysis.documents import SearchDoc

_stem = StemmingAnalyzer()
_plain = StandardAnalyzer()
SCHEMA = Schema(
    kind=ID(stored=True),
    key=ID(stored=True, unique=True),
    url=STORED,
    status=ID(stored=True),
    team=ID(stored=True),
    tag=KEYWORD(lowercase=True, commas=True),
    title=TEXT(analyzer=_stem, stored=True, field_boost=3.0),
    tags=TEXT(analyzer=_stem, stored=True, field_boost=2.0),
    body=TEXT(analyzer=_stem, stored=True),
    summary=STORED,
    words=TEXT(analyzer=_plain),  # unstemmed: for typo-tolerant fallback
)
FIELDS = ("title", "tags", "body")


@dataclass(frozen=True)
class Hit:
    kind: str
    key: str
    title: str
    url: str
    status: str
    team: str
    snippet: str
    score: float

    def as_dict(self) -> dict[str, object]:
        return self.__dict__.copy()


def write_index(
    docs: Iterable[SearchDoc],
    directory: Path,
    fingerprint: dict[str, str],
    glossary: Mapping[str, Iterable[str]] | None = None,
) -> None:
    """(Re)build the index in a temporary folder and swap it in whole, with the hub's glossary beside it
    (the fingerprint covers hub.yml, so a query reads the glossary without loading the hub)."""
    directory.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".index-", dir=directory.parent))
    ix = whoosh_index.create_in(str(staging), SCHEMA)
    writer = ix.writer(limitmb=256)
    for d in docs:
        tags = " ".join(d.tags)
        writer.add_document(
            kind=d.kind,
            key=f"{d.kind}:{d.key}",
            url=d.url,
            status=d.status,
            team=d.team.lower(),
            tag=",".join(t.lower() for t in d.tags),
            title=d.title,
            tags=tags.replace("-", " ") + " " + tags,
            body=d.body,
            summary=d.summary,
            words=f"{d.title} {tags} {d.body}",
        )
    writer.commit()
    (staging / GLOSSARY).write_text(json.dumps({t: list(v) for t, v in (glossary or {}).items()}))
    (staging / FINGERPRINT).write_text(json.dumps(fingerprint))
    replace_stored(staging, directory)


def _filters(kind: str | None, status: str | None, team: str | None, tag: str | None):
    terms: list = []
    if kind == "null-result":  # a project whose status is null-result is itself a null result (the contract)
        terms.append(Or([Term("kind", kind), And([Term("kind", "project"), Term("status", "null-result")])]))
    elif kind:
        terms.append(Term("kind", kind))
    if status:
        terms.append(Term("status", status))
    if team:
        terms.append(Term("team", team.lower()))
    if tag:
        terms.append(Term("tag", tag.lower()))
    return And(terms) if terms else None


def search(
    directory: Path,
    text: str,
    *,
    kind: str | None = None,
    status: str | None = None,
    team: str | None = None,
    tag: str | None = None,
    limit: int = 10,
) -> tuple[list[Hit], bool]:
    """Ranked hits for `text`, and whether the typo-tolerant fallback was used."""
    ix = whoosh_index.open_dir(str(directory))
    filt = _filters(kind, status, team, tag)
    with ix.searcher(weighting=scoring.BM25F()) as searcher:
        parser = qparser.MultifieldParser(list(FIELDS), ix.schema, group=qparser.OrGroup.factory(0.9))
        query, fuzzy = _typo_tolerant(searcher, parser, text)
        results = searcher.search(
            query, filter=filt, limit=limit, optimize=False
        )  # whoosh's block-quality skipping loops on boosted Or queries
        results.fragmenter = ContextFragmenter(maxchars=160, surround=60)
        results.formatter = _Mark()
        hits = []
        for hit in results:
            snippet = hit.highlights("body", top=1) or hit.highlights("title") or ""
            hits.append(
                Hit(
                    hit["kind"],
                    hit["key"].split(":", 1)[1],
                    hit["title"],
                    hit["url"],
                    hit["status"],
                    hit["team"],
                    snippet or hit["summary"][:200],
                    round(hit.score, 3),
                )
            )
        return hits, fuzzy


def document_scores(
    directory: Path, text: str, *, kinds: Iterable[str] | None = None, limit: int = 2000
) -> dict[tuple[str, str], float]:
    """BM25F score of every document matching `text` (the best `limit`), by (kind, key).

    The full-text part of p(q|d) for expert finding (hubgen.analysis.experts);
    falls back to close spellings like `search` when nothing matches.
    """
    wanted = set(kinds) if kinds is not None else None
    ix = whoosh_index.open_dir(str(directory))
    with ix.searcher(weighting=scoring.BM25F()) as searcher:
        parser = qparser.MultifieldParser(list(FIELDS), ix.schema, group=qparser.OrGroup.factory(0.9))
        results = searcher.search(_typo_tolerant(searcher, parser, text)[0], limit=limit, optimize=False)
        out: dict[tuple[str, str], float] = {}
        for hit in results:
            if wanted is None or hit["kind"] in wanted:
                out[(hit["kind"], hit["key"].split(":", 1)[1])] = float(hit.score)
        return out


class _Mark(Formatter):
    """Highlights as bare <mark> elements, text HTML-escaped."""

    def format_token(self, text: str, token, replace: bool = False) -> str:
        return f"<mark>{htmlescape(get_text(text, token, replace))}</mark>"

    def _text(self, text: str) -> str:
        return htmlescape(text, quote=False)


CORRECTED_BOOST = 0.5  # a corrected spelling's matches rank below the query's own words


def _typo_tolerant(searcher, parser, text: str):
    """The parsed query, widened by corrected spellings of its unknown words; and whether any was corrected.

    The original query stays in (its exact words rank first); the corrected
    one is OR-ed in at a lower boost, so "chrun model" finds churn models
    without losing the models that match "model" alone.
    """
    query = parser.parse(text)
    corrected = _correct(searcher, text)
    if corrected == text:
        return query, False
    return Or([query, Or([parser.parse(corrected)], boost=CORRECTED_BOOST)]), True


def _correct(searcher, text: str) -> str:
    """Replace each word unknown to the index by a known spelling.

    One edit, transpositions included (hubgen.search.typos), for words of 4+ letters;
    words over 5 letters with no such neighbour fall back to two plain edits.
    Quoted phrases are left as written.
    """
    reader = searcher.reader()

    def frequency(term: str) -> int:
        return reader.doc_frequency("words", term)

    out = []
    for n, part in enumerate(re.split(r'("[^"]*")', text)):
        if n % 2:  # a phrase
            out.append(part)
            continue
        words = []
        for word in part.split():
            bare = word.strip("()").lower()
            tokens = [t.text for t in _plain(bare)]
            if len(tokens) != 1 or tokens[0] != bare or word.upper() in ("AND", "OR", "NOT"):
                words.append(word)
                continue
            best = typos.correction(bare, frequency)
            if best is None and len(bare) > 5 and not frequency(bare):
                options = list(reader.terms_within("words", bare, 2, prefix=1))
                if options:
                    best = max(sorted(options), key=frequency)
            words.append(word.replace(word.strip("()"), best) if best else word)
        out.append(" ".join(words))
    return " ".join(p.strip() for p in out if p.strip())


def plain_snippet(snippet: str) -> str:
    """A highlighted snippet for the terminal: <mark>x</mark> becomes X-style brackets."""
    return snippet.replace("<mark>", "[").replace("</mark>", "]")
