"""Posting the digest exactly once, through the real CLI and the Slack Web API stand-in.

Concurrency is real: separate `troubleshoot-bot digest` processes racing on one database
(SQLite file and PostgreSQL), and the worker stopped by a real SIGTERM, the only fake being
Slack's Web API on 127.0.0.1. Single runs go through the in-process runner (`tests/support/cli.py`).
"""

from __future__ import annotations

import io
import json
import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, insert, select

from bot.digest.models import DigestRun, DigestSubscription
from bot.digest.posting import post_digest_once
from bot.digest.schedule import Schedule, run_due_digests
from bot.digest.weeks import IsoWeek
from bot.slack.web_api import client_from_environment as slack_client
from bot.storage import engine_for
from tests.support.cli import Result
from tests.support.cli import run_cli as run_in_process
from tests.support.slack_api import FakeSlackAPI
from tests.test_digest_figures import W47, kst, seed_history

RUNS = DigestRun.__table__
SUBSCRIPTIONS = DigestSubscription.__table__


@pytest.fixture
def slack() -> Iterator[FakeSlackAPI]:
    with FakeSlackAPI() as fake:
        yield fake


@pytest.fixture
def env(slack: FakeSlackAPI, seeded_url: str, monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path) -> dict[str, str]:
    values = {"DATABASE_URL": seeded_url, "SLACK_API_URL": slack.api_url,
              "SLACK_BOT_TOKEN": "xoxb-test-token", "BOT_LANGUAGE": "en",
              "DIGEST_TIMEZONE": "Asia/Seoul"}
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(tmp_path)  # no stray .env
    return {**os.environ, **values}


@pytest.fixture
def seeded_url(migrated_database_url: str) -> str:
    seed_history(migrated_database_url)
    return migrated_database_url


def cli(env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "bot", "digest", *args], env=env,
                            cwd=env.get("PWD"), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def run_cli(env: dict[str, str], *args: str) -> Result:
    """One `digest` run in this process (`tests/support/cli.py`); racing runs use `cli`."""
    return run_in_process(["digest", *args], env=env)


def runs(url: str) -> list:
    with engine_for(url).connect() as conn:
        return conn.execute(select(RUNS)).all()


def test_three_concurrent_runs_post_once(env: dict[str, str], slack: FakeSlackAPI,
                                         seeded_url: str) -> None:
    slack.delay("chat.postMessage", 0.5)  # widen the race: the others arrive mid-post
    processes = [cli(env, "--channel", "C1", "--week", "2026-W47") for _ in range(3)]
    results = [(p.wait(timeout=120), *p.communicate()) for p in processes]

    assert [code for code, _out, _err in results] == [0, 0, 0], results
    outputs = sorted(out.split(" ")[0] + (" posted" if out.startswith("already") else "")
                     for _code, out, _err in results)
    assert outputs == ["already posted", "already posted", "posted"], results
    posts = slack.calls_to("chat.postMessage")
    assert len(posts) == 1
    assert posts[0].args["channel"] == "C1"
    assert "2026-W47" in posts[0].args["text"]
    assert any(b["type"] == "header" for b in posts[0].args["blocks"])

    [run] = runs(seeded_url)
    assert (run.status, run.week, run.attempts) == ("posted", "2026-W47", 1)
    assert run.message_ts and run.posted_at is not None

    # And once more, later: nothing new is posted.
    again = run_cli(env, "--channel", "C1", "--week", "2026-W47")
    assert again.returncode == 0 and again.stdout.startswith("already posted")
    assert len(slack.calls_to("chat.postMessage")) == 1


