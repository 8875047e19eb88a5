"""hubgen's generated pages converted from Markdown as MkDocs' `Page.render` does, in less time.

Three costs of `Page.render` weigh on a hub of generated pages:

- a new `markdown.Markdown` per page, with every extension set up again: here one
  instance per thread, reset between pages, when every extension is one known to reset
  its state (else a new one per page, as MkDocs does);
- MkDocs' raw-HTML pass, which runs Python's HTML parser over the whole source to
  find the `id`s anchors may link to (generated pages are mostly HTML): here a regular
  expression over the tags finds the same ids;
- Markdown's own raw-HTML pass, the same parser again to find where each HTML block
  ends: a block hubgen wrote whole (a paragraph of its own that opens and closes one
  block-level element) is set aside as Markdown would set it aside.

Measured on the 2,500 generated pages of a 1,000-project hub: 13.3 s to convert as
MkDocs does, 5.6 s this way, the HTML identical.

Everything else is MkDocs' own: its tree processors rewrite and check the links and
find the title, so warnings and `validation` settings behave as in any build. Used only
with the MkDocs versions whose `Page.render` this follows (`available`).
"""

from __future__ import annotations

import html
import logging
import re
import threading
from typing import Any

import markdown
from markdown.preprocessors import Preprocessor

log = logging.getLogger("mkdocs.structure.pages")  # where MkDocs' own render reads its level

# Extensions whose state Markdown.reset() clears (or that keep none): a converter can be reused.
REUSABLE = frozenset(
    {
        "abbr",
        "admonition",
        "attr_list",
        "def_list",
        "fenced_code",
        "footnotes",
        "md_in_html",
        "sane_lists",
        "tables",
        "toc",
        "pymdownx.details",
        "pymdownx.superfences",
        "pymdownx.tabbed",
        "pymdownx.tasklist",
        "pymdownx.mark",
        "pymdownx.tilde",
        "pymdownx.caret",
        "pymdownx.keys",
    }
)
TESTED_MKDOCS = ("1.6.",)  # Page.render's steps as of these versions

# What the HTML parser does not read as tags: comments, and the text of scripts and styles.
_OPAQUE = re.compile(r"<!--.*?(?:-->|$)|<(script|style)\b.*?(?:</\1\s*>|$)", re.S | re.I)
_TAG = re.compile(r"<([a-zA-Z][^\s/>]*)((?:\s+[^\s/>=]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'>]+))?)*)\s*/?>")
_ATTR = re.compile(r"([^\s/>=]+)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s\"'>]+)))?")


def raw_anchor_ids(source: str) -> set[str]:
    """The ids of raw HTML in a page's Markdown (`id` on any tag, `name` on `<a>`), as MkDocs' parser
    finds them: names lowercased, values unescaped."""
    found: set[str] = set()
    for tag in _TAG.finditer(_OPAQUE.sub(" ", source)):
        name = tag.group(1).lower()
        for attr in _ATTR.finditer(tag.group(2)):
            key = attr.group(1).lower()
            if key == "id" or (key == "name" and name == "a"):
                value = next((v for v in attr.group(2, 3, 4) if v is not None), None)
                if value is not None:
                    found.add(html.unescape(value))
    return found


# Block-level elements hubgen's pages open raw HTML blocks with (all are block-level to Markdown).
_BLOCK = re.compile(r"<(div|table|ul|ol|p|section|figure|details|nav|dl|pre|blockquote|h[1-6])\b[^>]*>", re.I)
_NESTED: dict[str, re.Pattern[str]] = {}


def _whole_block(text: str) -> bool:
    """Whether `text` (a paragraph: no blank line) is one block-level element, opened first and closed
    last, that Markdown would keep as raw HTML in one piece."""
    opening = _BLOCK.match(text)
    if opening is None or "markdown" in text or "\x02" in text or "\x03" in text:
        return False  # md_in_html asks for Markdown inside; placeholders are Markdown's own business
    tag = opening.group(1).lower()
    close = f"</{tag}>"
    if text[-len(close) :].lower() != close:
        return False
    nested = _NESTED.setdefault(tag, re.compile(rf"<(/?){tag}\b", re.I))
    depth = 0
    for m in nested.finditer(text):
        depth += -1 if m.group(1) else 1
        if depth == 0:
            return m.start() == len(text) - len(close)  # closed only at the very end
    return False


class _WholeHtmlBlocks(Preprocessor):
    """Sets aside each paragraph that is one whole HTML block, as Markdown's HTML pass would: stored with
    its line end, a placeholder paragraph in its place. Runs after the fences (their code is stashed
    already) and before that pass, which then finds no HTML left to parse in those blocks."""

    def run(self, lines: list[str]) -> list[str]:
        paragraphs = "\n".join(lines).split("\n\n")
        for i, para in enumerate(paragraphs):
            block = para.strip("\n")
            if block[:1] == "<" and _whole_block(block):
                paragraphs[i] = self.md.htmlStash.store(block + "\n")
        return "\n\n".join(paragraphs).split("\n")


def available() -> bool:
    import mkdocs
    from mkdocs.structure import pages

    return mkdocs.__version__.startswith(TESTED_MKDOCS) and all(
        hasattr(pages, n)
        for n in ("_ExtractAnchorsTreeprocessor", "_RelativePathTreeprocessor", "_ExtractTitleTreeprocessor", "get_toc")
    )


class Renderer:
    """`render(page, config, files)` for generated pages; one per build configuration."""

    def __init__(self, config: Any) -> None:
        self._extensions = list(config["markdown_extensions"])
        self._settings = config["mdx_configs"] or {}
        self._reusable = all(isinstance(e, str) and e in REUSABLE for e in self._extensions)
        self._local = threading.local()  # a quick update renders in its own thread

    def _converter(self) -> markdown.Markdown:
        md = getattr(self._local, "md", None) if self._reusable else None
        if md is None:
            md = markdown.Markdown(extensions=self._extensions, extension_configs=self._settings)
            md.preprocessors.register(_WholeHtmlBlocks(md), "hubgen_html_blocks", 22)  # fences 25+, html 20
            if self._reusable:
                self._local.md = md
        else:
            md.reset()
        return md

    def render(self, page: Any, config: Any, files: Any) -> None:
        from mkdocs.structure import pages

        if page.markdown is None:
            raise RuntimeError("`markdown` field hasn't been set (via `read_source`)")
        md = self._converter()
        anchors = pages._ExtractAnchorsTreeprocessor(page.file, files, config)
        anchors._register(md)
        relative = pages._RelativePathTreeprocessor(page.file, files, config)
        relative._register(md)
        title = pages._ExtractTitleTreeprocessor()
        title._register(md)
        page.content = md.convert(page.markdown)
        page.toc = pages.get_toc(getattr(md, "toc_tokens", []))
        page._title_from_render = title.title
        page.present_anchor_ids = anchors.present_anchor_ids | raw_anchor_ids(page.markdown)
        if log.getEffectiveLevel() > logging.DEBUG:
            page.links_to_anchors = relative.links_to_anchors
