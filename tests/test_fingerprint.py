from bot.matching.extraction import extract
from bot.matching.fingerprint import fingerprint


def fp(text: str) -> str:
    return fingerprint(extract(text))


def test_same_error_with_other_ids_times_and_pods_groups_together() -> None:
    first = ("2026-11-25T10:00:01Z pod scorer-7d9f8b6c5-x2kqz Back-off restarting failed container"
             " request 3f0c2d9a-1234-4bcd-9876-abcdefabcdef")
    second = ("2026-12-01T22:13:59Z pod scorer-5c6d7e8f9-abcd1 Back-off restarting failed container"
              " request 0a0b0c0d-1111-4222-8333-444455556666")
    assert fp(first) == fp(second)


def test_chat_around_the_error_does_not_change_it() -> None:
    error = "Warning FailedScheduling 0/3 nodes are available: 3 Insufficient cpu."
    assert fp(error) == fp("이거 왜 이래요?\n" + error)


def test_different_errors_differ() -> None:
    assert fp("OOMKilled Exit Code: 137") != fp("CrashLoopBackOff")
    assert fp("HTTP 502 Bad Gateway") != fp("HTTP 504 Gateway Timeout")


def test_shape() -> None:
    value = fp("")
    assert len(value) == 32 and int(value, 16) >= 0
