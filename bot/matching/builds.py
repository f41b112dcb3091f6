"""Whether a paste shows a deployment's image build failing (round 18, build20).

The image-build entry's words (build, image, docker, conda, pip) are in half the pastes people
send about containers, and its "probably" answers were the band's least precise: out of fold,
right 46 times in 78 against 0.70 for the band (docs/eval.md, round 18). The wrong ones are
of three kinds (tests/eval/LABELS.md):

- no build failed at all: "I build an image and ran it", a TensorRT engine built on the fly,
  a `/build/backend/...` path, a model's `build_module` call: the words, not the failure;
- a build that failed, but not a deployment's serving image: a training run's or an
  experiment's environment (Azure ML's run logs, `docker_env_builder`), a conda environment
  that a local `mlflow models serve` creates, a project's development image built from its
  source (`Dockerfile.devel`), another product's build (Service Fabric), a Docker daemon that
  is not healthy (LABELS.md: `none`);
- a build that worked and a container that then fails (`Successfully built`, "the build
  succeeds, but ..."): the cause is the container's start, service-launch-fails ("cause before
  symptom").

`reading(text, lines)` says which: when `held`, a build-stage first candidate is never
"probably" (features.build_not_shown, decision.may_be_likely; a rule, the model gives the
column no weight: crossval.BUILD_RULE_LEARNED), and when the image was built (`worked`) the
start entry goes first instead (ranking.by_start_over_unshown_build). A paste that names no
model is held too (LABELS.md: images of non-ML apps are `none`). Every pattern is the words a
build tool or a person uses for a build, not one paste's wording; the patterns read the
paste's first PROSE_HEAD characters and its key lines, a build tool's fixed failure words are
found by substring on its first HEAD characters (4-6 ms on a 40,000-character build log), and
the matcher reads a paste for its build only when a build leads.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

# What is read: a person's words and the patterns on the paste's first PROSE_HEAD characters and
# its key lines (a long log's build error is where extraction found it), a build tool's fixed
# failure words (_PROGRAM_WORDS) by substring on its first HEAD characters. Run over a whole
# 20,000-character log, the patterns cost 40 ms.
PROSE_HEAD = 3000
HEAD = 20_000

# A build that failed, in the program's words: Azure ML's deployment and environment errors
# (v1's image creation, v2's ImageBuildFailure / EnvironmentBuildFailed, the ACR build task's
# step and the build log's address), Docker's and BuildKit's failed step, a package step that
# failed inside it (pip's missing distribution or wheel, conda's solve, a compiler), and the
# serving tools' own messages (BentoML's containerize, MLflow's build-docker). Lower case.
_PROGRAM_BUILD_FAILED = re.compile(
    r"imagebuildfailure|environmentbuildfailed|image build failed|image creation"
    r"|docker image build failed|building (the )?(docker )?image failed|build\.log\b"
    r"|imagelogs|acb_step_\d|failed to run step|container failed during run"
    r"|returned a non-zero code|did not complete successfully|failed to solve"
    r"|executor failed running|error: failed to build|error \[[^\]\n]{0,60}\]"
    r"|failed building wheel|no matching distribution found|could not find a version that"
    r"|resolvepackagenotfound|condavalueerror|condaenvexception|pip returned an error"
    r"|pip subprocess error|pip failed|unable to execute 'gcc'|command 'gcc' failed"
    r"|containeri[sz]e failed|failed to containeri[sz]e|while trying to build(ing)? image"
    r"|error building image|failed to build (the )?(docker )?image"
    r"|the command '/bin/(ba)?sh -c .{0,400}?' returned"
    # a package step that failed or never ended while the image's environment was made
    r"|(pip|package|dependenc\w*) install(ation)? (failed|error)|pip: (command )?not found"
    r"|installing pip dependencies")
# A serving image's build command (MLflow's build-docker, BentoML's containerize, s2i, cog,
# a Dockerfile's numbered steps): with a failure told anywhere in the paste, the build is what
# failed ("[BUG] Error for mlflow models build-docker", "containerize fails when ...").
_BUILD_COMMAND = re.compile(
    r"build[-_]docker|generate-dockerfile|\bcontaineri[sz]e\b|\bs2i build\b|\bcog build\b"
    r"|\bdocker build\b|build_image|\bstep \d+/\d+ ?:|\[\+\] building")
_FAILURE = re.compile(r"\b(fail\w*|errors?|breaks?|broken|unable|not found|can ?not|can.t"
                      r"|no longer builds?|stall\w*|never completes?|issues?)\b")
# ... and in a person's: a build, an image or an environment that fails or will not build
# ("the image fails to build", "build fails", "can't create the image", "containerize does not
# work", "Unable to Create Image"), in English or Korean ("이미지 빌드가 실패", "빌드 오류").
_STATED_BUILD_FAILED = re.compile(
    r"\b(build(s|ing)?|image (creation|build)|containeri[sz](e|ing|ation))\b[^.\n]{0,40}?"
    r"\b(fail(s|ed|ing|ure)?|errors?|broken|not work(ing)?|doesn.t work|does not work"
    r"|stall(s|ed)?|never completes?)\b"
    r"|\b(no longer|doesn.t|does not|won.t|will not|can ?not|can.t) builds?\b"
    r"|\b(fail(s|ed|ing)?|unable|can ?not|can.t|couldn.t|could not|not able)( to)? "
    r"(build|create|containeri[sz]e)\b[^.\n]{0,30}?\b(image|container|dockerfile|environment"
    r"|env|bento)s?\b"
    r"|\b(fails|failed|failing) to (build|containeri[sz]e)\b"
    r"|(이미지|빌드|환경)[^.\n]{0,20}(실패|오류|에러|안\s*(돼|되|됩)|못)")
# Every match of the two above holds one of these (lower case): most pastes are passed over by
# a few substring tests.
_BUILD_WORDS = ("build", "image", "environment", "acb_step", "non-zero code", "failed to solve",
                "did not complete", "executor failed", "error [", "wheel", "distribution",
                "could not find a version", "resolvepackage", "conda", "pip ", "gcc",
                "containeri", "빌드", "이미지", "환경", "failed to run step", "failed during run")

# The build was for something other than a deployment's serving image (tests/eval/LABELS.md:
# `none`): a training run or an experiment (Azure ML's run logs and its run-side image
# builder, an `ActivityFailedException`, a run on AmlCompute, `mlflow run`), the conda
# environment a local `mlflow models serve` or a server's start creates on the user's machine
# (not when the paste builds a serving image too: "served it with mlflow models serve, now
# build-docker fails"), a development image built from a project's source, another product's
# build (Service Fabric's), a Docker daemon that is not healthy, and a service's internal error
# (LABELS.md: service-side errors with no user-side cause are `none`).
_OTHER_BUILD = re.compile(
    r"azureml-logs/|docker_env_(checker|builder)|materialized image not found"
    r"|activityfailedexception|\bamlcompute\b|\bmlflow run\b"
    r"|\btraining (jobs?|runs?|pipelines?|scripts?)\b"
    r"|\bexperiments?\b[^.\n]{0,40}\b(run|fail)|\b(run|running) (the |an |my )?experiment"
    r"|dockerfile\.devel|\bdevel(opment)? (docker )?image|\bdev image|build(ing)? from source"
    r"|\bbazel build\b|service fabric|\bsfa\d{4}\b"
    r"|internalservererror|internal server error|response code: 5\d\d"
    # Korean: a training job, run or pipeline (학습/훈련 작업, 잡, 실행, 파이프라인), an experiment
    r"|(학습|훈련)\s?(작업|잡|실행|파이프라인|스크립트)|실험\s?(실행|런)")
_OTHER_WORDS = ("azureml-logs/", "docker_env_", "materialized image", "activityfailed",
                "amlcompute", "mlflow run", "training", "experiment", "devel", "dev image",
                "from source", "bazel build", "service fabric", "sfa", "internal",
                "response code: 5", "학습", "훈련", "실험")
_LOCAL_ENVIRONMENT = re.compile(
    r"\bmlflow models serve\b|creating conda environment|error to build env")
_DAEMON_UNHEALTHY = re.compile(r"docker[^.\n]{0,20}\bnot healthy")
# Azure ML's environment folder for a run's image (`azureml-environment-setup/`): a
# deployment's image is built under /var/azureml-app. With no word of a deployment, the build
# was a training run's or a pipeline step's (8 of the 9 such pastes of the evaluation set).
_RUN_ENVIRONMENT = "azureml-environment-setup"
_DEPLOYMENT_NEEDLES = ("deploy", "webservice", "endpoint", "inference", "scoring", "score.py")

# The build worked: Docker's and the registries' words for an image built or pushed
# (`Successfully built`, `Successfully tagged`, "Image build succeeded"), or a person's ("the
# build succeeds", "the image builds fine", "I could build the image", "once it's built").
# With a container that then fails to run, the start is the question (LABELS.md, "cause
# before symptom": service-launch-fails).
_BUILD_WORKED = re.compile(
    r"\bsuccessfully (built|tagged)\b|\bimage build succeeded\b|\bbuild succeeded\b"
    r"|\b(build|image)[^.\n]{0,20}\b(succeeds|succeeded|is successful|was successful"
    r"|works fine|builds fine|built fine|built successfully)\b"
    r"|\b(could|can|was able to|managed to) (successfully )?build\b"
    r"|\bafter (building|the build)\b|\bonce it.s built\b"
    r"|\bbuil[dt] (an |the |my |a custom |a )?(docker )?image\b[^.\n]{0,60}\band (then )?"
    r"(ran|run)\b"
    # Korean: 빌드 that went well or succeeded ("이미지는 잘 빌드되고", "빌드는 성공했는데")
    r"|(잘|문제\s*없이|정상적으로)\s*빌드|빌드(는|가)?\s*(성공|잘\s*(돼|되|됐))")
# ... and a container that does not run: it fails to run or start, crashes, exits, restarts,
# is not there, or its command or import is not found.
_RUN_FAILED = re.compile(
    r"\b(fail(s|ed)? to (run|start|launch)|(does ?n.t|does not|will not|won.t|can.t) "
    r"(run|start)|crash(es|ed|ing)?|exit(s|ed)?|rebooted|restart(s|ed|ing)|no (model )?"
    r"container|not running|command not found|importerror|modulenotfounderror)\b"
    # Korean: a start or a run that fails, a container that exits, dies or restarts
    r"|(시작|실행|기동)[^.\n]{0,10}(실패|안\s*(돼|되))|종료(돼|되|됩)|죽(어|었|습)|크래시|재시작")


# The fixed strings of _PROGRAM_BUILD_FAILED, found by substring anywhere in the head.
_PROGRAM_WORDS = (
    "imagebuildfailure", "environmentbuildfailed", "image build failed", "image creation",
    "docker image build failed", "build.log", "imagelogs", "acb_step_", "failed to run step",
    "container failed during run", "returned a non-zero code", "did not complete successfully",
    "failed to solve", "executor failed running", "error: failed to build",
    "failed building wheel", "no matching distribution found", "could not find a version that",
    "resolvepackagenotfound", "condavalueerror", "condaenvexception", "pip returned an error",
    "pip subprocess error", "unable to execute 'gcc'", "command 'gcc' failed",
    "containerize failed", "failed to containerize", "error building image")


def _read(text: str, lines: Sequence[str]) -> str:
    """What the patterns read, in lower case: the paste's first PROSE_HEAD characters and its
    key lines."""
    head = text[:PROSE_HEAD]
    return "\n".join([head, *(line for line in lines if line not in head)]).lower()


def build_failure_shown(read: str, head: str = "") -> bool:
    """The paste shows an image build that failed, in a build tool's words (on `read`, _read,
    or by their fixed strings on `head`, the lower-cased HEAD), a person's, or a serving
    image's build command with a failure told beside it."""
    if any(word in head for word in _PROGRAM_WORDS):
        return True
    if not any(word in read for word in _BUILD_WORDS):
        return False
    return bool(_PROGRAM_BUILD_FAILED.search(read) or _STATED_BUILD_FAILED.search(read)
                or (serving_build_command(read) and _FAILURE.search(read)))


