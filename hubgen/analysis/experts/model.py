"""The expertise model as computed once per build: topics with their ranked experts, profiles, what each
person built. Kept apart from scoring so query parsing can read it without importing the scorer."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from hubgen.analysis.experts.documents import _Doc
from hubgen.analysis.experts.results import Built, Strength, Topic
from hubgen.analysis.experts.settings import Settings
from hubgen.analysis.experts.text import topic_key
from hubgen.model import Person


@dataclass
class Expertise:
    """Every topic's ranked experts, every person's profile, and what each built: computed once."""

    settings: Settings
    today: date
    topics: dict[str, Topic]  # slug -> topic, sorted by slug
    profiles: dict[str, tuple[Strength, ...]]  # handle -> strongest topics first
    built: dict[str, tuple[Built, ...]]  # handle -> most reused first
    people: dict[str, Person]
    docs: Sequence[_Doc] = field(repr=False, default=())  # hubgen.analysis.prior_art.stored reads them lazily
    slug_of: dict[str, str] = field(repr=False, default_factory=dict)  # topic key -> slug
    skill_names: dict[str, str] = field(repr=False, default_factory=dict)  # key -> spelling

    _carriers: dict[str, tuple[int, ...]] | None = field(repr=False, default=None, compare=False)
    _by_record: dict[tuple[str, str], tuple[int, ...]] | None = field(repr=False, default=None, compare=False)

    def candidates(self, keys: Iterable[str], records: Iterable[tuple[str, str]]) -> set[int]:
        """Indexes into `docs` of the records that carry any topic key or are among
        `records` ((kind, key) as full-text search names them): the only ones a query can score.
        Scoring every record for every query made proposals' "people to ask" quadratic in hub size."""
        if self._carriers is None or self._by_record is None:
            carriers: dict[str, list[int]] = defaultdict(list)
            by_record: dict[tuple[str, str], list[int]] = defaultdict(list)
            for i, d in enumerate(self.docs):
                for key in d.topics:
                    carriers[key].append(i)
                by_record["person" if d.kind == "skills" else d.kind, d.key].append(i)
            self._carriers = {k: tuple(v) for k, v in carriers.items()}
            self._by_record = {k: tuple(v) for k, v in by_record.items()}
        found: set[int] = set()
        for key in keys:
            found.update(self._carriers.get(key, ()))
        for record in records:
            found.update(self._by_record.get(record, ()))
        return found

    _totals: dict[str, dict[tuple[str | None, ...], dict[str, float]]] | None = field(
        repr=False, default=None, compare=False
    )
    _of_person: dict[str, tuple[int, ...]] | None = field(repr=False, default=None, compare=False)

    def version_totals(self, key: str) -> dict[tuple[str | None, ...], dict[str, float]]:
        """For each set of versions records used a topic with, per person: the sum over those records of
        p(t|d) × the person's weight on the record. A topic match's part of a score is linear in these,
        whatever version the query asks for, so a query visits no record for it (visiting every carrier
        of a common tool made each proposal's "people to ask" read half the hub)."""
        if self._totals is None:
            totals: dict[str, dict[tuple[str | None, ...], dict[str, float]]] = defaultdict(
                lambda: defaultdict(lambda: defaultdict(float))
            )
            for d in self.docs:
                for k, versions in d.topics.items():
                    share = d.carries(k)
                    for link in d.links:
                        totals[k][tuple(versions)][link.handle] += share * link.weight
            self._totals = {k: {vs: dict(by) for vs, by in groups.items()} for k, groups in totals.items()}
        return self._totals.get(key, {})

    @property
    def handles(self) -> tuple[list[str], dict[str, int]]:
        """Everyone a score can go to (linked to a record, or in the directory), and each one's place:
        a query's scores are one array over them."""
        cached = self.__dict__.get("_handles")
        if cached is None:
            self.records_of("")  # every linked handle
            assert self._of_person is not None
            names = sorted(set(self._of_person) | set(self.people))
            cached = self.__dict__["_handles"] = (names, {h: i for i, h in enumerate(names)})
        return cached

    def version_arrays(self, key: str) -> list[tuple[tuple[str | None, ...], np.ndarray, np.ndarray]]:
        """`version_totals(key)` as (versions, people's places, totals) arrays."""
        found = self.__dict__.setdefault("_version_arrays", {})
        if key not in found:
            place = self.handles[1]
            found[key] = [
                (
                    versions,
                    np.fromiter((place[h] for h in by_person), dtype=np.int64, count=len(by_person)),
                    np.fromiter(by_person.values(), dtype=float, count=len(by_person)),
                )
                for versions, by_person in self.version_totals(key).items()
            ]
        return found[key]

    def records_of(self, handle: str) -> tuple[int, ...]:
        """Indexes into `docs`, in order, of the records a person is linked to."""
        if self._of_person is None:
            found: dict[str, list[int]] = defaultdict(list)
            for i, d in enumerate(self.docs):
                for h in dict.fromkeys(link.handle for link in d.links):
                    found[h].append(i)
            self._of_person = {h: tuple(v) for h, v in found.items()}
        return self._of_person.get(handle, ())

    def topic(self, name: str) -> Topic | None:
        """A topic by slug, name or any spelling of it."""
        if name in self.topics:
            return self.topics[name]
        slug = self.slug_of.get(topic_key(name))
        return self.topics.get(slug) if slug else None

    def letters(self) -> list[tuple[str, list[Topic]]]:
        groups: dict[str, list[Topic]] = defaultdict(list)
        for t in sorted(self.topics.values(), key=lambda t: (t.name.casefold(), t.slug)):
            groups[t.letter].append(t)
        return sorted(groups.items(), key=lambda kv: (kv[0] == "0–9", kv[0]))
