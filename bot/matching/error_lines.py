"""Is this line an error? One answer for the whole bot.

The matcher's extraction (which lines of a paste carry its error), watch mode (is a channel
message worth matching at all) and the evidence shown with an answer (which line decided) all
ask it here, so they cannot disagree: "Unable to pull image ..." is an error line everywhere, and
a person's own words around an error ("배포 실패했습니다 ㅠ 도와주세요", "my endpoint fails, any
idea?") are chat, never an error line. Cheap regular expressions on one bounded line; no I/O.
"""

from __future__ import annotations

import re

from bot.matching.banner import configuration_line

# Korean joins a particle to the word before it ("OOMKilled로", "Timeout으로", "502가",
# "CrashLoopBackOff에"): with Unicode word boundaries Hangul is a letter, so `\bOOMKilled\b`
# missed the event in "컨테이너가 OOMKilled로 죽었어요" and the line read as a person's chat
# while its English twin was an error line. ASCII boundaries end an English word at Hangul,
# as the index's patterns do (index.py).
_KOREAN_ENDS_A_WORD = re.ASCII
ERROR_WORDS = re.compile(
    r"(?i)\b(error|errors|exception|traceback|fail(?:ed|ure|s)?|fatal|critical|crash(?:ed)?|"
    r"killed|unhealthy|refused|denied|timed?\s*out|timeout|insufficient|unable|cannot|"
    r"can't|couldn't|could not|not found|no such|invalid|unavailable|bad gateway|"
    r"conflict|oom|out of memory|back-?off|aborted|terminated|panic|sigkill|sigterm)\b",
    _KOREAN_ENDS_A_WORD)
_LEVEL = re.compile(r"(?i)(^|[\s\[|])(error|critical|fatal|severe|exception)([\s\]|:]|$)")
_K8S_REASON = re.compile(
    r"\b(CrashLoopBackOff|OOMKilled|FailedScheduling|BackOff|Evicted|Unhealthy|"
    r"ImagePullBackOff|ErrImagePull|FailedMount|FailedCreate|CreateContainerError|"
    r"RunContainerError|ContainerCannotRun|DeadlineExceeded|NodeNotReady|Preempting|"
    r"Insufficient|Pending|Killing|FailedAttachVolume|FailedPostStartHook)\b", _KOREAN_ENDS_A_WORD)
_HTTP_ERROR = re.compile(r"(?<![\w.:/,-])[45]\d\d(?![\w.:/,-])", _KOREAN_ENDS_A_WORD)
# A line its program logged at INFO/DEBUG is rarely the error, whatever words it contains
# ("Invoking user's init function", "Users's init has completed successfully").
_BENIGN_LEVEL = re.compile(r"(^|[\s\[|])(INFO|DEBUG|TRACE|I\d{4})([\s\]|:]|$)")
# The inference server's (and gunicorn's, under it) one-letter level column after the timestamp:
# `2023-09-29 19:00:24,282 E [65] azmlinfsrv - ...`. E and C are its errors, I and D its chatter.
_LETTER_ERROR_LEVEL = re.compile(r"\d\s+[EC]\s+\[\d+\]\s+[\w.-]+\s+-")
_LETTER_BENIGN_LEVEL = re.compile(r"\d\s+[ID]\s+\[\d+\]\s+[\w.-]+\s+-")
_EXIT_CODE = re.compile(r"(?i)\bexit(?:ed)?[\s_]*(?:with\s+)?(?:code|status)\W{0,3}[1-9]"
                        r"|\bsignal\W{0,3}(?:9|15|SIG[A-Z]+)\b|\bSIGKILL\b|\bSIGSEGV\b",
                        _KOREAN_ENDS_A_WORD)
# curl reports its own failures as `curl: (N) message` and prints nothing like it otherwise:
# `(7) Failed to connect`, `(28) Operation timed out`, `(52) Empty reply from server`.
_CURL_ERROR = re.compile(r"^curl: \(\d+\) ")
_JSON_ERROR = re.compile(r"(?i)\"(code|message|error|errorcode|reason|details?)\"\s*:")
EXCEPTION_LINE = re.compile(r"^\s*(?:[A-Za-z_][\w.]*\.)?[A-Z]\w*(?:Error|Exception|Exit|"
                             r"Interrupt|Failure|Fault|NotFound|Killed)\b\s*(:|$)")
_FRAME = re.compile(r"^\s*File \"[^\"]*\", line \d+, in \S+")
# What says a 4xx/5xx number is a status (not "500 models"), beside an error word.
_STATUS_WORDS = re.compile(r"(?i)\b(http|status|code|response|gateway|server error)\b",
                           _KOREAN_ENDS_A_WORD)
_TRACEBACK = re.compile(r"\bTraceback \(most recent call last\)")
# A person talking about the error rather than the error itself: "I deployed and it failed, any
# idea?", "Hi all, my endpoint fails", "배포 실패했습니다 ㅠ 도와주세요".
_CHAT = re.compile(r"(?i)[?？]|[\uac00-\ud7a3]|^(hi|hello|hey|thanks|please|any ?(one|body|idea)|"
                   r"i |i'm |i've |my |we |we're |our |can (someone|anyone|you)|does anyone)")
