"""The prior-art engine and the people-to-ask model kept between runs, in a form that loads in milliseconds.

`hubgen prior-art` and `hubgen new` at 10,000 projects spent about 10 s loading the hub and
building the engine and the expertise model, for a 30 ms query. Both are kept in
`.hubgen-cache/prior-art/<audience>/`, each cut to the audience exactly as when it was
built, with the content fingerprint the search index uses (`hubgen.search.index_state`),
the code that made them (`hubgen.fingerprint`) and the reference date of the expertise
model (recency depends on it). A snapshot that does not match all three, or cannot be
read, is never used: the caller builds from the hub and writes a new one.

The form: the term dictionary as sorted UTF-8 in one blob with offsets (a term is found
by binary search: no dictionary of 350,000 terms built at load), the postings and each
record's vector as numpy arrays, memory-mapped; records and proposals pickled one by
one and unpickled only when a query reaches them. A pickle of the two models as they
are in memory is 90 MB and takes 1.5 s to load.
"""

from __future__ import annotations

import dataclasses
import json
import pickle
import shutil
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import numpy as np

from hubgen.analysis.experts.model import Expertise
from hubgen.analysis.prior_art.engine import PriorArt, Proposal, _Postings
from hubgen.analysis.prior_art.freshness import MADE_BY, made_by, snapshot_dir

SIZES = "files.json"  # each file's size as written

if TYPE_CHECKING:
    from hubgen.analysis.lineage import LineageGraph
    from hubgen.model import Hub

__all__ = ["Asked", "Snapshot", "asked_of", "keep", "of", "read", "snapshot_dir", "write"]

T = TypeVar("T")
V = TypeVar("V")


@dataclass(frozen=True)
class Asked:
    """A project as `hubgen prior-art ID` asks about it: the proposal, its own people, what it cites."""

    proposal: Proposal
    people: tuple[str, ...]
    cited: frozenset[str]


def asked_of(hub: Hub, graph: LineageGraph, project_id: str) -> Asked:
    from hubgen.analysis.prior_art.index import proposal_of  # the index builder: only when building

    p = hub.projects[project_id]
    return Asked(proposal_of(hub, graph, project_id), tuple(r.person for r in p.people), frozenset(p.prior_art))


@dataclass(frozen=True)
class Snapshot:
    engine: PriorArt
    expertise: Expertise
    projects: Mapping[str, Asked]


def of(hub: Hub, graph: LineageGraph, engine: PriorArt, ex: Expertise) -> Snapshot:
    """Both models of `hub` (cut to an audience) with every project as `hubgen prior-art ID` asks about it."""
    return Snapshot(engine, ex, {pid: asked_of(hub, graph, pid) for pid in hub.projects})


def keep(root: Path, audience: str, snapshot: Snapshot, read_from_ns: int | None, today: date) -> bool:
    """Store `snapshot`, made from the hub read from `read_from_ns` on; False (nothing stored) when a file
    changed since, or just before, that read: the content's fingerprints could not vouch for it.
    Raises OSError when it cannot be written (a read-only checkout)."""
    from hubgen.search import index_state

    # Taken after the hub was read, the fingerprints do not vouch for changes made meanwhile (none is kept).
    fingerprint = index_state.fingerprints(root, audience, read_from_ns)
    if not fingerprint.get("listed"):
        return False
    write(snapshot_dir(root, audience), snapshot.engine, snapshot.expertise, snapshot.projects, fingerprint, today)
    return True


