"""The built site as a reader's browser sees it, read with html.parser only.

`read_site(site)` parses every HTML page once: its links, ids, headings,
images, tables and Mermaid sources. The link checker, the accessibility checks
and the browser tests (to choose pages) all work from this.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

# Elements that cannot have content: no end tag will come.
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
SKIPPED_SCHEMES = ("mailto:", "tel:", "javascript:", "data:")


@dataclass
class Link:
    tag: str  # a, link, script, img, ...
    attr: str  # href or src
    value: str
    rel: str = ""


@dataclass
class Image:
    src: str
    alt: str | None
    hidden: bool  # aria-hidden or role=presentation/none: decorative by declaration


@dataclass
class Table:
    th: int = 0
    rows: int = 0


@dataclass
class Page:
    path: str  # site-relative file path, e.g. "projects/x/index.html"
    links: list[Link] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    h1: list[str] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    mermaid: list[str] = field(default_factory=list)  # the diagram sources, as Mermaid receives them
    title: str = ""

    @property
    def url(self) -> str:
        """Directory-style URL of the page relative to the site root ('' for the home page)."""
        return self.path.removesuffix("index.html")


class _Parser(HTMLParser):
    def __init__(self, page: Page):
        super().__init__(convert_charrefs=True)
        self.page = page
        self.text_into: list[list[str]] = []  # open text collectors (h1, mermaid, title)
        self.stack: list[tuple[str, list[str] | None, str]] = []
        self.tables: list[Table] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        if "id" in a:
            self.page.ids.add(a["id"])
        if tag == "a" and "name" in a:
            self.page.ids.add(a["name"])
        for attr in ("href", "src"):
            if attr in a and tag in ("a", "link", "script", "img", "iframe", "source", "audio", "video", "embed"):
                self.page.links.append(Link(tag, attr, a[attr], a.get("rel", "")))
        if a.get("srcset") and tag in ("img", "source"):  # "url 1x, url 2x": every candidate must exist
            for candidate in a["srcset"].split(","):
                if candidate.strip():
                    self.page.links.append(Link(tag, "srcset", candidate.split()[0]))
        if tag == "img":
            hidden = a.get("aria-hidden") == "true" or a.get("role") in ("presentation", "none")
            self.page.images.append(Image(a.get("src", ""), attrs_get(attrs, "alt"), hidden))
        if tag == "table":
            self.tables.append(Table())
            self.page.tables.append(self.tables[-1])
        elif tag == "th" and self.tables:
            self.tables[-1].th += 1
        elif tag == "tr" and self.tables:
            self.tables[-1].rows += 1
        if tag in VOID:
            return
        collector = None
        if tag in ("h1", "title") or (tag in ("pre", "div") and "mermaid" in a.get("class", "").split()):
            collector = []
            self.text_into.append(collector)
        self.stack.append((tag, collector, a.get("class", "")))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        # Pop up to the matching open element (tolerates unclosed <p>, <li>, ...).
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                break
        else:
            return
        while len(self.stack) > i:
            name, collector, cls = self.stack.pop()
            if collector is not None:
                self.text_into.remove(collector)
                text = "".join(collector)
                if name == "h1":
                    self.page.h1.append(" ".join(text.split()).removesuffix("¶").strip())
                elif name == "title":
                    self.page.title = " ".join(text.split())
                else:
                    self.page.mermaid.append(text)
            if name == "table" and self.tables:
                self.tables.pop()

    def handle_data(self, data: str) -> None:
        for collector in self.text_into:
            collector.append(data)


def attrs_get(attrs: list[tuple[str, str | None]], name: str) -> str | None:
    for k, v in attrs:
        if k == name:
            return v or ""
    return None


def parse_page(site: Path, path: str) -> Page:
    page = Page(path)
    parser = _Parser(page)
    parser.feed((site / path).read_text(encoding="utf-8"))
    parser.close()
    return page


@lru_cache(maxsize=4)
def read_site(site: Path) -> dict[str, Page]:
    """Every HTML page of the built site, by site-relative path."""
    return {
        p.relative_to(site).as_posix(): parse_page(site, p.relative_to(site).as_posix())
        for p in sorted(site.rglob("*.html"))
    }


def is_external(value: str) -> bool:
    parts = urlsplit(value)
    return bool(parts.scheme or parts.netloc) or value.startswith(SKIPPED_SCHEMES)


def resolve(site: Path, page: str, value: str) -> tuple[str, str]:
    """(site-relative file the reference lands on, fragment) for an internal reference.

    The file may not exist: that is for the caller to report.
    """
    parts = urlsplit(value)
    if not parts.path:
        return page, parts.fragment
    if parts.path.startswith("/"):
        target = parts.path.lstrip("/")
    else:
        target = posixpath.join(posixpath.dirname(page), unquote(parts.path))
    target = posixpath.normpath(target)
    if target in (".", ""):
        target = ""
    if target.startswith(".."):
        return target, parts.fragment  # leaves the site
    if parts.path.endswith("/") or (site / target).is_dir():
        target = posixpath.join(target, "index.html") if target else "index.html"
    return target, parts.fragment