def test_chart_is_shown_in_the_digest_message(env: dict[str, str],
                                              slack: FakeSlackAPI) -> None:
    result = run_cli(env, "--channel", "C1", "--week", "2026-W47")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("posted 2026-W47 to C1")

    [post] = slack.calls_to("chat.postMessage")
    [upload] = slack.calls_to("upload")
    [complete] = slack.calls_to("files.completeUploadExternal")
    assert upload.body[:8] == b"\x89PNG\r\n\x1a\n"
    from PIL import Image

    with Image.open(io.BytesIO(upload.body)) as image:
        assert image.size[0] > 0 and image.size[1] > 0
    # Uploaded unshared, before the message, then shown by it: not in a thread of its own.
    assert "channel_id" not in complete.args and "thread_ts" not in complete.args
    assert complete.at < post.at
    blocks = post.args["blocks"]
    blocks = json.loads(blocks) if isinstance(blocks, str) else blocks
    [image_block] = [block for block in blocks if block["type"] == "image"]
    assert image_block["slack_file"]["id"] == complete.args["files"][0]["id"]
    # Titled by the channel's name (conversations.info), in the digest's language.
    assert complete.args["files"][0]["title"] == (
        "Errors per day · #incidents-c1 · 2026-W47")
    assert post.args["text"].startswith("Weekly digest 2026-W47")


def test_a_refused_chart_image_still_reaches_the_channel(env: dict[str, str],
                                                         slack: FakeSlackAPI) -> None:
    slack.fail_next("chat.postMessage", body={
        "ok": False, "error": "invalid_blocks",
        "errors": ["invalid slack file [json-pointer:/blocks/4/slack_file]"]})
    result = run_cli(env, "--channel", "C1", "--week", "2026-W47")
    assert result.returncode == 0 and result.stdout.startswith("posted"), result

    refused, posted = slack.calls_to("chat.postMessage")
    assert "image" in json.dumps(refused.args["blocks"])
    assert "image" not in json.dumps(posted.args["blocks"])  # nothing was posted the 1st time
    shared = [call for call in slack.calls_to("files.completeUploadExternal")
              if call.args.get("channel_id") == "C1"]
    assert len(shared) == 1 and "thread_ts" not in shared[0].args  # in the channel itself
    [digest] = [m for m in slack.messages.values()
                if m.get("metadata", {}).get("event_type") == "troubleshoot_digest"]
    assert len([m for m in slack.messages.values() if m is digest]) == 1


def claimed_by_another(url: str, worker: str, age: timedelta) -> Engine:
    """The C1/W47 run already claimed by `worker`, `age` ago (alive or dead, by the lease)."""
    engine = engine_for(url)
    with engine.begin() as conn:
        conn.execute(insert(RUNS).values(channel="C1", week="2026-W47", status="claimed",
                                         claimed_by=worker, claimed_at=datetime.now(UTC) - age))
    return engine


def test_a_stale_claim_is_taken_over(env: dict[str, str], slack: FakeSlackAPI,
                                     seeded_url: str) -> None:
    engine = claimed_by_another(seeded_url, "dead-worker", timedelta(minutes=11))
    outcome = post_digest_once(engine, slack_client(), "C1", W47, worker="me")

    assert outcome.status == "posted"
    assert len(slack.calls_to("chat.postMessage")) == 1
    [run] = runs(seeded_url)
    assert (run.status, run.claimed_by, run.attempts) == ("posted", "me", 2)


def test_racing_takeovers_of_a_stale_claim_have_one_winner(seeded_url: str) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from bot.digest.posting import claim

    engine = claimed_by_another(seeded_url, "dead-worker", timedelta(hours=1))
    with ThreadPoolExecutor(max_workers=4) as pool:
        won = list(pool.map(lambda n: claim(engine, "C1", "2026-W47", f"w{n}"), range(4)))
    assert won.count(True) == 1
    [run] = runs(seeded_url)
    assert run.claimed_by == f"w{won.index(True)}" and run.attempts == 2


