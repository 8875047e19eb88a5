"""Markdown bodies that would cost the whole build: found in one linear pass.

Python-Markdown scans to the end of a block for every unmatched `[` (and for
every `<` that might start an autolink), so a 60 KB body of brackets takes
minutes, raw HTML costs it quadratic time in the number of tags, and it recurses once per level of nested list or quote markers, so a
line of 10,000 `- ` crashes with RecursionError. Real write-ups never come
close to these bounds; a body that does is shown as plain text, with a warning
at its line from `hubgen check`.
"""

from __future__ import annotations

import re

MAX_OPEN_BRACKETS = 64  # unmatched or nested `[` in one block
MAX_OPEN_ANGLES = 256  # `<` without a `>` in one block
MAX_MARKER_DEPTH = 24  # list or quote markers opening one line
MAX_TAGS = 4000  # `<` in the whole body: raw HTML blocks cost Python-Markdown quadratic time
_MARKERS = re.compile(r"(?:[ \t]*(?:[-*+>]|\d{1,9}[.)])(?:[ \t]+|$)){" + str(MAX_MARKER_DEPTH) + ",}")


def markdown_hazard(text: str) -> tuple[int, str] | None:
    """(line, reason) of the first block too costly to render as Markdown, or None."""
    open_brackets = open_angles = tags = 0
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            open_brackets = open_angles = 0  # inline parsing works block by block
            continue
        if _MARKERS.match(line):
            return number, f"more than {MAX_MARKER_DEPTH} nested list or quote markers on one line"
        for mark in _BRACKETS.finditer(line):  # the depth at every bracket, not just at the line's end
            char = mark.group()
            if char == "[":
                open_brackets += 1
                if open_brackets > MAX_OPEN_BRACKETS:
                    return number, f"more than {MAX_OPEN_BRACKETS} '[' open at once (nested or not closed)"
            elif char == "]":
                open_brackets = max(0, open_brackets - 1)
            elif char == "<":
                open_angles += 1
                tags += 1
                if tags > MAX_TAGS:
                    return number, f"more than {MAX_TAGS} '<' (HTML tags) in one body"
                if open_angles > MAX_OPEN_ANGLES:
                    return number, f"more than {MAX_OPEN_ANGLES} '<' without a closing '>'"
            else:
                open_angles = max(0, open_angles - 1)
    return None


_BRACKETS = re.compile(r"[\[\]<>]")
