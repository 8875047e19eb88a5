"""Broken and hostile hub repositories, each with the exact message a user must see.

Each case is a valid base hub (two people, two projects) plus the files that
break or attack it. `expect` lists problem lines exactly as `hubgen check`
prints them; `projects` is how many projects must still be built.
Large or binary files are produced by code here rather than committed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

PAYLOAD = (
    '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">'
    "*x*{: tabindex=1 autofocus onfocus=window.__pwned=11 }"
)  # the last: attr_list syntax
JS_LINK = "[click me](javascript:window.__pwned=3)"

BASE: dict[str, str | bytes] = {
    "mkdocs.yml": "site_name: Hostile\ndocs_dir: docs\ntheme:\n  name: material\nplugins:\n  - search\n  - hubgen\n",
    "docs/about.md": "# About\n",
    "content/people/ana.yml": "name: Ana Silva\nteam: risk\n",
    "content/people/ben.yml": "name: Ben Okafor\nteam: marketing\n",
    "content/projects/alpha/project.yml": (
        "title: Alpha\nsummary: First.\nstatus: delivered\npeople:\n  - {person: ana, role: lead}\n"
    ),
    "content/projects/beta/project.yml": (
        "title: Beta\nsummary: Second.\nstatus: active\nstage: data\npeople:\n  - {person: ben, role: lead}\n"
    ),
}

P = "content/projects/gamma/project.yml"


def gamma(body: str) -> dict[str, str | bytes]:
    return {P: body}


def nested(depth: int) -> str:
    return "title: Deep\nsummary: " + "[" * depth + "x" + "]" * depth + "\n"


BOMB = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
title: Bomb
"""

HOSTILE_PROJECT = f"""\
title: {PAYLOAD!r}
summary: {(PAYLOAD + " " + JS_LINK)!r}
status: active
stage: research
team: {PAYLOAD!r}
domains: [{PAYLOAD!r}]
tags: [{PAYLOAD!r}]
tools: [{PAYLOAD!r}]
problem: {PAYLOAD!r}
objective: {JS_LINK!r}
kpis:
  - {{name: {PAYLOAD!r}, target: {PAYLOAD!r}, unit: {PAYLOAD!r}}}
roi: {{estimated: 1, currency: {PAYLOAD!r}, basis: {PAYLOAD!r}}}
risks: [{PAYLOAD!r}]
stakeholders: [{PAYLOAD!r}]
prior_art: ["javascript:window.__pwned=4"]
timeline:
  - {{date: 2025-01-01, milestone: {PAYLOAD!r}}}
deliverable: {{type: app, url: "javascript:window.__pwned=5"}}
consumers:
  - {{name: {PAYLOAD!r}, kind: app, users: 3}}
links: {{code: "javascript:window.__pwned=6", docs: {PAYLOAD!r}}}
monitoring: {{plan: {PAYLOAD!r}, thresholds: {PAYLOAD!r}}}
people:
  - {{person: ana, role: lead}}
custom_field: {PAYLOAD!r}
"""

HOSTILE_BODY = f"""
# Heading {PAYLOAD}

{PAYLOAD}

{JS_LINK}

<a href="javascript:window.__pwned=7">raw link</a>
<iframe src="javascript:window.__pwned=8"></iframe>
<div onclick="window.__pwned=9" style="background:url(javascript:x)">div</div>
<svg onload="window.__pwned=10"></svg>
<p id="__config">{{"base":"http://127.0.0.2:9/","features":[],"search":"http://127.0.0.2:9/x.js"}}</p>
<pre class="mermaid diagram">graph LR; a-->b</pre>
"""


@dataclass
class Case:
    name: str
    files: dict[str, str | bytes]
    expect: list[str]
    projects: int = 2  # projects that must still be built
    big_file: tuple[str, int] | None = None  # (path, bytes) written sparse at run time
    symlink: tuple[str, str] | None = None  # (path in repo, target outside)
    notes: str = ""
    extra: dict[str, object] = field(default_factory=dict)


