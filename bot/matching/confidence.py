"""The abstain decision: answer only when the best entry is clearly right.

A confident wrong answer costs more than "I don't know": the person follows the wrong fix. So
the best entry is presented only when all three hold:

- its score reaches ANSWER_THRESHOLD;
- it leads the runner-up by MARGIN (two entries close together are a look-alike we cannot
  tell apart, e.g. a 502 from a probe and a 502 from `run()`);
- its evidence carries at least MIN_EVIDENCE of word weight, so a single common word
  (`Killed`, `timeout`) never decides alone. Pattern matches count as strong evidence.

At most one entry is confident: the bot presents one answer.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.matching.scoring import EntryScore

ANSWER_THRESHOLD = 72.0
MARGIN = 15.0
MIN_EVIDENCE = 3.0


def confident_count(ranked: Sequence[EntryScore]) -> int:
    """How many of the ranked entries (best first) are presented as the answer: 0 or 1."""
    if not ranked:
        return 0
    best = ranked[0]
    runner_up = ranked[1].score if len(ranked) > 1 else 0.0
    if best.score < ANSWER_THRESHOLD:
        return 0
    if best.score - runner_up < MARGIN:
        return 0
    if best.best.matched_weight < MIN_EVIDENCE:
        return 0
    return 1