def test_a_fresh_claim_is_left_alone(env: dict[str, str], slack: FakeSlackAPI,
                                     seeded_url: str) -> None:
    engine = claimed_by_another(seeded_url, "busy-worker", timedelta(minutes=2))
    outcome = post_digest_once(engine, slack_client(), "C1", W47, worker="me")

    assert (outcome.status, outcome.detail) == ("in progress", "claimed by busy-worker")
    assert slack.calls_to("chat.postMessage") == []


def test_a_failed_post_is_reported_and_can_be_retried(env: dict[str, str], slack: FakeSlackAPI,
                                                      seeded_url: str) -> None:
    slack.fail_next("chat.postMessage", body={"ok": False, "error": "not_in_channel"})
    failed = run_cli(env, "--channel", "C1", "--week", "2026-W47")
    assert failed.returncode == 1
    assert "not_in_channel" in failed.stderr and "Traceback" not in failed.stderr
    assert runs(seeded_url)[0].status == "failed"

    retried = run_cli(env, "--channel", "C1", "--week", "2026-W47")
    assert retried.returncode == 0 and retried.stdout.startswith("posted")
    assert runs(seeded_url)[0].status == "posted"


def test_rate_limited_post_is_retried_not_duplicated(env: dict[str, str], slack: FakeSlackAPI,
                                                     seeded_url: str) -> None:
    slack.rate_limit_next("chat.postMessage", retry_after=1)
    outcome = post_digest_once(engine_for(seeded_url), slack_client(), "C1", W47)
    assert outcome.status == "posted"
    assert len(slack.calls_to("chat.postMessage")) == 2  # the 429, then the post
    assert runs(seeded_url)[0].status == "posted"


def test_empty_week_posts_a_short_message_without_chart(env: dict[str, str],
                                                        slack: FakeSlackAPI) -> None:
    result = run_cli(env, "--channel", "C1", "--week", "2026-W30")
    assert result.returncode == 0 and result.stdout.startswith("posted")
    [post] = slack.calls_to("chat.postMessage")
    assert "quiet week" in post.args["text"]
    assert slack.calls_to("files.completeUploadExternal") == []


def test_posting_needs_a_token_and_a_channel(env: dict[str, str], slack: FakeSlackAPI) -> None:
    no_token = run_cli({**env, "SLACK_BOT_TOKEN": ""}, "--channel", "C1")
    assert no_token.returncode == 2 and "SLACK_BOT_TOKEN" in no_token.stderr
    no_channel = run_cli(env)
    assert no_channel.returncode == 2 and "--channel" in no_channel.stderr
    bad_week = run_cli(env, "--dry-run", "--week", "2026-W60")
    assert bad_week.returncode == 2 and "no ISO week 60" in bad_week.stderr
    assert slack.calls_to("chat.postMessage") == []


def test_dry_run_json_shape(env: dict[str, str], slack: FakeSlackAPI) -> None:
    result = run_cli(env, "--dry-run", "--json", "--week", "2026-W47")
    assert result.returncode == 0, result.stderr
    digest = json.loads(result.stdout)
    assert digest["week"] == "2026-W47"
    assert isinstance(digest["occurrences"], int) and digest["occurrences"] == 10
    assert set(digest["incidents"]) >= {"new", "recurring", "resolved", "open"}
    assert all(isinstance(value, int) for value in digest["incidents"].values())
    assert digest["time_to_resolve"]["median_s"] == 5400
    assert digest["top_entries"][0] == {**digest["top_entries"][0], "id":
                                        "container-cannot-be-scheduled", "count": 4}
    counts = [entry["count"] for entry in digest["top_entries"]]
    assert counts == sorted(counts, reverse=True)
    assert digest["unknown"] == 1
    assert slack.calls == []  # a dry run talks to nobody

    channel_only = json.loads(run_cli(env, "--dry-run", "--json", "--week", "2026-W47",
                                      "--channel", "C2").stdout)
    assert channel_only["occurrences"] == 1 and channel_only["channel"] == "C2"
    text = run_cli(env, "--dry-run", "--week", "2026-W47")
    assert text.returncode == 0 and "Errors reported: 10" in text.stdout

    # DIGEST_TIMEZONE moves the week: in UTC, Monday 00:30 KST is still Sunday of W47.
    utc = json.loads(run_cli({**env, "DIGEST_TIMEZONE": "UTC"}, "--dry-run", "--json",
                             "--week", "2026-W47").stdout)
    assert (utc["timezone"], utc["unknown"]) == ("UTC", 2)
    bad_zone = run_cli({**env, "DIGEST_TIMEZONE": "Seoul"}, "--dry-run")
    assert bad_zone.returncode == 2
    assert bad_zone.stderr.strip() == ("troubleshoot-bot digest: DIGEST_TIMEZONE must be an IANA "
                                       "time zone like Asia/Seoul, got 'Seoul'")


