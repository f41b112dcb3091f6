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

from bot import redaction_outputs as outputs
from bot import redaction_shapes as shapes
from bot import redaction_wraps as wraps
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
    # Lower-case strings one of which is in every text the pattern matches in, checked on top
    # of its kind's words (_HINTS) and never instead: a kind's words let all its patterns run
    # (the `password` kind's `login`, from login.microsoft.com in a log, ran ten patterns over
    # the whole text). Only strings the text holds whatever the regex's case rules: written
    # in the regex without IGNORECASE, or every spelling IGNORECASE allows: `password` also
    # matches `paſſword` (a long s), which no lower-cased `pass` finds.
    needs: tuple[str, ...] = ()

    def substitute(self, text: str) -> str:
        return self.regex.sub(self._replacement, text)

    def _replacement(self, found: re.Match[str]) -> str:
        random = found.groupdict().get("random") or ""
        head = random.rstrip(".")  # a full stop ending the sentence is not part of the value
        if "." in head or (random and len(head) < 20):  # a name or a path, not a key
            return found.group(0)
        prefix = found.group(self.keep_prefix) if self.keep_prefix else ""
        suffix = found.group(self.keep_suffix) if self.keep_suffix else ""
        return f"{prefix or ''}{marker(self.kind)}{random[len(head):]}{suffix or ''}"


# Keys whose value is a secret in `key=value`, `key: value` and `"key": "value"` form. A key
# may carry a prefix (`AZURE_CLIENT_SECRET`, `db_password`, `primaryKey`), never a suffix, so
# `max_tokens=512` or `token_expiry=3600` stay.
_SECRET_KEY = (
    r"[\w.-]{0,40}?(?:password|passwd|pwd|secret|token|api[_-]?key|apikey|access[_-]?key"
    r"|account[_-]?key|primary[_-]?key|secondary[_-]?key|private[_-]?key|signing[_-]?key"
    r"|auth[_-]?key|credentials?|sas[_-]?token|client[_-]?key[_-]?data"
    # `DB_PASS`, `SMTP_PASS` (not `bypass`), and the Korean names people write: password,
    # passphrase, token, secret, auth key, access key.
    r"|(?<![a-z])pass|비밀번호|비번|패스워드|암호|토큰|시크릿|인증\s?키|액세스\s?키)"
    # ... and a numbered one: `az acr credential show` names its second password `password2`.
    r"\d?"
)
_NOT_REDACTED = r"(?![\"']?\[REDACTED)"  # also a quoted marker left by the JSON rules
# Any other name ending in `key` (`SCORING_KEY`, `primaryKey`), or Azure's numbered `key1` and
# `key2` (`az cognitiveservices account keys list`): a secret only when its value looks random.
_KEY_NAME = r"[\w.-]{0,40}?key[12]?"
# A random-looking value: 20+ token characters with a letter and a digit. Names and paths
# (`key=model_name`, `sort_key=churn-scorer-blue`, `cache key=model.pkl`) have no digit or
# hold a dot.
# Linear time: the letter and the digit are looked for in the first 256 characters only (a
# random value without a digit that far is a one in 10^19 chance), and the run, dots and all, is
# taken whole and never given back; a run holding a dot is a name (`model.pkl`) and is put back
# by `SecretPattern` (group `random`). Failing on the dot instead made every `key=` of a long
# `=key=1=key=1….` run rescan the rest of it: quadratic.
_RANDOM_VALUE = (r"(?=[A-Za-z0-9+/_=-]{0,256}[0-9])(?=[A-Za-z0-9+/_=-]{0,256}[A-Za-z])"
                 r"(?P<random>[A-Za-z0-9+/_=.-]{20,}+)")
