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
from dataclasses import dataclass, field
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
# `kubectl get secret`, also among other kinds (`get configmap,secret`).
_KUBECTL_GET_SECRET = re.compile(r"\bkubectl\b[^\n]*?[ \t]get[ \t]+(?:[\w.-]+,)*secrets?\b")
# `kubectl get secret NAME -o jsonpath='{.data.x}'` (or a Go template), then the value alone
# on the next line: one word, not a prompt.
_KUBECTL_SECRET_VALUE = re.compile(
    r"(?P<command>^[^\n]*\bkubectl\b[^\n]*?[ \t]get[ \t]+(?:[\w.-]+,)*secrets?\b[^\n]*"
    r"(?:jsonpath|template)[^\n]*\r?\n[ \t]*)(?![$#>%]|\[REDACTED)\S+(?=[ \t]*(?:\r?\n|\Z))",
    re.MULTILINE)
_JSON_DATA = re.compile(r'(?P<head>"(?:data|stringData)"\s*:\s*\{)(?P<body>[^{}]*)\}')
_JSON_VALUE = re.compile(r'(?P<key>"[^"\\]*"\s*:\s*")(?:[^"\\]|\\.)*(?P<end>")')


def line_indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


_YAML_KEY = re.compile(r"^(?P<indent>[ \t]*)(?P<dash>-[ \t]+)?[\"']?(?P<key>[\w.-]+)[\"']?:"
                       r"[ \t]*[\"']?(?P<value>[\w.-]*)")


@dataclass
class _Mapping:
    column: int  # where its keys start
    kind: str | None = None
    data_lines: list[int] = field(default_factory=list)


def _yaml_data_kinds(lines: list[str]) -> dict[int, str | None]:
    """For each `data:`/`stringData:` line, the `kind:` of the mapping it belongs to (None: the
    paste does not show one).

    A List of ConfigMaps and Secrets (`kubectl get configmap,secret -o yaml`) holds both kinds;
    each item says its own, after its `data:` (kubectl sorts keys). One pass with a stack of the
    open mappings, by the column their keys start at: linear in the lines."""
    kinds: dict[int, str | None] = {}
    stack: list[_Mapping] = []

    def close(deeper_than: int) -> None:
        while stack and stack[-1].column > deeper_than:
            done = stack.pop()
            kinds.update(dict.fromkeys(done.data_lines, done.kind))

    for index, line in enumerate(lines):
        if line.startswith("---"):
            close(-1)
            continue
        found = _YAML_KEY.match(line)
        if not found:
            continue
        indent = len(found.group("indent"))
        close(indent)
        if found.group("dash"):  # a list item: a new mapping whose keys start after the dash
            stack.append(_Mapping(column=found.start("dash") + len(found.group("dash"))))
        elif not stack or stack[-1].column < indent:
            stack.append(_Mapping(column=indent))
        key = found.group("key")
        if key == "kind":
            stack[-1].kind = found.group("value") or None
        elif key in ("data", "stringData"):
            stack[-1].data_lines.append(index)
    close(-1)
    return kinds


def _redact_yaml_data(text: str, fallback: bool) -> str:
    """Values under each `data:`/`stringData:` of a Secret; of an object whose kind is not
    shown (a cut-off paste) when `fallback` says the paste is about a Secret."""
    lines = text.split("\n")
    kinds = _yaml_data_kinds(lines) if "kind" in text else {}
    block_indent: int | None = None  # the indent of the `data:` line we are under
    for index, line in enumerate(lines):
        if block_indent is not None:
            if line.strip() and line_indent(line) <= block_indent:
                block_indent = None
            elif line.strip() and "[REDACTED:" not in line:
                entry = _YAML_ENTRY.match(line)
                # `key: value`, or a line of a `key: |` block: the value either way.
                lines[index] = (f"{entry.group('key')}{SECRET_MARKER}" if entry
                                else line[:line_indent(line)] + SECRET_MARKER)
                continue
        start = _YAML_DATA.match(line)
        kind = kinds.get(index)
        if start and (kind == "Secret" or (kind is None and fallback)):
            block_indent = line_indent(line)
    return "\n".join(lines)


_JSON_TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*+"|[{}\[\]:,]')


def _json_data_kinds(text: str) -> dict[int, str | None]:
    """For each `"data"`/`"stringData"` key (by its position), the `"kind"` of the object that
    holds it (None: not shown). One pass over the tokens with a stack of open objects, so a
    JSON List of ConfigMaps and Secrets is judged item by item."""
    stack: list[_Mapping | None] = []  # None: an array
    kinds: dict[int, str | None] = {}
    owners: dict[int, _Mapping] = {}
    previous = ""  # the token before, and the key waiting for its value
    key: str | None = None
    for token in _JSON_TOKEN.finditer(text):
        value = token.group()
        top = stack[-1] if stack else None
        if value in "{[":
            stack.append(_Mapping(column=0) if value == "{" else None)
        elif value in "}]":
            if stack:
                stack.pop()
        elif value == ":" and previous.startswith('"') and top is not None:
            key = previous[1:-1]
            if key in ("data", "stringData"):
                owners[token.start()] = top
        elif value.startswith('"') and previous == ":" and key == "kind" and top is not None:
            top.kind = value[1:-1]
        if value not in ":":
            key = key if value.startswith('"') and previous == ":" else None
        previous = value
    for at, owner in owners.items():
        kinds[at] = owner.kind
    return kinds


