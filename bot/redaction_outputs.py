"""Secrets that CLI output prints with no name beside them: known by the command or the list.

`bot.redaction` runs this after its pattern table:

- **Lists of secrets.** `az ml workspace list-keys` (CLI v2) prints the registry's passwords as
  a bare list under `passwords:` (`"passwords": ["…", "…"]`, or YAML `- …` lines). The list's
  name is the only clue: each plain item of a list named `passwords` is redacted, and of one
  named `secrets` or `tokens` each item shaped like a value (Docker Compose lists secrets'
  names under `secrets:`).
- **Credentials commands with `-o tsv` or `-o table`.** `--query primaryKey -o tsv` prints the
  key alone on a line; `az storage account keys list -o table` prints it in a column. An
  endpoint key may look like a hash, so the value alone cannot be told from an id: the command
  above it can. The lines after `az … get-credentials | credential show | keys list |
  list-keys | show-connection-string | get-access-token | admin-key show | …` asking for tsv,
  a table or a
  `--query` are read as rows (fields between tabs or runs of spaces, none holding a single
  space: a log line or a sentence ends them), up to the next command or 8 lines; every
  key-shaped field is redacted: 16+ characters of a key's alphabet with a digit, or 32+.
  Dates, names, `FULL`, resource ids (`/subscriptions/…`), the table's rulers and the gaps
  between fields stay. Under `az keyvault secret show … --query value`, the next line is the
  secret whatever its characters, and goes whole.
"""

from __future__ import annotations

import re

from bot.redaction_shapes import line_indent

LIST_MARKER = "[REDACTED:secret]"
OUTPUT_MARKER = "[REDACTED:credential]"

# --- lists of secrets ----------------------------------------------------------------------

_LIST_NAME = r"[\w.-]{0,40}?(?:passwords|secrets|tokens)"
# `"passwords": [ "…", "…" ]`: the body holds no nested list or object (those are named pairs,
# left to the table's rules). Each scan stops at the first bracket, so it is linear.
_JSON_LIST = re.compile(r'(?P<head>"' + _LIST_NAME + r'"\s*:\s*\[)(?P<body>[^\[\]{}]*)\]',
                        re.IGNORECASE)
_JSON_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*+"')
_YAML_LIST_HEAD = re.compile(r"^(?P<indent>[ \t]*)(?:-[ \t]+)?[\"']?(?P<name>" + _LIST_NAME
                             + r")[\"']?[ \t]*:[ \t]*$", re.IGNORECASE)
# A plain item: `- value`, not `- name: …` (a mapping, handled by the name/value rules).
_YAML_ITEM = re.compile(r"^(?P<dash>[ \t]*-[ \t]+)(?P<value>[^\s:#][^\s]*)[ \t]*$")


def _is_secret_item(list_name: str, item: str) -> bool:
    """Every item of a `passwords` list; of `secrets` or `tokens`, only one shaped like a value:
    Docker Compose's `secrets: [db_password]` and a ServiceAccount's list name secrets, not
    hold them. A value has 16+ characters with a digit."""
    if "[REDACTED:" in item:
        return False
    return list_name.lower().endswith("passwords") or (
        len(item) >= 16 and any(c.isdigit() for c in item) and " " not in item)


def _redact_json_lists(text: str) -> str:
    def body(found: re.Match[str]) -> str:
        name = found.group("head").split('"')[1]
        items = _JSON_STRING.sub(
            lambda item: f'"{LIST_MARKER}"' if _is_secret_item(name, item.group()[1:-1])
            else item.group(), found.group("body"))
        return f"{found.group('head')}{items}]"
    return _JSON_LIST.sub(body, text)


def _redact_yaml_lists(text: str) -> str:
    lines = text.split("\n")
    under: int | None = None  # the indent of the list's name while we are in its items
    name = ""
    for index, line in enumerate(lines):
        if under is not None:
            item = _YAML_ITEM.match(line)
            # YAML lets a list's dashes sit at its name's indent or deeper.
            if item and line_indent(line) >= under:
                if _is_secret_item(name, item.group("value").strip("\"'")):
                    lines[index] = item.group("dash") + LIST_MARKER
                continue
            under = None
        head = _YAML_LIST_HEAD.match(line)
        if head:
            under, name = len(head.group("indent")), head.group("name")
    return "\n".join(lines)


