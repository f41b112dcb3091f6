"""DATABASE_URL as hosting platforms hand it out, mapped to the driver we install."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import make_url

from bot.settings import settings

DEFAULT_SQLITE_FILE = "troubleshoot-bot.db"
# What we install drivers for (SQLAlchemy would otherwise fail deep inside with a traceback).
SUPPORTED_SCHEMES = ("sqlite", "sqlite+pysqlite", "postgresql+psycopg")


class UnsupportedDatabaseURL(SystemExit):
    """DATABASE_URL names a database we have no driver for: one line, exit status 1.

    A SystemExit so that every command (and `serve` at start-up) stops with the message and no
    traceback; the URL itself is not repeated, as it may hold a password.
    """

    def __init__(self, scheme: str) -> None:
        named = f"'{scheme}://'" if scheme else "no scheme"
        super().__init__(
            f"error: DATABASE_URL has {named}, which troubleshoot-bot does not support: use "
            "PostgreSQL (postgres://USER:PASSWORD@HOST/DB or postgresql://...) or SQLite "
            "(sqlite:///PATH/TO/FILE.db)")


def normalize_database_url(url: str | None) -> str:
    """Accept URLs as hosting platforms hand them out and map them to the driver we install.

    Heroku-style platforms give `postgres://`, which SQLAlchemy no longer accepts, and a bare
    `postgresql://` would pick psycopg2, which we do not install; both become psycopg 3.
    """
    if not url:
        return f"sqlite:///{Path.cwd() / DEFAULT_SQLITE_FILE}"
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    scheme = url.partition("://")[0] if "://" in url else ""
    if scheme not in SUPPORTED_SCHEMES:
        raise UnsupportedDatabaseURL(scheme)
    return url


def database_url() -> str:
    return normalize_database_url(settings().database_url)


def printable_url(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # a malformed URL is reported by the caller anyway
        return "<unparseable DATABASE_URL>"
