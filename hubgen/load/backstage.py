"""Backstage `catalog-info.yaml` (multi-document): components, resources, APIs and systems.

Identity is the entity ref `kind:namespace/name`, compared without case as
Backstage does (the name is shown as written). Component → `component:`,
API → `component:`, Resource → `dataset:`, System → `app:`. `dependsOn` and
`consumesApis` are consumes, `providesApis` produces, `system` is the parent.
`User` and `Group` entities are read to turn an owner ref into the person's
email where the catalog gives one; Domain, Location and Template are not read.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from hubgen.load.files import parse_yaml
from hubgen.load.importer import Found, ImportContext, facts, identity_key
from hubgen.model import LineageLink, Origin

MAX_CATALOG_BYTES = 32 * 1024 * 1024  # a whole company's catalog in one file
KINDS = {"component": "component", "api": "component", "resource": "dataset", "system": "app"}
PEOPLE = ("user", "group")
EDGES = (
    ("dependsOn", "consumes", "component"),
    ("consumesApis", "consumes", "api"),
    ("providesApis", "produces", "api"),
)


def entity_ref(text: str, default_kind: str, default_namespace: str = "default") -> tuple[str, str, str]:
    """`[kind:][namespace/]name` → (kind, namespace, name), kind and namespace lowercased."""
    kind, _, rest = text.partition(":") if ":" in text else (default_kind, "", text)
    namespace, _, name = rest.rpartition("/")
    return kind.strip().lower(), (namespace or default_namespace).strip().lower(), name.strip()


def entity_key(kind: str, namespace: str, name: str) -> str | None:
    if kind not in KINDS:
        return None
    return identity_key(KINDS[kind], f"backstage:{namespace}", f"{kind}:{name.casefold()}")


def _documents(text: str, rel: str, ctx: ImportContext) -> Iterator[tuple[Any, int]]:
    """Each YAML document of a multi-document file, with the line it starts on."""
    lines = text.split("\n")
    start = 0
    for i, line in enumerate([*lines, "---"]):
        if line.rstrip() in ("---", "...") or line.startswith("--- "):
            chunk = "\n".join(lines[start:i])
            if chunk.strip():
                doc = parse_yaml(chunk, rel, ctx.log, line_offset=start)
                if doc is not None:
                    yield doc, start + 1
            start = i + 1


def load_catalog(ctx: ImportContext, path: Path) -> Iterator[Found]:
    rel = ctx.repo.rel(path)
    text = ctx.repo.read_text(path, ctx.log, MAX_CATALOG_BYTES)
    if text is None:
        return
    entities = []
    emails: dict[tuple[str, str, str], str] = {}
    for doc, line in _documents(text, rel, ctx):
        data = doc.data
        if data is None:
            continue
        meta: Any = data.get("metadata") if isinstance(data, dict) else None
        if (
            not isinstance(data, dict)
            or not isinstance(data.get("kind"), str)
            or not isinstance(meta, dict)
            or not isinstance(meta.get("name"), str)
        ):
            ctx.log.error(
                rel,
                line,
                "not a Backstage entity (needs kind and metadata.name); skipped",
                "each document is apiVersion, kind, metadata: {name}, spec",
            )
            continue
        kind, namespace = data["kind"].lower(), str(meta.get("namespace") or "default").lower()
        spec: dict[str, Any] = data["spec"] if isinstance(data.get("spec"), dict) else {}
        if kind in PEOPLE:
            profile: dict[str, Any] = spec["profile"] if isinstance(spec.get("profile"), dict) else {}
            if isinstance(profile.get("email"), str):
                emails[(kind, namespace, meta["name"].casefold())] = profile["email"]
            continue
        if kind not in KINDS:
            continue
        entities.append((kind, namespace, meta, spec, Origin(rel, line)))
    for kind, namespace, meta, spec, origin in entities:
        key = entity_key(kind, namespace, meta["name"])
        assert key
        owner = spec.get("owner")
        owners: tuple[str, ...] = ()
        if isinstance(owner, str) and owner.strip():
            ref = entity_ref(owner, "group", namespace)
            owners = (emails.get((ref[0], ref[1], ref[2].casefold()), owner),)
        system = spec.get("system")
        parent = entity_key(*entity_ref(system, "system", namespace)) if isinstance(system, str) else None
        yield facts(
            key,
            "backstage",
            origin,
            f"backstage:{namespace}",
            f"{kind}:{meta['name']}",
            title=meta.get("title") or meta["name"],
            description=meta.get("description"),
            owners=owners,
            lifecycle=spec.get("lifecycle") if isinstance(spec.get("lifecycle"), str) else None,
            job_type=f"Backstage {kind}" + (f" · {spec['type']}" if isinstance(spec.get("type"), str) else ""),
            tags=tuple(map(str, meta.get("tags") or ())),
            parent=parent,
            facets={k: meta[k] for k in ("links", "annotations") if meta.get(k)},
        )
    for kind, namespace, meta, spec, origin in entities:  # after every entity's own facts
        key = entity_key(kind, namespace, meta["name"])
        assert key
        for field_name, verb, default in EDGES:
            refs = spec.get(field_name)
            for ref in refs if isinstance(refs, list) else []:
                if not isinstance(ref, str):
                    continue
                other = entity_key(*entity_ref(ref, default, namespace))
                if other is None:
                    ctx.log.warn(
                        origin.path,
                        origin.line,
                        f"'{meta['name']}': {field_name} '{ref}' is not a component, API, resource or system; ignored",
                        "write kind:namespace/name",
                    )
                    continue
                oref = entity_ref(ref, default, namespace)
                yield facts(other, "backstage", origin, f"backstage:{oref[1]}", f"{oref[0]}:{oref[2]}")
                yield LineageLink(key, verb, other, None, origin)
