"""Fixtures for the logs tests: the Azure stand-in over HTTPS and the SDK environment for it."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO_ROOT
from tests.support.azure_standin import AzureStandin, V2Deployment
from tests.support.warm_python import warm_python

FIXTURES = Path(__file__).parent / "fixtures"
INIT_FAILURE_LOG = (FIXTURES / "init_failure.log").read_text(encoding="utf-8")
# The secrets planted in INIT_FAILURE_LOG: none may ever reach Slack or the database.
PLANTED_SECRETS = (
    "q1w2e3r4t5y6u7i8o9p0Zx1Cv2Bn3Mm4Ll5Kk6Jj7Hh8Gg9Ff0Dd1Ss2Aa3Qq4Ww5Ee6Rr7Tt8Yy9Uu0Ii==",
    "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789%2BabcdE%3D",
    "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL21sLmF6dXJlLmNvbSIsImV4cCI6MTcwMDAwMDAwMH0",
)
# What a cloud-agnostic SDK import would otherwise pick up from the developer's machine.
SCRUBBED_ENV = ("AZURE_CLIENT_CERTIFICATE_PATH", "AZURE_USERNAME", "AZURE_PASSWORD",
                "IDENTITY_ENDPOINT", "MSI_ENDPOINT", "AZUREML_CONFIG_PATH", "LOGS_POLICY_FILE")


@pytest.fixture
def standin(tmp_path: Path) -> Iterator[AzureStandin]:
    """The stand-in with a realistic workspace: two v1 services and one v2 endpoint."""
    with AzureStandin(tmp_path) as azure:
        azure.add_service("churn-scorer", logs=INIT_FAILURE_LOG, state="Unhealthy",
                          error={"code": "ContainerCrash", "message": "Your container "
                                 "application crashed. This may be caused by errors in your "
                                 "scoring file's init() function."})
        azure.add_service("fraud-api", logs="2026-11-25 INFO ready\n", state="Healthy")
        azure.add_endpoint("credit-ep", {
            "blue": V2Deployment("blue", logs="blue: serving\n"),
            "green": V2Deployment("green", logs=INIT_FAILURE_LOG, state="Failed",
                                  init_logs="storage-initializer: downloading model\nERROR: "
                                            "blob not found: models/credit/7/model.pkl\n"),
        }, traffic={"blue": 10, "green": 90})
        yield azure


def sdk_env(standin: AzureStandin, tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in SCRUBBED_ENV}
    env.update(standin.sdk_environment(tmp_path / "home"))
    env.update({"LOGS_ALLOWED_CHANNELS": "CLOGS", "PYTHONPATH": str(REPO_ROOT)})
    env.update(extra)
    return env


def run_driver(env: dict[str, str], database_url: str, **request: Any) -> list[dict[str, Any]]:
    """`python -m tests.logs.driver`, a process of its own forked from a warm one
    (tests/support/warm_python.py): the SDKs meet this test's stand-in for the first time."""
    spec = {"workspace": "T0000TEST", "user": "U1", "channel": "CLOGS", "lines": 200,
            **request, "database_url": database_url}
    done = warm_python().run("tests.logs.driver", [json.dumps(spec)], env=env, cwd=REPO_ROOT)
    assert done.returncode == 0, done.stderr[-4000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture
def sqlite_database_url(tmp_path: Path) -> str:
    """A migrated SQLite file, for scenarios whose point is the SDK, not the database (the
    audit and rate-limit tests run on both backends through migrated_database_url)."""
    from bot.storage.migrations import upgrade

    url = f"sqlite:///{tmp_path / 'bot.db'}"
    upgrade(url)
    return url
