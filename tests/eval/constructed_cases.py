"""The broken scoring scripts and server set-ups that make_constructed.py runs, one per case.

Every case breaks one thing on purpose, so its label is known by construction (LABELS.md). A
case says what it breaks (`what`, copied into the item's `source` and `note`), the label, the
score.py, the request, and how the person who pastes the result saw it (`client`):

* "curl": the tail of the server log, then what `curl -i` printed for one scoring request (the
  shape of most pastes from a local test or a deployment log with a failing call);
* "python": only the traceback of a Python client calling the scoring URI (what someone whose
  own code calls the endpoint pastes);
* "none": only the server log (the server did not get as far as a request, or a request would
  reach another process).

`client_view` also records the curl output alone as `<name>-client`: the client's view without
the server's log, which is all a caller of somebody else's endpoint has.
"""

from __future__ import annotations

from dataclasses import dataclass, field

GET_MODEL_PATH = "function-fails-get_model_path"
LAUNCH = "service-launch-fails"
RUN_INPUT = "function-fails-runinput_data"
SERVER = "azure-machine-learning-inference-http-server"


@dataclass(frozen=True)
class Case:
    name: str  # id suffix
    what: str  # what was broken, for `source` and `note`
    expected: str
    script: str = ""  # score.py; empty: no score.py is written
    body: str = '{"data": [[1, 2, 3]]}'
    content_type: str = "application/json"
    env: dict[str, str] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)  # extra files in the model folder
    app_files: dict[str, str] = field(default_factory=dict)  # extra files beside score.py
    prepare: str = ""  # Python run by the server's interpreter in the model folder first
    server_args: tuple[str, ...] = ("--entry_script", "score.py")
    model_dir: bool = True  # pass --model_dir (a deployment always sets AZUREML_MODEL_DIR)
    client: str = "curl"  # "curl" | "python" | "none"
    client_view: bool = False
    hold_port: bool = False  # another process already listens on the server's port
    log_lines: int = 60  # how much of the log's tail the person pastes
    note: str = ""  # why the label, when another reading is defensible


GOOD_RUN = """
def run(raw_data):
    return {"result": json.loads(raw_data)["data"]}
"""

# A scikit-learn model trained on four features, saved the way a training job registers it.
SKLEARN_MODEL = """
import joblib
from sklearn.linear_model import LogisticRegression
features = [[0.0, 0.0, 0.0, 0.0], [1.0, 1.0, 1.0, 1.0], [0.0, 1.0, 0.0, 1.0], [1.0, 0.0, 1.0, 0.0]]
joblib.dump(LogisticRegression().fit(features, [0, 1, 0, 1]), "model.joblib")
"""

SKLEARN_SCORE = """
import json, os
import joblib
import numpy as np

def init():
    global model
    model = joblib.load(os.path.join(os.environ["AZUREML_MODEL_DIR"], "model.joblib"))

def run(raw_data):
    data = np.array(json.loads(raw_data)["data"])
    return model.predict(data).tolist()
"""

SCHEMA_SCORE = """
import numpy as np
from inference_schema.schema_decorators import input_schema, output_schema
from inference_schema.parameter_types.numpy_parameter_type import NumpyParameterType

sample_input = np.array([[1.0, 2.0, 3.0, 4.0]])
sample_output = np.array([0.5])

def init():
    pass

@input_schema("data", NumpyParameterType(sample_input))
@output_schema(NumpyParameterType(sample_output))
def run(data):
    return data.sum(axis=1)
"""

