"""What the expert model returns: evidence, experts, topics, profiles and rankings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from hubgen import urls
from hubgen.analysis.lineage import AssetUse

EXPLAIN_MIN = 0.01  # records contributing at least this share of a person's score are listed one by one


@dataclass(frozen=True)
class Evidence:
    """One record behind a person's score, and what it contributed."""

    kind: str  # project, null-result, discussion, asset, skills
    key: str  # record key (asset `kind:id`, discussion `project/id`, skills: the handle)
    title: str
    url: str  # site-relative page URL
    role: str  # lead, contributor, …, author, participant, owner, self-declared
    date: date | None  # when the person last worked on it (None: undated)
    weight: float  # a(d, e): how strongly the person is tied to the record
    match: float  # p(q|d): how well the record matches the query or topic
    score: float  # weight × match: its part of the person's score
    detail: str = ""  # e.g. "4 messages", "reused 5×, via churn-uplift-2024"
    versions: tuple[str, ...] = ()  # versions of the matched tools in the record
    ongoing: bool = False  # the work goes on (active project, current owner): dated the reference date

    @property
    def when(self) -> str:
        return "ongoing" if self.ongoing else (self.date.isoformat() if self.date else "undated")


@dataclass(frozen=True)
class Expert:
    handle: str
    name: str
    alumni: bool
    score: float
    evidence: tuple[Evidence, ...]  # largest contribution first

    @property
    def url(self) -> str:
        return urls.url("person", self.handle)

    def explained(self) -> tuple[tuple[Evidence, ...], tuple[Evidence, ...]]:
        """The evidence `--explain` and the topic page list one by one (each at least EXPLAIN_MIN of the
        score), and the rest, summed on one line."""
        shown = tuple(x for x in self.evidence if x.score >= EXPLAIN_MIN * self.score)
        return shown, self.evidence[len(shown) :]


@dataclass(frozen=True)
class Topic:
    key: str  # matching form
    slug: str
    name: str  # display spelling
    kinds: tuple[str, ...]  # of tag, tool, domain
    versions: tuple[str, ...]  # tool versions seen, oldest first
    records: int  # records carrying it
    experts: tuple[Expert, ...]  # best first

    @property
    def url(self) -> str:
        return urls.url("topic", self.slug)

    @property
    def letter(self) -> str:
        first = self.slug[:1].upper()
        return first if first.isalpha() else "0–9"


@dataclass(frozen=True)
class Strength:
    """A topic on a person's profile."""

    topic: Topic
    score: float
    rank: int  # the person's place among the topic's experts (1 = first)
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True)
class Built:
    """An asset a person's projects produced (or that they own), with its reuse."""

    use: AssetUse
    role: str  # their strongest role on the producing projects, or "owner"
    projects: tuple[str, ...]


@dataclass(frozen=True)
class TopicMatch:
    """A topic (or a self-declared skill) found in a query."""

    key: str
    name: str
    slug: str | None  # None: only someone's declared skill, no record carries it
    version: str | None = None
    at_least: bool = False


@dataclass(frozen=True)
class Ranking:
    query: str
    matches: tuple[TopicMatch, ...]
    latest: bool
    experts: tuple[Expert, ...]
    text_used: bool  # full-text scores took part
