"""The deployments watch reads the logs policy file once per sweep: the real worker and the
real `deployments check` against the Azure stand-in, with the reads of the real policy file
counted by the kernel (tests/support/file_reads.py), not by anything of the bot's."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.deployments.conftest import INIT_FAILURE_LOG, WATCHING, Bot, top_level_posts
from tests.deployments.test_watch_cli import wait_until
from tests.support.azure_standin import AzureStandin
from tests.support.file_reads import FileReads, replace_text
from tests.support.slack_api import FakeSlackAPI

pytestmark = pytest.mark.slow  # real workers and checks: cold starts of both Azure SDKs

TEAM = "CCHURNTEAM"  # the team a policy rule keeps its `churn-*` services for; it watches none
FAILED = [f"churn-{number:02d}" for number in range(50)]
CRASHED = {"code": "ContainerCrash", "message": "Your container application crashed."}


def kept_for_the_team(*, except_for: str | None = None) -> str:
    """The policy: every `churn-*` service is the team's; `except_for` is named to WATCHING."""
    rules = ""
    if except_for:  # the first rule whose pattern matches decides
        rules += f'  - services: ["{except_for}"]\n    channels: [{WATCHING}]\n'
    rules += f'  - services: ["churn-*"]\n    channels: [{TEAM}]\n'
    return "rules:\n" + rules


def sweeps(azure: AzureStandin) -> int:
    """Sweeps run so far: each lists the workspace's web services once."""
    return sum(1 for request in azure.azure_requests()
               if request.method == "GET" and request.path.rstrip("/").endswith("/services"))


def policy_file(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "policy"  # a folder of its own: only the bot reads in it
    folder.mkdir()
    path = folder / "logs-policy.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def fail_all(azure: AzureStandin, names: list[str]) -> None:
    for name in names:
        azure.add_service(name, state="Unhealthy", logs=INIT_FAILURE_LOG, error=CRASHED)


def test_a_sweep_of_fifty_failures_reads_the_policy_once_and_the_next_sweep_reads_an_edit(
        bot: Bot, azure: AzureStandin, slack: FakeSlackAPI, tmp_path: Path) -> None:
    """Fifty failed deployments, all kept for a team that watches none of them: each sweep
    reads the policy file once (it used to read it once per failure, and again per channel
    for the logs). The admin then names one of them to the watching channel: the next sweep
    reads the edit, without a restart, and posts that one failure only."""
    policy = policy_file(tmp_path, kept_for_the_team())
    bot.env.update(LOGS_POLICY_FILE=str(policy), DEPLOY_WATCH_INTERVAL_S="2")
    bot.run("deployments", "watch", "--channel", WATCHING)
    fail_all(azure, FAILED)

    def card_in(channel: str) -> Any:
        return lambda call: call.args.get("channel") == channel and not call.args.get("thread_ts")

    with FileReads(policy) as reads:
        worker = bot.start("worker")
        try:
            wait_until(lambda: sweeps(azure) >= 2, timeout=180)
            assert top_level_posts(slack, WATCHING) == []  # all fifty kept for the team
            replace_text(policy, kept_for_the_team(except_for="churn-07"))
            [card] = slack.wait_for("chat.postMessage", 1, timeout=120,
                                    predicate=card_in(WATCHING))
            assert "churn-07" in str(card.args) and "ContainerCrash" in str(card.args)
        finally:
            worker.terminate()  # SIGTERM: the worker finishes its sweep and exits
            _out, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err[-2000:]
        assert reads.count() == sweeps(azure)  # one read per sweep, however many failures
    cards = top_level_posts(slack, WATCHING)
    assert [name for card in cards for name in FAILED if name in str(card.args)] == [
        "churn-07"]  # the other forty-nine stay the team's
    uploaded = "\n".join(data.decode() for data in slack.uploads.values())
    assert "Model not found in cache or in root" in uploaded  # its logs: the edit's rule too


def test_an_unreadable_policy_reads_once_and_keeps_the_whole_sweep_quiet(
        bot: Bot, azure: AzureStandin, slack: FakeSlackAPI, tmp_path: Path) -> None:
    policy = policy_file(tmp_path, 'rules:\n  - services: ["churn-*"\n')  # broken YAML
    bot.env.update(LOGS_POLICY_FILE=str(policy))
    bot.run("deployments", "watch", "--channel", WATCHING)
    fail_all(azure, FAILED[:3])
    azure.update_deployment("credit-ep", "green", state="Failed", logs=INIT_FAILURE_LOG)

    with FileReads(policy) as reads:
        outcomes = bot.check_json()
        assert reads.count() == 1
    assert sorted(o["name"] for o in outcomes) == sorted([*FAILED[:3], "credit-ep/green"])
    assert {o["status"] for o in outcomes} == {"kept by the logs policy"}
    assert {o["detail"] for o in outcomes} == {
        "the logs policy file cannot be read, so it is reported nowhere"}
    assert slack.calls_to("chat.postMessage") == []
    assert not any("/logs" in request.path for request in azure.requests)
