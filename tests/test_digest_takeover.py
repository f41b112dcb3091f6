"""A digest worker killed mid-post (a real `troubleshoot-bot digest` process, SIGKILL), and the
run that takes over: the digest stays one message in the channel, with its chart in it.
"""

from __future__ import annotations

import subprocess
from datetime import timedelta

import pytest
from sqlalchemy import update

from bot.storage import engine_for
from tests.support.slack_api import FakeSlackAPI
from tests.test_digest_posting import RUNS, cli, env, run_cli, runs, seeded_url, slack  # noqa: F401

pytestmark = pytest.mark.slow
ARGS = ("--channel", "C1", "--week", "2026-W47")


def kill(process: subprocess.Popen[str]) -> None:
    process.kill()  # SIGKILL: no clean-up, as when a host dies
    process.wait(timeout=30)
    process.communicate()


def lease_passes(url: str) -> None:
    """What ten minutes do to an abandoned claim, without waiting ten minutes."""
    with engine_for(url).begin() as connection:
        connection.execute(update(RUNS).values(claimed_at=RUNS.c.claimed_at
                                               - timedelta(minutes=11)))


def test_killed_after_slack_took_the_post_the_takeover_does_not_post_again(
        env: dict[str, str], slack: FakeSlackAPI, seeded_url: str) -> None:  # noqa: F811
    # Slack stores the message at once but its answer never reaches the worker before it dies.
    slack.delay("chat.postMessage", 120, after=True, times=1)
    worker = cli(env, *ARGS)
    [post] = slack.wait_for("chat.postMessage", timeout=60)
    kill(worker)
    [run] = runs(seeded_url)
    assert run.status == "claimed" and run.message_ts is None  # it never heard back

    lease_passes(seeded_url)
    again = run_cli(env, *ARGS)
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith("already posted"), again.stdout

    assert len(slack.calls_to("chat.postMessage")) == 1  # one digest in the channel
    [(channel, ts)] = [key for key, message in slack.messages.items()
                       if message.get("metadata", {}).get("event_type") == "troubleshoot_digest"]
    [run] = runs(seeded_url)
    assert (run.status, run.message_ts, run.attempts) == ("posted", ts, 2)
    # The message found carries its chart: nothing is uploaded again.
    assert '"image"' in str(slack.messages[(channel, ts)]["blocks"]).replace("'", '"')
    assert len(slack.calls_to("files.completeUploadExternal")) == 1
    assert post.args["metadata"]["event_payload"] == {"week": "2026-W47", "channel": "C1"}


def test_killed_during_the_chart_upload_the_takeover_posts_once_with_a_chart(
        env: dict[str, str], slack: FakeSlackAPI, seeded_url: str) -> None:  # noqa: F811
    # The chart goes up before the message: a death there leaves no message behind.
    slack.delay("files.getUploadURLExternal", 120, times=1)
    worker = cli(env, *ARGS)
    slack.wait_for("files.getUploadURLExternal", timeout=60)
    kill(worker)
    [run] = runs(seeded_url)
    assert run.status == "claimed" and run.message_ts is None
    assert slack.calls_to("chat.postMessage") == []

    lease_passes(seeded_url)
    again = run_cli(env, *ARGS)
    assert again.returncode == 0 and again.stdout.startswith("posted"), again
    [post] = slack.calls_to("chat.postMessage")
    assert any(block["type"] == "image" for block in post.args["blocks"])
    [run] = runs(seeded_url)
    assert (run.status, run.attempts) == ("posted", 2)
