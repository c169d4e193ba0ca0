"""Charts drawn once on the server, for pages (SVG) and for Word and PDF (PNG).

Contract:

- Every chart comes back as a :class:`Chart` that carries its own data table, a
  one-sentence text alternative and two renderings: an SVG ``data:`` URI for pages (embed
  it with ``<img src=…>``: our Content-Security-Policy forbids the inline ``style``
  attributes matplotlib's SVG uses, and an image sidesteps that; its text is text, not
  outlines) and a 200 dpi PNG of at most 256 colours for Word and PDF.
- Colours come from the Okabe–Ito palette (safe for colour-blind readers) and every
  series or level after the first also carries a hatch pattern, so the chart still reads
  when printed in black and white.
- A value of ``None`` means *suppressed* by disclosure control: nothing is drawn for it,
  the chart says "suppressed" where the bar would be, and the data table says
  "suppressed". These functions never suppress anything themselves: pass figures that
  have already been through the disclosure-control function.
- Figures are 16 cm wide (the text width of an A4 page with 2.5 cm margins), so the font
  sizes below are the sizes readers see in Word at full page width.

Thread safety: no pyplot; each call builds its own ``matplotlib.figure.Figure`` on an Agg
canvas. Matplotlib's font cache is shared between threads and is not safe to use
concurrently, so drawing is serialised by a module lock; the only ``rcParams`` touched
(SVG text as text, a fixed id salt) are set for the length of one save, under that lock.
Cost: a chart takes roughly 0.1–0.5 s of CPU; build report packs in a background task.
"""

from __future__ import annotations

import base64
import io
import math
import re
import textwrap
import threading
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any, cast

import matplotlib
from PIL import Image

# Set explicitly: the server has no display, and nothing here may depend on whichever
# backend another import happened to choose. We also attach an Agg canvas to every figure.
matplotlib.use("Agg")

from matplotlib import font_manager
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgb
from matplotlib.container import BarContainer
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.ticker import MaxNLocator, PercentFormatter

__all__ = [
    "LEVEL_COLOURS",
    "OKABE_ITO",
    "SERIES_COLOURS",
    "Chart",
    "bar_chart",
    "page_runs",
    "spc_chart",
    "stacked_distribution",
    "suppressed_block",
]

# Okabe & Ito (2008), "Color Universal Design": distinguishable with the common forms of
# colour-vision deficiency.
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}
_O = OKABE_ITO

#: Colours for unordered series, in the order series are given.
SERIES_COLOURS = [
    _O["blue"],
    _O["orange"],
    _O["bluish_green"],
    _O["vermillion"],
    _O["reddish_purple"],
    _O["sky_blue"],
    _O["yellow"],
    _O["black"],
]

#: Colours for ordered levels (a scale given best first), by number of levels: cool blues
#: for the top of the scale through to warm vermillion for the bottom.
LEVEL_COLOURS: dict[int, list[str]] = {
    1: [_O["blue"]],
    2: [_O["blue"], _O["orange"]],
    3: [_O["blue"], _O["yellow"], _O["vermillion"]],
    4: [_O["blue"], _O["sky_blue"], _O["orange"], _O["vermillion"]],
    5: [_O["blue"], _O["sky_blue"], _O["yellow"], _O["orange"], _O["vermillion"]],
    6: [
        _O["blue"],
        _O["sky_blue"],
        _O["bluish_green"],
        _O["yellow"],
        _O["orange"],
        _O["vermillion"],
    ],
}

# One pattern per series/level for black-and-white print; the first stays solid. Lines
# only: dots and circles ("...", "ooo") are drawn as thousands of tiny shapes, which made
# one SVG chart 300 KB.
_HATCHES = ["", "///", "|||", "\\\\\\", "xxx", "---", "+++", "/-"]

SUPPRESSED = "suppressed"
#: What a chart is drawn as unless a caller asks for less: SVG for pages, PNG for Word
#: and PDF. Documents pass ``formats=("png",)``; the SVG is then "".
FORMATS = ("svg", "png")
_HIDDEN_FILL = "#d9d9d9"  # a block of suppressed counts in a distribution

