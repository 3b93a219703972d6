"""The Art. 33 monthly written report to tenants, as a Word document.

Art. 33 asks for two things: the use of cloud resources and the cybersecurity operation
assurance. The bot records only the second, so the first is a marked blank unless the caller
passes the figures. Each part of the second is a table with a header row (ReportSection).
"""

from __future__ import annotations

from docx.document import Document

from commands.documents import word
from commands.documents.basis import basis
from commands.documents.model import MonthlyReportDoc, ReportSection
from commands.documents.text import format_date, format_month
from commands.replies import Lang
from knowledge.numerals import int_to_chinese

_TEXT = {
    "zh": {
        "title": "政务云平台云资源使用及网络安全运行保障情况报告",
        "period": "报告期间：",
        "to": "报送：",
        "every_tenant": "各云租户",
        "unit": "报告单位：",
        "contact": "联系人及电话：",
        "date": "报告日期：",
        "basis": "依据",
        "resources": "云资源使用情况",
        "security": "网络安全运行保障情况",
        "empty": "本期无记录。",
        "note": "注：",
        "seal": "报告单位（盖章）：",
    },
    "en": {
        "title": "Report on cloud resource use and cybersecurity operations of the government cloud platform",
        "period": "Period: ",
        "to": "To: ",
        "every_tenant": "every cloud tenant",
        "unit": "Reporting unit: ",
        "contact": "Contact and telephone: ",
        "date": "Date of report: ",
        "basis": "Basis",
        "resources": "Use of cloud resources",
        "security": "Cybersecurity operation assurance",
        "empty": "None in this period.",
        "note": "Note: ",
        "seal": "Reporting unit (seal): ",
    },
}


def monthly_report_docx(report: MonthlyReportDoc) -> bytes:
    """The report as .docx bytes, in report.lang, ready to send to tenants."""
    text, lang = _TEXT[report.lang], report.lang
    subtitle = _subtitle(report)
    document = word.new_document(
        lang,
        title=f"{text['title']} {subtitle}",
        author=report.provider or "",
        created=report.generated_at,
    )
    word.heading(document, text["title"], 0)
    word.line(document, subtitle, lang=lang, center=True)
    _front_matter(document, report)
    word.heading(document, f"{_number(1, 1, lang)}{text['resources']}", 1)
    word.line(document, report.resource_usage, lang=lang)
    word.heading(document, f"{_number(1, 2, lang)}{text['security']}", 1)
    for index, section in enumerate(report.sections, start=1):
        _section(document, section, _number(2, index, lang, parent=2), lang)
    _sign_off(document, report)
    return word.to_bytes(document)


def _subtitle(report: MonthlyReportDoc) -> str:
    """（2026年11月） for a calendar month (or its part so far), else the first and last day."""
    start, end = report.period_start, report.period_end
    if start.day == 1 and (start.year, start.month) == (end.year, end.month):
        month = format_month(start, report.lang)
        return f"（{month}）" if report.lang == "zh" else month
    joiner = "至" if report.lang == "zh" else " to "
    return format_date(start, report.lang) + joiner + format_date(end, report.lang)


def _front_matter(document: Document, report: MonthlyReportDoc) -> None:
    text, lang = _TEXT[report.lang], report.lang
    joiner = "至" if lang == "zh" else " to "
    period = format_date(report.period_start, lang) + joiner + format_date(report.period_end, lang)
    word.line(document, text["period"], period, lang=lang)
    word.line(document, text["to"], report.recipient or text["every_tenant"], lang=lang)
    word.line(document, text["unit"], report.provider, lang=lang)
    word.line(document, text["contact"], report.contact, lang=lang)
    rule = basis("tenant-report", lang)  # Art. 33: 报告提交频率不低于每月1次
    if lang == "zh":
        words = f"{text['basis']}《{rule.regulation}》{rule.article}：“{rule.quote}”"
    else:
        words = f"{text['basis']}: {rule.regulation}, {rule.article}: “{rule.quote}”"
    word.line(document, words, lang=lang)


def _section(document: Document, section: ReportSection, number: str, lang: Lang) -> None:
    text = _TEXT[lang]
    word.heading(document, f"{number}{section.title}", 2)
    word.add_table(document, section.columns, section.rows, lang, empty=text["empty"])
    if section.note.strip():
        word.line(document, text["note"], section.note, lang=lang)


def _sign_off(document: Document, report: MonthlyReportDoc) -> None:
    text, lang = _TEXT[report.lang], report.lang
    document.add_paragraph()
    word.line(document, text["seal"], report.provider, lang=lang)
    # A calendar day, not the generation instant: the date a tenant sees on a signed letter.
    day = report.generated_at.astimezone(report.tz).date()
    word.line(document, text["date"], format_date(day, lang), lang=lang)


def _number(level: int, index: int, lang: Lang, *, parent: int = 0) -> str:
    """一、 and （一） in Chinese, 1. and 2.1 in English: the numbering of a Chinese report."""
    if lang == "zh":
        return f"{int_to_chinese(index)}、" if level == 1 else f"（{int_to_chinese(index)}）"
    return f"{index}. " if level == 1 else f"{parent}.{index} "
