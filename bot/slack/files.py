"""Read pasted snippets and text files attached to a message (`files:read`).

Slack hands out file ids; files.info gives the private download URL, which needs the bot token.
Only text is read, and only up to a cap: a 200 MB core dump is not an error message.
"""

from __future__ import annotations

import logging
import urllib.request
from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

log = logging.getLogger(__name__)

MAX_FILE_BYTES = 512 * 1024
MAX_FILES = 3
DOWNLOAD_TIMEOUT_S = 10
BINARY_FILETYPES = {"png", "jpg", "jpeg", "gif", "pdf", "zip", "gzip", "mp4", "mov", "bmp",
                    "webp", "heic", "tar", "binary"}


@dataclass(frozen=True)
class AttachedText:
    texts: tuple[str, ...]
    skipped: tuple[str, ...]  # names of files that could not be read as text


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
            skipped.append(str(info.get("name") or info.get("title") or info.get("id") or "?"))
        else:
            texts.append(text)
    return AttachedText(tuple(texts), tuple(skipped))


def _read_text(client: WebClient, info: dict[str, Any]) -> str | None:
    if _looks_binary(info):
        return None
    url = info.get("url_private_download") or info.get("url_private")
    if not url:
        return None
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {client.token}"})
    with urllib.request.urlopen(request, timeout=DOWNLOAD_TIMEOUT_S) as response:
        data = response.read(MAX_FILE_BYTES + 1)
    if b"\x00" in data[:4096]:
        return None
    return data[:MAX_FILE_BYTES].decode("utf-8", errors="replace")


def _looks_binary(info: dict[str, Any]) -> bool:
    mimetype = str(info.get("mimetype") or "")
    if mimetype.startswith(("image/", "video/", "audio/")):
        return True
    return str(info.get("filetype") or "").lower() in BINARY_FILETYPES
