"""Slack wiring for the digest domain: sub-commands (via bot.slack.subcommands) and actions.

Placeholder until the digest work lands; the Slack app calls register(app) at start-up.
"""

from __future__ import annotations

from typing import Any


def register(app: Any) -> None:
    """Attach this domain's action and view listeners to the Bolt app."""
