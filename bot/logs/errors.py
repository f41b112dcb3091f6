"""Turn the many exceptions the Azure SDKs raise into the few errors a user can act on.

Both SDKs wrap HTTP failures in their own exception types (WebserviceException with the status
in its message, ProjectSystemException, AuthenticationException, azure-core's
HttpResponseError / ClientAuthenticationError / ServiceRequestError, ...). We classify by type
where the type says enough and by the HTTP status or well-known wording otherwise.
"""

from __future__ import annotations

import re

from bot.logs.source import (
    AuthenticationFailed,
    AzureUnreachable,
    BackendError,
    LogFetchError,
    PermissionDenied,
    WorkspaceNotFound,
)

_STATUS = re.compile(r"(?:Response Code|status(?:_code)?|Status code)\W{0,3}(\d{3})", re.I)
_UNREACHABLE_WORDS = ("Max retries exceeded", "Failed to establish a new connection",
                      "Connection refused", "Name or service not known", "getaddrinfo failed",
                      "ConnectionError", "ServiceRequestError", "SSLError",
                      "CERTIFICATE_VERIFY_FAILED", "Connection aborted", "Read timed out",
                      "ConnectTimeout")
_AUTH_WORDS = ("AADSTS", "invalid_client", "unauthorized_client", "AuthenticationException",
               "ClientAuthenticationError", "Authentication failed", "get_token",
               "ManagedIdentityCredential", "ClientSecretCredential")


def _status_of(error: BaseException) -> int | None:
    for attribute in ("status_code",):
        value = getattr(error, attribute, None)
        if isinstance(value, int):
            return value
    response = getattr(error, "response", None)
    value = getattr(response, "status_code", None)
    if isinstance(value, int):
        return value
    match = _STATUS.search(str(error))
    return int(match.group(1)) if match else None


def _chain(error: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in seen and len(seen) < 10:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


def classify_sdk_error(error: BaseException, *, workspace: str) -> LogFetchError:
    """The user-facing error for an SDK exception; the original stays chained for the server log."""
    if isinstance(error, LogFetchError):
        return error
    chain = _chain(error)
    names = " ".join(type(item).__name__ for item in chain)
    text = " ".join(str(item) for item in chain)
    status = next((s for s in (_status_of(item) for item in chain) if s), None)

    # Network first: azure-identity reports a refused connection to the login endpoint as an
    # authentication failure, but the credentials were never even checked.
    if any(word in names or word in text for word in _UNREACHABLE_WORDS):
        return AzureUnreachable(key="why_unreachable")
    if "Unknown cloud environment" in text:
        return AzureUnreachable(
            "the Azure cloud settings could not be loaded (is ARM reachable from the bot? is "
            "AZUREML_CURRENT_CLOUD a known cloud?)")
    if any(word in names or word in text for word in _AUTH_WORDS) or status == 401:
        return AuthenticationFailed(
            "Azure refused the bot's credentials (check AZURE_CLIENT_ID / AZURE_CLIENT_SECRET "
            "or the managed identity, and that the secret has not expired)")
    if status == 403 or "AuthorizationFailed" in text:
        return PermissionDenied(key="why_forbidden", workspace=workspace)
    if ("ResourceNotFound" in text or "ResourceGroupNotFound" in text
            or "SubscriptionNotFound" in text or "was not found" in text
            or ("ProjectSystemException" in names and status == 404)
            or ("Workspace" in text and status == 404)):
        return WorkspaceNotFound(
            f"workspace {workspace} was not found (check AZURE_SUBSCRIPTION_ID, "
            "AZURE_RESOURCE_GROUP and AZUREML_WORKSPACE_NAME, or the config.json)")
    if status and status >= 500:
        return BackendError(key="why_azure_internal", status=status)
    if status:
        return BackendError(key="why_azure_http", status=status)
    return BackendError(key="why_sdk_failed", kind=type(error).__name__)
