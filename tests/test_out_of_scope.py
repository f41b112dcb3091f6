"""Look-alikes the knowledge base has no fix for (bot/matching/scope.py), seen by the features.

Each paste is written in this project's own words, in the format the other software prints
(the kubelet's events, the kube-scheduler's reasons, botocore's errors, an Azure ML job's
folders, YARN's kill message, Python's missing-file error, the Azure Pipelines agent). None is
an evaluation item. Every look-alike has a counterpart with the same words that IS a deployment
failure an entry answers, and there the feature stays 0: the features say "outside the KB",
never "has the word".
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.knowledge.training import unspent_final_holdouts
from bot.matching import scope
from bot.matching.features import FEATURE_NAMES
from bot.matching.matcher import default_matcher
from bot.matching.scope import (
    after_image_pull,
    gpu_memory,
    out_of_scope,
    waits_for_volume_only,
)

# ----- an image that cannot be pulled

PULL_UNAUTHORIZED = """\
Events:
  Type     Reason     Age               From               Message
  ----     ------     ----              ----               -------
  Normal   Pulling    60s (x4 over 2m)  kubelet            Pulling image "contosoml.azurecr.io/fraud-scorer:42"
  Warning  Failed     59s (x4 over 2m)  kubelet            Failed to pull image "contosoml.azurecr.io/fraud-scorer:42": rpc error: code = Unknown desc = failed to pull and unpack image "contosoml.azurecr.io/fraud-scorer:42": failed to resolve reference "contosoml.azurecr.io/fraud-scorer:42": failed to authorize: failed to fetch anonymous token: unexpected status: 401 Unauthorized
  Warning  Failed     59s (x4 over 2m)  kubelet            Error: ErrImagePull
  Warning  Failed     30s (x6 over 2m)  kubelet            Error: ImagePullBackOff
"""  # noqa: E501 (one kubelet event is one line)
# The registry's reason on lines of its own below the kubelet's first line (a wrapped paste).
PULL_WRAPPED = """\
Failed to pull image "registry.example.com/ranker:1.4":
rpc error: code = Unknown desc = Error response from daemon:
manifest for registry.example.com/ranker:1.4 not found: manifest unknown
"""
# A model pod crash-looping, listed beside an unrelated pod that cannot pull its image.
CRASH_BESIDE_A_PULL = """\
NAME                                READY   STATUS             RESTARTS   AGE
churn-scorer-7d9f8b6c5-x2kqz        0/1     CrashLoopBackOff   12         40m
metrics-exporter-5b8c9d7f4-lm2np    0/1     ImagePullBackOff   0          40m
$ kubectl logs churn-scorer-7d9f8b6c5-x2kqz --previous
Traceback (most recent call last):
  File "/var/azureml-app/score.py", line 14, in init
    import lightgbm
ModuleNotFoundError: No module named 'lightgbm'
"""

# ----- a pod waiting for storage

VOLUME_ONLY = ("  Warning  FailedScheduling  2m  default-scheduler  0/3 nodes are available: 3 pod "
               "has unbound immediate PersistentVolumeClaims. preemption: 0/3 nodes are "
               "available: 3 Preemption is not helpful for scheduling.\n")
VOLUME_AND_GPU = ("  Warning  FailedScheduling  2m  default-scheduler  0/3 nodes are available: 1 "
                  "pod has unbound immediate PersistentVolumeClaims, 2 Insufficient "
                  "nvidia.com/gpu.\n")

# ----- another product, a training job, a local script

SAGEMAKER_MODEL_ERROR = (
    'botocore.errorfactory.ModelError: An error occurred (ModelError) when calling the '
    'InvokeEndpoint operation: Received server error (500) from primary with message "'
    "ValueError: X has 12 features, but RandomForestClassifier is expecting 14 features as "
    'input.". See the CloudWatch log group /aws/sagemaker/Endpoints/churn for more.\n')
HEROKU_BOOT = """\
2026-11-30T07:12:40.101+00:00 app[web.1]: [2026-11-30 07:12:40 +0000] [4] [ERROR] Exception in worker process
2026-11-30T07:12:40.102+00:00 app[web.1]: ModuleNotFoundError: No module named 'predict'
2026-11-30T07:12:40.300+00:00 heroku[web.1]: Process exited with status 3
"""  # noqa: E501
AZURE_ML_FROM_APP_SERVICE = """\
We moved the model from App Service to a managed online endpoint and now the deployment fails:
  File "/var/azureml-app/score.py", line 11, in init
    model = joblib.load(os.path.join(os.getenv("AZUREML_MODEL_DIR"), "model.pkl"))