CASES: list[Case] = [
    Case(
        "malformed-yaml",
        gamma("title: Gamma\nsummary: [unclosed\nstatus: active\n"),
        [f"{P}:3: invalid YAML: did not find expected ',' or ']' (fix the YAML syntax on this line)"],
    ),
    Case(
        "tabs",
        gamma("title: Gamma\nsummary: S\nstatus: delivered\npeople:\n\t- {person: ana, role: lead}\n"),
        [
            f"{P}:5: invalid YAML: found character that cannot start any token "
            "(YAML indentation must use spaces, not tabs)"
        ],
    ),
    Case(
        "duplicate-keys",
        gamma(
            "title: Gamma\ntitle: Gamma again\nsummary: S\nstatus: delivered\npeople:\n  - {person: ana, role: lead}\n"
        ),
        [f"{P}:2: duplicate key 'title' (first at line 1): the first (line 1) is used (keep one of them)"],
        projects=3,
    ),
    Case(
        "wrong-types",
        gamma(
            "title: Gamma\nsummary: S\nstatus: delivered\nstarted: 12\ntags: {a: 1}\n"
            "people:\n  - {person: ana, role: lead}\n"
        ),
        [
            f"{P}:4: 'started' must be a date (YYYY-MM-DD), not a number (12) "
            "(write dates as YYYY-MM-DD, e.g. 2025-03-14)",
            f"{P}:5: 'tags' must be a list of text, not a mapping (start each item on its own line with '- ')",
        ],
        projects=3,
    ),
    Case(
        "list-instead-of-mapping",
        gamma("- title: Gamma\n- summary: S\n"),
        [
            f"{P}:1: the file must be a mapping (project), not a list "
            "(write it as 'key: value' lines (title, summary, status, stage, team, domains, tags, tools, people, "
            "started, ended, stage_history, problem, objective, kpis, roi, data_sources, risks, stakeholders, "
            "prior_art, timeline, deliverable, consumers, links, monitoring, last_used, visibility))"
        ],
    ),
    Case("empty-file", gamma(""), [f"{P}:1: file is empty (fill in at least: title, summary, status, people)"]),
    Case(
        "binary-file",
        gamma(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 10),
        [f"{P}: binary file where a text file was expected (remove it or save it as UTF-8 text)"],
    ),
    Case(
        "invalid-utf8",
        gamma(b"title: Gamma\nsummary: caf\xe9\nstatus: delivered\n"),
        [f"{P}:2: not valid UTF-8 (byte 0xe9 at offset 25) (save the file as UTF-8)"],
    ),
    Case(
        "bom",
        gamma("\ufefftitle: Gamma\nsummary: S\nstatus: delivered\npeople:\n  - {person: ana, role: lead}\n"),
        [],
        projects=3,
        notes="a byte-order mark is harmless: the record is built",
    ),
    Case(
        "fifty-megabytes",
        {},
        [
            f"{P}: file is 52.4 MB, over the 2 MB limit "
            "(hub records are small text files; move large data elsewhere and link to it)"
        ],
        big_file=(P, 50 * 1024 * 1024),
    ),
    Case(
        "billion-laughs",
        gamma(BOMB),
        [
            f"{P}:1: YAML too large to read: more than 100000 values (an alias bomb or a generated file?) "
            "(remove the anchors/aliases or split the file)"
        ],
    ),
    Case(
        "deep-nesting",
        gamma(nested(5000)),  # libyaml's own depth bound catches this one
        [
            f"{P}:2: YAML too large to read: nested deeper than 64 levels "
            "(flatten the nested lists and mappings: hub records need only a few levels)"
        ],
    ),
    Case(
        "deep-nesting-under-libyaml-bound",
        gamma(nested(100)),  # hubgen's bound catches this one
        [
            f"{P}:2: YAML too large to read: nested deeper than 64 levels "
            "(flatten the nested lists and mappings: hub records need only a few levels)"
        ],
    ),
    Case(
        "symlink-outside",
        {},
        [
            "content/people/evil.yml: symbolic link points outside the repository; not read "
            "(copy the file into the repository instead of linking to it)"
        ],
        symlink=("content/people/evil.yml", "OUTSIDE_SECRET"),
    ),
    Case(
        "path-traversal-ids",
        {
            "content/null-results/nr.md": (
                "---\ntitle: T\ndate: 2025-01-01\nauthors: [ana]\nhypothesis: h\noutcome: o\n"
                "project: ../../etc/passwd\n---\nBody\n"
            ),
            "content/projects/alpha/lineage.yml": "consumes:\n  - dataset:../../secrets\n",
            "content/projects/..hidden/project.yml": "title: Hidden\n",
        },
        [
            "content/null-results/nr.md:7: 'project' is '../../etc/passwd', which is not a valid project id "
            "(ids use lowercase letters, digits, '.', '_' and '-', starting with a letter or digit)",
            "content/projects/alpha/lineage.yml:2: '../../secrets' in 'dataset:../../secrets' is not a valid id "
            "(ids use lowercase letters, digits, '.', '_' and '-', starting with a letter or digit)",
        ],
    ),
    Case(
        "duplicate-ids",
        {
            "content/null-results/same.md": "---\ntitle: A\ndate: 2025-01-01\nauthors: [ana]\nhypothesis: h\noutcome: o\n---\n",
            "content/projects/alpha/null-results/same.md": (
                "---\ntitle: B\ndate: 2025-01-01\nauthors: [ana]\nhypothesis: h\noutcome: o\n---\n"
            ),
        },
        [
            "content/null-results/same.md: duplicate null result id 'same' "
            "(also content/projects/alpha/null-results/same.md); this one is not built "
            "(ids must be unique: rename one of the files)"
        ],
    ),
    Case(
        "unknown-role-and-status",
        gamma("title: Gamma\nsummary: S\nstatus: finished\npeople:\n  - {person: ana, role: owner}\n"),
        [
            f"{P}:3: 'status' is 'finished', which is not one of backlog, active, delivered, null-result, "
            "cancelled, retired (use one of: backlog, active, delivered, null-result, cancelled, retired)",
            f"{P}:5: 'people[0].role' is 'owner', which is not one of lead, contributor, reviewer, stakeholder, "
            "sponsor (use one of: lead, contributor, reviewer, stakeholder, sponsor)",
        ],
    ),
    Case(
        "future-and-impossible-dates",
        gamma(
            "title: Gamma\nsummary: S\nstatus: delivered\nstarted: 2024-02-30\n"
            "ended: 2099-01-01\npeople:\n  - {person: ana, role: lead}\n"
        ),
        [
            f"{P}:4: 'started' is '2024-02-30', which is not a real date (check the month (1-12) and the day of the month)",
            f"{P}:5: warning: 'ended' is 2099-01-01, which is in the future (check the year)",
        ],
        projects=3,
    ),
    Case(
        "missing-person",
        gamma("title: Gamma\nsummary: S\nstatus: delivered\npeople:\n  - {person: zoe, role: lead}\n"),
        [f"{P}:5: unknown person 'zoe' in 'people.person' (add content/people/zoe.yml)"],
        projects=3,
    ),
    Case(
        "lineage-cycle",
        {
            "content/projects/alpha/lineage.yml": "consumes:\n  - beta\n",
            "content/projects/beta/lineage.yml": "consumes:\n  - alpha\n",
        },
        ["content/projects/alpha/lineage.yml:2: lineage cycle: alpha → beta → alpha"],
    ),
    Case(
        "openlineage-truncated",
        {"content/lineage/run.json": '[{"eventType": "START", "job": {"name": "x"'},
        [
            "content/lineage/run.json:1: not valid JSON: Expecting ',' delimiter (truncated file?) "
            "(the file must be a JSON array of events, one event, or NDJSON named *.ndjson)"
        ],
    ),
    Case(
        "openlineage-not-events",
        {"content/lineage/run.json": '[1, "two", {"three": 3}]'},
        # issue 17: DatasetEvent and JobEvent are events too, so the message names what an event needs
        [
            "content/lineage/run.json:1: event 1 is not an OpenLineage event (not a JSON object) "
            "(each event is an object with job and/or dataset; skipped)"
        ],
    ),
    Case(
        "script-payload-everywhere",
        {
            P: HOSTILE_PROJECT,
            "content/projects/gamma/README.md": HOSTILE_BODY,
            "content/projects/gamma/null-results/nr-x.md": (
                f"---\ntitle: {PAYLOAD!r}\ndate: 2025-01-01\nauthors: [ana]\nhypothesis: {PAYLOAD!r}\n"
                f"outcome: {JS_LINK!r}\ntags: [{PAYLOAD!r}]\n---\n{HOSTILE_BODY}"
            ),
            "content/projects/gamma/discussions/d-x.md": (
                f"---\ntitle: {PAYLOAD!r}\ntopic: {PAYLOAD!r}\nstatus: decided\ndecision: {PAYLOAD!r}\n---\n"
                f"{HOSTILE_BODY}\n## @ana 2025-01-02\n{HOSTILE_BODY}\n"
            ),
            "content/people/eve.yml": (
                f"name: {PAYLOAD!r}\ntitle: {PAYLOAD!r}\nteam: {PAYLOAD!r}\nskills: [{PAYLOAD!r}]\njoined: 2025-01-01\n"
            ),
            "content/projects/gamma/lineage.yml": "produces:\n  - dataset:gamma-out\n",
            "content/projects/alpha/lineage.yml": "consumes:\n  - dataset:gamma-out\n",
            "content/assets/dataset/evil.yml": f"title: {PAYLOAD!r}\ndescription: {PAYLOAD!r}\nurl: 'javascript:x'\n",
            "content/hub.yml": f"name: {PAYLOAD!r}\ndescription: {PAYLOAD!r}\n",
        },
        [],
        projects=3,
        notes="every field and body carries a script; the site must render it as text",
    ),
]
