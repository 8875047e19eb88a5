"""`hubgen` command line: a thin layer over the pipeline.

Exit codes: 0 success; 1 the hub has problems (check) or the build failed;
2 usage error (bad option, missing mkdocs.yml or content/).
"""

from __future__ import annotations

import argparse
import json
import logging
import shutil
import sys
import tempfile
from pathlib import Path

from hubgen import __version__
from hubgen.model import VISIBILITY_LEVELS
from hubgen.pipeline import check, errors

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    pass


def _repo(args: argparse.Namespace) -> Path:
    root = Path(args.repo).resolve()
    if not root.is_dir():
        raise UsageError(f"--repo {args.repo}: no such folder")
    return root


def _mkdocs_config(root: Path, site_dir: Path | None, audience: str | None, strict: bool):
    from mkdocs.config import load_config
    from mkdocs.exceptions import ConfigurationError

    config_file = root / "mkdocs.yml"
    if not config_file.exists():
        raise UsageError(f"{config_file}: not found (run 'hubgen init {root}' to create a hub, "
                         "or pass --repo pointing at the hub repository)")
    overrides = {"site_dir": str(site_dir)} if site_dir else {}
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
    return config


def cmd_build(args: argparse.Namespace) -> int:
    from mkdocs.commands.build import build
    from mkdocs.exceptions import Abort, MkDocsException

    root = _repo(args)
    site_dir = Path(args.site_dir).resolve() if args.site_dir else root / "site"
    # Build beside the target and swap in at the end: a failed build leaves the old site.
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-building-", dir=site_dir.parent))
    try:
        config = _mkdocs_config(root, staging, args.audience, args.strict)
        build(config)
    except (MkDocsException, Abort) as exc:
        shutil.rmtree(staging, ignore_errors=True)
        print(f"hubgen build failed: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    old = site_dir.with_name(f".{site_dir.name}-old")
    if old.exists():
        shutil.rmtree(old)
    if site_dir.exists():
        site_dir.rename(old)
    staging.rename(site_dir)
    shutil.rmtree(old, ignore_errors=True)
    print(f"hubgen: site built in {site_dir}", file=sys.stderr)
    return EXIT_OK


def cmd_generate(args: argparse.Namespace) -> int:
    """Write the complete generated tree: builds with plain MkDocs, no hubgen needed."""
    import yaml

    from hubgen import engine
    from hubgen.pipeline import generate

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
    result = generate(root, args.audience)
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
    print(f"hubgen: generated {len(result.site.pages)} pages in {out}; build it with 'mkdocs build -f {out}/mkdocs.yml'",
          file=sys.stderr)
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    from mkdocs.commands.serve import serve

    root = _repo(args)
    config_file = root / "mkdocs.yml"
    if not config_file.exists():
        raise UsageError(f"{config_file}: not found (run 'hubgen init {root}')")
    serve(str(config_file), dev_addr=args.dev_addr, livereload=True, watch=[str(root / "content")])
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    root = _repo(args)
    hub = check(root)
    failing = errors(hub.problems, args.strict)
    if args.format == "json":
        print(json.dumps({
            "ok": not failing,
            "problems": [p.as_dict() for p in hub.problems],
            "skipped": list(hub.skipped),
            "counts": {"projects": len(hub.projects), "people": len(hub.people),
                       "null_results": len(hub.null_results), "discussions": len(hub.discussions),
                       "assets": len(hub.assets)},
        }, indent=2))
    else:
        for problem in hub.problems:
            print(problem)
        n_err = sum(1 for p in hub.problems if p.severity.value == "error")
        summary = (f"{len(hub.projects)} projects, {len(hub.people)} people, {len(hub.null_results)} null results, "
                   f"{len(hub.discussions)} discussions: {n_err} error(s), {len(hub.problems) - n_err} warning(s)")
        if hub.skipped:
            summary += f"; {len(hub.skipped)} record(s) would be skipped"
        print(summary, file=sys.stderr)
    return EXIT_PROBLEMS if failing else EXIT_OK


def cmd_search(args: argparse.Namespace) -> int:
    from hubgen import search_engine
    from hubgen.pipeline import ensure_search_index

    root = _repo(args)
    if not (root / "content").is_dir():
        raise UsageError(f"{root}: no content/ folder (point --repo at the hub repository)")
    audience = args.audience or _default_audience(root)
    if ensure_search_index(root, audience):
        print("hubgen: search index rebuilt", file=sys.stderr)
    hits, fuzzy = search_engine.search(search_engine.index_dir(root, audience), args.query, kind=args.kind,
                                       status=args.status, team=args.team, tag=args.tag, limit=args.limit)
    if args.json:
        print(json.dumps({"query": args.query, "fuzzy": fuzzy, "hits": [h.as_dict() for h in hits]}, indent=2))
        return EXIT_OK if hits else EXIT_PROBLEMS
    if not hits:
        print(f"no results for '{args.query}'", file=sys.stderr)
        return EXIT_PROBLEMS
    if fuzzy:
        print(f"no exact matches for '{args.query}'; showing close spellings", file=sys.stderr)
    for i, hit in enumerate(hits, 1):
        print(f"{i:>2}. [{hit.kind}] {hit.title}" + (f" ({hit.status})" if hit.status else ""))
        print(f"    {hit.url}")
        snippet = search_engine.plain_snippet(hit.snippet).replace("\n", " ").strip()
        if snippet:
            print(f"    {snippet}")
    return EXIT_OK


def _default_audience(root: Path) -> str:
    from hubgen.load.files import Repo
    from hubgen.load.records import load_settings
    from hubgen.problems import ProblemLog

    return load_settings(Repo(root), root / "content" / "hub.yml", ProblemLog()).audience or "internal"


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="hubgen", description="Build a knowledge hub site from a data-science team's repository.")
    top.add_argument("--version", action="version", version=f"hubgen {__version__}")
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, help: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help, description=help)
        p.add_argument("--repo", default=".", metavar="DIR", help="hub repository root (default: current directory)")
        return p

    b = command("build", "build the static site")
    b.add_argument("--site-dir", metavar="DIR", help="output folder (default: <repo>/site)")
    b.add_argument("--audience", choices=VISIBILITY_LEVELS,
                   help="leave out every record above this visibility (default: hub.yml audience, else internal)")
    b.add_argument("--strict", action="store_true", help="fail on any problem instead of skipping broken records")
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
    c.add_argument("--format", choices=("text", "json"), default="text", help="output format")
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
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    try:
        return args.func(args)
    except UsageError as exc:
        print(f"hubgen: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