FileNotFoundError: [Errno 2] No such file or directory: '/var/azureml-app/azureml-models/churn/3/model.pkl'
"""  # noqa: E501
AZURE_ML_JOB = """\
Execution failed. User process 'python' exited with status code 1.
  File "/mnt/azureml/cr/j/0f3c6e1d2b4a/exe/wd/evaluate.py", line 58, in <module>
    model = joblib.load(args.model_path)
FileNotFoundError: [Errno 2] No such file or directory: '/mnt/azureml/cr/j/0f3c6e1d2b4a/cap/data-capability/wd/INPUT_model/model.pkl'
"""  # noqa: E501
PYTORCH_JOB = ("Warning  FailedScheduling  pytorchjob-controller  PyTorchJob resnet-ddp: 0/4 "
               "nodes are available: 4 Insufficient nvidia.com/gpu.\n")
YARN_KILL = ("Container [pid=4242,containerID=container_1700000000000_0012_01_000003] is running "
             "beyond physical memory limits. Current usage: 4.1 GB of 4 GB physical memory used; "
             "6.0 GB of 8.4 GB virtual memory used. Killing container.\n")
# OpenAI's hosted API answering a client's request badly: OpenAI's service, not a deployment.
OPENAI_API_502 = """\
Traceback (most recent call last):
  File "/app/chat.py", line 41, in answer
    response = client.chat.completions.create(model="gpt-4o", messages=messages)
httpx.HTTPStatusError: Server error '502 Bad Gateway' for url 'https://api.openai.com/v1/chat/completions'
openai.InternalServerError: Error code: 502
"""
# The same call made by a scoring script on an Azure ML online endpoint: the deployment's paste.
OPENAI_FROM_SCORE_PY = """\
The online endpoint returns 502 when score.py calls OpenAI:
  File "/var/azureml-app/score.py", line 30, in run
    response = client.chat.completions.create(model="gpt-4o", messages=messages)
httpx.HTTPStatusError: Server error '502 Bad Gateway' for url 'https://api.openai.com/v1/chat/completions'
"""
LOCAL_SCRIPT = """\
$ python app.py
Traceback (most recent call last):
  File "app.py", line 12, in <module>
    clf = pickle.load(open("models/classifier.pkl", "rb"))
FileNotFoundError: [Errno 2] No such file or directory: 'models/classifier.pkl'
"""
# The same relative path opened by a scoring script in the deployment's container.
SCORING_RELATIVE_PATH = """\
  File "/var/azureml-app/score.py", line 9, in init
    model = joblib.load("outputs/model.joblib")
FileNotFoundError: [Errno 2] No such file or directory: 'outputs/model.joblib'
"""
DEPLOYMENT_OOM = """\
  Last State:     Terminated
    Reason:       OOMKilled
    Exit Code:    137
  Warning  BackOff  kubelet  Back-off restarting failed container model-server in pod churn-scorer-7d9f8b6c5-x2kqz
"""  # noqa: E501
# The Azure Pipelines agent's words when a step's process is killed (its job container).
PIPELINES_AGENT_KILLED = """\
The job container dies while the model's tests run on our agent:
##[error]Exit code 137 returned from process: file name '/usr/bin/docker', arguments 'exec -i -u 1001 3f9a0c /__a/externals/node16/bin/node /__w/_temp/containerHandlerInvoker.js'.
"""  # noqa: E501


def first_features(paste: str) -> tuple[str, dict[str, float]]:
    """The first candidate's entry and its features by name."""
    matcher = default_matcher()
    assessed = matcher.assess(paste)
    assert assessed.rows, "the paste should have candidates"
    entry = matcher.index.entry_ids[assessed.ranked[0].entry]
    return entry, dict(zip(FEATURE_NAMES, assessed.rows[0], strict=True))


