"""Members of a Slack user group (`usergroups.users.list`, scope `usergroups:read`), for the
two settings that may name one: the logs policy's `user_groups` and KB_MAINTAINERS."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def group_members(client: Any) -> Callable[[str], set[str]]:
    """A reader of a group's members through this app's Web API client. It raises on a Slack
    error (a missing scope, an unknown group): each caller decides, and both refuse."""
    def members(group: str) -> set[str]:
        return set(client.usergroups_users_list(usergroup=group).get("users") or [])

    return members
