"""Pastes, and pieces of evidence, that are outside what the knowledge base answers.

The entries are about a model deployment on Azure ML or Kubernetes. Some pastes share its words
and are about something else (tests/eval/LABELS.md, `none`): another product's hosted service,
a training job or pipeline, an image that cannot be pulled, a pod waiting for storage. Each
pattern below is the wording the other software itself prints or is named by, so it recognises
the family, not one paste; the confidence model (features.py) learns how much each one counts,
and none of them is a veto.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

MAX_CHARS = 200_000  # as extraction.MAX_CHARS: one linear regex over what is kept


class _Named:
    """A regex of many alternatives and the lower-case strings one of which every match holds.

    Python's re tries each alternative at every position of the text: two such regexes over a
    40,000-character log took 16 ms, half of a whole match. `str` finds a few fixed strings in
    the lower-cased text in well under a millisecond, and the regex runs only when one is there
    (tests/test_out_of_scope.py checks that both agree on every paste of the evaluation set).
    """

    def __init__(self, pattern: re.Pattern[str], needles: tuple[str, ...]) -> None:
        self.pattern = pattern
        self.needles = needles

    def search(self, text: str, lowered: str) -> bool:
        return any(needle in lowered for needle in self.needles) and bool(
            self.pattern.search(text))

# Other products that host models or web apps. Their own names, hosts and log formats: the
# SageMaker runtime (`invoke_endpoint`, botocore's "when calling the InvokeEndpoint operation"),
# Vertex AI, App Engine (`*.appspot.com`), Cloud Run, Heroku's log lines (`app[web.1]`,
# `heroku[web.1]`), App Service on Linux (the Oryx start-up script, `appCommandLine`,
# `/home/site/wwwroot`), Container Apps (its system log table), Service Bus, Lambda and Hugging
# Face Inference Endpoints, and OpenAI's hosted API (`api.openai.com`: its 429s, 502s and
# timeouts are OpenAI's service, not a deployment), Amazon ECS and Fargate tasks, Container
# Apps' log fields (`"ContainerAppName"`), and hosted model platforms named by the user: RunPod,
# Roboflow's hosted inference, Azure OpenAI, Replicate (`replicate.com`; deploying or pushing
# "to Replicate": _replicate_named). Their fixes are not Azure ML's even when the
# error reads the same (a 502, a crash at start, an exit 137, a 409 conflict).
_OTHER_PRODUCT = re.compile(
    r"(?i)\bsage ?maker\b|\binvoke_?endpoint\b|\bvertex ?ai\b|\baiplatform\.googleapis\.com\b"
    r"|\bapp ?engine\b|\bappspot\.com\b|\bcloud ?run\b|\bheroku\b|\bapp\[web\.\d+\]"
    r"|\bapp ?service\b|\bwebapp-linux\b|\bLaunching oryx\b|\bappCommandLine\b|/home/site/wwwroot\b"
    r"|\bcontainer ?apps?\b|\bContainerAppSystemLogs|\bservice ?bus\b|\baws ?lambda\b"
    r"|\bendpoints\.huggingface\.cloud\b|\bhugging ?face inference endpoints?\b"
    r"|\bapi\.openai\.com\b"
    r"|\bContainerApp(?:Name|ConsoleLogs)\b|\bamazon ecs\b|\becs[- ](?:task|agent)s?\b"
    r"|\bfargate (?:task|instance)s?\b|\brunpod\b|\broboflow\b|\bazure openai\b"
    r"|\bopenai\.azure\.com\b|\breplicate\.com\b")
_OTHER_PRODUCT_NAMED = _Named(_OTHER_PRODUCT, (
    "sagemaker", "sage maker", "invoke_endpoint", "invokeendpoint", "vertexai", "vertex ai",
    "aiplatform.googleapis.com", "appengine", "app engine", "appspot.com", "cloudrun",
    "cloud run", "heroku", "app[web.", "appservice", "app service", "webapp-linux",
    "launching oryx", "appcommandline", "/home/site/wwwroot", "containerapp", "container app",
    "servicebus", "service bus", "awslambda", "aws lambda", "endpoints.huggingface.cloud",
    "huggingface inference endpoint", "hugging face inference endpoint", "api.openai.com",
    "amazon ecs", "ecs-task", "ecs task", "ecs-agent", "ecs agent", "fargate", "runpod",
    "roboflow", "azure openai", "openai.azure.com", "replicate.com"))
# Replicate, the hosted model platform, named as where a model is deployed or pushed ("push my
# model to Replicate"); "steps to replicate" is the verb. Found from each "to/on replicate"
# and a look back over the few words before it: one regex with the verbs in front ran at every
# position of a 40,000-character log (44 ms).
_TO_REPLICATE = re.compile(r"(?i)\b(?:to|on) replicate\b")
_DEPLOY_VERB = re.compile(r"(?i)\b(?:deploy|push|host)\w*\b[^.\n]{0,20}$")
REPLICATE_LOOKBACK = 40


def _replicate_named(head: str, lowered: str) -> bool:
    if "replicate" not in lowered:
        return False
    return any(_DEPLOY_VERB.search(head, max(0, found.start() - REPLICATE_LOOKBACK),
                                   found.start())
               for found in _TO_REPLICATE.finditer(head))


# Hugging Face's own hosted inference (the serverless Inference API, `api-inference.huggingface.co`,
# and Inference Endpoints) said in a user's words rather than by the product's full name: the
# paste names Hugging Face and an "inference API" or "inference endpoint" ("I send a request to
# a text2image model or use inference endpoint, I get Gateway timeout" on huggingface's issue
# tracker). Both words are needed: a Hugging Face model served on KServe or in an Azure ML
# online endpoint names the hub, not its hosted API (and Azure ML's words win, as above).
_HF_NAME = re.compile(r"(?i)\bhugging ?face\b|\bhuggingface(?:\.co)?\b")
_HF_HOSTED_INFERENCE = re.compile(
    r"(?i)\b(?:hosted |serverless )?inference[ -](?:api|endpoints?)\b|\bapi[- ]inference\b")


def _hugging_face_hosted(head: str, lowered: str) -> bool:
    return ("hugging" in lowered and "inference" in lowered
            and bool(_HF_NAME.search(head)) and bool(_HF_HOSTED_INFERENCE.search(head)))


# Words only Azure ML prints or is called by. A paste that has them is about Azure ML even when
# it also names App Service or a function app (a model packaged for one in the studio).
_AZURE_ML = re.compile(
    r"(?i)\bazureml|\bazure ?ml\b|\bazure machine learning\b|\baz ml\b|\bazmlinfsrv\b"
    r"|\binference\.ml\.azure\.com\b|\bonline[- ]?(endpoint|deployment)s?\b"
    r"|\b(Aci|Aks|Local)?Webservice\b|\bInferenceConfig\b|\bservice\.run\("
    r"|온라인\s?(엔드포인트|배포)|관리형\s?온라인")  # the same in Korean (korean.py)
# A training job or a pipeline, not a deployment: the job kinds' names (Azure ML command and
# sweep jobs, AutoML, the Kubeflow training operator's kinds, Kubeflow Pipelines), an Azure ML
# job's working folder (`/mnt/azureml/cr/j/<job>/exe/wd`), its image build for a job on
# serverless compute, a training script or its epochs, and YARN's kill of a job's container
# (Hadoop, Spark and the training platforms on YARN: "is running beyond virtual memory limits").
# "pipeline run" alone is left out: a CI pipeline that deploys a model says it too.
_JOB = re.compile(
    r"(?i)\b(training|AutoML)[- ](jobs?|runs?|scripts?|pods?)\b|\b(sweep|command|spark) jobs?\b"
    r"|\bAutoMLRun\b|\bScriptRunConfig\b|\bAmlCompute\b|/mnt/azureml/cr/j/"
    r"|\bImage Build on Serverless Compute\b|\bimgbldrun_|\bKubeflow pipelines?\b"
    r"|\b(TF|PyTorch|MPI|XGBoost|Paddle)Job\b|\btrain(ing)?\.py\b|\bEpoch \d+/\d+"
    r"|\bis running beyond (physical|virtual) memory limits\b")
_JOB_NAMED = _Named(_JOB, (
    "training", "automl", "sweep job", "command job", "spark job", "scriptrunconfig",
    "amlcompute", "/mnt/azureml/cr/j/", "image build on serverless compute", "imgbldrun_",
    "kubeflow pipeline", "tfjob", "pytorchjob", "mpijob", "xgboostjob", "paddlejob", "train.py",
    "epoch ", "is running beyond"))
# Python's message for a file that is not there, when the path is relative: a script run from
# the user's own folder (`python app.py` opening 'model.pkl'). A scoring script's model path
# is absolute (/var/azureml-app/azureml-models/..., AZUREML_MODEL_DIR) or shows beside the
# serving stack's words, which the caller checks.
_RELATIVE_MISSING = re.compile(
    r"\[Errno 2\] No such file or directory: ['\"](?![/\\~]|[A-Za-z]:)[^'\"\n]+['\"]")

# The kubelet's, containerd's and Docker's words for an image that could not be pulled (the
# registry refused the credentials, the tag does not exist). No entry's fix is for a pull.
_IMAGE_PULL = re.compile(
    r"\bErrImagePull\b|\bImagePullBackOff\b|\bErrImageNeverPull\b|\bInvalidImageName\b"
    r"|(?i:\bFailed to pull image\b|\bBack-off pulling image\b|\bfailed to pull and unpack image\b"
    r"|\bfailed to resolve reference\b|\bpull access denied\b|\bmanifest unknown\b)")
# The kube-scheduler's volume-binding reasons: the pod waits for storage, not for a node.
_VOLUME_WAIT = re.compile(
    r"(?i)\bunbound (immediate )?PersistentVolumeClaims\b|\bpersistent ?volumes? to bind\b"
    r"|\bvolume node affinity conflict\b|\bpersistentvolumeclaim \"[^\"]+\" not found")
_VOLUME_WAIT_NAMED = _Named(_VOLUME_WAIT, ("volume",))  # every reason above says it
# The scheduler's other reasons (node resources, taints, selectors and affinity, ports, cordoned
# nodes) and Azure ML's own: any of them makes the scheduling entry the answer again.
_NODE_REASON = re.compile(
    r"(?i)\bInsufficient \S+|\bToo many pods\b|\btaints?\b|\bdidn'?t match (Pod'?s )?node "
    r"(affinity|selector)|\bdidn'?t match pod (anti-)?affinity|\bdidn'?t have free ports\b"
    r"|\bwere unschedulable\b|\bCouldn'?t Schedule\b|\bdidn'?t have available resources\b")


# Round 17 (podfate19): a pod's fate that happened where the entries' fixes do not reach, by
# the words of the software it happened in, which people paste without naming it:
# - hosts that are not Kubernetes, by their own message for a kill (ECS's stopped reason,
#   Cloud Run's memory limit, Heroku's R14/R15) or their domain or tool (Fly.io, Render,
#   Railway, App Runner, Elastic Beanstalk): a web API's container OOM-killed on ECS was a sure
#   "out of memory" on round 16's holdout (LABELS.md: other products' hosts are `none`);
# - a CI or workflow engine's step pod, by the labels and names the engine gives it (Argo
#   Workflows, Tekton, Prow, GitLab's Kubernetes executor): a pipeline step that is Pending or
#   OOM-killed is `none` (the non-model pod rule's exceptions), and an Argo CI step Pending was
#   a sure "cannot be scheduled". A Jenkins or Airflow *server* pod is a platform pod, which
#   the non-model pod rule labels by its mechanism: not here.
_ELSEWHERE = re.compile(
    r"(?i)\bOutOfMemoryError: container killed due to memory usage\b"
    r"|\bMemory limit of \d+ ?[MG]i?B exceeded\b|\bError R1[45]\b|\bR14 \(Memory quota"
    r"|\bfly\.io\b|\bflyctl\b|\brender\.com\b|\brailway\.app\b|\bapp ?runner\b"
    r"|\belastic ?beanstalk\b"
    r"|\bworkflows\.argoproj\.io/|\btekton\.dev/(?:taskRun|pipelineRun|task|pipeline)\b"
    r"|\bprow\.k8s\.io/|\brunner-[a-z0-9]{8}-project-\d+-concurrent")
_ELSEWHERE_NAMED = _Named(_ELSEWHERE, (
    "container killed due to memory usage", "memory limit of", "error r1", "r14 (memory quota",
    "fly.io", "flyctl", "render.com", "railway.app", "apprunner", "app runner",
    "elasticbeanstalk", "elastic beanstalk", "workflows.argoproj.io/", "tekton.dev/",
    "prow.k8s.io/", "-project-"))


def runs_elsewhere(text: str) -> bool:
    """The paste's container runs on a host that is not Kubernetes, or is a CI or workflow
    step's pod (_ELSEWHERE), and nothing says Azure ML. Not a feature the model weighs: a rule
    that keeps the first candidate from being sure (decision.may_be_sure's `held_back`), so
    the model and its thresholds stay as they were (crossval.HELD_BACK_OUT_OF_THRESHOLDS)."""
    head = text[:MAX_CHARS]
    return _ELSEWHERE_NAMED.search(head, head.lower()) and not bool(_AZURE_ML.search(head))


def out_of_scope(text: str, serving: bool) -> bool:
    """The paste is about another product's hosted service (and not Azure ML), a training job
    or pipeline, or (with no deployment in sight: `serving` False) a local script's missing
    file."""
    head = text[:MAX_CHARS]
    lowered = head.lower()
    if _JOB_NAMED.search(head, lowered):
        return True
    if not serving and _RELATIVE_MISSING.search(head):
        return True
    return (_OTHER_PRODUCT_NAMED.search(head, lowered) or _hugging_face_hosted(head, lowered)
            or _replicate_named(head, lowered)) and not _AZURE_ML.search(head)


PULL_REACH = 3  # lines a wrapped pull error runs on after its first line


def after_image_pull(lines: Sequence[str], number: int) -> bool:
    """The line, or one of the PULL_REACH lines before it, says an image could not be pulled:
    the registry's reason (`unauthorized: authentication required`, `manifest unknown`) is
    often on a line of its own below the kubelet's `Failed to pull image "..."`."""
    return any(_IMAGE_PULL.search(line) for line in lines[max(0, number - PULL_REACH):number + 1])


def waits_for_volume_only(text: str) -> bool:
    """The pod is pending on a volume claim, and the paste gives no other scheduling reason."""
    head = text[:MAX_CHARS]
    return _VOLUME_WAIT_NAMED.search(head, head.lower()) and not _NODE_REASON.search(head)


# The memory that ran out is a GPU's (tests/eval/LABELS.md: `CUDA out of memory` is `none`):
# no entry's fix is for it (the out-of-memory entry raises the container's RAM, which does
# nothing for a model that does not fit the GPU). The words for running out of memory ...
_OOM = (r"(?i:out[ -]of[ -]memory|\bOOM\b(?![-_ ]?kill)|OutOfMemory|\bnot enough (?:GPU |device )?"
        r"memory\b|\black of device memory\b|\bCUBLAS_STATUS_ALLOC_FAILED\b)")
# ... and for a GPU: the words (CUDA's own names too: `cudaMalloc`), and the data-centre and
# desktop models' names as NVIDIA and AMD print them (A100, H100, L40S, T4, RTX 4090, MI300X),
# case-sensitive so that a hex id's `a058` is not one.
_GPU = (r"(?:(?i:\b(?:CUDA\w*|GPUs?|VRAM|device memory|nvidia|ROCm|HIP)\b)"
        r"|\b(?:[AHLV]\d{2,4}[A-Z]?|T4|L4|RTX ?\d{4}|MI\d{3}X?)\b)")
_OOM_WORDS = re.compile(_OOM)
_GPU_WORDS = re.compile(_GPU)
# Said in one breath: a GPU's words within a sentence or two (GPU_REACH characters, and room for
# the word itself) of the words for running out of memory. Looked for around each of those
# (few) instead of by one regex over the paste: a 40,000-character vLLM log names the GPU on
# every line, and a regex trying 160 characters after each name took 28 ms.
GPU_REACH = 160
_GPU_WORD_ROOM = 12
# Every match of the out-of-memory words holds one of these (lower-cased): a fast pre-check
# ("memory" alone is on most logs' every page).
_OOM_NAMED = _Named(_OOM_WORDS, ("out of memory", "out-of-memory", "out of-memory",
                                 "out-of memory", "oom", "outofmemory", "not enough",
                                 "lack of device memory", "cublas_status_alloc_failed"))
# What says the memory was the host's after all: a kill by the kernel or the container runtime
# (OOMKilled, exit code 137, SIGKILL, "Killed"), or the paste saying there is no GPU ...
_HOST_KILL = re.compile(
    r"(?i)OOM[-_ ]?Kill|\b137\b|\bSIGKILL\b|\bKilled\b|\bmemory cgroup\b"
    r"|\b(?:no|without|not using(?: a| the)?|(?:do not|don'?t) have(?: a)?|CPU[- ]only)\W{0,4}"
    r"(?:a )?(?:GPU|CUDA)\b")
# ... or, when the GPU is only named nearby, a pod or container said to be out of memory (its
# memory limit: "the pod is stuck restarting because it is OOM" on a GPU node): the words up to
# 80 characters before the out-of-memory words or 40 after them.
_POD = re.compile(r"(?i)\b(?:pod|container)s?\b")
# A GPU's own words for it: PyTorch's `torch.cuda.OutOfMemoryError: CUDA out of memory`,
# `CUDA error: out of memory`, "CUDA OOM", "out of GPU memory", "lack of device memory".
_EXPLICIT_GPU_OOM = re.compile(
    r"(?i)\b(?:CUDA|GPU|HIP)\W{0,3}(?:error\W{0,3})?(?:out[ -]of[ -]memory|OOM)\b"
    r"|\bcuda\.OutOfMemoryError\b|\b(?:out of|lack of|not enough|insufficient) "
    r"(?:GPU|device|VRAM) memory\b|\bout[ -]of[ -]memory (?:on|in) (?:the )?GPU\b")


def _gpu_beside(head: str, start: int, end: int) -> bool:
    """A GPU's word ends at most GPU_REACH characters before head[start:end] or starts at most
    GPU_REACH after it."""
    low = max(0, start - GPU_REACH - _GPU_WORD_ROOM)
    return any(low + found.end() >= start - GPU_REACH and low + found.start() <= end + GPU_REACH
               for found in _GPU_WORDS.finditer(head[low:end + GPU_REACH + _GPU_WORD_ROOM]))


def gpu_memory(text: str) -> bool:
    """The paste says a GPU ran out of memory, and nothing says the host's memory did."""
    head = text[:MAX_CHARS]
    lowered = head.lower()
    if not any(needle in lowered for needle in _OOM_NAMED.needles):
        return False
    ooms = [(found.start(), found.end()) for found in _OOM_WORDS.finditer(head)]
    if not any(_gpu_beside(head, start, end) for start, end in ooms) \
            or _HOST_KILL.search(head):
        return False
    return bool(_EXPLICIT_GPU_OOM.search(head)) or not any(
        _POD.search(head[max(0, start - 80):end + 40]) for start, end in ooms)


# A plain web app, not a model deployment (round 15): the web stack's own names (a framework,
# the WSGI/ASGI servers and the proxy in front of them, the words "web app" and "website"),
# read in the paste's words (context.paste_terms: letters only, lower case, the first 20,000
# characters). gunicorn's WORKER TIMEOUT, its "Perhaps out of memory?" and nginx's 502 are
# what any Django or Flask site prints; tests/eval/LABELS.md labels such sites `none` outside
# Kubernetes (round 5). They are ours only when something else shows a model being served or a
# Kubernetes pod (the non-model pod rule): ML_WORDS, KUBERNETES_WORDS.
def _listed(text: str) -> frozenset[str]:
    return frozenset(text.split())


WEB_STACK_WORDS = _listed("""
flask django dash fastapi falcon starlette uvicorn uwsgi nginx wsgi asgi gunicorn meinheld
website websites webapp webapps rails express nodejs php celery
web_app web_apps
""") | frozenset(["web app", "web apps", "web application", "web site", "web server",
                          "node js", "worker timeout"])
ML_WORDS = _listed("""
model models inference infer predict predicts prediction predictions predictor predictors
scoring serving azureml azmlinfsrv kserve kfserving seldon triton torchserve mlflow
bentoml endpoint endpoints tensorflow torch pytorch sklearn transformers transformer llm llms
gpt gpu gpus cuda onnx keras embedding embeddings whisper ollama vllm huggingface ml deployment
deployments aci aks
""") | frozenset(["machine learning", "hugging face", "score py"])
KUBERNETES_WORDS = _listed("""
pod pods kubectl kubernetes minikube openshift helm kubelet crashloopbackoff oomkilled
failedscheduling replica replicas ingress namespace daemonset statefulset eks gke
""")


def web_app_only(terms: frozenset[str]) -> bool:
    """The paste names a web stack and nothing that shows a model served or a Kubernetes pod
    (`terms`: context.paste_terms of the paste)."""
    return bool(terms & WEB_STACK_WORDS) and not (terms & ML_WORDS) \
        and not (terms & KUBERNETES_WORDS)


# Words of a model being served that the web-app check does not need (it only has to tell a
# site from a model behind the same web server): model servers and runtimes named by their
# own programs (`tensorflow_model_server`, `text_generation_launcher`: context.paste_terms keeps
# the underscores, so a program's name is split at them below) and a model's own parts.
SERVING_EXTRA_WORDS = _listed("""
tgi sglang lmdeploy llama gguf onnxruntime tensorrt trt openvino ovms mlserver webservice
webservices score shard shards tensor tensors signature checkpoint weights liveness readiness
liveliness probe probes deploy deployed deploying redeploy redeployed
""") | frozenset(["web service"])
# A model server's own package or class names begin with its name ("tritonclient",
# "torchserve_handler", "kserve-container", "vllm_engine"): a term that starts with one counts.
_SERVER_PREFIXES = ("triton", "torchserve", "kserve", "kfserving", "seldon", "mlserver", "vllm",
                    "mlflow", "azureml", "tensorflow", "onnx", "bentoml", "ollama", "sglang")


def no_model_named(terms: frozenset[str], text: str = "") -> bool:
    """Nothing in the paste's words (`terms`: context.paste_terms, Korean glossed) names a model
    being served: no ML_WORDS or SERVING_EXTRA_WORDS, also read inside a program's underscored
    name, no term that begins with a model server's name, nor Azure ML's own words in `text`.
    A Kubernetes pod or an ingress may be in sight: what no_model_served adds. Round 17
    (likely19): a request that times out or fails at a gateway with no model named is a web
    app's behind an ingress (ingress-nginx in front of "one of our applications", a Selenium
    Grid, a chart raising its proxy timeouts), and tests/eval/LABELS.md keeps plain web apps
    `none` whether or not they run on Kubernetes: the non-model pod rule is for a pod's own
    fate (killed, crash-looping, unschedulable), not for its requests."""
    parts = {part for term in terms if "_" in term and " " not in term
             for part in term.split("_")}
    wanted = ML_WORDS | SERVING_EXTRA_WORDS
    return not (terms & wanted) and not (parts & wanted) \
        and not any(term.startswith(_SERVER_PREFIXES) for term in terms) \
        and not _AZURE_ML.search(text[:MAX_CHARS])


def no_model_served(terms: frozenset[str], text: str = "") -> bool:
    """Nothing in the paste's words (`terms`: context.paste_terms) shows a model being served or
    a Kubernetes pod (round 16): no ML_WORDS, KUBERNETES_WORDS or SERVING_EXTRA_WORDS, also
    read inside a program's underscored name (a Korean paste's words arrive glossed:
    korean.glossed_terms), nor Azure ML's own words in `text` (_AZURE_ML: an
    `AciWebservice`, `az ml`, the v1 scoring call `service.run(`; not "Azure" alone, which
    Azure Functions and App Service say too). What is left is another kind of program: a pip
    install, a desktop app in Docker, a web site, a debugger attaching to a process, a
    framework's own memory monitor. Before round 16, out of fold, such first candidates shown
    "probably" were right 15 times in 47 in the pool's cross-validation (0.75 for the rest of
    the band) and 0 times in 7 on the time split. Both a feature the full model weighs
    (features.no_model_served) and a rule: never "probably" (decision.may_be_likely); the sure
    tier is not touched."""
    parts = {part for term in terms if "_" in term and " " not in term
             for part in term.split("_")}
    return no_model_named(terms, text) and not (terms & KUBERNETES_WORDS) \
        and not (parts & KUBERNETES_WORDS)
