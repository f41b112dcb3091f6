"""The matcher: text in, ranked KB entries out, with a tier decision and evidence. No I/O.

    paste -> extraction (key error lines) -> scoring (words + shape + patterns, per entry)
          -> ranking (cause before symptom, diagnosis before procedure)
          -> (no error line at all: the entries' own text, prose.py)
          -> features of the top candidates -> learned decision (tier per match, decision.py)
          ; fingerprint (masked key lines) ; evidence (the deciding error line)

The knowledge base is indexed once per Matcher (index.py); `match()` never raises and does
bounded work whatever it is given (extraction.py caps the input). It reads the text only after
`sanitize()`, on the whole text, so what it hands back (evidence, key lines) holds no secret even
where extraction cuts a long line through the middle of one.
"""

from __future__ import annotations

import logging
import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from bot.knowledge.loader import cached_knowledge_base
from bot.knowledge.model import KIND_PROCEDURE, KnowledgeBase
from bot.matching.builds import BuildReading, reading
from bot.matching.confidence import confident_count
from bot.matching.context import ContextModel, paste_terms, shipped_context
from bot.matching.decision import (
    TIER_CONFIDENT,
    TIER_LIKELY,
    TIER_UNKNOWN,
    ConfidenceModel,
    may_be_likely,
    may_be_probable,
    may_be_sure,
    setting_unseen,
    shipped_model,
)
from bot.matching.error_lines import failure_line
from bot.matching.evidence import evidence_line, evidence_text, naming_line
from bot.matching.extraction import Extracted, extract, unread_characters
from bot.matching.features import (
    PasteShape,
    candidate_features,
    paste_shape,
    with_precedent_columns,
)
from bot.matching.fingerprint import fingerprint
from bot.matching.hedges import stated_text
from bot.matching.index import build_index
from bot.matching.korean import english_reading
from bot.matching.masking import only_a_code
from bot.matching.precedents import (
    EMPTY_VERDICT,
    NONE_LABEL,
    PrecedentIndex,
    Verdict,
    paste_words,
    shipped_precedents,
)
from bot.matching.prose import ProseIndex
from bot.matching.ranking import (
    by_failed_deployment,
    by_kind,
    by_precedents,
    by_start_over_unshown_build,
    by_stated_start_failure,
)
from bot.matching.result import Match, MatchResult
from bot.matching.scoring import EntryScore, Evidence, PreparedPaste, prepare, score_entries
from bot.matching.stages import (
    StatedStart,
    failed_deployment_line,
    failed_start,
    passed_stages,
    stated_start,
    unfinished_start_line,
)
from bot.redaction import sanitize

log = logging.getLogger(__name__)

# An entry found only through its own text (prose.py) scores at most this much: enough to be a
# candidate, and the model decides from prose_score whether it is more.
PROSE_SCORE = 70.0
PROSE_SOURCE = "(the entry's own text)"
# An entry only the precedents found (precedents.py) scores at most this much, by its share of
# the vote: below any entry a signature found with real evidence, so it joins the candidates
# without taking the lead from one; the model decides (features.precedent_entry) what it is worth.
PRECEDENT_SCORE = 60.0
# Of the neighbours' vote, to be a candidate: one close report of ten can be enough to be
# listed (its score keeps it below what the signatures found); in grouped CV on the pool, a
# higher bar (0.3, or two reports) found fewer right entries and no fewer wrong answers.
PRECEDENT_MIN_SHARE = 0.15
# Survey.stated_first when what the paste states, its hedges left out, finds no candidate.
NOTHING_STATED = -1


@dataclass(frozen=True)
class Survey:
    """What the matcher finds in a paste without the precedents (the costly part, computed
    once per paste even when cross-validation asks several precedent indexes about it)."""

    extracted: Extracted
    paste: PreparedPaste
    ranked: list[EntryScore]
    prose: dict[int, float]
    shape: PasteShape
    words: Counter[str]  # precedents.paste_words
    rows: list[list[float]]  # features of ranked[:CANDIDATES], without precedents
    terms: frozenset[str] = frozenset()  # context.paste_terms, for a context model to learn
    # The key line that says an Azure ML deployment failed (-1: none kept), None when the paste
    # shows no failed deployment (stages.failed_deployment_line; ranking.by_failed_deployment).
    failed_deployment: int | None = None
    # The first candidate of the paste without its hedged clauses ("could this be OOM?",
    # "메모리 문제인지 모르겠어요": hedges.py); None when the paste hedges nothing,
    # NOTHING_STATED when what it states finds no candidate.
    stated_first: int | None = None
    # What the paste says of its server never coming up, None when it says nothing of the
    # kind (stages.stated_start; ranking.by_stated_start_failure).
    stated_start: StatedStart | None = None


