"""How counts spread across the levels of a scale: 100% stacked bars, with suppressed
counts never drawn."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from matplotlib.container import BarContainer
from matplotlib.ticker import PercentFormatter

from howgood.toolkit.charts.base import (
    DRAWING_LOCK,
    FONT,
    FORMATS,
    HATCHES,
    LABEL_PT,
    LEVEL_COLOURS,
    MUTED_COLOUR,
    OKABE_ITO,
    SUPPRESSED,
    TEXT_COLOUR,
    VALUE_PT,
    Chart,
    as_int,
    bar_height,
    count_words,
    draw_legend,
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


def stacked_distribution(
    *,
    title: str,
    categories: Sequence[str],
    levels: Sequence[str],
    counts: Sequence[Sequence[int | None]],
    value_label: str = "Number of records",
    category_label: str = "",
    totals: Sequence[int] | None = None,
    suppressed_word: str = SUPPRESSED,
    formats: Collection[str] = FORMATS,
) -> Chart:
    """100% stacked horizontal bars: how each category's count spreads across ``levels``.

        ``counts[i][j]`` is the count for category ``i`` at level ``j``; give the levels in
        scale order (best first for an evaluation scale), which is also the legend's order.
        A row with any suppressed (``None``) count cannot be turned into honest percentages,
        so its bar is not drawn ("not shown: some counts suppressed"); its table row shows
        the counts that are known. A row whose counts are all zero reads "No records" (the noun
    of ``value_label``).
        The data table gives "count (percentage)" per level and the row total.

        ``totals``, when the row totals are published anyway, lets a row with suppressed
        counts be drawn if they sit next to each other on the scale: they become one grey
        "suppressed" block (their combined share is the total less the counts shown, so it
        gives nothing away) and every other level keeps its true place and percentage.

        ``suppressed_word`` is the word for a suppressed count in the chart, its table and its
        text alternative ("hidden" where a page says so).

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
                cells.append(suppressed_word)
            elif total:
                cells.append(f"{c:,} ({format_value(100 * c / total, percent=True)})")
            else:
                cells.append(f"{c:,}")
        cells.append("not available" if total is None else f"{total:,}")
        rows.append(cells)

    labels = [
        f"{c}\nn = {t:,}" if t is not None else c
        for c, t in zip(categories, row_totals, strict=True)
    ]
    colours = _level_colours(len(levels))

    with DRAWING_LOCK:
        fig = new_figure(bar_height(labels, 1, True, title, legend_items=levels))
        ax = fig.add_subplot()
        style_axes(ax, horizontal=True)

        drawable = [i for i, t in enumerate(row_totals) if t]
        left = [0.0] * len(drawable)
        containers: list[BarContainer] = []
        hidden_bars: BarContainer | None = None
        for j, level in enumerate(levels):
            for place, i in enumerate(drawable):
                if i in blocks and blocks[i][0] == j:
                    width = 100 * blocks[i][1] / as_int(row_totals[i])
                    hidden_bars = ax.barh(
                        [i],
                        [width],
                        left=[left[place]],
                        height=0.62,
                        **patch_style(_HIDDEN_FILL, "", edge="white"),
                    )
                    left[place] += width
            widths = [100 * (counts[i][j] or 0) / as_int(row_totals[i]) for i in drawable]
            colour = colours[j]
            bars = ax.barh(
                drawable,
                widths,
                left=left,
                height=0.62,
                **patch_style(colour, HATCHES[j % len(HATCHES)], edge="white"),
            )
            for patch in bars.patches:
                patch.set_hatchcolor(hatch_colour(colour))
                patch.set_hatch_linewidth(0.8)
            bars.set_label(plain(level))
            containers.append(bars)
            for i, x0, w in zip(drawable, left, widths, strict=True):
                if w >= 8:
                    ax.text(
                        x0 + w / 2,
                        i,
                        format_value(w, percent=True),
                        ha="center",
                        va="center",
                        fontsize=VALUE_PT - 0.5,
                        fontfamily=FONT,
                        color=TEXT_COLOUR,
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
                note = (
                    f"Not shown: some counts {suppressed_word}"
                    if total is None
                    else f"No {_noun(value_label)}"
                )
                ax.annotate(
                    note,
                    xy=(0, i),
                    xytext=(4, 0),
                    textcoords="offset points",
                    va="center",
                    fontsize=VALUE_PT,
                    fontstyle="italic",
                    fontfamily=FONT,
                    color=MUTED_COLOUR,
                )

        n = len(categories)
        ax.set_yticks(range(n), labels=[wrap_category(lbl, n, True) for lbl in labels])
        ax.set_ylim(n - 0.5, -0.5)
        ax.set_xlim(0, 100)
        ax.xaxis.set_major_formatter(PercentFormatter(xmax=100, decimals=0))
        ax.set_xlabel(_percentage_label(value_label), fontsize=LABEL_PT, fontfamily=FONT)
        if category_label:
            ax.set_ylabel(plain(category_label), fontsize=LABEL_PT, fontfamily=FONT)
        legend_labels = [plain(lv) for lv in levels]
        if hidden_bars is not None:
            hidden_label = f"{suppressed_word.capitalize()} (small numbers)"
            hidden_bars.set_label(hidden_label)
            containers.append(hidden_bars)
            legend_labels.append(hidden_label)
        draw_legend(fig, containers, legend_labels, title)
        grow_until_labels_clear(fig, ax)
        svg, png = render(fig, formats)

    suppressed_rows = sum(1 for t in row_totals if t is None)
    suppressed_part = (
        f", {count_words(suppressed_rows, 'of which is', 'of which are')} not drawn "
        f"because some counts are {suppressed_word}"
        if suppressed_rows
        else ""
    )
    alt = (
        f"100% stacked bar chart titled “{title}” showing, for each of "
        f"{count_words(len(categories), 'category', 'categories')}, the percentage of "
        f"{_noun(value_label)} at each of {len(levels)} levels "
        f"({join_words(levels)}){suppressed_part}; "
        "the table that follows gives each count and percentage."
    )
    return Chart(title, svg, png, alt, header, rows)


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


_HIDDEN_FILL = "#d9d9d9"  # a block of suppressed counts in a distribution


def _level_colours(count: int) -> list[str]:
    if count in LEVEL_COLOURS:
        return LEVEL_COLOURS[count]
    extra = [OKABE_ITO["reddish_purple"], "#999999", OKABE_ITO["black"]]
    base = LEVEL_COLOURS[6] + extra
    return [base[i % len(base)] for i in range(count)]


def _percentage_label(value_label: str) -> str:
    """ "Percentage of records" from "Number of records"; "Percentage" otherwise."""
    if value_label.lower().startswith("number of "):
        return plain("Percentage of " + _noun(value_label))
    return "Percentage"


def _noun(value_label: str) -> str:
    """ "records" from "Number of records"; the label itself, in lower case, otherwise."""
    prefix = "number of "
    lowered = value_label.lower()
    return lowered[len(prefix) :] if lowered.startswith(prefix) else lowered