_WIDTH_IN = 16 / 2.54  # 16 cm
#: The tallest chart that fits an A4 page under a heading (16 cm wide, 2.5 cm margins).
#: Horizontal bar charts grow past it when their labels need the room; a caller that
#: puts charts in Word or PDF splits long lists first (:func:`page_runs`).
PAGE_HEIGHT_IN = 9.0
_MAX_HEIGHT_IN = PAGE_HEIGHT_IN
_PNG_DPI = 200

_TITLE_PT = 12.5
_TITLE_WRAP = 62  # characters per title line at 16 cm
_LABEL_PT = 10.0
_TICK_PT = 9.5
_VALUE_PT = 9.0
_LEGEND_PT = 9.5
_TEXT_COLOUR = "#1a1a1a"
_MUTED_COLOUR = "#505050"
_GRID_COLOUR = "#d0d0d0"

_lock = threading.Lock()


def _font_family() -> list[str]:
    """Arial where installed, else a metric-compatible face; DejaVu Sans fills any gaps.

    Chosen once from the installed fonts so matplotlib never logs "font not found".
    """
    installed = {f.name for f in font_manager.fontManager.ttflist}
    for name in ("Arial", "Liberation Sans", "Arimo", "Helvetica"):
        if name in installed:
            return [name, "DejaVu Sans"]
    return ["DejaVu Sans"]


_FONT = _font_family()


@dataclass(frozen=True)
class Chart:
    """A drawn chart with everything needed to publish it accessibly.

    ``svg_data_uri`` is ``"data:image/svg+xml;base64,…"`` for ``<img src>`` on pages;
    ``png`` is a 200 dpi PNG, 16 cm wide, for Word and PDF; ``alt`` is a one-sentence
    text alternative; ``table_header`` and ``table_rows`` are the chart's data as text,
    ready to print beside it (suppressed values read "suppressed").
    """

    title: str
    svg_data_uri: str
    png: bytes
    alt: str
    table_header: list[str]
    table_rows: list[list[str]]

    @property
    def svg(self) -> bytes:
        """The SVG itself, to serve as an image of its own."""
        if not self.svg_data_uri:
            return b""
        return base64.b64decode(self.svg_data_uri.split(",", 1)[1])

    @property
    def png_data_uri(self) -> str:
        """The PNG as a ``data:`` URI, for print templates that prefer a bitmap."""
        return "data:image/png;base64," + base64.b64encode(self.png).decode("ascii")


# --- public chart types ---------------------------------------------------------------


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
        return _format_value(v, percent=percent, decimals=decimals)

    header = [category_label or "Category", *names]
    if denominators is not None:
        header.append(denominator_label)
    rows: list[list[str]] = []
    for i, category in enumerate(categories):
        row = [category]
        row += [SUPPRESSED if series[n][i] is None else fmt(_num(series[n][i])) for n in names]
        if denominators is not None:
            row.append(f"{denominators[i]:,}")
        rows.append(row)

    with _lock:
        fig = _new_figure(
            _bar_height(labels, len(names), horizontal, title, names if len(names) > 1 else ())
        )
        ax = fig.add_subplot()
        _style_axes(ax, horizontal=horizontal)

        k = len(names)
        group = 0.8
        thickness = group / k
        containers: list[BarContainer] = []
        all_values = [float(v) for n in names for v in series[n] if v is not None]
        for j, name in enumerate(names):
            colour = SERIES_COLOURS[j % len(SERIES_COLOURS)]
            hatch = _HATCHES[j % len(_HATCHES)] if k > 1 else ""
            offset = -group / 2 + (j + 0.5) * thickness
            shown = [(i, float(v)) for i, v in enumerate(series[name]) if v is not None]
            positions = [i + offset for i, _ in shown]
            heights = [v for _, v in shown]
            style = _patch_style(colour, hatch)
            if horizontal:
                bars = ax.barh(positions, heights, height=thickness * 0.92, **style)
            else:
                bars = ax.bar(positions, heights, width=thickness * 0.92, **style)
            for patch in bars.patches:
                patch.set_hatchcolor(_hatch_colour(colour))
                patch.set_hatch_linewidth(0.8)
            ax.bar_label(
                bars,
                labels=[fmt(v) for v in heights],
                padding=3,
                fontsize=_VALUE_PT,
                fontfamily=_FONT,
                color=_TEXT_COLOUR,
            )
            bars.set_label(_plain(name))
            containers.append(bars)
            for i, v in enumerate(series[name]):
                if v is None:
                    _mark_suppressed(ax, i + offset, horizontal=horizontal)

        positions = list(range(len(categories)))
        wrapped = [_wrap_category(lbl, len(categories), horizontal) for lbl in labels]
        if horizontal:
            ax.set_yticks(positions, labels=wrapped)
            ax.set_ylim(len(categories) - 0.5, -0.5)  # first category at the top
            ax.set_xlabel(_plain(value_label), fontsize=_LABEL_PT, fontfamily=_FONT)
            if category_label:
                ax.set_ylabel(_plain(category_label), fontsize=_LABEL_PT, fontfamily=_FONT)
        else:
            ax.set_xticks(positions, labels=wrapped)
            ax.set_xlim(-0.5, len(categories) - 0.5)
            ax.set_ylabel(_plain(value_label), fontsize=_LABEL_PT, fontfamily=_FONT)
            if category_label:
                ax.set_xlabel(_plain(category_label), fontsize=_LABEL_PT, fontfamily=_FONT)
        _value_axis_limits(ax, all_values, percent=percent, horizontal=horizontal)
        if k > 1:
            _legend(fig, containers, [_plain(n) for n in names], title)
        else:
            _draw_title(fig, title)
        if horizontal:
            _grow_until_labels_clear(fig, ax)
        svg, png = _render(fig, formats)

    orientation = "Horizontal" if horizontal else "Vertical"
    kind = "grouped bar chart" if k > 1 else "bar chart"
    series_part = f", comparing {_join_words(names)}" if k > 1 else ""
    alt = (
        f"{orientation} {kind} titled “{title}” showing {value_label.lower()} "
        f"for {_count_words(len(categories), 'category', 'categories')}{series_part}"
        f"{_extremes(categories, series, fmt)}; the table that follows gives every value."
    )
    return Chart(title, svg, png, alt, header, rows)


