"""The incident form (Art. 30): its blocks, pre-filled when an incident is filed from a Slack
message, and its values as a typed OpenIncident. Values are never turned back into command text,
so quotes or `sev=low` inside a summary stay part of the summary."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.blocks import Block, _context, _input, _modal, _select, _text_input
from bot.mrkdwn import escape
from commands.grammar import MAX_TEXT
from commands.operations import OpenIncident, SourceMessage
from commands.values import parse_moment

CALLBACK_ID = "incident_form"
# Which form block shows an error about which operation field; others go on the summary.
FIELD_BLOCKS = {
    "summary": "summary",
    "severity": "severity",
    "discovered_at": "discovered",
    "affected_systems": "affected",
    "measures_taken": "measures",
}


@dataclass(frozen=True)
class Prefill:
    """What the form starts with when filed from a message."""

    summary: str = ""
    discovered: str = ""  # as the form shows it: YYYY-MM-DD HH:MM in TEAM_TIMEZONE
    source_link: str = ""
    clipped: bool = False  # the message was longer than a summary may be


def incident_modal(lang: str, metadata: str = "", prefill: Prefill | None = None) -> Block:
    zh, filled = lang == "zh", prefill or Prefill()
    blocks: list[Block] = [
        _context(
            "第三十条：须在2个小时内向网信部门、公安部门、大数据主管部门报告。"
            if zh
            else "Art. 30: report within 2 hours."
        )
    ]
    if filled.source_link:
        blocks.append(
            _context(("来源消息：" if zh else "Filed from: ") + escape(filled.source_link))
        )
    blocks += [
        _input(
            "summary",
            "事件摘要" if zh else "Summary",
            _initial(_text_input(True), filled.summary),
            hint=(
                (
                    f"原消息超过 {MAX_TEXT} 字，已截取开头"
                    if zh
                    else f"The message was longer than {MAX_TEXT} characters: its start is shown"
                )
                if filled.clipped
                else ""
            ),
        ),
        _input(
            "severity",
            "严重程度" if zh else "Severity",
            _select([("high", "高 / high"), ("medium", "中 / medium"), ("low", "低 / low")]),
        ),
        _input(
            "discovered",
            "发现时间（留空为现在）" if zh else "Discovered (empty = now)",
            _initial(_text_input(placeholder="YYYY-MM-DD HH:MM"), filled.discovered),
            optional=True,
        ),
        _input(
            "affected",
            "受影响系统" if zh else "Affected systems",
            _text_input(True),
            optional=True,
            hint="写入报送网信、公安、大数据部门的事件报告"
            if zh
            else "Goes into the report to the authorities",
        ),
        _input(
            "measures",
            "已采取措施" if zh else "Measures taken",
            _text_input(True),
            optional=True,
        ),
    ]
    return _modal(
        CALLBACK_ID, "网络安全事件" if zh else "Security incident", blocks, lang, metadata
    )


def _initial(element: Block, value: str) -> Block:
    return {**element, "initial_value": value} if value else element


def prefill_from_message(text: str, posted_at: datetime | None, tz: ZoneInfo, link: str) -> Prefill:
    """The form for a message: its text (cut to what a summary may hold), its time, its link."""
    return Prefill(
        summary=text[:MAX_TEXT],
        discovered=posted_at.astimezone(tz).strftime("%Y-%m-%d %H:%M") if posted_at else "",
        source_link=link,
        clipped=len(text) > MAX_TEXT,
    )


def source_metadata(link: str, channel: str, ts: str, posted_at: datetime) -> dict[str, str]:
    """What the form carries (private_metadata) about the message it was filed from."""
    return {"permalink": link, "key": f"{channel}:{ts}", "at": posted_at.isoformat()}


def incident_operation(
    values: dict[str, str], metadata: dict[str, Any], *, tz: ZoneInfo, today: date
) -> OpenIncident:
    """The submitted form as an OpenIncident; a discovery time that does not parse is refused."""
    discovered = None
    if values.get("discovered"):
        discovered = parse_moment(
            values["discovered"],
            tz=tz,
            today=today,
            field="discovered_at",
            usage="YYYY-MM-DD HH:MM",
        )
    source = metadata.get("source")
    return OpenIncident(
        values.get("summary", ""),
        values.get("severity", ""),
        discovered,
        values.get("affected", ""),
        values.get("measures", ""),
        SourceMessage(source["permalink"], source["key"], datetime.fromisoformat(source["at"]))
        if source
        else None,
    )
