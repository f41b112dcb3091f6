"""Reading `GET /metrics` (Prometheus' text format) in tests."""

from __future__ import annotations

import urllib.request


def metric(text: str, name: str, **labels: str) -> float:
    """The value of one sample in Prometheus' text format (0 when absent)."""
    wanted = name + ("{" + ",".join(f'{key}="{value}"' for key, value in sorted(labels.items()))
                     + "}" if labels else "")
    for line in text.splitlines():
        if line.startswith("#") or " " not in line:
            continue
        sample, value = line.rsplit(" ", 1)
        if _normalised(sample) == wanted:
            return float(value)
    return 0.0


def _normalised(sample: str) -> str:
    if "{" not in sample:
        return sample
    name, _, labels = sample.partition("{")
    pairs = sorted(pair for pair in labels.rstrip("}").split(",") if pair)
    return name + "{" + ",".join(pairs) + "}"


def scrape(base_url: str) -> str:
    with urllib.request.urlopen(base_url + "/metrics", timeout=10) as response:
        assert response.headers["Content-Type"].startswith("text/plain")
        return response.read().decode()
