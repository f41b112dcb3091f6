"""Which channels' incidents a subscribed channel's digest covers.

A subscription has a scope: its own channel (the default), a list of channels, or the whole
workspace. A team's weekly channel where nobody pastes errors subscribes to the workspace (or to
its incident channels) and so gets a digest with something in it.

Privacy comes first: an incident belongs to its channel, so a private channel's incidents appear
only in that channel's own digest, whatever another channel's scope says. Which channels are
public is asked through `public_among` (the Slack layer's cached conversations.info), and a
channel nobody could look up counts as private (see bot.incidents.audience).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import Engine, select

from bot.digest.weeks import WeekWindow
from bot.incidents.audience import Audience, PublicAmong
from bot.incidents.models import Incident, Occurrence

THIS_CHANNEL, LISTED, WORKSPACE = "channel", "channels", "workspace"
KINDS = (THIS_CHANNEL, LISTED, WORKSPACE)
# What people type after `digest subscribe` to choose a scope (a channel mention means LISTED).
SCOPE_WORDS = {
    "here": THIS_CHANNEL, "this": THIS_CHANNEL, "channel": THIS_CHANNEL,
    "여기": THIS_CHANNEL, "이채널": THIS_CHANNEL, "이-채널": THIS_CHANNEL,
    "workspace": WORKSPACE, "all": WORKSPACE, "everything": WORKSPACE,
    "워크스페이스": WORKSPACE, "전체": WORKSPACE, "모두": WORKSPACE,
}
# A channel as Slack escapes it in a slash command (<#C0123|name>), or a bare channel id.
CHANNEL_MENTION = re.compile(r"^<#([CG][A-Z0-9]{2,})(?:\|[^>]*)?>$")
CHANNEL_ID = re.compile(r"^[CG][A-Z0-9]{8,}$")
MAX_LISTED = 20

OCC = Occurrence.__table__
INC = Incident.__table__


@dataclass(frozen=True)
class DigestScope:
    kind: str = THIS_CHANNEL
    channels: tuple[str, ...] = ()  # LISTED only, in the order given

    @classmethod
    def from_row(cls, kind: str | None, channels: str | None) -> DigestScope:
        """From the subscription's columns (an unknown kind reads as this channel only)."""
        if kind == WORKSPACE:
            return cls(WORKSPACE)
        listed = tuple(channel for channel in (channels or "").split() if channel)
        if kind == LISTED and listed:
            return cls(LISTED, listed)
        return cls()

    def columns(self) -> dict[str, str | None]:
        """The subscription's `scope` and `scope_channels` values."""
        return {"scope": self.kind,
                "scope_channels": " ".join(self.channels) if self.kind == LISTED else None}


def channel_of(token: str) -> str | None:
    """The channel id in `<#C0123|name>` or `C0123ABCD`, else None."""
    if match := CHANNEL_MENTION.match(token):
        return match.group(1)
    return token if CHANNEL_ID.match(token) else None


@dataclass(frozen=True)
class Coverage:
    """What one digest covers: its scope, and the channels whose incidents it may show.

    `channels` None means every channel, private ones included: the operator's view of
    `troubleshoot-bot digest --dry-run` without `--channel`, never something posted.
    `withheld` counts the private channels (other than the digest's own) left out.
    """

    kind: str
    channels: frozenset[str] | None
    withheld: int = 0

    @classmethod
    def everything(cls) -> Coverage:
        return cls(WORKSPACE, None)


def coverage(engine: Engine, scope: DigestScope, own_channel: str, window: WeekWindow,
             public_among: PublicAmong) -> Coverage:
    """The channels `own_channel`'s digest may show for the weeks ending with `window`.

    `window` is the earliest week the digest reads (last week, for the trends): a workspace
    digest looks at the channels with an occurrence since then or an incident before.
    """
    if scope.kind == THIS_CHANNEL:
        return Coverage(THIS_CHANNEL, frozenset({own_channel}))
    if scope.kind == LISTED:
        wanted = set(scope.channels)
    else:
        with engine.connect() as conn:
            wanted = set(conn.execute(select(OCC.c.channel).distinct()
                                      .where(OCC.c.created_at >= window.start)).scalars())
            wanted |= set(conn.execute(select(INC.c.channel).distinct()).scalars())
        wanted.add(own_channel)
    wanted.discard(None)  # type: ignore[arg-type]  # occurrences from the CLI have no channel
    visible = Audience(channel=own_channel, public_among=public_among).visible(wanted)
    return Coverage(scope.kind, frozenset(visible), withheld=len(wanted - visible))
