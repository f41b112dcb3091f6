"""A failed Azure ML deployment whose paste shows no cause lists the logs procedure
(ranking.by_failed_deployment, stages.failed_deployment).

The set's convention (tests/eval/README.md) labels such a paste with get-deployment-logs: the
SDK's poller said "Operation failed", the person says the endpoint "won't deploy", and reading
the deployment's logs is the next step whatever the cause. The procedure is offered among the
first three, below the diagnoses the paste's words found, never above them; a paste that shows
its cause (an init() traceback, OOMKilled) keeps its ranking, and so do failures of other
products and of other Azure ML operations. Each paste is written in this project's own words,
in the format the software prints; none is an evaluation item.
"""

from __future__ import annotations

from bot.matching.matcher import default_matcher
from bot.matching.ranking import FAILED_DEPLOYMENT_PLACE, by_failed_deployment
from bot.matching.scoring import EntryScore, Evidence
from bot.matching.stages import failed_deployment, failed_deployment_line

LOGS = "get-deployment-logs"

# SDK v2: the poller's failure, the HttpResponseError's detail cut off by the notebook.
V2_POLLER = """\
Creating the deployment for endpoint churn-endpoint-0412 ...
OperationFailed                           Traceback (most recent call last)
File /anaconda/envs/azureml_py310_sdkv2/lib/python3.10/site-packages/azure/core/polling/base_polling.py:789, in LROBasePolling._poll(self)
--> 789     raise OperationFailed("Operation failed or canceled")
OperationFailed: Operation failed or canceled
The above exception was the direct cause of the following exception:
HttpResponseError                         Traceback (most recent call last)
----> 1 ml_client.online_deployments.begin_create_or_update(blue_deployment).result()
Output exceeds the size limit. Open the full output data in a text editor
"""  # noqa: E501 (a notebook's traceback lines are long)
# A person's words and the product's name, no error text at all.
IN_WORDS = ("Managed online endpoint won't deploy: I followed the Azure ML lab, the endpoint "
            "is created but the deployment step fails after 20 minutes. Screenshot attached.")
# The same deployment, with its cause in the paste: the entry script's init() raised.
WITH_CAUSE = """\
ml_client.online_deployments.begin_create_or_update(blue_deployment).result()
azure.core.exceptions.HttpResponseError: (ResourceNotReady) User container has crashed or terminated
Deployment failed. Container logs:
  File "/var/azureml-app/onlinescoring/score.py", line 14, in init
    model = joblib.load(model_path)
ModuleNotFoundError: No module named 'sklearn'
"""
# Other products' and operations' failures: an ARM template, a login, a training job.
ARM_TEMPLATE = """\
az deployment group create --resource-group rg-demo --template-file main.bicep
Deployment failed. Correlation ID: 4f0c2a8e-1b7d-4c55-9a61-0d2f3e6b7c11.
{"code": "DeploymentFailed", "message": "At least one resource deployment operation failed."}
"""
CLI_LOGIN = """\
az ml online-endpoint list -g rg-demo -w ws-demo
ERROR: AADSTS700082: The refresh token has expired due to inactivity. Please run 'az login'.
"""
# A deployment that worked, and a request to it that failed: the request's problem.
CALLED_AFTER_DEPLOY = ("I deployed the model to ACI with Model.deploy() and it is Healthy; "
                       "when I call the scoring URI it returns an error: 502 Bad Gateway")
TRAINING_JOB = """\
az ml job create -f train.yml -g rg-demo -w ws-demo
Execution failed. User process 'python' exited with status code 1.
ValueError: could not convert string to float: 'n/a'
"""


def _ids(text: str) -> list[str]:
    return [match.entry_id for match in default_matcher().match(text, top=3).matches]


def test_the_sdk_poller_failure_lists_the_logs_procedure() -> None:
    assert failed_deployment(V2_POLLER)
    assert LOGS in _ids(V2_POLLER)


def test_a_deployment_that_failed_in_a_persons_words_lists_the_logs_procedure() -> None:
    assert failed_deployment(IN_WORDS)
    assert LOGS in _ids(IN_WORDS)


def test_a_deployment_whose_cause_is_shown_keeps_its_cause_first() -> None:
    assert failed_deployment(WITH_CAUSE)  # the signal fires, the cause decides
    ids = _ids(WITH_CAUSE)
    assert ids[0] == "service-launch-fails"
    assert ids.index(LOGS) > 0 if LOGS in ids else True


def test_other_failures_are_not_deployments_of_ours() -> None:
    for text in (ARM_TEMPLATE, CLI_LOGIN, TRAINING_JOB, CALLED_AFTER_DEPLOY):
        assert not failed_deployment(text), text
        assert failed_deployment_line(text, text.splitlines()) is None


def _scored(entry: int, score: float, *, pattern: bool = False) -> EntryScore:
    span = (0, 5) if pattern else None
    return EntryScore(entry, score, Evidence(score, 4.0, 0, 0, span, "x"), 1, score,
                      pattern_hit=pattern, pattern_found=pattern)


KINDS = ["cause", "symptom", "cause", "cause", "procedure"]


def test_the_procedure_goes_below_the_diagnoses_never_above() -> None:
    ranked = [_scored(0, 45.0), _scored(1, 40.0), _scored(2, 30.0), _scored(3, 20.0)]
    order = by_failed_deployment(ranked, KINDS, [4], failed_line=2)
    assert [item.entry for item in order] == [0, 1, 4, 2, 3]
    assert order[FAILED_DEPLOYMENT_PLACE].score <= 30.0  # no rival to the entries above it
    assert order[FAILED_DEPLOYMENT_PLACE].best.line == 2


def test_a_procedure_found_further_down_is_moved_up_with_a_score_to_show() -> None:
    ranked = [_scored(0, 45.0), _scored(1, 40.0), _scored(2, 30.0), _scored(4, 0.0)]
    order = by_failed_deployment(ranked, KINDS, [4], failed_line=0)
    assert [item.entry for item in order] == [0, 1, 4, 2]
    assert order[2].score == 20.0 and not order[2].explained


def test_alone_when_nothing_else_scored() -> None:
    order = by_failed_deployment([], KINDS, [4], failed_line=-1)
    assert [item.entry for item in order] == [4]


def test_a_listed_procedure_stays_where_it_is_and_a_shown_cause_blocks_it() -> None:
    listed = [_scored(0, 45.0), _scored(4, 30.0)]
    assert by_failed_deployment(listed, KINDS, [4], failed_line=0) == listed
    caused = [_scored(1, 80.0, pattern=True), _scored(0, 45.0), _scored(2, 30.0)]
    assert by_failed_deployment(caused, KINDS, [4], failed_line=0) == caused


def test_a_failure_told_at_the_end_of_a_long_log_is_still_read() -> None:
    # The signal reads windows around each "deploy" (a whole-text search cost 2 ms a long
    # log): the words at the window's edge, and the product named far from them, still count.
    noise = "2026-12-03 08:01:12 INFO scoring worker heartbeat ok\n" * 600
    told = f"azureml-inference-server starting\n{noise}and now we cannot deploy it again"
    assert failed_deployment(told)
    # "undeploy" inside a longer word is no "deploy": the word boundaries of the whole text.
    assert not failed_deployment(f"azureml\n{noise}the undeploy hook failed")
    assert not failed_deployment(f"azureml\n{noise}")
