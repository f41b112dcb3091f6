"""Score every KB entry against the key lines of a paste: one number 0..100 per entry.

A signature scores on two views of the same evidence:

- word coverage: how much of the signature's weight (rare words weigh more, see index.py) is
  found together in one place of the paste (a key line, or two neighbouring lines, because
  terminals and Slack wrap long errors);
- shape: rapidfuzz `partial_ratio` of the masked signature against the masked key lines,
  computed for the candidate signatures only, on the lines where their words were found.

Candidates come from the inverted index (signatures sharing weighted words with the paste), so a
knowledge base of 10,000 entries costs a few array additions, not 10,000 fuzzy comparisons.
A signature whose matched words carry little information (`Killed`, `in init`) is damped: it can
rank an entry, but not make the bot sure of it.

A pattern (regular expression) that matches scores PATTERN_SCORE. An entry takes its best
signature or pattern, plus a small bonus for each further, different piece of evidence.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from itertools import accumulate

import numpy as np
from rapidfuzz import fuzz

from bot.matching.arbiter import kills_after_timeout
from bot.matching.banner import evidence_body
from bot.matching.error_lines import line_body
from bot.matching.extraction import Extracted
from bot.matching.index import (
    INFO_FLOOR,
    MIN_TEXT_COVERAGE,
    SCORING_CALL,
    KnowledgeIndex,
    SignatureChoice,
    fuzzy_form,
    signature_forms,
    word_form,
)
from bot.matching.korean import english_words_in, gloss, in_english
from bot.matching.negation import all_denied, denied, names_a_kill, runtime_denies_137

MAX_CANDIDATES = 24  # signatures compared in full per paste
STRONG_EVIDENCE = 2.5  # matched information at which a signature counts fully (~1 rare word)
COVERAGE_SHARE = 0.65  # word coverage vs. fuzzy shape in a signature's score
FUZZY_CUTOFF = 50  # partial_ratio below this counts as 0
PATTERN_SCORE = 95.0  # a pattern whose matched text carries STRONG_EVIDENCE of word weight
UNKNOWN_WORD_WEIGHT = 0.0  # words of a pattern's match that no signature uses (a URL's)
# A signature that mostly repeats another entry's signature (a wrapper message) can rank an
# entry but not decide it: past WRAPPER_SHARED of shared weight, its score falls linearly to
# WRAPPER_FLOOR at full overlap.
WRAPPER_SHARED = 0.5
MISSING_CODE_FACTOR = 0.6  # the signature's status/exit code is not where it matched
WRAPPER_FLOOR = 0.6
PLAIN_LINE_FACTOR = 0.7
# When a paste names an exception (`ModelNotFoundException: ...`), that line is the cause and the
# other error lines around it ("User's init() function failed") are its consequences.
WRAPPER_LINE_FACTOR = 0.92
SUPPORT_BONUS = 2.0  # per extra piece of evidence for the same entry
SUPPORT_MIN = 55.0
MAX_SUPPORT = 3
PATTERN_FLOOR = 0.5
# Evidence that says which problem this is, not only that something failed: a piece scoring at
# least SPECIFIC_MIN carries its matched information into EntryScore.specific. A wrapper
# message can give an entry its top score ("Received bad response from service" beside a 502)
# while the specific evidence (the X-Ms-Run-Function-Failed header) sits on the next lines.
SPECIFIC_MIN = 50.0
# A status code found with the scoring call it answers (index.SCORING_CALL) is evidence
# enough on its own (confidence.MIN_EVIDENCE): `Response Code: 504 ... when calling
# service.run()` is the scoring timeout, however common each of its words is.
SCORING_CODE_INFO = 3.0


@dataclass(frozen=True)
class PreparedPaste:
    lines: tuple[str, ...]  # key lines, unmasked
    fuzzy_lines: tuple[str, ...]  # masked, lower-cased
    line_words: tuple[frozenset[str], ...]  # each line's words
    window_words: tuple[frozenset[str], ...]  # line i with line i+1
    all_words: frozenset[str]
    # 1.0 for lines that carry an error signal; less for plain lines (chat, hints such as
    # "run print(service.get_logs())") when the paste has error lines at all.
    line_factors: tuple[float, ...] = ()
    # word -> windows holding it; window i < len(lines) is line i, len(lines) + i is i and i+1
    windows_by_word: dict[str, tuple[int, ...]] = field(default_factory=dict)
    signals: tuple[float, ...] = ()  # error-ness of each line (extraction.line_signal)
    # Each line's fuzzy form read in English (korean.in_english), "" for a line without
    # Korean: the shape a Korean line has against the English signatures.
    english_lines: tuple[str, ...] = ()
    # Each line's English reading as it reads (korean.in_english, not masked), "" for a line
    # without Korean: what the entries' patterns also read of a Korean line (korean21).
    english_reads: tuple[str, ...] = ()

    @cached_property
    def setting_words(self) -> frozenset[str]:
        """The paste's words with the English of its Korean ones (korean.gloss: "파드" is a
        pod), read by each deployment check (confidence.py): glossed once a paste."""
        return self.all_words | gloss(self.all_words)

    @cached_property
    def _lowered(self) -> tuple[str, list[int]]:
        """The key lines lower-cased and joined by newlines, and where each starts in it."""
        lowered = [line.lower() for line in self.lines]
        starts = list(accumulate((len(line) + 1 for line in lowered[:-1]), initial=0))
        return "\n".join(lowered), starts

    def lines_holding(self, strings: tuple[str, ...]) -> set[int]:
        """The key lines whose lower-cased text holds one of `strings` (lower-case ASCII: a
        pattern's PatternChoice.needs). A regex can match only there: its match is part of
        one line, and ASCII letters lower-case alike in the line and in the joined text."""
        text, starts = self._lowered
        found: set[int] = set()
        for string in strings:
            if not string:
                return set(range(len(self.lines)))
            at = text.find(string)
            while at != -1:
                line = bisect_right(starts, at) - 1
                found.add(line)
                # once a line is found, the next one is searched from its start
                at = text.find(string, starts[line + 1]) if line + 1 < len(starts) else -1
        return found

    @cached_property
    def runtime_denial(self) -> bool:
        """The container runtime says a 137 in the key lines was no memory kill
        (negation.runtime_denies_137); read once, by whichever evidence asks first."""
        return runtime_denies_137("\n".join(self.lines))


def prepare(extracted: Extracted) -> PreparedPaste:
    lines = extracted.key_lines
    # Words and shape come from the line's own text: a logger column (`azmlinfsrv -`,
    # `| root | ERROR |`) names who logged the line, not what went wrong.
    # A server's settings banner is context, not evidence; a refused setting's name is not what
    # went wrong (banner.py). Nor is gunicorn's SIGKILL of a worker it timed out (arbiter.py).
    after_timeout = kills_after_timeout(lines)
    bodies = tuple("" if number in after_timeout else evidence_body(line_body(line))
                   for number, line in enumerate(lines))
    # Both forms of a line from one mask where they cannot differ (no quote, path or URL in
    # it): masking was a third of a short paste's time.
    forms = tuple(signature_forms(body) for body in bodies)
    # A Korean word's English too (korean_words.py): "컨테이너가 재시작돼요" meets the English
    # signatures that "the container restarts" meets, besides the entries' Korean ones.
    line_words = tuple(frozenset(found) | english_words_in(body)
                       for body, (_, found) in zip(bodies, forms, strict=True))
    windows = tuple(line_words[i] | line_words[i + 1] for i in range(len(lines) - 1))
    has_errors = any(signal > 0 for signal in extracted.signals)
    has_causes = any(extracted.causes)
    factors = tuple(
        (1.0 if cause or not has_causes else WRAPPER_LINE_FACTOR) if signal > 0
        else (1.0 if not has_errors else PLAIN_LINE_FACTOR)
        for signal, cause in zip(extracted.signals, extracted.causes, strict=True)
    ) or tuple(1.0 for _ in lines)
    fuzzy_lines = tuple(fuzzy for fuzzy, _ in forms)
    reads = tuple(reading if fuzzy and (reading := in_english(body)) != body else ""
                  for body, fuzzy in zip(bodies, fuzzy_lines, strict=True))
    english = tuple(fuzzy_form(reading) if reading else "" for reading in reads)
    return PreparedPaste(
        lines=lines,
        fuzzy_lines=fuzzy_lines,
        english_lines=english if any(english) else (),
        english_reads=reads if any(reads) else (),

        line_words=line_words,
        window_words=line_words + windows,
        all_words=frozenset().union(*line_words) if line_words else frozenset(),
        line_factors=factors,
        windows_by_word=_windows_by_word(line_words + windows),
        signals=tuple(extracted.signals) or tuple(0.0 for _ in lines),
    )


def _windows_by_word(window_words: tuple[frozenset[str], ...]) -> dict[str, tuple[int, ...]]:
    found: dict[str, list[int]] = defaultdict(list)
    for window, present in enumerate(window_words):
        for word in present:
            found[word].append(window)
    return {word: tuple(windows) for word, windows in found.items()}


@dataclass(frozen=True)
class Evidence:
    score: float  # 0..100
    matched_weight: float  # information of the signature words found (see INFO_FLOOR)
    line: int  # index into PreparedPaste.lines of the first line that matched
    last_line: int  # the last one (the next line when a wrapped error spans two)
    span: tuple[int, int] | None  # character span inside `line`, for patterns
    source: str  # the signature or pattern text
    read: frozenset[str] = frozenset()  # a pattern's matched text, as words (ranking.read_apart)


@dataclass(frozen=True)
class EntryScore:
    entry: int
    score: float
    best: Evidence
    support: int  # how many different signatures/patterns agreed
    rank: float = 0.0  # the score before capping at 100, for ordering only
    specific: float = 0.0  # the most information any well-scoring piece of evidence carries
    pattern_hit: bool = False  # a pattern matched with full strength (authored, specific)
    # One of the entry's own authored patterns matched at all, however common the words it
    # matched (`exit code 137`): the paste states that problem (ranking.stated_any_stage_cause).
    pattern_found: bool = False
    explained: bool = False  # moved below the cause it is a symptom of (ranking.py)
    # (key line, words of the matched text) of each authored pattern that matched with full
    # strength (ranking.read_apart)
    pattern_reads: tuple[tuple[int, frozenset[str]], ...] = ()


def score_entries(index: KnowledgeIndex, paste: PreparedPaste) -> list[EntryScore]:
    """Entries with any evidence, best first."""
    if not paste.lines or not index.entry_ids:
        return []
    evidence: dict[int, list[Evidence]] = {}
    for entry, found in _signature_evidence(index, paste):
        evidence.setdefault(entry, []).append(found)
    for entry, found in _pattern_evidence(index, paste):
        evidence.setdefault(entry, []).append(found)
    scored = []
    for entry, pieces in evidence.items():
        pieces.sort(key=lambda piece: piece.score, reverse=True)
        best = pieces[0]
        support = sum(1 for piece in pieces[1:] if piece.score >= SUPPORT_MIN)
        total = best.score + SUPPORT_BONUS * min(support, MAX_SUPPORT)
        specific = max((piece.matched_weight for piece in pieces if piece.score >= SPECIFIC_MIN),
                       default=0.0)
        pattern_reads = tuple((piece.line, piece.read) for piece in pieces
                              if piece.span is not None and piece.matched_weight >= STRONG_EVIDENCE)
        scored.append(EntryScore(entry, min(100.0, total), best, 1 + support, total,
                                 specific, bool(pattern_reads), pattern_reads=pattern_reads,
                                 pattern_found=any(piece.span is not None for piece in pieces)))
    # Two entries at 100 are told apart by how much agrees with each (the uncapped total).
    scored.sort(key=lambda item: (item.rank, item.best.matched_weight), reverse=True)
    return scored


def _candidates(index: KnowledgeIndex, paste: PreparedPaste) -> np.ndarray:
    """The signatures (positions, ascending) holding at least MIN_TEXT_COVERAGE of their weight
    in the paste's words, the MAX_CANDIDATES best of them when there are more.

    Only the signatures that could get there are summed: those a less crowded word of the
    paste finds, and those crowded words alone could carry (index.CROWDED); any other holds
    only crowded words of the paste, too little of its weight."""
    # In a fixed order: floating-point sums taken in a set's (hash-seeded) order differ in
    # their last bits from one process to the next, and ties then break differently.
    words = [word for word in sorted(paste.all_words) if word in index.postings]
    crowded = index.crowded
    found = [index.postings[word] for word in words if word not in crowded]
    pool = np.unique(np.concatenate([*found, index.crowded_capable]))  # ascending
    accumulated = np.zeros(len(pool), dtype=np.float64)
    for word in words:
        posting = index.postings[word]  # ascending too
        if word in crowded:  # the pool's signatures among its thousands
            at = np.minimum(np.searchsorted(posting, pool), len(posting) - 1)
            accumulated[posting[at] == pool] += index.weight[word]
        else:
            accumulated[np.searchsorted(pool, posting)] += index.weight[word]
    if not accumulated.any():
        return np.empty(0, dtype=np.int64)
    coverage = accumulated / np.maximum(index.totals[pool], 1e-9)
    kept = coverage >= MIN_TEXT_COVERAGE
    eligible = pool[kept]
    if len(eligible) > MAX_CANDIDATES:
        rank = coverage[kept] * np.minimum(accumulated[kept], STRONG_EVIDENCE)
        eligible = eligible[np.argpartition(-rank, MAX_CANDIDATES)[:MAX_CANDIDATES]]
    return eligible


def _signature_evidence(index: KnowledgeIndex, paste: PreparedPaste):  # type: ignore[no-untyped-def]
    candidates = _candidates(index, paste)
    if len(candidates) == 0:
        return
    windows = paste.windows_by_word
    line_count = len(paste.lines)
    located = []  # (position, choice, matched weight, matched information, first, last line)
    for position in map(int, candidates):
        choice = index.signatures[position]
        # The window (a line, or two neighbouring lines) holding most of the signature's weight.
        weight_in: dict[int, float] = defaultdict(float)
        info_in: dict[int, float] = defaultdict(float)
        for word, weight in choice.weights.items():
            found_in = windows.get(word)
            if not found_in:
                continue
            info = max(0.0, weight - INFO_FLOOR)  # once a word, not once a window
            for window in found_in:
                weight_in[window] += weight
                info_in[window] += info
        if not weight_in:
            continue
        best_window = max(weight_in, key=lambda window: (weight_in[window], -window))
        first = best_window if best_window < line_count else best_window - line_count
        last = first if best_window < line_count else first + 1
        located.append((position, choice, weight_in[best_window], info_in[best_window], first,
                        last))
    if not located:
        return
    # A signature naming a memory kill, found where the paste denies one ("it never ran out of
    # memory", negation.py), is no evidence.
    kept = []
    for entry in located:
        choice, first, last = entry[1], entry[4], entry[5]
        if names_a_kill(choice.text) and all_denied(paste.lines[first: last + 1],
                                                    paste.runtime_denial):
            continue
        kept.append(entry)
    located = kept
    if not located:
        return
    for position, choice, matched, info, first, last in located:
        lines = (first,) if last == first else (first, last)
        # partial_ratio finds the shorter string inside the longer: a 10-character line
        # "inside" a 100-character signature is not that signature, so short lines get a share.
        fuzzy_score = max(_shape(paste.fuzzy_lines[line], choice.fuzzy_text) / 100.0
                          * min(1.0, len(paste.fuzzy_lines[line]) / max(len(choice.fuzzy_text), 1))
                          for line in lines)
        if paste.english_lines:  # a Korean line: its shape read in English too
            fuzzy_score = max(fuzzy_score, *(
                _shape(paste.english_lines[line], choice.fuzzy_text) / 100.0
                * min(1.0, len(paste.english_lines[line]) / max(len(choice.fuzzy_text), 1))
                for line in lines))
        if last > first:  # a wrapped error: compare with the two lines joined
            joined = paste.fuzzy_lines[first] + " " + paste.fuzzy_lines[last]
            fuzzy_score = max(fuzzy_score, fuzz.partial_ratio(
                choice.fuzzy_text, joined, score_cutoff=FUZZY_CUTOFF) / 100.0 * min(
                1.0, len(joined) / max(len(choice.fuzzy_text), 1)))
        if choice.scoring_call and choice.codes and _scoring_code_in(paste, choice, first, last):
            info += SCORING_CODE_INFO
        coverage = matched / choice.total if choice.total else 0.0
        strength = min(1.0, info / STRONG_EVIDENCE) ** 0.5
        factor = max(paste.line_factors[first: last + 1])
        if choice.codes and not all(_in_window(paste, code, first, last)
                                    for code in choice.codes):
            factor *= MISSING_CODE_FACTOR
        excess = max(0.0, index.shared_share(position) - WRAPPER_SHARED) / (1 - WRAPPER_SHARED)
        factor *= 1.0 - (1.0 - WRAPPER_FLOOR) * excess
        score = 100.0 * strength * factor * (COVERAGE_SHARE * coverage
                                             + (1 - COVERAGE_SHARE) * fuzzy_score)
        yield choice.entry, Evidence(score, info, first, last, None, choice.text)


def _shape(line: str, signature: str) -> float:
    """The shape check: partial_ratio of a masked key line and a masked signature found on it,
    with score_cutoff so a hopeless pair stops early; as a float32, as the `process.cdist`
    matrix held it before. That matrix compared every line where some candidate was found
    with every candidate (24 x up to 48 pairs), and read one or two pairs per candidate:
    most of a short paste's scoring time with 10,000 entries. The same scorer on the same
    strings gives the same scores (tests/test_scoring.py). A Korean line is also read in
    English (PreparedPaste.english_lines, korean19): a Korean description is as like an
    English signature as its English twin is ("컨테이너가 계속 재시작돼요" and "the container
    keeps restarting"), which its Hangul letters never show; an empty reading scores 0."""
    return float(np.float32(fuzz.partial_ratio(line, signature, score_cutoff=FUZZY_CUTOFF)))


def _scoring_code_in(paste: PreparedPaste, choice: SignatureChoice, first: int,
                     last: int) -> bool:
    window = frozenset().union(*paste.line_words[first: last + 1])
    return choice.codes <= window and any(SCORING_CALL.search(paste.lines[line])
                                          for line in range(first, last + 1))


def _status_code_with_call(matched: set[str], line: str) -> bool:
    """A pattern matched an HTTP status code of its own on a line naming the scoring call."""
    return (any(len(word) == 3 and word.isdigit() and word[0] in "45" for word in matched)
            and bool(SCORING_CALL.search(line)))


def _in_window(paste: PreparedPaste, word: str, first: int, last: int) -> bool:
    return any(word in paste.line_words[line] for line in range(first, last + 1))


def _search(regex: re.Pattern[str], text: str) -> re.Match[str] | None:
    try:
        return regex.search(text)
    except (re.error, OverflowError, RecursionError):  # kb check reports it
        return None


def _pattern_evidence(index: KnowledgeIndex, paste: PreparedPaste):  # type: ignore[no-untyped-def]
    to_run: set[int] = set(index.unanchored_patterns)
    for word in paste.all_words:
        to_run.update(index.patterns_by_word.get(word, ()))
    for number in sorted(to_run):
        choice = index.patterns[number]
        anchor = index.pattern_anchor[number]
        # A pattern cannot match a line holding none of its strings (PatternChoice.needs):
        # a few substring searches of the paste instead of a regex per line (unanchored
        # patterns run on every line; an anchored one's other strings may be missing). Most
        # lines of a log lack a pattern's words: a regex search per line, without the
        # substring searches, was most of this function's time on a log.
        holding = None if choice.needs is None else paste.lines_holding(choice.needs)
        if holding is not None and not holding and not paste.english_reads:
            continue
        lines = (range(len(paste.lines)) if anchor is None
                 else sorted(w for w in paste.windows_by_word.get(anchor, ())
                             if w < len(paste.lines)))
        for line_number in lines:
            if not paste.fuzzy_lines[line_number]:
                continue  # a configuration line (prepare): context, never where a pattern counts
            # A Korean line is also read in English (PreparedPaste.english_reads): "요청이
            # 몰리면 서비스 불가" meets a pattern written for "under load ... unavailable" as
            # its English twin does. Its match is shown as the whole Korean line.
            reading = paste.english_reads[line_number] if paste.english_reads else ""
            if holding is not None and line_number not in holding and not reading:
                continue
            line = paste.lines[line_number]
            found = None
            if holding is None or line_number in holding:
                found = _search(choice.regex, line)
            if found is None and reading:
                line = reading
                found = _search(choice.regex, reading)
            # "it never ran out of memory", "no OOM kill", `"OOMKilled": false`: a denied kill
            # is no evidence of one (negation.py)
            if found and names_a_kill(found.group()) and denied(
                    line, found.start(), found.end(), paste.runtime_denial):
                continue
            if found:
                # A pattern is as good as the words it matched: `FPGA` or a traceback frame
                # `in init` are strong, `debug ... locally` in a hint is weak.
                read = frozenset(word_form(found.group()))
                matched = read & choice.words
                weight = sum(max(0.0, index.weight.get(word, UNKNOWN_WORD_WEIGHT) - INFO_FLOOR)
                             for word in sorted(matched))
                if _status_code_with_call(matched, line):
                    # As for signatures (SCORING_CODE_INFO): the pattern's status code on the
                    # line of the scoring call it answers. "Error: 502 Bad Gateway from
                    # https://.../score" said less than the bare "502 Bad Gateway" without it.
                    weight += SCORING_CODE_INFO
                # The match itself says something even when its words are common (`504 ...
                # /score`): enough to rank the entry, not to be sure of it.
                strength = max(PATTERN_FLOOR, min(1.0, weight / STRONG_EVIDENCE) ** 0.5)
                score = PATTERN_SCORE * strength * paste.line_factors[line_number]
                span = found.span() if line is paste.lines[line_number] \
                    else (0, len(paste.lines[line_number]))
                yield choice.entry, Evidence(score, weight, line_number, line_number,
                                             span, choice.text, read)
                break
