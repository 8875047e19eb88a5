"""A thin coordinator: the pipeline runs in `hubgen`, MkDocs only receives files.

on_config runs the pipeline and adjusts the config (navigation, theme
overrides, Markdown extensions, no outside fonts); on_files hands the generated
pages to MkDocs as `File.generated` (bodies are sanitised when rendered, so any
engine gets safe pages). For large hubs, on_page_content hands each page's
rendered content to Pagefind, which indexes it in its own process while MkDocs
goes on, and on_post_build writes that index.
"""

from __future__ import annotations

import functools
import json
import logging
import re
from collections import Counter
from pathlib import Path
from typing import Any

import jinja2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from hubgen import collector
from hubgen.engine import (
    EXTRA_CSS,
    EXTRA_JS,
    PACKED,
    PAGEFIND_JS,
    merged_extensions,
    mermaid_fence_format,
    own_pages_nav,
    read_config,
    search_engine_for,
    theme_dir,
)
from hubgen.pipeline import Result, check, errors, generate, keep_prior_art
from hubgen.problems import Severity
from hubgen.render import offline
from hubgen.render.compiled import CompiledTemplates
from hubgen.search.pagefind_index import PagefindError, PagefindFeed, searchable, shard_order
from hubgen.search.terms import write_facets, write_terms
from hubgen.search.text import indexable
from hubgen.search.typos import words
from mkdocs_hubgen import fast_render
from mkdocs_hubgen.config import HubgenConfig
from mkdocs_hubgen.minify import minify_theme_assets
from mkdocs_hubgen.page_cache import REUSED_TEMPLATE, Entry, PageCache
from mkdocs_hubgen.quick_update import ServedBuild, rendering

log = logging.getLogger("mkdocs.plugins.hubgen")
_TAGS = re.compile(r"<[^>]+>")
# Material's index: the records people search for (prior art, "we tried that") above the pages that
# cite them (topic pages, discussions of a project). Measured on benchmarks/search_judged.yml.
RECORD_BOOST = {"project": 2.0, "null-result": 2.0}


def _theme_written(config: MkDocsConfig) -> bool:
    """Whether mkdocs.yml names a theme (rather than leaving MkDocs' default)."""
    try:
        return "theme" in read_config(Path(config.config_file_path).read_text(encoding="utf-8"))
    except (OSError, TypeError, ValueError):
        return True  # no file to read (a config built in code): leave the theme alone


def _search_index(config: MkDocsConfig) -> Any:
    """Material's search index being filled (its `entries` list), if Material's search plugin is on."""
    for name in ("material/search", "search"):
        plugin = config.plugins.get(name)
        index = getattr(plugin, "search_index", None)
        if isinstance(getattr(index, "entries", None), list):
            return index
    return None


