"""Wordings the shipped KB must know (issue 10): pasted whole, the bot names the right entry.

The pastes are written in this project's own words after the public reports listed in each
entry's `# sources:` comment; none of them is in the evaluation set.
"""

from __future__ import annotations

import pytest

from bot.matching.matcher import default_matcher

V2_STATUS_SEGFAULT = """\
Instance status:
SystemSetup: Succeeded
UserContainerImagePull: Succeeded
ModelDownload: Succeeded
UserContainerStart: InProgress

Container events:
Kind: Pod, Name: Pulling, Type: Normal, Message: Start pulling container image
Kind: Pod, Name: Pulled, Type: Normal, Message: Container image is pulled successfully
Kind: Pod, Name: Started, Type: Normal, Message: Started container inference-server
Kind: Pod, Name: ContainerCrashed, Type: Warning, Message: Container inference-server
 terminated with exit code 139
"""
AKS_NO_MAIN = """\
Traceback (most recent call last):
  File "/var/azureml-server/aml_blueprint.py", line 29, in <module>
    import main
ModuleNotFoundError: No module named 'main'
"""
BARE_GCC_FAILURE = """\
Step 9/15 : RUN pip install -r requirements.txt
    gcc -pthread -B /opt/miniconda/compiler_compat -fPIC -c src/fast.c -o build/fast.o
    unable to execute 'gcc': No such file or directory
    error: command 'gcc' failed with exit status 1
"""
# The same failure in the build of an Azure ML environment image (its base image and conda path).
GCC_IN_IMAGE_BUILD = ("Step 1/15 : FROM mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu20.04\n"
                      + BARE_GCC_FAILURE.replace("/opt/miniconda", "/azureml-envs/azureml_5f1c"))
CLIENT_READ_TIMEOUT = ("requests.exceptions.ReadTimeout: HTTPSConnectionPool(host='fraud-ep."
                       "northeurope.inference.ml.azure.com', port=443): Read timed out. "
                       "(read timeout=120)")
R_INIT = """\
2025-02-03 08:00:01,001 | root | INFO | Invoking user's init function
Error in loadNamespace(name) : there is no package called 'ranger'
rpy2.rinterface_lib.embedded.RRuntimeError: Error in loadNamespace(name) : no package 'ranger'
"""
CLI_CONFIG_ERROR = """\
$ az ml online-deployment create -f blue.yml
  File "/opt/az/azcliextensions/ml/azure/ai/ml/entities/_load_functions.py", line 310, in
TypeError: __init__() got an unexpected keyword argument 'scoring_timeout'
"""
PROBE_502_DURING_DEPLOY = ("Deployment blue of endpoint churn-ep failed: Readiness probe failed: "
                           "HTTP probe failed with statuscode: 502")

# Three wordings were only "probably" from round 4 to round 9 (the history is in docs/eval.md,
# "Round 9, kb9"): each decided on a line any other stack prints too (a script's own `import
# main`, a compiler missing in any Docker build, a read timeout of any client), so the model
# rightly stayed below its confident threshold. Round 10 (kb10) gives each the evidence only an
# Azure ML paste carries, as patterns (no word weight, nothing in the pool matches them): the v1
# server's `aml_blueprint.py` frame at module level, the compiler running inside the Azure ML
# environment's conda prefix (`-B /azureml-envs/<name>/compiler_compat`), and requests' ReadTimeout
# naming an online endpoint's or ACI's host. With them each reaches an exact match (score 100)
# and the exact-match rule answers it; the same lines without that context stay below
# "confident" (the tests after ANSWERED).
ANSWERED = [
    (V2_STATUS_SEGFAULT, "service-launch-fails"),
    # https://github.com/Azure/azure-sdk-for-python/issues/19493 (AKS, every deployment from a day)
    (AKS_NO_MAIN, "service-launch-fails"),
    # the same as the v1 server's logger prints it (get_logs())
    ("\n".join(f"2021-06-25 10:00:00,123 | root | ERROR | {line}"
               for line in AKS_NO_MAIN.splitlines()), "service-launch-fails"),
    # https://github.com/MicrosoftDocs/azure-docs/issues/25353 (gcc missing in the deployment image)
    (GCC_IN_IMAGE_BUILD, "image-build-fails"),
    # https://github.com/langchain-ai/langchain/issues/8227 (a caller's timeout, online endpoint)
    (CLIENT_READ_TIMEOUT, "http-status-code-504"),
    (PROBE_502_DURING_DEPLOY, "service-launch-fails"),
]
RANKED_FIRST = [
    (R_INIT, "service-launch-fails"),
    ("the container keeps restarting after I deploy, init seems to fail every time",
     "service-launch-fails"),
    ("how can I look at my endpoint's logs now that Application Insights is not connected?",
     "get-deployment-logs"),
    ("배포하고 나서 컨테이너가 계속 재시작돼요. init에서 실패하는 것 같아요",
     "service-launch-fails"),
]


# The same failing lines without what makes them an Azure ML deployment's: ranked the same way,
# never answered for sure. A script of one's own that imports `main`, App Service's `gunicorn
# main:app` (a look-alike labelled none in the evaluation set), a read timeout of a local server
# or of another vendor's API.
PLAIN_IMPORT_MAIN = AKS_NO_MAIN.replace("/var/azureml-server/aml_blueprint.py",
                                        "/home/ana/app/run.py")
OTHER_READ_TIMEOUTS = [
    CLIENT_READ_TIMEOUT.replace(
        "HTTPSConnectionPool(host='fraud-ep.northeurope.inference.ml.azure.com', port=443)",
        "HTTPConnectionPool(host='localhost', port=8000)"),
    CLIENT_READ_TIMEOUT.replace("fraud-ep.northeurope.inference.ml.azure.com", "api.openai.com"),
]


@pytest.mark.parametrize(("paste", "expected"), [
    (PLAIN_IMPORT_MAIN, "service-launch-fails"),
    ("the app in Azure App Service fails to load:\nModuleNotFoundError: No module named 'main'",
     "service-launch-fails"),
    *((paste, "http-status-code-504") for paste in OTHER_READ_TIMEOUTS)])