def stacked_distribution(
    *,
    title: str,
    categories: Sequence[str],
    levels: Sequence[str],
    counts: Sequence[Sequence[int | None]],
    value_label: str = "Number of records",
    category_label: str = "",
    totals: Sequence[int] | None = None,
    formats: Collection[str] = FORMATS,
) -> Chart:
    """100% stacked horizontal bars: how each category's count spreads across ``levels``.

    ``counts[i][j]`` is the count for category ``i`` at level ``j``; give the levels in
    scale order (best first for an evaluation scale), which is also the legend's order.
    A row with any suppressed (``None``) count cannot be turned into honest percentages,
    so its bar is not drawn ("not shown: some counts suppressed"); its table row shows
    the counts that are known. A row whose counts are all zero reads "no records".
    The data table gives "count (percentage)" per level and the row total.

    ``totals``, when the row totals are published anyway, lets a row with suppressed
    counts be drawn if they sit next to each other on the scale: they become one grey
    "suppressed" block (their combined share is the total less the counts shown, so it
    gives nothing away) and every other level keeps its true place and percentage.

    Raises ``ValueError`` if there are no categories or levels or the shapes disagree,
    or a count is negative.
    """
    categories = list(categories)
    levels = list(levels)
    if not categories or not levels:
        raise ValueError("A distribution chart needs at least one category and one level.")
    if len(counts) != len(categories):
        raise ValueError(f"{len(counts)} rows of counts for {len(categories)} categories.")
    for i, row in enumerate(counts):
        if len(row) != len(levels):
            raise ValueError(f"Row {i} has {len(row)} counts for {len(levels)} levels.")
        if any(c is not None and c < 0 for c in row):
            raise ValueError(f"Row {i} has a negative count.")

    if totals is not None and len(totals) != len(categories):
        raise ValueError(f"{len(totals)} totals for {len(categories)} categories.")
    # A row's hidden counts: drawn as one block when they are neighbours and its total is known.
    blocks: dict[int, tuple[int, int]] = {}
    if totals is not None:
        for i, row in enumerate(counts):
            try:
                block = suppressed_block(row, totals[i])
            except ValueError:
                raise ValueError(f"Row {i}: the counts shown exceed its total.") from None
            if block is not None:
                blocks[i] = block
    given = totals
    row_totals: list[int | None] = [
        given[i]
        if given is not None and (i in blocks or all(c is not None for c in row))
        else (None if any(c is None for c in row) else sum(c for c in row if c is not None))
        for i, row in enumerate(counts)
    ]

    header = [category_label or "Category", *levels, "Total"]
    rows: list[list[str]] = []
    for category, row, total in zip(categories, counts, row_totals, strict=True):
        cells = [category]
        for c in row:
            if c is None:
                cells.append(SUPPRESSED)
            elif total:
                cells.append(f"{c:,} ({_format_value(100 * c / total, percent=True)})")
            else:
                cells.append(f"{c:,}")
        cells.append("not available" if total is None else f"{total:,}")
        rows.append(cells)

    labels = [
        f"{c}\nn = {t:,}" if t is not None else c
        for c, t in zip(categories, row_totals, strict=True)
    ]
    colours = _level_colours(len(levels))

    with _lock:
        fig = _new_figure(_bar_height(labels, 1, True, title, legend_items=levels))
        ax = fig.add_subplot()
        _style_axes(ax, horizontal=True)

        drawable = [i for i, t in enumerate(row_totals) if t]
        left = [0.0] * len(drawable)
        containers: list[BarContainer] = []
        hidden_bars: BarContainer | None = None
        for j, level in enumerate(levels):
            for place, i in enumerate(drawable):
                if i in blocks and blocks[i][0] == j:
                    width = 100 * blocks[i][1] / _int(row_totals[i])
                    hidden_bars = ax.barh(
                        [i],
                        [width],
                        left=[left[place]],
                        height=0.62,
                        **_patch_style(_HIDDEN_FILL, "", edge="white"),
                    )
                    left[place] += width
            widths = [100 * (counts[i][j] or 0) / _int(row_totals[i]) for i in drawable]
            colour = colours[j]
            bars = ax.barh(
                drawable,
                widths,
                left=left,
                height=0.62,
                **_patch_style(colour, _HATCHES[j % len(_HATCHES)], edge="white"),
            )
            for patch in bars.patches:
                patch.set_hatchcolor(_hatch_colour(colour))
                patch.set_hatch_linewidth(0.8)
            bars.set_label(_plain(level))
            containers.append(bars)
            for i, x0, w in zip(drawable, left, widths, strict=True):
                if w >= 8:
                    ax.text(
                        x0 + w / 2,
                        i,
                        _format_value(w, percent=True),
                        ha="center",
                        va="center",
                        fontsize=_VALUE_PT - 0.5,
                        fontfamily=_FONT,
                        color=_TEXT_COLOUR,
                        bbox={
                            "boxstyle": "round,pad=0.15",
                            "facecolor": "white",
                            "edgecolor": "none",
                            "alpha": 0.85,
                        },
                    )
            left = [x + w for x, w in zip(left, widths, strict=True)]
        for i, total in enumerate(row_totals):
            if not total:
                note = "Not shown: some counts suppressed" if total is None else "No records"
                ax.annotate(
                    note,
                    xy=(0, i),
                    xytext=(4, 0),
                    textcoords="offset points",
                    va="center",
                    fontsize=_VALUE_PT,
                    fontstyle="italic",
                    fontfamily=_FONT,
                    color=_MUTED_COLOUR,
                )

        n = len(categories)
        ax.set_yticks(range(n), labels=[_wrap_category(lbl, n, True) for lbl in labels])
        ax.set_ylim(n - 0.5, -0.5)
        ax.set_xlim(0, 100)
        ax.xaxis.set_major_formatter(PercentFormatter(xmax=100, decimals=0))
        ax.set_xlabel(_percentage_label(value_label), fontsize=_LABEL_PT, fontfamily=_FONT)
        if category_label:
            ax.set_ylabel(_plain(category_label), fontsize=_LABEL_PT, fontfamily=_FONT)
        legend_labels = [_plain(lv) for lv in levels]
        if hidden_bars is not None:
            hidden_bars.set_label("Suppressed (small numbers)")
            containers.append(hidden_bars)
            legend_labels.append("Suppressed (small numbers)")
        _legend(fig, containers, legend_labels, title)
        _grow_until_labels_clear(fig, ax)
        svg, png = _render(fig, formats)

    suppressed_rows = sum(1 for t in row_totals if t is None)
    suppressed_part = (
        f", {_count_words(suppressed_rows, 'of which is', 'of which are')} not drawn "
        "because some counts are suppressed"
        if suppressed_rows
        else ""
    )
    alt = (
        f"100% stacked bar chart titled “{title}” showing, for each of "
        f"{_count_words(len(categories), 'category', 'categories')}, the percentage of "
        f"{_noun(value_label)} at each of {len(levels)} levels "
        f"({_join_words(levels)}){suppressed_part}; "
        "the table that follows gives each count and percentage."
    )
    return Chart(title, svg, png, alt, header, rows)


