"""Logs where the bot's Azure set-up is missing (issue 13, Build 7), end to end: the real app in
this process, signed requests, the Slack stand-in, both databases, fetching allowed in every
channel and no Azure workspace or credentials at all.

The set-up is checked before anything reaches the channel: the command is answered to the
person alone, the Fetch-logs modal says so instead of offering names, no "fetching…" message is
posted, and no setting is named to anyone (the server log has them under the reference).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest

from bot import settings as bot_settings
from tests.e2e.conftest import Server, in_process_server, new_channel, new_ts

pytestmark = pytest.mark.slow

AZURE_SETTINGS = ("AZURE_SUBSCRIPTION_ID", "AZURE_RESOURCE_GROUP", "AZUREML_WORKSPACE_NAME",
                  "AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET",
                  "AZURE_USE_MANAGED_IDENTITY", "AZUREML_CONFIG_PATH", "LOGS_POLICY_FILE")


server = in_process_server("nolog")  # the app in this process: no socket or worker


@pytest.fixture(autouse=True)
def logs_allowed_without_azure(monkeypatch: pytest.MonkeyPatch,
                               tmp_path: pytest.TempPathFactory) -> Iterator[None]:
    monkeypatch.setenv("LOGS_ALLOWED_CHANNELS", "*")
    for name in AZURE_SETTINGS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no config.json to find either
    bot_settings.forget()
    yield
    bot_settings.forget()


def reference_in(text: str) -> str:
    found = re.search(r"`([0-9a-f]{8})`", text)
    assert found, text
    return found.group(1)


def test_the_logs_command_is_answered_to_the_person_before_anything_is_posted(
        server: Server) -> None:
    channel = new_channel()
    server.slack.command("logs churn-scorer", channel=channel)
    [reply] = server.fake.wait_for("response_url", predicate=lambda call: (
        call.path.endswith("/" + channel)))
    assert reply.args["response_type"] == "ephemeral"
    text = reply.args["text"]
    assert "not set up on the bot's side yet" in text and "AZURE" not in text
    assert reference_in(text) in server.wait_for_log(reference_in(text))
    server.settle()
    assert not server.calls_in(channel, "chat.postMessage")  # no public "fetching…"


def test_the_fetch_logs_modal_says_so_instead_of_offering_names(server: Server) -> None:
    channel = new_channel()
    message = {"type": "message", "ts": new_ts(), "text": "answer", "blocks": [{
        "type": "actions", "block_id": "buttons:1:-", "elements": [{
            "type": "button", "action_id": "fetch_logs",
            "text": {"type": "plain_text", "text": "Fetch logs"},
            "value": json.dumps({"incident_id": None, "entry_id": None, "service": None})}]}]}
    server.slack.click(message, channel=channel, action_id="fetch_logs")
    server.fake.wait_for("views.open", predicate=lambda call: channel in json.dumps(call.args))
    view = server.fake.wait_for("views.update")[-1].args["view"]
    view = json.loads(view) if isinstance(view, str) else view
    shown = json.dumps(view, ensure_ascii=False)
    assert "not set up on the bot's side yet" in shown and "AZURE" not in shown
    assert "submit" not in view  # nothing to fill in that could work
    server.settle()
    assert not server.calls_in(channel, "chat.postMessage")
