"""Read pasted snippets and text files attached to a message (`files:read`).

Slack hands out file ids; files.info gives the private download URL, which needs the bot token.
Only text is read, and only up to a cap: a 200 MB core dump is not an error message.

The token goes only to Slack: a remote file (`is_external`, added by any app with
files.remote.add, or a shared Google Drive link) has a `url_private` on someone else's host,
and sending `Authorization: Bearer xoxb-…` there handed the bot's token to whoever runs it. A
download is made only from Slack's file hosts (or the configured Web API's own host, as a test
stand-in or a proxy is), over HTTPS, and follows a redirect only to such a host.
"""

from __future__ import annotations

import logging
import urllib.request
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.redaction import sanitize

log = logging.getLogger(__name__)

MAX_FILE_BYTES = 512 * 1024
MAX_FILES = 3
DOWNLOAD_TIMEOUT_S = 10
SLACK_FILE_DOMAINS = ("slack.com", "slack-edge.com", "slack-files.com")
BINARY_FILETYPES = {"png", "jpg", "jpeg", "gif", "pdf", "zip", "gzip", "mp4", "mov", "bmp",
                    "webp", "heic", "tar", "binary"}


@dataclass(frozen=True)
class AttachedText:
    texts: tuple[str, ...]
    # Names of files that could not be read as text, redacted: the uploader's words, quoted
    # back in the thread (a screenshot saved as `xoxb-….png` showed its token there).
    skipped: tuple[str, ...]


def read_attached_files(client: WebClient, files: list[dict[str, Any]]) -> AttachedText:
    texts: list[str] = []
    skipped: list[str] = []
    for shared in files[:MAX_FILES]:
        info = dict(shared)
        text = None
        try:
            # The event's file object may be partial ("file_access": "check_file_info").
            info.update(client.files_info(file=shared["id"])["file"])
            text = _read_text(client, info)
        except (SlackApiError, OSError, ValueError, KeyError) as error:
            log.warning("could not read attached file %s: %s", shared.get("id"), error)
        if text is None:
            skipped.append(str(sanitize(str(info.get("name") or info.get("title")
                                            or info.get("id") or "?"))))
        else:
            texts.append(text)
    return AttachedText(tuple(texts), tuple(skipped))


def is_slack_file_url(url: str, api_url: str) -> bool:
    """Whether `url` is one the bot token may be sent to: HTTPS on Slack's file hosts, or the
    configured Web API's own scheme and host (a stand-in, a proxy)."""
    try:
        parts, api = urlsplit(url), urlsplit(api_url)
        host = (parts.hostname or "").lower()
    except ValueError:
        return False
    if parts.scheme == api.scheme and parts.netloc.lower() == api.netloc.lower() and host:
        return True
    return parts.scheme == "https" and not parts.username and any(
        host == domain or host.endswith("." + domain) for domain in SLACK_FILE_DOMAINS)


class _SlackOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Follows a redirect only to where the token may go (urllib re-sends the header)."""

    def __init__(self, api_url: str) -> None:
        self.api_url = api_url

    def redirect_request(self, req: Any, fp: Any, code: int, msg: str, headers: Any,
                         newurl: str) -> Any:
        if not is_slack_file_url(newurl, self.api_url):
            raise ValueError(f"file download redirected away from Slack (HTTP {code})")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _read_text(client: WebClient, info: dict[str, Any]) -> str | None:
    if _looks_binary(info):
        return None
    url = str(info.get("url_private_download") or info.get("url_private") or "")
    if not url:
        return None
    if info.get("is_external") or not is_slack_file_url(url, client.base_url):
        log.warning("attached file %s is not on Slack (%s); not downloaded with the bot token",
                    info.get("id"), urlsplit(url).hostname)
        return None
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {client.token}"})
    opener = urllib.request.build_opener(_SlackOnlyRedirects(client.base_url))
    with opener.open(request, timeout=DOWNLOAD_TIMEOUT_S) as response:
        data = response.read(MAX_FILE_BYTES + 1)
    if b"\x00" in data[:4096]:
        return None
    return data[:MAX_FILE_BYTES].decode("utf-8", errors="replace")


def _looks_binary(info: dict[str, Any]) -> bool:
    mimetype = str(info.get("mimetype") or "")
    if mimetype.startswith(("image/", "video/", "audio/")):
        return True
    return str(info.get("filetype") or "").lower() in BINARY_FILETYPES
