"""Cause before symptom, diagnosis before procedure, and the evidence a confident answer needs."""

from __future__ import annotations

from dataclasses import replace

from bot.knowledge.loader import load_knowledge_base
from bot.knowledge.model import KnowledgeBase
from bot.matching.matcher import Matcher, default_matcher
from bot.matching.precedents import PrecedentIndex, paste_words
from bot.matching.ranking import CAUSE_MIN, by_precedents
from bot.matching.scoring import EntryScore, Evidence
from tests.matching_support import entry


def _kb(*, kinds: bool) -> KnowledgeBase:
    entries = (
        entry("crash", "CrashLoopBackOff", "Back-off restarting failed container"),
        entry("oom", "OOMKilled", "lastState: terminated: exitCode: 137 reason: OOMKilled",
              "died with <Signals.SIGKILL: 9>"),
        entry("model-path", "ModelNotFoundException: Model not found in cache or in root"),
        entry("logs", "how do I get the logs of my webservice with service.get_logs()"),
    )
    if not kinds:
        return KnowledgeBase(entries)
    kind = {"crash": "symptom", "logs": "procedure"}
    return KnowledgeBase(tuple(replace(item, kind=kind.get(item.id, "cause"))
                               for item in entries))


CRASH_WITH_OOM = ("my-model-6c9f7d8b5-qwxzt   0/1   CrashLoopBackOff   6   10m\n"
                  "    Last State: terminated\n"
                  "      Reason: OOMKilled\n")


def test_a_cause_in_the_same_paste_ranks_above_its_symptom() -> None:
    # Without kinds the crash loop (the louder line) may win; with them the cause must. The
    # hand rule (model=None) judges the margin: the explained symptom is no rival. (The shipped
    # model's thresholds are learnt on the shipped KB, not on this four-entry one.)
    result = Matcher(_kb(kinds=True), model=None).match(CRASH_WITH_OOM)
    assert result.matches[0].entry_id == "oom"
    assert result.answer is not None and result.answer.entry_id == "oom"


def test_only_the_kind_moves_a_cause_above_a_louder_symptom() -> None:
    text = ("CrashLoopBackOff\nBack-off restarting failed container\n"
            "ModelNotFoundException: Model not found in cache")
    plain = Matcher(_kb(kinds=False)).match(text)
    kinded = Matcher(_kb(kinds=True)).match(text)
    assert plain.matches[0].entry_id == "crash"  # the rule is what moves it
    assert kinded.matches[0].entry_id == "model-path"


def test_a_symptom_alone_stays_the_answer() -> None:
    result = Matcher(_kb(kinds=True)).match("Back-off restarting failed container")
    assert result.answer is not None and result.answer.entry_id == "crash"


def test_an_error_that_mentions_logs_is_not_a_logs_question() -> None:
    text = ("Model not found in cache or in root\n"
            "how do I get the logs of my webservice with service.get_logs()")
    assert Matcher(_kb(kinds=False)).match(text).matches[0].entry_id == "logs"
    assert Matcher(_kb(kinds=True)).match(text).matches[0].entry_id == "model-path"


def test_a_logs_question_is_still_answered_by_the_procedure() -> None:
    result = Matcher(_kb(kinds=True)).match(
        "how do I get the logs of my webservice with service.get_logs()?")
    assert result.matches[0].entry_id == "logs"


def test_sigkill_outside_a_deployment_is_not_answered() -> None:
    matcher = Matcher(_kb(kinds=True))
    pip = ("Command '['python3', '-m', 'pip', 'install', 'ml-2.14.0-py3-none-any.whl']' "
           "died with <Signals.SIGKILL: 9>.")
    assert matcher.match(pip).answer is None
    assert matcher.match(pip).matches[0].entry_id == "oom"  # still ranked, just not sure


def test_sigkill_in_a_deployment_is_answered() -> None:
    text = ("gunicorn worker for score.py on the deployment died with <Signals.SIGKILL: 9>")
    result = Matcher(_kb(kinds=True)).match(text)
    assert result.answer is not None and result.answer.entry_id == "oom"


