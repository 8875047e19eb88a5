"""`hubgen` command line: a thin layer over the pipeline.

Exit codes: 0 success; 1 the hub has problems (check) or the build failed;
2 usage error (bad option, missing mkdocs.yml or content/).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from typing import TextIO, overload

from hubgen import __version__
from hubgen.cli.build import cmd_build, cmd_generate, cmd_serve
from hubgen.cli.check import cmd_check
from hubgen.cli.common import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, UsageError
from hubgen.cli.find import cmd_experts, cmd_prior_art, cmd_search, cmd_stats
from hubgen.cli.records import cmd_init, cmd_new, cmd_schema
from hubgen.problems import ScaffoldError
from hubgen.visibility import VISIBILITY_LEVELS

__all__ = ["EXIT_OK", "EXIT_PROBLEMS", "EXIT_USAGE", "main"]  # what callers and tests use


class _SchemaChoices(Sequence[str]):
    """Record kinds as argparse choices, read from the schema only when a command checks or shows them:
    building the parser then costs no schema import (a quarter of a warm `hubgen search`'s start)."""

    def __init__(self, which: str) -> None:
        self.which = which
        self._kinds: tuple[str, ...] | None = None

    def _load(self) -> tuple[str, ...]:
        if self._kinds is None:
            from hubgen.schema import RECORD_KINDS
            from hubgen.schema.reference import NEW_KINDS

            self._kinds = tuple(NEW_KINDS) if self.which == "new" else tuple(k.name for k in RECORD_KINDS)
        return self._kinds

    @overload
    def __getitem__(self, i: int) -> str: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[str]: ...
    def __getitem__(self, i: int | slice) -> str | Sequence[str]:
        return self._load()[i]

    def __len__(self) -> int:
        return len(self._load())


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="hubgen", description="Build a knowledge hub site from a data-science team's repository."
    )
    top.add_argument("--version", action="version", version=f"hubgen {__version__}")
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, help: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help, description=help)
        p.add_argument("--repo", default=".", metavar="DIR", help="hub repository root (default: current directory)")
        return p

    b = command("build", "build the static site")
    b.add_argument("--site-dir", metavar="DIR", help="output folder (default: <repo>/site)")
    b.add_argument(
        "--audience",
        choices=VISIBILITY_LEVELS,
        help="leave out every record above this visibility (default: hub.yml audience, else internal)",
    )
    b.add_argument("--strict", action="store_true", help="fail on any problem instead of skipping broken records")
    b.add_argument(
        "--offline",
        action="store_true",
        help="a site that works opened from disk (file://): to send as a folder or zip, not to host",
    )
    b.set_defaults(func=cmd_build)

    g = command("generate", "write the generated Markdown tree and a plugin-free mkdocs.yml")
    g.add_argument("out", metavar="DIR", help="output folder (replaced)")
    g.add_argument("--audience", choices=VISIBILITY_LEVELS, help="as for build")
    g.set_defaults(func=cmd_generate)

    s = command("serve", "serve the site locally with live reload")
    s.add_argument("--dev-addr", default="127.0.0.1:8000", metavar="HOST:PORT", help="address to serve on")
    s.set_defaults(func=cmd_serve)

    c = command("check", "validate the hub and list every problem")
    c.add_argument("--strict", action="store_true", help="treat warnings as errors")
    c.add_argument(
        "--format",
        choices=("text", "json", "github", "gitlab"),
        default="text",
        help="output format; github: workflow annotations on the offending lines; "
        "gitlab: a Code Quality report (JSON) for the merge request",
    )
    c.add_argument(
        "--changed-since",
        metavar="REF",
        help="also note, on its prior_art line, each proposal (ideation or backlog) added or changed "
        "since REF (the merge request's base) that does not cite the nearest earlier work",
    )
    c.set_defaults(func=cmd_check)

    q = command("search", "search projects, null results, discussions, people and assets")
    q.add_argument("query", help='words, "a phrase", or field:value (title:, tags:, body:)')
    q.add_argument("--kind", choices=("project", "null-result", "discussion", "person", "asset"))
    q.add_argument("--status", help="e.g. active, delivered, null-result, open, decided, alumni")
    q.add_argument("--team", help="owning team")
    q.add_argument("--tag", help="exact tag, domain or tool")
    q.add_argument("--limit", type=int, default=10, metavar="N", help="at most N results (default 10)")
    q.add_argument("--audience", choices=VISIBILITY_LEVELS, help="search what this audience may see")
    q.add_argument("--json", action="store_true", help="machine-readable output")
    q.set_defaults(func=cmd_search)

    e = command("experts", "who knows X: people ranked by the evidence in the hub")
    e.add_argument(
        "query",
        help='a topic, tool or domain ("tensorflow", "latest tensorflow", "tensorflow 2.16", '
        '"marketing attribution") or free text ("graph features for fraud")',
    )
    e.add_argument("--limit", type=int, default=10, metavar="N", help="at most N people (default 10)")
    e.add_argument(
        "--explain", action="store_true", help="list the evidence behind each score: records, role, date and weight"
    )
    e.add_argument("--audience", choices=VISIBILITY_LEVELS, help="rank on what this audience may see")
    e.add_argument("--json", action="store_true", help="machine-readable output (evidence included)")
    e.set_defaults(func=cmd_experts)

    pa = command(
        "prior-art",
        "earlier work to read before starting a project: projects, null results, "
        "decisions, reusable assets and people to ask, each with why",
    )
    pa.add_argument("id", nargs="?", metavar="ID", help="a project id")
    pa.add_argument("--text", metavar="TEXT", help="the idea in a few words, when no record is written yet")
    pa.add_argument("--limit", type=int, default=10, metavar="N", help="at most N suggestions (default 10)")
    pa.add_argument("--audience", choices=VISIBILITY_LEVELS, help="suggest only what this audience may see")
    pa.add_argument(
        "--json",
        action="store_true",
        help="a list of hits: kind, key, title, url, score, why (people last, kind person)",
    )
    pa.set_defaults(func=cmd_prior_art)

    st = command("stats", "portfolio headline figures and the per-quarter table (the portfolio page, in the terminal)")
    st.add_argument("--audience", choices=VISIBILITY_LEVELS, help="count what this audience may see")
    st.add_argument("--json", action="store_true", help="machine-readable output")
    st.set_defaults(func=cmd_stats)

    i = sub.add_parser(
        "init",
        help="start a hub repository in an empty folder",
        description="Write a ready hub repository: mkdocs.yml, content/ with one example of each "
        "record, a GitHub workflow, pre-commit hook, editor schemas and a README.",
    )
    i.add_argument("dir", metavar="DIR", help="folder to create (must be missing or empty)")
    i.add_argument("--name", help="hub name (default: from the folder name)")
    i.set_defaults(func=cmd_init)

    n = command("new", "write a new record from its template")
    n.add_argument("kind", choices=_SchemaChoices("new"), metavar="KIND", help="what to create: %(choices)s")
    n.add_argument("id", metavar="ID", help="project id, null-result or discussion id, or person handle")
    n.add_argument(
        "--project",
        metavar="P",
        help="the project it belongs to (discussion: required; null-result: optional, top-level without it)",
    )
    n.add_argument(
        "--by",
        metavar="HANDLE",
        help="lead or author (default: the person whose email is git's user.email, or the only person)",
    )
    n.add_argument("--title", metavar="TEXT", help="title (a person's full name); default: from the id")
    n.set_defaults(func=cmd_new)

    sc = command("schema", "write the JSON Schemas of every record kind (for editors)")
    sc.add_argument(
        "kind",
        nargs="?",
        choices=_SchemaChoices("schema"),
        metavar="KIND",
        help="just this kind (%(choices)s); printed unless --out is given",
    )
    sc.add_argument("--out", metavar="DIR", help="output folder (default: <repo>/schemas)")
    sc.set_defaults(func=cmd_schema)
    return top


