"""Who may fetch which logs, where, and how often. Decided before any Azure endpoint is contacted.

Logs can hold customer data and secrets, so the default is no fetching anywhere:
- LOGS_ALLOWED_CHANNELS: comma-separated channel ids, or `*` for every channel. Unset: none.
- LOGS_POLICY_FILE (optional, YAML) narrows it per service pattern:

      rules:
        - services: ["churn-*", "fraud-api"]   # glob patterns on the name as typed
          users: [U012ABC]                      # any of these users ...
          user_groups: [S0123ABC]               # ... or members of these Slack user groups ...
          channels: [C0456DEF]                  # ... or anyone in these channels
      contact: "#ml-platform"                   # who grants access (shown in refusals)

  The first rule whose pattern matches the name decides; a name no rule matches is allowed
  wherever LOGS_ALLOWED_CHANNELS allows it.
- LOGS_RATE_PER_MINUTE (default 3) fetches per user per minute, counted in the `log_fetches`
  audit table so the limit holds across replicas; count and claim are one locked statement, so
  it also holds for simultaneous requests (`Policy.claim_slot`).
"""

from __future__ import annotations

import fnmatch
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import yaml
from sqlalchemy import func, insert, literal, select
from sqlalchemy.orm import Session

from bot.logs.models import LogFetch
from bot.settings import Settings, settings
from bot.storage import utcnow

DEFAULT_RATE_PER_MINUTE = 3
# Outcomes that never reached Azure do not count against the user's rate.
NOT_COUNTED = ("denied", "rate_limited", "bad_request")

GroupMembers = Callable[[str], set[str]]
GROUP_CACHE_S = 300.0
# Slack user-group members by group id, shared by every request of this process.
_group_cache: dict[str, tuple[float, set[str]]] = {}


@dataclass(frozen=True)
class Rule:
    services: tuple[str, ...]
    users: frozenset[str] = frozenset()
    user_groups: tuple[str, ...] = ()
    channels: frozenset[str] = frozenset()

    def covers(self, target: str) -> bool:
        name = target.lower()
        return any(fnmatch.fnmatchcase(name, pattern.lower()) for pattern in self.services)


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str = ""  # for the audit row and the server log (may name settings)
    outcome: str = "allowed"  # audit word: allowed / denied / rate_limited
    # What the user is told, as a catalog word: disabled / channel / service / rate / unreadable.
    # The user's sentence is rendered in their language and never names a setting.
    code: str = ""
    contact: str | None = None  # who grants access (the policy file's `contact`)
    rate: int = 0


@dataclass
class Policy:
    allowed_channels: frozenset[str] | None  # None: every channel ("*")
    rules: tuple[Rule, ...] = ()
    contact: str | None = None
    rate_per_minute: int = DEFAULT_RATE_PER_MINUTE

    def how_to_get_access(self) -> str:
        who = self.contact or "a workspace admin"
        return (f"Ask {who} to add this channel to LOGS_ALLOWED_CHANNELS, or you to the "
                "service's rule in the logs policy file.")

    def check_channel(self, channel: str) -> Decision:
        if self.allowed_channels is None or channel in self.allowed_channels:
            return Decision(True)
        if not self.allowed_channels:
            return Decision(False, "Log fetching is not enabled in this workspace. "
                            + self.how_to_get_access(), "denied", "disabled", self.contact)
        return Decision(False, "Logs can't be fetched in this channel. "
                        + self.how_to_get_access(), "denied", "channel", self.contact)

    def check(self, *, user: str, channel: str, target: str,
              group_members: GroupMembers | None = None) -> Decision:
        decision = self.check_channel(channel)
        if not decision.allowed:
            return decision
        rule = next((rule for rule in self.rules if rule.covers(target)), None)
        if rule is None:
            return Decision(True)
        if user in rule.users or channel in rule.channels:
            return Decision(True)
        for group in rule.user_groups:
            if user in self._members(group, group_members):
                return Decision(True)
        return Decision(False, f"You're not allowed to fetch the logs of {target}. "
                        + self.how_to_get_access(), "denied", "service", self.contact)

    def keeps_from(self, channel: str, target: str) -> bool:
        """Whether the rule for `target` keeps it from `channel`'s readers: a rule covers the
        name and does not list the channel. Such a service is not even named there (the
        Fetch-logs list, the deployments watch): the rule is what says who may know of it."""
        rule = next((rule for rule in self.rules if rule.covers(target)), None)
        return rule is not None and channel not in rule.channels

    def _members(self, group: str, group_members: GroupMembers | None) -> set[str]:
        """Slack user-group members, cached for five minutes (usergroups.users.list)."""
        if group_members is None:
            return set()
        cached = _group_cache.get(group)
        if cached and time.monotonic() - cached[0] < GROUP_CACHE_S:
            return cached[1]
        try:
            members = set(group_members(group))
        except Exception:  # a Slack error must refuse, never crash or allow ...
            return set()  # ... and is not remembered: the next request asks Slack again
        _group_cache[group] = (time.monotonic(), members)
        return members

    def claim_slot(self, session: Session, audit_row: dict[str, object]) -> int | None:
        """Insert the `started` audit row if the user is under the limit; its id, else None.

        Counting and inserting are one statement under a per-user lock, so that ten concurrent
        requests cannot all count the same two earlier fetches and all go ahead: PostgreSQL
        takes a transaction-scoped advisory lock on the user, SQLite takes the database's write
        lock up front (BEGIN IMMEDIATE). The lock ends with the caller's transaction, after the
        row is committed, so the next request counts it.
        """
        user = str(audit_row["user"])
        _lock_user(session, user)
        now = utcnow()
        recent = (select(func.count()).select_from(LogFetch).where(
            LogFetch.user == user, LogFetch.created_at >= now - timedelta(minutes=1),
            LogFetch.outcome.not_in(NOT_COUNTED)).scalar_subquery())
        row = {**audit_row, "outcome": "started", "created_at": now}
        columns = [LogFetch.__table__.c[name] for name in row]
        source = select(*(literal(value, column.type) for value, column in
                          zip(row.values(), columns, strict=True))
                        ).where(recent < self.rate_per_minute)
        return session.scalar(insert(LogFetch).from_select(columns, source)
                              .returning(LogFetch.id))

    def rate_refusal(self) -> Decision:
        return Decision(False, f"You've fetched logs {self.rate_per_minute} times in the last "
                        "minute (the limit); try again in a minute.", "rate_limited", "rate",
                        rate=self.rate_per_minute)