@pytest.mark.parametrize("paste", [PULL_UNAUTHORIZED, PULL_WRAPPED], ids=["events", "wrapped"])
def test_a_failed_image_pull_is_a_cause_no_entry_fixes(paste: str) -> None:
    _, features = first_features(paste)
    assert features["uncovered_cause"] == 1.0


def test_a_crash_listed_beside_another_pods_pull_failure_is_still_the_crash() -> None:
    entry, features = first_features(CRASH_BESIDE_A_PULL)
    assert entry == "service-launch-fails"
    assert features["uncovered_cause"] == 0.0


def test_a_pod_waiting_only_for_its_volume_claim_is_not_a_node_shortage() -> None:
    entry, features = first_features(VOLUME_ONLY)
    assert entry == "container-cannot-be-scheduled"  # still the closest, for the thread
    assert features["uncovered_cause"] == 1.0
    entry, features = first_features(VOLUME_AND_GPU)
    assert entry == "container-cannot-be-scheduled"
    assert features["uncovered_cause"] == 0.0


@pytest.mark.parametrize("paste", [SAGEMAKER_MODEL_ERROR, HEROKU_BOOT, AZURE_ML_JOB, PYTORCH_JOB,
                                   YARN_KILL, LOCAL_SCRIPT, OPENAI_API_502],
                         ids=["sagemaker", "heroku", "azure-ml-job", "pytorchjob", "yarn",
                              "local-script", "openai-api"])
def test_pastes_about_something_else_are_out_of_scope(paste: str) -> None:
    _, features = first_features(paste)
    assert features["out_of_scope"] == 1.0


@pytest.mark.parametrize(("paste", "expected"), [
    (AZURE_ML_FROM_APP_SERVICE, "function-fails-get_model_path"),
    (SCORING_RELATIVE_PATH, "function-fails-get_model_path"),
    (DEPLOYMENT_OOM, "vm-out-of-memory"),
    (VOLUME_AND_GPU, "container-cannot-be-scheduled"),
], ids=["names-app-service", "relative-path-in-score-py", "oom", "gpu-shortage"])
def test_deployment_failures_with_the_same_words_stay_in_scope(paste: str, expected: str) -> None:
    entry, features = first_features(paste)
    assert entry == expected
    assert features["out_of_scope"] == 0.0
    assert features["uncovered_cause"] == 0.0


def test_the_azure_pipelines_agent_killing_a_step_is_not_a_deployment_kill() -> None:
    entry, features = first_features(PIPELINES_AGENT_KILLED)
    assert entry == "vm-out-of-memory"  # the closest candidate, for the thread
    assert features["death_outside_serving"] == 1.0
    _, features = first_features(DEPLOYMENT_OOM)
    assert features["death_outside_serving"] == 0.0


def test_the_wordings_one_by_one() -> None:
    # The pull's reason reaches a few lines, not the rest of the paste.
    lines = ['Failed to pull image "a/b:1":', "unauthorized: authentication required",
             "x", "y", "z", "Back-off restarting failed container"]
    assert after_image_pull(lines, 1) and not after_image_pull(lines, 5)
    # Scheduling: storage alone, or storage and a node reason (taint, selector, resources).
    assert waits_for_volume_only("0/2 nodes are available: 2 node(s) had volume node affinity "
                                 "conflict.")
    assert not waits_for_volume_only("0/2 nodes are available: 1 node(s) had untolerated taint "
                                     "{gpu: true}, 1 node(s) didn't find available persistent "
                                     "volumes to bind.")
    # A CI pipeline's run is not a job kind: a pipeline that deploys a model says it too.
    assert not out_of_scope("The pipeline run fails at the deploy step: CrashLoopBackOff",
                            serving=True)
    # Another product named beside Azure ML's own words is Azure ML's paste.
    assert out_of_scope("Container Apps revision fails: exit code 137", serving=True)
    assert not out_of_scope("az ml online-deployment create fails; it worked on Container Apps",
                            serving=True)
    # OpenAI's API called from a scoring script is still the deployment's paste.
    assert out_of_scope(OPENAI_API_502, serving=True)
    assert not out_of_scope(OPENAI_FROM_SCORE_PY, serving=True)


EVAL = Path(__file__).resolve().parent / "eval"


