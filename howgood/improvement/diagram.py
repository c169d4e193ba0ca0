"""Where each box and line of a driver diagram goes, for the page to draw as SVG.

Four columns, left to right: the aim, primary drivers, secondary drivers and change
ideas. Every change idea takes one row; a driver spans the rows of what hangs from it.
Text is wrapped to the box; the page also lists everything as text beside the drawing.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from typing import Any

COLUMN_WIDTH = 200
GAP = 40
ROW_HEIGHT = 92
BOX_HEIGHT = 76
PAD = 10
WRAP = 27  # characters per line in a 200-pixel box at 13 px
MAX_LINES = 4
COLUMNS = ["Aim", "Primary drivers", "Secondary drivers", "Change ideas"]


@dataclass(frozen=True)
class Box:
    x: int
    y: int
    width: int
    height: int
    lines: list[str]
    kind: str  # aim, primary, secondary, idea
    title: str

    @property
    def text_x(self) -> int:
        return self.x + PAD

    @property
    def text_y(self) -> int:
        return self.y + 20


@dataclass
class Drawing:
    width: int
    height: int
    boxes: list[Box] = field(default_factory=list)
    lines: list[tuple[int, int, int, int]] = field(default_factory=list)
    headings: list[tuple[int, str]] = field(default_factory=list)


def _wrap(text: str) -> list[str]:
    lines = textwrap.wrap(text, WRAP) or [""]
    if len(lines) > MAX_LINES:
        lines = [
            *lines[: MAX_LINES - 1],
            textwrap.shorten(" ".join(lines[MAX_LINES - 1 :]), WRAP, placeholder="…"),
        ]
    return lines


def layout(diagram: Any, tree: dict[str, Any]) -> Drawing:
    top = 36  # room for the column headings
    xs = [i * (COLUMN_WIDTH + GAP) for i in range(4)]
    rows: list[tuple[Any, Any, Any]] = []  # (primary, secondary or None, idea or None)
    for p in tree["primaries"]:
        start = len(rows)
        for idea in p["ideas"]:
            rows.append((p["driver"], None, idea))
        for s in p["secondaries"]:
            if s["ideas"]:
                rows.extend((p["driver"], s["driver"], idea) for idea in s["ideas"])
            else:
                rows.append((p["driver"], s["driver"], None))
        if len(rows) == start:
            rows.append((p["driver"], None, None))
    count = max(1, len(rows))
    drawing = Drawing(width=xs[3] + COLUMN_WIDTH + 2, height=top + count * ROW_HEIGHT)
    drawing.headings = [(x, name) for x, name in zip(xs, COLUMNS, strict=True)]

    def centre(first: int, last: int) -> int:
        return top + (first + last + 1) * ROW_HEIGHT // 2 - BOX_HEIGHT // 2

    def box(column: int, first: int, last: int, text: str, kind: str) -> Box:
        made = Box(
            xs[column], centre(first, last), COLUMN_WIDTH, BOX_HEIGHT, _wrap(text), kind, text
        )
        drawing.boxes.append(made)
        return made

    aim = box(0, 0, count - 1, diagram.aim, "aim")

    def link(a: Box, b: Box) -> None:
        drawing.lines.append((a.x + a.width, a.y + a.height // 2, b.x, b.y + b.height // 2))

    # Spans of rows per primary and per secondary driver.
    spans: dict[tuple[str, int], list[int]] = {}
    for i, (p, s, _) in enumerate(rows):
        spans.setdefault(("p", p.pk), []).append(i)
        if s is not None:
            spans.setdefault(("s", s.pk), []).append(i)
    placed: dict[tuple[str, int], Box] = {}
    for i, (p, s, idea) in enumerate(rows):
        key = ("p", p.pk)
        if key not in placed:
            span = spans[key]
            placed[key] = box(1, span[0], span[-1], p.text, "primary")
            link(aim, placed[key])
        parent = placed[key]
        if s is not None:
            skey = ("s", s.pk)
            if skey not in placed:
                span = spans[skey]
                placed[skey] = box(2, span[0], span[-1], s.text, "secondary")
                link(parent, placed[skey])
            parent = placed[skey]
        if idea is not None:
            made = box(3, i, i, idea.text, "idea")
            if s is None:  # an idea straight from a primary driver: the line crosses column 3
                drawing.lines.append(
                    (
                        parent.x + parent.width,
                        parent.y + parent.height // 2,
                        made.x,
                        made.y + made.height // 2,
                    )
                )
            else:
                link(parent, made)
    return drawing