def redact_secret_lists(text: str) -> str:
    if "[" in text:
        text = _redact_json_lists(text)
    return _redact_yaml_lists(text)


def may_hold_secret_lists(lowered: str) -> bool:
    return "passwords" in lowered or "secrets" in lowered or "tokens" in lowered


# --- output of credentials commands -----------------------------------------------------------

_CREDENTIALS_COMMAND = re.compile(
    r"\baz[ \t][^\n]*?(?:get-credentials|credential[ \t]+show|keys[ \t]+list|list-keys"
    r"|show-connection-string|get-access-token|keys[ \t]+renew|regenerate-keys?"
    r"|admin-key[ \t]+show|query-key[ \t]+list|connection-string[ \t]+show"
    r"|list-publishing-credentials|secret[ \t]+show)\b"
    # Only where the output has no names: `-o tsv`, `-o table`, or one value `--query`'d.
    r"(?=[^\n]*(?:tsv|table|--query))[^\n]*$")
_ANY_COMMAND = re.compile(r"^[ \t]*(?:[$>#%][ \t]*|PS[^>\n]*>[ \t]*)?(?:az|kubectl|curl|helm)\b")
# Between the fields of `-o tsv` (tabs) and `-o table` (two or more spaces).
_COLUMNS = re.compile(r"(\t|  +)")
# A key's alphabet (base64, hex, GUIDs, URL-safe tokens); `--query` without `-o tsv` prints the
# value as a JSON string, its quotes kept.
_KEY_FIELD = re.compile(r"(?P<q>\"?)(?P<key>(?![/.])[A-Za-z0-9+/=_.~-]{16,})(?P=q)")
# Lines of output after a credentials command: its tsv is one or two lines, its table two
# header lines and a row per key (four with Kerberos keys). Short, so a log pasted right
# below keeps its pod names and request ids.
OUTPUT_REACH = 8


def _key_shaped(field: str) -> bool:
    """16+ characters of a key's alphabet with a digit, or 32+ (a key of letters alone); not a
    resource id or path, not a table's ruler."""
    found = _KEY_FIELD.fullmatch(field)
    if not found or not field.strip("-="):
        return False
    key = found.group("key")
    return len(key) >= 32 or any(c.isdigit() for c in key)


def _output_row(line: str) -> list[str] | None:
    """The line split into fields and the gaps between them, if it reads as tsv or table
    output: no field holds a single space. A log line or a sentence is not."""
    parts = _COLUMNS.split(line.strip())
    return None if any(" " in part for part in parts[::2]) else parts


# `az keyvault secret show … --query value -o tsv` prints the secret itself, whatever its
# characters (`Winter2026!`, spaces and all): the whole line under it is the secret.
_SECRET_VALUE_COMMAND = re.compile(
    r"\baz[ \t][^\n]*?\bsecret[ \t]+show\b(?=[^\n]*--query[ \t=]+[\"']?value\b)[^\n]*$")


def redact_credentials_output(text: str) -> str:
    """Key-shaped fields in the rows a credentials command printed below itself."""
    lines = text.split("\n")
    left = 0  # output lines still to look at under the last credentials command
    for index, line in enumerate(lines):
        if _CREDENTIALS_COMMAND.search(line):
            left = OUTPUT_REACH
            following = lines[index + 1] if index + 1 < len(lines) else ""
            if (_SECRET_VALUE_COMMAND.search(line) and following.strip()
                    and not _ANY_COMMAND.match(following) and "[REDACTED:" not in following):
                lines[index + 1] = OUTPUT_MARKER
            continue
        row = _output_row(line) if left and line.strip() else None
        if row is None or _ANY_COMMAND.match(line):
            left = 0
            continue
        row[::2] = [OUTPUT_MARKER if _key_shaped(part) and "[REDACTED:" not in part else part
                    for part in row[::2]]
        stripped = line.strip()
        start = line.index(stripped)
        lines[index] = line[:start] + "".join(row) + line[start + len(stripped):]
        left -= 1
    return "\n".join(lines)


def may_hold_credentials_output(lowered: str) -> bool:
    # _CREDENTIALS_COMMAND starts `\baz[ \t]`: `az` alone is in every `azureml` of a log.
    return ("az " in lowered or "az\t" in lowered) and (
        "cred" in lowered or "key" in lowered or "connection" in lowered or "token" in lowered)
