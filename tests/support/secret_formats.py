"""Secret formats to leak-test redaction with: random secrets of each, placed anywhere.

The list follows the kinds that gitleaks' rule set (`cmd/generate/config/rules/*.go`) and
Yelp/detect-secrets' plugins look for, restricted to what shows up in deployment pastes, plus
the gaps found in issue 9. The generators are our own: each format draws a random secret of the
right shape (hypothesis) and the snippet someone would paste it in. Every value is fake.

A placement puts a snippet somewhere in a paste: at the start, middle or end of a line longer
than the matcher's 600-character line limit, inside a JSON document, in a URL, in YAML. Formats
that only exist at the start of a line (YAML keys, PEM blocks) keep their line. A wrapped
placement hard-wraps the paste at a terminal's or a log's width (`fold -w`), with the break in the
middle of the secret (for a snippet that keeps its line, wherever the width falls).
"""

from __future__ import annotations

import base64
import json
import string
from collections.abc import Callable
from dataclasses import dataclass

from hypothesis import strategies as st

ALNUM = string.ascii_letters + string.digits
HEX = "0123456789abcdef"
B64 = ALNUM + "+/"
URLSAFE = ALNUM + "-_"
PIECE = 12  # no 12-character piece of a secret may show anywhere


@dataclass(frozen=True)
class Planted:
    name: str
    snippet: str  # what is pasted
    secret: str  # what must never show, nor any PIECE-character piece of it
    own_line: bool = False  # the snippet only makes sense at the start of a line


def _chars(alphabet: str, size: int) -> st.SearchStrategy[str]:
    return st.text(alphabet=alphabet, min_size=size, max_size=size)


def _format(name: str, build: Callable[..., tuple[str, str]], *parts: st.SearchStrategy[str],
            own_line: bool = False) -> st.SearchStrategy[Planted]:
    return st.tuples(*parts).map(lambda drawn: Planted(name, *build(*drawn), own_line=own_line))


def _guids() -> st.SearchStrategy[str]:
    return st.uuids().map(str)


def _same(secret: str) -> tuple[str, str]:
    return secret, secret


def _basic(credentials: str) -> tuple[str, str]:
    """`user:password` as an HTTP client sends it, logged outside any Authorization header."""
    encoded = base64.b64encode(credentials.encode()).decode()
    return f"requests.get(url, headers=h) auth=Basic {encoded}", encoded


