"""The log-source plug-in point: LOG_SOURCES picks registered sources in lookup order, an unknown
name stops the server at start, and the set-up is checked before anything is posted."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from slack_sdk import WebClient

from bot.logs import resolver as resolver_module
from bot.logs.resolver import Resolver, default_resolver
from bot.logs.service import LogRequest
from bot.logs.source import FetchedLogs, LogSource, ServiceNotFound
from bot.logs.sources import (
    DEFAULT_LOG_SOURCES,
    SOURCES,
    UnknownLogSource,
    source_names,
)
from bot.slack.listeners.logs import run_fetch
from tests.support.slack_api import FakeSlackAPI


class InMemorySource:
    """A third backend as a team would add one: the four members of the protocol, no SDK."""

    def __init__(self, name: str, logs: dict[str, str]) -> None:
        self.name = name
        self.logs = logs

    def exists(self, target: str) -> bool:
        return target in self.logs

    def list_names(self) -> list[str]:
        return list(self.logs)

    def fetch(self, target: str, *, lines: int, init: bool) -> FetchedLogs:
        text = "\n".join(self.logs[target].splitlines()[-lines:])
        return FetchedLogs(text, state="Running", error=None, backend=self.name, target=target)


def test_a_source_is_four_members() -> None:
    assert isinstance(InMemorySource("k8s", {}), LogSource)


@pytest.mark.parametrize(("value", "expected"), [
    (None, DEFAULT_LOG_SOURCES), ("", DEFAULT_LOG_SOURCES),
    ("azureml-v1,azureml-v2", ("azureml-v1", "azureml-v2")),
    ("AzureML-v2", ("azureml-v2",)), ("azureml-v2, azureml-v2", ("azureml-v2",)),
])
def test_log_sources_setting(value: str | None, expected: tuple[str, ...],
                             monkeypatch: pytest.MonkeyPatch) -> None:
    if value is None:
        monkeypatch.delenv("LOG_SOURCES", raising=False)
    else:
        monkeypatch.setenv("LOG_SOURCES", value)
    assert source_names() == expected
    assert DEFAULT_LOG_SOURCES == ("azureml-v2", "azureml-v1")


def test_an_unknown_source_is_named_with_the_known_ones() -> None:
    with pytest.raises(UnknownLogSource) as raised:
        source_names("azureml-v2,kubernetes")
    assert "kubernetes" in str(raised.value)
    assert all(name in str(raised.value) for name in SOURCES)


def test_the_first_source_in_order_that_has_the_name_fetches_it() -> None:
    one = InMemorySource("one", {"shared": "from one", "only-one": "x"})
    two = InMemorySource("two", {"shared": "from two", "only-two": "y"})
    assert Resolver([one, two]).fetch("shared", lines=10, init=False).backend == "one"
    assert Resolver([two, one]).fetch("shared", lines=10, init=False).backend == "two"
    assert Resolver([one, two]).fetch("only-two", lines=10, init=False).text == "y"
    with pytest.raises(ServiceNotFound) as raised:
        Resolver([one, two]).fetch("only-tw", lines=10, init=False)
    assert raised.value.suggestions[0] == "only-two"  # the closest names of every source


def test_log_sources_builds_the_named_sources_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {"AZURE_SUBSCRIPTION_ID": "sub", "AZURE_RESOURCE_GROUP": "rg",
                        "AZUREML_WORKSPACE_NAME": "ws", "AZURE_TENANT_ID": "t",
                        "AZURE_CLIENT_ID": "c", "AZURE_CLIENT_SECRET": "s"}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(resolver_module, "_cached", {})  # a fresh process's cache
    monkeypatch.setenv("LOG_SOURCES", "azureml-v1,azureml-v2")
    assert [source.name for source in default_resolver().sources] == ["azureml-v1",
                                                                       "azureml-v2"]
    monkeypatch.setenv("LOG_SOURCES", "azureml-v2")
    assert [source.name for source in default_resolver().sources] == ["azureml-v2"]


def test_serve_refuses_to_start_with_an_unknown_log_source(tmp_path: Path) -> None:
    env = {**os.environ, "LOG_SOURCES": "azureml-v2,azureml-v3", "BOT_LANGUAGE": "en",
           "SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": "secret",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'bot.db'}"}
    done = subprocess.run([str(Path(sys.executable).parent / "troubleshoot-bot"), "serve",
                           "--port", "0"], env=env, cwd=tmp_path, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 2
    assert ("LOG_SOURCES must be known log sources, comma-separated (azureml-v2, azureml-v1), "
            "got 'azureml-v3'") in done.stderr
    assert "Traceback" not in done.stderr


def test_without_azure_set_up_nothing_is_posted_and_the_user_gets_a_reference(
        migrated_database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    for name in [name for name in os.environ if name.startswith(("AZURE", "AZUREML"))]:
        monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)  # no workspace config.json here either
    monkeypatch.setenv("LOGS_ALLOWED_CHANNELS", "CLOGS")
    refusals: list[str] = []
    request = LogRequest(workspace="T1", user="U1", channel="CLOGS", target="churn-scorer",
                         lang="ko")
    with FakeSlackAPI() as slack, caplog.at_level(logging.WARNING):
        run_fetch(WebClient(token="xoxb-test", base_url=slack.api_url), request,
                  database_url=migrated_database_url, refuse=refusals.append)
        assert slack.calls == []  # not even "fetching…" in the channel
    [refusal] = refusals
    assert "봇에 로그 가져오기 설정이 아직 되어 있지 않습니다" in refusal
    assert "AZURE" not in refusal and "config.json" not in refusal
    reference = refusal.split("`")[-2]
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert reference in logged and "AZURE_SUBSCRIPTION_ID" in logged  # for the bot's admin
