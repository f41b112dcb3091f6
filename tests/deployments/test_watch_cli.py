"""`troubleshoot-bot deployments watch / check` end to end: the real command, the real Azure
SDKs against the Azure stand-in over HTTPS, the Slack Web API stand-in, a real database."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.deployments.conftest import (
    INIT_FAILURE_LOG,
    PLANTED_SECRETS,
    WATCHING,
    Bot,
    everything_sent,
    top_level_posts,
)
from tests.support.azure_standin import AzureStandin
from tests.support.slack_api import FakeSlackAPI

pytestmark = pytest.mark.slow  # each check is a cold start of both Azure SDKs


def sql(database_url: str, query: str) -> list[tuple]:
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(text(query))]
    finally:
        engine.dispose()


def test_a_deployment_switching_to_failed_is_diagnosed_and_posted_once_per_episode(
        bot: Bot, azure: AzureStandin, slack: FakeSlackAPI, sqlite_url: str) -> None:
    watched = bot.run("deployments", "watch", "--channel", WATCHING, "--match", "credit-*")
    assert f"{WATCHING} now watches deployments matching credit-*" in watched.stdout

    assert bot.check_json() == []  # all healthy: nothing to say
    assert slack.calls_to("chat.postMessage") == []

    azure.update_deployment("credit-ep", "green", state="Failed", logs=INIT_FAILURE_LOG)
    azure.update_service("churn-scorer", state="Unhealthy")  # not watched here
    outcomes = bot.check_json()
    assert [(o["name"], o["status"], o["channels"]) for o in outcomes] == [
        ("credit-ep/green", "posted", [WATCHING])]

    [card] = top_level_posts(slack, WATCHING)
    shown = str(card.args)
    assert "credit-ep/green" in shown and "Failed" in shown  # names the deployment
    assert "function-fails-get_model_path" in shown  # the diagnosis of its log
    assert "Model not found in cache or in root" in shown  # ... with the line showing it
    upload = slack.wait_for("files.completeUploadExternal")[0]
    assert upload.args.get("channel_id") == WATCHING
    [card_ts] = [ts for (channel, ts), message in slack.messages.items()
                 if channel == WATCHING and "thread_ts" not in message]
    assert upload.args.get("thread_ts") == card_ts  # the log in the card's thread
    uploaded = "\n".join(data.decode() for data in slack.uploads.values())
    assert "Model not found in cache or in root" in uploaded and "[REDACTED" in uploaded
    sent = everything_sent(slack)
    for secret in (*PLANTED_SECRETS, "test-sp-secret-value"):
        assert secret not in sent

    incidents = sql(sqlite_url,
                    "SELECT service, entry_id, channel FROM incidents")
    assert incidents == [("credit-ep/green", "function-fails-get_model_path", WATCHING)]
    assert sql(sqlite_url, "SELECT source FROM occurrences") == [("deploy",)]
    assert sql(sqlite_url, "SELECT \"user\", target, outcome FROM log_fetches") == [
        ("deployments-watch", "credit-ep/green", "ok")]

    # Fixed, then broken again by the next update: a new episode, a new post. (The same
    # failure on later cycles posts nothing: see the worker's test below.)
    azure.update_deployment("credit-ep", "green", state="Succeeded")
    azure.update_deployment("credit-ep", "green", state="Failed")
    assert [o["status"] for o in bot.check_json()] == ["posted"]
    assert len(top_level_posts(slack, WATCHING)) == 2


def test_three_concurrent_checks_post_each_failure_once(
        bot_on_each_database: Bot, azure: AzureStandin, slack: FakeSlackAPI) -> None:
    bot = bot_on_each_database
    bot.run("deployments", "watch", "--channel", WATCHING)
    azure.update_deployment("credit-ep", "green", state="Failed", logs=INIT_FAILURE_LOG)
    azure.update_service("churn-scorer", state="Unhealthy", logs=INIT_FAILURE_LOG,
                         error={"code": "ContainerCrash", "message": "init() failed"})

    checks = [bot.start("deployments", "check") for _ in range(3)]
    results = [check.communicate(timeout=180) for check in checks]
    assert [check.returncode for check in checks] == [0, 0, 0], results

    posts = top_level_posts(slack, WATCHING)
    named = sorted(next(name for name in ("credit-ep/green", "churn-scorer")
                        if name in str(post.args)) for post in posts)
    assert named == ["churn-scorer", "credit-ep/green"]  # one post per failure, not three
    printed = "".join(out for out, _err in results)
    assert printed.count("posted in") == 2


def test_azure_down_or_slow_posts_nothing_and_the_next_cycle_reports(
        bot: Bot, azure: AzureStandin, slack: FakeSlackAPI) -> None:
    bot.env["LOGS_TIMEOUT_S"] = "4"
    bot.run("deployments", "watch", "--channel", WATCHING)
    azure.update_deployment("credit-ep", "green", state="Failed", logs=INIT_FAILURE_LOG)

    azure.hang_paths.append("/getLogs")  # the listing answers, the logs never come
    slow = bot.run("deployments", "check", check=False)
    assert slow.returncode == 1, slow.stdout + slow.stderr
    assert "credit-ep/green: azure unavailable" in slow.stdout
    assert top_level_posts(slack, WATCHING) == []

    azure.hang_paths.clear()
    assert [o["status"] for o in bot.check_json()] == ["posted"]
    assert len(top_level_posts(slack, WATCHING)) == 1


def test_unwatch_stops_the_posts(bot: Bot, azure: AzureStandin, slack: FakeSlackAPI) -> None:
    bot.run("deployments", "watch", "--channel", WATCHING)
    assert bot.run("deployments", "list").stdout == f"{WATCHING}\t*\n"
    assert "no longer watches" in bot.run("deployments", "unwatch", "--channel",
                                          WATCHING).stdout
    azure.update_deployment("credit-ep", "green", state="Failed")
    before = len(azure.azure_requests())
    assert bot.check_json() == []
    assert len(azure.azure_requests()) == before  # nobody watches: Azure is not even asked
    assert slack.calls_to("chat.postMessage") == []


def test_bad_arguments_get_one_line(bot: Bot) -> None:
    done = bot.run("deployments", "watch", "--channel", "C1", "--match", "a b;rm", check=False)
    assert done.returncode == 2 and "not a usable pattern" in done.stderr
    assert "Traceback" not in done.stderr
    done = bot.run("deployments", "watch", "--channel", "#bad channel", check=False)
    assert done.returncode == 2 and "Slack channel id" in done.stderr



def wait_until(condition, timeout: float = 60) -> None:  # type: ignore[no-untyped-def]
    """Until the worker (another process) has written what `condition` reads."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)  # the worker's writes raise no event this process could wait on


