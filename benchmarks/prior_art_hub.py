"""Write a hub of problem families in varied words, with look-alike traps: the prior-art test bed.

Each family is one problem (an entity and what happens to it: "customer" ×
"churn") told in many words ("subscribers who cancel", "account attrition").
Each has a few earlier projects (some cite each other), null results, and
proposals at ideation that cite the family's earlier projects in
`prior_art`: the answer key. Traps are other families that share half the
words: "employee attrition" beside "customer attrition", "network capacity
forecast" beside "store demand forecast". Filler projects and shared
datasets (a calendar, a product catalogue) add noise. The glossary in hub.yml
names some synonyms, as a team would; the rest are left to the engine.

    python benchmarks/prior_art_hub.py OUT_DIR [--seed 3] [--scale 1]
"""

from __future__ import annotations

import argparse
import random
import shutil
from dataclasses import dataclass
from pathlib import Path

import yaml


@dataclass(frozen=True)
class Family:
    id: str
    entities: tuple[str, ...]  # ways to name who or what the problem is about
    problems: tuple[str, ...]  # ways to name the problem
    context: tuple[str, ...]  # words that come with it
    dataset: str
    domain: str
    trap_of: str = ""  # the family this one looks like


FAMILIES = [
    Family(
        "customer-churn",
        ("customers", "subscribers", "account holders", "loyalty members", "clients"),
        ("churn", "attrition", "cancellations", "who cancel", "lapsing", "defection"),
        ("retention offer", "renewal", "tenure", "contract end", "save desk", "win-back"),
        "dataset:crm-accounts",
        "retention",
    ),
    Family(
        "employee-attrition",
        ("employees", "staff", "store colleagues", "workforce", "warehouse workers"),
        ("attrition", "churn", "resignations", "who quit", "turnover", "leavers"),
        ("exit interview", "engagement survey", "payroll", "manager span", "shift pattern", "hr"),
        "dataset:hr-records",
        "people analytics",
        "customer-churn",
    ),
    Family(
        "store-demand",
        ("store", "branch", "shop", "outlet", "store sku"),
        (
            "demand forecast",
            "sales forecast",
            "predicting weekly sales",
            "unit sales projection",
            "footfall-driven demand",
        ),
        ("replenishment", "promotion calendar", "stock cover", "seasonality", "markdown", "holiday uplift"),
        "dataset:pos-sales",
        "demand forecasting",
    ),
    Family(
        "network-capacity",
        ("network", "backbone links", "data centre", "telecom cells", "bandwidth"),
        ("capacity forecast", "load forecast", "predicting traffic", "utilisation projection", "peak demand"),
        ("router", "packet loss", "latency", "throughput", "provisioning", "outage"),
        "dataset:netflow-metrics",
        "infrastructure",
        "store-demand",
    ),
    Family(
        "card-fraud",
        ("card transactions", "card payments", "card purchases", "cardholder spend"),
        ("fraud detection", "fraudulent", "scam", "chargeback risk", "account takeover"),
        ("merchant", "authorisation", "velocity rules", "issuer", "declines", "false positives"),
        "dataset:card-authorisations",
        "fraud",
    ),
    Family(
        "claims-fraud",
        ("insurance claims", "warranty claims", "claim files", "claimants"),
        ("fraud detection", "fraudulent", "suspicious", "staged losses", "exaggerated"),
        ("adjuster", "loss adjuster", "policy", "triage", "investigation unit", "payout"),
        "dataset:claims-history",
        "insurance",
        "card-fraud",
    ),
    Family(
        "delivery-routing",
        ("delivery vans", "couriers", "last-mile drivers", "home delivery fleet"),
        ("route optimisation", "routing", "vehicle scheduling", "stop sequencing", "drop planning"),
        ("time windows", "depot", "fuel", "traffic", "parcels", "mileage"),
        "dataset:delivery-stops",
        "logistics",
    ),
    Family(
        "shift-scheduling",
        ("store staff", "call centre agents", "warehouse pickers", "colleagues"),
        ("shift scheduling", "rostering", "rota planning", "staff scheduling", "labour planning"),
        ("availability", "overtime", "breaks", "labour cost", "coverage", "absence"),
        "dataset:rota-history",
        "workforce planning",
        "delivery-routing",
    ),
    Family(
        "review-sentiment",
        ("product reviews", "customer feedback", "review comments", "app store reviews"),
        ("sentiment", "opinion mining", "tone classification", "star rating prediction", "polarity"),
        ("verbatim", "aspects", "complaints", "nps", "topics", "language model"),
        "dataset:product-reviews",
        "voice of customer",
    ),
    Family(
        "engagement-survey",
        ("employee survey", "staff pulse survey", "colleague feedback", "hr survey"),
        ("sentiment", "tone classification", "opinion mining", "mood", "polarity"),
        ("engagement", "manager", "wellbeing", "free text answers", "hr", "anonymity"),
        "dataset:pulse-surveys",
        "people analytics",
        "review-sentiment",
    ),
    Family(
        "credit-default",
        ("loan applicants", "store card holders", "borrowers", "credit accounts"),
        ("default risk", "probability of default", "credit scoring", "arrears prediction", "delinquency"),
        ("affordability", "bureau data", "limit setting", "scorecard", "collections", "basel"),
        "dataset:bureau-extract",
        "credit risk",
    ),
    Family(
        "predictive-maintenance",
        ("forklifts", "refrigeration units", "conveyor motors", "store chillers"),
        ("failure prediction", "breakdowns", "predictive maintenance", "fault forecasting", "downtime risk"),
        ("sensor", "vibration", "temperature", "engineer visits", "spare parts", "iot"),
        "dataset:sensor-telemetry",
        "operations",
    ),
]
GLOSSARY = {  # what a team would write down: some synonyms, not all
    "churn": ["attrition", "cancellations", "defection"],
    "forecast": ["projection", "prediction"],
    "fraud": ["scam", "fraudulent"],
    "scheduling": ["rostering", "rota planning"],
    "sentiment": ["opinion mining", "polarity"],
    "default risk": ["probability of default", "delinquency"],
}
TITLES = [
    "{P} for {e}",
    "{E} {p} model",
    "Predicting {p} of {e}",
    "{E}: {p}",
    "{P} in {e}",
    "Reducing {p} across {e}",
    "{E} {p} pilot",
]
FILLER = (
    "the team will build a baseline and compare it with the current process using historical data "
    "from the last two years; results go to the business owner with a recommendation and a cost estimate. "
    "weekly refresh batch scoring dashboard stakeholders accuracy holdout gradient boosting features "
    "pipeline monitoring quarterly review"
).split()
STATUSES = ["delivered", "delivered", "null-result", "active", "retired"]
PEOPLE = ["ana", "ben", "chen", "dara", "eli", "fatima", "goran", "hana", "ivan", "jade", "kofi", "lena"]