# ----- the schedule

def subscribe(url: str, channel: str, created_at: datetime, **schedule: object) -> None:
    with engine_for(url).begin() as conn:
        conn.execute(insert(SUBSCRIPTIONS).values(channel=channel, workspace="T1",
                                                  created_at=created_at, **schedule))


def test_missed_schedule_is_caught_up_once(env: dict[str, str], slack: FakeSlackAPI,
                                           seeded_url: str) -> None:
    engine, client = engine_for(seeded_url), slack_client()
    subscribe(seeded_url, "C1", kst(11, 11))  # Monday 09:00 Asia/Seoul, subscribed in W46

    # The worker was down on Monday 2026-11-23 09:00 KST and comes back on Wednesday.
    back = kst(11, 25, 10)
    first = run_due_digests(engine, client, back, worker="w1")
    assert [(o.status, o.week) for o in first] == [("posted", "2026-W47")]  # not W46 too
    assert run_due_digests(engine, client, back + timedelta(minutes=1), worker="w2") == []
    assert run_due_digests(engine, client, kst(11, 30, 8, 59), worker="w1") == []
    assert len(slack.calls_to("chat.postMessage")) == 1

    # Down for three weeks: only the latest missed week is posted, not a backlog.
    later = run_due_digests(engine, client, kst(12, 16, 12), worker="w1")
    assert [(o.status, o.week) for o in later] == [("posted", "2026-W50")]
    assert len(slack.calls_to("chat.postMessage")) == 2


def test_the_worker_posts_a_workspace_digest_without_private_channels(
        env: dict[str, str], slack: FakeSlackAPI, seeded_url: str) -> None:
    """The worker hands the front end's privacy lookup to the poster: a weekly channel with a
    workspace scope gets C1's incidents (public) and not C2's (private, in this workspace)."""
    from bot.cli import channel_privacy

    slack.add_channel("C2", private=True)
    engine, client = engine_for(seeded_url), slack_client()
    subscribe(seeded_url, "C9", kst(11, 11), scope="workspace")
    [outcome] = run_due_digests(
        engine, client, kst(11, 23, 10), worker="w1",
        privacy=lambda workspace, reader: channel_privacy(client, seeded_url, workspace,
                                                          reader))
    assert outcome.status == "posted"
    [post] = slack.calls_to("chat.postMessage")
    assert post.args["channel"] == "C9"
    text = json.dumps(post.args["blocks"], ensure_ascii=False)
    assert "Errors reported*\\n9 " in text  # W47's 10 minus the one in C2
    assert "<#C1>" in text and "C2" not in text
    asked = {call.args.get("channel") for call in slack.calls_to("conversations.info")}
    assert {"C1", "C2"} <= asked  # Slack was asked, and the answers are kept for next time


