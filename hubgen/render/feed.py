"""The hub's Atom 1.0 feed (`feed.xml`): follow the hub like a blog.

Ids are stable `urn:uuid:` names derived from the hub and the record (not
from dates or the build), timestamps come from the records' own dates, and
links are absolute when `url` is set in hub.yml, relative to the feed
otherwise.
"""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
from datetime import date

from hubgen import __version__, urls
from hubgen.analysis.news import NewsItem
from hubgen.model import Hub

ATOM = "http://www.w3.org/2005/Atom"
FEED_PATH = "feed.xml"
PAGE = "whats-new/"
EPOCH = date(1970, 1, 1)
KIND_LABELS = {"project": "Project", "null-result": "Null result", "discussion": "Discussion"}


def _stamp(day: date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def _identity(hub: Hub) -> str:
    return (hub.settings.url or "").rstrip("/") or f"hubgen:{hub.settings.name}"


def entry_id(hub: Hub, kind: str, key: str) -> str:
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{_identity(hub)}#{kind}/{key}')}"


def _link(hub: Hub, path: str) -> str:
    base = (hub.settings.url or "").rstrip("/")
    return f"{base}/{path}" if base else path or "./"


def atom_feed(hub: Hub, items: list[NewsItem], limit: int = 50) -> bytes:
    """Atom 1.0 XML of the newest `limit` items."""
    ET.register_namespace("", ATOM)

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        el = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        if text is not None:
            el.text = text
        return el

    shown = items[:limit]
    feed = ET.Element(f"{{{ATOM}}}feed")
    sub(feed, "id", f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, _identity(hub) + '#feed')}")
    sub(feed, "title", hub.settings.name)
    sub(feed, "subtitle", "New and updated projects, null results and decisions")
    sub(feed, "updated", _stamp(max((i.updated for i in shown), default=EPOCH)))
    sub(feed, "link", rel="self", type="application/atom+xml", href=_link(hub, FEED_PATH))
    sub(feed, "link", rel="alternate", type="text/html", href=_link(hub, PAGE))
    author = sub(feed, "author")
    sub(author, "name", hub.settings.name)
    sub(feed, "generator", "hubgen", version=__version__)
    for item in shown:
        entry = sub(feed, "entry")
        sub(entry, "id", entry_id(hub, item.kind, item.key))
        sub(entry, "title", f"{item.event}: {item.title}")
        sub(entry, "updated", _stamp(item.updated))
        sub(entry, "published", _stamp(item.published))
        sub(entry, "link", rel="alternate", type="text/html", href=_link(hub, urls.url(item.kind, item.key)))
        for handle in item.people:
            person = hub.people.get(handle)
            who = sub(entry, "author")
            sub(who, "name", person.name if person else handle)
        sub(entry, "category", term=item.kind, label=KIND_LABELS.get(item.kind, item.kind))
        if item.summary:
            sub(entry, "summary", item.summary, type="text")
    ET.indent(feed, space=" ")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"