def test_the_worker_runs_the_watch_every_interval(
        bot: Bot, azure: AzureStandin, slack: FakeSlackAPI, sqlite_url: str) -> None:
    bot.run("deployments", "watch", "--channel", WATCHING)
    azure.update_deployment("credit-ep", "green", state="Failed", logs=INIT_FAILURE_LOG)
    bot.env["DEPLOY_WATCH_INTERVAL_S"] = "2"
    worker = bot.start("worker")

    def card_in(channel: str):  # type: ignore[no-untyped-def]
        return lambda call: call.args.get("channel") == channel and not call.args.get("thread_ts")

    try:
        first = slack.wait_for("chat.postMessage", 1, timeout=120, predicate=card_in(WATCHING))
        assert "credit-ep/green" in str(first[0].args)
        # A failure that happens while the worker runs is found by a later cycle.
        azure.update_service("churn-scorer", state="Failed", logs=INIT_FAILURE_LOG)
        second = slack.wait_for("chat.postMessage", 2, timeout=60, predicate=card_in(WATCHING))
        assert "churn-scorer" in str(second[1].args)
        # The container comes back by itself and crashes again, with no update in between
        # (its updatedTime is the same): a new episode, posted once more.
        azure.update_service("churn-scorer", state="Healthy", touch=False)
        wait_until(lambda: sql(sqlite_url, "SELECT count(*) FROM deployment_reports WHERE "
                               "resource = 'azureml-v1:churn-scorer' AND recovered_at IS NOT "
                               "NULL") == [(1,)])
        azure.update_service("churn-scorer", state="Unhealthy", touch=False)
        third = slack.wait_for("chat.postMessage", 3, timeout=60, predicate=card_in(WATCHING))
        assert "churn-scorer" in str(third[2].args)
    finally:
        worker.terminate()  # SIGTERM: the worker finishes its round and exits
        _out, err = worker.communicate(timeout=60)
    assert worker.returncode == 0, err[-2000:]
    assert "deployments every 2s" in err
    assert f"deployment credit-ep/green: posted in {WATCHING}\n" in err
    assert len(top_level_posts(slack, WATCHING)) == 3  # each episode once, however many cycles
    assert sorted(row[0] for row in sql(sqlite_url, "SELECT episode FROM deployment_reports "
                                        "WHERE resource = 'azureml-v1:churn-scorer'")) == [
        "2026-11-25T09:00:01+00:00", "2026-11-25T09:00:01+00:00#1"]


