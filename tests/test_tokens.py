"""Words of a text, as the token scorer and the index see them; the shortcut for plain words
must give exactly what the general splitting gives, or weights and scores would move."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.matching.tokens import _split_token, _token_words, words

# Tokens as tokens._WORD finds them: letters and digits joined by `_ - .`, or Hangul.
_ASCII_TOKEN = st.from_regex(r"\A[A-Za-z0-9]{1,12}(?:[_.\-][A-Za-z0-9]{1,8}){0,3}\Z")
_LOWER_WORD = st.from_regex(r"\A[a-z]{1,14}\Z")
_HANGUL = st.from_regex(r"\A[\uac00-\ud7a3]{1,6}\Z")


@settings(max_examples=400, deadline=None)
@given(st.one_of(_ASCII_TOKEN, _LOWER_WORD, _HANGUL))
def test_the_plain_word_shortcut_splits_as_the_general_case(token: str) -> None:
    assert _token_words.__wrapped__(token) == _split_token(token)


def test_compounds_give_their_whole_form_and_parts() -> None:
    assert words("CrashLoopBackOff") == ["crashloopbackoff", "crash", "loop", "back", "off"]
    assert words("nvidia.com/gpu failed") == ["nvidiacom", "nvidia", "com", "gpu", "fail"]
    assert words("로그를 확인") == ["로그", "확인"]


def test_placeholders_are_not_words() -> None:
    assert words("pod <pod> restarted <num> times") == ["pod", "restart", "time"]
    assert words("a <b> c") == words("a   c")
