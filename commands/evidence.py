"""Evidence that a duty was done: a note, and a link (http/https) or a file (name, permalink,
SHA-256 of its bytes). Links are checked, never fetched: the store takes no network call.
"""

from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass

from commands.errors import UserError
from commands.grammar import MAX_TEXT
from commands.replies import Lang, pick
from commands.text import display, is_blank

MAX_LINK = 2000  # longer is a paste accident, not an address
MAX_FILE_NAME = 255
_SHA256 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class Evidence:
    note: str = ""
    link: str = ""
    file_name: str = ""
    sha256: str = ""

    def describe(self, lang: Lang) -> str:
        """One line for people: the file (with its digest) or the link, then the note."""
        parts = []
        if self.file_name:
            parts.append(pick(lang, "文件：", "file: ") + display(self.file_name))
        if self.link:
            parts.append(display(self.link))
        if self.sha256:
            parts.append(f"SHA-256 {self.sha256}")
        if self.note:
            parts.append(display(self.note))
        return pick(lang, "；", "; ").join(parts)


def check_link(url: str, *, field: str) -> str:
    """An http(s) URL with a host, no credentials, no spaces; returned exactly as given."""
    problem = _link_problem(url)
    if problem is not None:
        zh, en = problem
        shown = display(url[:80])
        raise UserError(
            f"链接“{shown}”无效：{zh}。请写完整的 http:// 或 https:// 地址。",
            f"The link “{shown}” is not valid: {en}. Give a full http:// or https:// address.",
            field=field,
        )
    return url


def _link_problem(url: str) -> tuple[str, str] | None:
    if len(url) > MAX_LINK:
        return f"超过 {MAX_LINK} 字符", f"longer than {MAX_LINK} characters"
    if any(char.isspace() for char in url):
        return "含有空白字符", "it contains spaces"
    parts = urllib.parse.urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        return "只接受 http 或 https 链接", "only http and https links are accepted"
    if not parts.hostname:
        return "缺少主机名", "it has no host"
    if parts.username is not None or parts.password is not None:
        # A password in a link would be kept for ever in the audit chain and the reports.
        return "链接中不能含用户名或密码", "it must not carry a user name or password"
    try:
        parts.hostname.encode("idna")
        _ = parts.port  # raises on a port that is not a number in range
    except (UnicodeError, ValueError):
        return "主机名或端口无效", "its host or port is not valid"
    return None


def check_evidence(note: str, link: str, file_name: str, sha256: str) -> Evidence:
    """The evidence of a completion, every part checked; a file needs its link and its digest."""
    if len(note) > MAX_TEXT:
        raise UserError(
            f"佐证说明过长（最多 {MAX_TEXT} 字符）。",
            f"The evidence note is too long (at most {MAX_TEXT} characters).",
            field="evidence",
        )
    digest = sha256.lower()
    if sha256 and not _SHA256.fullmatch(digest):
        raise UserError(
            "SHA-256 应为 64 位十六进制数字（如 sha256sum 的输出）。",
            "A SHA-256 is 64 hexadecimal digits (as sha256sum prints it).",
            field="file_sha256",
        )
    if file_name and (is_blank(file_name) or len(file_name) > MAX_FILE_NAME):
        raise UserError(
            f"文件名无效（不能为空，最多 {MAX_FILE_NAME} 字符）。",
            f"The file name is not valid (not blank, at most {MAX_FILE_NAME} characters).",
            field="file_name",
        )
    if (file_name or digest) and not link:
        raise UserError(
            "文件佐证须附上文件所在的链接（在 Slack 中上传的文件会自动附上）。",
            "A file given as evidence needs the link where it is kept (a file shared in Slack brings its own).",
            field="link",
        )
    if file_name and not digest:
        raise UserError(
            "文件佐证须附上其 SHA-256，以证明所指的正是这份文件。",
            "A file given as evidence needs its SHA-256, to prove which file it is.",
            field="file_sha256",
        )
    if link:
        check_link(link, field="link")
    return Evidence("" if is_blank(note) else note, link, file_name, digest)
