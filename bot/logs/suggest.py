"""Closest existing names for a mistyped service or endpoint: "did you mean churn-scorer?"."""

from __future__ import annotations

from rapidfuzz import fuzz, process


def closest_names(target: str, names: list[str], *, limit: int = 3,
                  cutoff: float = 60.0) -> list[str]:
    """Up to `limit` names similar to `target`, best first; none when nothing is close."""
    wanted = target.strip().lower()
    if not wanted or not names:
        return []
    unique = sorted(set(names))
    found = process.extract(wanted, [name.lower() for name in unique], scorer=fuzz.WRatio,
                            limit=limit, score_cutoff=cutoff)
    return [unique[index] for _name, _score, index in found]
