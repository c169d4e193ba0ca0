from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import template

register = template.Library()


@dataclass(frozen=True)
class Segment:
    x: float
    width: float
    colour: str
    label: str
    percent: float


def _colours(count: int) -> list[str]:
    # The report charts' level colours (Okabe–Ito, colour-blind safe), so a page and its
    # Word or PDF report draw each answer in the same colour. Imported here, not at the
    # top: reports.charts loads matplotlib, which takes seconds, and a page needs only these.
    from howgood.reports.charts import LEVEL_COLOURS, OKABE_ITO

    if count in LEVEL_COLOURS:
        return LEVEL_COLOURS[count]
    palette = [*LEVEL_COLOURS[6], OKABE_ITO["reddish_purple"], "#999999", OKABE_ITO["black"]]
    return [palette[i % len(palette)] for i in range(count)]


HIDDEN_COLOUR = "#d9d9d9"
HIDDEN_LABEL = "Hidden (small numbers)"


@register.simple_tag
def bar_segments(
    counts: list[int | None], options: list[tuple[str, str]], total: int
) -> list[Segment]:
    """Where each answer's share sits on a 100%-wide bar (x and width in percent).

    Hidden counts (None) are drawn as one grey "hidden" block when they sit next to each
    other (``reports.charts.suppressed_block``); when they are apart, or nobody answered,
    there are no segments and the template says the bar is not drawn.
    """
    # Imported here, not at the top: reports.charts loads matplotlib, which takes seconds,
    # and a page needs only this one rule from it.
    from howgood.reports.charts import suppressed_block

    block = suppressed_block(counts, total) if total else None
    if not total or (block is None and None in counts):
        return []
    colours = _colours(len(options))
    segments, x = [], 0.0
    for i, ((_, label), count, colour) in enumerate(zip(options, counts, colours, strict=True)):
        if count is None:
            if block is not None and i == block[0]:
                width = 100 * block[1] / total
                segments.append(
                    Segment(round(x, 3), round(width, 3), HIDDEN_COLOUR, HIDDEN_LABEL, width)
                )
                x += width
            continue
        width = 100 * count / total
        if width:
            segments.append(Segment(round(x, 3), round(width, 3), colour, label, width))
        x += width
    return segments


@register.simple_tag
def legend(options: list[tuple[str, str]], rows: Any = ()) -> list[tuple[str, str]]:
    """(label, colour) for each answer, in scale order, and the grey of hidden numbers if
    any row has them."""
    keys = list(zip([label for _, label in options], _colours(len(options)), strict=True))
    if any(c is None for row in rows for c in row[1]):
        keys.append((HIDDEN_LABEL, HIDDEN_COLOUR))
    return keys
