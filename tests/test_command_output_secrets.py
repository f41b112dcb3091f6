"""What `az` and `kubectl` really print when asked for credentials, pasted whole: every format.

Each paste is the command's real output shape (`-o json`, `-o yaml`, `-o table`, `-o tsv`, with
and without `--query`), with a secret of the shape the service really issues. The secret must
not survive `sanitize()` (not even a 12-character piece of it), and what people need to read
(names, user names, ConfigMap data, the table's layout) must stay.
"""

from __future__ import annotations

import json
import random
import string
import time

import pytest

from bot.redaction import sanitize

_B64 = string.ascii_letters + string.digits + "+/"
_rng = random.Random(12)


def _b64(count: int) -> str:
    """Random base64 characters with both cases and a digit, as issued keys have."""
    while True:
        run = "".join(_rng.choice(_B64) for _ in range(count))
        if any(c.isdigit() for c in run) and any(c.isupper() for c in run) and any(
                c.islower() for c in run):
            return run


def _acr_password() -> str:
    """An ACR admin password as issued since 2024: 42 base64, the `+ACR` signature, 6 more."""
    return _b64(42) + "+ACR" + _rng.choice("ABCD") + _b64(5)


ACR1, ACR2 = _acr_password(), _acr_password()
STORAGE = _b64(86) + "=="
ENDPOINT_HEX = "a7f2c9e4b1d8a3f6e0c5b2d9a4f7e1c8"  # an endpoint key that looks like a hash
INSTRUMENTATION = "4f2a9c1e-7b3d-4e8f-a6c2-1d9e5b7f3a08"


def _leaks(secret: str, text: str) -> list[str]:
    return [secret[i:i + 12] for i in range(len(secret) - 11) if secret[i:i + 12] in text]


def _assert_gone(text: str, *secrets: str) -> str:
    out = sanitize(text)
    for secret in secrets:
        assert not _leaks(secret, out), f"{secret!r} leaked in:\n{out}"
    return out


# --- az acr credential show ------------------------------------------------------------------

def test_acr_credential_show_json_hides_both_passwords_and_keeps_the_user_name() -> None:
    text = ('{\n  "passwords": [\n    {\n      "name": "password",\n      "value": "' + ACR1
            + '"\n    },\n    {\n      "name": "password2",\n      "value": "' + ACR2
            + '"\n    }\n  ],\n  "username": "mlacr01"\n}')
    out = _assert_gone(text, ACR1, ACR2)
    assert '"username": "mlacr01"' in out and '"name": "password2"' in out


def test_acr_credential_show_yaml_hides_the_second_password_too() -> None:
    text = (f"passwords:\n- name: password\n  value: {ACR1}\n- name: password2\n"
            f"  value: {ACR2}\nusername: mlacr01")
    out = _assert_gone(text, ACR1, ACR2)
    assert "username: mlacr01" in out


def test_acr_credential_show_table_hides_the_passwords_and_keeps_the_columns() -> None:
    text = ("USERNAME    PASSWORD                                              PASSWORD2\n"
            "----------  ----------------------------------------------------  "
            "----------------------------------------------------\n"
            f"mlacr01     {ACR1}  {ACR2}")
    out = _assert_gone(text, ACR1, ACR2)
    assert out.split("\n")[0] == text.split("\n")[0]
    assert out.split("\n")[2].startswith("mlacr01     ")


@pytest.mark.parametrize("query", ["'passwords[0].value'", "passwords[].value"])
def test_an_acr_password_printed_alone_by_tsv_is_recognised_by_its_signature(query: str) -> None:
    text = f"$ az acr credential show -n mlacr01 --query {query} -o tsv\n{ACR1}\n{ACR2}"
    out = _assert_gone(text, ACR1, ACR2)
    assert out.startswith(f"$ az acr credential show -n mlacr01 --query {query} -o tsv\n")
    # Without the command above it, the signature alone is enough.
    _assert_gone(ACR1, ACR1)


# --- az ml workspace list-keys ---------------------------------------------------------------

