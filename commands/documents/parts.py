"""The standard parts of the Art. 33 monthly report: one title (citing its article) and header
per part, in both languages, so every edge that builds the report names them the same way."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, NamedTuple

from commands.documents.model import Cell, ReportSection
from commands.replies import Lang, cite

Part = Literal[
    "inspections", "incidents", "staff_changes", "obligations", "timeline", "corrections"
]


class _PartText(NamedTuple):
    article: int | None
    title_zh: str
    title_en: str
    columns_zh: tuple[str, ...]
    columns_en: tuple[str, ...]


PARTS: dict[Part, _PartText] = {
    "inspections": _PartText(  # Art. 23: daily inspection, results told to tenants
        23,
        "安全巡检",
        "Security inspections",
        ("日期", "结果", "说明"),
        ("Date", "Result", "Notes"),
    ),
    "incidents": _PartText(  # Art. 30: reported within 2 hours to each authority
        30,
        "网络安全事件",
        "Security incidents",
        ("编号", "事件", "发现时间", "报告时限", "各部门报告情况", "状态及关闭原因"),
        ("No.", "Incident", "Discovered", "Report by", "Reported to", "Status, close reason"),
    ),
    "staff_changes": _PartText(  # Art. 19: filed 30 days ahead
        19,
        "安全团队人员变动",
        "Security-team changes",
        ("编号", "人员及岗位", "变动", "生效日期", "提前报备天数", "是否按时"),
        ("No.", "Person, role", "Change", "Effective", "Days of notice", "On time"),
    ),
    "obligations": _PartText(
        None,
        "定期合规事项及证据",
        "Recurring obligations and evidence",
        ("事项", "依据", "状态", "完成时间", "证据（链接及SHA-256）"),
        ("Obligation", "Basis", "Status", "Completed", "Evidence (link, SHA-256)"),
    ),
    "timeline": _PartText(
        30,
        "事件时间线",
        "Incident timelines",
        ("事件编号", "时间", "记录", "记录人"),
        ("Incident", "Time", "Entry", "By"),
    ),
    "corrections": _PartText(
        None,
        "更正记录",
        "Corrections",
        ("时间", "记录", "更正内容", "原因", "操作人"),
        ("Time", "Record", "Correction", "Reason", "By"),
    ),
}


def part_title(part: Part, lang: Lang) -> str:
    """安全巡检（第二十三条） / Security inspections (Art. 23)."""
    text = PARTS[part]
    title = text.title_zh if lang == "zh" else text.title_en
    if text.article is None:
        return title
    return (
        f"{title}（{cite(text.article, lang)}）"
        if lang == "zh"
        else f"{title} ({cite(text.article, lang)})"
    )


def part_columns(part: Part, lang: Lang) -> tuple[str, ...]:
    text = PARTS[part]
    return text.columns_zh if lang == "zh" else text.columns_en


def part_section(
    part: Part,
    lang: Lang,
    rows: Sequence[Sequence[Cell]],
    *,
    note: str = "",
    columns: Sequence[str] | None = None,
) -> ReportSection:
    """A section with the part's standard title and, unless given, its standard columns."""
    return ReportSection(
        part_title(part, lang),
        tuple(columns) if columns is not None else part_columns(part, lang),
        tuple(tuple(row) for row in rows),
        note,
    )
