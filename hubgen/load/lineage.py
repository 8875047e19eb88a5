"""Lineage from every importer, merged into the hub's links and facts.

Importers (one module each, one interface: `hubgen.load.importer`):
`lineage_yml` (native), `openlineage`, `dvc`, `dbt` (manifest.json) and
`backstage` (catalog-info.yaml). This module picks the importer for a file,
merges what they found (facts of one key from many events, the same link
seen twice) and applies aliases (`symlinks`), the one way two identities
become one.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from hubgen.load.backstage import load_catalog
from hubgen.load.dbt import load_manifest
from hubgen.load.dvc import load_dvc
from hubgen.load.files import walk_files
from hubgen.load.importer import (
    Alias,
    Found,
    ImportContext,
    Importer,
    identity_key,
    slug,
)
from hubgen.load.lineage_yml import load_lineage_yml, parse_ref
from hubgen.load.openlineage import event_date, load_openlineage
from hubgen.model import Asset, AssetFacts, LineageLink

__all__ = [
    "Collected",
    "event_date",
    "hub_lineage_files",
    "load_dvc",
    "load_lineage_yml",
    "parse_ref",
    "project_lineage",
    "resolve",
    "slug",
]

LINEAGE_SUFFIXES = (".json", ".ndjson", ".yaml", ".yml")
_FIRST_WINS = {"key", "source", "origin"}


def importer_for(path: Path) -> Importer:
    """The importer of a file in `content/lineage/`: dbt by name, Backstage for YAML, else OpenLineage."""
    if path.name == "manifest.json" or path.name.endswith(".manifest.json"):
        return load_manifest
    if path.suffix in (".yaml", ".yml"):
        return load_catalog
    return load_openlineage


@dataclass
class Collected:
    """What importers found, merged as it arrives (facts by key, so memory grows with keys, not events)."""

    links: list[LineageLink] = field(default_factory=list)
    facts: dict[str, AssetFacts] = field(default_factory=dict)
    aliases: list[Alias] = field(default_factory=list)

    def add(self, items: Iterable[Found]) -> None:
        for item in items:
            if isinstance(item, LineageLink):
                self.links.append(item)
            elif isinstance(item, AssetFacts):
                old = self.facts.get(item.key)
                self.facts[item.key] = item if old is None else merge_facts(old, item)
            else:
                self.aliases.append(item)

    def extend(self, other: Collected) -> None:
        self.links += other.links
        self.aliases += other.aliases
        self.add(other.facts.values())


def merge_facts(a: AssetFacts, b: AssetFacts) -> AssetFacts:
    """One key's facts from two places: the first non-empty value wins; column lineage and facets are unions."""
    if a == b:
        return a
    values: dict[str, Any] = {}
    for f in dataclasses.fields(AssetFacts):
        old, new = getattr(a, f.name), getattr(b, f.name)
        if f.name == "column_lineage":
            values[f.name] = tuple(dict.fromkeys((*old, *new)))
        elif f.name in ("facets", "metrics"):
            values[f.name] = {**new, **old}
        elif f.name not in _FIRST_WINS and old in (None, "", (), {}):
            values[f.name] = new
    return replace(a, **values) if values else a


def hub_lineage_files(ctx: ImportContext, folder: Path) -> Collected:
    """`content/lineage/`: OpenLineage events, dbt manifests and Backstage catalogs."""
    found = Collected()
    for path in walk_files(ctx.repo, folder, LINEAGE_SUFFIXES, ctx.log):
        found.add(importer_for(path)(ctx, path))
    return found


def project_lineage(ctx: ImportContext, project_dir: Path) -> Collected:
    """A project folder: lineage.yml, DVC files, manifest.json, catalog-info.yaml and *.ndjson events."""
    found = Collected()
    if (project_dir / "lineage.yml").exists():
        found.add(load_lineage_yml(ctx, project_dir / "lineage.yml"))
    found.add(load_dvc(ctx, project_dir))
    for name, importer in (
        ("manifest.json", load_manifest),
        ("catalog-info.yaml", load_catalog),
        ("catalog-info.yml", load_catalog),
    ):
        path = project_dir / name
        if path.is_file() or path.is_symlink():
            found.add(importer(ctx, path))
    for path in sorted(project_dir.glob("*.ndjson")):
        found.add(load_openlineage(ctx, path))
    return found


def asset_aliases(assets: dict[str, Asset]) -> list[Alias]:
    """An asset file's `symlinks`: the OpenLineage identities it stands for."""
    return [
        Alias(identity_key(a.kind, s.namespace, s.name), a.key, a.origin) for a in assets.values() for s in a.symlinks
    ]


def resolve(found: Collected) -> tuple[tuple[LineageLink, ...], dict[str, AssetFacts]]:  # noqa: C901 (one union-find pass)
    """Apply aliases and merge repeated links: the links and facts the hub keeps.

    In each group of aliased keys the one that is only ever an alias target
    (the symlinked table, the described asset, the DVC artifact) stands for
    the group; ties go to the smallest key, so the choice is stable.
    """
    parent: dict[str, str] = {}

    def root(key: str) -> str:
        while parent.get(key, key) != key:
            parent[key] = parent.get(parent[key], parent[key])
            key = parent[key]
        return key

    sources = {a.key for a in found.aliases}
    for alias in found.aliases:
        ra, rb = root(alias.key), root(alias.same_as)
        if ra != rb:
            # the winner: preferably a key never aliased away, then the smaller
            pick = min((ra, rb), key=lambda k: (k in sources, k))
            parent[ra if pick == rb else rb] = pick
    groups: dict[str, list[str]] = {}
    for key in list(parent):
        groups.setdefault(root(key), [root(key)]).append(key)
    canonical: dict[str, str] = {}
    for members in groups.values():
        best = min(members, key=lambda k: (k in sources, k))
        for m in members:
            canonical[m] = best

    identity = {a.same_as: (a.namespace, a.name) for a in found.aliases if a.name is not None}
    facts: dict[str, AssetFacts] = {}
    for key, item in found.facts.items():
        target = canonical.get(key, key)
        if target != key:
            aka = {"namespace": item.namespace, "name": item.name}
            namespace, name = identity.get(target, (item.namespace, item.name))
            item = replace(item, key=target, namespace=namespace, name=name, facets={**item.facets, "aliases": [aka]})
        old = facts.get(target)
        if old is not None and target != key:
            seen = old.facets.get("aliases", [])
            item = replace(item, facets={**item.facets, "aliases": [*seen, *item.facets["aliases"]]})
        facts[target] = item if old is None else merge_facts(old, item)
    for key, item in list(facts.items()):
        if item.column_lineage and canonical:
            facts[key] = replace(
                item,
                column_lineage=tuple(replace(c, source=canonical.get(c.source, c.source)) for c in item.column_lineage),
            )
        if item.parent in canonical:
            facts[key] = replace(facts[key], parent=canonical[item.parent])

    links: dict[tuple[str, str, str, str | None], LineageLink] = {}
    for link in found.links:
        subject, target = canonical.get(link.subject, link.subject), canonical.get(link.target, link.target)
        if subject == target and link.verb != "declares":
            continue  # an alias of what it reads: not a dependency on itself
        if (subject, target) != (link.subject, link.target):
            link = replace(link, subject=subject, target=target)
        k = (link.subject, link.verb, link.target, link.version)
        seen = links.get(k)
        if seen is None:
            links[k] = link
        elif link.when and (seen.when is None or link.when > seen.when):
            links[k] = replace(seen, when=link.when)
    return tuple(links.values()), facts
