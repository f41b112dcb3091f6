"""The bot's own token goes only to Slack (an attacker's review, round 6).

A file attached to a mention is downloaded with `Authorization: Bearer <bot token>`. A remote
file (files.remote.add by any app, a shared Drive link) has its `url_private` on another host:
the token went there. Here that host is a real HTTP server on this machine that records what it
is sent; the Slack stand-in describes the file as Slack would.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bot.slack.files import is_slack_file_url
from tests.e2e.conftest import BOT_TOKEN, Server, in_process_server, new_channel
from tests.e2e.test_slack_conversations import all_text, answer_in

pytestmark = pytest.mark.slow

server = in_process_server("token")
GPU_ERROR = "0/3 nodes are available: 3 Insufficient nvidia.com/gpu"


SEEN: list[dict[str, str]] = []  # every request the other host got: path and headers


class _Recorder(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        SEEN.append({"path": self.path, **dict(self.headers)})
        body = f"{GPU_ERROR}\n".encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def elsewhere() -> Iterator[str]:
    """Someone else's file host: what it was sent is in SEEN."""
    host = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=host.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{host.server_address[1]}"
    finally:
        host.shutdown()


def test_a_remote_files_host_never_receives_the_bot_token(server: Server, elsewhere: str) -> None:
    channel = new_channel()
    url = f"{elsewhere}/drive/log.txt"
    server.fake.files["F0REMOTE1"] = {
        "id": "F0REMOTE1", "name": "log.txt", "title": "log.txt", "filetype": "text",
        "mimetype": "text/plain", "size": 60, "is_external": True, "external_type": "gdrive",
        "url_private": url, "url_private_download": url, "mode": "external"}
    server.slack.mention("see the attached log", channel=channel,
                         files=[{"id": "F0REMOTE1", "name": "log.txt"}])
    said = all_text([call.args for call in server.wait_in(channel, "chat.postMessage")])
    assert "could not read the attached file log.txt" in said
    assert not any(BOT_TOKEN in value for request in SEEN for value in request.values())
    # A file on Slack is still read, with the token.
    snippet = server.fake.add_file(f"{GPU_ERROR}\n".encode(), name="kubectl.log")
    other = new_channel()
    server.slack.mention("see the attached log", channel=other,
                         files=[{"id": snippet["id"], "name": "kubectl.log"}])
    assert "container-cannot-be-scheduled" in all_text(answer_in(server, other).args["blocks"])


@pytest.mark.parametrize(("url", "allowed"), [
    ("https://files.slack.com/files-pri/T1-F1/log.txt", True),
    ("https://files-edu.slack.com/files-pri/T1-F1/log.txt", True),
    ("https://slack-files.com/T1-F1-abc", True),
    ("http://files.slack.com/files-pri/T1-F1/log.txt", False),  # not over HTTPS
    ("https://files.slack.com.evil.example/x", False),
    ("https://evilslack.com/x", False),
    ("https://user@files.slack.com/x", False),
    ("https://docs.google.com/document/d/1/edit", False),
    ("http://127.0.0.1:9/api-host/files-pri/x", True),  # the configured Web API's own host
    ("http://127.0.0.1:10/x", False),
])
def test_only_slacks_hosts_may_receive_the_token(url: str, allowed: bool) -> None:
    assert is_slack_file_url(url, "http://127.0.0.1:9/api/") is allowed
