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


class LogFetchError(Exception):
    """Base of the errors a fetch reports to the user; `outcome` is the audit's word for it.

    `message` is the English sentence (the audit row, the server log); `key` and `values`, when
    given, say it in the reader's language (bot.logs.render.TEXTS): a Korean team read "Azure
    answered with HTTP 429" inside a Korean line."""

    outcome = "error"

    def __init__(self, message: str, *, key: str | None = None, **values: object) -> None:
        super().__init__(message)
        self.message = message
        self.key, self.values = key, values


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
