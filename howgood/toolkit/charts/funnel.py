"""A funnel plot of shares: each unit at its size, against the overall share and the 95%
and 99.8% limits (``stats.funnel`` works them out; this only draws)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any, cast

from matplotlib.container import BarContainer
from matplotlib.ticker import FuncFormatter, NullFormatter, PercentFormatter

from howgood.stats.funnel import POSITION_WORDS
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

POSITION_STYLES = {  # colour and marker: the chart reads in black and white too
    "above_998": ("#E69F00", "D"),
    "above_95": ("#E69F00", "^"),
    "within": ("#7f7f7f", "o"),
    "below_95": ("#0072B2", "v"),
    "below_998": ("#0072B2", "s"),
}


def funnel_chart(
    *,
    title: str,
    target: float,
    units: Sequence[tuple[str, int, int, str]],
    curve: Sequence[tuple[int, float, float, float, float]],
    size_label: str,
    share_label: str,
    formats: Collection[str] = FORMATS,
) -> Chart:
    """``units`` are (name, part, whole, position) with position as ``stats.funnel`` gives
    it; ``curve`` is (size, lower 99.8%, lower 95%, upper 95%, upper 99.8%) in order of size.
    Shares are drawn as percentages. ValueError without units or with a curve out of order."""
    if not units:
        raise ValueError("A funnel plot needs at least one unit.")
    if [c[0] for c in curve] != sorted(c[0] for c in curve):
        raise ValueError("The funnel's curve must be in order of size.")
    header = ["Unit", size_label, share_label, "Where it lies"]
    rows = [
        [
            name,
            f"{whole:,}",
            format_value(100 * part / whole, percent=True, decimals=1),
            POSITION_WORDS[position],
        ]
        for name, part, whole, position in units
    ]
    with DRAWING_LOCK:
        fig = new_figure(4.4)
        ax = fig.add_subplot()
        style_axes(ax, horizontal=False)
        sizes = [c[0] for c in curve]
        ax.axhline(100 * target, color="#1a1a1a", linewidth=1.4, label="Overall share")
        for index, style in ((2, {"label": "95% limits"}), (3, {})):
            ax.plot(
                sizes,
                [100 * c[index] for c in curve],
                color="#D55E00",
                linewidth=1.1,
                linestyle=(0, (5, 3)),
                **cast(dict[str, Any], style),
            )
        for index, style in ((1, {"label": "99.8% limits"}), (4, {})):
            ax.plot(
                sizes,
                [100 * c[index] for c in curve],
                color="#7C2855",
                linewidth=1.1,
                linestyle=(0, (1, 1.5)),
                **cast(dict[str, Any], style),
            )
        for position, (colour, marker) in POSITION_STYLES.items():
            chosen = [u for u in units if u[3] == position]
            if not chosen:
                continue
            ax.scatter(
                [u[2] for u in chosen],
                [100 * u[1] / u[2] for u in chosen],
                color=colour,
                marker=marker,
                s=34,
                zorder=3,
                edgecolors="#1a1a1a",
                linewidths=0.6,
                label=POSITION_WORDS[position][0].upper() + POSITION_WORDS[position][1:],
            )
        for name, part, whole, _ in units:
            ax.annotate(
                plain(name),
                xy=(whole, 100 * part / whole),
                xytext=(5, 3),
                textcoords="offset points",
                fontsize=VALUE_PT,
                fontfamily=FONT,
                color=TEXT_COLOUR,
            )
        ax.set_xscale("log")
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
        ax.xaxis.set_minor_formatter(NullFormatter())
        ax.set_xlim(max(0.8, min(sizes) * 0.8), max(sizes) * 1.6)
        ax.set_ylim(0, 100)
        ax.yaxis.set_major_formatter(PercentFormatter(xmax=100, decimals=0))
        ax.set_xlabel(plain(size_label), fontsize=LABEL_PT, fontfamily=FONT)
        ax.set_ylabel(plain(share_label), fontsize=LABEL_PT, fontfamily=FONT)
        ax.grid(axis="y", color=GRID_COLOUR, linewidth=0.6)
        handles, names = ax.get_legend_handles_labels()
        draw_legend(fig, cast(list[BarContainer], handles), [plain(x) for x in names], title)
        svg, png = render(fig, formats)
    outside = sum(1 for u in units if u[3] != "within")
    alt = (
        f"Funnel plot titled “{title}”: {count_words(len(units), 'unit', 'units')} by size "
        f"against the overall share of {format_value(100 * target, percent=True, decimals=1)}; "
        f"{count_words(outside, 'unit lies', 'units lie')} outside the 95% limits; the table that "
        "follows gives every value."
    )
    return Chart(title, svg, png, alt, header, rows)
