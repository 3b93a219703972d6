"""The words of /incident: its verbs, keys, severities, the Art. 30 authorities by name, and the
values every /incident grammar reads the same way."""

from __future__ import annotations

from commands.errors import UserError
from commands.grammar import LIST_WORDS, join_words
from commands.grammars.corrections import AMEND_WORDS, CANCEL_WORDS, HISTORY_WORDS
from commands.obligations import BY_ID
from commands.text import Token, display, fold
from commands.values import continues_moment, looks_like_time_or_date

RULE = BY_ID["incident-report"]
VERBS = {
    **dict.fromkeys(("reported", "已报告", "已上报", "已报送", "已通报"), "reported"),
    **dict.fromkeys(("close", "关闭", "结案"), "close"),
    **dict.fromkeys(LIST_WORDS, "list"),
    **dict.fromkeys(AMEND_WORDS, "edit"),
    **dict.fromkeys(("note", "备注", "补记", "进展"), "note"),
    **dict.fromkeys(("timeline", "时间线", "时间轴"), "timeline"),
    **dict.fromkeys(HISTORY_WORDS, "history"),
    **dict.fromkeys(("draft", "草稿", "报告草稿", "初报"), "draft"),
    # An incident is never cancelled (Art. 30 counts it once discovered): close it with a reason.
    **dict.fromkeys(CANCEL_WORDS, "cancel"),
}
# What the report to the authorities asks for beyond the summary; no key that a summary could
# begin with (系统崩溃 …: a bare Chinese key glued to a word is refused as a missing sign).
REPORT_FIELD_KEYS = {
    **dict.fromkeys(
        ("affected", "systems", "affected_systems", "受影响系统", "受影响的系统"),
        "affected_systems",
    ),
    **dict.fromkeys(
        ("measures", "measures_taken", "措施", "处置措施", "已采取措施", "采取措施"),
        "measures_taken",
    ),
}
OPEN_KEYS = {
    **dict.fromkeys(("sev", "severity", "严重程度", "严重性", "级别", "等级"), "severity"),
    **dict.fromkeys(("at", "discovered", "discovered_at", "发现时间", "发现于"), "discovered_at"),
    **REPORT_FIELD_KEYS,
}
EDIT_KEYS = {
    **OPEN_KEYS,
    **dict.fromkeys(("summary", "摘要", "事件摘要", "概要"), "summary"),
}
NOTE_KEYS = dict.fromkeys(("at", "time", "时间", "发生时间"), "at")
REPORT_KEYS = dict.fromkeys(
    ("at", "reported_at", "time", "报告时间", "上报时间", "报送时间", "时间"), "reported_at"
)
CLOSE_KEYS = dict.fromkeys(("reason", "原因", "理由", "关闭原因"), "reason")
SEVERITIES = {
    **dict.fromkeys(("high", "高", "高危", "严重"), "high"),
    **dict.fromkeys(("medium", "med", "中", "中危", "一般"), "medium"),
    **dict.fromkeys(("low", "低", "低危", "轻微"), "low"),
}
# The authorities of Art. 30 by their official names and the names people use for them.
AUTHORITY_WORDS = {
    **dict.fromkeys(
        (
            "cac",
            "cyberspace",
            "网信",
            "网信办",
            "网信部门",
            "市网信办",
            "市委网信办",
            "互联网信息办公室",
            "网络安全和信息化委员会办公室",
        ),
        "cac",
    ),
    **dict.fromkeys(
        (
            "police",
            "psb",
            "public security",
            "公安",
            "公安局",
            "公安部门",
            "公安机关",
            "市公安局",
            "网安",
            "网警",
        ),
        "police",
    ),
    **dict.fromkeys(
        (
            "bigdata",
            "big data",
            "big-data",
            "大数据",
            "大数据局",
            "大数据主管部门",
            "大数据发展局",
            "市大数据发展局",
            "大数据管理局",
        ),
        "bigdata",
    ),
}
NOT_IN_ARTICLE_30 = {"国安", "国安局", "国安部门", "国家安全机关", "national security"}


def authority_of(tokens: list[Token]) -> str | None:
    """The Art. 30 authority the words name (one or two words: "big data"), or None."""
    if not tokens or len(tokens) > 2:
        return None
    return AUTHORITY_WORDS.get(fold(join_words(tokens)))


def severity_of(raw: str, usage: str) -> str:
    """high, medium or low from any of its spellings (高, 中危, med …)."""
    if fold(raw) not in SEVERITIES:
        raise UserError(
            f"严重程度“{display(raw)}”无效，可用：高、中、低。格式：{usage}",
            f"Unknown severity “{display(raw)}”; use high, medium or low. Usage: {usage}",
            field="severity",
        )
    return SEVERITIES[fold(raw)]


def refuse_bare_time(
    words: list[Token], *, field: str, what_zh: tuple[str, str], what_en: tuple[str, str, str]
) -> None:
    """A date or time among free words is refused: is it the record's time, or part of the text?

    `what_zh` = (the text, the time's name); `what_en` = (the text, what the time is, its key).
    """
    for index, token in enumerate(words):
        if token.quoted or not looks_like_time_or_date(token.text):
            continue
        after = words[index + 1 : index + 2]
        joined = after and not after[0].quoted and continues_moment(token.text, after[0].text)
        shown = display(f"{token.text} {after[0].text}" if joined else token.text)
        text_zh, time_zh = what_zh
        text_en, time_en, key_en = what_en
        raise UserError(
            f"{text_zh}中有时间“{shown}”：若这是{time_zh}，请写成 {time_zh}={shown}；若它属于{text_zh}，请把整段{text_zh}放在引号中。",
            f"The {text_en} holds a time, “{shown}”: if it is {time_en}, write {key_en}={shown}; if it belongs to the {text_en}, put the whole {text_en} in quotes.",
            field=field,
        )
