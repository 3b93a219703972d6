"""/deadlines: what is due, and `done` for a recurring duty of the rule table."""

from __future__ import annotations

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
USAGE_ZH = "/deadlines [天数] | /deadlines done <事项编号> [佐证]"
USAGE_EN = "/deadlines [days] | /deadlines done <obligation-id> [evidence]"
DONE = dict.fromkeys(("done", "完成", "已完成"), "done")
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
    words = split_fields(tokens, {}, usage).rest
    # A title may be two words (vulnerability scan): try the longest name first.
    for length in (3, 2, 1):
        obligation = OBLIGATION_WORDS.get(fold(join_words(words[:length])))
        if obligation and len(words) >= length:
            return CompleteObligation(obligation, join_words(words[length:]))
    meant = suggestion(words[0].text, OBLIGATION_WORDS) if words else None
    hint_zh = f"您是想写 “{OBLIGATION_WORDS[meant]}” 吗？" if meant else ""
    hint_en = f" Did you mean “{OBLIGATION_WORDS[meant]}”?" if meant else ""
    raise UserError(
        f"没有可记录完成的事项“{display(words[0].text if words else '')}”。{hint_zh}可用：{ids}",
        f"“{display(words[0].text if words else '')}” is not an obligation you can complete.{hint_en} Use one of: {ids}",
        field="obligation_id",
    )