# Control characters in a record (a title with ESC sequences) must not drive the user's terminal:
# everything hubgen prints goes through this table; newlines and tabs stay. A file name that is not
# UTF-8 reaches a message as surrogates, which no terminal encoding can write: shown as its bytes.
_CONTROL = {c: f"\\x{c:02x}" for c in (*range(0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0))}
_CONTROL |= {c: f"\\x{c - 0xDC00:02x}" for c in range(0xDC80, 0xDD00)}  # os.fsdecode's escapes
_CONTROL |= {c: f"\\u{c:04x}" for c in (*range(0xD800, 0xDC80), *range(0xDD00, 0xE000))}


class _TerminalSafe:
    """A text stream that shows control characters as `\\xNN` instead of sending them."""

    def __init__(self, stream: TextIO):
        self._stream = stream

    def write(self, text: str) -> int:
        return self._stream.write(text.translate(_CONTROL))

    def __getattr__(self, name: str) -> object:
        return getattr(self._stream, name)


def main(argv: list[str] | None = None) -> int:
    streams = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _TerminalSafe(sys.stdout), _TerminalSafe(sys.stderr)  # type: ignore[assignment]
    try:
        return _main(argv)
    finally:
        sys.stdout, sys.stderr = streams


def _main(argv: list[str] | None) -> int:
    args = parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    try:
        return args.func(args)
    except UsageError as exc:
        print(f"hubgen: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except ScaffoldError as exc:
        print(f"hubgen: {exc}", file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `hubgen search … | head`: the reader left, nothing is wrong
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
