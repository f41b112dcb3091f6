"""Every log line goes through the same redaction as everything else, whoever logs it.

A failing handler logs its exception, and exceptions quote what they failed on: SQLAlchemy
prints the statement's parameters (the paste), Slack's errors the request. So redaction sits in
the log record factory, where every record of every logger (ours, Bolt's, gunicorn's) is made,
not in one handler's formatter that another handler would bypass. The message and the formatted
trace are redacted once, when the record is made; the raw exception object is dropped from the
record so that no formatter can print it again unredacted.
"""

from __future__ import annotations

import logging
import traceback
from typing import Any

from bot.redaction import sanitize

_installed = False


def install() -> None:
    """Redact every log record of this process from now on (idempotent)."""
    global _installed
    if _installed:
        return
    make_record = logging.getLogRecordFactory()

    def redacting_factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = make_record(*args, **kwargs)
        redact_record(record)
        return record

    logging.setLogRecordFactory(redacting_factory)
    _installed = True


def redact_record(record: logging.LogRecord) -> None:
    try:
        message = record.getMessage()
    except Exception:  # a bad format string: log what we have rather than nothing
        message = f"{record.msg!r} {record.args!r}"
    record.msg, record.args = str(sanitize(message)), None
    if record.exc_info and record.exc_info[1] is not None:
        trace = "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
        record.exc_text = str(sanitize(trace))
        record.exc_info = None
    if record.stack_info:
        record.stack_info = str(sanitize(record.stack_info))