def test_due_time_follows_weekday_time_and_zone() -> None:
    friday = Schedule(weekday=4, time_of_day="17:30", timezone="Europe/Berlin")
    assert friday.due_at(W47) == datetime(2026, 11, 27, 16, 30, tzinfo=UTC)
    assert friday.latest_due(datetime(2026, 11, 27, 16, 29, tzinfo=UTC)) == IsoWeek(2026, 46)
    assert friday.latest_due(datetime(2026, 11, 27, 16, 30, tzinfo=UTC)) == W47
    monday = Schedule()
    # Monday 09:00 KST is Monday 00:00 UTC.
    assert monday.due_at(W47) == datetime(2026, 11, 23, 0, 0, tzinfo=UTC)
    assert monday.next_due(datetime(2026, 11, 25, tzinfo=UTC)) == datetime(2026, 11, 30,
                                                                          tzinfo=UTC)


def test_subscribing_after_the_due_time_does_not_post_that_week(
        env: dict[str, str], slack: FakeSlackAPI, seeded_url: str) -> None:
    subscribe(seeded_url, "C1", kst(11, 24, 15))  # Tuesday of W48, after Monday's due time
    assert run_due_digests(engine_for(seeded_url), slack_client(), kst(11, 25)) == []
    assert slack.calls_to("chat.postMessage") == []