INIT_CASES = (
    Case("model-path-missing", "init() opens a model file that is not in AZUREML_MODEL_DIR",
         GET_MODEL_PATH, """
import json, os, pickle

def init():
    global model
    model_path = os.path.join(os.getenv("AZUREML_MODEL_DIR"), "model.pkl")
    with open(model_path, "rb") as handle:
        model = pickle.load(handle)
""" + GOOD_RUN),
    Case("model-subfolder-missing", "init() looks for the model in a sub-folder that the "
         "registered model does not have", GET_MODEL_PATH, """
import json, os

def init():
    global model
    model_dir = os.path.join(os.environ["AZUREML_MODEL_DIR"], "outputs", "model")
    model = sorted(os.listdir(model_dir))
""" + GOOD_RUN, files={"model.onnx": "not really a model"}),
    Case("joblib-model-missing", "init() joblib.load()s a file name the registered model does not "
         "have (it holds model.joblib, the script asks for sklearn_model.pkl)", GET_MODEL_PATH, """
import json, os
import joblib

def init():
    global model
    model = joblib.load(os.path.join(os.environ["AZUREML_MODEL_DIR"], "sklearn_model.pkl"))
""" + GOOD_RUN, prepare=SKLEARN_MODEL),
    Case("onnx-model-missing", "init() opens an ONNX model that is not in AZUREML_MODEL_DIR "
         "(onnxruntime's own error)", GET_MODEL_PATH, """
import json, os
import onnxruntime

def init():
    global session
    path = os.path.join(os.environ["AZUREML_MODEL_DIR"], "model", "model.onnx")
    session = onnxruntime.InferenceSession(path, providers=["CPUExecutionProvider"])
""" + GOOD_RUN),
    Case("model-relative-path", "init() loads the model by a path relative to the working "
         "directory instead of AZUREML_MODEL_DIR", GET_MODEL_PATH, """
import json
import joblib

def init():
    global model
    model = joblib.load("outputs/model.joblib")
""" + GOOD_RUN, prepare=SKLEARN_MODEL),
    Case("get-model-path-missing", "init() asks azureml-core's Model.get_model_path for a model "
         "name that is not under AZUREML_MODEL_DIR", GET_MODEL_PATH, """
import json
import joblib
from azureml.core.model import Model

def init():
    global model
    model = joblib.load(Model.get_model_path("credit-default-model"))
""" + GOOD_RUN, prepare=SKLEARN_MODEL),
    Case("model-dir-not-set", "the server is started without --model_dir, so AZUREML_MODEL_DIR "
         "is unset and init() joins None into the model path", SERVER, """
import json, os
import joblib

def init():
    global model
    model = joblib.load(os.path.join(os.getenv("AZUREML_MODEL_DIR"), "model.joblib"))
""" + GOOD_RUN, model_dir=False,
         note="borderline: function-fails-get_model_path (init() fails on the model path); the "
              "banner's 'Model Directory: None' says the fix is the server's --model_dir"),
    Case("import-missing-package", "score.py imports a package the environment does not have",
         LAUNCH, """
import json
import lightgbm

def init():
    global model
    model = lightgbm.Booster(model_file="model.txt")
""" + GOOD_RUN),
    Case("import-name-error", "score.py imports a name its package does not define",
         LAUNCH, """
import json
from json import load_model

def init():
    global model
    model = load_model("model.json")
""" + GOOD_RUN),
    Case("import-helper-module-missing", "score.py imports a helper module of the project that was "
         "not uploaded with it (the code folder holds only score.py)", LAUNCH, """
import json
from preprocessing import clean_features

def init():
    pass

def run(raw_data):
    return clean_features(json.loads(raw_data)["data"])
"""),
    Case("syntax-error", "score.py has a syntax error", LAUNCH, """
import json

def init()
    global model
    model = None
""" + GOOD_RUN),
    Case("name-error-at-import", "score.py uses a name it never defined at module level",
         LAUNCH, """
import json

MODEL_NAME = model_name_from_config("config.yml")

def init():
    pass
""" + GOOD_RUN),
    Case("init-raises", "init() raises while loading (a bad configuration value)",
         LAUNCH, """
import json, os

def init():
    global threshold
    threshold = float(os.environ.get("SCORE_THRESHOLD", "high"))
""" + GOOD_RUN),
    Case("init-name-error", "init() calls a function the script never defined", LAUNCH, """
import json, os

def init():
    global model
    model = load_model(os.environ["AZUREML_MODEL_DIR"])
""" + GOOD_RUN),
    Case("pickle-class-missing", "the pickled model refers to a class of the training script that "
         "score.py does not define", LAUNCH, """
import json, os, pickle

def init():
    global model
    with open(os.path.join(os.environ["AZUREML_MODEL_DIR"], "model.pkl"), "rb") as handle:
        model = pickle.load(handle)
""" + GOOD_RUN, prepare="""
import pickle

class ChurnModel:
    def predict(self, rows):
        return [0 for _ in rows]

with open("model.pkl", "wb") as handle:
    pickle.dump(ChurnModel(), handle)
""", note="borderline: function-fails-get_model_path reads 'model' in the message, but the file "
          "is found; the scoring code lacks the class"),
    Case("no-init", "score.py defines run() but no init()", LAUNCH, """
import json
""" + GOOD_RUN),
    Case("no-run", "score.py defines init() but no run()", LAUNCH, """
def init():
    global model
    model = None
"""),
    Case("run-star-args", "run() is declared with *args, which the server refuses at start-up",
         LAUNCH, """
import json

def init():
    pass

def run(*inputs):
    return {"result": [json.loads(item)["data"] for item in inputs]}
"""),
    Case("rawhttp-and-schema", "run() carries both @rawhttp and @input_schema, which the server "
         "refuses at start-up", LAUNCH, """
import numpy as np
from azureml_inference_server_http.api.aml_request import rawhttp
from inference_schema.schema_decorators import input_schema
from inference_schema.parameter_types.numpy_parameter_type import NumpyParameterType

def init():
    pass

@rawhttp
@input_schema("data", NumpyParameterType(np.array([[1.0, 2.0, 3.0]])))
def run(data):
    return data.tolist()
"""),
    Case("init-never-returns", "init() never returns (waits forever on a resource)",
         LAUNCH, """
import json, threading

def init():
    threading.Event().wait()
""" + GOOD_RUN),
    Case("init-memory-error", "init() allocates an array larger than the machine's memory "
         "(numpy raises MemoryError)", "vm-out-of-memory", """
import json
import numpy as np

def init():
    global embeddings
    # ~372 GiB: more than any machine that runs this script has, so the label holds everywhere
    embeddings = np.zeros((400_000, 250_000), dtype=np.float32)
""" + GOOD_RUN, note="borderline: service-launch-fails (init() raises); the cause is memory"),
)