def test_workspace_list_keys_v2_hides_the_registry_passwords_listed_without_names() -> None:
    json_text = ('{\n  "container_registry_credentials": {\n    "location": "koreacentral",\n'
                 f'    "passwords": [\n      "{ACR1}",\n      "{ACR2}"\n    ],\n'
                 '    "username": "mlacr01"\n  },\n'
                 f'  "user_storage_key": "{STORAGE}"\n}}')
    out = _assert_gone(json_text, ACR1, ACR2, STORAGE)
    # The object stays an object: its opening brace is not taken for a secret value.
    assert '"container_registry_credentials": {\n' in out
    assert '"username": "mlacr01"' in out
    yaml_text = (f"container_registry_credentials:\n  location: koreacentral\n  passwords:\n"
                 f"  - {ACR1}\n  - {ACR2}\n  username: mlacr01\nuser_storage_key: {STORAGE}")
    out = _assert_gone(yaml_text, ACR1, ACR2, STORAGE)
    assert "  username: mlacr01" in out and "  location: koreacentral" in out


def test_old_style_registry_passwords_in_a_list_are_hidden_by_where_they_sit() -> None:
    """Passwords issued before the signature: 32 letters and digits, nothing to tell them by
    but the `passwords` list they are in."""
    old1, old2 = "a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6", "9f8e7d6c5b4a39281706f5e4d3c2b1a0"
    _assert_gone(f'"passwords": [\n  "{old1}",\n  "{old2}"\n]', old1, old2)
    _assert_gone(f"  passwords:\n  - {old1}\n  - {old2}\n  username: mlacr01", old1, old2)


def test_workspace_list_keys_tsv_hides_the_instrumentation_key_and_keeps_the_resource_id() -> None:
    resource = "/subscriptions/x/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/mls"
    text = (f"$ az ml workspace list-keys -n mlw -g rg -o tsv\n"
            f"{INSTRUMENTATION}\t{STORAGE}\t{resource}")
    out = _assert_gone(text, INSTRUMENTATION, STORAGE)
    assert out.endswith(f"\t{resource}") and out.count("\t") == 2


# --- az ml online-endpoint get-credentials ---------------------------------------------------

@pytest.mark.parametrize("output", ["-o tsv --query primaryKey", "--query primaryKey -o tsv",
                                    "--output tsv --query secondaryKey"])
def test_an_endpoint_key_printed_alone_under_its_command_is_hidden_even_if_it_looks_like_a_hash(
        output: str) -> None:
    command = f"$ az ml online-endpoint get-credentials -n churn -g rg-ml {output}"
    out = _assert_gone(f"{command}\n{ENDPOINT_HEX}", ENDPOINT_HEX)
    assert out.startswith(command + "\n")


def test_both_endpoint_keys_in_tsv_keep_their_tab() -> None:
    command = "az ml online-endpoint get-credentials -n churn -o tsv"
    out = _assert_gone(f"{command}\n{ENDPOINT_HEX}\t{ENDPOINT_HEX[::-1]}", ENDPOINT_HEX,
                       ENDPOINT_HEX[::-1])
    assert out.split("\n")[1].count("\t") == 1


def test_a_hash_in_an_ordinary_log_is_not_taken_for_a_key() -> None:
    """Without a credentials command above it, 32 hex characters are an id: kept."""
    text = f"2026-12-02 10:00:01 INFO model hash\n{ENDPOINT_HEX}\ndone"
    assert sanitize(text) == text


def test_output_of_a_later_command_is_not_taken_for_credentials() -> None:
    text = (f"$ az ml online-endpoint get-credentials -n churn -o tsv --query primaryKey\n"
            f"{ENDPOINT_HEX}\n$ az ml online-endpoint show -n churn -o tsv --query id\n"
            f"{ENDPOINT_HEX[::-1]}")
    out = _assert_gone(text, ENDPOINT_HEX)
    assert out.endswith(ENDPOINT_HEX[::-1])


# --- az storage account keys list ------------------------------------------------------------

@pytest.mark.parametrize("form", ["json", "yaml", "table", "tsv"])
def test_storage_account_keys_list_in_every_format(form: str) -> None:
    other = _b64(86) + "=="
    date = "2024-03-01T10:00:00.000000+00:00"
    text = {
        "json": (f'[\n  {{\n    "creationTime": "{date}",\n    "keyName": "key1",\n'
                 f'    "permissions": "FULL",\n    "value": "{STORAGE}"\n  }},\n  {{\n'
                 f'    "creationTime": "{date}",\n    "keyName": "key2",\n'
                 f'    "permissions": "FULL",\n    "value": "{other}"\n  }}\n]'),
        "yaml": (f"- creationTime: '{date}'\n  keyName: key1\n  permissions: FULL\n"
                 f"  value: {STORAGE}\n- creationTime: '{date}'\n  keyName: key2\n"
                 f"  permissions: FULL\n  value: {other}"),
        "table": ("CreationTime                      KeyName    Permissions    Value\n"
                  "--------------------------------  ---------  -------------  -----\n"
                  f"{date}  key1       FULL           {STORAGE}\n"
                  f"{date}  key2       FULL           {other}"),
        "tsv": f"{date}\tkey1\tFULL\t{STORAGE}\n{date}\tkey2\tFULL\t{other}",
    }[form]
    out = _assert_gone(text, STORAGE, other)
    assert "key2" in out and "FULL" in out and date in out


