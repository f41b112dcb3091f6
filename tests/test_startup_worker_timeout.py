"""gunicorn's worker timeout at start-up is the failed start, not a slow request (round 11, top3).

gunicorn kills a worker that stays silent longer than `--timeout`, and it says the same
`[CRITICAL] WORKER TIMEOUT (pid:N)` whether the worker was answering a slow request (the 504
entry: raise the request timeout, make scoring faster) or still loading its model before it
ever served (the failed start: the app never comes up; load the model before the workers fork,
or give the start-up longer). People say which in the prose beside the log line: the timeout
came "during app launch", the models load "during the initialization of the workers", "when my
app starts up". Each paste below is copied, shortened, from a public thread that no evaluation
file uses (named beside it); only the ranking is asserted (the tier belongs to the learned
model, retrained after a knowledge change). The look-alike is the same log line on a request.
"""

from __future__ import annotations

import pytest

from bot.matching.matcher import default_matcher

# https://github.com/benoitc/gunicorn/issues/3242: a long load at start-up outlives --timeout.
TIMEOUT_DURING_LAUNCH = (
    "gthread timeout during launch\n\n"
    "We are starting our app with the following:\n"
    "/usr/local/bin/gunicorn --bind 0.0.0.0:5000 -k gthread --threads=32 --workers=1 "
    "--timeout=1200 app:create_app()\n"
    "However, we expect the app to take a long time to load. At the 20 minute mark we are "
    "hitting a timeout during app launch:\n"
    "[2024-07-09 04:50:03 +0000] [11] [CRITICAL] WORKER TIMEOUT (pid:13)")
# https://github.com/benoitc/gunicorn/issues/2004: models loaded while each worker initialises.
MODELS_LOAD_AT_WORKER_INIT = (
    "Best practice for long python imports\n\n"
    "During the initialization of the workers I import/load tensorflow models which can take "
    "a few mins.\n"
    "Is there a better option then increase the timeout of gunicorn to handle theses time "
    "consuming tasks?")

RANKED_FIRST = [
    (TIMEOUT_DURING_LAUNCH, "service-launch-fails"),
    (MODELS_LOAD_AT_WORKER_INIT, "service-launch-fails"),
]


@pytest.mark.parametrize(("paste", "expected"), RANKED_FIRST)
def test_a_worker_timeout_at_start_up_ranks_the_failed_start_first(paste: str,
                                                                  expected: str) -> None:
    result = default_matcher().match(paste)
    assert [m.entry_id for m in result.matches][:1] == [expected]


# https://github.com/benoitc/gunicorn/issues/1891: the workers came up (the models loaded, the
# log shows the request being worked on), then the request outlived the timeout: still the 504
# entry first, and never a sure answer of the failed start.
TIMEOUT_ON_REQUEST = (
    "preload option hangs the flask app\n\n"
    "When using with preload option, my application shows logs till Feature Generation Step "
    "then It hangs for few minutes then I get Worker Timeout Message.\n"
    "CMD gunicorn -b 0.0.0.0:5000 --timeout 200 --workers 2 --preload \"app:create_app()\"\n"
    "[2018-10-08 10:12:01 +0000] [1] [CRITICAL] WORKER TIMEOUT (pid:9)")


def test_a_worker_timeout_on_a_request_is_not_taken_for_a_failed_start() -> None:
    result = default_matcher().match(TIMEOUT_ON_REQUEST)
    assert result.answer is None or result.answer.entry_id != "service-launch-fails"
    assert [m.entry_id for m in result.matches][:1] == ["http-status-code-504"]