RUN_CASES = (
    Case("run-raises", "run() raises on the request's data (a missing key)", RUN_INPUT, """
import json

def init():
    pass

def run(raw_data):
    features = json.loads(raw_data)["features"]
    return {"result": features}
""", client_view=True),
    Case("run-key-data", "the request uses the managed endpoint's input_data layout while run() "
         "reads 'data'", RUN_INPUT, """
import json

def init():
    pass
""" + GOOD_RUN, body='{"input_data": {"columns": ["a", "b", "c"], "data": [[1, 2, 3]]}}'),
    Case("run-body-not-json", "the request body is CSV and run() json.loads() it", RUN_INPUT, """
import json

def init():
    pass
""" + GOOD_RUN, body="1,2,3", content_type="text/csv"),
    Case("run-shape-error", "run() feeds the model data of the wrong shape", RUN_INPUT, """
import json

def init():
    global weights
    weights = [0.5, 0.25]

def run(raw_data):
    rows = json.loads(raw_data)["data"]
    return [sum(w * x for w, x in zip(weights, row, strict=True)) for row in rows]
"""),
    Case("sklearn-feature-count", "the request has 3 features, the scikit-learn model was trained "
         "on 4", RUN_INPUT, SKLEARN_SCORE, prepare=SKLEARN_MODEL),
    Case("sklearn-string-features", "the request sends strings where the scikit-learn model "
         "expects numbers", RUN_INPUT, SKLEARN_SCORE, prepare=SKLEARN_MODEL,
         body='{"data": [["low", "high", "medium", "low"]]}'),
    Case("numpy-reshape", "run() reshapes the request into rows of 4 values, the request has 3",
         RUN_INPUT, """
import json
import numpy as np

def init():
    pass

def run(raw_data):
    data = np.array(json.loads(raw_data)["data"]).reshape(-1, 4)
    return data.sum(axis=1).tolist()
"""),
    Case("rawhttp-wrong-attribute", "a @rawhttp run() reads request.body, which a Flask request "
         "does not have", RUN_INPUT, """
import json
from azureml_inference_server_http.api.aml_request import rawhttp

def init():
    pass

@rawhttp
def run(request):
    return {"result": json.loads(request.body)["data"]}
"""),
    Case("rawhttp-get-json-text", "a @rawhttp run() calls request.get_json() on a text/plain "
         "request", RUN_INPUT, """
from azureml_inference_server_http.api.aml_request import rawhttp

def init():
    pass

@rawhttp
def run(request):
    return {"result": request.get_json()["data"]}
""", content_type="text/plain"),
    Case("schema-parameter-missing", "an @input_schema('data') run() gets a body without 'data' "
         "(the server answers 400 itself)", RUN_INPUT, SCHEMA_SCORE,
         body='{"input_data": [[1.0, 2.0, 3.0, 4.0]]}', client_view=True),
    Case("schema-wrong-content-type", "an @input_schema run() gets a request that is not "
         "application/json (the server answers 415)", RUN_INPUT, SCHEMA_SCORE,
         body='{"data": [[1.0, 2.0, 3.0, 4.0]]}', content_type="text/plain", client_view=True),
    Case("schema-shape-mismatch", "an @input_schema run() with a (1, 4) numpy sample gets rows of "
         "3 values", RUN_INPUT, SCHEMA_SCORE, body='{"data": [[1.0, 2.0, 3.0]]}'),
    Case("run-wrong-signature", "run() takes two required parameters", RUN_INPUT, """
import json

def init():
    pass

def run(raw_data, threshold):
    return {"result": json.loads(raw_data)["data"], "threshold": threshold}
"""),
    Case("run-not-serialisable", "run() returns a value JSON cannot encode (a set)",
         RUN_INPUT, """
import json

def init():
    pass

def run(raw_data):
    return {"labels": set(json.loads(raw_data)["data"][0])}
"""),
    Case("run-too-slow", "run() takes longer than the scoring timeout (SCORING_TIMEOUT_MS=1000)",
         "http-status-code-504", """
import json, time

def init():
    pass

def run(raw_data):
    time.sleep(5)
    return {"result": json.loads(raw_data)["data"]}
""", env={"SCORING_TIMEOUT_MS": "1000"}, client_view=True),
    Case("run-slower-than-worker-timeout", "run() takes longer than gunicorn's worker timeout "
         "(WORKER_TIMEOUT=3), so the worker is killed in the middle of the request",
         "http-status-code-504", """
import json, time

def init():
    pass

def run(raw_data):
    time.sleep(30)
    return {"result": json.loads(raw_data)["data"]}
""", env={"WORKER_TIMEOUT": "3"}, log_lines=150),  # the abort's stack dump is long
    Case("client-read-timeout", "run() takes 30 s and the caller's own read timeout is 5 s (the "
         "caller's view only)", "http-status-code-504", """
import json, time

def init():
    pass

def run(raw_data):
    time.sleep(30)
    return {"result": json.loads(raw_data)["data"]}
""", client="python"),
    Case("run-segfault", "run() crashes the worker process in native code (a segmentation fault) "
         "in the middle of the request", "http-status-code-502", """
import ctypes, json

def init():
    pass

def run(raw_data):
    ctypes.string_at(0)  # what a broken native extension does
    return {"result": json.loads(raw_data)["data"]}
""", note="ambiguous: behind a deployment's front end the caller gets 502; locally curl sees an "
          "empty reply"),
)