# --- kubectl get configmap,secret -o yaml|json -----------------------------------------------

_SECRET_VALUE = "UG9zdGdyZXNQYXNzMjAyNSE="


@pytest.mark.parametrize("order", ["configmap-first", "secret-first"])
def test_a_list_of_configmaps_and_secrets_hides_secret_data_and_keeps_configmap_data(
        order: str) -> None:
    configmap = ("- apiVersion: v1\n  data:\n    MODEL_NAME: churn-model-v2\n"
                 "    LOG_LEVEL: debug\n  kind: ConfigMap\n  metadata:\n    name: scorer-config\n")
    secret = (f"- apiVersion: v1\n  data:\n    DB_CONN: {_SECRET_VALUE}\n    username: YWRtaW4=\n"
              "  kind: Secret\n  metadata:\n    name: scorer-secret\n  type: Opaque\n")
    items = configmap + secret if order == "configmap-first" else secret + configmap
    text = ("$ kubectl get configmap,secret -n ml -o yaml\napiVersion: v1\nitems:\n" + items
            + "kind: List\nmetadata:\n  resourceVersion: \"\"")
    out = _assert_gone(text, _SECRET_VALUE)
    assert "YWRtaW4=" not in out
    assert "    MODEL_NAME: churn-model-v2\n    LOG_LEVEL: debug\n" in out


def test_the_same_list_asked_the_other_way_round_is_judged_item_by_item() -> None:
    """`kubectl get secret,configmap` names secrets first; the ConfigMap is still kept."""
    text = ("$ kubectl get secret,configmap -o yaml\napiVersion: v1\nitems:\n"
            f"- apiVersion: v1\n  data:\n    DB_CONN: {_SECRET_VALUE}\n  kind: Secret\n"
            "- apiVersion: v1\n  data:\n    MODEL_NAME: churn-model-v2\n  kind: ConfigMap\n"
            "kind: List")
    out = _assert_gone(text, _SECRET_VALUE)
    assert "MODEL_NAME: churn-model-v2" in out


def test_a_json_list_of_configmaps_and_secrets_is_judged_item_by_item() -> None:
    listed = {"apiVersion": "v1", "kind": "List", "items": [
        {"apiVersion": "v1", "data": {"MODEL_NAME": "churn-model-v2"}, "kind": "ConfigMap",
         "metadata": {"name": "scorer-config"}},
        {"apiVersion": "v1", "data": {"DB_CONN": _SECRET_VALUE}, "kind": "Secret",
         "metadata": {"name": "scorer-secret"}, "type": "Opaque"},
    ]}
    text = json.dumps(listed, indent=4)  # how kubectl prints it: four spaces, keys as given
    out = _assert_gone(text, _SECRET_VALUE)
    assert '"MODEL_NAME": "churn-model-v2"' in out


def test_a_secret_whose_kind_line_was_cut_off_is_still_hidden() -> None:
    """An item with no `kind:` of its own falls back on what the paste says (the command)."""
    text = (f"$ kubectl get secret scorer-secret -o yaml\napiVersion: v1\ndata:\n"
            f"  DB_CONN: {_SECRET_VALUE}\n")
    _assert_gone(text, _SECRET_VALUE)


# --- every new pattern in linear time ---------------------------------------------------------

_PATHOLOGICAL = {
    # A run of `key=` with no digit: a lookahead for the digit used to scan to the end each time.
    "key names": "key=" * 10_000,
    "key names ending in a dot": "=key=1" * 6_666 + ".",
    # Lines exactly a wrap width long, each a `password=` line: joined one by one.
    "wrapped passwords": "\n".join(["password=" + "x" * 71] * 494),
    "signatures": "+ACR" * 10_000,
    # One long line with a `%` and no escape: the escaped-run regex started at every position.
    "a long line with a percent": "a" * 39_990 + " CPU 100%",
    "passwords lists": '"passwords": [' * 2_857,
    "yaml passwords lists": "passwords:\n- " * 3_076,
    "credential commands": "az acr credential show -o tsv\n" * 1_333,
    "list items": "- apiVersion: v1\n  data:\n" * 1_600,
    "json kinds": '{"kind": "Secret", "data": {' * 1_428,
}


