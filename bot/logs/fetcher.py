"""Run log fetches off the request thread, at most N at once, each within LOGS_TIMEOUT_S.

Neither SDK lets us bound a whole fetch: azureml-core's get_logs sets no network timeout at
all, and azure-ai-ml's transport waits up to five minutes per read. So every fetch runs in its
own worker thread, at most N at once (a semaphore: the concurrency cap), and the caller stops
waiting at the deadline. Python cannot kill a thread: a fetch that times out is ABANDONED, keeps
its slot until its socket finally fails, and its result is thrown away. Counting abandoned
fetches against the cap is deliberate: a hanging Azure endpoint must not let hung threads pile
up without bound. The workers are daemon threads (unlike ThreadPoolExecutor's, which the
interpreter joins at exit), so an abandoned fetch never keeps the server from shutting down.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from typing import TypeVar

from bot.logs.source import FetchTimeout, LogFetchError
from bot.settings import settings

T = TypeVar("T")


class TooManyFetches(LogFetchError):
    outcome = "busy"


def timeout_seconds() -> float:
    return settings().logs_timeout_s


def max_concurrent() -> int:
    return settings().logs_max_concurrent


class Fetcher:
    def __init__(self, *, workers: int) -> None:
        self.workers = workers
        self._slots = threading.BoundedSemaphore(workers)

    def run(self, fetch: Callable[[], T], *, timeout_s: float) -> T:
        """fetch() in a worker; FetchTimeout at the deadline, TooManyFetches when all are busy.

        Usually a log fetch (FetchedLogs); the deployments watch also lists deployments here,
        under the same deadline and cap."""
        if not self._slots.acquire(blocking=False):
            raise TooManyFetches(key="why_too_many", workers=self.workers)
        future: Future[T] = Future()

        def work() -> None:
            try:
                result = fetch()
            except BaseException as error:  # handed to the waiting caller, if still waiting
                future.set_exception(error)
            else:
                future.set_result(result)
            finally:
                self._slots.release()

        try:
            threading.Thread(target=work, name="log-fetch", daemon=True).start()
        except BaseException:
            self._slots.release()
            raise
        try:
            return future.result(timeout=timeout_s)
        except FutureTimeout:
            # The worker is abandoned here (see the module docstring); its slot frees itself
            # when the SDK call finally returns or fails.
            raise FetchTimeout(timeout_s) from None


_fetcher: Fetcher | None = None
_fetcher_lock = threading.Lock()


def shared_fetcher() -> Fetcher:
    global _fetcher
    with _fetcher_lock:
        if _fetcher is None:
            _fetcher = Fetcher(workers=max_concurrent())
        return _fetcher
