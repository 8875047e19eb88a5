"""The one interface every lineage importer follows.

An importer is a function `(ImportContext, path) -> Iterator[Found]`: it reads
one file and yields what it found there, each item carrying the file and line
(or event index) it came from. Problems go to the context's log; an importer
never raises for bad input. `hubgen.load.lineage.collect` merges the items of
every importer into the hub's links and facts.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hubgen import schema
from hubgen.load.context import Reference
from hubgen.load.files import Repo
from hubgen.model import AssetFacts, LineageLink, Origin
from hubgen.problems import ProblemLog

READABLE_MAX = 80  # characters of the readable part of an imported id: URLs and file names stay short
DIGEST_CHARS = 10  # hex digits of the identity hash (40 bits: collisions only past ~10^6 identities)


@dataclass(frozen=True)
class Alias:
    """`key` is the same thing as `same_as` (an OpenLineage `symlinks` facet, or an asset file's `symlinks`)."""

    key: str
    same_as: str
    origin: Origin = field(default_factory=lambda: Origin(""))
    namespace: str | None = None  # the identity `same_as` stands for, when it is an imported one
    name: str | None = None


Found = LineageLink | AssetFacts | Alias


@dataclass
class ImportContext:
    repo: Repo
    log: ProblemLog
    project: str | None = None  # the project folder the file is in, if any
    refs: list[Reference] = field(default_factory=list)


Importer = Callable[[ImportContext, Path], Iterator[Found]]


def as_dict(value: object) -> dict[str, Any]:
    """`value` if it is a mapping, else an empty one: outside files hold anything anywhere."""
    return value if isinstance(value, dict) else {}


def as_list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def slug(text: str) -> str:
    """A readable id from an outside name: lowercase, other characters become '-'."""
    out = re.sub(r"[^a-z0-9._-]+", "-", text.strip().lower()).strip("-.")
    return out if out and schema.ID_RE.match(out) else ("x-" + out if out else "unnamed")


def identity_key(kind: str, namespace: str, name: str) -> str:
    """The node key of an outside identity `(namespace, name)`: never shared by two identities.

    The readable part is a slug of the name, cut to READABLE_MAX; the hash of
    the exact namespace and name makes it unique, so case, unicode, slashes and
    namespaces all stay distinct. The hash is always there: whether a slug is
    "unique enough" depends on the rest of the hub, and URLs must not change
    when another file is added.
    """
    readable = slug(name)[:READABLE_MAX].rstrip("-.") or "unnamed"
    digest = hashlib.sha256(f"{namespace}\x00{name}".encode("utf-8", "surrogatepass")).hexdigest()[:DIGEST_CHARS]
    return f"{kind}:{readable}-{digest}"


def facts(
    key: str, source: str, origin: Origin, namespace: str | None = None, name: str | None = None, **values: object
) -> AssetFacts:
    """AssetFacts with empty values left out (importers fill what their format carries)."""
    filled = {k: v for k, v in values.items() if v not in (None, "", (), {}, [])}
    return AssetFacts(key, source, namespace, name, origin=origin, **filled)  # type: ignore[arg-type]
