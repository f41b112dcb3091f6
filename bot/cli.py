"""The `troubleshoot-bot` command. Each domain registers its own sub-commands.

Domain command modules import their heavy dependencies (Azure SDKs, Bolt, matplotlib) inside the
command functions, so `troubleshoot-bot match` starts fast.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence
from typing import Any

from bot import __version__, log_redaction
from bot.cli_errors import command_language, error_line, parser_class, parser_language, t
from bot.settings import SettingsError, configured_language, load_dotenv_file, settings

COMMAND_MODULES = (
    "bot.matching.commands",  # match
    "bot.knowledge.commands",  # kb check / eval / import
    "bot.incidents.commands",  # ask, incidents
    "bot.slack.commands",  # serve
    "bot.digest.commands",  # digest, worker
    "bot.storage.commands",  # db
    "bot.deployments.commands",  # deployments watch / unwatch / list / check
)


def chat_client() -> Any:
    """The client that commands posting outside a Slack request (`digest`, `worker`) use: the
    Slack Web API. Handed to them through `args.chat_client`, so that the domain packages never
    import the front end; another front end would be another function here."""
    from bot.slack.web_api import client_from_environment

    return client_from_environment()


def channel_privacy(client: Any, database_url: str, workspace: str | None,
                    channel: str | None = None) -> Any:
    """Which other channels' incidents `channel`'s readers may see (a function of a set of
    channel ids), for the digest's wider scopes and the deployment watcher: the Slack front
    end's one rule (`audience_for`: public channels, and none for a Slack Connect channel),
    handed over through `args.channel_privacy` like the chat client."""
    from bot.slack.privacy import audience_for

    return audience_for(client, database_url, workspace=workspace or "",
                        channel=channel).public_among


def build_parser(lang: str = "en") -> argparse.ArgumentParser:
    """The command's parser; `lang` is the language of its argument errors."""
    parser = parser_class(lang)(
        prog="troubleshoot-bot",
        description="Diagnose broken model deployments from pasted errors, in Slack or here.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug output")
    parser.set_defaults(chat_client=chat_client, channel_privacy=channel_privacy)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module_name in COMMAND_MODULES:
        importlib.import_module(module_name).register(subparsers)
    return parser


def tolerate_narrow_output_encodings() -> None:
    """Answers are Korean: on a terminal or pipe that cannot encode them (PYTHONIOENCODING=ascii,
    a latin-1 locale) print `?` for what cannot be shown instead of dying mid-answer."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        encoding = getattr(stream, "encoding", None) or "utf-8"
        try:
            "가…".encode(encoding)
        except (UnicodeEncodeError, LookupError):
            if reconfigure is not None:
                reconfigure(errors="replace")


def main(argv: Sequence[str] | None = None) -> int:
    tolerate_narrow_output_encodings()
    # Every command reads `.env` (real environment variables win), before any setting is read:
    # `db upgrade` must migrate the database `.env` names, `ask` must answer in its language.
    load_dotenv_file()
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser(parser_language(argv))
    args = parser.parse_args(argv)
    log_redaction.install()  # before anything can log a paste or a token
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        # Every variable is checked before any command runs: a wrong value is one line, not a
        # failure halfway through (or a default silently used instead).
        settings()
        return int(args.func(args) or 0)
    except SettingsError as error:
        # Not command_language(): the settings it reads are what is wrong.
        lang = getattr(args, "lang", None) or configured_language()
        print(f"troubleshoot-bot {args.command}: {error.said_in(lang)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `troubleshoot-bot ... | head` is fine
        return 0
    except Exception as error:
        # A database failure a command did not expect (a write to a read-only file, a server
        # gone mid-command) is one line, not a traceback; anything else is a bug: re-raised.
        if not type(error).__module__.startswith("sqlalchemy"):
            raise
        from bot.storage.check import database_reason  # SQLAlchemy: only after a failure

        lang = command_language(getattr(args, "lang", None))
        print(error_line(t("database_refused", lang, reason=database_reason(error, lang)), lang),
              file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
