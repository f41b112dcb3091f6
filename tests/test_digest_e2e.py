"""`/troubleshoot digest` through the real server: a signed slash command over HTTP, the Bolt
app's lazy listener, the digest handler, the database, and the answer at the response_url."""

from __future__ import annotations

import json
import os
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.digest.weeks import IsoWeek
from tests.e2e.conftest import BOT_TOKEN, Server, new_channel, server  # noqa: F401  (fixtures)
from tests.e2e.test_slack_conversations import answer_in
from tests.e2e.test_slack_privacy import private_channel, unique_error
from tests.support.cli import Result, run_cli

GPU_PASTE = ("Deployment failed: Couldn't Schedule because the kubernetes cluster didn't have "
             "available resources after trying for 00:05:00.")  # answered confidently


def answer(server: Server, channel: str, text: str) -> dict:  # noqa: F811
    """What `/troubleshoot <text>` in `channel` answered at its response_url."""
    before = len([call for call in server.fake.calls_to("response_url")
                  if call.path.endswith(channel)])
    reply = server.slack.command(text, channel=channel)
    assert reply.status == 200
    return server.fake.wait_for("response_url", before + 1, predicate=lambda call:
                                call.path.endswith(channel))[-1].args

pytestmark = pytest.mark.slow


def test_digest_preview_and_subscription_over_http(server: Server, channel: str) -> None:  # noqa: F811
    fake = server.fake

    def answer(text: str) -> dict:
        before = len(fake.calls_to("response_url"))
        reply = server.slack.command(text, channel=channel)
        assert reply.status == 200 and reply.seconds < 3.0
        return fake.wait_for("response_url", before + 1, predicate=lambda call:
                             call.path.endswith(channel))[-1].args

    preview = answer("digest")
    assert preview["response_type"] == "ephemeral"
    assert "Weekly digest" in json.dumps(preview["blocks"])

    subscribed = answer("digest subscribe fri 17:30 UTC")
    assert "every Friday at 17:30 (UTC)" in subscribed["text"]
    rows = server.sql("SELECT weekday, time_of_day, timezone FROM digest_subscriptions "
                      "WHERE channel = :channel", channel=channel)
    assert [tuple(row) for row in rows] == [(4, "17:30", "UTC")]

    assert "no longer" in answer("digest unsubscribe")["text"]
    assert server.sql("SELECT channel FROM digest_subscriptions WHERE channel = :channel",
                      channel=channel) == []
    assert server.calls_in(channel, "chat.postMessage") == []  # all of it only to the asker


def _cli(server: Server, *args: str) -> Result:  # noqa: F811
    """`troubleshoot-bot digest *args` beside the server, in this process (tests/support/cli.py):
    its output and what it posted are checked, not the process (digest processes racing each
    other are, in tests/test_digest_posting.py)."""
    env: dict[str, str | None] = {
        key: None for key in os.environ
        if key.startswith(("SLACK_", "DATABASE_", "BOT_", "DIGEST_"))}
    env.update({"DATABASE_URL": server.database_url, "SLACK_API_URL": server.fake.api_url,
                "SLACK_BOT_TOKEN": BOT_TOKEN, "BOT_LANGUAGE": "en"})
    return run_cli(["digest", *args], env=env)


def test_a_weekly_channel_gets_the_workspace_digest_without_private_incidents(
        server: Server) -> None:  # noqa: F811
    """The team's weekly channel has no incidents of its own: subscribed to the workspace (in
    Korean, `월요일 9시`), its preview, dry run and post show the public channel's incident and
    nothing of the private channel's, which its own digest still shows."""
    public, weekly = new_channel(), new_channel()
    private = private_channel(server)
    week = IsoWeek.containing(datetime.now(ZoneInfo("Asia/Seoul")).date()).label
    server.slack.command(GPU_PASTE, channel=public)
    answer_in(server, public)
    server.slack.command(unique_error("zebrafinch"), channel=private)
    answer_in(server, private)

    subscribed = answer(server, weekly, "digest subscribe 월요일 9시 워크스페이스")
    assert "every Monday at 09:00 (Asia/Seoul)" in subscribed["text"], subscribed
    assert "every public channel" in subscribed["text"]
    [row] = server.sql("SELECT scope, weekday, time_of_day FROM digest_subscriptions "
                       "WHERE channel = :channel", channel=weekly)
    assert tuple(row) == ("workspace", 0, "09:00")

    preview = json.dumps(answer(server, weekly, f"digest {week}")["blocks"],
                         ensure_ascii=False)
    assert "Container cannot be scheduled" in preview
    assert "zebrafinch" not in preview and private not in preview

    dry = _cli(server, "--dry-run", "--json", "--channel", weekly, "--week", week)
    assert dry.returncode == 0, dry.stderr
    figures = json.loads(dry.stdout)
    assert figures["scope"]["kind"] == "workspace"
    assert public in figures["scope"]["channels"] and private not in figures["scope"]["channels"]
    assert "zebrafinch" not in dry.stdout
    assert f"what {weekly} would get" in dry.stderr

    posted = _cli(server, "--channel", weekly, "--week", week)
    assert posted.returncode == 0 and posted.stdout.startswith(f"posted {week}"), posted
    [post] = server.calls_in(weekly, "chat.postMessage")
    message = json.dumps(post.args["blocks"], ensure_ascii=False)
    assert "Container cannot be scheduled" in message and "zebrafinch" not in message
    assert any(block["type"] == "image" for block in post.args["blocks"])  # the chart, in it
    assert private not in message

    # The private channel's own digest (a dry run for it) has its incident.
    own = _cli(server, "--dry-run", "--json", "--channel", private, "--week", week)
    assert own.returncode == 0 and "zebrafinch" in own.stdout, own


def test_a_slack_connect_channels_digest_shows_only_its_own_incidents(
        server: Server) -> None:  # noqa: F811
    """People of another organisation read a Slack Connect channel: subscribed to the
    workspace, its preview, dry run and post show its own incidents and nothing of a public
    channel's (public to this workspace's members only)."""
    public = new_channel()
    connect = "C" + os.urandom(5).hex().upper()
    server.fake.add_channel(connect, ext_shared=True)
    week = IsoWeek.containing(datetime.now(ZoneInfo("Asia/Seoul")).date()).label
    server.slack.command(unique_error("internalmarten"), channel=public)
    answer_in(server, public)
    server.slack.command(unique_error("connectedstoat"), channel=connect)
    answer_in(server, connect)
    subscribed = answer(server, connect, "digest subscribe workspace")["text"]
    assert "this channel's incidents only" in subscribed, subscribed
    assert "every public channel" not in subscribed

    preview = json.dumps(answer(server, connect, f"digest {week}")["blocks"],
                         ensure_ascii=False)
    dry = _cli(server, "--dry-run", "--json", "--channel", connect, "--week", week)
    assert dry.returncode == 0, dry.stderr
    assert json.loads(dry.stdout)["scope"]["channels"] == [connect]
    posted = _cli(server, "--channel", connect, "--week", week)
    assert posted.returncode == 0, posted
    [post] = [call for call in server.calls_in(connect, "chat.postMessage")
              if "Weekly digest" in json.dumps(call.args.get("blocks"))]
    message = json.dumps(post.args["blocks"], ensure_ascii=False)
    for shown in (preview, dry.stdout, message):
        assert "connectedstoat" in shown and "internalmarten" not in shown, shown
        assert public not in shown
