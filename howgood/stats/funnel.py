"""Funnel plots for proportions: is a unit's share different from the overall one, allowing
for how few cases it has?

A funnel plot draws each unit (a referring agency, say) at its number of cases ``n`` and its
share ``x / n``, against the overall share ``p0`` and control limits that narrow as ``n``
grows. A small unit far from ``p0`` can be chance; a large one the same distance away is
not. The limits are exact binomial ones with Spiegelhalter's interpolation between the
whole counts (Spiegelhalter 2005, "Funnel plots for comparing institutional performance",
Statistics in Medicine 24, appendix A.1.1): for a probability ``P``, with ``F`` the
Binomial(n, p0) distribution function and ``r`` the smallest count with ``F(r) >= P``,

    alpha = (F(r) - P) / (F(r) - F(r - 1)),   limit = (r - alpha) / n.

The 95% limits use P = 0.025 and 0.975, the 99.8% limits P = 0.001 and 0.999 (about two and
three standard errors). No Django.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["POSITION_WORDS", "Funnel", "FunnelPoint", "Limits", "funnel", "limit", "limits"]

#: Where a unit lies, in words (a page's table and a chart's legend say the same).
POSITION_WORDS = {
    "above_998": "above the 99.8% limit",
    "above_95": "above the 95% limit",
    "within": "within the limits",
    "below_95": "below the 95% limit",
    "below_998": "below the 99.8% limit",
}

LEVELS = {"lower998": 0.001, "lower95": 0.025, "upper95": 0.975, "upper998": 0.999}


def _cdf(p0: float, n: int) -> list[float]:
    """F(0), ..., F(n) of Binomial(n, p0), 0 < p0 < 1, without underflow: the terms are
    worked out from the mode outwards as ratios, then scaled."""
    mode = min(n, int((n + 1) * p0))
    log_mode = (
        math.lgamma(n + 1)
        - math.lgamma(mode + 1)
        - math.lgamma(n - mode + 1)
        + mode * math.log(p0)
        + (n - mode) * math.log1p(-p0)
    )
    terms = [0.0] * (n + 1)
    terms[mode] = 1.0
    odds = p0 / (1 - p0)
    for r in range(mode, n):
        terms[r + 1] = terms[r] * (n - r) / (r + 1) * odds
    for r in range(mode, 0, -1):
        terms[r - 1] = terms[r] * r / (n - r + 1) / odds
    scale = math.exp(log_mode)
    total, cdf = 0.0, []
    for term in terms:
        total += term * scale
        cdf.append(total)
    last = cdf[-1]
    return [min(1.0, value / last) for value in cdf]  # 1.0 at n, whatever the rounding


def _interpolated(cdf: list[float], n: int, probability: float) -> float:
    r = next(i for i, value in enumerate(cdf) if value >= probability)
    below = cdf[r - 1] if r > 0 else 0.0
    alpha = (cdf[r] - probability) / (cdf[r] - below)
    return max(0.0, (r - alpha) / n)


def limit(p0: float, n: int, probability: float) -> float:
    """The funnel limit at ``probability`` for ``n`` cases around ``p0`` (a share)."""
    _check(p0, n)
    if not 0 < probability < 1:
        raise ValueError(f"probability must be between 0 and 1, not {probability!r}")
    if p0 in (0.0, 1.0):
        return p0
    return _interpolated(_cdf(p0, n), n, probability)


@dataclass(frozen=True)
class Limits:
    n: int
    lower998: float
    lower95: float
    upper95: float
    upper998: float


def limits(p0: float, n: int) -> Limits:
    """The 95% and 99.8% limits for ``n`` cases around ``p0``."""
    _check(p0, n)
    if p0 in (0.0, 1.0):
        return Limits(n, p0, p0, p0, p0)
    cdf = _cdf(p0, n)
    values = {name: _interpolated(cdf, n, p) for name, p in LEVELS.items()}
    return Limits(n=n, **values)


def _check(p0: float, n: int) -> None:
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"n must be a whole number, 1 or more, not {n!r}")
    if not (isinstance(p0, (int, float)) and 0 <= p0 <= 1):
        raise ValueError(f"p0 must be a share from 0 to 1, not {p0!r}")


@dataclass(frozen=True)
class FunnelPoint:
    """A unit: its count ``part`` of ``whole``, the limits at its size, and the chance of a
    count at least as low (``p_low``) or as high (``p_high``) as its own if it were like the
    rest (Binomial(whole, target))."""

    name: str
    part: int
    whole: int
    limits: Limits
    p_low: float = 1.0
    p_high: float = 1.0

    @property
    def share(self) -> float:
        return self.part / self.whole

    @property
    def position(self) -> str:
        """Where the unit lies: "above_998", "above_95", "within", "below_95" or
        "below_998", judged by the exact chances (a tail under 0.1% is beyond the 99.8%
        limit, under 2.5% beyond the 95% one). The interpolated limits are for drawing: at
        a very small size a count of none or all can sit just past them while its chance
        is far from small, and it is then within."""
        if self.p_high < 0.001:
            return "above_998"
        if self.p_high < 0.025:
            return "above_95"
        if self.p_low < 0.001:
            return "below_998"
        if self.p_low < 0.025:
            return "below_95"
        return "within"


def _point(name: str, part: int, whole: int, target: float) -> FunnelPoint:
    if target in (0.0, 1.0):
        return FunnelPoint(name, part, whole, limits(target, whole))
    cdf = _cdf(target, whole)
    values = {level: _interpolated(cdf, whole, p) for level, p in LEVELS.items()}
    return FunnelPoint(
        name=name,
        part=part,
        whole=whole,
        limits=Limits(n=whole, **values),
        p_low=cdf[part],
        p_high=1.0 - (cdf[part - 1] if part > 0 else 0.0),
    )


@dataclass(frozen=True)
class Funnel:
    target: float
    points: list[FunnelPoint]
    curve: list[Limits]


def funnel(units: Mapping[str, tuple[int, int]], *, steps: int = 60) -> Funnel:
    """Each unit's (part, whole) against the overall share (all parts over all wholes), with
    the limits at each unit's size and a curve of ``steps`` sizes, spaced evenly on a log
    scale from 1 to the largest unit, to draw. Units with a whole of 0 are left out.
    ValueError for a part outside 0 to its whole, or no unit with a whole above 0."""
    for name, (part, whole) in units.items():
        if whole < 0 or not 0 <= part <= whole:
            raise ValueError(f"{name}: {part} must be between 0 and {whole}")
    kept = {name: pw for name, pw in units.items() if pw[1] > 0}
    if not kept:
        raise ValueError("A funnel plot needs at least one unit with cases.")
    target = sum(p for p, _ in kept.values()) / sum(w for _, w in kept.values())
    points = [_point(name, part, whole, target) for name, (part, whole) in sorted(kept.items())]
    largest = max(w for _, w in kept.values())
    sizes = sorted(
        {max(1, round(math.exp(math.log(largest) * i / max(steps - 1, 1)))) for i in range(steps)}
    )
    return Funnel(target=target, points=points, curve=[limits(target, n) for n in sizes])
