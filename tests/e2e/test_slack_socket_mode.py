"""`troubleshoot-bot serve --socket-mode`: the same app over Slack's WebSocket, no public URL."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from tests.support.slack_api import BOT_USER_ID, TEAM_ID, FakeSlackAPI
from tests.support.socket_mode import FakeSocketModeServer

pytestmark = pytest.mark.slow

GPU_ERROR = "0/3 nodes are available: 3 Insufficient nvidia.com/gpu"


def test_socket_mode_answers_commands_and_mentions(migrated_database_url: str,
                                                   tmp_path: Path) -> None:
    fake = FakeSlackAPI().start()
    socket_server = FakeSocketModeServer()
    fake.socket_mode_url = socket_server.url
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("SLACK_", "DATABASE_", "BOT_"))}
    env.update({"SLACK_API_URL": fake.api_url, "SLACK_BOT_TOKEN": "xoxb-test",
                "SLACK_APP_TOKEN": "xapp-1-test", "DATABASE_URL": migrated_database_url,
                "BOT_LANGUAGE": "en"})
    process = subprocess.Popen([str(Path(sys.executable).parent / "troubleshoot-bot"), "serve",
                                "--socket-mode"], env=env, cwd=tmp_path,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    try:
        socket_server.wait_connected()
        [opened] = fake.calls_to("apps.connections.open")
        assert opened.headers["Authorization"] == "Bearer xapp-1-test"

        channel = "C" + uuid.uuid4().hex[:10].upper()
        started = time.monotonic()
        socket_server.send({"envelope_id": "env-command", "type": "slash_commands",
                            "accepts_response_payload": True, "payload": {
                                "team_id": TEAM_ID, "channel_id": channel,
                                "user_id": "U0000ALICE", "command": "/troubleshoot",
                                "text": GPU_ERROR, "response_url": fake.response_url(channel),
                                "trigger_id": "1.2.3", "api_app_id": "A0000TEST"}})
        socket_server.wait_ack("env-command")
        assert time.monotonic() - started < 3.0
        answer = fake.wait_for("chat.postMessage", predicate=lambda call: (
            call.args.get("channel") == channel))[0]
        assert "container-cannot-be-scheduled" in json.dumps(answer.args["blocks"])

        socket_server.send({"envelope_id": "env-mention", "type": "events_api",
                            "accepts_response_payload": False, "retry_attempt": 0,
                            "payload": {
                                "team_id": TEAM_ID, "api_app_id": "A0000TEST",
                                "type": "event_callback", "event_id": "Ev0SOCKET",
                                "event_time": int(time.time()),
                                "event": {"type": "app_mention", "user": "U0000ALICE",
                                          "channel": channel, "ts": "1700000000.000100",
                                          "text": f"<@{BOT_USER_ID}> {GPU_ERROR}"}}})
        socket_server.wait_ack("env-mention")
        threaded = fake.wait_for("chat.postMessage", predicate=lambda call: (
            call.args.get("thread_ts") == "1700000000.000100"))[0]
        assert threaded.args["channel"] == channel
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        socket_server.stop()
        fake.stop()