def test_exit_code_137_names_the_kill_even_beside_a_crash_loop() -> None:
    # 137 = 128 + SIGKILL(9) in every program: weighed like a rare word, not like an HTTP status.
    paste = ("bert-predictor-7d97bb994c-mvllp   0/2   CrashLoopBackOff   6   10m\n"
             "      lastFailureInfo:\n        exitCode: 137\n")
    kb = KnowledgeBase(tuple(replace(item, kind="symptom" if item.id == "crash" else "cause")
                             for item in (entry("crash", "CrashLoopBackOff"),
                                          entry("oom", "OOMKilled", "Exit Code: 137"),
                                          entry("other", "Exit Code: 1 from the trainer"))))
    assert Matcher(kb).match(paste).matches[0].entry_id == "oom"


def test_exit_code_137_of_a_training_job_is_not_answered() -> None:
    # The pattern matches, but a pattern's words (what it matched in the paste) are judged like
    # a signature's: a process killed outside a deployment is not ours to answer.
    kb = KnowledgeBase((entry("oom", "OOMKilled",
                              "Last State: Terminated Reason: OOMKilled Exit Code: 137",
                              patterns=(r"(?i)exit(ed with)? code:? 137\b",)),
                        entry("crash", "CrashLoopBackOff")))
    training = Matcher(kb).match("error: exit code 137 while running the training job step")
    assert training.answer is None
    assert [m.tier for m in training.matches][:1] in ([], ["unknown"])
    # The same code in a deployment is shown. Since round 6 the model, trained on the spent
    # holdouts too, rates a bare exit code as "probably" rather than sure: 4 of the 5 pastes
    # there whose best evidence was a process dying on its own were other hosts' (labelled none).
    deployment = Matcher(kb).match("scoring container of the deployment: exit code 137")
    assert [(m.entry_id, m.tier != "unknown") for m in deployment.matches][:1] == [("oom", True)]


def test_a_procedure_is_no_rival_to_a_strong_diagnosis() -> None:
    # The error names a start-up crash; that the server entry also knows the import error does
    # not make the two a look-alike the bot cannot tell apart.
    kb = KnowledgeBase((
        replace(entry("crash", "Error in entry script, ImportError: cannot import name",
                      "CrashLoopBackOff"), kind="symptom"),
        replace(entry("server", "ImportError: cannot import name 'Markup' from 'jinja2'"),
                kind="procedure"),
    ))
    paste = ('"code": "CrashLoopBackOff",\n'
             "Error in entry script, ImportError: cannot import name 'Markup' from 'jinja2'")
    result = Matcher(kb).match(paste)
    assert [match.score for match in result.matches] == [100.0, 100.0]  # a tie on score
    assert result.answer is not None and result.answer.entry_id == "crash"


def _staged_kb(*, stages: bool) -> KnowledgeBase:
    entries = (
        entry("scheduling", "0/2 nodes are available: 2 Insufficient cpu.",
              patterns=(r"\bFailedScheduling\b", r"\d+/\d+ nodes are available")),
        entry("crash", "Back-off restarting failed container",
              patterns=(r"(?i)back-off restarting failed container",
                        r'File "/var/azureml-app/[^"]*\.py", line \d+, in <module>')),
    )
    stage = {"scheduling": "schedule", "crash": "start"} if stages else {}
    kind = {"scheduling": "cause", "crash": "symptom"}
    return KnowledgeBase(tuple(replace(item, kind=kind[item.id], stage=stage.get(item.id, ""))
                               for item in entries))


PASSED_SCHEDULING = (
    "Warning  FailedScheduling  12m  default-scheduler  "
    "0/2 nodes are available: 2 Insufficient cpu.\n"
    "Normal   Scheduled         10m  default-scheduler  "
    "Successfully assigned azureml/scorer-7d9 to aks-1\n"
    "Warning  BackOff           2m   kubelet            Back-off restarting failed container\n"
    '  File "/var/azureml-app/score.py", line 4, in <module>\n'
    "ImportError: cannot import name 'joblib' from 'sklearn.externals'\n")


