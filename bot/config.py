"""Settings read from the environment (and a local `.env`, loaded once by `bot.cli.main`), with
the defaults of design §3."""

from __future__ import annotations

import os

LANGUAGES = ("ko", "en")


def load_dotenv_file() -> None:
    """Read `.env` in the working directory for local runs; real environment variables win.

    Named explicitly: python-dotenv's own search starts from the calling module's folder (the
    installed package), not from where the command was started.
    """
    from pathlib import Path

    from dotenv import load_dotenv

    path = Path.cwd() / ".env"
    if path.is_file():
        load_dotenv(path, override=False)


def bot_language() -> str:
    value = os.environ.get("BOT_LANGUAGE", "ko").strip().lower()
    return value if value in LANGUAGES else "ko"


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    try:
        return int(value) if value else default
    except ValueError as error:
        raise SystemExit(f"{name} must be a whole number, got {value!r}") from error
