"""Page content as the search indexes should read it: a label apart from its value, a table row by row.

Both site engines index text, not layout: `<th>Hypothesis</th><td>Acumen…</td>`
becomes "HypothesisAcumen…" and a table one run-on string. The indexed copy
of each page (never the page a reader sees) therefore writes every table
row as its own paragraph, each cell after its column's label and a colon
("Hypothesis: Acumen…", "Person: Daniel Osei · Score: 0.82"), and puts ": "
after a definition term. One place for both engines: Material's index and
the Pagefind feed.
"""

from __future__ import annotations

import re

_TABLE = re.compile(r"<table\b[^>]*>(.*?)</table>", re.IGNORECASE | re.DOTALL)
_ROW = re.compile(r"<tr\b[^>]*>(.*?)</tr>", re.IGNORECASE | re.DOTALL)
_CELL = re.compile(r"<(th|td)\b([^>]*)>(.*?)</\1>", re.IGNORECASE | re.DOTALL)
_HEAD = re.compile(r"<thead\b[^>]*>(.*?)</thead>", re.IGNORECASE | re.DOTALL)
_TAGS = re.compile(r"<[^>]+>")
_DT_END = re.compile(r"</dt>", re.IGNORECASE)
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_INNER_BLOCK = re.compile(r"(?=<(?:p|div|small|ul|ol|li)\b)", re.IGNORECASE)
_EXCLUDED = re.compile(r"<(ul|ol|div|span|p)\b[^>]*\bdata-search-exclude\b[^>]*>.*?</\1>", re.IGNORECASE | re.DOTALL)
SEPARATOR = ": "
CELL_JOIN = " · "


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", _TAGS.sub(" ", html)).strip()


def _label(html: str) -> str:
    """A cell as a label: its text without a trailing colon (the separator adds one)."""
    return _text(html).rstrip(":").strip()


def _cell(html: str) -> str:
    """A cell's content kept whole, its inner lines apart ("Daniel Osei, Senior Data Scientist")."""
    html = _EXCLUDED.sub("", html)
    return re.sub(r"\s{2,}", " ", _INNER_BLOCK.sub(" ", _BREAK.sub(", ", html))).strip()


def _row(cells: list[tuple[str, str, str]], headers: list[str]) -> str:
    """One row as "label: value" pairs; a row header labels the row's other cells."""
    if not cells:
        return ""
    first_tag, first_attrs, first_html = cells[0]
    if first_tag.lower() == "th" and len(cells) >= 2 and ("row" in first_attrs or not headers):
        label = _label(first_html)
        values = [html.strip() for _, _, html in cells[1:] if _text(html)]
        if not values:
            return label
        return f"{label}{SEPARATOR}{CELL_JOIN.join(values)}" if label else CELL_JOIN.join(values)
    parts = []
    for i, (_, _, html) in enumerate(cells):
        if not _text(html):
            continue
        label = headers[i] if i < len(headers) and re.search(r"[^\W\d_]", headers[i]) else ""  # "#" labels nothing
        parts.append(f"{label}{SEPARATOR}{html.strip()}" if label else html.strip())
    return CELL_JOIN.join(parts)


def _table(match: re.Match[str]) -> str:
    inner = match.group(1)
    head = _HEAD.search(inner)
    headers: list[str] = []
    body = inner
    if head:
        headers = [_label(html) for _, _, html in _CELL.findall(head.group(1))]
        body = inner[: head.start()] + inner[head.end() :]
    else:
        rows = _ROW.findall(inner)
        if rows:
            cells = _CELL.findall(rows[0])
            if len(cells) > 1 and all(tag.lower() == "th" for tag, _, _ in cells):  # a header row without <thead>
                headers = [_label(html) for _, _, html in cells]
                body = inner.replace(rows[0], "", 1)
    out = [
        _row([(tag, attrs, _cell(html)) for tag, attrs, html in _CELL.findall(row)], headers)
        for row in _ROW.findall(body)
    ]
    return "".join(f"<p>{line}</p>" for line in out if line)


def indexable(content_html: str) -> str:
    """`content_html` with tables row by row and labels separated from values, for a search index."""
    html = _TABLE.sub(_table, content_html)
    return _DT_END.sub(SEPARATOR.rstrip() + " </dt>", html)