def test_a_later_stage_shows_an_earlier_warning_passed() -> None:
    # Without stages the scheduling cause overtakes the crash loop (cause above symptom); with
    # them, a container that crashed was scheduled: the crash is the answer.
    plain = Matcher(_staged_kb(stages=False)).match(PASSED_SCHEDULING)
    # The hand rule judges the margin (see above): the passed stage is history, not a rival.
    staged = Matcher(_staged_kb(stages=True), model=None).match(PASSED_SCHEDULING)
    assert plain.matches[0].entry_id == "scheduling"
    assert staged.matches[0].entry_id == "crash"
    assert staged.answer is not None and staged.answer.entry_id == "crash"


def test_a_word_in_a_sentence_does_not_prove_a_later_stage() -> None:
    text = ("the pod is Pending, maybe it restarts too\n"
            "0/2 nodes are available: 2 Insufficient cpu.")
    assert Matcher(_staged_kb(stages=True)).match(text).matches[0].entry_id == "scheduling"


def test_shipped_kb_answers_the_crash_not_a_scheduling_warning_that_passed() -> None:
    # Ranked first and shown; the learned decision rates it likely, not confident
    # (docs/eval.md, "What limits it").
    first = default_matcher().match(PASSED_SCHEDULING).matches[0]
    assert first.entry_id == "service-launch-fails" and first.tier in ("confident", "likely")


def test_shipped_kb_answers_the_crash_not_the_build_on_an_aci_crash_with_image_pulls() -> None:
    text = ("Aci Deployment failed with exception: Your container application crashed. This may be "
            "caused by errors in your scoring file's init() function.\n"
            '"events": "Pulling image myws.azurecr.io/azureml/azureml_3f2e; Successfully pulled '
            'image myws.azurecr.io/azureml/azureml_3f2e; Started container"\n'
            "Failed to pull image: container registry authorization failure, retrying\n")
    result = default_matcher().match(text)
    assert result.matches[0].entry_id == "service-launch-fails"


def _passed_kb() -> KnowledgeBase:
    # The crash entry has no pattern here: nothing of its own proves the start stage, only the
    # scheduler's "Successfully assigned" line says scheduling is over.
    return KnowledgeBase((
        replace(entry("scheduling", "0/3 nodes are available: 3 Insufficient cpu.",
                      patterns=(r"\bFailedScheduling\b",)), kind="cause", stage="schedule"),
        replace(entry("crash", "Error in entry script, ImportError: cannot import name"),
                kind="symptom", stage="start"),
    ))


FAILED_SCHEDULING = ("Warning  FailedScheduling  3m  default-scheduler  "
                     "0/3 nodes are available: 3 pod has unbound immediate PersistentVolumeClaims.")
ASSIGNED = ("Normal   Scheduled  2m  default-scheduler  "
            "Successfully assigned azureml/scorer-1 to aks-nodepool1-0")
ENTRY_SCRIPT = "Error in entry script, ImportError: cannot import name 'Markup' from 'jinja2'"


def test_a_scheduling_warning_the_scheduler_then_resolved_is_history() -> None:
    passed = Matcher(_passed_kb()).match("\n".join((FAILED_SCHEDULING, ASSIGNED, ENTRY_SCRIPT)))
    waiting = Matcher(_passed_kb()).match("\n".join((FAILED_SCHEDULING, ENTRY_SCRIPT)))
    assert passed.matches[0].entry_id == "crash"
    assert waiting.matches[0].entry_id == "scheduling"  # the assignment line is what moves it


def test_an_assignment_before_the_warning_does_not_resolve_it() -> None:
    # A pod assigned earlier and a new replica that cannot be placed now: still stuck.
    text = "\n".join((ASSIGNED, FAILED_SCHEDULING, ENTRY_SCRIPT))
    assert Matcher(_passed_kb()).match(text).matches[0].entry_id == "scheduling"


