from hypothesis import given
from hypothesis import strategies as st

from domain.ratelimits.windows import digest, window_at

instants = st.floats(min_value=0, max_value=4e9, allow_nan=False)
lengths = st.integers(min_value=1, max_value=86400)


@given(instants, lengths)
def test_an_instant_lies_in_its_window_and_retry_after_reaches_its_end(
    now: float, length: int
) -> None:
    window = window_at(now, length)
    assert window.ends_at - length <= now < window.ends_at
    assert 1 <= window.retry_after <= length
    assert now + window.retry_after >= window.ends_at


@given(instants, lengths)
def test_every_instant_of_a_window_names_the_same_counter(now: float, length: int) -> None:
    window = window_at(now, length)
    start = window.ends_at - length
    assert window_at(start, length).key("ip", "a") == window.key("ip", "a")
    assert window_at(window.ends_at, length).key("ip", "a") != window.key("ip", "a")


def test_a_counter_key_names_no_address_token_or_email() -> None:
    key = window_at(0, 60).key("login-account", "sam@example.org")
    assert "sam" not in key and "example" not in key
    assert key == f"login-account:{digest('sam@example.org')}:0"
    assert len(key) <= 128
