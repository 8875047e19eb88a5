"""Write a synthetic, valid hub of N projects, deterministic by seed.

Body text draws on a Zipf-distributed vocabulary of about 6,300 words, so
word frequencies (and search selectivity) look like real write-ups.
Proportions follow the example hub: about one person per three projects (a
few alumni), one null result per three projects, one discussion per four,
shared datasets and components with a skewed (Zipf-like) reuse, some
OpenLineage events, and one DVC project in fifty.

    python benchmarks/generate_hub.py OUT_DIR --projects 1000 [--seed 7]
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import shutil
from datetime import date, timedelta
from pathlib import Path

STATUSES = ["active"] * 8 + ["delivered"] * 6 + ["backlog"] * 2 + ["null-result", "cancelled", "retired"]
STAGES = ["ideation", "data", "research", "validation", "delivery", "monitoring"]
TEAMS = [
    "marketing-science",
    "risk-analytics",
    "supply-chain",
    "customer-insights",
    "platform-ml",
    "pricing",
    "finance-analytics",
    "hr-analytics",
    "operations-research",
    "growth",
]
DOMAINS = [
    "marketing attribution",
    "fraud",
    "churn",
    "pricing",
    "demand forecasting",
    "claims",
    "supply chain",
    "customer service",
    "credit risk",
    "logistics",
    "personalisation",
    "workforce planning",
]
TAGS = [
    "uplift-modeling",
    "graph-features",
    "causal-inference",
    "time-series-forecasting",
    "survival-analysis",
    "nlp",
    "computer-vision",
    "anomaly-detection",
    "bayesian",
    "a-b-testing",
    "recommender-systems",
    "optimisation",
    "clustering",
    "reinforcement-learning",
    "feature-engineering",
    "deep-learning",
]
TOOLS = [
    "tensorflow==2.16",
    "tensorflow==2.12",
    "pytorch==2.3",
    "xgboost==2.0",
    "lightgbm",
    "scikit-learn==1.4",
    "prophet",
    "pymc==5.10",
    "spark",
    "dbt",
    "airflow",
    "statsmodels",
]
# Body text follows a Zipf law over a realistic vocabulary, as real write-ups do:
# function words on nearly every page, data-science words on many, and a long
# tail of rare ones (system names, codes, jargon) that a search is selective on.
FUNCTION_WORDS = (
    "the of and to a in for is on that with as by we this from at be was are it an or not which "
    "has have but were our after when than more can each only into also its per both over"
).split()
DOMAIN_WORDS = (
    "model data customers stores forecast weekly signal baseline holdout uplift variance lift margin "
    "sales region campaign segment features pipeline latency drift retrain accuracy recall precision "
    "calibration threshold cohort season promotion inventory claims fraud risk score ranking budget "
    "experiment treatment control confidence interval bias leakage label noise coverage "
    "attribution channel conversion retention churn basket elasticity demand supply warehouse route "
    "shipment delay supplier contract invoice payment default exposure portfolio underwriting policy "
    "premium agent call transcript sentiment intent ticket resolution backlog staffing shift roster "
    "embedding transformer gradient boosting regression classifier ensemble bayesian prior posterior "
    "hierarchical survival hazard censoring bootstrap permutation significance power sample "
    "dashboard report stakeholder deployment monitoring alert batch streaming api endpoint schema "
    "warehouse lakehouse snapshot partition backfill join dedup imputation outlier normalisation "
    "quantile interval coverage fairness explainability shap lime counterfactual causal instrument "
    "synthetic simulation optimisation solver constraint heuristic greedy genetic annealing "
    "graph node edge community centrality link neighbourhood walk propagation"
).split()
_ONSETS = "b c d f g h j k l m n p r s t v w z br cr dr fr gr kl pl pr sk st tr ch sh th".split()
_VOWELS = "a e i o u ai ea io ou".split()
_CODAS = "n r s l t m x nd rt st ck ng".split()


def _rare_words(count: int) -> list[str]:
    """A fixed long tail of pronounceable made-up words: system names, codes, jargon."""
    rng = random.Random(20261201)
    words: set[str] = set()
    while len(words) < count:
        syllables = rng.randint(2, 3)
        word = "".join(rng.choice(_ONSETS) + rng.choice(_VOWELS) for _ in range(syllables)) + rng.choice(_CODAS)
        words.add(word)
    return sorted(words)


VOCABULARY = FUNCTION_WORDS + DOMAIN_WORDS + _rare_words(6000)
_CUMULATIVE = list(itertools.accumulate(1.0 / (rank + 1) for rank in range(len(VOCABULARY))))
FIRST = [
    "Ana",
    "Ben",
    "Chen",
    "Dara",
    "Eli",
    "Fatima",
    "Goran",
    "Hana",
    "Ivan",
    "Jade",
    "Kofi",
    "Lena",
    "Mateo",
    "Nia",
    "Omar",
    "Pia",
    "Quinn",
    "Ravi",
    "Sara",
    "Tom",
    "Uma",
    "Viktor",
    "Wen",
    "Xena",
    "Yusuf",
    "Zoe",
]
LAST = ["Silva", "Okafor", "Wang", "Novak", "Haddad", "Berg", "Kowal", "Ito", "Mensah", "Rossi", "Dubois", "Khan"]
KINDS = ["dataset"] * 5 + ["component"] * 2 + ["feature"] * 2 + ["model"]


def sentence(rng: random.Random, n: int = 14) -> str:
    words = rng.choices(VOCABULARY, cum_weights=_CUMULATIVE, k=n)
    return " ".join(words).capitalize() + "."


def paragraph(rng: random.Random, sentences: int = 4) -> str:
    return " ".join(sentence(rng, rng.randint(8, 18)) for _ in range(sentences))


def day(rng: random.Random, start: date, span_days: int) -> date:
    return start + timedelta(days=rng.randrange(max(span_days, 1)))


def generate(out: Path, n_projects: int, seed: int = 7, dense: bool = False) -> dict[str, int]:
    """A synthetic hub; `dense` gives lineage that shares a few core tables, goes deep and has cycles
    (each project consumes 4-12 assets from anywhere, earlier or later, and every project produces one)."""
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    content = out / "content"
    (content / "people").mkdir(parents=True)
    (out / "docs").mkdir()
    (out / "docs" / "about.md").write_text("# About\n\nA synthetic hub for benchmarks.\n")
    (out / "mkdocs.yml").write_text(
        "site_name: Synthetic hub\ndocs_dir: docs\ntheme:\n  name: material\nplugins:\n  - search\n  - hubgen\n"
    )
    (content / "hub.yml").write_text("name: Synthetic hub\naudience: internal\n")

    n_people = max(6, n_projects // 3)
    handles = []
    for i in range(n_people):
        handle = f"{rng.choice(FIRST).lower()}-{rng.choice(LAST).lower()}-{i}"
        handles.append(handle)
        left = f"left: {day(rng, date(2025, 1, 1), 500)}\n" if i % 25 == 7 else ""
        (content / "people" / f"{handle}.yml").write_text(
            f"name: {handle.split('-')[0].title()} {handle.split('-')[1].title()}\n"
            f"team: {TEAMS[i % len(TEAMS)]}\ntitle: Data Scientist\n"
            f"skills: [{', '.join(rng.sample(TAGS, 3))}]\njoined: {day(rng, date(2019, 1, 1), 1800)}\n{left}"
        )

    # Asset j is produced by project 2j; a handful of raw datasets have no producer.
    # A project only consumes what earlier projects produce, so lineage has no cycles.
    n_assets = max(10, n_projects // 2)
    assets = [f"{KINDS[i % len(KINDS)]}:{KINDS[i % len(KINDS)]}-{i}" for i in range(n_assets)]
    raw = [f"dataset:raw-source-{i}" for i in range(max(3, n_assets // 5))]
    counts = {"projects": 0, "null_results": 0, "discussions": 0, "people": n_people}
    pids = [f"project-{i:05d}" for i in range(n_projects)]
    for i, pid in enumerate(pids):
        rng_p = random.Random(seed * 1_000_003 + i)
        pdir = content / "projects" / pid
        pdir.mkdir(parents=True)
        status = rng_p.choice(STATUSES)
        started = day(rng_p, date(2022, 1, 1), 1400)
        lines = [
            f"title: {rng_p.choice(DOMAINS).title()} {rng_p.choice(['model', 'forecast', 'study', 'pipeline', 'dashboard'])} {i}",
            f"summary: {paragraph(rng_p, 2)}",
            f"status: {status}",
        ]
        stages = STAGES[: rng_p.randint(1, len(STAGES))]
        if status == "active":
            lines.append(f"stage: {stages[-1]}")
        team = rng_p.choice(TEAMS)
        lines += [
            f"team: {team}",
            f"domains: [{rng_p.choice(DOMAINS)}]",
            f"tags: [{', '.join(rng_p.sample(TAGS, 3))}]",
            f"tools: [{', '.join(rng_p.sample(TOOLS, 2))}]",
            f"started: {started}",
        ]
        ended = None
        if status not in ("active", "backlog"):
            ended = started + timedelta(days=rng_p.randint(60, 500))
            lines.append(f"ended: {min(ended, date(2026, 11, 1))}")
        people = rng_p.sample(handles, min(len(handles), rng_p.randint(2, 5)))
        lines.append("people:")
        for j, handle in enumerate(people):
            role = "lead" if j == 0 else rng_p.choice(["contributor", "contributor", "reviewer", "stakeholder"])
            lines.append(f"  - {{person: {handle}, role: {role}}}")
        lines.append("stage_history:")
        for k, stage in enumerate(stages):
            lines.append(f"  - {{stage: {stage}, date: {started + timedelta(days=40 * k)}}}")
        lines += [
            f"problem: {paragraph(rng_p, 2)}",
            f"objective: {sentence(rng_p)}",
            "kpis:",
            f"  - {{name: {rng_p.choice(['Recall', 'MAPE', 'Uplift', 'Margin'])}, "
            f"baseline: {rng_p.randint(10, 50)}, target: {rng_p.randint(50, 90)}, unit: '%'}}",
            f"roi: {{estimated: {rng_p.randint(1, 40) * 25000}, "
            f"realized: {rng_p.randint(0, 30) * 25000 if status in ('delivered', 'retired') else 0}, currency: EUR}}",
            f"deliverable: {{type: {rng_p.choice(['report', 'dashboard', 'api', 'batch', 'model'])}}}",
            f"links: {{code: https://git.example.com/ds/{pid}}}",
            f"visibility: {rng_p.choice(['internal'] * 8 + ['public', 'confidential'])}",
        ]
        (pdir / "project.yml").write_text("\n".join(lines) + "\n")
        if i % 3 == 0:
            (pdir / "README.md").write_text(f"# {pid}\n\n" + "\n\n".join(paragraph(rng_p, 5) for _ in range(3)) + "\n")
        if dense:  # core tables everywhere, chains through neighbours, and loops (later projects' assets)
            allowed = raw + assets
            weights = [1.0 / (k + 1) for k in range(len(allowed))]
            near = [assets[(i // 2 + d) % n_assets] for d in (-2, -1, 1)]
            consumes = sorted(set(rng_p.choices(allowed, weights=weights, k=rng_p.randint(2, 9)) + near))
            produces = [assets[i // 2]] if i // 2 < n_assets and i % 2 == 0 else [f"dataset:out-{pid}"]
        else:
            allowed = raw + assets[: (i + 1) // 2]  # raw data, and assets of projects before this one
            weights = [1.0 / (k + 1) for k in range(len(allowed))]  # Zipf-like: a few assets are everywhere
            consumes = sorted(set(rng_p.choices(allowed, weights=weights, k=rng_p.randint(1, 4))))
            produces = [assets[i // 2]] if i % 2 == 0 and i // 2 < n_assets else []
        if i > 0 and i % 7 == 0:
            consumes.append(pids[rng_p.randrange(i)])  # depends on an earlier project: no cycles
        (pdir / "lineage.yml").write_text(
            "consumes:\n"
            + "".join(f"  - {c}\n" for c in consumes)
            + ("produces:\n" + "".join(f"  - {p}\n" for p in produces) if produces else "")
        )
        if i % 50 == 25:
            (pdir / "dvc.yaml").write_text(
                f"stages: {{}}\nartifacts:\n  {pid}-artifact:\n    path: m.pkl\n    type: model\n"
            )
        if i % 3 == 1:
            (pdir / "null-results").mkdir()
            (pdir / "null-results" / f"nr-{pid}.md").write_text(
                f"---\ntitle: {sentence(rng_p, 6)}\ndate: {day(rng_p, started, 300)}\nauthors: [{people[0]}]\n"
                f"hypothesis: {sentence(rng_p)}\noutcome: {sentence(rng_p)}\n"
                f"reason: {rng_p.choice(['no-signal', 'data', 'cost', 'infrastructure'])}\n"
                f"tags: [{rng_p.choice(TAGS)}]\n---\n\n{paragraph(rng_p, 6)}\n"
            )
            counts["null_results"] += 1
        if i % 4 == 2:
            (pdir / "discussions").mkdir()
            msgs = "".join(
                f"## @{rng_p.choice(people)} {day(rng_p, started, 200)}\n\n{paragraph(rng_p, 2)}\n\n"
                for _ in range(rng_p.randint(2, 5))
            )
            (pdir / "discussions" / "approach.md").write_text(
                f"---\ntitle: {sentence(rng_p, 7)}\nstatus: decided\ndecision: {sentence(rng_p, 8)}\n---\n\n"
                f"{paragraph(rng_p, 1)}\n\n{msgs}"
            )
            counts["discussions"] += 1
        counts["projects"] += 1
    (content / "lineage").mkdir()
    events = []
    for j in range(max(3, n_projects // 100)):
        ins = rng.sample(raw + assets, 2)
        events.append(
            {
                "eventType": rng.choice(["START", "COMPLETE", "FAIL"]),
                "eventTime": "2026-11-01T02:00:00Z",
                "run": {"runId": f"run-{j}"},
                "job": {"namespace": "airflow", "name": f"nightly.job_{j}"},
                "inputs": [
                    {"namespace": "warehouse", "name": a.split(":", 1)[1]} for a in ins if a.startswith("dataset:")
                ],
                "outputs": [{"namespace": "warehouse", "name": f"derived_{j}"}],
            }
        )
    (content / "lineage" / "events.json").write_text(json.dumps(events, indent=1))
    return counts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--projects", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--dense", action="store_true", help="shared core tables, deep lineage with cycles")
    args = ap.parse_args()
    print(generate(args.out, args.projects, args.seed, args.dense))


if __name__ == "__main__":
    main()
