"""Time from opening the home page to the first search results, and bytes downloaded, in headless Chromium.

    python benchmarks/search_latency.py SITE_DIR [--query "demand forecast"] [--runs 3]

Serves SITE_DIR on 127.0.0.1, opens the home page in a fresh browser context
(empty cache), types the query into Material's search box (`.md-search__input`,
whichever engine drives it) and waits for the first result. The time is taken
in the page: from navigation start to the moment the first result is put in
the list (a MutationObserver), so Playwright's polling does not blur it.
Bytes and requests are counted by the server, so those made by Pagefind's
web worker are included; files are served as stored (Pagefind's are already
compressed, HTML, CSS and JS are not). Prints medians over the runs.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import statistics
import threading
from pathlib import Path

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]


class Counting(http.server.SimpleHTTPRequestHandler):
    """Serves the site and counts what it sends (including Pagefind's web worker's requests)."""

    served = {"bytes": 0, "requests": 0}

    def log_message(self, *args) -> None:
        pass

    def copyfile(self, source, destination) -> None:  # type: ignore[override]
        data = source.read()
        Counting.served["bytes"] += len(data)
        Counting.served["requests"] += 1
        destination.write(data)


# Records when the first search result enters the list, in ms since navigation start.
FIRST_RESULT = """
window.__hubgenFirstResult = null;
document.addEventListener("DOMContentLoaded", () => {
  const list = document.querySelector(".md-search-result__list");
  if (!list) return;
  new MutationObserver(() => {
    if (window.__hubgenFirstResult === null && list.querySelector(".md-search-result__item")) {
      window.__hubgenFirstResult = performance.now();
    }
  }).observe(list, {childList: true, subtree: true});
});
"""


def measure(site: Path, query: str, runs: int) -> tuple[float, int, int]:
    from playwright.sync_api import sync_playwright

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Counting, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    times, sizes, counts = [], [], []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            for _ in range(runs):
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                page = context.new_page()
                page.add_init_script(FIRST_RESULT)
                Counting.served.update(bytes=0, requests=0)
                page.goto(url)
                box = page.locator(".md-search__input")
                box.click()
                box.press_sequentially(query)
                page.wait_for_function("window.__hubgenFirstResult !== null", timeout=60_000)
                times.append(page.evaluate("window.__hubgenFirstResult") / 1000)
                page.wait_for_timeout(300)  # let in-flight fragment requests land in the count
                sizes.append(Counting.served["bytes"])
                counts.append(Counting.served["requests"])
                context.close()
            browser.close()
    finally:
        server.shutdown()
    return statistics.median(times), int(statistics.median(sizes)), int(statistics.median(counts))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("site", type=Path)
    ap.add_argument("--query", default="demand forecast")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    seconds, size, requests = measure(args.site, args.query, args.runs)
    engine = "pagefind" if (args.site / "pagefind").is_dir() else "material"
    print(
        f"{args.site}: engine {engine}, first results in {seconds:.2f} s, "
        f"{size / 1e6:.2f} MB downloaded in {requests} requests (median of {args.runs})"
    )


if __name__ == "__main__":
    main()
