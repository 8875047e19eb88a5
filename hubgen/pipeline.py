"""The one pass: load → check → restrict to the audience → analyse → render."""

from __future__ import annotations

import multiprocessing
import os
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hubgen.analysis.lineage import dependency_graph
from hubgen.analysis.lineage_problems import lineage_problems
from hubgen.audience import restrict
from hubgen.clock import build_date
from hubgen.engine import vendored_files
from hubgen.load import load_hub
from hubgen.model import VISIBILITY_LEVELS, Hub
from hubgen.problems import Problem, Severity

if TYPE_CHECKING:  # rendering (Jinja, Markdown, matplotlib) is imported only when a site is built
    from hubgen.render.pages import Site


def check(root: Path, today: date | None = None) -> Hub:
    """Load the hub with every problem found, lineage problems included."""
    hub = load_hub(root, today or build_date())
    extra = (
        lineage_problems(hub, dependency_graph(hub)) + expert_settings_problems(hub) + placeholder_problems(hub, root)
    )
    extra += problem_statement_problems(hub)
    if extra:
        hub = replace(
            hub, problems=tuple(sorted(set(hub.problems) | set(extra), key=lambda p: (p.path, p.line or 0, p.message)))
        )
    return hub


def expert_settings_problems(hub: Hub) -> list[Problem]:
    """Ignored values under `experts:` in hub.yml (the defaults apply instead)."""
    from hubgen.analysis.experts import parse_settings

    return [
        Problem("content/hub.yml", None, note, "see docs/expert-ranking.md; the default is used", Severity.WARNING)
        for note in parse_settings(hub.settings.experts)[1]
    ]


def placeholder_problems(hub: Hub, root: Path) -> list[Problem]:
    """Warnings (so `check --strict` fails) on each line still holding `hubgen new`'s TODO text."""
    from hubgen.analysis.health import PLACEHOLDER, placeholders

    records: dict[str, dict[str, Any]] = {
        "project": hub.projects,
        "null-result": hub.null_results,
        "discussion": hub.discussions,
    }
    found = []
    for kind, key in placeholders(hub):
        path = records[kind][key].origin.path
        try:
            lines = (root / path).read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            continue  # the loader has read it; a file gone since is the next check's business
        for number, line in enumerate(lines, 1):
            if PLACEHOLDER in line and not line.lstrip().startswith("#"):
                found.append(
                    Problem(
                        path,
                        number,
                        f"the {kind} still holds the template's '{PLACEHOLDER}' text",
                        "replace it with what you know",
                        Severity.WARNING,
                    )
                )
    return found


def problem_statement_problems(hub: Hub) -> list[Problem]:
    """A warning (so `check --strict` fails) for an active project past ideation with no problem statement:
    once work starts, reviewers and later prior-art searches need to know what it is for. Finished work
    written up before this rule is left alone (the Health page lists its gaps)."""
    return [
        Problem(
            p.origin.path,
            p.origin.line,
            f"project '{p.id}' is {p.status}" + (f" ({p.stage})" if p.stage else "") + " but has no problem statement",
            "add 'problem:': the business problem in the words of the people who have it",
            Severity.WARNING,
        )
        for p in sorted(hub.projects.values(), key=lambda p: p.id)
        if p.status == "active" and p.stage not in (None, "ideation") and not (p.problem or "").strip()
    ]


def errors(problems: tuple[Problem, ...], strict: bool = False) -> list[Problem]:
    """Problems that fail a check: errors, and warnings too when strict."""
    return [p for p in problems if strict or p.severity is Severity.ERROR]


@dataclass
class Result:
    hub: Hub  # the whole hub as loaded, with problems
    visible: Hub  # what the audience may see
    site: Site
    audience: str
    indexing: Any = None  # the search-index worker, while it runs
    analyses: Any = None  # hubgen.analysis.analyses.Analyses of `visible`
    today: date | None = None  # the build date the pages were rendered with

    def finish(self) -> bool:
        """Wait for background work; False if the search index could not be written."""
        if self.indexing is None:
            return True
        self.indexing.join()
        ok = self.indexing.exitcode == 0
        self.indexing = None
        return ok