def _redact_json_data(text: str, fallback: bool) -> str:
    kinds = _json_data_kinds(text) if '"kind"' in text else {}

    def body(found: re.Match[str]) -> str:
        # The colon after `"data"` is where the token pass recorded the object's kind.
        kind = kinds.get(found.start("head") + found.group("head").index(":"))
        if kind != "Secret" and not (kind is None and fallback):
            return found.group(0)
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
    # Each object's own `kind` decides; an object whose kind the paste does not show (cut off)
    # is taken for a Secret when the paste reads one or shows one elsewhere.
    yaml_secret, json_secret = bool(_YAML_SECRET.search(text)), bool(_JSON_SECRET.search(text))
    if read_a_secret or yaml_secret:
        text = _redact_yaml_data(text, fallback=read_a_secret or yaml_secret or json_secret)
    if read_a_secret or json_secret:
        text = _redact_json_data(text, fallback=read_a_secret or yaml_secret or json_secret)
    if read_a_secret:
        text = _KUBECTL_SECRET_VALUE.sub(lambda found: found.group("command") + SECRET_MARKER,
                                         text)
    return text


# --- Escaped text -----------------------------------------------------------------------

_ESCAPE = r"(?:%[0-9A-Fa-f]{2}|\\u[0-9A-Fa-f]{4}|\\/)"
# A run is the stretch of a line between quotes: a JSON string holding Korean written as
# \uXXXX keeps its words (`비밀번호는 …`) beside the value they name.
_JSON_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\/")
_DECODE_ROUNDS = 3  # a URL inside a URL inside a URL; deeper nesting is not seen in pastes


def _json_unescaped(run: str) -> str:
    return _JSON_ESCAPE.sub(
        lambda found: chr(int(found.group(1), 16)) if found.group(1) else "/", run)


def _decode(run: str) -> str:
    for _ in range(_DECODE_ROUNDS):
        decoded = unquote(_json_unescaped(run))
        if decoded == run:
            break
        run = decoded
    return run


_ESCAPE_AT = re.compile(_ESCAPE)
_RUN_ENDS = ("\n", '"', "'", "<", ">")
_RUN_END = re.compile(r"[\n\"'<>]")


def _escaped_runs(text: str) -> list[tuple[int, int]]:
    """The runs holding an escape, as (start, end): found from each escape outwards. A regex
    scanning for the run from every position was quadratic on a long line that held a `%` but
    no escape (`… CPU 100%`): 24 s for 40,000 characters. Each run is measured once."""
    runs: list[tuple[int, int]] = []
    done = 0
    for escape in _ESCAPE_AT.finditer(text):
        if escape.start() < done:
            continue
        start = max(text.rfind(end, done, escape.start()) for end in _RUN_ENDS) + 1
        start = max(start, done)
        end = _RUN_END.search(text, escape.end())
        done = end.start() if end else len(text)
        runs.append((start, done))
    return runs


def redact_escaped(text: str, redact_plain: Callable[[str], str]) -> str:
    """Each escaped run decoded and passed to `redact_plain`; shown decoded if it held a secret.

    `redact_plain` is the pattern table alone (not the whole of `redact`), so a decoded run is
    never decoded again by a nested call."""
    done: dict[str, str] = {}  # a log repeats its URLs: each distinct run is decoded once

    def one(run: str) -> str:
        if run not in done:
            # JSON's escapes first, alone: a value may hold a `%` and two hex digits of its own
            # (`비번 Zx000%07q` in a JSON log that writes Korean as \uXXXX), which URL decoding
            # would turn into a control character and cut the value short of what names it as
            # a password. What is left is then URL-decoded for secrets sent in a query string.
            # (A run with JSON escapes alone decodes to `first` again: not redacted twice.)
            unescaped = _json_unescaped(run)
            first = redact_plain(unescaped) if unescaped != run else run
            decoded = _decode(first)
            redacted = redact_plain(decoded) if decoded != first else first
            done[run] = (redacted if redacted.count("[REDACTED:") > run.count("[REDACTED:")
                         else run)
        return done[run]
    pieces: list[str] = []
    kept = 0
    for start, end in _escaped_runs(text):
        pieces += [text[kept:start], one(text[start:end])]
        kept = end
    return "".join([*pieces, text[kept:]])


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