def test_the_same_lines_outside_an_azure_ml_deployment_are_not_answered_for_sure(
        paste: str, expected: str) -> None:
    result = default_matcher().match(paste)
    assert result.matches[0].entry_id == expected
    assert result.answer is None


def test_a_compiler_failure_with_no_deployment_in_sight_is_not_answered_confidently() -> None:
    # Any project's Docker build prints these lines; without a sign of a model deployment or an
    # Azure ML environment build the bot may rank the image-build entry, never be sure of it.
    result = default_matcher().match(BARE_GCC_FAILURE)
    assert result.matches[0].entry_id == "image-build-fails"
    assert result.answer is None


@pytest.mark.parametrize(("paste", "expected"), ANSWERED)
def test_known_wordings_are_answered_confidently(paste: str, expected: str) -> None:
    result = default_matcher().match(paste)
    assert result.answer is not None, [m.entry_id for m in result.matches]
    assert result.answer.entry_id == expected


@pytest.mark.parametrize(("paste", "expected"), RANKED_FIRST)
def test_descriptions_and_r_logs_rank_the_right_entry_first(paste: str, expected: str) -> None:
    result = default_matcher().match(paste)
    assert result.matches and result.matches[0].entry_id == expected
    assert result.answer is None or result.answer.entry_id == expected


def test_a_cli_config_error_is_not_a_run_function_failure() -> None:
    # "got an unexpected keyword argument" is any Python call; only run()'s, with the scoring
    # server's frames, is a scoring-script failure.
    result = default_matcher().match(CLI_CONFIG_ERROR)
    assert result.answer is None or result.answer.entry_id != "function-fails-runinput_data"


# Model servers of neighbouring stacks and the polling timeout (issue 10, second round): each
# is shown first, as the answer or as "probably ...". Written in this project's own words after
# the reports in the entries' `# sources:`; none is an evaluation item.
POLLING_TIMEOUT = """\
Running.........................................
TimedOut
ERROR - Service deployment polling reached non-successful terminal state, current service \
state: Transitioning
{"code": "DeploymentTimedOut", "statusCode": 504,
 "message": "The deployment operation polling has TimedOut."}
"""
POLLING_TIMEOUT_WITH_CAUSE = """\
ERROR - Service deployment polling reached non-successful terminal state
{"code": "DeploymentTimedOut", "statusCode": 504}
Warning  FailedScheduling  0/2 nodes are available: 2 Insufficient nvidia.com/gpu.
"""
SHOWN_FIRST = [
    (POLLING_TIMEOUT, "get-deployment-logs"),
    (POLLING_TIMEOUT_WITH_CAUSE, "container-cannot-be-scheduled"),
    ("INFO:root:Copying contents of /mnt/models to local\n"
     "ERROR:root:fail to locate model file for model churn-model under dir /mnt/models,"
     "trying loading from model repository.", "function-fails-get_model_path"),
    ("E1104 09:12:44.101 1 model_lifecycle.cc:626] failed to load 'churn' version 3: "
     "Unavailable: unable to find '/models/churn/3/model.onnx' for model instance 'churn_0'",
     "function-fails-get_model_path"),
    ("tritonclient.utils.InferenceServerException: [StatusCode.INVALID_ARGUMENT] unexpected "
     "shape for input 'pixels' for model 'digits'. Expected [-1,784], got [28,28].",
     "function-fails-runinput_data"),
    ('{"code": 503, "type": "ServiceUnavailableException", "message": "Model \\"churn\\" has '
     'no worker to serve inference request. Please use scale workers API to add workers."}',
     "http-status-code-503"),
    ("2026/11/30 08:00:01 [error] 12#12: *7 upstream prematurely closed connection while "
     'reading response header from upstream, client: 10.0.0.5, request: "POST /score HTTP/1.1"',
     "http-status-code-502"),
    ("terminate called after throwing an instance of 'std::bad_alloc'\n"
     "  what():  std::bad_alloc", "vm-out-of-memory"),
]


@pytest.mark.parametrize(("paste", "expected"), SHOWN_FIRST)
def test_model_server_wordings_are_shown_first(paste: str, expected: str) -> None:
    first = default_matcher().match(paste).matches[0]
    assert first.entry_id == expected
    assert first.tier in ("confident", "likely")


# Wordings people paste that the KB answered weakly (issue 10, coverage round): each is now
# shown first, as the answer or as "probably ...". In this project's own words after the
# reports in the entries' `# sources:`; none is an evaluation item (checked with grep).
COVERAGE_ROUND = [
    # the segfault named beside its code is not "some process was killed"
    ("inference-server: the scoring server exited with code 139 (Segmentation fault) "
     "right after loading the ONNX model", "service-launch-fails"),
    # a question about logs when Application Insights is off
    ("where can I read the deployment logs of my online endpoint if Application Insights "
     "is disabled?", "get-deployment-logs"),
    ("how do I get logs for my web service, Application Insights was not enabled",
     "get-deployment-logs"),
    # the gateway's 504 in front of a slow scoring call
    ("POST /score -> 504 upstream request timeout after 60s", "http-status-code-504"),
]


@pytest.mark.parametrize(("paste", "expected"), COVERAGE_ROUND)
def test_common_wordings_are_shown_first(paste: str, expected: str) -> None:
    first = default_matcher().match(paste).matches[0]
    assert first.entry_id == expected
    assert first.tier in ("confident", "likely")


# Wordings above that name nothing served and no pod: a bare gunicorn timeout, a container with
# no deployment, a Korean queue-full 503. Round 16 (likely17, scope.no_model_served): such
# pastes in public reports are mostly other programs (plain gunicorn sites, Docker apps, hosted
# APIs), so their entry is listed first, not shown as "probably"; naming the endpoint, the
# model server or the pod is enough to be answered (tests/test_no_model_served.py).
NOTHING_SERVED_IN_SIGHT = [
    ("[2026-11-30 08:01:02 +0000] [1] [CRITICAL] WORKER TIMEOUT (pid:17)\n"
     "[2026-11-30 08:01:03 +0000] [23] [INFO] Booting worker with pid: 23",
     "http-status-code-504"),
    ("Container terminated with code -11 (SIGSEGV) during init", "service-launch-fails"),
    ("트래픽이 몰릴 때 요청이 대기열이 꽉 찼다며 503으로 거절돼요", "http-status-code-503"),
]


