"""Do groups answer a question differently? Kruskal–Wallis, Mann–Whitney, Holm and BH.

Used to flag where services see things differently in a staff survey: for one ordinal
question (say a 5-point agreement scale coded 1..5) the answers of several groups
(agencies, or roles) are compared. Rank tests are used because the answers are ordinal
and heavily tied; every test here uses **mid-ranks** for ties and the usual tie
corrections.

Conventions (the same for every function here):

* Answers are numbers (``int`` or ``float``); only their order matters. A NaN or an
  infinity raises :class:`ValueError`; leave unanswered questions out before calling.
* p-values come from large-sample approximations (chi-square for Kruskal–Wallis, normal
  for Mann–Whitney), as SPSS, R (``kruskal.test``; ``wilcox.test(exact=FALSE)``) and
  SciPy (``method="asymptotic"``) do for tied data. With very small groups (fewer than
  about five answers each) they are rough; they are never exact permutation p-values.
* When every answer is the same there is no variation to test: the statistic is 0, the
  p-value 1 and the effect size 0 (the tie-corrected formulas would divide by zero).
* Results are :class:`TestResult` values; :meth:`TestResult.in_words` gives one
  plain-English sentence.
* When many questions are tested, adjust their p-values together with :func:`holm`
  (family-wise error) or :func:`benjamini_hochberg` (false discovery rate) and pass the
  adjusted value to :meth:`TestResult.in_words`.

Sources:

* Kruskal, W. H. & Wallis, W. A. (1952) "Use of ranks in one-criterion variance
  analysis", JASA 47(260):583–621 (H and its tie correction).
* Mann, H. B. & Whitney, D. R. (1947) Ann. Math. Statist. 18(1):50–60; the tie-corrected
  variance as in Lehmann, E. L. (1975) *Nonparametrics*, and SciPy/R.
* Tomczak, M. & Tomczak, E. (2014) "The need to report effect size estimates revisited",
  Trends in Sport Sciences 1(21):19–25 (epsilon squared ε² = H / (n − 1)).
* Kerby, D. S. (2014) "The simple difference formula: an approach to teaching
  nonparametric correlation", Comprehensive Psychology 3:11.IT.3.1 (rank-biserial r).
* Cohen, J. (1988) *Statistical Power Analysis for the Behavioral Sciences*, 2nd ed.
  (|r| thresholds 0.1 / 0.3 / 0.5).
* Holm, S. (1979) Scand. J. Statist. 6(2):65–70; Benjamini, Y. & Hochberg, Y. (1995)
  J. R. Statist. Soc. B 57(1):289–300 (adjusted p-values as in R's ``p.adjust``).
* Press, W. H. et al. *Numerical Recipes* (2nd/3rd ed.), §6.2 "Incomplete gamma
  function" (``gammp``/``gammq``: series for x < a + 1, Lentz continued fraction
  otherwise).

No Django imports, no numpy/scipy.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

__all__ = [
    "EPSILON_SQUARED_THRESHOLDS",
    "RANK_BISERIAL_THRESHOLDS",
    "TestResult",
    "benjamini_hochberg",
    "chi2_sf",
    "holm",
    "kruskal_wallis",
    "kruskal_wallis_counts",
    "magnitude",
    "mann_whitney",
    "normal_sf",
    "p_as_shown",
]

KRUSKAL_WALLIS = "Kruskal–Wallis"
MANN_WHITNEY = "Mann–Whitney"
EPSILON_SQUARED = "epsilon squared"
RANK_BISERIAL = "rank-biserial correlation"

#: Lower bounds of "small", "medium", "large" for ε² (below the first: "negligible").
#: The bands 0.01 / 0.08 / 0.26 are the ones Mangiafico gives for epsilon squared after a
#: Kruskal–Wallis test (S. S. Mangiafico, *Summary and Analysis of Extension Program
#: Evaluation in R*, rcompanion.org, chapter "Kruskal–Wallis Test"); they are close to
#: Cohen's 0.1 / 0.3 / 0.5 for r, squared. Any such bands are rules of thumb.
EPSILON_SQUARED_THRESHOLDS: tuple[float, float, float] = (0.01, 0.08, 0.26)

#: Lower bounds of "small", "medium", "large" for |r| (Cohen 1988, for correlations).
RANK_BISERIAL_THRESHOLDS: tuple[float, float, float] = (0.1, 0.3, 0.5)

_MAGNITUDES = ("negligible", "small", "medium", "large")
# How in_words says each magnitude ("the difference is moderate").
_MAGNITUDE_WORDS = {
    "negligible": "negligible",
    "small": "small",
    "medium": "moderate",
    "large": "large",
}

# Numerical Recipes' constants for the incomplete gamma function.
_ITMAX = 1000
_EPS = 1e-15
_FPMIN = 1e-300


# ---------------------------------------------------------------------------------------
# Distributions


def normal_sf(z: float) -> float:
    """Upper tail of the standard normal, P(Z > z) = erfc(z / √2) / 2.

    Accurate far into both tails (``math.erfc`` does not cancel). NaN raises ValueError.
    """
    if math.isnan(z):
        raise ValueError("z is NaN")
    return 0.5 * math.erfc(z / math.sqrt(2.0))


def _gamma_series(a: float, x: float) -> float:
    """Regularized lower incomplete gamma P(a, x) by its series (NR ``gser``); x < a + 1."""
    total = term = 1.0 / a
    ap = a
    for _ in range(_ITMAX):
        ap += 1.0
        term *= x / ap
        total += term
        if abs(term) < abs(total) * _EPS:
            break
    else:  # pragma: no cover - the series converges in O(√a) terms for x < a + 1
        raise ArithmeticError("incomplete gamma series did not converge")
    return total * math.exp(-x + a * math.log(x) - math.lgamma(a))


def _gamma_continued_fraction(a: float, x: float) -> float:
    """Regularized upper incomplete gamma Q(a, x) by the modified Lentz continued fraction
    (NR ``gcf``); used for x ≥ a + 1, where it converges quickly."""
    b = x + 1.0 - a
    c = 1.0 / _FPMIN
    d = 1.0 / b
    h = d
    for i in range(1, _ITMAX + 1):
        an = -i * (i - a)
        b += 2.0
        d = an * d + b
        if abs(d) < _FPMIN:  # pragma: no cover - Lentz's guard against a zero denominator
            d = _FPMIN
        c = b + an / c
        if abs(c) < _FPMIN:  # pragma: no cover - Lentz's guard against a zero denominator
            c = _FPMIN
        d = 1.0 / d
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < _EPS:
            break
    else:  # pragma: no cover - converges in O(√x) steps for x ≥ a + 1
        raise ArithmeticError("incomplete gamma continued fraction did not converge")
    return math.exp(-x + a * math.log(x) - math.lgamma(a)) * h


def _gammq(a: float, x: float) -> float:
    """Q(a, x) = Γ(a, x) / Γ(a) for a > 0, x ≥ 0 (NR ``gammq``)."""
    if x <= 0.0:
        return 1.0
    if x < a + 1.0:
        return max(0.0, 1.0 - _gamma_series(a, x))
    return min(1.0, _gamma_continued_fraction(a, x))


def chi2_sf(x: float, df: int) -> float:
    """Upper tail of the chi-square distribution, P(X > x) for X ~ χ²(df).

    Computed as Q(df/2, x/2), the regularized upper incomplete gamma function, by the
    series / continued-fraction method of Numerical Recipes (``gammq``) with
    ``math.lgamma``; relative accuracy about 1e-13 in practice. ``x ≤ 0`` gives 1.
    ValueError for ``df < 1``, a non-integer df, or NaN x; ``x = inf`` gives 0.
    """
    if isinstance(df, bool) or not isinstance(df, int) or df < 1:
        raise ValueError(f"df must be a positive integer, got {df!r}")
    if math.isnan(x):
        raise ValueError("x is NaN")
    if math.isinf(x):
        return 0.0 if x > 0 else 1.0
    return _gammq(df / 2.0, x / 2.0)


# ---------------------------------------------------------------------------------------
# Results


def magnitude(effect_size: float, thresholds: tuple[float, float, float]) -> str:
    """ "negligible", "small", "medium" or "large" for ``|effect_size|``.

    ``thresholds`` are the lower bounds (inclusive) of small, medium and large, e.g.
    :data:`EPSILON_SQUARED_THRESHOLDS` or :data:`RANK_BISERIAL_THRESHOLDS`.
    """
    size = abs(effect_size)
    word = _MAGNITUDES[0]
    for bound, name in zip(thresholds, _MAGNITUDES[1:], strict=True):
        if size >= bound:
            word = name
    return word


def format_p(p: float) -> str:
    """``"p < 0.001"`` below 0.001, otherwise ``"p = 0.123"`` (three decimal places)."""
    if p < 0.001:
        return "p < 0.001"
    return f"p = {p:.3f}"


def p_as_shown(p: float) -> float:
    """The p-value a reader sees (:func:`format_p`): to three decimal places, or p itself
    below 0.001. Decisions are made on this value, so 0.0499 (shown "p = 0.050") is not
    below 0.05."""
    if p < 0.001:
        return p
    return float(f"{p:.3f}")


@dataclass(frozen=True)
class TestResult:
    """The outcome of one test of "do these groups answer differently?".

    Attributes:
        test: ``"Kruskal–Wallis"`` or ``"Mann–Whitney"`` (en dash).
        statistic: H (Kruskal–Wallis, tie-corrected) or U of the **first** sample
            (Mann–Whitney; see :func:`mann_whitney`).
        df: degrees of freedom (k − 1) for Kruskal–Wallis; ``None`` for Mann–Whitney.
        p_value: the unadjusted two-sided p-value, in [0, 1].
        effect_size: ε² in [0, 1] (Kruskal–Wallis) or r in [−1, 1] (Mann–Whitney).
        effect_name: ``"epsilon squared"`` or ``"rank-biserial correlation"``.
        n: the number of answers used (all groups together).
        magnitude: ``"negligible"``, ``"small"``, ``"medium"`` or ``"large"``, from
            :data:`EPSILON_SQUARED_THRESHOLDS` or :data:`RANK_BISERIAL_THRESHOLDS` (|r|).
    """

    __test__ = False  # not a pytest test class, despite the name

    test: str
    statistic: float
    df: int | None
    p_value: float
    effect_size: float
    effect_name: str
    n: int
    magnitude: str

    def is_clear(self, adjusted_p: float | None = None, alpha: float = 0.05) -> bool:
        """Whether the difference counts as clear: p (``adjusted_p`` when given) **as
        shown** (:func:`p_as_shown`) below ``alpha``. :meth:`in_words` says the same."""
        p = self.p_value if adjusted_p is None else adjusted_p
        return p_as_shown(p) < alpha

    def in_words(
        self,
        adjusted_p: float | None = None,
        alpha: float = 0.05,
        *,
        groups_noun: str = "services",
    ) -> str:
        """One plain-English sentence for a practitioner.

        The difference counts as clear when the p-value as shown (three decimal places,
        :func:`p_as_shown`) is **below** ``alpha``: "p = 0.050" is not below 0.05. If
        ``adjusted_p`` is given (from :func:`holm` or :func:`benjamini_hochberg` over all
        the questions tested) it is used instead of :attr:`p_value` and the sentence says
        "after allowing for the number of questions". p is shown as "p < 0.001" or to
        three decimal places. The magnitude "medium" is worded "moderate". For example::

            Services answered this differently (Kruskal–Wallis test, p = 0.003 after
            allowing for the number of questions; the difference is moderate).
            No clear difference between services (p = 0.410).

        ``groups_noun`` (plural, lower case, e.g. "roles") names the groups. ValueError
        for ``adjusted_p`` outside [0, 1] or ``alpha`` outside (0, 1).
        """
        if not 0.0 < alpha < 1.0:
            raise ValueError(f"alpha must be between 0 and 1, got {alpha!r}")
        if adjusted_p is not None and not 0.0 <= adjusted_p <= 1.0:
            raise ValueError(f"adjusted_p must be between 0 and 1, got {adjusted_p!r}")
        p = self.p_value if adjusted_p is None else adjusted_p
        p_text = format_p(p)
        if adjusted_p is not None:
            p_text += " after allowing for the number of questions"
        if self.is_clear(adjusted_p, alpha):
            subject = groups_noun[:1].upper() + groups_noun[1:]
            size = _MAGNITUDE_WORDS.get(self.magnitude, self.magnitude)
            return (
                f"{subject} answered this differently ({self.test} test, {p_text}; "
                f"the difference is {size})."
            )
        return f"No clear difference between {groups_noun} ({p_text})."


# ---------------------------------------------------------------------------------------
# Ranks


def _check_values(values: Iterable[float], what: str) -> list[float]:
    out = [float(v) for v in values]
    if any(not math.isfinite(v) for v in out):
        raise ValueError(f"{what} contains NaN or infinity")
    return out


def _midranks(values: Sequence[float]) -> tuple[list[float], float]:
    """Mid-ranks (1-based, ties share the mean rank) and Σ(t³ − t) over tie groups."""
    order = sorted(range(len(values)), key=values.__getitem__)
    ranks = [0.0] * len(values)
    ties = 0.0
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        rank = (i + j) / 2.0 + 1.0  # mean of positions i+1 .. j+1
        for position in range(i, j + 1):
            ranks[order[position]] = rank
        t = j - i + 1
        ties += float(t * t * t - t)
        i = j + 1
    return ranks, ties


# ---------------------------------------------------------------------------------------
# Tests


def kruskal_wallis(groups: Mapping[str, Sequence[float]]) -> TestResult:
    """Kruskal–Wallis H test: do k groups' answers come from the same distribution?

    Groups with no answers are dropped; k is the number left, and fewer than two raises
    ValueError. With N answers in all, group i having nᵢ answers and rank sum Rᵢ::

        H₀ = 12 / (N(N + 1)) · Σ Rᵢ² / nᵢ − 3(N + 1)
        C  = 1 − Σ (t³ − t) / (N³ − N)       (t: size of each group of tied answers)
        H  = H₀ / C

    p = ``chi2_sf(H, k − 1)``; df = k − 1. Effect size ε² = H / (N − 1) (Tomczak &
    Tomczak 2014), between 0 and 1; magnitude from :data:`EPSILON_SQUARED_THRESHOLDS`.
    If every answer is the same (C = 0): H = 0, p = 1, ε² = 0. H does not depend on the
    groups' names or order. With k = 2, H equals the square of the Mann–Whitney z
    *without* continuity correction, so its p differs slightly from :func:`mann_whitney`.
    """
    samples = [_check_values(values, f"group {name!r}") for name, values in sorted(groups.items())]
    samples = [s for s in samples if s]
    if len(samples) < 2:
        raise ValueError("Kruskal–Wallis needs at least two groups with answers")
    pooled = [v for s in samples for v in s]
    n = len(pooled)
    ranks, ties = _midranks(pooled)
    df = len(samples) - 1
    correction = 1.0 - ties / float(n**3 - n)
    if correction <= 0.0:
        h = 0.0
    else:
        total = 0.0
        start = 0
        for s in samples:
            rank_sum = math.fsum(ranks[start : start + len(s)])
            total += rank_sum * rank_sum / len(s)
            start += len(s)
        h0 = 12.0 / (n * (n + 1.0)) * total - 3.0 * (n + 1.0)
        # Rounding can leave a tiny negative value when the rank means are all equal.
        h = max(0.0, h0 / correction)
    epsilon_squared = min(1.0, h / (n - 1.0))
    return TestResult(
        test=KRUSKAL_WALLIS,
        statistic=h,
        df=df,
        p_value=chi2_sf(h, df),
        effect_size=epsilon_squared,
        effect_name=EPSILON_SQUARED,
        n=n,
        magnitude=magnitude(epsilon_squared, EPSILON_SQUARED_THRESHOLDS),
    )


def kruskal_wallis_counts(table: Mapping[str, Sequence[int]]) -> TestResult:
    """Kruskal–Wallis H from a table of counts: exactly :func:`kruskal_wallis` on the data
    the table stands for, in time proportional to the size of the table.

    ``table`` maps each group to its counts per answer, the answers in their order on the
    scale (for a five-point agreement scale, five counts from "strongly agree" to
    "strongly disagree"); every row has the same length. This is how survey answers are
    counted in the database, so tens of thousands of answers are tested without listing
    them. Every answer in one column is a tie: its mid-rank is the mean of the positions
    the column's answers take, and Σ(t³ − t) is taken over the column totals.

    Groups whose counts are all zero are dropped; fewer than two left raises ValueError,
    as do rows of different lengths and negative counts. The result (H, df, p, ε², n)
    equals ``kruskal_wallis`` on the expanded answers.
    """
    rows = sorted(table.items())
    widths = {len(counts) for _, counts in rows}
    if len(widths) > 1:
        raise ValueError("every group needs a count for each answer")
    for name, counts in rows:
        if any(int(c) != c or c < 0 for c in counts):
            raise ValueError(f"group {name!r} has a count that is not a whole number ≥ 0")
    kept = [[int(c) for c in counts] for _, counts in rows if sum(counts) > 0]
    if len(kept) < 2:
        raise ValueError("Kruskal–Wallis needs at least two groups with answers")
    columns = [sum(column) for column in zip(*kept, strict=True)]
    n = sum(columns)
    midranks: list[float] = []
    position = 0
    ties = 0.0
    for t in columns:
        midranks.append(position + (t + 1) / 2.0)
        position += t
        ties += float(t * t * t - t)
    df = len(kept) - 1
    correction = 1.0 - ties / float(n**3 - n) if n > 1 else 0.0
    if correction <= 0.0:
        h = 0.0
    else:
        total = 0.0
        for counts in kept:
            rank_sum = math.fsum(c * r for c, r in zip(counts, midranks, strict=True))
            total += rank_sum * rank_sum / sum(counts)
        h0 = 12.0 / (n * (n + 1.0)) * total - 3.0 * (n + 1.0)
        h = max(0.0, h0 / correction)
    epsilon_squared = min(1.0, h / (n - 1.0))
    return TestResult(
        test=KRUSKAL_WALLIS,
        statistic=h,
        df=df,
        p_value=chi2_sf(h, df),
        effect_size=epsilon_squared,
        effect_name=EPSILON_SQUARED,
        n=n,
        magnitude=magnitude(epsilon_squared, EPSILON_SQUARED_THRESHOLDS),
    )


def mann_whitney(a: Sequence[float], b: Sequence[float]) -> TestResult:
    """Mann–Whitney U test (Wilcoxon rank-sum) for two groups, two-sided.

    ``statistic`` is U of the **first** sample, U₁ = R₁ − n₁(n₁ + 1)/2 with R₁ the sum of
    a's mid-ranks: the number of pairs (x from a, y from b) with x > y, plus half the
    pairs with x = y (SciPy's convention). p uses the normal approximation with the tie
    correction and a continuity correction of ½ (as R's ``wilcox.test(exact=FALSE)`` and
    SciPy's ``mannwhitneyu(method="asymptotic")``)::

        μ = n₁n₂ / 2,   σ² = n₁n₂/12 · ((N + 1) − Σ (t³ − t) / (N(N − 1)))
        z = max(0, |U₁ − μ| − ½) / σ,   p = 2 · normal_sf(z)  (at most 1)

    Effect size: the rank-biserial correlation r = 2U₁/(n₁n₂) − 1 = P(x > y) − P(x < y),
    which is Wendt's r = 1 − 2U/(n₁n₂) with U taken as **b's** U₂ (Kerby 2014).
    **Sign: r > 0 when a's answers tend to be higher than b's**, r < 0 when lower; r = ±1
    when the groups do not overlap. Magnitude from |r| and
    :data:`RANK_BISERIAL_THRESHOLDS`. ``df`` is ``None``. If every answer is the same:
    p = 1 (and r = 0). ValueError if either sample is empty.
    """
    xs = _check_values(a, "a")
    ys = _check_values(b, "b")
    if not xs or not ys:
        raise ValueError("Mann–Whitney needs at least one answer in each group")
    n1, n2 = len(xs), len(ys)
    n = n1 + n2
    ranks, ties = _midranks(xs + ys)
    u1 = math.fsum(ranks[:n1]) - n1 * (n1 + 1) / 2.0
    mean = n1 * n2 / 2.0
    variance = n1 * n2 / 12.0 * ((n + 1.0) - ties / (n * (n - 1.0)))
    if variance <= 0.0:
        p = 1.0
    else:
        z = max(0.0, abs(u1 - mean) - 0.5) / math.sqrt(variance)
        p = min(1.0, 2.0 * normal_sf(z))
    r = 2.0 * u1 / (n1 * n2) - 1.0
    return TestResult(
        test=MANN_WHITNEY,
        statistic=u1,
        df=None,
        p_value=p,
        effect_size=r,
        effect_name=RANK_BISERIAL,
        n=n,
        magnitude=magnitude(r, RANK_BISERIAL_THRESHOLDS),
    )


# ---------------------------------------------------------------------------------------
# Many questions


def _check_p_values(p_values: Sequence[float]) -> list[float]:
    ps = [float(p) for p in p_values]
    for p in ps:
        if not 0.0 <= p <= 1.0:  # also refuses NaN
            raise ValueError(f"p-values must be between 0 and 1, got {p!r}")
    return ps


def holm(p_values: Sequence[float]) -> list[float]:
    """Holm's step-down adjusted p-values (Holm 1979), in the same order as the input.

    With the m p-values sorted ascending, p₍₁₎ ≤ … ≤ p₍ₘ₎, the adjusted value of p₍ᵢ₎ is
    ``max over j ≤ i of min(1, (m − j + 1) · p₍ⱼ₎)`` (as R's ``p.adjust(method="holm")``).
    Each adjusted value is ≥ its raw p, at most 1, and the adjusted values are in the same
    order as the raw ones. Rejecting where adjusted < α controls the family-wise error
    rate at α. ``[]`` gives ``[]``; ValueError for a value outside [0, 1] or NaN.
    """
    ps = _check_p_values(p_values)
    m = len(ps)
    order = sorted(range(m), key=ps.__getitem__)
    adjusted = [0.0] * m
    running = 0.0
    for rank, index in enumerate(order):
        running = max(running, min(1.0, (m - rank) * ps[index]))
        adjusted[index] = running
    return adjusted


def benjamini_hochberg(p_values: Sequence[float]) -> list[float]:
    """Benjamini–Hochberg step-up adjusted p-values ("q-values"), same order as the input.

    With the m p-values sorted ascending, the adjusted value of p₍ᵢ₎ is
    ``min over j ≥ i of min(1, m / j · p₍ⱼ₎)`` (as R's ``p.adjust(method="BH")``). Each
    adjusted value is ≥ its raw p, ≤ the Holm value, at most 1, and in the same order as
    the raw ones. Rejecting where adjusted < α controls the false discovery rate at α
    (for independent or positively dependent tests). ``[]`` gives ``[]``; ValueError for
    a value outside [0, 1] or NaN.
    """
    ps = _check_p_values(p_values)
    m = len(ps)
    order = sorted(range(m), key=ps.__getitem__)
    adjusted = [0.0] * m
    running = 1.0
    for rank in range(m - 1, -1, -1):
        index = order[rank]
        running = min(running, m / (rank + 1) * ps[index])
        adjusted[index] = min(1.0, running)
    return adjusted
