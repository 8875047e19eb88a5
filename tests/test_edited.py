"""`hubgen serve`'s quick update (issue 20): the pages of records just saved, shown before the rebuild."""

from __future__ import annotations

import re
import threading
from pathlib import Path

from hubgen.cli import EXIT_OK, main
from hubgen.edited import edited_pages
from hubgen.load import reload_records
from hubgen.pipeline import check, generate
from hubgen.serve import Reloads

PROJECT = "content/projects/churn-early-warning/project.yml"
PAGE = "projects/churn-early-warning/index.md"


def init_hub(tmp_path: Path) -> Path:
    hub = tmp_path / "hub"
    assert main(["init", str(hub)]) == EXIT_OK
    return hub


def built(hub: Path, audience: str | None = None):
    result = generate(hub, audience, check(hub))
    result.finish()
    return result


def edit(path: Path, pattern: str, replacement: str) -> None:
    text = path.read_text()
    changed = re.sub(pattern, replacement, text, count=1, flags=re.M)
    assert changed != text, pattern
    path.write_text(changed)


def test_a_saved_title_and_a_saved_name_render_their_own_pages_only(tmp_path: Path):
    hub = init_hub(tmp_path)
    last = built(hub)
    assert edited_pages(hub, last) == {}  # nothing saved since the build
    edit(hub / PROJECT, r"^title: .*$", "title: Churn warning, renamed")
    edit(hub / "content/people/sam-rivera.yml", r"^name: .*$", "name: Samantha Rivera")
    pages = edited_pages(hub, last)
    assert sorted(pages) == ["people/sam-rivera/index.md", PAGE]
    assert "Churn warning, renamed" in pages[PAGE]
    assert "Samantha Rivera" in pages["people/sam-rivera/index.md"]
    assert pages[PAGE] != last.site.pages[PAGE]


DISCUSSION = "content/projects/churn-early-warning/discussions/prediction-window.md"
NULL_RESULT = "content/projects/churn-early-warning/null-results/complaint-text-features.md"


def test_saved_record_files_are_read_alone_and_give_the_pages_a_full_load_gives(tmp_path: Path):
    hub = init_hub(tmp_path)
    last = built(hub)
    edit(hub / PROJECT, r"^title: .*$", "title: Churn warning, renamed")
    edit(hub / "content/people/sam-rivera.yml", r"^name: .*$", "name: Samantha Rivera")
    edit(hub / DISCUSSION, r"^title: .*$", "title: Thirty or sixty days?")
    edit(hub / NULL_RESULT, r"^title: .*$", "title: Complaint topics add nothing")
    saved = [hub / PROJECT, hub / "content/people/sam-rivera.yml", hub / DISCUSSION, hub / NULL_RESULT]
    # an editor's swap and backup files beside the record are not records
    (hub / "content/projects/churn-early-warning/.project.yml.swp").write_bytes(b"\0vim")
    (hub / "content/projects/churn-early-warning/project.yml~").write_text("title: the old one\n")
    extra = [hub / "content/projects/churn-early-warning/.project.yml.swp", hub / f"{PROJECT}~"]
    reread = reload_records(hub, last.hub, saved + extra, last.today)
    assert reread is not None  # read alone: no whole-hub load
    assert reread.projects["churn-early-warning"].title == "Churn warning, renamed"
    quick = edited_pages(hub, last, saved + extra)
    assert quick == edited_pages(hub, last)  # the same pages as from a full load, byte for byte
    titles = ["Churn warning, renamed", "Samantha Rivera", "Thirty or sixty days?", "Complaint topics add nothing"]
    assert all(any(t in md for md in quick.values()) for t in titles), sorted(quick)
    assert len(quick) == 4, sorted(quick)


def test_files_that_are_not_one_records_own_are_left_to_a_full_load(tmp_path: Path):
    hub = init_hub(tmp_path)
    last = built(hub)
    lineage = hub / "content/projects/churn-early-warning/lineage.yml"
    added = hub / "content/projects/churn-early-warning/discussions/a-new-one.md"
    added.write_text((hub / DISCUSSION).read_text())
    broken = hub / PROJECT
    for saved in ([hub / "content/hub.yml"], [lineage], [hub / "content/assets/dataset/crm-customers.yml"], [added]):
        assert reload_records(hub, last.hub, saved, last.today) is None, saved
    (hub / NULL_RESULT).unlink()
    assert reload_records(hub, last.hub, [hub / NULL_RESULT], last.today) is None  # deleted
    broken.write_text("title: [unclosed\n")
    assert reload_records(hub, last.hub, [broken], last.today) is None  # no longer a record: the load reports it
    assert edited_pages(hub, last, [broken]) == {}