# What the worker tells its operator on stderr, by language: a Korean team runs it too.
WORKER_LINES = {
    "en": (r"troubleshoot-bot worker \S+: checking digests every 1s, deployments every \d+s",
           r"digest \d{4}-W\d\d for C9: posted", r"troubleshoot-bot worker \S+: stopped"),
    "ko": (r"troubleshoot-bot worker \S+: 요약은 1초마다, 배포는 \d+초마다 확인합니다",
           r"\d{4}-W\d\d 요약을 C9 채널에 게시했습니다",
           r"troubleshoot-bot worker \S+: 멈췄습니다"),
}


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_worker_posts_due_digests_and_stops_on_sigterm(env: dict[str, str], slack: FakeSlackAPI,
                                                       seeded_url: str, lang: str) -> None:
    """Its start, each digest it posts and its stop, in BOT_LANGUAGE (they were English to a
    Korean team); the English lines as they always read."""
    subscribe(seeded_url, "C9", datetime(2020, 1, 1, tzinfo=UTC), weekday=0,
              time_of_day="00:00", timezone="UTC")
    worker = subprocess.Popen([sys.executable, "-m", "bot", "worker"],
                              env={**env, "DIGEST_WORKER_INTERVAL_S": "1", "BOT_LANGUAGE": lang},
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        slack.wait_for("chat.postMessage", timeout=60)
    finally:
        worker.send_signal(signal.SIGTERM)
        _out, err = worker.communicate(timeout=30)
    assert worker.returncode == 0, err
    assert "Traceback" not in err
    assert [pattern for pattern in WORKER_LINES[lang]
            if not any(re.fullmatch(pattern, line) for line in err.splitlines())] == [], err
    assert len(slack.calls_to("chat.postMessage")) == 1
    assert [run.status for run in runs(seeded_url)] == ["posted"]


def test_an_uninitialised_database_is_named_and_not_created(tmp_path: Path) -> None:
    missing = tmp_path / "never-migrated.db"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{missing}", "BOT_LANGUAGE": "en"}
    done = run_cli(env, "--dry-run")
    assert done.returncode == 1
    assert "database not initialised: run `troubleshoot-bot db upgrade`" in done.stderr
    korean = run_cli({**env, "BOT_LANGUAGE": "ko"}, "--dry-run")
    assert "데이터베이스가 아직 준비되지 않았습니다" in korean.stderr
    assert not missing.exists()  # a preview must not leave an empty database behind


def test_dry_run_of_a_workspace_digest_learns_privacy_from_slack_or_the_records(
        env: dict[str, str], slack: FakeSlackAPI, seeded_url: str) -> None:
    """The privacy lookup comes from the command line's front end (bot.cli.channel_privacy),
    not from an import of bot.slack inside the digest; without a token, from the records."""
    from bot.digest.schedule import Schedule as DigestSchedule
    from bot.digest.scope import WORKSPACE, DigestScope
    from bot.digest.subscriptions import subscribe

    subscribe(engine_for(seeded_url), workspace="T0000TEST", channel="CWEEKLY", user="U1",
              language="en", schedule=DigestSchedule(), scope=DigestScope(WORKSPACE))
    with_slack = run_cli(env, "--dry-run", "--channel", "CWEEKLY", "--week", "2026-W47")
    assert with_slack.returncode == 0, with_slack.stderr
    assert "channel privacy from Slack" in with_slack.stderr
    assert slack.calls_to("conversations.info")  # asked of Slack, as the post will
    without = run_cli({**env, "SLACK_BOT_TOKEN": ""}, "--dry-run", "--channel", "CWEEKLY",
                      "--week", "2026-W47")
    assert without.returncode == 0, without.stderr
    assert "channel privacy from the bot's records" in without.stderr


def test_the_posted_digest_links_each_incident_number_to_its_thread(
        env: dict[str, str], slack: FakeSlackAPI, seeded_url: str) -> None:
    """Top problems name their incidents of the week and unknown errors theirs, each linked to
    its thread (Slack's permalink from auth.test's workspace URL); only incidents of the
    channels the digest covers are named at all."""
    from sqlalchemy import text

    with engine_for(seeded_url).begin() as conn:  # the threads the answers started
        threads = {row.id: (row.channel, f"1763300000.{row.id:06d}") for row in conn.execute(
            text("SELECT id, channel FROM incidents WHERE channel IS NOT NULL"))}
        for number, (_channel, ts) in threads.items():
            conn.execute(text("UPDATE incidents SET thread_ts = :ts WHERE id = :id"),
                         {"ts": ts, "id": number})
    result = run_cli(env, "--channel", "C1", "--week", "2026-W47")
    assert result.returncode == 0, result.stderr
    [post] = slack.calls_to("chat.postMessage")
    shown = json.dumps(post.args["blocks"], ensure_ascii=False)
    linked = {int(number) for number in re.findall(r"\|#(\d+)>", shown)}
    assert linked and all(threads[number][0] == "C1" for number in linked)
    for number in linked:
        channel, ts = threads[number]
        assert (f"<https://test.slack.com/archives/{channel}/p{ts.replace('.', '')}|#{number}>"
                in shown)
    c2 = {number for number, (channel, _ts) in threads.items() if channel == "C2"}
    assert not any(f"#{number}" in shown for number in c2)  # another channel's: not named
    # The unknown error's sample carries its incident's number too.
    digest = json.loads(run_cli(env, "--dry-run", "--json", "--channel", "C1",
                                "--week", "2026-W47").stdout)
    assert set(digest["unknown_sample_incidents"]) <= linked
    assert {n for entry in digest["top_entries"] for n in entry["incidents"]} <= linked


def test_a_korean_team_reads_the_digest_commands_notes_and_errors_in_korean(
        env: dict[str, str], seeded_url: str) -> None:
    korean = {**env, "BOT_LANGUAGE": "ko"}
    preview = run_cli(korean, "--dry-run", "--week", "2026-W47")
    assert preview.returncode == 0, preview.stderr
    assert preview.stderr.strip().startswith("(미리보기: 비공개 채널을 포함한 모든 채널입니다.")
    posted = run_cli(korean, "--channel", "C1", "--week", "2026-W47")
    assert posted.returncode == 0, posted.stderr
    assert posted.stdout.startswith("2026-W47 요약을 C1 채널에 게시했습니다 (ts ")
    again = run_cli(korean, "--channel", "C1", "--week", "2026-W47")
    assert again.stdout.startswith("2026-W47 요약은 이미 C1 채널에 게시되었습니다 (ts ")
    refused = run_cli(korean)
    assert refused.returncode == 2
    assert refused.stderr.strip() == ("troubleshoot-bot digest: 게시하려면 `--channel C`가 "
                                      "필요합니다(요약만 보려면 `--dry-run`)")