FORMATS: dict[str, st.SearchStrategy[Planted]] = {
    "slack-bot-token": _format("slack-bot-token", lambda a, b, c: _same(f"xoxb-{a}-{b}-{c}"),
                               _chars(string.digits, 11), _chars(string.digits, 13),
                               _chars(ALNUM, 24)),
    "slack-user-token": _format("slack-user-token",
                                lambda a, b: _same(f"xoxp-{a}-{b}"), _chars(string.digits, 11),
                                _chars(HEX, 32)),
    "slack-app-token": _format("slack-app-token", lambda a: _same(f"xapp-1-A0123-{a}"),
                               _chars(HEX, 64)),
    "slack-webhook": _format("slack-webhook", lambda a: (
        f"https://hooks.slack.com/services/T0000/B0000/{a}", a), _chars(ALNUM, 24)),
    "github-pat": _format("github-pat", lambda a: _same(f"ghp_{a}"), _chars(ALNUM, 36)),
    "github-fine-grained": _format("github-fine-grained", lambda a: _same(f"github_pat_{a}"),
                                   _chars(ALNUM + "_", 82)),
    "gitlab-pat": _format("gitlab-pat", lambda a: _same(f"glpat-{a}"), _chars(URLSAFE, 20)),
    "openai-key": _format("openai-key", lambda a: _same(f"sk-proj-{a}"), _chars(URLSAFE, 48)),
    "anthropic-key": _format("anthropic-key", lambda a: _same(f"sk-ant-api03-{a}"),
                             _chars(URLSAFE, 93)),
    "stripe-live-key": _format("stripe-live-key", lambda a: _same(f"sk_live_{a}"),
                               _chars(ALNUM, 40)),
    "google-api-key": _format("google-api-key", lambda a: _same(f"AIza{a}"), _chars(URLSAFE, 35)),
    "google-oauth-secret": _format("google-oauth-secret", lambda a: _same(f"GOCSPX-{a}"),
                                   _chars(URLSAFE, 28)),
    "databricks-token": _format("databricks-token", lambda a: _same(f"dapi{a}"),
                                _chars(HEX, 32)),
    "pypi-token": _format("pypi-token", lambda a: _same(f"pypi-AgEIcHlwaS5vcmc{a}"),
                          _chars(URLSAFE, 60)),
    "npm-token": _format("npm-token", lambda a: _same(f"npm_{a}"), _chars(ALNUM, 36)),
    "huggingface-token": _format("huggingface-token", lambda a: _same(f"hf_{a}"),
                                 _chars(ALNUM, 34)),
    "sendgrid-key": _format("sendgrid-key", lambda a, b: _same(f"SG.{a}.{b}"),
                            _chars(URLSAFE, 22), _chars(URLSAFE, 43)),
    "digitalocean-token": _format("digitalocean-token", lambda a: _same(f"dop_v1_{a}"),
                                  _chars(HEX, 64)),
    "shopify-token": _format("shopify-token", lambda a: _same(f"shpat_{a}"), _chars(HEX, 32)),
    "age-secret-key": _format("age-secret-key", lambda a: _same(f"AGE-SECRET-KEY-1{a}"),
                              _chars("QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L", 58)),
    "twilio-key": _format("twilio-key", lambda a: _same(f"SK{a}"), _chars(HEX, 32)),
    "aws-access-key-id": _format("aws-access-key-id", lambda a: _same(f"AKIA{a}"),
                                 _chars(string.ascii_uppercase + string.digits, 16)),
    "aws-secret-key": _format("aws-secret-key", lambda a: (
        f"aws_secret_access_key = {a}", a), _chars(B64, 40)),
    "entra-client-secret": _format("entra-client-secret", lambda a, b: _same(f"{a}8Q~{b}"),
                                   _chars(ALNUM, 3), _chars(ALNUM + "_~.-", 34)),
    "azure-storage-key": _format("azure-storage-key", lambda a: _same(f"{a}=="),
                                 _chars(B64, 86)),
    "azure-connection-string": _format("azure-connection-string", lambda a: (
        f"DefaultEndpointsProtocol=https;AccountName=prodml;AccountKey={a}==;"
        "EndpointSuffix=core.windows.net", a), _chars(B64, 86)),
    "service-bus-key": _format("service-bus-key", lambda a: (
        f"Endpoint=sb://ml.servicebus.windows.net/;SharedAccessKeyName=Root;"
        f"SharedAccessKey={a}=", a), _chars(B64, 43)),
    "azure-identifiable-key": _format("azure-identifiable-key", lambda a, b, c: _same(
        f"{a}JQQJ99AC{b}A{c}"), _chars(ALNUM, 52), _chars(ALNUM, 16), _chars(ALNUM, 7)),
    "sas-url": _format("sas-url", lambda a: (
        f"https://prodml.blob.core.windows.net/models/m.pkl?sv=2022-11-02&sp=r&sig={a}%3D",
        a), _chars(ALNUM, 43)),
    "sas-bare": _format("sas-bare", lambda a: (f"sig={a}%3D&se=2026-12-01", a),
                        _chars(ALNUM, 43)),
    "jwt": _format("jwt", lambda a, b, c: _same(f"eyJ{a}.eyJ{b}.{c}"), _chars(URLSAFE, 30),
                   _chars(URLSAFE, 60), _chars(URLSAFE, 43)),
    "bearer-header": _format("bearer-header", lambda a: (f"Authorization: Bearer {a}", a),
                             _chars(ALNUM, 32)),
    "basic-auth-header": _format("basic-auth-header", lambda a: (
        f"Authorization: Basic {a}=", a), _chars(ALNUM, 31)),
    "api-key-header": _format("api-key-header", lambda a: (f"api-key: {a}", a),
                              _chars(HEX, 32)),
    "apim-key-header": _format("apim-key-header", lambda a: (
        f"Ocp-Apim-Subscription-Key: {a}", a), _chars(HEX, 32)),
    "functions-key-header": _format("functions-key-header", lambda a: (
        f"x-functions-key: {a}", a), _chars(URLSAFE, 54)),
    "postgres-url": _format("postgres-url", lambda a: (
        f"postgresql://mlapp:{a}@db.internal:5432/ml", a), _chars(ALNUM + "-_.~", 20)),
    "redis-url-no-user": _format("redis-url-no-user", lambda a: (
        f"redis://:{a}@cache.redis.cache.windows.net:6380/0", a), _chars(ALNUM, 32)),
    "mongodb-url": _format("mongodb-url", lambda a: (
        f"mongodb+srv://svc:{a}@cluster0.example.mongodb.net/db", a), _chars(ALNUM, 24)),
    "az-login-p": _format("az-login-p", lambda a: (
        f"az login --service-principal -u 0d5a-app -p {a} --tenant contoso", a),
        _chars(ALNUM + "~._-", 24)),
    # MySQL/MariaDB clients take the password glued to -p (a space would make them prompt).
    "mysql-p": _format("mysql-p", lambda a: (
        f"mysql -h mlmeta.mysql.database.azure.com -u admin -p{a} models", a),
        _chars(ALNUM, 20)),
    "docker-login-p": _format("docker-login-p", lambda a: (
        f"docker login mlacr.azurecr.io -u mlacr -p {a}", a), _chars(ALNUM, 32)),
    "docker-login-password": _format("docker-login-password", lambda a: (
        f"docker login mlacr.azurecr.io --username mlacr --password {a}", a),
        _chars(ALNUM + "/+", 32)),
    "client-secret-flag": _format("client-secret-flag", lambda a: (
        f"az ml workspace sync --client-secret {a}", a), _chars(ALNUM, 30)),
    "env-password": _format("env-password", lambda a: (f"DB_PASSWORD={a}", a),
                            _chars(ALNUM + "!$%^*", 20)),
    "json-client-secret": _format("json-client-secret", lambda a: (
        f'{{"clientId": "0d5a", "clientSecret": "{a}"}}', a), _chars(ALNUM + "~.-", 30)),
    "docker-config-auth": _format("docker-config-auth", lambda a: (
        f'{{"auths": {{"mlacr.azurecr.io": {{"auth": "{a}="}}}}}}', a), _chars(B64, 39)),
    "dockerconfigjson-b64": _format("dockerconfigjson-b64", lambda a: (
        f".dockerconfigjson: eyJhdXRocyI6{a}", a), _chars(B64, 80)),
    "yaml-password": _format("yaml-password", lambda a: (f"    password: {a}", a),
                             _chars(ALNUM + "!$%^*()-_+=", 20), own_line=True),
    "k8s-env-secret": _format("k8s-env-secret", lambda a: (
        f"        - name: AZURE_CLIENT_SECRET\n          value: {a}", a),
        _chars(ALNUM + "~.-", 34), own_line=True),
    # A key under a plain name (`key=`, as curl examples and env dumps show scoring keys).
    # Random keys hold letters and digits both; the rule asks for both (a name or a number
    # alone is not taken for a key), so each draw has one of each.
    "bare-key": _format("bare-key", lambda a, b, c: (f"key={a}{b}{c}", a + b + c),
                        _chars(URLSAFE, 30), _chars(string.digits, 1),
                        _chars(string.ascii_letters, 1)),
    "kubeconfig-key-data": _format("kubeconfig-key-data", lambda a: (
        f"    client-key-data: {a}", a), _chars(B64, 120), own_line=True),
    # Round 6 (an attacker's review): a particle written straight after a token, separators
    # escaped (URL-encoded, Go's JSON \u0026), headers and names the table did not know.
    "aws-key-before-korean": _format("aws-key-before-korean", lambda a: (
        f"AKIA{a}를 사용했는데", f"AKIA{a}"), _chars(string.ascii_uppercase + string.digits, 16)),
    "sas-url-encoded": _format("sas-url-encoded", lambda a: (
        "download?url=https%3A%2F%2Fprodml.blob.core.windows.net%2Fm.pkl%3Fsv%3D2022-11-02"
        f"%26sig%3D{a}%253D", a), _chars(ALNUM, 43)),
    "sas-json-escaped": _format("sas-json-escaped", lambda a: (
        f"https://prodml.blob.core.windows.net/m.pkl?sv=2022-11-02\\u0026sig={a}%3D", a),
        _chars(ALNUM, 43)),
    "authorization-raw": _format("authorization-raw", lambda a, b: (
        f"Authorization: {a}{b}", a + b), _chars(ALNUM, 31), _chars(string.digits, 1)),
    "session-cookie": _format("session-cookie", lambda a: (
        f"Cookie: AppServiceAuthSession={a}", a), _chars(URLSAFE, 40)),
    "korean-password": _format("korean-password", lambda a: (
        f"DB 비밀번호는 {a}7q 인데", f"{a}7q"), _chars(ALNUM, 14)),
    "devops-pat-url": _format("devops-pat-url", lambda a: (
        f"https://{a}2k@dev.azure.com/contoso/ml/_git/models", f"{a}2k"),
        _chars("abcdefghijklmnopqrstuvwxyz234567", 50)),
    "k8s-secret-data": _format("k8s-secret-data", lambda a: (
        f"apiVersion: v1\ndata:\n  DB_CONN: {a}\nkind: Secret", a), _chars(B64, 40),
        own_line=True),
    # Round 9 (probing as a careless user): Korean names for a key (`API 키`, `시크릿키`), a
    # token named in a Korean sentence, HTTP Basic credentials outside an Authorization
    # header, a password quoted straight after the word.
    "korean-api-key": _format("korean-api-key", lambda a: (
        f"API 키: {a}7q", f"{a}7q"), _chars(ALNUM, 30)),
    "korean-compound-key": _format("korean-compound-key", lambda a: (
        f"시크릿키는 {a}7q 입니다", f"{a}7q"), _chars(ALNUM, 24)),
    "korean-token-sentence": _format("korean-token-sentence", lambda a: (
        f"인증 토큰은 {a}7q 입니다", f"{a}7q"), _chars(ALNUM, 24)),
    "basic-credentials": _format("basic-credentials", lambda a: _basic(f"svc-scorer:{a}9"),
                                 _chars(ALNUM + "!#%", 18)),
    "quoted-password": _format("quoted-password", lambda a: (
        f"AuthenticationError: invalid password '{a}7q' for user scorer", f"{a}7q"),
        _chars(ALNUM, 14)),
    # Round 10 (audited again): an Azure Functions key in its URL (`?code=`, how Azure's own
    # portal hands the URL out) or an OAuth authorization code in a redirect URL; Korean's
    # everyday word for a password (비번) and 비밀번호 followed by the value after a plain space;
    # 키값 ("key value"); a Docker Hub personal access token.
    "functions-key-url": _format("functions-key-url", lambda a: (
        f"POST https://churn-fn.azurewebsites.net/api/score?code={a}7q==&clientId=default",
        f"{a}7q"), _chars(URLSAFE, 50)),
    "oauth-code-url": _format("oauth-code-url", lambda a: (
        f"https://mlapp.contoso.com/.auth/login/aad/callback?code=0.AXkA{a}7q&state=redir",
        f"{a}7q"), _chars(URLSAFE + ".", 40)),
    "korean-password-spaced": _format("korean-password-spaced", lambda a: (
        f"DB 비번 {a}7q 로 바꿨는데 여전히 실패", f"{a}7q"), _chars(ALNUM + "!#%", 14)),
    "korean-password-word": _format("korean-password-word", lambda a: (
        f"비밀번호 {a}7q 입력 후 401", f"{a}7q"), _chars(ALNUM, 14)),
    "korean-key-value": _format("korean-key-value", lambda a: (
        f"엔드포인트 키값={a}7q 으로 설정", f"{a}7q"), _chars(ALNUM, 28)),
    "docker-hub-pat": _format("docker-hub-pat", lambda a: (
        f"docker login -u mlops --password-stdin <<< dckr_pat_{a}", f"dckr_pat_{a}"),
        _chars(URLSAFE, 27)),
    # `az keyvault secret show` pasted whole: the secret's name is in its `id`, its value under
    # a plain `"value"` four keys later. A password given on the line after its name (YAML's
    # continuation, or Shift+Enter in Slack).
    "keyvault-secret-show": _format("keyvault-secret-show", lambda a: (
        '{"attributes": {"enabled": true}, "contentType": null, "id": '
        '"https://mlkv.vault.azure.net/secrets/scoring-db/0f1e2d3c", "kid": null, '
        f'"managed": null, "name": "scoring-db", "tags": {{}}, "value": "{a}7q"}}',
        f"{a}7q"), _chars(ALNUM + "!#%", 20)),
    "password-next-line": _format("password-next-line", lambda a: (
        f"  db_password:\n    {a}7q", f"{a}7q"), _chars(ALNUM + "!#%", 14), own_line=True),
    "pem-private-key": _format("pem-private-key", lambda a, b: (
        f"-----BEGIN RSA PRIVATE KEY-----\n{a}\n{b}\n-----END RSA PRIVATE KEY-----", a + b),
        _chars(B64, 64), _chars(B64, 64), own_line=True),
    # Round 11: Application Insights' instrumentation key (a GUID: it lets anyone send telemetry
    # into the resource) in its connection string, its older setting, a Kubernetes env entry and
    # a log sentence; an Azure OpenAI key under Azure's `key1`; the neighbours of `echo … |
    # --password-stdin`; a Secret's value printed alone by `kubectl get secret -o jsonpath`.
    "appinsights-connection-string": _format("appinsights-connection-string", lambda a: (
        f"APPLICATIONINSIGHTS_CONNECTION_STRING=InstrumentationKey={a};IngestionEndpoint="
        "https://westeurope-5.in.applicationinsights.azure.com/", a), _guids()),
    "appinsights-instrumentation-key": _format("appinsights-instrumentation-key", lambda a: (
        f"APPINSIGHTS_INSTRUMENTATIONKEY={a}", a), _guids()),
    "appinsights-k8s-env": _format("appinsights-k8s-env", lambda a: (
        f"        - name: APPINSIGHTS_INSTRUMENTATIONKEY\n          value: {a}", a), _guids(),
        own_line=True),
    "appinsights-key-sentence": _format("appinsights-key-sentence", lambda a: (
        f"exporter: InstrumentationKey {a} is invalid", a), _guids()),
    "openai-key1": _format("openai-key1", lambda a, b: (
        f'{{"key1": "{a}{b}", "key2": null}}', a + b), _chars(HEX, 31),
        st.sampled_from("abcdef")),
    "printf-password-stdin": _format("printf-password-stdin", lambda a: (
        f"printf '%s' '{a}7q' | docker login mlacr.azurecr.io -u mlacr --password-stdin",
        f"{a}7q"), _chars(ALNUM + "!#%", 16)),
    "here-string-password-stdin": _format("here-string-password-stdin", lambda a: (
        f"docker login mlacr.azurecr.io -u mlacr --password-stdin <<< '{a}7q'", f"{a}7q"),
        _chars(ALNUM + "!#%", 16)),
    # Round 12: what the credentials commands print. An ACR password issued since 2024 (its
    # `+ACR` signature), as `-o tsv` prints it alone; the second one beside its name; and an
    # endpoint key that looks like a hash, under the command that printed it.
    "acr-password": _format("acr-password", lambda a, b, c: _same(f"{a}+ACR{b}{c}"),
                            _chars(B64, 42), st.sampled_from("ABCD"), _chars(B64, 5)),
    "acr-password2": _format("acr-password2", lambda a: (
        f'{{"name": "password2", "value": "{a}"}}', a), _chars(ALNUM, 32)),
    "endpoint-key-tsv": _format("endpoint-key-tsv", lambda a: (
        f"$ az ml online-endpoint get-credentials -n churn -o tsv --query primaryKey\n{a}", a),
        _chars(HEX, 32), own_line=True),
    "kubectl-jsonpath-secret": _format("kubectl-jsonpath-secret", lambda a: (
        f"$ kubectl get secret scoring-db -o jsonpath='{{.data.password}}'\n{a}=", a),
        _chars(B64, 23), own_line=True),
}

