"""The author's edit loop: how long after saving a record `hubgen serve` shows the change.

Generates a hub (or reuses one), starts `hubgen serve`, waits for the first
build, then three times edits one project's title and polls the project's
page until the new title is served: the seconds from the save to the page,
watcher, rebuild and swap included. Prints each, the median, and the rebuild
times `hubgen serve` reported.

    python benchmarks/edit_loop.py [--projects 1000] [--workdir /tmp/hubgen-edit-loop]
"""

from __future__ import annotations

import argparse
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate_hub import generate  # noqa: E402

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", "replace")
    except OSError:
        return ""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--projects", type=int, default=1000)
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/hubgen-edit-loop"))
    ap.add_argument("--timeout", type=float, default=600.0)
    args = ap.parse_args()
    hub = args.workdir / f"hub-{args.projects}"
    if not (hub / "mkdocs.yml").exists():
        generate(hub, args.projects)
    port = free_port()
    log: list[str] = []
    proc = subprocess.Popen(
        [str(BIN / "hubgen"), "serve", "--repo", str(hub), "--dev-addr", f"127.0.0.1:{port}"],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )
    assert proc.stderr is not None
    reader = threading.Thread(target=lambda: log.extend(iter(proc.stderr.readline, "")), daemon=True)  # type: ignore[union-attr]
    reader.start()
    try:
        started = time.monotonic()
        while not any("serving http" in line for line in log):
            if proc.poll() is not None or time.monotonic() - started > args.timeout:
                raise SystemExit("hubgen serve did not start:\n" + "".join(log))
            time.sleep(0.2)
        print(f"first build and start: {time.monotonic() - started:.1f} s")
        project = sorted((hub / "content" / "projects").glob("*/project.yml"))[0]
        url = f"http://127.0.0.1:{port}/projects/{project.parent.name}/"
        times = []
        for i in range(3):
            title = f"Edited title {i} {time.time_ns()}"
            text = re.sub(r"(?m)^title: .*$", f"title: {title}", project.read_text(), count=1)
            time.sleep(1.0)  # a quiet moment, as between an author's saves
            saved = time.monotonic()
            project.write_text(text)
            while title not in fetch(url):
                if time.monotonic() - saved > args.timeout:
                    raise SystemExit("the edit never reached the served page:\n" + "".join(log[-20:]))
                time.sleep(0.05)
            times.append(time.monotonic() - saved)
            print(f"edit {i + 1}: title served {times[-1]:.2f} s after the save")
        print(f"median: {sorted(times)[1]:.2f} s ({args.projects:,} projects)")
        said = [
            line.strip().removeprefix("hubgen serve: ") for line in log if "rebuilt in" in line or "showing" in line
        ]
        print("hubgen serve said:\n  " + "\n  ".join(said))
    finally:
        proc.terminate()
        proc.wait(timeout=30)


if __name__ == "__main__":
    main()
