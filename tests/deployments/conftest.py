"""Fixtures for the deployments tests: the Azure stand-in (a workspace whose deployments can
fail), the Slack Web API stand-in, and the real `troubleshoot-bot` command pointed at both."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO_ROOT
from tests.logs.conftest import INIT_FAILURE_LOG, PLANTED_SECRETS, SCRUBBED_ENV, sdk_env
from tests.support.azure_standin import AzureStandin, V2Deployment
from tests.support.cli import Result, run_cli
from tests.support.slack_api import FakeSlackAPI
from tests.support.warm_python import Completed, WarmChild, warm_python

__all__ = ["INIT_FAILURE_LOG", "PLANTED_SECRETS", "Bot", "everything_sent"]

WATCHING = "CDEPLOYS01"  # the channel watching deployments; logs may be fetched there


@pytest.fixture
def azure(tmp_path: Path) -> Iterator[AzureStandin]:
    """A workspace that is healthy to begin with: an online endpoint with two deployments and
    a v1 web service."""
    with AzureStandin(tmp_path) as standin:
        standin.add_endpoint("credit-ep", {
            "blue": V2Deployment("blue", logs="2026-11-25 INFO blue: serving\n"),
            "green": V2Deployment("green", logs="2026-11-25 INFO green: serving\n"),
        }, traffic={"blue": 10, "green": 90})
        standin.add_service("churn-scorer", logs="2026-11-25 INFO ready\n", state="Healthy")
        yield standin


@pytest.fixture
def slack() -> Iterator[FakeSlackAPI]:
    with FakeSlackAPI() as fake:
        yield fake


@dataclass
class Bot:
    """`troubleshoot-bot` as an operator runs it, against the stand-ins."""

    env: dict[str, str]

    def run(self, *args: str, check: bool = True) -> Result | Completed:
        """One command run to its end. Commands that only touch the database (`watch`,
        `unwatch`, `list`) run in this process (`tests/support/cli.py`); `check` reaches Azure
        and runs in a process of its own, forked from a warm one (tests/support/warm_python.py):
        the Azure SDKs keep what they first read of the cloud (authority, metadata) for the
        life of a process, and every test has its own stand-in on its own port, so a second
        test in this process would call the first one's."""
        done: Result | Completed
        if args[:2] == ("deployments", "check"):
            done = warm_python().run("bot", list(args), env=self.env, cwd=REPO_ROOT)
        else:
            scrubbed: dict[str, str | None] = dict.fromkeys(SCRUBBED_ENV)
            done = run_cli(args, env={**scrubbed, **self.env}, cwd=REPO_ROOT)
        if check:
            assert done.returncode == 0, (done.stdout + done.stderr)[-4000:]
        return done

    def start(self, *args: str) -> WarmChild:
        """A command started, in a process of its own forked from the warm one, running side by
        side with others (checks racing each other, the worker)."""
        return warm_python().start("bot", list(args), env=self.env, cwd=REPO_ROOT)

    def check_json(self) -> list[dict[str, Any]]:
        done = self.run("deployments", "check", "--json")
        return [json.loads(line) for line in done.stdout.splitlines() if line.strip()]