@pytest.mark.parametrize(("paste", "expected"), NOTHING_SERVED_IN_SIGHT)
def test_a_wording_with_nothing_served_in_sight_is_listed_first(paste: str,
                                                                 expected: str) -> None:
    first = default_matcher().match(paste).matches[0]
    assert first.entry_id == expected
    assert first.tier != "likely"
    served = default_matcher().match(f"our model endpoint: {paste}").matches[0]
    assert (served.entry_id, served.tier in ("confident", "likely")) == (expected, True)


def test_a_segfault_named_beside_its_exit_code_is_answered_confidently() -> None:
    result = default_matcher().match("The scoring container exited with code 139 "
                                     "(Segmentation fault) while the model loaded")
    assert result.answer is not None and result.answer.entry_id == "service-launch-fails"


def test_polling_that_ended_unhealthy_with_no_cause_ranks_reading_the_logs_first() -> None:
    # SDK v1 polling ended Unhealthy and the paste holds no cause: the next step is the logs.
    # With a logger prefix the model rates it below "probably"; the order is still right.
    result = default_matcher().match(
        "ERROR - Service deployment polling reached non-successful terminal state, current "
        "service state: Unhealthy\nOperation ID: 3f2b9c7e-1d4a-4c55-9e0b-7a1c2d3e4f50")
    assert result.matches[0].entry_id == "get-deployment-logs"
    assert result.answer is None or result.answer.entry_id == "get-deployment-logs"


def test_polling_that_ended_unhealthy_beside_a_crash_is_answered_with_the_crash() -> None:
    # The logs question yields to a cause the paste itself shows.
    paste = ("Service deployment polling reached non-successful terminal state, current "
             "service state: Unhealthy\nError: {\"code\": \"AciDeploymentFailed\", \"message\": "
             "\"Aci Deployment failed with exception: Your container application crashed. This "
             "may be caused by errors in your scoring file's init() function.\"}")
    assert default_matcher().match(paste).matches[0].entry_id == "service-launch-fails"


def test_a_compiler_missing_in_a_v2_image_build_is_answered_as_the_image_build() -> None:
    # `ImageBuildFailure` is the online deployment's own error code: the build is a deployment's,
    # not some other project's (those stay below "confident": docs/eval.md).
    result = default_matcher().match(
        "(ImageBuildFailure) Error with image build on ACR.\n"
        "Building wheels for collected packages: lightgbm\n"
        "gcc: error trying to exec 'cc1plus': execvp: No such file or directory\n"
        "error: command 'gcc' failed with exit status 1")
    assert result.answer is not None and result.answer.entry_id == "image-build-fails"


# pip killed by the kernel inside a BuildKit step of someone's own image build. The step's name
# says "container", which once put the paste in a deployment; a process that died while an
# install or build step ran is not a serving failure (features.death_outside_serving).
PIP_KILLED_IN_BUILD = """\
 > [app-container 5/9] RUN pip install -r requirements.txt:
42.17 Downloading torch-2.3.0-cp311-cp311-manylinux1_x86_64.whl (779.1 MB)
97.80 /bin/sh: line 1:     7 Killed                  pip install -r requirements.txt
ERROR: failed to solve: process "/bin/sh -c pip install -r requirements.txt" did not complete \
successfully: exit code: 137
"""
SERVING_POD_OOM = """\
  Last State:     Terminated
    Reason:       OOMKilled
    Exit Code:    137
  Warning  BackOff  kubelet  Back-off restarting failed container model-server in pod \
churn-scorer-7d9f8b6c5-x2kqz
"""


def test_a_process_killed_during_an_image_build_is_not_answered_confidently() -> None:
    assert default_matcher().match(PIP_KILLED_IN_BUILD).answer is None
    served = default_matcher().match(SERVING_POD_OOM)
    assert served.answer is not None and served.answer.entry_id == "vm-out-of-memory"


# Exit 137 outside any model serving, with the words a deployment is recognised by around it
# (an inference image's tests in a CI job; a training script in a container): the kill is the
# CI job's or the training run's, not a deployment's (features._OTHER_ACTIVITY).
CI_JOB_KILLED = """\
Run docker compose run --rm inference-api pytest tests/ -x
 Container app-inference-api-run-1c2d  Creating
tests/test_batch.py::test_large_batch
/home/runner/work/_temp/4f1a.sh: line 1:  2211 Killed   docker compose run --rm inference-api pytest
Error: Process completed with exit code 137.
"""
TRAINING_KILLED = """\
Training dies inside the container on our GPU box, always in the third epoch:
$ python train.py --epochs 20 --batch-size 64
Epoch 3/20
 812/1500 [==============>...............] - ETA: 4:12 - loss: 0.4121
Killed
The container exited with exit code 137.
"""


@pytest.mark.parametrize("paste", [CI_JOB_KILLED, TRAINING_KILLED], ids=["ci-job", "training"])
def test_a_process_killed_in_a_ci_job_or_a_training_run_is_not_answered(paste: str) -> None:
    first = default_matcher().match(paste).matches[0]
    assert first.entry_id == "vm-out-of-memory"  # still the closest candidate, for the thread
    assert first.tier == "unknown"


