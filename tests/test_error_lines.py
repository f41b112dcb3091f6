"""One answer to "is this an error line?" for extraction, watch mode and evidence.

The cases are the ones where the three used to disagree: watch mode skipped "Unable to pull
image ...", which extraction counted as an error; extraction counted "my endpoint fails, any
idea?" as an error line (its fingerprint input), which evidence refused to show.
"""

from __future__ import annotations

import pytest

from bot.matching.error_lines import is_error_line
from bot.matching.evidence import naming_line
from bot.matching.extraction import extract
from bot.matching.scoring import prepare
from bot.slack.flows import looks_like_error

ERROR_LINES = [
    "Unable to pull image 'myacr.azurecr.io/score:3': unauthorized",
    "Failed to pull image \"myacr.azurecr.io/score:3\": rpc error: code = Unknown",
    "ERROR: CrashLoopBackOff",
    "0/3 nodes are available: 3 Insufficient nvidia.com/gpu.",
    "Traceback (most recent call last):",
    "ModuleNotFoundError: No module named 'sklearn'",
    "got a 504 again",
    "403 Forbidden",
    "Warning  BackOff  3m  kubelet  Back-off restarting failed container",
    "2021-06-30 03:05:58,100 | root | ERROR | Encountered Exception",
    'Container exited with code 137 (OOMKilled)',
]
NOT_ERROR_LINES = [
    "배포 실패했습니다 ㅠ 도와주세요",  # a person asking, in Korean
    "my endpoint fails, any idea?",  # a person asking, in English
    "Hi all, deploy failed again",
    "lunch at noon?",
    "deploy done, thanks all",
    "2026-11-25T10:00:00Z INFO gunicorn.access 10.0.0.1 POST /score 200",
    "Invoking user's init function",
    "",
]


@pytest.mark.parametrize("line", ERROR_LINES)
def test_an_error_line_is_one_everywhere(line: str) -> None:
    assert is_error_line(line)
    assert extract(line).error_lines == (line,)  # extraction: fingerprint input
    assert looks_like_error(line)  # watch mode: worth matching
    assert naming_line(prepare(extract(line))) == line  # evidence: the line that names it


@pytest.mark.parametrize("line", NOT_ERROR_LINES)
def test_chat_and_noise_are_error_lines_nowhere(line: str) -> None:
    assert not is_error_line(line)
    assert extract(line).error_lines == ()
    assert not looks_like_error(line)


def test_evidence_skips_the_chat_for_the_error_line_below_it() -> None:
    paste = ("배포 실패했습니다 ㅠ 도와주세요\n"
             "Unable to pull image 'myacr.azurecr.io/score:3': unauthorized")
    extracted = extract(paste)
    assert extracted.error_lines == (paste.splitlines()[1],)
    assert naming_line(prepare(extracted)) == paste.splitlines()[1]
    assert looks_like_error(paste)


def test_a_long_log_is_judged_on_its_error_lines_in_watch_mode_too() -> None:
    noise = [f"2026-11-25T10:00:{n % 60:02d}Z INFO gunicorn.access POST /score 200"
             for n in range(500)]
    assert not looks_like_error("\n".join(noise))
    noise[300] = "Unable to pull image 'myacr.azurecr.io/score:3': manifest unknown"
    assert looks_like_error("\n".join(noise))
