"""What readers see of an incident is its error line as pasted, not the matcher's masked form.

The Home tab listed an unknown error as "ERROR: flux capacitor <hex> overheated at <num> degrees
in rack <num>", and the digest quoted it so, where the paste had the numbers people search their
logs for. Repeats are still compared by the masked line (`summary_key`).
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.e2e.conftest import Server, in_process_server, new_channel, new_ts

pytestmark = pytest.mark.slow

GPU_ERROR = "0/3 nodes are available: 3 Insufficient nvidia.com/gpu"
UNKNOWN_ERROR = "ERROR: flux capacitor 0x7f3a2c9d overheated at 88 degrees in rack 12"
PLACEHOLDER = re.compile(r"(?:<|&lt;)(?:num|hex|uuid|timestamp|ip|path)(?:>|&gt;)")

server = in_process_server("summaries")


def all_text(payload: Any) -> str:
    return json.dumps(payload, ensure_ascii=False)


def answered(server: Server, channel: str, paste: str) -> None:
    server.slack.command(paste, channel=channel)
    server.wait_in(channel, "chat.postMessage", predicate=lambda call: any(
        block.get("type") == "actions" for block in call.args.get("blocks") or []))


def test_home_tab_and_digest_show_the_line_as_pasted(server: Server) -> None:
    channel = new_channel()
    answered(server, channel, GPU_ERROR)
    server.slack.command(UNKNOWN_ERROR, channel=channel)
    server.settle()

    server.slack.event({"type": "app_home_opened", "user": "U0000READ", "channel": "D0000READ",
                        "tab": "home", "event_ts": new_ts()})
    home = all_text(server.fake.wait_for("views.publish", predicate=lambda call: (
        call.args.get("user_id") == "U0000READ"))[0].args["view"])
    assert "Container cannot be scheduled on the cluster" in home  # a known one: its title
    assert "flux capacitor 0x7f3a2c9d overheated at 88 degrees in rack 12" in home
    assert not PLACEHOLDER.search(home), home

    year, week, _day = datetime.now(ZoneInfo("Asia/Seoul")).isocalendar()
    server.slack.command(f"digest {year}-W{week:02d}", channel=channel)  # this week's so far
    digest = all_text(server.fake.wait_for("response_url", predicate=lambda call: (
        call.path.endswith("/" + channel)))[0].args)
    assert "0x7f3a2c9d overheated at 88 degrees" in digest
    assert not PLACEHOLDER.search(digest), digest
