"""Turn a hub repository into a `Hub`, collecting every problem on the way.

Records that cannot be built (unreadable file, missing required field, broken
required value) are skipped and listed in `Hub.skipped`; everything else is
kept, with its problems reported.
"""

from __future__ import annotations

import difflib
import multiprocessing
import os
import sys
import time
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from hubgen import collector, model, schema
from hubgen.clock import build_date
from hubgen.load import lineage, records
from hubgen.load.context import Reference
from hubgen.load.files import Repo, walk_files
from hubgen.load.folder_cache import FolderCache
from hubgen.load.importer import ImportContext
from hubgen.problems import Problem, ProblemLog

CONTENT = "content"


def load_hub(root: Path, today: date | None = None) -> model.Hub:
    """Load everything under `root/content`; never raises for bad input."""
    with collector.paused_then_frozen():  # millions of long-lived objects: see hubgen.collector
        return _load_hub(root, today)


def _load_hub(root: Path, today: date | None) -> model.Hub:
    read_from_ns = time.time_ns()
    today = today or build_date()
    repo = Repo(root)
    log = ProblemLog()
    refs: list[Reference] = []
    skipped: list[str] = []
    content = repo.root / CONTENT
    if not content.is_dir():
        log.error(
            CONTENT,
            None,
            "no content/ folder in the hub repository",
            "run 'hubgen init' or point --repo at the repository root",
        )
        return model.Hub(model.HubSettings(), {}, {}, {}, {}, {}, (), tuple(log.sorted()), ())

    settings = records.load_settings(repo, content / "hub.yml", log)

    people: dict[str, model.Person] = {}
    for path in walk_files(repo, content / "people", (".yml", ".yaml"), log):
        if path.parent != content / "people" or not records.check_id(path.stem, repo.rel(path), log, "person"):
            if path.parent != content / "people":
                log.warn(
                    repo.rel(path),
                    None,
                    "people files belong directly in content/people/; not read",
                    "move it up to content/people/",
                )
            skipped.append(repo.rel(path))
            continue
        _add(
            people, path.stem, records.load_person(repo, path, log, refs, today), repo.rel(path), log, skipped, "person"
        )

    cache = FolderCache(repo.root, today)
    if cache.note:
        print(f"hubgen: {cache.note}", file=sys.stderr)
    part = _load_projects(repo, repo.listdir(content / "projects", log), log, refs, today, cache)
    cache.save()
    projects, null_results, discussions, imported = part.projects, part.null_results, part.discussions, part.found
    skipped += part.skipped

    for path in walk_files(repo, content / "null-results", (".md",), log):
        _load_null_result(repo, path, log, refs, today, None, null_results, skipped)

    assets: dict[str, model.Asset] = {}
    unreadable = {f"project:{pid}" for pid in part.unreadable}
    for kind_dir in repo.listdir(content / "assets", log):
        if not kind_dir.is_dir() or kind_dir.name not in schema.ASSET_KINDS:
            log.error(
                repo.rel(kind_dir),
                None,
                f"'{kind_dir.name}' is not an asset kind; not read",
                "asset files go in content/assets/<kind>/ with kind one of " + ", ".join(schema.ASSET_KINDS),
            )
            skipped.append(repo.rel(kind_dir))
            continue
        for path in walk_files(repo, kind_dir, (".yml", ".yaml"), log):
            rel = repo.rel(path)
            if not records.check_id(path.stem, rel, log, "asset"):
                skipped.append(rel)
                continue
            found = records.load_asset(repo, path, log, refs, kind_dir.name)
            if found is None:
                unreadable.add(f"{kind_dir.name}:{path.stem}")
            _add(assets, f"{kind_dir.name}:{path.stem}", found, rel, log, skipped, "asset")

    imported.extend(lineage.hub_lineage_files(ImportContext(repo, log, None, refs), content / "lineage"))
    imported.aliases += lineage.asset_aliases(assets)
    links, facts = lineage.resolve(imported)

    _check_references(refs, people, projects, part.unreadable, log)
    return model.Hub(
        settings,
        projects,
        people,
        null_results,
        discussions,
        assets,
        links,
        tuple(log.sorted()),
        tuple(sorted(set(skipped))),
        facts,
        frozenset(unreadable),
        read_from_ns,
    )


