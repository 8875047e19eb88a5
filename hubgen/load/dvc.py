"""DVC as DVC writes it: `dvc.yaml` stages and artifacts, `dvc.lock` hashes, `*.dvc` files anywhere in a project.

The project is the node: it produces every stage output and consumes what
it imports (`*.dvc` with `repo.url`) or tracks (`dvc add`) and a stage
reads. Stage-to-stage use is recorded on each output (`stage`,
`stage_consumers`), not as reuse: a project's own pipeline is not reuse by
others, and an intermediate output (read by a later stage, not an artifact)
does not take the project's external consumers either. Source files and params files a stage reads are not assets.
Identity of a pipeline file is `(project folder, path as written)`; of an
import `(repo.url, path in that repo)`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from hubgen import schema
from hubgen.load.files import Document, walk_files
from hubgen.load.importer import (
    Alias,
    Found,
    ImportContext,
    as_dict,
    as_list,
    facts,
    identity_key,
    slug,
)
from hubgen.model import LineageLink, Origin, Stage

DVC_TYPES = {"data": "dataset", "datasets": "dataset", "models": "model"}  # DVC artifact types → asset kinds
MODEL_SUFFIXES = (".pkl", ".pickle", ".joblib", ".pt", ".pth", ".onnx", ".h5", ".keras", ".safetensors", ".model")


def _norm(path: str) -> str:
    return str(PurePosixPath(path.strip().rstrip("/"))).lstrip("./") if path.strip() not in (".", "./") else "."


def _covers(outer: str, inner: str) -> bool:
    """True when path `inner` is `outer` or inside the folder `outer`."""
    return inner == outer or inner.startswith(outer + "/")


def _kind(path: str, section: str) -> str:
    if section in ("metrics", "plots"):
        return "report"
    parts = PurePosixPath(path).parts
    if path.lower().endswith(MODEL_SUFFIXES) or any(p.lower() in ("model", "models") for p in parts):
        return "model"
    return "dataset"


def _paths(entries: Any, doc: Document, where: tuple, ctx: ImportContext, rel: str) -> list[tuple[str, int | None]]:
    """(path, line) of a deps/outs/metrics/plots list: strings, or one-key mappings `path: {options}`."""
    out: list[tuple[str, int | None]] = []
    if entries is None:
        return out
    if not isinstance(entries, list):
        ctx.log.error(
            rel,
            doc.line(where),
            f"'{where[-1]}' of stage '{where[1]}' must be a list of paths",
            "write each path on its own line starting with '- '",
        )
        return out
    for i, item in enumerate(entries):
        line = doc.line(where + (i,))
        if isinstance(item, dict) and len(item) == 1:
            item = next(iter(item))
        if isinstance(item, dict) and where[-1] == "plots":
            continue  # a plot definition (template, x, y) names no file of its own
        if not isinstance(item, str) or not item.strip():
            ctx.log.error(
                rel,
                line,
                f"entry {i + 1} of '{where[-1]}' in stage '{where[1]}' is not a file path; skipped",
                "write a path relative to dvc.yaml, e.g. data/prepared",
            )
            continue
        out.append((_norm(item), line))
    return out


def _params(entries: Any) -> tuple[str, ...]:
    out: list[str] = []
    for item in entries if isinstance(entries, list) else []:
        if isinstance(item, str):
            out.append(item)
        elif isinstance(item, dict):
            for file, keys in item.items():
                out += [f"{file}:{k}" for k in keys] if isinstance(keys, list) else [str(file)]
    return tuple(out)


def _lock(ctx: ImportContext, project_dir: Path, stages: dict) -> dict[str, dict[str, dict]]:
    """stage → path → {hash fields} from dvc.lock; a stage dvc.yaml no longer has is reported."""
    path = project_dir / "dvc.lock"
    if not path.exists():
        return {}
    rel = ctx.repo.rel(path)
    doc = ctx.repo.read_yaml(path, ctx.log)
    if doc is None:
        return {}
    data = doc.data if isinstance(doc.data, dict) else {}
    out: dict[str, dict[str, dict]] = {}
    locked = as_dict(data.get("stages"))
    for name, spec in locked.items():
        if name not in stages:
            ctx.log.warn(
                rel,
                doc.line(("stages", name)),
                f"dvc.lock has stage '{name}', which dvc.yaml does not",
                "run 'dvc repro' (or 'dvc commit') so dvc.lock matches dvc.yaml",
            )
            continue
        entries: dict[str, dict] = {}
        for section in ("deps", "outs"):
            for item in spec.get(section) or [] if isinstance(spec, dict) else []:
                if isinstance(item, dict) and isinstance(item.get("path"), str):
                    entries[_norm(item["path"])] = {k: v for k, v in item.items() if k != "path"}
        params = spec.get("params") if isinstance(spec, dict) else None
        entries[""] = {"params": params} if isinstance(params, dict) else {}
        out[str(name)] = entries
    return out


def _version(locked: dict | None) -> str | None:
    if not locked:
        return None
    for name in ("md5", "etag", "checksum", "sha256"):
        if isinstance(locked.get(name), str):
            return f"{name}:{locked[name]}"
    return None


def _dvc_files(
    ctx: ImportContext, project_dir: Path, ns: str
) -> tuple[list[Found], dict[str, tuple[str, str | None]], dict[str, dict]]:
    """Items from every `*.dvc` under the project; import outs → (key, version); tracked outs → hashes."""
    found: list[Found] = []
    imports: dict[str, tuple[str, str | None]] = {}
    tracked: dict[str, dict] = {}
    for path in walk_files(ctx.repo, project_dir, (".dvc",), ctx.log):
        rel = ctx.repo.rel(path)
        doc = ctx.repo.read_yaml(path, ctx.log)
        if doc is None:
            continue
        if not isinstance(doc.data, dict):
            ctx.log.error(rel, 1, "a .dvc file must be a mapping", "see DVC's .dvc file reference; skipped")
            continue
        base = path.parent.relative_to(project_dir).as_posix()
        outs = [o for o in doc.data.get("outs") or [] if isinstance(o, dict) and isinstance(o.get("path"), str)]
        out_paths = [_norm(f"{base}/{o['path']}") for o in outs] or [_norm(f"{base}/{path.stem}")]
        deps = as_list(doc.data.get("deps"))
        source = next(
            (d for d in deps if isinstance(d, dict) and isinstance(d.get("repo"), dict) and d["repo"].get("url")), None
        )
        if source is None:
            for o, p in zip(outs, out_paths):
                tracked[p] = {k: v for k, v in o.items() if k != "path"}
            continue
        url, name = str(source["repo"]["url"]), str(source.get("path") or path.stem)
        version = source["repo"].get("rev_lock") or source["repo"].get("rev") or None
        key = identity_key("dataset", url, name)
        origin = Origin(rel, doc.line(("deps", deps.index(source))))
        found.append(
            facts(
                key,
                "dvc",
                origin,
                url,
                name,
                path=out_paths[0],
                facets={"dvc_import": {"repo": source["repo"], "outs": outs}},
            )
        )
        found.append(LineageLink(f"project:{ctx.project}", "consumes", key, str(version) if version else None, origin))
        for p in out_paths:
            imports[p] = (key, str(version) if version else None)
    return found, imports, tracked


def _artifacts(ctx: ImportContext, doc: Document, rel: str) -> dict[str, tuple[str, dict, int | None]]:
    """path (or artifact name when it has none) → (key, spec, line) of `artifacts:`."""
    artifacts = doc.data.get("artifacts") or {}
    if not isinstance(artifacts, dict):
        ctx.log.error(
            rel,
            doc.line(("artifacts",)),
            "'artifacts' must be a mapping of name to details",
            "write 'artifacts:' then '  my-model: {path: ..., type: model}'",
        )
        return {}
    out: dict[str, tuple[str, dict, int | None]] = {}
    for name, spec in artifacts.items():
        line = doc.line(("artifacts", name))
        spec = spec if isinstance(spec, dict) else {}
        kind = spec.get("type", "model")
        kind = DVC_TYPES.get(kind, kind) if isinstance(kind, str) else kind
        if kind not in schema.ASSET_KINDS:
            ctx.log.warn(
                rel,
                line,
                f"DVC artifact type '{kind}' is not an asset kind; read as a model",
                "use type: model or dataset",
            )
            kind = "model"
        where = _norm(spec["path"]) if isinstance(spec.get("path"), str) else f"artifact:{name}"
        out[where] = (f"{kind}:{slug(str(name))}", spec, line)
    return out


def load_dvc(ctx: ImportContext, project_dir: Path) -> Iterator[Found]:  # noqa: C901 (dvc.yaml's stages in file order: split, the order of problems would blur)
    """Everything DVC records in one project folder (dvc.yaml, dvc.lock, *.dvc)."""
    ns = ctx.repo.rel(project_dir)
    subject = f"project:{ctx.project}"
    found, imports, tracked = _dvc_files(ctx, project_dir, ns)
    yield from found
    dvc_yaml = project_dir / "dvc.yaml"
    if not dvc_yaml.exists():
        return
    rel = ctx.repo.rel(dvc_yaml)
    doc = ctx.repo.read_yaml(dvc_yaml, ctx.log)
    if doc is None:
        return
    if not isinstance(doc.data, dict):
        ctx.log.error(rel, 1, "dvc.yaml must be a mapping", "see DVC's dvc.yaml reference")
        return
    artifacts = _artifacts(ctx, doc, rel)
    stages_raw = doc.data.get("stages") or {}
    if not isinstance(stages_raw, dict):
        ctx.log.error(
            rel,
            doc.line(("stages",)),
            "'stages' must be a mapping of stage name to stage",
            "write 'stages:' then '  train: {cmd: ..., deps: [...], outs: [...]}'",
        )
        stages_raw = {}
    lock = _lock(ctx, project_dir, stages_raw)

    stages: list[Stage] = []
    outputs: dict[str, tuple[str, str, int | None]] = {}  # path → (stage, section, line)
    reads: dict[str, list[tuple[str, int | None]]] = {}
    for name, spec in stages_raw.items():
        name = str(name)
        line = doc.line(("stages", name))
        if not isinstance(spec, dict):
            ctx.log.error(rel, line, f"stage '{name}' must be a mapping with cmd, deps and outs", "skipped")
            continue
        if "foreach" in spec or "matrix" in spec:
            ctx.log.warn(
                rel,
                line,
                f"stage '{name}' uses foreach/matrix, which hubgen does not expand; skipped",
                "its outputs are not listed as assets",
            )
            continue
        if not spec.get("cmd"):
            ctx.log.error(
                rel,
                line,
                f"stage '{name}' has no cmd",
                "add the command that runs it, e.g. cmd: python src/train.py; its files are still read",
            )
        cmd = spec.get("cmd")
        cmd = " && ".join(map(str, cmd)) if isinstance(cmd, list) else (str(cmd) if cmd else None)
        sections = {
            s: _paths(spec.get(s), doc, ("stages", name, s), ctx, rel) for s in ("deps", "outs", "metrics", "plots")
        }
        for section in ("outs", "metrics", "plots"):
            for p, where in sections[section]:
                if p in outputs:
                    ctx.log.error(
                        rel,
                        where,
                        f"'{p}' is an output of stages '{outputs[p][0]}' and '{name}'",
                        "DVC allows one stage per output: rename one",
                    )
                    continue
                outputs[p] = (name, section, where)
        reads[name] = sections["deps"]
        stages.append(
            Stage(
                name,
                cmd,
                tuple(p for p, _ in sections["deps"]),
                tuple(p for p, _ in sections["outs"]),
                _params(spec.get("params")),
                tuple(p for p, _ in sections["metrics"]),
                tuple(p for p, _ in sections["plots"]),
            )
        )

    # Outputs: produced by the project, with the stages of this pipeline that read them.
    for p, (stage, section, where) in outputs.items():
        readers = tuple(
            s for s, deps in reads.items() if s != stage and any(_covers(p, d) or _covers(d, p) for d, _ in deps)
        )
        art = artifacts.pop(p, None)
        key = art[0] if art else identity_key(_kind(p, section), ns, p)
        locked = lock.get(stage, {}).get(p)
        cmd = next((s.cmd for s in stages if s.name == stage), None)
        origin = Origin(rel, where)
        yield facts(
            key,
            "dvc",
            origin,
            ns,
            p,
            path=p,
            cmd=cmd,
            stage=stage,
            stage_consumers=readers,
            description=art[1].get("desc") if art else None,
            tags=tuple(map(str, art[1].get("labels") or ())) if art else (),
            facets={
                **({"dvc_lock": locked} if locked else {}),
                **({"dvc_artifact": art[0].split(":", 1)[1]} if art else {}),
            },
        )
        yield LineageLink(subject, "produces", key, _version(locked), origin)

    # Inputs a stage reads that DVC tracks (imports, `dvc add`): consumed by the project.
    consumed: set[str] = set()
    for deps in reads.values():
        for d, where in deps:
            if any(_covers(p, d) or _covers(d, p) for p in outputs):
                continue
            for p, (key, _) in imports.items():
                if _covers(d, p) or _covers(p, d):
                    consumed.add(key)
            for p, hashes in tracked.items():
                if (_covers(d, p) or _covers(p, d)) and p not in consumed:
                    consumed.add(p)
                    key = identity_key("dataset", ns, p)
                    origin = Origin(rel, where)
                    yield facts(key, "dvc", origin, ns, p, path=p, facets={"dvc_add": hashes})
                    yield LineageLink(subject, "consumes", key, _version(hashes), origin)

    # Artifacts that are no stage's output: an import's file is consumed, anything else produced.
    for art_path, (key, spec, art_line) in artifacts.items():
        origin = Origin(rel, art_line)
        imported = next((k for p, (k, _v) in imports.items() if _covers(art_path, p) or _covers(p, art_path)), None)
        yield facts(
            key,
            "dvc",
            origin,
            ns,
            art_path if not art_path.startswith("artifact:") else None,
            path=spec.get("path") if isinstance(spec.get("path"), str) else None,
            description=spec.get("desc") if isinstance(spec.get("desc"), str) else None,
            tags=tuple(map(str, spec.get("labels") or ())) if isinstance(spec.get("labels"), list) else (),
        )
        if imported:
            yield Alias(imported, key, origin)  # the artifact is the imported file: consumed, not produced
        else:
            yield LineageLink(subject, "produces", key, None, origin)

    metrics = _metrics(
        ctx,
        project_dir,
        [m for s in stages for m in s.metrics]
        + [_norm(m) for m in doc.data.get("metrics") or [] if isinstance(m, str)],
    )
    params = {s: v[""].get("params") for s, v in lock.items() if v.get("", {}).get("params")}
    yield facts(
        subject,
        "dvc",
        Origin(rel, 1),
        ns,
        None,
        stages=tuple(stages),
        metrics=metrics,
        facets={"params": params} if params else {},
    )


def _metrics(ctx: ImportContext, project_dir: Path, paths: list[str]) -> dict[str, Any]:
    """The contents of the metrics files that are committed (JSON or YAML), by path."""
    out: dict[str, Any] = {}
    for p in dict.fromkeys(paths):
        path = project_dir / p
        if not path.is_file():
            continue
        text = ctx.repo.read_text(path, ctx.log)
        if text is None:
            continue
        try:
            value = json.loads(text) if p.endswith(".json") else yaml.safe_load(text)
        except (ValueError, yaml.YAMLError):
            ctx.log.warn(
                ctx.repo.rel(path),
                None,
                "metrics file is not valid JSON or YAML; not shown",
                "DVC metrics files are JSON, YAML or TOML",
            )
            continue
        if isinstance(value, dict):
            out[p] = value
    return out
