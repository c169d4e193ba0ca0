"""Sample sizes (finite population correction) and reproducible stratified samples."""

from __future__ import annotations

import math
import random
from collections import Counter
from fractions import Fraction

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from howgood.stats.sampling import (
    allocation,
    draw_order,
    sample_size,
    sample_size_calculation,
    stratified_sample,
    z_for,
)

# Deadlines off: timings are unreliable while the whole suite runs in parallel.
PROPS = settings(deadline=None)

# --- z --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("confidence", "z"),
    [(0.90, 1.644854), (0.95, 1.959964), (0.99, 2.575829), (0.80, 1.281552)],
)
def test_z_matches_the_normal_tables(confidence: float, z: float) -> None:
    assert z_for(confidence) == pytest.approx(z, abs=1e-6)


@pytest.mark.parametrize("confidence", [0, 1, -0.5, 1.5, math.nan, math.inf])
def test_z_needs_a_confidence_between_0_and_1(confidence: float) -> None:
    with pytest.raises(ValueError, match="confidence level must be between 0 and 1"):
        z_for(confidence)


# --- sample size: known values worked by hand -------------------------------------------


def test_the_worked_example_at_95_percent_plus_or_minus_10() -> None:
    # z = 1.959964, B = z² · 0.5 · 0.5 / 0.1² = 96.0365 (96.04 with z = 1.96);
    # M = 96.0365 / (1 + 95.0365 / 300) = 96.0365 / 1.316788 = 72.93, rounded up to 73.
    calc = sample_size_calculation(300)
    assert calc.z == pytest.approx(1.959964, abs=1e-6)
    assert calc.b == pytest.approx(96.0365, abs=1e-4)
    assert calc.m == pytest.approx(72.9324, abs=1e-4)
    assert calc.n == 73
    assert sample_size(300) == 73
    # The same with the rounded z = 1.96 that hand calculations use.
    b = 1.96**2 * 0.25 / 0.01
    assert b == pytest.approx(96.04)
    assert math.ceil(b / (1 + (b - 1) / 300)) == 73


def test_the_scottish_government_hace_figure() -> None:
    # HACE technical reports: 95% confidence, ±8 points, p = 0.5 gives "B = 150".
    assert sample_size_calculation(1000, 0.95, 0.08).b == pytest.approx(150.06, abs=0.01)


@pytest.mark.parametrize(
    ("population", "confidence", "margin", "expected"),
    [
        # 95%, ±10%: B = 96.0365
        (1, 0.95, 0.10, 1),
        (2, 0.95, 0.10, 2),
        (10, 0.95, 0.10, 10),  # M = 9.14
        (50, 0.95, 0.10, 34),  # M = 33.11
        (100, 0.95, 0.10, 50),  # M = 49.24
        (300, 0.95, 0.10, 73),  # M = 72.93
        (1_000, 0.95, 0.10, 88),  # M = 87.70
        (10_000, 0.95, 0.10, 96),  # M = 95.13
        (10**9, 0.95, 0.10, 97),  # M → B = 96.04
        # 90%, ±5%: z = 1.644854, B = 270.554
        (100, 0.90, 0.05, 74),  # M = 73.21
        (300, 0.90, 0.05, 143),  # M = 142.51
        (1_000, 0.90, 0.05, 214),  # M = 213.11
        (10**9, 0.90, 0.05, 271),
        # 95%, ±5%: B = 384.146, the textbook "385" for a large population
        (1_000, 0.95, 0.05, 278),  # M = 277.73
        (10_000, 0.95, 0.05, 370),  # M = 369.97
        (10**9, 0.95, 0.05, 385),
        # 99%, ±5%: z = 2.575829, B = 663.49
        (1_000, 0.99, 0.05, 400),  # M = 399.09
    ],
)
def test_known_sample_sizes(
    population: int, confidence: float, margin: float, expected: int
) -> None:
    assert sample_size(population, confidence, margin) == expected


def test_a_smaller_expected_proportion_needs_fewer() -> None:
    # p = 0.2: B = 1.959964² · 0.16 / 0.01 = 61.46; M = 61.46 / (1 + 60.46/300) = 51.13 → 52
    assert sample_size(300, proportion=0.2) == 52
    assert sample_size(300, proportion=0.8) == 52


