"""Run and control charts (statistical process control), in Making Data Count colours."""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence
from typing import Any, cast

from matplotlib.container import BarContainer
from matplotlib.ticker import PercentFormatter

from howgood.toolkit.charts.base import (
    DRAWING_LOCK,
    FONT,
    FORMATS,
    GRID_COLOUR,
    LABEL_PT,
    TEXT_COLOUR,
    VALUE_PT,
    Chart,
    count_words,
    draw_legend,
    format_value,
    new_figure,
    plain,
    render,
    style_axes,
)

#: Point colours on run and control charts, as NHS Making Data Count uses them: grey for
#: common cause, blue for improvement, orange for concern, purple where no direction is
#: set. Marker shapes differ too, so the chart reads in black and white.
POINT_STYLES: dict[str, tuple[str, str, str]] = {
    "common_cause": ("#7f7f7f", "o", "Common cause"),
    "special_cause_improvement": ("#0072B2", "s", "Special cause: improvement"),
    "special_cause_concern": ("#E69F00", "D", "Special cause: concern"),
    "special_cause_neutral": ("#7C2855", "^", "Special cause: change"),
}


def spc_chart(
    *,
    title: str,
    labels: Sequence[str],
    values: Sequence[float | None],
    centre: Sequence[float | None],
    value_label: str,
    lcl: Sequence[float | None] | None = None,
    ucl: Sequence[float | None] | None = None,
    point_types: Sequence[str] | None = None,
    excluded: Sequence[bool] | None = None,
    target: float | None = None,
    markers: Sequence[tuple[int, str]] = (),
    phase_starts: Sequence[int] = (),
    centre_label: str = "Mean",
    percent: bool = False,
    formats: Collection[str] = FORMATS,
) -> Chart:
    """A run chart (no limits) or a control chart, one point per period.

    ``labels`` name the periods ("Jan 2025"); ``values`` are plotted in order (None: no
    value that period); ``centre``, ``lcl`` and ``ucl`` give the line's value at each
    point (None breaks the line, as at a new phase, which ``phase_starts`` also marks with
    a dashed vertical line). ``point_types`` colour each point by :data:`POINT_STYLES`;
    ``excluded`` points are drawn hollow. ``markers`` are (point index, short text)
    annotations, numbered on the chart and listed in the data table (PDSA cycles, notes).
    The data table gives period, value, centre, limits, what the point shows and notes.
    ValueError for mismatched lengths or values that are not finite.
    """
    n = len(labels)
    series = {"values": values, "centre": centre}
    if lcl is not None:
        series["lcl"] = lcl
    if ucl is not None:
        series["ucl"] = ucl
    for name, seq in series.items():
        if len(seq) != n:
            raise ValueError(f"{len(seq)} {name} for {n} periods.")
        if any(v is not None and not math.isfinite(v) for v in seq):
            raise ValueError(f"The {name} include a value that is not a finite number.")
    types = list(point_types) if point_types is not None else ["common_cause"] * n
    hollow = list(excluded) if excluded is not None else [False] * n
    if len(types) != n or len(hollow) != n:
        raise ValueError("point_types and excluded need one entry per period.")
    for index, _ in markers:
        if not 0 <= index < n:
            raise ValueError(f"A marker points at period {index}, outside the chart.")

    def fmt(v: float | None) -> str:
        if v is None:
            return "–"
        return format_value(v, percent=percent, decimals=1)

    notes: dict[int, list[str]] = {}
    for number, (index, text) in enumerate(markers, start=1):
        notes.setdefault(index, []).append(f"[{number}] {text}")
    has_limits = lcl is not None and ucl is not None
    header = ["Period", value_label, centre_label]
    if has_limits:
        header += ["Lower limit", "Upper limit"]
    header += ["What it shows", "Notes"]
    rows: list[list[str]] = []
    for i in range(n):
        row = [labels[i], fmt(values[i]), fmt(centre[i])]
        if has_limits:
            row += [fmt(lcl[i]), fmt(ucl[i])]  # type: ignore[index]
        shows = POINT_STYLES.get(types[i], POINT_STYLES["common_cause"])[2]
        if hollow[i]:
            shows += " (left out of the calculations)"
        row += [shows if values[i] is not None else "", "; ".join(notes.get(i, []))]
        rows.append(row)

    with DRAWING_LOCK:
        fig = new_figure(4.2 if not markers else 4.5)
        ax = fig.add_subplot()
        style_axes(ax, horizontal=False)
        xs = list(range(n))
        plotted = [(i, float(v)) for i, v in enumerate(values) if v is not None]
        ax.plot(
            [i for i, _ in plotted],
            [v for _, v in plotted],
            color="#4d4d4d",
            linewidth=1.2,
            zorder=2,
        )

        def line(seq: Sequence[float | None], **style: Any) -> None:
            ys = [float("nan") if v is None else float(v) for v in seq]
            # A new phase starts a new line segment.
            segments: list[list[int]] = [[]]
            for i in xs:
                if i in phase_starts and segments[-1]:
                    segments.append([])
                segments[-1].append(i)
            for k, segment in enumerate(segments):
                ax.plot(
                    segment,
                    [ys[i] for i in segment],
                    zorder=1,
                    label=style.pop("label", None) if k == 0 else None,
                    **style,
                )

        line(centre, color="#1a1a1a", linewidth=1.4, label=centre_label)
        if has_limits:
            line(lcl, color="#D55E00", linewidth=1.1, linestyle=(0, (5, 3)), label="Limits")  # type: ignore[arg-type]
            line(ucl, color="#D55E00", linewidth=1.1, linestyle=(0, (5, 3)))  # type: ignore[arg-type]
        if target is not None:
            ax.axhline(
                target, color="#009E73", linewidth=1.3, linestyle=(0, (1, 2)), label="Target"
            )
        for kind, (colour, marker, name) in POINT_STYLES.items():
            chosen = [(i, v) for i, v in plotted if types[i] == kind]
            if not chosen:
                continue
            full = [(i, v) for i, v in chosen if not hollow[i]]
            empty = [(i, v) for i, v in chosen if hollow[i]]
            if full:
                ax.scatter(
                    [i for i, _ in full],
                    [v for _, v in full],
                    color=colour,
                    marker=marker,
                    s=30,
                    zorder=3,
                    label=name,
                    edgecolors="white" if kind == "common_cause" else "#1a1a1a",
                    linewidths=0.6,
                )
            if empty:
                ax.scatter(
                    [i for i, _ in empty],
                    [v for _, v in empty],
                    facecolors="white",
                    edgecolors=colour,
                    marker=marker,
                    s=30,
                    zorder=3,
                    label=None if full else name,
                    linewidths=1.2,
                )
        for start in phase_starts:
            if 0 < start < n:
                ax.axvline(start - 0.5, color="#6f6f6f", linewidth=1.0, linestyle=(0, (4, 2)))
        top = max([v for _, v in plotted] + [v for v in (ucl or []) if v is not None] + [0.0])
        for number, (index, _) in enumerate(markers, start=1):
            ax.axvline(index, color="#56B4E9", linewidth=0.9, linestyle=(0, (1, 1.5)), zorder=0)
            ax.annotate(
                str(number),
                xy=(index, 1.0),
                xycoords=("data", "axes fraction"),
                xytext=(0, 2),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize=VALUE_PT,
                fontfamily=FONT,
                color=TEXT_COLOUR,
                bbox={"boxstyle": "circle,pad=0.2", "facecolor": "white", "edgecolor": "#56B4E9"},
            )
        step = max(1, math.ceil(n / 12))
        ax.set_xticks(xs[::step], labels=[plain(labels[i]) for i in xs[::step]])
        ax.tick_params(axis="x", labelrotation=45)
        for tick in ax.get_xticklabels():
            tick.set_horizontalalignment("right")
        ax.set_xlim(-0.6, max(n - 0.4, 0.6))
        ax.set_ylabel(plain(value_label), fontsize=LABEL_PT, fontfamily=FONT)
        if percent:
            ax.yaxis.set_major_formatter(PercentFormatter(xmax=100, decimals=0))
        low = min([v for _, v in plotted] + [v for v in (lcl or []) if v is not None] + [top])
        pad = (top - low) * 0.08 or 1.0
        # Percentages start at 0; other measures start just below their lowest value.
        ax.set_ylim(min(low - pad, 0.0) if percent else low - pad, top + pad)
        ax.grid(axis="y", color=GRID_COLOUR, linewidth=0.6)
        handles, names = ax.get_legend_handles_labels()
        draw_legend(fig, cast(list[BarContainer], handles), [plain(x) for x in names], title)
        svg, png = render(fig, formats)

    signals = sum(
        1 for t, v in zip(types, values, strict=True) if v is not None and t != "common_cause"
    )
    kind = "control chart" if has_limits else "run chart"
    alt = (
        f"Line {kind} titled “{title}” of {value_label.lower()} over {n} periods, "
        f"{labels[0] if n else ''} to {labels[-1] if n else ''}, with its "
        f"{centre_label.lower()}{' and limits' if has_limits else ''}; "
        f"{count_words(signals, 'point shows', 'points show')} a signal; "
        "the table that follows gives every value."
    )
    return Chart(title, svg, png, alt, header, rows)