def _phrase(rng: random.Random, fam: Family) -> tuple[str, str]:
    return rng.choice(fam.entities), rng.choice(fam.problems)


def _context(fam: Family) -> tuple[str, ...]:
    """A family's context words, and a third of its look-alike's: traps share more than the problem word."""
    other = next((f for f in FAMILIES if f.id == fam.trap_of or f.trap_of == fam.id), None)
    return fam.context + (other.context[:2] if other else ())


def _text(rng: random.Random, fam: Family, sentences: int) -> str:
    out = []
    for _ in range(sentences):
        e, p = _phrase(rng, fam)
        ctx = rng.sample(_context(fam), 2)
        filler = " ".join(rng.sample(FILLER, 6))
        out.append(f"We look at {p} among {e}, with {ctx[0]} and {ctx[1]}; {filler}.")
    return " ".join(out)


def _title(rng: random.Random, fam: Family) -> str:
    e, p = _phrase(rng, fam)
    return rng.choice(TITLES).format(P=p.capitalize(), p=p, E=e.capitalize(), e=e)


def write_hub(out: Path, seed: int = 3, scale: int = 1) -> dict[str, list[str]]:
    """Write the hub; returns proposal id -> the earlier project ids it cites (the answer key)."""
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    content = out / "content"
    (content / "people").mkdir(parents=True)
    (out / "mkdocs.yml").write_text("site_name: Prior-art bench\nplugins:\n  - hubgen\n", encoding="utf-8")
    (content / "hub.yml").write_text(
        yaml.safe_dump({"name": "Prior-art bench", "glossary": GLOSSARY}), encoding="utf-8"
    )
    for h in PEOPLE:
        (content / "people" / f"{h}.yml").write_text(f"name: {h.capitalize()} Example\n", encoding="utf-8")
    key: dict[str, list[str]] = {}
    n_earlier = 4 * scale
    for fam in FAMILIES:
        earlier: list[str] = []
        for i in range(n_earlier):
            pid = f"{fam.id}-{i + 1}"
            year = 2022 + i % 4
            record = {
                "title": _title(rng, fam),
                "summary": _text(rng, fam, 1),
                "status": rng.choice(STATUSES),
                "problem": _text(rng, fam, 2),
                "domains": [fam.domain] if rng.random() < 0.6 else [],
                "tags": rng.sample(
                    [
                        "gradient-boosting",
                        "time-series",
                        "nlp",
                        "optimisation",
                        "classification",
                        "survival-analysis",
                        "anomaly-detection",
                    ],
                    2,
                ),
                "people": [{"person": rng.choice(PEOPLE), "role": "lead"}],
                "started": f"{year}-0{1 + i % 9}-01",
            }
            if record["status"] in ("delivered", "null-result", "retired"):
                record["ended"] = f"{year + 1}-01-15"
            if earlier and rng.random() < 0.5:
                record["prior_art"] = rng.sample(earlier, 1)
            _project(content, pid, record, fam.dataset if rng.random() < 0.5 else None, rng)
            earlier.append(pid)
        for k in range(scale):
            pid = f"proposal-{fam.id}-{k + 1}"
            record = {
                "title": _title(rng, fam),
                "summary": _text(rng, fam, 1),
                "status": "active",
                "stage": "ideation",
                "people": [{"person": rng.choice(PEOPLE), "role": "lead"}],
                "started": "2026-10-01",
                "prior_art": list(earlier),
            }
            _project(content, pid, record, fam.dataset if rng.random() < 0.4 else None, rng)
            key[pid] = list(earlier)
    for i in range(20 * scale):  # filler: work on other things, sharing the generic words
        words = rng.sample(FILLER, 5)
        _project(
            content,
            f"other-{i + 1}",
            {
                "title": " ".join(words[:3]).capitalize(),
                "summary": " ".join(words),
                "status": "delivered",
                "people": [{"person": rng.choice(PEOPLE), "role": "lead"}],
                "started": "2023-05-01",
            },
            None,
            rng,
        )
    return key


def _project(content: Path, pid: str, record: dict, dataset: str | None, rng: random.Random) -> None:
    folder = content / "projects" / pid
    folder.mkdir(parents=True)
    (folder / "project.yml").write_text(yaml.safe_dump(record, sort_keys=False), encoding="utf-8")
    consumes = [dataset] if dataset else []
    if rng.random() < 0.5:
        consumes.append(rng.choice(["dataset:calendar", "dataset:product-catalogue", "dataset:store-master"]))
    if consumes:
        (folder / "lineage.yml").write_text(yaml.safe_dump({"consumes": consumes}), encoding="utf-8")


def traps() -> dict[str, str]:
    """Family id -> the family that looks like it (both ways)."""
    out = {}
    for f in FAMILIES:
        if f.trap_of:
            out[f.id], out[f.trap_of] = f.trap_of, f.id
    return out


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--seed", type=int, default=3)
    ap.add_argument("--scale", type=int, default=1)
    args = ap.parse_args()
    print(f"{len(write_hub(args.out, args.seed, args.scale))} proposals written to {args.out}")
