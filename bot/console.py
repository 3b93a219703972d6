"""The bot in a terminal: the same services as Slack, no Slack needed.

Reads line by line (a REPL on a terminal, plain lines from a pipe) and prints each response.
Plain text is a question; `/ask`, `/inspect`, `/staff-change`, `/incident` and `/deadlines` work
as the Slack slash commands do; `/report [YYYY-MM] [zh|en]` writes the Art. 33 monthly report.
A reply's documents (an incident report draft, the monthly report) are written to
DATA_DIR/documents and their paths printed. Reminders that fall due are printed as they fire.
"""

from __future__ import annotations

import getpass
import logging
import re
import sys
import threading
import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import TextIO

from bot.services import Services
from commands.errors import UserError
from commands.outbox import Message, Posted
from commands.replies import ReplyFile, pick
from commands.store import Store
from commands.text import check_characters
from knowledge.answer import EmptyQuestion
from knowledge.lang import detect_language
from knowledge.types import Lang

log = logging.getLogger(__name__)
REMINDER_INTERVAL_S = 60
_QUIT = {"quit", "exit", "退出", ":q"}
_HELP = {"help", "/help", "帮助", "?", "？"}
_CJK = re.compile(r"[\u4e00-\u9fff]")

HELP = {
    "zh": (
        "直接输入问题，或使用命令：\n"
        "  /ask <问题>                       依据本办法回答并引用条款\n"
        "  /inspect ok|issue|status …         每日安全巡检（第二十三条）\n"
        "  /staff-change …                    安全团队人员变动报备（第十九条）\n"
        "  /incident …                        网络安全事件报告（第三十条）\n"
        "  /deadlines [天数] | done <编号>     合规期限\n"
        "  /incident draft <编号>             生成网络安全事件报告草稿（.docx）\n"
        "  /report [YYYY-MM] [zh|en]          月度报告（第三十三条，Markdown、CSV、.docx）\n"
        "  /<命令> help                       查看命令格式\n"
        "  quit / 退出                        结束"
    ),
    "en": (
        "Type a question, or a command:\n"
        "  /ask <question>                    answer from the regulation, with the article\n"
        "  /inspect ok|issue|status …         daily security inspection (Art. 23)\n"
        "  /staff-change …                    security-team change notice (Art. 19)\n"
        "  /incident …                        security incident report (Art. 30)\n"
        "  /deadlines [days] | done <id>      compliance deadlines\n"
        "  /incident draft <id>               draft the incident report to the authorities (.docx)\n"
        "  /report [YYYY-MM] [zh|en]          monthly report (Art. 33: Markdown, CSV, .docx)\n"
        "  /<command> help                    show a command's grammar\n"
        "  quit                               leave"
    ),
}


