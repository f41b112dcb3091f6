"""Who reads a list or an answer, and so which channels' incidents it may show.

An incident belongs to its channel: what was said in a private channel, a group DM or a DM is
shown only there. Everywhere else (the Home tab, `incidents all`, similar incidents in an answer)
only incidents of public channels appear. Knowing which channels are public is the Slack layer's
job (`bot.slack.privacy`); this module only states the rule, so the SQL queries stay Slack-free.
The command line is an operator's tool and reads everything (`OPERATOR`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

PublicAmong = Callable[[set[str]], set[str]]  # of these channel ids, the public ones


@dataclass(frozen=True)
class Audience:
    """The people in `channel` (None: no channel of their own, as on the Home tab)."""

    channel: str | None
    public_among: PublicAmong

    def visible(self, channels: Iterable[str | None]) -> set[str]:
        """Of these channels, those whose incidents and notes this audience may see."""
        wanted = {channel for channel in channels if channel}
        own = {self.channel} & wanted if self.channel else set()
        others = wanted - own
        return own | (self.public_among(others) & others if others else set())


def _all_public(channels: set[str]) -> set[str]:
    return set(channels)


# Whoever runs the command line on the bot's own machine: every channel is theirs to read.
OPERATOR = Audience(channel=None, public_among=_all_public)
