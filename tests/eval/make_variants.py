"""Build the evaluation files from the collected real pastes.

Inputs (hand-curated, in this folder):
  real.jsonl             real pastes copied from public reports, one per line, each with its URL
  variants_manual.jsonl  hand-written variants of a real paste (only the JSON body, a cut, ...);
                         their id is "<parent id>~<suffix>"

Output (regenerated, never edited by hand):
  dev.jsonl      about 70 %, for tuning the matcher
  holdout.jsonl  about 30 %, kept aside; do not tune on it
  split.json     which side each group is on; existing entries never change, so an item
                 that was in dev never moves into the holdout when the set grows

Generated variants (Korean chat wrappers, 20-40k character container logs with the real error in
the middle, fresh ids/pod names/timestamps/node counts, truncations) are listed in VARIANT_SPECS
and produced with a fixed random seed, so `python tests/eval/make_variants.py` always writes the
same files.  The split is stratified by label and keeps every variant with its real paste; new groups
are placed by a stable hash, old ones stay where split.json says.

Usage:  python tests/eval/make_variants.py          (rewrite dev.jsonl and holdout.jsonl)
        python tests/eval/make_variants.py --check  (exit 1 if the files are out of date)
"""

# Log-line templates and Korean chat texts are data copied as people see them; wrapping them
# would change the data, so long lines are allowed in this file.
# ruff: noqa: E501

from __future__ import annotations

import hashlib
import json
import random
import re
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIELDS = ("id", "text", "expected", "source", "kind", "note")
SEED = 20261125
HOLDOUT_SHARE = 0.3

# --------------------------------------------------------------------------------------------
# Korean chat wrappers: how the team actually asks in Slack.
# --------------------------------------------------------------------------------------------
KO_WRAPPERS = (
    "배포가 계속 실패하는데 이거 뭔가요?\n```\n{text}\n```",
    "안녕하세요, 모델 배포했는데 아래 에러가 나요. 어제까지는 잘 됐습니다 ㅠㅠ\n{text}\n혹시 아시는 분 계신가요?",
    "엔드포인트 호출하면 이렇게 떠요\n```{text}```\n뭐가 문제일까요? 재배포해도 똑같습니다",
    "{text}\n\n↑ 이거 원인 아시는 분? 운영 배포라 급합니다 🙏",
    "로그 일부 붙입니다 (전체는 너무 길어서 잘랐어요):\n{text}\n어디부터 봐야 할지 모르겠네요",
    "@troubleshoot 이거 봐주세요\n{text}",
    "AKS 쪽 배포 파이프라인이 실패했습니다. 에러 메시지:\n> {text}\n설정은 안 바꿨어요.",
    "질문이요! 아래처럼 나오는데 제가 뭘 잘못한 걸까요?\n\n{text}\n\n감사합니다.",
)