@dataclass(frozen=True)
class Assessment:
    """Everything the matcher knows about a paste before deciding (also the training input)."""

    extracted: Extracted
    paste: PreparedPaste
    ranked: list[EntryScore]  # best first, by the matcher's scores and the kinds
    rows: list[list[float]]  # features of ranked[:CANDIDATES]
    verdict: Verdict = EMPTY_VERDICT  # what the nearest labelled pastes say
    # The entries only the precedents found (nothing in the paste did): never "probably".
    by_precedents_only: frozenset[int] = frozenset()
    # Features of the paste's OWN candidates (the survey's ranking, before the precedents add
    # theirs): what the own-evidence model reads. Its margins (margin_next, margin_rival,
    # gap_to_first) are then over entries the paste itself scored, so a candidate only the
    # precedents found can never move the confident tier. None: the same as `rows`.
    own_rows: list[list[float]] | None = None
    # The precedents' vote, not the paste, put the first candidate first (a weak lead's
    # near-tie, ranking.by_precedents): listed first, never "probably" (as by_precedents_only).
    first_by_precedents: bool = False
    # The paste asks for something and shows no failure (features.PasteShape.asks): its first
    # candidate is "probably" the answer only when it is a procedure (decision.may_be_probable).
    asks: bool = False
    # Only the paste's hedged words put its first candidate first (Survey.stated_first): a
    # cause the person wonders about is no evidence it happened; listed, never "probably".
    hedged: bool = False
    # The paste writes about a failure or runs where the fixes do not reach
    # (features.PasteShape.held_back): its first candidate is never sure, nor "probably",
    # not even a procedure (decision.may_be_probable).
    held_back: bool = False

    def first_in_paste(self) -> bool:
        """The first candidate was found, and put first, by the paste's own words
        (decision.tier's in_paste)."""
        return (bool(self.ranked) and self.ranked[0].entry not in self.by_precedents_only
                and not self.first_by_precedents)


