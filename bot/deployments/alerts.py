"""Read Azure Monitor's common alert schema: which deployment an alert is about. Pure, no I/O.

An alert notification (`schemaId: azureMonitorCommonAlertSchema`) names its resources in
`data.essentials.alertTargetIDs`: ARM ids such as
`/subscriptions/S/resourceGroups/RG/providers/Microsoft.MachineLearningServices/workspaces/W/
onlineEndpoints/E/deployments/D` (an activity-log alert on a failed deployment write) or
`.../onlineEndpoints/E` (a metric alert on an endpoint). Azure may send them lower-cased, so
names are matched against the workspace's own case-insensitively later. Only what handling
needs is kept (no `alertContext.claims`, which name the caller).
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from typing import Any

SCHEMA_ID = "azureMonitorCommonAlertSchema"
FIRED, RESOLVED = "Fired", "Resolved"
DEPLOYMENT_WRITE = "Microsoft.MachineLearningServices/workspaces/onlineEndpoints/deployments/write"
MAX_TARGETS = 20  # an alert rule scoped to a whole resource group could list hundreds

_WORKSPACE_RESOURCE = re.compile(
    r"^/subscriptions/(?P<subscription>[^/]+)/resourceGroups/(?P<group>[^/]+)/providers/"
    r"Microsoft\.MachineLearningServices/workspaces/(?P<workspace>[^/]+)"
    r"(?:/(?P<kind>onlineEndpoints|services)/(?P<name>[^/]+)"
    r"(?:/deployments/(?P<deployment>[^/]+))?)?/?$", re.IGNORECASE)


class AlertError(ValueError):
    """The body is not an alert in the common alert schema; the message says what is wrong."""


@dataclass(frozen=True)
class AlertTarget:
    """One Azure ML resource an alert names."""

    workspace: str
    endpoint: str | None = None  # an online endpoint (SDK v2)
    deployment: str | None = None  # one of its deployments
    service: str | None = None  # a v1 web service

    @property
    def name(self) -> str | None:
        """The name as the bot shows and fetches it: `endpoint[/deployment]` or the service."""
        if self.endpoint:
            return f"{self.endpoint}/{self.deployment}" if self.deployment else self.endpoint
        return self.service


@dataclass(frozen=True)
class Alert:
    alert_id: str
    condition: str  # Fired / Resolved
    rule: str
    fired_at: str | None
    targets: tuple[AlertTarget, ...]
    operation: str | None = None  # activity-log alerts: the operation and its status
    operation_status: str | None = None
    signal: str | None = None  # Activity Log / Metric / Log
    other_targets: tuple[str, ...] = field(default=())  # resources that are not Azure ML

    @property
    def key(self) -> str:
        """What makes a notification unique: Azure sends Fired and then Resolved with one id."""
        return f"{self.alert_id}#{self.condition}"

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Alert:
        data = json.loads(text)
        data["targets"] = tuple(AlertTarget(**target) for target in data.get("targets") or ())
        data["other_targets"] = tuple(data.get("other_targets") or ())
        return cls(**data)


def parse_target(resource_id: str) -> AlertTarget | None:
    """The Azure ML resource an ARM id names, or None for anything else (a VM, a storage)."""
    match = _WORKSPACE_RESOURCE.match(resource_id.strip())
    if not match or not match.group("kind"):
        return None
    if match.group("kind").lower() == "services":
        return AlertTarget(match.group("workspace"), service=match.group("name"))
    return AlertTarget(match.group("workspace"), endpoint=match.group("name"),
                       deployment=match.group("deployment"))


def _text(value: Any, limit: int = 512) -> str | None:
    return str(value)[:limit] if isinstance(value, str | int | float) and value != "" else None


def parse_alert(body: Any) -> Alert:
    """The alert in a decoded JSON body, or AlertError saying why it is not one."""
    if not isinstance(body, dict):
        raise AlertError("the body must be a JSON object")
    if body.get("schemaId") != SCHEMA_ID:
        raise AlertError(f"schemaId must be {SCHEMA_ID!r}: enable the common alert schema on "
                         "the action group's webhook")
    data = body.get("data")
    essentials = data.get("essentials") if isinstance(data, dict) else None
    if not isinstance(essentials, dict):
        raise AlertError("data.essentials is missing")
    alert_id = _text(essentials.get("alertId"))
    if not alert_id:
        raise AlertError("data.essentials.alertId is missing")
    ids = essentials.get("alertTargetIDs")
    if not isinstance(ids, list) or not all(isinstance(item, str) for item in ids):
        raise AlertError("data.essentials.alertTargetIDs must be a list of resource ids")
    targets: list[AlertTarget] = []
    others: list[str] = []
    for resource_id in ids[:MAX_TARGETS]:
        target = parse_target(resource_id)
        if target is None:
            others.append(resource_id[:512])
        elif target.name and target not in targets:
            targets.append(target)
    context = data.get("alertContext") if isinstance(data, dict) else None
    context = context if isinstance(context, dict) else {}
    return Alert(
        alert_id=alert_id,
        condition=_text(essentials.get("monitorCondition"), 16) or FIRED,
        rule=_text(essentials.get("alertRule"), 255) or "",
        fired_at=_text(essentials.get("firedDateTime"), 64),
        targets=tuple(targets),
        operation=_text(context.get("operationName"), 255),
        operation_status=_text(context.get("status"), 64),
        signal=_text(essentials.get("signalType"), 32),
        other_targets=tuple(others))


def worth_handling(alert: Alert) -> str | None:
    """None when the alert may be about a failed deployment; else why it is ignored."""
    if alert.condition != FIRED:
        return f"monitor condition is {alert.condition}"
    if not alert.targets:
        return "names no Azure ML endpoint, deployment or service"
    if (alert.operation and alert.operation.lower() == DEPLOYMENT_WRITE.lower()
            and alert.operation_status and alert.operation_status.lower()
            not in ("failed", "failure")):
        return f"the deployment write {alert.operation_status.lower()}"
    return None
