"""The deadline and the concurrency cap around SDK calls, and how their outcomes read."""

from __future__ import annotations

import threading

import pytest

from bot.logs.fetcher import Fetcher, TooManyFetches
from bot.logs.render import failure_text
from bot.logs.service import LogReport, LogRequest
from bot.logs.source import (
    AzureUnreachable,
    FetchedLogs,
    FetchTimeout,
    ServiceNotFound,
    WorkspaceNotFound,
)


def test_a_hanging_fetch_times_out_holds_its_slot_and_frees_it_when_it_ends() -> None:
    fetcher = Fetcher(workers=1)
    release = threading.Event()
    done = threading.Event()

    def hanging() -> FetchedLogs:
        release.wait(30)
        done.set()
        return FetchedLogs("late", None, None, "test", "svc")

    with pytest.raises(FetchTimeout) as raised:
        fetcher.run(hanging, timeout_s=0.2)
    assert raised.value.message == "timed out after 0.2 s"
    # The abandoned fetch still counts against the cap ...
    with pytest.raises(TooManyFetches):
        fetcher.run(lambda: FetchedLogs("x", None, None, "test", "svc"), timeout_s=1)
    release.set()
    assert done.wait(5)
    # ... until it ends; then the next fetch runs.
    for _ in range(50):
        try:
            result = fetcher.run(lambda: FetchedLogs("ok", None, None, "test", "svc"),
                                 timeout_s=5)
            break
        except TooManyFetches:
            # The poll interval of this wait (2.5 s in all): the slot is freed just after the
            # fetch returns, in the fetcher's own thread, which signals nothing.
            threading.Event().wait(0.05)
    assert result.text == "ok"


def test_errors_inside_the_worker_reach_the_caller() -> None:
    def missing() -> FetchedLogs:
        raise WorkspaceNotFound("workspace ws was not found")

    with pytest.raises(WorkspaceNotFound):
        Fetcher(workers=2).run(missing, timeout_s=5)


@pytest.mark.parametrize(("error", "lang", "expected"), [
    (ServiceNotFound("churn-scorr", ["churn-scorer"]), "en", "Did you mean `churn-scorer`?"),
    (ServiceNotFound("churn-scorr", ["churn-scorer"]), "ko", "혹시 `churn-scorer`인가요?"),
    (FetchTimeout(30), "en", "timed out after 30 s"),
    (FetchTimeout(30), "ko", "30초 안에 가져오지 못했습니다"),
    (WorkspaceNotFound("workspace ws was not found (check AZURE_SUBSCRIPTION_ID)"), "en",
     "Log fetching is not set up on the bot's side yet. Ask the bot's admin (reference `r1`)"),
    (AzureUnreachable("cannot reach Azure (is AZUREML_CURRENT_CLOUD a known cloud?)"), "ko",
     "봇에 로그 가져오기 설정이 아직 되어 있지 않습니다. 봇 담당자에게 문의하세요(참조 번호 `r1`)"),
    (AzureUnreachable("cannot reach Azure"), "en",
     "Couldn't fetch the logs of `churn-scorr`: cannot reach Azure."),
    (ServiceNotFound("churn-scorr", [], missing_extras=["v1"]), "ko",
     "봇 담당자에게 `troubleshoot-bot[v1]` 설치를 요청하세요"),
])
def test_failure_answers_in_both_languages(error: Exception, lang: str, expected: str) -> None:
    """In the user's language; a message naming the bot's settings becomes "not set up" with
    the reference the server log holds it under."""
    request = LogRequest(workspace="T", user="U", channel="C", target="churn-scorr", lang=lang)
    report = LogReport(request, getattr(error, "outcome", "error"), error=error,  # type: ignore[arg-type]
                       reference="r1" if "r1" in expected else None)
    shown = failure_text(report, lang)
    assert expected in shown
    assert "AZURE" not in shown
