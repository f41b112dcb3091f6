"""`GET /metrics` behind METRICS_TOKEN: the real `troubleshoot-bot serve` over HTTP.

Unset, /metrics answers anyone, as before (tests/e2e/test_slack_door.py scrapes it so). Set, a
scrape must carry `Authorization: Bearer <token>` (Prometheus' `authorization` scrape option);
anything else gets 401 and not one count.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest

from tests.e2e.conftest import Server, migrated_server
from tests.support.prometheus import metric

pytestmark = pytest.mark.slow

TOKEN = "mt-3f9c2a7e1b8d4c6f0a5e9b2d7c1f8a4e"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    # The database plays no part in who may scrape: SQLite only.
    with migrated_server("sqlite", tmp_path_factory.mktemp("metrics-token"),
                         extra_env={"METRICS_TOKEN": TOKEN}) as running:
        yield running


def get_metrics(server: Server, authorization: str | None) -> tuple[int, str, dict[str, str]]:
    request = urllib.request.Request(server.url + "/metrics")
    if authorization is not None:
        request.add_header("Authorization", authorization)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), dict(error.headers)


@pytest.mark.parametrize("authorization", [
    None, "", "Bearer", "Bearer ", "Bearer wrong-token", f"Bearer {TOKEN}x",
    f"Bearer {TOKEN[:-1]}", f"Basic {TOKEN}", TOKEN, f"bearer{TOKEN}",
])
def test_a_scrape_without_the_token_gets_401_and_no_counts(server: Server,
                                                           authorization: str | None) -> None:
    status, body, headers = get_metrics(server, authorization)
    assert status == 401
    assert "troubleshoot_" not in body and "# TYPE" not in body
    assert headers.get("WWW-Authenticate") == 'Bearer realm="metrics"'
    assert TOKEN not in body


def test_a_scrape_with_the_token_gets_the_counts_and_sees_the_refusals(server: Server) -> None:
    assert get_metrics(server, None)[0] == 401
    status, body, headers = get_metrics(server, f"Bearer {TOKEN}")
    assert status == 200 and headers["Content-Type"].startswith("text/plain")
    assert "# TYPE troubleshoot_http_requests_total counter" in body
    assert metric(body, "troubleshoot_http_requests_total", route="metrics", status="401") >= 1
    # The scheme is case-insensitive (RFC 9110), and the token is compared whole.
    assert get_metrics(server, f"bearer {TOKEN}")[0] == 200
    # Health checks stay open: a load balancer carries no token.
    with urllib.request.urlopen(server.url + "/healthz", timeout=10) as response:
        assert response.status == 200
    assert TOKEN not in server.log()
