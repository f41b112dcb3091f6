"""End to end: `/troubleshoot logs` and the "Fetch logs" button through the real server (gunicorn,
Bolt, signed requests), the Slack Web API stand-in, and the real Azure SDKs against the Azure
stand-in over HTTPS."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from tests.e2e.conftest import Server, new_trigger_id, new_ts, running_server
from tests.logs.conftest import INIT_FAILURE_LOG, PLANTED_SECRETS, sdk_env
from tests.support.azure_standin import AzureStandin, V2Deployment
from tests.support.prometheus import metric, scrape
from tests.support.slack_api import EVENT_DEADLINE_S

ALLOWED = ("CLOGSA", "CLOGSB", "CLOGSC", "CLOGSD", "CLOGSE", "CLOGSF", "CLOGSG", "CLOGSH",
           "CLOGSI", "CLOGSJ", "CLOGSK", "CLOGSL", "CLOGSM", "CLOGSN", "CLOGSO", "CLOGSP")
# The policy file narrows the payments services to a Slack user group (docs/logs.md).
PAY_TEAM, PAY_DEV = "SPAYTEAM1", "U0000PAYDEV"
POLICY = f"""
rules:
  - services: ["pay-*"]
    user_groups: [{PAY_TEAM}]
"""
TIMEOUT_S = 6
# A log whose lines hold Slack markup: shown in the result, it must not ping or disguise a link.
LOUD_LOG = ("2026-11-25T10:00:01Z INFO starting\n"
            "2026-11-25T10:00:02Z ERROR init() failed <!channel> please look\n"
            "2026-11-25T10:00:03Z ERROR fix at <https://evil.example|the runbook> \u202eexe.txt\n")


@pytest.fixture(scope="module")
def azure(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AzureStandin]:
    with AzureStandin(tmp_path_factory.mktemp("azure")) as standin:
        standin.add_service("churn-scorer", logs=INIT_FAILURE_LOG, state="Unhealthy",
                            error={"code": "ContainerCrash", "message": "Your container "
                                   "application crashed."})
        standin.add_service("fraud-api", logs="INFO ready\n", state="Healthy")
        standin.add_service("quiet-api", logs="", state="Transitioning")
        standin.add_service("pay-api", logs=INIT_FAILURE_LOG, state="Unhealthy",
                            error={"code": "ContainerCrash", "message": "crashed"})
        standin.add_service("loud-api", logs=LOUD_LOG, state="Unhealthy <!here>",
                            error={"code": "Crash", "message": "see <https://evil.example|docs>"})
        standin.add_endpoint("credit-ep", {
            "blue": V2Deployment("blue", logs="blue: serving\n"),
            "green": V2Deployment("green", logs=INIT_FAILURE_LOG, state="Failed")},
            traffic={"blue": 10, "green": 90})
        yield standin


@pytest.fixture(scope="module")
def server(azure: AzureStandin, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """`troubleshoot-bot serve` (two gunicorn workers) with the Azure SDKs pointed at the
    stand-in through their standard environment overrides only."""
    from bot.storage.migrations import upgrade

    folder = tmp_path_factory.mktemp("serve-logs")
    database_url = f"sqlite:///{folder / 'bot.db'}"
    upgrade(database_url)
    (folder / "policy.yaml").write_text(POLICY, encoding="utf-8")
    with running_server(folder, database_url, "sqlite", env=sdk_env(azure, folder), extra_env={
            "LOGS_ALLOWED_CHANNELS": ",".join(ALLOWED), "LOGS_TIMEOUT_S": str(TIMEOUT_S),
            "LOGS_RATE_PER_MINUTE": "20",
            "LOGS_POLICY_FILE": str(folder / "policy.yaml")}) as running:
        running.fake.add_user_group(PAY_TEAM, [PAY_DEV])
        yield running


def everything_sent_to_slack(server: Server) -> str:
    parts = [json.dumps(call.args, ensure_ascii=False) + call.body.decode("utf-8", "replace")
             for call in server.fake.calls]
    parts += [data.decode("utf-8", "replace") for data in server.fake.uploads.values()]
    return "\n".join(parts)


def final_update(server: Server, channel: str, timeout: float = EVENT_DEADLINE_S) -> str:
    update = server.wait_in(channel, "chat.update", timeout=timeout)[-1]
    return json.dumps(update.args, ensure_ascii=False)


def test_logs_command_diagnoses_uploads_and_never_leaks_a_secret(server: Server,
                                                                  azure: AzureStandin) -> None:
    channel = "CLOGSA"
    reply = server.slack.command("logs churn-scorer --lines 300", channel=channel)
    assert reply.status == 200

    progress = server.wait_in(channel, "chat.postMessage")[0]
    assert "fetching the last 300 lines of `churn-scorer`" in progress.args["text"]
    shown = final_update(server, channel)
    progress_ts = server.calls_in(channel, "chat.update")[-1].args["ts"]
    assert "function-fails-get_model_path" in shown  # the diagnosis names the KB entry
    assert "Model not found in cache or in root" in shown  # ... with the log line showing it
    assert "Unhealthy" in shown and "ContainerCrash" in shown  # the service's own state/error

    upload = server.fake.wait_for("files.completeUploadExternal")
    assert upload[0].args.get("channel_id") == channel
    assert upload[0].args.get("thread_ts") == progress_ts  # in the fetch's thread
    uploaded = "\n".join(data.decode() for data in server.fake.uploads.values())
    assert "Model not found in cache or in root" in uploaded  # the whole log ...
    assert "[REDACTED" in uploaded  # ... redacted
    assert any("/services/churn-scorer/logs" in r.path and r.query.get("tail") == ["300"]
               for r in azure.requests)

    sent = everything_sent_to_slack(server)
    for secret in (*PLANTED_SECRETS, "test-sp-secret-value"):
        assert secret not in sent

    rows = server.sql("SELECT \"user\", channel, target, backend, outcome, duration_ms, lines "
                      "FROM log_fetches WHERE channel = :c", c=channel)
    assert [(r[0], r[2], r[3], r[4], r[6]) for r in rows] == [
        ("U0000ALICE", "churn-scorer", "azureml-v1", "ok", 300)]
    assert rows[0][5] is not None


def test_unknown_service_gets_the_closest_names(server: Server) -> None:
    channel = "CLOGSB"
    server.slack.command("logs churn-scorr", channel=channel)
    shown = final_update(server, channel)
    assert "can't find" in shown and "Did you mean `churn-scorer`" in shown
    assert server.sql("SELECT outcome FROM log_fetches WHERE channel = :c",
                      c=channel) == [("not_found",)]
    assert metric(scrape(server.url), "troubleshoot_log_fetches_total", outcome="not_found") >= 1


def test_channel_outside_the_policy_is_refused_without_contacting_azure(
        server: Server, azure: AzureStandin) -> None:
    channel = "CNOTALLOWED1"
    before = len(azure.requests)
    server.slack.command("logs churn-scorer", channel=channel)
    refusal = server.fake.wait_for("response_url",
                                   predicate=lambda c: channel in c.path)[0]
    assert "can't be fetched in this channel" in refusal.args["text"]
    assert "Ask a workspace admin" in refusal.args["text"]  # how to get access ...
    assert "LOGS_ALLOWED_CHANNELS" not in refusal.args["text"]  # ... without the internals
    assert refusal.args.get("response_type") == "ephemeral"
    assert len(azure.requests) == before  # not one request to Azure
    assert not server.calls_in(channel, "chat.postMessage")
    assert server.sql("SELECT outcome FROM log_fetches WHERE channel = :c",
                      c=channel) == [("denied",)]


def test_a_service_narrowed_to_a_user_group_is_fetched_by_its_members_only(
        server: Server, azure: AzureStandin) -> None:
    channel = "CLOGSL"  # an allowed channel: the policy file's rule decides
    before = len(azure.requests)
    server.slack.command("logs pay-api", channel=channel)  # U0000ALICE: not in the group
    refusal = server.fake.wait_for("response_url",
                                   predicate=lambda c: channel in c.path)[0]
    assert "not allowed to fetch the logs of `pay-api`" in refusal.args["text"]
    assert refusal.args.get("response_type") == "ephemeral"
    assert len(azure.requests) == before and not server.calls_in(channel, "chat.postMessage")

    server.slack.command("logs pay-api", channel=channel, user=PAY_DEV)  # a member
    shown = final_update(server, channel)
    assert "pay-api" in shown and "function-fails-get_model_path" in shown
    asked = [call.args.get("usergroup") for call in server.fake.calls_to("usergroups.users.list")]
    assert PAY_TEAM in asked
    assert [row[0] for row in server.sql(
        "SELECT outcome FROM log_fetches WHERE channel = :c ORDER BY id", c=channel)] == [
        "denied", "ok"]


def test_hanging_endpoint_times_out_while_the_bot_keeps_answering(
        server: Server, azure: AzureStandin) -> None:
    hanging, other = "CLOGSC", "CLOGSD"
    azure.hang_paths.append("/services/fraud-api/logs")
    try:
        server.slack.command("logs fraud-api", channel=hanging)
        server.wait_in(hanging, "chat.postMessage")
        # While that fetch hangs, someone else asks for help and is answered.
        server.slack.command("help", channel=other)
        [helped] = server.fake.wait_for("response_url", predicate=lambda c: other in c.path)
        shown = final_update(server, hanging)
        assert f"timed out after {TIMEOUT_S} s" in shown
        # The help was answered before the hanging fetch gave up: nothing waited for it. (By
        # the calls' own times: "no update yet" when the help arrived failed under load.)
        [gave_up] = server.calls_in(hanging, "chat.update")
        assert helped.at < gave_up.at
    finally:
        azure.hang_paths.remove("/services/fraud-api/logs")
    assert server.sql("SELECT outcome FROM log_fetches WHERE channel = :c",
                      c=hanging) == [("timeout",)]


def _answer_with_button(service: str | None) -> dict[str, object]:
    return {"type": "message", "ts": new_ts(), "text": "answer", "blocks": [{
        "type": "actions", "block_id": "buttons:1:-", "elements": [{
            "type": "button", "action_id": "fetch_logs",
            "text": {"type": "plain_text", "text": "Fetch logs"},
            "value": json.dumps({"incident_id": None, "entry_id": None,
                                 "service": service})}]}]}


def test_fetch_logs_button_reads_a_v2_deployment_in_the_thread(server: Server,
                                                                azure: AzureStandin) -> None:
    channel = "CLOGSE"
    message = _answer_with_button("credit-ep")
    server.slack.click(message, channel=channel, action_id="fetch_logs")
    progress = server.wait_in(channel, "chat.postMessage")[0]
    assert progress.args.get("thread_ts") == message["ts"]  # in the answer's thread
    shown = final_update(server, channel)
    assert "credit-ep/green" in shown  # the deployment taking most traffic
    assert "Failed" in shown and "azureml-v2" in shown
    assert "function-fails-get_model_path" in shown
    assert any(r.path.endswith("/onlineEndpoints/credit-ep/deployments/green/getLogs")
               and json.loads(r.body) == {"containerType": "InferenceServer", "tail": 200}
               for r in azure.requests)


def _modal_after_click(server: Server, channel: str, user: str = "U0000ALICE"
                       ) -> tuple[dict[str, Any], dict[str, Any]]:
    """(the modal as opened at once, as filled in once the bot asked Azure for its names)."""
    server.slack.click(_answer_with_button(None), channel=channel, action_id="fetch_logs",
                       user=user)
    opened = server.fake.wait_for("views.open",
                                  predicate=lambda c: channel in json.dumps(c.args))[0]
    update = server.fake.wait_for("views.update", predicate=lambda c: (
        channel in json.dumps(c.args)))[0]
    return _view(opened.args["view"]), _view(update.args["view"])


def _view(view: Any) -> dict[str, Any]:
    return json.loads(view) if isinstance(view, str) else view


def _submit(server: Server, view: dict[str, Any], values: dict[str, Any]) -> None:
    payload = {
        "type": "view_submission", "team": {"id": "T0000TEST", "domain": "test"},
        "user": {"id": "U0000BOB", "username": "bob", "team_id": "T0000TEST"},
        "api_app_id": "A0000TEST", "token": "legacy", "trigger_id": new_trigger_id(),
        "view": {**view, "id": "V0003", "state": {"values": values}}}
    assert server.slack.interaction(payload).status == 200


def test_fetch_logs_button_without_a_service_offers_what_the_bot_can_read(
        server: Server) -> None:
    channel = "CLOGSF"
    opened, listed = _modal_after_click(server, channel)
    # At once (a trigger_id lasts 3 s): a field to type in, while the names load.
    assert opened["callback_id"] == "fetch_logs_modal"
    assert json.loads(opened["private_metadata"])["channel"] == channel
    assert "Listing the services I can read" in json.dumps(opened)
    # Then a dropdown of every service and endpoint/deployment the stand-in has that this
    # person may fetch: not the payments service, which the policy keeps for its team.
    assert _listed(listed) == [
        "churn-scorer", "credit-ep", "credit-ep/blue", "credit-ep/green", "fraud-api",
        "loud-api", "quiet-api"]
    _submit(server, listed, {"service": {"value": {
        "type": "static_select", "selected_option": {"value": "credit-ep/blue", "text": {
            "type": "plain_text", "text": "credit-ep/blue"}}}},
        "lines": {"value": {"type": "plain_text_input", "value": "20"}}})
    progress = server.wait_in(channel, "chat.postMessage")[0]
    assert "last 20 lines of `credit-ep/blue`" in progress.args["text"]
    assert "credit-ep/blue" in final_update(server, channel)


def _listed(view: dict[str, Any]) -> list[str]:
    [select] = [block["element"] for block in view["blocks"]
                if block.get("block_id") == "service"]
    assert select["type"] == "static_select"
    return [option["value"] for option in select["options"]]


def test_the_modal_lists_a_narrowed_service_only_to_those_who_may_fetch_it(
        server: Server) -> None:
    """The policy keeps `pay-*` for the payments team: listing its names to everyone told
    them what the team runs (and offered a choice that could only be refused)."""
    _opened, listed = _modal_after_click(server, "CLOGSG", user=PAY_DEV)
    assert "pay-api" in _listed(listed)


def test_the_modal_lets_the_person_type_when_azure_cannot_list(server: Server,
                                                               azure: AzureStandin) -> None:
    channel = "CLOGSJ"
    azure.hang_paths.append("/onlineEndpoints")
    try:
        _opened, fallback = _modal_after_click(server, channel)
    finally:
        azure.hang_paths.remove("/onlineEndpoints")
    shown = json.dumps(fallback)
    assert "couldn't get the list of services from Azure just now" in shown
    [field] = [block["element"] for block in fallback["blocks"]
               if block.get("block_id") == "service_name"]
    assert field["type"] == "plain_text_input"
    assert not server.calls_in(channel, "chat.postMessage")  # nothing in the channel yet
    _submit(server, fallback, {"service_name": {"value": {
        "type": "plain_text_input", "value": "churn-scorer"}}, "lines": {"value": {
            "type": "plain_text_input", "value": ""}}})
    assert "function-fails-get_model_path" in final_update(server, channel)


def test_modal_submission_fetches_the_named_service_in_the_thread(server: Server) -> None:
    channel, thread = "CLOGSG", new_ts()
    payload = {
        "type": "view_submission", "team": {"id": "T0000TEST", "domain": "test"},
        "user": {"id": "U0000BOB", "username": "bob", "team_id": "T0000TEST"},
        "api_app_id": "A0000TEST", "token": "legacy", "trigger_id": new_trigger_id(),
        "view": {"id": "V0001", "type": "modal", "callback_id": "fetch_logs_modal",
                 "private_metadata": json.dumps({"channel": channel, "thread_ts": thread,
                                                 "incident_id": None}),
                 "state": {"values": {
                     "service": {"value": {"type": "plain_text_input",
                                           "value": "churn-scorer"}},
                     "lines": {"value": {"type": "plain_text_input", "value": "50"}}}}},
    }
    reply = server.slack.interaction(payload)
    assert reply.status == 200
    progress = server.wait_in(channel, "chat.postMessage")[0]
    assert progress.args.get("thread_ts") == thread
    assert "last 50 lines of `churn-scorer`" in progress.args["text"]
    assert "function-fails-get_model_path" in final_update(server, channel)


def test_modal_rejects_a_malformed_name_inline(server: Server, azure: AzureStandin) -> None:
    before = len(azure.requests)
    payload = {
        "type": "view_submission", "team": {"id": "T0000TEST"},
        "user": {"id": "U0000BOB", "team_id": "T0000TEST"}, "api_app_id": "A0000TEST",
        "token": "legacy", "trigger_id": new_trigger_id(),
        "view": {"id": "V0002", "type": "modal", "callback_id": "fetch_logs_modal",
                 "private_metadata": json.dumps({"channel": "CLOGSG"}),
                 "state": {"values": {"service": {"value": {"value": "../../etc"}},
                                      "lines": {"value": {"value": ""}}}}},
    }
    reply = server.slack.interaction(payload)
    assert reply.status == 200
    assert reply.json()["response_action"] == "errors" and "service" in reply.json()["errors"]
    assert len(azure.requests) == before


def test_bad_arguments_get_the_usage_and_no_fetch(server: Server) -> None:
    channel = "CLOGSB"
    server.slack.command("logs churn-scorer --lines lots", channel=channel)
    answer = server.fake.wait_for("response_url",
                                  predicate=lambda c: channel in c.path)[0]
    assert "`--lines` needs a positive whole number, not `lots`" in answer.args["text"]
    assert "Usage: `/troubleshoot logs" in answer.args["text"]


def test_markup_in_log_lines_and_service_texts_is_shown_not_obeyed(server: Server) -> None:
    channel = "CLOGSH"
    server.slack.command("logs loud-api", channel=channel)
    shown = final_update(server, channel)
    assert "&lt;!channel&gt;" in shown and "&lt;!here&gt;" in shown  # shown, escaped
    sent = json.dumps([call.args for call in server.fake.calls
                       if call.args.get("channel") == channel], ensure_ascii=False)
    assert "<!channel>" not in sent and "<!here>" not in sent
    assert "<https://evil.example|" not in sent and "\u202e" not in sent


def test_a_korean_user_is_refused_in_korean_without_setting_names(
        server: Server, azure: AzureStandin) -> None:
    channel, user = "CNOTALLOWED2", "U0000KOLOGS"
    server.slack.command("언어 한국어", channel=channel, user=user)
    server.fake.wait_for("response_url", predicate=lambda c: channel in c.path)
    before = len(azure.requests)
    server.slack.command("로그 churn-scorer", channel=channel, user=user)
    replies = server.fake.wait_for("response_url", 2,
                                   predicate=lambda c: channel in c.path)
    refusal = replies[-1].args
    assert refusal["response_type"] == "ephemeral"
    assert "이 채널에서는 로그를 가져올 수 없습니다" in refusal["text"]
    assert "워크스페이스 관리자" in refusal["text"]
    assert "LOGS_" not in refusal["text"] and "Ask" not in refusal["text"]
    assert len(azure.requests) == before
    assert not server.calls_in(channel, "chat.postMessage")


def test_a_korean_users_log_result_is_announced_in_korean(server: Server) -> None:
    # A message's `text` is what Slack shows in the notification, the channel list and to a
    # screen reader: it said "Logs of churn-scorer: state Unhealthy; known problems:
    # function-fails-get_model_path" above a Korean result.
    channel, user = "CLOGSM", "U0000KOFETCH"
    server.slack.command("언어 한국어", channel=channel, user=user)
    server.fake.wait_for("response_url", predicate=lambda c: channel in c.path)
    server.slack.command("로그 churn-scorer", channel=channel, user=user)
    text = server.wait_in(channel, "chat.update")[-1].args["text"]
    assert "churn-scorer 로그" in text and "Unhealthy" in text
    assert "init()에서 모델을 찾지 못함" in text  # a known problem, by its Korean title
    assert "Logs of" not in text and "known problems" not in text and "state" not in text


def test_why_azure_failed_is_said_in_korean_to_a_korean_user(server: Server,
                                                             azure: AzureStandin) -> None:
    # ":warning: `credit-ep/blue` 로그를 가져오지 못했습니다: Azure answered with an internal
    # error (HTTP 500); try again in a minute." The reason is the reader's language too.
    channel, user = "CLOGSP", "U0000KO500"  # a channel of its own: waits are per channel
    server.slack.command("언어 한국어", channel=channel, user=user)
    server.fake.wait_for("response_url", predicate=lambda c: channel in c.path)
    azure.log_status = 500
    try:
        # A v2 deployment: its SDK reports a 500 at once (v1's retries until the deadline).
        server.slack.command("로그 credit-ep/blue", channel=channel, user=user)
        text = server.wait_in(channel, "chat.update")[-1].args["text"]
    finally:
        azure.log_status = None
    assert "`credit-ep/blue` 로그를 가져오지 못했습니다" in text
    assert "Azure가 내부 오류(HTTP 500)로 응답했습니다. 1분 뒤에 다시 시도하세요" in text
    assert "answered" not in text and "try again" not in text
    assert server.sql("SELECT outcome FROM log_fetches WHERE channel = :c",
                      c=channel) == [("backend_error",)]


def test_a_v2_deployments_endpoint_state_is_not_shown_as_its_error(server: Server) -> None:
    # A failed deployment under a healthy endpoint read "Service error: endpoint credit-ep is
    # Succeeded", in English in a Korean answer too: the endpoint's state is not an error.
    channel = "CLOGSN"
    server.slack.command("logs credit-ep/green", channel=channel)
    shown = final_update(server, channel)
    assert "Service state: `Failed`" in shown
    assert "Service error" not in shown  # the deployment reported no error
    assert "Endpoint `credit-ep`: `Succeeded`" in shown


def test_an_empty_log_is_said_to_be_empty(server: Server) -> None:
    # A service that wrote nothing got "No known problem recognised in these lines. No error
    # lines in the last 200 lines.", as if 200 lines had been read and found clean.
    channel = "CLOGSO"
    server.slack.command("logs quiet-api", channel=channel)
    shown = final_update(server, channel)
    assert "The log is empty" in shown
    assert "No error lines in the last" not in shown and "recognised in these lines" not in shown


def test_exactly_the_typed_name_is_never_offered_back(server: Server) -> None:
    channel = "CLOGSB"
    server.slack.command("logs credit-ep/purple", channel=channel)
    shown = final_update(server, channel)
    assert "can't find" in shown
    assert "`credit-ep/purple`?" not in shown  # not "did you mean" what was typed


def test_answers_offer_fetch_logs_only_where_logs_may_be_fetched(server: Server) -> None:
    def buttons_in(channel: str) -> dict[str, dict[str, object]]:
        answer = server.wait_in(channel, "chat.postMessage", predicate=lambda call: any(
            block.get("type") == "actions" for block in call.args.get("blocks") or []))[0]
        return {element["action_id"]: element for block in answer.args["blocks"]
                if block["type"] == "actions" for element in block["elements"]}

    crash = "Back-off restarting failed container"
    server.slack.command(crash, channel="CLOGSI")
    fetch = buttons_in("CLOGSI")["fetch_logs"]
    [(incident_id,)] = server.sql("SELECT incident_id FROM occurrences WHERE channel = 'CLOGSI'")
    assert json.loads(str(fetch["value"])) == {
        "incident_id": incident_id, "entry_id": "service-launch-fails", "service": None}
    server.slack.command(crash, channel="CNOTALLOWED3")
    assert "fetch_logs" not in buttons_in("CNOTALLOWED3")


def test_a_channel_the_bot_cannot_post_in_gets_the_invite_hint_not_a_fetch(
        server: Server, azure: AzureStandin) -> None:
    channel = "CLOGSK"
    server.fake.leave_channel(channel)
    # Requests for this service: the server is shared by the module, and what earlier tests
    # started (a token refresh, the SDKs' first look at the cloud) may reach Azure any time.
    before = len(azure.requests)
    server.slack.command("logs churn-scorer", channel=channel)
    reply = server.fake.wait_for("response_url",
                                 predicate=lambda c: c.path.endswith("/" + channel))[0]
    assert reply.args["response_type"] == "ephemeral"
    # The app as Slack names it (a mention of its bot user), not a name written in the code.
    assert reply.args["text"].endswith("(`/invite`, then pick it): <@UBOT000001>")
    assert "@troubleshoot" not in reply.args["text"]
    # Nothing fetched for a result nobody could see: a fetch names the service in its path.
    assert not [r.path for r in azure.requests[before:] if "churn-scorer" in r.path]
