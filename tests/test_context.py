"""The paste-context model (bot/matching/context.py): what it learns, what it refuses to learn,
its file."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from bot.knowledge.check import context_problems
from bot.knowledge.crossval import assess_all, teach_context
from bot.knowledge.evaluation import EvalItem
from bot.knowledge.loader import load_knowledge_base
from bot.matching.context import (
    ContextFileError,
    context_path,
    fit_context,
    paste_terms,
    read_context,
    write_context,
)
from bot.matching.decision import model_path
from bot.matching.matcher import Matcher

# Pastes written for this test in the style of real reports: the same symptom (a pod that
# keeps restarting, a 502) in settings the KB answers and in settings it does not.
OURS = [
    "Warning  BackOff  kubelet  Back-off restarting failed container scorer in pod {n}\n"
    "azureml-fe returned 502 for the online endpoint's deployment blue",
    "AksWebservice deployment failed: the container of service churn-{n} crashed in init()",
    "kubectl describe pod triton-{n}: Readiness probe failed, the model server pod restarts",
    "Online deployment failed: ResourceNotReady, the user container of endpoint {n} exited",
]
THEIRS = [
    "SageMaker endpoint invocation failed: ModelError received from primary container {n}",
    "Heroku app crashed: H10 App crashed, desktop client shows 502 Bad Gateway {n}",
    "Feature request: it would be nice if the CLI could print the training run {n} epochs",
    "My Electron desktop app is killed with exit 137 on a laptop while indexing {n}",
]


def corpus(repositories: int) -> tuple[list[frozenset[str]], list[bool], list[str]]:
    pastes, labels, groups = [], [], []
    for number in range(repositories):
        for text in OURS:
            pastes.append(paste_terms(text.format(n=number)))
            labels.append(True)
            groups.append(f"ours/{number}")
        for text in THEIRS:
            pastes.append(paste_terms(text.format(n=number)))
            labels.append(False)
            groups.append(f"theirs/{number}")
    return pastes, labels, groups


def test_the_setting_around_the_same_symptom_decides() -> None:
    model = fit_context(*corpus(4))
    aks, heroku = model.answerable([
        paste_terms("AksWebservice scorer: the pod returned 502, deployment failed"),
        paste_terms("Heroku: H10 App crashed, the desktop client got 502 Bad Gateway"),
    ])
    assert aks > 0.5 > heroku


def test_words_of_fewer_than_three_repositories_teach_nothing() -> None:
    pastes, labels, groups = corpus(4)
    # One project's own name, in each of its none pastes: it must not become a none word.
    pastes = [terms | {"quuxhub"} if group == "theirs/0" else terms
              for terms, group in zip(pastes, groups, strict=True)]
    model = fit_context(pastes, labels, groups)
    assert "quuxhub" not in model.vocabulary and "sagemaker" in model.vocabulary


def test_the_file_round_trips_and_kb_check_refuses_a_broken_one(tmp_path: Path) -> None:
    model = fit_context(*corpus(3))
    path = tmp_path / "context.json"
    write_context(model, path)
    again = read_context(path)
    probe = [paste_terms("SageMaker ModelError from the primary container")]
    assert np.allclose(again.answerable(probe), model.answerable(probe), atol=1e-5)
    assert context_problems(path) == []
    data = json.loads(path.read_text(encoding="utf-8"))
    data["weights"] = data["weights"][:-1]
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ContextFileError, match="one finite weight each"):
        read_context(path)
    assert "paste context model" in context_problems(path)[0].where
    data["format_version"] = 99
    path.write_text(json.dumps(data), encoding="utf-8")
    assert "retrain" in context_problems(path)[0].message
    assert "does not exist" in context_problems(tmp_path / "missing.json")[0].message


# ----- what a user sees (the shipped models, trained by `kb train`)

# "our API", not "our web app": since round 15 a paste naming a web app and nothing served is
# not "probably" ours by another feature (scope.web_app_only), and this paste is here for what
# the context model alone does.
FRONT_DOOR = ("Azure Front Door returns 504 Gateway Timeout: OriginTimeout, the origin (our API "
              "on a VM) did not respond within 30 seconds. Please check the origin response "
              "timeout setting")
AZURE_ML = {
    "service-launch-fails": (
        "Instance status:\nSystemSetup: Succeeded\nUserContainerImagePull: Succeeded\n"
        "ModelDownload: Succeeded\nUserContainerStart: InProgress\nContainer events:\n"
        "Kind: Pod, Name: Pulling\nReadiness probe failed: HTTP probe failed with statuscode: "
        "502\nmanaged online endpoint deployment blue never gets ready"),
    "vm-out-of-memory": (
        "kubectl describe pod churn-scorer-7d9f8b6c5-x2kqz\n    Last State:     Terminated\n"
        "      Reason:       OOMKilled\n      Exit Code:    137\n"
        "my AKS web service keeps restarting after deploy"),
    "container-cannot-be-scheduled": (
        "Deployment failed: Couldn't Schedule because the kubernetes cluster didn't have "
        "available resources after trying for 00:05:00."),
}


@pytest.fixture(scope="module")
def matchers() -> tuple[Matcher, Matcher]:
    kb = load_knowledge_base(extra="")
    return Matcher(kb), Matcher(kb, context=None)


def test_another_products_gateway_timeout_is_not_probably_ours(
        matchers: tuple[Matcher, Matcher]) -> None:
    # A CDN in front of a web app on a VM says "504 Gateway Timeout" as the scoring route
    # does; the words around it (origin, web app, portal wording) are those of pastes the KB
    # does not answer. Before round 9 this was "probably the scoring timeout" (p 0.39).
    # From round 16 nothing in it shows a model served either (scope.no_model_served), which
    # alone keeps it from "probably"; the context still lowers its probability (0.21 -> 0.07).
    shipped, without_context = matchers
    first = shipped.match(FRONT_DOOR).matches[0]
    assert first.entry_id == "http-status-code-504" and first.tier == "unknown"
    assert without_context.match(FRONT_DOOR).matches[0].probability > first.probability


@pytest.mark.parametrize("expected", sorted(AZURE_ML))
def test_azure_ml_and_kubernetes_pastes_stay_confident(
        matchers: tuple[Matcher, Matcher], expected: str) -> None:
    shipped, _ = matchers
    first = shipped.match(AZURE_ML[expected]).matches[0]
    assert (first.entry_id, first.tier) == (expected, "confident")


def test_kb_train_writes_the_context_model_beside_the_decision_model() -> None:
    # The shipped one, read by every matcher at start, learned from the same pastes.
    shipped = json.loads(context_path().read_text(encoding="utf-8"))
    decision = json.loads(model_path().read_text(encoding="utf-8"))
    assert shipped["training_data_sha256"] == decision["training_data_sha256"]
    assert context_problems() == [] and len(read_context(context_path()).vocabulary) > 1000


def test_the_context_model_learns_only_from_pastes_with_a_lead_of_their_own() -> None:
    # Round 15 (ctx16): a question with no error words ("how do I rotate my laptop's
    # wallpaper") is told from an answerable paste by words a "probably" never shows; the
    # model learns from pastes whose own first candidate found something (crossval._has_lead).
    kb = load_knowledge_base(extra="")
    items = []
    for number in range(4):
        source = f"https://github.com/owner{number}/repo{number}/issues/1"
        items.append(EvalItem(f"oom{number}", AZURE_ML["vm-out-of-memory"], "vm-out-of-memory",
                              source, "real"))
        items.append(EvalItem(f"front{number}", FRONT_DOOR, "none", source, "real"))
        items.append(EvalItem(f"chat{number}", "how do I rotate my laptop wallpaper quickly",
                              "none", source, "real"))
    data = assess_all(items, Matcher(kb, context=None), precedents=False)
    model = teach_context(data)
    assert model is not None
    assert "wallpaper" not in model.vocabulary and "oomkilled" in model.vocabulary
