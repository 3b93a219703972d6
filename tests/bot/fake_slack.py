"""A stateful fake of the Slack Web API: a real local HTTP server that records every call.

Answers auth.test, users.info, chat.postMessage, chat.postEphemeral, chat.update, views.open,
apps.connections.open and POSTs to response_url paths; and (issue 10) conversations.create /
invite / join / open / history / replies, the external upload flow (files.getUploadURLExternal, a
POST of the bytes to its upload_url, files.completeUploadExternal), and for the Home tab and filing
from a message views.publish, chat.getPermalink, files.info and GET downloads of a file's
url_private (`add_file` makes a file; `message_shortcut` builds the shortcut's payload). `fail_next(method, status, error)` makes
the next call of a method answer 429 (with Retry-After) or a Slack error, on demand;
`hold(method)` makes its calls hang (recorded, unanswered) until `release(method)`;
`slow(method, seconds)` makes each call take that long.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

UPLOAD_PATH = "/upload/"


@dataclass
class Upload:
    """One file of files.getUploadURLExternal: the bytes POSTed to its upload_url, then where
    files.completeUploadExternal shared it."""

    filename: str
    length: int
    content: bytes = b""
    title: str = ""
    channel: str = ""
    thread_ts: str = ""
    initial_comment: str = ""


@dataclass
class Call:
    method: str
    args: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)
    path: str = ""
    at: float = field(default_factory=time.monotonic)  # when it arrived (benchmarks)


class FakeSlack:
    def __init__(self, *, locales: dict[str, str] | None = None, port: int = 0) -> None:
        self.calls: list[Call] = []
        self.locales = locales or {}
        self.socket_url = ""
        self._failures: dict[str, list[tuple[int, str]]] = {}
        self._held: dict[str, threading.Event] = {}
        self._delays: dict[str, float] = {}
        self._ts = 1_700_000_000
        self._lock = threading.Lock()
        self.uploads: dict[str, Upload] = {}  # file id -> what was uploaded (files.* below)
        self.channels: dict[str, dict[str, Any]] = {}  # id -> conversations.create's channel
        self.messages: dict[tuple[str, str], dict[str, Any]] = {}  # (channel, ts) -> message
        self.refuse_create = (
            ""  # a Slack error conversations.create answers with, e.g. missing_scope
        )
        self.files: dict[str, dict[str, Any]] = {}
        # When set, downloads need exactly this bot token (another gets Slack's sign-in page).
        self.download_token: str | None = None
        self._file_bytes: dict[str, bytes] = {}
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                path = urllib.parse.urlparse(self.path).path
                if path.startswith(UPLOAD_PATH):
                    status, payload, extra = 200, fake._receive_upload(path, body), {}
                else:
                    status, payload, extra = fake._handle(path, body.decode(), self.headers)
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for key, value in extra.items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                status, data, content_type = fake._download(self.path, self.headers)
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        self.api_url = self.url + "/api/"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    def __enter__(self) -> FakeSlack:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        for method in list(self._held):
            self.release(method)
        self._httpd.shutdown()
        self._httpd.server_close()

    def response_url(self, name: str = "r") -> str:
        return f"{self.url}/response/{name}"

    def fail_next(self, method: str, status: int = 429, error: str = "ratelimited") -> None:
        with self._lock:
            self._failures.setdefault(method, []).append((status, error))

    def hold(self, method: str) -> None:
        """From now on, calls of `method` are recorded and then hang until release(method)."""
        with self._lock:
            self._held.setdefault(method, threading.Event())

    def slow(self, method: str, seconds: float) -> None:
        """From now on, calls of `method` take `seconds` before they are answered."""
        with self._lock:
            self._delays[method] = seconds

    def release(self, method: str) -> None:
        with self._lock:
            gate = self._held.pop(method, None)
        if gate is not None:
            gate.set()

    def of(self, method: str) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method]

    def wait_until(
        self, method: str, matches: Callable[[Call], bool], timeout: float = 15.0
    ) -> Call:
        """The first call of `method` that `matches`, waiting for it (posts arrive in any order)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = [c for c in self.of(method) if matches(c)]
            if found:
                return found[0]
            time.sleep(0.02)
        raise AssertionError(f"no matching {method} call: {[c.args for c in self.of(method)]}")

    def wait_for(self, method: str, count: int = 1, timeout: float = 15.0) -> list[Call]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.of(method)
            if len(found) >= count:
                return found
            time.sleep(0.02)
        raise AssertionError(
            f"expected {count} {method} call(s), got {len(self.of(method))}: {[c.method for c in self.calls]}"
        )

    def reply_to(self, name: str, timeout: float = 15.0) -> dict[str, Any]:
        """What the app posted to response_url(name), waiting for it."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = [c for c in self.of("response_url") if c.path == f"/response/{name}"]
            if found:
                return found[0].args
            time.sleep(0.02)
        raise AssertionError(f"nothing was posted to response_url {name!r}")

    def _handle(
        self, path: str, raw: str, headers: Any
    ) -> tuple[int, dict[str, Any], dict[str, str]]:
        args = _parse(raw, headers.get("Content-Type", ""))
        method = path.removeprefix("/api/") if path.startswith("/api/") else "response_url"
        with self._lock:
            self.calls.append(Call(method, args, {k.lower(): v for k, v in headers.items()}, path))
            failures = self._failures.get(method)
            failure = failures.pop(0) if failures else None
            gate = self._held.get(method)
            delay = self._delays.get(method, 0.0)
        if delay:
            time.sleep(delay)
        if gate is not None:
            gate.wait(timeout=120)
        if failure:
            status, error = failure
            return (
                status,
                {"ok": False, "error": error},
                ({"Retry-After": "1"} if status == 429 else {}),
            )
        return 200, self._answer(method, args), {}

    def _answer(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        if method == "auth.test":
            return {
                "ok": True,
                "user_id": "UBOT",
                "bot_id": "BBOT",
                "team_id": "T1",
                "user": "compliance-bot",
            }
        if method == "users.info":
            user = args.get("user", "")
            return {"ok": True, "user": {"id": user, "locale": self.locales.get(user, "zh-CN")}}
        if method in ("chat.postMessage", "chat.update"):
            with self._lock:
                self._ts += 1
                ts = args.get("ts") or f"{self._ts}.000100"
            return {"ok": True, "channel": args.get("channel", "C1"), "ts": ts}
        if answer := self._answer_home_and_files(method, args):
            return answer
        if method.startswith(("files.", "conversations.")):
            return self._answer_extension(method, args)
        if method == "apps.connections.open":
            return {"ok": True, "url": self.socket_url}
        if method == "views.open":
            return {"ok": True, "view": {"id": "V1"}}
        return {"ok": True}

    # Conversations, pins' messages and the external file upload flow (issue 10), kept apart from
    # the methods above.

    def _answer_extension(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        handlers = {
            "files.getUploadURLExternal": self._get_upload_url,
            "files.completeUploadExternal": self._complete_upload,
            "conversations.create": self._create_channel,
            "conversations.invite": lambda a: {"ok": True, "channel": {"id": a.get("channel")}},
            "conversations.join": lambda a: {"ok": True, "channel": {"id": a.get("channel")}},
            "conversations.open": lambda a: {"ok": True, "channel": {"id": f"D{a.get('users')}"}},
            "conversations.history": self._history,
            "conversations.replies": self._history,
        }
        handler = handlers.get(method)
        return handler(args) if handler else {"ok": True}

    def add_message(self, channel: str, ts: str, text: str, user: str = "UZH") -> None:
        """A message that conversations.history / replies will return (as pinned or marked 📌)."""
        with self._lock:
            self.messages[(channel, ts)] = {"type": "message", "ts": ts, "text": text, "user": user}

    def _history(self, args: dict[str, Any]) -> dict[str, Any]:
        channel, ts = str(args.get("channel", "")), str(args.get("latest") or args.get("ts") or "")
        with self._lock:
            message = self.messages.get((channel, ts))
        return {"ok": True, "messages": [message] if message else []}

    def _create_channel(self, args: dict[str, Any]) -> dict[str, Any]:
        name = str(args.get("name", ""))
        with self._lock:
            if self.refuse_create:
                return {"ok": False, "error": self.refuse_create}
            if any(c["name"] == name for c in self.channels.values()):
                return {"ok": False, "error": "name_taken"}
            channel = {"id": f"CINC{len(self.channels) + 1}", "name": name}
            self.channels[channel["id"]] = channel
        return {"ok": True, "channel": channel}

    def _get_upload_url(self, args: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            file_id = f"F{len(self.uploads) + 1}"
            self.uploads[file_id] = Upload(str(args.get("filename", "")), int(args["length"]))
        return {"ok": True, "file_id": file_id, "upload_url": f"{self.url}{UPLOAD_PATH}{file_id}"}

    def _receive_upload(self, path: str, body: bytes) -> dict[str, Any]:
        with self._lock:
            upload = self.uploads[path.removeprefix(UPLOAD_PATH)]
            upload.content = body
            self.calls.append(Call("upload", {"file_id": path.removeprefix(UPLOAD_PATH)}, {}, path))
        return {"ok": True}

    def _complete_upload(self, args: dict[str, Any]) -> dict[str, Any]:
        files = args.get("files")
        listed = json.loads(files) if isinstance(files, str) else list(files or [])
        with self._lock:
            for item in listed:
                upload = self.uploads[item["id"]]
                if len(upload.content) != upload.length:
                    return {"ok": False, "error": "file_upload_size_mismatch"}
                upload.title = item.get("title") or upload.filename
                upload.channel = str(args.get("channel_id", ""))
                upload.thread_ts = str(args.get("thread_ts") or "")
                upload.initial_comment = str(args.get("initial_comment") or "")
        return {
            "ok": True,
            "files": [{"id": item["id"], "title": item.get("title")} for item in listed],
        }

    def shared(self, channel: str) -> list[Upload]:
        """The files completed into `channel`, in upload order."""
        with self._lock:
            return [u for u in self.uploads.values() if u.channel == channel]

    # Issue 10, part A: the Home tab, message shortcuts, files shared as evidence.

    def add_file(self, name: str, content: bytes, *, file_id: str = "") -> dict[str, Any]:
        """A file as Slack keeps it: files.info describes it, url_private serves its bytes."""
        with self._lock:
            file_id = file_id or f"F{len(self.files) + 1:08d}"
            url = f"{self.url}/files-pri/T1-{file_id}/{urllib.parse.quote(name)}"
            self.files[file_id] = {
                "id": file_id,
                "name": name,
                "title": name,
                "size": len(content),
                "mimetype": "application/octet-stream",
                "url_private": url,
                "url_private_download": url + "?download=1",
                "permalink": f"https://t1.slack.com/files/U1/{file_id}/{name}",
            }
            self._file_bytes[file_id] = content
            return dict(self.files[file_id])

    @staticmethod
    def permalink(channel: str, ts: str) -> str:
        return f"https://t1.slack.com/archives/{channel}/p{ts.replace('.', '')}"

    def _answer_home_and_files(self, method: str, args: dict[str, Any]) -> dict[str, Any] | None:
        if method == "views.publish":
            return {"ok": True, "view": {"id": "VHOME", "type": "home"}}
        if method == "chat.getPermalink":
            link = self.permalink(args.get("channel", ""), args.get("message_ts", ""))
            return {"ok": True, "channel": args.get("channel"), "permalink": link}
        if method == "files.info":
            with self._lock:
                found = self.files.get(args.get("file", ""))
            return (
                {"ok": True, "file": found} if found else {"ok": False, "error": "file_not_found"}
            )
        return None

    def _download(self, raw_path: str, headers: Any) -> tuple[int, bytes, str]:
        """GET of a url_private: the bytes, only with a bot token (as Slack does)."""
        path = urllib.parse.urlparse(raw_path).path
        auth = headers.get("Authorization", "")
        with self._lock:
            self.calls.append(Call("download", {}, {"authorization": auth}, path))
            file_id = (
                path.split("/")[2].removeprefix("T1-") if path.startswith("/files-pri/") else ""
            )
            content = self._file_bytes.get(file_id)
        if content is None:
            return 404, b"not found", "text/plain"
        wanted = f"Bearer {self.download_token}" if self.download_token else None
        if not auth.startswith("Bearer xoxb-") or (wanted and auth != wanted):
            # Slack answers an unauthenticated download with its login page, not an error.
            return 200, b"<html>login</html>", "text/html"
        return 200, content, "application/octet-stream"


def message_shortcut(
    *,
    text: str,
    user: str = "UZH",
    channel: str = "CGENERAL",
    ts: str = "1764038400.000100",
    author: str = "UAUTHOR",
    callback_id: str = "file_as_incident",
) -> dict[str, Any]:
    """The payload Slack sends when someone runs a message shortcut on a message."""
    return {
        "type": "message_action",
        "callback_id": callback_id,
        "trigger_id": f"trig-{time.monotonic_ns()}",
        "team": {"id": "T1"},
        "user": {"id": user},
        "channel": {"id": channel, "name": "general"},
        "message": {"type": "message", "user": author, "ts": ts, "text": text},
        "message_ts": ts,
        "response_url": "",
    }


def _parse(raw: str, content_type: str) -> dict[str, Any]:
    if not raw:
        return {}
    if "json" in content_type:
        return dict(json.loads(raw))
    parsed = {k: v[0] for k, v in urllib.parse.parse_qs(raw).items()}
    for key in ("blocks", "view", "attachments"):
        if isinstance(parsed.get(key), str):
            with contextlib.suppress(json.JSONDecodeError):
                parsed[key] = json.loads(parsed[key])
    return parsed


if __name__ == "__main__":
    # Run on its own (benchmarks): print the base URL, serve until stdin closes.
    import sys

    with FakeSlack() as standalone:
        print(standalone.url, flush=True)
        sys.stdin.read()
