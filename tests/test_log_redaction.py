"""What the log redaction blanks (addresses, numbers) and what it keeps (times).

``wabp_portal.log_redaction`` rewrites every log record, gunicorn's access
lines included when an operator switches them on: a pattern too eager blanks
what the log is for (the time of a request), one too shy lets personal data
through. Each pattern has tests that fail without it.
"""

import logging
import types
from datetime import timedelta

import pytest
from gunicorn.config import Config
from gunicorn.glogging import Logger as GunicornLogger

from wabp_portal.log_redaction import PLACEHOLDER, redact

# gunicorn's access line in its default format (access_log_format).
ACCESS_LINE = (
    '{client} - - [07/Dec/2026:10:15:32 +0100] "GET /zoek-je-groep/ HTTP/1.1" '
    '200 5123 "-" "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Firefox/133.0"'
)

IPV6_ADDRESSES = [
    "2001:0db8:85a3:0000:0000:8a2e:0370:7334",  # full
    "2001:db8:85a3:0:0:8a2e:370:7334",  # full, leading zeros left out
    "2001:db8::1",  # compressed
    "2001:db8::8a2e:370:7334",
    "2001:db8::",
    "fe80::1ff:fe23:4567:890a%eth0",  # link-local with its zone
    "::1",  # loopback
    "::ffff:192.0.2.1",  # IPv4-mapped
    "::ffff:c000:201",  # IPv4-mapped, in hex
    "0:0:0:0:0:ffff:192.0.2.1",  # IPv4-mapped, uncompressed
    "64:ff9b::198.51.100.7",  # NAT64
]


@pytest.mark.parametrize("client", ["127.0.0.1", "203.0.113.9", *IPV6_ADDRESSES])
def test_access_line_keeps_its_time_and_loses_the_client_address(client):
    redacted = redact(ACCESS_LINE.format(client=client))

    assert redacted == ACCESS_LINE.format(client=PLACEHOLDER)


@pytest.mark.parametrize("client", ["198.51.100.20", "2001:db8::20"])
def test_gunicorn_access_log_keeps_the_time(client):
    """gunicorn's own access logger, through the portal's record factory."""
    config = Config()
    config.set("accesslog", "-")
    access = GunicornLogger(config)
    lines: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: lines.append(record.getMessage())
    access.access_log.addHandler(handler)
    response = types.SimpleNamespace(status="200 OK", sent=5123, headers=[])
    request = types.SimpleNamespace(headers=[])
    environ = {
        "REMOTE_ADDR": client,
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/",
        "SERVER_PROTOCOL": "HTTP/1.1",
    }
    try:
        access.access(response, request, environ, timedelta(milliseconds=12))
    finally:
        access.access_log.removeHandler(handler)

    (line,) = lines
    assert client not in line
    assert line.startswith(f"{PLACEHOLDER} - - [")
    # The time: [07/Dec/2026:10:15:32 +0100], whatever it is now.
    time = line.split("[", 2)[2].split("]", 1)[0]
    assert len(time.split(":")) == 4, line
    assert PLACEHOLDER not in time
    assert '"GET / HTTP/1.1" 200 5123' in line


@pytest.mark.parametrize("address", IPV6_ADDRESSES)
def test_ipv6_addresses_are_redacted_whole(address):
    assert redact(address) == PLACEHOLDER
    assert redact(f"connection from {address}.") == f"connection from {PLACEHOLDER}."
    assert redact(f"http://[{address}]:8000/") == f"http://[{PLACEHOLDER}]:8000/"


@pytest.mark.parametrize(
    "text",
    [
        "10:15:32",
        "10:15",
        "2026:10:15:32",
        "07/Dec/2026:10:15:32 +0100",
        "2026-12-07 10:15:32,123",
        "took 00:00:01.250",
        "std::vector",
        "SELECT '1'::int, created::date",
    ],
)
def test_times_and_other_colons_are_kept(text):
    assert redact(text) == text


@pytest.mark.parametrize(
    "number",
    [
        "0470 12 34 56",  # mobile
        "0470/12.34.56",
        "0470-12-34-56",
        "0470123456",
        "011 23 45 67",  # landline, zone 011
        "02 123 45 67",  # landline, Brussels
    ],
)
def test_national_phone_numbers_are_redacted(number):
    """Numbers as Belgians write them, starting with 0: nothing else catches them."""
    assert redact(f"duplicate key (phone)=({number}) exists") == (
        f"duplicate key (phone)=({PLACEHOLDER}) exists"
    )
    assert redact(f"call {number}.") == f"call {PLACEHOLDER}."


@pytest.mark.parametrize(
    "number", ["+32 470 12 34 56", "+32470123456", "0032 470 12 34 56"]
)
def test_international_phone_numbers_are_redacted(number):
    assert redact(f"call {number} now") == f"call {PLACEHOLDER} now"
