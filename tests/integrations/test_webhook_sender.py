"""The HTTP side of a delivery against a real receiver on 127.0.0.1: signing, timeouts,
redirects, resets, huge answers, and the address check made on every connection."""

import ipaddress
import time
from collections.abc import Iterator

import pytest
from standardwebhooks import Webhook, WebhookVerificationError

from domain.hooks.outbox import Outgoing
from domain.hooks.subscriptions import new_secret
from integrations.ssrf import refusal
from integrations.webhooks import MAX_READ, WebhookSender
from tests.integrations.receiver import Receiver, Reply, running_receiver

BODY = '{"type":"expense.created","timestamp":"2026-01-01T00:00:00Z","data":{"id":"e1"}}'


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with running_receiver() as receiver:
        yield receiver


@pytest.fixture
def sender() -> Iterator[WebhookSender]:
    sender = WebhookSender(timeout=0.5, allow_private=True, concurrency=2)
    yield sender
    sender.close()


def outgoing(url: str, *secrets: str) -> Outgoing:
    return Outgoing(
        delivery_id="01900000-0000-7000-8000-000000000001",
        lease_id="lease",
        url=url,
        secrets=secrets or (new_secret(),),
        body=BODY,
        event_type="expense.created",
    )


def test_standardwebhooks_verifier_accepts_what_the_receiver_got(
    receiver: Receiver, sender: WebhookSender
) -> None:
    secret = new_secret()
    outcome = sender(outgoing(receiver.url, secret))
    assert outcome.succeeded and outcome.status_code == 204
    [request] = receiver.received
    assert Webhook(secret).verify(request.body, request.headers) == {
        "type": "expense.created",
        "timestamp": "2026-01-01T00:00:00Z",
        "data": {"id": "e1"},
    }
    assert request.headers["webhook-id"] == "01900000-0000-7000-8000-000000000001"
    assert request.headers["content-type"] == "application/json"


def test_a_wrong_secret_fails_verification(receiver: Receiver, sender: WebhookSender) -> None:
    sender(outgoing(receiver.url, new_secret()))
    [request] = receiver.received
    with pytest.raises(WebhookVerificationError):
        Webhook(new_secret()).verify(request.body, request.headers)


def test_during_rotation_both_secrets_verify(receiver: Receiver, sender: WebhookSender) -> None:
    new, old = new_secret(), new_secret()
    sender(outgoing(receiver.url, new, old))
    [request] = receiver.received
    assert len(request.headers["webhook-signature"].split(" ")) == 2
    Webhook(new).verify(request.body, request.headers)
    Webhook(old).verify(request.body, request.headers)


def test_a_500_is_an_attempt_with_its_status_and_excerpt(
    receiver: Receiver, sender: WebhookSender
) -> None:
    receiver.answer(Reply(status=500, body=b"database on fire"))
    outcome = sender(outgoing(receiver.url))
    assert not outcome.succeeded and not outcome.gone
    assert outcome.status_code == 500
    assert outcome.response_excerpt == "database on fire"


def test_410_means_gone(receiver: Receiver, sender: WebhookSender) -> None:
    receiver.answer(Reply(status=410))
    assert sender(outgoing(receiver.url)).gone


def test_a_hanging_receiver_times_out(receiver: Receiver, sender: WebhookSender) -> None:
    receiver.answer(Reply(delay=2.0))
    started = time.monotonic()
    outcome = sender(outgoing(receiver.url))
    assert time.monotonic() - started < 1.5
    assert outcome.status_code is None
    assert outcome.error is not None and "timed out" in outcome.error


def test_a_reset_connection_is_an_error_not_an_exception(
    receiver: Receiver, sender: WebhookSender
) -> None:
    receiver.answer(Reply(reset=True))
    outcome = sender(outgoing(receiver.url))
    assert outcome.status_code is None
    assert outcome.error


def test_redirects_are_not_followed(receiver: Receiver, sender: WebhookSender) -> None:
    receiver.answer(
        lambda r: (
            Reply(status=302, headers={"location": receiver.url + "/elsewhere"})
            if r.path == "/hook"
            else Reply()
        )
    )
    outcome = sender(outgoing(receiver.url))
    assert not outcome.succeeded
    assert outcome.status_code == 302
    assert outcome.error is not None and "not followed" in outcome.error
    assert [r.path for r in receiver.received] == ["/hook"]


