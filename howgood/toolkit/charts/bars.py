"""Bar charts: one bar per category, grouped when there is more than one series."""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any

from matplotlib.axes import Axes
from matplotlib.container import BarContainer
from matplotlib.ticker import MaxNLocator, PercentFormatter

from howgood.toolkit.charts.base import (
    DRAWING_LOCK,
    FONT,
    FORMATS,
    HATCHES,
    LABEL_PT,
    MUTED_COLOUR,
    SERIES_COLOURS,
    SUPPRESSED,
    TEXT_COLOUR,
    VALUE_PT,
    Chart,
    as_float,
    bar_height,
    count_words,
    draw_legend,
    draw_title,
    format_value,
    grow_until_labels_clear,
    hatch_colour,
    join_words,
    new_figure,
    patch_style,
    plain,
    render,
    style_axes,
    wrap_category,
)


def bar_chart(
    *,
    title: str,
    categories: Sequence[str],
    series: Mapping[str, Sequence[float | None]],
    value_label: str,
    percent: bool = False,
    horizontal: bool = True,
    formats: Collection[str] = FORMATS,
    denominators: Sequence[int] | None = None,
    category_label: str = "",
    denominator_label: str = "Total (n)",
    decimals: int | None = None,
) -> Chart:
    """A bar chart (grouped when there is more than one series).

    ``series`` maps a series name to one value per category (``None`` = suppressed).
    ``percent`` formats values as percentages on a 0–100 axis. ``denominators`` (one per
    category) are shown under each category label as "n = …" and as a table column
    headed ``denominator_label``. ``category_label`` labels the category axis and heads
    the table's first column ("Category" when empty). ``decimals`` fixes the decimal
    places of value labels (default: whole percentages; other values as whole numbers
    when whole, else one decimal place).

    Labels are given in full on whole-word lines and a horizontal chart grows as tall as
    they need; for Word and PDF split long lists with :func:`page_runs` first. Raises ``ValueError`` if there are no categories or series, the lengths
    disagree or a value is not finite (NaN or infinity).
    """
    categories = list(categories)
    if not categories:
        raise ValueError("A bar chart needs at least one category.")
    if not series:
        raise ValueError("A bar chart needs at least one series.")
    for name, values in series.items():
        if len(values) != len(categories):
            raise ValueError(
                f"Series {name!r} has {len(values)} values for {len(categories)} categories."
            )
        if any(v is not None and not math.isfinite(v) for v in values):
            raise ValueError(f"Series {name!r} has a value that is not a finite number.")
    if denominators is not None and len(denominators) != len(categories):
        raise ValueError(
            f"{len(denominators)} denominators given for {len(categories)} categories."
        )

    names = list(series)
    labels = [
        c if denominators is None else f"{c}\nn = {denominators[i]:,}"
        for i, c in enumerate(categories)
    ]

    def fmt(v: float) -> str:
        return format_value(v, percent=percent, decimals=decimals)

    header = [category_label or "Category", *names]
    if denominators is not None:
        header.append(denominator_label)
    rows: list[list[str]] = []
    for i, category in enumerate(categories):
        row = [category]
        row += [SUPPRESSED if series[n][i] is None else fmt(as_float(series[n][i])) for n in names]
        if denominators is not None:
            row.append(f"{denominators[i]:,}")
        rows.append(row)

    with DRAWING_LOCK:
        fig = new_figure(
            bar_height(labels, len(names), horizontal, title, names if len(names) > 1 else ())
        )
        ax = fig.add_subplot()
        style_axes(ax, horizontal=horizontal)

        k = len(names)
        group = 0.8
        thickness = group / k
        containers: list[BarContainer] = []
        all_values = [float(v) for n in names for v in series[n] if v is not None]
        for j, name in enumerate(names):
            colour = SERIES_COLOURS[j % len(SERIES_COLOURS)]
            hatch = HATCHES[j % len(HATCHES)] if k > 1 else ""
            offset = -group / 2 + (j + 0.5) * thickness
            shown = [(i, float(v)) for i, v in enumerate(series[name]) if v is not None]
            positions = [i + offset for i, _ in shown]
            heights = [v for _, v in shown]
            style = patch_style(colour, hatch)
            if horizontal:
                bars = ax.barh(positions, heights, height=thickness * 0.92, **style)
            else:
                bars = ax.bar(positions, heights, width=thickness * 0.92, **style)
            for patch in bars.patches:
                patch.set_hatchcolor(hatch_colour(colour))
                patch.set_hatch_linewidth(0.8)
            ax.bar_label(
                bars,
                labels=[fmt(v) for v in heights],
                padding=3,
                fontsize=VALUE_PT,
                fontfamily=FONT,
                color=TEXT_COLOUR,
            )
            bars.set_label(plain(name))
            containers.append(bars)
            for i, v in enumerate(series[name]):
                if v is None:
                    _mark_suppressed(ax, i + offset, horizontal=horizontal)

        positions = list(range(len(categories)))
        wrapped = [wrap_category(lbl, len(categories), horizontal) for lbl in labels]
        if horizontal:
            ax.set_yticks(positions, labels=wrapped)
            ax.set_ylim(len(categories) - 0.5, -0.5)  # first category at the top
            ax.set_xlabel(plain(value_label), fontsize=LABEL_PT, fontfamily=FONT)
            if category_label:
                ax.set_ylabel(plain(category_label), fontsize=LABEL_PT, fontfamily=FONT)
        else:
            ax.set_xticks(positions, labels=wrapped)
            ax.set_xlim(-0.5, len(categories) - 0.5)
            ax.set_ylabel(plain(value_label), fontsize=LABEL_PT, fontfamily=FONT)
            if category_label:
                ax.set_xlabel(plain(category_label), fontsize=LABEL_PT, fontfamily=FONT)
        _value_axis_limits(ax, all_values, percent=percent, horizontal=horizontal)
        if k > 1:
            draw_legend(fig, containers, [plain(n) for n in names], title)
        else:
            draw_title(fig, title)
        if horizontal:
            grow_until_labels_clear(fig, ax)
        svg, png = render(fig, formats)

    orientation = "Horizontal" if horizontal else "Vertical"
    kind = "grouped bar chart" if k > 1 else "bar chart"
    series_part = f", comparing {join_words(names)}" if k > 1 else ""
    alt = (
        f"{orientation} {kind} titled “{title}” showing {value_label.lower()} "
        f"for {count_words(len(categories), 'category', 'categories')}{series_part}"
        f"{_extremes(categories, series, fmt)}; the table that follows gives every value."
    )
    return Chart(title, svg, png, alt, header, rows)