def test_records_that_appear_or_become_confidential_wait_for_the_rebuild(tmp_path: Path):
    hub = init_hub(tmp_path)
    record = hub / PROJECT
    edit(record, r"^title: .*$", "title: Public churn work\nvisibility: public")
    last = built(hub, "public")
    assert PAGE in last.site.pages
    edit(record, r"^visibility: public$", "visibility: confidential")
    edit(record, r"^title: .*$", "title: Secret churn work")
    assert edited_pages(hub, last) == {}  # fails closed: the public site never shows it, even for a moment
    assert edited_pages(hub, last, [record]) == {}  # read alone as well
    (hub / "content/projects/new-idea").mkdir()
    (hub / "content/projects/new-idea/project.yml").write_text(
        "title: A new idea\nsummary: Added after the build.\nstatus: backlog\nstage: ideation\n"
        "team: analytics\npeople:\n  - {person: sam-rivera, role: lead}\nvisibility: public\n"
    )
    assert edited_pages(hub, last) == {}  # a page the last build did not have: only a build adds one


def test_a_changed_hub_yml_waits_for_the_rebuild(tmp_path: Path):
    hub = init_hub(tmp_path)
    last = built(hub)
    edit(hub / PROJECT, r"^title: .*$", "title: Renamed")
    settings = hub / "content/hub.yml"
    settings.write_text(settings.read_text() + "\nglossary:\n  churn: [attrition]\n")
    assert edited_pages(hub, last) == {}  # settings may change every page


def test_the_served_page_shows_the_edit_and_an_undone_edit_puts_the_built_page_back(tmp_path: Path, monkeypatch):
    from mkdocs.commands.build import build
    from mkdocs_hubgen.plugin import HubgenPlugin

    from hubgen.cli.build import _mkdocs_config

    hub = init_hub(tmp_path)
    site = tmp_path / "site"
    monkeypatch.setattr(HubgenPlugin, "serving", True)
    config = _mkdocs_config(hub, site, None, False)
    build(config)
    plugin = config.plugins.get("hubgen")
    quick = plugin.served()
    served = site / "projects/churn-early-warning/index.html"
    before = served.read_bytes()
    original = (hub / PROJECT).read_text()
    # what a build running meanwhile with the same plugin (MkDocs keeps it across serve's builds) collects
    terms, entries = dict(plugin.terms), len(plugin.search_index.entries)

    edit(hub / PROJECT, r"^title: .*$", "title: Renamed while serving")
    assert quick.show_edited(site) == ["projects/churn-early-warning/"]
    html = served.read_text()
    assert "<title>Renamed while serving" in html and "</html>" in html  # the whole page, through the theme
    assert "md-header" in html and 'href="../../assets/' in html  # links as in a build of that page
    assert quick.show_edited(site) == []  # shown already: not written again
    assert dict(plugin.terms) == terms and len(plugin.search_index.entries) == entries  # no build state touched

    # The next build, with the same plugin instance, does not change what the served build's update knows.
    build(_mkdocs_config(hub, tmp_path / "next-site", None, False))
    (hub / PROJECT).write_text(original)
    assert quick.show_edited(site) == ["projects/churn-early-warning/"]
    assert served.read_bytes() == before  # byte for byte what the build wrote


class FakeServer:
    """The epochs of MkDocs' LiveReloadServer, as its request handler reads them."""

    def __init__(self) -> None:
        self._epoch_cond = threading.Condition()
        self._visible_epoch = 1000
        self._wanted_epoch = 1000


def test_requests_are_served_during_a_rebuild_and_browsers_reload_when_pages_change():
    server = FakeServer()
    reloads = Reloads(server)
    server._wanted_epoch = 2000  # MkDocs' loop: a build started; requests wait while wanted > visible
    reloads.serve_during_build()
    assert server._wanted_epoch == server._visible_epoch == 1000  # no request waits; no reload yet
    reloads.reload_now()  # the edit is shown: browsers showing an older epoch reload
    shown = server._visible_epoch
    assert shown > 1000 and server._wanted_epoch == shown
    reloads.reload_when_done()  # the rebuild swapped in: the loop then publishes the wanted epoch
    assert server._wanted_epoch > shown == server._visible_epoch