class Terms(Mapping[str, int]):
    """Sorted terms in one UTF-8 blob: term -> its place, by binary search (UTF-8 sorts as code points)."""

    def __init__(self, blob: bytes, offsets: np.ndarray) -> None:
        self._blob = blob
        self._offsets = offsets.tolist()  # a list: indexing a numpy array per step costs more than the search

    @staticmethod
    def encode(terms: Sequence[str]) -> tuple[bytes, np.ndarray]:
        """The blob and offsets of `terms`, which must be sorted by their UTF-8 bytes."""
        encoded = [t.encode("utf-8", "surrogatepass") for t in terms]
        offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
        np.cumsum([len(e) for e in encoded], out=offsets[1:])
        return b"".join(encoded), offsets

    def term(self, i: int) -> str:
        return self._blob[self._offsets[i] : self._offsets[i + 1]].decode("utf-8", "surrogatepass")

    def get(self, key: object, default: Any = None) -> Any:
        if not isinstance(key, str):
            return default
        want = key.encode("utf-8", "surrogatepass")
        blob, offsets = self._blob, self._offsets
        lo, hi = 0, len(offsets) - 1
        while lo < hi:
            mid = (lo + hi) // 2
            if blob[offsets[mid] : offsets[mid + 1]] < want:
                lo = mid + 1
            else:
                hi = mid
        return lo if lo < len(offsets) - 1 and blob[offsets[lo] : offsets[lo + 1]] == want else default

    def __getitem__(self, key: str) -> int:
        found = self.get(key)
        if found is None:
            raise KeyError(key)
        return int(found)

    def __contains__(self, key: object) -> bool:
        return self.get(key) is not None

    def __len__(self) -> int:
        return len(self._offsets) - 1

    def __iter__(self) -> Iterator[str]:
        return (self.term(i) for i in range(len(self)))


class _ByTerm(Mapping[str, V], Generic[V]):
    """Term -> a value kept at the term's place in a `Terms` table (subclasses say how: `_at`)."""

    def __init__(self, terms: Terms) -> None:
        self._terms = terms

    def _at(self, i: int) -> V:
        raise NotImplementedError

    def get(self, key: object, default: Any = None) -> Any:
        i = self._terms.get(key)
        return default if i is None else self._at(i)

    def __getitem__(self, key: str) -> V:
        i = self._terms.get(key)
        if i is None:
            raise KeyError(key)
        return self._at(i)

    def __contains__(self, key: object) -> bool:
        return key in self._terms

    def __len__(self) -> int:
        return len(self._terms)

    def __iter__(self) -> Iterator[str]:
        return iter(self._terms)


class _Weights(_ByTerm[float]):
    """Term -> a float (the idf)."""

    def __init__(self, terms: Terms, values: np.ndarray) -> None:
        super().__init__(terms)
        self._values = values

    def _at(self, i: int) -> float:
        return float(self._values[i])


class _Vectors(Sequence[Mapping[str, float]]):
    """Each record's weighted terms, as rows of a CSR array over a `Terms` table."""

    def __init__(self, terms: Terms, indptr: np.ndarray, ids: np.ndarray, weights: np.ndarray) -> None:
        self._terms, self._indptr, self._ids, self._weights = terms, indptr, ids, weights

    def __len__(self) -> int:
        return len(self._indptr) - 1

    def __getitem__(self, j: Any) -> Any:
        if isinstance(j, slice):
            return [self[i] for i in range(*j.indices(len(self)))]
        a, b = int(self._indptr[j]), int(self._indptr[j + 1])
        return {self._terms.term(int(t)): float(w) for t, w in zip(self._ids[a:b], self._weights[a:b])}


class _Groups(_ByTerm[np.ndarray]):
    """Key -> record indexes (a dataset's holders, a project's own records) as one CSR array: a pickle of
    15,000 small arrays took longer to load than the rest of the engine."""

    def __init__(self, keys: Terms, indptr: np.ndarray, values: np.ndarray) -> None:
        super().__init__(keys)
        self._indptr, self._values = indptr, values

    @staticmethod
    def encode(groups: Mapping[str, np.ndarray]) -> tuple[bytes, np.ndarray, np.ndarray, np.ndarray]:
        keys = sorted(groups, key=lambda k: k.encode("utf-8", "surrogatepass"))
        blob, offsets = Terms.encode(keys)
        lengths = [len(groups[k]) for k in keys]
        values = np.concatenate([groups[k] for k in keys]) if keys else np.zeros(0, dtype=np.int64)
        return blob, offsets, np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64), values.astype(np.int64)

    def _at(self, i: int) -> np.ndarray:
        return np.asarray(self._values[self._indptr[i] : self._indptr[i + 1]])


