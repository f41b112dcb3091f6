"""Round 18 (build20): "probably the image build fails" needs a deployment's build shown failing.

Out of fold, the image-build entry's "probably" answers were right 46 times in 78 (the band:
0.70). The wrong ones: pastes where no build failed ("I built the image and ran it"), builds
that were not a deployment's serving image (a training run's environment, a local `mlflow
models serve` conda environment, a development image built from source, a web app's image:
tests/eval/LABELS.md `none`), and images that were built and pushed fine before a container
failed to start (LABELS.md, "cause before symptom": service-launch-fails). builds.reading tells
them apart; a build-stage first candidate of such a paste is never "probably"
(features.build_not_shown, decision.may_be_likely), and an image built before its container
failed puts the start entry first (ranking.by_start_over_unshown_build). A real Azure ML
ImageBuildFailure on a deployment is still answered, in English and in Korean. Pastes written
for these tests, not taken from the evaluation set."""

from __future__ import annotations

import pytest

from bot.matching.builds import BuildReading, reading
from bot.matching.decision import TIER_CONFIDENT, TIER_LIKELY, TIER_UNKNOWN, may_be_likely
from bot.matching.features import FEATURE_NAMES
from bot.matching.matcher import default_matcher

# Held back: no build failed at all.
IMAGE_RAN_FINE = ("I built an image of my chatbot and ran it locally, everything worked. After "
                  "deploying it to the cluster the app can't reach the LLM and returns an error.")
# Held back: a training run's environment build (Azure ML's run logs).
TRAINING_BUILD = """Our training run fails before the script starts.
Streaming log file azureml-logs/20_image_build_log.txt
Step 6/14 : RUN conda env create -f conda_dependencies.yml
ResolvePackageNotFound:
  - python=3.5.1
Building docker image failed with exit code: 1"""
TRAINING_BUILD_KO = """학습 작업이 스크립트 시작 전에 실패합니다.
Streaming log file azureml-logs/20_image_build_log.txt
ResolvePackageNotFound:
  - python=3.5.1
Building docker image failed with exit code: 1"""
# The same in a person's Korean words only.
TRAINING_BUILD_KO_WORDS = ("학습 작업을 제출하면 환경 이미지 빌드가 실패해요. "
                           "conda 의존성 설치 단계에서 ResolvePackageNotFound가 나요.")
# Held back: the conda environment a local `mlflow models serve` creates.
LOCAL_SERVE = """mlflow models serve -m runs:/abc/model fails on my laptop:
INFO mlflow.pyfunc.backend: === Creating conda environment mlflow-1234 ===
Solving environment: failed
ResolvePackageNotFound:
  - scikit-learn=0.19.9"""
# Held back: a development image built from a project's source.
DEVEL_IMAGE = """Building the serving image from source fails:
docker build -t me/server-devel -f docker/Dockerfile.devel .
error: command 'gcc' failed with exit status 1"""
# Held back: a web app's image, no model anywhere.
WEB_APP_BUILD = """docker build of our shop's frontend fails:
Step 4/9 : RUN npm ci
npm ERR! code ERESOLVE
The command '/bin/sh -c npm ci' returned a non-zero code: 1"""
# Built and pushed, then the container fails to start: the start entry first.
BUILT_THEN_EXITS = """Step 5/5 : CMD ["python", "-m", "predictor"]
Successfully built 9c1d2e3f4a5b
Successfully tagged registry.example.com/iris-predictor:v3
The image was pushed, but the predictor pod exits right after it starts: /usr/bin/python: No \
module named predictor"""
BUILT_THEN_EXITS_KO = """Successfully built 9c1d2e3f4a5b
Successfully tagged registry.example.com/iris-predictor:v3
이미지는 잘 빌드되고 푸시도 됐는데, 파드가 시작하자마자 종료돼요: /usr/bin/python: No module \
named predictor"""
# Answered: a deployment's image build failing, in Azure ML's words and another tool's.
AML_IMAGE_BUILD_FAILURE = """Deploying my model to a managed online endpoint fails:
(ImageBuildFailure) Error with image build. The build log is available in the workspace blob \
store under the path "/azureml/ImageLogs/1a2b3c/build.log"
Code: ImageBuildFailure
ERROR: Could not find a version that satisfies the requirement scikit-learn==0.19.9"""
AML_IMAGE_BUILD_FAILURE_KO = """관리형 온라인 엔드포인트에 모델을 배포하는데 실패해요:
(ImageBuildFailure) Error with image build. The build log is available under the path \
"/azureml/ImageLogs/1a2b3c/build.log"
ERROR: No matching distribution found for scikit-learn==0.19.9"""
V1_IMAGE_CREATION = """Image creation polling reached non-successful terminal state, \
current state: Failed
Error response from server: StatusCode: 400 Message: Docker image build failed.
The command '/bin/sh -c conda env update -f /var/azureml-app/conda.yaml' returned a non-zero \
code: 1"""
BENTO_CONTAINERIZE = """bentoml containerize iris_classifier:latest fails:
ERROR: failed to solve: process "/bin/sh -c pip install -r requirements.txt" did not complete \
successfully: exit code: 1"""

TRAINING_BUILD_WORDS = ("When I submit a training job, the environment image build fails. "
                        "conda gives ResolvePackageNotFound in the dependency step.")
