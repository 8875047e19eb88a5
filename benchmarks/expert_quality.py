"""Quality of the expert ranking on judged queries: P@1, P@3 and MRR, model versus a naive baseline.

The judged queries (tests/experts_judged.yml) name, for each query, the people a
team lead would name on the example hub. The model is `hubgen experts` (topic
matches plus full-text evidence from the search index); the baseline ranks
people by the number of projects they are on that carry a tag, tool or domain
named in the query (ties by handle).

    python benchmarks/expert_quality.py [--repo DIR] [--judged FILE] [--per-query]
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
JUDGED = ROOT / "tests" / "experts_judged.yml"


@dataclass(frozen=True)
class Scores:
    p1: float
    p3: float
    mrr: float

    def row(self, name: str) -> str:
        return f"{name:<10} P@1 {self.p1:.3f}   P@3 {self.p3:.3f}   MRR {self.mrr:.3f}"


def metrics(rankings: list[list[str]], judged: list[set[str]]) -> Scores:
    """Mean precision at 1 and 3 and mean reciprocal rank (0 when nothing relevant is ranked)."""
    p1 = p3 = rr = 0.0
    for ranked, relevant in zip(rankings, judged):
        p1 += 1.0 if ranked[:1] and ranked[0] in relevant else 0.0
        p3 += sum(1 for h in ranked[:3] if h in relevant) / 3
        rr += next((1.0 / i for i, h in enumerate(ranked, 1) if h in relevant), 0.0)
    n = max(len(judged), 1)
    return Scores(p1 / n, p3 / n, rr / n)


def load_judged(path: Path = JUDGED) -> tuple[str, list[tuple[str, set[str]]]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data.get("audience", "internal"), [(q["query"], set(q["relevant"])) for q in data["queries"]]


def ideal(judged: list[set[str]]) -> Scores:
    """The best any ranking could score (P@3 is capped by how many people are relevant)."""
    return metrics([sorted(r) for r in judged], judged)


def evaluate(root: Path = ROOT, judged_path: Path = JUDGED, today: date | None = None) -> dict[str, object]:
    """Rankings and scores of the model and the baseline on every judged query.

    `today` is the reference date for recency (default: the build date).
    """
    from hubgen.analysis import experts
    from hubgen.analysis.lineage import build_graph
    from hubgen.audience import restrict
    from hubgen.clock import build_date
    from hubgen.pipeline import check, ensure_search_index
    from hubgen.search import fulltext, index_state

    audience, queries = load_judged(judged_path)
    visible = restrict(check(root), audience)
    ensure_search_index(root, audience, visible)
    model = experts.expertise(visible, build_graph(visible), today or build_date())
    directory = index_state.index_dir(root, audience)
    model_runs, base_runs = [], []
    for query, _ in queries:
        text = fulltext.document_scores(directory, experts.text_query(query), kinds=experts.TEXT_KINDS)
        model_runs.append([e.handle for e in experts.rank(model, query, text).experts])
        base_runs.append([h for h, _ in experts.baseline(visible, query)])
    relevant = [r for _, r in queries]
    return {
        "queries": queries,
        "model": model_runs,
        "baseline": base_runs,
        "model_scores": metrics(model_runs, relevant),
        "baseline_scores": metrics(base_runs, relevant),
        "ideal_scores": ideal(relevant),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repo", type=Path, default=ROOT, help="hub repository (default: this project's example hub)")
    ap.add_argument("--judged", type=Path, default=JUDGED, help="judged queries (YAML)")
    ap.add_argument("--per-query", action="store_true", help="show the top 3 of both rankings for every query")
    ap.add_argument(
        "--today",
        type=date.fromisoformat,
        metavar="YYYY-MM-DD",
        help="reference date for recency (default: the build date)",
    )
    args = ap.parse_args(argv)
    result = evaluate(args.repo.resolve(), args.judged, args.today)
    queries = result["queries"]
    if args.per_query:
        for (query, relevant), model, base in zip(queries, result["model"], result["baseline"]):

            def show(ranked: list[str], relevant=relevant) -> str:  # bound now, called now
                return ", ".join(("*" if h in relevant else "") + h for h in ranked[:3]) or "-"

            print(f"{query}\n  model:    {show(model)}\n  baseline: {show(base)}")
        print()
    print(f"{len(queries)} judged queries ({args.judged.name}); * = judged relevant")
    print(result["model_scores"].row("model"))
    print(result["baseline_scores"].row("baseline"))
    print(result["ideal_scores"].row("ideal"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
