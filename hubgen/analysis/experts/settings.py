"""Settings of the expert model: `experts:` in hub.yml, with defaults and checks (docs/expert-ranking.md)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from hubgen.schema import ROLES, STAGES, STATUSES

DEFAULT_ROLE_WEIGHTS: dict[str, float] = {
    "lead": 3.0,
    "contributor": 2.0,
    "reviewer": 1.0,
    "stakeholder": 0.5,
    "sponsor": 0.5,
}
EVIDENCE_KINDS = ("project", "null_result", "discussion", "asset", "skills")
DEFAULT_EVIDENCE_WEIGHTS: dict[str, float] = {
    "project": 1.0,  # × role weight
    "null_result": 1.5,  # per author
    "discussion": 0.5,  # × √(messages written in the thread)
    "asset": 1.5,  # × log2(1 + reuse) × role weight / lead weight
    "skills": 0.25,  # self-declared: the weakest signal
}
DEFAULT_STATUS_WEIGHTS: dict[str, float] = {"backlog": 0.5}
DEFAULT_STAGE_WEIGHTS: dict[str, float] = {"ideation": 0.5}  # an active project that has not started the work
ACTIVE = ("active", "backlog")
LATEST_WORDS = frozenset({"latest", "newest", "recent", "current", "modern", "new"})
STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "can",
        "do",
        "does",
        "for",
        "from",
        "has",
        "have",
        "how",
        "i",
        "in",
        "into",
        "is",
        "it",
        "know",
        "knows",
        "of",
        "on",
        "or",
        "our",
        "the",
        "their",
        "there",
        "this",
        "to",
        "using",
        "we",
        "what",
        "who",
        "whom",
        "with",
        "about",
    ]
)


@dataclass(frozen=True)
class Settings:
    """`experts:` in hub.yml; every key optional (docs/expert-ranking.md)."""

    half_life_days: float = 540.0
    recency_floor: float = 0.5
    consumer_topic_weight: float = 1.0
    role_weights: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_ROLE_WEIGHTS))
    evidence_weights: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_EVIDENCE_WEIGHTS))
    status_weights: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_STATUS_WEIGHTS))
    stage_weights: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_STAGE_WEIGHTS))
    version_step: float = 0.5
    topic_weight: float = 0.4
    text_exponent: float = 2.0
    profile_topics: int = 8

    def role(self, role: str) -> float:
        return self.role_weights.get(role, 0.0)

    def evidence(self, kind: str) -> float:
        return self.evidence_weights.get(kind, 0.0)

    def status(self, status: str, stage: str | None = None) -> float:
        """Weight of a project by its status, and for an active one by its stage."""
        weight = self.status_weights.get(status, 1.0)
        return weight * self.stage_weights.get(stage, 1.0) if status == "active" and stage else weight

    def as_dict(self) -> dict[str, Any]:
        return {
            "half_life_days": self.half_life_days,
            "recency_floor": self.recency_floor,
            "consumer_topic_weight": self.consumer_topic_weight,
            "role_weights": dict(self.role_weights),
            "evidence_weights": dict(self.evidence_weights),
            "status_weights": dict(self.status_weights),
            "stage_weights": dict(self.stage_weights),
            "version_step": self.version_step,
            "topic_weight": self.topic_weight,
            "text_exponent": self.text_exponent,
            "profile_topics": self.profile_topics,
        }


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return None
    return float(value)


def parse_settings(raw: Any) -> tuple[Settings, list[str]]:
    """Settings from hub.yml `experts:`, and a message for each value that was ignored."""
    notes: list[str] = []
    if not isinstance(raw, dict):
        return Settings(), ([] if raw in (None, {}) else ["'experts' must be a mapping"])
    values: dict[str, Any] = {}

    def weights(key: str, known: tuple[str, ...] | None, defaults: Mapping[str, float]) -> None:
        given = raw.get(key)
        if given is None:
            return
        if not isinstance(given, dict):
            notes.append(f"'experts.{key}' must be a mapping of name to weight")
            return
        out = dict(defaults)
        for name, value in given.items():
            number = _number(value)
            if known is not None and name not in known:
                notes.append(f"'experts.{key}.{name}' is not one of {', '.join(known)}")
            elif number is None or number < 0:
                notes.append(f"'experts.{key}.{name}' must be a number ≥ 0")
            else:
                out[str(name)] = number
        values[key] = out

    weights("role_weights", ROLES, DEFAULT_ROLE_WEIGHTS)
    weights("evidence_weights", EVIDENCE_KINDS, DEFAULT_EVIDENCE_WEIGHTS)
    weights("status_weights", STATUSES, DEFAULT_STATUS_WEIGHTS)
    weights("stage_weights", STAGES, DEFAULT_STAGE_WEIGHTS)
    for key, low, high, kind in (
        ("half_life_days", 0.0, None, float),
        ("recency_floor", 0.0, 1.0, float),
        ("consumer_topic_weight", 0.0, 1.0, float),
        ("version_step", 0.0, 1.0, float),
        ("topic_weight", 0.0, 1.0, float),
        ("text_exponent", 0.0, None, float),
        ("profile_topics", 1.0, None, int),
    ):
        if key not in raw:
            continue
        number = _number(raw[key])
        if (
            number is None
            or number < low
            or (high is not None and number > high)
            or (key == "half_life_days" and number == 0)
        ):
            bound = (
                f"between {low:g} and {high:g}"
                if high is not None
                else ("> 0" if key == "half_life_days" else f"≥ {low:g}")
            )
            notes.append(f"'experts.{key}' must be a number {bound}")
            continue
        values[key] = kind(number)
    for key in raw:
        if key not in values and key not in (
            "role_weights",
            "evidence_weights",
            "status_weights",
            "stage_weights",
            "half_life_days",
            "recency_floor",
            "consumer_topic_weight",
            "version_step",
            "topic_weight",
            "text_exponent",
            "profile_topics",
        ):
            notes.append(f"'experts.{key}' is not a known setting")
    return Settings(**values), notes
