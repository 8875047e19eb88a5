"""Rendered pages: metadata escaped, bodies sanitised, links relative and stable."""

from __future__ import annotations

import json
from html.parser import HTMLParser

from hubgen import urls
from hubgen.cli import main
from hubgen.render.markup import body_html, md_text
from tests.conftest import project_yml


class _ActiveContent(HTMLParser):
    """Collects what a browser would run: payload scripts, on* handlers, javascript: URLs."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self.in_script = False

    def handle_starttag(self, tag, attrs):
        self.in_script = tag == "script"
        for name, value in attrs:
            if name.startswith("on") or (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"<{tag} {name}={value}>")

    def handle_data(self, data):
        if self.in_script and "pwned" in data:
            self.found.append(f"script: {data[:60]}")

    def handle_endtag(self, tag):
        self.in_script = False


def active_content(html: str) -> list[str]:
    parser = _ActiveContent()
    parser.feed(html)
    return parser.found


PAYLOAD = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">'


def test_markdown_body_is_sanitised():
    html = body_html(
        "# Title\n\nText <script>alert(1)</script> [x](javascript:alert(1)) "
        '<a href="https://ok.example" onclick="bad()">ok</a>'
    )
    assert "<script" not in html and "javascript:" not in html and "onclick" not in html
    assert '<h3 id="user-content-title">Title</h3>' in html  # below the page's own headings; ids prefixed
    assert 'href="https://ok.example"' in html


def test_metadata_is_escaped_for_markdown():
    text = md_text("[click](javascript:alert(1)) <b>bold</b> *x*")
    assert "<b>" not in text and "&lt;b&gt;" in text
    assert "\\[click\\]\\(javascript:alert\\(1\\)\\)" in text


def test_relative_urls():
    assert urls.relative("projects/a/", "people/ana/") == "../../people/ana/"
    assert urls.relative("", "projects/") == "projects/"
    assert urls.relative("projects/", "projects/") == "./"
    assert urls.url("asset", "dataset:crm") == "assets/dataset/crm/"
    assert urls.url("discussion", "churn/choice") == "discussions/churn/choice/"


def test_hostile_text_is_inert_in_the_built_site(make_hub, tmp_path):
    title = f"Churn {PAYLOAD}"
    root = make_hub(
        **{
            "content/projects/churn/project.yml": project_yml(
                title=json.dumps(title), summary=json.dumps(PAYLOAD), extra=f"tags: [{json.dumps(PAYLOAD)}]\n"
            ),
            "content/projects/churn/README.md": f"# Notes\n\n{PAYLOAD}\n\n[x](javascript:alert(1))\n",
        }
    )
    site = tmp_path / "site"
    assert main(["build", "--repo", str(root), "--site-dir", str(site)]) == 0
    page = (site / "projects/churn/index.html").read_text()
    assert active_content(page) == []
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in page  # shown as text, not dropped


def test_free_form_values_render_as_fields_never_as_yaml():
    from hubgen.render.pages import readable

    out = str(
        readable(
            {
                "psi_max": 0.15,
                "band": [0.9, 1.1],
                "page": {"service": "data-platform", "on": True},
                "channels": [{"slack": "#a"}, "*b*"],
            }
        )
    )
    assert '<th scope="row">psi max</th><td>0.15</td>' in out
    assert "<td>0.9, 1.1</td>" in out
    assert '<th scope="row">service</th><td>data-platform</td>' in out and "<td>yes</td>" in out
    assert "<ul><li>" in out and "&#42;b&#42;" in out  # Markdown syntax stays literal
    assert "..." not in out and "'" not in out and "\n" not in out
    assert str(readable("'#crm-models'".strip("'"))) == "&#35;crm-models"
