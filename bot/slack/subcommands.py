"""The `/troubleshoot <word> ...` sub-commands: one explicit registry, built when the app is built.

Nothing registers itself on import: `bot.slack.listeners.build_subcommands` lists every
sub-command (built-in, logs, digest, ...) in one place, so what `/troubleshoot logs x` runs does
not depend on which modules happened to be imported first. A new sub-command is one handler
plus one line in that list.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
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
    settings: Any = None  # bot.slack.config.Settings of the running app
    body: dict[str, Any] = field(default_factory=dict)  # the raw slash-command payload
    subcommands: SubcommandRegistry | None = None  # the app's registry (help lists it)

    def reply(self, text: str, blocks: list[dict[str, Any]] | None = None) -> None:
        """Only the person who typed the command sees a sub-command's reply."""
        payload: dict[str, Any] = {"response_type": "ephemeral", "text": text}
        if blocks:
            payload["blocks"] = blocks
        self.respond(**payload)


Handler = Callable[[CommandContext], None]


@dataclass(frozen=True)
class Subcommand:
    name: str
    handler: Handler
    help_en: str
    help_ko: str
    aliases: tuple[str, ...] = ()  # other words for it, e.g. Korean ("로그")
    # Words that stand for the sub-command plus its first argument: ("구독", "subscribe")
    # makes `/troubleshoot 구독 월요일 9시` run `digest subscribe 월요일 9시`.
    shortcuts: tuple[tuple[str, str], ...] = ()

    def help(self, lang: str) -> str:
        return (self.help_ko if lang == "ko" else self.help_en).strip()


@dataclass(frozen=True)
class Parsed:
    """What the command text asks for: a sub-command with its arguments, or a paste."""

    subcommand: Subcommand | None
    args: str  # the arguments of the sub-command, or the whole paste


_FIRST_WORD = re.compile(r"\s*(\S+)\s*(.*)", re.DOTALL)
# Only a short run of letters can be a mistyped command word: `log`, `incident`, `도움`.
_WORDLIKE = re.compile(r"^[a-z가-힣]{2,20}$")
_HANGUL = re.compile(r"[가-힣]")
NEAR_MISS_CUTOFF = 0.75
NEAR_MISS_MAX_WORDS = 4  # "logz churn-scorer --lines 100"; a longer text is a paste


class SubcommandRegistry:
    """Sub-commands by every word they answer to, in the order they were listed."""

    def __init__(self, subcommands: Iterable[Subcommand]) -> None:
        self._ordered: list[Subcommand] = []
        self._words: dict[str, tuple[Subcommand, str]] = {}
        for sub in subcommands:
            self._ordered.append(sub)
            words = [(sub.name, ""), *((alias, "") for alias in sub.aliases), *sub.shortcuts]
            for word, prefix in words:
                key = word.lower()
                if key in self._words:
                    raise ValueError(f"two sub-commands answer to {word!r}: "
                                     f"{self._words[key][0].name} and {sub.name}")
                self._words[key] = (sub, prefix)

    def __iter__(self) -> Iterator[Subcommand]:
        return iter(self._ordered)

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and word.lower() in self._words

    def get(self, word: str) -> Subcommand | None:
        found = self._words.get(word.lower())
        return found[0] if found else None

    def parse(self, text: str) -> Parsed:
        """`resolve 12 note` -> (resolve, "12 note"); `구독 월 9시` -> (digest, "subscribe 월
        9시"); empty text -> help; anything else is a paste (args = the whole text)."""
        found = _FIRST_WORD.match(text or "")
        if not found:
            return Parsed(self.get("help"), "")
        known = self._words.get(found.group(1).lower())
        if known is None:
            return Parsed(None, text.strip())
        sub, prefix = known
        rest = found.group(2).strip()
        return Parsed(sub, f"{prefix} {rest}".strip() if prefix else rest)

    def near_miss(self, text: str) -> Subcommand | None:
        """The sub-command a short text most likely meant (`incident`, `hepl me`, `log x`), or
        None when the text is not a near miss: errors are pasted, not typed as one short word."""
        words = (text or "").split()
        if not words or len(words) > NEAR_MISS_MAX_WORDS:
            return None
        first = words[0].lower()
        if not _WORDLIKE.match(first):
            return None
        # A command's arguments are names and numbers; Korean words after the first are a
        # sentence ("로그인 실패", "인시던트가 또 났어요"), to be read as a paste.
        if any(_HANGUL.search(word) for word in words[1:]):
            return None
        close = difflib.get_close_matches(first, list(self._words), n=1,
                                          cutoff=NEAR_MISS_CUTOFF)
        return self._words[close[0]][0] if close else None