def bot_env(azure: AzureStandin, slack: FakeSlackAPI, folder: Path, database_url: str,
            **extra: str) -> dict[str, str]:
    env = sdk_env(azure, folder, LOGS_ALLOWED_CHANNELS=WATCHING, DATABASE_URL=database_url,
                  SLACK_API_URL=slack.api_url, SLACK_BOT_TOKEN="xoxb-test", BOT_LANGUAGE="en",
                  LOGS_TIMEOUT_S="20")
    env.update(extra)
    return env


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A migrated SQLite file: for scenarios whose point is not the database (each one costs
    several cold starts of the Azure SDKs). The race runs on both databases."""
    from bot.storage.migrations import upgrade

    url = f"sqlite:///{tmp_path / 'bot.db'}"
    upgrade(url)
    return url


@pytest.fixture
def bot(azure: AzureStandin, slack: FakeSlackAPI, tmp_path: Path, sqlite_url: str) -> Bot:
    return Bot(bot_env(azure, slack, tmp_path, sqlite_url))


@pytest.fixture
def bot_on_each_database(azure: AzureStandin, slack: FakeSlackAPI, tmp_path: Path,
                         migrated_database_url: str) -> Bot:
    return Bot(bot_env(azure, slack, tmp_path, migrated_database_url))


def everything_sent(slack: FakeSlackAPI) -> str:
    parts = [json.dumps(call.args, ensure_ascii=False) + call.body.decode("utf-8", "replace")
             for call in slack.calls]
    parts += [data.decode("utf-8", "replace") for data in slack.uploads.values()]
    return "\n".join(parts)


def top_level_posts(slack: FakeSlackAPI, channel: str) -> list[Any]:
    return [call for call in slack.calls_to("chat.postMessage")
            if call.args.get("channel") == channel and not call.args.get("thread_ts")]


# ----- Azure Monitor notifications, as the common alert schema has them

def resource_id(endpoint: str, deployment: str | None = None) -> str:
    from tests.support.azure_standin import RESOURCE_GROUP, SUBSCRIPTION_ID, WORKSPACE

    rid = (f"/subscriptions/{SUBSCRIPTION_ID}/resourceGroups/{RESOURCE_GROUP}/providers/"
           f"Microsoft.MachineLearningServices/workspaces/{WORKSPACE}/onlineEndpoints/{endpoint}")
    return f"{rid}/deployments/{deployment}" if deployment else rid


def activity_log_alert(target: str, *, alert_guid: str, status: str = "Failed",
                       condition: str = "Fired") -> dict[str, Any]:
    """An activity-log alert on a deployment write, as Azure Monitor posts it (ids lower-cased,
    as Azure sends them for some alert types)."""
    from tests.support.azure_standin import SUBSCRIPTION_ID

    return {
        "schemaId": "azureMonitorCommonAlertSchema",
        "data": {
            "essentials": {
                "alertId": f"/subscriptions/{SUBSCRIPTION_ID}/providers/"
                           f"Microsoft.AlertsManagement/alerts/{alert_guid}",
                "alertRule": "ml-deployment-failed", "severity": "Sev2",
                "signalType": "Activity Log", "monitorCondition": condition,
                "monitoringService": "Activity Log - Administrative",
                "alertTargetIDs": [target.lower()],
                "configurationItems": [target.rsplit("/", 1)[-1]],
                "originAlertId": "0f0f0f0f-1111-2222-3333-444444444444",
                "firedDateTime": "2026-11-30T07:00:00.0000000Z",
                "description": "", "essentialsVersion": "1.0", "alertContextVersion": "1.0",
            },
            "alertContext": {
                "authorization": {"action": "Microsoft.MachineLearningServices/workspaces/"
                                            "onlineEndpoints/deployments/write",
                                  "scope": target},
                "channels": "Operation",
                "claims": '{"name": "alice@example.com"}',
                "caller": "alice@example.com",
                "correlationId": "5a5a5a5a-0000-1111-2222-333333333333",
                "eventSource": "Administrative",
                "eventTimestamp": "2026-11-30T06:59:58.0000000Z",
                "eventDataId": "6b6b6b6b-0000-1111-2222-333333333333",
                "level": "Error",
                "operationName": "Microsoft.MachineLearningServices/workspaces/"
                                 "onlineEndpoints/deployments/write",
                "operationId": "7c7c7c7c-0000-1111-2222-333333333333",
                "status": status, "subStatus": "",
                "submissionTimestamp": "2026-11-30T06:59:59.0000000Z",
            },
            "customProperties": None,
        },
    }


def metric_alert(target: str, *, alert_guid: str) -> dict[str, Any]:
    """A metric alert on an endpoint (e.g. too many 5xx answers)."""
    body = activity_log_alert(target, alert_guid=alert_guid)
    body["data"]["essentials"].update(signalType="Metric", monitoringService="Platform",
                                      alertRule="ml-endpoint-5xx")
    body["data"]["alertContext"] = {
        "properties": None, "conditionType": "SingleResourceMultipleMetricCriteria",
        "condition": {"windowSize": "PT5M", "allOf": [{
            "metricName": "RequestsPerMinute", "metricNamespace":
            "Microsoft.MachineLearningServices/workspaces/onlineEndpoints",
            "operator": "GreaterThan", "threshold": "10", "timeAggregation": "Total",
            "dimensions": [{"name": "statusCodeClass", "value": "5xx"}],
            "metricValue": 42.0}]}}
    return body