def _mark_suppressed(ax: Axes, position: float, *, horizontal: bool) -> None:
    common: dict[str, Any] = {
        "textcoords": "offset points",
        "fontsize": VALUE_PT - 0.5,
        "fontstyle": "italic",
        "fontfamily": FONT,
        "color": MUTED_COLOUR,
    }
    if horizontal:
        ax.annotate(SUPPRESSED, xy=(0, position), xytext=(3, 0), va="center", **common)
    else:
        ax.annotate(
            SUPPRESSED,
            xy=(position, 0),
            xytext=(0, 3),
            ha="center",
            va="bottom",
            rotation=90,
            **common,
        )


def _value_axis_limits(
    ax: Axes, values: Sequence[float], *, percent: bool, horizontal: bool
) -> None:
    """0–100 for percentages (with room for the labels); else 0 to the largest + 15%."""
    low = min([0.0, *values])
    high = max([0.0, *values])
    if percent:
        upper = max(100.0, high) * 1.13
        ticks = [t for t in range(0, 101, 20)]
        formatter = PercentFormatter(xmax=100, decimals=0)
    else:
        upper = high * 1.15 if high > 0 else 1.0
        ticks = []
        formatter = None
    lower = low * 1.15 if low < 0 else 0.0
    axis = ax.xaxis if horizontal else ax.yaxis
    if horizontal:
        ax.set_xlim(lower, upper)
    else:
        ax.set_ylim(lower, upper)
    if ticks:
        axis.set_ticks(ticks)
    else:
        axis.set_major_locator(MaxNLocator(nbins=6, steps=[1, 2, 2.5, 5, 10], integer=high >= 5))
    if formatter is not None:
        axis.set_major_formatter(formatter)
    if horizontal:
        ax.spines["bottom"].set_bounds(lower, 100 if percent else upper)


def _extremes(
    categories: Sequence[str],
    series: Mapping[str, Sequence[float | None]],
    fmt: Callable[[float], str],
) -> str:
    """ ", ranging from 12% (Health) to 72% (Police)" for a single series, else ""."""
    if len(series) != 1:
        return ""
    values = next(iter(series.values()))
    shown = [(float(v), c) for v, c in zip(values, categories, strict=True) if v is not None]
    if len(shown) < 2:
        return ""
    low = min(shown)
    high = max(shown)
    if low[0] == high[0]:
        return ""
    return f", ranging from {fmt(low[0])} ({low[1]}) to {fmt(high[0])} ({high[1]})"