# Round 10: a line that says only that some process was killed, with nothing but the kill's own
# words around it. An IDE's run window prints the first for any script it runs (here a batch
# scoring benchmark: "inference" names any model run, not a served one); the kernel's OOM
# killer the second for any process in a memory cgroup, and people call it "OOM-killed" in
# their own words. Round 9's holdout had two such pastes answered confidently.
IDE_RUN_KILLED = """\
batch inference benchmark over 5,000 images, run from the IDE
 38%|███▊      | 1904/5000 [02:11<03:33, 14.49it/s]
Process finished with exit code 137 (interrupted by signal 9: SIGKILL)
"""
CGROUP_OOM_KILLED = """\
our nightly export job gets OOM-killed under the 1G memory limit of docker compose
kernel: python3 invoked oom-killer: gfp_mask=0x100cca, order=0, oom_score_adj=0
kernel: Memory cgroup out of memory: Killed process 2231 (python3) total-vm:3120044kB
"""
# The same kill where a deployment shows (its pod and container): still the answer.
DEPLOYMENT_POD_KILLED = """\
kubectl describe pod churn-scorer-7d9f8b6c5-x2kqz -n models
    Last State:     Terminated
      Reason:       OOMKilled
      Exit Code:    137
  Warning  BackOff  kubelet  Back-off restarting failed container scorer in pod \
churn-scorer-7d9f8b6c5-x2kqz
"""


@pytest.mark.parametrize("paste", [IDE_RUN_KILLED, CGROUP_OOM_KILLED], ids=["ide", "cgroup"])
def test_a_kill_with_no_deployment_in_sight_is_never_answered_confidently(paste: str) -> None:
    first = default_matcher().match(paste).matches[0]
    assert first.entry_id == "vm-out-of-memory"  # still the closest candidate, for the thread
    assert first.tier != "confident"


def test_a_kill_inside_a_deployment_is_still_answered() -> None:
    result = default_matcher().match(DEPLOYMENT_POD_KILLED)
    assert result.answer is not None and result.answer.entry_id == "vm-out-of-memory"


# Round 14: exit code 137 that the container runtime itself says was not the OOM killer's:
# Kubernetes' `reason: Error` beside 137 (a liveness probe's restart, a platform tearing the
# container down: the kubelet writes OOMKilled when memory killed it), Docker's
# `"OOMKilled": false`. Every such paste of the evaluation pool was labelled something else than
# out of memory; three were sure "out of memory" on the time split (features.death_not_oom).
KILL_REASON_ERROR = """\
Our scoring pod restarted again, from kubectl get pod scorer-7c9d -o yaml:

    lastState:
      terminated:
        containerID: containerd://5e1f0a9c2b7d4e8f
        exitCode: 137
        finishedAt: "2026-11-30T08:02:11Z"
        reason: Error
        startedAt: "2026-11-30T08:00:40Z"
    name: scorer
    ready: true
    restartCount: 3
"""
DOCKER_NOT_OOM_KILLED = """\
our scoring container dies after a few requests, docker inspect on it says:

        "State": {
            "Status": "exited",
            "Running": false,
            "Paused": false,
            "OOMKilled": false,
            "Dead": false,
            "Pid": 0,
            "ExitCode": 137,
"""
# Another container of the same pod was OOM-killed: the runtime's OOMKilled outweighs an Error.
TWO_CONTAINERS_ONE_OOM = """\
kubectl describe pod scorer-7c9d-x2kqz -n models
  scorer:
    Last State:     Terminated
      Reason:       OOMKilled
      Exit Code:    137
  log-shipper:
    Last State:     Terminated
      Reason:       Error
      Exit Code:    137
"""


@pytest.mark.parametrize("paste", [KILL_REASON_ERROR, DOCKER_NOT_OOM_KILLED],
                         ids=["reason-error", "docker-oomkilled-false"])
def test_a_kill_the_runtime_says_was_not_for_memory_is_never_answered_confidently(
        paste: str) -> None:
    first = default_matcher().match(paste).matches[0]
    assert first.entry_id == "vm-out-of-memory"  # still the closest candidate, for the thread
    assert first.tier != "confident"


@pytest.mark.parametrize("paste", [
    KILL_REASON_ERROR.replace("reason: Error", "reason: OOMKilled"),
    DOCKER_NOT_OOM_KILLED.replace('"OOMKilled": false', '"OOMKilled": true'),
    TWO_CONTAINERS_ONE_OOM], ids=["reason-oomkilled", "docker-oomkilled-true", "two-containers"])
def test_a_kill_the_runtime_says_was_for_memory_is_still_answered(paste: str) -> None:
    result = default_matcher().match(paste)
    assert result.answer is not None and result.answer.entry_id == "vm-out-of-memory"


# Wordings of other model servers and of people, checked against the servers' source (round 5,
# "rank"): each is ranked first. In this project's own words; none is an evaluation item.
ROUND_FIVE = [
    # gunicorn's arbiter names a signal number it cannot name as "code N"
    ("[2026-11-30 07:12:40 +0000] [1] [ERROR] Worker (pid:88) was sent code 139!",
     "service-launch-fails"),
    # OpenVINO model server gives up at start
    ("[2026-11-30 07:00:02.100][1][serving][error][config.cpp:301] Invalid --shape argument\n"
     "[2026-11-30 07:00:02.101][1][modelmanager][error][modelmanager.cpp:139] Couldn't start "
     "model manager", "service-launch-fails"),
    # MLServer's model settings point at nothing
    ("mlserver: Invalid URI specified for model iris-xgb (/mnt/models/iris/model.bst)",
     "function-fails-get_model_path"),
    # load in the words of servers with a job queue
    ("TorchServe answers HTTP 503 as soon as there are more concurrent requests than the job "
     "queue holds", "http-status-code-503"),
    # BentoML's model store
    ("bentoml.exceptions.NotFound: no Models with name 'churn_clf'",
     "function-fails-get_model_path"),
    # a Flask model API whose predict view raised on the request
    ("[2026-11-30 10:02:11,532] ERROR in app: Exception on /api/predict [POST]\n"
     "Traceback (most recent call last):\n"
     '  File "/srv/app.py", line 31, in predict\n'
     "    return jsonify(model.predict(features))\n"
     "ValueError: could not convert string to float: 'abc'", "function-fails-runinput_data"),
    # KServe's timing line of an infer call that answered 500
    ("2026-11-30 10:00:00.001 1 kserve.trace kserve.io.kserve.protocol.rest.v2_endpoints.infer: "
     "0.0041 ['http_status:500', 'http_method:POST', 'time:wall']",
     "function-fails-runinput_data"),
    ("POST /invocations answers HTTP 500 for an invalid input row, expected a 400",
     "function-fails-runinput_data"),
    # asking for a local run without the SDK's class name
    ("Webservice deployment failed again, is there a way to try it on local?", "debug-locally"),
    ("I want to deploy and test the scoring service on my local machine before going to AKS",
     "debug-locally"),
    ("Error: local web service is not reachable, scoring_uri is None after deploy",
     "debug-locally"),
]


