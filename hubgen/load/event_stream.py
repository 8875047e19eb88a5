"""Reading a JSON event file one event at a time: a single object, a JSON array decoded element by
element, or NDJSON line by line, each with the line it starts on. A log of any size reads in bounded
memory; only one event over MAX_EVENT_BYTES is refused."""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from hubgen.load.importer import ImportContext

MAX_EVENT_BYTES = 16 * 1024 * 1024  # one event; a file may be any size
CHUNK = 1 << 20
_WS = " \t\r\n"


class _TooLarge(Exception):
    pass


def _size(n: int) -> str:
    return f"{n / 2**20:g} MB" if n >= 2**20 else f"{n / 1024:g} KB"


def _chunks(path: Path) -> Iterator[str]:
    """The file's text in pieces (UTF-8, a byte-order mark dropped); raises UnicodeDecodeError."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    first = True
    with open(path, "rb") as f:
        while True:
            raw = f.read(CHUNK)
            if first and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            first = False
            text = decoder.decode(raw, final=not raw)
            if text:
                yield text.replace("\r\n", "\n")
            if not raw:
                return


def _ndjson(path: Path, rel: str, ctx: ImportContext) -> Iterator[tuple[int, Any]]:
    """(line, event) of each line; a bad or oversized line is reported and skipped."""
    buf, line_no, skipping = "", 1, False
    for piece in _chunks(path):
        buf += piece
        while True:
            cut = buf.find("\n")
            if cut < 0:
                if len(buf) > MAX_EVENT_BYTES:
                    if not skipping:
                        ctx.log.error(
                            rel,
                            line_no,
                            f"line is over the {_size(MAX_EVENT_BYTES)} limit for one event; skipped",
                            "split it: each line must be one event",
                        )
                    skipping, buf = True, ""
                break
            line, buf = buf[:cut], buf[cut + 1 :]
            if not skipping:
                yield from _decode_line(line, line_no, rel, ctx)
            skipping = False
            line_no += 1
    if buf.strip() and not skipping:
        yield from _decode_line(buf, line_no, rel, ctx)


def _decode_line(line: str, line_no: int, rel: str, ctx: ImportContext) -> Iterator[tuple[int, Any]]:
    if not line.strip():
        return
    try:
        yield line_no, json.loads(line)
    except json.JSONDecodeError as exc:
        ctx.log.error(rel, line_no, f"not valid JSON: {exc.msg}", "each line must be one complete JSON event; skipped")
    except RecursionError:
        ctx.log.error(rel, line_no, "JSON nested too deeply to read", "this is not an OpenLineage event; skipped")


def _json(path: Path, rel: str, ctx: ImportContext) -> Iterator[tuple[int, Any]]:  # noqa: C901 (a streaming reader: its state lives in one frame)
    """(line, event) of one JSON event or each element of a JSON array, decoded one at a time."""
    decoder = json.JSONDecoder()
    pieces = _chunks(path)
    buf, pos, line, eof = "", 0, 1, False

    def more() -> bool:
        nonlocal buf, pos, eof
        if eof:
            return False
        piece = next(pieces, None)
        if piece is None:
            eof = True
            return False
        buf = buf[pos:] + piece
        pos = 0
        if len(buf) > MAX_EVENT_BYTES:
            raise _TooLarge
        return True

    def skip(chars: str) -> None:
        nonlocal pos, line
        while True:
            while pos < len(buf) and buf[pos] in chars:
                line += buf[pos] == "\n"
                pos += 1
            if pos < len(buf) or not more():
                return

    def value() -> Any:
        nonlocal pos, line
        while True:
            try:
                found, end = decoder.raw_decode(buf, pos)
            except json.JSONDecodeError:
                if not eof and more():
                    continue
                raise
            if end == len(buf) and not eof and isinstance(found, (int, float)) and more():
                continue  # a number may go on in the next piece
            line += buf.count("\n", pos, end)
            pos = end
            return found

    in_array, done = False, 0
    try:
        skip(_WS)
        if pos >= len(buf):
            ctx.log.error(rel, None, "OpenLineage file is empty", "remove it or add events")
            return
        if buf[pos] != "[":
            start = line
            event = value()
            yield start, event
            skip(_WS)
            if pos < len(buf):
                ctx.log.error(
                    rel,
                    line,
                    "text after the JSON event",
                    "a .json file holds one event or an array; "
                    "write several events as an array, or one per line in a .ndjson file",
                )
            return
        pos += 1
        in_array = True
        while True:
            skip(_WS)
            if pos < len(buf) and buf[pos] == "]":
                return
            start = line
            yield start, value()
            done += 1
            skip(_WS)
            if pos < len(buf) and buf[pos] == ",":
                pos += 1
                continue
            if pos < len(buf) and buf[pos] == "]":
                return
            raise json.JSONDecodeError("expected ',' or ']' after an event", buf, pos)
    except json.JSONDecodeError as exc:
        ctx.log.error(
            rel,
            line + buf.count("\n", pos, exc.pos) if exc.pos >= pos else line,
            f"not valid JSON: {exc.msg} (truncated file?)"
            + (f"; the {done} event(s) before it are imported" if in_array and done else ""),
            "the file must be a JSON array of events, one event, or NDJSON named *.ndjson",
        )
    except _TooLarge:
        ctx.log.error(
            rel,
            line,
            f"an event near line {line} is over the {_size(MAX_EVENT_BYTES)} limit for one "
            "event; it and the rest of the file are not read, the events before it are imported",
            "write the events one per line in a .ndjson file (a long line is skipped, not the rest)",
        )
    except RecursionError:
        ctx.log.error(rel, line, "JSON nested too deeply to read", "this is not an OpenLineage event file")