class _Pickled(Sequence[T], Generic[T]):
    """Items pickled one by one, unpickled when first read: a query reads a few dozen of 20,000."""

    def __init__(self, blobs: list[bytes]) -> None:
        self._blobs = blobs
        self._read: dict[int, T] = {}

    def __len__(self) -> int:
        return len(self._blobs)

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        i = range(len(self))[i]  # negative indexes, and IndexError past the end
        if i not in self._read:
            self._read[i] = pickle.loads(self._blobs[i])
        return self._read[i]


class _Keyed(Mapping[str, T], Generic[T]):
    """Like `_Pickled`, by key."""

    def __init__(self, blobs: dict[str, bytes]) -> None:
        self._blobs = blobs
        self._read: dict[str, T] = {}

    def __getitem__(self, key: str) -> T:
        if key not in self._read:
            self._read[key] = pickle.loads(self._blobs[key])
        return self._read[key]

    def __contains__(self, key: object) -> bool:
        return key in self._blobs

    def __len__(self) -> int:
        return len(self._blobs)

    def __iter__(self) -> Iterator[str]:
        return iter(self._blobs)


def write(
    directory: Path,
    engine: PriorArt,
    ex: Expertise,
    projects: Mapping[str, Asked],
    fingerprint: dict[str, str],
    today: date,
) -> None:
    """Store both models and the projects as asked, swapped in whole (a reader sees the old one or the new)."""
    from hubgen.search.index_state import FINGERPRINT, replace_stored

    directory.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".prior-art-", dir=directory.parent))
    try:
        _write_engine(staging, engine)
        _write_expertise(staging, ex)
        _dump(staging / "projects.pickle", {k: pickle.dumps(v, protocol=5) for k, v in projects.items()})
        (staging / MADE_BY).write_text(json.dumps(made_by(today)))
        sizes = {f.name: f.stat().st_size for f in sorted(staging.iterdir())}
        (staging / SIZES).write_text(json.dumps(sizes))
        (staging / FINGERPRINT).write_text(json.dumps(fingerprint))  # last: without it nothing is read
        replace_stored(staging, directory)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def read(directory: Path) -> Snapshot:
    """The stored snapshot (raises OSError, ValueError, pickle or numpy errors when it is damaged).

    Each file must be the size it was written: a file cut short or replaced (a partly restored CI cache)
    would otherwise read as a table that finds nothing, a wrong answer rather than an error."""
    for name, size in json.loads((directory / SIZES).read_text()).items():
        found = (directory / name).stat().st_size
        if found != size:
            raise ValueError(f"{name} is {found} bytes, {size} were written")
    return Snapshot(
        _read_engine(directory),
        _read_expertise(directory),
        _Keyed(_load(directory / "projects.pickle")),
    )


def _dump(path: Path, obj: object) -> None:
    path.write_bytes(pickle.dumps(obj, protocol=5))


def _load(path: Path) -> Any:
    return pickle.loads(path.read_bytes())


