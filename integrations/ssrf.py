"""Outbound safety: which addresses a webhook may reach.

A URL is checked when it is saved (so a wrong one is a 422 at once) and again on every new
connection, on the very addresses the socket connects to: a name that resolved to a public
address yesterday and to 127.0.0.1 today (DNS rebinding) is refused at delivery time.
`integrations.webhooks.VettingBackend` plugs that check into httpcore's connection pool, so
TLS still verifies the certificate against the host name. This module imports no HTTP
client, so checking a URL loads none.

By default only globally routable unicast addresses are allowed. With
`FAIRSTEAD_WEBHOOK_ALLOW_PRIVATE=true` (Home Assistant on the home network), loopback,
private and link-local addresses are allowed too; unspecified and multicast never are.

An IPv6 address can carry an IPv4 address that a translator or tunnel on the path delivers
to: IPv4-mapped (::ffff:0:0/96), IPv4-translated (::ffff:0:0:0/96), IPv4-compatible
(::/96), NAT64 (64:ff9b::/96 and the local-use 64:ff9b:1::/48, RFC 6052 layouts), 6to4
(2002::/16) and Teredo (2001::/32). Python calls most of them global, so each IPv4 inside
is judged too, and the address is refused when any of them is.
"""

import ipaddress
import socket
from collections.abc import Callable
from urllib.parse import urlsplit

from domain.errors import InvalidInput

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


class RefusedDestination(Exception):
    """The host resolves to an address webhooks may not reach, or does not resolve."""


_COMPATIBLE = ipaddress.IPv6Network("::/96")
_TRANSLATED = ipaddress.IPv6Network("::ffff:0:0:0/96")
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_NAT64_LOCAL = ipaddress.IPv6Network("64:ff9b:1::/48")
_LOW_32 = 0xFFFFFFFF


def _rfc6052(value: int, prefix_length: int) -> ipaddress.IPv4Address:
    """The IPv4 address behind a NAT64 prefix of `prefix_length` bits (RFC 6052 section 2.2):
    bits 64-71 are reserved and skipped, except in the /96 layout."""
    if prefix_length == 96:
        return ipaddress.IPv4Address(value & _LOW_32)
    squeezed = (value >> 72) << 56 | (value & ((1 << 56) - 1))
    return ipaddress.IPv4Address((squeezed >> (120 - prefix_length - 32)) & _LOW_32)


def embedded_ipv4(address: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """Every IPv4 address `address` may lead to through a translator or a tunnel."""
    value = int(address)
    found: list[ipaddress.IPv4Address] = []
    if address.ipv4_mapped is not None:
        found.append(address.ipv4_mapped)
    if address in _COMPATIBLE or address in _TRANSLATED or address in _NAT64:
        found.append(ipaddress.IPv4Address(value & _LOW_32))
    if address in _NAT64_LOCAL:
        # Within the /48 the operator picks the prefix length; try every layout it may be.
        found.extend(_rfc6052(value, length) for length in (48, 56, 64, 96))
    if address.sixtofour is not None:
        found.append(address.sixtofour)
    if address.teredo is not None:
        found.extend(address.teredo)
    return found


def refusal(address: Address, *, allow_private: bool) -> str | None:
    """Why `address` is refused, or None when it may be reached."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            # ::ffff:0:0/96 itself counts as private: only the IPv4 inside says anything.
            return _judge(address.ipv4_mapped, allow_private=allow_private)
        outer = _judge(address, allow_private=allow_private)
        if outer is not None:
            return outer
        for inner in embedded_ipv4(address):
            reason = _judge(inner, allow_private=allow_private)
            if reason is not None:
                return reason
        return None
    return _judge(address, allow_private=allow_private)


def _judge(address: Address, *, allow_private: bool) -> str | None:
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
