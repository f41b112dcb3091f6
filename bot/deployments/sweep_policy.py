"""The logs policy as one watch sweep sees it.

A sweep (one `run_cycle`, or one alert handled by the endpoint) asks the policy, for every
failed deployment, which watching channels may be told of it and which may get its logs. The
file is read once per sweep, at the first question: a sweep with fifty failures reads it once,
a sweep with none does not read it at all, and the next sweep reads it afresh, so an admin's
edit takes effect on the next sweep without a restart. A policy that cannot be read names no
failure anywhere and lets no logs out for the whole sweep (fail closed), as before.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from bot.deployments.service import Watch
from bot.logs.policy import Policy, PolicyError, load_policy

log = logging.getLogger(__name__)

WATCH_USER = "deployments-watch"  # who the log-fetch audit names for the bot's own fetches
KEPT_DETAIL = "a LOGS_POLICY_FILE rule covers it and lists none of the watching channels"
UNREADABLE_DETAIL = "the logs policy file cannot be read, so it is reported nowhere"


class SweepPolicy:
    def __init__(self, read: Callable[[], Policy] = load_policy) -> None:
        self._read = read
        self._read_yet = False
        self._policy: Policy | None = None  # None after reading: unreadable

    def _current(self) -> Policy | None:
        if not self._read_yet:
            self._read_yet = True
            try:
                self._policy = self._read()
            except PolicyError as error:
                log.warning("deployments: the logs policy cannot be read (%s); no failure is "
                            "reported this sweep", error)
        return self._policy

    def named_to(self, watches: list[Watch], name: str) -> list[Watch]:
        """The watching channels that may read of `name`'s failure at all: a logs-policy rule
        that keeps a service for its team's channels keeps its failures there too (its name,
        Azure's error, the incident), as the Fetch-logs list does."""
        policy = self._current()
        if policy is None:
            return []
        return [watch for watch in watches if not policy.keeps_from(watch.channel, name)]

    def logs_allowed(self, channel: str, target: str) -> bool:
        """The logs policy, as for `/troubleshoot logs` typed in that channel by the bot."""
        policy = self._current()
        return policy is not None and policy.check(user=WATCH_USER, channel=channel,
                                                   target=target).allowed

    def kept_detail(self) -> str:
        """Why a watched failure was reported nowhere (`deployments check` prints it)."""
        return KEPT_DETAIL if self._current() is not None else UNREADABLE_DETAIL
