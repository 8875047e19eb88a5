"""Who gets credit for reuse, and what paid data costs per project that uses it.

Pure functions of a `Hub` (already restricted to the audience) and its
`LineageGraph`; nothing here renders or reads files.

Credit: each person of a project that produces an asset earns
`role weight × reuse of the asset`, once per asset (their strongest role
across the producing projects). Role weights come from `experts.role_weights`
in hub.yml, the same weights the expert ranking uses, else the defaults below.
Alumni keep their credit.

Data investment: assets with `source: vendor` and an `annual_cost`. The cost
per consuming project is the annual cost divided by the projects that consume
the asset directly; a paid asset that nothing consumes (no project, job or
external user) is flagged, and one that only retired or cancelled projects
consume is flagged as dormant.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from hubgen.analysis.figures import assets_in_use
from hubgen.analysis.lineage import ENDED, AssetUse, LineageGraph
from hubgen.model import Asset, Hub
from hubgen.schema import ROLES

DEFAULT_ROLE_WEIGHTS: dict[str, float] = {
    "lead": 3.0,
    "contributor": 2.0,
    "reviewer": 1.0,
    "stakeholder": 0.5,
    "sponsor": 0.5,
}


@dataclass(frozen=True)
class Evidence:
    """One asset a person is credited for, and who reuses it."""

    asset: str  # asset key
    role: str
    weight: float
    projects: tuple[str, ...]  # producing projects the person worked on
    consumers: tuple[str, ...]  # node keys consuming it directly
    external: tuple[str, ...]  # names of external consumers
    reuse: int

    @property
    def points(self) -> float:
        return self.weight * self.reuse


@dataclass(frozen=True)
class Creator:
    handle: str
    score: float
    evidence: tuple[Evidence, ...]  # most points first

    @property
    def reuse(self) -> int:
        """Total reuse of the assets credited (unweighted)."""
        return sum(e.reuse for e in self.evidence)


@dataclass(frozen=True)
class PaidAsset:
    key: str
    asset: Asset
    annual_cost: float
    currency: str
    projects: tuple[str, ...]  # projects consuming it directly
    reuse: int  # every direct consumer: projects, jobs, external users
    downstream: int  # transitive reuse
    ended_only: bool  # consumed, but only by retired or cancelled projects

    @property
    def per_project(self) -> float | None:
        return self.annual_cost / len(self.projects) if self.projects else None

    @property
    def unused(self) -> bool:
        return self.reuse == 0


@dataclass(frozen=True)
class ProjectShare:
    """A project's share of the paid assets it consumes."""

    project: str
    currency: str
    amount: float
    assets: tuple[str, ...]


@dataclass(frozen=True)
class Investment:
    paid: tuple[PaidAsset, ...]  # most expensive first
    shares: tuple[ProjectShare, ...]  # largest share first
    totals: dict[str, float]  # currency -> total annual cost
    unused_totals: dict[str, float]  # currency -> annual cost of paid assets nothing consumes

    def get(self, key: str) -> PaidAsset | None:
        return next((p for p in self.paid if p.key == key), None)

    @property
    def unused(self) -> tuple[PaidAsset, ...]:
        return tuple(p for p in self.paid if p.unused)

    @property
    def dormant(self) -> tuple[PaidAsset, ...]:
        return tuple(p for p in self.paid if p.ended_only)


@dataclass(frozen=True)
class ReuseReport:
    most_reused: tuple[AssetUse, ...]  # assets with reuse > 0, most reused first
    creators: tuple[Creator, ...]  # highest credit first
    weights: dict[str, float]
    investment: Investment


def role_weights(hub: Hub) -> dict[str, float]:
    """Role weights from hub.yml `experts.role_weights`, falling back to the defaults per role."""
    weights = dict(DEFAULT_ROLE_WEIGHTS)
    configured = hub.settings.experts.get("role_weights") if isinstance(hub.settings.experts, dict) else None
    if isinstance(configured, dict):
        for role, value in configured.items():
            if role in ROLES and isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0:
                weights[role] = float(value)
    return weights


def most_reused(graph: LineageGraph) -> list[AssetUse]:
    """Assets in use (`hubgen.analysis.figures.assets_in_use`), most reused first (then most downstream, then key)."""
    uses = [graph.assets[k] for k in assets_in_use(graph)]
    return sorted(uses, key=lambda u: (-u.reuse, -u.transitive_reuse, u.key))


