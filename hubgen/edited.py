"""The pages of records just edited, rendered ahead of a full rebuild (`hubgen serve`'s quick update).

A rebuild brings every page up to date, but at 1,000 projects it takes tens
of seconds, and the author is looking at one page: the record they saved.
Like Hugo's fast render mode, `hubgen serve` first renders the pages of the
records that changed, from a fresh load of the hub and the last build's
analyses, and shows them; the full rebuild follows and replaces them (and
every page that lists the record) moments later. Only records that exist in
both builds are shown early: an added or deleted record, a change to hub.yml,
or anything the audience may not see waits for the full build.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hubgen import collector
from hubgen.audience import restrict
from hubgen.load import load_hub, reload_records
from hubgen.model import Hub

# Hub field holding each kind of record with its own page, and the record's key in its URL.
RECORD_FIELDS = {
    "project": ("projects", "id"),
    "null-result": ("null_results", "id"),
    "discussion": ("discussions", "key"),
    "person": ("people", "handle"),
}


def changed_records(old: Hub, new: Hub) -> list[tuple[str, str, Any]]:
    """(kind, key, new record) for each record in both hubs whose value differs, in a stable order."""
    found = []
    for kind, (name, key_field) in RECORD_FIELDS.items():
        before: dict[str, Any] = getattr(old, name)
        for key, record in sorted(getattr(new, name).items()):
            if key in before and before[key] != record:
                found.append((kind, getattr(record, key_field), record))
    return found


def edited_pages(root: Path, last: Any, saved: list[Path] | None = None) -> dict[str, str]:
    """Markdown, by source path, of the pages of records edited since `last` (a pipeline.Result) was built.

    `saved`, the files written since (when the caller watched them), lets a
    record file be re-read alone instead of the whole hub (hubgen.load.reload_records).
    Empty when nothing can be shown early: no record changed, the hub's settings
    changed (they may change every page), or the last build kept no analyses.
    """
    if last.analyses is None or last.today is None:
        return {}
    with collector.paused():  # the served build's millions of objects are not the collector's to walk now
        return _edited_pages(root, last, saved)


def _edited_pages(root: Path, last: Any, saved: list[Path] | None) -> dict[str, str]:
    from hubgen.render.pages import Renderer

    loaded = reload_records(root, last.hub, saved, last.today) if saved else None
    if loaded is None:
        loaded = load_hub(root, last.today)
    if loaded.settings != last.hub.settings:
        return {}
    visible = restrict(loaded, last.audience)
    edited = changed_records(last.visible, visible)
    if not edited:
        return {}
    renderer = Renderer(visible, last.analyses, last.audience, last.today, hub_root=root)
    for kind, key, record in edited:
        renderer.record_page(kind, key, record)
    return renderer.site.pages
