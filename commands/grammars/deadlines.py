"""/deadlines: what is due, and `done` for a recurring duty of the rule table, with its evidence."""

from __future__ import annotations

import re

from commands.errors import UserError
from commands.grammar import (
    HELP_WORDS,
    LIST_WORDS,
    Context,
    did_you_mean,
    join_words,
    split_fields,
    start,
    suggestion,
)
from commands.obligations import COMPLETABLE
from commands.operations import (
    DEFAULT_HORIZON_DAYS,
    CompleteObligation,
    ListDeadlines,
    Operation,
    ShowHelp,
)
from commands.replies import pick
from commands.text import Token, display, fold

MAX_HORIZON_DAYS = 366
USAGE_ZH = "/deadlines [天数] | /deadlines done <事项编号> [链接 https://…] [sha256=…] [佐证说明]"
USAGE_EN = "/deadlines [days] | /deadlines done <obligation-id> [link https://…] [sha256=…] [note]"
DONE = dict.fromkeys(("done", "完成", "已完成"), "done")
EVIDENCE_KEYS = {
    **dict.fromkeys(("link", "url", "链接", "网址"), "link"),
    **dict.fromkeys(("sha256", "sha-256", "hash", "哈希", "校验值"), "file_sha256"),
    **dict.fromkeys(("file", "filename", "文件名"), "file_name"),
}
# A word written as an address (https://…, ftp://…): the link, checked as one (http/https only).
_URL = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)
# A duty by its id or its title in either language: vuln-scan, 漏洞扫描, vulnerability scan.
OBLIGATION_WORDS = {
    fold(word): o.id for o in COMPLETABLE for word in (o.id, o.title_zh, o.title_en)
}


def parse(text: str, ctx: Context) -> Operation:
    usage = pick(ctx.lang, USAGE_ZH, USAGE_EN)
    tokens = start(text, usage)
    if not tokens:
        return ListDeadlines(DEFAULT_HORIZON_DAYS)
    first = fold(tokens[0].text)
    if len(tokens) == 1 and first in HELP_WORDS:
        return ShowHelp("deadlines")
    if first in DONE:
        return _done(tokens[1:], usage)
    if len(tokens) == 1 and first in LIST_WORDS:
        return ListDeadlines(DEFAULT_HORIZON_DAYS)
    if (
        len(tokens) == 1
        and first.isascii()
        and first.isdigit()
        and 1 <= int(first) <= MAX_HORIZON_DAYS
    ):
        return ListDeadlines(int(first))
    meant = suggestion(tokens[0].text, DONE)
    if meant and len(tokens) > 1:
        raise did_you_mean(tokens[0].text, meant, usage)
    raise UserError(
        f"天数应为 1 到 {MAX_HORIZON_DAYS} 的整数；记录完成请写 /deadlines done <事项编号>。格式：{usage}",
        f"Days must be a whole number from 1 to {MAX_HORIZON_DAYS}; to record a completion write /deadlines done <id>. Usage: {usage}",
        field="horizon_days",
    )


def _done(tokens: list[Token], usage: str) -> CompleteObligation:
    ids = ", ".join(o.id for o in COMPLETABLE)
    if not tokens:
        raise UserError(
            f"请写明事项编号（{ids}）。格式：{usage}",
            f"Name the obligation ({ids}). Usage: {usage}",
            field="obligation_id",
        )
    fields = split_fields(tokens, EVIDENCE_KEYS, usage)
    words = fields.rest
    # A title may be two words (vulnerability scan): try the longest name first.
    for length in (3, 2, 1):
        obligation = OBLIGATION_WORDS.get(fold(join_words(words[:length])))
        if obligation and len(words) >= length:
            return _completion(obligation, words[length:], fields.values, usage)
    meant = suggestion(words[0].text, OBLIGATION_WORDS) if words else None
    hint_zh = f"您是想写 “{OBLIGATION_WORDS[meant]}” 吗？" if meant else ""
    hint_en = f" Did you mean “{OBLIGATION_WORDS[meant]}”?" if meant else ""
    raise UserError(
        f"没有可记录完成的事项“{display(words[0].text if words else '')}”。{hint_zh}可用：{ids}",
        f"“{display(words[0].text if words else '')}” is not an obligation you can complete.{hint_en} Use one of: {ids}",
        field="obligation_id",
    )


def _completion(
    obligation: str, words: list[Token], values: dict[str, str], usage: str
) -> CompleteObligation:
    """The words after the duty's name: at most one link (a URL word, or link=…), the note."""
    links = [w for w in words if not w.quoted and _URL.match(w.text)]
    if "link" in values:
        links.insert(0, Token(values["link"]))
    if len(links) > 1:
        raise UserError(
            f"一次完成只能附一个链接（“{display(links[1].text)}”是第二个）；其余链接请放在引号中作为说明。格式：{usage}",
            f"One link per completion (“{display(links[1].text)}” is a second one); quote any other link as part of the note. Usage: {usage}",
            field="link",
        )
    note = [w for w in words if not (not w.quoted and _URL.match(w.text))]
    return CompleteObligation(
        obligation,
        join_words(note),
        links[0].text if links else "",
        values.get("file_name", ""),
        values.get("file_sha256", ""),
    )