def _write_engine(folder: Path, e: PriorArt) -> None:
    order = sorted(e.idf, key=lambda t: t.encode("utf-8", "surrogatepass"))
    blob, offsets = Terms.encode(order)
    place = {t: i for i, t in enumerate(order)}
    (folder / "terms.bin").write_bytes(blob)
    np.save(folder / "terms.npy", offsets)
    np.save(folder / "idf.npy", np.array([e.idf[t] for t in order], dtype=np.float64))
    # The postings by the same term numbers (terms left out of the postings get none).
    old = np.array([e.postings.term_ids.get(t, -1) for t in order], dtype=np.int64)
    has = old >= 0
    counts = np.where(has, e.postings.indptr[old + 1] - e.postings.indptr[old], 0)
    starts = np.where(has, e.postings.indptr[old], 0)
    total = int(counts.sum())
    pos = np.repeat(starts - (np.cumsum(counts) - counts), counts) + np.arange(total)
    np.save(folder / "post-indptr.npy", np.concatenate([[0], np.cumsum(counts)]).astype(np.int64))
    np.save(folder / "post-docs.npy", e.postings.docs[pos])
    np.save(folder / "post-weights.npy", e.postings.weights[pos])
    lengths = [len(v) for v in e.vectors]
    np.save(folder / "vec-indptr.npy", np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64))
    np.save(folder / "vec-terms.npy", np.array([place[t] for v in e.vectors for t in v], dtype=np.int32))
    np.save(folder / "vec-weights.npy", np.array([w for v in e.vectors for w in v.values()], dtype=np.float64))
    for name, groups in (("datasets", e._datasets), ("owned", e._owned)):
        blob, offsets, indptr, values = _Groups.encode(groups)
        (folder / f"{name}.bin").write_bytes(blob)
        np.savez(folder / f"{name}.npz", offsets=offsets, indptr=indptr, values=values)
    small = {
        "glossary": e.glossary,
        "cooccur": e.cooccur,
        "dataset_idf": e.dataset_idf,
        "cocited": e.cocited,
        "surface": e.surface,
        "index": dict(e.index),
        "arrays": {"_kw": e._kind_weight, "_when": e._when, "_kinds": e._kinds},  # read every record to make
    }
    _dump(folder / "engine.pickle", small)
    _dump(folder / "records.pickle", [pickle.dumps(d, protocol=5) for d in e.docs])


def _read_engine(folder: Path) -> PriorArt:
    terms = Terms((folder / "terms.bin").read_bytes(), np.load(folder / "terms.npy"))

    def mapped(name: str) -> np.ndarray:
        return np.load(folder / name, mmap_mode="r")

    small = _load(folder / "engine.pickle")
    engine = PriorArt(
        _Pickled(_load(folder / "records.pickle")),
        _Vectors(terms, mapped("vec-indptr.npy"), mapped("vec-terms.npy"), mapped("vec-weights.npy")),
        _Weights(terms, mapped("idf.npy")),
        _Postings(terms, mapped("post-indptr.npy"), mapped("post-docs.npy"), mapped("post-weights.npy")),
        small["glossary"],
        small["cooccur"],
        small["dataset_idf"],
        small["cocited"],
        small["surface"],
        small["index"],
    )
    arrays = dict(small["arrays"])
    for name, key in (("datasets", "_ds"), ("owned", "_own")):
        with np.load(folder / f"{name}.npz") as z:
            arrays[key] = _Groups(Terms((folder / f"{name}.bin").read_bytes(), z["offsets"]), z["indptr"], z["values"])
    engine.__dict__["_arrays"] = arrays  # the engine's lazily made arrays, made when it was stored
    return engine


def _write_expertise(folder: Path, ex: Expertise) -> None:
    ex.candidates((), ())  # the lookups built from every record, made now and stored
    ex.records_of("")
    ex.version_totals("")
    lean = dataclasses.replace(
        ex,
        topics={slug: dataclasses.replace(t, experts=()) for slug, t in ex.topics.items()},  # ranked per query
        profiles={},
        built={},
        docs=(),
        _carriers=ex._carriers,
        _by_record=ex._by_record,
        _totals=ex._totals,
        _of_person=ex._of_person,
    )
    _dump(folder / "expertise.pickle", lean)
    _dump(folder / "evidence.pickle", [pickle.dumps(d, protocol=5) for d in ex.docs])


def _read_expertise(folder: Path) -> Expertise:
    ex: Expertise = _load(folder / "expertise.pickle")
    ex.docs = _Pickled(_load(folder / "evidence.pickle"))
    return ex
