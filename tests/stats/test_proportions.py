"""Proportion words: the Education Scotland bands plus "all" and "none", edges included."""

from __future__ import annotations

from fractions import Fraction
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from howgood.stats.proportions import DEFAULT_BANDS, Band, check_bands, phrase, proportion_word

WORDS_IN_ORDER = ["none", "few", "less than half", "the majority", "most", "almost all", "all"]


@pytest.mark.parametrize(
    ("count", "total", "word"),
    [
        (0, 31, "none"),
        (1, 31, "few"),
        (15, 100, "few"),  # exactly 15% is few
        (151, 1000, "less than half"),
        (49, 100, "less than half"),
        (499, 1000, "less than half"),
        (50, 100, "the majority"),  # exactly 50% is the majority
        (1, 2, "the majority"),
        (18, 31, "the majority"),
        (74, 100, "the majority"),
        (149, 200, "the majority"),  # 74.5%: between the published 74% and 75%
        (75, 100, "most"),  # exactly 75% is most
        (3, 4, "most"),
        (90, 100, "most"),  # exactly 90% is most
        (901, 1000, "almost all"),
        (30, 31, "almost all"),
        (99, 100, "almost all"),
        (31, 31, "all"),
        (1, 1, "all"),
    ],
)
def test_words_at_the_edges(count: int, total: int, word: str) -> None:
    assert proportion_word(count, total) == word


@pytest.mark.parametrize(("count", "total"), [(0, 0), (1, 0), (-1, 5), (6, 5), (0, -3)])
def test_impossible_proportions_raise(count: int, total: int) -> None:
    with pytest.raises(ValueError):
        proportion_word(count, total)


def test_phrase_reads_as_a_finding() -> None:
    assert phrase(18, 31, "records") == "the majority of records (18 of 31)"
    assert phrase(30, 31, "records") == "almost all records (30 of 31)"
    assert phrase(0, 12, "children") == "no children (0 of 12)"
    assert phrase(4, 12, "children") == "less than half of children (4 of 12)"
    assert phrase(12, 12, "children") == "all children (12 of 12)"


def test_default_bands_cover_everything_once() -> None:
    check_bands(DEFAULT_BANDS)


def test_education_scotland_bands_alone() -> None:
    es = [
        Band("almost all", 90, 100, lower_inclusive=False),
        Band("most", 75, 90),
        Band("the majority", 50, 75, upper_inclusive=False),
        Band("less than half", 15, 50, lower_inclusive=False, upper_inclusive=False),
        Band("few", 0, 15),
    ]
    check_bands(es)
    assert proportion_word(10, 10, es) == "almost all"
    assert proportion_word(0, 10, es) == "few"


@pytest.mark.parametrize(
    ("bands", "message"),
    [
        ([], "no proportion bands"),
        ([Band("a", 0, 50), Band("b", 50, 100)], "overlap at 50%"),
        (
            [Band("a", 0, 50, upper_inclusive=False), Band("b", 50, 100, lower_inclusive=False)],
            "Gap",
        ),
        ([Band("a", 0, 40), Band("b", 50, 100)], "Gap between 'a' and 'b' at 40%"),
        ([Band("a", 1, 100)], "Nothing covers 0%"),
        ([Band("a", 0, 99)], "Nothing covers 100%"),
        ([Band("a", 0, 50), Band("a", 50, 100, lower_inclusive=False)], "repeated: a"),
    ],
)
def test_check_bands_finds_problems(bands: list[Band], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        check_bands(bands)


def test_band_rejects_nonsense() -> None:
    with pytest.raises(ValueError):
        Band("x", 60, 40)
    with pytest.raises(ValueError):
        Band("x", 50, 50, upper_inclusive=False)
    with pytest.raises(ValueError):
        Band(" ", 0, 100)


def test_describe() -> None:
    words = {b.word: b.describe() for b in DEFAULT_BANDS}
    assert words["the majority"] == "50% to under 75%"
    assert words["almost all"] == "over 90% to under 100%"
    assert words["all"] == "100%"
    assert Band("x", 12.5, 20).describe() == "12.5% to 20%"


def test_a_gap_in_custom_bands_raises() -> None:
    with pytest.raises(ValueError, match="No proportion band covers"):
        proportion_word(1, 2, [Band("a", 0, 40), Band("b", 60, 100)])


proportions = st.integers(min_value=1, max_value=10_000).flatmap(
    lambda total: st.tuples(st.integers(min_value=0, max_value=total), st.just(total))
)


@given(proportions)
def test_exactly_one_default_band_matches(pair: tuple[int, int]) -> None:
    count, total = pair
    percent = Fraction(count * 100, total)
    matches = [b.word for b in DEFAULT_BANDS if b.contains(percent)]
    assert matches == [proportion_word(count, total)]


@given(proportions, proportions)
def test_a_larger_share_never_gets_a_smaller_word(a: tuple[int, int], b: tuple[int, int]) -> None:
    (ca, ta), (cb, tb) = a, b
    if Fraction(ca, ta) > Fraction(cb, tb):
        (ca, ta), (cb, tb) = (cb, tb), (ca, ta)
    assert WORDS_IN_ORDER.index(proportion_word(ca, ta)) <= WORDS_IN_ORDER.index(
        proportion_word(cb, tb)
    )


@given(proportions, st.integers(min_value=2, max_value=50))
def test_the_word_depends_only_on_the_share(pair: tuple[int, int], k: int) -> None:
    count, total = pair
    assert proportion_word(count, total) == proportion_word(count * k, total * k)


@given(proportions)
def test_all_and_none_only_at_the_ends(pair: tuple[int, int]) -> None:
    count, total = pair
    word = proportion_word(count, total)
    assert (word == "none") == (count == 0)
    assert (word == "all") == (count == total)
    assert phrase(count, total, "records").endswith(f"records ({count} of {total})")


@given(
    st.lists(st.integers(min_value=1, max_value=99), min_size=1, max_size=8, unique=True), st.data()
)
def test_any_partition_of_0_to_100_is_valid_and_matches_once(
    cuts: list[int], data: st.DataObject
) -> None:
    # Build bands from cut points, choosing at each cut which side includes it.
    points = [0, *sorted(cuts), 100]
    bands = []
    lower_inclusive = True
    for i, (low, high) in enumerate(pairwise(points)):
        last = i == len(points) - 2
        upper_inclusive = True if last else data.draw(st.booleans())
        bands.append(Band(f"w{i}", low, high, lower_inclusive, upper_inclusive))
        lower_inclusive = not upper_inclusive
    check_bands(bands)
    count = data.draw(st.integers(min_value=0, max_value=400))
    percent = Fraction(count * 100, 400)
    assert sum(b.contains(percent) for b in bands) == 1
    assert proportion_word(count, 400, bands) in {b.word for b in bands}
