"""Which log source a name belongs to, and the sources this process uses.

`endpoint/deployment` can only be an SDK v2 online endpoint. A bare name is looked up as a v2
endpoint first (new deployments are v2: SDK v1 reached its end of support in June 2026), then as
a v1 web service. When it is neither, the user gets the closest names from both.
"""

from __future__ import annotations

import threading

from bot.logs.azureml_v1 import AzureMLv1Source
from bot.logs.azureml_v2 import AzureMLv2Source
from bot.logs.source import FetchedLogs, ServiceNotFound
from bot.logs.suggest import closest_names
from bot.logs.workspace import credentials, workspace_config
from bot.settings import settings

MAX_NAME_LENGTH = 255


class Resolver:
    def __init__(self, v2: AzureMLv2Source, v1: AzureMLv1Source) -> None:
        self.v2 = v2
        self.v1 = v1

    def fetch(self, target: str, *, lines: int, init: bool) -> FetchedLogs:
        """Find the target's backend and fetch from it. Runs inside the fetcher's deadline."""
        if "/" in target:
            return self.v2.fetch(target, lines=lines, init=init)
        if self.v2.exists(target):
            return self.v2.fetch(target, lines=lines, init=init)
        if self.v1.exists(target):
            return self.v1.fetch(target, lines=lines, init=init)
        names = self.v2.list_names() + self.v1.list_names()
        raise ServiceNotFound(target, closest_names(target, names))


# What the sources import on first use: azureml-core and azure-ai-ml take several seconds each
# (over ten on a busy machine), which would otherwise be spent inside the first fetch's deadline.
SDK_MODULES = ("azure.core.exceptions", "azure.identity", "azure.ai.ml", "azureml.core",
               "azureml.core.authentication", "azureml.core.webservice")


def logs_enabled() -> bool:
    return settings().logs_enabled


def import_sdks() -> float:
    """Import the Azure SDKs now (a server does it at start-up); the seconds it took."""
    import importlib
    import time

    started = time.monotonic()
    for name in SDK_MODULES:
        importlib.import_module(name)
    return time.monotonic() - started


_sources_lock = threading.Lock()
_cached: dict[tuple[str, ...], Resolver] = {}


def default_resolver() -> Resolver:
    """One resolver per workspace and identity per process: the SDK clients cache tokens.

    Configuration errors (no workspace, no credentials) surface when the first fetch runs, as
    WorkspaceNotFound / AuthenticationFailed with a message naming what to set.
    """
    config = workspace_config()
    creds = credentials()
    key = (config.subscription_id, config.resource_group, config.workspace_name, creds.kind,
           creds.client_id or "", settings().azureml_current_cloud or "",
           settings().arm_cloud_metadata_url or "")
    with _sources_lock:
        if key not in _cached:
            _cached[key] = Resolver(AzureMLv2Source(config, creds), AzureMLv1Source(config, creds))
        return _cached[key]


def warm_up() -> None:
    """Import both SDKs ahead of the first fetch: together they take seconds to import, which
    would otherwise be spent inside the first user's fetch deadline."""
    import azure.ai.ml  # noqa: F401
    import azureml.core.webservice  # noqa: F401
