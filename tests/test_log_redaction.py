"""Log lines are redacted like everything else, whoever logs them (issue 9, item 4)."""

from __future__ import annotations

import io
import logging

from bot import log_redaction

TOKEN = "xoxb-1234567890-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx"
PASTE = f"psycopg.errors.X: bad value [parameters: ('pod failed token={TOKEN}\x00',)]"


def _logger() -> tuple[logging.Logger, io.StringIO]:
    log_redaction.install()
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    logger = logging.getLogger("tests.log_redaction")
    logger.handlers[:] = [handler]
    logger.propagate = False
    logger.setLevel(logging.INFO)
    return logger, stream


def test_a_secret_in_a_message_and_its_arguments_is_redacted() -> None:
    logger, stream = _logger()
    logger.warning("ref=%s could not store %r", "ab12", PASTE)
    written = stream.getvalue()
    assert "ref=ab12 could not store" in written
    assert "AbCdEfGhIjKl" not in written and "[REDACTED:slack-token]" in written
    assert "\x00" not in written


def test_a_secret_in_an_exception_trace_is_redacted() -> None:
    logger, stream = _logger()
    try:
        raise ValueError(PASTE)
    except ValueError:
        logger.exception("ref=cd34 failed handling a slash_command request")
    written = stream.getvalue()
    assert "Traceback (most recent call last)" in written and "ValueError" in written
    assert "AbCdEfGhIjKl" not in written


def test_a_record_of_another_library_is_redacted_too() -> None:
    """gunicorn, Bolt and SQLAlchemy log through their own loggers."""
    _, stream = _logger()
    other = logging.getLogger("gunicorn.error.test")
    other.handlers[:] = [logging.StreamHandler(stream)]
    other.propagate = False
    other.error("Error handling request %s", f"/slack/events?token={TOKEN}")
    assert "AbCdEfGhIjKl" not in stream.getvalue()
