"""Secrets a per-pattern regex cannot see: they are known by where they sit, not what they are.

`bot.redaction` runs its pattern table, then these four passes:

- **Kubernetes Secret manifests.** `kubectl get secret -o yaml|json` prints the values under
  `data:`/`stringData:` in base64 under any name (`DB_CONN`, `username`); only the manifest
  saying `kind: Secret` makes them secret. kubectl sorts keys, so `data:` comes *before*
  `kind:`: the whole text is asked, not the lines above. A ConfigMap's `data:` stays. A paste
  that shows the `kubectl get secret` command is taken at its word even when the `kind:` line
  was cut off; and the output line under `kubectl get secret … -o jsonpath=…|--template=…`
  (one value, base64 or decoded by `| base64 -d`) is the secret itself.
- **Key Vault secrets.** `az keyvault secret show` prints the secret's name only inside its
  `id` (`https://<vault>.vault.azure.net/secrets/<name>/<version>`) and its value under a plain
  `"value"` a few keys later; SDK reprs and REST responses are alike. A `"value"` that close to
  such an id is the secret.
- **Escaped text.** A SAS URL passed inside another URL (`%3Fsv%3D…%26sig%3D…`), a form body in a
  debug log, a Kubernetes event (Go's JSON encoder writes `&` as `\\u0026`), a logger that writes
  `/` as `\\/`, Python's `json.dumps` writing Korean as `\\uXXXX`: the separators and names the
  patterns look for are escaped. Each run of escaped text is decoded and redacted; when that
  finds a secret the run is shown decoded, with the marker.
- **Random tokens with no name beside them** (`get_keys()` printing a tuple, a key in a table):
  32+ letters and digits mixing upper case, lower case and digits, with the character spread of
  a random string. Identifiers (`ModelPackageCreationFailedForV2Deployment`) have long runs of
  lower-case letters and less spread; hex ids and GUIDs have one case.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable
from urllib.parse import unquote

SECRET_MARKER = "[REDACTED:kubernetes-secret]"
TOKEN_MARKER = "[REDACTED:random-token]"

# --- Key Vault secrets -----------------------------------------------------------------------

VAULT_MARKER = "[REDACTED:key-vault-secret]"
_VAULT_SECRET_ID = re.compile(r"\.vault\.azure\.net(?:\\?/|%2F)secrets(?:\\?/|%2F)",
                              re.IGNORECASE)
# `"value": "…"`, also inside a JSON string (`\"value\": \"…\"`) and as a Python repr.
_VAULT_VALUE = re.compile(
    r"(?P<key>(?P<q>\\?[\"'])value(?P=q)\s*:\s*(?P=q))(?![\"']?\[REDACTED)"
    r"(?P<value>(?:(?!(?P=q))[^\n\\]|\\(?!(?P=q)).)+)(?P=q)")
# `KeyVaultSecret(…, value='…')`, the Python SDK's repr.
_VAULT_KWARG = re.compile(
    r"(?P<key>(?<![\w.])value=(?P<q>[\"']))(?![\"']?\[REDACTED)"
    r"(?P<value>(?:(?!(?P=q))[^\n\\]|\\.)+)(?P=q)")
VAULT_REACH = 1000  # characters between a secret's id and its value, either way


def redact_key_vault_values(text: str) -> str:
    """Each `"value"` within VAULT_REACH characters of a Key Vault secret id, redacted."""
    ids = [found.start() for found in _VAULT_SECRET_ID.finditer(text)]
    if not ids:
        return text

    def replaced(found: re.Match[str]) -> str:
        if not any(abs(found.start() - at) <= VAULT_REACH for at in ids):
            return found.group(0)
        return f"{found.group('key')}{VAULT_MARKER}{found.group('q')}"

    return _VAULT_KWARG.sub(replaced, _VAULT_VALUE.sub(replaced, text))


# --- Kubernetes Secret manifests ------------------------------------------------------------

_YAML_SECRET = re.compile(r"^[ \t]*kind:[ \t]*[\"']?Secret[\"']?[ \t]*$", re.MULTILINE)
_YAML_DATA = re.compile(r"^(?P<indent>[ \t]*)(?:data|stringData):[ \t]*$")
_YAML_ENTRY = re.compile(r"^(?P<key>[ \t]*[\"']?[\w.-]+[\"']?:[ \t]*)(?P<value>\S.*)$")
_JSON_SECRET = re.compile(r'"kind"\s*:\s*"Secret"')
_KUBECTL_GET_SECRET = re.compile(r"\bkubectl\b[^\n]*?[ \t]get[ \t]+secrets?\b")
# `kubectl get secret NAME -o jsonpath='{.data.x}'` (or a Go template), then the value alone
# on the next line: one word, not a prompt.
_KUBECTL_SECRET_VALUE = re.compile(
    r"(?P<command>^[^\n]*\bkubectl\b[^\n]*?[ \t]get[ \t]+secrets?\b[^\n]*"
    r"(?:jsonpath|template)[^\n]*\r?\n[ \t]*)(?![$#>%]|\[REDACTED)\S+(?=[ \t]*(?:\r?\n|\Z))",
    re.MULTILINE)
_JSON_DATA = re.compile(r'(?P<head>"(?:data|stringData)"\s*:\s*\{)(?P<body>[^{}]*)\}')
_JSON_VALUE = re.compile(r'(?P<key>"[^"\\]*"\s*:\s*")(?:[^"\\]|\\.)*(?P<end>")')


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def _redact_yaml_data(text: str) -> str:
    lines = text.split("\n")
    block_indent: int | None = None  # the indent of the `data:` line we are under
    for index, line in enumerate(lines):
        if block_indent is not None:
            if line.strip() and _indent(line) <= block_indent:
                block_indent = None
            elif line.strip() and "[REDACTED:" not in line:
                entry = _YAML_ENTRY.match(line)
                # `key: value`, or a line of a `key: |` block: the value either way.
                lines[index] = (f"{entry.group('key')}{SECRET_MARKER}" if entry
                                else line[:_indent(line)] + SECRET_MARKER)
                continue
        start = _YAML_DATA.match(line)
        if start:
            block_indent = _indent(line)
    return "\n".join(lines)


def _redact_json_data(text: str) -> str:
    def body(found: re.Match[str]) -> str:
        values = _JSON_VALUE.sub(
            lambda pair: pair.group("key") + (pair.group(0)[len(pair.group("key")):-1]
                                              if "[REDACTED:" in pair.group(0)
                                              else SECRET_MARKER) + pair.group("end"),
            found.group("body"))
        return f"{found.group('head')}{values}}}"
    return _JSON_DATA.sub(body, text)


def redact_secret_manifests(text: str) -> str:
    """Every value under `data:`/`stringData:` when the text is a Kubernetes Secret, and the
    value a `kubectl get secret` prints alone."""
    read_a_secret = bool(_KUBECTL_GET_SECRET.search(text))
    if read_a_secret or _YAML_SECRET.search(text):
        text = _redact_yaml_data(text)
    if read_a_secret or _JSON_SECRET.search(text):
        text = _redact_json_data(text)
    if read_a_secret:
        text = _KUBECTL_SECRET_VALUE.sub(lambda found: found.group("command") + SECRET_MARKER,
                                         text)
    return text


# --- Escaped text -----------------------------------------------------------------------

_ESCAPE = r"(?:%[0-9A-Fa-f]{2}|\\u[0-9A-Fa-f]{4}|\\/)"
# A run is the stretch of a line between quotes: a JSON string holding Korean written as
# \uXXXX keeps its words (`비밀번호는 …`) beside the value they name.
_ESCAPED_RUN = re.compile(r"[^\n\"'<>]*" + _ESCAPE + r"[^\n\"'<>]*")
_JSON_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\/")
_DECODE_ROUNDS = 3  # a URL inside a URL inside a URL; deeper nesting is not seen in pastes


def _decode(run: str) -> str:
    for _ in range(_DECODE_ROUNDS):
        decoded = unquote(_JSON_ESCAPE.sub(
            lambda found: chr(int(found.group(1), 16)) if found.group(1) else "/", run))
        if decoded == run:
            break
        run = decoded
    return run


def redact_escaped(text: str, redact_plain: Callable[[str], str]) -> str:
    """Each escaped run decoded and passed to `redact_plain`; shown decoded if it held a secret.

    `redact_plain` is the pattern table alone (not the whole of `redact`), so a decoded run is
    never decoded again by a nested call."""
    done: dict[str, str] = {}  # a log repeats its URLs: each distinct run is decoded once

    def one(found: re.Match[str]) -> str:
        run = found.group()
        if run not in done:
            decoded = _decode(run)
            redacted = redact_plain(decoded) if decoded != run else run
            done[run] = (redacted if redacted.count("[REDACTED:") > run.count("[REDACTED:")
                         else run)
        return done[run]
    return _ESCAPED_RUN.sub(one, text)


def may_be_escaped(text: str) -> bool:
    return "%" in text or "\\u" in text or "\\/" in text


# --- Random tokens with no name -----------------------------------------------------------

_CANDIDATE = re.compile(
    r"(?<![A-Za-z0-9+/_.=-])(?=[A-Za-z0-9]*[A-Z])(?=[A-Za-z0-9]*[a-z])(?=[A-Za-z0-9]*[0-9])"
    r"[A-Za-z0-9]{32,}={0,2}(?![A-Za-z0-9+/_.-])")
_LOWER_RUN = re.compile(r"[a-z]{6,}")
# Spread is the Shannon entropy in bits per character. Measured on 5,000 random keys: with these
# two tests 94% of 32-character keys and all 64-character ones are taken; camel-case identifiers
# with digits (`ModelPackageCreationFailedForV2Deployment2023`, 4.31) have a run of six or more
# lower-case letters (a word) and a spread under 4.6.
_SPREAD_WITHOUT_WORDS = 4.1
_SPREAD_ANYWAY = 4.6


def _spread(token: str) -> float:
    counts = Counter(token)
    return -sum(n / len(token) * math.log2(n / len(token)) for n in counts.values())


def _looks_random(token: str) -> bool:
    token = token.rstrip("=")
    spread = _spread(token)
    return spread >= _SPREAD_ANYWAY or (spread >= _SPREAD_WITHOUT_WORDS
                                        and not _LOWER_RUN.search(token))


def redact_random_tokens(text: str) -> str:
    """Long mixed-case alphanumeric tokens that look random, whatever is around them."""
    return _CANDIDATE.sub(
        lambda found: TOKEN_MARKER if _looks_random(found.group()) else found.group(), text)