SERVER_CASES = (
    Case("port-in-use", "another process already listens on the server's port", SERVER,
         "import json\n\ndef init():\n    pass\n" + GOOD_RUN, hold_port=True, client="none"),
    Case("no-entry-script", "the server is started with neither --entry_script nor "
         "--config_file", SERVER, server_args=(), client="none"),
    Case("entry-script-env-wrong", "AZUREML_ENTRY_SCRIPT names a file that does not exist "
         "(scoring.py; the code folder holds score.py)", LAUNCH,
         "import json\n\ndef init():\n    pass\n" + GOOD_RUN,
         env={"AZUREML_ENTRY_SCRIPT": "scoring.py"}, server_args=("--config_file", "config.json"),
         app_files={"config.json": '{"AZUREML_LOG_LEVEL": "INFO"}'},
         note="borderline: azure-machine-learning-inference-http-server when the server is run "
              "by hand; in a deployment it is the deployment's scoring-script setting"),
    Case("entry-script-unset-main", "a config file without an entry script, so the server "
         "looks for main.py, which the code folder does not have", LAUNCH,
         "import json\n\ndef init():\n    pass\n" + GOOD_RUN,
         server_args=("--config_file", "config.json"),
         app_files={"config.json": '{"AZUREML_LOG_LEVEL": "INFO"}'}),
    Case("config-file-invalid", "the server's --config_file is not valid JSON", SERVER,
         "import json\n\ndef init():\n    pass\n" + GOOD_RUN,
         server_args=("--entry_script", "score.py", "--config_file", "config.json"),
         app_files={"config.json": '{"SCORING_TIMEOUT_MS": 60000,}'}),
    Case("config-value-invalid", "SCORING_TIMEOUT_MS is '60s', not a number of milliseconds",
         SERVER, "import json\n\ndef init():\n    pass\n" + GOOD_RUN,
         env={"SCORING_TIMEOUT_MS": "60s"},
         note="borderline: http-status-code-504 explains the same setting, but nothing timed "
              "out; the server refuses its own configuration"),
    Case("debug-port-without-debugpy", "AZUREML_DEBUG_PORT is set to attach a debugger, but "
         "debugpy is not installed", "advanced-debugging",
         "import json\n\ndef init():\n    pass\n" + GOOD_RUN, env={"AZUREML_DEBUG_PORT": "5678"}),
)

CASES = INIT_CASES + RUN_CASES + SERVER_CASES
