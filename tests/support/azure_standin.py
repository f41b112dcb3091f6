"""A stand-in for the Azure endpoints the Azure ML SDKs call, on 127.0.0.1, over real HTTPS.

The real `azureml-core` (SDK v1) and `azure-ai-ml` (SDK v2) code runs against it unchanged: the
SDKs are pointed here through their own standard overrides (see `sdk_environment()`), never by
patching. It answers, in Azure's wire format:

- ARM cloud metadata (plain HTTP, on a second port: SDK v1 reads it with urllib, which ignores
  REQUESTS_CA_BUNDLE), listing `AzureCloud` and `TestCloud`, every endpoint pointing here;
- the ADFS-style login authority: `/adfs/.well-known/openid-configuration` and the token
  endpoint (client credentials);
- ARM: the subscription list, the workspace (whose `discoveryUrl` points back here), the
  discovery document;
- SDK v1 Model Management: `services`, `services/{name}?expand=true`, `services/{name}/logs`;
- SDK v2 ARM: online endpoints and deployments (get and list, with `systemData`),
  `.../deployments/{d}/getLogs`.

`update_deployment` / `update_service` change a state the way Azure does (a deployment update
moves its last-modified time), for the deployments watch.

Every request is recorded (`requests`), and faults can be programmed: a status for the token
endpoint, a hanging path, a status for the log calls, a missing workspace.
"""

from __future__ import annotations

import base64
import json
import re
import ssl
import subprocess
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

SUBSCRIPTION_ID = "00000000-1111-2222-3333-444444444444"
RESOURCE_GROUP = "rg-ml-test"
WORKSPACE = "ws-test"
TENANT = "adfs"
CLIENT_ID = "11111111-2222-3333-4444-555555555555"
CLIENT_SECRET = "test-sp-secret-value"  # a test credential, for the stand-in only
TEST_CLOUD = "TestCloud"

_WORKSPACE_PATH = re.compile(
    r"^/subscriptions/(?P<sub>[^/]+)/resourceGroups/(?P<rg>[^/]+)/providers/"
    r"Microsoft\.MachineLearningServices/workspaces/(?P<ws>[^/]+)(?P<rest>/.*)?$", re.IGNORECASE)
_MMS_PREFIX = re.compile(r"^/modelmanagement/v1\.0(?P<ws>/subscriptions/.*)$", re.IGNORECASE)