@pytest.mark.parametrize("name", sorted(_PATHOLOGICAL))
def test_a_pathological_40000_character_paste_is_redacted_in_linear_time(name: str) -> None:
    """Each input is built to make a backtracking or re-scanning redactor quadratic: a quarter of
    it must take no more than a quarter of the time, give or take, and the whole under two
    seconds on a busy shared machine (a quadratic one took 2.3 to 24 s). Timed in this
    thread's CPU time, not wall time: under the suite's four workers on two cores a linear
    redactor's wall time reached 2.29 s (round 16's CI), while its CPU time stays the work."""
    text = _PATHOLOGICAL[name]
    assert 39_000 <= len(text) <= 41_000
    quarter = text[: len(text) // 4]
    timings = []
    for sample in (quarter, text):
        started = time.thread_time()
        sanitize(sample)
        timings.append(time.thread_time() - started)
    assert timings[1] < 2.0, f"{name}: {timings[1]:.2f} s for 40,000 characters"
    assert timings[1] < 8 * timings[0] + 0.05, f"{name}: {timings} grows faster than the text"


def test_a_log_pasted_right_under_the_key_keeps_its_pod_names_and_request_ids() -> None:
    """Rows of tsv or table output end where a line reads as a log or a sentence."""
    log = ("2026-12-02T10:00:03Z scoring-7f9c6d5b8-x2k4q request 3f0c9a7e1b2d4c5e handled\n"
           "ERROR churn-scorer-blue-84c9f7d6b-q7x2m init() failed")
    text = (f"$ az ml online-endpoint get-credentials -n churn -o tsv --query primaryKey\n"
            f"{ENDPOINT_HEX}\n{log}")
    out = _assert_gone(text, ENDPOINT_HEX)
    assert out.endswith("\n" + log)


def test_a_name_and_value_pair_inside_a_logged_json_string_is_redacted() -> None:
    """An env logged inside a JSON string: the quotes are escaped, the pair is the same."""
    value = "Winter2026Scoring"
    text = json.dumps({"level": "error", "message": json.dumps(
        {"env": [{"name": "DB_PASSWORD", "value": value}, {"name": "LOG_LEVEL",
                                                            "value": "debug"}]})})
    out = _assert_gone(text, value)
    assert '\\"value\\": \\"debug\\"' in out


def test_other_credentials_commands_in_tsv_are_read_the_same_way() -> None:
    upper = ENDPOINT_HEX.upper()
    out = _assert_gone(f"$ az search admin-key show --service-name s -g rg -o tsv\n{upper}\t"
                       f"{upper[::-1]}", upper, upper[::-1])
    assert out.endswith("[REDACTED:credential]\t[REDACTED:credential]")


@pytest.mark.parametrize("password", ["Winter2026!", "correct horse battery staple"])
def test_a_key_vault_secret_queried_alone_is_hidden_whatever_its_characters(password: str) -> None:
    command = "$ az keyvault secret show --vault-name ml-kv -n db-password --query value -o tsv"
    out = _assert_gone(f"{command}\n{password}\n$ echo done", password)
    assert out == f"{command}\n[REDACTED:credential]\n$ echo done"


def test_a_list_that_names_secrets_is_kept_and_one_that_holds_them_is_not() -> None:
    compose = "services:\n  scorer:\n    secrets:\n      - db_password\n      - openai_key"
    assert sanitize(compose) == compose
    token = "ghs9Kq2xV7mTn4Lp0Rz8Wc3Yb6Hd1Jf5"
    _assert_gone(f"tokens:\n- {token}", token)


def test_a_key_at_the_end_of_a_sentence_is_redacted_and_the_full_stop_kept() -> None:
    """`SCORING_KEY=…` ending a sentence: the full stop is not part of the key (a dot inside
    the value still means a file name, `key=model_v2_2026.pkl`, which stays)."""
    key = "Xk2pQ9vLm4Rt8Ws1Ky6Hb3J"
    out = _assert_gone(f"I set SCORING_KEY={key}. Then it failed\nprimary key: {key}.", key)
    assert out == ("I set SCORING_KEY=[REDACTED:secret]. Then it failed\n"
                   "primary key: [REDACTED:secret].")
    name = "cache key=model_v2_2026_11_25.pkl"
    assert sanitize(name) == name