@pytest.mark.parametrize(("paste", "expected"), ROUND_FIVE)
def test_other_servers_and_peoples_wordings_rank_the_right_entry_first(paste: str,
                                                                        expected: str) -> None:
    assert default_matcher().match(paste).matches[0].entry_id == expected



# Round 6 ("rank6b"): what model servers and the proxies in front of them print for a scoring
# request, checked against their source. Each is ranked first with a score of its own words
# (a pattern's or a signature's, >= 60), not by a few common words (before: 20-53, or another
# entry first). In this project's own words; none is an evaluation item.
MLFLOW_PREDICT_RAISED = """\
[2026-11-30 08:01:12 +0000] [61] [INFO] Starting gunicorn 21.2.0
[2026-11-30 08:01:12 +0000] [64] [INFO] Booting worker with pid: 64
172.17.0.1 - - [30/Nov/2026:08:03:40 +0000] "POST /invocations HTTP/1.1" 400 312 "-" "requests"
{"error_code": "BAD_REQUEST", "message": "Encountered an unexpected error while evaluating the \
model. Verify that the input is compatible with the model for inference. Error 'could not \
convert string to float'"}
"""
MLFLOW_BODY_NOT_JSON = """\
$ mlflow models serve -m runs:/3f2a/model -p 5000 --env-manager local
$ curl -X POST localhost:5000/invocations -H 'Content-Type: application/json' -d @rows.json
{"error_code": "MALFORMED_REQUEST", "message": "Failed to parse input from JSON. Ensure that \
input is a valid JSON formatted string."}
"""
TRITON_INPUT_SIZE = """\
I1130 09:00:00.100000 1 server.cc:674] model 'resnet50' READY
E1130 09:00:05.200000 1 http_server.cc:3180] Infer failed: unexpected size for input \
'pixel_values', expecting 602112 bytes for model 'resnet50'
"""
TRITON_MODEL_FILE_MISSING = """\
I1130 08:00:00.500000 1 server.cc:127] Initializing Triton Inference Server
E1130 08:00:01.123456 1 model_lifecycle.cc:621] failed to load 'fraud_xgb' version 3: Internal: \
failed to stat file /models/fraud_xgb/3/xgboost.json
"""
ROUND_SIX = [
    # ingress-nginx says why it answered 504: proxy_read_timeout ran out (glibc's and musl's
    #   wording of ETIMEDOUT)
    ('2026/11/30 09:14:03 [error] 31#31: *50211 upstream timed out (110: Connection timed out) '
     'while reading response header from upstream, client: 10.244.0.1, server: '
     'scoring.example.com, request: "POST /v1/models/churn:predict HTTP/1.1", upstream: '
     '"http://10.244.1.17:8080/v1/models/churn:predict", host: "scoring.example.com"',
     "http-status-code-504"),
    ("2026/11/30 09:20:44 [error] 7#7: *881 upstream timed out (110: Operation timed out) while "
     'reading upstream, client: 172.16.0.4, request: "POST /generate HTTP/1.1"',
     "http-status-code-504"),
    # Triton cannot find a model repository or a model file at the path it was given
    (TRITON_MODEL_FILE_MISSING, "function-fails-get_model_path"),
    ("I1130 08:00:00.500000 1 server.cc:127] Initializing Triton Inference Server\n"
     "error: creating server: Internal - failed to stat file /mnt/model-repo",
     "function-fails-get_model_path"),
    # MLflow's scoring server: predict() raised on the request, or the body is not a layout it reads
    (MLFLOW_PREDICT_RAISED, "function-fails-runinput_data"),
    (MLFLOW_BODY_NOT_JSON, "function-fails-runinput_data"),
    ("mlflow.exceptions.MlflowException: The input must be a JSON dictionary with exactly one of "
     "the input fields {'dataframe_split', 'dataframe_records', 'instances', 'inputs'}. Received "
     "dictionary with input fields: ['columns', 'data']", "function-fails-runinput_data"),
    # Triton checks a request's tensors against the model configuration
    ("tritonclient.utils.InferenceServerException: [400] unexpected shape for output 'logits', "
     "model configuration shape is [1000], inference shape is [1,1000]",
     "function-fails-runinput_data"),
    (TRITON_INPUT_SIZE, "function-fails-runinput_data"),
]


@pytest.mark.parametrize(("paste", "expected"), ROUND_SIX)
def test_model_servers_and_proxies_on_a_scoring_request_rank_the_right_entry_first(
        paste: str, expected: str) -> None:
    best = default_matcher().match(paste).matches[0]
    assert (best.entry_id, best.score >= 60) == (expected, True)


def test_a_bare_failed_stat_from_another_program_is_not_a_missing_model() -> None:
    # 'failed to stat file' is printed by many C++ programs; only Triton's status name in front
    # of it (Internal) says a model repository path is missing. Since round 7 the precedents
    # (earlier reports with `No such file or directory`) may list the entry as a candidate, but
    # the bot does not present it, not even as "probably".
    matches = default_matcher().match(
        "rsync: [sender] failed to stat file /var/backups/app.tar: No such file or directory"
    ).matches
    assert not any(match.entry_id == "function-fails-get_model_path"
                   and match.tier != "unknown" for match in matches)


def test_a_cloud_web_service_s_sdk_lines_are_not_a_local_deployment() -> None:
    # 'from azureml.core.webservice import Webservice' has the shape of the local deployment's
    # import; only the class LocalWebservice makes it local
    paste = ("from azureml.core.webservice import Webservice\n"
             "service = Webservice(workspace=ws, name='churn-svc')\n"
             "print(service.scoring_uri)\nNone")
    assert default_matcher().match(paste).matches[0].entry_id != "debug-locally"
    local = ("from azureml.core.webservice import LocalWebservice\n"
             "service = Model.deploy(ws, 'churn-local', [model], inference_config, "
             "LocalWebservice.deploy_configuration(port=8890))")
    assert default_matcher().match(local).matches[0].entry_id == "debug-locally"


