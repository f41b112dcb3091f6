"""The failed-deployment card as rendered, without Azure: what a phone's notification says
(the message's `text`) and what the card repeats. The same card end to end, through the Azure
stand-in: tests/deployments/test_watch_cli.py."""

from __future__ import annotations

import json

import pytest

from bot.deployments.render import failure_card
from bot.logs.diagnose import diagnose
from bot.logs.service import LogReport, LogRequest
from bot.logs.source import FetchedLogs
from tests.deployments.conftest import INIT_FAILURE_LOG


def report_for(log: str, *, state: str, lang: str) -> LogReport:
    fetched = FetchedLogs(text=log, state=state, error=None, backend="azureml-v2",
                          target="credit-ep/green", endpoint="credit-ep",
                          endpoint_state="Succeeded")
    return LogReport(request=LogRequest(workspace="T1", user="deployments-watch",
                                        channel="C1", target="credit-ep/green"),
                     outcome="ok", fetched=fetched, diagnosis=diagnose(log, lang=lang),
                     duration_ms=300)


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_notification_names_the_problems_by_title_not_by_id(lang: str) -> None:
    """The Korean notification read "배포 credit-ep/green 실패 (Failed):
    function-fails-get_model_path, service-launch-fails": ids, where the card's own blocks and
    the log result's text give each problem's title in the reader's language."""
    report = report_for(INIT_FAILURE_LOG, state="Failed", lang=lang)
    assert report.diagnosis is not None and report.diagnosis.findings
    card = failure_card(name="credit-ep/green", state="Failed", error=None, origin="watch",
                        rule=None, report=report, logs_note=None, lang=lang)
    for finding in report.diagnosis.findings:
        assert finding.title in card["text"]
        assert finding.entry_id not in card["text"]


@pytest.mark.parametrize(("lang", "said"), [("ko", "상태: `Failed`"), ("en", "`Failed`")])
def test_the_card_says_the_deployments_state_once(lang: str, said: str) -> None:
    """The heading said "(Azure 상태: `Failed`)" and the log section under it "서비스 상태:
    `Failed`" again; a state that differs from the heading's is still shown."""
    report = report_for(INIT_FAILURE_LOG, state="Failed", lang=lang)
    card = failure_card(name="credit-ep/green", state="Failed", error=None, origin="watch",
                        rule=None, report=report, logs_note=None, lang=lang)
    shown = json.dumps(card["blocks"], ensure_ascii=False)
    assert shown.count("`Failed`") == 1 and said in shown
    other = failure_card(name="credit-ep/green", state="Failed", error=None, origin="alert",
                         rule="deploy-failed", logs_note=None, lang=lang,
                         report=report_for(INIT_FAILURE_LOG, state="Unhealthy", lang=lang))
    assert "`Unhealthy`" in json.dumps(other["blocks"], ensure_ascii=False)