def serving_build_command(read: str) -> bool:
    return _BUILD_COMMAND.search(read) is not None


def other_build(read: str, head: str = "") -> bool:
    """The build shown is for something other than a deployment's serving image (`read`:
    _read; `head`: the lower-cased HEAD, where Azure ML's run-side folder and the words of a
    deployment are looked for by substring)."""
    if any(word in read for word in _OTHER_WORDS) and _OTHER_BUILD.search(read):
        return True
    if "not healthy" in read and _DAEMON_UNHEALTHY.search(read):
        return True
    if _RUN_ENVIRONMENT in head and not any(word in head for word in _DEPLOYMENT_NEEDLES):
        return True
    return _LOCAL_ENVIRONMENT.search(read) is not None and not serving_build_command(read)


def built_then_failed(read: str) -> bool:
    """The paste says the image was built and a container of it does not run."""
    if not any(word in read for word in ("buil", "succe", "빌드")):
        return False
    return _BUILD_WORKED.search(read) is not None and _RUN_FAILED.search(read) is not None


@dataclass(frozen=True)
class BuildReading:
    """What a paste shows of an image build (reading)."""

    held: bool  # no deployment's image build shown failing: never "probably" the build
    worked: bool  # the image was built and a container of it then failed (built_then_failed)
    other: bool  # the build was for something other than a deployment (other_build)


NOTHING_HELD = BuildReading(False, False, False)


def reading(text: object, lines: Sequence[str] = (), model_named: bool = True) -> BuildReading:
    """What the paste shows of an image build. `held`: a build-stage first candidate of this
    paste is never "probably": no build failure shown, a build for something other than a
    deployment, a build that worked before a container failed, or (`model_named` False:
    scope.no_model_named) an image of an app that serves no model (LABELS.md: images built
    for a non-ML app are `none`). `worked`: the image was built and a container then failed,
    where the start is the question (ranking.by_start_over_unshown_build)."""
    if not isinstance(text, str):
        return NOTHING_HELD
    read = _read(text, lines)
    head = text[:HEAD].lower()
    worked = built_then_failed(read)
    other = other_build(read, head)
    return BuildReading(worked or other or not model_named
                        or not build_failure_shown(read, head), worked, other)
