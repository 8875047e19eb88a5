"""The fixed vocabularies of the contract: id and date shapes, statuses, stages, roles, kinds."""

from __future__ import annotations

import re

ID_PATTERN = r"^[a-z0-9][a-z0-9._-]*$"
# `\Z`, not `$`: in Python `$` also matches before a final newline, and an id "x\n" would pass.
ID_RE = re.compile(ID_PATTERN[:-1] + r"\Z")
DATE_PATTERN = r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$"
ID_HINT = "ids use lowercase letters, digits, '.', '_' and '-', starting with a letter or digit"

STATUSES = ("backlog", "active", "delivered", "null-result", "cancelled", "retired")
STAGES = ("ideation", "data", "research", "validation", "delivery", "monitoring")
ROLES = ("lead", "contributor", "reviewer", "stakeholder", "sponsor")
DELIVERABLE_TYPES = ("report", "dashboard", "app", "batch", "api", "model")
CONSUMER_KINDS = ("app", "team", "process")
REASONS = ("no-signal", "data", "compliance", "infrastructure", "cost", "other")
DISCUSSION_STATUSES = ("open", "decided")
ASSET_KINDS = ("dataset", "component", "model", "feature", "app", "report", "job")
ASSET_SOURCES = ("internal", "vendor", "public")
LINK_KEYS = ("code", "data", "environment", "results", "docs")
