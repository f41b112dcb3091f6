"""A cause the person only wonders about is no evidence that it happened.

People guess at the cause in the same message that reports the failure, or instead of showing
it: "메모리 문제인지 모르겠어요" (I don't know whether it's memory), "혹시 OOM 때문일까요?",
"메모리 부족인가요?", "not sure if it's a memory issue", "could this be OOM?", "maybe the node
is too small?", "is it a timeout?". The words of the guess (memory, OOM, node, timeout) are the
words of an entry, so a vague description ranked that entry first and the decision model, which
reads a short text with a few rare words, called it "probably" the cause. negation.py reads what
a paste denies; this module reads what it only asks or wonders about.

A hedge covers one clause: the guess, not the report around it. "The pod is OOMKilled, is it
because of the batch size?" states the kill and hedges only the reason; "파드가 OOMKilled
됐는데 배치 크기 때문인지 모르겠어요" the same in Korean. stated_text() blanks the hedged
clauses; the matcher ranks the paste as before and asks whether its first candidate is still
first on the stated text alone (matcher.Survey.stated_first): if not, the guess put it there,
and it stays a listed candidate, never "probably" or sure (decision.ConfidenceModel.tier).

The cues are how people hedge in general, in English and Korean, not any evaluation paste:
- English, from the cue to the end of its clause: "not sure if/whether", "I don't know
  if/whether", "wonder if", "maybe", "perhaps", "possibly", "might/may/could be", "I suspect",
  "any chance"; a yes/no question ("is it a timeout?", "could this be OOM?", "is the node too
  small?"), from its verb to the question mark; a short fragment ending in a question mark
  ("OOM?", "memory issue?").
- Korean, a clause ending in a wondering or asking form: "...인지 모르겠어요", "...인지
  궁금해요", "...인가요", "...일까요", "...걸까요", "...건가요", "...아닐까요", "...일 수도",
  "...일지도", "...의심돼요", "...나요?".
A question about *why* or *how* ("why is my pod OOMKilled?", "왜 OOM이 나는지 모르겠어요")
presupposes the failure it asks about: it is no hedge. Nor is a request for help ("can someone
help?"), nor a line a program printed (a timestamped log line, an exception line, a frame, a
JSON body: gunicorn's "Perhaps out of memory?", Postgres' "Is the server running on host...?").
"""

from __future__ import annotations

import re

from bot.matching.error_lines import EXCEPTION_LINE, line_body

# Where a sentence ends: a terminator followed by a space or the end (not "nvidia.com", "1.5").
_SENTENCE = re.compile(r"[^.!?？。]+(?:[.!?？。]+(?=\s|$)|$)|[.!?？。]+")
# Where a clause ends inside a sentence: a comma, semicolon, colon or dash; English "but"/"and
# so"; a Korean connective ending ("됐는데", "나오는데", "봤지만") followed by a space.
_CLAUSE_BREAK = re.compile(
    r"[,;:，]\s+|\s+[-–—]\s+|\s+(?=(?:but|and so|so)\s)|"
    r"(?<=[는은인던한된났했왔봤갔었였]데)\s+|(?<=지만)\s+|(?<=데도)\s+|"
    r"(?<=[요다])\s+|\s*[\U0001F300-\U0001FAFFㅠㅜ]+\s*")
# English: from the cue to the end of the clause.
_EN_CUE = re.compile(
    r"(?i)\b(?:not|un)\s*(?:sure|certain)\s+(?:if|whether|that|it|it'?s|its|this|about)\b|"
    r"\b(?:don'?t|do not|didn'?t|can'?t|cannot|couldn'?t)\s+(?:really\s+)?"
    r"(?:know|tell|say|figure out|determine|confirm)\s+(?:if|whether)\b|"
    r"\bno idea (?:if|whether)\b|\bwonder(?:ing|ed)?\s+(?:if|whether)\b|"
    r"\b(?:maybe|perhaps|possibly|presumably)\b|"
    r"\b(?:might|may|could)(?:\s+(?:also|possibly|even))?\s+(?:be|have been)\b|"
    r"\b(?:i|we)\s+(?:suspect|guess|assume|presume)\b|\bany chance\b|"
    r"\bis it possible (?:that|it)\b")