def test_shipped_kb_puts_the_entry_script_error_above_a_resolved_scheduling_warning() -> None:
    text = "\n".join((FAILED_SCHEDULING, ASSIGNED, ENTRY_SCRIPT + ", please run "
                      "print(service.get_logs()) to get details."))
    assert default_matcher().match(text).matches[0].entry_id == "service-launch-fails"


def test_a_plain_gunicorn_app_that_fails_to_boot_is_not_answered_confidently() -> None:
    # `Worker failed to boot.` is what any gunicorn app prints; only the Azure ML serving stack
    # around it (the v1 runtime's "Killing image", its /var/azureml-server frames) makes it ours.
    flask = ("[2021-03-02 10:00:01 +0000] [10] [INFO] Booting worker with pid: 10\n"
             "[2021-03-02 10:00:01 +0000] [10] [ERROR] Exception in worker process\n"
             "ModuleNotFoundError: No module named 'myapp'\n"
             "[2021-03-02 10:00:01 +0000] [10] [INFO] Worker exiting (pid: 10)\n"
             "gunicorn.errors.HaltServer: <HaltServer 'Worker failed to boot.' 3>")
    azure = ('  File "/var/azureml-server/app.py", line 21, in <module>\n    import flask\n'
             "ModuleNotFoundError: No module named 'flask'\nWorker exiting (pid: 37)\n"
             "Shutting down: Master\nReason: Worker failed to boot.\n"
             "2020-04-10T23:50:01,108392716+00:00 - Exit code 3 is not normal. Killing image.")
    assert default_matcher().match(flask).answer is None
    first = default_matcher().match(azure).matches[0]
    assert first.entry_id == "service-launch-fails" and first.tier in ("confident", "likely")


def test_an_init_container_crash_loop_is_not_the_server_failing_to_start() -> None:
    # KServe's storage initializer downloading the model is an init container: the model
    # server never ran, so its start-up crash is not the sure answer (tests/eval/README.md).
    # Round 10: the bare line is rated "probably the failed start", not "unknown": the spent
    # holdout's h2-kserve-2037 (the same `kubectl get pods` line, labelled before that
    # convention, and labels are never edited) teaches it, and each retrain since round 9
    # has put it either side of the likely threshold. A rule making it unknown was measured
    # and left out (docs/eval.md, round 10, merged): it moved the thresholds and answered
    # one more unrelated paste confidently.
    init = ("sklearn-iris-predictor-00001-deployment-5d8f9c-x7k2p   0/2     "
            "Init:CrashLoopBackOff   7          14m")
    server = "my-scorer-6c9f7d8b5-qwxzt   0/1     CrashLoopBackOff   7          14m"
    assert default_matcher().match(init).answer is None
    assert default_matcher().match(server).answer is not None


def _start_kb() -> KnowledgeBase:
    # The start entry has no signature a start-up log's INFO lines could meet: only the rule
    # can bring it in.
    return KnowledgeBase((
        replace(entry("crash", "Error in entry script, ImportError: cannot import name"),
                kind="symptom", stage="start"),
        replace(entry("timeout", "the scoring request timed out after 60 seconds",
                      "curl: (28) Operation timed out"), kind="cause", stage="serve"),
    ))


def _server_log(*, init_returned: bool) -> str:
    lines = ["2026-11-30 09:00:00,001 I [9] gunicorn.error - Booting worker with pid: 9",
             "2026-11-30 09:00:01,002 I [9] azmlinfsrv.user_script - Found user script at "
             "/var/azureml-app/score.py",
             "2026-11-30 09:00:01,003 I [9] azmlinfsrv.user_script - Invoking user's init "
             "function"]
    if init_returned:
        lines.append("2026-11-30 09:00:04,210 I [9] azmlinfsrv.user_script - Users's init has "
                     "completed successfully")
    lines.append("curl: (28) Operation timed out after 60001 milliseconds with 0 bytes received")
    return "\n".join(lines)