def make_certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and localhost, made with the openssl command."""
    cert, key = folder / "standin-cert.pem", folder / "standin-key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
         "-addext", "basicConstraints=critical,CA:TRUE"],
        check=True, capture_output=True)
    return cert, key


def _later(stamp: str) -> str:
    """An ISO time one second after `stamp`, in the same shape (Z or +00:00)."""
    from datetime import datetime, timedelta

    parsed = datetime.fromisoformat(stamp.replace("Z", "+00:00")) + timedelta(seconds=1)
    text = parsed.isoformat(timespec="microseconds")
    return text.replace("+00:00", "0Z") if stamp.endswith("Z") else text


def _b64url(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def fake_jwt(audience: str) -> str:
    """An unsigned JWT with the claims the SDKs read (expiry, tenant, object id)."""
    now = int(time.time())
    claims = {"aud": audience, "iss": "https://127.0.0.1/adfs", "iat": now, "nbf": now,
              "exp": now + 3600, "tid": TENANT, "oid": "22222222-3333-4444-5555-666666666666",
              "appid": CLIENT_ID, "sub": CLIENT_ID}
    return f"{_b64url({'typ': 'JWT', 'alg': 'none'})}.{_b64url(claims)}.c2lnbmF0dXJl"


@dataclass
class Recorded:
    method: str
    path: str
    query: dict[str, list[str]]
    body: bytes
    headers: dict[str, str]


@dataclass
class V1Service:
    name: str
    logs: str = ""
    init_logs: str = ""
    state: str = "Healthy"
    error: dict[str, Any] | None = None
    compute_type: str = "ACI"
    updated: str = "2026-11-25T09:00:00.000000+00:00"  # `updatedTime`


@dataclass
class V2Deployment:
    name: str
    logs: str = ""
    init_logs: str = ""
    state: str = "Succeeded"  # provisioning state
    modified: str = "2026-11-25T09:00:00.0000000Z"  # ARM systemData.lastModifiedAt


@dataclass
class V2Endpoint:
    name: str
    deployments: dict[str, V2Deployment] = field(default_factory=dict)
    traffic: dict[str, int] = field(default_factory=dict)
    state: str = "Succeeded"


class AzureStandin:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.cert, self.key = make_certificate(folder)
        self.requests: list[Recorded] = []
        self.services: dict[str, V1Service] = {}
        self.endpoints: dict[str, V2Endpoint] = {}
        self.workspaces: set[str] = {WORKSPACE}
        # Faults, programmed by tests.
        self.token_status: int | None = None  # e.g. 401
        self.log_status: int | None = None  # e.g. 500 on every log call
        self.hang_paths: list[str] = []  # substrings of paths that never answer (until stop)
        self._release = threading.Event()
        self._lock = threading.Lock()

        self._https = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.cert, self.key)
        self._https.socket = context.wrap_socket(self._https.socket, server_side=True)
        self._https.daemon_threads = True
        self._http = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._http.daemon_threads = True
        self._threads = [threading.Thread(target=server.serve_forever, daemon=True)
                         for server in (self._https, self._http)]

    # ----- life cycle
    def start(self) -> AzureStandin:
        for thread in self._threads:
            thread.start()
        return self

    def stop(self) -> None:
        self._release.set()
        for server in (self._https, self._http):
            if server.socket.fileno() != -1:
                server.shutdown()
                server.server_close()

    def take_azure_down(self) -> None:
        """Close the HTTPS side (login and ARM): connections are refused, as when Azure is
        unreachable through a firewall. The public cloud metadata stays up."""
        self._https.shutdown()
        self._https.server_close()

    def __enter__(self) -> AzureStandin:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    # ----- addresses and the SDK environment
    @property
    def base_url(self) -> str:
        return f"https://127.0.0.1:{self._https.server_address[1]}"

    @property
    def metadata_url(self) -> str:
        return f"http://127.0.0.1:{self._http.server_address[1]}/metadata/endpoints"

    def sdk_environment(self, home: Path) -> dict[str, str]:
        """The environment that points both SDKs here, through their standard overrides only."""
        home.mkdir(parents=True, exist_ok=True)
        return {
            "ARM_CLOUD_METADATA_URL": self.metadata_url,
            "AZUREML_CURRENT_CLOUD": TEST_CLOUD,
            "AZURE_AUTHORITY_HOST": self.base_url,
            "AZURE_TENANT_ID": TENANT,
            "AZURE_CLIENT_ID": CLIENT_ID,
            "AZURE_CLIENT_SECRET": CLIENT_SECRET,
            "AZURE_SUBSCRIPTION_ID": SUBSCRIPTION_ID,
            "AZURE_RESOURCE_GROUP": RESOURCE_GROUP,
            "AZUREML_WORKSPACE_NAME": WORKSPACE,
            "REQUESTS_CA_BUNDLE": str(self.cert),
            "SSL_CERT_FILE": str(self.cert),
            "HOME": str(home),
            "AZURE_CONFIG_DIR": str(home / ".azure"),
            # No telemetry uploads to the real Application Insights from tests.
            "AZUREML_LOG_DEPRECATION_WARNING_ENABLED": "False",
            "AZUREML_SDKV2_TELEMETRY_OPTOUT": "1",
        }

    # ----- programming the stand-in
    def add_service(self, name: str, **kwargs: Any) -> V1Service:
        self.services[name] = V1Service(name, **kwargs)
        return self.services[name]

    def add_endpoint(self, name: str, deployments: dict[str, V2Deployment],
                     traffic: dict[str, int] | None = None) -> V2Endpoint:
        self.endpoints[name] = V2Endpoint(name, deployments, traffic or {})
        return self.endpoints[name]

    def update_deployment(self, endpoint: str, deployment: str, *, state: str,
                          logs: str | None = None) -> V2Deployment:
        """What a deployment (update) does in Azure: a new provisioning state and a new
        `systemData.lastModifiedAt`, a second after the last one (ARM's own clock)."""
        target = self.endpoints[endpoint].deployments[deployment]
        target.state = state
        target.modified = _later(target.modified)
        if logs is not None:
            target.logs = logs
        return target

    def update_service(self, name: str, *, state: str, error: dict[str, Any] | None = None,
                       logs: str | None = None, touch: bool = True) -> V1Service:
        """A v1 web service changing state; `touch=False` for a container that crashes or
        comes back by itself (Azure changes `updatedTime` only when the service is updated)."""
        service = self.services[name]
        service.state = state
        service.error = error
        if logs is not None:
            service.logs = logs
        if touch:
            service.updated = _later(service.updated)
        return service

    def azure_requests(self) -> list[Recorded]:
        """Requests to Azure proper (the HTTPS side), leaving out the public cloud metadata."""
        with self._lock:
            return [r for r in self.requests if not r.path.startswith("/metadata/")]

    def paths(self) -> list[str]:
        with self._lock:
            return [f"{r.method} {r.path}" for r in self.requests]

    # ----- answers
    def cloud_metadata(self) -> list[dict[str, Any]]:
        base = self.base_url
        def cloud(name: str) -> dict[str, Any]:
            return {
                "name": name,
                "portal": "https://portal.test.local",
                "resourceManager": base + "/",
                "authentication": {"loginEndpoint": base + "/", "audiences": [base + "/"],
                                   "tenant": "common", "identityProvider": "AAD"},
                "media": base + "/", "graphAudience": base + "/", "graph": base + "/",
                "batch": base + "/", "sqlManagement": base + "/", "gallery": base + "/",
                "activeDirectoryDataLake": base + "/", "vmImageAliasDoc": base + "/aliases.json",
                "microsoftGraphResourceId": base + "/",
                "suffixes": {"storage": "core.test.local", "keyVaultDns": "vault.test.local",
                             "sqlServerHostname": "database.test.local",
                             "acrLoginServer": "azurecr.test.local"},
            }
        return [cloud("AzureCloud"), cloud(TEST_CLOUD)]

    def _workspace_body(self, sub: str, rg: str, ws: str) -> dict[str, Any]:
        rid = (f"/subscriptions/{sub}/resourceGroups/{rg}/providers/"
               f"Microsoft.MachineLearningServices/workspaces/{ws}")
        return {
            "id": rid, "name": ws, "type": "Microsoft.MachineLearningServices/workspaces",
            "location": "koreacentral", "tags": {}, "sku": {"name": "Basic", "tier": "Basic"},
            "identity": {"type": "SystemAssigned"},
            "properties": {
                "friendlyName": ws, "description": "", "workspaceId": "ws-guid-0001",
                "discoveryUrl": f"{self.base_url}/discovery/workspaces/{ws}",
                "provisioningState": "Succeeded", "hbiWorkspace": False,
                "storageAccount": f"/subscriptions/{sub}/resourceGroups/{rg}/providers/"
                                  "Microsoft.Storage/storageAccounts/stteststore",
                "keyVault": f"/subscriptions/{sub}/resourceGroups/{rg}/providers/"
                            "Microsoft.KeyVault/vaults/kvtest",
                "applicationInsights": f"/subscriptions/{sub}/resourceGroups/{rg}/providers/"
                                       "microsoft.insights/components/aitest",
                "mlFlowTrackingUri": f"azureml://koreacentral.api.test.local/mlflow/v1.0{rid}",
            },
        }

    def _discovery(self) -> dict[str, str]:
        base = self.base_url
        return {key: base for key in ("api", "catalog", "experimentation", "gallery", "history",
                                      "hyperdrive", "labeling", "modelmanagement", "pipelines",
                                      "studio")}

    def _v1_service_body(self, service: V1Service) -> dict[str, Any]:
        body: dict[str, Any] = {
            "name": service.name, "computeType": service.compute_type, "state": service.state,
            "createdTime": "2026-11-20T10:00:00.000000+00:00",
            "updatedTime": service.updated,
            "description": None, "kvTags": {}, "properties": {}, "createdBy": None,
            "appInsightsEnabled": False, "authEnabled": False, "cname": None,
            "containerResourceRequirements": {"cpu": 0.5, "memoryInGB": 1.0},
            "location": "koreacentral", "publicIp": None, "scoringUri": None,
            "sslCertificate": None, "sslEnabled": False, "sslKey": None,
            "id": service.name, "imageId": None,
        }
        if service.error:
            body["error"] = service.error
        return body

    def _v2_endpoint_body(self, sub: str, rg: str, ws: str, endpoint: V2Endpoint
                          ) -> dict[str, Any]:
        rid = (f"/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft."
               f"MachineLearningServices/workspaces/{ws}/onlineEndpoints/{endpoint.name}")
        return {
            "id": rid, "name": endpoint.name, "location": "koreacentral",
            "type": "Microsoft.MachineLearningServices/workspaces/onlineEndpoints",
            "kind": "Managed", "tags": {}, "identity": {"type": "SystemAssigned"},
            "properties": {"authMode": "Key", "traffic": endpoint.traffic,
                           "provisioningState": endpoint.state,
                           "scoringUri": f"https://{endpoint.name}.koreacentral.test.local/score"},
        }

    def _v2_deployment_body(self, sub: str, rg: str, ws: str, endpoint: V2Endpoint,
                            deployment: V2Deployment) -> dict[str, Any]:
        rid = (f"/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft."
               f"MachineLearningServices/workspaces/{ws}/onlineEndpoints/{endpoint.name}"
               f"/deployments/{deployment.name}")
        return {
            "id": rid, "name": deployment.name, "location": "koreacentral",
            "type": "Microsoft.MachineLearningServices/workspaces/onlineEndpoints/deployments",
            "kind": "Managed", "tags": {}, "sku": {"name": "Default", "capacity": 1},
            "properties": {
                "endpointComputeType": "Managed", "instanceType": "Standard_DS3_v2",
                "provisioningState": deployment.state, "appInsightsEnabled": False,
                "scaleSettings": {"scaleType": "Default"},
                "requestSettings": {"maxConcurrentRequestsPerInstance": 1,
                                    "requestTimeout": "PT5S", "maxQueueWait": "PT0.5S"},
                "livenessProbe": {"failureThreshold": 30, "successThreshold": 1,
                                  "timeout": "PT2S", "period": "PT10S", "initialDelay": "PT10S"},
                "readinessProbe": {"failureThreshold": 30, "successThreshold": 1,
                                   "timeout": "PT2S", "period": "PT10S", "initialDelay": "PT10S"},
                "model": "azureml:churn-model:3", "environmentVariables": {},
            },
            "systemData": {"createdBy": "alice@example.com", "createdByType": "User",
                           "createdAt": "2026-11-20T10:00:00.0000000Z",
                           "lastModifiedBy": "alice@example.com", "lastModifiedByType": "User",
                           "lastModifiedAt": deployment.modified},
        }

    def respond(self, method: str, path: str, query: dict[str, list[str]], body: bytes
                ) -> tuple[int, Any]:
        if path.startswith("/metadata/endpoints"):
            return 200, self.cloud_metadata()
        if path.startswith("/adfs/.well-known/openid-configuration") or \
                path.endswith("/.well-known/openid-configuration"):
            base = self.base_url
            return 200, {"issuer": f"{base}/adfs", "token_endpoint": f"{base}/adfs/oauth2/token",
                         "authorization_endpoint": f"{base}/adfs/oauth2/authorize",
                         "device_authorization_endpoint": f"{base}/adfs/oauth2/devicecode"}
        if path.startswith("/adfs/oauth2/token"):
            if self.token_status:
                return self.token_status, {
                    "error": "invalid_client",
                    "error_description": "AADSTS7000215: Invalid client secret provided. Ensure "
                                         "the secret being sent in the request is the client "
                                         "secret value, not the client secret ID."}
            form = parse_qs(body.decode())
            scope = (form.get("scope") or form.get("resource") or ["https://127.0.0.1/"])[0]
            return 200, {"token_type": "Bearer", "expires_in": 3600, "ext_expires_in": 3600,
                         "access_token": fake_jwt(scope.split(" ")[0])}
        if path.rstrip("/") == "/subscriptions":
            return 200, {"value": [{"id": f"/subscriptions/{SUBSCRIPTION_ID}",
                                    "subscriptionId": SUBSCRIPTION_ID, "tenantId": TENANT,
                                    "displayName": "ML test", "state": "Enabled"}]}
        if path.startswith("/discovery/workspaces/"):
            return 200, self._discovery()
        mms = _MMS_PREFIX.match(path)
        if mms:
            return self._model_management(method, mms.group("ws"), query)
        arm = _WORKSPACE_PATH.match(path)
        if arm:
            return self._arm(method, arm.group("sub"), arm.group("rg"), arm.group("ws"),
                             arm.group("rest") or "", body)
        return 404, {"error": {"code": "NotFound", "message": f"stand-in: no route for {path}"}}

    def _workspace_missing(self, ws: str) -> tuple[int, Any]:
        return 404, {"error": {"code": "ResourceNotFound", "message":
                               f"The Resource 'Microsoft.MachineLearningServices/workspaces/{ws}' "
                               f"under resource group '{RESOURCE_GROUP}' was not found."}}

    def _model_management(self, method: str, ws_path: str, query: dict[str, list[str]]
                          ) -> tuple[int, Any]:
        match = _WORKSPACE_PATH.match(ws_path)
        if not match:
            return 404, {"error": {"code": "NotFound", "message": "bad model management path"}}
        if match.group("ws") not in self.workspaces:
            return self._workspace_missing(match.group("ws"))
        rest = match.group("rest") or ""
        parts = [part for part in rest.split("/") if part]
        if parts == ["services"]:
            return 200, {"value": [self._v1_service_body(s) for s in self.services.values()]}
        if len(parts) >= 2 and parts[0] == "services":
            service = self.services.get(parts[1])
            if service is None:
                return 404, {"code": "NotFound", "statusCode": 404,
                             "message": f"No service with name {parts[1]} could be found."}
            if parts[2:] == ["logs"]:
                if self.log_status:
                    return self.log_status, {"code": "InternalServerError", "statusCode":
                                             self.log_status, "message": "An internal error "
                                             "occurred while fetching the logs."}
                init = (query.get("init") or ["False"])[0].lower() == "true"
                tail = int((query.get("tail") or ["5000"])[0])
                text = service.init_logs if init else service.logs
                return 200, {"content": "\n".join(text.splitlines()[-tail:])}
            if not parts[2:]:
                return 200, self._v1_service_body(service)
        return 404, {"error": {"code": "NotFound", "message": f"no route for {rest}"}}

    def _arm(self, method: str, sub: str, rg: str, ws: str, rest: str, body: bytes
             ) -> tuple[int, Any]:
        if ws not in self.workspaces:
            return self._workspace_missing(ws)
        parts = [part for part in rest.split("/") if part]
        if not parts:
            return 200, self._workspace_body(sub, rg, ws)
        if parts[0] != "onlineEndpoints":
            return 404, {"error": {"code": "NotFound", "message": f"no route for {rest}"}}
        if len(parts) == 1:
            return 200, {"value": [self._v2_endpoint_body(sub, rg, ws, e)
                                   for e in self.endpoints.values()]}
        endpoint = self.endpoints.get(parts[1])
        if endpoint is None:
            return 404, {"error": {"code": "UserError", "message":
                                   f"Could not find online endpoint '{parts[1]}'."}}
        if len(parts) == 2:
            return 200, self._v2_endpoint_body(sub, rg, ws, endpoint)
        if parts[2] != "deployments":
            return 404, {"error": {"code": "NotFound", "message": f"no route for {rest}"}}
        if len(parts) == 3:
            return 200, {"value": [self._v2_deployment_body(sub, rg, ws, endpoint, d)
                                   for d in endpoint.deployments.values()]}
        deployment = endpoint.deployments.get(parts[3])
        if deployment is None:
            return 404, {"error": {"code": "UserError", "message":
                                   f"Could not find deployment '{parts[3]}'."}}
        if parts[4:] == ["getLogs"] and method == "POST":
            if self.log_status:
                return self.log_status, {"error": {"code": "InternalServerError",
                                                   "message": "An internal error occurred."}}
            request = json.loads(body or b"{}")
            tail = int(request.get("tail") or 5000)
            text = (deployment.init_logs if request.get("containerType") == "StorageInitializer"
                    else deployment.logs)
            return 200, {"content": "\n".join(text.splitlines()[-tail:])}
        if not parts[4:]:
            return 200, self._v2_deployment_body(sub, rg, ws, endpoint, deployment)
        return 404, {"error": {"code": "NotFound", "message": f"no route for {rest}"}}

    # ----- HTTP plumbing
    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        standin = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *_args: object) -> None:  # keep test output quiet
                pass

            def _handle(self) -> None:
                parsed = urlparse(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                query = parse_qs(parsed.query)
                with standin._lock:
                    standin.requests.append(Recorded(self.command, parsed.path, query, body,
                                                     dict(self.headers.items())))
                if any(fragment in parsed.path for fragment in standin.hang_paths):
                    # An endpoint that accepts the connection and never answers.
                    standin._release.wait()
                    return
                status, payload = standin.respond(self.command, parsed.path, query, body)
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.send_header("x-ms-request-id", "standin-request")
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _handle

        return Handler