def test_the_worker_tells_a_korean_operator_what_it_posted_in_korean(
        bot: Bot, azure: AzureStandin, slack: FakeSlackAPI) -> None:
    """Its start, each alert it posts and its stop were English lines on a Korean team's
    terminal."""
    bot.run("deployments", "watch", "--channel", WATCHING)
    azure.update_deployment("credit-ep", "green", state="Failed", logs=INIT_FAILURE_LOG)
    bot.env.update(DEPLOY_WATCH_INTERVAL_S="2", BOT_LANGUAGE="ko")
    worker = bot.start("worker")
    try:
        slack.wait_for("chat.postMessage", 1, timeout=120,
                       predicate=lambda call: call.args.get("channel") == WATCHING)
    finally:
        worker.terminate()  # the round that posted finishes, and says so
        _out, err = worker.communicate(timeout=60)
    assert worker.returncode == 0, err[-2000:]
    lines = err.splitlines()
    assert any(re.search(r": 요약은 \d+초마다, 배포는 2초마다 확인합니다$", line)
               for line in lines), err
    assert f"배포 credit-ep/green: {WATCHING} 채널에 알렸습니다" in lines, err
    assert any(line.endswith(": 멈췄습니다") for line in lines), err


def test_a_channel_outside_the_logs_policy_gets_the_failure_without_the_logs(
        bot: Bot, azure: AzureStandin, slack: FakeSlackAPI, sqlite_url: str) -> None:
    elsewhere = "CNOLOGS001"  # not in LOGS_ALLOWED_CHANNELS
    bot.run("deployments", "watch", "--channel", elsewhere, "--lang", "ko")
    azure.update_service("churn-scorer", state="Unhealthy", logs=INIT_FAILURE_LOG, error={
        "code": "ContainerCrash", "message": "Your container application crashed."})
    assert [o["status"] for o in bot.check_json()] == ["posted"]

    [card] = top_level_posts(slack, elsewhere)
    shown = str(card.args)
    assert "배포 `churn-scorer` 실패" in shown and "ContainerCrash" in shown
    assert "LOGS_ALLOWED_CHANNELS" in shown  # says why there are no logs
    assert "Model not found" not in everything_sent(slack)  # no log line, no upload
    assert slack.calls_to("files.getUploadURLExternal") == []
    assert not any("/logs" in r.path for r in azure.requests)  # the logs were not even fetched
    assert sql(sqlite_url, "SELECT service, channel FROM incidents") == [
        ("churn-scorer", elsewhere)]