def test_init_called_and_never_returned_before_a_timeout_is_a_start_failure() -> None:
    # The scoring-timeout entry matched the curl line; the start entry matched nothing. The
    # container was still in init() when the request gave up: the start is the answer.
    result = Matcher(_start_kb(), model=None).match(_server_log(init_returned=False))
    assert [match.entry_id for match in result.matches][:2] == ["crash", "timeout"]


def test_a_timeout_after_init_returned_stays_a_scoring_timeout() -> None:
    result = Matcher(_start_kb(), model=None).match(_server_log(init_returned=True))
    assert result.matches[0].entry_id == "timeout"


def test_shipped_kb_answers_an_init_that_never_returned_with_the_start_failure() -> None:
    result = default_matcher().match(_server_log(init_returned=False))
    assert result.matches[0].entry_id == "service-launch-fails"
    assert default_matcher().match(
        _server_log(init_returned=True)).matches[0].entry_id != "service-launch-fails"


# Earlier reports, as people word them, of a Triton model that fails to load at start-up for a
# reason other than a missing file (an engine built for another GPU or TensorRT version: the
# failed start), of a model file missing from a model repository, and of unrelated problems.
# Each from its own tracker, so their shared words count (precedents.MIN_GROUPS).
EARLIER_REPORTS = [
    ("failed to load 'vit' version 1: Internal: unable to load plan file, the TensorRT engine "
     "was built on a different GPU", "service-launch-fails", "https://github.com/a/one"),
    ("tritonserver exits: failed to load 'whisper' version 2: Internal: the engine plan file "
     "is not compatible with this version of TensorRT", "service-launch-fails",
     "https://github.com/b/two"),
    ("E0101 model_lifecycle.cc:626] failed to load 'gpt' version 1: Internal: unable to load "
     "plan file, the GPU does not support this engine", "service-launch-fails",
     "https://github.com/c/three"),
    ("repository directory /data/resnet/1 empty: no onnx weights in it",
     "function-fails-get_model_path", "https://github.com/d/four"),
    ("conda solve failed: package libgcc is missing from the channel", "none",
     "https://github.com/g/seven"),
    ("pip install failed: no matching distribution for torch", "none",
     "https://github.com/h/eight"),
    ("the notebook kernel died while loading the dataset into a dataframe", "none",
     "https://github.com/i/nine"),
]
# A TensorRT engine built for another GPU: the server cannot load the model it was started
# with. The model-file entry's Triton signature ("failed to load ...") shares its first words,
# the failed start's its "failed to load" and "Internal": two weak, near candidates, and the
# earlier reports name only the second.
ENGINE_FOR_ANOTHER_GPU = (
    "E0903 11:20:05.412310 1 model_lifecycle.cc:626] failed to load 'llama_trt' version 1: "
    "Internal: unable to load plan file: the TensorRT engine was built for a different GPU "
    "(sm_86), this device is sm_75")


def _reports_index(plain: Matcher, rows: list[tuple[str, str, str]]) -> PrecedentIndex:
    """The precedent index of labelled (text, label, source) reports, in the scorer's words."""
    return PrecedentIndex.build([paste_words(plain.survey(text).paste) for text, _, _ in rows],
                                [label for _, label, _ in rows], [source for *_, source in rows])


def _shipped_kb_matchers() -> tuple[Matcher, Matcher]:
    kb = load_knowledge_base(extra="")
    plain = Matcher(kb, model=None, precedents=None, context=None)
    return plain, Matcher(kb, model=None, precedents=_reports_index(plain, EARLIER_REPORTS),
                          context=None)


