"""Sample sizes and reproducible stratified random samples for record reading.

Sample size
-----------
The size needed to estimate a proportion, with the finite population correction, written
the way Scottish Government survey practice writes it (Health and Care Experience Survey
technical reports, "Sample Design", e.g. 2019/20 section 4, gov.scot)::

    B = z² · p(1 − p) / c²          (the sample for an infinite population)
    M = B / (1 + (B − 1) / N)       (corrected for a population of N)

where ``z`` is the two-sided standard normal quantile for the confidence level, ``p`` the
expected proportion (0.5 is the most cautious choice: it gives the largest sample) and
``c`` the margin of error as a fraction (0.10 for ±10 percentage points). The HACE reports
use 95% and ±8 points, giving B = 150. M is rounded **up** to a whole record and is never
more than N. The Care Inspectorate's own sample size and confidence level are not published (its guide
to the pre-inspection return asks only for a "statistically valid" sample), so the
defaults (95%, ±10%, p = 0.5) are a typical choice and every parameter can be changed.

Known values (95%, ±10%, p = 0.5, B = 96.04): N = 300 → 73; N = 1,000 → 88;
N = 10,000 → 96; a very large N → 97 (= ⌈B⌉).

Stratified sample
-----------------
:func:`allocation` shares ``n`` among strata in proportion to their sizes by the
largest-remainder (Hamilton) method; :func:`draw_order` gives the full reproducible random
order of one stratum's records; :func:`stratified_sample` takes the first ``k`` of each
stratum's order. Reproducibility does not depend on dict order, ``PYTHONHASHSEED`` or the
Python version (see :func:`draw_order`).

No Django imports: the records app stores the seed and calls these functions.
"""

from __future__ import annotations

import math
import operator
import random
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from statistics import NormalDist

__all__ = [
    "SampleSizeCalculation",
    "allocation",
    "draw_order",
    "sample_size",
    "sample_size_calculation",
    "stratified_sample",
    "z_for",
]

# M is rounded up, but floating point can leave a whole number a hair above itself
# (73.000000000001); values within this distance of a whole number count as that number.
_ROUNDING_TOLERANCE = 1e-9


def _fraction_between_0_and_1(value: float, name: str) -> float:
    number = float(value)
    if not 0 < number < 1:  # also rejects NaN
        raise ValueError(f"The {name} must be between 0 and 1 (not including 0 or 1), not {value}")
    return number


def z_for(confidence: float) -> float:
    """The two-sided standard normal quantile for ``confidence``: 1.959964… for 0.95.

    ``z = Φ⁻¹(1 − (1 − confidence) / 2)``, from :meth:`statistics.NormalDist.inv_cdf`
    (1.644854 for 0.90, 2.575829 for 0.99). Raises ValueError unless 0 < confidence < 1.
    """
    level = _fraction_between_0_and_1(confidence, "confidence level")
    return NormalDist().inv_cdf(1 - (1 - level) / 2)


@dataclass(frozen=True)
class SampleSizeCalculation:
    """The working behind a sample size, for showing to the coordinator.

    ``b`` is the sample for an infinite population, ``m`` the finite-population figure
    before rounding, ``n`` the sample size (``m`` rounded up, at most the population).
    """

    population: int
    confidence: float
    margin: float
    proportion: float
    z: float
    b: float
    m: float
    n: int


def sample_size_calculation(
    population: int,
    confidence: float = 0.95,
    margin: float = 0.10,
    proportion: float = 0.5,
) -> SampleSizeCalculation:
    """:func:`sample_size` with its working (z, B and the unrounded M)."""
    population = operator.index(population)  # TypeError for 12.5, accepts numpy integers
    if population < 0:
        raise ValueError(f"The population cannot be negative, not {population}")
    z = z_for(confidence)
    c = _fraction_between_0_and_1(margin, "margin of error")
    p = float(proportion)
    if not 0 <= p <= 1:  # also rejects NaN
        raise ValueError(f"The expected proportion must be between 0 and 1, not {proportion}")
    b = z * z * p * (1 - p) / (c * c)
    # Nothing to sample when N = 0, or when p is 0 or 1 (B = 0: the formula gives M = 0 for
    # every N of 2 or more; we use 0 for N = 1 too, where it would divide 0 by 0).
    m = 0.0 if population == 0 or b == 0 else b / (1 + (b - 1) / population)
    n = min(population, math.ceil(m - _ROUNDING_TOLERANCE))
    return SampleSizeCalculation(
        population=population,
        confidence=float(confidence),
        margin=c,
        proportion=p,
        z=z,
        b=b,
        m=m,
        n=n,
    )


def sample_size(
    population: int,
    confidence: float = 0.95,
    margin: float = 0.10,
    proportion: float = 0.5,
) -> int:
    """The number of records to sample to estimate a proportion in a finite population.

    ``B = z²·p(1−p)/c²`` and ``M = B / (1 + (B − 1)/N)`` (Scottish Government, Health and
    Care Experience Survey technical report, "Sample Design"), with ``z`` from
    :func:`z_for`, ``c = margin`` and ``N = population``. Contract:

    * the result is M rounded **up** (a value within 1e-9 of a whole number counts as that
      number, so floating-point noise never adds a record), never more than ``population``;
    * 0 for a population of 0, and 0 when ``proportion`` is 0 or 1 (then B = 0);
    * at least 1 for any other population of 1 or more;
    * ValueError for ``confidence`` or ``margin`` outside the open interval (0, 1),
      ``proportion`` outside [0, 1], or a negative population; TypeError for a population
      that is not a whole number.

    Examples: ``sample_size(300) == 73``; ``sample_size(10_000) == 96``;
    ``sample_size(10**9) == 97``; ``sample_size(1000, 0.90, 0.05) == 214``.
    """
    return sample_size_calculation(population, confidence, margin, proportion).n


