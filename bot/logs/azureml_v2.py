"""Log source for Azure ML SDK v2 online endpoints (managed or Kubernetes), via `azure-ai-ml`.

Targets are `<endpoint>/<deployment>`, or `<endpoint>` alone: then the deployment taking the most
traffic (or the only one) is used. `init` reads the storage-initializer container (the one that
downloads the model) instead of the inference server.
"""

from __future__ import annotations

import threading
from typing import Any

from bot.logs.errors import classify_sdk_error
from bot.logs.source import AuthenticationFailed, DeploymentState, FetchedLogs, ServiceNotFound
from bot.logs.suggest import closest_names
from bot.logs.workspace import Credentials, WorkspaceConfig, credentials, workspace_config

BACKEND = "azureml-v2"


def _is_not_found(error: BaseException) -> bool:
    from azure.core.exceptions import ResourceNotFoundError

    return isinstance(error, ResourceNotFoundError) or getattr(error, "status_code", None) == 404


class AzureMLv2Source:
    name = BACKEND

    def __init__(self, config: WorkspaceConfig | None = None,
                 creds: Credentials | None = None) -> None:
        self._config = config
        self._creds = creds
        self._client: Any = None
        self._lock = threading.Lock()

    @property
    def workspace_name(self) -> str:
        return (self._config or workspace_config()).workspace_name

    def _credential(self, creds: Credentials) -> Any:
        from azure.identity import ClientSecretCredential, ManagedIdentityCredential

        # Explicit credentials only: DefaultAzureCredential would also try developer logins
        # (Azure CLI, VS Code, ...) that mean nothing in a server.
        if creds.kind == "service_principal":
            return ClientSecretCredential(creds.tenant_id, creds.client_id, creds.client_secret)
        if creds.kind == "managed_identity":
            return ManagedIdentityCredential(client_id=creds.client_id)
        raise AuthenticationFailed(f"unsupported credential kind {creds.kind}")

    def client(self) -> Any:
        """The MLClient, built once: it holds the credential's token cache."""
        with self._lock:
            if self._client is None:
                from azure.ai.ml import MLClient

                config = self._config or workspace_config()
                self._client = MLClient(
                    self._credential(self._creds or credentials()),
                    subscription_id=config.subscription_id,
                    resource_group_name=config.resource_group,
                    workspace_name=config.workspace_name)
            return self._client

    # ----- names
    def list_endpoints(self) -> list[Any]:
        try:
            return list(self.client().online_endpoints.list())
        except Exception as error:
            raise classify_sdk_error(error, workspace=self.workspace_name) from error

    def list_names(self) -> list[str]:
        """Every `endpoint` and `endpoint/deployment` in the workspace."""
        names: list[str] = []
        for endpoint in self.list_endpoints():
            names.append(endpoint.name)
            names.extend(f"{endpoint.name}/{deployment}"
                         for deployment in self._deployment_names(endpoint.name))
        return names

    def deployment_states(self) -> list[DeploymentState]:
        """Every online deployment with its provisioning state and its last-modified time
        (ARM `systemData.lastModifiedAt`: every update changes it)."""
        client = self.client()
        found = []
        try:
            for endpoint in client.online_endpoints.list():
                for deployment in client.online_deployments.list(endpoint.name):
                    state = _plain(getattr(deployment, "provisioning_state", None))
                    modified = getattr(getattr(deployment, "creation_context", None),
                                       "last_modified_at", None)
                    found.append(DeploymentState(
                        f"{endpoint.name}/{deployment.name}", state,
                        failed=(state or "").lower() == "failed",
                        modified=modified.isoformat() if hasattr(modified, "isoformat")
                        else (str(modified) if modified else None)))
        except Exception as error:
            raise classify_sdk_error(error, workspace=self.workspace_name) from error
        return found

    def _deployment_names(self, endpoint_name: str) -> list[str]:
        try:
            return [d.name for d in self.client().online_deployments.list(endpoint_name)]
        except Exception as error:
            if _is_not_found(error):
                return []
            raise classify_sdk_error(error, workspace=self.workspace_name) from error

    def get_endpoint(self, endpoint_name: str) -> Any | None:
        try:
            return self.client().online_endpoints.get(endpoint_name)
        except Exception as error:
            if _is_not_found(error) and "workspace" not in str(error).lower():
                return None
            raise classify_sdk_error(error, workspace=self.workspace_name) from error

    def exists(self, target: str) -> bool:
        return self.get_endpoint(target.split("/", 1)[0]) is not None

    def suggest(self, target: str) -> list[str]:
        return closest_names(target, self.list_names())

    # ----- fetching
    def _pick_deployment(self, endpoint: Any, target: str) -> str:
        """The deployment with the most traffic, or the only one."""
        traffic = {name: int(share or 0) for name, share in (endpoint.traffic or {}).items()}
        names = self._deployment_names(endpoint.name)
        if traffic and max(traffic.values()) > 0:
            return max(traffic, key=lambda name: traffic[name])
        if len(names) == 1:
            return names[0]
        if not names:
            raise ServiceNotFound(target, [])
        # Several deployments, none taking traffic: make the user choose.
        raise ServiceNotFound(target, [f"{endpoint.name}/{name}" for name in sorted(names)])

    def fetch(self, target: str, *, lines: int, init: bool) -> FetchedLogs:
        endpoint_name, _, deployment_name = target.partition("/")
        endpoint = self.get_endpoint(endpoint_name)
        if endpoint is None:
            raise ServiceNotFound(target, self.suggest(target))
        deployment_name = deployment_name or self._pick_deployment(endpoint, target)
        client = self.client()
        try:
            deployment = client.online_deployments.get(deployment_name, endpoint_name)
        except Exception as error:
            if _is_not_found(error):
                siblings = [f"{endpoint_name}/{name}"
                            for name in self._deployment_names(endpoint_name)]
                raise ServiceNotFound(target, closest_names(target, siblings)
                                      or siblings) from error
            raise classify_sdk_error(error, workspace=self.workspace_name) from error
        container = "storage-initializer" if init else "inference-server"
        try:
            text = client.online_deployments.get_logs(
                deployment_name, endpoint_name, lines, container_type=container)
        except Exception as error:
            raise classify_sdk_error(error, workspace=self.workspace_name) from error
        state = _plain(getattr(deployment, "provisioning_state", None))
        endpoint_state = _plain(getattr(endpoint, "provisioning_state", None))
        if endpoint_state == state:
            endpoint_state = None  # the deployment's state says it all
        # A deployment reports no error summary of its own; the endpoint's state was once put
        # there and read "Service error: endpoint x is Succeeded" under a failed deployment.
        return FetchedLogs(text=text or "", state=state, error=None, backend=BACKEND,
                           target=f"{endpoint_name}/{deployment_name}",
                           endpoint=endpoint_name, endpoint_state=endpoint_state)


def _plain(state: Any) -> str | None:
    """The SDK gives provisioning states as enums: "Succeeded", not the enum's repr."""
    value = getattr(state, "value", state)
    return str(value) if value else None
