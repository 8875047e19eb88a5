"""How well prior art is found, measured like a retrieval system.

Every project that cites project ids in `prior_art` becomes a proposal: its
`prior_art` and tags are removed, then the earlier projects are ranked for
it. Reported: recall@5 of the cited ids, P@1 (the first project suggested is
one it cites) and, on the generated hub, how often a look-alike trap ranks
above the family's best match. Two rankings: the prior-art engine
(hubgen.analysis.prior_art) and the related-work ranking it replaced (the
baseline, kept here only to measure against).

    python benchmarks/prior_art_quality.py [--scale 1] [--timing-projects 0]
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import re
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import prior_art_hub
from hubgen.analysis import prior_art
from hubgen.analysis.documents import SearchDoc, search_documents
from hubgen.analysis.lineage import build_graph
from hubgen.audience import restrict
from hubgen.model import Hub
from hubgen.pipeline import check


def _baseline(docs: list[SearchDoc], limit: int = 5) -> dict[str, list[str]]:
    """The related-work ranking before issue 25: tags ×2 and title words, TF-IDF, terms in >1/5 of the hub skipped."""
    stop = frozenset(
        "a an and for from in of on the to with by at is are was model models project data v1 v2 v3".split()
    )
    pool = [d for d in docs if d.kind == "project"]
    vecs = []
    for d in pool:
        w: dict[str, float] = defaultdict(float)
        for tag in d.tags:
            w["#" + tag.lower().split("==")[0]] += 2.0
        for word in re.findall(r"[a-z0-9]+", d.title.lower()):
            if word not in stop and len(word) > 2:
                w[word] += 1.0
        vecs.append(w)
    df: dict[str, int] = defaultdict(int)
    for v in vecs:
        for t in v:
            df[t] += 1
    n = max(len(pool), 1)
    cap = max(3, n // 5)
    idf = {t: math.log(1 + n / c) for t, c in df.items() if c <= cap}
    out = {}
    for i, d in enumerate(pool):
        scores = []
        for j, e in enumerate(pool):
            if i == j:
                continue
            s = sum(vecs[i][t] * vecs[j].get(t, 0.0) * idf[t] ** 2 for t in vecs[i] if t in idf)
            if s > 0:
                scores.append((-s, e.key))
        out[d.key] = [k for _, k in sorted(scores)[:limit]]
    return out


def _as_proposal(hub: Hub, pid: str) -> Hub:
    p = hub.projects[pid]
    projects = dict(hub.projects)
    projects[pid] = dataclasses.replace(p, prior_art=(), tags=())
    return dataclasses.replace(hub, projects=projects)


def evaluate(
    hub: Hub,
    answer: dict[str, list[str]],
    family_of: dict[str, str] | None = None,
    trap_of: dict[str, str] | None = None,
) -> dict[str, dict[str, float]]:
    """recall@5, P@1 and traps above the best family match, for the engine and the baseline."""
    results: dict[str, dict[str, float]] = {}
    for name in ("baseline", "engine"):
        recall, p1, trapped = [], [], 0
        for pid, cited in sorted(answer.items()):
            h = _as_proposal(hub, pid)
            graph = build_graph(h)
            if name == "engine":
                engine = prior_art.build(h, graph)
                ranked = [s.key for s in engine.suggest(prior_art.proposal_of(h, graph, pid), 5, ("project",))]
            else:
                ranked = _baseline(search_documents(h)).get(pid, [])
            recall.append(len(set(ranked[:5]) & set(cited)) / min(5, len(cited)))
            p1.append(1.0 if ranked and ranked[0] in cited else 0.0)
            if family_of and trap_of:
                trap = trap_of.get(family_of[pid])
                best = next((i for i, k in enumerate(ranked) if k in cited), len(ranked))
                if any(family_of.get(k) == trap for k in ranked[:best]):
                    trapped += 1
        results[name] = {"proposals": len(answer), "recall@5": sum(recall) / len(recall), "P@1": sum(p1) / len(p1)}
        if family_of and trap_of:
            results[name]["traps_above_best"] = trapped
    return results


def example_hub() -> tuple[Hub, dict[str, list[str]]]:
    hub = restrict(check(ROOT), "internal")
    answer = {pid: [c for c in p.prior_art if c in hub.projects] for pid, p in hub.projects.items()}
    return hub, {k: v for k, v in answer.items() if v}


def generated_hub(scale: int, seed: int = 3, glossary: bool = True):
    tmp = Path(tempfile.mkdtemp(prefix="prior-art-bench-"))
    answer = prior_art_hub.write_hub(tmp, seed, scale)
    hub = restrict(check(tmp), "internal")
    if not glossary:
        hub = dataclasses.replace(hub, settings=dataclasses.replace(hub.settings, glossary={}))
    family_of = {}
    for pid in hub.projects:
        for f in prior_art_hub.FAMILIES:
            if pid.startswith((f.id + "-", f"proposal-{f.id}-")):
                family_of[pid] = f.id
    return hub, answer, family_of, prior_art_hub.traps()


def _pool(runs: list[dict[str, dict[str, float]]]) -> dict[str, dict[str, float]]:
    """Several hubs' figures as one: rates weighted by proposals, traps summed."""
    out: dict[str, dict[str, float]] = {}
    for name in runs[0]:
        n = sum(r[name]["proposals"] for r in runs)
        out[name] = {
            "proposals": n,
            "recall@5": sum(r[name]["recall@5"] * r[name]["proposals"] for r in runs) / n,
            "P@1": sum(r[name]["P@1"] * r[name]["proposals"] for r in runs) / n,
            "traps_above_best": sum(r[name].get("traps_above_best", 0) for r in runs),
        }
    return out


