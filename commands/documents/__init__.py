"""Word documents the bot produces: pure functions from small typed inputs to .docx bytes.

- `monthly_report_docx(MonthlyReportDoc)`: the Art. 33 monthly written report to tenants;
- `incident_report_docx(IncidentDraft)`: the Art. 30 report to the authorities, pre-filled.

Nothing here reads the store or talks to Slack: the caller maps its records onto these inputs.
"""

from commands.documents.classification import EVENT_CATEGORIES, EVENT_GRADES
from commands.documents.incident import ART30_AUTHORITIES, incident_report_docx, report_deadline
from commands.documents.model import Cell, IncidentDraft, MonthlyReportDoc, ReportSection
from commands.documents.monthly import monthly_report_docx
from commands.documents.parts import Part, part_columns, part_section, part_title
from commands.documents.text import BLANK

__all__ = [
    "ART30_AUTHORITIES",
    "BLANK",
    "EVENT_CATEGORIES",
    "EVENT_GRADES",
    "Cell",
    "IncidentDraft",
    "MonthlyReportDoc",
    "Part",
    "ReportSection",
    "incident_report_docx",
    "monthly_report_docx",
    "part_columns",
    "part_section",
    "part_title",
    "report_deadline",
]
