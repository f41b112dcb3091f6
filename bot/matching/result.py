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
    error_lines: tuple[str, ...] = field(default=())  # those that carry an error signal

    @property
    def answer(self) -> Match | None:
        """The entry the bot presents, or None when it abstains."""
        return self.matches[0] if self.matches and self.matches[0].confident else None

    @property
    def likely(self) -> Match | None:
        """The entry the bot offers tentatively ("probably ..."), or None."""
        return self.matches[0] if self.matches and self.matches[0].tier == "likely" else None

    @property
    def deciding_line(self) -> str:
        """The line that names this paste: what decided the first match, else the first
        error line. Never a chat line around the error when the paste has an error line."""
        if self.matches and self.matches[0].evidence_line:
            return self.matches[0].evidence_line
        return self.error_lines[0] if self.error_lines else (
            self.key_lines[0] if self.key_lines else "")

    def to_json(self) -> dict[str, object]:
        return {"matches": [match.to_json() for match in self.matches],
                "fingerprint": self.fingerprint}
