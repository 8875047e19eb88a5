"""Reading hub files safely: size, encoding, symlinks, YAML with line numbers.

Every failure becomes a `Problem` naming the file and line; nothing here raises
for bad input. YAML is composed into nodes (C parser when available) and built
into plain Python values by hand so that each value keeps its line, duplicate
keys are caught, and alias bombs and deep nesting are bounded.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from hubgen.problems import ProblemLog
from hubgen.schema import field_name
from hubgen.visibility import VISIBILITY_LEVELS, visibility_rank

MAX_FILE_BYTES = 2 * 1024 * 1024  # hub records are small; anything bigger is a mistake
MAX_NODES = 100_000  # expanded YAML values per file: bounds alias ("billion laughs") bombs
MAX_DEPTH = 64

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class Document:
    """A parsed YAML document: the data and the line of every value path."""

    data: Any
    lines: dict[tuple[Any, ...], int] = field(default_factory=dict)
    line_offset: int = 0

    def line(self, path: tuple[Any, ...]) -> int | None:
        while path:
            if path in self.lines:
                return self.lines[path] + self.line_offset
            path = path[:-1]
        return self.lines.get((), 0) + self.line_offset or None


class _TooBig(Exception):
    """A file over the value or depth bounds; `line` (0-based) is where it went over, if known."""

    def __init__(self, message: str, line: int | None = None, hint: str = ""):
        super().__init__(message)
        self.line = line
        self.hint = hint or TOO_BIG_HINT


def _stricter_visibility(a: Any, b: Any) -> Any:
    """Of two `visibility` values, the one that shows the record to fewer people (unknown: confidential)."""
    return a if visibility_rank(_level(a)) >= visibility_rank(_level(b)) else b


def _narrower_audience(a: Any, b: Any) -> Any:
    """Of two build `audience` values, the narrower; an invalid one wins so that it is reported, never widened."""
    if _level(a) not in VISIBILITY_LEVELS:
        return a
    if _level(b) not in VISIBILITY_LEVELS:
        return b
    return a if visibility_rank(a) <= visibility_rank(b) else b


def _level(value: Any) -> str:
    return value if isinstance(value, str) else "?"


# Top-level keys where a duplicate must resolve towards fewer readers, not to the first or last line.
_STRICTEST = {"visibility": _stricter_visibility, "audience": _narrower_audience}

HIDDEN = "hidden (its name starts with '.'), so it is not read"
HIDDEN_HINT = "rename it without the leading '.' to build it"
TOO_DEEP = f"nested deeper than {MAX_DEPTH} levels"
TOO_BIG_HINT = "remove the anchors/aliases or split the file"
TOO_DEEP_HINT = "flatten the nested lists and mappings: hub records need only a few levels"


class _Builder:
    """Builds Python values from YAML nodes, recording lines and problems."""

    def __init__(self, rel: str, log: ProblemLog, line_offset: int):
        self.rel = rel
        self.log = log
        self.offset = line_offset
        self.lines: dict[tuple[Any, ...], int] = {}
        self.count = 0
        self.scalars = yaml.constructor.SafeConstructor()

    def build(self, node: yaml.Node, path: tuple[Any, ...], depth: int) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise _TooBig(f"more than {MAX_NODES} values (an alias bomb or a generated file?)")
        if depth > MAX_DEPTH:
            raise _TooBig(TOO_DEEP, node.start_mark.line, TOO_DEEP_HINT)
        self.lines[path] = node.start_mark.line + 1
        if isinstance(node, yaml.ScalarNode):
            try:
                value = self.scalars.construct_object(node)
            except (ValueError, yaml.YAMLError, OverflowError):
                return node.value  # e.g. 2024-02-30: kept as text, the schema says why
            return self._plain(value, node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, path + (i,), depth + 1) for i, item in enumerate(node.value)]
        if isinstance(node, yaml.MappingNode):
            out: dict[Any, Any] = {}
            first_line: dict[Any, int] = {}
            for key_node, value_node in node.value:
                key_line = key_node.start_mark.line + 1
                if not isinstance(key_node, yaml.ScalarNode):
                    self.log.error(
                        self.rel,
                        key_line + self.offset,
                        "a key must be plain text, not a list or mapping",
                        "check the indentation of this line",
                    )
                    continue
                key = key_node.value
                if key in first_line:
                    first = first_line[key] + self.offset
                    stricter = _STRICTEST.get(key) if not path else None
                    if stricter is None:
                        self.log.error(
                            self.rel,
                            key_line + self.offset,
                            f"duplicate key '{key}' (first at line {first}): the first (line {first}) is used",
                            "keep one of them",
                        )
                    else:
                        # Never let a second line widen who may see the record.
                        out[key] = stricter(out[key], self.build(value_node, path + (key,), depth + 1))
                        self.log.error(
                            self.rel,
                            key_line + self.offset,
                            f"duplicate key '{key}' (first at line {first}): the more restrictive "
                            f"value, '{out[key]}', is used",
                            "keep one of them",
                        )
                    continue
                first_line[key] = key_line
                out[key] = self.build(value_node, path + (key,), depth + 1)
                self.lines[path + (key,)] = key_line
            return out
        return None

    def _plain(self, value: Any, node: yaml.ScalarNode, path: tuple[Any, ...]) -> Any:
        """Only values JSON can carry get through: binary data and NaN/infinity are kept as their text."""
        if isinstance(value, float) and not math.isfinite(value):
            what = "not a number" if math.isnan(value) else "infinite"
            self.log.warn(
                self.rel,
                node.start_mark.line + 1 + self.offset,
                f"'{field_name(path)}' is {node.value} ({what}), not a finite number; kept as text",
                "write a finite number, or quote the value if you mean the text",
            )
            return node.value
        if isinstance(value, (bytes, bytearray)):
            self.log.warn(
                self.rel,
                node.start_mark.line + 1 + self.offset,
                f"'{field_name(path)}' is binary data (!!binary); kept as its base64 text",
                "hub records hold text: link to binary files instead",
            )
            return "".join(node.value.split())
        return value


def parse_yaml(text: str, rel: str, log: ProblemLog, line_offset: int = 0) -> Document | None:
    """Parse one YAML document; report problems to `log`, return None if unusable."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 + line_offset if mark else None
        problem = (exc.problem or "invalid YAML").strip()
        if "nesting depth" in problem:  # libyaml >= 0.2.6 (PyYAML 6.0.3+) bounds depth itself
            log.error(rel, line, f"YAML too large to read: {TOO_DEEP}", TOO_DEEP_HINT)
            return None
        hint = "fix the YAML syntax on this line"
        source_lines = text.split("\n")
        bad_line = source_lines[mark.line] if mark and mark.line < len(source_lines) else ""
        if "\t" in bad_line[: (mark.column + 1 if mark else 0)] or "\t" in problem:
            hint = "YAML indentation must use spaces, not tabs"
        elif "expected a single document" in str(exc):
            problem, hint = "more than one YAML document in the file", "remove the extra '---' line"
        elif "mapping values are not allowed" in problem:
            hint = "a value containing ': ' must be quoted, or the line is mis-indented"
        log.error(rel, line, f"invalid YAML: {problem}", hint)
        return None
    except yaml.YAMLError as exc:
        log.error(rel, None, f"invalid YAML: {exc}", "fix the YAML syntax")
        return None
    except RecursionError:
        log.error(rel, None, "YAML nested too deeply to read", "flatten the structure")
        return None
    if node is None:
        return Document(None, {(): 1}, line_offset)
    builder = _Builder(rel, log, line_offset)
    try:
        data = builder.build(node, (), 0)
    except _TooBig as exc:
        where = node.start_mark.line if exc.line is None else exc.line
        log.error(rel, where + 1 + line_offset, f"YAML too large to read: {exc}", exc.hint)
        return None
    except RecursionError:
        log.error(rel, None, "YAML nested too deeply to read", "flatten the structure")
        return None
    return Document(data, builder.lines, line_offset)


