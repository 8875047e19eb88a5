"""`hubgen search`, `experts`, `prior-art` and `stats`: asking the hub from the terminal."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from hubgen.cli.common import EXIT_OK, EXIT_PROBLEMS, UsageError, _default_audience, _repo


def prior_art_fresh(root: Path, audience: str) -> Callable[[], bool]:
    """Start telling (on the other core) whether the stored prior-art snapshot for `audience` was made from
    the content as it is now, by this code, for today's reference date; returns what waits for the answer."""
    from hubgen.analysis.prior_art import freshness
    from hubgen.clock import build_date
    from hubgen.search import index_state

    directory = freshness.snapshot_dir(root, audience)
    today = build_date()
    return index_state.check_meanwhile(directory, root, audience, also=lambda: freshness.made_here(directory, today))


def prior_art_snapshot(root: Path, audience: str, fresh: Callable[[], bool] | None = None):
    """The prior-art engine, the expertise model and every project as asked, for `audience`: the stored
    snapshot when `fresh` (default: `prior_art_fresh`) says so, else built from the hub and stored."""
    from hubgen.analysis.prior_art import stored
    from hubgen.search.index_state import FINGERPRINT

    fresh = fresh or prior_art_fresh(root, audience)
    directory = stored.snapshot_dir(root, audience)
    snapshot = None
    if (directory / FINGERPRINT).is_file():
        try:
            snapshot = stored.read(directory)
        except Exception as exc:  # noqa: BLE001 - damaged or foreign: never used, made again below
            print(
                f"hubgen: the stored prior-art snapshot {directory} cannot be read ({exc}); made again", file=sys.stderr
            )
    if fresh() and snapshot is not None:
        return snapshot
    return _build_snapshot(root, audience)


def _build_snapshot(root: Path, audience: str):
    from hubgen import collector
    from hubgen.analysis import prior_art
    from hubgen.analysis.experts import expertise
    from hubgen.analysis.lineage import build_graph
    from hubgen.analysis.prior_art import stored
    from hubgen.audience import restrict
    from hubgen.clock import build_date
    from hubgen.pipeline import check

    today = build_date()
    visible = restrict(check(root), audience)
    with collector.paused():  # long-lived term vectors and evidence: see hubgen.collector
        graph = build_graph(visible)
        snapshot = stored.of(visible, graph, prior_art.build(visible, graph), expertise(visible, graph, today))
        try:
            stored.keep(root, audience, snapshot, visible.read_from_ns, today)
        except OSError as exc:  # a read-only checkout answers all the same, from the hub each time
            print(f"hubgen: could not store the prior-art snapshot ({exc}); answered from the hub", file=sys.stderr)
    return snapshot


def _hit_json(s) -> dict[str, object]:
    from hubgen import urls

    return {
        "kind": s.kind,
        "key": s.key,
        "title": s.title,
        "url": urls.url(s.kind, s.key),
        "score": s.score,
        "why": list(s.why),
        "status": s.status or None,
        "detail": s.detail or None,
    }


def cmd_prior_art(args: argparse.Namespace) -> int:
    from hubgen import urls
    from hubgen.analysis import prior_art

    root = _repo(args)
    if not (root / "content").is_dir():
        raise UsageError(f"{root}: no content/ folder (point --repo at the hub repository)")
    if (args.id is None) == (args.text is None):
        raise UsageError('give a project id or --text "the idea in a few words" (one of them)')
    if args.limit < 1:
        raise UsageError("--limit must be at least 1")
    audience = args.audience or _default_audience(root)
    snapshot = prior_art_snapshot(root, audience)
    if args.id is not None:
        if args.id not in snapshot.projects:
            raise UsageError(
                f"no project '{args.id}' in the hub (at audience {audience}); "
                "for an idea not written down yet, use --text"
            )
        asked = snapshot.projects[args.id]
        proposal, own, cited = asked.proposal, list(asked.people), set(asked.cited)
    else:
        proposal, own, cited = prior_art.Proposal(title=args.text), [], set()
    hits = snapshot.engine.suggest(proposal, args.limit)
    people = prior_art.people_to_ask(snapshot.expertise, proposal, hits, exclude=own)
    if args.json:
        out = [_hit_json(s) | {"cited": s.key in cited} for s in hits]
        out += [
            {
                "kind": "person",
                "key": e.handle,
                "title": e.name,
                "url": urls.url("person", e.handle),
                "score": round(e.score, 4),
                "why": [f"{x.kind} {x.key}" for x in e.evidence[:3]],
            }
            for e in people
        ]
        print(json.dumps(out, indent=2, ensure_ascii=False))
        return EXIT_OK if hits else EXIT_PROBLEMS
    if not hits:
        print("no earlier work found that looks like this", file=sys.stderr)
        return EXIT_PROBLEMS
    for i, s in enumerate(hits, 1):
        label = "null result" if s.is_null_result else s.kind
        print(f"{i:>2}. [{label}] {s.title} ({s.key})" + (" · cited already" if s.key in cited else ""))
        print(f"    {urls.url(s.kind, s.key)}  score {s.score}")
        for why in s.why:
            print(f"    - {why}")
        if s.detail:
            print(f"    {s.detail}")
    if people:
        print("people to ask: " + ", ".join(f"{e.name} (@{e.handle})" for e in people))
    return EXIT_OK


