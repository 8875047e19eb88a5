"""Portfolio charts: matplotlib at build time, SVG with a PNG fallback, light and dark.

Every chart is drawn from one table (the same table the site offers as CSV)
plus a few parameters, by one draw function below. Output is byte-identical
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
from collections.abc import Callable
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
        from hubgen.analysis.portfolio import to_csv

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


def _empty(ax: Any, message: str, c: dict[str, Any]) -> None:
    ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes, color=c["muted"], fontsize=11)
    ax.set_xticks([])
    ax.set_yticks([])
    for side in ("left", "bottom"):
        ax.spines[side].set_visible(False)


def _quarter_ticks(ax: Any, labels: list[str]) -> None:
    """`Q1` with the year under it at each year start (and the first), every quarter when there is room."""
    ticks, names = [], []
    sparse = len(labels) > 20
    for i, label in enumerate(labels):
        year, q = label.split(" ")
        first = i == 0 or q == "Q1"
        if sparse and not first:
            continue
        ticks.append(i)
        names.append(f"{q}\n{year}" if first else q)
    ax.set_xticks(ticks, names)
    ax.set_xlim(-0.6, len(labels) - 0.4)


def _compact(value: float, _pos: Any = None) -> str:
    sign = "-" if value < 0 else ""
    value = abs(value)
    for limit, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if value >= limit:
            return f"{sign}{value / limit:.3g}{suffix}"
    return f"{sign}{value:.3g}"


def _integer_axis(axis: Any) -> None:
    from matplotlib.ticker import MaxNLocator

    axis.set_major_locator(MaxNLocator(integer=True, nbins=5, min_n_ticks=1))


def _bar_labels(ax: Any, bars: Any, c: dict[str, Any], fmt: Callable[[float], str] = lambda v: f"{v:g}") -> None:
    """Value labels at the end of horizontal bars; none on empty bars."""
    ax.bar_label(
        bars, labels=[fmt(b.get_width()) if b.get_width() else "" for b in bars], padding=3, color=c["fg"], fontsize=9
    )


def _legend(ax: Any, handles: list[Any] | None = None, labels: list[str] | None = None) -> None:
    """One row of legend above the plot, where it cannot hide data."""
    if handles is None or labels is None:
        handles, labels = ax.get_legend_handles_labels()
    if handles:
        ax.legend(
            handles,
            labels,
            loc="lower left",
            bbox_to_anchor=(0, 1.02),
            ncols=len(handles),
            borderaxespad=0,
            handlelength=1.6,
            columnspacing=1.4,
        )


def draw_pipeline(fig: Any, data: pd.DataFrame, params: dict[str, Any], c: dict[str, Any]) -> None:
    ax = fig.subplots()
    stages = list(data["stage"])[::-1]
    values = [int(v) for v in data["projects"]][::-1]
    colors = [c["backlog"] if s == "backlog" else c["bar"] for s in stages]
    bars = ax.barh(stages, values, color=colors, height=0.65)
    for bar, stage in zip(bars, stages):
        if stage == "backlog":
            bar.set_hatch("//")
    _bar_labels(ax, bars, c, lambda v: f"{int(v)}")
    ax.set_xlabel("projects")
    _integer_axis(ax.xaxis)
    ax.set_xlim(0, max([*values, 1]) * 1.12)
    ax.grid(axis="x")
    ax.set_axisbelow(True)


def draw_throughput(fig: Any, data: pd.DataFrame, params: dict[str, Any], c: dict[str, Any]) -> None:
    import numpy as np

    ax = fig.subplots()
    labels = list(data["quarter"])
    x = np.arange(len(labels))
    width = 0.4
    ax.bar(x - width / 2, data["started"], width, label="started", color=c["started"])
    ax.bar(x + width / 2, data["finished"], width, label="finished", color=c["finished"])
    ax.set_ylabel("projects")
    _integer_axis(ax.yaxis)
    ax.grid(axis="y")
    ax.set_axisbelow(True)
    _quarter_ticks(ax, labels)
    handles, names = ax.get_legend_handles_labels()
    if "headcount" in data and data["headcount"].sum() > 0:
        right = ax.twinx()
        right.spines["right"].set_visible(True)
        (line,) = right.plot(
            x,
            data["headcount"],
            color=c["people"],
            marker="o",
            markersize=3,
            linewidth=1.6,
            label="people (right axis)",
        )
        right.set_ylim(0, max(data["headcount"]) * 1.25)
        right.set_ylabel("people")
        _integer_axis(right.yaxis)
        handles.append(line)
        names.append(line.get_label())
    _legend(ax, handles, names)
    ax.set_ylim(0, max([*data["started"], *data["finished"], 1]) * 1.1)


def draw_hit_rate(fig: Any, data: pd.DataFrame, params: dict[str, Any], c: dict[str, Any]) -> None:
    import numpy as np

    ax = fig.subplots()
    labels = list(data["quarter"])
    x = np.arange(len(labels))
    if int(data["finished"].sum()) == 0:
        _empty(ax, "No finished projects yet", c)
        return
    bottom = np.zeros(len(labels))
    for column, label, color in (
        ("delivered", "delivered (incl. retired)", c["delivered"]),
        ("null_result", "null result", c["null"]),
        ("cancelled", "cancelled", c["cancelled"]),
    ):
        values = data[column].to_numpy(dtype=float)
        ax.bar(x, values, 0.6, bottom=bottom, label=label, color=color)
        bottom += values
    ax.set_ylabel("finished projects")
    _integer_axis(ax.yaxis)
    ax.set_ylim(0, max(bottom.max(), 1) * 1.1)
    _quarter_ticks(ax, labels)
    right = ax.twinx()
    right.spines["right"].set_visible(True)
    low, high = params.get("band", (0.6, 0.8))
    right.axhspan(low * 100, high * 100, color=c["band"], alpha=0.12, linewidth=0)
    rate = data["hit_rate"].astype(float).to_numpy() * 100  # NaN where nothing finished: the line breaks there
    (line,) = right.plot(x, rate, color=c["fg"], marker="o", markersize=5, linewidth=1.2, label="hit rate (right axis)")
    right.set_ylim(0, 105)
    right.set_ylabel("hit rate %")
    right.set_yticks([0, 20, 40, 60, 80, 100])
    handles, names = ax.get_legend_handles_labels()
    _legend(ax, [*handles, line], [*names, line.get_label()])


def draw_roi(fig: Any, data: pd.DataFrame, params: dict[str, Any], c: dict[str, Any]) -> None:
    import numpy as np
    from matplotlib.ticker import FuncFormatter

    ax = fig.subplots()
    currency = params.get("currency")
    shown = data[(data["currency"] == currency) & (data["projects"] > 0)] if currency is not None else data.iloc[0:0]
    if shown.empty:
        _empty(ax, "No project reports a realized ROI yet", c)
        return
    teams = list(shown["team"])[::-1]
    y = np.arange(len(teams))
    height = 0.38
    est = ax.barh(y + height / 2, shown["estimated"].to_numpy()[::-1], height, label="estimated", color=c["estimated"])
    real = ax.barh(y - height / 2, shown["realized"].to_numpy()[::-1], height, label="realized", color=c["realized"])
    for bars in (est, real):
        _bar_labels(ax, bars, c, _compact)
    ax.set_yticks(y, teams)
    ax.xaxis.set_major_formatter(FuncFormatter(_compact))
    ax.set_xlabel(f"ROI ({currency})" if currency != params.get("no_currency") else "ROI (no currency given)")
    top = float(max(shown["estimated"].max(), shown["realized"].max(), 1))
    ax.set_xlim(0, top * 1.15)
    ax.grid(axis="x")
    ax.set_axisbelow(True)
    _legend(ax)


def draw_stage_time(fig: Any, data: pd.DataFrame, params: dict[str, Any], c: dict[str, Any]) -> None:
    ax = fig.subplots()
    rows = data[data["intervals"] > 0]
    if rows.empty:
        _empty(ax, "No stage history yet", c)
        return
    floor = 1.0  # a log axis has no zero: same-day stays are drawn at one day
    stats = [
        {
            "label": f"{r.stage} (n={int(r.intervals)})",
            "med": max(r.median, floor),
            "q1": max(r.q1, floor),
            "q3": max(r.q3, floor),
            "whislo": max(r.min, floor),
            "whishi": max(r.max, floor),
            "fliers": [],
        }
        for r in rows.itertuples()
    ][::-1]
    style = {
        "widths": 0.55,
        "patch_artist": True,
        "showfliers": False,
        "boxprops": {"facecolor": c["estimated"], "edgecolor": c["fg"], "linewidth": 1},
        "medianprops": {"color": c["line"], "linewidth": 2},
        "whiskerprops": {"color": c["muted"]},
        "capprops": {"color": c["muted"]},
    }
    try:
        ax.bxp(stats, orientation="horizontal", **style)  # matplotlib >= 3.10
    except TypeError:
        ax.bxp(stats, vert=False, **style)
    from matplotlib.ticker import FixedLocator, NullLocator

    ax.set_xscale("log")
    longest = max(float(rows["max"].max()), 7)
    ticks = [t for t in (1, 7, 14, 30, 60, 90, 180, 365, 730, 1460, 2920) if t <= longest * 1.5]
    ax.xaxis.set_major_locator(FixedLocator(ticks))
    ax.xaxis.set_minor_locator(NullLocator())
    ax.set_xticks(ticks, [str(t) for t in ticks])
    ax.set_xlim(0.8, longest * 1.3)
    ax.set_xlabel("days in stage (log scale)")
    ax.grid(axis="x")
    ax.set_axisbelow(True)


def draw_null_results(fig: Any, data: pd.DataFrame, params: dict[str, Any], c: dict[str, Any]) -> None:
    import numpy as np

    ax = fig.subplots()
    labels = list(data["quarter"])
    categories = params["categories"]
    if int(data["total"].sum()) == 0:
        _empty(ax, "No dated null results yet", c)
        return
    x = np.arange(len(labels))
    bottom = np.zeros(len(labels))
    for category, color in zip(categories, c["reasons"]):
        values = data[category].to_numpy(dtype=float)
        if values.sum() == 0:
            continue
        bars = ax.bar(x, values, 0.6, bottom=bottom, label=category, color=color)
        if category == params.get("whole_project"):
            for bar in bars:
                bar.set_hatch("//")
        bottom += values
    _finish_count_axes(ax, labels, "null results", bottom.max())


def _finish_count_axes(ax: Any, labels: list[str], ylabel: str, top: float) -> None:
    """Whole-number y axis with headroom, grid behind, quarter ticks and legend."""
    ax.set_ylabel(ylabel)
    _integer_axis(ax.yaxis)
    ax.set_ylim(0, max(top, 1) * 1.1)
    ax.grid(axis="y")
    ax.set_axisbelow(True)
    _quarter_ticks(ax, labels)
    _legend(ax)


def draw_reuse(fig: Any, data: pd.DataFrame, params: dict[str, Any], c: dict[str, Any]) -> None:
    import numpy as np

    ax = fig.subplots()
    labels = list(data["quarter"])
    if int(data["reused_assets"].max() if len(data) else 0) == 0:
        _empty(ax, "No asset is consumed by two dated projects yet", c)
        return
    x = np.arange(len(labels))
    ax.bar(x, data["newly_reused"], 0.6, color=c["estimated"], label="newly reused in the quarter")
    ax.step(x, data["reused_assets"], where="mid", color=c["realized"], linewidth=2, label="reused assets (total)")
    _finish_count_axes(ax, labels, "assets", int(data["reused_assets"].max()))


def draw_teams(fig: Any, data: pd.DataFrame, params: dict[str, Any], c: dict[str, Any]) -> None:
    import numpy as np

    ax = fig.subplots()
    if data.empty:
        _empty(ax, "No teams yet", c)
        return
    teams = list(data["team"])[::-1]
    y = np.arange(len(teams))
    height = 0.27
    series = (
        ("people", "people", c["people"]),
        ("projects", "projects (all)", c["started"]),
        ("active", "projects in flight", c["finished"]),
    )
    for i, (column, label, color) in enumerate(series):
        bars = ax.barh(y + (1 - i) * height, data[column].to_numpy()[::-1], height, label=label, color=color)
        _bar_labels(ax, bars, c, lambda v: f"{int(v)}")
    ax.set_yticks(y, teams)
    _integer_axis(ax.xaxis)
    ax.set_xlim(0, max(int(data[["people", "projects"]].to_numpy().max()), 1) * 1.1)
    ax.grid(axis="x")
    ax.set_axisbelow(True)
    _legend(ax)


DRAW: dict[str, Callable[[Any, pd.DataFrame, dict[str, Any], dict[str, Any]], None]] = {
    "pipeline": draw_pipeline,
    "throughput": draw_throughput,
    "hit-rate": draw_hit_rate,
    "roi": draw_roi,
    "stage-time": draw_stage_time,
    "null-results": draw_null_results,
    "reuse": draw_reuse,
    "teams": draw_teams,
}
