"""The one small interface every log source implements, and the errors they may raise.

A source knows one backend (Azure ML SDK v1 web services, SDK v2 online endpoints, ...). It turns
a target name into the raw log text plus the service's own state and error, and it can name the
closest existing targets when asked for one that does not exist. Everything else (who may fetch,
deadlines, redaction, diagnosis, Slack) lives outside the sources.

Adding a Kubernetes source later is one module, `bot/logs/kubernetes.py`:

    class KubernetesSource:
        name = "kubernetes"
        def __init__(self, config, creds): ...      # or read its own kubeconfig
        def exists(self, target): ...               # "namespace/deployment" is there
        def list_names(self): ...                   # every "namespace/deployment"
        def fetch(self, target, *, lines, init):
            # CoreV1Api().read_namespaced_pod_log(pod, ns, tail_lines=lines,
            #     previous=<pod is in CrashLoopBackOff>, container=<init container if init>)
            return FetchedLogs(text, state="CrashLoopBackOff", error=..., backend=self.name,
                               target=target)

and one line in `bot.logs.sources.SOURCES`; `LOG_SOURCES=azureml-v2,kubernetes` turns it on.
Nothing in policy, diagnosis or Slack changes (docs/logs.md, "Adding a log source").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from bot.i18n import Catalog, KeyedMessage


@dataclass(frozen=True)
class FetchedLogs:
    text: str  # raw, NOT redacted: callers redact before anything leaves the process
    state: str | None  # the service's own state: Healthy, Unhealthy, Failed, Succeeded, ...
    error: str | None  # the service's own error summary, if it reports one
    backend: str  # "azureml-v1", "azureml-v2", ...
    target: str  # the resolved name, e.g. "endpoint/deployment" with the deployment filled in
    # An online endpoint's own state when it differs from its deployment's (v2): context for
    # the deployment's state (a failed deployment under a healthy endpoint), never its error.
    endpoint: str | None = None
    endpoint_state: str | None = None


@runtime_checkable
class LogSource(Protocol):
    name: str

    def exists(self, target: str) -> bool:
        """Whether this source has the target. False, without a network call, for a name
        this source's names cannot look like."""
        ...

    def list_names(self) -> list[str]:
        """Every target name this source can fetch (for "did you mean")."""
        ...

    def fetch(self, target: str, *, lines: int, init: bool) -> FetchedLogs:
        """The last `lines` lines of the target's log (its init/storage container if `init`);
        ServiceNotFound (with the closest names) if it is not there."""
        ...


@dataclass(frozen=True)
class DeploymentState:
    """One deployment as its source reports it, for the deployments watch (bot.deployments)."""

    name: str  # the target name, as `fetch` takes it: `endpoint/deployment`, a service
    state: str | None  # Azure's own word: Failed, Succeeded, Unhealthy, Healthy, ...
    failed: bool  # whether that state is a failure the team should hear about
    modified: str | None  # ISO time of its last change: tells one failure from the next
    error: str | None = None  # the service's own error summary, if it reports one


@runtime_checkable
class DeploymentLister(Protocol):
    """What a source that can list its deployments' states adds (both Azure ML sources do;
    a source without it is simply not watched)."""

    name: str

    def deployment_states(self) -> list[DeploymentState]:
        """Every deployment of this source with its state; LogFetchError if Azure fails."""
        ...


# Why a fetch failed, as a person is told it inside bot.logs.render's "failed" line. An error
# without a key keeps its English message: it names the bot's settings (the server log only) or
# render says it by its own line (not found, timed out, the bot's own failure).
REASONS = {
    "why_unreachable": {"en": "Azure could not be reached from the bot (network, proxy or "
                              "firewall)",
                        "ko": "봇에서 Azure에 연결할 수 없습니다(네트워크, 프록시 또는 방화벽)"},
    "why_forbidden": {"en": "the bot's identity has no access to workspace {workspace}: grant it "
                            "a Reader role (or AzureML Data Scientist) on the workspace",
                      "ko": "봇의 ID에 {workspace} 워크스페이스 접근 권한이 없습니다. "
                            "워크스페이스에 `Reader`(또는 `AzureML Data Scientist`) 역할을 "
                            "주세요"},
    "why_azure_internal": {"en": "Azure answered with an internal error (HTTP {status}); try "
                                 "again in a minute",
                           "ko": "Azure가 내부 오류(HTTP {status})로 응답했습니다. 1분 뒤에 다시 "
                                 "시도하세요"},
    "why_azure_http": {"en": "Azure answered with HTTP {status}",
                       "ko": "Azure가 오류로 응답했습니다(HTTP {status})"},
    "why_sdk_failed": {"en": "the Azure SDK failed ({kind})",
                       "ko": "Azure SDK 호출이 실패했습니다({kind})"},
    "why_too_many": {"en": "{workers} log fetches are already running; try again in a minute",
                     "ko": "이미 로그 가져오기 {workers}건이 진행 중입니다. 1분 뒤에 다시 "
                           "시도하세요"},
}


class LogFetchError(KeyedMessage, Exception):
    """Base of the errors a fetch reports to the user; `outcome` is the audit's word for it.

    Raised either by a REASONS `key` and its values, said in the reader's language (a Korean
    team read "Azure answered with HTTP 429" inside a Korean line), or by an English `message`
    that names settings and is for the server log only. `message` is the English sentence
    either way (the audit row, the server log)."""

    catalog = Catalog(REASONS)
    outcome = "error"
    key: str | None  # type: ignore[assignment]

    def __init__(self, message: str | None = None, *, key: str | None = None,
                 **values: object) -> None:
        if (message is None) == (key is None):
            raise TypeError("a LogFetchError is raised with a message or a key, not both")
        self.key, self.values = key, values
        self.message = self.english(key, values) if key is not None else str(message)
        super().__init__(self.message)

    def said_in(self, lang: str) -> str:
        return super().said_in(lang) if self.key is not None else self.message


class ServiceNotFound(LogFetchError):
    outcome = "not_found"

    def __init__(self, target: str, suggestions: list[str] | None = None, *,
                 missing_extras: list[str] | None = None) -> None:
        super().__init__(f"no service or endpoint named {target}")
        self.target = target
        self.suggestions = list(suggestions or [])
        # Install extras of selected sources that are not installed (e.g. "v1"): the name may
        # belong to one of those, so the answer says how to enable it.
        self.missing_extras = list(missing_extras or [])


class WorkspaceNotFound(LogFetchError):
    outcome = "workspace_not_found"


class PermissionDenied(LogFetchError):
    outcome = "forbidden"


class AuthenticationFailed(LogFetchError):
    outcome = "auth_failed"


class AzureUnreachable(LogFetchError):
    outcome = "unreachable"


class FetchTimeout(LogFetchError):
    outcome = "timeout"

    def __init__(self, seconds: float) -> None:
        super().__init__(f"timed out after {seconds:g} s")
        self.seconds = seconds


class BackendError(LogFetchError):
    """Azure answered, but with an error we have no better word for (e.g. a 500 on the logs)."""

    outcome = "backend_error"
