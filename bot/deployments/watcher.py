"""One watch cycle: handle the alerts not handled yet, then report every watched deployment
that failed. Shared by the worker, `troubleshoot-bot deployments check` and the alert endpoint.

Reporting one failure: claim its episode (bot.deployments.service.claim; whoever loses does
nothing), fetch its logs through bot.logs (the same policy per channel, redaction, deadline and
audit as `/troubleshoot logs`), diagnose them with the matcher, post the card to each channel
watching the deployment with the redacted log in its thread, record the incident with the
service name. Azure down or slow: the claim is given back and nothing is posted; the next
cycle tries again.
"""

from __future__ import annotations

import logging
import os
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from slack_sdk.errors import SlackApiError
from sqlalchemy import Engine

from bot.answers import Answer, AnswerContext, answer
from bot.answers.lines import MRKDWN
from bot.answers.links import answer_links
from bot.deployments import render, service
from bot.deployments.alerts import Alert
from bot.deployments.inventory import Deployment, Inventory, shared_inventory
from bot.deployments.service import Watch
from bot.deployments.sweep_policy import WATCH_USER, SweepPolicy
from bot.incidents.audience import Audience, PublicAmong
from bot.logs.diagnose import Diagnosis, diagnose
from bot.logs.fetcher import shared_fetcher, timeout_seconds
from bot.logs.resolver import Resolver, default_resolver
from bot.logs.service import DEFAULT_LINES, LogReport, LogRequest, LogService
from bot.logs.source import FetchedLogs, LogFetchError
from bot.settings import settings
from bot.storage import engine_for, normalize_database_url
from bot.teaching.live import current_matcher

log = logging.getLogger(__name__)

SOURCE_WATCH, SOURCE_ALERT = "deploy", "alert"  # the occurrence source of a reported failure
# Errors that say Azure is down or slow right now: report nothing, try again next cycle.
TRANSIENT = ("unreachable", "timeout", "busy")
AZURE_UNAVAILABLE = "azure unavailable"
KEPT_BY_POLICY = "kept by the logs policy"  # a policy rule names it to no watching channel


# (workspace, the channel posted to) -> which of these channels that channel's readers may see:
# public ones, none for a Slack Connect channel (the front end's rule, bot.slack.privacy).
Privacy = Callable[[str, str], PublicAmong]


class AzureUnavailable(RuntimeError):
    """Azure could not be asked (down, slow, credentials refused): nothing was posted."""


@dataclass(frozen=True)
class Outcome:
    name: str  # endpoint/deployment or service
    status: str  # posted / already reported / azure unavailable / no channel / slack failed
    episode: str = ""
    channels: tuple[str, ...] = ()
    detail: str = ""


@dataclass
class Cycle:
    outcomes: list[Outcome] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # why (part of) the cycle did not run

    @property
    def posted(self) -> list[Outcome]:
        return [outcome for outcome in self.outcomes if outcome.status == "posted"]

    @property
    def complete(self) -> bool:
        """False when Azure failed somewhere: something may be left for the next cycle."""
        return not self.errors and all(outcome.status != AZURE_UNAVAILABLE
                                       for outcome in self.outcomes)


def worker_name() -> str:
    """Who holds a claim (host and process), for the claim rows and the logs."""
    return f"{socket.gethostname()}:{os.getpid()}"


def watch_interval_s() -> int:
    return settings().deploy_watch_interval_s


def default_channel() -> str | None:
    return settings().alert_default_channel


