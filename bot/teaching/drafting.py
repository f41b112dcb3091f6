"""What a draft says, drafted from a paste and a resolution note. Pure: no I/O.

- The signature is the paste's deciding error line, redacted, then masked (bot/matching/masking):
  numbers, timestamps, quoted values and kebab-case resource names become placeholders, so the
  same error with other values matches it. A paste with no error line (only a person's words:
  a question, a Korean sentence) has no signature: a sentence of someone's as a signature would
  match other people's chatter. The same rule as the matcher's evidence (error_lines).
- A signature that is mostly placeholders once masked, or too short, is refused with the reason:
  it would answer unrelated pastes. (service.py adds the second test, against the evaluation
  set's "none" pastes.)
- A new entry is written as the Markdown text of an entry file (both languages, a cause, numbered
  fix steps, a `team:` source naming the incident), so it passes `kb check` and exports as is.
"""

from __future__ import annotations

import re

import yaml

from bot.knowledge.msdocs import slugify
from bot.matching.error_lines import only_chat
from bot.matching.extraction import strongest_error_line
from bot.matching.masking import mask
from bot.redaction import sanitize

SIGNATURE_LIMIT = 300
TITLE_LIMIT = 80
MIN_WORDS = 3  # distinct words (3+ letters) besides placeholders
MAX_PLACEHOLDER_SHARE = 0.5
TEAM_SOURCE_PREFIX = "team:"

_PLACEHOLDER = re.compile(r"<[a-z_]+>")
_WORD = re.compile(r"[A-Za-z가-힣][\w가-힣]{2,}")
_LEADING_PLACEHOLDERS = re.compile(r"^(?:\s*(?:<[a-z_]+>|[\[\](){}|:,-])\s*)+")
# Resource names (a model, an endpoint, a deployment) are kebab-case and differ between teams and
# pastes; masking keeps them because they can be evidence, but a signature must not require them.
_RESOURCE_NAME = re.compile(r"(?<![\w<./-])[a-z0-9]+(?:-[a-z0-9]+)+(?![\w>/-])")
_REDACTED = re.compile(r"\[REDACTED:[\w-]+\]")
# A secret, with the key or scheme that introduces it (`password=`, `Authorization: Bearer`):
# which secret was in the first paste is chance, and a signature keeping it would never be
# found whole in the next paste of the same error, which has another secret or none.
_SECRET_PART = re.compile(r"(?:[\w.-]+\s*[=:]\s*)?(?:(?:Bearer|Basic)\s+)?<secret>[,;]?",
                          re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.!?。])\s+|(?<=다\.)\s+|\n+")


class TooGeneral(ValueError):
    """A signature that would answer unrelated pastes; the message says why."""


def error_line(paste: str) -> str:
    """The line of a paste that names its error: the error line with the strongest signal
    (the first of equals: an exception names the cause before the lines it drags along).
    "" when the paste has none: a person's own words are never a signature, whatever else."""
    return strongest_error_line(sanitize(paste)) or ""


def signature_of(paste: str) -> str:
    """The paste's error line, redacted and masked, leading timestamps and pod names dropped;
    "" when the paste has no error line (only someone's words about one)."""
    line = error_line(paste)
    if not line:
        return ""
    line = _REDACTED.sub("<secret>", mask(str(sanitize(line))))
    line = _SECRET_PART.sub(" ", line)
    line = _RESOURCE_NAME.sub("<name>", line)
    line = _LEADING_PLACEHOLDERS.sub("", line)
    return " ".join(line.split())[:SIGNATURE_LIMIT]


def prose_problem(signature: str) -> str | None:
    """Why `signature` is not error text at all, or None: a question or a sentence of a
    person's (bot.matching.error_lines, the rule the matcher's evidence uses). A draft stored
    before drafts were made from error lines only can still carry one; approval refuses it."""
    if not signature.strip():
        return "no error line: the paste holds no error text to use as a signature"
    if only_chat(signature):
        return (f"not an error line: {signature!r} is someone's own words, which would match "
                f"other people's messages, not this error")
    return None


def generality_problem(signature: str) -> str | None:
    """Why a masked signature is too general to answer by, or None."""
    words = {word.lower() for word in _WORD.findall(_PLACEHOLDER.sub(" ", signature))}
    placeholders = _PLACEHOLDER.findall(signature)
    tokens = len(signature.split())
    if len(words) < MIN_WORDS:
        return (f"too general: {signature!r} has {len(words)} word(s) besides placeholders "
                f"(at least {MIN_WORDS} are needed to tell it from other errors)")
    if tokens and len(placeholders) / tokens > MAX_PLACEHOLDER_SHARE:
        return (f"too general: {signature!r} is mostly placeholders once masked "
                f"({len(placeholders)} of {tokens} parts)")
    return None


def entry_id_for(title: str, taken: set[str]) -> str:
    """A new entry's id from its title, unique among `taken`."""
    base = slugify(_PLACEHOLDER.sub(" ", title))[:60].strip("-") or "team-entry"
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}-{number}", number + 1
    return candidate


def title_from(signature: str) -> str:
    text = " ".join(_PLACEHOLDER.sub(" ", signature).split())
    # What follows a parenthesis or the masked values is detail: the title is the message.
    text = text.split(" (", 1)[0].split(" [", 1)[0]
    if len(text) > TITLE_LIMIT:
        text = text[:TITLE_LIMIT].rsplit(" ", 1)[0]
    return text.rstrip(" :,-(") or "Team entry"


def cause_and_fix(note: str) -> tuple[str, list[str]]:
    """The note's first sentence as the cause, every sentence as a fix step."""
    sentences = [part.strip() for part in _SENTENCE_END.split(note.strip()) if part.strip()]
    if not sentences:
        return "", []
    return sentences[0], sentences


def entry_markdown(*, entry_id: str, title: str, cause: str, fix: str,
                   signatures: list[str], incident_id: int | None) -> str:
    """An entry file's text: front matter plus the same body in `## en` and `## ko`.

    The team's note is in whatever language the team wrote it; both sections carry it (the
    section headings are the loader's, in each language).
    """
    steps = [step for step in (line.strip(" -*\t") for line in fix.splitlines()) if step]
    if len(steps) <= 1:
        steps = cause_and_fix(fix)[1] or [fix.strip() or cause]
    numbered = "\n".join(f"{index}. {step}" for index, step in enumerate(steps, 1))
    source = f"{TEAM_SOURCE_PREFIX}incident/{incident_id}" if incident_id else \
        f"{TEAM_SOURCE_PREFIX}team"
    meta = {"id": entry_id, "title": {"en": title, "ko": title}, "signatures": signatures,
            "tags": ["team"], "kind": "cause", "source": source}
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000)
    cause_text = cause.strip() or title
    return (f"---\n{front}---\n"
            f"## en\n### Cause\n{cause_text}\n### Fix\n{numbered}\n\n"
            f"## ko\n### 원인\n{cause_text}\n### 해결\n{numbered}\n")
