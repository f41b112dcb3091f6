"""Failure episodes and their claims on both databases: exactly once, recover-then-fail is a
new episode, a claim given back is claimed again, a dead worker's claim is taken over."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from bot.deployments import service
from bot.deployments.service import Watch
from bot.storage import engine_for, utcnow

RESOURCE = "azureml-v1:churn-scorer"
MODIFIED = "2026-11-25T09:00:00+00:00"


def test_one_claim_wins_among_many(migrated_database_url: str) -> None:
    engine = engine_for(migrated_database_url)

    def attempt(worker: int) -> int | None:
        return service.claim(engine, RESOURCE, MODIFIED, origin="watch", worker=f"w{worker}")

    with ThreadPoolExecutor(max_workers=8) as pool:
        won = [claim for claim in pool.map(attempt, range(8)) if claim is not None]
    assert len(won) == 1


def test_recover_then_fail_without_an_update_is_a_new_episode(migrated_database_url: str) -> None:
    engine = engine_for(migrated_database_url)
    first = service.episode_of(engine, RESOURCE, MODIFIED)
    assert first == MODIFIED
    report = service.claim(engine, RESOURCE, first, origin="watch", worker="w")
    assert report is not None
    service.record_post(engine, report, [("C1", "1.1")], None)
    # Still failing on the next cycle: the same episode, already claimed.
    assert service.episode_of(engine, RESOURCE, MODIFIED) == first
    assert service.claim(engine, RESOURCE, first, origin="watch", worker="w") is None
    # Healthy again, then failing again with the same updatedTime (a container crash).
    assert service.unrecovered(engine) == {RESOURCE}
    assert service.mark_recovered(engine, RESOURCE) == 1
    assert service.unrecovered(engine) == set()
    assert service.mark_recovered(engine, RESOURCE) == 0
    second = service.episode_of(engine, RESOURCE, MODIFIED)
    assert second == f"{MODIFIED}#1"
    assert service.claim(engine, RESOURCE, second, origin="watch", worker="w") is not None
    assert service.threads_of(engine, RESOURCE, first) == [("C1", "1.1")]


def test_a_released_claim_is_claimed_again_and_a_dead_workers_claim_taken_over(
        migrated_database_url: str) -> None:
    engine = engine_for(migrated_database_url)
    report = service.claim(engine, RESOURCE, MODIFIED, origin="watch", worker="a")
    assert report is not None
    service.release(engine, report)  # Azure was down: nothing posted
    again = service.claim(engine, RESOURCE, MODIFIED, origin="alert", worker="b")
    assert again is not None
    later = utcnow() + service.LEASE + timedelta(seconds=1)
    assert service.claim(engine, RESOURCE, MODIFIED, origin="watch", worker="c",
                         now=utcnow()) is None  # b is still within its lease
    assert service.claim(engine, RESOURCE, MODIFIED, origin="watch", worker="c",
                         now=later) == again  # b died: c takes over


def test_an_alert_is_stored_once_and_handled_by_one_worker(migrated_database_url: str) -> None:
    engine = engine_for(migrated_database_url)
    assert service.store_alert(engine, "alert-1#Fired", "{}")
    assert not service.store_alert(engine, "alert-1#Fired", "{}")  # Azure retried it
    assert service.pending_alerts(engine) == ["alert-1#Fired"]
    assert service.claim_alert(engine, "alert-1#Fired", "a") == "{}"
    assert service.claim_alert(engine, "alert-1#Fired", "b") is None  # a is on it
    service.finish_alert(engine, "alert-1#Fired", "Azure: unreachable", done=False)
    assert service.claim_alert(engine, "alert-1#Fired", "b") == "{}"  # retried next cycle
    service.finish_alert(engine, "alert-1#Fired", "credit-ep/green: posted", done=True)
    assert service.pending_alerts(engine) == []


def test_watches_cover_names_and_endpoints_case_blind() -> None:
    watches = [Watch("C1", "credit-*", None, None), Watch("C2", "CHURN-SCORER", None, None),
               Watch("C1", "*", None, None), Watch("C3", "pay-ep", None, None)]
    assert [w.channel for w in service.watchers_of(watches, "credit-ep/green")] == ["C1"]
    assert [w.channel for w in service.watchers_of(watches, "churn-scorer")] == ["C2", "C1"]
    assert [w.channel for w in service.watchers_of(watches, "pay-ep/v2")] == ["C1", "C3"]


def test_watch_add_list_remove(migrated_database_url: str) -> None:
    engine = engine_for(migrated_database_url)
    assert service.add_watch(engine, channel="C1", pattern="credit-*", workspace="T1")
    assert not service.add_watch(engine, channel="C1", pattern="credit-*")
    assert service.add_watch(engine, channel="C1", pattern="pay-*")
    assert [w.pattern for w in service.list_watches(engine, channel="C1")] == ["credit-*",
                                                                               "pay-*"]
    assert service.remove_watches(engine, channel="C1") == 2
    assert service.list_watches(engine) == []
