"""`hubgen build`, `generate` and `serve`: the site, through MkDocs or as a plugin-free tree."""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from hubgen.cli.common import EXIT_OK, EXIT_PROBLEMS, UsageError, _default_audience, _repo


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
    cache = getattr(config.plugins.get("hubgen"), "cache", None)
    summary = cache.summary() if cache is not None else ""
    print(f"hubgen: site built in {site_dir}" + (f" ({summary})" if summary else ""), file=sys.stderr)
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