FILLER = ("2026-11-25T10:00:03Z scoring-7f9c6d5b8-x2k4q request 3f0c9a7e handled in 12 ms "
          "by worker 4 ")


def long_line(snippet: str, where: str) -> str:
    """A log line far longer than 600 characters with `snippet` at its start, middle or end."""
    pad = FILLER * 8
    if where == "start":
        return f"{snippet} {pad}"
    if where == "end":
        return f"{pad} {snippet}"
    return f"{pad} {snippet} {pad}"


PLACEMENTS = ("start", "middle", "end", "json", "url", "yaml", "wrap76", "wrap80", "wrap120")


def hard_wrap(text: str, width: int) -> str:
    """Every line cut into `width`-character lines, as a terminal or `fold -w` does."""
    return "\n".join(line[start: start + width] for line in text.split("\n")
                     for start in range(0, max(len(line), 1), width))


def wrapped(planted: Planted, width: int) -> str:
    """The snippet in a line hard-wrapped at `width`, broken in the middle of the secret."""
    if planted.own_line:
        return hard_wrap(f"{FILLER}\n{planted.snippet}\n{FILLER}", width)
    middle = planted.snippet.index(planted.secret) + len(planted.secret) // 2
    pad = (FILLER * 3)[:(-middle) % width]
    if pad:
        pad = pad[:-1] + " "
    return hard_wrap(f"{pad}{planted.snippet} {FILLER}", width)


