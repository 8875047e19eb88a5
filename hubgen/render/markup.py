"""Safe text: escaping for metadata, sanitised HTML for Markdown bodies.

Bodies are rendered to HTML here and cleaned with nh3 (the Ammonia sanitiser)
so the generated pages are safe under any engine, with or without the plugin.
"""

from __future__ import annotations

import re
from functools import lru_cache

import markdown
import nh3
from markupsafe import Markup, escape

_ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "details", "div", "dl", "dt", "em",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre",
    "s", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th",
    "thead", "tr", "u", "ul",
}
_ALLOWED_ATTRS = {
    "*": {"class", "id", "title"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "ol": {"start"},
}
_URL_SCHEMES = {"http", "https", "mailto"}
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~])")


@lru_cache(maxsize=1)
def _converter() -> markdown.Markdown:
    return markdown.Markdown(
        extensions=["extra", "sane_lists", "toc"],
        extension_configs={"toc": {"baselevel": 3, "permalink": False}},
        output_format="html",
    )


def sanitize_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRS,
        url_schemes=_URL_SCHEMES,
        link_rel="noopener noreferrer",
    )


def body_html(text: str) -> Markup:
    """A Markdown body as sanitised HTML, its headings pushed below the page's own (h3+)."""
    if not text or not text.strip():
        return Markup("")
    md = _converter()
    md.reset()
    return Markup(sanitize_html(md.convert(text)))


def md_text(value: object) -> Markup:
    """Metadata for a Markdown context: HTML-escaped, then Markdown syntax neutralised."""
    text = "" if value is None else str(value)
    # Only &, < and > are entity-escaped: quote entities (&#39;) would contain '#'.
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = text.replace("\n", " ").replace("\r", " ")
    return Markup(_MD_SPECIAL.sub(r"\\\1", text))


def inert(value: object) -> object:
    """Every template value, safe in HTML and in Markdown: the Jinja `finalize` hook.

    Autoescaping covers HTML; encoding the brackets as entities also stops
    Markdown from turning user text into links or images (`[x](javascript:…)`),
    wherever a template happens to place it. Entities render the same in HTML
    blocks and in Markdown, so no template has to know which context it is in.
    """
    if isinstance(value, Markup) or not isinstance(value, str):
        return value
    return Markup(str(escape(value)).replace("[", "&#91;").replace("]", "&#93;"))