#: Point colours on run and control charts, as NHS Making Data Count uses them: grey for
#: common cause, blue for improvement, orange for concern, purple where no direction is
#: set. Marker shapes differ too, so the chart reads in black and white.
POINT_STYLES: dict[str, tuple[str, str, str]] = {
    "common_cause": ("#7f7f7f", "o", "Common cause"),
    "special_cause_improvement": ("#0072B2", "s", "Special cause: improvement"),
    "special_cause_concern": ("#E69F00", "D", "Special cause: concern"),
    "special_cause_neutral": ("#7C2855", "^", "Special cause: change"),
}


def suppressed_block(row: Sequence[int | None], total: int) -> tuple[int, int] | None:
    """Where a row's suppressed counts can be drawn as one block, and its size.

    ``(first position, count)`` when the hidden (None) counts sit next to each other: their
    combined count is the row's total less the counts shown, so drawing it gives nothing
    away and every other count keeps its true place. None when nothing is hidden or the
    hidden counts are apart (then nobody could place the counts between them). ValueError
    when the counts shown add up to more than the total.
    """
    hidden = [j for j, c in enumerate(row) if c is None]
    if not hidden or hidden != list(range(hidden[0], hidden[-1] + 1)):
        return None
    rest = total - sum(c for c in row if c is not None)
    if rest < 0:
        raise ValueError("the counts shown exceed the total")
    return hidden[0], rest


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
        return _format_value(v, percent=percent, decimals=1)

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

    with _lock:
        fig = _new_figure(4.2 if not markers else 4.5)
        ax = fig.add_subplot()
        _style_axes(ax, horizontal=False)
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
                fontsize=_VALUE_PT,
                fontfamily=_FONT,
                color=_TEXT_COLOUR,
                bbox={"boxstyle": "circle,pad=0.2", "facecolor": "white", "edgecolor": "#56B4E9"},
            )
        step = max(1, math.ceil(n / 12))
        ax.set_xticks(xs[::step], labels=[_plain(labels[i]) for i in xs[::step]])
        ax.tick_params(axis="x", labelrotation=45)
        for tick in ax.get_xticklabels():
            tick.set_horizontalalignment("right")
        ax.set_xlim(-0.6, max(n - 0.4, 0.6))
        ax.set_ylabel(_plain(value_label), fontsize=_LABEL_PT, fontfamily=_FONT)
        if percent:
            ax.yaxis.set_major_formatter(PercentFormatter(xmax=100, decimals=0))
        low = min([v for _, v in plotted] + [v for v in (lcl or []) if v is not None] + [top])
        pad = (top - low) * 0.08 or 1.0
        # Percentages start at 0; other measures start just below their lowest value.
        ax.set_ylim(min(low - pad, 0.0) if percent else low - pad, top + pad)
        ax.grid(axis="y", color=_GRID_COLOUR, linewidth=0.6)
        handles, names = ax.get_legend_handles_labels()
        _legend(fig, cast(list[BarContainer], handles), [_plain(x) for x in names], title)
        svg, png = _render(fig, formats)

    signals = sum(
        1 for t, v in zip(types, values, strict=True) if v is not None and t != "common_cause"
    )
    kind = "control chart" if has_limits else "run chart"
    alt = (
        f"Line {kind} titled “{title}” of {value_label.lower()} over {n} periods, "
        f"{labels[0] if n else ''} to {labels[-1] if n else ''}, with its "
        f"{centre_label.lower()}{' and limits' if has_limits else ''}; "
        f"{_count_words(signals, 'point shows', 'points show')} a signal; "
        "the table that follows gives every value."
    )
    return Chart(title, svg, png, alt, header, rows)


