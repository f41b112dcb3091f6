"""What the matcher returns. Shared by the CLI, the Slack layer, incidents and log diagnosis."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Match:
    entry_id: str
    title: str  # in the requested language
    score: float  # 0..100
    confident: bool  # True only for entries the bot would present as the answer
    evidence: str  # the part of the paste that matched (redaction is the caller's job)
    signature: str = ""  # which signature or pattern it matched
    # "confident" (the answer), "likely" (probably right: a tentative answer) or "unknown";
    # only the first match can be confident or likely (bot/matching/decision.py).
    tier: str = "unknown"
    probability: float | None = None  # the model's estimate that this entry is right
    evidence_line: str = ""  # the whole line that decided, unmasked (the incident summary)

    def to_json(self) -> dict[str, object]:
        return {"id": self.entry_id, "title": self.title, "score": round(self.score, 2),
                "confident": self.confident, "tier": self.tier, "evidence": self.evidence}


@dataclass(frozen=True)
class MatchResult:
    matches: tuple[Match, ...]  # best first
    fingerprint: str  # stable hash of the masked key error lines: groups repeats
    key_lines: tuple[str, ...] = field(default=())  # the error-bearing lines, unmasked
    # Characters in the middle of a paste longer than extraction.MAX_CHARS that were not read:
    # every answer says so, so nobody trusts an answer about a part the bot never saw.
    unread_chars: int = 0
    # The line that names this paste (the incident summary, the "matched" line of an unknown
    # answer): what decided the first match, else the first error line; never a chat line
    # around the error when the paste has an error line (bot/matching/evidence.py).
    deciding_line: str = ""
    # The bot abstains because only the cause the person wonders about ("메모리 문제인지
    # 모르겠어요", "could this be OOM?") put its first candidate first (hedges.py): the reply says
    # it cannot tell from the paste, not that the error has no known fix.
    hedged_cause: bool = False
    # The bot abstains only because nothing in the paste shows a model served or a pod
    # (scope.no_model_served, decision.setting_unseen): its first candidate would otherwise be
    # "probably" the answer ("The container exited with exit code 137."). The reply says what
    # it matches and asks for the setting, not that the error has no known fix.
    setting_unseen: bool = False

    @property
    def answer(self) -> Match | None:
        """The entry the bot presents, or None when it abstains."""
        return self.matches[0] if self.matches and self.matches[0].confident else None

    @property
    def likely(self) -> Match | None:
        """The entry the bot offers tentatively ("probably ..."), or None."""
        return self.matches[0] if self.matches and self.matches[0].tier == "likely" else None

    @property
    def summary_line(self) -> str:
        """deciding_line; for a result built without it, the first key line."""
        return self.deciding_line or (self.key_lines[0] if self.key_lines else "")

    def to_json(self) -> dict[str, object]:
        return {"matches": [match.to_json() for match in self.matches],
                "fingerprint": self.fingerprint}
