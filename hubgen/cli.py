"""`hubgen` command line: a thin layer over the pipeline.

Exit codes: 0 success; 1 the hub has problems (check) or the build failed;
2 usage error (bad option, missing mkdocs.yml or content/).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import TextIO

from hubgen import __version__
from hubgen.problems import ScaffoldError
from hubgen.visibility import VISIBILITY_LEVELS

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    pass


def _repo(args: argparse.Namespace) -> Path:
    root = Path(args.repo).resolve()
    if not root.is_dir():
        raise UsageError(f"--repo {args.repo}: no such folder")
    return root


def _mkdocs_config(root: Path, site_dir: Path | None, audience: str | None, strict: bool, offline: bool = False):
    from mkdocs.config import load_config
    from mkdocs.exceptions import ConfigurationError

    from hubgen import engine

    config_file = root / "mkdocs.yml"
    if not config_file.exists():
        raise UsageError(
            f"{config_file}: not found (run 'hubgen init {root}' to create a hub, "
            "or pass --repo pointing at the hub repository)"
        )
    overrides = {"site_dir": str(site_dir)} if site_dir else {}
    overrides.update(engine.docs_dir_override(root, config_file.read_text(encoding="utf-8")))  # no docs/ is fine
    try:
        config = load_config(config_file=str(config_file), **overrides)
    except ConfigurationError as exc:
        raise UsageError(f"{config_file}: {exc}") from exc
    plugin = config.plugins.get("hubgen")
    if plugin is None:
        raise UsageError(f"{config_file}: the hubgen plugin is not enabled (add '- hubgen' under 'plugins:')")
    plugin.config.repo = str(root)
    if audience:
        plugin.config.audience = audience
    plugin.config.strict = plugin.config.strict or strict
    plugin.config.offline = plugin.config.offline or offline
    return config


def cmd_build(args: argparse.Namespace) -> int:
    from mkdocs.commands.build import build
    from mkdocs.exceptions import Abort, MkDocsException

    from hubgen import sitedir

    root = _repo(args)
    audience = args.audience or _default_audience(root)
    site_dir = Path(args.site_dir).resolve() if args.site_dir else root / "site"
    with sitedir.build_lock(root, site_dir) as waited:
        if waited:
            print(
                f"hubgen: waited {max(waited, 1):.0f} s for another hubgen build of this hub to finish", file=sys.stderr
            )
        # Build in a staging folder and swap in at the end: a failed build leaves the old site.
        staging = sitedir.staging_dir(root, site_dir)
        try:
            config = _mkdocs_config(root, staging, audience, args.strict, args.offline)
            build(config)
        except Abort:
            shutil.rmtree(staging, ignore_errors=True)
            print("hubgen build failed: see the errors above; the previous site is unchanged", file=sys.stderr)
            return EXIT_PROBLEMS
        except MkDocsException as exc:
            shutil.rmtree(staging, ignore_errors=True)
            print(f"hubgen build failed: {exc}; the previous site is unchanged", file=sys.stderr)
            return EXIT_PROBLEMS
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        sitedir.swap_in(staging, site_dir)
    print(f"hubgen: site built in {site_dir}", file=sys.stderr)
    return EXIT_OK


def cmd_generate(args: argparse.Namespace) -> int:
    """Write the complete generated tree: builds with plain MkDocs, no hubgen needed."""
    import yaml

    from hubgen import engine
    from hubgen.pipeline import errors, generate

    root = _repo(args)
    config_file = root / "mkdocs.yml"
    config_text = config_file.read_text(encoding="utf-8") if config_file.exists() else "site_name: Hub\n"
    try:
        docs_dir = engine.read_config(config_text).get("docs_dir") or "docs"
    except yaml.YAMLError as exc:
        raise UsageError(f"{config_file}: not valid YAML: {exc}") from exc
    out = Path(args.out).resolve()
    if out == root or root in out.parents and out.name in ("content", docs_dir):
        raise UsageError(f"{out}: choose an output folder that is not the hub itself")
    result = generate(root, args.audience or _default_audience(root))
    result.finish()
    for problem in errors(result.hub.problems):
        print(problem, file=sys.stderr)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-generating-", dir=out.parent))
    docs = staging / "docs"
    own_docs = root / docs_dir
    if own_docs.is_dir():
        shutil.copytree(own_docs, docs)
    own = sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*.md")) if docs.exists() else []
    for path, text in result.site.pages.items():
        target = docs / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    for path, data in result.site.files.items():
        target = docs / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    engine.copy_theme(staging / "theme")
    nav = list(result.site.nav) + engine.own_pages_nav([p for p in own if p not in result.site.pages])
    (staging / "mkdocs.yml").write_text(engine.standalone_config(config_text, nav), encoding="utf-8")
    if out.exists():
        shutil.rmtree(out)
    staging.rename(out)
    print(
        f"hubgen: generated {len(result.site.pages)} pages in {out}; build it with 'mkdocs build -f {out}/mkdocs.yml'",
        file=sys.stderr,
    )
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    from hubgen.serve import serve

    root = _repo(args)
    _mkdocs_config(root, None, None, False)  # a missing mkdocs.yml or plugin is a usage error, before serving
    return serve(root, lambda site_dir: _mkdocs_config(root, site_dir, None, False), args.dev_addr)


def cmd_check(args: argparse.Namespace) -> int:
    from hubgen.pipeline import check, errors

    root = _repo(args)
    hub = check(root)
    failing = errors(hub.problems, args.strict)
    notices = _notices(root, hub, args)  # advice: never part of `failing`
    null_projects = sum(1 for p in hub.projects.values() if p.status == "null-result")
    n_null = len(hub.null_results) + null_projects  # a null-result project is itself a null result
    if args.format == "json":
        print(
            json.dumps(
                {
                    "ok": not failing,
                    "problems": [p.as_dict() for p in hub.problems],
                    "notices": [p.as_dict() for p in notices],
                    "skipped": list(hub.skipped),
                    "counts": {
                        "projects": len(hub.projects),
                        "people": len(hub.people),
                        "null_results": n_null,
                        "null_result_records": len(hub.null_results),
                        "null_result_projects": null_projects,
                        "discussions": len(hub.discussions),
                        "assets": len(hub.assets),
                    },
                },
                indent=2,
            )
        )
        return EXIT_PROBLEMS if failing else EXIT_OK
    n_err = sum(1 for p in hub.problems if p.severity.value == "error")
    of_which = f" ({null_projects} of them projects)" if null_projects else ""
    summary = (
        f"{len(hub.projects)} projects, {len(hub.people)} people, {n_null} null results{of_which}, "
        f"{len(hub.discussions)} discussions: {n_err} error(s), {len(hub.problems) - n_err} warning(s)"
    )
    if hub.skipped:
        summary += f"; {len(hub.skipped)} record(s) would be skipped"
    if notices:
        summary += f"; {len(notices)} proposal(s) with earlier work to cite"
    if args.format == "gitlab":
        print(json.dumps([gitlab_issue(p, root) for p in (*hub.problems, *notices)], indent=2))
    else:
        for problem in (*hub.problems, *notices):
            print(github_annotation(problem, root) if args.format == "github" else problem)
    print(summary, file=sys.stderr)
    if args.format == "github" and failing:
        strict = " (--strict: warnings fail the check too)" if args.strict and n_err < len(failing) else ""
        print(f"::error title=hubgen check::{_escape_data(summary)}{strict}")
    return EXIT_PROBLEMS if failing else EXIT_OK


def _notices(root: Path, hub, args: argparse.Namespace) -> list:
    """Prior-art notices for proposals changed since --changed-since (none without it)."""
    if args.changed_since is None:
        return []
    if not args.changed_since.strip():  # e.g. a pipeline run outside a merge request: no base to compare with
        print("hubgen: --changed-since is empty (no merge-request base): no prior-art notices", file=sys.stderr)
        return []
    from hubgen.notices import ChangesError, prior_art_notices

    try:
        return prior_art_notices(root, hub, _default_audience(root), args.changed_since)
    except ChangesError as exc:
        raise UsageError(str(exc)) from exc


def _repo_path(path: str, root: Path, variable: str) -> str:
    """A hub-relative path from the repository root (`variable` names it in CI): the hub may sit in a subfolder."""
    workspace = Path(os.environ.get(variable) or Path.cwd()).resolve()
    try:
        return (root / path).resolve().relative_to(workspace).as_posix()
    except ValueError:
        return path


def gitlab_issue(problem, root: Path) -> dict[str, object]:
    """A GitLab Code Quality entry: the problem shows on its line in the merge request."""
    import hashlib

    severity = {"error": "major", "warning": "minor"}.get(problem.severity.value, "info")
    text = problem.message + (f" ({problem.hint})" if problem.hint else "")
    fingerprint = hashlib.sha256(f"{problem.path}:{problem.line}:{problem.message}".encode()).hexdigest()
    return {
        "description": text,
        "check_name": f"hubgen-{problem.severity.value}",
        "fingerprint": fingerprint,
        "severity": severity,
        "location": {"path": _repo_path(problem.path, root, "CI_PROJECT_DIR"), "lines": {"begin": problem.line or 1}},
    }


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_annotation(problem, root: Path) -> str:
    """A GitHub Actions workflow command: the problem shows on its line in the pull request."""
    path = _repo_path(problem.path, root, "GITHUB_WORKSPACE")
    level = problem.severity.value  # error, warning or notice: GitHub's own three levels
    where = f"file={_escape_property(path)}" + (f",line={problem.line}" if problem.line else "")
    hint = f" ({problem.hint})" if problem.hint else ""
    return f"::{level} {where},title=hubgen::{_escape_data(problem.message + hint)}"


def cmd_init(args: argparse.Namespace) -> int:
    from hubgen.scaffold import init_hub

    target = Path(args.dir)
    written = init_hub(target, args.name)
    print(
        f"hubgen: new hub in {target} ({len(written)} files). Next:\n"
        f"  cd {target}\n"
        "  hubgen check --strict      # every problem, with file and line\n"
        "  hubgen serve               # preview at http://127.0.0.1:8000\n"
        "  hubgen new person <your-handle>, then hubgen new project <id>\n"
        "  git init && git add . && git commit -m 'Start the hub'   # push to GitHub: "
        ".github/workflows/hub.yml checks and publishes it",
        file=sys.stderr,
    )
    return EXIT_OK


def _prior_art_context(root: Path, audience: str):
    """The hub cut to `audience`, its lineage and the prior-art engine: what every suggestion is drawn from."""
    from hubgen.analysis import prior_art
    from hubgen.analysis.lineage import build_graph
    from hubgen.audience import restrict
    from hubgen.pipeline import check

    visible = restrict(check(root), audience)
    graph = build_graph(visible)
    return visible, graph, prior_art.build(visible, graph)


def _hit_json(s) -> dict[str, object]:
    from hubgen import urls

    return {
        "kind": s.kind,
        "key": s.key,
        "title": s.title,
        "url": urls.url(s.kind, s.key),
        "score": s.score,
        "why": list(s.why),
        "status": s.status or None,
        "detail": s.detail or None,
    }


def cmd_prior_art(args: argparse.Namespace) -> int:
    from hubgen import urls
    from hubgen.analysis import prior_art
    from hubgen.analysis.experts import expertise
    from hubgen.clock import build_date

    root = _repo(args)
    if not (root / "content").is_dir():
        raise UsageError(f"{root}: no content/ folder (point --repo at the hub repository)")
    if (args.id is None) == (args.text is None):
        raise UsageError('give a project id or --text "the idea in a few words" (one of them)')
    if args.limit < 1:
        raise UsageError("--limit must be at least 1")
    audience = args.audience or _default_audience(root)
    visible, graph, engine = _prior_art_context(root, audience)
    if args.id is not None:
        if args.id not in visible.projects:
            raise UsageError(
                f"no project '{args.id}' in the hub (at audience {audience}); "
                "for an idea not written down yet, use --text"
            )
        proposal = prior_art.proposal_of(visible, graph, args.id)
        own = [r.person for r in visible.projects[args.id].people]
        cited = set(visible.projects[args.id].prior_art)
    else:
        proposal, own, cited = prior_art.Proposal(title=args.text), [], set()
    hits = engine.suggest(proposal, args.limit)
    people = prior_art.people_to_ask(expertise(visible, graph, build_date()), proposal, hits, exclude=own)
    if args.json:
        out = [_hit_json(s) | {"cited": s.key in cited} for s in hits]
        out += [
            {
                "kind": "person",
                "key": e.handle,
                "title": e.name,
                "url": urls.url("person", e.handle),
                "score": round(e.score, 4),
                "why": [f"{x.kind} {x.key}" for x in e.evidence[:3]],
            }
            for e in people
        ]
        print(json.dumps(out, indent=2, ensure_ascii=False))
        return EXIT_OK if hits else EXIT_PROBLEMS
    if not hits:
        print("no earlier work found that looks like this", file=sys.stderr)
        return EXIT_PROBLEMS
    for i, s in enumerate(hits, 1):
        label = "null result" if s.is_null_result else s.kind
        print(f"{i:>2}. [{label}] {s.title} ({s.key})" + (" · cited already" if s.key in cited else ""))
        print(f"    {urls.url(s.kind, s.key)}  score {s.score}")
        for why in s.why:
            print(f"    - {why}")
        if s.detail:
            print(f"    {s.detail}")
    if people:
        print("people to ask: " + ", ".join(f"{e.name} (@{e.handle})" for e in people))
    return EXIT_OK


def suggestion_comments(hits) -> list[str]:
    """`prior_art:` lines for `hubgen new project`: commented, so nothing counts until the author keeps it."""
    lines = ["# Suggested by hubgen from earlier work (uncomment what this builds on, delete the rest):"]
    for s in hits:
        why = "; ".join(s.why[:2])
        if s.kind == "project":
            lines.append(f"#  - {s.key}    # {s.status}: {s.title}" + (f" ({why})" if why else ""))
        else:
            label = "null result" if s.is_null_result else s.kind
            lines.append(f"#    see {label} {s.key}: {s.title}" + (f" ({why})" if why else ""))
    return [line.replace("\n", " ") for line in lines]


def _suggest_for_new(root: Path, path: Path, ident: str, title: str | None) -> None:
    """Print the top five earlier records and write them under prior_art: as comments."""
    from hubgen.analysis import prior_art

    try:
        audience = _default_audience(root)
    except UsageError:
        return  # hub.yml cannot be read: check reports it; no suggestions rather than a guessed audience
    visible, graph, engine = _prior_art_context(root, audience)
    own = visible.projects.get(ident)
    text = own.title if own else (title or ident.replace("-", " "))
    proposal = prior_art.proposal_of(visible, graph, ident) if own else prior_art.Proposal(title=text, project=ident)
    hits = engine.suggest(
        prior_art.Proposal(proposal.title, proposal.text, proposal.keywords, proposal.datasets, ident), 5
    )
    if not hits:
        return
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    for i, line in enumerate(lines):
        if line.rstrip() == "prior_art:":
            lines[i + 1 : i + 1] = [c + "\n" for c in suggestion_comments(hits)]
            break
    path.write_text("".join(lines), encoding="utf-8")
    print("hubgen: earlier work to read first (written under prior_art: as comments):", file=sys.stderr)
    for s in hits:
        label = "null result" if s.is_null_result else s.kind
        print(f"  [{label}] {s.key}: {s.title}" + (f" ({s.why[0]})" if s.why else ""), file=sys.stderr)


def cmd_new(args: argparse.Namespace) -> int:
    from hubgen.scaffold import new_record

    root = _repo(args)
    written = new_record(root, args.kind, args.id, project=args.project, by=args.by, title=args.title)
    for path in written:
        print(path.relative_to(root).as_posix())
    if args.kind == "project":
        _suggest_for_new(root, written[0], args.id, args.title)
    print(
        f"hubgen: wrote {written[0].relative_to(root).as_posix()}: fill it in, then run 'hubgen check --strict'",
        file=sys.stderr,
    )
    return EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    from hubgen.scaffold import write_schemas
    from hubgen.schema.reference import SCHEMA_DIR, schema_files

    files = schema_files()
    if args.kind and not args.out:
        print(files[f"{args.kind}.json"], end="")
        return EXIT_OK
    out = Path(args.out) if args.out else _repo(args) / SCHEMA_DIR
    if args.kind:
        out.mkdir(parents=True, exist_ok=True)
        (out / f"{args.kind}.json").write_text(files[f"{args.kind}.json"], encoding="utf-8")
        written = [out / f"{args.kind}.json"]
    else:
        written = write_schemas(out)
    print(f"hubgen: wrote {len(written)} JSON Schema(s) to {out}", file=sys.stderr)
    return EXIT_OK


def cmd_search(args: argparse.Namespace) -> int:
    from hubgen.search import fulltext

    root = _repo(args)
    if not (root / "content").is_dir():
        raise UsageError(f"{root}: no content/ folder (point --repo at the hub repository)")
    audience = args.audience or _default_audience(root)
    if not fulltext.is_fresh(fulltext.index_dir(root, audience), root, audience):
        from hubgen.pipeline import ensure_search_index  # the loader, only when the index must be rebuilt

        if ensure_search_index(root, audience):
            print("hubgen: search index rebuilt", file=sys.stderr)
    query = _with_glossary(root, args.query)
    hits, fuzzy = fulltext.search(
        fulltext.index_dir(root, audience),
        query,
        kind=args.kind,
        status=args.status,
        team=args.team,
        tag=args.tag,
        limit=args.limit,
    )
    if args.json:
        print(json.dumps({"query": args.query, "fuzzy": fuzzy, "hits": [h.as_dict() for h in hits]}, indent=2))
        return EXIT_OK if hits else EXIT_PROBLEMS
    if not hits:
        print(f"no results for '{args.query}'", file=sys.stderr)
        return EXIT_PROBLEMS
    if fuzzy:
        print(
            f"'{args.query}': words the hub lacks (or rarely has) were also searched as close spellings, "
            "ranked after the words as typed",
            file=sys.stderr,
        )
    for i, hit in enumerate(hits, 1):
        print(f"{i:>2}. [{hit.kind}] {hit.title}" + (f" ({hit.status})" if hit.status else ""))
        print(f"    {hit.url}")
        snippet = fulltext.plain_snippet(hit.snippet).replace("\n", " ").strip()
        if snippet:
            print(f"    {snippet}")
    return EXIT_OK


def cmd_experts(args: argparse.Namespace) -> int:
    from hubgen import experts_cli
    from hubgen.analysis import experts
    from hubgen.analysis.lineage import build_graph
    from hubgen.audience import restrict
    from hubgen.clock import build_date
    from hubgen.pipeline import check, ensure_search_index
    from hubgen.search import fulltext

    root = _repo(args)
    if not (root / "content").is_dir():
        raise UsageError(f"{root}: no content/ folder (point --repo at the hub repository)")
    if args.limit < 1:
        raise UsageError("--limit must be at least 1")
    audience = args.audience or _default_audience(root)
    visible = restrict(check(root), audience)
    if ensure_search_index(root, audience, visible):
        print("hubgen: search index rebuilt", file=sys.stderr)
    model = experts.expertise(visible, build_graph(visible), build_date())
    text = fulltext.document_scores(
        fulltext.index_dir(root, audience),
        _with_glossary(root, experts.text_query(args.query)),
        kinds=experts.TEXT_KINDS,
    )
    ranking = experts.rank(model, args.query, text, limit=args.limit)
    if args.json:
        print(json.dumps(experts_cli.ranking_json(ranking, model, audience), indent=2, ensure_ascii=False))
        return EXIT_OK if ranking.experts else EXIT_PROBLEMS
    if not ranking.experts:
        print(f"no one found for '{args.query}'", file=sys.stderr)
        return EXIT_PROBLEMS
    for line in experts_cli.ranking_lines(ranking, model, explain=args.explain):
        print(line)
    return EXIT_OK


def cmd_stats(args: argparse.Namespace) -> int:
    from hubgen.analysis import portfolio
    from hubgen.analysis.lineage import build_graph
    from hubgen.audience import restrict
    from hubgen.clock import build_date
    from hubgen.pipeline import check
    from hubgen.render.portfolio import cards, quarter_rows

    root = _repo(args)
    if not (root / "content").is_dir():
        raise UsageError(f"{root}: no content/ folder (point --repo at the hub repository)")
    audience = args.audience or _default_audience(root)
    today = build_date()
    visible = restrict(check(root, today), audience)
    folio = portfolio.analyse(visible, today, build_graph(visible))
    if args.json:
        print(
            json.dumps(
                {
                    "as_of": today.isoformat(),
                    "audience": audience,
                    "headline": folio.headline.as_dict(),
                    "figures": folio.figures.as_dict(),
                    "by_status": folio.figures.by_status,
                    "by_stage": folio.figures.by_stage,
                    "quarters": portfolio.records(folio.quarterly),
                    "notes": folio.gap_notes(),
                },
                indent=2,
                ensure_ascii=False,
            )
        )
        return EXIT_OK
    print(f"{visible.settings.name}: portfolio as of {today.isoformat()} (audience: {audience})\n")
    shown = cards(folio.headline, folio.figures)
    width = max(len(c.figure) for c in shown)
    label = max(len(c.label) for c in shown)
    for c in shown:
        print(f"  {c.label:<{label}}  {c.figure:>{width}}   {c.note}")
    print()
    heads = ("quarter", "started", "finished", "delivered", "null result", "cancelled", "hit rate", "people")
    keys = ("quarter", "started", "finished", "delivered", "null_result", "cancelled", "hit_rate_text", "headcount")
    rows = [[str(r[k]) if r[k] is not None else "" for k in keys] for r in quarter_rows(folio)]
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(heads)]
    print("  ".join(h.ljust(w) if i == 0 else h.rjust(w) for i, (h, w) in enumerate(zip(heads, widths))))
    for r in rows:
        print("  ".join(v.ljust(w) if i == 0 else v.rjust(w) for i, (v, w) in enumerate(zip(r, widths))))
    for note in folio.gap_notes():
        print(f"note: {note}", file=sys.stderr)
    return EXIT_OK


def _with_glossary(root: Path, query: str) -> str:
    """The query widened by hub.yml's glossary (hub.yml alone is read: search stays fast)."""
    from hubgen.analysis.prior_art import expand_query
    from hubgen.load.files import Repo
    from hubgen.load.records import load_settings
    from hubgen.problems import ProblemLog

    glossary = load_settings(Repo(root), root / "content" / "hub.yml", ProblemLog()).glossary
    return expand_query(query, glossary) if glossary else query


