"""Time from opening the home page to the first search results, and bytes downloaded, in headless Chromium.

    python benchmarks/search_latency.py SITE_DIR [--query "demand forecast"] [--runs 3] [--warm-query chrun]

Serves SITE_DIR on 127.0.0.1, opens the home page in a fresh browser context
(empty cache), types the query into Material's search box (`.md-search__input`,
whichever engine drives it) and waits for the first result. The time is taken
in the page: from navigation start to the moment the first result is put in
the list (a MutationObserver), so Playwright's polling does not blur it.
Bytes and requests are counted by the server, so those made by Pagefind's
web worker are included; files are served as stored (Pagefind's are already
compressed, HTML, CSS and JS are not), and also as a compressing host (every
static host we document) would send them: gzip -6 of each body. Prints
medians over the runs.

Then, on that warm page (the index or Pagefind's shards for the first query
loaded), the box is cleared and `--warm-query` (the same query by default) is
typed at 20 ms a key; the time is from the last keystroke to the first change
of the result list after it ("first results"), and to its last change
("settled", once nothing has changed for a second).
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import statistics
import threading
from dataclasses import dataclass
from pathlib import Path

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]


class Counting(http.server.SimpleHTTPRequestHandler):
    """Serves the site and counts what it sends (including Pagefind's web worker's requests)."""

    served = {"bytes": 0, "gzip": 0, "requests": 0}

    def log_message(self, *args) -> None:
        pass

    def copyfile(self, source, destination) -> None:  # type: ignore[override]
        data = source.read()
        Counting.served["bytes"] += len(data)
        # As a compressing host sends it (Pagefind's files are compressed already, so they stay their size).
        Counting.served["gzip"] += min(len(data), len(gzip.compress(data, 6)))
        Counting.served["requests"] += 1
        destination.write(data)


# Records when the first search result enters the list, in ms since navigation start; and, for the warm
# measure, the last keystroke and every change of the list after it.
FIRST_RESULT = """
window.__hubgenFirstResult = null;
window.__hubgenLastKey = null;
window.__hubgenChanges = [];
document.addEventListener("input", () => { window.__hubgenLastKey = performance.now(); window.__hubgenChanges = []; }, true);
document.addEventListener("DOMContentLoaded", () => {
  const list = document.querySelector(".md-search-result__list");
  if (!list) return;
  new MutationObserver(() => {
    const now = performance.now();
    if (window.__hubgenFirstResult === null && list.querySelector(".md-search-result__item")) {
      window.__hubgenFirstResult = now;
    }
    if (window.__hubgenLastKey !== null && list.querySelector(".md-search-result__item")) {
      window.__hubgenChanges.push(now - window.__hubgenLastKey);
    }
  }).observe(list, {childList: true, subtree: true});
});
"""


@dataclass
class Figures:
    seconds: float  # navigation start to the first result, empty cache
    size: int  # bytes as served (HTML, CSS and JS uncompressed)
    gzip_size: int  # as a compressing host sends them
    requests: int
    warm_first_ms: float  # last keystroke to the first change of the list, on the warm page
    warm_settled_ms: float  # last keystroke to the list's last change


def measure(site: Path, query: str, runs: int, warm_query: str) -> Figures:
    from playwright.sync_api import sync_playwright

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Counting, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    times, sizes, gzipped, counts, firsts, settled = [], [], [], [], [], []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            for _ in range(runs):
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                page = context.new_page()
                page.add_init_script(FIRST_RESULT)
                Counting.served.update(bytes=0, gzip=0, requests=0)
                page.goto(url)
                box = page.locator(".md-search__input")
                box.click()
                box.press_sequentially(query)
                page.wait_for_function("window.__hubgenFirstResult !== null", timeout=60_000)
                times.append(page.evaluate("window.__hubgenFirstResult") / 1000)
                page.wait_for_timeout(300)  # let in-flight fragment requests land in the count
                sizes.append(Counting.served["bytes"])
                gzipped.append(Counting.served["gzip"])
                counts.append(Counting.served["requests"])
                page.wait_for_timeout(1500)  # the filters and term lists finish loading: the page is warm
                box.fill("")
                page.wait_for_timeout(500)
                box.press_sequentially(warm_query, delay=20)
                page.wait_for_function(
                    "window.__hubgenChanges.length && performance.now() - window.__hubgenLastKey"
                    " - window.__hubgenChanges[window.__hubgenChanges.length - 1] > 1000",
                    timeout=60_000,
                )
                changes = page.evaluate("window.__hubgenChanges")
                firsts.append(changes[0])
                settled.append(changes[-1])
                context.close()
            browser.close()
    finally:
        server.shutdown()
    return Figures(
        statistics.median(times),
        int(statistics.median(sizes)),
        int(statistics.median(gzipped)),
        int(statistics.median(counts)),
        statistics.median(firsts),
        statistics.median(settled),
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("site", type=Path)
    ap.add_argument("--query", default="demand forecast")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--warm-query", help="typed on the warm page (default: --query)")
    args = ap.parse_args()
    warm = args.warm_query or args.query
    f = measure(args.site, args.query, args.runs, warm)
    engine = "pagefind" if (args.site / "pagefind").is_dir() else "material"
    print(
        f"{args.site}: engine {engine}, '{args.query}': first results in {f.seconds:.2f} s from navigation, "
        f"{f.size / 1e6:.2f} MB downloaded as served ({f.gzip_size / 1e6:.2f} MB gzipped) in {f.requests} requests; warm page, '{warm}': first results "
        f"{f.warm_first_ms:.0f} ms after the last keystroke, settled {f.warm_settled_ms:.0f} ms "
        f"(median of {args.runs})"
    )


if __name__ == "__main__":
    main()