CHAT_MAX_SIGNAL = 2.0  # a line with an exception name, event reason or exit code is no chat
# What a log collector puts in front of a line (pipeline/container timestamps, a logger's
# `2021-06-30 03:05:58,100 | root | ERROR |` or `2023-09-29 19:00:24,282 E [65] azmlinfsrv -`
# columns). The line's own text starts after it: a traceback frame or an exception line that
# carries such a prefix is still a frame or an exception line.
_TIMESTAMP_PREFIX = re.compile(
    r"^\s*(?:\[?\d{4}-\d\d-\d\d[T ][\d:.,]+(?:Z|[+-]\d\d:?\d\d)?\]?\s*)+")
_LOGGER_COLUMNS = re.compile(
    r"^(?:\|?\s*[\w.\[\]-]+\s*\|\s*(?:INFO|DEBUG|WARNING|WARN|ERROR|CRITICAL)\s*\|"
    r"|[IWEDC]\s+\[\d+\]\s+[\w.-]+\s+-)\s?")


def line_body(line: str) -> str:
    """The line without the timestamp and logger columns a log collector put in front of it."""
    body = _TIMESTAMP_PREFIX.sub("", line, count=1)
    if body is not line:
        body = _LOGGER_COLUMNS.sub("", body, count=1)
    return body


def line_signal(line: str) -> float:
    """How strongly one line looks like it carries an error (0 = not at all)."""
    level_zone = line[:80]
    line = line_body(line)
    if configuration_line(line):
        return 0.0  # a server's settings banner ("Worker Timeout (seconds): 300"): no error
    # What names an error outright: an exception line, a Kubernetes event reason.
    strong = (3.0 if EXCEPTION_LINE.match(line) else 0.0) + (
        2.5 if _K8S_REASON.search(line) else 0.0) + (2.0 if _EXIT_CODE.search(line) else 0.0) + (
        2.0 if _CURL_ERROR.match(line) else 0.0)
    if _BENIGN_LEVEL.search(level_zone) or _LETTER_BENIGN_LEVEL.search(level_zone):
        return strong  # an INFO/DEBUG line's error words are not the error
    weak = 1.5 if _LEVEL.search(level_zone) or _LETTER_ERROR_LEVEL.search(level_zone) else 0.0
    weak += 1.5 if _JSON_ERROR.search(line) else 0.0
    weak += 1.0 if _HTTP_ERROR.search(line) else 0.0
    weak += min(3, len(ERROR_WORDS.findall(line))) * 1.0
    return strong + weak


def chat_line(line: str, signal: float) -> bool:
    """True for a person's own words around an error (never the evidence or the summary)."""
    return signal < CHAT_MAX_SIGNAL and bool(_CHAT.search(line_body(line)[:200]))


def is_error_line(line: str, signal: float | None = None) -> bool:
    """The line carries an error and is not someone talking about one. `signal` is
    line_signal(line) when the caller already has it."""
    signal = line_signal(line) if signal is None else signal
    return signal > 0 and not chat_line(line, signal)


def failure_line(line: str) -> bool:
    """The line is what a program printed about a failure, not a sentence about one: an
    exception line or a traceback frame, a Kubernetes event reason, an exit code or kill
    signal, curl's own failure, or, outside a person's own words, an error level column, a JSON
    error body or an HTTP 4xx/5xx. "It would be nice if the deployment did not fail" and "is
    there a way to return a 400?" are not failure lines; `HTTP/1.1 503 Service Unavailable` and
    `CrashLoopBackOff` are (asking.py: a request that carries one is a report)."""
    level_zone = line[:80]
    body = line_body(line)
    if configuration_line(body):
        return False
    if (EXCEPTION_LINE.match(body) or _FRAME.match(body) or _TRACEBACK.search(body)
            or _K8S_REASON.search(body) or _EXIT_CODE.search(body) or _CURL_ERROR.match(body)):
        return True
    if _CHAT.search(body[:200]):
        return False
    level = not (_BENIGN_LEVEL.search(level_zone) or _LETTER_BENIGN_LEVEL.search(level_zone)) \
        and bool(_LEVEL.search(level_zone) or _LETTER_ERROR_LEVEL.search(level_zone))
    status = bool(_HTTP_ERROR.search(body)) and bool(ERROR_WORDS.search(body)
                                                     or _STATUS_WORDS.search(body))
    return level or status or bool(_JSON_ERROR.search(body))


def only_chat(text: str) -> bool:
    """Every line of `text` is a person's own words (a question, a Korean sentence), none an
    error: an answer's evidence of this kind is the asker's question, not a matching part."""
    lines = [line for line in text.splitlines() if line.strip()]
    return bool(lines) and all(chat_line(line, line_signal(line)) for line in lines)