class HubgenPlugin(BasePlugin[HubgenConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.result: Result | None = None
        self.generated: set[str] = set()
        self.owns_nav = False
        self.search = "material"
        self.pagefind: PagefindFeed | None = None
        self.facets: dict[str, tuple[str, str, str]] = {}  # page URL: kind, status, team
        self.terms: Counter[str] = Counter()  # indexed pages holding each word: the site's "did you mean"
        self._shown: dict[str, str] = {}  # page URL: the content readers see, while the index reads its own
        self.cache: PageCache | None = None
        self.root = Path()
        self.search_index: Any = None
        self.nav_sources: set[str] = set()
        self._entries_from: dict[str, int] = {}  # page src: where its entries start in the search index
        self.nav: Navigation | None = None
        # Under serve, what the build used to render its pages: hubgen serve's quick update renders with it.
        self.built: tuple[MkDocsConfig, Files, Navigation, jinja2.Environment] | None = None
        self.renderer: fast_render.Renderer | None = None  # generated pages' Markdown pass

    serving = False  # under `mkdocs serve` or `hubgen serve`: each build's loaded hub is released after it

    def on_startup(self, *, command: str, dirty: bool) -> None:
        HubgenPlugin.serving = command == "serve"

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        HubgenPlugin.serving = True  # `mkdocs serve --clean` starts up as a "build"; it serves all the same
        collector.release()  # the first build's hub, before the rebuilds
        return server

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:  # noqa: C901 (MkDocs' one hook for settings: each branch one option)
        root = Path(self.config.repo or Path(config.config_file_path).parent)
        self.root = root.resolve()
        hub = check(root)
        failing = errors(hub.problems, self.config.strict)
        for problem in hub.problems:
            (log.error if problem.severity is Severity.ERROR else log.warning)(problem.text())
        if failing and self.config.strict:  # fail before any rendering work
            listing = "\n".join(str(p) for p in failing)
            raise PluginError(f"hubgen: {len(failing)} problem(s) in the hub (strict mode):\n{listing}")
        if hub.skipped:
            log.warning("hubgen: skipped %d broken record(s): %s", len(hub.skipped), ", ".join(hub.skipped))
        try:
            result = generate(root, self.config.audience, hub)
        except ValueError as exc:
            raise PluginError(str(exc)) from exc
        if not HubgenPlugin.serving:  # (serve rebuilds after each edit: a snapshot would be stale at once)
            keep_prior_art(root, result)
            result.analyses = None  # only serve's quick update needs them after rendering: memory back now
        self.result = result
        self.cache = PageCache.open(root, result.audience, self.config.offline, config.site_url)
        from hubgen.analysis.documents import search_documents

        self.facets = {d.url: (d.kind, d.status, d.team) for d in search_documents(result.visible)}
        self.terms = Counter()
        self.generated = set(result.site.pages) | set(result.site.files)

        self.search = search_engine_for(self.config.search_index, len(result.site.pages))
        if self.config.offline and self.search == "pagefind":
            log.info("hubgen: offline build: Material's search instead of Pagefind, which cannot load from disk")
            self.search = "material"
        config.extra["hubgen_search"] = self.search
        if self.search == "pagefind" and PAGEFIND_JS not in [str(x) for x in config.extra_javascript]:
            config.extra_javascript.append(PAGEFIND_JS)
        self.owns_nav = config.nav is None
        if self.owns_nav:
            config.nav = list(result.site.nav)
        # Generated links are directory style; offline, MkDocs writes page URLs as files
        # and on_post_page points hubgen's folder links at their index.html.
        config.use_directory_urls = not self.config.offline
        config.extra["hubgen_offline"] = self.config.offline
        if self.config.offline:
            polyfills = config.extra.setdefault("polyfills", [])
            if offline.SHIM not in polyfills:
                polyfills.append(offline.SHIM)
        if config.theme.name == "mkdocs" and not _theme_written(config):
            # MkDocs' default theme, not chosen: the hub's pages (tabs, charts, Mermaid) are built for Material
            from mkdocs.theme import Theme

            config.theme = Theme(name="material")
        theme = config.theme
        theme["font"] = False  # Material fetches Google Fonts otherwise: the site must work offline
        dirs = theme.dirs
        if str(theme_dir()) not in dirs:
            dirs.insert(1 if theme.custom_dir else 0, str(theme_dir()))
        for css in EXTRA_CSS:
            if css not in [str(x) for x in config.extra_css]:
                config.extra_css.append(css)
        for js in EXTRA_JS:
            if js not in [str(x) for x in config.extra_javascript]:
                config.extra_javascript.append(js)
        names, settings = merged_extensions(config.markdown_extensions, config.mdx_configs, mermaid_fence_format())
        config.markdown_extensions[:] = names
        config.mdx_configs.clear()
        config.mdx_configs.update(settings)
        self.renderer = fast_render.Renderer(config) if fast_render.available() else None
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        assert self.result is not None
        if self.owns_nav:  # the hub's own pages (docs/about.md, ...) go after the generated sections
            own = [
                f.src_uri
                for f in files.documentation_pages(inclusion=InclusionLevel.is_in_nav)
                if f.src_uri not in self.generated
            ]
            config.nav = list(self.result.site.nav) + own_pages_nav(own)
        generated_urls = {path.removesuffix("index.md") for path in self.result.site.pages}
        for written in list(files.documentation_pages()):
            if written.url in generated_urls:  # docs/experts.md and experts/index.md both want experts/
                log.warning(
                    "hubgen: docs/%s is not built: a generated page has its URL (%s); rename it to keep it",
                    written.src_uri,
                    written.url or "/",
                )
                files.remove(written)
        # MkDocs renders pages in this order, and Pagefind shards follow it: in hash order every shard
        # is a uniform sample of the hub (all kinds of page), so scores compare across shards.
        order = shard_order if self.search == "pagefind" else str
        for path, text in sorted(self.result.site.pages.items(), key=lambda kv: order(kv[0])):
            file = File.generated(config, path, content=text)
            if path.count("/") >= 2:
                file.inclusion = InclusionLevel.NOT_IN_NAV  # entity pages stay out of the nav
            files.append(file)
        for packed in PACKED:  # the site gets them unpacked, from the pipeline's files
            found = files.get_file_from_path(packed)
            if found is not None:
                files.remove(found)
        for path, data in sorted(self.result.site.files.items()):
            existing = files.get_file_from_path(path)
            if existing is not None:
                files.remove(existing)
            files.append(File.generated(config, path, content=data))
        minify_theme_assets(files, config)
        if self.search == "pagefind":
            self._close_pagefind()  # a failed earlier build under `hubgen serve` may have left one
            try:
                self.pagefind = PagefindFeed(
                    Path(config.site_dir),
                    config.theme.get("language") or "en",
                    self.config.search_shard_pages,
                    len(files.documentation_pages()),
                )
            except PagefindError as exc:
                raise PluginError(str(exc)) from exc
        return files

    def on_nav(self, nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
        """The page cache's shared key needs the final settings and what the nav shows."""
        self.nav_sources = {p.file.src_uri for p in nav.pages}
        self.nav = nav
        self.search_index = _search_index(config)  # Material's index, filled as pages are built
        if self.cache is not None:
            # Every page shows the nav's titles: those given in the nav are in the settings; the others come
            # from the page itself (its title or first heading), so such a page's source is part of the key.
            untitled = {p.file.src_uri: p.file.content_bytes for p in nav.pages if "title" not in vars(p)}
            self.cache.start(config, self.root, untitled, self.search_index)
        return nav

    def on_env(self, env: jinja2.Environment, config: MkDocsConfig, files: Files) -> jinja2.Environment:
        if self.cache is not None and self.cache.enabled and env.bytecode_cache is None:
            # The theme's templates compiled once, not per build; only with the plugins the page cache
            # trusts (another plugin may change the environment the compiled form depends on).
            env.bytecode_cache = CompiledTemplates(self.root)
        if HubgenPlugin.serving and self.nav is not None:
            self.built = (config, files, self.nav, env)
        return env

    def served(self) -> ServedBuild | None:
        """This build's state for hubgen serve's quick update, apart from the next build's (MkDocs keeps
        this plugin instance for every build of a serve)."""
        if self.built is None or self.result is None:
            return None
        return ServedBuild(self.root, self.result, self.built)

    def on_pre_page(self, page: Page, config: MkDocsConfig, files: Files) -> Page:
        src = page.file.src_uri
        if self.renderer is not None and self.result is not None and src in self.result.site.pages:
            page.__dict__["render"] = functools.partial(self.renderer.render, page)  # as MkDocs', faster
        cache = self.cache
        if cache is None or not cache.enabled or self.result is None or rendering():
            return page
        if src not in self.result.site.pages or src in self.nav_sources:
            return page  # the hub's own pages, and pages that show their place in the nav, are always rendered
        key = cache.key(src, page.file.content_bytes, files.get_file_from_path)
        if cache.lookup(src, key) is None:
            cache.fresh[src] = Entry(key, "", 0)
        else:
            page.__dict__["render"] = lambda config, files: setattr(page, "content", "")  # no Markdown pass
        return page

    def _reused(self, page: Page) -> Entry | None:
        found = self.cache.reused.get(page.file.src_uri) if self.cache is not None and not rendering() else None
        return found[0] if found else None

    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        if self._reused(page) is not None:
            page.meta["template"] = REUSED_TEMPLATE  # the theme's templates are not rendered either
            page.meta["search"] = {"exclude": True}  # its stored entries go into the index instead
            return ""
        facets = self.facets.get(page.url)
        if self.search == "material" and facets and facets[0] in RECORD_BOOST:
            search = page.meta.get("search") or {}
            page.meta["search"] = {"boost": RECORD_BOOST[facets[0]], **search}  # the page's own boost wins
        if self.search == "pagefind":
            # Pagefind indexes what Material's index would have; Material's own index stays empty,
            # which also saves its per-page indexing time.
            search = page.meta.get("search") or {}
            page.meta["hubgen_pagefind"] = not search.get("exclude", False)
            page.meta["search"] = {**search, "exclude": True}
        return markdown

    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        if rendering():
            return html  # a quick update's page: the running build's index and term counts are not its
        reused = self._reused(page)
        if reused is not None:
            if reused.text is not None:
                self._index_text(page, reused.text)
            return ""
        indexed = (
            bool(page.meta.get("hubgen_pagefind"))
            if self.search == "pagefind"
            else not (page.meta.get("search") or {}).get("exclude", False)
        )
        fresh = self.cache.fresh.get(page.file.src_uri) if self.cache is not None else None
        if indexed:
            text = indexable(searchable(html))
            self._index_text(page, text)
            if fresh is not None:
                fresh.text = text
        return html

    def _index_text(self, page: Page, text: str) -> None:
        """A page's indexed text into the "did you mean" vocabulary and, for large hubs, Pagefind."""
        self.terms.update(set(words(_TAGS.sub(" ", text))))
        if self.pagefind is not None:
            try:
                self.pagefind.add("/" + page.url, text, self.facets.get(page.url))
            except PagefindError as exc:
                raise PluginError(str(exc)) from exc

    @event_priority(100)  # before Material's search plugin reads page.content
    def _index_reads_clean_text(self, context: dict, page: Page, config: MkDocsConfig, nav: object) -> dict:
        if rendering():
            return context
        index = self.search_index
        if index is not None and self.cache is not None and page.file.src_uri in self.cache.fresh:
            self._entries_from[page.file.src_uri] = len(index.entries)
        if self.search == "material" and page.content:
            self._shown[page.url] = page.content
            page.content = indexable(page.content)
        return context

    @event_priority(-100)  # after it: the page itself is rendered from what the reader sees
    def _page_shows_its_own_content(self, context: dict, page: Page, config: MkDocsConfig, nav: object) -> dict:
        if rendering():
            return context
        shown = self._shown.pop(page.url, None)
        if shown is not None:
            page.content = shown
        index = self.search_index
        reused = self._reused(page)
        if index is not None and reused is not None:
            index.entries.extend(reused.entries)  # where the page's own entries would have gone
        elif index is not None and self.cache is not None and page.file.src_uri in self._entries_from:
            added = index.entries[self._entries_from.pop(page.file.src_uri) :]
            self.cache.fresh[page.file.src_uri].entries = json.loads(json.dumps(added, default=str))  # as written
        return context

    on_page_context = CombinedEvent(_index_reads_clean_text, _page_shows_its_own_content)

    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        cache = self.cache if not rendering() else None
        if cache is not None and page.file.src_uri in cache.reused:
            return cache.reused[page.file.src_uri][1]  # stored as written: offline links included
        if cache is not None and page.file.src_uri in cache.fresh:
            cache.dest[page.file.src_uri] = page.file.abs_dest_path
        return offline.file_links(output) if self.config.offline else output

    def _finish_hub(self, config: MkDocsConfig) -> None:
        if self.cache is not None:
            self.cache.save()
        size = write_terms(Path(config.site_dir), self.terms)
        log.info("hubgen: search term list: %d words, %d bytes compressed", len(self.terms), size)
        if self.search == "material":
            # keyed as results link: offline, by the index.html files the page URLs became
            key = (lambda url: offline.file_link(url) or url) if self.config.offline else (lambda url: url)
            write_facets(Path(config.site_dir), {"/" + key(url): v for url, v in self.facets.items()})
        if self.result is not None and not self.result.finish():
            log.warning("hubgen: the index for 'hubgen search' could not be written; it is rebuilt on first use")
        if self.pagefind is not None:
            feed, self.pagefind = self.pagefind, None
            try:
                shards = feed.write()
            except PagefindError as exc:
                raise PluginError(str(exc)) from exc
            log.info("hubgen: Pagefind indexed %d page(s) in %d shard(s)", feed.pages, len(shards))
        if HubgenPlugin.serving:
            collector.release()

    @event_priority(-100)  # after the search plugin has written its index
    def _inline_search_index(self, config: MkDocsConfig) -> None:
        if not self.config.offline:
            return
        offline.inline_search_data(Path(config.site_dir))
        if not offline.inline_search_index(Path(config.site_dir)):
            log.warning(
                "hubgen: offline build without Material's search index: the site's search will not work "
                "from disk (enable the 'search' plugin in mkdocs.yml)"
            )

    on_post_build = CombinedEvent(_finish_hub, _inline_search_index)

    def on_build_error(self, error: Exception) -> None:
        if self.result is not None:
            self.result.finish()  # never leave the index worker behind
        self._close_pagefind()
        if HubgenPlugin.serving:
            collector.release()

    def _close_pagefind(self) -> None:
        if self.pagefind is not None:
            self.pagefind.close()
            self.pagefind = None