# --- helpers --------------------------------------------------------------------------


def _num(value: float | None) -> float:
    assert value is not None
    return float(value)


def _int(value: int | None) -> int:
    assert value is not None
    return value


def _format_value(value: float, *, percent: bool, decimals: int | None = None) -> str:
    """ "72%" for percentages; "1,204" for whole numbers; "3.5" otherwise."""
    if percent:
        return f"{value:.{decimals or 0}f}%"
    if decimals is not None:
        return f"{value:,.{decimals}f}"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.1f}"


def _plain(text: str) -> str:
    """Text as the reader wrote it: no mathtext from "$", no legend-hiding "_" prefix."""
    text = text.replace("$", r"\$")
    return "\u2009" + text if text.startswith("_") else text


def _wrap_category(label: str, count: int, horizontal: bool) -> str:
    """The label on as many lines as it needs. Horizontal charts break only between
    words (a word longer than a line keeps its own line); vertical ones share roughly
    5.6 inches of axis between the categories, ~13 characters an inch, and break long
    words there rather than run into the next label."""
    width = 28 if horizontal else max(8, int(5.6 / count * 13))
    lines = []
    for part in label.split("\n"):
        lines.extend(
            textwrap.wrap(
                part,
                width=width,
                break_long_words=not horizontal,
                break_on_hyphens=not horizontal,
            )
            or [""]
        )
    return _plain("\n".join(lines))