def _print(title: str, res: dict[str, dict[str, float]]) -> None:
    print(f"\n{title}")
    for name, r in res.items():
        traps = f", traps above the best match {int(r['traps_above_best'])}" if "traps_above_best" in r else ""
        print(
            f"  {name:<9} {int(r['proposals'])} proposals: recall@5 {r['recall@5']:.2f}, "
            f"P@1 {r['P@1']:.2f} ({round(r['P@1'] * r['proposals'])} of {int(r['proposals'])}){traps}"
        )


def timing(projects: int) -> None:
    """`prior-art` on a generated hub of N projects: index once, then one warm query."""
    from benchmarks.generate_hub import generate

    tmp = Path(tempfile.mkdtemp(prefix="prior-art-time-"))
    generate(tmp, projects, 7, False)
    hub = restrict(check(tmp), "internal")
    graph = build_graph(hub)
    t = time.perf_counter()
    engine = prior_art.build(hub, graph)
    built = time.perf_counter() - t
    pids = sorted(hub.projects)[:: max(1, len(hub.projects) // 20)]
    t = time.perf_counter()
    for pid in pids:
        engine.suggest(prior_art.proposal_of(hub, graph, pid), 10)
    query = (time.perf_counter() - t) / len(pids)
    t = time.perf_counter()
    cli = subprocess.run(
        [sys.executable, "-m", "hubgen", "prior-art", pids[0], "--repo", str(tmp), "--json"],
        capture_output=True,
        check=False,
    )
    command = time.perf_counter() - t
    assert cli.returncode == 0, cli.stderr
    t = time.perf_counter()
    prior_art.related(engine, hub, graph)
    every = time.perf_counter() - t
    print(
        f"\n{projects} projects: index {built:.2f} s, one query {query * 1000:.0f} ms (mean of {len(pids)}), "
        f"related work for every project {every:.1f} s; 'hubgen prior-art ID' end to end {command:.1f} s"
    )


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", type=int, default=1, help="generated hub: proposals per family and earlier work ×")
    ap.add_argument("--seeds", type=int, nargs="+", default=[3, 11, 29], help="generated hubs: one per seed")
    ap.add_argument("--timing-projects", type=int, default=0, help="also time the engine at this many projects")
    args = ap.parse_args(argv)
    hub, answer = example_hub()
    _print("example hub (content/): cited project ids, prior_art and tags removed", evaluate(hub, answer))
    for glossary in (True, False):
        pooled = _pool([evaluate(*generated_hub(args.scale, seed, glossary)) for seed in args.seeds])
        _print(
            f"generated hubs (seeds {', '.join(map(str, args.seeds))}): {len(prior_art_hub.FAMILIES)} problem "
            f"families with look-alike traps, glossary {'on' if glossary else 'off'}",
            pooled,
        )
    if args.timing_projects:
        timing(args.timing_projects)


if __name__ == "__main__":
    main()