def test_a_service_a_logs_policy_rule_keeps_for_one_team_is_named_only_to_that_team(
        bot_on_each_database: Bot, azure: AzureStandin, slack: FakeSlackAPI,
        tmp_path: Path) -> None:
    """A rule of LOGS_POLICY_FILE keeps `churn-*` for its team's channel: the Fetch-logs list
    never names it elsewhere (round 9). The deployments watch did: anyone could type
    `/troubleshoot deployments watch on` in any channel and read there, for every failure of
    a kept service, its name, Azure's error and an incident. Now the failure goes only to
    the rule's channels; a service no rule names still goes everywhere it is watched."""
    bot = bot_on_each_database
    team, elsewhere = "CCHURNTEAM", "CNOLOGS001"
    policy = tmp_path / "logs-policy.yaml"
    policy.write_text(f'rules:\n  - services: ["churn-*"]\n    channels: [{team}]\n',
                      encoding="utf-8")
    bot.env.update(LOGS_POLICY_FILE=str(policy), LOGS_ALLOWED_CHANNELS=f"{WATCHING},{team}")
    for channel in (WATCHING, team, elsewhere):
        bot.run("deployments", "watch", "--channel", channel)
    azure.update_service("churn-scorer", state="Unhealthy", logs=INIT_FAILURE_LOG, error={
        "code": "ContainerCrash", "message": "Your container application crashed."})
    azure.update_deployment("credit-ep", "green", state="Failed", logs=INIT_FAILURE_LOG)

    outcomes = {o["name"]: o for o in bot.check_json()}
    assert outcomes["churn-scorer"]["status"] == "posted"
    assert outcomes["churn-scorer"]["channels"] == [team]
    assert sorted(outcomes["credit-ep/green"]["channels"]) == sorted([WATCHING, team, elsewhere])
    for channel in (WATCHING, elsewhere):
        said = str([call.args for call in slack.calls if call.args.get("channel") == channel])
        assert "credit-ep/green" in said
        assert "churn-scorer" not in said and "ContainerCrash" not in said
    assert "churn-scorer" in str([post.args for post in top_level_posts(slack, team)])


def test_a_slack_connect_channel_is_not_shown_a_public_channels_fix(
        bot_on_each_database: Bot, azure: AzureStandin, slack: FakeSlackAPI,
        migrated_database_url: str) -> None:
    """A failure posted to a watching Slack Connect channel (read by another organisation)
    cites no other channel's incident: a public channel's resolution of the same failure is
    public to this workspace's members only."""
    bot, sqlite_url = bot_on_each_database, migrated_database_url
    connect = "CCONNECT01"
    slack.add_channel(connect, ext_shared=True)
    bot.env["LOGS_ALLOWED_CHANNELS"] = f"{WATCHING},{connect}"  # both get the diagnosis
    bot.run("deployments", "watch", "--channel", WATCHING, "--match", "credit-*")
    azure.update_deployment("credit-ep", "green", state="Failed", logs=INIT_FAILURE_LOG)
    assert [o["status"] for o in bot.check_json()] == ["posted"]
    [(incident_id,)] = sql(sqlite_url, "SELECT id FROM incidents")
    bot.run("incidents", "resolve", str(incident_id), "--note",
            "restored the model from the internal mirror")

    bot.run("deployments", "unwatch", "--channel", WATCHING)
    bot.run("deployments", "watch", "--channel", connect, "--match", "credit-*")
    azure.update_deployment("credit-ep", "green", state="Succeeded")
    azure.update_deployment("credit-ep", "green", state="Failed")
    assert [o["channels"] for o in bot.check_json()] == [[connect]]
    posted = str([call.args for call in slack.calls if call.args.get("channel") == connect])
    assert "function-fails-get_model_path" in posted  # the diagnosis itself is there
    assert "internal mirror" not in posted and f"#{incident_id}" not in posted, posted
