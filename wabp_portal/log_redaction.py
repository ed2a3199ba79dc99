"""Keep personal data out of every log line, whoever writes it.

Our own code logs primary keys and actions only. Libraries are not so
careful: an SMTP server that refuses a recipient raises an error naming the
address, which django-post-office logs with its traceback, and a database
error quotes the duplicate key (a phone number or e-mail). Every log record
is therefore passed through here when it is made: e-mail addresses, phone
numbers and IP addresses in its message and in its exception text are
replaced by a placeholder. The traceback's frames stay, for debugging.
"""

import logging
import re
import traceback

PLACEHOLDER = "[redacted]"

# One group of an IPv6 address, and an IPv4 address as its last 32 bits.
_HEX = r"[0-9A-Fa-f]{1,4}"
_IPV4 = r"(?:\d{1,3}\.){3}\d{1,3}"
# What follows "::": groups, the last of them perhaps an IPv4 address.
_AFTER_GAP = rf"(?:(?:{_HEX}:){{0,5}}{_IPV4}|(?:{_HEX}:){{0,6}}{_HEX})"
# An IPv6 address has eight groups, or fewer with "::" for the zeros left
# out: a time of day (10:15:32, or 2026:10:15:32 in an access-log date) has
# neither, and stays. (A slice in a traceback's source line, x[::2], is taken
# for one: harmless.)
IPV6 = re.compile(
    rf"""
    (?<![\w:])
    (?:
        (?:{_HEX}:){{7}}{_HEX}                          # 2001:db8:0:0:0:0:0:1
      | (?:{_HEX}:){{6}}{_IPV4}                         # 0:0:0:0:0:ffff:192.0.2.1
      | (?:{_HEX}(?::{_HEX}){{0,6}})?::{_AFTER_GAP}    # 2001:db8::1, ::ffff:192.0.2.1
      | {_HEX}(?::{_HEX}){{0,6}}::                      # 2001:db8::
    )
    (?:%[\w\-]+)?                                     # zone: fe80::1%eth0
    (?![\w:]|\.\d)
    """,
    re.VERBOSE,
)
PATTERNS = [
    # e-mail addresses
    re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+"),
    # phone numbers: international (+32…, 0032…) or national (0470 12 34 56,
    # 011 23 45 67: Belgian numbers start with 0)
    re.compile(r"(?<![\w.])(?:\+|00|0)\d[\d \-./()]{6,}\d"),
    # IP addresses: IPv6 first, so that an IPv4-mapped one goes whole
    IPV6,
    re.compile(r"(?<![\w.])\d{1,3}(?:\.\d{1,3}){3}(?![\w.])"),
]


def redact(text: str) -> str:
    for pattern in PATTERNS:
        text = pattern.sub(PLACEHOLDER, text)
    return text


_make_record = logging.getLogRecordFactory()


def _redacted_record(*args, **kwargs) -> logging.LogRecord:
    record = _make_record(*args, **kwargs)
    try:
        message = record.getMessage()
    except (TypeError, ValueError):  # a malformed call: keep what is there
        message = str(record.msg)
    record.msg, record.args = redact(message), None
    if record.exc_info and record.exc_info[0] is not None:
        record.exc_text = redact("".join(traceback.format_exception(*record.exc_info)))
        record.exc_info = None
    return record


def install() -> None:
    """Redact every record made from now on (called once at start-up)."""
    if logging.getLogRecordFactory() is not _redacted_record:
        logging.setLogRecordFactory(_redacted_record)