def reload_records(root: Path, hub: model.Hub, paths: list[Path], today: date) -> model.Hub | None:
    """`hub` with the records written in `paths` read again, as `load_hub` would read them; None when a
    path is anything but an existing record's own file, or no longer reads as a record (then load the hub).

    For `hubgen serve`: a saved record file is re-read in milliseconds, where
    loading a 10,000-project hub takes seconds. Only a file that is the whole
    source of one record the hub already holds qualifies: hub.yml, lineage,
    assets, an added, moved, deleted or broken file touch more than one record
    (or the problems), and are left to a full load. Editors' hidden and
    backup files beside a record are not records (the loader never reads them).
    """
    repo = Repo(root)
    people, projects = dict(hub.people), dict(hub.projects)
    null_results, discussions = dict(hub.null_results), dict(hub.discussions)
    log, refs = ProblemLog(), list[Reference]()
    for path in sorted(set(paths)):
        if path.name.startswith(".") or path.name.endswith("~"):
            continue
        rel = repo.rel(path)
        parts = Path(rel).parts
        if len(parts) < 3 or parts[0] != CONTENT or not path.is_file():
            return None
        found: Any
        into: dict[str, Any]
        if parts[1] == "people" and len(parts) == 3 and path.suffix in (".yml", ".yaml"):
            into, key = people, path.stem
            found = records.load_person(repo, path, log, refs, today)
        elif parts[1] == "projects" and len(parts) == 4 and parts[3] in ("project.yml", "project.yaml"):
            into, key = projects, parts[2]
            found = records.load_project(repo, path, log, refs, today)
        elif parts[1] == "projects" and len(parts) >= 5 and parts[3] == "discussions" and path.suffix == ".md":
            into, key = discussions, f"{parts[2]}/{path.stem}"
            found = records.load_discussion(repo, path, log, refs, today, parts[2])
        elif parts[1:2] == ("null-results",) or (
            len(parts) >= 5 and parts[1] == "projects" and parts[3] == "null-results"
        ):
            if path.suffix != ".md":
                return None
            into, key = null_results, path.stem
            found = records.load_null_result(repo, path, log, refs, today, parts[2] if parts[1] == "projects" else None)
        else:
            return None
        old = into.get(key)
        if found is None or old is None or old.origin.path != rel:
            return None
        into[key] = found
    return replace(hub, people=people, projects=projects, null_results=null_results, discussions=discussions)


@dataclass
class _Projects:
    """What the project folders hold: the records, their lineage, and what was skipped."""

    projects: dict[str, model.Project] = field(default_factory=dict)
    null_results: dict[str, model.NullResult] = field(default_factory=dict)
    discussions: dict[str, model.Discussion] = field(default_factory=dict)
    found: lineage.Collected = field(default_factory=lineage.Collected)
    skipped: list[str] = field(default_factory=list)
    unreadable: set[str] = field(default_factory=set)  # ids of project folders whose project.yml is broken

    def absorb(self, later: _Projects, log: ProblemLog) -> None:
        """Add folders read after these, as one pass would have: null-result ids are unique hub-wide, the
        first one read wins and the later is reported."""
        self.projects.update(later.projects)
        self.discussions.update(later.discussions)
        self.found.extend(later.found)
        self.skipped += later.skipped
        self.unreadable |= later.unreadable
        for key, found in later.null_results.items():
            _add(self.null_results, key, found, found.origin.path, log, self.skipped, "null result")


PARALLEL_FROM = 2000  # project folders; below this a second process costs more than it saves


def _load_projects(
    repo: Repo, project_dirs: list[Path], log: ProblemLog, refs: list[Reference], today: date, cache: FolderCache | None
) -> _Projects:
    """Every project folder, in order; the second half in a forked process when there are many.

    Reading and parsing 30,000 small YAML files is most of `hubgen check` at
    10,000 projects, and each folder is independent: two cores halve it. The
    halves are merged in folder order, as one pass would have read them.
    """
    half = len(project_dirs) // 2
    if (
        len(project_dirs) < PARALLEL_FROM
        or (os.cpu_count() or 1) < 2
        or "fork" not in multiprocessing.get_all_start_methods()
    ):
        return _load_project_dirs(repo, project_dirs, log, refs, today, cache)
    receive, send = multiprocessing.get_context("fork").Pipe(duplex=False)
    worker = multiprocessing.get_context("fork").Process(
        target=_project_worker,
        args=(receive, send, repo, project_dirs[half:], today, cache),
        name="hubgen-load",
        daemon=True,
    )
    worker.start()
    send.close()
    first = _load_project_dirs(repo, project_dirs[:half], log, refs, today, cache)
    try:
        second, problems, second_refs, cached = receive.recv()
        if cache is not None:
            cache.merge(cached)
    except (EOFError, OSError):  # the worker died: read its half here
        worker.join()
        second = _load_project_dirs(repo, project_dirs[half:], log, refs, today, cache)
        problems, second_refs = [], []
    worker.join()
    log.problems += problems
    refs += second_refs
    first.absorb(second, log)
    return first


def _project_worker(
    receive: Any, send: Any, repo: Repo, project_dirs: list[Path], today: date, cache: FolderCache | None
) -> None:
    # The forked copy of the parent's end goes first: were it kept open, a parent gone (a server stopped
    # mid-load) would leave this process blocked on the full pipe for ever, holding a copy of its memory.
    receive.close()
    log, refs = ProblemLog(), list[Reference]()
    part = _load_project_dirs(repo, project_dirs, log, refs, today, cache)
    try:
        send.send((part, log.problems, refs, cache.used if cache is not None else {}))
    except OSError:  # the parent is gone: nobody to read it
        pass
    send.close()


