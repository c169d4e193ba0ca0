"""Funnel limits: exact binomial with Spiegelhalter's interpolation, checked against the
distribution summed with math.comb, a worked example, and properties."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from howgood.stats import funnel


def _oracle(p0: float, n: int, probability: float) -> float:
    cdf, total = [], 0.0
    for r in range(n + 1):
        total += math.comb(n, r) * p0**r * (1 - p0) ** (n - r)
        cdf.append(total)
    r = next(i for i, value in enumerate(cdf) if value >= probability)
    below = cdf[r - 1] if r else 0.0
    return max(0.0, (r - (cdf[r] - probability) / (cdf[r] - below)) / n)


def test_ten_cases_around_a_half_by_hand() -> None:
    # Binomial(10, 0.5): F(7) = 968/1024, F(8) = 1013/1024; P = 0.975 falls between them.
    alpha = (1013 / 1024 - 0.975) / (1013 / 1024 - 968 / 1024)
    assert funnel.limit(0.5, 10, 0.975) == pytest.approx((8 - alpha) / 10)
    assert funnel.limit(0.5, 10, 0.975) == pytest.approx(0.7675, abs=1e-4)
    # Symmetric about a half: the lower limit mirrors the upper one (less a whole count).
    lower = funnel.limits(0.5, 10).lower95
    assert lower == pytest.approx(_oracle(0.5, 10, 0.025))


@settings(max_examples=60, deadline=None)
@given(
    p0=st.floats(min_value=0.01, max_value=0.99),
    n=st.integers(min_value=1, max_value=300),
)
def test_limits_agree_with_the_summed_distribution(p0: float, n: int) -> None:
    found = funnel.limits(p0, n)
    for name, probability in funnel.LEVELS.items():
        assert getattr(found, name) == pytest.approx(_oracle(p0, n, probability), abs=1e-9)
    assert found.lower998 <= found.lower95 <= p0 + 1e-12
    assert found.upper95 <= found.upper998 <= 1.0 + 1e-12


def test_limits_narrow_as_cases_grow_and_large_units_do_not_underflow() -> None:
    widths = [
        funnel.limits(0.3, n).upper95 - funnel.limits(0.3, n).lower95 for n in (20, 200, 2000)
    ]
    assert widths[0] > widths[1] > widths[2] > 0
    big = funnel.limits(0.3, 100_000)
    # About two standard errors either side, as the normal approximation gives at this size.
    se = math.sqrt(0.3 * 0.7 / 100_000)
    assert big.upper95 == pytest.approx(0.3 + 1.96 * se, abs=2e-4)
    assert big.lower998 == pytest.approx(0.3 - 3.09 * se, abs=2e-4)


def test_a_share_of_none_or_all_has_no_spread() -> None:
    assert funnel.limits(0.0, 50) == funnel.Limits(50, 0.0, 0.0, 0.0, 0.0)
    assert funnel.limit(1.0, 50, 0.975) == 1.0


def test_units_are_placed_against_the_overall_share() -> None:
    found = funnel.funnel(
        {"Education": (60, 100), "Police": (60, 300), "Health": (2, 4), "None": (0, 0)},
        steps=5,
    )
    assert found.target == pytest.approx(122 / 404)
    by_name = {p.name: p for p in found.points}
    assert list(by_name) == ["Education", "Health", "Police"]
    assert by_name["Education"].share == 0.6
    assert by_name["Education"].position == "above_998"
    assert by_name["Health"].position == "within"  # 2 of 4: far off, but only 4 cases
    assert by_name["Police"].position == "below_998"  # 60 of 300: nearly four standard errors under
    assert [c.n for c in found.curve] == [1, 4, 17, 72, 300]  # 300 to the power 0, 1/4, 1/2, 3/4, 1


def test_positions_by_the_exact_tails() -> None:
    lim = funnel.Limits(100, 0.1, 0.2, 0.4, 0.5)
    place = {
        (low, high): funnel.FunnelPoint("x", 1, 100, lim, p_low=low, p_high=high).position
        for low, high in (
            (0.5, 0.5),
            (1, 0.0009),
            (1, 0.02),
            (0.0005, 1),
            (0.01, 1),
            (0.025, 0.025),
        )
    }
    assert place == {
        (0.5, 0.5): "within",
        (1, 0.0009): "above_998",
        (1, 0.02): "above_95",
        (0.0005, 1): "below_998",
        (0.01, 1): "below_95",
        (0.025, 0.025): "within",
    }


def test_all_of_a_tiny_unit_is_not_over_read() -> None:
    # 3 of 3 against 4 in 9 overall: just past the interpolated upper limit, but a chance
    # of 0.444 cubed (8.8%) of so many if the unit were like the rest: within.
    found = funnel.funnel({"Small": (3, 3), "Rest": (1, 6)})
    small = next(p for p in found.points if p.name == "Small")
    assert small.share > small.limits.upper998
    assert small.p_high == pytest.approx((4 / 9) ** 3)
    assert small.position == "within"
    none_at_all = funnel.funnel({"Nil": (0, 40), "Rest": (40, 40)})
    nil = next(p for p in none_at_all.points if p.name == "Nil")
    assert nil.p_low == pytest.approx(0.5**40) and nil.position == "below_998"


def test_a_share_of_none_overall_puts_every_unit_within() -> None:
    found = funnel.funnel({"A": (0, 10), "B": (0, 3)})
    assert found.target == 0.0
    assert [p.position for p in found.points] == ["within", "within"]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: funnel.limit(0.5, 0, 0.975), "n must be"),
        (lambda: funnel.limit(0.5, True, 0.975), "n must be"),
        (lambda: funnel.limit(1.5, 10, 0.975), "p0 must be"),
        (lambda: funnel.limit("a", 10, 0.975), "p0 must be"),
        (lambda: funnel.limit(0.5, 10, 1.0), "probability must be"),
        (lambda: funnel.limits(-0.1, 10), "p0 must be"),
        (lambda: funnel.funnel({"A": (5, 3)}), "between 0 and 3"),
        (lambda: funnel.funnel({"A": (0, -1)}), "between 0 and -1"),
        (lambda: funnel.funnel({"A": (0, 0)}), "at least one unit"),
    ],
)
def test_bad_input_is_refused(call, message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match=message):
        call()
