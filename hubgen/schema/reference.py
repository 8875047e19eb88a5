"""The record reference, generated from `hubgen.schema.RECORD_KINDS`.

One function writes it for both places it appears: the Contribute page of
every hub site and hubgen's own `docs/format.md`. Regenerate the latter with

    python -m hubgen.schema.reference docs/format.md

(a test fails when the committed file is out of date). The JSON Schemas come
from the same fields: `schema_files()`, written by `hubgen schema`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from hubgen import schema
from hubgen.schema import RecordKind

# Kinds `hubgen new` writes, and the file each is created at.
NEW_KINDS = ("project", "null-result", "discussion", "person")
NEW_USAGE = {
    "project": "hubgen new project ID [--by HANDLE] [--title TEXT]",
    "null-result": "hubgen new null-result ID [--project P] [--by HANDLE] [--title TEXT]",
    "discussion": "hubgen new discussion ID --project P [--by HANDLE] [--title TEXT]",
    "person": "hubgen new person HANDLE [--title 'Full Name']",
}
TITLES = {
    "project": "Project",
    "null-result": "Null result",
    "discussion": "Discussion",
    "person": "Person",
    "asset": "Asset",
    "lineage": "Lineage",
    "hub": "Hub settings",
}
# Where the hub repository keeps the JSON Schemas (written by `hubgen init` / `hubgen schema`).
SCHEMA_DIR = "schemas"
# Files each schema applies to, as editor globs (`yaml.schemas` in .vscode/settings.json).
SCHEMA_GLOBS = {
    "project": ["content/projects/*/project.yml"],
    "person": ["content/people/*.yml"],
    "asset": ["content/assets/*/*.yml"],
    "lineage": ["content/projects/*/lineage.yml"],
    "hub": ["content/hub.yml"],
}


def schema_files() -> dict[str, str]:
    """`<kind>.json` → JSON Schema text, for every record kind, and `export.json` for api/hub.json."""
    from hubgen.render.export import export_schema_text

    files = {
        f"{k.name}.json": json.dumps(schema.json_schema(k), indent=2, ensure_ascii=False) + "\n"
        for k in schema.RECORD_KINDS
    }
    files["export.json"] = export_schema_text()
    return files


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;").replace("\n", " ")


def type_label(ft: schema.FieldType) -> str:
    """A short, readable type for the reference tables."""
    if isinstance(ft, schema.Choice):
        return "one of " + ", ".join(f"`{v}`" for v in ft.values)
    if isinstance(ft, schema.Date):
        return "date `YYYY-MM-DD`"
    if isinstance(ft, schema.Number):
        text = "whole number" if ft.integer else "number"
        return text + (f" ≥ {ft.minimum:g}" if ft.minimum is not None else "")
    if isinstance(ft, schema.Measure):
        return "number or text"
    if isinstance(ft, schema.Ref):
        return f"{ft.kind} id"
    if isinstance(ft, schema.Anything):
        return "any"
    if isinstance(ft, schema.Links):
        return "mapping: " + ", ".join(f"`{k}`" for k in schema.LINK_KEYS) + " → URL or repo path"
    if isinstance(ft, schema.Glossary):
        return "mapping: term → list of synonyms"
    if isinstance(ft, schema.ListOf):
        inner = ft.item
        label = "list of " + ("mappings" if isinstance(inner, schema.Record) else type_label(inner))
        return label + (f" (at least {ft.min_items})" if ft.min_items else "")
    if isinstance(ft, schema.Record):
        return "mapping" + (f", or just its `{ft.shorthand}` as text" if ft.shorthand else "")
    return "text"


def _rows(fields: list[schema.Field], prefix: str = "") -> list[tuple[str, bool, str, str]]:
    rows = []
    for f in fields:
        name = prefix + f.name
        rows.append((name, f.required, type_label(f.type), f.doc))
        inner = f.type.item if isinstance(f.type, schema.ListOf) else f.type
        if isinstance(inner, schema.Record):
            rows += _rows(inner.fields, name + ("[]." if isinstance(f.type, schema.ListOf) else "."))
    return rows


def field_table(kind: RecordKind) -> str:
    lines = ["| field | required | type | meaning |", "|---|---|---|---|"]
    for name, required, label, doc in _rows(kind.fields):
        lines.append(f"| `{name}` | {'**yes**' if required else ''} | {_cell(label)} | {_cell(doc)} |")
    return "\n".join(lines)


def record_reference(level: int = 2) -> str:
    """Markdown: one section per record kind, with where it lives, how to add it, and its fields."""
    h = "#" * level
    out: list[str] = []
    for kind in schema.RECORD_KINDS:
        out.append(f"{h} {TITLES.get(kind.name, kind.name)}\n")
        out.append(f"File: `{kind.location}`  ")
        out.append(f"JSON Schema: `{SCHEMA_DIR}/{kind.name}.json`\n")
        if kind.name in NEW_KINDS:
            out.append(f"Start one from the template: `{NEW_USAGE[kind.name]}`\n")
        if kind.body:
            out.append(f"Body: {kind.body}\n")
        for note in kind.notes:
            out.append(f"{note}\n")
        out.append(field_table(kind) + "\n")
    return "\n".join(out)


def importer_reference(level: int = 2) -> str:
    """Markdown: one section per lineage importer (what is read, identity, what is ignored, limits)."""
    from hubgen.load.backstage import MAX_CATALOG_BYTES
    from hubgen.load.dbt import MAX_MANIFEST_BYTES
    from hubgen.load.event_stream import MAX_EVENT_BYTES

    sizes = {
        "max_event": f"{MAX_EVENT_BYTES >> 20} MB",
        "max_manifest": f"{MAX_MANIFEST_BYTES >> 20} MB",
        "max_catalog": f"{MAX_CATALOG_BYTES >> 20} MB",
    }
    h = "#" * level
    out = [
        f"{h} Lineage from other tools\n",
        (
            "Each importer is one module under `hubgen/load/`; all yield the same lineage links and asset facts, "
            "with the file and line (or event number) they came from. Imported nodes carry no `visibility`: "
            "they are `internal`, unless an asset file describes them (`symlinks`), so a public build shows "
            "none of them.\n"
        ),
    ]
    for imp in schema.IMPORTERS:
        out.append(f"{h}# {imp.name}\n")
        out.append(f"Files: {imp.files}\n")
        out.append("Read:\n\n" + "\n".join(f"- {r}" for r in imp.reads) + "\n")
        out.append(f"Identity: {imp.identity}.\n")
        out.append(f"Not read: {imp.ignored}.\n")
        if imp.limits:
            out.append(f"Limits: {imp.limits.format(**sizes)}.\n")
    return "\n".join(out)


COMMANDS = """\
| command | what it does |
|---|---|
| `hubgen new project ID` | start a project record from the requirements-document template |
| `hubgen new null-result ID [--project P]` | write up something that did not work |
| `hubgen new discussion ID --project P` | open a discussion thread in a project |
| `hubgen new person HANDLE` | add yourself or a colleague |
| `hubgen check --strict` | list every problem as `path:line: message (hint)`; the merge-request check runs the same |
| `hubgen serve` | preview the site at http://127.0.0.1:8000 while you edit |
| `hubgen schema` | refresh the JSON Schemas in `schemas/` that editors use to validate and autocomplete |
"""


def format_doc() -> str:
    """hubgen's own `docs/format.md`."""
    return f"""\
# The hub format

<!-- Generated from hubgen/schema/ by `python -m hubgen.schema.reference docs/format.md`: do not edit by hand. -->

A hub repository holds an `mkdocs.yml` that enables the `hubgen` plugin and a
`content/` folder of records. Every field below is checked by `hubgen check`
(with the file and line of each problem), described by a JSON Schema for
editors (`hubgen schema` writes them to `schemas/`), and listed on the
*Contribute* page of every hub site.

```
<hub repo>/
  mkdocs.yml                         site configuration; enables the hubgen plugin
  content/
    hub.yml                          optional hub settings (name, url, audience, weights)
    projects/<project-id>/
      project.yml                    REQUIRED: the project record
      README.md                      optional long-form narrative for the project page
      lineage.yml                    optional: what it consumes and produces
      dvc.yaml, dvc.lock, **/*.dvc   optional: DVC files, read as lineage
      manifest.json, catalog-info.yaml   optional: a dbt manifest, a Backstage catalog
      null-results/<id>.md           null results of this project
      discussions/<id>.md            discussion threads of this project
    null-results/<id>.md             null results not tied to a project
    people/<handle>.yml              one file per person
    assets/<kind>/<asset-id>.yml     optional descriptions of reusable assets
    lineage/*.json, *.ndjson         optional OpenLineage events (an event, an array, or NDJSON),
                                     dbt manifest.json, Backstage catalog-info.yaml
```

Ids (project ids, handles, asset ids, file stems) match `{schema.ID_PATTERN}`.
Dates are written `YYYY-MM-DD`. Unknown top-level fields are kept and shown as
"other fields", never silently dropped. An optional field left empty
(`risks:` with nothing after it) counts as absent. A nested field marked
**yes** (`people[].role`) is required in each entry of its parent.

An asset reference is `<kind>:<asset-id>[@version]`, kind one of
{", ".join(f"`{k}`" for k in schema.ASSET_KINDS)}.

## Commands

{COMMANDS}
{record_reference(2)}
{importer_reference(2)}"""


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    text = format_doc()
    if args:
        Path(args[0]).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