# --------------------------------------------------------------------------------------------
# Noise for long container logs.  Benign lines only: no error words, no status codes other
# than 200, no signals that belong to a KB entry, so the label stays the embedded error's.
# --------------------------------------------------------------------------------------------
AML_V1_BOOT = (
    "{ts} - iot-server/run ",
    "{ts} - rsyslog/run ",
    "{ts} - nginx/run ",
    "{ts} - gunicorn/run ",
    "{ts} | gunicorn/run | ###############################################",
    "{ts} | gunicorn/run | AzureML Container Runtime Information",
    "{ts} | gunicorn/run | AzureML image information: openmpi3.1.2-ubuntu18.04, Materializaton Build:20230103.v4",
    "{ts} | gunicorn/run | PATH environment variable: /azureml-envs/azureml_{hex8}/bin:/opt/miniconda/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    "{ts} | gunicorn/run | PYTHONPATH environment variable: ",
    "{ts} | gunicorn/run | Pip Dependencies (before dynamic installation)",
    "{ts} | gunicorn/run | {pkg}=={ver}",
    "{ts} | gunicorn/run | Checking if the Python package azureml-inference-server-http is installed",
    "{ts} | gunicorn/run | Starting AzureML Inference Server HTTP.",
    "EdgeHubConnectionString and IOTEDGE_IOTHUBHOSTNAME are not set. Exiting...",
    "{ts} - iot-server/finish 1 0",
    "{ts} - Exit code 1 is normal. Not restarting iot-server.",
)
AZMLINFSRV = (
    "{dt},{ms} I [{pid}] azmlinfsrv - Loaded logging config from /opt/miniconda/envs/userenv/lib/python3.8/site-packages/azureml_inference_server_http/logging.json",
    "{dt},{ms} I [{pid}] gunicorn.error - Starting gunicorn 20.1.0",
    "{dt},{ms} I [{pid}] gunicorn.error - Listening at: http://0.0.0.0:31311 ({pid})",
    "{dt},{ms} I [{pid}] gunicorn.error - Using worker: sync",
    "{dt},{ms} I [{pid}] gunicorn.error - Booting worker with pid: {pid2}",
    "{dt},{ms} I [{pid2}] azmlinfsrv.user_script - Found user script at /var/azureml-app/{app}/score.py",
    "{dt},{ms} I [{pid2}] azmlinfsrv.user_script - run() is not decorated. Server will invoke it with the input in JSON string.",
    "{dt},{ms} I [{pid2}] azmlinfsrv.user_script - Invoking user's init function",
    "{dt},{ms} I [{pid2}] azmlinfsrv.user_script - Users's init has completed successfully",
    "{dt},{ms} I [{pid2}] azmlinfsrv.swagger - Swaggers are prepared for the following versions: [2, 3, 3.1].",
    "{dt},{ms} I [{pid2}] azmlinfsrv - Scoring timeout is set to 60000",
    "{dt},{ms} I [{pid2}] azmlinfsrv - Worker with pid {pid2} ready for serving traffic",
    '{dt},{ms} I [{pid2}] gunicorn.access - 127.0.0.1 - - [{clf}] "GET / HTTP/1.0" 200 7 "-" "kube-probe/1.{kv}"',
    '{dt},{ms} I [{pid2}] gunicorn.access - 127.0.0.1 - - [{clf}] "GET /swagger.json HTTP/1.0" 200 2931 "-" "Go-http-client/1.1"',
    '{dt},{ms} I [{pid2}] gunicorn.access - 127.0.0.1 - - [{clf}] "POST /score HTTP/1.0" 200 {size} "-" "python-requests/2.31.0"',
    "{dt},{ms} I [{pid2}] azmlinfsrv - POST /score {rid} 200 {lat}ms {size}",
    "{dt},{ms} I [{pid2}] azmlinfsrv - GET / {rid} 200 0.{lat}ms 7",
    "{dt},{ms} I [{pid2}] azmlinfsrv.print - Request received, batch size {batch}",
)
AML_V1_ROOT = (
    "{dt},{ms} | root | INFO | Starting up app insights client",
    "{dt},{ms} | root | INFO | Starting up request id generator",
    "{dt},{ms} | root | INFO | Starting up app insight hooks",
    "{dt},{ms} | root | INFO | Invoking user's init function",
    "{dt},{ms} | root | INFO | Users's init has completed successfully",
    "{dt},{ms} | root | INFO | Skipping middleware: dbg_model_info as it's not enabled.",
    "{dt},{ms} | root | INFO | Skipping middleware: dbg_resource_usage as it's not enabled.",
    "{dt},{ms} | root | INFO | Scoring timeout is found from os.environ: 60000 ms",
    "{dt},{ms} | root | INFO | 200",
    '127.0.0.1 - - [{clf}] "GET / HTTP/1.0" 200 7 "-" "Go-http-client/1.1"',
    '127.0.0.1 - - [{clf}] "POST /score HTTP/1.0" 200 {size} "-" "python-requests/2.25.1"',
    "{dt},{ms} | root | INFO | Validation Request Content-Type",
    "{dt},{ms} | root | INFO | Scoring Timer is set to 60.0 seconds",
    "{dt},{ms} | root | INFO | Headers passed in (total {hdr}):",
)
K8S_EVENTS = (
    "  Normal   Scheduled         {age}   default-scheduler  Successfully assigned {ns}/{pod} to aks-agentpool-{n8}-vmss00000{d}",
    '  Normal   Pulling           {age}   kubelet            Pulling image "{acr}.azurecr.io/azureml/azureml_{hex32}"',
    '  Normal   Pulled            {age}   kubelet            Successfully pulled image "{acr}.azurecr.io/azureml/azureml_{hex32}" in {sec}.{ms}s',
    "  Normal   Created           {age}   kubelet            Created container {ctr}",
    "  Normal   Started           {age}   kubelet            Started container {ctr}",
    "  Normal   SuccessfulCreate  {age}   replicaset-controller  Created pod: {pod}",
    "  Normal   ScalingReplicaSet {age}   deployment-controller  Scaled up replica set {svc}-{rs} to {d}",
    "{ts8} I{md} {hh}:{mi}:{ss}.{us}       1 reflector.go:255] Listing and watching *v1.Pod from k8s.io/client-go/informers/factory.go:134",
    "{ts8} I{md} {hh}:{mi}:{ss}.{us}       1 controller.go:{ln}] Syncing deployment {ns}/{svc}",
    "{ns}   {pod}   1/1   Running   0   {age}",
)
PIPELINE = (
    "{iso}Z ##[section]Starting: {task}",
    "{iso}Z ==============================================================================",
    "{iso}Z Task         : Azure CLI",
    "{iso}Z Description  : Run Azure CLI commands against an Azure subscription in a PowerShell Core/Shell script when running on Linux agent or PowerShell/PowerShell Core/Batch script when running on Windows agent.",
    "{iso}Z Version      : 2.{ln}.0",
    "{iso}Z Author       : Microsoft Corporation",
    "{iso}Z [command]/usr/bin/az cloud set -n AzureCloud",
    "{iso}Z [command]/usr/bin/az account set --subscription {rid}",
    "{iso}Z [command]/usr/bin/az extension add -n ml -y",
    "{iso}Z Collecting {pkg}=={ver}",
    "{iso}Z   Downloading {pkg}-{ver}-py3-none-any.whl ({size} kB)",
    "{iso}Z Requirement already satisfied: {pkg} in /opt/hostedtoolcache/Python/3.8.18/x64/lib/python3.8/site-packages ({ver})",
    "{iso}Z Successfully installed {pkg}-{ver}",
    "{iso}Z ##[debug]Agent environment resources - Disk: / Available {size}.00 MB out of 74716.00 MB",
    "{iso}Z /usr/bin/bash /home/vsts/work/_temp/azureclitaskscript{n8}.sh",
    "{iso}Z Using workspace {svc}-ws in resource group rg-{svc}",
    "{iso}Z ##[section]Finishing: {task}",
    "{iso}Z Uploading {batch} files",
    "{iso}Z Cleaning up task key",
)
PIP_PACKAGES = (
    ("azureml-core", "1.48.0"),
    ("azureml-defaults", "1.48.0"),
    ("azureml-inference-server-http", "0.7.7"),
    ("numpy", "1.21.6"),
    ("pandas", "1.3.5"),
    ("scikit-learn", "0.24.2"),
    ("joblib", "1.2.0"),
    ("flask", "2.2.2"),
    ("gunicorn", "20.1.0"),
    ("applicationinsights", "0.11.10"),
    ("inference-schema", "1.5"),
    ("opencensus-ext-azure", "1.1.7"),
    ("psutil", "5.9.4"),
    ("requests", "2.28.1"),
    ("urllib3", "1.26.13"),
)
NAMESPACES = ("azureml-workspace", "default", "ml-serving", "azureml-prod-ws")
APPS = ("azureml-app", "azureml-app/onlinescoring", "azureml-app/src")


