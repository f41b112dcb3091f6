"""Round 18 (scope20): pastes whose setting is not a model deployment, by how people name it.

tests/eval/LABELS.md keeps `none` a training job or a pipeline step (even when its pod is
Pending or OOM-killed), a script run on the user's own machine, and another product's hosted
service; scope.out_of_scope (a learned feature) and scope.runs_elsewhere (a rule) know some of
their names. Out of fold in the pool, these still came out "probably" a diagnosis, each by
words those checks did not know:

- a training run said in a sentence ("training does not start", "fails to train", "a few
  minutes of training", 학습 중, 训练), hyper-parameter trials (NNI, Katib, Optuna), a trainer's
  own launcher or loop (`accelerate launch`, `trainer.train(`, PyTorch's DataLoader), an MLflow
  project run (`mlflow run ... --backend kubernetes`), an Azure ML run's own words
  (`azureml-logs/`, `ActivityFailedException`, "User program failed with"), a batch endpoint or
  batch scoring job, a Colab runtime's paths;
- the user's own machine: an IDE's run window ("Process finished with exit code 137") and a
  swap file, which a Kubernetes node or a managed endpoint does not have;
- another program's service: Azure Functions' platform log (`/podr/container/pipe/`), App
  Service's CLI (`az webapp`) and error page (":( Application Error"), Container Instances'
  CLI (`az container`), SageMaker's own words (a production variant, the ping health check,
  `AllTraffic/` and `algo-1-` containers), Databricks' serving hosts and its notebook's "The
  Python process exited with exit code", Gitpod, Service Fabric, API Management, AI Foundry
  and Cognitive Services, Ultralytics HUB, Watson Machine Learning, ModelArts, a PaaS's
  language buildpack or Cloud Foundry, an MLflow tracking server (not its model server),
  NVIDIA's NIMCache (a model-caching job), Istio's BookInfo sample, AWS Lambda, Vertex AI's
  accelerator names (`NVIDIA_TESLA_T4`), Replicate's boot message, CloudFront's error page.

A paste that has them is held back (features.PasteShape.held_back, as scope.runs_elsewhere):
its first candidate stays listed, neither sure nor "probably" a diagnosis. The training and
local-machine words do not count when the paste also names a model deployment (an online
endpoint, a web service, an InferenceService, a scoring script, a model deployed): "the model
worked during training, the endpoint returns 502" is a deployment's. Other products' names do
not count beside Azure ML's own words (as scope.out_of_scope).
"""

from __future__ import annotations

import re

from bot.matching.scope import _AZURE_ML, MAX_CHARS, _Named

# People name where they run it in the title and the first lines; every paste of the pool
# these words hold back has them in its first 2,000 characters. Searching a 40,000-character
# log's every page for ~80 strings cost up to 5 ms a paste.
HEAD_CHARS = 4000


def _words(*parts: tuple[str, tuple[str, ...]]) -> tuple[_Named, ...]:
    """One scope._Named per (regex, the lower-case strings one of which each match holds): a
    regex runs only when its own strings are in the paste. One regex of all of them ran at
    every position of a 40,000-character log whenever any one string was there (3.7 ms)."""
    return tuple(_Named(re.compile(pattern), needles) for pattern, needles in parts)


def _any(words: tuple[_Named, ...], head: str, lowered: str) -> bool:
    return any(named.search(head, lowered) for named in words)


