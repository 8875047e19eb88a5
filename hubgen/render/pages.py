"""Render the hub into a tree of Markdown pages and data files.

The output is a plain mapping of paths to contents: the MkDocs plugin hands it
to MkDocs as generated files, and `hubgen generate` writes it to disk for any
engine. Decisions (counts, rankings, visibility) are made before this point.
"""

from __future__ import annotations

import html
import json
import math
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from hubgen import schema, urls
from hubgen.analysis.analyses import Analyses, analyse
from hubgen.analysis.explorer import walk_edges
from hubgen.analysis.figures import plural
from hubgen.analysis.health import section_filled
from hubgen.analysis.lineage import ancestors, is_asset
from hubgen.model import Hub
from hubgen.render.compiled import CompiledTemplates
from hubgen.render.export import export_schema_text, hub_export
from hubgen.render.markup import body_html, heading_anchor, inert, md_text

_LITERAL = {c: f"&#{ord(c)};" for c in "&<>\"'\\`*_{}[]()#+!|~$"}  # HTML and Markdown syntax as entities

TEMPLATES = Path(__file__).parent / "templates"
STATUS_ORDER = {s: i for i, s in enumerate(("active", "backlog", "delivered", "null-result", "retired", "cancelled"))}
# The page of each kind of record an author writes: its template and the name the record has in it.
RECORD_PAGES = {
    "project": ("project.md.j2", "p"),
    "null-result": ("null_result.md.j2", "n"),
    "discussion": ("discussion.md.j2", "d"),
    "person": ("person.md.j2", "person"),
}


@dataclass
class Site:
    """The generated tree: Markdown pages and other files, by site-relative path."""

    pages: dict[str, str] = field(default_factory=dict)
    files: dict[str, bytes] = field(default_factory=dict)
    nav: list[dict[str, Any]] = field(default_factory=list)  # MkDocs nav: {title: path or [sub-entries]}


def _environment(hub_root: Path | None = None) -> jinja2.Environment:
    """hubgen's page templates; kept compiled in `hub_root`'s cache between builds when given."""
    env = jinja2.Environment(
        bytecode_cache=CompiledTemplates(hub_root) if hub_root else None,
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.do"],
        finalize=inert,
    )
    env.globals["anchor"] = heading_anchor
    env.filters["md"] = md_text
    env.filters["lit"] = literal
    env.filters["body"] = body_html
    env.filters["num"] = _number
    env.filters["readable"] = readable
    env.filters["json"] = lambda v: Markup(json.dumps(v))
    # Themes print page titles unescaped (<title>, nav, search): escape once, here.
    env.filters["fm_title"] = lambda v: Markup(json.dumps(html.escape(str(v), quote=False)))
    return env


def literal(value: object, lines: bool = False) -> Markup:
    """Outside text (a dataset name, a namespace, SQL) shown exactly: HTML and Markdown syntax as entities.

    Entities render as the characters themselves in HTML and in Markdown, so
    `*`, `_` or a backtick in a name stay as written. With `lines` (inside
    `<pre>`), line breaks become entities too: the block stays one Markdown line.
    """
    text = ("" if value is None else str(value)).replace("\r\n", "\n").replace("\r", "\n")
    breaks = "&#10;" if lines else " "
    return Markup("".join(breaks if c == "\n" else _LITERAL.get(c, c) for c in text))


def readable(value: Any) -> Markup:
    """A free-form YAML value (monitoring thresholds, alerts, unknown fields) as readable HTML, never a dump.

    Text and numbers as written (no quotes), lists as a list (a list of plain values inline, comma-separated),
    mappings as a two-column table whose keys read as words (`recall_min` -> "recall min").
    """
    if value is None:
        return Markup("")
    if isinstance(value, bool):
        return Markup("yes" if value else "no")
    if isinstance(value, (int, float)):
        return Markup(_number(value))
    if isinstance(value, dict):
        rows = "".join(
            f'<tr><th scope="row">{literal(str(k).replace("_", " "))}</th><td>{readable(v)}</td></tr>'
            for k, v in value.items()
        )
        return Markup(f'<table class="hub-fields"><tbody>{rows}</tbody></table>')
    if isinstance(value, (list, tuple)):
        if all(not isinstance(v, (dict, list, tuple)) for v in value):
            return Markup(", ".join(str(readable(v)) for v in value))
        return Markup("<ul>" + "".join(f"<li>{readable(v)}</li>" for v in value) + "</ul>")
    if isinstance(value, date):
        return Markup(value.isoformat())
    return literal(value)


