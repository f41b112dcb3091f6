"""Where the workspace and the credentials come from, and the clear errors when they do not."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.logs.source import AuthenticationFailed, WorkspaceNotFound
from bot.logs.workspace import credentials, workspace_config
from bot.settings import from_environment


def test_environment_wins_over_config_json(tmp_path: Path) -> None:
    env = {"AZURE_SUBSCRIPTION_ID": "sub", "AZURE_RESOURCE_GROUP": "rg",
           "AZUREML_WORKSPACE_NAME": "ws", "AZUREML_CONFIG_PATH": str(tmp_path / "none.json")}
    config = workspace_config(from_environment(env))
    assert (config.subscription_id, config.resource_group, config.workspace_name) == \
        ("sub", "rg", "ws")


def test_config_json_as_the_portal_gives_it(tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text(json.dumps(
        {"subscription_id": "s1", "resource_group": "r1", "workspace_name": "w1"}))
    config = workspace_config(from_environment({"AZUREML_CONFIG_PATH": str(tmp_path)}))
    assert config.workspace_name == "w1"


def test_missing_workspace_names_what_to_set(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceNotFound) as raised:
        workspace_config(from_environment({
            "AZURE_SUBSCRIPTION_ID": "s", "AZUREML_CONFIG_PATH": str(tmp_path / "config.json")}))
    assert "AZURE_RESOURCE_GROUP, AZUREML_WORKSPACE_NAME" in raised.value.message


def test_broken_config_json_is_explained(tmp_path: Path) -> None:
    path = tmp_path / "config.json"
    path.write_text('{"subscription_id": "s"}')
    with pytest.raises(WorkspaceNotFound) as raised:
        workspace_config(from_environment({"AZUREML_CONFIG_PATH": str(path)}))
    assert "needs subscription_id, resource_group and workspace_name" in raised.value.message


def test_credentials_service_principal_managed_identity_or_a_clear_refusal() -> None:
    sp = credentials({"AZURE_TENANT_ID": "t", "AZURE_CLIENT_ID": "c",
                      "AZURE_CLIENT_SECRET": "very-secret"})
    assert sp.kind == "service_principal" and "very-secret" not in repr(sp)
    assert credentials({"AZURE_USE_MANAGED_IDENTITY": "true"}).kind == "managed_identity"
    assert credentials({"IDENTITY_ENDPOINT": "http://169.254.169.254"}).kind == \
        "managed_identity"
    with pytest.raises(AuthenticationFailed) as raised:
        credentials({"AZURE_CLIENT_ID": "c"})
    assert "AZURE_CLIENT_SECRET" in raised.value.message
