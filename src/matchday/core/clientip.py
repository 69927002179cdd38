"""The real client address behind trusted reverse proxies.

``REMOTE_ADDR`` is the client unless it is one of ``MATCHDAY_TRUSTED_PROXIES`` (addresses or
networks, e.g. ``["10.0.0.0/8", "127.0.0.1"]``). Then ``X-Forwarded-For`` is read from the
right, skipping every trusted proxy: the first address a trusted proxy did not add itself is
the client. Entries a client wrote further left are never believed, so a forged header
cannot move an attacker onto someone else's address (or off their own). Every rate limit and
lock-out keys on this one function.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings

__all__ = ["client_ip"]

_Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(trusted: tuple[str, ...]) -> tuple[_Network, ...]:
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in trusted)


def _parse(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # "[2001:db8::1]:443"
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # "203.0.113.7:51234"
        value = value.split(":", 1)[0]
    try:
        return ipaddress.ip_address(value)
    except ValueError:
        return None


def client_ip(request) -> str:
    """The address of the client that sent ``request`` (read settings when called).

    >>> from django.test import RequestFactory
    >>> from django.test.utils import override_settings
    >>> request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2",
    ...     HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7, 10.0.0.1")
    >>> with override_settings(MATCHDAY_TRUSTED_PROXIES=["10.0.0.0/8"]):
    ...     client_ip(request)
    '203.0.113.7'
    """
    remote = _parse(request.META.get("REMOTE_ADDR", "")) or ipaddress.ip_address("0.0.0.0")  # noqa: S104 - an unknown peer, not a bind
    trusted = _networks(tuple(getattr(settings, "MATCHDAY_TRUSTED_PROXIES", ())))

    def is_trusted(address) -> bool:
        return any(address in network for network in trusted)

    if not is_trusted(remote):
        return str(remote)
    client = remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for hop in reversed([h for h in forwarded.split(",") if h.strip()]):
        address = _parse(hop)
        if address is None:
            break  # garbage from the client side: the last good hop is the client
        client = address
        if not is_trusted(address):
            break
    return str(client)
