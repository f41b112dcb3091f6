from bot.matching.matcher import Matcher
from tests.matching_support import small_kb

# These tests state the hand-written rule (confidence.py): the fallback when no model file can
# be used, and one of the learned model's features. The learned decision: test_decision.py.
matcher = Matcher(small_kb(), model=None)


def test_a_clear_error_is_answered() -> None:
    result = matcher.match("pod scorer-7d9f8b6c5-x2kqz\n"
                           "Last State: Terminated  Reason: OOMKilled  Exit Code: 137")
    assert result.answer is not None and result.answer.entry_id == "oom"


def test_a_kill_with_nothing_but_its_own_words_is_not_answered() -> None:
    # Round 10: `OOMKilled` is the kill itself, not a sign of a deployment around it; a pod,
    # a container, the scoring script must show (confidence.serving_around_a_death).
    result = matcher.match("Last State: Terminated  Reason: OOMKilled  Exit Code: 137")
    assert result.matches[0].entry_id == "oom" and result.answer is None


def test_at_most_one_entry_is_confident() -> None:
    result = matcher.match("CrashLoopBackOff\nOOMKilled Exit Code: 137", top=5)
    assert sum(match.confident for match in result.matches) <= 1


def test_two_strong_look_alikes_make_the_bot_abstain() -> None:
    result = matcher.match("CrashLoopBackOff\nOOMKilled\ndied with <Signals.SIGKILL: 9>\n"
                           "Back-off restarting failed container")
    top_two = [match.score for match in result.matches[:2]]
    if abs(top_two[0] - top_two[1]) < 15:
        assert result.answer is None


def test_unrelated_errors_are_not_answered() -> None:
    for text in ("ImagePullBackOff: Back-off pulling image", "AADSTS700016: Application not found",
                 "ResolvePackageNotFound: - python=3.6.2", "hello"):
        assert matcher.match(text).answer is None, text


def test_a_lone_common_word_is_not_enough() -> None:
    assert matcher.match("timeout").answer is None


def test_azure_wrapper_text_alone_is_not_an_answer() -> None:
    # A signature quoting the SDK's wrapper (`{'Azure-cli-ml Version': ..., 'Error': ...}`,
    # "Service deployment polling reached non-successful terminal state") must not decide on
    # those words: any failed deployment prints them, whatever went wrong.
    from bot.knowledge.model import KnowledgeBase
    from tests.matching_support import entry
    kb = KnowledgeBase((
        entry("oom", "{'Azure-cli-ml Version': '1.28.0', 'Error': MemoryError()}", "OOMKilled"),
        entry("crash", "CrashLoopBackOff"),
    ))
    paste = ("ERROR: {'Azure-cli-ml Version': '1.33.0', 'Error': WebserviceException:\n"
             "Message: Received bad response from Resource Provider:\nResponse Code: 404")
    assert Matcher(kb, model=None).match(paste).answer is None


def test_a_status_code_from_the_scoring_call_is_specific() -> None:
    # The code decides between look-alike SDK messages, but only when the paste shows it is the
    # scoring call's answer; the same code from another API stays unanswered.
    from bot.knowledge.model import KnowledgeBase
    from tests.matching_support import entry
    kb = KnowledgeBase((
        entry("timeout", "WebserviceException: Received bad response from service: "
                         "Response Code: 504 (Gateway Timeout) when calling service.run()"),
        entry("bad-gateway", "WebserviceException: Received bad response from service: "
                             "Response Code: 502 Content: b'Replica closed connection'"),
        entry("overload", "WebserviceException: Received bad response from service: "
                          "Response Code: 503 (Service Unavailable) when calling service.run()"),
        # As in a real KB, many entries talk about calling service.run(): those words are common.
        *(entry(f"other-{n}", f"Received widget{n} when calling service.run()")
          for n in range(20)),
    ))
    rule = Matcher(kb, model=None)
    scoring = rule.match("WebserviceException: Received bad response from service: "
                         "Response Code: 504 (Gateway Timeout) when calling service.run()")
    assert scoring.answer is not None and scoring.answer.entry_id == "timeout"
    polling = rule.match("WebserviceException: Received bad response from Resource "
                         "Provider: Response Code: 504 (Gateway Timeout)")
    assert polling.answer is None
