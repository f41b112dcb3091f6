"""Registry of `/troubleshoot <word> ...` sub-commands, so domains plug in without editing the app.

`bot.logs.slack_handlers` and `bot.digest.slack_handlers` register `logs` and `digest` here;
the Slack app's command listener looks the first word up and calls the handler after `ack()`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class CommandContext:
    """Everything a sub-command handler needs; built by the Slack layer from the request."""

    client: Any  # slack_sdk.WebClient
    respond: Callable[..., Any]  # Bolt's respond(): posts to the command's response_url
    workspace: str  # team_id
    channel: str
    user: str
    args: str  # the text after the sub-command word
    lang: str  # "ko" or "en", already resolved (user override, else workspace default)
    database_url: str
    trigger_id: str | None = None
    thread_ts: str | None = None  # set when invoked from a button in a thread
    extra: dict[str, Any] = field(default_factory=dict)


Handler = Callable[[CommandContext], None]


@dataclass(frozen=True)
class Subcommand:
    name: str
    handler: Handler
    help_en: str
    help_ko: str


SUBCOMMANDS: dict[str, Subcommand] = {}


def subcommand(name: str, *, help_en: str, help_ko: str) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        SUBCOMMANDS[name] = Subcommand(name, handler, help_en, help_ko)
        return handler

    return register