def strict_json(value: Any) -> str:
    """Compact JSON that JSON.parse accepts: NaN and infinity (Python's json reads them from
    imported files) are written as text, never as the bare tokens NaN/Infinity."""
    try:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    except ValueError:
        return json.dumps(_finite(value), ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def _finite(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    return value


def _number(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return "" if value is None else str(value)
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


class Renderer:
    def __init__(
        self,
        hub: Hub,
        analyses: Analyses,
        audience: str,
        today: date,
        cache_dir: Path | None = None,
        hub_root: Path | None = None,
    ):
        self.hub = hub
        self.a = analyses
        self.audience = audience
        self.today = today
        self.cache_dir = cache_dir
        self.env = _environment(hub_root)
        self.env.globals.update(fragment=urls.fragment, explorer_url=urls.EXPLORER)
        self.site = Site()

    def page(self, template: str, page_url: str, **context: Any) -> None:
        here = page_url

        def href(target: str) -> str:
            return urls.relative(here, target)

        text = self.env.get_template(template).render(
            hub=self.hub,
            a=self.a,
            here=here,
            href=href,
            url=urls.url,
            audience=self.audience,
            today=self.today,
            schema=schema,
            is_asset=is_asset,
            ancestors=ancestors,
            figures=self.a.portfolio.figures,
            plural=plural,
            filled=section_filled,
            **context,
        )
        self.site.pages[urls.source(page_url)] = text

    def record_page(self, kind: str, key: str, record: Any) -> str:
        """Render the page of one record (`kind` as in RECORD_PAGES); its source path."""
        template, name = RECORD_PAGES[kind]
        page_url = urls.url(kind, key)
        self.page(template, page_url, **{name: record})
        return urls.source(page_url)

    def render(self) -> Site:
        hub = self.hub
        projects = sorted(hub.projects.values(), key=lambda p: (STATUS_ORDER.get(p.status, 9), p.title.lower()))
        null_projects = [p for p in projects if p.status == "null-result"]
        null_results = sorted(hub.null_results.values(), key=lambda n: (n.date, n.id), reverse=True)
        discussions = sorted(hub.discussions.values(), key=lambda d: (d.when or date.min, d.key), reverse=True)
        people = sorted(hub.people.values(), key=lambda p: (p.alumni, p.name.lower()))
        assets = sorted(self.a.lineage.assets.values(), key=lambda u: (-u.reuse, u.key))

        from hubgen.render import portfolio as folio

        self.page(
            "home.md.j2",
            "",
            projects=projects,
            null_results=null_results,
            null_projects=null_projects,
            portfolio_cards=folio.cards(self.a.portfolio.headline, self.a.portfolio.figures),
            discussions=discussions,
            people=people,
            assets=assets,
        )
        self.page("projects.md.j2", "projects/", projects=projects)
        for p in projects:
            self.record_page("project", p.id, p)
        self.page("null_results.md.j2", "null-results/", null_results=null_results, null_projects=null_projects)
        self.page("proposals.md.j2", "proposals/", reviews=list(self.a.proposals.values()))
        for n in null_results:
            self.record_page("null-result", n.id, n)
        self.page("discussions.md.j2", "discussions/", discussions=discussions)
        for d in discussions:
            self.record_page("discussion", d.key, d)
        self.page("people.md.j2", "people/", people=people)
        for person in people:
            self.record_page("person", person.handle, person)
        self.page("assets.md.j2", "assets/", assets=assets)
        for use in assets:
            self.page("asset.md.j2", urls.url("asset", use.key), use=use, asset=hub.assets.get(use.key))
        self.render_explorer(assets)
        self.page("reuse.md.j2", "reuse/", report=self.a.reuse)
        self.page("experts.md.j2", "experts/", ex=self.a.experts)
        for topic in self.a.experts.topics.values():
            self.page("topic.md.j2", topic.url, topic=topic, ex=self.a.experts)
        self.page("investment.md.j2", "reuse/investment/", inv=self.a.reuse.investment)
        self.render_browse()
        self.render_portfolio()
        self.render_publishing()
        # Compact: json's C encoder runs only without indent (indenting took seconds at 10,000 projects).
        self.site.files["api/hub.json"] = (strict_json(hub_export(hub, self.a, self.audience)) + "\n").encode()
        self.site.files["api/hub.schema.json"] = export_schema_text().encode()
        # Seven tabs: entity pages are never listed, only the index pages.
        self.site.nav = [
            {"Home": "index.md"},
            {
                "Work": [
                    {"Projects": "projects/index.md"},
                    {"Null results": "null-results/index.md"},
                    {"Proposals": "proposals/index.md"},
                    {"Discussions": "discussions/index.md"},
                    {"Teams": "teams/index.md"},
                    {"Tags": "tags/index.md"},
                    {"Tools": "tools/index.md"},
                ]
            },
            {
                "People": [
                    {"Directory": "people/index.md"},
                    {"Experts": "experts/index.md"},
                ]
            },
            {
                "Assets": [
                    {"Catalog": "assets/index.md"},
                    {"Reuse leaderboard": "reuse/index.md"},
                    {"Data investment": "reuse/investment/index.md"},
                    {"Lineage explorer": urls.source(urls.EXPLORER)},
                ]
            },
            {
                "Portfolio": [
                    {"Overview": "portfolio/index.md"},
                    {"Stakeholder backlog": "portfolio/backlog/index.md"},
                    {"Hub health": "health/index.md"},
                ]
            },
            {"What's new": "whats-new/index.md"},
            {"Contribute": "contribute/index.md"},
        ]
        return self.site

    def render_explorer(self, assets: list) -> None:
        """The full-screen lineage explorer and every node's neighbourhood fragment (fetched on expand)."""
        from hubgen.render.lineage_fragments import fragment_files

        walk = self.a.walk or walk_edges(self.a.lineage)
        self.site.files.update(fragment_files(self.hub, self.a.lineage, walk, strict_json))
        start = next((u.key for u in assets if u.key in walk.down or u.key in walk.up), None)
        self.page("lineage.md.j2", urls.EXPLORER, start=start)

    def render_browse(self) -> None:
        """`teams/`, `tags/`, `tools/`: one index each and a page per team, tag and tool."""
        b = self.a.browse
        assert b is not None
        self.page("teams.md.j2", "teams/", b=b)
        for team in b.teams.values():
            self.page("team.md.j2", urls.url("team", team.slug), t=team)
        self.page("tags.md.j2", "tags/", b=b)
        for tag in b.tags.values():
            self.page("tag.md.j2", urls.url("tag", tag.slug), t=tag)
        self.page("tools.md.j2", "tools/", b=b)
        for tool in b.tools.values():
            self.page("tool.md.j2", urls.url("tool", tool.slug), t=tool)

    def render_portfolio(self) -> None:
        """`portfolio/` (charts, captions, data) and `portfolio/backlog/`; chart files come from the cache when unchanged."""
        from hubgen.render import portfolio as folio

        p = self.a.portfolio
        charts, data_files, files = folio.build(p, self.cache_dir)
        self.site.files.update(files)
        self.page(
            "portfolio.md.j2",
            folio.SECTION,
            p=p,
            cards=folio.cards(p.headline, p.figures),
            charts=charts,
            data_files=data_files,
            quarters=folio.quarter_rows(p),
            notes=p.gap_notes(),
        )
        columns, groups = folio.backlog_groups(p)
        self.page(
            "portfolio_backlog.md.j2",
            folio.BACKLOG,
            columns=columns,
            groups=groups,
            in_flight=p.headline.in_flight,
            waiting=p.headline.backlog,
        )

    def render_publishing(self) -> None:
        """`whats-new/` with `feed.xml`, `health/`, and `contribute/` (from the schema)."""
        from hubgen.analysis.health import REQUIREMENT_SECTIONS, health
        from hubgen.analysis.news import news
        from hubgen.render.feed import atom_feed
        from hubgen.schema.reference import COMMANDS, record_reference

        items = news(self.hub, self.today)
        self.page("whats_new.md.j2", "whats-new/", items=items[:100], total=len(items))
        self.site.files["feed.xml"] = atom_feed(self.hub, items)
        self.page(
            "health.md.j2",
            "health/",
            health=health(self.hub, self.a.lineage, self.today),
            sections=REQUIREMENT_SECTIONS,
        )
        self.page("contribute.md.j2", "contribute/", commands=Markup(COMMANDS), reference=Markup(record_reference(2)))


def render_site(
    hub: Hub,
    audience: str,
    today: date,
    cache_dir: Path | None = None,
    hub_root: Path | None = None,
    analyses: Analyses | None = None,
) -> Site:
    """The whole generated tree for `hub` (already restricted to `audience`); charts are cached in `cache_dir`,
    compiled templates in `hub_root`'s cache."""
    return Renderer(hub, analyses or analyse(hub, today), audience, today, cache_dir, hub_root).render()
