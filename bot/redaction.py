"""Remove secrets from text before it is stored, posted or uploaded: the one place that knows.

One table of named patterns (Sentry-style parameterisation): each finds one kind of secret and
replaces only the secret itself with `[REDACTED:kind]`, so the rest of the line, the error the
matcher needs, stays as it was. Specific patterns run before the generic key=value one, and the
generic one skips values that are already redacted.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

log = logging.getLogger(__name__)

MARKER = "[REDACTED:{kind}]"


def marker(kind: str) -> str:
    return MARKER.format(kind=kind)


@dataclass(frozen=True)
class SecretPattern:
    kind: str  # the name in the marker
    regex: re.Pattern[str]
    # Which groups to keep around the secret: the replacement is prefix + marker + suffix.
    keep_prefix: str | None = None  # name of the group kept before the secret
    keep_suffix: str | None = None  # name of the group kept after the secret

    def substitute(self, text: str) -> str:
        return self.regex.sub(self._replacement, text)

    def _replacement(self, found: re.Match[str]) -> str:
        prefix = found.group(self.keep_prefix) if self.keep_prefix else ""
        suffix = found.group(self.keep_suffix) if self.keep_suffix else ""
        return f"{prefix or ''}{marker(self.kind)}{suffix or ''}"


# Keys whose value is a secret in `key=value`, `key: value` and `"key": "value"` form. A key
# may carry a prefix (`AZURE_CLIENT_SECRET`, `db_password`, `primaryKey`), never a suffix, so
# `max_tokens=512` or `token_expiry=3600` stay.
_SECRET_KEY = (
    r"[\w.-]{0,40}?(?:password|passwd|pwd|secret|token|api[_-]?key|apikey|access[_-]?key"
    r"|account[_-]?key|primary[_-]?key|secondary[_-]?key|private[_-]?key|signing[_-]?key"
    r"|auth[_-]?key|credentials?|sas[_-]?token)"
)
_NOT_REDACTED = r"(?!\[REDACTED)"

PATTERNS: tuple[SecretPattern, ...] = (
    # A PEM private key, whole block (keys are far below 16,000 characters). A block cut off by
    # the paste loses its base64 lines, up to the first line that is not key material.
    SecretPattern("private-key", re.compile(
        r"-----BEGIN (?P<label>[A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?)-----"
        r"(?:.{0,16000}?-----END (?P=label)-----"
        r"|(?:(?:\r?\n|\\n)[ \t]*[A-Za-z0-9+/=]{8,}[ \t]*(?=\r?\n|\\n|\Z))*)",
        re.DOTALL)),
    # Azure connection strings: AccountKey=..., SharedAccessKey=..., SharedAccessSignature=...
    SecretPattern("azure-key", re.compile(
        r"(?P<key>\b(?:AccountKey|SharedAccessKey|SharedAccessSignature)\s*=\s*)"
        + _NOT_REDACTED + r"[^;\s\"'<>]+", re.IGNORECASE), keep_prefix="key"),
    # A bare storage account key: 64 random bytes in base64 are 88 characters ending in ==.
    SecretPattern("azure-storage-key", re.compile(r"(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{86}==")),
    # SAS signature in a URL; sv/se/sp/... stay, they say what was allowed until when.
    SecretPattern("sas-signature", re.compile(
        r"(?P<key>[?&;]sig=)" + _NOT_REDACTED + r"[^&\s\"'<>#]+", re.IGNORECASE),
        keep_prefix="key"),
    # Slack tokens (bot, user, app-level, configuration/refresh) and incoming-webhook URLs.
    SecretPattern("slack-token", re.compile(
        r"\b(?:xox(?:e\.xox[a-z]|[a-z])-|xapp-)[A-Za-z0-9-]{8,}")),
    SecretPattern("slack-webhook", re.compile(
        r"(?P<key>https://hooks\.slack\.com/(?:services|workflows|triggers)/)[A-Za-z0-9/_-]+"),
        keep_prefix="key"),
    # JWTs anywhere (Azure AD access tokens, Kubernetes service-account tokens).
    SecretPattern("jwt", re.compile(
        r"\beyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*")),
    # Authorization headers: Bearer / Basic credentials (endpoint keys are plain bearer keys).
    SecretPattern("bearer-token", re.compile(
        r"(?P<key>\bBearer\s+)" + _NOT_REDACTED + r"[A-Za-z0-9\-._~+/]+=*", re.IGNORECASE),
        keep_prefix="key"),
    SecretPattern("basic-auth", re.compile(
        r"(?P<key>\bAuthorization\s*[:=]\s*[\"']?Basic\s+)" + _NOT_REDACTED
        + r"[A-Za-z0-9+/]+=*", re.IGNORECASE), keep_prefix="key"),
    # API-key headers named for what they carry (Azure OpenAI / Cognitive Services, Functions).
    SecretPattern("api-key", re.compile(
        r"(?P<key>\b(?:api-key|x-api-key|ocp-apim-subscription-key|x-functions-key)[\"']?"
        r"\s*:\s*[\"']?)" + _NOT_REDACTED + r"[^\s\"',;]+", re.IGNORECASE), keep_prefix="key"),
    # Provider tokens with a recognisable prefix.
    SecretPattern("github-token", re.compile(
        r"\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,})")),
    SecretPattern("openai-key", re.compile(r"\bsk-(?:proj-|live-|test-)?[A-Za-z0-9_-]{20,}")),
    # AWS access key ids.
    SecretPattern("aws-access-key-id", re.compile(r"\b(?:AKIA|ASIA|AIDA|AROA)[0-9A-Z]{16}\b")),
    # Passwords in URLs: scheme://user:password@host.
    SecretPattern("password", re.compile(
        r"(?P<key>\b[a-zA-Z][a-zA-Z0-9+.-]*://[^/\s:@\"']+:)" + _NOT_REDACTED
        + r"[^@\s/\"']+(?P<at>@)"), keep_prefix="key", keep_suffix="at"),
    # "key": "value" (JSON) and 'key': 'value' (Python reprs).
    SecretPattern("secret", re.compile(
        r'(?P<key>"' + _SECRET_KEY + r'"\s*:\s*")' + _NOT_REDACTED + r'(?:[^"\\\n]|\\.)+'
        + r'(?P<end>")', re.IGNORECASE), keep_prefix="key", keep_suffix="end"),
    SecretPattern("secret", re.compile(
        r"(?P<key>'" + _SECRET_KEY + r"'\s*:\s*')" + _NOT_REDACTED + r"(?:[^'\\\n]|\\.)+"
        + r"(?P<end>')", re.IGNORECASE), keep_prefix="key", keep_suffix="end"),
    # key=value (env vars, query strings, connection strings, CLI flags), quoted or not.
    SecretPattern("secret", re.compile(
        r"(?P<key>(?<![\w.-])" + _SECRET_KEY + r"\s*=\s*)" + _NOT_REDACTED
        + r"(?:\"[^\"\n]*\"|'[^'\n]*'|[^\s,;&\"'<>)}\]]+)", re.IGNORECASE),
        keep_prefix="key"),
    # key: value at the start of a line (YAML, headers). Only there: in prose, "failed to get
    # token: AADSTS700016 ..." names an error, not a secret.
    SecretPattern("secret", re.compile(
        r"(?P<key>^[ \t]*-?[ \t]*" + _SECRET_KEY + r"[ \t]*:[ \t]*)" + _NOT_REDACTED
        + r"(?:\"[^\"\n]*\"|'[^'\n]*'|[^\s\"']\S*)", re.IGNORECASE | re.MULTILINE),
        keep_prefix="key"),
    # AWS-style `aws_secret_access_key   wJalr...` (credentials files sometimes omit `=`).
    SecretPattern("aws-secret-key", re.compile(
        r"(?P<key>\baws_secret_access_key[\"']?\s*[:=]?\s*[\"']?)" + _NOT_REDACTED
        + r"[A-Za-z0-9/+=]{40}", re.IGNORECASE), keep_prefix="key"),
)


def redact(text: str) -> str:
    """`text` with every secret the table knows replaced by `[REDACTED:kind]`. Never raises."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    try:
        for pattern in PATTERNS:
            text = pattern.substitute(text)
        return text
    except Exception:  # a bug here must not leak the text it failed on, nor crash the caller
        log.exception("redaction failed; withholding the whole text")
        return marker("unredactable")


def redacted_kinds(text: str) -> list[str]:
    """The kinds of secret found in `text` (for audits and tests), in table order."""
    return [pattern.kind for pattern in PATTERNS if pattern.regex.search(text)]

