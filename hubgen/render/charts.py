"""Portfolio charts: matplotlib at build time, SVG with a PNG fallback, light and dark.

Every chart is drawn from one table (the same table the site offers as CSV)
plus a few parameters, by one draw function (chart_drawing.py). Output is byte-identical
for the same input (fixed `svg.hashsalt`, no dates in the metadata, glyphs as
paths from the bundled DejaVu Sans, the Agg renderer through
`matplotlib.figure.Figure`, never pyplot), so it is cached: the key is a hash
of the table, the parameters, `STYLE_VERSION` and the matplotlib version, and
the files live under `<repo>/.hubgen-cache/charts/`. An unchanged chart is
read back from the cache without importing matplotlib.

Bump `STYLE_VERSION` whenever a draw function or a theme changes.
"""

from __future__ import annotations

import hashlib
import io
import json
import multiprocessing
import os
import shutil
import tempfile
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

STYLE_VERSION = "2"
THEMES = ("light", "dark")
FORMATS = ("svg", "png")
VARIANTS = tuple(f"{t}.{f}" for t in THEMES for f in FORMATS)
WIDTH_IN, HEIGHT_IN, DPI = 8.0, 3.6, 100  # the PNG is 800 × 360
WIDTH_PX, HEIGHT_PX = int(WIDTH_IN * DPI), int(HEIGHT_IN * DPI)

RENDERS: Counter[str] = Counter()  # chart name -> times drawn in this process (cache misses)

# Okabe-Ito, readable by people with colour-vision deficiencies; the dark theme lifts the darkest hues.
PALETTE = {
    "light": {
        "fg": "#1f2328",
        "muted": "#59636e",
        "grid": "#d1d9e0",
        "band": "#009e73",
        "started": "#0072b2",
        "finished": "#009e73",
        "delivered": "#009e73",
        "null": "#e69f00",
        "cancelled": "#8c8c8c",
        "backlog": "#8c8c8c",
        "bar": "#0072b2",
        "people": "#cc79a7",
        "estimated": "#9ecae1",
        "realized": "#0072b2",
        "line": "#d55e00",
        "reasons": ["#e69f00", "#56b4e9", "#cc79a7", "#0072b2", "#d55e00", "#8c8c8c", "#bdbdbd", "#f0e442"],
    },
    "dark": {
        "fg": "#e6edf3",
        "muted": "#9aa5b1",
        "grid": "#3d444d",
        "band": "#2fbf8f",
        "started": "#56b4e9",
        "finished": "#2fbf8f",
        "delivered": "#2fbf8f",
        "null": "#f0b03c",
        "cancelled": "#a0a0a0",
        "backlog": "#a0a0a0",
        "bar": "#56b4e9",
        "people": "#e8a2c8",
        "estimated": "#2f5f84",
        "realized": "#8fd0f5",
        "line": "#ff8f4d",
        "reasons": ["#f0b03c", "#8fd0f5", "#e8a2c8", "#4c9be0", "#ff8f4d", "#a0a0a0", "#6e6e6e", "#f0e442"],
    },
}


@dataclass(frozen=True)
class ChartSpec:
    """What to draw: a table, the draw function's name and its parameters (all part of the cache key)."""

    name: str  # file stem: portfolio/charts/<name>.<theme>.<format>
    kind: str  # key of DRAW
    data: pd.DataFrame
    params: dict[str, Any] = field(default_factory=dict)
    height: float = HEIGHT_IN  # inches; the width is fixed

    @property
    def pixels(self) -> tuple[int, int]:
        return WIDTH_PX, int(round(self.height * DPI))

    def csv(self) -> bytes:
        from hubgen.analysis.portfolio_tables import to_csv

        return to_csv(self.data)

    def key(self) -> str:
        h = hashlib.sha256()
        for part in (
            STYLE_VERSION,
            matplotlib_version(),
            self.name,
            self.kind,
            str(self.height),
            json.dumps(self.params, sort_keys=True, default=str),
        ):
            h.update(part.encode("utf-8") + b"\0")
        h.update(self.csv())
        return h.hexdigest()[:24]


def matplotlib_version() -> str:
    from importlib.metadata import version

    return version("matplotlib")


# --- cache ----------------------------------------------------------------------------------------------------


