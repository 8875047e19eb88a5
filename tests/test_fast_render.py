"""Generated pages' Markdown pass (mkdocs_hubgen.fast_render): the same site as MkDocs' own `Page.render`."""

from __future__ import annotations

import shutil

import pytest
from mkdocs.structure.pages import _HTMLHandler
from mkdocs_hubgen import fast_render

from hubgen.cli import EXIT_OK, main
from tests.conftest import BUILD_EPOCH, ROOT

HTML = [
    '<div id="plain"></div>',
    "<DIV ID='upper'>x</DIV>",
    "<span id=unquoted class=x></span>",
    '<a name="old-style">here</a><p name="not-an-anchor"></p>',
    '<h2 id="amp&amp;ersand">t</h2>',
    '<input id="self" disabled/>',
    '<p data-id="no" id-like=\'no\'>id="no" in text</p>',
    '<!-- <a id="commented"></a> --><b id="after-comment"></b>',
    '<script>var s = \'<a id="in-script">\';</script><i id="after-script"></i>',
    '<table><tr><td id="cell">1</td></tr></table>\n\n| a |\n|---|\n| <span id="in-md-table">x</span> |',
    '```\n<a id="in-code">raw html in a code block is still parsed by MkDocs</a>\n```',
    '<div\n  id="multiline"\n  class="a">',
    "no html at all, id = 3",
]


def _parser_ids(text: str) -> set[str]:
    parser = _HTMLHandler()
    parser.feed(text)
    parser.close()
    return parser.present_anchor_ids


@pytest.mark.parametrize("source", HTML)
def test_raw_html_ids_are_those_mkdocs_finds(source):
    assert fast_render.raw_anchor_ids(source) == _parser_ids(source)


def test_the_renderer_applies_to_this_mkdocs():
    assert fast_render.available()  # else the build test below compares MkDocs with itself


def _copy_example(target):
    for name in ("content", "docs"):
        shutil.copytree(ROOT / name, target / name, ignore=shutil.ignore_patterns(".hubgen-cache"))
    shutil.copy(ROOT / "mkdocs.yml", target / "mkdocs.yml")
    return target


def _files(site):
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def test_the_example_hub_builds_byte_for_byte_as_with_mkdocs_render(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", BUILD_EPOCH)
    sites, warnings = [], []
    for fast in (True, False):
        hub = _copy_example(tmp_path / ("fast" if fast else "mkdocs"))
        with monkeypatch.context() as m:
            if not fast:
                m.setattr(fast_render, "available", lambda: False)
            assert main(["build", "--repo", str(hub), "--site-dir", str(hub / "site")]) == EXIT_OK
        sites.append(_files(hub / "site"))
        warnings.append(sorted(line.replace(str(hub), "HUB") for line in capsys.readouterr().err.splitlines()))
    fast_site, mkdocs_site = sites
    assert len(fast_site) > 300 and fast_site.keys() == mkdocs_site.keys()
    assert [name for name in fast_site if fast_site[name] != mkdocs_site[name]] == []
    assert warnings[0] == warnings[1]
