"""The workspace's deployments and their state, from the log sources this process uses.

Each source that can list its deployments (bot.logs.source.DeploymentLister: SDK v2 online
deployments, failed when their provisioning state is Failed; SDK v1 web services, failed when
Failed or Unhealthy) is asked, in LOG_SOURCES order, through the same resolver and SDK clients
as log fetches. The whole listing runs inside the log fetcher's deadline (LOGS_TIMEOUT_S): Azure
down or slow is an error for the caller (nothing is posted; the next cycle tries again), never a
hung worker.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.logs.fetcher import shared_fetcher, timeout_seconds
from bot.logs.resolver import Resolver, default_resolver, import_sdks
from bot.logs.source import DeploymentLister


@dataclass(frozen=True)
class Deployment:
    backend: str  # the source: azureml-v2 / azureml-v1
    name: str  # `endpoint/deployment` (v2) or the service name (v1)
    state: str | None
    modified: str | None  # ISO time of the last change, the episode key
    failed: bool
    error: str | None = None  # the service's own error summary (v1)

    @property
    def resource(self) -> str:
        return f"{self.backend}:{self.name}"


class Inventory:
    def __init__(self, resolver: Callable[[], Resolver] = default_resolver) -> None:
        self._resolver = resolver

    def all(self) -> list[Deployment]:
        """Every deployment of every listing source; LogFetchError when Azure fails.

        The SDKs are imported first, outside the deadline: importing them takes seconds (more
        on a busy machine), and the deadline is for Azure."""
        import_sdks()
        sources = [source for source in self._resolver().sources
                   if isinstance(source, DeploymentLister)]

        def listed() -> list[Deployment]:
            return [Deployment(source.name, item.name, item.state, item.modified, item.failed,
                               item.error)
                    for source in sources for item in source.deployment_states()]

        return shared_fetcher().run(listed, timeout_s=timeout_seconds())


def shared_inventory() -> Inventory:
    return Inventory()  # cheap: the resolver it asks is cached per process and workspace
