"""Field types: each converts a parsed YAML value (reporting problems with their line), describes
itself as JSON Schema, and gives a short label for the docs."""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from hubgen import model
from hubgen.schema.values import DATE_PATTERN, ID_HINT, ID_PATTERN, ID_RE, LINK_KEYS

INVALID: Any = object()  # returned by a conversion that reported a problem


class Context(Protocol):
    """What a conversion needs: where each value sits, and where to report."""

    def line(self, path: tuple[Any, ...]) -> int | None: ...

    def error(self, path: tuple[Any, ...], message: str, hint: str = "") -> None: ...

    def warn(self, path: tuple[Any, ...], message: str, hint: str = "") -> None: ...

    def reference(self, kind: str, value: str, path: tuple[Any, ...]) -> None: ...


def describe_value(value: Any) -> str:
    """Name a YAML value's type the way a user wrote it."""
    if value is None:
        return "nothing (empty)"
    if isinstance(value, bool):
        return f"a true/false value ({str(value).lower()})"
    if isinstance(value, (int, float)):
        return f"a number ({value})"
    if isinstance(value, (date, datetime)):
        return f"a date ({value})"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def field_name(path: tuple[Any, ...]) -> str:
    """`people[2].role` from a value path."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "the file"


class FieldType:
    label = "value"

    def convert(self, value: Any, ctx: Context, path: tuple[Any, ...]) -> Any:
        raise NotImplementedError

    def json_schema(self) -> dict[str, Any]:
        raise NotImplementedError

    def wrong_type(self, value: Any, ctx: Context, path: tuple[Any, ...], hint: str = "") -> Any:
        subject = f"'{field_name(path)}'" if path else "the file"
        ctx.error(path, f"{subject} must be {self.label}, not {describe_value(value)}", hint)
        return INVALID


class Text(FieldType):
    """Text; plain numbers are accepted as text (a title of `2024` is fine)."""

    label = "text"

    def convert(self, value: Any, ctx: Context, path: tuple[Any, ...]) -> Any:
        if isinstance(value, dict):
            return self.wrong_type(
                value, ctx, path, "text containing ': ' reads as a mapping in YAML: put the whole text in quotes"
            )
        if isinstance(value, bool) or value is None or isinstance(value, list):
            return self.wrong_type(value, ctx, path, "write it as a quoted string")
        if isinstance(value, (int, float, date)):
            value = str(value)
        if not isinstance(value, str):
            return self.wrong_type(value, ctx, path)
        if not value.strip():
            ctx.error(path, f"'{field_name(path)}' is empty", "write some text or remove the field")
            return INVALID
        return value.strip()

    def json_schema(self) -> dict[str, Any]:
        return {"type": ["string", "number"], "pattern": r"\S"}


class Choice(FieldType):
    def __init__(self, values: tuple[str, ...]):
        self.values = values
        self.label = "one of " + ", ".join(values)

    def convert(self, value: Any, ctx: Context, path: tuple[Any, ...]) -> Any:
        if isinstance(value, str) and value in self.values:
            return value
        near = difflib.get_close_matches(str(value), self.values, n=1)
        hint = f"did you mean '{near[0]}'?" if near else f"use one of: {', '.join(self.values)}"
        ctx.error(path, f"'{field_name(path)}' is '{value}', which is not one of {', '.join(self.values)}", hint)
        return INVALID

    def json_schema(self) -> dict[str, Any]:
        return {"enum": list(self.values)}


class Date(FieldType):
    label = "a date (YYYY-MM-DD)"

    def convert(self, value: Any, ctx: Context, path: tuple[Any, ...]) -> Any:
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        if isinstance(value, str) and re.fullmatch(DATE_PATTERN[1:-1], value.strip()):
            try:  # a quoted date ('2024-04-12') is a date too, as the JSON Schema says
                return date.fromisoformat(value.strip())
            except ValueError:
                pass
        if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", value.strip()):
            ctx.error(
                path,
                f"'{field_name(path)}' is '{value}', which is not a real date",
                "check the month (1-12) and the day of the month",
            )
            return INVALID
        return self.wrong_type(value, ctx, path, "write dates as YYYY-MM-DD, e.g. 2025-03-14")

    def json_schema(self) -> dict[str, Any]:
        return {"type": "string", "format": "date", "pattern": DATE_PATTERN}


class Number(FieldType):
    label = "a number"

    def __init__(self, integer: bool = False, minimum: float | None = None):
        self.integer = integer
        self.minimum = minimum
        if integer:
            self.label = "a whole number"

    def convert(self, value: Any, ctx: Context, path: tuple[Any, ...]) -> Any:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return self.wrong_type(value, ctx, path, "write a plain number without units or thousands separators")
        if isinstance(value, float) and not math.isfinite(value):
            return self.wrong_type(value, ctx, path)
        if self.integer and not float(value).is_integer():
            return self.wrong_type(value, ctx, path)
        if self.minimum is not None and value < self.minimum:
            ctx.error(path, f"'{field_name(path)}' is {value}, below the minimum {self.minimum}")
            return INVALID
        return int(value) if self.integer else value

    def json_schema(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": "integer" if self.integer else "number"}
        if self.minimum is not None:
            out["minimum"] = self.minimum
        return out


class Measure(FieldType):
    """A KPI or metric value: a number, or text such as '< 2%'."""

    label = "a number or text"

    def convert(self, value: Any, ctx: Context, path: tuple[Any, ...]) -> Any:
        if isinstance(value, bool) or value is None or isinstance(value, (list, dict)):
            return self.wrong_type(value, ctx, path)
        if isinstance(value, float) and not math.isfinite(value):
            return self.wrong_type(value, ctx, path)
        return value if isinstance(value, (int, float)) else str(value)

    def json_schema(self) -> dict[str, Any]:
        return {"type": ["number", "string"]}


class Ref(FieldType):
    """An id of another record (`person`, `project`); existence is checked later."""

    def __init__(self, kind: str):
        self.kind = kind
        self.label = f"a {kind} id"

    def convert(self, value: Any, ctx: Context, path: tuple[Any, ...]) -> Any:
        if not isinstance(value, str):
            return self.wrong_type(value, ctx, path)
        value = value.strip().removeprefix("@")
        if not ID_RE.match(value):
            ctx.error(path, f"'{field_name(path)}' is '{value}', which is not a valid {self.kind} id", ID_HINT)
            return INVALID
        ctx.reference(self.kind, value, path)
        return value

    def json_schema(self) -> dict[str, Any]:
        return {"type": "string", "pattern": "^@?" + ID_PATTERN[1:]}


class Anything(FieldType):
    """Free-form data kept as written (e.g. monitoring thresholds)."""

    label = "any value"

    def convert(self, value: Any, ctx: Context, path: tuple[Any, ...]) -> Any:
        return value

    def json_schema(self) -> dict[str, Any]:
        return {}


class ListOf(FieldType):
    def __init__(self, item: FieldType, min_items: int = 0, unique: bool = False):
        self.item = item
        self.min_items = min_items
        self.unique = unique
        self.label = f"a list of {item.label}"

    def convert(self, value: Any, ctx: Context, path: tuple[Any, ...]) -> Any:
        if isinstance(value, (str, int, float)) and not isinstance(value, bool) and isinstance(self.item, (Text, Ref)):
            # `tags: nlp` is a common slip for `tags: [nlp]`: accept it, say so.
            ctx.warn(path, f"'{field_name(path)}' should be a list", f"write it as [{value}]")
            value = [value]
        if not isinstance(value, list):
            return self.wrong_type(value, ctx, path, "start each item on its own line with '- '")
        out = []
        for i, item in enumerate(value):
            converted = self.item.convert(item, ctx, path + (i,))
            if converted is not INVALID:
                if self.unique and converted in out:
                    ctx.warn(
                        path + (i,),
                        f"'{converted}' is listed twice in '{field_name(path)}'",
                        "remove the repeated entry",
                    )
                    continue
                out.append(converted)
        if len(value) < self.min_items:
            ctx.error(path, f"'{field_name(path)}' needs at least {self.min_items} item(s)")
            return INVALID
        return tuple(out)

    def json_schema(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": "array", "items": self.item.json_schema()}
        if self.min_items:
            out["minItems"] = self.min_items
        return out


@dataclass(frozen=True)
class Field:
    name: str
    type: FieldType
    required: bool = False
    doc: str = ""
    attr: str = ""  # model attribute when it differs from the YAML name

    @property
    def attribute(self) -> str:
        return self.attr or self.name.replace("-", "_")


class Record(FieldType):
    """A mapping with known fields, converted to a model dataclass.

    Unknown keys are kept in `extra` when `keep_extra` (top-level records), and
    warned about otherwise; a missing required field makes the record invalid.
    """

    def __init__(
        self,
        name: str,
        fields: list[Field],
        build: Callable[..., Any] | None = None,
        keep_extra: bool = False,
        shorthand: str | None = None,
    ):
        self.name = name
        self.fields = fields
        self.build = build
        self.keep_extra = keep_extra
        self.shorthand = shorthand  # a field a bare string stands for, e.g. deliverable: dashboard
        self.label = f"a mapping ({name})"
        self.by_name = {f.name: f for f in fields}

    def convert(self, value: Any, ctx: Context, path: tuple[Any, ...]) -> Any:
        if self.shorthand and isinstance(value, str):
            value = {self.shorthand: value}
        if not isinstance(value, dict):
            return self.wrong_type(value, ctx, path, f"write it as 'key: value' lines ({', '.join(self.by_name)})")
        ok = True
        values: dict[str, Any] = {}
        extra: dict[str, Any] = {}
        for key, raw in value.items():
            spec = self.by_name.get(key)
            if spec is None:
                near = difflib.get_close_matches(str(key), list(self.by_name), n=1, cutoff=0.75)
                if " " in str(key):
                    ctx.warn(
                        path + (key,),
                        f"'{key}' reads as a field name: a ',' inside {{…}} or a ': ' inside a value splits it",
                        "put the whole value in quotes so YAML reads it as text",
                    )
                elif near:
                    ctx.warn(
                        path + (key,), f"unknown field '{key}' is kept as an other field", f"did you mean '{near[0]}'?"
                    )
                elif not self.keep_extra:
                    ctx.warn(
                        path + (key,),
                        f"unknown field '{key}' in {field_name(path)} is kept as written",
                        f"known fields: {', '.join(self.by_name)}",
                    )
                extra[str(key)] = raw
                continue
            if raw is None and not spec.required:
                continue  # `risks:` with nothing after it: the author left it empty
            converted = spec.type.convert(raw, ctx, path + (key,))
            if converted is INVALID:
                # A broken required field breaks the record; a broken optional
                # one is reported and left out, the rest of the record stands.
                ok = ok and not spec.required
                continue
            values[spec.attribute] = converted
        for spec in self.fields:
            if spec.required and spec.name not in value:
                ctx.error(
                    path or (),
                    f"missing required field '{spec.name}'" + (f" in {field_name(path)}" if path else ""),
                    spec.doc,
                )
                ok = False
            elif spec.required and value.get(spec.name) is None and spec.name in value:
                ctx.error(path + (spec.name,), f"required field '{spec.name}' is empty", spec.doc)
                ok = False
        if not ok:
            return INVALID
        if self.keep_extra:
            values["extra"] = extra
        return self.build(**values) if self.build else values

    def json_schema(self) -> dict[str, Any]:
        props = {}
        for f in self.fields:
            # An optional field left empty (`risks:`) is accepted, as by the loader.
            spec = f.type.json_schema() if f.required else _nullable(f.type.json_schema())
            props[f.name] = {**spec, "description": f.doc}
        schema: dict[str, Any] = {
            "type": "object",
            "properties": props,
            "required": [f.name for f in self.fields if f.required],
        }
        if self.shorthand:
            return {"anyOf": [schema, self.by_name[self.shorthand].type.json_schema()]}
        return schema


def _nullable(spec: dict[str, Any]) -> dict[str, Any]:
    """`spec`, also accepting null (an empty YAML value)."""
    if not spec:
        return spec
    if "type" in spec and "anyOf" not in spec:
        types = spec["type"] if isinstance(spec["type"], list) else [spec["type"]]
        return {**spec, "type": [*types, "null"]}
    if "enum" in spec:
        return {**spec, "enum": [*spec["enum"], None]}
    return {"anyOf": [spec, {"type": "null"}]}


class Links(FieldType):
    label = "a mapping of link names to URLs or repo paths"

    def convert(self, value: Any, ctx: Context, path: tuple[Any, ...]) -> Any:
        if not isinstance(value, dict):
            return self.wrong_type(value, ctx, path, f"write e.g. 'code: https://…' ({', '.join(LINK_KEYS)})")
        out: dict[str, str] = {}
        for key, raw in value.items():
            text = Text().convert(raw, ctx, path + (key,))
            if text is not INVALID:
                out[str(key)] = text
        return out

    def json_schema(self) -> dict[str, Any]:
        return {
            "type": "object",
            "properties": {k: {"type": "string"} for k in LINK_KEYS},
            "additionalProperties": {"type": "string"},
        }


class Glossary(FieldType):
    """A team's synonyms: each term to the other words people use for it (`churn: [attrition, customers who cancel]`)."""

    label = "a mapping of terms to lists of synonyms"

    def convert(self, value: Any, ctx: Context, path: tuple[Any, ...]) -> Any:
        if not isinstance(value, dict):
            return self.wrong_type(
                value, ctx, path, "write e.g. 'glossary: {churn: [attrition, customers who cancel]}'"
            )
        out: dict[str, tuple[str, ...]] = {}
        for key, raw in value.items():
            synonyms = ListOf(Text()).convert([raw] if isinstance(raw, str) else raw, ctx, path + (key,))
            if synonyms is INVALID:
                continue
            term = str(key).strip()
            if not term:
                ctx.error(path + (key,), "a glossary term must not be empty", "write the term, then its synonyms")
                continue
            out[term] = tuple(x.strip() for x in synonyms if x.strip())
        return out

    def json_schema(self) -> dict[str, Any]:
        return {
            "type": "object",
            "additionalProperties": {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]},
        }


