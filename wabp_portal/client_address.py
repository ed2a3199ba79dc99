"""Who is asking: the client address the lockout and the rate limits count by.

A request's ``X-Forwarded-For`` header is written by whoever sends it. Only
the reverse proxies listed in ``TRUSTED_PROXIES`` are believed: a request that
comes straight from any other address is that address, whatever its headers
say. Behind a trusted proxy the header is read from the right (each proxy
appends the address it was reached from), skipping the trusted proxies' own
hops; the first hop that is not a trusted proxy is the client. Hops further
left were written by the client and are never read.
"""

import functools
import ipaddress
import re

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

# A proxy that reaches gunicorn over a Unix socket: the request then has an
# empty REMOTE_ADDR. Only a process on the same host can open the socket.
UNIX_SOCKET = "unix"
# "[2001:db8::1]:443" or "203.0.113.7:443": some proxies add the port.
BRACKETED = re.compile(r"^\[(?P<host>[^\]]+)\](?::\d+)?$")
WITH_PORT = re.compile(r"^(?P<host>[0-9.]+):\d+$")


@functools.cache
def trusted_proxies(entries: tuple[str, ...]) -> tuple[tuple[IPNetwork, ...], bool]:
    """The networks of ``TRUSTED_PROXIES``, and whether a Unix socket is trusted."""
    networks = []
    for entry in entries:
        if entry == UNIX_SOCKET:
            continue
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            raise ImproperlyConfigured(
                f"TRUSTED_PROXIES: {entry!r} is not an address, a network "
                f"(CIDR) or {UNIX_SOCKET!r}."
            ) from None
    return tuple(networks), UNIX_SOCKET in entries


def parse_address(value: str) -> IPAddress | None:
    """The address in a hop or REMOTE_ADDR; None when it holds none."""
    value = value.strip()
    match = BRACKETED.match(value) or WITH_PORT.match(value)
    if match:
        value = match["host"]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    # A dual-stack socket shows IPv4 clients as ::ffff:a.b.c.d.
    if address.version == 6 and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def client_address(request: HttpRequest) -> str:
    """The client's address (also AXES_CLIENT_IP_CALLABLE); "" when unknown."""
    networks, unix_socket = trusted_proxies(tuple(settings.TRUSTED_PROXIES))
    remote = request.META.get("REMOTE_ADDR", "")
    peer = parse_address(remote)
    if peer is None:
        if not (remote == "" and unix_socket):
            return ""
    elif not any(peer in network for network in networks):
        return str(peer)

    # The peer is a trusted proxy: walk its header back, hop by hop.
    client = "" if peer is None else str(peer)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for hop in reversed(forwarded.split(",")):
        address = parse_address(hop)
        if address is None:
            # Trusted proxies write addresses: anything else came from the
            # client. The last proxy seen is as far as the header is known.
            break
        client = str(address)
        if not any(address in network for network in networks):
            break
    return client
