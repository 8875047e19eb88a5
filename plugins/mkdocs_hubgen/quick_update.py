"""Render a few generated pages through MkDocs into a site already served (`hubgen serve`'s quick update).

The pages go through the same steps as in a build (plugin events, Markdown,
the theme's templates), with the files, navigation and template environment
of the build that wrote the site, so they look exactly as that build would
have made them. Each file is written aside and renamed over the old one: a
reader never gets half a page.
"""

from __future__ import annotations

import os
from pathlib import Path

import jinja2
from mkdocs.commands.build import _build_page, _populate_page  # MkDocs' own page steps (pinned to 1.6)
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page


def write_pages(
    pages: dict[str, str],
    site_dir: Path,
    config: MkDocsConfig,
    files: Files,
    nav: Navigation,
    env: jinja2.Environment,
    originals: dict[str, bytes],
) -> list[str]:
    """Write `pages` (Markdown by source path; only pages `files` already holds) into `site_dir`; their URLs.

    The file each one replaces is kept in `originals` (by source path) the first time, for `restore_pages`.
    """
    doc_files = files.documentation_pages()
    written = []
    for src, markdown in sorted(pages.items()):
        old = files.get_file_from_path(src)
        if old is None or old.page is None:
            continue  # not a page of that build: only the full rebuild may add one
        file = File.generated(config, src, content=markdown, inclusion=InclusionLevel.NOT_IN_NAV)
        final = site_dir / file.dest_uri
        aside = _aside(final)
        file.abs_dest_path = str(aside)  # type: ignore[misc]  # a cached property: set, it is the path written
        page = Page(None, file, config)
        _populate_page(page, config, files)
        _build_page(page, config, doc_files, nav, env)
        if aside.exists():
            if src not in originals and final.exists():
                originals[src] = final.read_bytes()
            os.replace(aside, final)
            written.append(file.url)
    return written


def restore_pages(originals: dict[str, bytes], site_dir: Path, files: Files) -> list[str]:
    """Put back the files `write_pages` replaced (by source path); their URLs."""
    restored = []
    for src, data in sorted(originals.items()):
        file = files.get_file_from_path(src)
        if file is None:
            continue
        final = site_dir / file.dest_uri
        aside = _aside(final)
        aside.write_bytes(data)
        os.replace(aside, final)
        restored.append(file.url)
    return restored


def _aside(final: Path) -> Path:
    """Where a page is written before it is renamed over `final` (hidden, in the same folder)."""
    return final.with_name(f".{final.name}.quick")
