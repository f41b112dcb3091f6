"""Is a channel public? Slack says (conversations.info); the database remembers it for every worker.

Only a channel Slack calls a public, unshared channel counts as public. A private channel, a DM,
a group DM, a Slack Connect channel, a channel an Enterprise Grid organisation shares between its
workspaces, and any channel whose lookup failed or was not made yet count as private: the bot
fails closed. And only a conversation read by this workspace's people
alone may be shown public channels' incidents: not a Slack Connect one (`audience_for`).
Answers are cached for PRIVACY_TTL (a channel converted to private is noticed within that
time); a failed lookup is retried after FAILED_LOOKUP_TTL.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from slack_sdk.errors import SlackApiError
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from bot.chat.models import CHANNEL_PUBLIC, INTERNAL_KINDS, ChannelPrivacy
from bot.incidents.audience import Audience
from bot.incidents.service import as_utc
from bot.settings import settings
from bot.slack.memberships import memberships
from bot.storage import session_scope, utcnow

log = logging.getLogger(__name__)

PRIVACY_TTL = timedelta(hours=1)
FAILED_LOOKUP_TTL = timedelta(minutes=1)
UNKNOWN = "unknown"
# Lookups one request may make; channels beyond it count as private until a later request.
MAX_LOOKUPS_PER_REQUEST = 25


SHARED = "shared"


def kind_of(conversation: dict[str, Any]) -> str:
    """public / private / im / mpim / shared / unknown, from a conversation object."""
    if conversation.get("is_ext_shared") or conversation.get("is_pending_ext_shared"):
        return SHARED  # people of another organisation read it (a channel, a DM, a group DM)
    if conversation.get("is_shared") or conversation.get("is_org_shared"):
        # Enterprise Grid: shared with the organisation's other workspaces, whose people are
        # not this workspace's members (public channels are public to those only).
        return SHARED
    if conversation.get("is_im"):
        return "im"
    if conversation.get("is_mpim"):
        return "mpim"
    if conversation.get("is_private") is not False:  # absent counts as private
        return "private"
    return CHANNEL_PUBLIC if conversation.get("is_channel") is True else UNKNOWN


class PrivacyLookup:
    """Which channels are public, for one request: the database first, then Slack."""

    def __init__(self, client: Any, database_url: str, workspace: str) -> None:
        self.client = client
        self.database_url = database_url
        self.workspace = workspace
        self._kinds: dict[str, str] = {}  # what this request already knows

    def public_among(self, channels: set[str]) -> set[str]:
        kinds = self._kinds_of(channels)
        return {channel for channel in channels if kinds[channel] == CHANNEL_PUBLIC}

    def internal(self, channel: str) -> bool:
        """Whether only people of this workspace read `channel` (INTERNAL_KINDS)."""
        return self._kinds_of({channel})[channel] in INTERNAL_KINDS

    def _kinds_of(self, channels: set[str]) -> dict[str, str]:
        unknown = channels - self._kinds.keys()
        if unknown:
            self._kinds.update(self._load(unknown))
        return self._kinds

    def _load(self, channels: set[str]) -> dict[str, str]:
        now = utcnow()
        with session_scope(self.database_url) as session:
            rows = session.execute(
                select(ChannelPrivacy.channel, ChannelPrivacy.kind, ChannelPrivacy.checked_at)
                .where(ChannelPrivacy.workspace == self.workspace,
                       ChannelPrivacy.channel.in_(channels))).all()
        known = {channel: kind for channel, kind, checked_at in rows
                 if _fresh(kind, as_utc(checked_at), now)}
        stale = sorted(channels - known.keys())
        if len(stale) > MAX_LOOKUPS_PER_REQUEST:
            log.info("%d channels to look up; %d count as private for now", len(stale),
                     len(stale) - MAX_LOOKUPS_PER_REQUEST)
        asked = {channel: self._ask_slack(channel) for channel in stale[:MAX_LOOKUPS_PER_REQUEST]}
        if asked:
            self._store(asked, now)
        # Not looked up (over the limit): unknown, so private and not internal, for now.
        return {**{channel: UNKNOWN for channel in channels}, **known, **asked}

    def _ask_slack(self, channel: str) -> str:
        try:
            response = self.client.conversations_info(channel=channel)
        except Exception as error:  # whatever went wrong, the channel counts as private
            reason = (error.response.get("error") if isinstance(error, SlackApiError)
                      else type(error).__name__)
            log.warning("conversations.info %s failed (%s); treating it as private", channel,
                        reason)
            return UNKNOWN
        return kind_of(response.get("channel") or {})

    def _store(self, kinds: dict[str, str], now: datetime) -> None:
        with session_scope(self.database_url) as session:
            dialect = session.get_bind().dialect.name
            insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
            statement = insert(ChannelPrivacy).values([
                {"workspace": self.workspace, "channel": channel, "kind": kind,
                 "checked_at": now} for channel, kind in kinds.items()])
            # Two workers may look the same channel up at once: the later answer wins.
            session.execute(statement.on_conflict_do_update(
                index_elements=[ChannelPrivacy.workspace, ChannelPrivacy.channel],
                set_={"kind": statement.excluded.kind,
                      "checked_at": statement.excluded.checked_at}))


def _fresh(kind: str, checked_at: datetime, now: datetime) -> bool:
    return now - checked_at < (FAILED_LOOKUP_TTL if kind == UNKNOWN else PRIVACY_TTL)


# Someone of another organisation with no channel of their own here (the Home tab): no
# channel's incidents are theirs to read.
OUTSIDER = Audience(channel=None, public_among=lambda _channels: set())


def audience_for(client: Any, database_url: str, *, workspace: str,
                 channel: str | None) -> Audience:
    """The readers of a reply in `channel` (None: the Home tab, which belongs to no channel).

    Readers outside this workspace (a Slack Connect channel, or one Slack would not describe)
    see only `channel`'s own incidents: public channels are public to the workspace only."""
    lookup = PrivacyLookup(client, database_url, workspace)
    if channel is None:
        return Audience(channel=None, public_among=lookup.public_among)

    def public_among(channels: set[str]) -> set[str]:
        # Asked only when other channels' incidents are at stake: one cached look-up.
        return lookup.public_among(channels) if lookup.internal(channel) else set()

    return Audience(channel=channel, public_among=public_among)


def member_of(client: Any, workspace: str, user: str) -> bool:
    """Whether `user` is a member of `workspace` (users.info; in an Enterprise Grid, any of
    the organisation's workspaces they belong to may be it). Someone of another organisation,
    met in a Slack Connect channel, can open the app's Home tab too, and a deactivated account
    is no member. A failed look-up counts as not a member: the bot fails closed.

    Slack's answer is kept for HOME_MEMBER_TTL_S (memberships): every open of the Home tab
    asked users.info again, once per viewer, for an answer that rarely changes. A failure is
    not kept: the next open asks again."""
    # Keyed by the Web API too: one Slack per production process, but a test runs several.
    key = (str(getattr(client, "base_url", "")), workspace, user)
    known = memberships.get(key)
    if known is not None:
        return known
    try:
        found = client.users_info(user=user).get("user") or {}
    except Exception as error:
        reason = (error.response.get("error") if isinstance(error, SlackApiError)
                  else type(error).__name__)
        log.warning("users.info %s failed (%s); showing no channel's incidents", user, reason)
        return False
    teams = {found.get("team_id")} | set((found.get("enterprise_user") or {}).get("teams") or ())
    member = workspace in teams and not found.get("deleted")
    memberships.put(key, member, ttl_s=settings().home_member_ttl_s)
    return member
