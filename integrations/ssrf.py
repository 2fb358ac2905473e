"""Outbound safety: which addresses a webhook may reach.

A URL is checked when it is saved (so a wrong one is a 422 at once) and again on every new
connection, on the very addresses the socket connects to: a name that resolved to a public
address yesterday and to 127.0.0.1 today (DNS rebinding) is refused at delivery time.
`VettingBackend` plugs that check into httpcore's connection pool, so TLS still verifies
the certificate against the host name.

By default only globally routable unicast addresses are allowed. With
`FAIRSTEAD_WEBHOOK_ALLOW_PRIVATE=true` (Home Assistant on the home network), loopback,
private and link-local addresses are allowed too; unspecified and multicast never are.
"""

import ipaddress
import socket
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlsplit

import httpcore

from domain.errors import InvalidInput

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


class RefusedDestination(Exception):
    """The host resolves to an address webhooks may not reach, or does not resolve."""


def refusal(address: Address, *, allow_private: bool) -> str | None:
    """Why `address` is refused, or None when it may be reached."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if address.is_unspecified:
        return "unspecified"
    if address.is_multicast:
        return "multicast"
    if allow_private:
        return None
    for reason in ("loopback", "link_local", "private"):
        if getattr(address, f"is_{reason}"):
            return reason.replace("_", "-")
    return None if address.is_global else "reserved"


def vetted_addresses(host: str, port: int, *, allow_private: bool) -> list[str]:
    """Every address `host` resolves to, if none of them is refused."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise RefusedDestination(f"{host} does not resolve") from exc
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    for text in addresses:
        reason = refusal(ipaddress.ip_address(text.split("%", 1)[0]), allow_private=allow_private)
        if reason is not None:
            raise RefusedDestination(f"{host} resolves to {text}, a {reason} address")
    return addresses


def url_vetter(*, allow_private: bool) -> Callable[[str], None]:
    """The check a subscription's URL passes when it is saved (raises InvalidInput)."""

    def vet(url: str) -> None:
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
        try:
            vetted_addresses(parts.hostname or "", port, allow_private=allow_private)
        except RefusedDestination as exc:
            hint = "" if allow_private else " (set FAIRSTEAD_WEBHOOK_ALLOW_PRIVATE to allow it)"
            raise InvalidInput(f"refused: {exc}{hint}", field="url") from exc

    return vet


class VettingBackend(httpcore.NetworkBackend):
    """httpcore's network backend, but it resolves the host itself, refuses forbidden
    addresses, and connects only to the addresses it checked."""

    def __init__(self, *, allow_private: bool) -> None:
        self.allow_private = allow_private
        self._inner = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        try:
            addresses = vetted_addresses(host, port, allow_private=self.allow_private)
        except RefusedDestination as exc:
            raise httpcore.ConnectError(f"refused: {exc}") from exc
        failure: Exception = httpcore.ConnectError(f"{host} has no address")
        for address in addresses:
            try:
                return self._inner.connect_tcp(
                    address, port, timeout, local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
        raise failure

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Any = None
    ) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("webhooks do not connect to unix sockets")

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)
