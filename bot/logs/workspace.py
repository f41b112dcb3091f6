"""Which Azure ML workspace, and which credentials, the log sources use.

The workspace comes from AZURE_SUBSCRIPTION_ID / AZURE_RESOURCE_GROUP / AZUREML_WORKSPACE_NAME,
else from a workspace `config.json` (AZUREML_CONFIG_PATH, else ./config.json), the file the
Azure portal offers for download. Credentials use the names the Azure SDKs already read: a
service principal (AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET) or a managed identity
(AZURE_USE_MANAGED_IDENTITY=true, or the IDENTITY_ENDPOINT / MSI_ENDPOINT the platform sets).
There is deliberately no interactive login: in a server it would wait forever on a device code.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from bot.logs.source import AuthenticationFailed, WorkspaceNotFound
from bot.settings import Settings, settings

NO_CREDENTIALS = (
    "the bot has no Azure credentials: set AZURE_TENANT_ID, AZURE_CLIENT_ID and "
    "AZURE_CLIENT_SECRET (a service principal with Reader access to the workspace), or run it "
    "with a managed identity (AZURE_USE_MANAGED_IDENTITY=true)")


@dataclass(frozen=True)
class WorkspaceConfig:
    subscription_id: str
    resource_group: str
    workspace_name: str


# The Azure SDKs' own names (docs/configuration.md, "Azure credentials"): inspected here to pick
# the identity, deliberately outside bot.settings.
CREDENTIAL_VARIABLES = ("AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET",
                        "AZURE_USE_MANAGED_IDENTITY", "IDENTITY_ENDPOINT", "MSI_ENDPOINT")


@dataclass(frozen=True)
class Credentials:
    kind: str  # "service_principal" or "managed_identity"
    tenant_id: str | None = None
    client_id: str | None = None
    client_secret: str | None = None

    def __repr__(self) -> str:  # never print the secret, not even in a debugger or a log line
        return f"Credentials(kind={self.kind!r}, tenant_id={self.tenant_id!r}, " \
               f"client_id={self.client_id!r})"


def workspace_config(config: Settings | None = None) -> WorkspaceConfig:
    config = config or settings()
    names = ("AZURE_SUBSCRIPTION_ID", "AZURE_RESOURCE_GROUP", "AZUREML_WORKSPACE_NAME")
    values = [config.azure_subscription_id, config.azure_resource_group,
              config.azureml_workspace_name]
    if all(values):
        return WorkspaceConfig(*values)
    path = Path(config.azureml_config_path or "config.json")
    if path.is_dir():
        path = path / "config.json"
    if not path.is_file():
        missing = ", ".join(name for name, value in zip(names, values, strict=True) if not value)
        raise WorkspaceNotFound(
            f"no Azure ML workspace is configured: set {missing}, or put the workspace's "
            f"config.json at {path} (or point AZUREML_CONFIG_PATH at it)")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return WorkspaceConfig(str(data["subscription_id"]), str(data["resource_group"]),
                               str(data["workspace_name"]))
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise WorkspaceNotFound(
            f"{path} is not a workspace config.json (it needs subscription_id, resource_group "
            f"and workspace_name): {type(error).__name__}") from error


def credentials(env: Mapping[str, str] | None = None) -> Credentials:
    """The identity to fetch logs with. Azure's own credential variables are read here, not in
    bot.settings: they are the SDKs' names, and a secret has no place in a settings object."""
    env = dict(os.environ if env is None else env)
    tenant, client, secret = (env.get(name, "").strip() for name in CREDENTIAL_VARIABLES[:3])
    if tenant and client and secret:
        return Credentials("service_principal", tenant, client, secret)
    wants_msi = env.get("AZURE_USE_MANAGED_IDENTITY", "").strip().lower() in ("1", "true", "yes")
    if wants_msi or env.get("IDENTITY_ENDPOINT") or env.get("MSI_ENDPOINT"):
        return Credentials("managed_identity", client_id=client or None)
    raise AuthenticationFailed(NO_CREDENTIALS)