def test_earlier_reports_break_a_weak_leads_near_tie() -> None:
    # The signatures alone put the model-file entry first on a few shared words; how earlier
    # reports worded like this one were resolved decides between the two near candidates.
    plain, with_reports = _shipped_kb_matchers()
    alone = [match.entry_id for match in plain.match(ENGINE_FOR_ANOTHER_GPU).matches]
    assert alone[:2] == ["function-fails-get_model_path", "service-launch-fails"]
    seen = with_reports.match(ENGINE_FOR_ANOTHER_GPU).matches
    assert [match.entry_id for match in seen][:2] == ["service-launch-fails",
                                                      "function-fails-get_model_path"]
    # Still found in the paste (its own signature is the evidence), and far from sure.
    assert seen[0].signature.startswith("tritonserver: error") and seen[0].score < CAUSE_MIN


# Other products' TensorRT engines failing to load (an image generator's extension, a node of
# a desktop tool, a conversion on a laptop): `none`, and worded like the reports above.
LOOK_ALIKE_REPORTS = [
    ("stable diffusion webui: TensorRT engine failed to load, the plan file was built with a "
     "different TensorRT version, export the engine again", "none", "https://github.com/x/webui"),
    ("ComfyUI TensorRT node: failed to load engine plan file, built on a different GPU; "
     "rebuild it in the node", "none", "https://github.com/y/comfy"),
    ("onnx to TensorRT conversion on my laptop: the engine plan file does not load on the "
     "different GPU of the desktop", "none", "https://github.com/z/convert"),
]
WEBUI_ENGINE = ("Stable Diffusion WebUI TensorRT: failed to load the engine: Internal: unable to "
                "load plan file, the engine was built for a different GPU (sm_86) than this one "
                "(sm_75)")


def test_a_lead_the_earlier_reports_moved_is_listed_first_never_probably() -> None:
    # The vote, not the paste, put it first: like an entry only the precedents found, it is a
    # candidate, not an answer (decision.tier's in_paste), whatever the model rates it.
    _, with_reports = _shipped_kb_matchers()
    shipped = Matcher(with_reports.kb, precedents=with_reports.precedents, context=None)
    assert shipped.model is not None
    first = shipped.match(ENGINE_FOR_ANOTHER_GPU).matches[0]
    assert (first.entry_id, first.tier) == ("service-launch-fails", "unknown")


def test_a_look_alike_the_vote_pulls_up_is_not_shown_as_probably() -> None:
    # Another product's engine: most earlier reports worded like it were no problem of ours,
    # some were the failed start. The shipped model rated the failed start "probably" (0.52)
    # once the vote had put it first; put there by the vote, it stays a listed candidate.
    kb = load_knowledge_base(extra="")
    plain = Matcher(kb, model=None, precedents=None, context=None)
    index = _reports_index(plain, EARLIER_REPORTS + LOOK_ALIKE_REPORTS)
    verdict = index.query(plain.survey(WEBUI_ENGINE).words)
    assert 0 < verdict.shares["service-launch-fails"] < verdict.shares["none"]
    assert [match.tier for match in default_matcher().match(WEBUI_ENGINE).matches][:1] \
        == ["unknown"]
    seen = Matcher(kb, precedents=index).match(WEBUI_ENGINE).matches
    assert [(match.entry_id, match.tier) for match in seen][:1] == [
        ("service-launch-fails", "unknown")]


def test_earlier_reports_do_not_reorder_a_lead_with_evidence_of_its_own() -> None:
    # The same engine line beside the model-not-found exception: the exception is the
    # evidence, whatever the reports near the first line were labelled.
    _, with_reports = _shipped_kb_matchers()
    text = (ENGINE_FOR_ANOTHER_GPU + "\nModelNotFoundException: Model not found in cache or in "
            "root at /var/azureml-app/azureml-models/llama_trt/1/model.plan")
    assessed = with_reports.assess(text)
    assert assessed.verdict.shares["service-launch-fails"] > 0.5  # the vote is against it
    assert with_reports.match(text).matches[0].entry_id == "function-fails-get_model_path"


def _scored(entry: int, score: float, *, explained: bool = False) -> EntryScore:
    return EntryScore(entry, score, Evidence(score, 1.0, 0, 0, None, f"sig {entry}"), 1, score,
                      explained=explained)