class Matcher:
    def __init__(self, kb: KnowledgeBase,
                 model: ConfidenceModel | Literal["shipped"] | None = "shipped",
                 precedents: PrecedentIndex | Literal["shipped"] | None = "shipped",
                 context: ContextModel | Literal["shipped"] | None = "shipped") -> None:
        self.kb = kb
        self.index = build_index(kb)  # from the disk cache for a large, unchanged KB
        self.prose = ProseIndex(kb)
        # The procedures for reading a deployment's logs: the next step for a failed deployment
        # whose paste shows no cause (ranking.by_failed_deployment).
        self.logs_entries = tuple(number for number, entry in enumerate(kb.entries)
                                  if entry.kind == KIND_PROCEDURE and "logs" in entry.tags)
        # None: the hand-written rule of confidence.py decides (confident or unknown only).
        self.model = shipped_model() if model == "shipped" else model
        # None: no precedents (the signatures alone find candidates, their features are 'no
        # evidence either way').
        self.precedents = shipped_precedents() if precedents == "shipped" else precedents
        # None: the context feature is NaN, the decision model's "no evidence either way".
        self.context = shipped_context() if context == "shipped" else context

    def match(self, text: str, *, top: int = 3, lang: str = "en") -> MatchResult:
        """The ranked matches for a paste. Pure; an exception here is a bug and is raised:
        each surface handles it at its edge (an apology in Slack, one line in the CLI), and the
        property tests can see it."""
        return self._match(text, top=top, lang=lang)

    def assess(self, text: str) -> Assessment:
        survey = self.survey(text)
        verdict = self.precedents.query(survey.words) if self.precedents is not None \
            else EMPTY_VERDICT
        return self.conclude(survey, verdict)

    def survey(self, text: str) -> Survey:
        # Secrets out of the whole text first, before extraction cuts any line.
        text = sanitize(text) if isinstance(text, str) else text
        extracted, paste, ranked, prose, reported = self._ranked(text)
        failed = failed_deployment_line(text, paste.lines)
        said_start = stated_start(text, paste.lines)
        plain = text if isinstance(text, str) else ""
        # A Korean paste's setting in English words too (korean.english_reading): the context
        # model learned its terms from English pastes, and a Korean description held none of
        # them, so it got the model's prior ("파드가 자꾸 죽어요" as unsure of its setting as
        # an empty paste) where its English twin got the twin's words (korean21).
        terms = paste_terms(plain) | paste_terms(english_reading(plain))
        context_none = 1.0 - float(self.context.answerable([terms])[0]) \
            if self.context is not None else math.nan
        shape = paste_shape(plain, extracted, paste, context_none, reported, terms)
        ranked = self._listed_by_stage(ranked, failed, said_start, lambda: shape.build)
        rows = candidate_features(ranked, paste, extracted, self.index, shape, prose)
        return Survey(extracted, paste, ranked, prose, shape, paste_words(paste), rows, terms,
                      failed, self._stated_first(plain) if ranked else None, said_start)

    def _listed_by_stage(self, ranked: list[EntryScore], failed: int | None,
                         said_start: StatedStart | None,
                         build: Callable[[], BuildReading]) -> list[EntryScore]:
        """`ranked` with the entries a stage the paste names calls for listed among the first
        three: the start stage's symptom entry when the paste says its server never came up
        (`said_start`), then the logs procedure for a failed Azure ML deployment with no
        cause shown (`failed`; the labelled next step keeps its place when both apply). The
        same list when neither applies. Before both, the start entry goes first over a build
        lead when the paste shows no build failing and a start that did (`build`: what it
        shows of an image build; ranking.by_start_over_unshown_build)."""
        ranked = by_start_over_unshown_build(ranked, self.index.entry_kinds,
                                             self.index.entry_stages, said_start, build)
        if said_start is not None:
            ranked = by_stated_start_failure(ranked, self.index.entry_kinds,
                                             self.index.entry_stages, said_start)
        if failed is not None:
            ranked = by_failed_deployment(ranked, self.index.entry_kinds, self.logs_entries,
                                          failed)
        return ranked

    def _ranked(self, text: str) -> tuple[Extracted, PreparedPaste, list[EntryScore],
                                          dict[int, float], bool]:
        """The paste's key lines and its candidates, best first (before the precedents and
        the failed-deployment rule), the entries its own text found (prose.py), and whether
        a program's own failure line is among the kept lines."""
        extracted = extract(text)
        paste = prepare(extracted)
        # One program's own failure line among the kept lines: read by the ranking and by
        # whether the paste only asks for something (asking.asks).
        reported = any(map(failure_line, paste.lines))
        passed = passed_stages(paste.lines)
        ranked = by_kind(score_entries(self.index, paste), self.index.entry_kinds,
                         self.index.entry_stages, passed,
                         unfinished_start_line(text, paste.lines), reports_failure=reported,
                         failed_start=failed_start(paste.lines, passed))
        prose: dict[int, float] = {}
        if paste.lines and not any(signal > 0 for signal in extracted.signals):
            # Not one error word (a question, a description): what the entries say of
            # themselves is evidence too. A person's "my endpoint fails, any idea?" is no error
            # line, but its words still name the error, so it is not taken for a description.
            prose = self.prose.search(text if isinstance(text, str) else "\n".join(paste.lines))
            ranked = _with_prose_candidates(ranked, prose)
        return extracted, paste, ranked, prose, reported

    def _stated_first(self, text: str) -> int | None:
        """The first candidate of what the paste states, its hedged clauses left out
        (hedges.stated_text): None when it hedges nothing, or when what it states holds a
        program's own failure line (a traceback, an exception, an exit code, an event reason,
        a status code: the paste shows its failure, and the model reads it as before);
        NOTHING_STATED when the rest finds no candidate. Ranked the same way as the whole
        paste, failed-deployment rule included, so that a paste hedging nothing of its
        evidence keeps its first."""
        stated = stated_text(text)
        if stated is None:
            return None
        _, paste, ranked, _, reported = self._ranked(stated)
        if reported:
            return None
        ranked = self._listed_by_stage(ranked, failed_deployment_line(stated, paste.lines),
                                       stated_start(stated, paste.lines),
                                       lambda: reading(stated, paste.lines))
        return ranked[0].entry if ranked else NOTHING_STATED

    def conclude(self, survey: Survey, verdict: Verdict) -> Assessment:
        """The survey with what the precedents say: their extra candidates and features."""
        listed = _with_precedent_candidates(survey.ranked, verdict, survey.paste,
                                            self.index.entry_numbers)
        # A weak lead's near-tie broken by how earlier reports like this one were labelled.
        pulled = by_precedents(
            listed, lambda scored: verdict.share(self.index.entry_ids[scored.entry]),
            verdict.shares.get(NONE_LABEL, 0.0))
        ranked = self._listed_by_stage(pulled, survey.failed_deployment, survey.stated_start,
                                       lambda: survey.shape.build)
        if ranked is survey.ranked:  # no candidate added: the survey's features still hold
            rows = with_precedent_columns(survey.rows, ranked, self.index, verdict,
                                          survey.shape.context_none, survey.shape.no_model,
                                          survey.shape.develops, survey.shape.no_model_named,
                                          lambda: survey.shape.build_held)
        else:
            rows = candidate_features(ranked, survey.paste, survey.extracted, self.index,
                                      survey.shape, survey.prose, verdict)
        found = {item.entry for item in survey.ranked}
        return Assessment(survey.extracted, survey.paste, ranked, rows, verdict,
                          frozenset(item.entry for item in ranked if item.entry not in found),
                          survey.rows, first_by_precedents=pulled is not listed,
                          asks=survey.shape.asks,
                          hedged=_hedged_first(survey, ranked),
                          held_back=survey.shape.held_back)

    def _match(self, text: str, *, top: int, lang: str) -> MatchResult:
        assessed = self.assess(text)
        ranked, paste = assessed.ranked, assessed.paste
        tiers = [TIER_UNKNOWN] * len(ranked)
        probabilities: list[float | None] = [None] * len(ranked)
        unseen_setting = False
        if self.model is not None and assessed.rows:
            # The model judges the matcher's order; it does not reorder it (re-ranking by
            # probability lowered top-1 in cross-validation: docs/eval.md).
            found = self.model.probabilities(assessed.rows)
            probabilities[: len(found)] = [float(p) for p in found]
            # Sure only on the paste's own evidence; the precedents can make it "probably".
            # A first candidate found in the paste is the survey's first too (a precedent-only
            # candidate never outscores it without being first itself), so its own-evidence
            # row is own_rows[0], margins over the paste's own candidates. The one exception,
            # a weak lead whose near-tie the precedents broke (ranking.by_precedents), is not
            # in_paste: never "probably", and below any confident rule's score either way.
            own_rows = assessed.own_rows if assessed.own_rows is not None else assessed.rows
            own = self.model.own_probabilities(own_rows[:1]) if own_rows else [0.0]
            gates = {"in_paste": assessed.first_in_paste(),
                     "may_be_sure": may_be_sure(assessed.rows[0]) and not assessed.held_back,
                     "may_be_probable": may_be_probable(assessed.rows[0], assessed.asks,
                                                        assessed.held_back)
                     and not assessed.hedged}
            tiers[0] = self.model.tier(float(found[0]), ranked[0].score, own=float(own[0]),
                                       may_be_likely=may_be_likely(assessed.rows[0]), **gates)
            # Held back only for want of a deployment in sight: would naming one answer it?
            unseen_setting = (tiers[0] == TIER_UNKNOWN and setting_unseen(assessed.rows[0])
                              and self.model.tier(float(found[0]), ranked[0].score,
                                                  own=float(own[0]), **gates) != TIER_UNKNOWN)
            if tiers[0] == TIER_UNKNOWN and isinstance(text, str) and only_a_code(text) \
                    and ranked[0].best.source:
                # A code typed alone (`/troubleshoot 504`) is all the person said, and the
                # entry's own bare-code pattern matched it: shown as "probably" that code's
                # entry. The model, taught by other products' bare 5xx look-alikes, rates so
                # short a paste low; in this team's channel the code is theirs (product rule).
                tiers[0] = TIER_LIKELY
        elif confident_count(ranked, paste):
            tiers[0] = TIER_CONFIDENT
        matches = []
        for position, scored in enumerate(ranked[: max(int(top), 1)]):
            entry = self.kb.entries[scored.entry]
            matches.append(Match(
                entry_id=entry.id, title=entry.title_in(lang), score=round(scored.score, 2),
                confident=tiers[position] == TIER_CONFIDENT, tier=tiers[position],
                probability=probabilities[position],
                evidence=evidence_text(paste, scored.best),
                evidence_line=evidence_line(paste, scored.best),
                signature=scored.best.source))
        return MatchResult(matches=tuple(matches), fingerprint=fingerprint(assessed.extracted),
                           key_lines=assessed.extracted.key_lines,
                           deciding_line=(matches[0].evidence_line if matches
                                          and matches[0].evidence_line
                                          else naming_line(paste)),
                           unread_chars=unread_characters(text),
                           hedged_cause=assessed.hedged and tiers[0] == TIER_UNKNOWN,
                           setting_unseen=unseen_setting)