@pytest.mark.parametrize("paste", [
    "nginx 504 error on every prediction",
    "推理接口经常报超时504错误",  # Chinese: 'the inference API often reports a timeout 504 error'
    "Got HTTP 504 (timed out) from the ingress for long prompts",
])
def test_a_504_beside_timeout_or_nginx_is_the_scoring_timeout(paste: str) -> None:
    assert default_matcher().match(paste).matches[0].entry_id == "http-status-code-504"


def test_a_deployment_polling_timeout_with_status_504_is_still_the_logs_question() -> None:
    paste = ('{"code": "DeploymentTimedOut", "statusCode": 504, "message": "The deployment '
             'operation polling has TimedOut. The service creation is taking longer than our '
             'normal time."}')
    assert default_matcher().match(paste).matches[0].entry_id == "get-deployment-logs"


def test_knative_queue_proxy_losing_the_request_is_a_502() -> None:
    # the queue-proxy in front of a KServe serverless predictor answers 502 Bad Gateway when the
    # model container drops the request (knative.dev/pkg/network ErrorHandler)
    paste = ('{"severity":"ERROR","timestamp":"2026-11-30T10:00:00.1Z","logger":"queueproxy",'
             '"caller":"network/error_handler.go:33","message":"error reverse proxying request; '
             'sockstat: sockets: used 41\\nTCP: inuse 12 orphan 0 tw 3 alloc 80 mem 9\\n",'
             '"knative.dev/key":"models/churn-predictor-00003","error":"EOF"}')
    assert default_matcher().match(paste).matches[0].entry_id == "http-status-code-502"


@pytest.mark.parametrize("paste", [
    "Our scoring pod starts, then every call fails: model file not found",
    "Error: Path /app/weights/model.json does not exist: loading failed\n"
    "    at /app/node_modules/@tensorflow/tfjs-node/dist/io/file_system.js:67:23",
    "after deploying, the service says the model path does not exist",
])
def test_a_model_file_missing_in_people_s_words_is_the_model_path(paste: str) -> None:
    assert default_matcher().match(paste).matches[0].entry_id == "function-fails-get_model_path"


GUNICORN_TIMEOUT_THEN_KILL = """\
[2026-11-30 11:02:10 +0000] [1] [INFO] Booting worker with pid: 23
[2026-11-30 11:04:41 +0000] [1] [CRITICAL] WORKER TIMEOUT (pid:23)
[2026-11-30 11:04:42 +0000] [1] [ERROR] Worker (pid:23) was sent SIGKILL! Perhaps out of memory?
[2026-11-30 11:04:42 +0000] [1] [INFO] Booting worker with pid: 57
"""


def test_gunicorn_killing_a_worker_it_timed_out_is_the_timeout_not_memory() -> None:
    # the arbiter kills the worker it timed out; its reaper adds "Perhaps out of memory?" to
    # every SIGKILL (gunicorn arbiter.py murder_workers / reap_workers)
    best = default_matcher().match(GUNICORN_TIMEOUT_THEN_KILL).matches[0]
    assert best.entry_id == "http-status-code-504"


def test_a_sigkill_of_a_worker_that_never_timed_out_stays_out_of_memory() -> None:
    other_pid = GUNICORN_TIMEOUT_THEN_KILL.replace("Worker (pid:23) was", "Worker (pid:31) was")
    without_timeout = "\n".join(line for line in GUNICORN_TIMEOUT_THEN_KILL.splitlines()
                                if "WORKER TIMEOUT" not in line)
    for paste in (other_pid, without_timeout):
        assert default_matcher().match(paste).matches[0].entry_id == "vm-out-of-memory"


@pytest.mark.parametrize("paste", [
    "Inference requests keep timing out on the KServe predictor",
    "Our endpoint timed out while predicting on a batch of 500 images",
    "Sending an image to /v1/models/resnet:predict, the request timed out",
])
def test_a_prediction_that_times_out_in_people_s_words_is_the_scoring_timeout(paste: str) -> None:
    assert default_matcher().match(paste).matches[0].entry_id == "http-status-code-504"


def test_a_deployment_that_timed_out_is_not_read_as_a_request_timeout() -> None:
    # the pattern wants a request, a prediction or an endpoint before the verb
    matches = default_matcher().match("The deployment timed out after 20 minutes").matches
    assert not matches or matches[0].entry_id != "http-status-code-504"


def test_running_the_scoring_script_without_docker_is_the_inference_server() -> None:
    # the inference server runs score.py in the local Python environment; a local endpoint or
    # LocalWebservice needs Docker (how-to-inference-server-http)
    paste = "Is there a way to run my scoring script without Docker to test it?"
    best = default_matcher().match(paste).matches[0]
    assert best.entry_id == "azure-machine-learning-inference-http-server"


def test_requests_error_message_without_its_exception_name_is_the_status_code() -> None:
    # "502 Server Error: Bad Gateway for url: ..." is requests' HTTPError message; the code was
    # masked as a count without 'HTTPError:' before it, and the entry scored 21
    paste = ("Retrying...\n502 Server Error: Bad Gateway for url: "
             "http://churn-aci.westeurope.azurecontainer.io/score")
    best = default_matcher().match(paste).matches[0]
    assert (best.entry_id, best.score >= 60) == ("http-status-code-502", True)


@pytest.mark.parametrize("paste", [
    "Feature request: the REST predictions endpoint returns a 503 whenever concurrent calls "
    "exceed the job queue; could it send 429 instead?",
    "kserve predictor keeps returning 503 during the load test",
])
def test_a_503_after_the_verb_returns_is_read_as_the_status_code(paste: str) -> None:
    # 'returns a 503' masked the code as a count: another entry or nothing came first
    assert default_matcher().match(paste).matches[0].entry_id == "http-status-code-503"