class Level(Choice):
    """A visibility level that decides who sees what: a value that cannot be read never widens it.

    Instead of being dropped (which would mean the default), an unreadable value
    becomes `fallback`: the most restrictive level for a record's visibility, a
    marker that stops the build for hub.yml's audience.
    """

    def __init__(self, fallback: str, consequence: str) -> None:
        super().__init__(model.VISIBILITY_LEVELS)
        self.fallback = fallback
        self.consequence = consequence

    def convert(self, value: Any, ctx: Context, path: tuple[Any, ...]) -> Any:
        if isinstance(value, str) and value in self.values:
            return value
        near = difflib.get_close_matches(str(value).strip().lower(), self.values, n=1)
        hint = f"did you mean '{near[0]}'?" if near else f"use one of: {', '.join(self.values)}"
        ctx.error(
            path,
            f"'{field_name(path)}' is {_shown(value)}, which is not one of {', '.join(self.values)}; "
            f"{self.consequence}",
            hint,
        )
        return self.fallback


INVALID_AUDIENCE = "<invalid>"  # HubSettings.audience when hub.yml's audience cannot be read


def _shown(value: Any) -> str:
    """A value as the user wrote it, quoted, so trailing spaces and brackets are visible."""
    return repr(value) if isinstance(value, str) else f"{describe_value(value)}"


class WebURL(Text):
    """An absolute http(s) URL: it becomes links in pages and feeds."""

    label = "an http:// or https:// URL"

    def convert(self, value: Any, ctx: Context, path: tuple[Any, ...]) -> Any:
        text = super().convert(value, ctx, path)
        if text is INVALID or re.match(r"https?://[^\s]+\Z", text, re.IGNORECASE):
            return text
        ctx.error(
            path,
            f"'{field_name(path)}' must be an http:// or https:// URL, not '{text}'",
            "write the full address, e.g. https://hub.example.org/",
        )
        return INVALID

    def json_schema(self) -> dict[str, Any]:
        return {"type": "string", "pattern": "^[Hh][Tt][Tt][Pp][Ss]?://\\S+$"}
