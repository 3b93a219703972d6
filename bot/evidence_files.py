"""A file shared in Slack as evidence: its name, its permalink and the SHA-256 of its bytes.

files.info says where the file is (url_private_download); the bytes are fetched with the bot
token and hashed as they stream, never held whole. The token is only ever sent to Slack's own
file hosts (or the configured SLACK_API_URL's host), never to an address taken from elsewhere.
A download that is not the file (Slack answers a missing scope with its HTML sign-in page, and
a cut connection with fewer bytes) is refused: a wrong digest in the audit chain would be a
wrong record.
"""

from __future__ import annotations

import hashlib
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

from commands.errors import UserError

DOWNLOAD_TIMEOUT_S = 30.0
CHUNK = 1 << 16
_SLACK_FILE_DOMAINS = ("slack.com", "slack-gov.com")


@dataclass(frozen=True)
class SharedFile:
    name: str
    permalink: str
    sha256: str
    size: int


def fetch_shared_file(client: Any, file_id: str, *, api_url: str) -> SharedFile:
    """Describe the file (files.info), download it with the bot token and hash it."""
    info = client.files_info(file=file_id)["file"]
    name = str(info.get("name") or file_id)
    url = str(info.get("url_private_download") or info.get("url_private") or "")
    if not trusted_file_url(url, api_url):
        raise _not_downloaded(name, "not a Slack file address")
    request = urllib.request.Request(url)
    # Unredirected: should Slack redirect the download, the token does not follow it elsewhere.
    request.add_unredirected_header("Authorization", f"Bearer {client.token}")
    try:
        digest, size = _download(request, html_expected=str(info.get("mimetype")) == "text/html")
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise _not_downloaded(name, f"{error.__class__.__name__}") from error
    if digest is None:
        raise _not_downloaded(name, "Slack answered with a sign-in page")
    expected = info.get("size")
    if isinstance(expected, int) and expected != size:
        raise _not_downloaded(name, f"{size} / {expected} bytes")
    return SharedFile(name, str(info.get("permalink") or ""), digest, size)


def _download(request: urllib.request.Request, *, html_expected: bool) -> tuple[str | None, int]:
    """The SHA-256 (hex) and size of what the URL serves; None for an HTML page not expected."""
    digest, size = hashlib.sha256(), 0
    with urllib.request.urlopen(request, timeout=DOWNLOAD_TIMEOUT_S) as response:
        if response.headers.get("Content-Type", "").startswith("text/html") and not html_expected:
            return None, 0
        while chunk := response.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def trusted_file_url(url: str, api_url: str) -> bool:
    """An https address on Slack's file hosts, or one on the host SLACK_API_URL names."""
    parts, api = urllib.parse.urlsplit(url), urllib.parse.urlsplit(api_url)
    host = (parts.hostname or "").lower()
    if not host:
        return False
    if (parts.scheme, host, parts.port) == (api.scheme, (api.hostname or "").lower(), api.port):
        return True
    return parts.scheme == "https" and any(
        host == domain or host.endswith("." + domain) for domain in _SLACK_FILE_DOMAINS
    )


def _not_downloaded(name: str, why: str) -> UserError:
    return UserError(
        f"无法下载文件“{name}”以计算其 SHA-256（{why}）。未记录任何内容；请确认机器人有 files:read 权限后重试，或改附链接。",
        f"Could not download the file “{name}” to compute its SHA-256 ({why}). Nothing was recorded; check that the bot has the files:read scope and try again, or give a link instead.",
        field="file_name",
    )
