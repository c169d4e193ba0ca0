"""Proportion words: "the majority of records (18 of 31)".

Inspection reports describe how many of a sample had some quality with a word from a band
table instead of a bare percentage. Education Scotland publishes the bands ("Terms we use
in the inspection process", education.gov.scot):

========================  ==========================
word                      share of the whole
========================  ==========================
almost all                over 90%
most                      75% to 90%
the majority              50% to 74%
less than half            15% to 49%
few                       up to 15%
========================  ==========================

Care Inspectorate joint inspection reports are believed to add "all" (100%) and "none"
(0%); that is **unverified**, but :data:`DEFAULT_BANDS` includes both because otherwise
"almost all" would be used for every record and "few" for no record at all.

Edge rules (the published bands are whole percentages with gaps between them, such as
74% and 75%; these rules close the gaps so every proportion has exactly one word):

* the share is computed exactly (as a fraction), never rounded first;
* 0 is "none"; anything above 0 up to and including 15% is "few";
* above 15% and below 50% is "less than half";
* 50% up to but not including 75% is "the majority" (so exactly 50% is "the majority",
  and 74.9% is still "the majority");
* 75% up to and including 90% is "most";
* above 90% and below 100% is "almost all"; 100% is "all";
* a total of 0 has no proportion and raises :class:`ValueError`, as do negative counts
  and a count above the total.

No Django imports here: the frameworks app builds :class:`Band` values from its
``ProportionBand`` rows (``howgood.frameworks.selectors.bands_for``) so a partnership's
framework data drives the words.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from itertools import pairwise

__all__ = ["DEFAULT_BANDS", "Band", "check_bands", "phrase", "proportion_word"]

Number = int | float | Decimal | Fraction


def _exact(value: Number) -> Fraction:
    # str() first so a float such as 90.1 means 90.1, not its binary neighbour.
    if isinstance(value, float):
        return Fraction(str(value))
    return Fraction(value)


@dataclass(frozen=True)
class Band:
    """One proportion word and the share of the whole (in per cent) it covers.

    ``word`` is the word as it stands alone ("the majority"); ``before_noun`` is how it
    reads in front of a plural noun ("the majority of" records, "no" records) and defaults
    to ``word``.
    """

    word: str
    lower: Number
    upper: Number
    lower_inclusive: bool = True
    upper_inclusive: bool = True
    before_noun: str = ""

    def __post_init__(self) -> None:
        if not self.word.strip():
            raise ValueError("A band needs a word")
        low, high = _exact(self.lower), _exact(self.upper)
        if not 0 <= low <= high <= 100:
            raise ValueError(f"Band {self.word!r}: bounds must satisfy 0 <= lower <= upper <= 100")
        if low == high and not (self.lower_inclusive and self.upper_inclusive):
            raise ValueError(f"Band {self.word!r}: a single-value band must include its bound")

    def contains(self, percent: Fraction) -> bool:
        low, high = _exact(self.lower), _exact(self.upper)
        above = percent >= low if self.lower_inclusive else percent > low
        below = percent <= high if self.upper_inclusive else percent < high
        return above and below

    @property
    def noun_prefix(self) -> str:
        return self.before_noun or self.word

    def describe(self) -> str:
        """The band's range in words, for tables: "50% to under 75%"."""
        low, high = _exact(self.lower), _exact(self.upper)
        if low == high:
            return f"{_pc(low)}"
        start = _pc(low) if self.lower_inclusive else f"over {_pc(low)}"
        end = _pc(high) if self.upper_inclusive else f"under {_pc(high)}"
        return f"{start} to {end}"


def _pc(value: Fraction) -> str:
    text = f"{float(value):.2f}".rstrip("0").rstrip(".")
    return f"{text}%"