def chart_files(specs: list[ChartSpec], cache_dir: Path | None) -> list[dict[str, bytes]]:
    """The four files of each chart ({"light.svg": ..., ...}): from the cache when the input is unchanged.

    Charts to draw are drawn in parallel worker processes when there are
    several (matplotlib is CPU-bound and single-threaded), in order.
    """
    out: list[dict[str, bytes] | None] = []
    missing: list[int] = []
    for i, spec in enumerate(specs):
        entry = cache_dir / f"{spec.name}--{spec.key()}" if cache_dir else None
        try:
            out.append({v: (entry / f"chart.{v}").read_bytes() for v in VARIANTS} if entry else None)
        except OSError:
            out.append(None)
        if out[-1] is None:
            missing.append(i)
            RENDERS[spec.name] += 1
    for i, files in zip(missing, _render_all([specs[i] for i in missing])):
        out[i] = files
        if cache_dir is not None:
            _store(cache_dir, cache_dir / f"{specs[i].name}--{specs[i].key()}", specs[i].name, files)
    return [files for files in out if files is not None]


def _render_all(specs: list[ChartSpec]) -> list[dict[str, bytes]]:
    workers = min(len(specs), os.cpu_count() or 1, 4)
    if workers < 2 or multiprocessing.get_start_method(allow_none=True) not in (None, "fork"):
        return [render(spec) for spec in specs]
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            return list(pool.map(render, specs))
    except (OSError, BrokenProcessPool):  # no processes to be had here: draw in this one
        return [render(spec) for spec in specs]


def _store(cache_dir: Path, entry: Path, name: str, files: dict[str, bytes]) -> None:
    """Write atomically (a temporary folder renamed into place) and drop this chart's older entries."""
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{name}-", dir=cache_dir))
        for variant, data in files.items():
            (tmp / f"chart.{variant}").write_bytes(data)
        try:
            os.replace(tmp, entry)
        except OSError:  # another build stored it first
            shutil.rmtree(tmp, ignore_errors=True)
        for old in cache_dir.iterdir():
            if old.is_dir() and old != entry and old.name.rsplit("--", 1)[0] == name:
                shutil.rmtree(old, ignore_errors=True)
    except OSError:
        pass  # a read-only or full cache only costs time


# --- drawing --------------------------------------------------------------------------------------------------


def _rc(theme: str) -> dict[str, Any]:
    c = PALETTE[theme]
    return {
        "svg.hashsalt": "hubgen",
        "svg.fonttype": "path",
        "svg.image_inline": True,
        "font.family": "DejaVu Sans",
        "font.size": 10,
        "axes.titlesize": 10,
        "legend.fontsize": 9,
        "text.color": c["fg"],
        "axes.labelcolor": c["fg"],
        "axes.edgecolor": c["muted"],
        "xtick.color": c["muted"],
        "ytick.color": c["muted"],
        "xtick.labelcolor": c["fg"],
        "ytick.labelcolor": c["fg"],
        "grid.color": c["grid"],
        "grid.linewidth": 0.8,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": False,
        "legend.frameon": False,
        "figure.facecolor": "none",
        "axes.facecolor": "none",
        "savefig.facecolor": "none",
        "hatch.color": c["muted"],
    }


def render(spec: ChartSpec) -> dict[str, bytes]:
    """Draw the chart in both themes, each saved as SVG and PNG."""
    import matplotlib
    from matplotlib.figure import Figure

    from hubgen.render.chart_drawing import DRAW  # matplotlib's helpers, only on a cache miss

    draw = DRAW[spec.kind]
    out: dict[str, bytes] = {}
    for theme in THEMES:
        with matplotlib.rc_context(_rc(theme)):  # type: ignore[arg-type]  # rc names checked by matplotlib
            fig = Figure(figsize=(WIDTH_IN, spec.height), dpi=DPI, layout="constrained")
            draw(fig, spec.data, spec.params, PALETTE[theme])
            fig.draw_without_rendering()  # lay out once, then keep that layout for both formats
            fig.set_layout_engine("none")
            for fmt in FORMATS:
                buf = io.BytesIO()
                metadata = {"Date": None} if fmt == "svg" else {"Software": None}
                fig.savefig(buf, format=fmt, dpi=DPI, metadata=metadata, transparent=True)
                out[f"{theme}.{fmt}"] = buf.getvalue()
    return out