def page_runs(
    categories: Sequence[str],
    *,
    title: str,
    denominators: bool = True,
    series_count: int = 1,
    legend_items: Sequence[str] = (),
) -> list[range]:
    """Split a horizontal chart's categories, in order, into runs whose charts each fit
    a page (:data:`PAGE_HEIGHT_IN`), for Word and PDF. ``denominators``: each label has
    its "n = …" line. A category that needs a page on its own gets one."""
    runs: list[range] = []
    start = 0
    for end in range(1, len(categories) + 1):
        labels = [c + ("\nn = 00" if denominators else "") for c in categories[start:end]]
        fits = (
            _bar_height(labels, series_count, True, title, legend_items, cap=False)
            <= PAGE_HEIGHT_IN
        )
        if not fits and end - 1 > start:
            runs.append(range(start, end - 1))
            start = end - 1
    if start < len(categories):
        runs.append(range(start, len(categories)))
    return runs


# Space between one category's label and the next, in points.
_LABEL_GAP_PT = 3.0


def _grow_until_labels_clear(fig: Figure, ax: Axes) -> None:
    """Make the figure taller until no category label touches the next one.

    ``_bar_height`` estimates the room labels need; this measures them after layout
    (matplotlib's own text extents) and adds whatever height is still missing, so long
    wrapped labels and their "n = …" lines never overlap, whatever the font.
    """
    for _ in range(4):
        fig.draw_without_rendering()
        renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
        low, high = sorted(ax.get_ylim())
        boxes = sorted(
            (
                label.get_window_extent(renderer)
                for label, y in zip(ax.get_yticklabels(), ax.get_yticks(), strict=True)
                if low <= y <= high and label.get_text()
            ),
            key=lambda box: -box.y1,
        )
        if len(boxes) < 2:
            return
        gap = _LABEL_GAP_PT * fig.dpi / 72
        # Categories sit one unit apart, so one unit of axis must hold the taller half of
        # each neighbour's label and the gap.
        needed = max((upper.height + lower.height) / 2 + gap for upper, lower in pairwise(boxes))
        pitch = ax.get_window_extent(renderer).height / (high - low)
        if pitch >= needed - 0.01:
            return
        extra = (needed - pitch) * (high - low) + 1
        width, height = fig.get_size_inches()
        fig.set_size_inches(width, height + extra / fig.dpi)


