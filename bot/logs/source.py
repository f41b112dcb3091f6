"""The one small interface every log source implements, and the errors they may raise.

A source knows one backend (Azure ML SDK v1 web services, SDK v2 online endpoints, ...). It turns
a target name into the raw log text plus the service's own state and error, and it can name the
closest existing targets when asked for one that does not exist. Everything else (who may fetch,
deadlines, redaction, diagnosis, Slack) lives outside the sources.

Adding a Kubernetes source later is one module, `bot/logs/kubernetes.py`:

    class KubernetesSource:
        name = "kubernetes"
        def fetch(self, target, *, lines, init):   # target "namespace/deployment"
            # CoreV1Api().read_namespaced_pod_log(pod, ns, tail_lines=lines,
            #     previous=<pod is in CrashLoopBackOff>, container=<init container if init>)
            return FetchedLogs(text, state="CrashLoopBackOff", error=..., backend=self.name,
                               target=target)
        def suggest(self, target): ...              # closest deployment names in the namespace

and one line in `bot.logs.resolver.build_sources()` (plus a syntax rule there if its names look
different, e.g. a `k8s:` prefix). Nothing in policy, diagnosis or Slack changes.
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


@runtime_checkable
class LogSource(Protocol):
    name: str

    def fetch(self, target: str, *, lines: int, init: bool) -> FetchedLogs:
        """The last `lines` lines of the target's log (its init/storage container if `init`)."""
        ...

    def suggest(self, target: str) -> list[str]:
        """Existing target names closest to `target`, best first (may be empty)."""
        ...


class LogFetchError(Exception):
    """Base of the errors a fetch reports to the user; `outcome` is the audit's word for it."""

    outcome = "error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ServiceNotFound(LogFetchError):
    outcome = "not_found"

    def __init__(self, target: str, suggestions: list[str] | None = None) -> None:
        super().__init__(f"no service or endpoint named {target}")
        self.target = target
        self.suggestions = list(suggestions or [])


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
