"""Who may fetch: channels, the policy file's service patterns, users and user groups; the
command's arguments; the diagnosis of a log. Pure logic, many cases."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.logs.diagnose import diagnose, error_excerpt
from bot.logs.policy import PolicyError, load_policy
from bot.logs.suggest import closest_names
from bot.settings import from_environment
from bot.slack.listeners.logs import UsageError, parse_args
from tests.logs.conftest import INIT_FAILURE_LOG, PLANTED_SECRETS

POLICY = """
contact: "#ml-platform"
rules:
  - services: ["payments-*"]
    users: [UPAYLEAD]
    user_groups: [SPAYTEAM]
  - services: ["churn-*"]
    channels: [CCHURN]
"""


def policy_with(tmp_path: Path, channels: str, text: str | None = POLICY):
    env = {"LOGS_ALLOWED_CHANNELS": channels}
    if text is not None:
        path = tmp_path / "policy.yaml"
        path.write_text(text)
        env["LOGS_POLICY_FILE"] = str(path)
    return load_policy(from_environment(env))


@pytest.mark.parametrize(("channels", "channel", "allowed"), [
    ("", "C1", False), ("C1,C2", "C2", True), ("C1, C2", "C3", False), ("*", "CANY", True)])
def test_allowed_channels(tmp_path: Path, channels: str, channel: str, allowed: bool) -> None:
    policy = policy_with(tmp_path, channels, None)
    decision = policy.check(user="U1", channel=channel, target="svc")
    assert decision.allowed is allowed
    if not allowed:
        assert "LOGS_ALLOWED_CHANNELS" in decision.reason


def test_policy_file_narrows_by_service_user_group_and_channel(tmp_path: Path) -> None:
    policy = policy_with(tmp_path, "*")
    members = {"SPAYTEAM": {"UPAYDEV"}}
    def check(user: str, channel: str, target: str) -> bool:
        return policy.check(user=user, channel=channel, target=target,
                            group_members=lambda group: members[group]).allowed
    assert check("UPAYLEAD", "C1", "payments-api")  # a listed user
    assert check("UPAYDEV", "C1", "payments-api/blue")  # a member of a listed group
    assert not check("USTRANGER", "C1", "payments-api")
    assert check("USTRANGER", "CCHURN", "churn-scorer")  # anyone in the listed channel
    assert not check("UPAYLEAD", "C1", "churn-scorer")
    assert check("USTRANGER", "C1", "fraud-api")  # no rule: the channel list decides
    refusal = policy.check(user="USTRANGER", channel="C1", target="payments-api")
    assert "#ml-platform" in refusal.reason


def test_a_failing_group_lookup_refuses_and_is_asked_again_next_time(tmp_path: Path) -> None:
    # A group of its own: members read by another test stay cached for five minutes.
    policy = policy_with(tmp_path, "*", POLICY.replace("SPAYTEAM", "SPAYFAILS"))
    def broken(group: str) -> set[str]:
        raise RuntimeError("missing_scope")
    assert not policy.check(user="UNEW", channel="C1", target="payments-x",
                            group_members=broken).allowed
    # Slack answers again: the member gets in at once, not five minutes later.
    assert policy.check(user="UNEW", channel="C1", target="payments-x",
                        group_members=lambda group: {"UNEW"}).allowed


@pytest.mark.parametrize("text", ["rules: [{users: [U1]}]", "- just a list",
                                  "rules: [{services: 3}]"])
def test_malformed_policy_file_is_an_error(tmp_path: Path, text: str) -> None:
    with pytest.raises(PolicyError):
        policy_with(tmp_path, "*", text)


@pytest.mark.parametrize(("args", "expected"), [
    ("churn-scorer", ("churn-scorer", 200, False)),
    ("credit-ep/green --lines 50 --init", ("credit-ep/green", 50, True)),
    ("--lines=999999 churn-scorer", ("churn-scorer", 5000, False)),
    ("`churn-scorer` -n 10", ("churn-scorer", 10, False)),
])
def test_parse_args(args: str, expected: tuple[str, int, bool]) -> None:
    assert parse_args(args) == expected


@pytest.mark.parametrize("args", ["", "--lines", "svc --lines ten", "a b", "svc --tail 3",
                                  "../etc/passwd", "svc --lines 0"])
def test_bad_arguments_are_usage_errors(args: str) -> None:
    with pytest.raises(UsageError):
        parse_args(args)


def test_closest_names() -> None:
    names = ["churn-scorer", "fraud-api", "credit-ep", "credit-ep/green"]
    assert closest_names("churn-scorr", names)[0] == "churn-scorer"
    assert closest_names("zzzz", names) == []


def test_diagnosis_names_the_problem_with_its_lines_and_redacts_first() -> None:
    diagnosis = diagnose(INIT_FAILURE_LOG)
    found = {finding.entry_id: finding for finding in diagnosis.findings}
    assert "function-fails-get_model_path" in found
    assert any("Model not found" in line or "get_model_path" in line
               for line in found["function-fails-get_model_path"].lines)
    assert diagnosis.result.answer is not None  # recorded in history under a finding
    shown = "\n".join([diagnosis.redacted_log, diagnosis.matched_text, *diagnosis.excerpt])
    for secret in PLANTED_SECRETS:
        assert secret not in shown


def test_healthy_log_has_no_findings_and_no_excerpt() -> None:
    log = "\n".join(f"2026-11-25 INFO request {n} served in 12 ms" for n in range(300))
    diagnosis = diagnose(log)
    assert diagnosis.findings == () and diagnosis.excerpt == ()


def test_excerpt_keeps_the_last_error_lines_within_limits() -> None:
    lines = [f"ERROR failure number {n} " + "x" * 400 for n in range(100)]
    excerpt = error_excerpt(lines)
    assert len(excerpt) <= 12 and sum(len(line) for line in excerpt) <= 2_600
    assert excerpt[-1].startswith("ERROR failure number 99")


def test_each_episode_of_a_log_is_named_causes_first() -> None:
    oom = ("2026-11-25T10:00:00 | root | INFO | scoring batch\n"
           "2026-11-25T10:00:05 | kernel | ERROR | Worker (pid:77) was sent SIGKILL! "
           "Perhaps out of memory?\n")
    diagnosis = diagnose(INIT_FAILURE_LOG + "\n" * 10 + oom * 2)
    ids = [finding.entry_id for finding in diagnosis.findings]
    # The init() traceback's cause first, the later OOM kill next, the general symptom last.
    assert ids[:2] == ["function-fails-get_model_path", "vm-out-of-memory"]
    assert "SIGKILL" in diagnosis.findings[1].lines[0]
    assert diagnosis.result.answer is not None
    assert diagnosis.result.answer.entry_id == "function-fails-get_model_path"
