"""P@1 and MRR of `hubgen search` (and optionally the site in Chromium) on the judged queries.

    python benchmarks/search_quality.py                    # CLI: example hub and a generated hub
    python benchmarks/search_quality.py --site SITE --hub example   # the built site's search box

A query counts as answered at rank r when the first of its relevant records is r-th (only the
first 10 results count); P@1 is the share answered at rank 1, MRR the mean of 1/r.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from hubgen import urls
from hubgen.pipeline import ensure_search_index
from hubgen.search import fulltext, index_state

JUDGED = Path(__file__).with_name("search_judged.yml")


def score(ranks: list[int | None]) -> tuple[float, float]:
    p1 = sum(r == 1 for r in ranks) / len(ranks)
    mrr = sum(1 / r for r in ranks if r) / len(ranks)
    return p1, mrr


def cli_ranks(repo: Path, queries: list[dict]) -> list[int | None]:
    ensure_search_index(repo, "internal")
    index = index_state.index_dir(repo, "internal")
    out = []
    for q in queries:
        hits, _ = fulltext.search(index, q["query"], limit=10)
        keys = [f"{h.kind}/{h.key}" for h in hits]
        out.append(next((i + 1 for i, k in enumerate(keys) if k in q["relevant"]), None))
    return out


def site_ranks(site: Path, queries: list[dict]) -> list[int | None]:
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import serve

    out: list[int | None] = []
    with serve(site) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        page.goto(base + "projects/")
        for q in queries:
            wanted = ["/" + urls.url(*r.split("/", 1)) for r in q["relevant"]]
            box = page.locator(".md-search__input")
            box.fill(q["query"])
            box.press("End")
            page.wait_for_timeout(900)
            paths = page.evaluate(
                "() => [...new Set([...document.querySelectorAll('.md-search-result__item "
                "a.md-search-result__link')].map(a => new URL(a.href).pathname.replace(/#.*/, '')))]"
            )
            out.append(next((i + 1 for i, path in enumerate(paths[:10]) if path in wanted), None))
        browser.close()
    return out


def report(name: str, queries: list[dict], ranks: list[int | None]) -> None:
    p1, mrr = score(ranks)
    print(
        f"{name}: {len(queries)} queries  P@1 {p1:.2f}  MRR {mrr:.2f}  in top 3 {sum(bool(r and r <= 3) for r in ranks)}"
    )
    for q, r in zip(queries, ranks):
        if r != 1:
            print(f"   rank {r}: {q['query']!r} ({q['type']})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="a built site to query in Chromium instead of the CLI")
    parser.add_argument("--hub", choices=("example", "generated"), default="example")
    args = parser.parse_args()
    judged = yaml.safe_load(JUDGED.read_text())
    if args.site:
        report(f"site {args.hub}", judged[args.hub], site_ranks(args.site, judged[args.hub]))
        return
    with tempfile.TemporaryDirectory() as tmp:
        example = Path(tmp) / "example"
        shutil.copytree(ROOT / "content", example / "content")
        report("cli example", judged["example"], cli_ranks(example, judged["example"]))
        from benchmarks.generate_hub import generate

        generated = Path(tmp) / "generated"
        generate(generated, 40, seed=3)
        report("cli generated", judged["generated"], cli_ranks(generated, judged["generated"]))


if __name__ == "__main__":
    main()
