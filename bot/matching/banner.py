"""Lines a server prints about its own configuration at every start: context, never evidence.

The Azure ML inference server (`azmlinfsrv`, and the `/var/azureml-server` of older images)
prints a settings banner before it loads the scoring script, and logs its scoring timeout once
the script is loaded, in every deployment log, healthy or broken:

    Server Settings
    ---------------
    Entry Script Name: /var/azureml-app/score.py
    Worker Timeout (seconds): 300
    ...
    2023-09-29 19:00:24,282 I [65] azmlinfsrv - Scoring timeout is set to 60000

Its words name settings (`timeout`, `model directory`, `port`), so they look like evidence for
the entries that explain those settings, but a value being set is no error: a paste of a crash
in init() with the banner above it is about the crash. These lines are read as context only:
never an error line, never where a signature or pattern is found (scoring.prepare).

The same server refuses a setting it cannot parse with the setting's name on both sides of the
message (`SCORING_TIMEOUT_MS: Input should be a valid integer ... (environment variable:
SCORING_TIMEOUT_MS)`). There the name is what was refused, not what went wrong: a scoring
timeout that is not a number is a configuration error, nothing timed out. Its words are read
without the name (evidence_body).

The exact wordings are the server's own (azureml-inference-server-http, amlserver.py
print_server_settings / print_routes, aml_blueprint.py setup; `worker timeout is set to 300` is
the older /var/azureml-server's), matched as whole lines after the
log collector's prefix (error_lines.line_body), so a person's sentence that mentions a setting
("the Worker Timeout (seconds) is too low") is not taken for the banner.
"""

from __future__ import annotations

import re

# The banner's captions, as the server prints them, each followed by ": value".
_SETTING_CAPTIONS = (
    r"Entry Script Name|Model Directory|Config File|Worker Count|Worker Timeout \(seconds\)"
    r"|Server Port|Health Port|Application Insights (?:Enabled|Key)"
    r"|Inferencing HTTP server version|CORS for the specified origins"
    r"|Create dedicated endpoint for health|Liveness Probe|Score"
)
_CONFIGURATION_LINE = re.compile(
    r"^(?:"
    rf"(?:{_SETTING_CAPTIONS}):[ \t]*\S.{{0,300}}"
    # The value logged once the script is loaded (1.x), and the older servers' own wording.
    r"|(?:[Ss]coring|[Ww]orker) timeout is set to \d+(?:\s*ms)?"
    r"|Scoring timeout setting is not found\. Use default timeout: \d+ ?ms"
    r"|Azure (?:ML|Machine Learning) Inferencing HTTP server v[\d.]+\S*"
    r"|Server (?:Settings|Routes)"
    r")\s*$"
)
# Nothing else on the line: the banner's values are short (a path, a number, None).
_MAX_VALUE_WORDS = 6


def configuration_line(body: str) -> bool:
    """True for a line of the server's settings banner (`body`: the line without its log
    prefix, error_lines.line_body): context, not evidence."""
    if len(body) > 400 or not _CONFIGURATION_LINE.match(body):
        return False
    value = body.split(":", 1)[1] if ":" in body else ""
    return len(value.split()) <= _MAX_VALUE_WORDS


# server/config.py log_config_errors(): "<NAME>: <pydantic message> (environment variable: <NAME>)"
_SETTING_REFUSED = re.compile(
    r"^(?P<name>[A-Z][A-Z0-9_]{2,}): (?P<message>.{1,300}?)"
    r" \(environment variable: (?P=name)\)\s*$")


def evidence_body(body: str) -> str:
    """What of a line (without its log prefix) may count as evidence: nothing of a banner line,
    a refused setting's message without the setting's name, any other line whole."""
    if configuration_line(body):
        return ""
    refused = _SETTING_REFUSED.match(body)
    if refused:
        return f"{refused['message']} (environment variable)"
    return body
