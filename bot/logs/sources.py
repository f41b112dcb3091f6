"""The registry of log sources and the `LOG_SOURCES` setting that picks them, in lookup order.

A new backend (Kubernetes pod logs, say) is one module implementing `bot.logs.source.LogSource`
plus one line in `SOURCES` below; then `LOG_SOURCES=azureml-v2,kubernetes` turns it on.
A source whose SDK is an optional extra names that extra in `requires`/`extra`: when the SDK is
not installed the bot still starts, the source is left out, and a fetch that might have been
for it says how to enable it.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.logs.azureml_v1 import AzureMLv1Source
from bot.logs.azureml_v2 import AzureMLv2Source
from bot.logs.source import LogSource
from bot.logs.workspace import Credentials, WorkspaceConfig
from bot.settings import DEFAULT_LOG_SOURCES, SettingsError, settings

SourceFactory = Callable[[WorkspaceConfig, Credentials], LogSource]


@dataclass(frozen=True)
class SourceSpec:
    name: str  # the word used in LOG_SOURCES and in the audit's `backend` column
    build: SourceFactory
    requires: str  # the module that must be importable (the SDK)
    extra: str | None = None  # the optional install extra that provides it, if any
    sdk_modules: tuple[str, ...] = ()  # imported ahead of the first fetch (they are slow)

    def available(self) -> bool:
        try:
            return importlib.util.find_spec(self.requires) is not None
        except (ImportError, ValueError):  # a parent package missing or blocked
            return False


SOURCES: dict[str, SourceSpec] = {spec.name: spec for spec in (
    SourceSpec("azureml-v2", AzureMLv2Source, requires="azure.ai.ml",
               sdk_modules=("azure.core.exceptions", "azure.identity", "azure.ai.ml")),
    SourceSpec("azureml-v1", AzureMLv1Source, requires="azureml.core", extra="v1",
               sdk_modules=("azureml.core", "azureml.core.authentication",
                            "azureml.core.webservice")),
)}
assert set(DEFAULT_LOG_SOURCES) <= set(SOURCES)


class UnknownLogSource(SettingsError):
    """LOG_SOURCES names a source this bot does not have: a start-up error, not a user's."""


def source_names(value: str | None = None) -> tuple[str, ...]:
    """The sources to ask, in lookup order: LOG_SOURCES (settings().log_sources; default v2,
    then v1), or `value` given as LOG_SOURCES would be. Every name must be registered."""
    if value is None:
        names = settings().log_sources
    else:
        names = tuple(dict.fromkeys(part.strip().lower() for part in value.split(",")
                                    if part.strip())) or DEFAULT_LOG_SOURCES
    unknown = [name for name in names if name not in SOURCES]
    if unknown:
        raise UnknownLogSource.bad_value("LOG_SOURCES", ", ".join(unknown), "log_sources",
                                         known=", ".join(SOURCES))
    return names


def selected_specs(value: str | None = None) -> list[SourceSpec]:
    return [SOURCES[name] for name in source_names(value)]


def build_sources(config: WorkspaceConfig, creds: Credentials, *,
                  names: Sequence[str] | None = None) -> tuple[list[LogSource], list[SourceSpec]]:
    """The usable sources in LOG_SOURCES order, and the selected ones whose SDK is missing."""
    specs = [SOURCES[name] for name in names] if names is not None else selected_specs()
    usable = [spec.build(config, creds) for spec in specs if spec.available()]
    missing = [spec for spec in specs if not spec.available()]
    return usable, missing
