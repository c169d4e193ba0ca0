"""The edges of the statistics that the property tests do not walk: refused inputs with
the words people are shown, groups that all answer the same, empty tables, and a chart
whose only signal is a long run."""

from __future__ import annotations

from decimal import Decimal

import pytest

from howgood.stats import disclosure, spc
from howgood.stats.agreement import agreement_table
from howgood.stats.groups import kruskal_wallis_counts


def test_an_agreement_table_refuses_none_and_nan_as_labels() -> None:
    with pytest.raises(ValueError, match="None cannot be a label: it marks a missing answer"):
        agreement_table(["Good"], ["Good"], labels=["Good", None])
    with pytest.raises(ValueError, match="NaN cannot be a label"):
        agreement_table([Decimal(1)], [Decimal(1)], labels=[Decimal(1), Decimal("NaN")])
    assert agreement_table([Decimal(1)], [Decimal(2)], labels=[Decimal(1), Decimal(2)]) == [
        [0, 1],
        [0, 0],
    ]


def test_groups_that_all_give_the_same_answer_do_not_differ() -> None:
    result = kruskal_wallis_counts({"Health": [3, 0, 0], "Social work": [2, 0, 0]})
    assert result.statistic == 0.0
    assert result.p_value == 1.0
    assert result.df == 1
    assert result.n == 5


def test_disclosure_of_empty_tables_and_impossible_counts() -> None:
    assert disclosure.suppress_groups([]) == []
    assert disclosure.suppress_groups([[], []]) == [[], []]
    with pytest.raises(ValueError, match="count 6 must be between 0 and the total 5"):
        disclosure.proportion(6, 5)
    with pytest.raises(ValueError, match=r"a count cannot be negative \(-1\)"):
        disclosure.batch(-1)
    assert disclosure.batch(12).words == "10 to 14"


def test_control_chart_refuses_a_multiplier_or_target_that_is_not_a_number() -> None:
    with pytest.raises(ValueError, match="multiply must be a number, got True"):
        spc.control_chart([1, 2, 3], chart="u", denominators=[5, 5, 5], multiply=True)
    with pytest.raises(ValueError, match="target must be a number, got '10'"):
        spc.control_chart([1, 2, 3], target="10")  # type: ignore[arg-type]


def test_a_long_run_alone_is_a_signal_on_a_run_chart() -> None:
    # Eight above the median, then the rest crossing it often enough: the number of
    # crossings (7, at the limit of 7) is no signal, the run of 8 (limit 7) is.
    above = iter(range(100, 200))
    below = iter(range(1, 100))
    shape = "aaaaaaaabbabbabbbbbbab"
    values = [next(above) if side == "a" else next(below) for side in shape]
    result = spc.control_chart(values, rules="anhoej")
    flagged = [p.special_cause for p in result.points]
    assert flagged == [True] * 8 + [False] * 14


def test_a_point_sequence_needs_one_item_per_point_in_every_column() -> None:
    with pytest.raises(ValueError, match="every column of a PointSequence must have one item"):
        spc.PointSequence(
            [1.0, 2.0], [1.0], [0.0, 0.0], [2.0, 2.0], [0, 0], ["", ""], [False, False], [0, 0]
        )
    points = spc.control_chart([1, 2, 3, 4]).points
    assert points != [1, 2, 3, 4]
    assert points == spc.control_chart([1, 2, 3, 4]).points


def test_ihi_runs_limits_start_at_ten_useful_observations() -> None:
    assert spc.ihi_runs_source(9) is None
    assert spc.ihi_runs_source(10) == "published"
    assert spc.ihi_runs_source(61) == "extension"
