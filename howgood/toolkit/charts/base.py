"""What every chart shares: the :class:`Chart` it returns, colours, fonts, sizes, layout
and rendering. The chart kinds are in ``bars``, ``distribution`` and ``spc``.

Charts are drawn once on the server, for pages (SVG) and for Word and PDF (PNG).

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
import datetime as dt
import hashlib
import io
import json
import math
import re
import textwrap
import threading
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, fields, is_dataclass
from decimal import Decimal
from functools import cached_property
from itertools import pairwise
from typing import Any, cast

import matplotlib
import numpy as np
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

__all__ = [
    "FORMATS",
    "LEVEL_COLOURS",
    "OKABE_ITO",
    "PAGE_HEIGHT_IN",
    "SERIES_COLOURS",
    "SUPPRESSED",
    "Chart",
    "page_runs",
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
HATCHES = ["", "///", "|||", "\\\\\\", "xxx", "---", "+++", "/-"]

SUPPRESSED = "suppressed"
#: What a chart is drawn as unless a caller asks for less: SVG for pages, PNG for Word
#: and PDF. Documents pass ``formats=("png",)``; the SVG is then "".
FORMATS = ("svg", "png")

_WIDTH_IN = 16 / 2.54  # 16 cm
#: The tallest chart that fits an A4 page under a heading (16 cm wide, 2.5 cm margins).
#: Horizontal bar charts grow past it when their labels need the room; a caller that
#: puts charts in Word or PDF splits long lists first (:func:`page_runs`).
PAGE_HEIGHT_IN = 9.0
_MAX_HEIGHT_IN = PAGE_HEIGHT_IN
_PNG_DPI = 200

_TITLE_PT = 12.5
_TITLE_WRAP = 62  # characters per title line at 16 cm
LABEL_PT = 10.0
_TICK_PT = 9.5
VALUE_PT = 9.0
_LEGEND_PT = 9.5
TEXT_COLOUR = "#1a1a1a"
MUTED_COLOUR = "#505050"
GRID_COLOUR = "#d0d0d0"

DRAWING_LOCK = threading.Lock()


def _font_family() -> list[str]:
    """Arial where installed, else a metric-compatible face; DejaVu Sans fills any gaps.

    Chosen once from the installed fonts so matplotlib never logs "font not found".
    """
    installed = {f.name for f in font_manager.fontManager.ttflist}
    for name in ("Arial", "Liberation Sans", "Arimo", "Helvetica"):
        if name in installed:
            return [name, "DejaVu Sans"]
    return ["DejaVu Sans"]


FONT = _font_family()


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

    @cached_property
    def print_data_uri(self) -> str:
        """The PNG in full colour (RGB, quickly compressed) as a ``data:`` URI, for PDF:
        WeasyPrint turns a PNG with a palette into full colour and writes it out again
        before it writes it into the PDF; given full colour, it writes it once. Made
        once per chart (0.05 s) and kept with it by :func:`kept`, so a PDF made again
        saves that and WeasyPrint's own (half a second for a report of eleven charts)."""
        if not self.png:
            return ""
        with Image.open(io.BytesIO(self.png)) as image:
            out = io.BytesIO()
            image.convert("RGB").save(out, format="PNG", compress_level=1)
        return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode("ascii")


# --- helpers --------------------------------------------------------------------------


def as_float(value: float | None) -> float:
    assert value is not None
    return float(value)


def as_int(value: int | None) -> int:
    assert value is not None
    return value


def format_value(value: float, *, percent: bool, decimals: int | None = None) -> str:
    """ "72%" for percentages; "1,204" for whole numbers; "3.5" otherwise."""
    if percent:
        return f"{value:.{decimals or 0}f}%"
    if decimals is not None:
        return f"{value:,.{decimals}f}"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.1f}"


def plain(text: str) -> str:
    """Text as the reader wrote it: no mathtext from "$", no legend-hiding "_" prefix."""
    text = text.replace("$", r"\$")
    return "\u2009" + text if text.startswith("_") else text


def wrap_category(label: str, count: int, horizontal: bool) -> str:
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
    return plain("\n".join(lines))


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
            bar_height(labels, series_count, True, title, legend_items, cap=False) <= PAGE_HEIGHT_IN
        )
        if not fits and end - 1 > start:
            runs.append(range(start, end - 1))
            start = end - 1
    if start < len(categories):
        runs.append(range(start, len(categories)))
    return runs


# Space between one category's label and the next, in points.
_LABEL_GAP_PT = 3.0


