"""Render the hub into a tree of Markdown pages and data files.

The output is a plain mapping of paths to contents: the MkDocs plugin hands it
to MkDocs as generated files, and `hubgen generate` writes it to disk for any
engine. Decisions (counts, rankings, visibility) are made before this point.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import jinja2
import yaml
from markupsafe import Markup

from hubgen import schema
from hubgen.analysis.lineage import LineageGraph, build_graph, is_asset
from hubgen.analysis.documents import SearchDoc, search_documents
from hubgen.analysis.related import related_work
from hubgen.analysis.relations import Relations, relate
from hubgen.model import Hub
from hubgen.render import urls
from hubgen.render.export import hub_export
from hubgen.render.markup import body_html, md_text

TEMPLATES = Path(__file__).parent / "templates"
STATUS_ORDER = {s: i for i, s in enumerate(("active", "backlog", "delivered", "null-result", "retired", "cancelled"))}


@dataclass
class Site:
    """The generated tree: Markdown pages and other files, by site-relative path."""

    pages: dict[str, str] = field(default_factory=dict)
    files: dict[str, bytes] = field(default_factory=dict)
    nav: list[dict[str, str]] = field(default_factory=list)


@dataclass
class Analyses:
    relations: Relations
    lineage: LineageGraph
    documents: list[SearchDoc]
    related: dict[str, list[tuple[SearchDoc, float]]]


def analyse(hub: Hub) -> Analyses:
    docs = search_documents(hub)
    return Analyses(relate(hub), build_graph(hub), docs, related_work(docs))


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.do"],
    )
    env.filters["md"] = md_text
    env.filters["body"] = body_html
    env.filters["yaml"] = lambda v: yaml.safe_dump(v, sort_keys=False, allow_unicode=True, default_flow_style=False)
    env.filters["num"] = _number
    env.filters["json"] = lambda v: Markup(json.dumps(v))
    # Themes print page titles unescaped (<title>, nav, search): escape once, here.
    env.filters["fm_title"] = lambda v: Markup(json.dumps(html.escape(str(v), quote=False)))
    return env


def _number(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return "" if value is None else str(value)
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


class Renderer:
    def __init__(self, hub: Hub, analyses: Analyses, audience: str, today: date):
        self.hub = hub
        self.a = analyses
        self.audience = audience
        self.today = today
        self.env = _environment()
        self.site = Site()

    def page(self, template: str, page_url: str, **context: Any) -> None:
        here = page_url

        def href(target: str) -> str:
            return urls.relative(here, target)

        text = self.env.get_template(template).render(
            hub=self.hub, a=self.a, here=here, href=href, url=urls.url, audience=self.audience,
            today=self.today, schema=schema, is_asset=is_asset, **context,
        )
        self.site.pages[urls.source(page_url)] = text

    def render(self) -> Site:
        hub = self.hub
        projects = sorted(hub.projects.values(), key=lambda p: (STATUS_ORDER.get(p.status, 9), p.title.lower()))
        null_projects = [p for p in projects if p.status == "null-result"]
        null_results = sorted(hub.null_results.values(), key=lambda n: (n.date, n.id), reverse=True)
        discussions = sorted(hub.discussions.values(), key=lambda d: (d.when or date.min, d.key), reverse=True)
        people = sorted(hub.people.values(), key=lambda p: (p.alumni, p.name.lower()))
        assets = sorted(self.a.lineage.assets.values(), key=lambda u: (-u.reuse, u.key))

        self.page("home.md.j2", "", projects=projects, null_results=null_results, null_projects=null_projects,
                  discussions=discussions, people=people, assets=assets)
        self.page("projects.md.j2", "projects/", projects=projects)
        for p in projects:
            self.page("project.md.j2", urls.url("project", p.id), p=p)
        self.page("null_results.md.j2", "null-results/", null_results=null_results, null_projects=null_projects)
        for n in null_results:
            self.page("null_result.md.j2", urls.url("null-result", n.id), n=n)
        self.page("discussions.md.j2", "discussions/", discussions=discussions)
        for d in discussions:
            self.page("discussion.md.j2", urls.url("discussion", d.key), d=d)
        self.page("people.md.j2", "people/", people=people)
        for person in people:
            self.page("person.md.j2", urls.url("person", person.handle), person=person)
        self.page("assets.md.j2", "assets/", assets=assets)
        for use in assets:
            self.page("asset.md.j2", urls.url("asset", use.key), use=use, asset=hub.assets.get(use.key))
        self.site.files["api/hub.json"] = (
            json.dumps(hub_export(hub, self.a, self.audience), indent=1, ensure_ascii=False, sort_keys=False) + "\n"
        ).encode()
        self.site.nav = [
            {"Home": "index.md"},
            {"Projects": "projects/index.md"},
            {"Null results": "null-results/index.md"},
            {"Discussions": "discussions/index.md"},
            {"People": "people/index.md"},
            {"Assets": "assets/index.md"},
        ]
        return self.site


def render_site(hub: Hub, audience: str, today: date) -> Site:
    """The whole generated tree for `hub` (already restricted to `audience`)."""
    return Renderer(hub, analyse(hub), audience, today).render()
