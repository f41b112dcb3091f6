"""Per-destination lanes: one busy channel holds at most `per_lane` threads, loses nothing, and
keeps its order; other channels run at once."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from bot.slack.lanes import Lanes, destination_of


def test_a_busy_lane_holds_few_threads_and_runs_everything_in_order() -> None:
    lanes = Lanes(per_lane=2)
    release = threading.Event()
    started: list[int] = []
    finished: list[int] = []
    lock = threading.Lock()

    def task(number: int) -> None:
        with lock:
            started.append(number)
        release.wait(10)
        with lock:
            finished.append(number)

    with ThreadPoolExecutor(max_workers=8) as pool:
        for number in range(6):
            pool.submit(lanes.run, "channel:SLOW", lambda n=number: task(n))
            while len(started) + lanes.queued("channel:SLOW") < number + 1:  # in, in order
                threading.Event().wait(0.01)  # the poll interval of this wait (pytest-timeout)
        other = threading.Event()
        pool.submit(lanes.run, "channel:OTHER", other.set)
        assert other.wait(5)  # not stuck behind the busy lane
        assert lanes.queued("channel:SLOW") == 4  # queued, holding no thread
        assert len(started) == 2
        release.set()
    assert sorted(finished) == list(range(6))
    assert started[2:] == [2, 3, 4, 5]  # the queued ones in the order they came


def test_a_failing_task_does_not_stop_its_lane() -> None:
    lanes = Lanes(per_lane=1)
    ran: list[str] = []

    def fail() -> None:
        raise RuntimeError("boom")

    lanes.run("channel:C", fail)
    lanes.run("channel:C", lambda: ran.append("next"))
    assert ran == ["next"]


def test_destination_is_the_channel_else_the_person() -> None:
    assert destination_of({"event": {"channel": "C1", "user": "U1"}}) == "channel:C1"
    assert destination_of({"channel_id": "C2", "user_id": "U1"}) == "channel:C2"
    assert destination_of({"container": {"channel_id": "C3"}}) == "channel:C3"
    assert destination_of({"user": {"id": "U9"}, "view": {}}) == "user:U9"
    assert destination_of({}) is None
