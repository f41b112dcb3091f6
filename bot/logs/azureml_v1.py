"""Log source for Azure ML SDK v1 web services (ACI / AKS), through `azureml-core`.

`Webservice(ws, name).get_logs(num_lines=N, init=...)` plus the service's `state` and `error`.
get_logs sets no network timeout of its own; the deadline is enforced by the caller
(`bot.logs.fetcher`), which runs this code in a worker thread.
"""

from __future__ import annotations

import threading
from typing import Any

from bot.logs.errors import classify_sdk_error
from bot.logs.source import AuthenticationFailed, DeploymentState, FetchedLogs, ServiceNotFound
from bot.logs.suggest import closest_names
from bot.logs.workspace import Credentials, WorkspaceConfig, credentials, workspace_config
from bot.settings import settings

BACKEND = "azureml-v1"
FAILED_STATES = frozenset({"failed", "unhealthy"})  # a web service that needs someone


class AzureMLv1Source:
    name = BACKEND

    def __init__(self, config: WorkspaceConfig | None = None,
                 creds: Credentials | None = None) -> None:
        self._config = config
        self._creds = creds
        self._workspace: Any = None
        self._lock = threading.Lock()

    # ----- the SDK objects
    def _auth(self, creds: Credentials) -> Any:
        from azureml.core.authentication import MsiAuthentication, ServicePrincipalAuthentication

        # Without an explicit auth object azureml-core falls back to InteractiveLoginAuthentication
        # (a device-code prompt that would hang the server): we always pass one.
        cloud = settings().azureml_current_cloud or "AzureCloud"
        if creds.kind == "service_principal":
            return ServicePrincipalAuthentication(
                tenant_id=creds.tenant_id, service_principal_id=creds.client_id,
                service_principal_password=creds.client_secret, cloud=cloud)
        if creds.kind == "managed_identity":
            kwargs = {"identity_config": {"client_id": creds.client_id}} if creds.client_id else {}
            return MsiAuthentication(cloud=cloud, **kwargs)
        raise AuthenticationFailed(f"unsupported credential kind {creds.kind}")

    def workspace(self) -> Any:
        """The Workspace, built once per source: it costs several ARM round trips."""
        with self._lock:
            if self._workspace is None:
                from azureml.core import Workspace

                config = self._config or workspace_config()
                creds = self._creds or credentials()
                try:
                    self._workspace = Workspace(
                        subscription_id=config.subscription_id,
                        resource_group=config.resource_group,
                        workspace_name=config.workspace_name, auth=self._auth(creds))
                except Exception as error:  # the SDK raises many kinds; we name them
                    raise classify_sdk_error(error, workspace=config.workspace_name) from error
            return self._workspace

    # ----- LogSource
    def fetch(self, target: str, *, lines: int, init: bool) -> FetchedLogs:
        from azureml.core.webservice import Webservice

        workspace = self.workspace()
        try:
            service = Webservice(workspace, target)
        except Exception as error:
            if "WebserviceNotFound" in str(error):
                raise ServiceNotFound(target, self.suggest(target)) from error
            raise classify_sdk_error(error, workspace=workspace.name) from error
        try:
            text = service.get_logs(num_lines=lines, init=init)
        except Exception as error:
            raise classify_sdk_error(error, workspace=workspace.name) from error
        return FetchedLogs(text=text or "", state=service.state,
                           error=_error_summary(service.error), backend=BACKEND, target=target)

    def list_names(self) -> list[str]:
        from azureml.core.webservice import Webservice

        workspace = self.workspace()
        try:
            return [service.name for service in Webservice.list(workspace)]
        except Exception as error:
            raise classify_sdk_error(error, workspace=workspace.name) from error

    def deployment_states(self) -> list[DeploymentState]:
        """Every web service with its state; `updatedTime` changes only with an update."""
        from azureml.core.webservice import Webservice

        workspace = self.workspace()
        try:
            services = Webservice.list(workspace)
        except Exception as error:
            raise classify_sdk_error(error, workspace=workspace.name) from error
        found = []
        for service in services:
            state = str(service.state) if service.state else None
            updated = getattr(service, "updated_time", None)
            found.append(DeploymentState(
                service.name, state, failed=(state or "").lower() in FAILED_STATES,
                modified=updated.isoformat() if updated else None,
                error=_error_summary(getattr(service, "error", None))))
        return found

    def exists(self, target: str) -> bool:
        if "/" in target:  # `endpoint/deployment` is an SDK v2 name
            return False
        from azureml.core.webservice import Webservice

        workspace = self.workspace()
        try:
            return bool(Webservice._get(workspace, target))
        except Exception as error:
            raise classify_sdk_error(error, workspace=workspace.name) from error

    def suggest(self, target: str) -> list[str]:
        return closest_names(target, self.list_names())


def _error_summary(error: Any) -> str | None:
    """The service's `error` payload (code, message, details) as one short line."""
    if not error:
        return None
    if isinstance(error, dict):
        parts = [str(error.get("code") or ""), str(error.get("message") or "")]
        for detail in error.get("details") or []:
            if isinstance(detail, dict):
                parts.append(f"{detail.get('code', '')}: {detail.get('message', '')}")
        return " | ".join(part.strip() for part in parts if part and part.strip())
    return str(error)