HELD = [IMAGE_RAN_FINE, TRAINING_BUILD, TRAINING_BUILD_KO, TRAINING_BUILD_WORDS, LOCAL_SERVE,
        DEVEL_IMAGE]
# A deployment's build in a person's Korean words: not held (its tier is the model's).
DEPLOYMENT_BUILD_KO_WORDS = ("온라인 엔드포인트에 배포할 때 이미지 빌드가 실패해요. "
                             "ResolvePackageNotFound가 나요.")
ANSWERED = [AML_IMAGE_BUILD_FAILURE, AML_IMAGE_BUILD_FAILURE_KO, V1_IMAGE_CREATION,
            BENTO_CONTAINERIZE]


@pytest.mark.parametrize("text", [TRAINING_BUILD, TRAINING_BUILD_KO, TRAINING_BUILD_KO_WORDS,
                                  LOCAL_SERVE, DEVEL_IMAGE])
def test_a_build_that_is_not_a_deployments_is_held(text: str) -> None:
    assert reading(text) == BuildReading(held=True, worked=False, other=True)


def test_no_build_failure_shown_is_held() -> None:
    assert reading(IMAGE_RAN_FINE) == BuildReading(held=True, worked=False, other=False)


def test_an_image_of_an_app_serving_no_model_is_held() -> None:
    assert not reading(WEB_APP_BUILD).held, "a build failure shown, of no other kind"
    assert reading(WEB_APP_BUILD, model_named=False).held


@pytest.mark.parametrize("text", [BUILT_THEN_EXITS, BUILT_THEN_EXITS_KO])
def test_an_image_built_before_its_container_failed(text: str) -> None:
    assert reading(text) == BuildReading(held=True, worked=True, other=False)


@pytest.mark.parametrize("text", ANSWERED)
def test_a_deployments_build_failing_is_not_held(text: str) -> None:
    assert reading(text) == BuildReading(held=False, worked=False, other=False)


def test_a_deployments_build_in_korean_words_is_not_held() -> None:
    assert not reading(DEPLOYMENT_BUILD_KO_WORDS).held


def test_a_training_build_in_korean_words_is_not_sure() -> None:
    # build20 alone left this sure (the KB's own Korean pattern 이미지 ... 빌드 ... 실패 matches
    # at full strength, and the sure tier is not this rule's); with scope20's training setting
    # (학습) held back too, it is listed, as its English twin is.
    assert reading(TRAINING_BUILD_KO_WORDS).held
    assert _first(TRAINING_BUILD_KO_WORDS)[1] != TIER_CONFIDENT


def test_not_a_string() -> None:
    assert not reading(None).held


def _first(text: str) -> tuple[str, str, list[float]]:
    matcher = default_matcher()
    assessment = matcher.assess(text)
    match = matcher.match(text).matches[0]
    return match.entry_id, match.tier, assessment.rows[0]


@pytest.mark.parametrize("text", [*HELD, WEB_APP_BUILD])
def test_held_builds_are_listed_never_probably(text: str) -> None:
    entry, tier, row = _first(text)
    if entry == "image-build-fails":
        assert row[FEATURE_NAMES.index("build_not_shown")] == 1.0
        assert not may_be_likely(row)
        assert tier != TIER_LIKELY
    assert tier != TIER_CONFIDENT or entry != "image-build-fails"


@pytest.mark.parametrize("text", [BUILT_THEN_EXITS, BUILT_THEN_EXITS_KO])
def test_built_then_exits_puts_the_start_first(text: str) -> None:
    ranked = [match.entry_id for match in default_matcher().match(text).matches]
    assert ranked[0] == "service-launch-fails"
    assert "image-build-fails" in ranked


@pytest.mark.parametrize("text", ANSWERED)
def test_a_deployments_image_build_failure_is_still_answered(text: str) -> None:
    entry, tier, row = _first(text)
    assert entry == "image-build-fails"
    assert row[FEATURE_NAMES.index("build_not_shown")] == 0.0
    assert tier in (TIER_CONFIDENT, TIER_LIKELY)


def test_only_a_build_stage_first_candidate_carries_the_column() -> None:
    matcher = default_matcher()
    assessment = matcher.assess(TRAINING_BUILD)
    column = FEATURE_NAMES.index("build_not_shown")
    assert matcher.index.entry_stages[assessment.ranked[0].entry] == "build"
    assert [row[column] for row in assessment.rows] == [1.0] + [0.0] * (len(assessment.rows) - 1)


def test_held_build_is_not_a_setting_to_name() -> None:
    """setting_unseen's "nothing here shows a deployment" is not said of a held build."""
    result = default_matcher().match(TRAINING_BUILD)
    assert not result.setting_unseen
    assert result.matches[0].tier == TIER_UNKNOWN


def test_the_full_model_does_not_learn_the_column() -> None:
    """A rule, not a feature (crossval.BUILD_RULE_LEARNED False): the shipped model's weight on
    the column is 0, so it is the model it would be without the rule."""
    from bot.knowledge.crossval import BUILD_RULE_LEARNED
    from bot.matching.decision import shipped_model

    model = shipped_model()
    assert model is not None
    if not BUILD_RULE_LEARNED:
        assert model.weights[FEATURE_NAMES.index("build_not_shown")] == 0.0
