"""Log lines for people (the default) or for a log pipeline (`LOG_FORMAT=json`).

JSON lines carry `reference` when the record has one: the id a user sees in an apology
("Reference `1a2b3c4d`"), so support can find the trace from what the user quotes.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

from bot.settings import settings


def json_requested() -> bool:
    return settings().log_format == "json"


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, reference, trace."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        reference = getattr(record, "reference", None)
        if reference:
            entry["reference"] = reference
        # bot.log_redaction has already turned the exception into a redacted exc_text (and
        # dropped exc_info, so that no formatter can print the unredacted one).
        if record.exc_text:
            entry["trace"] = record.exc_text
        elif record.exc_info:
            entry["trace"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configure_server_logging(verbose: bool) -> None:
    """`serve`: INFO (a server should say what it does), JSON when LOG_FORMAT=json."""
    root = logging.getLogger()
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    logging.getLogger("slack_bolt").setLevel(logging.DEBUG if verbose else logging.WARNING)
    if not root.handlers:
        root.addHandler(logging.StreamHandler())
    if json_requested():
        use_json(root)


def use_json(logger: logging.Logger) -> None:
    for handler in logger.handlers:
        handler.setFormatter(JsonFormatter())


def gunicorn_json_logger_class() -> type:
    """gunicorn's logger with its error and access lines as JSON too (LOG_FORMAT=json)."""
    from gunicorn.glogging import Logger

    class JsonGunicornLogger(Logger):  # type: ignore[misc]
        def setup(self, cfg: Any) -> None:
            super().setup(cfg)
            use_json(self.error_log)
            use_json(self.access_log)

    return JsonGunicornLogger