# A yes/no question: an auxiliary verb opening its clause, then a subject that is not a
# helper asked for help ("can someone help", "could you take a look" ask for help, not about a
# cause). Only in a sentence ending in a question mark.
_EN_QUESTION = re.compile(
    r"(?i)^(?:(?:so|but|and|or|also|then|hmm+|ok|okay|or maybe)\s+)?"
    r"(?:is|are|was|were|could|can|might|may|would|will|does|do|did|should|has|have)(?:n'?t)?"
    r"\s+(?!(?:you|u|someone|anyone|anybody|somebody|any ?one|one)\b)\w")
# Questions that ask for a fix or for help, which presuppose the failure they are about.
_EN_ASKS_FIX = re.compile(
    r"(?i)^(?:\w+\s+)?(?:is|are) there (?:a|any)\s+(?:\w+\s+)?"
    r"(?:way|fix|solution|workaround|option|setting|known)\b")
_WH = re.compile(r"(?i)\b(?:why|how|what|which|where|when|who)\b|"
                 r"왜|어떻게|어째서|뭐가|무엇|무슨|어디|언제|어떤|뭘")
# Asking for a way to do something, not about a cause: "can I use LocalWebservice?", "should
# we redeploy?", "방법 없나요?", "테스트할 수 있나요?", "LocalWebservice 쓰면 되나요?" (asking.py
# reads these as requests; their words are what the person wants answered).
_ASKS_A_WAY = re.compile(r"(?i)^(?:\w+\s+)?(?:can|could|should|must|do|may|shall)\s+(?:i|we)\b|"
                         r"방법|수\s?(?:있|없)|면\s?(?:되|될|돼)|해야")
# Korean: a clause ending in a wondering or asking form (the cause is hedged, whatever it is).
_KO_CUE = re.compile(
    r"(?:지|는지|인지|건지|한지|된지)\s*(?:잘\s*|정말\s*|확실히\s*)?"
    r"(?:모르|모름|몰라|궁금|확실하지|확실치|확인이 안)|"
    r"(?:인가|일까|걸까|건가|는가|을까|ㄹ까|아닐까|아닌가|그런가|그럴까|한가|된가)(?:요|용)?|"
    r"일\s?수도|일지도|수도\s?있|의심(?:돼|되|됩|스러)|"
    r"(?:나요|까요|가요|죠|지요)\s*[?？]")
# The end of a Korean clause: the cue then at most a few characters of endings and marks
# ("인가요?", "일까요ㅠㅠ", "모르겠어요...", "궁금합니다").
_KO_TAIL = 14
# What a logger prints and a person does not: a level word, a time of day.
_LOGGED = re.compile(r"\b(?:INFO|WARNING|WARN|ERROR|CRITICAL|DEBUG|FATAL|TRACE)\b|"
                     r"\d\d:\d\d:\d\d|\(pid=\d+\)")
# A person's line has a few words of letters (or Hangul) in it.
_PROSE_WORD = re.compile(r"(?<![\w.])[A-Za-z][a-z']+(?![\w(])|[\uac00-\ud7a3]+")
_PROSE_MIN_WORDS = 2
# A line longer than this is a log line, a minified body or code, not a person's sentence (and
# the bound keeps a 100,000-character line from costing the clause scans).
_PROSE_MAX_CHARS = 1000
# A short fragment that is only a question: "OOM?", "memory issue?", "node too small?".
_FRAGMENT_WORDS = 4
_FRAGMENT = re.compile(r"^[A-Za-z][A-Za-z' -]*[?？]+$")


def _program_line(line: str) -> bool:
    """A line a program printed, whose question marks are its own (a log line under a
    collector's timestamp, an exception line, a traceback frame, a JSON body, a line with a
    log level or a time of day), or no sentence at all (code, a stack frame's `0x85?`)."""
    if len(line) > _PROSE_MAX_CHARS:
        return True
    body = line_body(line)
    return (body is not line or bool(EXCEPTION_LINE.match(body))
            or body.lstrip().startswith(("File \"", "{", "\"", "["))
            or bool(_LOGGED.search(line[:120]))
            or len(_PROSE_WORD.findall(line)) < _PROSE_MIN_WORDS)


def _clauses(sentence: str, offset: int) -> list[tuple[int, int]]:
    """(start, end) of each clause of a sentence starting at `offset` of its line."""
    spans = []
    start = 0
    for found in _CLAUSE_BREAK.finditer(sentence):
        spans.append((offset + start, offset + found.start()))
        start = found.end()
    spans.append((offset + start, offset + len(sentence)))
    return [(begin, end) for begin, end in spans if end > begin]


