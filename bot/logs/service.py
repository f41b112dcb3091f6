"""One log fetch, end to end and without Slack: policy, rate limit, deadline, diagnosis, audit.

The Slack handlers (and anything else: a CLI, a test) call `authorize()` first, show progress,
then `fetch()`. Nothing here contacts Azure before the policy and the rate limit say yes.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace

from bot import metrics
from bot.answers import Answer, AnswerContext, answer
from bot.incidents import service as incidents
from bot.incidents.audience import Audience
from bot.logs.diagnose import Diagnosis, diagnose
from bot.logs.fetcher import Fetcher, shared_fetcher, timeout_seconds
from bot.logs.models import LogFetch
from bot.logs.policy import (
    Decision,
    GroupMembers,
    PolicyError,
    load_policy,
    unreadable_policy_refusal,
)
from bot.logs.resolver import Resolver, default_resolver
from bot.logs.source import (
    AuthenticationFailed,
    BackendError,
    FetchedLogs,
    LogFetchError,
    WorkspaceNotFound,
)
from bot.redaction import redact
from bot.settings import settings
from bot.storage import session_scope
from bot.teaching.live import current_matcher

log = logging.getLogger(__name__)

DEFAULT_LINES = 200
MAX_LINES = 5_000
# Azure ML names: letters, digits, '-', '_' and '.'; an online endpoint may add '/deployment'.
SETTING_NAME = re.compile(r"\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b|config\.json")
TARGET_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,254}(/[A-Za-z0-9][A-Za-z0-9._-]{0,254})?$")


@dataclass(frozen=True)
class LogRequest:
    workspace: str  # Slack team id
    user: str
    channel: str
    target: str
    lines: int = DEFAULT_LINES
    init: bool = False
    thread_ts: str | None = None
    lang: str = "en"
    # Who reads the result (the channel's people): which past incidents it may show. None
    # shows none (fails closed).
    audience: Audience | None = None


@dataclass(frozen=True)
class Authorization:
    allowed: bool
    reason: str = ""  # why it was refused, for the server log (may name settings)
    audit_id: int | None = None  # the audit row of an allowed fetch, completed by fetch()
    decision: Decision | None = None  # the refusal, for the user's sentence (Decision.code)


@dataclass(frozen=True)
class LogReport:
    request: LogRequest
    outcome: str  # ok / not_found / timeout / auth_failed / ... (LogFetchError.outcome)
    fetched: FetchedLogs | None = None
    diagnosis: Diagnosis | None = None
    error: LogFetchError | None = None
    duration_ms: int = 0
    incident_id: int | None = None
    reference: str | None = None  # for unexpected failures: quoted to the user, in the log
    answer: Answer | None = None  # the answer to the problem the log shows, when it shows one


@dataclass(frozen=True)
class ConfigurationProblem:
    error: LogFetchError  # its message names settings: for the server log only
    reference: str  # logged with the message; the user quotes it to the admin


def valid_target(target: str) -> bool:
    return bool(TARGET_NAME.match(target))


def is_configuration_error(error: LogFetchError) -> bool:
    """The bot's own set-up is wrong (no workspace, credentials refused, a setting named in the
    message): the admin must act, and the user is not shown the internals."""
    return (isinstance(error, WorkspaceNotFound | AuthenticationFailed)
            or bool(SETTING_NAME.search(error.message)))


class LogService:
    def __init__(self, database_url: str, *,
                 resolver: Callable[[], Resolver] = default_resolver,
                 fetcher: Callable[[], Fetcher] = shared_fetcher) -> None:
        self.database_url = database_url
        self._resolver = resolver
        self._fetcher = fetcher

    # ----- before any Azure call
    def authorize(self, request: LogRequest, *,
                  group_members: GroupMembers | None = None) -> Authorization:
        """Channel, policy file and rate limit; an allowed fetch's audit row.

        An allowed fetch is recorded as `started` in the same locked statement that counts the
        user's recent fetches, so concurrent requests from one user cannot overrun the limit."""
        try:
            policy = load_policy()
        except PolicyError as error:
            log.error("logs policy file unusable: %s", error)
            decision = unreadable_policy_refusal(error)
            self.audit(request, decision.outcome, detail=str(error))
            return Authorization(False, decision.reason, decision=decision)
        decision = policy.check(user=request.user, channel=request.channel,
                                target=request.target, group_members=group_members)
        audit_id = None
        if decision.allowed:
            with session_scope(self.database_url) as session:
                audit_id = policy.claim_slot(session, self._audit_values(request))
            if audit_id is None:
                decision = policy.rate_refusal()
        if not decision.allowed:
            self.audit(request, decision.outcome, detail=decision.reason)
            return Authorization(False, decision.reason, decision=decision)
        return Authorization(True, audit_id=audit_id)

    def check_configuration(self) -> ConfigurationProblem | None:
        """The workspace and credentials are set (read locally, no network call): checked
        before anything is posted in the channel."""
        try:
            self._resolver()
        except LogFetchError as error:
            reference = uuid.uuid4().hex[:8]
            log.warning("log fetching is not configured: %s [ref %s]", error.message,
                        reference, extra={"reference": reference})
            return ConfigurationProblem(error, reference)
        return None

    def service_names(self) -> list[str]:
        """Every service and endpoint the bot could fetch, sorted, for the Fetch-logs modal's
        dropdown. Asked within LOGS_TIMEOUT_S and the fetch concurrency cap; LogFetchError when
        Azure cannot say (unreachable, slow, set-up), and the caller lets the person type."""
        resolver = self._resolver
        try:
            names = self._fetcher().run(lambda: resolver().names(), timeout_s=timeout_seconds())
        except LogFetchError:
            raise
        except Exception as error:  # an SDK's own surprise: still only "could not list"
            raise BackendError(f"could not list services: {type(error).__name__}") from error
        return sorted(set(names))

    # ----- the fetch
    def fetch(self, request: LogRequest, *, audit_id: int | None = None) -> LogReport:
        started = time.monotonic()
        seconds = timeout_seconds()
        reference = None
        try:
            resolver = self._resolver
            fetched = self._fetcher().run(
                lambda: resolver().fetch(request.target, lines=request.lines, init=request.init),
                timeout_s=seconds)
        except LogFetchError as error:
            if is_configuration_error(error):
                # The message names settings (AZURE_CLIENT_SECRET, ...): for the bot's admin, in
                # the server log under a reference the user can quote, never shown in Slack.
                reference = uuid.uuid4().hex[:8]
                log.warning("log fetch of %s failed: %s [ref %s]", request.target,
                            error.message, reference, extra={"reference": reference})
            else:
                log.info("log fetch of %s failed: %s (%s)", request.target, error.outcome,
                         error.__cause__ or error)
            report = LogReport(request, error.outcome, error=error,
                               duration_ms=_ms_since(started), reference=reference)
        except Exception:  # never a stack trace to the user: a reference id instead
            reference = uuid.uuid4().hex[:8]
            log.exception("log fetch of %s failed unexpectedly [ref %s]", request.target,
                          reference, extra={"reference": reference})
            report = LogReport(request, "error", error=BackendError(
                f"something went wrong on the bot's side (reference {reference})"),
                duration_ms=_ms_since(started), reference=reference)
        else:
            # With the team's entries too: what a person would be answered for this log.
            diagnosis = diagnose(fetched.text, lang=request.lang,
                                 matcher=current_matcher(self.database_url,
                                                         settings().knowledge_path))
            report = LogReport(request, "ok", fetched=fetched, diagnosis=diagnosis,
                               duration_ms=_ms_since(started))
        answered, incident_id = self.attach_to_incident(report)
        self.audit(request, report.outcome, backend=report.fetched.backend if report.fetched
                   else None, detail=report.error.message if report.error else None,
                   duration_ms=report.duration_ms, incident_id=incident_id,
                   target=report.fetched.target if report.fetched else None,
                   audit_id=audit_id)
        return replace(report, incident_id=incident_id, reference=reference, answer=answered)

    # ----- history
    def attach_to_incident(self, report: LogReport) -> tuple[Answer | None, int | None]:
        """(the answer, the incident id): a diagnosis that names a known problem is answered
        like any paste (bot.answers), as a `logs` occurrence of the episode that shows it;
        otherwise the thread's incident, if any. History must never break a fetch."""
        request = report.request
        try:
            if report.diagnosis and report.diagnosis.best:
                context = AnswerContext(
                    workspace=request.workspace, source="logs", language=request.lang,
                    user=request.user, channel=request.channel, thread_ts=request.thread_ts,
                    audience=request.audience, service=request.target)
                answered = answer(report.diagnosis.matched_text, context,
                                  database_url=self.database_url,
                                  result=report.diagnosis.result)
                return answered, answered.incident.id if answered.incident else None
            if request.thread_ts:
                with session_scope(self.database_url) as session:
                    incident = incidents.incident_for_thread(
                        session, workspace=request.workspace, channel=request.channel,
                        thread_ts=request.thread_ts)
                    return None, incident.id if incident else None
        except Exception:
            log.exception("could not attach the log fetch of %s to an incident", request.target)
        return None, None

    @staticmethod
    def _audit_values(request: LogRequest) -> dict[str, object]:
        return {"workspace": request.workspace, "user": request.user,
                "channel": request.channel, "thread_ts": request.thread_ts,
                "target": request.target[:255], "lines": request.lines}

    def audit(self, request: LogRequest, outcome: str, *, backend: str | None = None,
              detail: str | None = None, duration_ms: int | None = None,
              incident_id: int | None = None, target: str | None = None,
              audit_id: int | None = None) -> int | None:
        """Write (or, given audit_id, complete) the log_fetches row; returns its id."""
        if outcome != "started":  # a fetch is counted once, when its outcome is known
            metrics.count_log_fetch(outcome)
        try:
            with session_scope(self.database_url) as session:
                row = session.get(LogFetch, audit_id) if audit_id is not None else None
                if row is None:
                    row = LogFetch(**self._audit_values(request))
                    session.add(row)
                row.incident_id = incident_id
                row.target = (target or request.target)[:255]
                row.backend = backend
                row.outcome = outcome
                row.detail = redact(detail)[:500] if detail else None
                row.duration_ms = duration_ms
                session.flush()
                return row.id
        except Exception:
            log.exception("could not write the log_fetches audit row for %s", request.target)
            return None


def _ms_since(started: float) -> int:
    return int((time.monotonic() - started) * 1000)
