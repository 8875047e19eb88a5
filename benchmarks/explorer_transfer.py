"""The lineage explorer at scale: what opening it downloads and how soon the first graph shows, in Chromium.

    python benchmarks/explorer_transfer.py --projects 10000 [--runs 5] [--workdir /tmp/hubgen-explorer-bench]

Generates a hub of N projects (benchmarks/generate_hub.py), builds it with
`hubgen build` (skipped when the site is already there), serves it on
127.0.0.1 and opens, in a fresh browser context each run (empty cache), the
asset page with the most direct consumers (the explorer's worst first view)
and a typical one (the median asset by consumers). Prints, median over the
runs:

- explorer transfer: every request the explorer makes (explorer.js, the
  vendored Cytoscape.js, the fragments), as served (uncompressed) and as a
  compressing host would send it (gzip -6 of each body);
- first graph: from the explorer's start to the first drawing laid out
  (`data-first-graph-ms`), and from navigation start to that moment;
- one expansion: the fragment fetched to expand a neighbour downstream.

The most consumed asset is measured on its page and on the full-screen view
(`lineage/?node=`), which has no Mermaid diagram: on an entity page the
browser runs the vendored Mermaid (3 MB) before the explorer's script.

The page itself (HTML, Material's CSS and JS) is the same with or without the
explorer and is printed apart.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import statistics
import subprocess
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
EXPLORER = ("assets/hubgen/explorer.js", "assets/hubgen/cytoscape.min.js", "api/lineage/")


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def build(n: int, workdir: Path) -> Path:
    sys.path.insert(0, str(ROOT))
    from benchmarks.generate_hub import generate

    hub, site = workdir / f"hub-{n}", workdir / f"site-{n}"
    if (site / "api/lineage").is_dir():
        return site
    generate(hub, n)
    subprocess.run(
        [sys.executable, "-m", "hubgen", "build", "--repo", str(hub), "--site-dir", str(site)],
        check=True,
        env={**os.environ, "SOURCE_DATE_EPOCH": "1764547200"},
    )
    return site


def pages_to_open(site: Path) -> dict[str, dict]:
    """The asset with the most direct consumers, and the median one (by its fragment)."""
    assets = []
    for path in (site / "api/lineage").rglob("*.json"):
        f = json.loads(path.read_text())
        if f["node"]["kind"] not in ("project", "job") and f["node"]["url"]:
            assets.append((f["down_total"], f["node"]["key"], f))
    assets.sort(key=lambda t: (t[0], t[1]))
    return {"most consumed": assets[-1][2], "median": assets[len(assets) // 2][2]}


def measure(base: str, fragment: dict, runs: int, full: bool = False) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    out: dict[str, list[float]] = {
        k: [] for k in ("raw", "gzip", "requests", "page_raw", "start_ms", "nav_ms", "expand_raw", "expand_gzip")
    }
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for _ in range(runs):
            context = browser.new_context(viewport={"width": 1440, "height": 900})
            page = context.new_page()
            bodies: dict[str, bytes] = {}
            page.on("response", lambda r, into=bodies: into.__setitem__(r.url, r.body()) if r.ok else None)
            page.goto(
                base + ("lineage/?node=" + fragment["node"]["key"] if full else fragment["node"]["url"]),
                wait_until="load",
            )
            page.wait_for_function("() => document.querySelector('.hub-explorer')?.dataset.state")
            state = page.evaluate("""() => { const b = document.querySelector('.hub-explorer');
                return {state: b.dataset.state, ms: +b.dataset.firstGraphMs,
                        nav: performance.getEntriesByName('hub-explorer-first-graph')[0].startTime}; }""")
            assert state["state"] == "ready", state
            page.wait_for_load_state("networkidle")
            mine = {u: b for u, b in bodies.items() if any(p in u for p in EXPLORER)}
            out["raw"].append(sum(len(b) for b in mine.values()))
            out["gzip"].append(sum(len(gzip.compress(b, 6)) for b in mine.values()))
            out["requests"].append(len(mine))
            out["page_raw"].append(sum(len(b) for u, b in bodies.items() if u not in mine))
            out["start_ms"].append(state["ms"])
            out["nav_ms"].append(state["nav"])
            expandable = [s for s in fragment["down"] if s["down"]]
            if expandable:
                before = set(bodies)
                page.locator(f'li[data-key="{expandable[0]["key"]}"] button[data-side="down"]').click()
                page.wait_for_load_state("networkidle")
                page.wait_for_timeout(200)
                new = [bodies[u] for u in set(bodies) - before if "api/lineage/" in u]
                out["expand_raw"].append(sum(len(b) for b in new))
                out["expand_gzip"].append(sum(len(gzip.compress(b, 6)) for b in new))
            context.close()
        browser.close()
    return {k: statistics.median(v) for k, v in out.items() if v}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--projects", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/hubgen-explorer-bench"))
    args = ap.parse_args()
    site = build(args.projects, args.workdir)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    fragments = list((site / "api/lineage").rglob("*.json"))
    sizes = sorted(p.stat().st_size for p in fragments)
    print(
        f"{args.projects} projects: {len(fragments)} fragments, median {sizes[len(sizes) // 2]:,} B, "
        f"largest {sizes[-1]:,} B"
    )
    chosen = pages_to_open(site)
    views = [(f"{name}, on its page", f, False) for name, f in chosen.items()]
    views.append(("most consumed, full screen", chosen["most consumed"], True))
    for name, fragment, full in views:
        m = measure(base, fragment, args.runs, full)
        print(
            f"{name} ({fragment['node']['key']}, {fragment['down_total']} consumers): "
            f"explorer transfer {m['raw'] / 1024:.0f} KB as served, {m['gzip'] / 1024:.0f} KB gzipped, "
            f"{m['requests']:.0f} requests; first graph {m['start_ms']:.0f} ms after the explorer starts, "
            f"{m['nav_ms']:.0f} ms after navigation; page without the explorer {m['page_raw'] / 1024:.0f} KB"
            + (
                f"; one expansion {m['expand_raw'] / 1024:.1f} KB ({m['expand_gzip'] / 1024:.1f} KB gzipped)"
                if "expand_raw" in m
                else ""
            )
        )
    server.shutdown()


if __name__ == "__main__":
    main()
