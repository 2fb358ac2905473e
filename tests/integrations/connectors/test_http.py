import datetime as dt
import logging

import httpx
import pytest

from domain.imports.records import SourceFailed
from integrations.connectors.http import JsonClient, RetryPolicy, retry_after_seconds
from tests.integrations.connectors.fakes import FakeSleep, FakeSource, Reply, payload_text

URL = "https://api.example.test/v1/things"
TOKEN = "s3cr3t-personal-access-token"
NOW = dt.datetime(2025, 11, 5, 12, 0, 0, tzinfo=dt.UTC)
OK = Reply(body={"ok": True})


def channel(source: FakeSource, sleep: FakeSleep, **policy: float) -> JsonClient:
    return JsonClient(
        source.client(),
        source="Example",
        headers={"Authorization": f"Bearer {TOKEN}"},
        policy=RetryPolicy(**policy),  # type: ignore[arg-type]
        sleep=sleep,
        now=lambda: NOW,
    )


def failure(source: FakeSource, **policy: float) -> str:
    with pytest.raises(SourceFailed) as raised:
        channel(source, FakeSleep(), **policy).get(URL)
    return raised.value.reason


def test_sends_the_token_as_a_bearer_header_and_the_params_in_the_query() -> None:
    source = FakeSource({"/v1/things": OK})
    assert channel(source, FakeSleep()).get(URL, {"since": "2025-11-01", "page": 2}) == {"ok": True}
    (request,) = source.requests
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert request.url.params["since"] == "2025-11-01" and request.url.params["page"] == "2"
    assert TOKEN not in str(request.url)


def test_429_waits_the_seconds_retry_after_asks_then_succeeds() -> None:
    source = FakeSource(
        {"/v1/things": [Reply.of("common/error_429_ynab.json", 429, **{"Retry-After": "7"}), OK]}
    )
    sleep = FakeSleep()
    assert channel(source, sleep).get(URL) == {"ok": True}
    assert sleep.delays == [7.0]
    assert len(source.requests) == 2


def test_retry_after_as_an_http_date_waits_until_that_moment() -> None:
    later = "Wed, 05 Nov 2025 12:00:42 GMT"
    source = FakeSource({"/v1/things": [Reply(status=503, headers={"Retry-After": later}), OK]})
    sleep = FakeSleep()
    channel(source, sleep).get(URL)
    assert sleep.delays == [42.0]


def test_500_twice_then_success_backs_off_exponentially() -> None:
    error = Reply.of("common/error_500_ynab.json", 500)
    source = FakeSource({"/v1/things": [error, error, OK]})
    sleep = FakeSleep()
    assert channel(source, sleep).get(URL) == {"ok": True}
    assert sleep.delays == [1.0, 2.0]


def test_backoff_is_capped_and_attempts_are_bounded() -> None:
    source = FakeSource({"/v1/things": Reply(status=502)})
    sleep = FakeSleep()
    with pytest.raises(SourceFailed) as raised:
        channel(source, sleep, attempts=5, base_delay=4.0, max_delay=10.0).get(URL)
    assert sleep.delays == [4.0, 8.0, 10.0, 10.0]
    assert len(source.requests) == 5
    assert raised.value.reason == (
        "Example keeps failing (HTTP 502 after 5 attempts); the next sync will try again"
    )


def test_persistent_429_fails_as_rate_limited() -> None:
    reason = failure(FakeSource({"/v1/things": Reply(status=429, headers={"Retry-After": "1"})}))
    assert reason.startswith("Example is rate limiting us (HTTP 429 after 4 attempts)")


def test_a_retry_after_longer_than_the_policy_allows_fails_instead_of_blocking() -> None:
    source = FakeSource({"/v1/things": Reply(status=429, headers={"Retry-After": "3600"})})
    assert failure(source) == (
        "Example asked us to wait 3600 s before trying again (HTTP 429); "
        "the next sync will try again"
    )
    assert len(source.requests) == 1


def test_a_timeout_fails_the_run_without_retrying() -> None:
    source = FakeSource({"/v1/things": httpx.ReadTimeout("read timed out")})
    assert failure(source) == "Example did not answer in time (ReadTimeout)"
    assert len(source.requests) == 1


def test_an_unreachable_source_fails_the_run() -> None:
    source = FakeSource({"/v1/things": httpx.ConnectError("connection refused")})
    assert failure(source) == "could not reach Example (ConnectError)"


@pytest.mark.parametrize("status", [401, 403])
def test_refused_credentials_fail_the_run(status: int) -> None:
    source = FakeSource({"/v1/things": Reply.of("common/error_401_ynab.json", status)})
    assert failure(source) == (
        f"Example refused the credentials (HTTP {status}): check the token and its permissions"
    )
    assert len(source.requests) == 1


def test_another_client_error_names_the_path_and_the_sources_own_detail() -> None:
    source = FakeSource({"/v1/things": Reply.of("common/error_404_ynab.json", 404)})
    assert failure(source) == "Example answered HTTP 404 for /v1/things: Budget not found"


def test_malformed_json_fails_the_run() -> None:
    source = FakeSource({"/v1/things": Reply(text=payload_text("common/malformed.json.txt"))})
    assert failure(source) == "Example sent a response that is not valid JSON (HTTP 200)"


def test_the_token_never_reaches_the_logs_or_the_reason(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    source = FakeSource(
        {
            "/v1/things": [
                Reply(status=500),
                Reply(status=429, headers={"Retry-After": "2"}),
                Reply(status=401),
            ]
        }
    )
    reason = failure(source)
    assert "retrying in 1.0 s (attempt 2 of 4)" in caplog.text
    assert TOKEN not in caplog.text and TOKEN not in reason
    assert "Example" in repr(channel(source, FakeSleep())) and TOKEN not in repr(
        channel(source, FakeSleep())
    )


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("0", 0.0),
        ("120", 120.0),
        (" 5 ", 5.0),
        ("Wed, 05 Nov 2025 12:01:00 GMT", 60.0),
        ("Wed, 05 Nov 2025 11:00:00 GMT", 0.0),  # already past: retry now
        (None, None),
        ("", None),
        ("soon", None),
        ("-3", None),
    ],
)
def test_retry_after_reads_seconds_or_an_http_date(
    header: str | None, seconds: float | None
) -> None:
    assert retry_after_seconds(header, now=NOW) == seconds
