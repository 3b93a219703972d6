"""The two Word documents, rendered and opened again with python-docx: fields, tables, blanks."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import docx
import pytest
from docx.document import Document
from docx.oxml.ns import qn
from docx.shared import Mm
from docx.table import Table
from docx.text.run import Run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commands.documents import (
    ART30_AUTHORITIES,
    BLANK,
    IncidentDraft,
    MonthlyReportDoc,
    ReportSection,
    incident_report_docx,
    monthly_report_docx,
    part_section,
    part_title,
    report_deadline,
)
from commands.documents.basis import basis
from commands.documents.text import clean, format_duration
from commands.documents.word import BLANK_FILL, TEXT_WIDTH_MM
from commands.obligations import BY_ID
from commands.replies import Lang
from knowledge.corpus import load_bundled

TZ = ZoneInfo("Asia/Shanghai")
DISCOVERED = datetime(2026, 11, 24, 9, 30, tzinfo=TZ)
GENERATED = datetime(2026, 11, 24, 10, 5, tzinfo=TZ)
AWKWARD = (
    "=cmd|' /C calc'!A0",  # a spreadsheet formula
    '<w:p><w:r><w:t>injected</w:t></w:r></w:p> &amp; ]]> <script>alert("x")</script>',
    "{ PAGE } **粗体** [链接](http://x) ${jndi:ldap://x}",
    "𠀀𪚥 😀👩\u200d💻 outside the BMP",
)
# Settings for property tests: rendering a document takes tens of milliseconds, so few examples.
FEW = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def opened(data: bytes) -> Document:
    return docx.Document(io.BytesIO(data))


def cells(table: Table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def facts(document: Document) -> dict[str, str]:
    """The incident report's field -> content table."""
    return {row[0]: row[1] for row in cells(document.tables[0])[1:]}


def blank_runs(document: Document) -> list[Run]:
    """Every run shaded as a blank to fill, in the body and in tables."""
    paragraphs = list(document.paragraphs)
    for table in document.tables:
        paragraphs += [p for row in table.rows for cell in row.cells for p in cell.paragraphs]
    return [
        run
        for paragraph in paragraphs
        for run in paragraph.runs
        if (shd := run._r.find(f"{qn('w:rPr')}/{qn('w:shd')}")) is not None
        and shd.get(qn("w:fill")) == BLANK_FILL
    ]


def body_text(document: Document) -> str:
    return "\n".join(p.text for p in document.paragraphs)


def assert_table_shape(table: Table) -> None:
    """A proper Word table: header row repeated on each page, fixed layout within the page."""
    header = table.rows[0]._tr
    assert header.trPr is not None and header.trPr.find(qn("w:tblHeader")) is not None
    assert not any(
        row._tr.trPr is not None and row._tr.trPr.find(qn("w:tblHeader")) is not None
        for row in table.rows[1:]
    )
    assert table._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
    assert sum(column.width for column in table.columns) <= Mm(TEXT_WIDTH_MM)
    styles = {
        p.style.name for row in table.rows for c in row.cells for p in c.paragraphs if p.style
    }
    assert styles == {"Table Text"}  # 五号 (10.5 pt), no space after: see word.TABLE_PT


def page_fields(document: Document) -> list[str]:
    footer = document.sections[0].footer._element
    return [f.get(qn("w:instr")).strip() for f in footer.iter(qn("w:fldSimple"))]


# --- the monthly report (Art. 33) -------------------------------------------------------------


def monthly(lang: Lang = "zh", **changes: Any) -> MonthlyReportDoc:
    rows = [("2026-11-03", "issue", "防火墙告警未处置"), ("2026-11-04", "ok", "")]
    sections = (
        part_section("inspections", lang, rows, note="缺漏：2026-11-05"),
        part_section(
            "incidents",
            lang,
            [
                (
                    "#1",
                    "勒索病毒",
                    "11-20 09:00",
                    "11-20 11:00",
                    "网信 按时；公安 超时",
                    "已关闭：误报",
                )
            ],
        ),
        part_section("staff_changes", lang, []),
    )
    report = MonthlyReportDoc(
        lang,
        date(2026, 11, 1),
        date(2026, 11, 30),
        datetime(2026, 12, 1, 9, 0, tzinfo=TZ),
        sections,
    )
    return replace(report, **changes)