def resolve_audience(hub: Hub, audience: str | None) -> str:
    """The build's audience: the one asked for, else hub.yml's; never a guess when hub.yml's is unreadable."""
    chosen = audience or hub.settings.audience or "internal"
    if chosen not in VISIBILITY_LEVELS:
        found = [str(p) for p in hub.problems if p.path == "content/hub.yml" and p.severity is Severity.ERROR]
        raise ValueError(
            "the build audience is unknown: "
            + ("; ".join(found) if found else repr(chosen))
            + f" (fix content/hub.yml or choose one: --audience {'|'.join(VISIBILITY_LEVELS)})"
        )
    return chosen


def chart_cache(root: Path, audience: str) -> Path:
    """Where rendered portfolio charts are kept between builds (keyed by their input data)."""
    return root / ".hubgen-cache" / "charts" / audience


def generate(root: Path, audience: str | None = None, hub: Hub | None = None) -> Result:
    """The whole pass; `hub` when the caller has already run `check`.

    The CLI search index is written by a worker process while the caller goes
    on (MkDocs renders on one core; the index takes the other): call
    `Result.finish()` before relying on it.
    """
    today = build_date()
    hub = hub or check(root, today)
    chosen = resolve_audience(hub, audience)
    visible = restrict(hub, chosen)
    from hubgen.analysis.analyses import analyse
    from hubgen.render.pages import render_site

    indexing = start_search_index(root, chosen, visible)
    analyses = analyse(visible, today)
    site = render_site(visible, chosen, today, chart_cache(root, chosen), root, analyses)
    site.files.update(vendored_files())
    return Result(hub, visible, site, chosen, indexing, analyses, today)


def keep_prior_art(root: Path, result: Result) -> bool:
    """Store the build's prior-art engine and expertise model for `hubgen prior-art` and `hubgen new`
    (hubgen.analysis.prior_art.stored) unless the stored ones are fresh; True if stored. After a build
    the first of those commands answers in a fraction of a second instead of making them again."""
    from hubgen.analysis.prior_art import freshness, stored
    from hubgen.search import index_state

    analyses, today = result.analyses, result.today
    if analyses is None or analyses.engine is None or today is None:
        return False
    directory = freshness.snapshot_dir(root, result.audience)
    if index_state.is_fresh(directory, root, result.audience) and freshness.made_here(directory, today):
        return False
    snapshot = stored.of(result.visible, analyses.lineage, analyses.engine, analyses.experts)
    try:
        return stored.keep(root, result.audience, snapshot, result.visible.read_from_ns, today)
    except OSError:
        return False  # a read-only checkout: the commands make them when asked


def start_search_index(root: Path, audience: str, visible: Hub) -> Any:
    """Refresh the CLI search index in a forked worker if it is stale; the process, or None."""
    from hubgen.search import index_state

    if index_state.is_fresh(index_state.index_dir(root, audience), root, audience):
        return None
    try:
        worker = multiprocessing.get_context("fork").Process(
            target=_index_worker, args=(root, audience, visible), name="hubgen-search-index"
        )
        worker.start()
        return worker
    except (OSError, ValueError):  # no fork here: do it now
        ensure_search_index(root, audience, visible)
        return None


def _index_worker(root: Path, audience: str, visible: Hub) -> None:
    """Worker body: a failure is reported through the exit code, not a traceback."""
    try:
        ensure_search_index(root, audience, visible)
    except Exception:  # noqa: BLE001 - the parent logs it; `hubgen search` rebuilds on first use
        os._exit(1)


def ensure_search_index(root: Path, audience: str, visible: Hub | None = None) -> bool:
    """Write the CLI search index for `audience` unless it is fresh; True if (re)built."""
    from hubgen.analysis.documents import search_documents
    from hubgen.search import fulltext, index_state

    directory = index_state.index_dir(root, audience)
    if index_state.is_fresh(directory, root, audience):
        return False
    # Taken after `visible` was read, the fingerprints must not vouch for changes made meanwhile.
    fingerprint = index_state.fingerprints(root, audience, visible.read_from_ns if visible is not None else None)
    if visible is None:
        visible = restrict(check(root), audience)
    fulltext.write_index(search_documents(visible), directory, fingerprint, visible.settings.glossary)
    return True
