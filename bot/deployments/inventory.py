"""The workspace's deployments and their state, read with the real Azure ML SDKs.

- SDK v2 online deployments (`azure-ai-ml`): `online_endpoints.list()` then
  `online_deployments.list(endpoint)`; failed when `provisioning_state` is Failed. Its
  last-modified time (ARM `systemData.lastModifiedAt`, `creation_context.last_modified_at` on
  the SDK object) changes with every update, so a new failure after a redeploy is a new episode.
- SDK v1 web services (`azureml-core`, ACI/AKS): `Webservice.list(workspace)`; failed when
  `state` is Failed or Unhealthy; episodes by `updated_time`.

Every call runs inside the log fetcher's deadline (LOGS_TIMEOUT_S): Azure down or slow is an
error for the caller (nothing is posted; the next cycle tries again), never a hung worker.
"""

from __future__ import annotations

import importlib.util
import threading
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.logs.azureml_v1 import BACKEND as V1
from bot.logs.azureml_v1 import AzureMLv1Source
from bot.logs.azureml_v2 import BACKEND as V2
from bot.logs.azureml_v2 import AzureMLv2Source
from bot.logs.errors import classify_sdk_error
from bot.logs.fetcher import shared_fetcher, timeout_seconds
from bot.settings import settings

FAILED_V2 = frozenset({"failed"})
FAILED_V1 = frozenset({"failed", "unhealthy"})


@dataclass(frozen=True)
class Deployment:
    backend: str  # azureml-v2 / azureml-v1
    name: str  # `endpoint/deployment` (v2) or the service name (v1)
    state: str | None
    modified: str | None  # ISO time of the last change, the episode key
    error: str | None = None  # the service's own error summary (v1)

    @property
    def resource(self) -> str:
        return f"{self.backend}:{self.name}"

    @property
    def failed(self) -> bool:
        states = FAILED_V2 if self.backend == V2 else FAILED_V1
        return (self.state or "").lower() in states


def _iso(value: Any) -> str | None:
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value) if value else None


def _state(value: Any) -> str | None:
    value = getattr(value, "value", value)  # the SDK gives enums
    return str(value) if value else None


class Inventory:
    """Lists deployments; one per process and workspace (the SDK clients cache tokens)."""

    def __init__(self, v2: AzureMLv2Source | None = None,
                 v1: AzureMLv1Source | None = None) -> None:
        self.v2 = v2 or AzureMLv2Source()
        self.v1 = v1 or AzureMLv1Source()

    def v2_deployments(self) -> list[Deployment]:
        client = self.v2.client()
        found = []
        try:
            for endpoint in client.online_endpoints.list():
                for deployment in client.online_deployments.list(endpoint.name):
                    context = getattr(deployment, "creation_context", None)
                    found.append(Deployment(
                        V2, f"{endpoint.name}/{deployment.name}",
                        _state(getattr(deployment, "provisioning_state", None)),
                        _iso(getattr(context, "last_modified_at", None))))
        except Exception as error:
            raise classify_sdk_error(error, workspace=self.v2.workspace_name) from error
        return found

    def v1_services(self) -> list[Deployment]:
        from azureml.core.webservice import Webservice

        from bot.logs.azureml_v1 import _error_summary

        workspace = self.v1.workspace()
        try:
            services = Webservice.list(workspace)
        except Exception as error:
            raise classify_sdk_error(error, workspace=workspace.name) from error
        return [Deployment(V1, service.name, _state(service.state),
                           _iso(getattr(service, "updated_time", None)),
                           _error_summary(getattr(service, "error", None)))
                for service in services]

    def all(self) -> list[Deployment]:
        """Every deployment of the backends in use (LOG_SOURCES, whose SDK is installed), within
        one deadline; LogFetchError when Azure fails.

        The SDKs are imported first, outside the deadline: importing them takes seconds (more
        on a busy machine), and the deadline is for Azure."""
        from bot.logs.resolver import import_sdks

        import_sdks()
        backends = backends_in_use()

        def listed() -> list[Deployment]:
            return ((self.v2_deployments() if V2 in backends else [])
                    + (self.v1_services() if V1 in backends else []))

        return shared_fetcher().run(listed, timeout_s=timeout_seconds())


SDK_OF = {V2: "azure.ai.ml", V1: "azureml.core"}


def backends_in_use() -> tuple[str, ...]:
    """The Azure ML backends the log sources use (LOG_SOURCES, default both), whose SDK is
    installed: azureml-core (SDK v1) is optional."""
    wanted = [name for name in settings().log_sources if name in SDK_OF]
    return tuple(name for name in wanted if importlib.util.find_spec(SDK_OF[name]) is not None)


_inventory: Inventory | None = None
_lock = threading.Lock()


def shared_inventory() -> Inventory:
    global _inventory
    with _lock:
        if _inventory is None:
            _inventory = Inventory()
        return _inventory
