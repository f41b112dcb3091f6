"""Small knowledge bases built in code for the matcher's unit tests."""

from __future__ import annotations

from bot.knowledge.model import Entry, KnowledgeBase, LocalizedBody


def entry(entry_id: str, *signatures: str, patterns: tuple[str, ...] = ()) -> Entry:
    body = LocalizedBody(cause=f"Cause of {entry_id}. More.", steps=("Do this.", "Then that."))
    return Entry(id=entry_id, title={"en": f"Title {entry_id}", "ko": f"제목 {entry_id}"},
                 signatures=signatures, patterns=patterns, source="https://example.org/x",
                 body={"en": body, "ko": body})


def small_kb() -> KnowledgeBase:
    return KnowledgeBase((
        entry("scheduling", "0/3 nodes are available: 3 Insufficient nvidia.com/gpu.",
              "FailedScheduling", patterns=(r"\d+/\d+ nodes are available",)),
        entry("crash", "CrashLoopBackOff", "Back-off restarting failed container",
              "Liveness probe failed: HTTP probe failed with statuscode: 502"),
        entry("oom", "OOMKilled", "died with <Signals.SIGKILL: 9>", "Exit Code: 137"),
        entry("bad-gateway", "502 Bad Gateway", "Response Code: 502",
              "HTTP Error 502: Bad Gateway"),
        entry("timeout", "504 Gateway Timeout", "upstream request timeout", "scoring_timeout_ms"),
    ))
