"""What a watch pattern may be: a glob over Azure ML names, nothing that could surprise."""

from __future__ import annotations

import re

PATTERN = re.compile(r"^[A-Za-z0-9*?\[\]!._/-]{1,255}$")


def valid_pattern(pattern: str) -> bool:
    return bool(PATTERN.match(pattern))
