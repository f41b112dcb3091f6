"""Characters nobody pasted on purpose: control, invisible and direction-changing characters.

Why each goes:
- C0/C1 control characters (NUL above all): PostgreSQL refuses `\\x00` in text, so a paste
  holding one was lost; the others only garble a terminal or a message. `\\n` and `\\t` carry
  the shape of a log and stay; `\\r\\n` and a lone `\\r` become `\\n`.
- Lone surrogates (from a broken decoder): they cannot be encoded as UTF-8 for the database or
  Slack, so they become U+FFFD.
- Zero-width and byte-order marks: they hide inside tokens (`xoxb-12\\u200b34…`), so a secret
  would escape redaction, and they make two equal errors look different.
- Right-to-left overrides and isolates ("Trojan Source"): they make a message read differently
  from what it says (`exe.txt` shown as `txt.exe`).
- Terminal escape sequences (colours, cursor moves, window titles) go whole, before the control
  characters: kubectl, pytest and most loggers colour their output, and removing only the ESC
  byte left `[31mERROR[0m` in the matched line shown to people and in the stored paste.
"""

from __future__ import annotations

import re

# C0 except \t and \n (\r is handled apart), DEL, C1.
_CONTROL = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
# Zero-width space/joiners, word joiner, invisible operators, BOM, Mongolian vowel separator.
_INVISIBLE = "\u200b-\u200d\u2060-\u2064\ufeff\u180e"
# LRM/RLM, ALM, embeddings and overrides (LRE..RLO), isolates (LRI..PDI).
_DIRECTION = "\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069"

_UNWANTED = re.compile(f"[{_CONTROL}{_INVISIBLE}{_DIRECTION}]")
_INVISIBLE_OR_DIRECTION = re.compile(f"[{_INVISIBLE}{_DIRECTION}]")
_SURROGATE = re.compile("[\ud800-\udfff]")
# ECMA-48: CSI (`ESC [` or 8-bit `\x9b`, parameters, one final byte), OSC up to BEL or `ESC \`
# (bounded, so an unterminated one costs no scan of the rest), and two-byte ESC sequences.
_ANSI = re.compile(r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"
                   r"|\x1b\][^\x07\x1b\n]{0,512}(?:\x07|\x1b\\)?"
                   r"|\x1b[ -/]*[0-~]")


def clean_controls(text: str) -> str:
    """`text` without control, invisible and direction characters; \\n and \\t kept."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x1b" in text or "\x9b" in text:
        text = _ANSI.sub("", text)
    return _SURROGATE.sub("\ufffd", _UNWANTED.sub("", text))


def strip_invisible(text: str) -> str:
    """Only the invisible and direction-changing characters removed (for text shown to people)."""
    return _INVISIBLE_OR_DIRECTION.sub("", text)