def _korean_hedged(clause: str) -> bool:
    """The clause ends in a Korean wondering or asking form and asks no why or how."""
    tail = clause.rstrip()[-(_KO_TAIL + 12):]
    for found in _KO_CUE.finditer(tail):
        rest = tail[found.end():]
        if len(rest) <= _KO_TAIL and not re.search(r"[A-Za-z0-9]", rest):
            return not (_WH.search(clause) or _ASKS_A_WAY.search(clause))
    return False


def _yes_no_question(clause: str) -> bool:
    """The clause opens a yes/no question about something ("is it a timeout", "could this be
    OOM"), not a why/how question nor a request for a fix or for help."""
    text = clause.strip()
    return bool(_EN_QUESTION.match(text)) and not _WH.search(text) \
        and not _EN_ASKS_FIX.match(text) and not _ASKS_A_WAY.search(text)


def _fragment(clause: str) -> bool:
    """A few words and a question mark, no question word: "OOM?", "memory issue?"."""
    text = clause.strip()
    return bool(_FRAGMENT.match(text)) and len(text.split()) <= _FRAGMENT_WORDS \
        and not _WH.search(text)


def hedged_spans(line: str) -> list[tuple[int, int]]:
    """(start, end) of each hedged part of one line (module docstring)."""
    if _program_line(line):
        return []
    spans: list[tuple[int, int]] = []
    for sentence in _SENTENCE.finditer(line):
        question = bool(re.search(r"[?？]\W*$", sentence.group()))
        clauses = _clauses(sentence.group(), sentence.start())
        for number, (start, end) in enumerate(clauses):
            clause = line[start:end]
            if _korean_hedged(clause):
                spans.append((start, end))
            elif question and _yes_no_question(clause):
                spans.append((start, sentence.end()))  # the rest of the question with it
                break
            elif question and number == len(clauses) - 1 and _fragment(clause):
                spans.append((start, end))
            elif (cue := _EN_CUE.search(clause)) is not None:
                spans.append((start + cue.start(), _through_alternatives(clauses, number, line)))
    return spans


def _through_alternatives(clauses: list[tuple[int, int]], number: int, line: str) -> int:
    """The end of a hedged clause and of the alternatives that follow it ("maybe OOM, or the
    node too small")."""
    end = clauses[number][1]
    for start, following in clauses[number + 1:]:
        if not re.match(r"(?i)\s*(?:or|또는|아니면)\b", line[start:following]):
            break
        end = following
    return end


def stated_text(text: str) -> str | None:
    """`text` with every hedged part blanked (same length, same lines), or None when nothing
    in it is hedged."""
    if not _may_hedge(text):
        return None  # most pastes hedge nothing: a few cheap scans, no line-by-line work
    lines = text.split("\n")
    changed = False
    for number, line in enumerate(lines):
        spans = hedged_spans(line)
        if not spans:
            continue
        changed = True
        chars = list(line)
        for start, end in spans:
            chars[start:end] = " " * (end - start)
        lines[number] = "".join(chars)
    return "\n".join(lines) if changed else None


# Every English cue holds one of these words; every Korean cue holds Hangul.
_EN_CUE_WORDS = ("sure", "certain", "know", "tell", "say", "figure", "determine", "confirm",
                 "idea", "wonder", "maybe", "perhaps", "possibl", "presumably", "might", "may",
                 "could", "suspect", "guess", "assume", "presume", "chance")
_EN_CUE_LOWER = re.compile(_EN_CUE.pattern.removeprefix("(?i)"))
_HANGUL = re.compile(r"[\uac00-\ud7a3]")


def _may_hedge(text: str) -> bool:
    """Anything a hedge needs is in `text`: a question mark, a Korean cue, an English cue.
    Checked cheapest first: one case-insensitive regex of all the cues took 26 ms over a
    40,000-character log (a third of the long paste's budget); plain substring tests, then the
    English regex over the lowered text only when a cue word is there, take well under 1 ms
    on a log and find the same pastes."""
    if "?" in text or "？" in text:
        return True
    if _HANGUL.search(text) and _KO_CUE.search(text):
        return True
    lowered = text.lower()
    return any(word in lowered for word in _EN_CUE_WORDS) \
        and _EN_CUE_LOWER.search(lowered) is not None
