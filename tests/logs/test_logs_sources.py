"""The logs domain with the real azureml-core and azure-ai-ml against the Azure stand-in.

Each scenario runs in a fresh interpreter (tests/logs/driver.py): both SDKs read their cloud
settings at import and cache them per process.
"""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import create_engine, text

from tests.logs.conftest import PLANTED_SECRETS, run_driver, sdk_env
from tests.support.azure_standin import AzureStandin


def audit_rows(database_url: str) -> list[tuple[object, ...]]:
    engine = create_engine(database_url)
    try:
        with engine.begin() as connection:
            return [tuple(row) for row in connection.execute(text(
                "SELECT \"user\", channel, target, backend, outcome, duration_ms, incident_id "
                "FROM log_fetches ORDER BY id"))]
    finally:
        engine.dispose()


def test_v1_service_log_is_diagnosed_redacted_audited_and_recorded(
        standin: AzureStandin, tmp_path: Path, migrated_database_url: str) -> None:
    [report] = run_driver(sdk_env(standin, tmp_path), migrated_database_url,
                          target="churn-scorer", lines=120)
    assert report["outcome"] == "ok" and report["backend"] == "azureml-v1"
    assert report["findings"][0] == "function-fails-get_model_path"
    assert report["state"] == "Unhealthy" and "ContainerCrash" in report["service_error"]
    everything = json.dumps(report)
    for secret in PLANTED_SECRETS:
        assert secret not in everything
    assert "AccountKey=[REDACTED" in report["log"]
    [row] = audit_rows(migrated_database_url)
    assert row[:5] == ("U1", "CLOGS", "churn-scorer", "azureml-v1", "ok")
    assert row[5] is not None and row[6] == report["incident_id"] is not None
    logs_call = [r for r in standin.requests if r.path.endswith("/services/churn-scorer/logs")]
    assert logs_call[0].query == {"tail": ["120"], "init": ["False"]}


def test_v2_endpoint_picks_the_deployment_with_most_traffic_and_reads_init_logs(
        standin: AzureStandin, tmp_path: Path, sqlite_database_url: str) -> None:
    env = sdk_env(standin, tmp_path)
    [report] = run_driver(env, sqlite_database_url, target="credit-ep", init=True)
    assert report["outcome"] == "ok" and report["target"] == "credit-ep/green"
    assert report["state"] == "Failed" and report["backend"] == "azureml-v2"
    assert "blob not found: models/credit/7/model.pkl" in report["log"]
    bodies = [json.loads(r.body) for r in standin.requests if r.path.endswith("/getLogs")]
    assert bodies == [{"containerType": "StorageInitializer", "tail": 200}]


def test_unknown_name_suggests_the_closest_existing_ones(
        standin: AzureStandin, tmp_path: Path, sqlite_database_url: str) -> None:
    [report] = run_driver(sdk_env(standin, tmp_path), sqlite_database_url,
                          target="credit-ep/gren")
    assert report["outcome"] == "not_found"
    assert report["suggestions"][0] == "credit-ep/green"


def test_401_from_the_token_endpoint_is_an_authentication_failure(
        standin: AzureStandin, tmp_path: Path, sqlite_database_url: str) -> None:
    standin.token_status = 401
    [report] = run_driver(sdk_env(standin, tmp_path), sqlite_database_url,
                          target="churn-scorer")
    assert report["outcome"] == "auth_failed"
    assert "refused the bot's credentials" in report["error"]
    assert "test-sp-secret-value" not in json.dumps(report)


def test_missing_workspace_is_named(standin: AzureStandin, tmp_path: Path,
                                    sqlite_database_url: str) -> None:
    env = sdk_env(standin, tmp_path, AZUREML_WORKSPACE_NAME="ws-gone")
    [report] = run_driver(env, sqlite_database_url, target="churn-scorer")
    assert report["outcome"] == "workspace_not_found"
    assert "workspace ws-gone was not found" in report["error"]


def test_500_on_the_logs_call_is_reported_as_an_azure_error(
        standin: AzureStandin, tmp_path: Path, sqlite_database_url: str) -> None:
    standin.log_status = 500
    [report] = run_driver(sdk_env(standin, tmp_path), sqlite_database_url,
                          target="credit-ep/blue")
    assert report["outcome"] == "backend_error"
    assert "internal error (HTTP 500)" in report["error"]


def test_unreachable_azure(standin: AzureStandin, tmp_path: Path,
                           sqlite_database_url: str) -> None:
    standin.take_azure_down()
    [report] = run_driver(sdk_env(standin, tmp_path), sqlite_database_url,
                          target="churn-scorer")
    assert report["outcome"] == "unreachable"
    assert "could not be reached" in report["error"]


def test_no_credentials_never_falls_back_to_interactive_login(
        standin: AzureStandin, tmp_path: Path, sqlite_database_url: str) -> None:
    env = sdk_env(standin, tmp_path)
    for name in ("AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET"):
        env.pop(name)
    [report] = run_driver(env, sqlite_database_url, target="churn-scorer")
    assert report["outcome"] == "auth_failed"
    assert "AZURE_CLIENT_SECRET" in report["error"]
    assert not standin.azure_requests()  # no login attempt of any kind


def test_hanging_logs_call_times_out_at_the_deadline(
        standin: AzureStandin, tmp_path: Path, sqlite_database_url: str) -> None:
    standin.hang_paths.append("/services/churn-scorer/logs")
    env = sdk_env(standin, tmp_path, LOGS_TIMEOUT_S="4")
    [report] = run_driver(env, sqlite_database_url, target="churn-scorer")
    assert report["outcome"] == "timeout" and report["error"] == "timed out after 4 s"
    assert audit_rows(sqlite_database_url)[0][4] == "timeout"


def test_rate_limit_and_channel_policy_are_checked_before_azure(
        standin: AzureStandin, tmp_path: Path, migrated_database_url: str) -> None:
    env = sdk_env(standin, tmp_path, LOGS_RATE_PER_MINUTE="2")
    reports = run_driver(env, migrated_database_url, target="fraud-api", repeat=3)
    assert [r["allowed"] for r in reports] == [True, True, False]
    assert "try again in a minute" in reports[2]["reason"]
    azure_calls = len(standin.azure_requests())

    env = sdk_env(standin, tmp_path, LOGS_ALLOWED_CHANNELS="")
    [refused] = run_driver(env, migrated_database_url, target="fraud-api", user="U2")
    assert refused == {"allowed": False, "reason": refused["reason"]}
    assert "not enabled" in refused["reason"]
    assert len(standin.azure_requests()) == azure_calls
    outcomes = [row[4] for row in audit_rows(migrated_database_url)]
    assert outcomes == ["ok", "ok", "rate_limited", "denied"]