def test_monthly_report_in_chinese_has_title_period_basis_and_one_table_per_section() -> None:
    document = opened(monthly_report_docx(monthly()))
    text = body_text(document)
    assert document.paragraphs[0].text == "政务云平台云资源使用及网络安全运行保障情况报告"
    title_style = document.paragraphs[0].style
    assert title_style is not None and title_style.name == "Title"
    assert "（2026年11月）" in text
    assert "报告期间：2026年11月1日至2026年11月30日" in text
    assert "报送：各云租户" in text
    # Art. 33 quoted verbatim from the regulation, cut from the bundled text.
    quote = load_bundled().article(33).paragraphs[1].text
    assert f"第三十三条：“{quote}”" in text
    headings = [
        p.text for p in document.paragraphs if p.style and p.style.name.startswith("Heading")
    ]
    assert headings == [
        "一、云资源使用情况",
        "二、网络安全运行保障情况",
        "（一）安全巡检（第二十三条）",
        "（二）网络安全事件（第三十条）",
        "（三）安全团队人员变动（第十九条）",
    ]
    assert len(document.tables) == 3
    for table in document.tables:
        assert_table_shape(table)
    assert cells(document.tables[0]) == [
        ["日期", "结果", "说明"],
        ["2026-11-03", "issue", "防火墙告警未处置"],
        ["2026-11-04", "ok", ""],
    ]
    assert cells(document.tables[1])[1][-1] == "已关闭：误报"
    assert "注：缺漏：2026-11-05" in text
    assert "报告日期：2026年12月1日" in text


def test_unknown_provider_contact_and_resource_use_are_shaded_blanks() -> None:
    document = opened(monthly_report_docx(monthly()))
    blanks = blank_runs(document)
    assert [run.text for run in blanks] == [BLANK["zh"]] * 4  # unit, contact, resources, seal
    text = body_text(document)
    assert "报告单位：【待填写】" in text and "联系人及电话：【待填写】" in text
    assert "报告单位（盖章）：【待填写】" in text


def test_known_provider_and_figures_leave_no_blank() -> None:
    report = monthly(
        provider="重庆某云服务有限公司",
        contact="李四 023-12345678",
        resource_usage="vCPU 使用率 61%，存储 420 TB",
        recipient="重庆市某局",
    )
    document = opened(monthly_report_docx(report))
    assert blank_runs(document) == []
    text = body_text(document)
    assert "报送：重庆市某局" in text
    assert "报告单位（盖章）：重庆某云服务有限公司" in text
    assert "vCPU 使用率 61%，存储 420 TB" in text
    assert document.core_properties.author == "重庆某云服务有限公司"


def test_monthly_report_in_english() -> None:
    document = opened(monthly_report_docx(monthly("en")))
    text = body_text(document)
    assert "November 2026" in text
    assert "Period: 1 November 2026 to 30 November 2026" in text
    assert "Art. 33" in text and "at least once a month" in text
    assert "1.2 Security-team changes (Art. 19)" not in text  # numbering is of the second part
    assert "2.3 Security-team changes (Art. 19)" in [p.text for p in document.paragraphs]
    assert [run.text for run in blank_runs(document)] == [BLANK["en"]] * 4
    assert "【" not in text and "页" not in text
    assert cells(document.tables[2]) == [
        ["No.", "Person, role", "Change", "Effective", "Days of notice", "On time"],
        ["None in this period."] * 6,  # one cell merged across the row
    ]
    assert page_fields(document) == ["PAGE", "NUMPAGES"]