def test_edges() -> None:
    assert sample_size(0) == 0
    assert sample_size(0, 0.99, 0.01) == 0
    assert sample_size(1) == 1
    assert sample_size(5, proportion=0) == 0
    assert sample_size(1, proportion=1) == 0
    assert sample_size(1, proportion=0.001) == 1
    assert sample_size(10**9, proportion=0.001) == 1  # B = 0.38: one record still needed


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"population": -1}, "population cannot be negative"),
        ({"population": 10, "confidence": 0}, "confidence level"),
        ({"population": 10, "confidence": 1}, "confidence level"),
        ({"population": 10, "confidence": 95}, "confidence level"),
        ({"population": 10, "confidence": math.nan}, "confidence level"),
        ({"population": 10, "margin": 0}, "margin of error"),
        ({"population": 10, "margin": 1}, "margin of error"),
        ({"population": 10, "margin": 10}, "margin of error"),
        ({"population": 10, "margin": -0.1}, "margin of error"),
        ({"population": 10, "proportion": -0.01}, "expected proportion"),
        ({"population": 10, "proportion": 1.01}, "expected proportion"),
        ({"population": 10, "proportion": math.nan}, "expected proportion"),
    ],
)
def test_bad_inputs_raise_plainly(kwargs: dict[str, float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        sample_size(**kwargs)  # type: ignore[arg-type]


def test_population_must_be_whole() -> None:
    with pytest.raises(TypeError):
        sample_size(12.5)  # type: ignore[arg-type]


# --- sample size: properties -------------------------------------------------------------

populations = st.integers(min_value=1, max_value=10**7)
confidences = st.floats(min_value=0.5, max_value=0.999)
margins = st.floats(min_value=0.01, max_value=0.5)
proportions = st.floats(min_value=0.01, max_value=0.99)


def _achieved_margin(population: int, n: int, confidence: float, p: float) -> float:
    """The half-width of the confidence interval from a simple random sample of n,
    with the finite population correction (N − n)/(N − 1) on the variance of a sample
    proportion (Cochran, Sampling Techniques, 3rd ed. 1977, ch. 3): independent of the
    B/M formula, which is this inequality solved for n."""
    if n >= population:
        return 0.0
    variance = p * (1 - p) / n * (population - n) / (population - 1)
    return z_for(confidence) * math.sqrt(variance)


@PROPS
@given(populations, confidences, margins, proportions)
def test_the_sample_is_the_smallest_that_achieves_the_margin(
    population: int, confidence: float, margin: float, p: float
) -> None:
    n = sample_size(population, confidence, margin, p)
    assert 1 <= n <= population
    assert _achieved_margin(population, n, confidence, p) <= margin * (1 + 1e-9)
    if n >= 2:
        assert _achieved_margin(population, n - 1, confidence, p) >= margin * (1 - 1e-9)


@PROPS
@given(populations, confidences, margins, proportions)
def test_rounding_up_and_capping(
    population: int, confidence: float, margin: float, p: float
) -> None:
    calc = sample_size_calculation(population, confidence, margin, p)
    assert calc.n == min(population, calc.n)
    if calc.n < population:
        assert calc.n - 1 < calc.m <= calc.n + 1e-9
    # The correction never increases the sample, except when B < 1 (a tiny margin of
    # variability), where M = BN/(N + B - 1) lies between B and 1.
    assert calc.m <= max(calc.b, 1) + 1e-9


@PROPS
@given(populations, populations, confidences, margins, proportions)
def test_a_bigger_population_never_needs_a_smaller_sample(
    n1: int, n2: int, confidence: float, margin: float, p: float
) -> None:
    small, big = sorted((n1, n2))
    assert sample_size(small, confidence, margin, p) <= sample_size(big, confidence, margin, p)


@PROPS
@given(populations, confidences, confidences, margins, margins, proportions)
def test_more_confidence_or_a_tighter_margin_never_needs_fewer(
    population: int, c1: float, c2: float, m1: float, m2: float, p: float
) -> None:
    lo_c, hi_c = sorted((c1, c2))
    tight, loose = sorted((m1, m2))
    assert sample_size(population, lo_c, loose, p) <= sample_size(population, hi_c, loose, p)
    assert sample_size(population, hi_c, tight, p) >= sample_size(population, hi_c, loose, p)


@PROPS
@given(populations, confidences, margins, proportions)
def test_half_is_the_most_cautious_proportion(
    population: int, confidence: float, margin: float, p: float
) -> None:
    assert sample_size(population, confidence, margin, p) <= sample_size(
        population, confidence, margin, 0.5
    )


# --- allocation ----------------------------------------------------------------------------

PIR = {
    "investigated not registered": 120,
    "registered": 60,
    "vulnerable young person": 15,
    "care and risk management": 5,
}


def test_allocation_by_largest_remainder_worked_by_hand() -> None:
    # 73 of 200: quotas 43.8, 21.9, 5.475, 1.825 → whole parts 43 + 21 + 5 + 1 = 70; the 3
    # left go to the largest fractions .9 (registered), .825 (CARM), .8 (not registered).
    assert allocation(PIR, 73) == {
        "care and risk management": 2,
        "investigated not registered": 44,
        "registered": 22,
        "vulnerable young person": 5,
    }
    assert list(allocation(PIR, 73)) == sorted(PIR)


def test_allocation_small_cases() -> None:
    assert allocation({"a": 10, "b": 20, "c": 30}, 7) == {"a": 1, "b": 2, "c": 4}
    assert allocation({"a": 10, "b": 20, "c": 30}, 0) == {"a": 0, "b": 0, "c": 0}
    assert allocation({"a": 10, "b": 20, "c": 30}, 60) == {"a": 10, "b": 20, "c": 30}
    assert allocation({"a": 10, "b": 20, "c": 30}, 1000) == {"a": 10, "b": 20, "c": 30}
    assert allocation({"a": 3, "empty": 0}, 2) == {"a": 2, "empty": 0}
    assert allocation({}, 5) == {}
    assert allocation({"empty": 0}, 5) == {"empty": 0}


def test_ties_go_to_the_name_that_sorts_first() -> None:
    assert allocation({"b": 1, "a": 1}, 1) == {"a": 1, "b": 0}
    assert allocation({"c": 5, "b": 5, "a": 5}, 2) == {"a": 1, "b": 1, "c": 0}
    assert allocation({"c": 5, "b": 5, "a": 5}, 4) == {"a": 2, "b": 1, "c": 1}


def test_allocation_rejects_negatives() -> None:
    with pytest.raises(ValueError, match="cannot be negative"):
        allocation({"a": 3}, -1)
    with pytest.raises(ValueError, match="negative size"):
        allocation({"a": -3, "b": 4}, 1)


names = st.text(alphabet="abcdefghij:é ", min_size=1, max_size=6)
size_maps = st.dictionaries(names, st.integers(min_value=0, max_value=500), max_size=8)


@PROPS
@given(size_maps, st.integers(min_value=0, max_value=3000))
def test_allocation_meets_the_quota_rule(sizes: dict[str, int], n: int) -> None:
    shares = allocation(sizes, n)
    total = sum(sizes.values())
    assert sorted(shares) == sorted(sizes)
    assert sum(shares.values()) == min(n, total)
    for name, share in shares.items():
        assert 0 <= share <= sizes[name]
        if n < total:
            quota = Fraction(n * sizes[name], total)
            assert math.floor(quota) <= share <= math.ceil(quota)


@PROPS
@given(size_maps, st.integers(min_value=0, max_value=3000), st.randoms())
def test_allocation_ignores_dict_order(sizes: dict[str, int], n: int, rnd: random.Random) -> None:
    items = list(sizes.items())
    rnd.shuffle(items)
    assert allocation(dict(items), n) == allocation(sizes, n)


# --- draw order -------------------------------------------------------------------------


def test_draw_order_is_pinned() -> None:
    # A golden value: if this changes, samples already drawn could not be reproduced.
    assert draw_order(list("abcdefghij"), 1, "s") == list("jiedhcfabg")
    assert draw_order(["r1"], 7, "registered") == ["r1"]
    assert draw_order([], 7, "registered") == []


@PROPS
@given(
    st.lists(st.text(max_size=5), unique=True, max_size=30),
    st.integers(),
    names,
    st.randoms(),
)
def test_draw_order_is_a_reproducible_permutation(
    ids: list[str], seed: int, stratum: str, rnd: random.Random
) -> None:
    order = draw_order(ids, seed, stratum)
    assert sorted(order) == sorted(ids)
    shuffled = list(ids)
    rnd.shuffle(shuffled)
    assert draw_order(shuffled, seed, stratum) == order


def test_draw_order_depends_on_seed_and_stratum() -> None:
    ids = [f"R{i:03}" for i in range(30)]
    base = draw_order(ids, 1, "registered")
    assert draw_order(ids, 2, "registered") != base
    assert draw_order(ids, 1, "vulnerable young person") != base


def test_every_record_is_equally_likely_to_be_drawn_first() -> None:
    # 5 records, 5000 seeds: each should come first about 1000 times (sd 28); ±150 is 5 sd.
    firsts = Counter(draw_order(list("abcde"), seed, "x")[0] for seed in range(5000))
    assert set(firsts) == set("abcde")
    assert all(850 <= count <= 1150 for count in firsts.values()), firsts


def test_repeated_ids_are_refused() -> None:
    with pytest.raises(ValueError, match="repeated: 'a'"):
        draw_order(["a", "b", "a"], 1, "x")


# --- stratified sample -------------------------------------------------------------------


def _case_list() -> dict[str, list[str]]:
    return {name: [f"{name[:3].upper()}-{i:03}" for i in range(size)] for name, size in PIR.items()}


def test_stratified_sample_sizes_and_order() -> None:
    strata = _case_list()
    sample = stratified_sample(strata, 73, seed=20240601)
    assert list(sample) == sorted(strata)
    assert {name: len(ids) for name, ids in sample.items()} == allocation(PIR, 73)
    for name, ids in sample.items():
        order = draw_order(strata[name], 20240601, name)
        assert ids == order[: len(ids)]  # kept in draw order
        assert order[len(ids)] not in ids  # the next draw is the replacement


def test_stratified_sample_is_pinned() -> None:
    strata = {"registered": ["c", "a", "b", "d"], "carm": ["x", "y"], "none": []}
    assert stratified_sample(strata, 3, seed=1) == {
        "carm": [draw_order(["x", "y"], 1, "carm")[0]],
        "none": [],
        "registered": draw_order(["a", "b", "c", "d"], 1, "registered")[:2],
    }
    assert stratified_sample(strata, 3, seed=1) == {
        "carm": ["x"],
        "none": [],
        "registered": ["b", "d"],
    }


def test_more_than_everyone_takes_everyone_in_draw_order() -> None:
    strata = {"a": ["1", "2", "3"], "b": ["4"]}
    sample = stratified_sample(strata, 10, seed=3)
    assert sample == {"a": draw_order(["1", "2", "3"], 3, "a"), "b": ["4"]}


def test_zero_and_negative() -> None:
    strata = {"a": ["1", "2", "3"], "b": ["4"]}
    assert stratified_sample(strata, 0, seed=3) == {"a": [], "b": []}
    with pytest.raises(ValueError, match="cannot be negative"):
        stratified_sample(strata, -1, seed=3)


def test_a_record_in_two_strata_is_refused() -> None:
    with pytest.raises(ValueError, match="across the strata"):
        stratified_sample({"a": ["1", "2"], "b": ["2"]}, 2, seed=1)


strata_maps = st.dictionaries(
    names, st.lists(st.text(alphabet="0123456789AB", min_size=1, max_size=4), max_size=12)
).map(
    # make ids unique across strata by prefixing the stratum name
    lambda d: {k: sorted({f"{k}/{i}" for i in v}) for k, v in d.items()}
)


@PROPS
@given(strata_maps, st.integers(min_value=0, max_value=60), st.integers(), st.randoms())
def test_the_same_inputs_always_give_the_same_sample(
    strata: dict[str, list[str]], n: int, seed: int, rnd: random.Random
) -> None:
    sample = stratified_sample(strata, n, seed)
    items = [(k, rnd.sample(v, len(v))) for k, v in strata.items()]
    rnd.shuffle(items)
    assert stratified_sample(dict(items), n, seed) == sample
    total = sum(len(v) for v in strata.values())
    assert sum(len(v) for v in sample.values()) == min(n, total)
    for name, ids in sample.items():
        assert len(set(ids)) == len(ids)
        assert set(ids) <= set(strata[name])


@PROPS
@given(strata_maps, st.integers(min_value=0, max_value=60), st.integers())
def test_sample_is_a_prefix_of_each_draw_order(
    strata: dict[str, list[str]], n: int, seed: int
) -> None:
    assume(strata)
    sample = stratified_sample(strata, n, seed)
    for name, ids in sample.items():
        assert draw_order(strata[name], seed, name)[: len(ids)] == ids