class Noise:
    """Deterministic generator of benign log lines in a few styles."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.second = rng.randrange(0, 86_400)
        self.pod = f"{self.word()}-{self.hex(10)}-{self.alnum(5)}"
        self.svc = self.word()
        self.acr = self.hex(12)
        self.image = self.hex(32)

    def word(self) -> str:
        return self.rng.choice(
            (
                "sentiment",
                "churn-model",
                "fraud-scorer",
                "resnet50",
                "credit-risk",
                "bert-ner",
                "forecast",
            )
        )

    def hex(self, n: int) -> str:
        return "".join(self.rng.choice("0123456789abcdef") for _ in range(n))

    def alnum(self, n: int) -> str:
        return "".join(self.rng.choice("bcdfghjklmnpqrstvwxz2456789") for _ in range(n))

    def fields(self) -> dict[str, str]:
        self.second += self.rng.randrange(0, 4)
        h, rem = divmod(self.second % 86_400, 3600)
        m, s = divmod(rem, 60)
        day = 10 + (self.second // 86_400) % 18
        r = self.rng
        return {
            "ts": f"2024-03-{day:02d}T{h:02d}:{m:02d}:{s:02d},{r.randrange(10**9):09d}+00:00",
            "dt": f"2024-03-{day:02d} {h:02d}:{m:02d}:{s:02d}",
            "clf": f"{day:02d}/Mar/2024:{h:02d}:{m:02d}:{s:02d} +0000",
            "ts8": "",
            "md": f"03{day:02d}",
            "hh": f"{h:02d}",
            "mi": f"{m:02d}",
            "ss": f"{s:02d}",
            "us": f"{r.randrange(10**6):06d}",
            "ms": f"{r.randrange(1000):03d}",
            "pid": str(r.randrange(7, 40)),
            "pid2": str(r.randrange(40, 400)),
            "kv": str(r.randrange(24, 29)),
            "size": str(r.randrange(20, 4000)),
            "lat": str(r.randrange(3, 900)),
            "batch": str(r.randrange(1, 64)),
            "rid": f"{self.hex(8)}-{self.hex(4)}-{self.hex(4)}-{self.hex(4)}-{self.hex(12)}",
            "hdr": str(r.randrange(8, 16)),
            "hex8": self.hex(8),
            "hex32": self.image,
            "pkg": "",
            "ver": "",
            "app": r.choice(APPS),
            "age": f"{r.randrange(1, 59)}m",
            "ns": r.choice(NAMESPACES),
            "pod": self.pod,
            "svc": self.svc,
            "rs": self.hex(10),
            "n8": str(r.randrange(10**7, 10**8)),
            "d": str(r.randrange(0, 4)),
            "acr": self.acr,
            "sec": str(r.randrange(1, 90)),
            "ctr": r.choice(("inference-server", "storage-initializer", self.svc)),
            "ln": str(r.randrange(100, 900)),
            "iso": f"2024-03-{day:02d}T{h:02d}:{m:02d}:{s:02d}.{r.randrange(10**7):07d}",
            "task": r.choice(
                (
                    "Checkout",
                    "Use Python 3.8",
                    "Install az ml extension",
                    "Register model",
                    "Deploy model",
                    "Smoke test",
                )
            ),
        }

    def line(self, style: str) -> str:
        table = {
            "aml_v1": AML_V1_ROOT,
            "azmlinfsrv": AZMLINFSRV,
            "k8s": K8S_EVENTS,
            "pipeline": PIPELINE,
        }[style]
        f = self.fields()
        if style == "pipeline":
            f["pkg"], f["ver"] = self.rng.choice(PIP_PACKAGES)
        if style == "aml_v1" and self.rng.random() < 0.15:
            template = self.rng.choice(AML_V1_BOOT)
            f["pkg"], f["ver"] = self.rng.choice(PIP_PACKAGES)
        else:
            template = self.rng.choice(table)
        return template.format(**f)

    def block(self, style: str, chars: int) -> str:
        lines: list[str] = []
        size = 0
        while size < chars:
            line = self.line(style)
            lines.append(line)
            size += len(line) + 1
        return "\n".join(lines)


def long_log(text: str, rng: random.Random, style: str, target: int) -> str:
    """Surround a real paste with benign noise; the error sits somewhere in the middle."""
    noise = Noise(rng)
    before = int((target - len(text)) * rng.uniform(0.35, 0.75))
    after = max(0, target - len(text) - before)
    return f"{noise.block(style, before)}\n{text}\n{noise.block(style, after)}"


# --------------------------------------------------------------------------------------------
# Re-identification: same error, different GUIDs, hex ids, pod names, timestamps, node counts.
# --------------------------------------------------------------------------------------------
GUID = re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b", re.I)
HEXID = re.compile(r"\b[0-9a-f]{12,64}\b")
NODES = re.compile(r"\b(\d+)/(\d+) nodes are available: (\d+)")
YEAR = re.compile(r"\b20(1\d|2[0-4])-(\d\d)-(\d\d)")
POD = re.compile(r"\b([a-z][a-z0-9]*(?:-[a-z0-9]+)*)-([a-z0-9]{8,10})-([a-z0-9]{5})\b")


def reidentify(text: str, rng: random.Random) -> str:
    def hexs(n: int) -> str:
        return "".join(rng.choice("0123456789abcdef") for _ in range(n))

    text = GUID.sub(lambda m: f"{hexs(8)}-{hexs(4)}-{hexs(4)}-{hexs(4)}-{hexs(12)}", text)
    text = HEXID.sub(
        lambda m: hexs(len(m.group(0))) if not m.group(0).isdigit() else m.group(0), text
    )
    nodes = rng.choice((1, 2, 4, 5, 6, 8, 12))
    text = NODES.sub(lambda m: f"0/{nodes} nodes are available: {nodes}", text)
    year = rng.choice(("2023", "2024", "2025"))
    text = YEAR.sub(lambda m: f"{year}-{m.group(2)}-{m.group(3)}", text)
    text = POD.sub(
        lambda m: (
            f"{m.group(1)}-{hexs(len(m.group(2)))}-{''.join(rng.choice('bcdfghjklmnpqrstvwxz2456789') for _ in range(5))}"
        ),
        text,
    )
    return text


def truncate(text: str, start: str | None, end: str | None) -> str:
    """Keep the part between two literal markers (inclusive), like a person selecting a block."""
    i = text.find(start) if start else 0
    j = text.find(end) + len(end) if end else len(text)
    if i < 0 or j < len(end or "") or j <= i:
        raise ValueError(f"markers not found: {start!r} .. {end!r}")
    return text[i:j]


# (parent id, variant kind, parameters).  Kinds: ko (wrapper index), log (style, size),
# reid (), cut (start marker, end marker).  Long logs are 20,000-40,000 characters.
VARIANT_SPECS: list[tuple[str, str, tuple]] = [
    # Korean chat wrappers
    ("ccm-6", "ko", (0,)),
    ("mlopsv2-120", "ko", (1,)),
    ("mlnb-487", "ko", (6,)),
    ("docs-45645", "ko", (4,)),
    ("amldeploy-63", "ko", (7,)),
    ("engmlops-4", "ko", (2,)),
    ("mlnb-450", "ko", (3,)),
    ("docs-68044", "ko", (5,)),
    ("azcli-23608", "ko", (6,)),
    ("adbop-62", "ko", (0,)),
    ("kubeflow-654", "ko", (1,)),
    ("mslearn-30", "ko", (0,)),
    ("neonkube-1671", "ko", (3,)),
    ("docs-44339", "ko", (2,)),
    ("sdkpy-14168", "ko", (7,)),
    ("mmci-18", "ko", (2,)),
    ("azcli-17075", "ko", (1,)),
    ("sdknet-36961", "ko", (3,)),
    ("examples-1930", "ko", (7,)),
    ("mlopspy-157", "ko", (2,)),
    ("docs-54134", "ko", (4,)),
    ("kfexamples-788", "ko", (2,)),
    ("mlnb-745", "ko", (6,)),
    ("hmcts-28772", "ko", (5,)),
    ("docs-96530", "ko", (7,)),
    ("pipelines-13", "ko", (7,)),
    ("docs-102633", "ko", (5,)),
    ("mlnb-1207", "ko", (0,)),
    ("amlk8s-232", "ko", (1,)),
    ("docs-54563", "ko", (3,)),
    ("mlnb-1277", "ko", (0,)),
    ("mlnb-1767", "ko", (6,)),
    ("phicook-236", "ko", (2,)),
    # 20,000-40,000-character container logs with the real paste inside
    ("ccm-6", "log", ("aml_v1", 24_000)),
    ("k8s-37232", "log", ("k8s", 21_000)),
    ("examples-1068", "log", ("azmlinfsrv", 33_000)),
    ("beaver-59", "log", ("azmlinfsrv", 27_000)),
    ("kserve-2290", "log", ("k8s", 22_000)),
    ("kubeflow-654", "log", ("k8s", 20_500)),
    ("mlnb-725", "log", ("pipeline", 30_000)),
    ("mlopspy-165", "log", ("pipeline", 26_000)),
    ("azcli-23608", "log", ("pipeline", 34_000)),
    ("devopslabs-562", "log", ("pipeline", 22_000)),
    ("infschema-52", "log", ("aml_v1", 31_000)),
    ("mlopspy-261", "log", ("aml_v1", 25_000)),
    ("cliext-6819", "log", ("azmlinfsrv", 36_000)),
    ("k8s-86942", "log", ("k8s", 25_000)),
    ("mslearn-100", "log", ("k8s", 20_000)),
    ("hmcts-28772", "log", ("k8s", 23_000)),
    ("envoy-33000", "log", ("k8s", 21_500)),
    ("mlnb-808", "log", ("aml_v1", 20_000)),
    ("pipelines-16052", "log", ("azmlinfsrv", 28_000)),
    ("docs-54134", "log", ("aml_v1", 39_000)),
    # fresh ids, pod names, dates, node counts
    ("mlnb-487", "reid", ()),
    ("optscale-568", "reid", ()),
    ("azcli-23608", "reid", ()),
    ("mlopspy-165", "reid", ()),
    ("ccm-6", "reid", ()),
    ("devopslabs-562", "reid", ()),
    ("k8s-86942", "reid", ()),
    # truncations: the block a person would select
    ("engmlops-4", "cut", ("Response Code: 502", "unexpected keyword argument 'method'\"")),
    ("mlnb-487", "cut", ("{", 'Insufficient nvidia.com/gpu."')),
    ("devopslabs-562", "cut", ("Aci Deployment failed with exception", "to get details.")),
    ("infschema-52", "cut", ("ERROR | Encountered Exception", "not str")),
    ("k8s-37232", "cut", ("FailedScheduling", "Insufficient cpu")),
    ("cliext-6819", "cut", ("2023-09-29", "in load_script")),
]


def generated_variants(real: dict[str, dict]) -> list[dict]:
    rng = random.Random(SEED)
    out: list[dict] = []
    counters: dict[tuple[str, str], int] = defaultdict(int)
    for parent_id, kind, params in VARIANT_SPECS:
        parent = real[parent_id]
        text = parent["text"]
        if kind == "ko":
            new = KO_WRAPPERS[params[0]].format(text=text)
            note = "real paste wrapped in Korean chat text"
        elif kind == "log":
            new = long_log(text, rng, params[0], params[1])
            note = f"real paste embedded in ~{params[1] // 1000}k chars of benign {params[0]} log noise"
        elif kind == "reid":
            new = reidentify(text, rng)
            note = "real paste with fresh GUIDs/hex ids/pod names/dates/node counts"
        elif kind == "cut":
            new = truncate(text, *params)
            note = "real paste truncated to the block a person would select"
        else:  # pragma: no cover - a typo in VARIANT_SPECS
            raise ValueError(kind)
        counters[(parent_id, kind)] += 1
        out.append(
            {
                "id": f"{parent_id}~{kind}{counters[(parent_id, kind)]}",
                "text": new,
                "expected": parent["expected"],
                "source": parent["source"],
                "kind": "variant",
                "note": f"{note}; parent: {parent['note']}",
            }
        )
    return out


def read_jsonl(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [
        json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]


def group_of(item_id: str) -> str:
    return item_id.split("~", 1)[0]


def split(
    items: list[dict], frozen: dict[str, str]
) -> tuple[list[dict], list[dict], dict[str, str]]:
    """Dev/holdout by group (a real paste plus its variants), stratified by label.

    Groups already in split.json keep their side forever, so nothing that was tuned on in
    dev ever moves into the holdout.  New groups are sorted by a stable hash within their
    label and go to the holdout while the label's holdout share is under 30 %.
    """
    groups: dict[str, list[dict]] = defaultdict(list)
    for item in items:
        groups[group_of(item["id"])].append(item)
    assignment = {gid: side for gid, side in frozen.items() if gid in groups}
    by_label: dict[str, list[str]] = defaultdict(list)
    for gid in sorted(groups):
        by_label[groups[gid][0]["expected"]].append(gid)
    for label in sorted(by_label):
        gids = by_label[label]
        new = sorted((g for g in gids if g not in assignment), key=stable_hash)
        for gid in new:
            held = sum(assignment.get(g) == "holdout" for g in gids)
            placed = sum(g in assignment for g in gids)
            assignment[gid] = "holdout" if held < round((placed + 1) * HOLDOUT_SHARE) else "dev"
    dev = [i for i in items if assignment[group_of(i["id"])] == "dev"]
    holdout = [i for i in items if assignment[group_of(i["id"])] == "holdout"]
    return dev, holdout, dict(sorted(assignment.items()))


def stable_hash(text: str) -> str:
    return hashlib.sha256(f"{SEED}:{text}".encode()).hexdigest()


def build() -> tuple[list[dict], list[dict], dict[str, str]]:
    real = read_jsonl(HERE / "real.jsonl")
    manual = read_jsonl(HERE / "variants_manual.jsonl")
    by_id = {r["id"]: r for r in real}
    for m in manual:
        parent = by_id[group_of(m["id"])]
        m.setdefault("source", parent["source"])
        m.setdefault("expected", parent["expected"])
        if m["expected"] != parent["expected"]:
            raise ValueError(f"{m['id']}: a variant keeps its parent's label")
        m["kind"] = "variant"
    items = [{k: i[k] for k in FIELDS} for i in real + manual + generated_variants(by_id)]
    split_path = HERE / "split.json"
    frozen = json.loads(split_path.read_text(encoding="utf-8")) if split_path.exists() else {}
    return split(items, frozen)


def dump(items: list[dict]) -> str:
    return "".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items)


def main(argv: list[str]) -> int:
    dev, holdout, assignment = build()
    wanted = {
        HERE / "dev.jsonl": dump(dev),
        HERE / "holdout.jsonl": dump(holdout),
        HERE / "split.json": json.dumps(assignment, indent=0) + "\n",
    }
    if "--check" in argv:
        stale = [
            p.name
            for p, text in wanted.items()
            if not p.exists() or p.read_text(encoding="utf-8") != text
        ]
        if stale:
            print("out of date:", ", ".join(stale), "- run python tests/eval/make_variants.py")
            return 1
        return 0
    for path, text in wanted.items():
        path.write_text(text, encoding="utf-8")
    print(f"dev: {len(dev)} items, holdout: {len(holdout)} items")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
