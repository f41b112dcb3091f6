"""Order the scored entries the way a person wants the answer: cause first, procedure last.

A paste often shows several true things at once. `OOMKilled` / `exitCode: 137` next to
`CrashLoopBackOff`: the crash loop is what the pod looks like, running out of memory is why. A
`ModelNotFound` traceback inside an ACI "container crashed" message: the missing model is why.
And an error that merely says "check the logs" is not a question about how to get logs. So,
using each entry's `kind` (bot/knowledge/model.py):

- a *symptom* entry ranked first yields to a *cause* entry with strong evidence of its own in
  the same paste (CAUSE_MIN score and specific, rare-word or pattern evidence);
- a *procedure* entry ranked first yields to any diagnosis (cause or symptom) with such
  evidence: procedures answer questions, not errors; below a strong diagnosis they are never a
  rival (the error that names a jinja2 import failure is not a question about the server).

An entry that yields is recorded as explained by the one that moved above it, so the
confidence margin (confidence.py) is not measured against it: the symptom agrees with its cause,
it does not compete with it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from bot.knowledge.model import KIND_CAUSE, KIND_PROCEDURE, KIND_SYMPTOM
from bot.matching.scoring import EntryScore

CAUSE_MIN = 60.0  # a cause must score this much on its own to overtake a symptom
DIAGNOSIS_MIN = 50.0  # a cause or symptom must score this much to overtake a procedure
SPECIFIC_EVIDENCE = 3.0  # as confidence.MIN_EVIDENCE: more than one common word's worth


def strong(scored: EntryScore, minimum: float) -> bool:
    return scored.score >= minimum and (
        scored.pattern_hit or max(scored.specific, scored.best.matched_weight)
        >= SPECIFIC_EVIDENCE)


def by_kind(ranked: Sequence[EntryScore], kinds: Sequence[str]) -> list[EntryScore]:
    """`ranked` (best first) with a cause moved above its symptom and diagnoses above procedures."""
    order = list(ranked)
    if len(order) < 2:
        return order
    top_kind = kinds[order[0].entry]
    if top_kind != KIND_PROCEDURE and strong(order[0], DIAGNOSIS_MIN):
        # A diagnosis is first: procedures below it are how to investigate, not rival answers.
        order = [replace(item, explained=True) if kinds[item.entry] == KIND_PROCEDURE else item
                 for item in order]
    if top_kind == KIND_SYMPTOM:
        wanted, minimum = (KIND_CAUSE,), CAUSE_MIN
    elif top_kind == KIND_PROCEDURE:
        wanted, minimum = (KIND_CAUSE, KIND_SYMPTOM), DIAGNOSIS_MIN
    else:
        return order
    for position in range(1, len(order)):
        candidate = order[position]
        if kinds[candidate.entry] in wanted and strong(candidate, minimum):
            overtaken = [replace(item, explained=True) for item in order[:position]
                         if kinds[item.entry] == top_kind]
            kept = [item for item in order[:position] if kinds[item.entry] != top_kind]
            return [candidate, *overtaken, *kept, *order[position + 1:]]
    return order
