"""Pure Block Kit builders: answers, filing replies, incident alerts and the filing forms
(the incident form is in bot.incident_form)."""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.mrkdwn import escape
from commands.incidents import AUTHORITIES, AUTHORITY_EN, AUTHORITY_ZH, RULE, SEVERITY_ZH
from commands.replies import Reply, cite
from knowledge.types import Answer

Block = dict[str, Any]
MAX_TEXT = 2900  # Slack's section text limit is 3000 characters
_PARTIAL_ENTITY = re.compile(r"&[a-z]{0,3}$")


def _clip(mrkdwn: str) -> str:
    """Cut to Slack's limit without leaving half an entity (`&am`) at the end."""
    return mrkdwn if len(mrkdwn) <= MAX_TEXT else _PARTIAL_ENTITY.sub("", mrkdwn[:MAX_TEXT])


def _section(mrkdwn: str) -> Block:
    """A mrkdwn section: every user-supplied part of `mrkdwn` must already be escaped."""
    return {"type": "section", "text": {"type": "mrkdwn", "text": _clip(mrkdwn)}}


def _plain_section(text: str) -> Block:
    """Raw text shown as typed: plain_text is never parsed for mentions or links."""
    return {"type": "section", "text": {"type": "plain_text", "text": text[:MAX_TEXT]}}


