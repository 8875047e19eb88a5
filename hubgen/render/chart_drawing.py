"""The draw function of each portfolio chart: one table and a few parameters in, axes drawn on a
matplotlib Figure. Caching, themes and file formats are `charts.py`'s; bump its STYLE_VERSION when a
function here changes."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd


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


def compact(value: float, _pos: Any = None) -> str:
    """A number as an axis or caption shows it: 3 significant figures, k, M or B."""
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
        _bar_labels(ax, bars, c, compact)
    ax.set_yticks(y, teams)
    ax.xaxis.set_major_formatter(FuncFormatter(compact))
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
