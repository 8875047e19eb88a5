"""`hubgen init`, `new` and `schema`: a new hub, a new record from its template, the JSON Schemas."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from hubgen.cli.common import EXIT_OK, UsageError, _default_audience, _repo
from hubgen.cli.find import prior_art_fresh, prior_art_snapshot, suggestion_comments


def cmd_init(args: argparse.Namespace) -> int:
    from hubgen.scaffold import init_hub

    target = Path(args.dir)
    written = init_hub(target, args.name)
    print(
        f"hubgen: new hub in {target} ({len(written)} files). Next:\n"
        f"  cd {target}\n"
        "  hubgen check --strict      # every problem, with file and line\n"
        "  hubgen serve               # preview at http://127.0.0.1:8000\n"
        "  hubgen new person <your-handle>, then hubgen new project <id>\n"
        "  git init && git add . && git commit -m 'Start the hub'   # push to GitHub: "
        ".github/workflows/hub.yml checks and publishes it",
        file=sys.stderr,
    )
    return EXIT_OK


def _suggest_for_new(root: Path, path: Path, ident: str, title: str | None, snapshot) -> None:
    """Print the top five earlier records and write them under prior_art: as comments."""
    from hubgen.analysis import prior_art

    asked = snapshot.projects.get(ident)  # in it when the snapshot was made after the file was written
    proposal = asked.proposal if asked else prior_art.Proposal(title=title or ident.replace("-", " "), project=ident)
    hits = snapshot.engine.suggest(
        prior_art.Proposal(proposal.title, proposal.text, proposal.keywords, proposal.datasets, ident), 5
    )
    if not hits:
        return
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    for i, line in enumerate(lines):
        if line.rstrip() == "prior_art:":
            lines[i + 1 : i + 1] = [c + "\n" for c in suggestion_comments(hits)]
            break
    path.write_text("".join(lines), encoding="utf-8")
    print("hubgen: earlier work to read first (written under prior_art: as comments):", file=sys.stderr)
    for s in hits:
        label = "null result" if s.is_null_result else s.kind
        print(f"  [{label}] {s.key}: {s.title}" + (f" ({s.why[0]})" if s.why else ""), file=sys.stderr)


def cmd_new(args: argparse.Namespace) -> int:
    from hubgen.scaffold import new_record

    root = _repo(args)
    state: dict[str, object] = {}

    def before_writing() -> None:
        # Whether the stored snapshot is of the hub as it is, told before the new file changes it: its
        # earlier work is what the new project is compared with. Only once nothing was refused.
        if args.kind != "project":
            return
        try:
            state["audience"] = audience = _default_audience(root)
        except UsageError:
            return  # hub.yml cannot be read: check reports it; no suggestions rather than a guessed audience
        state["fresh"] = prior_art_fresh(root, audience)()

    written = new_record(
        root, args.kind, args.id, project=args.project, by=args.by, title=args.title, before_writing=before_writing
    )
    for path in written:
        print(path.relative_to(root).as_posix())
    if "audience" in state:
        snapshot = prior_art_snapshot(root, str(state["audience"]), lambda: bool(state["fresh"]))
        _suggest_for_new(root, written[0], args.id, args.title, snapshot)
    print(
        f"hubgen: wrote {written[0].relative_to(root).as_posix()}: fill it in, then run 'hubgen check --strict'",
        file=sys.stderr,
    )
    return EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    from hubgen.scaffold import write_schemas
    from hubgen.schema.reference import SCHEMA_DIR, schema_files

    files = schema_files()
    if args.kind and not args.out:
        print(files[f"{args.kind}.json"], end="")
        return EXIT_OK
    out = Path(args.out) if args.out else _repo(args) / SCHEMA_DIR
    if args.kind:
        out.mkdir(parents=True, exist_ok=True)
        (out / f"{args.kind}.json").write_text(files[f"{args.kind}.json"], encoding="utf-8")
        written = [out / f"{args.kind}.json"]
    else:
        written = write_schemas(out)
    print(f"hubgen: wrote {len(written)} JSON Schema(s) to {out}", file=sys.stderr)
    return EXIT_OK