def _context(mrkdwn: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": _clip(mrkdwn)}]}


def _button(text: str, action_id: str, value: str, style: str | None = None) -> Block:
    button: Block = {
        "type": "button",
        "text": {"type": "plain_text", "text": text, "emoji": True},
        "action_id": action_id,
        "value": value,
    }
    if style:
        button["style"] = style
    return button


def answer_blocks(answer: Answer, *, shareable: bool) -> list[Block]:
    """The answer, its citations, the translation label, feedback buttons (and Share when private)."""
    zh = answer.language == "zh"
    # The whole answer is escaped: an LLM-phrased answer is text too, and `&gt;` at the start of
    # a line still renders as the quote of the article.
    blocks = [_section(escape(answer.text))]
    if answer.citations:
        if zh:
            cited = "；".join(f"《{c.doc_title}》{c.label}" for c in answer.citations)
        else:
            cited = "; ".join(
                f"{c.label_en or f'Art. {c.article}'}, {c.doc_title_en or c.doc_title}"
                for c in answer.citations
            )
        # Document titles come from ingested files (DOCS_DIR): escaped like any other text.
        blocks.append(_context(escape(f"📖 依据：{cited}" if zh else f"📖 Source: {cited}")))
        if not zh:
            blocks.append(
                _context(
                    "_Unofficial English translation by the project team; the Chinese original prevails._"
                    if any(c.translation for c in answer.citations)
                    else "_No English rendering of this document: the Chinese original is quoted._"
                )
            )
    value = json.dumps(
        {"q": answer.question[:500], "a": [c.article for c in answer.citations]}, ensure_ascii=False
    )
    elements = [_button("👍", "feedback_up", value), _button("👎", "feedback_down", value)]
    if shareable:
        elements.append(
            _button(
                "在频道中分享" if zh else "Share in channel",
                "share_answer",
                answer.question[:500],
                "primary",
            )
        )
    blocks.append({"type": "actions", "block_id": "answer_actions", "elements": elements})
    return blocks


def reply_blocks(reply: Reply, *, status: str = "") -> list[Block]:
    """A filing's reply: plain text (it echoes what the user typed and needs no formatting), and
    what happened to its alert (`status`, mrkdwn built by the bot: a <#channel> link)."""
    blocks = [_plain_section(reply.text)]
    if status:
        blocks.append(_section(status))
    if reply.articles:
        blocks.append(
            _context(
                ("依据：" if reply.lang == "zh" else "Rule: ")
                + ", ".join(cite(a, reply.lang) for a in reply.articles)
            )
        )
    return blocks


def incident_alert_blocks(data: dict[str, Any], tz: ZoneInfo, *, channel: str = "") -> list[Block]:
    """The team-channel alert for an incident (and its card in its own channel), in both languages,
    with one button per authority; `channel` links the incident's channel from the alert."""
    deadline = datetime.fromisoformat(data["deadline"]).astimezone(tz).strftime("%Y-%m-%d %H:%M")
    severity = data["severity"]
    reports = data.get("reports", {})
    lines = [
        f"*🚨 网络安全事件 #{data['id']} / Security incident #{data['id']}*",
        escape(data["summary"]),
        f"严重程度 / severity: {SEVERITY_ZH.get(severity, severity)} / {severity}",
        f"*{cite(RULE.article, 'zh')}：须在{RULE.window_text('zh')}内（{deadline} 前）向网信部门、公安部门、大数据主管部门报告。*",
        f"_Art. {RULE.article}: report within {RULE.window_text('en')} (by {deadline}) to the cyberspace, public security and big data authorities._",
    ]
    status = []
    for authority in AUTHORITIES:
        report = reports.get(authority)
        mark = "⬜" if report is None else ("✅" if report["on_time"] else "⚠️ 迟报/late")
        status.append(f"{mark} {AUTHORITY_ZH[authority]} / {AUTHORITY_EN[authority]}")
    blocks = [_section("\n".join(lines)), _section("\n".join(status))]
    if channel:
        blocks.append(_context(f"💬 事件频道 / Incident channel: <#{channel}>"))
    if data.get("closed_at"):
        closed = datetime.fromisoformat(data["closed_at"]).astimezone(tz).strftime("%Y-%m-%d %H:%M")
        blocks.append(_context(f"已关闭 / closed {closed}"))
        return blocks
    pending = [a for a in AUTHORITIES if reports.get(a) is None]
    if pending:
        blocks.append(
            {
                "type": "actions",
                "block_id": f"incident_{data['id']}",
                "elements": [
                    _button(
                        f"已报告{AUTHORITY_ZH[a]} / {a}", "incident_reported", f"{data['id']}:{a}"
                    )
                    for a in pending
                ],
            }
        )
    return blocks


def alert_fallback(data: dict[str, Any]) -> str:
    """The alert's notification text (mrkdwn, so the summary is escaped)."""
    return f"🚨 网络安全事件 #{data['id']} / Security incident #{data['id']}: {escape(data['summary'])}"


def _input(
    block_id: str, label: str, element: Block, *, optional: bool = False, hint: str = ""
) -> Block:
    block: Block = {
        "type": "input",
        "block_id": block_id,
        "label": {"type": "plain_text", "text": label},
        "element": {**element, "action_id": "value"},
        "optional": optional,
    }
    if hint:
        block["hint"] = {"type": "plain_text", "text": hint}
    return block


def _text_input(multiline: bool = False, placeholder: str = "") -> Block:
    element: Block = {"type": "plain_text_input", "multiline": multiline, "max_length": 500}
    if placeholder:
        element["placeholder"] = {"type": "plain_text", "text": placeholder}
    return element


def _select(options: list[tuple[str, str]]) -> Block:
    return {
        "type": "static_select",
        "options": [
            {"text": {"type": "plain_text", "text": label}, "value": value}
            for value, label in options
        ],
    }


def _modal(
    callback_id: str, title: str, blocks: list[Block], lang: str, metadata: str = ""
) -> Block:
    return {
        "type": "modal",
        "callback_id": callback_id,
        "title": {"type": "plain_text", "text": title[:24]},
        "submit": {"type": "plain_text", "text": "提交" if lang == "zh" else "Submit"},
        "close": {"type": "plain_text", "text": "取消" if lang == "zh" else "Cancel"},
        "private_metadata": metadata,
        "blocks": blocks,
    }


def inspect_modal(lang: str, metadata: str = "") -> Block:
    zh = lang == "zh"
    return _modal(
        "inspect_form",
        "每日安全巡检" if zh else "Daily inspection",
        [
            _context(
                "第二十三条：政务云服务商应当每日对政务云平台开展安全巡检。"
                if zh
                else "Art. 23: the provider inspects the platform every day."
            ),
            _input(
                "status",
                "结果" if zh else "Result",
                _select([("ok", "正常 / OK"), ("issue", "发现问题 / Finding")]),
            ),
            _input(
                "notes",
                "备注 / 发现的问题" if zh else "Notes / finding",
                _text_input(True),
                optional=True,
                hint="发现问题时必填" if zh else "Required for a finding",
            ),
        ],
        lang,
        metadata,
    )


def staff_change_modal(lang: str, metadata: str = "") -> Block:
    zh = lang == "zh"
    return _modal(
        "staff_change_form",
        "人员变动报备" if zh else "Staff change",
        [
            _context(
                "第十九条：安全团队人员变动应当提前30日报备。"
                if zh
                else "Art. 19: report security-team changes 30 days ahead."
            ),
            _input(
                "kind",
                "变动类型" if zh else "Change",
                _select(
                    [
                        ("join", "入职 / join"),
                        ("leave", "离岗 / leave"),
                        ("transfer", "调岗 / transfer"),
                    ]
                ),
            ),
            _input("name", "姓名" if zh else "Name", _text_input()),
            _input("role", "岗位" if zh else "Role", _text_input()),
            _input("effective", "生效日期" if zh else "Effective date", {"type": "datepicker"}),
        ],
        lang,
        metadata,
    )