class Repo:
    """A hub repository on disk; every read goes through here."""

    def __init__(self, root: Path):
        self.root = root.resolve()
        self._prefix = str(self.root).rstrip("/") + "/"
        self._real_dirs: set[str] = {str(self.root)}  # folders known to be real (no link) and inside

    def rel(self, path: Path) -> str:
        """Path relative to the repository, POSIX style (string work: called for every file)."""
        text = str(path)
        if text.startswith(self._prefix):
            return text[len(self._prefix) :]
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()

    def inside(self, path: Path) -> bool:
        """True if `path`, with symlinks followed, stays inside the repository.

        A path that is not a link, in a folder already known to be real and
        inside, is inside: one lstat instead of resolving the whole path, which
        matters at tens of thousands of files. Links are always resolved.
        """
        try:
            text = str(path)
            if not os.path.islink(text) and self._real_dir(os.path.dirname(text)):
                return True
            path.resolve().relative_to(self.root)
            return True
        except (ValueError, OSError, RuntimeError):
            return False

    def _real_dir(self, folder: str) -> bool:
        if folder in self._real_dirs:
            return True
        parent = os.path.dirname(folder)
        if parent == folder or not folder.startswith(self._prefix) or os.path.islink(folder):
            return False
        if self._real_dir(parent):
            self._real_dirs.add(folder)
            return True
        return False

    def listdir(self, path: Path, log: ProblemLog) -> list[Path]:
        """Entries of a directory, sorted, skipping hidden ones and links leaving the repo."""
        if not path.is_dir():
            return []
        out = []
        for entry in sorted(path.iterdir()):
            if entry.name.startswith("."):
                if entry.is_dir() and entry.name not in (".git", ".hubgen-cache"):
                    log.warn(self.rel(entry), None, HIDDEN, HIDDEN_HINT)
                continue
            if not self.inside(entry):
                log.error(
                    self.rel(entry),
                    None,
                    "symbolic link points outside the repository; not read",
                    "copy the file into the repository instead of linking to it",
                )
                continue
            out.append(entry)
        return out

    def read_text(self, path: Path, log: ProblemLog, max_bytes: int = MAX_FILE_BYTES) -> str | None:
        rel = self.rel(path)
        if not self.inside(path):
            log.error(
                rel,
                None,
                "symbolic link points outside the repository; not read",
                "copy the file into the repository instead of linking to it",
            )
            return None
        try:
            with open(path, "rb") as f:
                size = os.fstat(f.fileno()).st_size
                if size > max_bytes:
                    log.error(
                        rel,
                        None,
                        f"file is {size / 1e6:.1f} MB, over the {max_bytes // 2**20} MB limit",
                        "hub records are small text files; move large data elsewhere and link to it",
                    )
                    return None
                raw = f.read()
        except OSError as exc:
            log.error(rel, None, f"cannot read file: {exc.strerror or exc}", "check the file permissions")
            return None
        nul = raw.find(b"\x00")
        if nul >= 0:
            line = raw.count(b"\n", 0, nul) + 1
            if nul < 8192 and line <= 3:  # at the very start: a binary file, not text with a stray NUL
                log.error(rel, None, "binary file where a text file was expected", "remove it or save it as UTF-8 text")
            else:
                log.error(rel, line, "a NUL character (byte 0x00) in a text file", "delete it from this line")
            return None
        if raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]  # a UTF-8 byte-order mark is harmless: drop it
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            log.error(
                rel,
                line,
                f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start})",
                "save the file as UTF-8",
            )
            return None
        return text.replace("\r\n", "\n")

    def read_yaml(self, path: Path, log: ProblemLog) -> Document | None:
        text = self.read_text(path, log)
        if text is None:
            return None
        return parse_yaml(text, self.rel(path), log)

    def read_front_matter(self, path: Path, log: ProblemLog) -> tuple[Document, str, int] | None:
        """Markdown with YAML front matter: (front matter, body, line the body starts on)."""
        text = self.read_text(path, log)
        if text is None:
            return None
        rel = self.rel(path)
        lines = text.split("\n")
        if not lines or lines[0].strip() != "---":
            log.error(rel, 1, "missing front matter", "start the file with a '---' line, the YAML fields, then '---'")
            return None
        for end in range(1, len(lines)):
            if lines[end].strip() in ("---", "..."):
                break
        else:
            log.error(rel, 1, "front matter is not closed", "add a '---' line after the YAML fields")
            return None
        doc = parse_yaml("\n".join(lines[1:end]), rel, log, line_offset=1)
        if doc is None:
            return None
        body = "\n".join(lines[end + 1 :])
        return doc, body, end + 2


def walk_files(repo: Repo, top: Path, suffixes: tuple[str, ...], log: ProblemLog) -> list[Path]:
    """Files under `top` with one of `suffixes`, sorted, not following links out of the repo."""
    out: list[Path] = []
    if not top.is_dir():
        return out
    for dirpath, dirnames, filenames in os.walk(top):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        base = Path(dirpath)
        for name in sorted(filenames):
            if not name.endswith(suffixes):
                continue
            if name.startswith("."):
                if not name.startswith(".#"):  # an editor's lock file, not a record
                    log.warn(repo.rel(base / name), None, HIDDEN, HIDDEN_HINT)
                continue
            path = base / name
            if not repo.inside(path):
                log.error(
                    repo.rel(path),
                    None,
                    "symbolic link points outside the repository; not read",
                    "copy the file into the repository instead of linking to it",
                )
                continue
            out.append(path)
    return out
