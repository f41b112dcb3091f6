"""The log result message as rendered for Slack: log lines and the service's own texts are
redacted and escaped (issue 9, item 9). The same through the real server is
tests/logs/test_logs_slack.py::test_markup_in_log_lines_and_service_texts_is_shown_not_obeyed."""

from __future__ import annotations

import json

from bot.logs.diagnose import diagnose
from bot.logs.render import result_message
from bot.logs.service import LogReport, LogRequest
from bot.logs.source import FetchedLogs

LOG = ("2026-11-25T10:00:02Z ERROR init() failed <!channel> token=xoxb-1-2-AbCdEfGhIjKlMnOp\n"
       "2026-11-25T10:00:03Z ERROR fix at <https://evil.example|the runbook> \u202eexe.txt\n"
       "2026-11-25T10:00:04Z ERROR ping <@U0000BOSS> in <#C0000OPS> & <!here>\n")


def test_log_lines_and_service_texts_are_shown_escaped_never_as_markup() -> None:
    fetched = FetchedLogs(text=LOG, state="Unhealthy <!here>",
                          error="Crash: see <https://evil.example|docs>", backend="azureml-v1",
                          target="loud-api")
    report = LogReport(request=LogRequest(workspace="T1", user="U1", channel="C1",
                                          target="loud-api"),
                       outcome="ok", fetched=fetched, diagnosis=diagnose(LOG), duration_ms=900)
    message = result_message(report, "en")
    shown = json.dumps(message, ensure_ascii=False)
    assert "&lt;!channel&gt;" in shown and "&lt;!here&gt;" in shown and "&amp;" in shown
    for active in ("<!channel>", "<!here>", "<https://evil.example|", "<@U0000BOSS>",
                   "<#C0000OPS>", "\u202e", "AbCdEfGhIjKlMnOp"):
        assert active not in shown, active
