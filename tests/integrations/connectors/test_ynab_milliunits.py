from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from integrations.connectors.values import RowProblem
from integrations.connectors.ynab import milliunits_to_minor

# a currency for each exponent: JPY has 0 decimals, USD 2, BHD 3
CURRENCIES = {0: "JPY", 2: "USD", 3: "BHD"}
MILLIUNITS = st.integers(min_value=-(10**15), max_value=10**15)


@given(MILLIUNITS, st.sampled_from(sorted(CURRENCIES)))
def test_milliunits_convert_exactly_or_are_refused(milliunits: int, places: int) -> None:
    exact = Fraction(milliunits, 1000) * 10**places
    if exact.denominator == 1:
        assert milliunits_to_minor(milliunits, CURRENCIES[places]) == exact
    else:
        with pytest.raises(RowProblem, match="not exact"):
            milliunits_to_minor(milliunits, CURRENCIES[places])


@given(st.integers(min_value=-(10**12), max_value=10**12), st.sampled_from(sorted(CURRENCIES)))
def test_every_minor_amount_survives_the_round_trip(minor: int, places: int) -> None:
    milliunits = minor * 10 ** (3 - places)
    assert milliunits_to_minor(milliunits, CURRENCIES[places]) == minor


@pytest.mark.parametrize(
    ("milliunits", "currency", "minor"),
    [
        (-84230, "USD", -8423),
        (1500000, "JPY", 1500),
        (1234, "BHD", 1234),
        (0, "USD", 0),
        (-10, "USD", -1),
    ],
)
def test_known_conversions(milliunits: int, currency: str, minor: int) -> None:
    assert milliunits_to_minor(milliunits, currency) == minor


@pytest.mark.parametrize(
    ("milliunits", "currency"), [(-12345, "USD"), (1500500, "JPY"), (-1, "USD")]
)
def test_a_fraction_of_the_smallest_unit_is_refused(milliunits: int, currency: str) -> None:
    with pytest.raises(RowProblem, match=f"{milliunits} milliunits is not exact in {currency}"):
        milliunits_to_minor(milliunits, currency)
