"""Time from opening the home page to the first search results, and bytes downloaded, in headless Chromium.

    python benchmarks/search_latency.py SITE_DIR [--query "demand forecast"] [--runs 3]

Serves SITE_DIR on 127.0.0.1, opens the home page in a fresh browser context
(empty cache), types the query into Material's search box (`.md-search__input`,
whichever engine drives it) and waits for the first result. Prints the median
time and the bytes transferred (Chrome's encoded data length, all requests).
"""

from __future__ import annotations

import argparse
import functools
import http.server
import statistics
import threading
import time
from pathlib import Path

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update"]


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def measure(site: Path, query: str, runs: int) -> tuple[float, int, int]:
    from playwright.sync_api import sync_playwright

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    times, sizes, counts = [], [], []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            for _ in range(runs):
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                page = context.new_page()
                cdp = context.new_cdp_session(page)
                cdp.send("Network.enable")
                transferred = {"bytes": 0, "requests": 0}

                def finished(event: dict) -> None:
                    transferred["bytes"] += int(event.get("encodedDataLength", 0))
                    transferred["requests"] += 1

                cdp.on("Network.loadingFinished", finished)
                start = time.perf_counter()
                page.goto(url)
                box = page.locator(".md-search__input")
                box.click()
                box.press_sequentially(query)
                page.locator(".md-search-result__item").first.wait_for(state="visible", timeout=60_000)
                times.append(time.perf_counter() - start)
                page.wait_for_timeout(300)  # let in-flight fragment requests land in the count
                sizes.append(transferred["bytes"])
                counts.append(transferred["requests"])
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
    print(f"{args.site}: engine {engine}, first results in {seconds:.2f} s, "
          f"{size / 1e6:.2f} MB downloaded in {requests} requests (median of {args.runs})")


if __name__ == "__main__":
    main()
