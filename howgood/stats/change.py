"""Change between two rounds: a proportion then (``x1`` of ``n1``) and now (``x2`` of ``n2``).

``compare_proportions(x1, n1, x2, n2, *, confidence=0.95)`` gives both proportions, the
difference now minus then, its confidence interval and the two-sided p-value of Fisher's
exact test, which together say whether a change is clear or could be chance.

The interval is Newcombe's hybrid score interval for a difference of independent
proportions (Newcombe RG, "Interval estimation for the difference between independent
proportions: comparison of eleven methods", Statistics in Medicine 1998;17:873-890, method
10), built from each proportion's Wilson score interval without continuity correction. For
the difference d = p2 - p1, with Wilson limits (l1, u1) and (l2, u2):

    low  = d - sqrt((p2 - l2)^2 + (u1 - p1)^2)
    high = d + sqrt((u2 - p2)^2 + (p1 - l1)^2)

It stays within -1 and 1, needs no continuity correction and behaves well at 0 and n, where
the simple Wald interval collapses.

Fisher's exact test is computed as scipy's ``fisher_exact`` does for a two-sided test: the sum
of the probabilities (under the hypergeometric distribution with the table's margins) of
every table no more probable than the one observed, with the same relative tolerance (1e-14)
for tables as probable as it. The probabilities are exact (integer binomial coefficients),
so the sum is exact until the last division. No Django, no numpy: pure Python.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from statistics import NormalDist

# scipy's relative tolerance when deciding that a table is "as probable" as the observed one.
TIE_TOLERANCE = Fraction(1, 10**14)


@dataclass(frozen=True)
class Comparison:
    x1: int
    n1: int
    x2: int
    n2: int
    p1: float
    p2: float
    difference: float  # p2 - p1: positive when the proportion went up
    ci_low: float
    ci_high: float
    p_value: float  # Fisher's exact test, two-sided
    confidence: float = 0.95

    @property
    def includes_no_change(self) -> bool:
        """Whether the interval includes a difference of 0: then no direction is claimed."""
        return self.ci_low <= 0 <= self.ci_high


def _check(x: int, n: int, which: str) -> None:
    if (
        isinstance(x, bool)
        or isinstance(n, bool)
        or not isinstance(x, int)
        or not isinstance(n, int)
    ):
        raise ValueError(f"{which}: counts must be whole numbers")
    if n < 1:
        raise ValueError(f"{which}: the total must be at least 1, not {n}")
    if not 0 <= x <= n:
        raise ValueError(f"{which}: the count must be between 0 and {n}, not {x}")


def wilson(x: int, n: int, z: float) -> tuple[float, float]:
    """The Wilson score interval for x of n, without continuity correction."""
    p = x / n
    z2 = z * z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def fisher_two_sided(a: int, b: int, c: int, d: int) -> float:
    """The two-sided p-value of Fisher's exact test for the table [[a, b], [c, d]]."""
    row1, col1, total = a + b, a + c, a + b + c + d
    low, high = max(0, col1 - (total - row1)), min(row1, col1)

    def weight(k: int) -> int:  # the probability of top-left k, times comb(total, col1)
        return math.comb(row1, k) * math.comb(total - row1, col1 - k)

    observed = weight(a)
    limit = observed + observed * TIE_TOLERANCE
    tail = sum(w for w in (weight(k) for k in range(low, high + 1)) if w <= limit)
    return min(1.0, float(Fraction(tail, math.comb(total, col1))))


def compare_proportions(
    x1: int, n1: int, x2: int, n2: int, *, confidence: float = 0.95
) -> Comparison:
    """Then ``x1`` of ``n1``, now ``x2`` of ``n2``: the change and how sure we can be of it.

    Raises ``ValueError`` for a total under 1, a count outside 0..total, or a confidence
    not strictly between 0 and 1.
    """
    _check(x1, n1, "then")
    _check(x2, n2, "now")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1, not {confidence}")
    z = NormalDist().inv_cdf(1 - (1 - confidence) / 2)
    p1, p2 = x1 / n1, x2 / n2
    l1, u1 = wilson(x1, n1, z)
    l2, u2 = wilson(x2, n2, z)
    d = p2 - p1
    low = d - math.sqrt((p2 - l2) ** 2 + (u1 - p1) ** 2)
    high = d + math.sqrt((u2 - p2) ** 2 + (p1 - l1) ** 2)
    return Comparison(
        x1=x1,
        n1=n1,
        x2=x2,
        n2=n2,
        p1=p1,
        p2=p2,
        difference=d,
        ci_low=max(-1.0, low),
        ci_high=min(1.0, high),
        p_value=fisher_two_sided(x1, n1 - x1, x2, n2 - x2),
        confidence=confidence,
    )