# Round 8 ("kb8"): what Ray Serve, TorchServe and BentoML print, checked against their source,
# and out of memory in people's words. Each is ranked first
# by a score of its own words (>= 60; before: another entry first, nothing, or 23-56). In this
# project's own words; none is an evaluation item. (A replica whose __init__ cannot find its
# model file is the model path's problem, as for init(): the cause before the symptom.)
RAY_REPLICA_RAISED = """\
(ServeController pid=412) ERROR 2026-11-30 10:00:00,000 controller 412 -- Exception in \
Replica(id='k2j4x9', deployment='Predictor', app='default'), the replica will be stopped.
Traceback (most recent call last):
  File "/srv/app/serve_app.py", line 18, in __init__
    self.threshold = float(os.environ["CHURN_THRESHOLD"])
KeyError: 'CHURN_THRESHOLD'
"""
RAY_GAVE_UP = """\
$ serve run serve_app:app
ray.serve.exceptions.RayServeException: Deploying application default failed: The deployment \
failed to start 3 times in a row. This may be due to a problem with its constructor or initial \
health check failing. See controller logs for details. Error:
ray::ServeReplica:default:Predictor.initialize_and_get_metadata() (pid=2301, ip=10.0.0.4)
"""
RAY_SLOW_INIT = ("(ServeController pid=88) WARNING 2026-11-30 10:00:00,000 controller 88 -- "
                 "Deployment 'Summarizer' in application 'default' has 1 replicas that have taken "
                 "more than 30s to initialize. This may be caused by a slow __init__ or "
                 "reconfigure method.")
TORCHSERVE_SLOW_PREDICT = """\
2026-11-30T10:15:07,880 [INFO ] W-9000-churn_1.0 org.pytorch.serve.wlm.WorkerThread - Flushing \
req.cmd PREDICT to backend at: 1764497707880
2026-11-30T10:17:07,881 [ERROR] W-9000-churn_1.0 org.pytorch.serve.wlm.WorkerThread - Number or \
consecutive unsuccessful inference 1
2026-11-30T10:17:07,882 [ERROR] W-9000-churn_1.0 org.pytorch.serve.wlm.WorkerThread - Backend \
worker error
org.pytorch.serve.wlm.WorkerInitializationException: Backend worker did not respond in given time
"""
ROUND_EIGHT = [
    # Ray Serve's controller: a replica raised in __init__, the deployment gave up, a slow start
    (RAY_REPLICA_RAISED, "service-launch-fails"),
    (RAY_GAVE_UP, "service-launch-fails"),
    (RAY_SLOW_INIT, "service-launch-fails"),
    # TorchServe's frontend stopped waiting for a predict (default_response_timeout)
    (TORCHSERVE_SLOW_PREDICT, "http-status-code-504"),
    # TorchServe's worker could not connect within its start-up limit
    ("2026-11-30T09:00:00,100 [ERROR] W-9000-llama_1.0 org.pytorch.serve.wlm.WorkerThread - "
     "Backend worker error\norg.pytorch.serve.wlm.WorkerInitializationException: Worker failed "
     "to initialize within 5 mins", "service-launch-fails"),
    # BentoML turns a request away at max_concurrency
    ("2026-11-30T10:00:00+0000 [ERROR] [entry_service:IrisClassifier:1] Exception on /classify "
     "[POST]\nbentoml.exceptions.ServiceUnavailable: process is overloaded",
     "http-status-code-503"),
    # a timeout while the model loads is a start that never finished, not a slow request
    ("The model server worker timed out during loading, so the pod never became ready",
     "service-launch-fails"),
]


@pytest.mark.parametrize(("paste", "expected"), ROUND_EIGHT)
def test_model_servers_start_up_load_and_request_wordings_rank_the_right_entry(
        paste: str, expected: str) -> None:
    best = default_matcher().match(paste).matches[0]
    assert (best.entry_id, best.score >= 60) == (expected, True)


@pytest.mark.parametrize("paste", [
    "Our model pod was killed for memory after the update, it restarts every few minutes",
    "The container ran out of RAM while loading the model and restarted",
    "The inference pod runs out of memory a minute after start and Kubernetes restarts it",
])
def test_out_of_memory_in_people_s_words_is_shown_first(paste: str) -> None:
    first = default_matcher().match(paste).matches[0]
    assert (first.entry_id, first.tier in ("confident", "likely")) == ("vm-out-of-memory", True)


def test_out_of_memory_in_korean_words_is_read_by_its_own_wording() -> None:
    # 'the inference pod keeps being terminated for lack of memory while it loads the model':
    # ranked first before by a few common words (score 32), now by the wording itself
    paste = "추론 서버 파드가 모델 올리다가 메모리가 부족해서 계속 종료돼요"
    best = default_matcher().match(paste).matches[0]
    assert (best.entry_id, best.score >= 60) == ("vm-out-of-memory", True)


def test_a_torchserve_load_that_outlives_the_timeout_is_the_start_up_failure() -> None:
    # The frontend prints the same 'Backend worker did not respond in given time' for a load as
    # for a slow predict; 'Load model failed' after it says the model never loaded.
    paste = TORCHSERVE_SLOW_PREDICT.replace("req.cmd PREDICT", "req.cmd LOAD") + (
        "2026-11-30T10:17:07,890 [WARN ] W-9000-churn_1.0 org.pytorch.serve.wlm.BatchAggregator "
        "- Load model failed: churn, error: Worker died.\n")
    assert default_matcher().match(paste).matches[0].entry_id == "service-launch-fails"


def test_a_prediction_route_answering_400_is_a_request_run_cannot_take() -> None:
    # requests' HTTPError names the URL: a prediction route refused the request's content
    # (before: the 502 entry first, by the words of requests' other HTTPErrors)
    first = default_matcher().match(
        "requests.exceptions.HTTPError: 400 Client Error: Bad Request for url: "
        "http://10.0.0.12:8080/v1/models/churn:predict").matches[0]
    assert (first.entry_id, first.tier in ("confident", "likely")) == (
        "function-fails-runinput_data", True)