def suggestion_comments(hits) -> list[str]:
    """`prior_art:` lines for `hubgen new project`: commented, so nothing counts until the author keeps it."""
    lines = ["# Suggested by hubgen from earlier work (uncomment what this builds on, delete the rest):"]
    for s in hits:
        why = "; ".join(s.why[:2])
        if s.kind == "project":
            lines.append(f"#  - {s.key}    # {s.status}: {s.title}" + (f" ({why})" if why else ""))
        else:
            label = "null result" if s.is_null_result else s.kind
            lines.append(f"#    see {label} {s.key}: {s.title}" + (f" ({why})" if why else ""))
    return [line.replace("\n", " ") for line in lines]


def cmd_search(args: argparse.Namespace) -> int:
    from hubgen.search import index_state

    root = _repo(args)
    if not (root / "content").is_dir():
        raise UsageError(f"{root}: no content/ folder (point --repo at the hub repository)")
    audience = args.audience or _default_audience(root)
    directory = index_state.index_dir(root, audience)
    # Whether the index is fresh (a stat of every content file) is found out on the other core while the
    # query runs; the answer is shown only if it is, else the index is rebuilt and asked again.
    fresh = index_state.check_meanwhile(directory, root, audience)
    answer = _search_index(args, directory, speculative=True)
    if not fresh():
        from hubgen.pipeline import ensure_search_index  # the loader, only when the index must be rebuilt

        if ensure_search_index(root, audience):
            print("hubgen: search index rebuilt", file=sys.stderr)
        answer = None
    hits, fuzzy = answer or _search_index(args, directory)
    if args.json:
        print(json.dumps({"query": args.query, "fuzzy": fuzzy, "hits": [h.as_dict() for h in hits]}, indent=2))
        return EXIT_OK if hits else EXIT_PROBLEMS
    if not hits:
        print(f"no results for '{args.query}'", file=sys.stderr)
        return EXIT_PROBLEMS
    if fuzzy:
        print(
            f"'{args.query}': words the hub lacks (or rarely has) were also searched as close spellings, "
            "ranked after the words as typed",
            file=sys.stderr,
        )
    from hubgen.search import fulltext

    for i, hit in enumerate(hits, 1):
        print(f"{i:>2}. [{hit.kind}] {hit.title}" + (f" ({hit.status})" if hit.status else ""))
        print(f"    {hit.url}")
        snippet = fulltext.plain_snippet(hit.snippet).replace("\n", " ").strip()
        if snippet:
            print(f"    {snippet}")
    return EXIT_OK


def _search_index(args: argparse.Namespace, directory: Path, speculative: bool = False):
    """Hits and whether close spellings were searched. `speculative`: before the index is known to be
    fresh, so None when there is none yet or it cannot be read (it is rebuilt, then asked again)."""
    from hubgen.search import fulltext, index_state

    if speculative and not (directory / index_state.FINGERPRINT).is_file():
        return None
    try:
        return fulltext.search(
            directory,
            _with_glossary(args.query, index_state.stored_glossary(directory)),
            kind=args.kind,
            status=args.status,
            team=args.team,
            tag=args.tag,
            limit=args.limit,
        )
    except Exception:  # noqa: BLE001 - a stale or half-swapped index: rebuilt or read again by the caller
        if speculative:
            return None
        raise


