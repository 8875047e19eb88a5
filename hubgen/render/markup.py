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

from hubgen.load.bodies import markdown_hazard

_ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "code",
    "dd",
    "del",
    "details",
    "div",
    "dl",
    "dt",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "s",
    "small",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "u",
    "ul",
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


# Author ids are prefixed (as GitHub does) so that no element can clobber a global the theme or
# Material reads by id (`__config`, `__search`, ...); in-body links to them are prefixed alike.
ID_PREFIX = "user-content-"
_FRAGMENT_LINK = re.compile(r'href="#(?!' + ID_PREFIX + ")")
# Classes that make the engine load or run something: Material mounts Mermaid (from a CDN when
# the vendored copy is not on the page) on any `pre.mermaid`. Only hubgen's templates draw diagrams.
_ACTIVE_CLASSES = {"mermaid", "arithmatex"}


def _attribute(tag: str, name: str, value: str) -> str | None:
    if name == "class":
        kept = " ".join(c for c in value.split() if c.lower() not in _ACTIVE_CLASSES)
        return kept or None
    return value


def sanitize_html(html: str) -> str:
    clean = nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRS,
        attribute_filter=_attribute,
        url_schemes=_URL_SCHEMES,
        link_rel="noopener noreferrer",
        id_prefix=ID_PREFIX,
    )
    return _FRAGMENT_LINK.sub('href="#' + ID_PREFIX, clean)


def body_html(text: str) -> Markup:
    """A Markdown body as sanitised HTML, its headings pushed below the page's own (h3+).

    A body that would make Python-Markdown's parser quadratic or recurse without
    bound (see `hubgen.load.bodies`) is shown as plain text instead; `hubgen
    check` warns about it at its line.
    """
    if not text or not text.strip():
        return Markup("")
    if markdown_hazard(text) is not None:
        return Markup(f'<pre class="hubgen-plain">{escape(text)}</pre>')
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
    Markdown from turning user text into links or images (`[x](javascript:…)`) and
    attr_list from reading `{: … }` as attributes,
    wherever a template happens to place it. Entities render the same in HTML
    blocks and in Markdown, so no template has to know which context it is in.
    """
    if type(value) is str:  # most values: one pass in C (4.4 million calls at 10,000 projects)
        return Markup(value.translate(_INERT)) if _INERT_CHARS.search(value) else Markup(value)
    if isinstance(value, Markup) or not isinstance(value, str):
        return value
    return Markup(str(value).translate(_INERT))  # a str subclass: as escape() reads it


# HTML's five (as markupsafe.escape writes them), then Markdown's link brackets and attr_list's braces
# (`{: onfocus=… }` after a word would add attributes).
_INERT = str.maketrans(
    {
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        '"': "&#34;",
        "'": "&#39;",
        "[": "&#91;",
        "]": "&#93;",
        "{": "&#123;",
        "}": "&#125;",
    }
)
_INERT_CHARS = re.compile(r"[&<>\"'\[\]{}]")


def heading_anchor(ident: str) -> Markup:
    """attr_list syntax giving a heading an id: the one way a template writes `{ #… }` (author text cannot)."""
    if not re.fullmatch(r"[^\W_][\w.-]*", ident):  # letters (any script), digits, . _ -
        return Markup("")
    return Markup(f"{{ #{ident} }}")
