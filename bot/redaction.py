"""Remove secrets from text before it is stored, posted or uploaded: the one place that knows.

One table of named patterns (Sentry-style parameterisation): each finds one kind of secret and
replaces only the secret itself with `[REDACTED:kind]`, so the rest of the line, the error the
matcher needs, stays as it was. Specific patterns run before the generic key=value one, and the
generic one skips values that are already redacted.

`sanitize()` is the one pass every text from outside goes through FIRST, whole, before anything
cuts, masks, summarises, stores, logs or uploads it: a secret cut in two by a 600-character line
limit no longer looks like a secret, so redacting afterwards would leak its first half. It
removes control and invisible characters (which could also hide a token from the patterns) and
then redacts. Its result is a `SafeText`, so a later `sanitize()` of the same text costs nothing.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from bot.controls import clean_controls

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
    r"|auth[_-]?key|credentials?|sas[_-]?token|client[_-]?key[_-]?data)"
)
_NOT_REDACTED = r"(?![\"']?\[REDACTED)"  # also a quoted marker left by the JSON rules

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
        r"(?P<key>(?:[?&;]|(?<![\w%.-]))sig=)" + _NOT_REDACTED + r"[^&\s\"'<>#]+", re.IGNORECASE),
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
    SecretPattern("gitlab-token", re.compile(r"\bgl(?:pat|dt|rt|ptt|cbt)-[A-Za-z0-9_-]{20,}")),
    SecretPattern("stripe-key", re.compile(
        r"\b(?:(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}|whsec_[A-Za-z0-9]{24,})")),
    SecretPattern("openai-key", re.compile(r"\bsk-(?:proj-|live-|test-|ant-)?[A-Za-z0-9_-]{20,}")),
    SecretPattern("google-api-key", re.compile(r"\bAIza[A-Za-z0-9_-]{35}")),
    SecretPattern("google-oauth-secret", re.compile(r"\bGOCSPX-[A-Za-z0-9_-]{28}")),
    SecretPattern("databricks-token", re.compile(r"\bdapi[a-f0-9]{32}(?:-\d)?")),
    SecretPattern("pypi-token", re.compile(r"\bpypi-[A-Za-z0-9_-]{50,}")),
    SecretPattern("npm-token", re.compile(r"\bnpm_[A-Za-z0-9]{36}")),
    SecretPattern("huggingface-token", re.compile(r"\bhf_[A-Za-z0-9]{30,}")),
    SecretPattern("sendgrid-key", re.compile(r"\bSG\.[A-Za-z0-9_-]{20,24}\.[A-Za-z0-9_-]{40,50}")),
    SecretPattern("digitalocean-token", re.compile(r"\bdo[por]_v1_[a-f0-9]{64}")),
    SecretPattern("shopify-token", re.compile(r"\bshp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}")),
    SecretPattern("age-secret-key", re.compile(r"\bAGE-SECRET-KEY-1[0-9A-Z]{58}")),
    SecretPattern("twilio-key", re.compile(r"\bSK[0-9a-f]{32}\b")),
    # Entra ID (Azure AD) client secrets: three characters, a digit, `Q~`, then 31-34 more.
    SecretPattern("entra-client-secret", re.compile(
        r"(?<![A-Za-z0-9_~.-])[A-Za-z0-9_~.-]{3}\dQ~[A-Za-z0-9_~.-]{31,34}(?![A-Za-z0-9_~.-])")),
    # Azure's newer "identifiable" keys (Cognitive Services, Azure OpenAI, Functions...) carry
    # the JQQJ9 signature at a fixed place.
    SecretPattern("azure-identifiable-key", re.compile(
        r"(?<![A-Za-z0-9])[A-Za-z0-9]{52}JQQJ9[9DH][A-Za-z0-9][A-L][A-Za-z0-9]{16}[A-Za-z]"
        r"[A-Za-z0-9]{7}(?:[A-Za-z0-9]{2}==)?")),
    # A whole .dockerconfigjson, base64-encoded (`{"auths"` in base64 begins eyJhdXRocyI).
    SecretPattern("docker-config", re.compile(r"\beyJhdXRocyI[A-Za-z0-9+/=_-]*")),
    # `"auth": "<base64 user:password>"` inside a docker config's auths (also JSON-escaped).
    SecretPattern("docker-auth", re.compile(
        r'(?P<key>\\?"auth\\?"\s*:\s*\\?")' + _NOT_REDACTED + r'[^"\s\\]+', re.IGNORECASE),
        keep_prefix="key"),
    # Passwords given as CLI flags: `az login -p`, `docker login -p/--password`, `--client-secret`.
    SecretPattern("password", re.compile(
        r"(?P<key>\blogin\b[^\n]*?[ \t](?:-p|--password|--secret)(?:[ \t]+|=))" + _NOT_REDACTED
        + r"(?:\"[^\"\n]*\"|'[^'\n]*'|[^\s\"']+)"), keep_prefix="key"),
    SecretPattern("password", re.compile(
        r"(?P<key>(?<![\w-])--(?:password|passwd|client-secret|secret|token|sas-token"
        r"|account-key|api-key|access-key|service-principal-password)(?:[ \t]+|=))"
        + _NOT_REDACTED + r"(?:\"[^\"\n]*\"|'[^'\n]*'|[^\s\"'-][^\s\"']*)",
        re.IGNORECASE), keep_prefix="key"),
    # AWS access key ids.
    SecretPattern("aws-access-key-id", re.compile(r"\b(?:AKIA|ASIA|AIDA|AROA)[0-9A-Z]{16}\b")),
    # Passwords in URLs: scheme://user:password@host.
    SecretPattern("password", re.compile(
        r"(?P<key>\b[a-zA-Z][a-zA-Z0-9+.-]*://[^/\s:@\"']*:)" + _NOT_REDACTED
        + r"[^@\s/\"']+(?P<at>@)"), keep_prefix="key", keep_suffix="at"),
    # "key": "value" (JSON) and 'key': 'value' (Python reprs).
    SecretPattern("secret", re.compile(
        r'(?P<key>"' + _SECRET_KEY + r'"\s*:\s*")' + _NOT_REDACTED + r'(?:[^"\\\n]|\\.)+'
        + r'(?P<end>")', re.IGNORECASE), keep_prefix="key", keep_suffix="end"),
    # The same inside a JSON string (a JSON body logged as a string: `\\"password\\": \\"x\\"`).
    SecretPattern("secret", re.compile(
        r'(?P<key>\\"' + _SECRET_KEY + r'\\"\s*:\s*\\")' + _NOT_REDACTED
        + r'(?:[^"\\\n]|\\[^"\n])+(?P<end>\\")', re.IGNORECASE),
        keep_prefix="key", keep_suffix="end"),
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
        r"(?P<key>^[ \t]*-?[ \t]*[\"']?" + _SECRET_KEY + r"[\"']?[ \t]*:[ \t]*)" + _NOT_REDACTED
        + r"(?:\"[^\"\n]*\"|'[^'\n]*'|[^\s\"'|>][^\n]*?)(?=[ \t]+#|[ \t]*$)",
        re.IGNORECASE | re.MULTILINE),
        keep_prefix="key"),
    # Kubernetes env entries: `- name: DB_PASSWORD` with the value on the next line.
    SecretPattern("secret", re.compile(
        r"(?P<key>^[ \t]*-?[ \t]*name:[ \t]*[\"']?" + _SECRET_KEY + r"[\"']?[ \t]*\r?\n"
        r"[ \t]*value:[ \t]*)" + _NOT_REDACTED
        + r"(?:\"[^\"\n]*\"|'[^'\n]*'|[^\s\"'|>][^\n]*?)(?=[ \t]+#|[ \t]*$)",
        re.IGNORECASE | re.MULTILINE), keep_prefix="key"),
    # Any other name ending in `key` (`key=`, `SCORING_KEY=`, `primary key:`, `"key": "`)
    # when its value looks random: 20+ token characters with a digit in them. Endpoint and
    # scoring keys are pasted this way; names and paths (`key=model_name`,
    # `sort_key=churn-scorer-blue`, `cache key=model.pkl`) have no digit or hold a dot.
    SecretPattern("secret", re.compile(
        r"(?P<key>(?<![\w.-])(?i:[\w.-]{0,40}?key)[\"']?[ \t]*[=:][ \t]*[\"']?)"
        + _NOT_REDACTED + r"(?=[A-Za-z0-9+/_=-]*[0-9])(?=[A-Za-z0-9+/_=-]*[A-Za-z])"
        r"[A-Za-z0-9+/_=-]{20,}(?![A-Za-z0-9+/_=.-])"), keep_prefix="key"),
    # AWS-style `aws_secret_access_key   wJalr...` (credentials files sometimes omit `=`).
    SecretPattern("aws-secret-key", re.compile(
        r"(?P<key>\baws_secret_access_key[\"']?\s*[:=]?\s*[\"']?)" + _NOT_REDACTED
        + r"[A-Za-z0-9/+=]{40}", re.IGNORECASE), keep_prefix="key"),
)


class SafeText(str):
    """Text that went through `sanitize()`: cleaned and redacted. Any slice or concatenation is
    a plain `str` again, so only the untouched result skips the next pass."""

    __slots__ = ()


def sanitize(text: str | None) -> SafeText:
    """The one pass for text from outside: control characters out, then every secret out.

    Run it first, on the whole text, before any cut, mask, summary, log line or upload.
    """
    if isinstance(text, SafeText):
        return text
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    try:
        cleaned = clean_controls(text)
    except Exception:  # never let a cleaning bug pass the text on unredacted
        log.exception("cleaning control characters failed; redacting the raw text")
        cleaned = text
    return SafeText(redact(cleaned))


# Words without which a kind of pattern cannot match (lower case, looked up in the lower-cased
# text). A megabyte of log holds few of them, and a pattern whose words are all absent is not
# run: the generic key=value scans are what makes redaction cost seconds on big texts. A kind
# not listed always runs. Substituting a marker never creates a secret, so checking the words
# once, on the text as it came in, is safe.
_SECRET_WORDS = ("pass", "pwd", "secret", "token", "key", "credential", "key-data")
_HINTS: dict[str, tuple[str, ...]] = {
    "private-key": ("private key",),
    "azure-key": ("accountkey", "sharedaccess"),
    "azure-storage-key": ("==",),
    "sas-signature": ("sig=",),
    "slack-token": ("xox", "xapp-"),
    "slack-webhook": ("hooks.slack.com",),
    "jwt": ("eyj",),
    "bearer-token": ("bearer",),
    "basic-auth": ("basic",),
    "api-key": ("key",),
    "github-token": ("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"),
    "gitlab-token": ("glpat-", "gldt-", "glrt-", "glptt-", "glcbt-"),
    "stripe-key": ("_live_", "_test_", "whsec_"),
    "openai-key": ("sk-",),
    "google-api-key": ("aiza",),
    "google-oauth-secret": ("gocspx-",),
    "databricks-token": ("dapi",),
    "pypi-token": ("pypi-",),
    "npm-token": ("npm_",),
    "huggingface-token": ("hf_",),
    "sendgrid-key": ("sg.",),
    "digitalocean-token": ("_v1_",),
    "shopify-token": ("shpat_", "shpca_", "shppa_", "shpss_"),
    "age-secret-key": ("age-secret-key-1",),
    "twilio-key": ("sk",),
    "entra-client-secret": ("q~",),
    "azure-identifiable-key": ("jqqj9",),
    "docker-config": ("eyjhdxrocyi",),
    "docker-auth": ('"auth"', 'auth\\"'),
    "password": ("://", "login", "--"),
    "aws-access-key-id": ("akia", "asia", "aida", "aroa"),
    "secret": _SECRET_WORDS,
    "aws-secret-key": ("aws_secret_access_key",),
}


def _may_match(pattern: SecretPattern, lowered: str) -> bool:
    hints = _HINTS.get(pattern.kind)
    return hints is None or any(hint in lowered for hint in hints)


def redact(text: str) -> str:
    """`text` with every secret the table knows replaced by `[REDACTED:kind]`. Never raises."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    try:
        lowered = text.lower()
        for pattern in PATTERNS:
            if _may_match(pattern, lowered):
                text = pattern.substitute(text)
        return text
    except Exception:  # a bug here must not leak the text it failed on, nor crash the caller
        log.exception("redaction failed; withholding the whole text")
        return marker("unredactable")


def redacted_kinds(text: str) -> list[str]:
    """The kinds of secret found in `text` (for audits and tests), in table order."""
    return [pattern.kind for pattern in PATTERNS if pattern.regex.search(text)]

