"""Database calls with a deadline: the caller stops waiting, whatever the database does.

A server that is stopped (SIGSTOP, a frozen VM) keeps pooled connections open and silent: no
libpq or server timeout ends that wait, so calls made on the way to an answer run here instead.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any, TypeVar

from bot.storage.errors import DatabaseUnavailable
from bot.storage.outage import check_available, outage_of

DEADLINE_WORKERS = 32  # as many as the web threads and lazy listeners that may call at once

T = TypeVar("T")
# Threads that make database calls on behalf of callers with a deadline. Bounded: while the
# database hangs, the stuck calls hold these threads and newer calls wait in the queue until
# their own deadline (then they are cancelled), instead of piling up threads.
_deadline_pool = ThreadPoolExecutor(max_workers=DEADLINE_WORKERS, thread_name_prefix="db-call")


def within_deadline(url: str | None, function: Callable[..., T], *args: Any,
                    deadline_s: float, trip: bool = True, **kwargs: Any) -> T:
    """`function(*args, **kwargs)`, or DatabaseUnavailable if it takes over `deadline_s`.

    A call that overruns keeps running in its thread until the database lets go of it, so
    what it writes must be safe to write twice (see the outbox's keys). With `trip`, an
    overrun counts as an outage (others skip the database for a while): right for a deadline
    no healthy database misses, wrong for a short one that a busy database might.
    """
    check_available(url)
    future = _deadline_pool.submit(function, *args, **kwargs)
    try:
        return future.result(timeout=deadline_s)
    except FutureTimeout:
        # A call still queued says the threads are busy, not that the database failed.
        if not future.cancel() and trip:
            outage_of(url).failed()
        raise DatabaseUnavailable(
            f"the database did not answer within {deadline_s:g} s") from None