def _load_project_dirs(
    repo: Repo, project_dirs: list[Path], log: ProblemLog, refs: list[Reference], today: date, cache: FolderCache | None
) -> _Projects:
    """The folders in order, each from the cache when its files are unchanged; merged as one pass would."""
    part = _Projects()
    for project_dir in project_dirs:
        rel = repo.rel(project_dir)
        key = cache.key(project_dir) if cache is not None and project_dir.is_dir() else None
        loaded = cache.get(rel, key) if cache is not None and key else None
        if loaded is None:
            loaded = _load_project_dir(repo, project_dir, today)
            if cache is not None and key:
                cache.put(rel, key, loaded)
        one, problems, found_refs = loaded
        log.problems += problems
        refs += found_refs
        part.absorb(one, log)
    return part


def _load_project_dir(repo: Repo, project_dir: Path, today: date) -> tuple[_Projects, list[Problem], list[Reference]]:
    """One project folder on its own: its records, the problems found and the references to check later."""
    part = _Projects()
    log, refs = ProblemLog(), list[Reference]()
    rel_dir = repo.rel(project_dir)
    if not project_dir.is_dir():
        log.warn(
            rel_dir,
            None,
            "stray file in content/projects/; not read",
            "each project is a folder content/projects/<id>/ with a project.yml",
        )
        return part, log.problems, refs
    pid = project_dir.name
    if not records.check_id(pid, rel_dir, log, "project"):
        part.skipped.append(rel_dir)
        return part, log.problems, refs
    project_file = project_dir / "project.yml"
    if not project_file.exists():
        alt = project_dir / "project.yaml"
        if alt.exists():
            project_file = alt
        else:
            log.error(
                rel_dir,
                None,
                "project folder has no project.yml",
                "add project.yml (hubgen new project ID) or remove the folder",
            )
            part.skipped.append(rel_dir)
            return part, log.problems, refs
    project = records.load_project(repo, project_file, log, refs, today)
    if project is None:
        part.skipped.append(repo.rel(project_file))
        part.unreadable.add(pid)
        return part, log.problems, refs
    part.projects[pid] = project
    part.found.extend(lineage.project_lineage(ImportContext(repo, log, pid, refs), project_dir))
    for path in walk_files(repo, project_dir / "null-results", (".md",), log):
        _load_null_result(repo, path, log, refs, today, pid, part.null_results, part.skipped)
    for path in walk_files(repo, project_dir / "discussions", (".md",), log):
        rel = repo.rel(path)
        if not records.check_id(path.stem, rel, log, "discussion"):
            part.skipped.append(rel)
            continue
        found = records.load_discussion(repo, path, log, refs, today, pid)
        _add(part.discussions, f"{pid}/{path.stem}", found, rel, log, part.skipped, "discussion")
    return part, log.problems, refs


def _add(into: dict, key: str, record: object | None, rel: str, log: ProblemLog, skipped: list[str], what: str) -> None:
    if record is None:
        skipped.append(rel)
        return
    if key in into:
        first = into[key].origin.path
        log.error(
            rel,
            None,
            f"duplicate {what} id '{key}' (also {first}); this one is not built",
            "ids must be unique: rename one of the files",
        )
        skipped.append(rel)
        return
    into[key] = record


def _load_null_result(
    repo: Repo,
    path: Path,
    log: ProblemLog,
    refs: list[Reference],
    today: date,
    project: str | None,
    into: dict[str, model.NullResult],
    skipped: list[str],
) -> None:
    rel = repo.rel(path)
    if not records.check_id(path.stem, rel, log, "null result"):
        skipped.append(rel)
        return
    found = records.load_null_result(repo, path, log, refs, today, project)
    _add(into, path.stem, found, rel, log, skipped, "null result")


def _check_references(
    refs: list[Reference], people: dict, projects: dict, unreadable: set[str], log: ProblemLog
) -> None:
    known = {"person": people, "project": projects}
    folder = {"person": "content/people/<handle>.yml", "project": "content/projects/<id>/project.yml"}
    for ref in refs:
        pool = known.get(ref.kind)
        if pool is None or ref.value in pool:
            continue
        # A null result's project decides who may see it: without the project, hubgen cannot know.
        hidden = "; this record is treated as confidential until it is fixed" if ref.field == "project" else ""
        if ref.kind == "project" and ref.value in unreadable:
            log.error(
                ref.path,
                ref.line,
                f"project '{ref.value}' in '{ref.field}' could not be read{hidden}",
                f"fix the problems in content/projects/{ref.value}/project.yml",
            )
            continue
        near = difflib.get_close_matches(ref.value, list(pool), n=1)
        hint = (
            f"did you mean '{near[0]}'?"
            if near
            else f"add {folder[ref.kind].replace('<handle>', ref.value).replace('<id>', ref.value)}"
        )
        log.error(ref.path, ref.line, f"unknown {ref.kind} '{ref.value}' in '{ref.field}'{hidden}", hint)


def problems_summary(problems: tuple[Problem, ...]) -> tuple[int, int]:
    errors = sum(1 for p in problems if p.severity.value == "error")
    return errors, len(problems) - errors