def cmd_experts(args: argparse.Namespace) -> int:
    from hubgen.analysis import experts
    from hubgen.analysis.lineage import build_graph
    from hubgen.audience import restrict
    from hubgen.cli import experts_output
    from hubgen.clock import build_date
    from hubgen.pipeline import check, ensure_search_index
    from hubgen.search import fulltext, index_state

    root = _repo(args)
    if not (root / "content").is_dir():
        raise UsageError(f"{root}: no content/ folder (point --repo at the hub repository)")
    if args.limit < 1:
        raise UsageError("--limit must be at least 1")
    audience = args.audience or _default_audience(root)
    visible = restrict(check(root), audience)
    if ensure_search_index(root, audience, visible):
        print("hubgen: search index rebuilt", file=sys.stderr)
    model = experts.expertise(visible, build_graph(visible), build_date())
    text = fulltext.document_scores(
        index_state.index_dir(root, audience),
        _with_glossary(experts.text_query(args.query), visible.settings.glossary),
        kinds=experts.TEXT_KINDS,
    )
    ranking = experts.rank(model, args.query, text, limit=args.limit)
    if args.json:
        print(json.dumps(experts_output.ranking_json(ranking, model, audience), indent=2, ensure_ascii=False))
        return EXIT_OK if ranking.experts else EXIT_PROBLEMS
    if not ranking.experts:
        print(f"no one found for '{args.query}'", file=sys.stderr)
        return EXIT_PROBLEMS
    for line in experts_output.ranking_lines(ranking, model, explain=args.explain):
        print(line)
    return EXIT_OK


def cmd_stats(args: argparse.Namespace) -> int:
    from hubgen.analysis import portfolio
    from hubgen.analysis.lineage import build_graph
    from hubgen.audience import restrict
    from hubgen.clock import build_date
    from hubgen.pipeline import check
    from hubgen.render.portfolio import cards, quarter_rows

    root = _repo(args)
    if not (root / "content").is_dir():
        raise UsageError(f"{root}: no content/ folder (point --repo at the hub repository)")
    audience = args.audience or _default_audience(root)
    today = build_date()
    visible = restrict(check(root, today), audience)
    folio = portfolio.analyse(visible, today, build_graph(visible))
    if args.json:
        print(
            json.dumps(
                {
                    "as_of": today.isoformat(),
                    "audience": audience,
                    "headline": folio.headline.as_dict(),
                    "figures": folio.figures.as_dict(),
                    "by_status": folio.figures.by_status,
                    "by_stage": folio.figures.by_stage,
                    "quarters": portfolio.records(folio.quarterly),
                    "notes": folio.gap_notes(),
                },
                indent=2,
                ensure_ascii=False,
            )
        )
        return EXIT_OK
    print(f"{visible.settings.name}: portfolio as of {today.isoformat()} (audience: {audience})\n")
    shown = cards(folio.headline, folio.figures)
    width = max(len(c.figure) for c in shown)
    label = max(len(c.label) for c in shown)
    for c in shown:
        print(f"  {c.label:<{label}}  {c.figure:>{width}}   {c.note}")
    print()
    heads = ("quarter", "started", "finished", "delivered", "null result", "cancelled", "hit rate", "people")
    keys = ("quarter", "started", "finished", "delivered", "null_result", "cancelled", "hit_rate_text", "headcount")
    rows = [[str(r[k]) if r[k] is not None else "" for k in keys] for r in quarter_rows(folio)]
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(heads)]
    print("  ".join(h.ljust(w) if i == 0 else h.rjust(w) for i, (h, w) in enumerate(zip(heads, widths))))
    for r in rows:
        print("  ".join(v.ljust(w) if i == 0 else v.rjust(w) for i, (v, w) in enumerate(zip(r, widths))))
    for note in folio.gap_notes():
        print(f"note: {note}", file=sys.stderr)
    return EXIT_OK


def _with_glossary(query: str, glossary: Mapping[str, Iterable[str]]) -> str:
    """The query widened by hub.yml's glossary."""
    from hubgen.search.glossary import expand_query

    return expand_query(query, glossary) if glossary else query
