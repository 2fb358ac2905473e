from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from integrations.files.amounts import AmountError, minor_units, parse_decimal, to_minor

FORMATS = [(".", ""), (".", ","), (",", ""), (",", "."), (",", " "), (".", "'")]


@pytest.mark.parametrize(
    ("text", "decimal", "thousands", "expected"),
    [
        ("1.234,56", ",", ".", "1234.56"),
        ("-1.234.567,89", ",", ".", "-1234567.89"),
        ("1234,56", ",", ".", "1234.56"),
        ("1,234.56", ".", ",", "1234.56"),
        ("1 234,56", ",", " ", "1234.56"),
        ("1\u202f234,56", ",", " ", "1234.56"),
        ("1'234.50", ".", "'", "1234.50"),
        ("(12.50)", ".", "", "-12.50"),
        ("12.50-", ".", "", "-12.50"),
        ("\u221212.50", ".", "", "-12.50"),
        ("+7", ".", "", "7"),
        ("€ 4,20", ",", ".", "4.20"),
        ("-$12.34", ".", ",", "-12.34"),
        ("$-12.34", ".", ",", "-12.34"),
        (",5", ",", ".", "0.5"),
        ("  3.00  ", ".", "", "3.00"),
    ],
)
def test_parse_decimal_reads_the_configured_number_format(
    text: str, decimal: str, thousands: str, expected: str
) -> None:
    value = parse_decimal(text, decimal_separator=decimal, thousands_separator=thousands)
    assert value == Decimal(expected)


@pytest.mark.parametrize(
    ("text", "decimal", "thousands"),
    [
        ("12,50", ".", ","),  # a decimal comma read as thousands would be 1250
        ("1.234,56", ".", ","),
        ("1234.56", ",", "."),
        ("1,234.56", ".", ""),
        ("", ".", ""),
        ("-", ".", ""),
        ("12.", ".", ""),
        ("1e3", ".", ""),
        ("NaN", ".", ""),
        ("--5", ".", ""),
        ("1 234", ".", ""),
        ("١٢", ".", ""),  # Arabic-Indic digits pass str.isdigit, not the parser
        ("1" * 31, ".", ""),
    ],
)
def test_parse_decimal_refuses_what_is_not_an_amount_in_the_format(
    text: str, decimal: str, thousands: str
) -> None:
    with pytest.raises(AmountError, match="is not an amount like"):
        parse_decimal(text, decimal_separator=decimal, thousands_separator=thousands)


@pytest.mark.parametrize(
    ("value", "currency", "minor"),
    [
        ("19.99", "EUR", 1999),
        ("-0.5", "EUR", -50),
        ("1500.00", "JPY", 1500),
        ("1.999", "BHD", 1999),
    ],
)
def test_to_minor_is_exact(value: str, currency: str, minor: int) -> None:
    assert to_minor(Decimal(value), currency) == minor


def test_to_minor_refuses_more_decimals_than_the_currency_has_quoting_the_file() -> None:
    with pytest.raises(AmountError, match=r"-1,234 has more decimals than EUR allows \(2\)"):
        to_minor(Decimal("-1.234"), "EUR", written="-1,234")


def test_to_minor_refuses_an_unknown_currency() -> None:
    with pytest.raises(AmountError, match="'XYZ' is not a known ISO 4217 currency"):
        to_minor(Decimal("1"), "XYZ")


def test_to_minor_refuses_an_amount_beyond_64_bits() -> None:
    with pytest.raises(AmountError, match="too large"):
        to_minor(Decimal("99999999999999999999"), "EUR")


def test_tenths_add_up_exactly_where_floats_would_not() -> None:
    parts = [to_minor(parse_decimal(text), "USD") for text in ("0.1", "0.2")]
    assert sum(parts) == to_minor(parse_decimal("0.3"), "USD") == 30


def _written(value: Decimal, decimal: str, thousands: str) -> str:
    """`value` as a bank in that number format would print it."""
    sign = "-" if value < 0 else ""
    whole, _, fraction = f"{abs(value):.2f}".partition(".")
    grouped = f"{int(whole):,}".replace(",", thousands)
    return f"{sign}{grouped}{decimal}{fraction}"


@given(
    cents=st.integers(min_value=-(10**15), max_value=10**15),
    number_format=st.sampled_from(FORMATS),
)
def test_amounts_round_trip_through_every_number_format(
    cents: int, number_format: tuple[str, str]
) -> None:
    decimal, thousands = number_format
    value = Decimal(cents).scaleb(-2)
    text = _written(value, decimal, thousands)
    parsed = parse_decimal(text, decimal_separator=decimal, thousands_separator=thousands)
    assert parsed == value
    assert to_minor(parsed, "EUR", written=text) == cents


@given(
    st.decimals(
        allow_nan=False, allow_infinity=False, places=3, max_value=10**9, min_value=-(10**9)
    )
)
def test_three_decimal_amounts_are_exact_for_bhd_and_refused_for_eur_unless_whole_cents(
    value: Decimal,
) -> None:
    text = f"{value:f}"
    parsed = parse_decimal(text)
    assert to_minor(parsed, "BHD") == int(value * 1000)
    if (value * 100) % 1:
        with pytest.raises(AmountError, match="more decimals"):
            to_minor(parsed, "EUR")
    else:
        assert to_minor(parsed, "EUR") == int(value * 100)


def read_the_long_way(text: str, currency: str, decimal: str, thousands: str) -> int | str:
    """What `minor_units` must equal: the parse through `Decimal`, or its error."""
    try:
        value = parse_decimal(text, decimal_separator=decimal, thousands_separator=thousands)
        return to_minor(value, currency, written=text)
    except AmountError as error:
        return f"error: {error}"


def read_the_short_way(text: str, currency: str, decimal: str, thousands: str) -> int | str:
    try:
        return minor_units(text, currency, decimal_separator=decimal, thousands_separator=thousands)
    except AmountError as error:
        return f"error: {error}"


amount_texts = st.text(alphabet="0123456789-+.,' ()€\u2212\u0663", max_size=14) | st.from_regex(
    r"\A-?[0-9]{1,22}([.,][0-9]{0,4})?\Z"
)


@given(amount_texts, st.sampled_from(["EUR", "JPY", "BHD", "XXX", "QQQ"]), st.sampled_from(FORMATS))
def test_minor_units_reads_as_parse_decimal_then_to_minor_do(
    text: str, currency: str, number_format: tuple[str, str]
) -> None:
    decimal, thousands = number_format
    assert read_the_short_way(text, currency, decimal, thousands) == read_the_long_way(
        text, currency, decimal, thousands
    )
