"""Text normalisation for matching topics: folding, one spelling per word, tool versions and slugs."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from functools import lru_cache

_TOKEN = re.compile(r"\d+(?:\.\d+)+|[a-z0-9]+")
_VERSION = re.compile(r"^v?\d+(?:\.[0-9x*]+)*$")
_TOOL = re.compile(r"^\s*([^=<>!~@\s]+)\s*(?:(==|>=|<=|~=|!=|===|=|@)\s*(\S+))?\s*$")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


def fold(text: str) -> str:
    """Case- and accent-folded text."""
    text = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in text if not unicodedata.combining(c))


def _canon(word: str) -> str:
    """One spelling per word for matching: British/American forms and plurals meet."""
    for old, new in (
        ("isation", "ization"),
        ("ising", "izing"),
        ("ised", "ized"),
        ("elling", "eling"),
        ("elled", "eled"),
        ("yse", "yze"),
    ):
        if word.endswith(old):
            word = word[: -len(old)] + new
            break
    else:
        if word.endswith("ise") and len(word) > 5:
            word = word[:-3] + "ize"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    return word


def words(text: str) -> tuple[str, ...]:
    """Folded tokens: letters and digits, dotted version numbers kept whole."""
    return tuple(_TOKEN.findall(fold(text)))


@lru_cache(maxsize=65536)
def topic_key(name: str) -> str:
    """The matching form of a topic name: 'Graph-Features' and 'graph features' are one topic."""
    tokens = words(name)
    return " ".join(_canon(t) for t in tokens) if tokens else fold(name).strip()


@lru_cache(maxsize=65536)
def split_tool(tool: str) -> tuple[str, str | None]:
    """'tensorflow==2.16' -> ('tensorflow', '2.16'); 'xgboost' -> ('xgboost', None)."""
    m = _TOOL.match(tool)
    if not m:
        return tool.strip(), None
    return m.group(1), m.group(3)


def version_key(version: str) -> tuple[int, ...]:
    return tuple(int(x) for x in re.findall(r"\d+", version))


def slugify(name: str) -> str:
    """An id-safe slug (`^[a-z0-9][a-z0-9._-]*$`) for a topic name."""
    text = unicodedata.normalize("NFKD", name.casefold()).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9._]+", "-", text).strip("-._")
    slug = re.sub(r"-{2,}", "-", slug)
    return slug if _SLUG.match(slug) else "topic"


def unique_slugs(names: Mapping[str, str]) -> dict[str, str]:
    """key -> slug, unique: on a collision the later keys (in sorted order) get -2, -3, …"""
    out: dict[str, str] = {}
    taken: set[str] = set()
    for key in sorted(names):
        base = slugify(names[key])
        slug, n = base, 1
        while slug in taken:
            n += 1
            slug = f"{base}-{n}"
        taken.add(slug)
        out[key] = slug
    return out