def _lock_user(session: Session, user: str) -> None:
    """Serialise one user's rate checks until the end of the session's transaction."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(func.pg_advisory_xact_lock(
            func.hashtextextended(f"logs-rate:{user}", 0))))
    else:
        # pysqlite opens its transaction lazily, so nothing has begun yet: take the write lock
        # now (waiting up to busy_timeout) instead of a read snapshot that a racer could outdate.
        session.connection().exec_driver_sql("BEGIN IMMEDIATE")


class PolicyError(ValueError):
    """The policy file is unreadable or malformed: the bot refuses every fetch until fixed."""


def _strings(value: object, key: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(item, str | int) for item in value):
        return [str(item) for item in value]
    raise PolicyError(f"'{key}' must be a list of strings")


def parse_rules(data: object) -> tuple[tuple[Rule, ...], str | None]:
    if data is None:
        return (), None
    if not isinstance(data, dict):
        raise PolicyError("the policy file must be a mapping with a 'rules' list")
    rules = []
    for index, item in enumerate(data.get("rules") or []):
        if not isinstance(item, dict) or not item.get("services"):
            raise PolicyError(f"rule {index + 1} needs a 'services' list of patterns")
        rules.append(Rule(services=tuple(_strings(item["services"], "services")),
                          users=frozenset(_strings(item.get("users"), "users")),
                          user_groups=tuple(_strings(item.get("user_groups"), "user_groups")),
                          channels=frozenset(_strings(item.get("channels"), "channels"))))
    contact = data.get("contact")
    return tuple(rules), str(contact) if contact else None


def load_policy(config: Settings | None = None) -> Policy:
    """The policy LOGS_ALLOWED_CHANNELS, LOGS_RATE_PER_MINUTE and LOGS_POLICY_FILE describe."""
    config = config or settings()
    allowed = config.logs_allowed_channels
    channels = None if "*" in allowed else allowed  # None: every channel
    rules: tuple[Rule, ...] = ()
    contact = None
    policy_file = config.logs_policy_file
    if policy_file:
        try:
            data = yaml.safe_load(Path(policy_file).read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as error:
            raise PolicyError(f"cannot read LOGS_POLICY_FILE {policy_file}: "
                              f"{type(error).__name__}") from error
        rules, contact = parse_rules(data)
    return Policy(allowed_channels=channels, rules=rules, contact=contact,
                  rate_per_minute=config.logs_rate_per_minute)


def unreadable_policy_refusal(error: Exception) -> Decision:
    return Decision(False, f"The logs policy file can't be read ({error}), so log fetching is "
                    "off until an admin fixes it.", "denied", "unreadable")


def channel_may_fetch(channel: str | None) -> bool:
    """Whether to offer a "Fetch logs" button in `channel`: the channel rule only (per-service
    rules and the rate limit are checked when it is pressed). An unreadable policy offers none."""
    if not channel:
        return False
    try:
        return load_policy().check_channel(channel).allowed
    except PolicyError:
        return False
