"""Reading Azure Monitor's common alert schema: pure, many cases."""

from __future__ import annotations

import pytest

from bot.deployments.alerts import (
    Alert,
    AlertError,
    AlertTarget,
    parse_alert,
    parse_target,
    worth_handling,
)
from tests.deployments.conftest import activity_log_alert, metric_alert, resource_id


def test_an_activity_log_alert_names_the_deployment_even_lower_cased() -> None:
    alert = parse_alert(activity_log_alert(resource_id("Credit-EP", "Green"),
                                           alert_guid="abc-123"))
    assert alert.targets == (AlertTarget("ws-test", endpoint="credit-ep", deployment="green"),)
    assert alert.targets[0].name == "credit-ep/green"
    assert alert.alert_id.endswith("/alerts/abc-123")
    assert (alert.condition, alert.rule) == ("Fired", "ml-deployment-failed")
    assert alert.operation_status == "Failed"
    assert worth_handling(alert) is None


def test_what_is_kept_leaves_out_who_did_it() -> None:
    alert = parse_alert(activity_log_alert(resource_id("ep", "d"), alert_guid="g1"))
    stored = alert.to_json()
    assert "alice@example.com" not in stored  # alertContext.caller / claims are not kept
    assert Alert.from_json(stored) == alert


def test_a_metric_alert_on_an_endpoint_names_the_endpoint() -> None:
    alert = parse_alert(metric_alert(resource_id("search-ep"), alert_guid="m1"))
    assert [target.name for target in alert.targets] == ["search-ep"]
    assert alert.signal == "Metric" and worth_handling(alert) is None


@pytest.mark.parametrize(("resource", "expected"), [
    ("/subscriptions/s/resourceGroups/rg/providers/Microsoft.MachineLearningServices/"
     "workspaces/ws/onlineEndpoints/ep/deployments/blue", "ep/blue"),
    ("/subscriptions/s/resourcegroups/rg/providers/microsoft.machinelearningservices/"
     "workspaces/ws/onlineendpoints/ep", "ep"),
    ("/subscriptions/s/resourceGroups/rg/providers/Microsoft.MachineLearningServices/"
     "workspaces/ws/services/churn-scorer", "churn-scorer"),
    ("/subscriptions/s/resourceGroups/rg/providers/Microsoft.MachineLearningServices/"
     "workspaces/ws", None),
    ("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1", None),
    ("not a resource id", None),
])
def test_resource_ids(resource: str, expected: str | None) -> None:
    target = parse_target(resource)
    assert (target.name if target else None) == expected


@pytest.mark.parametrize(("change", "reason"), [
    (lambda body: body["data"]["essentials"].update(monitorCondition="Resolved"),
     "monitor condition is Resolved"),
    (lambda body: body["data"]["alertContext"].update(status="Succeeded"),
     "the deployment write succeeded"),
    (lambda body: body["data"]["essentials"].update(alertTargetIDs=[
        "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm"]),
     "names no Azure ML endpoint, deployment or service"),
])
def test_alerts_that_are_not_a_failed_deployment_are_ignored(change, reason) -> None:  # type: ignore[no-untyped-def]
    body = activity_log_alert(resource_id("ep", "d"), alert_guid="x")
    change(body)
    assert worth_handling(parse_alert(body)) == reason


@pytest.mark.parametrize(("body", "message"), [
    ([], "JSON object"),
    ({"schemaId": "Microsoft.Insights/activityLogs"}, "common alert schema"),
    ({"schemaId": "azureMonitorCommonAlertSchema"}, "data.essentials is missing"),
    ({"schemaId": "azureMonitorCommonAlertSchema", "data": {"essentials": {}}}, "alertId"),
    ({"schemaId": "azureMonitorCommonAlertSchema",
      "data": {"essentials": {"alertId": "a", "alertTargetIDs": "x"}}}, "list of resource ids"),
])
def test_bodies_that_are_not_alerts_say_why(body: object, message: str) -> None:
    with pytest.raises(AlertError, match=message):
        parse_alert(body)


def test_fired_and_resolved_of_one_alert_are_different_notifications() -> None:
    fired = parse_alert(activity_log_alert(resource_id("ep", "d"), alert_guid="same"))
    resolved = parse_alert(activity_log_alert(resource_id("ep", "d"), alert_guid="same",
                                              condition="Resolved"))
    assert fired.key != resolved.key
