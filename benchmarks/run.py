"""Build synthetic hubs and print where the time and bytes go.

For each size: wall time and peak memory of `hubgen build` (cold cache, warm
rebuild with nothing changed, then after each edit in benchmarks/edits.py: a
project's title, a person's name, a lineage edge, a deleted project; memory as the largest process and as all processes together,
Pagefind and workers included, by PSS), pages, site bytes and bytes per page,
search index bytes, and the floor: a plain `mkdocs build` of the same
generated Markdown tree with no hubgen work. At the largest size also
`hubgen check` time and `hubgen search` latency (process start included):
the first query, then the median of three.

    python benchmarks/run.py [--sizes 1000 10000] [--workdir /tmp/hubgen-bench]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from edits import EDITS  # noqa: E402
from generate_hub import generate  # noqa: E402

BIN = Path(sys.executable).parent


@dataclass
class Run:
    seconds: float
    peak_mb: float  # the largest single process (wait4's maxrss)
    returncode: int
    tree_peak_mb: float = 0.0  # the whole process tree at its peak: what the machine must have


def _children() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            kids.setdefault(ppid, []).append(int(entry))
    return kids


def _pss_kb(pid: int) -> int:
    """Proportional set size: memory shared by forked workers counts once, split between them."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_memory_mb(pid: int) -> float:
    kids, total, stack = _children(), 0, [pid]
    while stack:
        current = stack.pop()
        total += _pss_kb(current)
        stack += kids.get(current, [])
    return total / 1024


def timed(cmd: list[str], cwd: Path | None = None, ok_codes: tuple[int, ...] = ()) -> Run:
    """Wall time and peak memory of one child process and everything it starts."""
    with tempfile.TemporaryFile() as err:  # a file, not a pipe: a chatty child cannot block on it
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=err)
        peak = [0.0]
        done = threading.Event()

        def sample() -> None:  # every 0.2 s: Pagefind and the index worker are separate processes
            while not done.is_set():
                peak[0] = max(peak[0], tree_memory_mb(proc.pid))
                done.wait(0.2)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        done.set()
        sampler.join()
        err.seek(0)
        stderr = err.read().decode(errors="replace")
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, *ok_codes):
        raise RuntimeError(f"{' '.join(cmd)} exited {code}:\n{stderr[-2000:]}")
    return Run(seconds, usage.ru_maxrss / 1024, code, max(peak[0], usage.ru_maxrss / 1024))


def tree_bytes(path: Path) -> tuple[int, int]:
    """(total bytes, HTML pages) under path."""
    total = pages = 0
    for dirpath, _, files in os.walk(path):
        for name in files:
            total += (Path(dirpath) / name).stat().st_size
            pages += name.endswith(".html")
    return total, pages


def search_index_bytes(site: Path) -> int:
    total = 0
    for candidate in (site / "search" / "search_index.json", site / "pagefind"):
        if candidate.is_file():
            total += candidate.stat().st_size
        elif candidate.is_dir():
            total += tree_bytes(candidate)[0]
    return total


def bench(n: int, workdir: Path, extra: bool, edits: bool = True) -> dict[str, float]:
    hub = workdir / f"hub-{n}"
    print(f"\n== {n:,} projects ==")
    t0 = time.perf_counter()
    generate(hub, n)
    print(f"generated in {time.perf_counter() - t0:.1f} s")
    site = workdir / f"site-{n}"
    shutil.rmtree(hub / ".hubgen-cache", ignore_errors=True)
    cold = timed([str(BIN / "hubgen"), "build", "--repo", str(hub), "--site-dir", str(site)])
    warm = timed([str(BIN / "hubgen"), "build", "--repo", str(hub), "--site-dir", str(site)])
    size, pages = tree_bytes(site)
    edited = {}
    for name, edit in EDITS.items() if edits else ():  # each edit, then the build that shows it (the page cache warm)
        edit(hub)
        edited[f"edit_{name}_s"] = timed([str(BIN / "hubgen"), "build", "--repo", str(hub), "--site-dir", str(site)])
    tree = workdir / f"tree-{n}"
    timed([str(BIN / "hubgen"), "generate", "--repo", str(hub), str(tree)])
    floor = timed(
        [str(BIN / "mkdocs"), "build", "-q", "-f", str(tree / "mkdocs.yml"), "-d", str(workdir / f"floor-{n}")]
    )
    row = {
        "projects": n,
        "build_s": cold.seconds,
        "rebuild_s": warm.seconds,
        **{name: run.seconds for name, run in edited.items()},
        "peak_mb": max(cold.peak_mb, warm.peak_mb, *(r.peak_mb for r in edited.values())),
        "tree_peak_mb": max(cold.tree_peak_mb, warm.tree_peak_mb, *(r.tree_peak_mb for r in edited.values())),
        "floor_peak_mb": floor.tree_peak_mb,
        "pages": pages,
        "site_mb": size / 1e6,
        "bytes_per_page": size / max(pages, 1),
        "s_per_page": cold.seconds / max(pages, 1),
        "search_index_mb": search_index_bytes(site) / 1e6,
        "floor_s": floor.seconds,
        "ratio_to_floor": cold.seconds / floor.seconds if floor.seconds else float("nan"),
    }
    if extra:
        row["check_s"] = timed([str(BIN / "hubgen"), "check", "--repo", str(hub)]).seconds
        # The first query after two large builds meets a cold file cache (the freshness check stats
        # every content file): reported apart; the target is the median of the three after it.
        search = [str(BIN / "hubgen"), "search", "--repo", str(hub)]
        row["search_first_s"] = timed([*search, "model drift"], ok_codes=(1,)).seconds
        searches = [
            timed([*search, q], ok_codes=(1,)).seconds
            for q in ("demand forecast", "fraud graph features", "churn uplift")
        ]
        row["search_s"] = sorted(searches)[1]
    for key, value in row.items():
        print(f"  {key:<16} {value:,.3f}" if isinstance(value, float) else f"  {key:<16} {value:,}")
    return row


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/hubgen-bench"))
    args = ap.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    rows = [bench(n, args.workdir, n == max(args.sizes)) for n in args.sizes]
    if len(rows) > 1:
        small, large = rows[0], rows[-1]
        print("\n== linearity (largest vs smallest) ==")
        print(f"  bytes/page ratio   {large['bytes_per_page'] / small['bytes_per_page']:.2f}  (target <= 1.2)")
        print(f"  seconds/page ratio {large['s_per_page'] / small['s_per_page']:.2f}  (target <= 1.2)")
        print(f"  build vs floor     {large['ratio_to_floor']:.2f}  (target <= 1.3)")
        print(f"  peak memory        {large['tree_peak_mb']:.0f} MB, all processes  (target < 2048)")


if __name__ == "__main__":
    main()