def _hedged_first(survey: Survey, ranked: list[EntryScore]) -> bool:
    """Only the paste's hedged words put its first candidate first: the paste's own first
    (the survey's, before the precedents) is not the first of what it states. A first the
    precedents chose is judged by their rules (Assessment.first_in_paste), not this one."""
    return (bool(ranked) and bool(survey.ranked) and survey.stated_first is not None
            and ranked[0].entry == survey.ranked[0].entry
            and survey.ranked[0].entry != survey.stated_first)


def _with_prose_candidates(ranked: list[EntryScore], prose: dict[int, float]) -> list[EntryScore]:
    """`ranked` with the entries only their own text found, placed by their modest score."""
    known = {item.entry for item in ranked}
    extra = [EntryScore(entry, PROSE_SCORE * share,
                        Evidence(PROSE_SCORE * share, 0.0, 0, 0, None, PROSE_SOURCE), 1,
                        PROSE_SCORE * share)
             for entry, share in sorted(prose.items(), key=lambda item: -item[1])
             if entry not in known]
    return _merged_by_score(ranked, extra)


def _with_precedent_candidates(ranked: list[EntryScore], verdict: Verdict,
                               paste: PreparedPaste, entry_numbers: dict[str, list[int]]
                               ) -> list[EntryScore]:
    """`ranked` with the entries only the precedents found, placed by their modest score, each
    with the line of the paste that carries most of its weight as evidence.

    Walks the vote's few labels, not the entries (`entry_numbers`: id -> entry numbers): the
    work per paste does not grow with a team's 10,000 entries."""
    if not verdict.shares:
        return ranked
    known = {item.entry for item in ranked}
    extra = []
    for entry_id, share in verdict.shares.items():
        numbers = [number for number in entry_numbers.get(entry_id, ()) if number not in known]
        if not numbers or share < PRECEDENT_MIN_SHARE:
            continue
        line = verdict.line_for(entry_id, paste)
        if line < 0:
            continue
        score = PRECEDENT_SCORE * share
        source = precedent_source(verdict.counts[entry_id])
        extra += [EntryScore(number, score, Evidence(score, 0.0, line, line, None, source),
                             1, score) for number in numbers]
    if not extra:
        return ranked
    extra.sort(key=lambda item: (-item.score, item.entry))
    return _merged_by_score(ranked, extra)


def _merged_by_score(ranked: list[EntryScore], extra: list[EntryScore]) -> list[EntryScore]:
    """`ranked` with `extra` (best first) placed by score: an extra candidate goes before the
    first ranked one it outscores, and never reorders the ranked ones among themselves."""
    extra, merged = list(extra), []
    for item in ranked:
        while extra and extra[0].score > item.score:
            merged.append(extra.pop(0))
        merged.append(item)
    return merged + extra


def precedent_source(count: int) -> str:
    """What a candidate only precedents found says it matched (Match.signature)."""
    return f"(like {count} earlier report{'' if count == 1 else 's'} of this problem)"


@lru_cache(maxsize=4)
def default_matcher(knowledge_path: str | None = None) -> Matcher:
    """The matcher over the shipped KB plus KNOWLEDGE_PATH, built once per process."""
    return Matcher(cached_knowledge_base(knowledge_path))
