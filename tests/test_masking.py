import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.knowledge.loader import load_knowledge_base
from bot.knowledge.training import default_training_files
from bot.matching.masking import (
    _FULL,
    _MAY_DIFFER,
    _MAY_MATCH,
    _WORDS_KEPT,
    MASK_PATTERNS,
    MaskPattern,
    _alternatives,
    _Needs,
    _replacement,
    mask,
    mask_both,
)


def test_variable_parts_become_placeholders() -> None:
    text = ("2026-11-25T10:00:01.123Z pod scorer-7d9f8b6c5-x2kqz request "
            "3f0c2d9a-1234-4bcd-9876-abcdefabcdef from 10.244.0.12:5001 by bob@example.com "
            "at https://x.example.org/score took 0xdeadbeef")
    assert mask(text) == ("<timestamp> pod <pod> request <uuid> from <ip> by <email> "
                          "at <url> took <hex>")


def test_same_error_on_another_pod_and_time_masks_the_same() -> None:
    first = "2026-11-25 10:00:01 scorer-7d9f8b6c5-x2kqz Back-off restarting failed container"
    second = "2026-11-26 22:13:59 scorer-5c6d7e8f9-abcd1 Back-off restarting failed container"
    assert mask(first) == mask(second)


def test_status_exit_and_signal_codes_are_kept() -> None:
    assert mask("Liveness probe failed: HTTP probe failed with statuscode: 502").endswith("502")
    assert "503" in mask("503 Service Unavailable")
    assert "504" in mask("Response Code: 504")
    assert "137" in mask("Last State: Terminated Reason: OOMKilled Exit Code: 137")
    assert "SIGKILL: 9" in mask("died with <Signals.SIGKILL: 9>")


def test_requests_own_http_error_message_keeps_its_code() -> None:
    # requests' raise_for_status(): "<code> Server Error: <reason> for url: <url>", pasted
    # without the `HTTPError:` in front as often as with it
    assert mask("502 Server Error: Bad Gateway for url: http://h/score").startswith("502 ")
    assert mask("404 Client Error: Not Found for url: http://h/v1").startswith("404 ")
    assert mask("processed 502 rows").endswith("<num> rows")


def test_a_code_after_the_verb_people_use_is_kept_and_a_count_is_not() -> None:
    assert "503" in mask("the predictions API returns a 503 when the queue is full")
    assert "502" in mask("queue-proxy returned 502 with unexpected EOF")
    assert "504" in mask("we keep getting a 504 from the gateway")
    assert mask("the query returns 500 rows") == "the query returns <num> rows"


def test_numbers_that_are_not_codes_are_masked() -> None:
    assert mask("took 503 ms") == "took <num> ms"
    assert mask('File "score.py", line 502, in run') == "File <quoted>, line <num>, in run"


def test_kubernetes_words_and_counts_keep_their_shape() -> None:
    assert mask("0/3 nodes are available: 3 Insufficient nvidia.com/gpu.") == (
        "<num>/<num> nodes are available: <num> Insufficient nvidia.com/gpu.")
    assert mask("CrashLoopBackOff OOMKilled FailedScheduling") == (
        "CrashLoopBackOff OOMKilled FailedScheduling")


def test_keep_words_leaves_quoted_values_and_paths_for_the_scorer() -> None:
    text = "No such file or directory: '/var/azureml-app/azureml-models/m/1/model.pkl'"
    assert mask(text) == "No such file or directory: <quoted>"
    assert "azureml-models" in mask(text, keep_words=True)


def test_pod_names_with_an_all_letter_suffix_are_masked() -> None:
    # Kubernetes draws the hash and suffix from consonants and digits: a suffix without a digit
    # is as much a pod name as one with.
    assert mask("pod scoring-abc12-zzzzz crashed") == "pod <pod> crashed"
    assert mask("pod scoring-abc12-zzzzz crashed") == mask("pod scoring-7d9f8-x2kqz crashed")
    assert mask("Back-off restarting azure-cli-ml") == "Back-off restarting azure-cli-ml"


def test_a_quoted_code_or_reason_is_kept_but_quoted_values_are_masked() -> None:
    # In JSON error bodies the quoted single word is the error's code or reason.
    assert mask('"code": "CrashLoopBackOff",') == '"code": "CrashLoopBackOff",'
    assert mask("state: 'Unhealthy'") == "state: 'Unhealthy'"
    assert mask("name='my-service' message: \"it went wrong\"") == (
        "name=<quoted> message: <quoted>")


# Matches with few of the usual characters (no digit, no slash), which random generation
# seldom builds: an IPv6 address of letters, a pod hash of letters, a Windows path.
UNUSUAL_MATCHES = ["cafe:beef:dead:face:abba:bead:fade:bade", "scorer-deface-abcde",
                   "at C:\\app\\score", "state: 'Unhealthy' value='x'", "bob@example.org",
                   "http://x", "Mon, 25 Nov 2026 10:00:01 GMT", "deadbeef0", "exit code ١٣٧"]


# A pattern's `needs` lets mask() skip texts it cannot match (most KB signatures), and
# mask_both() skip the second pass. Were a `needs` wrong, a text holding a uuid, a path or a
# quoted value would keep it unmasked: so every match hypothesis can generate must hold it.
@pytest.mark.parametrize("pattern", MASK_PATTERNS, ids=lambda pattern: pattern.name)
def test_every_match_of_a_mask_pattern_holds_what_it_needs(pattern: MaskPattern) -> None:
    assert pattern.needs, f"{pattern.name}: say what its matches need (MaskPattern.needs)"
    regex, needs = re.compile(pattern.pattern), re.compile(pattern.needs)

    def holds_what_it_needs(text: str) -> None:
        for found in regex.finditer(text):
            assert needs.search(found.group()), (pattern.name, found.group())

    for text in UNUSUAL_MATCHES:
        holds_what_it_needs(text)
    settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))(
        given(st.from_regex(regex))(holds_what_it_needs))()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([
    "Error", "failed", " ", ": ", "-", "'", '"', "/", "\\", "@", "0", "7", "502", "x", "ab",
    "deadbeef", "2026-11-25", "T10:00:01Z", "pod", "scorer-7d9f8b6c5-x2kqz", "https://",
    "C:\\app", "/var/log", "\n", "a:b:c:d:e:f:1:2", "café", "१२"]), max_size=20).map("".join))