# Display order: largest share first, as report appendices list them.
DEFAULT_BANDS: tuple[Band, ...] = (
    Band("all", 100, 100),  # unverified (Care Inspectorate practice, believed)
    Band("almost all", 90, 100, lower_inclusive=False, upper_inclusive=False),
    Band("most", 75, 90),
    Band("the majority", 50, 75, upper_inclusive=False, before_noun="the majority of"),
    Band(
        "less than half",
        15,
        50,
        lower_inclusive=False,
        upper_inclusive=False,
        before_noun="less than half of",
    ),
    Band("few", 0, 15, lower_inclusive=False),
    Band("none", 0, 0, before_noun="no"),  # unverified (Care Inspectorate practice, believed)
)


def check_bands(bands: Sequence[Band]) -> None:
    """Raise ValueError unless the bands cover 0% to 100% once each: no gaps, no overlaps.

    The message names the first problem found, in words a person editing the band table
    can act on ("gap between 'most' and 'the majority' at 74%").
    """
    if not bands:
        raise ValueError("There are no proportion bands")
    words = [b.word for b in bands]
    duplicates = sorted({w for w in words if words.count(w) > 1})
    if duplicates:
        raise ValueError(f"Band words must be different; repeated: {', '.join(duplicates)}")

    # Sort by where each band starts; a band that includes its lower bound starts before
    # one that excludes the same bound.
    def start_key(b: Band) -> tuple[Fraction, int]:
        return (_exact(b.lower), 0 if b.lower_inclusive else 1)

    ordered = sorted(bands, key=start_key)
    first = ordered[0]
    if _exact(first.lower) != 0 or not first.lower_inclusive:
        raise ValueError(f"Nothing covers 0%: the lowest band, {first.word!r}, must include 0%")
    for prev, nxt in pairwise(ordered):
        p_high, n_low = _exact(prev.upper), _exact(nxt.lower)
        if n_low < p_high or (n_low == p_high and prev.upper_inclusive and nxt.lower_inclusive):
            raise ValueError(f"Bands {prev.word!r} and {nxt.word!r} overlap at {_pc(n_low)}")
        if n_low > p_high or (
            n_low == p_high and not prev.upper_inclusive and not nxt.lower_inclusive
        ):
            raise ValueError(
                f"Gap between {prev.word!r} and {nxt.word!r} at {_pc(p_high)}: "
                "one of them must include that value"
            )
    last = ordered[-1]
    if _exact(last.upper) != 100 or not last.upper_inclusive:
        raise ValueError(f"Nothing covers 100%: the highest band, {last.word!r}, must include 100%")


def _band(numerator: int, denominator: int, bands: Sequence[Band] | None) -> Band:
    if denominator <= 0:
        raise ValueError("A proportion needs a total above 0")
    if numerator < 0 or numerator > denominator:
        raise ValueError(f"Count {numerator} must be between 0 and the total {denominator}")
    percent = Fraction(numerator * 100, denominator)
    for band in DEFAULT_BANDS if bands is None else bands:
        if band.contains(percent):
            return band
    raise ValueError(f"No proportion band covers {_pc(percent)}")


def proportion_word(numerator: int, denominator: int, bands: Sequence[Band] | None = None) -> str:
    """The word for ``numerator`` out of ``denominator``: "the majority" for 18 of 31.

    ``numerator`` is how many records have the quality (the count) and ``denominator`` how
    many there are in all (the total). ``bands`` defaults to :data:`DEFAULT_BANDS`. When
    bands overlap the first listed wins (validate a table with :func:`check_bands`). Raises
    ValueError for a denominator of 0 or below, a negative numerator, a numerator above the
    denominator, or a share no band covers.
    """
    return _band(numerator, denominator, bands).word


def phrase(
    numerator: int, denominator: int, noun_plural: str, bands: Sequence[Band] | None = None
) -> str:
    """A finding's proportion with its denominator: "the majority of records (18 of 31)"."""
    band = _band(numerator, denominator, bands)
    return f"{band.noun_prefix} {noun_plural} ({numerator} of {denominator})"
