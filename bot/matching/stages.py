"""Which stages of a deployment a paste shows were passed, and where it shows it.

A deployment goes through stages (bot/knowledge/model.STAGES: build, schedule, start, serve).
Some log lines say a stage is over, whatever went wrong next: the kubelet pulled the image or
found it on the node (the build worked), the pod was assigned to a node or its container was
created (scheduling worked), the scoring server finished init() (the start worked). An entry of
a stage the paste shows was passed *after* that entry's own evidence is history, not the
answer: a `FailedScheduling` warning followed by `Successfully assigned ... to node` is a wait
that ended, and the ImportError in the entry script further down is why the pod crashed.

The markers are the platforms' own words, never a person's ("the image builds fine"), and a
marker of a later stage implies the earlier ones (a created container had an image).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.knowledge.model import STAGES

# stage -> the lines that say it is over. Only output of the platforms (kubelet events, Azure ML
# v1/v2 deployment progress, the inference server), so a description cannot pass a stage.
_PASSED: dict[str, re.Pattern[str]] = {
    "build": re.compile(
        r"(?i)\bSuccessfully pulled image\b|\bContainer image \S+ already present on machine"
        r"|\bUse the existing image\b|\bUserContainerImagePull:\s*Succeeded\b"),
    "schedule": re.compile(
        r"(?i)\bSuccessfully assigned \S+ to \S+|\b(Created|Started) container \S+"
        r"|\bSystemSetup:\s*Succeeded\b"),
    "start": re.compile(
        r"(?i)\bUsers?'s init has completed successfully\b"
        r"|\bWorker with pid \d+ ready for serving traffic\b"
        # TorchServe's worker state once the handler loaded the model (a worker that dies
        # later, "Worker disconnected. WORKER_MODEL_LOADED", died serving)
        r"|\bWORKER_MODEL_LOADED\b"),
}

Position = tuple[int, int]  # (line index in the prepared paste, character offset in that line)

# The servers' own words for a start that failed: the process ran and gave up before it served
# anything (gunicorn's worker boot, uvicorn's lifespan start-up, vLLM's engine, TorchServe's
# and Triton's model load, OpenVINO's model manager, a Triton that cannot create its server).
# A person's "it fails to start" is not here, nor is gunicorn's "Worker exiting" (a worker
# killed for a slow request exits too).
_START_FAILED = re.compile(
    r"(?i)\bWorker failed to boot\b|\bException in worker process\b"
    r"|\bApplication startup failed\b|\bEngine (process|core initialization) failed\b"
    r"|\bLoad model failed\b|\bCouldn.t start model manager\b"
    r"|\bfailed to load '[^'\n]+' version \d+|\berror: creating server\b"
    # TorchServe's worker that stopped or lost its connection before it loaded the model
    r"|\bState change WORKER_STARTED -> WORKER_STOPPED\b|\bWorker disconnected\. WORKER_STARTED\b")

# The scoring servers (azmlinfsrv, the v1 server, the R server) say when they call init(); the
# "start" marker above says it returned. A timeout after the call with no return in between
# is a start that never finished: the request (or the platform) gave up on a container whose
# init() still runs, so the answer is the start-up failure, not a slow scoring request.
_INIT_CALLED = re.compile(r"(?i)\bInvoking user'?s init function\b")
_TIMED_OUT = re.compile(
    r"(?i)\btimed out\b|\btime-?out was reached\b|\bWORKER TIMEOUT\b|\bGateway Time-?out\b"
    r"|\bDeadline ?Exceeded\b|\bTimedOut\b")


def passed_stages(lines: Sequence[str]) -> dict[str, Position]:
    """stage -> where the paste last shows it was passed (a later stage's marker counts too)."""
    last: dict[str, Position] = {}
    for number, line in enumerate(lines):
        for stage, marker in _PASSED.items():
            for found in marker.finditer(line):
                last[stage] = max(last.get(stage, (-1, -1)), (number, found.start()))
    passed: dict[str, Position] = {}
    latest: Position | None = None
    for stage in reversed(STAGES):  # serve, start, schedule, build
        if stage in last:
            latest = max(latest or last[stage], last[stage])
        if latest is not None:
            passed[stage] = latest
    return passed


def failed_start(lines: Sequence[str], passed: dict[str, Position]) -> Position | None:
    """Where the paste first shows a server's start failing in its own words (_START_FAILED),
    or None: no such line, or the paste shows the start passed after it (a worker that failed
    to boot once and then served is not a failed start)."""
    for number, line in enumerate(lines):
        found = _START_FAILED.search(line)
        if found:
            at = (number, found.start())
            return None if passed_after("start", at, passed) else at
    return None


def passed_after(stage: str, evidence_at: Position, passed: dict[str, Position]) -> bool:
    """True when the paste shows `stage` was passed after the evidence at `evidence_at`."""
    marker = passed.get(stage) if stage else None
    return marker is not None and marker > evidence_at


def _last_init_call(text: str) -> int | None:
    """Where the last "Invoking user's init function" ends; a plain substring search first, so
    a 40,000-character log without it costs one pass."""
    lowered = text.lower()
    end = len(lowered)
    while (at := lowered.rfind("init function", 0, end)) >= 0:
        found = _INIT_CALLED.search(text, max(0, at - 20), at + len("init function") + 1)
        if found:
            return found.end()
        end = at
    return None


def unfinished_start(text: str) -> bool:
    """True when the paste shows init() called, never returning, and then a timeout.

    Read on the whole paste, not its key lines: "Invoking user's init function" is an INFO line
    that a long log's extraction leaves out, and its absence is the point."""
    after = _last_init_call(text)
    if after is None:
        return False
    return (_PASSED["start"].search(text, after) is None
            and _TIMED_OUT.search(text, after) is not None)


def unfinished_start_line(text: object, lines: Sequence[str]) -> int | None:
    """For a paste whose start never finished (unfinished_start), the last key line that shows
    the timeout, or -1 when extraction kept none; None for any other paste."""
    if not isinstance(text, str) or not unfinished_start(text):
        return None
    return max((number for number, line in enumerate(lines) if _TIMED_OUT.search(line)),
               default=-1)


# A failed Azure ML deployment whose paste may not say why (tests/eval/README.md: such a paste
# is labelled with the logs procedure, since reading the logs is the next step). Two things,
# anywhere in the paste: the product's own names (its SDKs, CLI, classes, the service and its
# compute targets; `AZUREML_MODEL_DIR` and `azureml.core` count, a bare "Azure" does not: an
# ARM template's `DeploymentFailed` is another product's), and a deployment that failed, told
# by the SDK (v2's poller `OperationFailed`, v1's polling terminal state or timeout) or by the
# person ("fails at the deployment step", "Cannot Deploy", "won't deploy", "deploying ...
# fails"). Either alone is common: Azure ML pastes of training jobs, and "the deployment
# failed" from every other platform. "Deployed" is a deployment that worked, and a failure told
# after a call, a test or a score ("deploy the model and call the API, it fails") is a request's.
_AZURE_ML = re.compile(
    r"(?i)\bazure ?ml\b|\bazureml|\baml\b|\bazure machine learning\b|\b(aci|aks)?webservice\b"
    r"|\bwait_for_deployment\b|\bModel\.deploy\(|\b(managed|kubernetes)onlinedeployment\b"
    r"|\bonline[ _-]?(deployment|endpoint)s?\b|\baz ml\b|\bml_client\b|\bACI\b"
    r"|\bAzure Container Instances?\b")
_DEPLOYMENT_FAILED = re.compile(
    r"(?i)\bdeploy(ing|ment|ments)?\b(?:(?!\b(call|calling|invok\w*|request\w*|consum\w*"
    r"|test\w*|predict\w*|scor\w*|batch)\b)[^.\n]){0,80}?\b(fail(s|ed|ing|ure|ures)?|errors?"
    r"|(is ?n.t|is not|does ?n.t|does not|won.t|not) work(ing)?|unsuccessful(ly)?)\b"
    r"|\b(fail(s|ed|ing)?|unable|can ?not|can.t|cannot|couldn.t|could not|won.t|not able)\b"
    r"[^.\n]{0,25}?\bdeploy\b"
    r"|\bdoes not deploy\b|\bOperationFailed\b|\bDeploymentTimedOut\b"
    r"|\bpolling reached non-successful terminal state\b")


# Every wording of _DEPLOYMENT_FAILED holds one of these (lower case); where a "deploy" sits,
# the person's wordings reach at most this far before and after it.
_SDK_FAILURES = ("operationfailed", "deploymenttimedout", "non-successful terminal state")
_BEFORE_DEPLOY, _AFTER_DEPLOY = 60, 130
_DEPLOY_WORD = re.compile(r"(?i)deploy")


def failed_deployment(text: object) -> bool:
    """True when the paste shows an Azure ML deployment that failed (or timed out): the
    product's names and a failure of a deployment, in the SDK's words or the person's. Read on
    the whole paste, as unfinished_start: a title or a sentence of prose is often all there is."""
    return (isinstance(text, str) and _AZURE_ML.search(text) is not None
            and _says_deployment_failed(text))


def _says_deployment_failed(text: str) -> bool:
    """_DEPLOYMENT_FAILED, read only around the words it is made of: run over a whole
    40,000-character log its alternatives cost 2 ms at every position (bench_match.py), and
    most logs never say "deploy". `search(text, pos, endpos)` keeps the word boundaries of the
    whole text at the window's edges."""
    lowered = text.lower()
    if any(word in lowered for word in _SDK_FAILURES) and _DEPLOYMENT_FAILED.search(text):
        return True
    # Positions in `text` itself: lower() may change a string's length ("İ" is two letters).
    return any(_DEPLOYMENT_FAILED.search(text, max(0, word.start() - _BEFORE_DEPLOY),
                                         word.start() + _AFTER_DEPLOY)
               for word in _DEPLOY_WORD.finditer(text))


def failed_deployment_line(text: object, lines: Sequence[str]) -> int | None:
    """For a paste that shows a failed Azure ML deployment (failed_deployment), the first key
    line that says the deployment failed, or -1 when extraction kept none; None otherwise."""
    if not failed_deployment(text):
        return None
    return next((number for number, line in enumerate(lines)
                 if _DEPLOYMENT_FAILED.search(line)), -1)



# A paste that says, in any words, that the server never came up: a title or a person's
# sentence ("the model server fails to start", "Torchserve docker fails to run", "it hangs at
# start-up"), or a start-up failure in a program's words that every server shares
# (_PROGRAM_START_WORDS, _SERVER_START_FRAME). Unlike _START_FAILED, a person's words count
# here: what they decide is only the start stage's symptom entry listed among the first
# candidates, and first over a serve-stage lead that stands on words alone
# (ranking.by_stated_start_failure). Kinds of statement, not wordings of one stack. Read on the
# paste's first PROSE_HEAD characters (its title and first sentences) and its key lines: run
# over a whole 40,000-character log, these alternatives cost 70 ms.
PROSE_HEAD = 2000
_STATED_START_FAILED = re.compile(
    # a start that did not happen: "fails to start", "won't run", "never comes up", "could not
    # boot", "unable to initialize"; not "fails to run predict" (a request that failed)
    # (read in lower case; each alternative begins at a letter listed in the look-ahead, which
    # lets the engine skip most positions of a log at one character test)
    r"(?:(?<![a-z])(?=[fucdwnehskrtb])|(?=[시기실구서컨파엔부로초다启啟无無起]))(?:"
    r"\b(fail(s|ed|ing)?|unable|can ?not|can.t|couldn.t|could not|won.t|doesn.t|does not"
    r"|didn.t|did not|never)( to)? (start|run(?! (the |a |an )?(predict|inferenc|infer|request"
    r"|quer|scor|batch|generat|job|task|test|command|script|code|notebook|training|train))"
    r"|launch|boot|come up|initiali[sz]e|spin up|become ready|get ready)\b"
    # a start that began and never ended: "the worker does not finish starting", "never
    # completes its start-up"
    r"|\b(fail(s|ed)?|does ?n.t|does not|did ?n.t|did not|never|won.t|can ?not|can.t)( to)? "
    r"(finish|finishes|complete|completes)( its| the)? (start(ing|[- ]?up)?|boot(ing)?|loading"
    r"|initiali[sz](ation|ing))\b"
    # a failure told by the start it interrupted ("crashes on startup", "stuck while loading")
    r"|\b(crash(es|ed|ing)?|dies|died|exits?|exited|fails?|failed|failing|hangs?|stuck)\b"
    r"[^.\n]{0,20}\b(on|at|during|after|while|when) (the )?(start[- ]?up|startup|starting"
    r"|launch(ing)?|boot(ing)?|initiali[sz](ation|ing)|loading)\b"
    # a start cut short: the worker, pod or process killed, restarted or timed out before
    # the model finished loading ("kills my worker before the models are fully loaded",
    # "restarts the pod before the model can download"), or a loop of starts ("an infinite
    # startup loop"); a request that times out before an answer is not one
    r"|\b(kill(s|ed|ing)?|restart(s|ed|ing)?|reboot(s|ed|ing)?|time[sd]? out|timing out)\b"
    r"[^.\n]{0,60}\bbefore\b[^.\n]{0,40}\b(load(s|ed|ing)?|download(s|ed|ing)?"
    r"|start(s|ed)?( up)?|boot(s|ed)?|ready)\b"
    r"|\b(start[- ]?up|boot) loop\b"
    # ... and told the other way round: the time it takes to load, then the kill ("takes a
    # while to load, so the worker gets killed", "30 s for workers to start up, killing them")
    r"|\bto (load|start( up)?|boot|download)\b[^.\n]{0,60}\b(kill(s|ed|ing)?"
    r"|restart(s|ed|ing)?|reboot(s|ed|ing)?)\b"
    # Korean: 시작/기동/실행/구동 that fails or does not happen ("서버가 시작이 안 돼요",
    # "컨테이너가 시작되지 않아요"), a server that will not come up ("모델 서버가 안 떠요")
    r"|(시작|기동|실행|구동)\s*(이|을|가|도)?\s*(안\s*(돼|되|됩)|못|실패|되지\s*않|하지\s*않)"
    r"|(서버|컨테이너|파드|엔진|서비스)[^.\n]{0,20}(안\s*(떠|뜨|뜹)|뜨지\s*않)"
    # ... and a failure told by the start it interrupted ("부팅 중에 멈춰요", "모델 로딩하다가
    # 죽어요", "초기화 중 오류")
    r"|(시작|부팅|기동|로딩|로드|초기화)\s*(중에?|하다가|하는\s*중에?|할\s*때)\s*"
    r"(멈|죽|종료|실패|에러|오류|크래시|계속\s*(재시작|멈|죽))"
    # ... and a start cut short ("모델 로딩이 끝나기 전에 워커가 죽어요", "다운로드가 끝나기
    # 전에 파드가 재시작돼요")
    r"|(로딩|로드|다운로드|시작|기동|부팅)\s*(이|가)?\s*(끝나기|완료되기|마치기|다\s*되기)\s*전에"
    r"[^.\n]{0,30}(죽|종료|재시작|재부팅|타임아웃)"
    # Chinese: 启动 (start) that fails, errs or hangs
    r"|(启动|啟動)\s*(失败|失敗|报错|報錯|不了|异常|異常|时卡住|時卡住)|无法启动|無法啟動|起不来)")
# Something that serves and crashes or keeps dying ("the pod keeps crashing", "the ollama server
# crashed", "파드가 계속 죽어요"): a start that failed as often as a request that killed it
# ("a GET on predict and the whole server crashes", a 502), so it only lists the start entry.
# Not a worker, whose death is most often a request's.
_STATED_CRASH = re.compile(
    r"(?:(?<![a-z])(?=[pcseri])|(?=[서컨파엔]))(?:"
    r"\b(pod|container|server|engine|replica|instance|service)s?\b[^.\n]{0,30}"
    r"\b(crash(es|ed|ing)?|keeps? (crashing|restarting|dying)|dies|died)\b"
    r"|(서버|컨테이너|파드|엔진|서비스)[^.\n]{0,20}(죽어|죽었|죽습|죽네|크래시|재시작))")

# A server's own start-up line (it is loading the model, creating its engine or its environment)
# in a paste that tells of a failure: the log of a start, and something failed. Which start
# stage it stopped in is not said, so it only lists the start entry, as a crash does.
_LOADING_LINE = re.compile(
    r"\b(attempting to load|loading (the )?model|creating (\w+ )?(engine|environment"
    r"|conda environment)|initiali[sz]ing (an? )?(\w+ )?engine)\b")
_FAILURE_TOLD = re.compile(r"\b(fail\w*|crash\w*|dies|died|stuck|hangs?)\b|报错|失败|실패")


# A start-up failure in a program's own words, read anywhere in the paste by a plain substring
# search: another process holds the port (the server cannot bind, so it exits at start), an
# import fails (a server imports its scoring script, its handler and their libraries as it
# starts, before it serves anything).
_PROGRAM_START_WORDS = ("address already in use", "eaddrinuse", "importerror",
                        "modulenotfounderror")
# A traceback through a model server's own start-up code: its constructor, its model loader,
# its start or set-up functions, in the server's package (a literal first, so a long log is
# scanned quickly).
_SERVER_START_FRAME = re.compile(
    r"site-packages/(vllm|sglang|lmdeploy|text_generation_server|ts|kserve|mlserver"
    r"|tritonserver|xinference|ray/serve)/[^\"\n]*\", line \d+, in (__init__|load\w*"
    r"|initiali[sz]e\w*|start\w*|setup\w*|from_\w*config)\b")


def _program_says_start(text: str) -> bool:
    """A start-up failure in a program's words (_PROGRAM_START_WORDS, _SERVER_START_FRAME)."""
    lowered = text.lower()
    return any(word in lowered for word in _PROGRAM_START_WORDS) or (
        "site-packages/" in text and _SERVER_START_FRAME.search(text) is not None)


def _names_start(prose: str, text: str) -> bool:
    """The start itself is named: in a person's words on `prose` (the paste's head and key
    lines, in lower case), or in a program's anywhere in `text`."""
    return _STATED_START_FAILED.search(prose) is not None or _program_says_start(text)


# Every statement of _STATED_CRASH holds one of these, every _LOADING_LINE one of the others: a
# substring search first spares the patterns' walk over most pastes.
_CRASH_WORDS = ("crash", "dies", "died", "keep", "죽", "크래시", "재시작")
_LOADING_WORDS = ("load", "creating", "initiali")


def _listing_only(prose: str) -> bool:
    """A statement that lists the start entry without naming the start, on `prose` (in lower
    case): a crash, a start-up log with a failure told beside it."""
    if any(word in prose for word in _CRASH_WORDS) and _STATED_CRASH.search(prose):
        return True
    return (any(word in prose for word in _LOADING_WORDS)
            and _LOADING_LINE.search(prose) is not None
            and _FAILURE_TOLD.search(prose) is not None)


@dataclass(frozen=True)
class StatedStart:
    """What a paste says of a server that never came up (stated_start)."""

    line: int  # the first key line that says it, -1 when extraction kept none
    named: bool  # the start itself is named (_names_start), not only a crash


def stated_start(text: object, lines: Sequence[str]) -> StatedStart | None:
    """What the paste says of its server never coming up, in a person's words or a program's,
    or None when it says nothing of the kind. A person's words are read on the paste's first
    PROSE_HEAD characters and its key lines (`lines`): the statement is often only in an
    issue's title, which a long paste's extraction leaves out. The key line is the evidence
    shown for an entry listed on it."""
    if not isinstance(text, str):
        return None
    # The patterns are written in lower case: matching without IGNORECASE is twice as fast.
    head = text[:PROSE_HEAD]
    prose = "\n".join([head, *(line for line in lines if line not in head)]).lower()
    named = _names_start(prose, text)
    if not named and not _listing_only(prose):
        return None
    lowered = [line.lower() for line in lines]
    return StatedStart(next((number for number, line in enumerate(lowered)
                             if (_names_start(line, line) if named else _listing_only(line))),
                            -1), named)