def test_mask_both_is_the_two_masks(text: str) -> None:
    assert mask_both(text) == (mask(text), mask(text, keep_words=True))


def test_text_with_nothing_to_mask_comes_back_as_it_was() -> None:
    plain = "ModuleNotFoundError: No module named azureml while loading the scoring script"
    assert mask(plain) == mask(plain, keep_words=True) == plain
    assert mask("exit code ١٣٧ after 𝟻 retries") != "exit code ١٣٧ after 𝟻 retries"


def _kb_and_pool_texts() -> list[str]:
    """The shipped signatures and every line of every labelled paste: the texts mask() sees."""
    texts = [signature for found in load_knowledge_base(extra="") for signature in
             found.signatures]
    for path in default_training_files():
        for row in path.read_text(encoding="utf-8").splitlines():
            if row.strip():
                texts += json.loads(row)["text"].splitlines()
    return texts


# mask() asks _MAY_MATCH (and mask_both() _MAY_DIFFER) with two searches, one-character needs
# first: were the split to drop an alternative (the IPv6 need's letters-only form), a text that
# holds only that would come back unmasked. Same answer as the needs' one alternation.
@pytest.mark.parametrize("needs", [_MAY_MATCH, _MAY_DIFFER], ids=["may_match", "may_differ"])
def test_the_needs_check_answers_as_the_needs_alternation(needs: _Needs | None) -> None:
    assert needs is not None
    texts = [*UNUSUAL_MATCHES, *_kb_and_pool_texts(), "", "a", "abcd:ef01:2:3:4:5:6",
             "cafe:beef:dead:face:abba:bead:fade", "state: ok", "ZqabError: zqcd while zqef"]
    assert any(needs.combined.search(text) for text in texts)
    assert not all(needs.combined.search(text) for text in texts)
    for text in texts:
        assert needs.search(text) == bool(needs.combined.search(text)), text
    letters_only = "cafe:beef:dead:face:abba:bead:fade:bade"
    assert needs.search(letters_only) == bool(needs.combined.search(letters_only))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([
    "Error", " ", ":", "a", "F", "0", "9", "-", "'", '"', "/", "\\", "@", "cafe", "beef:",
    "zq", "é", "\n", "١"]), max_size=30).map("".join))
def test_the_needs_check_answers_as_the_alternation_on_generated_text(text: str) -> None:
    for needs in (_MAY_MATCH, _MAY_DIFFER):
        assert needs is not None
        assert needs.search(text) == bool(needs.combined.search(text))


def test_a_needs_alternative_is_cut_at_the_top_level_only() -> None:
    assert _alternatives(r"\d|(?:[0-9a-fA-F]{1,4}:){7}") == [r"\d", r"(?:[0-9a-fA-F]{1,4}:){7}"]
    assert _alternatives(r"/|\\") == ["/", r"\\"]
    assert _alternatives(r"a(?:b|c)|[|]|\|") == ["a(?:b|c)", "[|]", r"\|"]


# An ASCII text is masked only by the patterns whose `holds` groups it holds (masking._selected):
# were a group wrong, a timestamp or a quoted value in such a text would stay unmasked.
@pytest.mark.parametrize("pattern", MASK_PATTERNS, ids=lambda pattern: pattern.name)
def test_every_ascii_match_of_a_mask_pattern_holds_its_groups(pattern: MaskPattern) -> None:
    assert pattern.holds, f"{pattern.name}: say which characters its matches hold"
    regex = re.compile(pattern.pattern)

    def holds_its_groups(text: str) -> None:
        for found in regex.finditer(text):
            if found.group().isascii():
                for group in pattern.holds:
                    assert set(found.group()) & set(group), (pattern.name, found.group(), group)

    for text in UNUSUAL_MATCHES:
        holds_its_groups(text)
    settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))(
        given(st.from_regex(regex))(holds_its_groups))()


def _full_masks(text: str) -> tuple[str, str]:
    """Both masks by the combined regexes of every pattern, as mask() ran before round 16."""
    return _FULL.sub(_replacement, text), _WORDS_KEPT.sub(_replacement, text)


def test_the_masks_are_the_full_regexes_on_the_kb_and_every_labelled_paste() -> None:
    for text in [*UNUSUAL_MATCHES, *_kb_and_pool_texts()]:
        assert (mask(text), mask(text, keep_words=True)) == _full_masks(text), text
        assert mask_both(text) == _full_masks(text), text


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from([
    "Error", " ", ": ", ":", ".", "-", "'", '"', "/", "\\", "@", "0", "7", "12", "502", "137",
    "exit code ", "x", "ab", "deadbeef", "2026-11-25", "T10:00:01Z", "10.0.0.1", "bob@x.org",
    "scorer-7d9f8b6c5-x2kqz", "https://h", "C:\\app", "/var/log", "=", "(", "\n", "Mon", "3s",
    "a:b:c:d:e:f:1:2", "0x1f", "sha256:", "café"]), max_size=24).map("".join))
def test_the_masks_are_the_full_regexes_on_generated_text(text: str) -> None:
    assert (mask(text), mask(text, keep_words=True)) == _full_masks(text)
    assert mask_both(text) == _full_masks(text)