def grow_until_labels_clear(fig: Figure, ax: Axes) -> None:
    """Make the figure taller until no category label touches the next one.

    ``bar_height`` estimates the room labels need; this measures them after layout
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


def bar_height(
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
        lines = max(len(wrap_category(lbl, len(labels), False).split("\n")) for lbl in labels)
        return min(_MAX_HEIGHT_IN, overhead + 3.0 + 0.17 * lines)
    body = 0.0
    for label in labels:
        lines = len(wrap_category(label, len(labels), True).split("\n"))
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


def new_figure(height: float) -> Figure:
    fig = Figure(
        figsize=(_WIDTH_IN, height),
        layout=ConstrainedLayoutEngine(h_pad=0.06, w_pad=0.06),
        facecolor="white",
    )
    FigureCanvasAgg(fig)
    return fig


def _title_text(title: str) -> str:
    return plain(textwrap.fill(title, _TITLE_WRAP))


def draw_title(fig: Figure, title: str) -> None:
    """The title above a chart that has no key (a chart with a key uses ``draw_legend``)."""
    fig.suptitle(
        _title_text(title),
        x=0.01,
        ha="left",
        fontsize=_TITLE_PT,
        fontweight="bold",
        fontfamily=FONT,
        color=TEXT_COLOUR,
    )


def style_axes(ax: Axes, *, horizontal: bool) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color("#6f6f6f")
    ax.tick_params(labelsize=_TICK_PT, labelfontfamily=FONT, colors=TEXT_COLOUR, color="#6f6f6f")
    ax.set_axisbelow(True)
    ax.grid(axis="x" if horizontal else "y", color=GRID_COLOUR, linewidth=0.7)
    if horizontal:
        ax.tick_params(axis="y", length=0)
    else:
        ax.tick_params(axis="x", length=0)


def patch_style(colour: str, hatch: str, edge: str | None = None) -> dict[str, Any]:
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


def hatch_colour(fill: str) -> tuple[float, float, float, float]:
    """White lines on dark fills, dark lines on light ones: visible either way."""
    return (1, 1, 1, 0.8) if _luminance(fill) < 0.2 else (0.1, 0.1, 0.1, 0.55)


def draw_legend(fig: Figure, handles: list[BarContainer], labels: list[str], title: str) -> None:
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
        prop={"family": FONT, "size": _LEGEND_PT},
        title=_title_text(title),
        title_fontproperties={"family": FONT, "size": _TITLE_PT, "weight": "bold"},
        alignment="left",
        handlelength=2.2,
        handleheight=1.2,
        columnspacing=1.4,
        borderaxespad=0.2,
    )
    legend.get_title().set_color(TEXT_COLOUR)
    for text in legend.get_texts():
        text.set_color(TEXT_COLOUR)


def render(fig: Figure, formats: Collection[str]) -> tuple[str, bytes]:
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
        # Drawn once at 200 dpi into memory and written once, with at most 256 colours
        # (a chart has a handful, plus the smoothing of its edges): a third of the size
        # of a full-colour PNG, looking the same in Word and PDF. (Saving a full-colour
        # PNG, reading it back and choosing its colours by median cut took 3-4 times as
        # long.) Last, as it leaves the figure at 200 dpi.
        fig.set_dpi(_PNG_DPI)
        canvas = cast(FigureCanvasAgg, fig.canvas)
        canvas.draw()
        image = Image.fromarray(np.asarray(canvas.buffer_rgba())).convert("RGB")
        fewer = image.quantize(colors=256, method=Image.Quantize.FASTOCTREE)
        out = io.BytesIO()
        fewer.save(out, format="PNG", compress_level=6, dpi=(_PNG_DPI, _PNG_DPI))
        png = out.getvalue()
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
    return re.sub(rb"font-family: [^;\"]*", f"font-family: {_SVG_FALLBACK[FONT[0]]}".encode(), svg)


# --- Charts kept by their data ------------------------------------------------------------

#: Bump when the drawing of any chart changes, so that charts kept from before are not
#: served again.
STYLE = 1
#: How long a kept chart stays when nobody asks for it again (its key changes with its data).
KEEP_SECONDS = 7 * 24 * 3600


class _NoKey(TypeError):
    """An argument whose value cannot be written down exactly: the chart is not kept."""


def _plain_value(value: Any) -> Any:
    """``value`` as JSON that names it exactly (or _NoKey)."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return repr(value)  # exact, and NaN and infinity too
    if isinstance(value, Decimal):
        return ["Decimal", str(value)]
    if isinstance(value, dt.date):  # a datetime is a date too
        return [type(value).__name__, value.isoformat()]
    if isinstance(value, list | tuple):
        return [_plain_value(v) for v in value]
    if isinstance(value, dict):
        return ["dict", [[_plain_value(k), _plain_value(v)] for k, v in value.items()]]
    if is_dataclass(value) and not isinstance(value, type):
        return [
            type(value).__qualname__,
            [[f.name, _plain_value(getattr(value, f.name))] for f in fields(value)],
        ]
    raise _NoKey(type(value).__name__)


def chart_key(draw: Callable[..., Chart], arguments: dict[str, Any]) -> str | None:
    """The cache key of the chart ``draw(**arguments)`` would draw: its function, every
    argument and :data:`STYLE`. None when an argument cannot be written down exactly."""
    try:
        plain_arguments = _plain_value(dict(sorted(arguments.items())))
    except _NoKey:
        return None
    raw = json.dumps([STYLE, draw.__module__, draw.__qualname__, plain_arguments])
    return "toolkit.chart:" + hashlib.sha256(raw.encode()).hexdigest()


def kept(draw: Callable[..., Chart], /, **arguments: Any) -> Chart:
    """``draw(**arguments)``, drawn once and kept in Django's cache (the database cache,
    shared by every process: ADR 0010) under its data, so that the same chart asked for
    again, in the next copy of a document or on a page, is not drawn again. The key is
    every argument (the title and words too) and :data:`STYLE`, so a chart changes as
    soon as its data do. Call only where the database may be used (a request, a task).
    """
    from django.core.cache import cache

    key = chart_key(draw, arguments)
    if key is None:
        return draw(**arguments)
    chart: Chart | None = cache.get(key)
    if chart is None:
        chart = draw(**arguments)
        if chart.png:
            _ = chart.print_data_uri  # made now, kept with the chart for PDFs
        cache.set(key, chart, KEEP_SECONDS)
    return chart


def join_words(items: Sequence[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def count_words(count: int, singular: str, plural: str) -> str:
    return f"{count} {singular if count == 1 else plural}"