@pytest.mark.parametrize("named", [scope._JOB_NAMED, scope._OTHER_PRODUCT_NAMED,
                                   scope._VOLUME_WAIT_NAMED, scope._OOM_NAMED],
                         ids=["job", "other-product", "volume-wait", "out-of-memory"])
def test_the_fixed_strings_checked_first_never_hide_a_match(named: scope._Named) -> None:
    # The strings are a fast pre-check (a 40,000-character log: 16 ms -> under 1 ms): every
    # text the regex matches must hold one of them, or a look-alike would be answered again.
    # A final holdout still being collected or not yet scored is never fed to matching code.
    files = [path for path in sorted(EVAL.glob("*.jsonl"))
             if path not in unspent_final_holdouts([path])]
    texts = [json.loads(line)["text"] for path in files
             for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    texts += [SAGEMAKER_MODEL_ERROR, HEROKU_BOOT, AZURE_ML_JOB, PYTORCH_JOB, YARN_KILL,
              AZURE_ML_FROM_APP_SERVICE, VOLUME_ONLY, VOLUME_AND_GPU, OPENAI_API_502,
              *GPU_OUT_OF_MEMORY, *HOST_OUT_OF_MEMORY_NEAR_A_GPU, ECS_FARGATE_OOM,
              CONTAINER_APPS_LOG, REPLICATE_PUSH]
    found = [text for text in texts if named.pattern.search(text)]
    assert len(found) >= 5  # the check below must have something to check
    assert [text[:80] for text in found if not named.search(text, text.lower())] == []


# ----- a GPU out of memory (round 14, likely15: docs/eval.md)

# PyTorch's own error in a model server's log: the model does not fit the GPU, and raising the
# container's memory (the out-of-memory entry's fix) does nothing for it (LABELS.md: none).
TORCH_CUDA_OOM = """\
2026-11-30 07:12:40 ERROR model_runner.py:212 warm-up failed
Traceback (most recent call last):
  File "/usr/local/lib/python3.11/site-packages/server/model_runner.py", line 208, in warmup
    logits = self.model(batch)
torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB. GPU 0 has a total capacity of 23.68 GiB of which 1.12 GiB is free.
The inference container exits and restarts.
"""  # noqa: E501
# A person's report: the launcher dies after running out of memory on a named GPU.
GPU_OOM_PROSE = """\
Server crashes after an OOM during the benchmark

Docker image 2.1 on an L40S (48 GB). After the first request with 16k tokens of prompt the
model runs out of memory and the launcher exits; it never comes back up.
"""
# llama.cpp's and ROCm's words for it.
DEVICE_MEMORY = ("ggml_backend_cuda_buffer_type_alloc_buffer: allocating 9216.00 MiB on device 0:"
                 " cudaMalloc failed: out of memory\n")
GPU_OUT_OF_MEMORY = [TORCH_CUDA_OOM, GPU_OOM_PROSE, DEVICE_MEMORY]
# The host's memory on a GPU node: the kubelet killed the container for its memory limit.
GPU_POD_OOM_KILLED = """\
kubectl describe pod llm-server-6c9f7d-x2kqz
    Limits:
      memory:          16Gi
      nvidia.com/gpu:  1
    Last State:     Terminated
      Reason:       OOMKilled
      Exit Code:    137
"""
# The pod itself said to be out of memory, on a node named for its GPU.
POD_OOM_ON_A_GPU_NODE = ("On the A10 node the server pod is not ready and keeps restarting "
                         "because the pod is OOM at start-up.\n")
# A machine with no GPU whose server runs out of memory.
NO_GPU = ("The server has 4 GB of memory and no GPU; it quits on the third prediction. "
          "You are very certainly running out of memory.\n")
# A serving engine's GPU memory setting, nothing running out.
GPU_SETTING_ONLY = ("python -m server --model /models/chat --gpu-memory-utilization 0.85 "
                    "--max-model-len 9000\n")
HOST_OUT_OF_MEMORY_NEAR_A_GPU = [GPU_POD_OOM_KILLED, POD_OOM_ON_A_GPU_NODE, NO_GPU]


@pytest.mark.parametrize("paste", GPU_OUT_OF_MEMORY, ids=["torch", "prose", "llama-cpp"])
def test_a_gpu_out_of_memory_is_never_probably_the_containers_memory(paste: str) -> None:
    assert gpu_memory(paste)
    result = default_matcher().match(paste)
    # Still listed (the closest candidates, for the thread), never "probably" or sure.
    assert result.matches and all(match.tier == "unknown" for match in result.matches)


@pytest.mark.parametrize("paste", [*HOST_OUT_OF_MEMORY_NEAR_A_GPU, GPU_SETTING_ONLY],
                         ids=["oomkilled-gpu-pod", "pod-oom-gpu-node", "no-gpu", "setting"])
def test_the_host_s_memory_beside_a_gpu_is_not_the_gpu_s(paste: str) -> None:
    assert not gpu_memory(paste)


def test_a_gpu_pod_killed_for_its_memory_limit_is_still_answered() -> None:
    first = default_matcher().match(GPU_POD_OOM_KILLED).matches[0]
    assert first.entry_id == "vm-out-of-memory"
    assert first.tier in ("confident", "likely")


# ----- other products' hosted model platforms, named the way users name them (round 15)

HF_HOSTED_504 = """\
Gateway timeout from the hosted model
Every time I call my image-generation model through the Hugging Face Inference API (or the
inference endpoint I created for it) the request ends with 504 Gateway Timeout after a minute.
"""
ECS_FARGATE_OOM = """\
Task stopped: OutOfMemoryError: Container killed due to memory usage
Exit Code 137
I run the model server as an Amazon ECS service; each Fargate task has 2048 MiB of memory.
"""
CONTAINER_APPS_LOG = """\
{"TimeStamp":"2024-03-02 10:11:12 +0000 UTC","Type":"Warning","ContainerAppName":"scorer",
"RevisionName":"scorer--r1","Reason":"ContainerCrashing","Msg":"Container 'scorer' was terminated with exit code '1'"}
"""  # noqa: E501 (one log record is one line)
REPLICATE_PUSH = """\
I'm trying to push my model to Replicate with cog and the prediction container never gets ready:
ModuleNotFoundError: No module named 'diffusers'
"""
# The same words where they are not the product.
STEPS_TO_REPLICATE = """\
Steps to replicate: deploy the model to the AKS cluster and look at the pod.
  Warning  BackOff  kubelet  Back-off restarting failed container
Last State: Terminated  Reason: OOMKilled  Exit Code: 137
"""
HF_MODEL_ON_KSERVE = """\
I serve a Hugging Face model with the KServe huggingface runtime and the predictor pod is
OOMKilled while loading the weights: Last State: Terminated  Reason: OOMKilled  Exit Code: 137
"""


@pytest.mark.parametrize("paste", [HF_HOSTED_504, ECS_FARGATE_OOM, CONTAINER_APPS_LOG,
                                   REPLICATE_PUSH],
                         ids=["hf-inference-api", "ecs-fargate", "container-apps-log",
                              "replicate"])
def test_hosted_model_platforms_are_another_products_paste(paste: str) -> None:
    assert out_of_scope(paste, serving=True)
    _, features = first_features(paste)
    assert features["out_of_scope"] == 1.0


@pytest.mark.parametrize("paste", [STEPS_TO_REPLICATE, HF_MODEL_ON_KSERVE],
                         ids=["steps-to-replicate", "hf-model-on-kserve"])
def test_the_platforms_words_elsewhere_stay_in_scope(paste: str) -> None:
    assert not out_of_scope(paste, serving=True)
    entry, features = first_features(paste)
    assert entry == "vm-out-of-memory"
    assert features["out_of_scope"] == 0.0


def test_replicate_is_the_platform_only_where_a_model_goes_to_it() -> None:
    assert out_of_scope("deployed it to Replicate yesterday and it fails", serving=True)
    assert not out_of_scope("I was able to replicate it on AKS as well", serving=True)
    assert not out_of_scope("Steps to replicate:\n1. deploy the model", serving=True)


def test_a_hosted_inference_api_timeout_is_not_probably_the_scoring_timeout() -> None:
    result = default_matcher().match(HF_HOSTED_504)
    assert all(match.tier == "unknown" for match in result.matches)