def test_a_huge_response_is_read_only_a_few_kib(receiver: Receiver, sender: WebhookSender) -> None:
    receiver.answer(Reply(status=200, body=b"x" * 20_000_000))
    started = time.monotonic()
    outcome = sender(outgoing(receiver.url))
    assert time.monotonic() - started < 2
    assert outcome.succeeded
    assert outcome.response_excerpt is not None and len(outcome.response_excerpt) <= MAX_READ


def test_a_trickling_response_cannot_hold_the_sender(
    receiver: Receiver, sender: WebhookSender
) -> None:
    receiver.answer(Reply(status=200, body=b"y" * 200, trickle=True))
    started = time.monotonic()
    outcome = sender(outgoing(receiver.url))
    assert time.monotonic() - started < 2.5  # 2 x the timeout, plus one read
    assert outcome.status_code == 200


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "[::1]"])
def test_loopback_is_refused_at_delivery_time_by_default(receiver: Receiver, host: str) -> None:
    strict = WebhookSender(timeout=0.5, allow_private=False)
    try:
        port = receiver.url.split(":")[2].split("/")[0]
        outcome = strict(outgoing(f"http://{host}:{port}/hook"))
    finally:
        strict.close()
    assert outcome.status_code is None
    assert outcome.error is not None and "refused" in outcome.error
    assert receiver.received == []


@pytest.mark.parametrize(
    "host", ["[64:ff9b::7f00:1]", "[2002:7f00:1::1]", "[::ffff:0:7f00:1]", "[::127.0.0.1]"]
)
def test_loopback_wrapped_in_ipv6_is_refused_at_delivery_time(
    receiver: Receiver, host: str
) -> None:
    strict = WebhookSender(timeout=0.5, allow_private=False)
    try:
        port = receiver.url.split(":")[2].split("/")[0]
        outcome = strict(outgoing(f"http://{host}:{port}/hook"))
    finally:
        strict.close()
    assert outcome.error is not None and "a loopback address" in outcome.error, outcome.error
    assert receiver.received == []


def test_localhost_is_delivered_when_private_addresses_are_allowed(
    receiver: Receiver, sender: WebhookSender
) -> None:
    assert sender(outgoing(receiver.url.replace("127.0.0.1", "localhost"))).succeeded


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("127.0.0.1", "loopback"),
        ("::1", "loopback"),
        ("10.1.2.3", "private"),
        ("192.168.1.10", "private"),
        ("172.16.0.1", "private"),
        ("169.254.169.254", "link-local"),
        ("fe80::1", "link-local"),
        ("fd00::1", "private"),
        ("::ffff:127.0.0.1", "loopback"),
        ("100.64.0.1", "reserved"),
        ("0.0.0.0", "unspecified"),
        ("224.0.0.1", "multicast"),
        # IPv4 inside IPv6: NAT64, local-use NAT64, 6to4, Teredo, translated, compatible.
        ("64:ff9b::a9fe:a9fe", "link-local"),
        ("64:ff9b::a00:1", "private"),
        ("64:ff9b:1:7f00:1::", "loopback"),
        ("64:ff9b:1::7f00:1", "unspecified"),
        ("2002:7f00:1::1", "loopback"),
        ("2002:a9fe:a9fe::1", "link-local"),
        ("2001:0:4136:e378:8000:63bf:80ff:fffe", "private"),
        ("::ffff:0:7f00:1", "loopback"),
        ("::127.0.0.1", "loopback"),
        ("::10.0.0.1", "private"),
    ],
)
def test_refused_addresses_by_default(address: str, reason: str) -> None:
    assert refusal(ipaddress.ip_address(address), allow_private=False) == reason


@pytest.mark.parametrize(
    "address",
    ["93.184.215.14", "2606:4700::1111", "1.1.1.1", "64:ff9b::808:808", "2002:808:808::1"],
)
def test_public_addresses_are_allowed(address: str) -> None:
    assert refusal(ipaddress.ip_address(address), allow_private=False) is None


@pytest.mark.parametrize(
    ("address", "allowed"),
    [
        ("127.0.0.1", True),
        ("192.168.1.10", True),
        ("0.0.0.0", False),
        ("224.0.0.1", False),
        ("64:ff9b::a00:1", True),
        ("64:ff9b::e000:1", False),
        ("2002:e000:1::1", False),
        ("::ffff:0:0:0", False),
    ],
)
def test_allowing_private_addresses_still_refuses_unspecified_and_multicast(
    address: str, allowed: bool
) -> None:
    assert (refusal(ipaddress.ip_address(address), allow_private=True) is None) is allowed
