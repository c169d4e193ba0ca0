"""Helpers that look at a drawn chart the way a reader does: where each piece of text
lands (matplotlib's own text extents after layout), not what was asked for."""

from __future__ import annotations

from typing import Any

from matplotlib.figure import Figure
from matplotlib.text import Text

from howgood.toolkit.charts import bars, base, distribution, spc


def capture_figures(monkeypatch: Any) -> list[Figure]:
    """Every figure the chart module renders from now on, after it has been saved (so its
    layout is final)."""
    figures: list[Figure] = []
    original = base.render

    def render(fig: Figure, formats: Any) -> Any:
        result = original(fig, formats)
        # Lay it out again at the figure's own resolution: saving at another one leaves
        # axis labels placed for that resolution.
        fig.draw_without_rendering()
        figures.append(fig)
        return result

    for module in (bars, distribution, spc):  # each calls the render it imported
        monkeypatch.setattr(module, "render", render)
    return figures


def drawn_texts(fig: Figure) -> list[tuple[str, Any]]:
    """(text, window extent) of every piece of text drawn on the figure."""
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    shown = []
    for text in fig.findobj(Text):
        if not text.get_visible() or not text.get_text().strip():
            continue
        # Tick labels of ticks outside the axis are never drawn.
        axes = text.axes
        if axes is not None and text in axes.get_yticklabels() + axes.get_xticklabels():
            low, high = sorted(
                axes.get_ylim() if text in axes.get_yticklabels() else axes.get_xlim()
            )
            x, y = text.get_position()
            where = y if text in axes.get_yticklabels() else x
            if not low <= where <= high:
                continue
        shown.append((text.get_text(), text.get_window_extent(renderer)))
    return shown


def overlaps(fig: Figure) -> list[tuple[str, str]]:
    """Pairs of drawn texts whose boxes overlap by more than half a pixel each way."""
    texts = drawn_texts(fig)
    found = []
    for i, (a, box_a) in enumerate(texts):
        for b, box_b in texts[i + 1 :]:
            across = min(box_a.x1, box_b.x1) - max(box_a.x0, box_b.x0)
            down = min(box_a.y1, box_b.y1) - max(box_a.y0, box_b.y0)
            if across > 0.5 and down > 0.5:
                found.append((a, b))
    return found


def outside(fig: Figure) -> list[str]:
    """Texts that run off the edge of the figure (cut off in the image)."""
    width, height = fig.canvas.get_width_height()
    return [
        t
        for t, box in drawn_texts(fig)
        if box.x0 < -0.5 or box.y0 < -0.5 or box.x1 > width + 0.5 or box.y1 > height + 0.5
    ]


def category_labels(fig: Figure) -> list[str]:
    """The category axis's labels as one line of words each (line breaks undone)."""
    return [" ".join(label.get_text().split()) for label in fig.axes[0].get_yticklabels()]