def test_empty_section_has_its_header_and_one_merged_row_saying_so() -> None:
    document = opened(monthly_report_docx(monthly()))
    table = document.tables[2]
    assert cells(table)[0] == ["编号", "人员及岗位", "变动", "生效日期", "提前报备天数", "是否按时"]
    assert len(table.rows) == 2
    assert table.rows[1]._tr.tc_lst[0].grid_span == 6
    assert table.rows[1].cells[0].text == "本期无记录。"


def test_report_with_no_sections_and_an_unknown_cell() -> None:
    section = ReportSection("更正记录", ("时间", "原因"), (("11-03 10:00", None),))
    for sections in ((), (section,)):
        document = opened(monthly_report_docx(monthly(sections=sections)))
        assert len(document.tables) == len(sections)
    assert cells(document.tables[0])[1] == ["11-03 10:00", BLANK["zh"]]


def test_page_numbers_a4_and_honest_properties() -> None:
    document = opened(monthly_report_docx(monthly()))
    assert page_fields(document) == ["PAGE", "NUMPAGES"]
    assert document.sections[0].footer.paragraphs[0].text == "第  页，共  页"  # fields left out
    section = document.sections[0]
    assert section.page_width and section.page_height
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    props = document.core_properties
    assert props.author == "" and props.last_modified_by == ""  # not "python-docx"
    assert props.created == datetime(2026, 12, 1, 1, 0, tzinfo=UTC)  # 09:00 in Chongqing
    assert props.language == "zh-CN"
    assert "2026年11月" in props.title


def test_a_month_still_running_and_a_longer_period() -> None:
    running = opened(monthly_report_docx(monthly(period_end=date(2026, 11, 23))))
    assert "（2026年11月）" in body_text(running)
    assert "报告期间：2026年11月1日至2026年11月23日" in body_text(running)
    quarter = opened(monthly_report_docx(monthly(period_end=date(2027, 1, 31))))
    assert "2026年11月1日至2027年1月31日" in quarter.paragraphs[1].text


@pytest.mark.parametrize(
    ("obligation", "article"), [("tenant-report", 33), ("incident-report", 30)]
)
def test_the_basis_is_the_paragraph_holding_the_rule_cut_from_the_source(
    obligation: str, article: int
) -> None:
    document = load_bundled()
    zh, en = basis(obligation, "zh"), basis(obligation, "en")
    paragraphs = document.article(article).paragraphs
    position = [p.text for p in paragraphs].index(zh.quote)
    paragraph = paragraphs[position]
    assert document.text[paragraph.start : paragraph.end] == zh.quote
    assert BY_ID[obligation].phrase in zh.quote
    # The English quote is the matching paragraph of the rendering, not the whole article.
    english = document.article(article).translation.split("\n")
    assert en.quote == english[position] and len(english) > 1
    assert (zh.article, en.article) == (
        f"第{'三十三' if article == 33 else '三十'}条",
        f"Art. {article}",
    )


def test_part_titles_cite_their_articles() -> None:
    assert part_title("inspections", "zh") == "安全巡检（第二十三条）"
    assert part_title("staff_changes", "en") == "Security-team changes (Art. 19)"
    assert part_title("corrections", "zh") == "更正记录"
    assert part_section("incidents", "en", [], columns=("a",)).columns == ("a",)