def test_a_400_from_another_api_is_not_a_bad_scoring_request() -> None:
    matches = default_matcher().match(
        "requests.exceptions.HTTPError: 400 Client Error: Bad Request for url: "
        "https://api.github.com/repos/acme/site/issues").matches
    assert not any(match.entry_id == "function-fails-runinput_data" and match.tier != "unknown"
                   for match in matches)


def test_gpu_memory_in_words_is_not_read_as_the_host_s_memory() -> None:
    # 'ran out of memory' reads the host's RAM; said of the GPU it is CUDA memory (none). The
    # entry may stay a candidate by its other words, never with the strength of the wording.
    best = default_matcher().match(
        "The GPU ran out of memory while the model answered a long prompt").matches[0]
    assert best.entry_id != "vm-out-of-memory" or best.score < 60



# Round 9: what the serving software itself prints for four entries that were weak out of fold
# (docs/eval.md, "Round 9, kb9"). Written in this project's own words around the messages as
# their source code raises them; none is an evaluation item. Each failed on the round-8 KB.
MLFLOW_BUILD_DOCKER = """\
$ mlflow models build-docker -m "models:/churn/3" -n churn-serving --env-manager conda
2026/11/30 09:12:02 INFO mlflow.models.docker_utils: Building docker image with name churn-serving
(the docker build output, then:)
Traceback (most recent call last):
  File "/home/mina/.venv/lib/python3.11/site-packages/mlflow/models/docker_utils.py", line 204, \
in build_image_from_context
    raise RuntimeError("Docker build failed.")
RuntimeError: Docker build failed.
"""
TF_SERVING_BODY = """\
$ curl -s -X POST http://churn-predictor:8501/v1/models/churn:predict \\
    -d '{"signature_name": "serving_default", "data": [[0.3, 12, 1]]}'
{ "error": "Missing 'inputs' or 'instances' key" }
"""
ROUND9 = [
    ("(ProxyActor pid=412) WARNING 2026-11-30 10:02:11,481 proxy 10.0.3.7 7f1c2a /predict "
     "router.py:96 - Request dropped due to backpressure (num_queued_requests=50, "
     "max_queued_requests=50).", "http-status-code-503"),
    ("tritonclient.utils.InferenceServerException: [StatusCode.UNAVAILABLE] Exceeds maximum "
     "queue size", "http-status-code-503"),
    # the round-8 KB said "probably out of memory" here
    (TF_SERVING_BODY, "function-fails-runinput_data"),
    # a crash on the request after a clean start is the 502 entry's (a crash at start-up, as in
    # COVERAGE_ROUND above, stays service-launch-fails); the round-8 KB put start-up first
    ("the model server loads fine, but every POST to /predict kills it with Segmentation fault "
     "(core dumped)", "http-status-code-502"),
    ("모델 서버는 잘 올라오는데 추론 요청을 보내면 Segmentation fault (core dumped)로 프로세스가 "
     "죽어요", "http-status-code-502"),
]


@pytest.mark.parametrize(("paste", "expected"), ROUND9)
def test_serving_software_wordings_are_shown_first(paste: str, expected: str) -> None:
    first = default_matcher().match(paste).matches[0]
    assert (first.entry_id, first.tier in ("confident", "likely")) == (expected, True)


def test_a_failed_deployment_without_a_cause_lists_the_logs_procedure_first() -> None:
    # The round-8 KB said "probably the image build" here. Listed first, no longer "probably"
    # (round 17, korean19, korean20): it also holds its Korean words' English, and the English
    # twin ("The endpoint deployment failed. The error message has no cause") is unknown too.
    paste = "엔드포인트 배포가 실패했어요. 오류 메시지에 원인이 없어요"
    assert default_matcher().match(paste).matches[0].entry_id == "get-deployment-logs"


def test_a_failed_mlflow_serving_image_build_is_answered() -> None:
    # The frame that raises "Docker build failed." is MLflow's serving-image build; the bare
    # RuntimeError line is any build script's, so the frame decides (the round-8 KB only guessed
    # "probably" from the words around it, with the traceback's first line as its evidence).
    result = default_matcher().match(MLFLOW_BUILD_DOCKER)
    assert result.answer is not None and result.answer.entry_id == "image-build-fails"
    assert "docker_utils.py" in (result.answer.evidence_line or "")


# Round 10 ("kb10"): a liveness or readiness probe that gives up on a model server still
# loading its model, in people's words: the start never finished (service-launch-fails). The
# round-9 KB put the 502 entry first or rated it below "probably". Paraphrased in this project's
# own words after the public thread beside each (none is an evaluation item).
PROBE_BEFORE_MODEL_LOADED = [
    #   https://github.com/gke-labs/kube-agents/issues/712 (liveness-killed mid model load)
    ("our embedding server gets liveness-killed mid model load, twice per cold start",
     "service-launch-fails"),
    #   https://github.com/SREGym/SREGym/issues/61 (the probe kills the pod before it is up)
    ("The pod is restarted by the liveness probe while the large model is still loading",
     "service-launch-fails"),
    #   https://github.com/kserve/kserve/pull/4840 (large start-up times of LLM servers)
    ("Please make initialDelaySeconds configurable: pods with large models get terminated before "
     "they are ready", "service-launch-fails"),
    # the same in Korean: 'the pod keeps restarting because of the liveness probe while it
    #   loads the model'
    ("모델을 불러오는 동안 liveness probe 때문에 파드가 계속 재시작돼요", "service-launch-fails"),
]


@pytest.mark.parametrize(("paste", "expected"), PROBE_BEFORE_MODEL_LOADED)
def test_a_probe_giving_up_on_a_model_still_loading_is_the_failed_start(
        paste: str, expected: str) -> None:
    first = default_matcher().match(paste).matches[0]
    assert (first.entry_id, first.tier in ("confident", "likely")) == (expected, True)


def test_a_probe_failing_without_a_model_loading_is_not_read_as_the_slow_start() -> None:
    # the slow-start wording wants the model (or its weights) being loaded; a probe failing on a
    # web app's health route is not evidence of it
    paste = "the readiness probe of our Spring Boot service fails while the database is migrating"
    best = default_matcher().match(paste).matches[0]
    assert best.entry_id != "service-launch-fails" or best.score < 95
