"""Render a few generated pages through MkDocs into a site already served (`hubgen serve`'s quick update).

The pages go through the same steps as in a build (plugin events, Markdown,
the theme's templates), with the files, navigation and template environment
of the build that wrote the site, so they look exactly as that build would
have made them. Each file is written aside and renamed over the old one: a
reader never gets half a page.

MkDocs keeps one plugin instance across `serve`'s builds, and a quick update
may run while the next build renders its own pages with it. So the pages are
rendered in a thread marked `rendering()`, where hubgen's page hooks change
no build state (page cache, search term counts, Pagefind's feed), and
without the search plugins, whose index belongs to the build running; the
served build's state is kept apart (`ServedBuild`).
"""

from __future__ import annotations

import copy
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from mkdocs.commands.build import _build_page, _populate_page  # MkDocs' own page steps (pinned to 1.6)
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import PluginCollection
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

_thread = threading.local()


def rendering() -> bool:
    """Whether this thread is rendering a quick update's pages (hubgen's hooks then leave the build alone)."""
    return bool(getattr(_thread, "active", False))


@contextmanager
def _rendering() -> Iterator[None]:
    _thread.active = True
    try:
        yield
    finally:
        _thread.active = False


def _without_search(config: MkDocsConfig) -> MkDocsConfig:
    """`config` with its plugins but the search ones (their index is the running build's)."""
    plugins = PluginCollection()
    plugins._current_plugin = None  # as MkDocs' own collection starts
    for name, plugin in config.plugins.items():
        if name.rsplit("/", 1)[-1] != "search":
            plugins[name] = plugin
    quick = copy.copy(config)
    quick["plugins"] = plugins
    return quick


@dataclass
class ServedBuild:
    """What a quick update needs of the build whose site is served, kept when it is swapped in."""

    root: Path
    result: Any  # hubgen.pipeline.Result, with its analyses
    built: tuple[MkDocsConfig, Files, Navigation, jinja2.Environment]
    shown: dict[str, str] = field(default_factory=dict)  # Markdown of the pages shown early, by source path
    originals: dict[str, bytes] = field(default_factory=dict)  # what the build wrote for them

    def show_edited(self, site_dir: Path, saved: list[Path] | None = None) -> list[str]:
        """Render the pages of records edited since this build into `site_dir` (the site it wrote, served
        there); the URLs of those that changed since last shown. `saved`: the files written since this
        build read them, when known. The next full build replaces them (hubgen.edited says why)."""
        from hubgen.edited import edited_pages

        edited = edited_pages(self.root, self.result, saved)
        pages = {src: md for src, md in edited.items() if self.shown.get(src) != md}
        # An edit undone: the page this build wrote is what the hub says again.
        undone = [src for src in self.shown if src not in edited]
        written = restore_pages({src: self.originals.pop(src) for src in undone}, site_dir, self.built[1])
        for src in undone:
            del self.shown[src]
        if pages:
            written += write_pages(pages, site_dir, *self.built, originals=self.originals)
            self.shown.update(pages)
        return written


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
    config = _without_search(config)
    with _rendering():
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