def place(planted: Planted, where: str) -> str:
    """The snippet in a paste of its own, put `where`."""
    if where.startswith("wrap"):
        return wrapped(planted, int(where.removeprefix("wrap")))
    if planted.own_line:
        line = {"yaml": f"deployment:\n  env:\n{planted.snippet}\n  replicas: 1",
                "start": f"{planted.snippet}\n{FILLER * 8}"}.get(
            where, f"{FILLER * 8}\n{planted.snippet}\n{FILLER * 8}")
        return line
    if where == "json":
        return json.dumps({"level": "error", "message": f"init() failed with {planted.snippet}",
                           "pod": "scoring-7f9c6d5b8-x2k4q"})
    if where == "url":
        if any(ch.isspace() for ch in planted.snippet):
            return long_line(planted.snippet, "middle")
        return f"GET https://ml.example.com/v1/score?debug=1&value={planted.snippet} -> 401"
    if where == "yaml":
        return f"spec:\n  containers:\n    - args: [\"{planted.snippet}\"]\n      image: ml:1"
    return long_line(planted.snippet, where)


def pieces(secret: str, size: int = PIECE) -> list[str]:
    """Every `size`-character piece of `secret` (the whole secret when it is shorter)."""
    if len(secret) <= size:
        return [secret]
    return [secret[index: index + size] for index in range(len(secret) - size + 1)]


def leaked(secret: str, haystack: str) -> str | None:
    """The first piece of `secret` found in `haystack`, or None."""
    return next((piece for piece in pieces(secret) if piece in haystack), None)


planted_anywhere = st.tuples(st.one_of(*FORMATS.values()), st.sampled_from(PLACEMENTS))
every_format_placed = st.tuples(*(st.tuples(strategy, st.sampled_from(PLACEMENTS))
                                  for strategy in FORMATS.values()))
