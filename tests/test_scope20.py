"""Round 18 (scope20): a paste whose setting is not a model deployment is held back
(elsewhere.other_setting -> features.PasteShape.held_back): its first candidate stays listed,
neither sure nor "probably" a diagnosis. tests/eval/LABELS.md keeps these `none`: a training
run or trial (even when its pod is Pending or killed), a batch run, a script on the user's own
machine, another program's service. A model deployment that only mentions training or a laptop
is still answered. Texts written for these tests, in the way people write such reports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.knowledge.training import unspent_final_holdouts
from bot.matching import elsewhere
from bot.matching.elsewhere import other_setting
from bot.matching.matcher import default_matcher

# A training run, a trial, a batch or notebook run, said in the writer's words.
TRAINING = [
    "Training does not start on the new GPU pool\n\nkubectl describe pod trainer-0\n"
    "Status:  Pending\n  Warning  FailedScheduling  3m  default-scheduler  0/4 nodes are "
    "available: 4 Insufficient nvidia.com/gpu.",
    "학습 작업 파드가 계속 Pending이에요\n\n  Warning  FailedScheduling  3m  default-scheduler  "
    "0/4 nodes are available: 4 Insufficient nvidia.com/gpu.",
    "The job gets killed after a few minutes of training:\n\n  Last State:  Terminated\n"
    "    Reason:    OOMKilled\n    Exit Code: 137",
    "학습 중에 컨테이너가 죽어요\n\n  Last State:  Terminated\n    Reason:    OOMKilled\n"
    "    Exit Code: 137",
    "用4张卡训练的时候进程被杀掉了 Killed, exit code 137",
    "Katib trial pods stay Pending\n\n0/2 nodes are available: 2 Insufficient memory.",
    "Pod of my hyperparameter tuning trials is OOMKilled (Exit Code 137) after the first trial",
    "mlflow run . --backend kubernetes --backend-config k8s.json\n\nThe job's container crashes "
    "right away, CrashLoopBackOff with exit code 1",
    "RuntimeError: DataLoader worker (pid 4312) is killed by signal: Killed.\n"
    "The machine has 16 GB, could it be out of memory?",
    "Experiment failed:\nActivityFailedException: Activity Failed: User program failed with "
    "ModuleNotFoundError: No module named 'lightgbm'",
    "Invoking the batch endpoint fails: the job exits with status code 42, "
    "Out of memory in the scoring step",
]
# The writer's own machine: an IDE's run window, a swap file.
OWN_MACHINE = [
    "Loading the 13B chat model from my script dies at 60 %\n\n"
    "Process finished with exit code 137 (interrupted by signal 9: SIGKILL)",
    "OOM when loading a 30B model with 32G of RAM, the python process is Killed. "
    "Increasing the swap size fixed it",
    "30B 모델을 불러오면 python 프로세스가 죽어요:\n\nKilled\nexit code 137\n\n"
    "스왑을 늘리니까 됐어요",
]
# Another program's service, named by its own log lines, CLI, host or name.
OTHER_SERVICE = [
    "Function app deploy succeeds but nothing runs\n\n"
    "2025-01-02T10:00:00Z Successfully created stdout named pipe at: "
    "/podr/container/pipe/abc_func-api/stdout_1.\n2025-01-02T10:00:05Z Container exited, "
    "exit code 1",
    "az webapp log deployment show shows the container failed to start within 230 seconds, "
    "site did not start",
    "The primary container for production variant AllTraffic did not pass the ping health "
    "check. Please check CloudWatch logs for this endpoint.",
    "mlflow.server.handlers: Exception on /api/2.0/mlflow-artifacts/artifacts [GET]\n"
    "FileNotFoundError: [Errno 2] No such file or directory: '/mlruns/3/abc/artifacts/model'\n"
    "HTTP 500 Internal Server Error",
    "NIMCache stays in Failed state: the model download pod crashes with "
    "No such file or directory: '/model-store/manifest.yaml'",
    "Istio BookInfo productpage answers 503 upstream connect error or disconnect/reset "
    "before headers after I added my own service",
    "Our Ultralytics HUB dedicated inference API endpoint returns 503 Service Unavailable "
    "for every request",
]
HELD = TRAINING + OWN_MACHINE + OTHER_SERVICE

# Model deployments that only mention training, a laptop, a batch or an experiment: answered.
DEPLOYMENTS = [
    ("The model was fine during training, but after deploying it to a managed online endpoint "
     "the container keeps restarting:\n  Last State:  Terminated\n    Reason:    OOMKilled\n"
     "    Exit Code: 137", "vm-out-of-memory"),
    ("학습 중에는 문제없던 모델을 온라인 엔드포인트에 배포했더니 컨테이너가 재시작돼요:\n"
     "  Last State:  Terminated\n    Reason:    OOMKilled\n    Exit Code: 137",
     "vm-out-of-memory"),
    ("It loads fine on my laptop with swap, but the predictor pod of our InferenceService "
     "is OOMKilled:\n  Last State:  Terminated\n    Reason:    OOMKilled\n    Exit Code: 137",
     "vm-out-of-memory"),
    ("After deploying the model the pod is in CrashLoopBackOff:\n"
     "NAME                      READY   STATUS             RESTARTS   AGE\n"
     "model-server-7d9f-x2k     0/1     CrashLoopBackOff   12         40m",
     "service-launch-fails"),
]
# Words these rules must not take for a setting.
NOT_A_SETTING = [
    "The scoring requests with a batch size of 64 time out with 504 Gateway Timeout",
    "Running the container, it keeps restarting: CrashLoopBackOff",
    "학습된 모델을 배포한 파드가 OOMKilled 돼요",
    "训练好的模型部署后容器一直重启 CrashLoopBackOff",
    # Azure ML's own words beside another service's name: the studio packaged it
    "Packaging the model for an Azure Functions app from the Azure ML studio fails: "
    "Image creation polling reached non-successful terminal state",
]


@pytest.mark.parametrize("text", HELD)
def test_a_setting_that_is_not_a_model_deployment_is_recognised(text: str) -> None:
    assert other_setting(text)


@pytest.mark.parametrize("text", [text for text, _ in DEPLOYMENTS] + NOT_A_SETTING)
def test_a_deployment_or_plain_words_are_not(text: str) -> None:
    assert not other_setting(text)


@pytest.mark.parametrize("text", HELD)
def test_such_a_paste_is_listed_but_never_sure_nor_probably(text: str) -> None:
    result = default_matcher().match(text)
    assert result.matches  # still listed
    assert result.matches[0].tier == "unknown"


@pytest.mark.parametrize(("text", "entry"), DEPLOYMENTS)
def test_a_deployment_that_mentions_training_or_a_laptop_is_still_answered(
        text: str, entry: str) -> None:
    first = default_matcher().match(text).matches[0]
    assert first.entry_id == entry
    assert first.tier in ("confident", "likely")


def test_the_setting_is_read_in_the_head_and_overruled_by_the_whole_paste() -> None:
    training = "Training does not start, the pod is Pending\n"
    assert other_setting(training)
    # a deployment named far below the title still overrules it
    assert not other_setting(training + "log line\n" * 2000 + "deployed to an online endpoint")
    # a setting named only far below the head is not read (the cost of a 40,000-char log)
    assert not other_setting("log line\n" * 2000 + training)


def test_it_holds_the_paste_back_beside_the_row_not_in_a_feature_column() -> None:
    # as scope.runs_elsewhere: the assessment carries it, the model and its rows are as before
    matcher = default_matcher()
    held = matcher.assess(TRAINING[0])
    plain = matcher.assess(TRAINING[0].replace("Training does not start", "Nothing starts"))
    assert held.held_back and not plain.held_back
    assert len(held.rows[0]) == len(plain.rows[0])


EVAL = Path(__file__).resolve().parent / "eval"
WORDS = [*elsewhere._TRAINING, *elsewhere._OWN_MACHINE, *elsewhere._OTHER_SERVICE]


def test_the_fixed_strings_checked_first_never_hide_a_match() -> None:
    # As scope._Named's test (test_out_of_scope): each regex runs only when one of its strings
    # is in the lower-cased head, so every text it matches must hold one of them. A final
    # holdout still being collected or not yet scored is never fed to matching code.
    files = [path for path in sorted(EVAL.glob("*.jsonl"))
             if path not in unspent_final_holdouts([path])]
    texts = [json.loads(line)["text"][:elsewhere.HEAD_CHARS] for path in files
             for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    texts += HELD + NOT_A_SETTING + [text for text, _ in DEPLOYMENTS]
    for named in WORDS:
        found = [text for text in texts if named.pattern.search(text)]
        assert found, named.needles  # each has something to check
        assert [text[:80] for text in found if not named.search(text, text.lower())] == []