# What `echo`, `printf` or a here-string hand to `--password-stdin`: quoted, or a word that is
# not a variable (`$ACR_PASSWORD` names one).
_STDIN_VALUE = r"(?:\"[^\"\n]*\"|'[^'\n]*'|[^\s\"'|$][^\s\"'|]*)"
_CONTINUED = r"(?:\\?[ \t]*\r?\n[ \t]*)?"  # a command carried on to the next line
_GUID = r"[0-9A-Fa-f]{8}-(?:[0-9A-Fa-f]{4}-){3}[0-9A-Fa-f]{12}(?![0-9A-Fa-f-])"
# Token edges. Python's \b counts Hangul (any letter) as a word character, so a token written
# straight after a Korean word (`토큰xoxb-…`) or followed by a particle (`AKIA…를`) had no
# boundary and was not recognised: the edges of a token are ASCII ones.
_B = r"(?<![A-Za-z0-9_])"
_E = r"(?![A-Za-z0-9_])"

PATTERNS: tuple[SecretPattern, ...] = (
    # A PEM private key, whole block (keys are far below 16,000 characters). A block cut off by
    # the paste loses its base64 lines, up to the first line that is not key material.
    SecretPattern("private-key", re.compile(
        r"-----BEGIN (?P<label>[A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?)-----"
        r"(?:.{0,16000}?-----END (?P=label)-----"
        r"|(?:(?:\r?\n|\\n)[ \t]*[A-Za-z0-9+/=]{8,}[ \t]*(?=\r?\n|\\n|\Z))*)",
        re.DOTALL)),
    # Application Insights: the instrumentation key (a GUID) lets anyone send telemetry into
    # the resource. Its connection string's endpoints stay: they name region and cloud. Also
    # `APPINSIGHTS_INSTRUMENTATIONKEY`, a telemetry envelope's `"iKey"`, and the key named in a
    # sentence with no separator (`InstrumentationKey 4f2a… is invalid`).
    SecretPattern("appinsights-key", re.compile(
        r"(?P<key>(?<![A-Za-z0-9])(?:instrumentation[ _-]?key|ikey)[\"']?(?:[ \t]*[:=][ \t]*"
        r"[\"']?|[ \t]+))" + _NOT_REDACTED + _GUID, re.IGNORECASE), keep_prefix="key"),
    # Azure connection strings: AccountKey=..., SharedAccessKey=..., SharedAccessSignature=...
    SecretPattern("azure-key", re.compile(
        r"(?P<key>" + _B + r"(?:AccountKey|SharedAccessKey|SharedAccessSignature)\s*=\s*)"
        + _NOT_REDACTED + r"[^;\s\"'<>]+", re.IGNORECASE), keep_prefix="key"),
    # An Azure Container Registry password (admin or token) issued since 2024: 42 base64
    # characters, the `+ACR` signature, one of A-D, five more. `-o tsv` and `-o table` print it
    # with no name beside it.
    SecretPattern("acr-password", re.compile(
        r"(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{42}\+ACR[A-D][A-Za-z0-9+/]{5}(?![A-Za-z0-9+/])")),
    # A bare storage account key: 64 random bytes in base64 are 88 characters ending in ==.
    SecretPattern("azure-storage-key", re.compile(r"(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{86}==")),
    # SAS signature in a URL; sv/se/sp/... stay, they say what was allowed until when.
    SecretPattern("sas-signature", re.compile(
        r"(?P<key>(?:[?&;]|(?<![A-Za-z0-9_%.-]))sig=)" + _NOT_REDACTED + r"[^&\s\"'<>#]+",
        re.IGNORECASE),
        keep_prefix="key"),
    # A key carried by a URL's `code` parameter: Azure Functions' function and host keys
    # (`/api/score?code=…`, the URL Azure's portal hands out), and OAuth authorization codes
    # in a redirect. Only a value that looks random: `?code=InvalidAuthenticationToken` and
    # `&code=503` name an error.
    SecretPattern("url-code", re.compile(
        r"(?P<key>[?&]code=)" + _NOT_REDACTED
        + r"(?=[^&\s\"'<>#]*[0-9])(?=[^&\s\"'<>#]*[A-Za-z])[^&\s\"'<>#]{16,}", re.IGNORECASE),
        keep_prefix="key"),
    # Slack tokens (bot, user, app-level, configuration/refresh) and incoming-webhook URLs.
    SecretPattern("slack-token", re.compile(
        _B + r"(?:xox(?:e\.xox[a-z]|[a-z])-|xapp-)[A-Za-z0-9-]{8,}")),
    SecretPattern("slack-webhook", re.compile(
        r"(?P<key>https://hooks\.slack\.com/(?:services|workflows|triggers)/)[A-Za-z0-9/_-]+"),
        keep_prefix="key"),
    # JWTs anywhere (Azure AD access tokens, Kubernetes service-account tokens).
    SecretPattern("jwt", re.compile(
        _B + r"eyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*")),
    # Authorization headers: Bearer / Basic credentials (endpoint keys are plain bearer keys).
    # Also the key pasted into the studio's Python sample: `'Bearer '+ '<key>'`.
    SecretPattern("bearer-token", re.compile(
        r"(?P<key>" + _B + r"Bearer(?:[ \t]*[\"'][ \t]*\+[ \t]*[\"']|\s+))" + _NOT_REDACTED
        + r"[A-Za-z0-9\-._~+/]+=*", re.IGNORECASE),
        keep_prefix="key"),
    SecretPattern("basic-auth", re.compile(
        r"(?P<key>" + _B + r"Authorization\s*[:=]\s*[\"']?Basic\s+)" + _NOT_REDACTED
        + r"[A-Za-z0-9+/]+=*", re.IGNORECASE), keep_prefix="key"),
    # Basic credentials outside a header (`auth=Basic dXNlcjpw…` in a client's debug log): the
    # base64 of `user:password`. Mixed case and a digit, so "Basic authentication" stays.
    SecretPattern("basic-auth", re.compile(
        r"(?P<key>" + _B + r"(?i:basic)[ \t]+)" + _NOT_REDACTED
        + r"(?=[A-Za-z0-9+/]*[0-9])(?=[A-Za-z0-9+/]*[A-Z])(?=[A-Za-z0-9+/]*[a-z])"
        r"[A-Za-z0-9+/]{16,}={0,2}(?![A-Za-z0-9+/=])"), keep_prefix="key"),
    # API-key headers named for what they carry (Azure OpenAI / Cognitive Services, Functions).
    SecretPattern("api-key", re.compile(
        r"(?P<key>" + _B + r"(?:api-key|x-api-key|ocp-apim-subscription-key|x-functions-key)[\"']?"
        r"\s*:\s*[\"']?)" + _NOT_REDACTED + r"[^\s\"',;]+", re.IGNORECASE), keep_prefix="key"),
    # Provider tokens with a recognisable prefix.
    SecretPattern("github-token", re.compile(
        _B + r"(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,})")),
    SecretPattern("gitlab-token", re.compile(_B + r"gl(?:pat|dt|rt|ptt|cbt)-[A-Za-z0-9_-]{20,}")),
    SecretPattern("stripe-key", re.compile(
        _B + r"(?:(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}|whsec_[A-Za-z0-9]{24,})")),
    SecretPattern("openai-key", re.compile(
        _B + r"sk-(?:proj-|live-|test-|ant-)?[A-Za-z0-9_-]{20,}")),
    SecretPattern("google-api-key", re.compile(_B + r"AIza[A-Za-z0-9_-]{35}")),
    SecretPattern("google-oauth-secret", re.compile(_B + r"GOCSPX-[A-Za-z0-9_-]{28}")),
    SecretPattern("databricks-token", re.compile(_B + r"dapi[a-f0-9]{32}(?:-\d)?")),
    SecretPattern("pypi-token", re.compile(_B + r"pypi-[A-Za-z0-9_-]{50,}")),
    SecretPattern("npm-token", re.compile(_B + r"npm_[A-Za-z0-9]{36}")),
    SecretPattern("huggingface-token", re.compile(_B + r"hf_[A-Za-z0-9]{30,}")),
    SecretPattern("docker-hub-token", re.compile(_B + r"dckr_pat_[A-Za-z0-9_-]{20,}")),
    SecretPattern("sendgrid-key", re.compile(
        _B + r"SG\.[A-Za-z0-9_-]{20,24}\.[A-Za-z0-9_-]{40,50}")),
    SecretPattern("digitalocean-token", re.compile(_B + r"do[por]_v1_[a-f0-9]{64}")),
    SecretPattern("shopify-token", re.compile(_B + r"shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}")),
    SecretPattern("age-secret-key", re.compile(_B + r"AGE-SECRET-KEY-1[0-9A-Z]{58}")),
    SecretPattern("twilio-key", re.compile(_B + r"SK[0-9a-f]{32}" + _E)),
    # Entra ID (Azure AD) client secrets: three characters, a digit, `Q~`, then 31-34 more.
    SecretPattern("entra-client-secret", re.compile(
        r"(?<![A-Za-z0-9_~.-])[A-Za-z0-9_~.-]{3}\dQ~[A-Za-z0-9_~.-]{31,34}(?![A-Za-z0-9_~.-])")),
    # Azure's newer "identifiable" keys (Cognitive Services, Azure OpenAI, Functions...) carry
    # the JQQJ9 signature at a fixed place.
    SecretPattern("azure-identifiable-key", re.compile(
        r"(?<![A-Za-z0-9])[A-Za-z0-9]{52}JQQJ9[9DH][A-Za-z0-9][A-L][A-Za-z0-9]{16}[A-Za-z]"
        r"[A-Za-z0-9]{7}(?:[A-Za-z0-9]{2}==)?")),
    # A whole .dockerconfigjson, base64-encoded (`{"auths"` in base64 begins eyJhdXRocyI).
    SecretPattern("docker-config", re.compile(_B + r"eyJhdXRocyI[A-Za-z0-9+/=_-]*")),
    # `"auth": "<base64 user:password>"` inside a docker config's auths (also JSON-escaped).
    SecretPattern("docker-auth", re.compile(
        r'(?P<key>\\?"auth\\?"\s*:\s*\\?")' + _NOT_REDACTED + r'[^"\s\\]+', re.IGNORECASE),
        keep_prefix="key"),
    # Passwords given as CLI flags: `az login -p`, `docker login -p/--password`, `--client-secret`.
    SecretPattern("password", re.compile(
        r"(?P<key>" + _B + r"login" + _E + r"[^\n]*?[ \t](?:-p|--password|--secret)(?:[ \t]+|=))"
        + _NOT_REDACTED + r"(?:\"[^\"\n]*\"|'[^'\n]*'|[^\s\"']+)"), keep_prefix="key",
        needs=("login",)),
    # MySQL/MariaDB clients take the password glued to -p: `mysql -u admin -pS3cret db` (a
    # bare `-p` prompts for it, and `-P` is the port: neither is matched).
    SecretPattern("password", re.compile(
        r"(?P<key>" + _B + r"(?:mysql|mysqldump|mysqladmin|mariadb|mariadb-dump)" + _E
        + r"[^\n]*?[ \t]-p)" + _NOT_REDACTED + r"(?:\"[^\"\n]*\"|'[^'\n]*'|[^\s\"']+)"),
        keep_prefix="key", needs=("mysql", "mariadb")),
    SecretPattern("password", re.compile(
        r"(?P<key>(?<![\w-])--(?:password|passwd|client-secret|secret|token|sas-token"
        r"|account-key|api-key|access-key|service-principal-password)(?:[ \t]+|=))"
        + _NOT_REDACTED + r"(?:\"[^\"\n]*\"|'[^'\n]*'|[^\s\"'-][^\s\"']*)",
        re.IGNORECASE), keep_prefix="key",
        needs=("--",)),  # no letters: the same whatever IGNORECASE folds
    # AWS access key ids.
    SecretPattern("aws-access-key-id", re.compile(
        _B + r"(?:AKIA|ASIA|AIDA|AROA)[0-9A-Z]{16}" + _E)),
    # Passwords in URLs: scheme://user:password@host.
    SecretPattern("password", re.compile(
        r"(?P<key>" + _B + r"[a-zA-Z][a-zA-Z0-9+.-]*://[^/\s:@\"'\[\]]*:)" + _NOT_REDACTED
        + r"[^@\s/\"']+(?P<at>@)"), keep_prefix="key", keep_suffix="at",
        needs=("://",)),
    # A token as the whole user part: `https://<Azure DevOps PAT>@dev.azure.com/...`,
    # `https://ghp_...@github.com`. A user name is short or has no digit; a token is long and
    # has both.
    SecretPattern("password", re.compile(
        r"(?P<key>" + _B + r"[a-zA-Z][a-zA-Z0-9+.-]*://)" + _NOT_REDACTED
        + r"(?=[A-Za-z0-9_~-]*[0-9])(?=[A-Za-z0-9_~-]*[A-Za-z])[A-Za-z0-9_~-]{20,}(?P<at>@)"),
        keep_prefix="key", keep_suffix="at", needs=("://",)),
    # Kubernetes env and `az acr credential show` in JSON: the name says it is a secret, the
    # value beside it is one: {"name": "AZURE_CLIENT_SECRET", "value": "..."}.
    SecretPattern("secret", re.compile(
        r'(?P<key>"name"\s*:\s*"' + _SECRET_KEY + r'"\s*,\s*"value"\s*:\s*")' + _NOT_REDACTED
        + r'(?:[^"\\\n]|\\.)+(?P<end>")', re.IGNORECASE), keep_prefix="key", keep_suffix="end"),
    # ... the same pair inside a JSON string (a manifest or an env logged as a string):
    # {\"name\": \"DB_PASSWORD\", \"value\": \"…\"}.
    SecretPattern("secret", re.compile(
        r'(?P<key>\\"name\\"\s*:\s*\\"' + _SECRET_KEY + r'\\"\s*,\s*\\"value\\"\s*:\s*\\")'
        + _NOT_REDACTED + r'(?:[^"\\\n]|\\[^"\n])+(?P<end>\\")', re.IGNORECASE),
        keep_prefix="key", keep_suffix="end"),
    # ... and a name ending in `key` beside a random-looking value
    # (`APPINSIGHTS_INSTRUMENTATIONKEY`, `AZURE_OPENAI_KEY`).
    SecretPattern("secret", re.compile(
        r'(?P<key>"name"\s*:\s*"' + _KEY_NAME + r'"\s*,\s*"value"\s*:\s*")' + _NOT_REDACTED
        + _RANDOM_VALUE, re.IGNORECASE), keep_prefix="key"),
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
    # A password inside an ADO.NET/ODBC connection string runs to the next `;`, spaces and all
    # (`;Password=Winter is C0ming;`): the generic rule below stops at the first space.
    SecretPattern("secret", re.compile(
        r"(?P<key>;[ \t]*(?:password|pwd)[ \t]*=[ \t]*)" + _NOT_REDACTED + r"[^;\n\"']+",
        re.IGNORECASE), keep_prefix="key"),
    # key=value (env vars, query strings, connection strings, CLI flags), quoted or not.
    SecretPattern("secret", re.compile(
        r"(?P<key>(?<![\w.-])" + _SECRET_KEY + r"\s*=\s*)" + _NOT_REDACTED
        + r"(?:\"[^\"\n]*\"|'[^'\n]*'|[^\s,;&\"'<>)}\]]+)", re.IGNORECASE),
        keep_prefix="key"),
    # key: value at the start of a line (YAML, headers). Only there: in prose, "failed to get
    # token: AADSTS700016 ..." names an error, not a secret.
    SecretPattern("secret", re.compile(
        r"(?P<key>^[ \t]*-?[ \t]*[\"']?" + _SECRET_KEY + r"[\"']?[ \t]*:[ \t]*)" + _NOT_REDACTED
        # Not an object or a list opened at the end of the line (`"credentials": {`): what it
        # holds is on the lines below, and eating the brace made the JSON unreadable.
        + r"(?![\[{][ \t]*$)"
        + r"(?:\"[^\"\n]*\"|'[^'\n]*'|[^\s\"'|>][^\n]*?)(?=[ \t]+#|[ \t]*$)",
        re.IGNORECASE | re.MULTILINE),
        keep_prefix="key"),
    # The value on the line after its key (`password:` then an indented value, YAML's plain
    # continuation; `비밀번호:` then Shift+Enter in Slack). Alone on its line and shaped like a
    # password, so `secret:` above a nested `secretName: tls` stays. A value may start with `#`
    # (a YAML comment has a space in it, and no spaces are taken here).
    SecretPattern("secret", re.compile(
        r"(?P<key>^[ \t]*-?[ \t]*[\"']?" + _SECRET_KEY + r"[\"']?[ \t]*[:=：][ \t]*\r?\n[ \t]*)"
        + _NOT_REDACTED + r"(?=[!-~]*[0-9])(?=[!-~]*[A-Za-z])(?![/\\.~-])[!-~]{6,}(?=[ \t]*$)",
        re.IGNORECASE | re.MULTILINE), keep_prefix="key"),
    # Kubernetes env entries: `- name: DB_PASSWORD` with the value on the next line.
    SecretPattern("secret", re.compile(
        r"(?P<key>^[ \t]*-?[ \t]*name:[ \t]*[\"']?" + _SECRET_KEY + r"[\"']?[ \t]*\r?\n"
        r"[ \t]*value:[ \t]*)" + _NOT_REDACTED
        + r"(?:\"[^\"\n]*\"|'[^'\n]*'|[^\s\"'|>][^\n]*?)(?=[ \t]+#|[ \t]*$)",
        re.IGNORECASE | re.MULTILINE), keep_prefix="key"),
    # ... and a name ending in `key` with a random-looking value (`- name: AZURE_OPENAI_KEY`).
    SecretPattern("secret", re.compile(
        r"(?P<key>^[ \t]*-?[ \t]*name:[ \t]*[\"']?" + _KEY_NAME + r"[\"']?[ \t]*\r?\n"
        r"[ \t]*value:[ \t]*[\"']?)" + _NOT_REDACTED + _RANDOM_VALUE,
        re.IGNORECASE | re.MULTILINE), keep_prefix="key"),
    # Any other name ending in `key` (`key=`, `SCORING_KEY=`, `primary key:`, `"key": "`,
    # `"key1": "`, also JSON-escaped in a logged string) when its value looks random: endpoint
    # and scoring keys are pasted this way.
    SecretPattern("secret", re.compile(
        r"(?P<key>(?<![\w.-])(?i:" + _KEY_NAME + r")\\?[\"']?[ \t]*[=:][ \t]*\\?[\"']?)"
        + _NOT_REDACTED + _RANDOM_VALUE), keep_prefix="key"),
    # A key or token named in Korean (`API 키: …`, `시크릿키는 …`, `인증 토큰은 … 입니다`), with
    # or without a particle. 키 alone, not inside a word (`패키지 azureml-defaults==…` is a
    # package); and, as for a name ending in `key`, the value must look random.
    SecretPattern("secret", re.compile(
        r"(?P<key>(?:(?<![가-힣])키(?:[ \t]?값)?|시크릿[ \t]?키|토큰|시크릿)(?:은|는|이|가|을|를)?"
        r"[ \t]*(?:[:=：][ \t]*)?)" + _NOT_REDACTED + _RANDOM_VALUE), keep_prefix="key"),
    # A password named in a sentence or mid-line: `password: X`, `the password is X`,
    # `비밀번호는 X`. Prose uses these words for errors too ("password authentication failed",
    # "비밀번호가 틀렸습니다"), so the value must look like one: 6+ printable characters with a
    # letter and a digit, not a path.
    SecretPattern("password", re.compile(
        r"(?P<key>(?<![A-Za-z])(?:password|passwd|passphrase|비밀번호|비번|패스워드|암호)"
        # ... or quoted straight after the word (`invalid password 'X'`).
        r"(?:[ \t]*[:=：][ \t]*|[ \t]+(?:is|was)[ \t]+|(?:는|은)[ \t]+|[ \t]+(?=[\"'])))"
        + _NOT_REDACTED
        + r"(?=[!-~]*[0-9])(?=[!-~]*[A-Za-z])(?![/\\.~])[!-~]{6,}", re.IGNORECASE),
        # Case-insensitive, `pass` is [pP][aA][sSſ][sSſ] (ſ, a long s, is no `s` when lower-
        # cased): its four lower-case spellings (tests/test_redaction.py derives them from re).
        keep_prefix="key",
        needs=("pass", "paſs", "pasſ", "paſſ", "비밀번호", "비번", "패스워드", "암호")),
    # Korean names the password and gives it after a plain space (`비번 Winter2026!`, `비밀번호를
    # S3cret99 로`): 비번 is how people say it. The same shape of value as above; 암호 is left
    # out here, it also means a cipher (`암호 AES256`).
    SecretPattern("password", re.compile(
        r"(?P<key>(?:비밀번호|비번|패스워드)(?:를|을|는|은)?[ \t]+)" + _NOT_REDACTED
        + r"(?=[!-~]*[0-9])(?=[!-~]*[A-Za-z])(?![/\\.~])[!-~]{6,}"), keep_prefix="key",
        needs=("비밀번호", "비번", "패스워드")),  # Hangul has no case
    # Any Authorization header whatever its scheme (an endpoint key sent raw, `SharedKey
    # account:signature`, `SharedAccessSignature sr=...`): 16+ characters with a digit.
    SecretPattern("authorization", re.compile(
        r"(?P<key>" + _B + r"(?:proxy-)?authorization[\"']?[ \t]*[:=][ \t]*[\"']?"
        r"(?:(?:AWS4-HMAC-SHA256|[A-Za-z][A-Za-z-]{1,23})[ \t]+)?)" + _NOT_REDACTED
        + r"(?![/{\[])(?=[^\s\"',]*[0-9])[^\s\"',]{16,}", re.IGNORECASE), keep_prefix="key"),
    # Session cookies in a copied request or response: every value after `Cookie:`.
    SecretPattern("cookie", re.compile(
        r"(?P<key>" + _B + r"(?:set-)?cookie[\"']?[ \t]*:[ \t]*[\"']?)" + _NOT_REDACTED
        + r"(?=[^\n\"']*=)[^\n\"']+", re.IGNORECASE), keep_prefix="key"),
    # `echo <password> | docker login ... --password-stdin` (helm, podman, oras alike), or
    # `printf '%s' <password> | ...`, the pipe or the login also continued on the next line.
    SecretPattern("password", re.compile(
        r"(?P<key>" + _B + r"(?:echo(?:[ \t]+-[neE]{1,3})*|printf(?:[ \t]+(?:'%s[^'\n]*'"
        r"|\"%s[^\"\n]*\"))?)[ \t]+)" + _NOT_REDACTED + _STDIN_VALUE
        + r"(?=[ \t]*" + _CONTINUED + r"\|[ \t]*" + _CONTINUED + r"[^\n]*?(?:\\[ \t]*\r?\n"
        r"[^\n]*?)?--password-stdin)"), keep_prefix="key",
        needs=("--password-stdin",)),
    # `... --password-stdin <<< <password>` (a here-string) ...
    SecretPattern("password", re.compile(
        r"(?P<key>--password-stdin" + _E + r"[^\n|]*?(?<!<)<<<[ \t]*)" + _NOT_REDACTED
        + _STDIN_VALUE), keep_prefix="key", needs=("--password-stdin",)),
    # ... and a heredoc: the line between `<<EOF` and `EOF`.
    SecretPattern("password", re.compile(
        r"(?P<key>^(?=[^\n]*--password-stdin)[^\n]*?(?<!<)<<-?(?!<)[ \t]*(?P<q>['\"]?)"
        r"(?P<tag>[A-Za-z_]\w*)(?P=q)[^\n]*\r?\n[ \t]*)" + _NOT_REDACTED
        + r"[^\n]*?[^\s](?=[ \t]*\r?\n[ \t]*(?P=tag)[ \t]*$)", re.MULTILINE),
        keep_prefix="key", needs=("--password-stdin",)),
    # A `--...key` flag with a random value after a space (`--key`, `--account-key`,
    # `--primary-key`); `--key-type primary` has no digit.
    SecretPattern("secret", re.compile(
        r"(?P<key>(?<![\w-])--[\w-]*key[ \t]+)" + _NOT_REDACTED + _RANDOM_VALUE,
        re.IGNORECASE), keep_prefix="key"),
    # AWS-style `aws_secret_access_key   wJalr...` (credentials files sometimes omit `=`).
    SecretPattern("aws-secret-key", re.compile(
        r"(?P<key>" + _B + r"aws_secret_access_key[\"']?\s*[:=]?\s*[\"']?)" + _NOT_REDACTED
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
_SECRET_WORDS = ("pass", "pwd", "secret", "token", "key", "credential", "key-data", "비밀번호",
                 "비번", "패스워드", "암호", "토큰", "시크릿", "키")
_HINTS: dict[str, tuple[str, ...]] = {
    "private-key": ("private key",),
    "appinsights-key": ("instrumentation", "ikey"),
    "azure-key": ("accountkey", "sharedaccess"),
    "acr-password": ("+acr",),
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
    "docker-hub-token": ("dckr_pat_",),
    "url-code": ("code=",),
    "sendgrid-key": ("sg.",),
    "digitalocean-token": ("_v1_",),
    "shopify-token": ("shpat_", "shpca_", "shppa_", "shpss_"),
    "age-secret-key": ("age-secret-key-1",),
    "twilio-key": ("sk",),
    "entra-client-secret": ("q~",),
    "azure-identifiable-key": ("jqqj9",),
    "docker-config": ("eyjhdxrocyi",),
    "docker-auth": ('"auth"', 'auth\\"'),
    "password": ("://", "login", "--", "pass", "mysql", "mariadb", "비밀번호", "비번", "패스워드",
                 "암호"),
    "authorization": ("authorization",),
    "cookie": ("cookie",),
    "aws-access-key-id": ("akia", "asia", "aida", "aroa"),
    "secret": _SECRET_WORDS,
    "aws-secret-key": ("aws_secret_access_key",),
}


_ALL_HINTS = tuple(sorted({hint for hints in _HINTS.values() for hint in hints}))
# Per pattern, its words as a set (None: always runs). Each text is searched for every word
# once, and a pattern is skipped when none of its words was found: checking pattern by pattern
# cost a quarter of a millisecond per short text, and the unwrapping pass redacts many.
_PATTERN_HINTS = tuple((pattern, frozenset(_HINTS[pattern.kind]) if pattern.kind in _HINTS
                        else None) for pattern in PATTERNS)


def redact(text: str) -> str:
    """`text` with every secret the table knows replaced by `[REDACTED:kind]`. Never raises.

    Lines hard-wrapped through a secret are joined first (bot/redaction_wraps.py); then the
    table; then what is known by where it sits (bot/redaction_shapes.py): values of a
    Kubernetes Secret, a Key Vault secret's value, escaped runs (decoded, then the table
    again), random tokens."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    try:
        if wraps.may_be_wrapped(text):
            text = wraps.unwrap_secrets(text, _redact_lines)
        return _redact_lines(text)
    except Exception:  # a bug here must not leak the text it failed on, nor crash the caller
        log.exception("redaction failed; withholding the whole text")
        return marker("unredactable")


def _redact_lines(text: str) -> str:
    """Every pass but the unwrapping: what `redact` does to text whose lines are whole."""
    text = _redact_table(text)
    lowered = text.lower()
    if outputs.may_hold_secret_lists(lowered):
        text = outputs.redact_secret_lists(text)
    if outputs.may_hold_credentials_output(lowered):
        text = outputs.redact_credentials_output(text)
    if "secret" in text.lower():
        text = shapes.redact_secret_manifests(text)
    if "vault.azure.net" in text.lower():
        text = shapes.redact_key_vault_values(text)
    if shapes.may_be_escaped(text):
        text = shapes.redact_escaped(text, _redact_table)
    return shapes.redact_random_tokens(text)


def _redact_table(text: str) -> str:
    lowered = text.lower()
    present = frozenset(hint for hint in _ALL_HINTS if hint in lowered)
    for pattern, hints in _PATTERN_HINTS:
        if hints is None or not hints.isdisjoint(present):
            # Like the kind's words, a pattern's own strings are looked up once, in the text
            # as it came in: a marker is `[REDACTED:kind]`, brackets on both sides, so no
            # substitution creates one of them.
            if pattern.needs and not any(need in lowered for need in pattern.needs):
                continue
            text = pattern.substitute(text)
    return text


def redacted_kinds(text: str) -> list[str]:
    """The kinds of secret found in `text` (for audits and tests), in table order."""
    return [pattern.kind for pattern in PATTERNS if pattern.regex.search(text)]

