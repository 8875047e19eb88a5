"""What each lineage importer reads, for the docs (the format reference lists them)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ImporterDoc:
    """What one lineage importer reads, how it names things, and what it leaves alone (docs/format.md)."""

    name: str
    files: str
    reads: list[str]
    identity: str
    ignored: str
    limits: str = ""  # `{max_event}`, `{max_manifest}`, `{max_file}`: filled in from the importers' constants


IMPORTERS: list[ImporterDoc] = [
    ImporterDoc(
        "Native lineage (`lineage.yml`)",
        "`content/projects/<id>/lineage.yml`",
        ["`consumes`: asset references `kind:id[@version]` or project ids; `produces`: asset references"],
        "the asset reference as written: `dataset:claims-2023` is one asset wherever it is written",
        "fields other than `consumes` and `produces` (warned about); an unknown kind, a bad id or a project "
        "under `produces` is an error with its line. A dependency loop between projects declared here is an "
        "error (`lineage cycle`); a loop the other tools' files record is a warning",
    ),
    ImporterDoc(
        "OpenLineage",
        "`content/lineage/**/*.json` (one event or an array) and `*.ndjson` (one event a line); "
        "`content/projects/<id>/*.ndjson`",
        [
            "RunEvent, JobEvent and DatasetEvent, of any `eventType` (START events often carry the inputs and "
            "outputs, COMPLETE events may carry none); `eventTime` gives 'last used'",
            "every input and output is a `dataset:` node, every job a `job:` node; a job reads its inputs and "
            "writes its outputs; several jobs may write one dataset, and a job that writes what it reads does not "
            "depend on its co-writers (no cycle)",
            "facets: `schema` (columns and types), `columnLineage` (which input columns feed each output column, "
            "shown on both datasets), `ownership` (owners, linked to people by email or handle), `documentation` "
            "(description), `sql` (shown as code), run facet `parent` (the job hierarchy: a dbt model under its run, "
            "an Airflow task under its DAG), `dataSource`, `jobType`; every other facet is kept as written in "
            "`api/hub.json` (`facts.facets`)",
            "`symlinks`: the one way two identities are one dataset; a `TABLE` identifier stands for the group, a "
            "`LOCATION` is an alternative name. An asset file's `symlinks` field does the same for a described asset",
        ],
        "`(namespace, name)` exactly as written: case, unicode, slashes and namespace all count. The node id is "
        "a readable slug of the name (at most 80 characters) plus 10 hex digits of a hash of the exact namespace "
        "and name, e.g. `dataset:postgres.public.orders-1a2b3c4d5e`: two names that differ anywhere are two "
        "nodes, and URLs do not change when other files are added. Pages and `api/hub.json` show the original "
        "`namespace` and `name`",
        "run ids (test and template events carry placeholders), `producer`, `schemaURL`, run facets other than "
        "`parent` (kept nowhere), input/output facets other than those above (kept in the export). A job with no "
        "name is reported; its datasets are still imported",
        "read as a stream, one event at a time: a file may be any size (memory grows with distinct datasets and "
        "jobs, not with events). One event may be at most {max_event}: a longer NDJSON line is reported and "
        "skipped; in a JSON array, it and the rest of the file are not read and the events before it are kept. "
        "A malformed event is reported with its line and event number, and the others are imported",
    ),
    ImporterDoc(
        "DVC",
        "`content/projects/<id>/dvc.yaml`, `dvc.lock` and `**/*.dvc` in the project folder",
        [
            "each stage of `dvc.yaml`: `cmd`, `deps`, `outs`, `params`, `metrics`, `plots` (the project page "
            "shows the pipeline)",
            "each stage output (`outs`, `metrics`, `plots` of a stage) is an asset produced by the project, with "
            "its `path` as written, the stage that writes it and the stages that read it; an output a later stage "
            "reads and that is no artifact is a pipeline step: it takes no external-use credit",
            "`dvc.lock`: each output's hash (`md5:…`) is its version; the params values are shown",
            "`artifacts:` are assets of their `type` (`model`, `dataset`, …) named by the artifact; an artifact whose "
            "path is an imported file is consumed, not produced",
            "`*.dvc` anywhere in the folder with `deps[].repo.url` (an import) is a dataset the project consumes, "
            "versioned by `rev_lock` (or `rev`); a `dvc add` file is a dataset the project consumes when a stage "
            "reads it",
            "metrics files a stage lists, when committed (JSON or YAML), are shown on the project page",
        ],
        "a pipeline file: `(project folder, path as written)`; an import: `(repo.url, path in that repo)`; an "
        "artifact: `kind:<artifact name>`",
        "source files and params files a stage reads (`src/*.py`, `params.yaml`) are not assets; `foreach`/"
        "`matrix` stages are reported and not expanded; the top-level `plots:` definitions. A stage without "
        "`cmd` or with an entry that is not a path is an error with its line; the rest is imported. A `*.dvc` "
        "link that points outside the repository is an error and is not read",
    ),
    ImporterDoc(
        "dbt",
        "`manifest.json` (or `*.manifest.json`) in `content/lineage/` (any depth) or a project folder",
        [
            "models and snapshots are `job:` nodes that write their relation (a `dataset:`) and read the datasets "
            "of their `depends_on.nodes`; seeds and sources are datasets; exposures are `job:` nodes that consume "
            "(dashboards, apps)",
            "`description`, `columns` (name, `data_type`, description), owner (`meta.owner` or `config.meta.owner`; "
            "an exposure's `owner.email`), `tags`, `raw_code` (shown as SQL), `materialized`",
        ],
        "a dataset: `(adapter_type, database.schema.alias)` as written in the manifest; a job: "
        "`(dbt://<package>, unique_id)`. OpenLineage's dbt integration names the same tables "
        "`(postgres://host:port, …)`: join them with `symlinks` in an asset file",
        "tests, macros, metrics, semantic models, docs blocks, `parent_map`/`child_map` (the same edges as "
        "`depends_on`). A manifest schema version hubgen does not know (it knows v1 to v12) is one warning, and "
        "the manifest is still read",
        "at most {max_manifest} (it is read whole)",
    ),
    ImporterDoc(
        "Backstage",
        "`catalog-info.yaml` in a project folder; any `*.yaml`/`*.yml` in `content/lineage/`",
        [
            "every document of the file; `Component` and `API` become `component:` assets, `Resource` a "
            "`dataset:`, `System` an `app:`",
            "`spec.owner` (a `user:` ref is shown as that User entity's email when the catalog gives one, and "
            "linked to the person with that email or handle), `spec.lifecycle`, `spec.type`, `metadata.description`,"
            " `metadata.title`, `metadata.tags`; `spec.system` is the parent",
            "`dependsOn` and `consumesApis` are consumes, `providesApis` produces",
        ],
        "the entity ref `kind:namespace/name`, without case as Backstage compares refs (the name is shown as written)",
        "`Domain`, `Location`, `Template` and `Group` entities (a group owner is shown as written), "
        "annotations and links (kept in the export)",
        "at most {max_catalog} (it is read whole)",
    ),
]
