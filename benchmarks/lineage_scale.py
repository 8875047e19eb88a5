"""Lineage at scale: `api/hub.json` size and analysis time on a densely connected hub, and a large event log.

    python benchmarks/lineage_scale.py --projects 4000          # dense lineage with cycles
    python benchmarks/lineage_scale.py --events-mb 100          # streaming NDJSON import

The export must grow with edges (direct edges and transitive counts), not
with paths: issue 17 measured 865 MB at 4,000 densely connected projects
when it listed every node's closure.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.generate_hub import generate  # noqa: E402

FIXTURES = Path(__file__).resolve().parents[2] / "shared" / "fixtures" / "openlineage"


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def export_size(n: int, workdir: Path) -> dict[str, float]:
    from hubgen.analysis.analyses import analyse
    from hubgen.audience import restrict
    from hubgen.clock import build_date
    from hubgen.pipeline import check
    from hubgen.render.export import hub_export

    root = workdir / f"dense-{n}"
    generate(root, n, dense=True)
    start = time.perf_counter()
    hub = restrict(check(root), "internal")
    loaded = time.perf_counter()
    analyses = analyse(hub, build_date())
    analysed = time.perf_counter()
    text = json.dumps(hub_export(hub, analyses, "internal"), ensure_ascii=False, separators=(",", ":"))
    done = time.perf_counter()
    graph = analyses.lineage
    edges = sum(len(v) for v in graph.consumes.values()) + sum(len(v) for v in graph.produces.values())
    deepest = max((len(graph.transitive(k, "down")) for k in graph.downstream), default=0)
    return {
        "projects": n,
        "edges": edges,
        "cycles": len(graph.cycles),
        "largest closure": deepest,
        "hub.json MB": round(len(text.encode()) / 1e6, 2),
        "bytes per edge": round(len(text.encode()) / edges),
        "load s": round(loaded - start, 1),
        "analyse s": round(analysed - loaded, 1),
        "export s": round(done - analysed, 1),
        "peak MB": round(peak_mb()),
    }


def event_log(mb: int, workdir: Path) -> dict[str, float]:
    """Real fixture events repeated into one NDJSON file of `mb` MB, imported in one process."""
    from hubgen.load import load_hub

    root = workdir / f"events-{mb}"
    (root / "content" / "lineage").mkdir(parents=True, exist_ok=True)
    lines = []
    for path in sorted(FIXTURES.rglob("*.json")):
        data = json.loads(path.read_text())
        lines += [json.dumps(e, separators=(",", ":")) for e in (data if isinstance(data, list) else [data])]
    target, written = mb * 2**20, 0
    with open(root / "content" / "lineage" / "log.ndjson", "w") as out:
        while written < target:
            for line in lines:
                out.write(line + "\n")
                written += len(line) + 1
    before = peak_mb()
    start = time.perf_counter()
    hub = load_hub(root)
    return {
        "file MB": round(written / 2**20),
        "events": written // (sum(map(len, lines)) // len(lines)),
        "import s": round(time.perf_counter() - start, 1),
        "nodes": len(hub.facts),
        "peak RSS MB": round(peak_mb()),
        "peak RSS before MB": round(before),
        "problems": len(hub.problems),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--projects", type=int, nargs="*", default=[])
    ap.add_argument("--events-mb", type=int, default=0)
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/hubgen-lineage-bench"))
    args = ap.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    for n in args.projects:
        print(json.dumps(export_size(n, args.workdir)), flush=True)
    if args.events_mb:
        print(json.dumps(event_log(args.events_mb, args.workdir)), flush=True)


if __name__ == "__main__":
    main()