def test_a_vote_moves_only_a_weak_lead_and_never_an_explained_entry() -> None:
    votes = {0: 0.0, 1: 0.9, 2: 0.0}

    def share(scored: EntryScore) -> float | None:
        return votes[scored.entry]

    weak = [_scored(0, 40.0), _scored(1, 30.0), _scored(2, 20.0)]
    assert [item.entry for item in by_precedents(weak, share)] == [1, 0, 2]
    # A lead at CAUSE_MIN is evidence, not a near-tie.
    strong = [_scored(0, CAUSE_MIN), _scored(1, 30.0), _scored(2, 20.0)]
    assert by_precedents(strong, share) is strong
    # An entry explained by the one above it (a symptom below its cause) is not pulled up.
    explained = [_scored(0, 40.0), _scored(1, 30.0, explained=True), _scored(2, 20.0)]
    assert by_precedents(explained, share) is explained
    # No vote, no move: the order the kinds and stages gave stays, even where the scores
    # are not in order (a cause moved above a louder symptom).
    kinds_order = [_scored(2, 20.0), _scored(0, 40.0)]
    assert by_precedents(kinds_order, share) is kinds_order
    # A lead the vote names too is what earlier reports like this one were: it stays; so does
    # a lead the precedents cannot know (a team's own entry, share None).
    votes[0] = 0.1
    assert by_precedents(weak, share) is weak
    assert by_precedents(weak, lambda scored: None if scored.entry == 0 else 0.9) is weak


def _local_kb() -> KnowledgeBase:
    # A procedure whose signature is a sentence about running the model on one's own machine,
    # and a start-up crash whose signature the paste's failure line covers only in part: both
    # weak, as when a report shares a few words with the local-debugging entry.
    return KnowledgeBase((
        replace(entry("local", "LocalWebservice.deploy_configuration(port=6789) runs the model "
                      "in Docker on my own machine before I deploy it to ACI",
                      patterns=(r"(?i)\bhow (do|can) i\b.{0,40}\b(run|test|debug)\b.{0,40}"
                                r"\blocally\b",)), kind="procedure"),
        replace(entry("crash", "gunicorn worker failed to boot: Exception in worker process, "
                      "exiting with code 3"), kind="symptom", stage="start"),
    ))


WORKER_EXCEPTION = "[2024-05-01 10:00:03 +0000] [52] [ERROR] Exception in worker process"


def test_a_reported_failure_goes_above_a_procedure_that_shares_a_few_words() -> None:
    # "It runs on my machine, not in the deployment" plus the server's own failure line is a
    # report: what failed is the answer, how to run it locally is only a next step.
    text = ("Everything runs in Docker on my own machine, the ACI deployment does not:\n"
            + WORKER_EXCEPTION)
    plain = Matcher(_local_kb(), model=None, precedents=None, context=None)
    assert [match.entry_id for match in plain.match(text).matches] == ["crash", "local"]
    assert Matcher(_local_kb()).match(text).matches[0].entry_id == "crash"


def test_without_a_failure_line_the_procedure_keeps_its_place() -> None:
    # The same sentence with a guess in the person's own words reports no failure of a
    # program: the local run is what the paste is about.
    text = ("Everything runs in Docker on my own machine, the ACI deployment does not. "
            "I guess the gunicorn worker fails there?")
    plain = Matcher(_local_kb(), model=None, precedents=None, context=None)
    assert [match.entry_id for match in plain.match(text).matches] == ["local", "crash"]


def test_a_procedure_its_own_pattern_found_keeps_its_place_beside_a_failure() -> None:
    # The paste asks the question the procedure was written for: the failure line is what the
    # person wants to investigate, and the procedure is how.
    text = ("How can I debug the image locally? The ACI deployment does not start:\n"
            + WORKER_EXCEPTION)
    plain = Matcher(_local_kb(), model=None, precedents=None, context=None)
    assert [match.entry_id for match in plain.match(text).matches] == ["local", "crash"]