@pytest.mark.parametrize(
    "bad",
    [
        {"generated_at": datetime(2026, 12, 1, 9, 0)},
        {"period_end": date(2026, 10, 31)},
        {"lang": "fr"},
    ],
)
def test_monthly_inputs_that_are_wrong_are_refused(bad: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        monthly(**bad)


def test_a_row_with_the_wrong_number_of_cells_is_refused() -> None:
    with pytest.raises(ValueError, match="2 cells"):
        ReportSection("x", ("a", "b", "c"), (("1", "2"),))
    with pytest.raises(ValueError, match="no columns"):
        ReportSection("x", ())


# --- the incident report (Art. 30) ------------------------------------------------------------


def draft(lang: Lang = "zh", **changes: Any) -> IncidentDraft:
    base = IncidentDraft(12, "勒索病毒加密了文件服务器", DISCOVERED, GENERATED, lang)
    return replace(base, **changes)


def test_incident_report_fills_what_it_knows_and_blanks_the_rest() -> None:
    reports = {"cac": DISCOVERED + timedelta(minutes=40)}
    document = opened(incident_report_docx(draft(reports=reports, severity="高")))
    text = body_text(document)
    assert document.paragraphs[0].text == "网络安全事件报告（初报）"
    assert "报告时限：2026年11月24日 11:30 前（发现后2小时内）" in text
    assert "第三十条：“" in text and "在2个小时内向网信部门、公安部门、大数据主管部门等报告" in text
    fields = facts(document)
    assert fields["事件登记编号"] == "#12"
    assert fields["事件发现时间"] == "2026年11月24日 09:30"
    assert fields["事件简要经过"] == "勒索病毒加密了文件服务器"
    assert fields["严重程度（本单位初步评估）"] == "高"
    for unknown in (
        "报告单位",
        "联系人及电话",
        "事件发生时间",
        "受影响的系统及范围",
        "已采取的处置措施及效果",
        "初步原因分析",
        "报告时间",
    ):
        assert fields[unknown] == BLANK["zh"], unknown
    # Category and grade are never guessed: a blank, then every option unticked.
    assert fields["事件类别"].startswith(BLANK["zh"] + "\n□有害程序事件  □网络攻击事件")
    assert fields["事件级别"] == BLANK["zh"] + "\n□特别重大  □重大  □较大  □一般"
    assert cells(document.tables[1]) == [
        ["报告对象", "报告时间", "是否在时限内"],
        ["网信部门", "2026年11月24日 10:10", "按时"],
        ["公安部门", "未报告", "须于 2026年11月24日 11:30 前报告"],
        ["大数据主管部门", "未报告", "须于 2026年11月24日 11:30 前报告"],
    ]
    assert "填报人（签字）：【待填写】" in text
    for table in document.tables:
        assert_table_shape(table)
    # Every blank is shaded: as many shaded runs as markers, less the one the draft note names.
    markers = body_text(document).count(BLANK["zh"]) + sum(
        c.count(BLANK["zh"]) for t in document.tables for row in cells(t)[1:] for c in row[1:]
    )
    assert "标有【待填写】的项目须人工补全" in document.paragraphs[1].text
    assert len(blank_runs(document)) == markers - 1 == 13


def test_incident_report_in_english() -> None:
    reports = {"police": DISCOVERED + timedelta(hours=2, minutes=1, seconds=1)}
    document = opened(incident_report_docx(draft("en", reports=reports, category="attack")))
    text = body_text(document)
    assert document.paragraphs[0].text == "Cybersecurity incident report (initial report)"
    assert "Report by: 2026-11-24 11:30 (UTC+08:00) (within 2 hours of discovery)" in text
    assert "Art. 30" in text and "within 2 hours" in text
    fields = facts(document)
    assert fields["Discovered at"] == "2026-11-24 09:30 (UTC+08:00)"
    assert fields["Reporting unit"] == BLANK["en"]
    assert fields["Category"].startswith("□Harmful program (malware)  ■Network attack  □")
    assert cells(document.tables[1])[1:] == [
        ["Cyberspace affairs department", "Not reported", "Due by 2026-11-24 11:30 (UTC+08:00)"],
        ["Public security department", "2026-11-24 11:31 (UTC+08:00)", "Late by 2 minutes"],
        ["Big data authority", "Not reported", "Due by 2026-11-24 11:30 (UTC+08:00)"],
    ]
    assert "【" not in text and all(run.text == BLANK["en"] for run in blank_runs(document))
    assert page_fields(document) == ["PAGE", "NUMPAGES"]
    assert document.core_properties.language == "en-US"


def test_a_complete_draft_leaves_only_the_signatures_blank() -> None:
    complete = draft(
        unit="重庆某云服务有限公司",
        contact="张三 13800000000",
        occurred_at=DISCOVERED - timedelta(hours=3),
        category="malware",
        grade="relatively_serious",
        severity="高",
        affected_systems="政务外网文件服务器 3 台",
        impact="文件服务中断",
        measures_taken="隔离主机，切断外联",
        cause="弱口令被爆破",
        next_steps="全网排查弱口令",
        submitted_at=DISCOVERED + timedelta(hours=1),
        reports={a: DISCOVERED + timedelta(hours=1) for a in ART30_AUTHORITIES},
    )
    document = opened(incident_report_docx(complete))
    assert len(blank_runs(document)) == 2
    fields = facts(document)
    assert fields["事件发生时间"] == "2026年11月24日 06:30"
    assert fields["事件级别"] == "□特别重大  □重大  ■较大  □一般"
    bold = [
        r.text for p in document.tables[0].rows[7].cells[1].paragraphs for r in p.runs if r.bold
    ]
    assert bold == ["■较大"]
    assert [row[2] for row in cells(document.tables[1])[1:]] == ["按时"] * 3
    assert document.core_properties.author == "重庆某云服务有限公司"


def test_overdue_authorities_and_one_beyond_art30() -> None:
    late = draft(generated_at=DISCOVERED + timedelta(hours=3), reports={"security": GENERATED})
    rows = cells(opened(incident_report_docx(late)).tables[1])[1:]
    assert [row[0] for row in rows] == ["网信部门", "公安部门", "大数据主管部门", "国安部门"]
    assert rows[0][1:] == ["未报告", "已超过报告时限，尚未报告"]
    assert rows[3][2] == "按时"


def test_deadline_and_authorities_come_from_the_rule_table() -> None:
    window = BY_ID["incident-report"].window
    assert window is not None and report_deadline(DISCOVERED) == DISCOVERED + window
    assert ART30_AUTHORITIES == ("cac", "police", "bigdata")


def test_times_outside_beijing_say_their_offset() -> None:
    utc = draft(
        discovered_at=datetime(2026, 11, 24, 1, 30, tzinfo=ZoneInfo("UTC")), tz=ZoneInfo("UTC")
    )
    assert (
        facts(opened(incident_report_docx(utc)))["事件发现时间"]
        == "2026年11月24日 01:30（UTC+00:00）"
    )


@pytest.mark.parametrize(
    "bad",
    [
        {"reports": {"fbi": GENERATED}},
        {"reports": {"cac": datetime(2026, 11, 24, 10, 0)}},
        {"category": "ransomware"},
        {"grade": "high"},
        {"discovered_at": datetime(2026, 11, 24, 9, 30)},
        {"lang": "ja"},
    ],
)
def test_incident_inputs_that_are_wrong_are_refused(bad: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        draft(**bad)


# --- awkward input, both documents ------------------------------------------------------------


@pytest.mark.parametrize("text", AWKWARD)
def test_markup_formulas_and_astral_characters_stay_literal_text(text: str) -> None:
    incident = opened(incident_report_docx(draft(summary=text, measures_taken=text)))
    assert facts(incident)["事件简要经过"] == text
    assert facts(incident)["已采取的处置措施及效果"] == text
    section = ReportSection(text, ("a", text), ((text, text),), note=text)
    report = opened(monthly_report_docx(monthly(sections=(section,), provider=text)))
    assert cells(report.tables[0]) == [["a", text], [text, text]]
    assert f"（一）{text}" in body_text(report) and f"报告单位：{text}" in body_text(report)
    for document in (incident, report):  # nothing became a field, a hyperlink or an element
        body = document.element.body
        assert not list(body.iter(qn("w:fldSimple"))) and not list(body.iter(qn("w:instrText")))
        assert not list(body.iter(qn("w:hyperlink")))
        assert page_fields(document) == ["PAGE", "NUMPAGES"]


def test_control_characters_are_stripped_and_line_breaks_kept() -> None:
    typed = "a\x00b\x1bc\x7fd\x9f\u202ee\u2066f\r\ng\rh\u2028i\tj"
    document = opened(incident_report_docx(draft(summary=typed)))
    assert facts(document)["事件简要经过"] == "abcdef\ng\nh\ni\tj"


def test_very_long_text_is_kept_whole_and_wraps_in_a_fixed_column() -> None:
    summary = "服务器被入侵，攻击者横向移动。" * 400 + "x" * 3000  # and one unbroken run of 3,000
    document = opened(incident_report_docx(draft(summary=summary)))
    assert facts(document)["事件简要经过"] == summary
    table = document.tables[0]
    assert_table_shape(table)
    assert [round(c.width.mm) for c in table.columns] == [45, TEXT_WIDTH_MM - 45]
    digest = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    section = ReportSection(
        "证据", ("事项", "证据"), (("pentest", f"https://x/{'a' * 500} {digest}"),)
    )
    report = opened(monthly_report_docx(monthly(sections=(section,))))
    assert_table_shape(report.tables[0])
    assert digest in cells(report.tables[0])[1][1]


def test_whitespace_only_or_empty_text_is_a_blank_not_an_empty_field() -> None:
    document = opened(
        incident_report_docx(draft(unit="  \u3000 ", affected_systems="", summary="\x00"))
    )
    fields = facts(document)
    assert (
        fields["报告单位"] == fields["受影响的系统及范围"] == fields["事件简要经过"] == BLANK["zh"]
    )


def test_a_draft_keeps_its_own_copy_of_the_reports() -> None:
    reports = {"cac": GENERATED}
    kept = draft(reports=reports)
    reports["police"] = GENERATED
    assert dict(kept.reports) == {"cac": GENERATED}


def test_sections_hold_tuples_whatever_they_were_given() -> None:
    section = ReportSection("s", ["a", "b"], [["1", None]])  # type: ignore[arg-type]
    assert section.columns == ("a", "b") and section.rows == (("1", None),)


@pytest.mark.parametrize(
    ("span", "zh", "en"),
    [
        (timedelta(hours=2), "2小时", "2 hours"),
        (timedelta(hours=1), "1小时", "1 hour"),
        (timedelta(minutes=90), "90分钟", "90 minutes"),
    ],
)
def test_durations_read_naturally(span: timedelta, zh: str, en: str) -> None:
    assert (format_duration(span, "zh"), format_duration(span, "en")) == (zh, en)


@FEW
@given(st.text(max_size=300))
def test_any_summary_round_trips_or_becomes_a_blank(summary: str) -> None:
    document = opened(incident_report_docx(draft(summary=summary)))
    expected = clean(summary) if clean(summary).strip() else BLANK["zh"]
    assert facts(document)["事件简要经过"] == expected


@FEW
@given(
    st.integers(min_value=1, max_value=6).flatmap(
        lambda n: st.tuples(
            st.tuples(*[st.text(min_size=1, max_size=20)] * n),
            st.lists(st.tuples(*[st.text(max_size=40) | st.none()] * n), max_size=5),
        )
    ),
    st.sampled_from(["zh", "en"]),
)
def test_any_section_reads_back_as_its_cleaned_cells(
    shape: tuple[tuple[str, ...], list[tuple[str | None, ...]]], lang: Lang
) -> None:
    columns, rows = shape
    section = ReportSection("s", columns, tuple(rows))
    table = opened(monthly_report_docx(monthly(lang, sections=(section,)))).tables[0]
    assert_table_shape(table)
    blank = BLANK[lang]
    expected = [[clean(c) for c in columns]] + [
        [blank if c is None else clean(c) for c in row] for row in rows
    ]
    if rows:
        assert cells(table) == expected


@given(st.text())
def test_clean_is_idempotent_and_leaves_nothing_xml_refuses(text: str) -> None:
    cleaned = clean(text)
    assert clean(cleaned) == cleaned
    assert "\r" not in cleaned
    assert all(ch in "\t\n" or (0x20 <= ord(ch) < 0x7F or ord(ch) > 0x9F) for ch in cleaned)
    assert not any(0xD800 <= ord(ch) <= 0xDFFF for ch in cleaned)
    docx.Document().add_paragraph().add_run(cleaned)  # lxml raises on anything XML forbids