def _default_audience(root: Path) -> str:
    """hub.yml's audience; a usage error when it cannot be read, never a default (fail closed)."""
    from hubgen.load.files import Repo
    from hubgen.load.records import load_settings
    from hubgen.problems import ProblemLog

    log = ProblemLog()
    audience = load_settings(Repo(root), root / "content" / "hub.yml", log).audience or "internal"
    if audience not in VISIBILITY_LEVELS:
        found = "\n".join(str(p) for p in log.errors)
        raise UsageError(
            f"{found}\nthe build audience is unknown: fix content/hub.yml or pass "
            f"--audience {'|'.join(VISIBILITY_LEVELS)}"
        )
    return audience


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="hubgen", description="Build a knowledge hub site from a data-science team's repository."
    )
    top.add_argument("--version", action="version", version=f"hubgen {__version__}")
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, help: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help, description=help)
        p.add_argument("--repo", default=".", metavar="DIR", help="hub repository root (default: current directory)")
        return p

    b = command("build", "build the static site")
    b.add_argument("--site-dir", metavar="DIR", help="output folder (default: <repo>/site)")
    b.add_argument(
        "--audience",
        choices=VISIBILITY_LEVELS,
        help="leave out every record above this visibility (default: hub.yml audience, else internal)",
    )
    b.add_argument("--strict", action="store_true", help="fail on any problem instead of skipping broken records")
    b.add_argument(
        "--offline",
        action="store_true",
        help="a site that works opened from disk (file://): to send as a folder or zip, not to host",
    )
    b.set_defaults(func=cmd_build)

    g = command("generate", "write the generated Markdown tree and a plugin-free mkdocs.yml")
    g.add_argument("out", metavar="DIR", help="output folder (replaced)")
    g.add_argument("--audience", choices=VISIBILITY_LEVELS, help="as for build")
    g.set_defaults(func=cmd_generate)

    s = command("serve", "serve the site locally with live reload")
    s.add_argument("--dev-addr", default="127.0.0.1:8000", metavar="HOST:PORT", help="address to serve on")
    s.set_defaults(func=cmd_serve)

    c = command("check", "validate the hub and list every problem")
    c.add_argument("--strict", action="store_true", help="treat warnings as errors")
    c.add_argument(
        "--format",
        choices=("text", "json", "github", "gitlab"),
        default="text",
        help="output format; github: workflow annotations on the offending lines; "
        "gitlab: a Code Quality report (JSON) for the merge request",
    )
    c.add_argument(
        "--changed-since",
        metavar="REF",
        help="also note, on its prior_art line, each proposal (ideation or backlog) added or changed "
        "since REF (the merge request's base) that does not cite the nearest earlier work",
    )
    c.set_defaults(func=cmd_check)

    q = command("search", "search projects, null results, discussions, people and assets")
    q.add_argument("query", help='words, "a phrase", or field:value (title:, tags:, body:)')
    q.add_argument("--kind", choices=("project", "null-result", "discussion", "person", "asset"))
    q.add_argument("--status", help="e.g. active, delivered, null-result, open, decided, alumni")
    q.add_argument("--team", help="owning team")
    q.add_argument("--tag", help="exact tag, domain or tool")
    q.add_argument("--limit", type=int, default=10, metavar="N", help="at most N results (default 10)")
    q.add_argument("--audience", choices=VISIBILITY_LEVELS, help="search what this audience may see")
    q.add_argument("--json", action="store_true", help="machine-readable output")
    q.set_defaults(func=cmd_search)

    e = command("experts", "who knows X: people ranked by the evidence in the hub")
    e.add_argument(
        "query",
        help='a topic, tool or domain ("tensorflow", "latest tensorflow", "tensorflow 2.16", '
        '"marketing attribution") or free text ("graph features for fraud")',
    )
    e.add_argument("--limit", type=int, default=10, metavar="N", help="at most N people (default 10)")
    e.add_argument(
        "--explain", action="store_true", help="list the evidence behind each score: records, role, date and weight"
    )
    e.add_argument("--audience", choices=VISIBILITY_LEVELS, help="rank on what this audience may see")
    e.add_argument("--json", action="store_true", help="machine-readable output (evidence included)")
    e.set_defaults(func=cmd_experts)

    pa = command(
        "prior-art",
        "earlier work to read before starting a project: projects, null results, "
        "decisions, reusable assets and people to ask, each with why",
    )
    pa.add_argument("id", nargs="?", metavar="ID", help="a project id")
    pa.add_argument("--text", metavar="TEXT", help="the idea in a few words, when no record is written yet")
    pa.add_argument("--limit", type=int, default=10, metavar="N", help="at most N suggestions (default 10)")
    pa.add_argument("--audience", choices=VISIBILITY_LEVELS, help="suggest only what this audience may see")
    pa.add_argument(
        "--json",
        action="store_true",
        help="a list of hits: kind, key, title, url, score, why (people last, kind person)",
    )
    pa.set_defaults(func=cmd_prior_art)

    st = command("stats", "portfolio headline figures and the per-quarter table (the portfolio page, in the terminal)")
    st.add_argument("--audience", choices=VISIBILITY_LEVELS, help="count what this audience may see")
    st.add_argument("--json", action="store_true", help="machine-readable output")
    st.set_defaults(func=cmd_stats)

    from hubgen.schema import RECORD_KINDS
    from hubgen.schema.reference import NEW_KINDS

    i = sub.add_parser(
        "init",
        help="start a hub repository in an empty folder",
        description="Write a ready hub repository: mkdocs.yml, content/ with one example of each "
        "record, a GitHub workflow, pre-commit hook, editor schemas and a README.",
    )
    i.add_argument("dir", metavar="DIR", help="folder to create (must be missing or empty)")
    i.add_argument("--name", help="hub name (default: from the folder name)")
    i.set_defaults(func=cmd_init)

    n = command("new", "write a new record from its template")
    n.add_argument("kind", choices=NEW_KINDS, help="what to create")
    n.add_argument("id", metavar="ID", help="project id, null-result or discussion id, or person handle")
    n.add_argument(
        "--project",
        metavar="P",
        help="the project it belongs to (discussion: required; null-result: optional, top-level without it)",
    )
    n.add_argument(
        "--by",
        metavar="HANDLE",
        help="lead or author (default: the person whose email is git's user.email, or the only person)",
    )
    n.add_argument("--title", metavar="TEXT", help="title (a person's full name); default: from the id")
    n.set_defaults(func=cmd_new)

    sc = command("schema", "write the JSON Schemas of every record kind (for editors)")
    sc.add_argument(
        "kind", nargs="?", choices=[k.name for k in RECORD_KINDS], help="just this kind; printed unless --out is given"
    )
    sc.add_argument("--out", metavar="DIR", help="output folder (default: <repo>/schemas)")
    sc.set_defaults(func=cmd_schema)
    return top


# Control characters in a record (a title with ESC sequences) must not drive the user's terminal:
# everything hubgen prints goes through this table; newlines and tabs stay.
_CONTROL = {c: f"\\x{c:02x}" for c in (*range(0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0))}


class _TerminalSafe:
    """A text stream that shows control characters as `\\xNN` instead of sending them."""

    def __init__(self, stream: TextIO):
        self._stream = stream

    def write(self, text: str) -> int:
        return self._stream.write(text.translate(_CONTROL))

    def __getattr__(self, name: str) -> object:
        return getattr(self._stream, name)


def main(argv: list[str] | None = None) -> int:
    streams = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _TerminalSafe(sys.stdout), _TerminalSafe(sys.stderr)  # type: ignore[assignment]
    try:
        return _main(argv)
    finally:
        sys.stdout, sys.stderr = streams


def _main(argv: list[str] | None) -> int:
    args = parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    try:
        return args.func(args)
    except UsageError as exc:
        print(f"hubgen: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except ScaffoldError as exc:
        print(f"hubgen: {exc}", file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `hubgen search … | head`: the reader left, nothing is wrong
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
