"""Which log source a name belongs to, and the sources this process uses.

The sources are asked in LOG_SOURCES order (default: SDK v2 online endpoints first, since new
deployments are v2 and SDK v1 reached its end of support in June 2026, then v1 web services);
the first that has the name fetches it. When none has it, the user gets the closest names from
all of them, and, if a selected source's SDK is not installed, how to enable it.
"""

from __future__ import annotations

import importlib
import threading
import time
from collections.abc import Sequence

from bot.logs.source import FetchedLogs, LogSource, ServiceNotFound
from bot.logs.sources import SourceSpec, build_sources, selected_specs
from bot.logs.suggest import closest_names
from bot.logs.workspace import credentials, workspace_config
from bot.settings import settings

MAX_NAME_LENGTH = 255


class Resolver:
    def __init__(self, sources: Sequence[LogSource],
                 missing: Sequence[SourceSpec] = ()) -> None:
        self.sources = list(sources)
        self.missing = list(missing)  # selected in LOG_SOURCES, SDK not installed

    def fetch(self, target: str, *, lines: int, init: bool) -> FetchedLogs:
        """Find the target's source and fetch from it. Runs inside the fetcher's deadline."""
        for source in self.sources:
            if source.exists(target):
                return source.fetch(target, lines=lines, init=init)
        raise ServiceNotFound(target, closest_names(target, self.names()),
                              missing_extras=[spec.extra or spec.name for spec in self.missing])


    def names(self) -> list[str]:
        """Every name the sources can fetch, in LOG_SOURCES order (Azure is asked)."""
        return [name for source in self.sources for name in source.list_names()]


def logs_enabled() -> bool:
    return settings().logs_enabled


def import_sdks() -> float:
    """Import the selected sources' SDKs now (a server does it at start-up); the seconds it
    took. A source whose SDK is not installed is skipped: it is optional."""
    started = time.monotonic()
    for spec in selected_specs():
        if spec.available():
            for name in spec.sdk_modules:
                importlib.import_module(name)
    return time.monotonic() - started


_sources_lock = threading.Lock()
_cached: dict[tuple[str, ...], Resolver] = {}


def default_resolver() -> Resolver:
    """One resolver per workspace, identity and LOG_SOURCES per process: the SDK clients cache
    tokens.

    Configuration errors (no workspace, no credentials) surface when the first fetch runs, as
    WorkspaceNotFound / AuthenticationFailed with a message naming what to set.
    """
    config = workspace_config()
    creds = credentials()
    names = tuple(spec.name for spec in selected_specs())
    key = (config.subscription_id, config.resource_group, config.workspace_name, creds.kind,
           creds.client_id or "", settings().azureml_current_cloud or "",
           settings().arm_cloud_metadata_url or "", *names)
    with _sources_lock:
        if key not in _cached:
            usable, missing = build_sources(config, creds, names=names)
            _cached[key] = Resolver(usable, missing)
        return _cached[key]


def warm_up() -> None:
    """Import the SDKs ahead of the first fetch: together they take seconds to import, which
    would otherwise be spent inside the first user's fetch deadline."""
    import_sdks()
