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
PATTERNS = [
    # e-mail addresses
    re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+"),
    # phone numbers: international or national (Belgian numbers start with 0)
    re.compile(r"(?<![\w.])(?:\+|00|0)\d[\d \-./()]{6,}\d"),
    # IPv4 and IPv6 addresses
    re.compile(r"(?<![\w.])\d{1,3}(?:\.\d{1,3}){3}(?![\w.])"),
    re.compile(r"(?<![\w:])(?:[0-9a-fA-F]{1,4}:){2,7}[0-9a-fA-F]{1,4}(?![\w:])"),
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