def _check_count(n: int) -> int:
    n = operator.index(n)
    if n < 0:
        raise ValueError(f"The sample size cannot be negative, not {n}")
    return n


def _largest_remainder(weights: Mapping[str, int], seats: int) -> dict[str, int]:
    """Share ``seats`` in proportion to ``weights`` (Hamilton's method), exactly.

    Each name first gets the whole part of its quota ``seats · w / W``; the seats left go
    one each to the largest fractional parts, ties going to the name that sorts first.
    Integer arithmetic only: the fractional parts share the denominator W, so their
    numerators (``seats · w mod W``) compare exactly.
    """
    total = sum(weights.values())  # > 0: allocation passes only strata with records
    names = sorted(weights)
    whole = {name: seats * weights[name] // total for name in names}
    left = seats - sum(whole.values())
    by_remainder = sorted(names, key=lambda name: (-(seats * weights[name] % total), name))
    for name in by_remainder[:left]:
        whole[name] += 1
    return whole


def allocation(sizes: dict[str, int], n: int) -> dict[str, int]:
    """How many of ``n`` records to draw from each stratum, in proportion to its size.

    Proportional allocation by the largest-remainder (Hamilton) method: each stratum's
    quota is ``n · size / total``; it first gets the whole part, and the records left over
    go one each to the strata with the largest fractional parts, ties broken by stratum
    name (the name that sorts first wins). So every stratum gets its quota rounded down or
    up, and the allocations add up to exactly ``n``. A stratum is never given more than it
    has: any excess would be shared again among the strata with room by the same method
    (with exact proportional quotas and ``n`` at most the total this cannot happen, since
    a quota never exceeds its stratum's size, so the loop runs once).

    Contract: the result has every stratum (keys in sorted order), zero for strata that get
    nothing; ``n`` at or above the total gives every stratum its full size. ValueError for
    a negative ``n`` or a negative size. Like every largest-remainder method it can show
    the "Alabama paradox": raising ``n`` by one can lower one stratum's allocation, so a
    sample of n + 1 is not always the sample of n plus one record.
    """
    n = _check_count(n)
    for name, size in sizes.items():
        if operator.index(size) < 0:
            raise ValueError(f"Stratum {name!r} cannot have a negative size ({size})")
    names = sorted(sizes)
    total = sum(sizes.values())
    if n >= total:
        return {name: sizes[name] for name in names}
    result = dict.fromkeys(names, 0)
    remaining = n
    open_strata = {name: sizes[name] for name in names if sizes[name] > 0}
    while remaining > 0 and open_strata:
        shares = _largest_remainder(open_strata, remaining)
        remaining = 0
        for name, share in shares.items():
            room = sizes[name] - result[name]
            given = min(share, room)
            result[name] += given
            remaining += share - given
            if result[name] == sizes[name]:
                del open_strata[name]
    return result


def _check_unique(ids: Sequence[str], where: str) -> None:
    repeated = sorted(record for record, count in Counter(ids).items() if count > 1)
    if repeated:
        shown = ", ".join(repr(r) for r in repeated[:5])
        raise ValueError(f"Record ids must not repeat {where}; repeated: {shown}")


def draw_order(ids: list[str], seed: int, stratum: str) -> list[str]:
    """The full random order of one stratum's records; its first k are the sample of k.

    The ids are sorted first (so the caller's order does not matter), then shuffled by the
    Fisher–Yates algorithm (Knuth, TAOCP vol. 2, Algorithm 3.4.2P) driven by
    ``random.Random(f"{seed}:{stratum}")``. Every prefix of a uniformly random permutation
    is a simple random sample without replacement, so the first k ids are the sample and
    the (k + 1)-th is "the next draw", the replacement when a sampled record cannot be read.

    Reproducible: the same ids, seed and stratum always give the same order, whatever the
    order of ``ids``, the process's hash seed or the Python version. A string seed is
    hashed with SHA-512 and only :meth:`random.Random.random` is used, the two things
    Python promises to keep stable across versions (``shuffle`` and ``sample`` are not
    promised). The index ``⌊random() · (i + 1)⌋`` is biased by at most i / 2⁵³, which is
    negligible for case lists. ValueError if an id repeats.
    """
    _check_unique(ids, f"in stratum {stratum!r}")
    order = sorted(ids)
    rng = random.Random(f"{seed}:{stratum}")
    for i in range(len(order) - 1, 0, -1):
        j = int(rng.random() * (i + 1))
        order[i], order[j] = order[j], order[i]
    return order


def stratified_sample(strata: dict[str, list[str]], n: int, seed: int) -> dict[str, list[str]]:
    """A reproducible stratified random sample of ``n`` records.

    ``strata`` maps each stratum's name (e.g. a pre-inspection return category) to its
    record ids. The sample size of each stratum comes from :func:`allocation`; the records
    are the first ones of :func:`draw_order` for that stratum, kept **in draw order** (so
    the next id of the draw order is the replacement for an unavailable record).

    Contract: the same strata, ``n`` and ``seed`` always give the same sample, independent
    of dict or list order; every stratum appears (sorted by name), with an empty list when
    it gets nothing; ``n`` above the number of records takes every record; ValueError for a
    negative ``n`` or an id that appears twice (within a stratum or in two strata).
    """
    n = _check_count(n)
    _check_unique([record for ids in strata.values() for record in ids], "across the strata")
    shares = allocation({name: len(ids) for name, ids in strata.items()}, n)
    return {name: draw_order(strata[name], seed, name)[: shares[name]] for name in shares}
