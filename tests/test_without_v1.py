"""Without the optional extra `[v1]` (azureml-core, SDK v1) everything but v1 log fetching works,
and asking for a v1 service's logs says how to enable it.

Every process here starts with tests/support/without_v1 first on PYTHONPATH: its
`sitecustomize` makes `import azureml...` fail as it does where the extra is not installed. The
real CLI and the real server (gunicorn, Bolt, the SDK v2 against the Azure stand-in) run.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT
from tests.e2e.conftest import Server, running_server
from tests.logs.conftest import INIT_FAILURE_LOG, sdk_env
from tests.support.azure_standin import AzureStandin, V2Deployment

HIDE_V1 = REPO_ROOT / "tests" / "support" / "without_v1"
CLI = Path(sys.executable).parent / "troubleshoot-bot"
GPU_ERROR = "0/3 nodes are available: 3 Insufficient nvidia.com/gpu"


def without_v1(env: dict[str, str]) -> dict[str, str]:
    return {**env, "PYTHONPATH": os.pathsep.join(
        [str(HIDE_V1), str(REPO_ROOT), *filter(None, [env.get("PYTHONPATH")])])}


def run_cli(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(CLI), *args], env=env, cwd=cwd, capture_output=True, text=True,
                          timeout=180)


def test_the_blocker_really_hides_sdk_v1(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-c", "import azureml.core"], capture_output=True,
                          text=True, env=without_v1(dict(os.environ)), cwd=tmp_path, timeout=60)
    assert done.returncode != 0 and "No module named 'azureml" in done.stderr


def test_match_and_ask_work_without_sdk_v1(tmp_path: Path) -> None:
    env = without_v1({**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'bot.db'}",
                      "BOT_LANGUAGE": "en"})
    matched = run_cli("match", "--json", GPU_ERROR, env=env, cwd=tmp_path)
    assert matched.returncode == 0, matched.stderr
    assert json.loads(matched.stdout)["matches"][0]["id"] == "container-cannot-be-scheduled"

    assert run_cli("db", "upgrade", env=env, cwd=tmp_path).returncode == 0
    asked = run_cli("ask", GPU_ERROR, env=env, cwd=tmp_path)
    assert asked.returncode == 0, asked.stderr
    assert "container-cannot-be-scheduled" in asked.stdout
    assert "Traceback" not in asked.stderr


@pytest.fixture(scope="module")
def azure(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AzureStandin]:
    with AzureStandin(tmp_path_factory.mktemp("azure-no-v1")) as standin:
        standin.add_service("churn-scorer", logs=INIT_FAILURE_LOG, state="Unhealthy")  # v1
        standin.add_endpoint("credit-ep", {
            "green": V2Deployment("green", logs=INIT_FAILURE_LOG, state="Failed")},
            traffic={"green": 100})
        yield standin


@pytest.fixture(scope="module")
def server(azure: AzureStandin, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    from bot.storage.migrations import upgrade

    folder = tmp_path_factory.mktemp("serve-no-v1")
    database_url = f"sqlite:///{folder / 'bot.db'}"
    upgrade(database_url)
    with running_server(folder, database_url, "sqlite",
                        env=without_v1(sdk_env(azure, folder)),
                        extra_env={"LOGS_ALLOWED_CHANNELS": "*",
                                   "LOGS_RATE_PER_MINUTE": "20"}) as running:
        yield running


def final_update(server: Server, channel: str) -> str:
    return json.dumps(server.wait_in(channel, "chat.update", timeout=60)[-1].args,
                      ensure_ascii=False)


def test_serve_starts_and_v2_logs_are_fetched(server: Server) -> None:
    server.slack.command("logs credit-ep", channel="CNOV1A")
    shown = final_update(server, "CNOV1A")
    assert "credit-ep/green" in shown and "azureml-v2" in shown
    assert "function-fails-get_model_path" in shown


def test_a_v1_service_says_how_to_enable_v1_in_the_users_language(server: Server) -> None:
    server.slack.command("logs churn-scorer", channel="CNOV1B")
    shown = final_update(server, "CNOV1B")
    assert "can't find" in shown
    assert "ask the bot's admin to install `troubleshoot-bot[v1]`" in shown

    server.slack.command("lang ko", channel="CNOV1C", user="U0000KONOV1")
    server.fake.wait_for("response_url", predicate=lambda c: "CNOV1C" in c.path)
    server.slack.command("로그 churn-scorer", channel="CNOV1C", user="U0000KONOV1")
    shown = final_update(server, "CNOV1C")
    assert "봇 담당자에게 `troubleshoot-bot[v1]` 설치를 요청하세요" in shown

    log = server.log_path.read_text(errors="replace")
    assert "Traceback" not in log
    assert server.sql("SELECT outcome FROM log_fetches WHERE channel = 'CNOV1B'") == [
        ("not_found",)]


def test_a_diagnosis_works_without_sdk_v1(server: Server) -> None:
    server.slack.command(GPU_ERROR, channel="CNOV1D")
    answers = server.wait_in("CNOV1D", "chat.postMessage", timeout=60, predicate=lambda call: any(
        block.get("type") == "actions" for block in call.args.get("blocks") or []))
    assert "container-cannot-be-scheduled" in json.dumps(answers[0].args)