class Watcher:
    def __init__(self, database_url: str, client: Any, *, worker: str,
                 privacy: Privacy | None = None,
                 inventory: Callable[[], Inventory] = shared_inventory,
                 resolver: Callable[[], Resolver] = default_resolver) -> None:
        """`privacy(workspace, channel)`: which channels are public to `channel`'s readers (the
        composition root hands it in, as for the digest); without it an answer shows only
        the channel's own past incidents."""
        self.database_url = normalize_database_url(database_url)
        self.engine: Engine = engine_for(self.database_url)
        self.client = client
        self.worker = worker
        self._privacy = privacy
        self._inventory = inventory
        self._resolver = resolver
        self._team: str | None = None

    # ----- the cycle
    def run_cycle(self) -> Cycle:
        cycle = Cycle()
        policy = SweepPolicy()  # the logs policy file, read once for the whole sweep
        for key in service.pending_alerts(self.engine):
            try:
                cycle.outcomes += self.handle_alert(key, policy)
            except AzureUnavailable as error:
                cycle.errors.append(str(error))
        try:
            cycle.outcomes += self.scan(policy)
        except AzureUnavailable as error:
            cycle.errors.append(str(error))
        return cycle

    def deployments(self) -> list[Deployment]:
        try:
            return self._inventory().all()
        except LogFetchError as error:
            raise AzureUnavailable(f"Azure: {error.message}") from error

    def scan(self, policy: SweepPolicy) -> list[Outcome]:
        """Every failed deployment a channel watches, reported once per episode."""
        watches = service.list_watches(self.engine)
        if not watches:
            return []  # nobody watches: Azure is not even asked
        outcomes = []
        deployments = self.deployments()
        reported = service.unrecovered(self.engine)
        for deployment in deployments:
            if not deployment.failed:
                if deployment.resource in reported:  # healthy again: that episode is over
                    service.mark_recovered(self.engine, deployment.resource)
                continue
            watching = service.watchers_of(watches, deployment.name)
            channels = policy.named_to(watching, deployment.name)
            if watching and not channels:
                outcomes.append(Outcome(deployment.name, KEPT_BY_POLICY,
                                        detail=policy.kept_detail()))
            if channels:
                episode = service.episode_of(self.engine, deployment.resource,
                                             deployment.modified)
                outcomes.append(self.report_failure(deployment, episode, channels, policy,
                                                    origin="watch"))
        return outcomes

    # ----- alerts
    def handle_alert(self, key: str, policy: SweepPolicy | None = None) -> list[Outcome]:
        """An alert stored by the endpoint: its targets, reported like the watch reports them.

        A failed deployment's episode is the same the watch would claim (its last-modified
        time), so an alert and a check of one failure post once. A target Azure does not call
        failed (a metric alert on a serving endpoint) is its own episode, `alert:<id>`.
        `policy`: the sweep's view of the logs policy; an alert the endpoint hands over on its
        own is a sweep of its own."""
        payload = service.claim_alert(self.engine, key, self.worker)
        if payload is None:
            return []  # handled, or being handled, elsewhere
        policy = policy or SweepPolicy()
        alert = Alert.from_json(payload)
        try:
            found = {item.name.lower(): item for item in self.deployments()}
        except AzureUnavailable as error:
            service.finish_alert(self.engine, key, str(error), done=False)
            raise
        watches = service.list_watches(self.engine)
        outcomes: list[Outcome] = []
        for target in alert.targets:
            for deployment in _deployments_named(found, target.name or ""):
                watching = service.watchers_of(watches, deployment.name) or self._default()
                if not watching:
                    outcomes.append(Outcome(deployment.name, "no channel", detail=(
                        "no channel watches it and ALERT_DEFAULT_CHANNEL is not set")))
                    continue
                channels = policy.named_to(watching, deployment.name)
                if not channels:
                    outcomes.append(Outcome(deployment.name, KEPT_BY_POLICY,
                                            detail=policy.kept_detail()))
                    continue
                episode = (service.episode_of(self.engine, deployment.resource,
                                              deployment.modified) if deployment.failed
                           else "alert:" + alert.alert_id.rsplit("/", 1)[-1][:100])
                outcomes.append(self.report_failure(deployment, episode, channels, policy,
                                                    origin="alert", alert=alert))
        retry = any(outcome.status == AZURE_UNAVAILABLE for outcome in outcomes)
        detail = "; ".join(f"{o.name}: {o.status}" for o in outcomes) or "no such deployment"
        service.finish_alert(self.engine, key, detail, done=not retry)
        return outcomes

    def _default(self) -> list[Watch]:
        channel = default_channel()
        return [Watch(channel, "*", None, None)] if channel else []

    # ----- one failure
    def report_failure(self, deployment: Deployment, episode: str, channels: list[Watch],
                       policy: SweepPolicy, *, origin: str,
                       alert: Alert | None = None) -> Outcome:
        report_id = service.claim(self.engine, deployment.resource, episode, origin=origin,
                                  worker=self.worker)
        if report_id is None:
            if alert is not None:
                self._add_to_threads(deployment, episode, alert)
            return Outcome(deployment.name, "already reported", episode)
        try:
            posted = self._diagnose_and_post(deployment, channels, policy, origin, alert)
        except AzureUnavailable as error:
            service.release(self.engine, report_id)
            return Outcome(deployment.name, AZURE_UNAVAILABLE, episode, detail=str(error))
        except Exception:
            service.release(self.engine, report_id)
            raise
        if not posted:
            service.release(self.engine, report_id)  # Slack refused everywhere: next cycle
            return Outcome(deployment.name, "slack failed", episode)
        threads = [(channel, ts) for channel, ts, _incident in posted]
        service.record_post(self.engine, report_id, threads, posted[0][2])
        return Outcome(deployment.name, "posted", episode,
                       tuple(channel for channel, _ts, _incident in posted))

    def _diagnose_and_post(self, deployment: Deployment, channels: list[Watch],
                           policy: SweepPolicy, origin: str,
                           alert: Alert | None) -> list[tuple[str, str, int | None]]:
        allowed = {watch.channel for watch in channels
                   if policy.logs_allowed(watch.channel, deployment.name)}
        fetched, fetch_error, duration_ms = None, None, 0
        if allowed:
            fetched, fetch_error, duration_ms = self._fetch(deployment)
        team = self._workspace(channels)
        audit = LogService(self.database_url)
        posted: list[tuple[str, str, int | None]] = []
        diagnoses: dict[str, Diagnosis] = {}  # one per language, not one per channel
        for watch in channels:
            lang = watch.language or settings().bot_language
            report = None
            if watch.channel in allowed and fetched is not None:
                if lang not in diagnoses:
                    diagnoses[lang] = diagnose(
                        fetched.text, lang=lang,
                        matcher=current_matcher(self.database_url, settings().knowledge_path))
                request = LogRequest(workspace=team, user=WATCH_USER, channel=watch.channel,
                                     target=fetched.target, lang=lang)
                report = LogReport(request, "ok", fetched, diagnoses[lang],
                                   duration_ms=duration_ms)
            note = (render.t("no_logs_here", lang) if watch.channel not in allowed
                    else render.t("no_logs", lang, message=fetch_error) if fetch_error else None)
            message = render.failure_card(
                name=deployment.name, state=deployment.state, error=deployment.error,
                origin=origin, rule=alert.rule if alert else None, report=report,
                logs_note=note, lang=lang)
            try:
                ts = self.client.chat_postMessage(channel=watch.channel, **message)["ts"]
            except SlackApiError as error:
                log.warning("deployments: cannot post in %s: %s", watch.channel,
                            error.response.get("error"))
                continue
            answered = self._answer(team, watch.channel, ts, deployment, report, origin, lang)
            incident_id = answered.incident.id if answered and answered.incident else None
            if report is not None and answered is not None:
                # The card again, now with what history says (the incident, the last fix,
                # similar incidents): the same answer a paste of this log would get.
                # Its incident numbers link to their threads, as far as the channel may see.
                markup = answer_links(self.client, self.database_url, answered).markup(MRKDWN)
                self._update(watch.channel, ts, render.failure_card(
                    name=deployment.name, state=deployment.state, error=deployment.error,
                    origin=origin, rule=alert.rule if alert else None,
                    report=replace(report, answer=answered, incident_id=incident_id),
                    logs_note=None, lang=lang, markup=markup))
            if report is not None and report.diagnosis is not None:
                self._upload(watch.channel, ts, report, lang)
            posted.append((watch.channel, ts, incident_id))
            if report is not None:
                audit.audit(report.request, "ok", backend=fetched.backend if fetched else None,
                            duration_ms=duration_ms, incident_id=incident_id,
                            target=deployment.name)
        return posted

    def _fetch(self, deployment: Deployment) -> tuple[FetchedLogs | None, str | None, int]:
        """The deployment's logs; AzureUnavailable when Azure is down or slow, else the
        reason they could not be had (the card says it)."""
        resolver = self._resolver
        started = time.monotonic()
        try:
            fetched = shared_fetcher().run(
                lambda: resolver().fetch(deployment.name, lines=DEFAULT_LINES, init=False),
                timeout_s=timeout_seconds())
        except LogFetchError as error:
            if error.outcome in TRANSIENT:
                raise AzureUnavailable(f"logs of {deployment.name}: {error.message}") from error
            return None, error.message, 0
        return fetched, None, int((time.monotonic() - started) * 1000)

    def _upload(self, channel: str, ts: str, report: LogReport, lang: str) -> None:
        assert report.diagnosis is not None and report.fetched is not None
        try:
            self.client.files_upload_v2(
                channel=channel, thread_ts=ts,
                content=report.diagnosis.redacted_log or "(empty log)",
                filename=f"{report.fetched.target.replace('/', '_')}-logs.txt",
                title=render.logs_render.t("file_title", lang, target=report.fetched.target))
        except SlackApiError as error:
            log.warning("deployments: log upload failed in %s: %s", channel,
                        error.response.get("error"))

    def _answer(self, team: str, channel: str, ts: str, deployment: Deployment,
                report: LogReport | None, origin: str, lang: str) -> Answer | None:
        """The failure answered like any paste (bot.answers): the incident, with the service
        name and the card's thread, for the channel's readers (past incidents of public
        channels and of this one). History must never stop a report."""
        if report is not None and report.diagnosis is not None:
            text, result = report.diagnosis.matched_text, report.diagnosis.result
        else:  # no logs here: what Azure says about it
            text = f"{deployment.name}: {deployment.state}. {deployment.error or ''}".strip()
            result = None
        context = AnswerContext(
            workspace=team, source=SOURCE_ALERT if origin == "alert" else SOURCE_WATCH,
            language=lang, channel=channel, thread_ts=ts, service=deployment.name,
            audience=Audience(channel=channel, public_among=self._public_among(team, channel)))
        try:
            return answer(text, context, database_url=self.database_url, result=result)
        except Exception:
            log.exception("deployments: could not record the incident of %s", deployment.name)
            return None

    def _public_among(self, team: str, channel: str) -> PublicAmong:
        if self._privacy is None:
            return _no_other_channels  # not known here: fail closed
        try:
            return self._privacy(team, channel)
        except Exception:
            log.warning("deployments: no channel privacy lookup; showing this channel only",
                        exc_info=True)
            return _no_other_channels

    def _update(self, channel: str, ts: str, message: dict[str, Any]) -> None:
        try:
            self.client.chat_update(channel=channel, ts=ts, **message)
        except SlackApiError as error:
            log.warning("deployments: cannot update the card in %s: %s", channel,
                        error.response.get("error"))

    def _add_to_threads(self, deployment: Deployment, episode: str, alert: Alert) -> None:
        """A further alert on an episode already posted adds a line to its threads."""
        message = render.alert_again(alert.rule, settings().bot_language)
        for channel, ts in service.threads_of(self.engine, deployment.resource, episode):
            try:
                self.client.chat_postMessage(channel=channel, thread_ts=ts, **message)
            except SlackApiError as error:
                log.warning("deployments: cannot add to the thread in %s: %s", channel,
                            error.response.get("error"))

    def _workspace(self, channels: list[Watch]) -> str:
        """The Slack team the incidents belong to: a watch's, else the bot token's."""
        for watch in channels:
            if watch.workspace:
                return watch.workspace
        if self._team is None:
            try:
                self._team = str(self.client.auth_test().get("team_id") or "")
            except SlackApiError:
                self._team = ""
        return self._team or "unknown"


def _deployments_named(found: dict[str, Deployment], name: str) -> list[Deployment]:
    """The deployment an alert names; for an endpoint, its failed deployments, else the
    endpoint itself (the logs of the deployment taking its traffic)."""
    name = name.lower()
    if name in found:
        return [found[name]]
    under = [item for key, item in found.items() if key.startswith(name + "/")]
    if not under:
        return []
    failed = [item for item in under if item.failed]
    if failed:
        return failed
    endpoint = under[0].name.split("/", 1)[0]
    return [Deployment(under[0].backend, endpoint, None, None, failed=False)]


def _no_other_channels(_channels: set[str]) -> set[str]:
    return set()