class Console:
    """Turns one line of input into one printed response; no line's failure stops the next.

    `failures` counts the lines that did not do what they asked (a user error, or an
    unexpected one, which is logged with a reference id): the exit status reports it.
    """

    def __init__(
        self, services: Services, *, lang: str = "auto", user: str = "", out: TextIO | None = None
    ) -> None:
        self.services = services
        self.default_lang = lang
        self.user = user or f"console:{getpass.getuser()}"
        self.out = out or sys.stdout
        self._lock = threading.Lock()  # the reminder thread and the input loop share `out`
        self.failures = 0

    def handle(self, line: str) -> str:
        """The response to one line; errors become a line of text, never an exception."""
        try:
            check_characters(line.rstrip("\r\n"))
            return self._handle(line)
        except UserError as error:
            self.failures += 1
            stripped = line.strip()
            return error.message(
                self._lang(stripped.partition(" ")[2] if stripped.startswith("/") else stripped)
            )
        except Exception:
            self.failures += 1
            return _unexpected("line")

    def _handle(self, line: str) -> str:
        line = line.strip()
        if not line:
            return ""
        if line.lower() in _HELP:
            return HELP[self._lang(line)]
        if not line.startswith("/"):
            return self._ask(line)
        command, _, rest = line[1:].partition(" ")
        command, rest = command.lower(), rest.strip()
        if command == "ask":
            return self._ask(rest)
        if command == "report":
            return self._report(rest)
        return self._file(command, rest)

    def _ask(self, question: str) -> str:
        try:
            return self.services.answerer.answer(question).text
        except EmptyQuestion:
            return "请在 /ask 后输入问题。/ Please type a question after /ask."

    def _file(self, command: str, text: str) -> str:
        from commands.dispatch import COMMANDS

        lang = self._lang(text)
        if command not in COMMANDS:
            names = ", ".join(f"/{c}" for c in ("ask", *COMMANDS))
            raise UserError(
                f"未知命令 /{command}。可用命令：{names}。",
                f"Unknown command /{command}. Available: {names}.",
            )
        reply = self.services.file(command, text, user=self.user, lang=lang)
        return self._with_files(reply.text, reply.files, lang)

    def _report(self, text: str) -> str:
        """The monthly report of a month (the last one by default) as three files."""
        from commands.report import monthly_report

        settings = self.services.settings
        reply = monthly_report(
            self.services.store,
            text,
            lang=self._lang(text),
            now=self.services.now(),
            tz=settings.tz,
            org=settings.org,
        )
        return self._with_files(reply.text, reply.files, reply.lang)

    def _with_files(self, text: str, files: Sequence[ReplyFile], lang: Lang) -> str:
        """The reply's text, then where each of its documents was written."""
        if not files:
            return text
        folder = self.services.settings.data_dir / "documents"
        folder.mkdir(parents=True, exist_ok=True)
        lines = [text]
        for document in files:
            path = folder / document.name
            path.write_bytes(document.content)
            lines.append(pick(lang, f"已写入：{path}", f"Written: {path}"))
        return "\n".join(lines)

    def _lang(self, text: str) -> Lang:
        if self.default_lang in ("zh", "en"):
            return self.default_lang  # type: ignore[return-value]
        if _CJK.search(text):
            return "zh"
        # "/inspect ok" says nothing about the user's language; a sentence does.
        return detect_language(text) if len(re.findall(r"[A-Za-z]{2,}", text)) >= 2 else "zh"

    def reminders(self, now: datetime | None = None) -> list[str]:
        """Deliver (print) every reminder due at `now`, each once; a failure is one line, not an exit."""
        try:
            return self._reminders(now)
        except UserError as error:  # the store is busy: the next tick tries again
            return [error.message("en" if self.default_lang == "en" else "zh")]
        except Exception:
            return [_unexpected("reminders")]

    def _reminders(self, now: datetime | None = None) -> list[str]:
        """Deliver (print) what is due at `now`, each once: the same deliver_due as Slack's
        scheduler, with the terminal as the channel. With ALERT_CHANNEL set, reminders and alerts
        are Slack's: they stay queued for the bot, never printed and marked sent here."""
        from bot.scheduler import reminder_config
        from commands.reminders import deliver_due

        now = now or self.services.now()
        settings = self.services.settings
        lang: Lang = "en" if self.default_lang == "en" else "zh"
        printed = PrintPost(self.services.store, lang)
        deliver_due(
            self.services.store,
            now=now,
            config=reminder_config(settings),
            channel=settings.alert_channel or TERMINAL,
            post=printed,
            only={TERMINAL},
        )
        return printed.lines

    def emit(self, text: str) -> None:
        if text:
            with self._lock:
                print(text, file=self.out, flush=True)


# The outbox channel of messages for a terminal (no ALERT_CHANNEL): the only ones it delivers.
TERMINAL = "console"


class PrintPost:
    """The outbox's `post` for a terminal: each message's plain text, collected in `lines`."""

    def __init__(self, store: Store, lang: Lang | None) -> None:
        self.store, self.lang, self.lines = store, lang, list[str]()

    def __call__(self, message: Message) -> Posted:
        from commands.alerts import plain_text

        text = plain_text(self.store, message, self.lang)
        if text:
            self.lines.append(text)
        return Posted(TERMINAL)


def _unexpected(what: str) -> str:
    """One line for an unexpected error; the traceback goes to the log under the same id."""
    reference = uuid.uuid4().hex[:8]
    log.exception("console %s failed, reference %s", what, reference)
    return (
        f"出错了，此行未完成（参考编号 {reference}，详情见日志）。"
        f" / Something went wrong; this was not done (reference {reference}, details in the log)."
    )


def run_console(
    services: Services, *, lang: str = "auto", user: str = "", stdin: TextIO = sys.stdin
) -> int:
    """The REPL (or pipe reader); returns 0 at end of input, 1 when any line failed."""
    console = Console(services, lang=lang, user=user)
    if not stdin.isatty() and hasattr(stdin, "reconfigure"):
        # Bytes that are not UTF-8 arrive as lone surrogates and that line alone is refused.
        stdin.reconfigure(errors="surrogateescape")
    interactive = stdin.isatty()
    stop = threading.Event()
    if interactive:
        console.emit(HELP["zh"] + "\n\n" + HELP["en"])
        threading.Thread(target=_tick_forever, args=(console, stop), daemon=True).start()
    for message in console.reminders():
        console.emit(message)
    try:
        while True:
            if interactive:
                console.emit("")
            line = _read(stdin, interactive)
            if line is None or line.strip().lower() in _QUIT:
                break
            console.emit(console.handle(line))
            for message in console.reminders():
                console.emit(message)
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
    return 1 if console.failures else 0


def _read(stdin: TextIO, interactive: bool) -> str | None:
    if interactive:
        try:
            return input("> ")
        except EOFError:
            return None
        except UnicodeDecodeError:  # a terminal sending bytes that are not UTF-8: refuse that line
            return "\udcff"
    line = stdin.readline()
    return line if line else None


def _tick_forever(console: Console, stop: threading.Event) -> None:
    while not stop.wait(REMINDER_INTERVAL_S):
        for message in console.reminders():
            console.emit(message)