# A training run, trials, a pipeline's batch job: what the entries' fixes are not for.
_TRAINING = _words(
    (r"(?i)\bfails? to train\b"
     r"|\btraining (?:does ?n[o']t|doesn'?t|won'?t|fails?|failed|crash\w*|(?:is |gets )?stuck"
     r"|hangs?|(?:is |gets |was )?killed|stops?|stopped)\b"
     r"|\b(?:during|while|when|after|minutes? of|hours? of|steps? of|epochs? of) training\b",
     ("to train", "training")),
    (r"(?i)\bnni(?:exp|\b)|\bframeworkcontroller\b|\bkatib\b|\boptuna\b"
     r"|\bhyper-?parameter (?:tuning|search|sweep|optimi[sz]ation|trials?)\b",
     ("nni", "frameworkcontroller", "katib", "optuna", "hyperparameter", "hyper-parameter")),
    (r"(?i)\b(?:task|role|job)[-_]?(?:name|type)=train(?:ing|er)?\b", ("=train",)),
    (r"(?i)\bmlflow run\b|\bmlflow\.projects\b|--backend kubernetes\b|\bkubernetes_job_template\b",
     ("mlflow run", "mlflow.projects", "--backend kubernetes", "kubernetes_job_template")),
    (r"(?i)azureml-logs/|/azureml_runs/|\bActivityFailedException\b|\bUser program failed with\b"
     r"|azureml-run-troubleshooting|\bKubernetes job failed\b|\bAutoMLConfig\b|\bautoml_run\b",
     ("azureml-logs/", "/azureml_runs/", "activityfailedexception", "user program failed with",
      "azureml-run-troubleshooting", "kubernetes job failed", "automlconfig", "automl_run")),
    (r"(?i)\bexperiment\.submit\(|\bsubmit(?:ted)? (?:an? |the |my )?experiment\b",
     ("experiment.submit(", " experiment")),
    (r"(?i)\bbatch[- ]endpoints?\b|\bbatch deployments?\b"
     r"|\bbatch (?:inference|prediction|scoring) (?:job|pipeline|run)s?\b",
     ("batch endpoint", "batch-endpoint", "batch deployment", "batch inference",
      "batch prediction", "batch scoring")),
    (r"(?i)\bamlbi_main\b|\bParallelRunStep\b|\bDataLoader\b|/content/drive/|\bgoogle\.colab\b",
     ("amlbi_main", "parallelrunstep", "dataloader", "/content/drive/", "google.colab")),
    (r"(?i)\btrainer\.(?:train|fit)\(|/trainer/\w+\.py\b|\baccelerate/commands/launch\b"
     r"|\baccelerate launch\b",
     ("trainer.train(", "trainer.fit(", "/trainer/", "accelerate/commands/launch",
      "accelerate launch")),
    (r"학습\s?(?:중|작업|잡)|학습(?:이|을)\s?(?:시작|돌리|실행)|학습(?:하다가|하는 중|시키)"
     r"|훈련\s?(?:중|작업)|训练(?![好完后])", ("학습", "훈련", "训练")),
)
# The user's own machine: an IDE's run window, a swap file.
_OWN_MACHINE = _words(
    (r"\bProcess finished with exit code\b", ("process finished with exit code",)),
    (r"(?i)\bswap ?(?:file|space|size|partition)\b"
     r"|\b(?:increase|add|more|enable|bigger|larger)\w* (?:the |my )?swap\b|스왑",
     ("swap", "스왑")),
)
# Another program's service, by its own log format, host, CLI or name.
_OTHER_SERVICE = _words(
    (r"/podr/container/pipe/", ("/podr/container/pipe/",)),
    (r"(?i)\baz webapp\b|\bproduction variant\b|\bping health check\b|\bAllTraffic/|\balgo-1-\w+",
     ("az webapp", "production variant", "ping health check", "alltraffic/", "algo-1-")),
    (r"(?i)azuredatabricks\.net|cloud\.databricks\.com|databricks-model-serving",
     ("databricks",)),
    (r"(?i)\bThe Python process exited with exit code\b|\baz container\b|:\( Application Error",
     ("the python process exited with exit code", "az container", ":( application error")),
    (r"(?i)\bgitpod\b|\bservice fabric\b|\bapi management\b|\b(?:azure )?ai foundry\b"
     r"|\bCognitiveServices\b|\bcognitive services\b",
     ("gitpod", "service fabric", "api management", "foundry", "cognitiveservices",
      "cognitive services")),
    (r"(?i)\bultralytics hub\b|\bdedicated inference api\b|\bwatson machine learning\b|\bwml\b"
     r"|\bmodelarts\b|\baws-lambda\b|\bfailed to boot and complete setup\b",
     ("ultralytics hub", "dedicated inference api", "watson machine learning", "wml",
      "modelarts", "aws-lambda", "failed to boot and complete setup")),
    (r"(?i)\b(?:rails|ruby|node|nodejs|python|php|java|go) buildpacks?\b|\bcloud foundry\b",
     ("buildpack", "cloud foundry")),
    (r"(?i)\bmlflow\.server\.|\btracking server\b|\bmlflow ui\b|\bnim ?cache\b"
     r"|\bbookinfo\b|\bproductpage\b",
     ("mlflow.server.", "tracking server", "mlflow ui", "nimcache", "nim cache", "bookinfo",
      "productpage")),
    (r"(?i)\bcloudfront\b|\bThe request could not be satisfied\b",
     ("cloudfront", "the request could not be satisfied")),
    (r"\bNVIDIA_TESLA_[A-Z0-9]+", ("nvidia_tesla_",)),
)
# A model deployment named: then training or a laptop is only mentioned beside it.
_DEPLOYMENT_NAMED = re.compile(
    r"(?i)\bonline[- ]?(?:endpoint|deployment)s?\b|\b(?:Aci|Aks|Local)?Webservice\b"
    r"|\bInferenceConfig\b|\bInferenceService\b|\bscore\.py\b"
    r"|\bscoring[ _](?:uri|url|script|endpoint|container)\b|\bscore api\b"
    r"|\bdeploy(?:ed|ing|s)?\b[^.\n]{0,40}?\b(?:models?|regressor|classifier|predictor)\b"
    r"|\bmodel (?:deployment|endpoint)s?\b"
    r"|온라인\s?(?:엔드포인트|배포)|모델\s?(?:을|를)?\s?배포")


def other_setting(text: str) -> bool:
    """The paste's setting is a training or batch run or the user's own machine (and no model
    deployment is named), or another program's service (and nothing says Azure ML). A rule,
    not a feature: it keeps the first candidate listed (features.PasteShape.held_back).
    The setting's words are looked for in the first HEAD_CHARS characters (a title, the
    first lines), the words that overrule them in the whole paste, and only then."""
    head = text[:HEAD_CHARS]
    lowered = head.lower()
    whole = text[:MAX_CHARS]
    if _any(_OTHER_SERVICE, head, lowered) and not _AZURE_ML.search(whole):
        return True
    return (_any(_TRAINING, head, lowered) or _any(_OWN_MACHINE, head, lowered)) \
        and not _DEPLOYMENT_NAMED.search(whole)