def creators(hub: Hub, graph: LineageGraph, weights: dict[str, float] | None = None) -> list[Creator]:
    """People credited by the reuse of what their projects produced, with the evidence."""
    weights = weights if weights is not None else role_weights(hub)
    found: dict[str, list[Evidence]] = defaultdict(list)
    for use in graph.assets.values():
        if use.reuse == 0:
            continue
        for maker in use.people:
            weight = weights.get(maker.role, 0.0)
            if weight <= 0:
                continue
            found[maker.handle].append(
                Evidence(
                    use.key,
                    maker.role,
                    weight,
                    maker.projects,
                    use.consumers,
                    tuple(e.consumer.name for e in use.external),
                    use.reuse,
                )
            )
    out = []
    for handle, evidence in found.items():
        ranked = tuple(sorted(evidence, key=lambda e: (-e.points, e.asset)))
        out.append(Creator(handle, sum(e.points for e in ranked), ranked))
    name = {h: p.name.lower() for h, p in hub.people.items()}
    return sorted(out, key=lambda c: (-c.score, -c.reuse, name.get(c.handle, c.handle)))


def _currency(hub: Hub, asset: Asset) -> str:
    for source in (asset.extra, hub.settings.extra):
        value = source.get("currency") if isinstance(source, dict) else None
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""


def investment(hub: Hub, graph: LineageGraph) -> Investment:
    """Paid vendor assets: cost per consuming project, unused and dormant ones, per-project shares."""
    paid: list[PaidAsset] = []
    for key, asset in hub.assets.items():
        if asset.source != "vendor" or asset.annual_cost is None or asset.annual_cost <= 0:
            continue
        use = graph.assets.get(key)
        projects = use.consuming_projects if use else ()
        live = [p for p in projects if p in hub.projects and hub.projects[p].status not in ENDED]
        reuse = use.reuse if use else 0
        others = (len(use.consumers) - len(projects) + len(use.external)) if use else 0
        paid.append(
            PaidAsset(
                key,
                asset,
                float(asset.annual_cost),
                _currency(hub, asset),
                projects,
                reuse,
                use.transitive_reuse if use else 0,
                bool(projects) and not live and others == 0,
            )
        )
    paid.sort(key=lambda p: (-p.annual_cost, p.key))
    share: dict[tuple[str, str], float] = defaultdict(float)
    share_assets: dict[tuple[str, str], list[str]] = defaultdict(list)
    totals: dict[str, float] = defaultdict(float)
    unused_totals: dict[str, float] = defaultdict(float)
    for p in paid:
        totals[p.currency] += p.annual_cost
        if p.unused:
            unused_totals[p.currency] += p.annual_cost
        for pid in p.projects:
            share[(pid, p.currency)] += p.per_project or 0.0
            share_assets[(pid, p.currency)].append(p.key)
    shares = sorted(
        (ProjectShare(pid, cur, amount, tuple(share_assets[(pid, cur)])) for (pid, cur), amount in share.items()),
        key=lambda s: (-s.amount, s.project),
    )
    return Investment(tuple(paid), tuple(shares), dict(totals), dict(unused_totals))


def reuse_report(hub: Hub, graph: LineageGraph) -> ReuseReport:
    weights = role_weights(hub)
    return ReuseReport(tuple(most_reused(graph)), tuple(creators(hub, graph, weights)), weights, investment(hub, graph))


def export(report: ReuseReport) -> dict[str, Any]:
    """The report as plain JSON values, for api/hub.json."""
    inv = report.investment
    return {
        "role_weights": report.weights,
        "most_reused": [
            {"key": u.key, "reuse": u.reuse, "transitive_reuse": u.transitive_reuse} for u in report.most_reused
        ],
        "creators": [
            {
                "handle": c.handle,
                "score": c.score,
                "reuse": c.reuse,
                "evidence": [
                    {
                        "asset": e.asset,
                        "role": e.role,
                        "weight": e.weight,
                        "points": e.points,
                        "projects": list(e.projects),
                        "reuse": e.reuse,
                        "consumers": list(e.consumers),
                        "external": list(e.external),
                    }
                    for e in c.evidence
                ],
            }
            for c in report.creators
        ],
        "investment": {
            "totals": inv.totals,
            "unused_totals": inv.unused_totals,
            "paid": [
                {
                    "key": p.key,
                    "annual_cost": p.annual_cost,
                    "currency": p.currency or None,
                    "consuming_projects": list(p.projects),
                    "cost_per_project": p.per_project,
                    "reuse": p.reuse,
                    "transitive_reuse": p.downstream,
                    "unused": p.unused,
                    "only_ended_projects": p.ended_only,
                }
                for p in inv.paid
            ],
            "project_shares": [
                {"project": s.project, "currency": s.currency or None, "amount": s.amount, "assets": list(s.assets)}
                for s in inv.shares
            ],
        },
    }