def _bar_height(
    labels: Sequence[str],
    series_count: int,
    horizontal: bool,
    title: str,
    legend_items: Sequence[str] = (),
    *,
    cap: bool = False,
) -> float:
    """Figure height in inches: enough room per category for its bars and its label.

    Vertical charts are at most a page tall; horizontal ones grow with their labels
    (never capped unless ``cap``, so labels are never squeezed into each other)."""
    title_lines = len(textwrap.wrap(title, _TITLE_WRAP)) or 1
    legend_count = len(legend_items)
    legend_rows = (
        math.ceil(legend_count / _legend_columns(legend_items, legend_count))
        if legend_count > 1
        else 0
    )
    overhead = 0.75 + 0.24 * title_lines + 0.26 * legend_rows
    if not horizontal:
        lines = max(len(_wrap_category(lbl, len(labels), False).split("\n")) for lbl in labels)
        return min(_MAX_HEIGHT_IN, overhead + 3.0 + 0.17 * lines)
    body = 0.0
    for label in labels:
        lines = len(_wrap_category(label, len(labels), True).split("\n"))
        body += max(0.4, 0.24 * series_count + 0.16, 0.18 * lines + 0.12)
    return min(_MAX_HEIGHT_IN, overhead + body) if cap else overhead + body


def _legend_columns(items: Sequence[str], count: int) -> int:
    """The most columns whose entries fit across the figure (estimated, generously)."""
    if count <= 1:
        return 1
    longest = max((len(i) for i in items), default=12)
    em = _LEGEND_PT
    entry = em * (2.2 + 0.8 + 1.4) + longest * 0.6 * em  # handle, gap, spacing, text
    fits = max(1, int((_WIDTH_IN * 72 - 12) // entry))
    if fits >= count:
        return count
    # Balance the rows: 6 entries that fit 4 to a row read better as 3 + 3.
    rows = math.ceil(count / fits)
    return math.ceil(count / rows)


def _new_figure(height: float) -> Figure:
    fig = Figure(
        figsize=(_WIDTH_IN, height),
        layout=ConstrainedLayoutEngine(h_pad=0.06, w_pad=0.06),
        facecolor="white",
    )
    FigureCanvasAgg(fig)
    return fig


def _title_text(title: str) -> str:
    return _plain(textwrap.fill(title, _TITLE_WRAP))


def _draw_title(fig: Figure, title: str) -> None:
    """The title above a chart that has no key (a chart with a key uses ``_legend``)."""
    fig.suptitle(
        _title_text(title),
        x=0.01,
        ha="left",
        fontsize=_TITLE_PT,
        fontweight="bold",
        fontfamily=_FONT,
        color=_TEXT_COLOUR,
    )


def _style_axes(ax: Axes, *, horizontal: bool) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color("#6f6f6f")
    ax.tick_params(labelsize=_TICK_PT, labelfontfamily=_FONT, colors=_TEXT_COLOUR, color="#6f6f6f")
    ax.set_axisbelow(True)
    ax.grid(axis="x" if horizontal else "y", color=_GRID_COLOUR, linewidth=0.7)
    if horizontal:
        ax.tick_params(axis="y", length=0)
    else:
        ax.tick_params(axis="x", length=0)


def _patch_style(colour: str, hatch: str, edge: str | None = None) -> dict[str, Any]:
    return {
        "color": colour,
        "hatch": hatch or None,
        "edgecolor": edge or colour,
        "linewidth": 0.8 if edge else 0,
    }


def _luminance(colour: str) -> float:
    """WCAG relative luminance, 0 (black) to 1 (white)."""

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = to_rgb(colour)
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def _hatch_colour(fill: str) -> tuple[float, float, float, float]:
    """White lines on dark fills, dark lines on light ones: visible either way."""
    return (1, 1, 1, 0.8) if _luminance(fill) < 0.2 else (0.1, 0.1, 0.1, 0.55)


def _level_colours(count: int) -> list[str]:
    if count in LEVEL_COLOURS:
        return LEVEL_COLOURS[count]
    extra = [_O["reddish_purple"], "#999999", _O["black"]]
    base = LEVEL_COLOURS[6] + extra
    return [base[i % len(base)] for i in range(count)]


def _mark_suppressed(ax: Axes, position: float, *, horizontal: bool) -> None:
    common: dict[str, Any] = {
        "textcoords": "offset points",
        "fontsize": _VALUE_PT - 0.5,
        "fontstyle": "italic",
        "fontfamily": _FONT,
        "color": _MUTED_COLOUR,
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


def _legend(fig: Figure, handles: list[BarContainer], labels: list[str], title: str) -> None:
    """The chart's title with the key beneath it, as one block above the plot.

    The title is the legend's title so that the constrained layout reserves room for
    both (a suptitle and an outside legend would overlap). Entries read left to right in
    the order given, wrapping onto further rows when they do not fit on one.
    """
    columns = _legend_columns(labels, len(labels))
    rows = math.ceil(len(labels) / columns)
    # Matplotlib fills a legend column by column; reorder so that it reads row by row.
    order = [
        i * columns + j
        for j in range(columns)
        for i in range(rows)
        if i * columns + j < len(labels)
    ]
    legend = fig.legend(
        [cast(Artist, handles[i]) for i in order],  # a BarContainer works as a handle
        [labels[i] for i in order],
        loc="outside upper left",
        ncols=columns,
        frameon=False,
        prop={"family": _FONT, "size": _LEGEND_PT},
        title=_title_text(title),
        title_fontproperties={"family": _FONT, "size": _TITLE_PT, "weight": "bold"},
        alignment="left",
        handlelength=2.2,
        handleheight=1.2,
        columnspacing=1.4,
        borderaxespad=0.2,
    )
    legend.get_title().set_color(_TEXT_COLOUR)
    for text in legend.get_texts():
        text.set_color(_TEXT_COLOUR)


def _render(fig: Figure, formats: Collection[str]) -> tuple[str, bytes]:
    """The figure as an SVG data URI and PNG bytes; a format not asked for is left empty
    (each one costs about as much as drawing the chart)."""
    svg, png = "", b""
    if "svg" in formats:
        svg_buffer = io.BytesIO()
        # Text as text, not as outlines: a sixth of the size, and its words can be read,
        # searched and copied. Called under the module lock, so the temporary settings
        # touch no other drawing; the fixed salt gives the same file for the same chart.
        with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "howgood"}):
            fig.savefig(svg_buffer, format="svg", metadata={"Date": None})
        encoded = base64.b64encode(_svg_fonts(svg_buffer.getvalue())).decode("ascii")
        svg = f"data:image/svg+xml;base64,{encoded}"
    if "png" in formats:
        png_buffer = io.BytesIO()
        fig.savefig(png_buffer, format="png", dpi=_PNG_DPI, metadata={"Software": None})
        png = _smaller_png(png_buffer.getvalue())
    return svg, png


# Faces with the same letter widths as the one the chart was laid out in, for browsers
# that lack it, then any sans-serif face.
_SVG_FALLBACK = {
    "Arial": "Arial, 'Liberation Sans', Arimo, Helvetica, sans-serif",
    "Liberation Sans": "'Liberation Sans', Arial, Arimo, Helvetica, sans-serif",
    "Arimo": "Arimo, Arial, 'Liberation Sans', Helvetica, sans-serif",
    "Helvetica": "Helvetica, Arial, 'Liberation Sans', Arimo, sans-serif",
    "DejaVu Sans": "'DejaVu Sans', Verdana, sans-serif",
}


def _svg_fonts(svg: bytes) -> bytes:
    """The SVG's font list with faces of the same widths and a generic family, so a
    browser without the drawing's own face still fits each label where it was placed."""
    return re.sub(rb"font-family: [^;\"]*", f"font-family: {_SVG_FALLBACK[_FONT[0]]}".encode(), svg)


def _smaller_png(png: bytes) -> bytes:
    """The PNG with at most 256 colours (a chart has a handful, plus the smoothing of
    its edges), often a third of the size, looking the same in Word and PDF."""
    with Image.open(io.BytesIO(png)) as image:
        fewer = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
        out = io.BytesIO()
        fewer.save(out, format="PNG", optimize=True, dpi=(_PNG_DPI, _PNG_DPI))
    smaller = out.getvalue()
    return smaller if len(smaller) < len(png) else png


def _percentage_label(value_label: str) -> str:
    """ "Percentage of records" from "Number of records"; "Percentage" otherwise."""
    if value_label.lower().startswith("number of "):
        return _plain("Percentage of " + _noun(value_label))
    return "Percentage"


def _noun(value_label: str) -> str:
    """ "records" from "Number of records"; the label itself, in lower case, otherwise."""
    prefix = "number of "
    lowered = value_label.lower()
    return lowered[len(prefix) :] if lowered.startswith(prefix) else lowered


def _join_words(items: Sequence[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _count_words(count: int, singular: str, plural: str) -> str:
    return f"{count} {singular if count == 1 else plural}"


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
