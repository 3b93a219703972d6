"""The rule table: every time-bound duty in the regulation, as data, each citing its article.

`phrase` is the regulation's own wording of the rule; a test checks that it appears verbatim in
the article, so a rule that drifts from the text fails the build.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

Kind = Literal["recurring", "lead_time", "response_window", "retention", "event"]
Period = Literal["daily", "monthly", "quarterly", "yearly"]

AUTHORITIES_ZH = {
    "cac": "网信部门",
    "police": "公安部门",
    "security": "国安部门",
    "bigdata": "大数据主管部门",
}
AUTHORITIES_EN = {
    "cac": "the cyberspace affairs department",
    "police": "the public security department",
    "security": "the national security department",
    "bigdata": "the big data authority",
}


@dataclass(frozen=True)
class Obligation:
    id: str
    article: int
    kind: Kind
    title_zh: str
    title_en: str
    phrase: str  # verbatim from the article
    notify_zh: str = ""
    notify_en: str = ""
    period: Period | None = None
    window: timedelta | None = None
    remind_days_before: tuple[int, ...] = ()
    detail_zh: str = ""
    detail_en: str = ""
    # Who must be told (codes of AUTHORITIES_ZH, or "tenants"), one record each.
    parties: tuple[str, ...] = ()
    # Reminders after the clock starts, before the window closes (the overdue alert is at window).
    reminder_offsets: tuple[timedelta, ...] = ()

    def window_text(self, lang: str) -> str:
        """The window as the regulation counts it: 2个小时 / 2 hours, 30日 / 30 days."""
        assert self.window is not None, f"{self.id} has no window"
        return duration_text(self.window, lang)


_ALL_FOUR_ZH = "市网信部门、市公安部门、市国安部门、市大数据主管部门"
_ALL_FOUR_EN = "the municipal cyberspace affairs, public security, national security departments and the big data authority"

OBLIGATIONS: tuple[Obligation, ...] = (
    Obligation(
        "tenant-change-report",
        8,
        "response_window",
        "云租户情况变化报备",
        "Report changes in tenant information",
        "在发生变化之日起2日内",
        _ALL_FOUR_ZH,
        _ALL_FOUR_EN,
        window=timedelta(days=2),
    ),
    Obligation(
        "staff-change-notice",
        19,
        "lead_time",
        "安全团队人员变动提前报备",
        "Report security-team changes in advance",
        "提前30日",
        "市大数据主管部门和相关云租户",
        "the municipal big data authority and the tenants concerned",
        window=timedelta(days=30),
        parties=("bigdata", "tenants"),
    ),
    Obligation(
        "vuln-scan",
        21,
        "recurring",
        "漏洞扫描",
        "Vulnerability scan",
        "漏洞扫描不低于每月1次",
        period="monthly",
        remind_days_before=(7, 1, 0),
    ),
    Obligation(
        "pentest",
        21,
        "recurring",
        "渗透测试",
        "Penetration test",
        "渗透测试不低于每季度1次",
        period="quarterly",
        remind_days_before=(7, 1, 0),
    ),
    Obligation(
        "risk-assessment",
        21,
        "recurring",
        "风险评估",
        "Risk assessment",
        "风险评估不低于每年1次",
        period="yearly",
        remind_days_before=(7, 1, 0),
    ),
    Obligation(
        "network-log-retention",
        21,
        "retention",
        "网络日志留存",
        "Network log retention",
        "留存相关的网络日志不少于6个月",
        window=timedelta(days=183),
    ),
    Obligation(
        "daily-inspection",
        23,
        "recurring",
        "每日安全巡检",
        "Daily security inspection",
        "每日对政务云平台开展安全巡检",
        period="daily",
        detail_zh="检查设施设备和安全防护措施的可用性、有效性，并对安全设备告警进行有效性分析",
        detail_en="check facilities, equipment and security measures for availability and effectiveness; analyse security alerts",
    ),
    Obligation(
        "emergency-drill",
        26,
        "recurring",
        "应急演练",
        "Emergency drill",
        "演练频率不低于每年1次",
        period="yearly",
        remind_days_before=(7, 1, 0),
        detail_zh="覆盖自然灾害类、消防类、故障类、入侵类、病毒木马类、DDOS拒绝服务",
        detail_en="covering natural disasters, fire, faults, intrusions, viruses and trojans, DDoS",
    ),
    Obligation(
        "holiday-duty-plan",
        27,
        "event",
        "重要节日24小时现场值守保障方案",
        "24-hour on-site duty plan for major holidays",
        "采取24小时不间断的现场值守措施",
        remind_days_before=(7, 1),
    ),
    Obligation(
        "incident-report",
        30,
        "response_window",
        "网络安全事件报告",
        "Security incident report",
        "在2个小时内",
        "网信部门、公安部门、大数据主管部门",
        "the cyberspace affairs department, the public security department, the big data authority",
        window=timedelta(hours=2),
        # Art. 30 names 网信部门、公安部门、大数据主管部门 (国安 is not among them).
        parties=("cac", "police", "bigdata"),
        reminder_offsets=(timedelta(minutes=60), timedelta(minutes=90), timedelta(minutes=110)),
    ),
    Obligation(
        "authority-inspection",
        32,
        "recurring",
        "迎接主管部门季度检查",
        "Prepare for the authorities' quarterly inspection",
        "检查频率不低于每季度1次",
        period="quarterly",
        remind_days_before=(7, 1),
    ),
    Obligation(
        "tenant-report",
        33,
        "recurring",
        "向云租户书面报告",
        "Written report to tenants",
        "报告提交频率不低于每月1次",
        "各云租户",
        "every cloud tenant",
        period="monthly",
        remind_days_before=(7, 1, 0),
    ),
    Obligation(
        "data-destruction",
        35,
        "response_window",
        "终止服务后销毁租户数据",
        "Destroy tenant data after termination",
        "经云租户确认后在7日内有效销毁数据",
        window=timedelta(days=7),
    ),
    Obligation(
        "exit-log-retention",
        35,
        "retention",
        "退出服务后保留网络日志",
        "Keep network logs after the provider exits",
        "继续保留相关网络日志不少于6个月",
        window=timedelta(days=183),
    ),
)

BY_ID = {o.id: o for o in OBLIGATIONS}
RECURRING = tuple(o for o in OBLIGATIONS if o.kind == "recurring")
# Completed through /deadlines done; the daily inspection is logged with /inspect instead.
COMPLETABLE = tuple(o for o in RECURRING if o.id != "daily-inspection")


def duration_text(span: timedelta, lang: str) -> str:
    """A whole number of days or hours, in the regulation's words (日, 个小时) or in English."""
    if span % timedelta(days=1) == timedelta(0):
        days = span // timedelta(days=1)
        return f"{days}日" if lang == "zh" else f"{days} day{'s' if days != 1 else ''}"
    hours, minutes = divmod(int(span.total_seconds()) // 60, 60)
    if minutes:
        return f"{hours * 60 + minutes}分钟" if lang == "zh" else f"{hours * 60 + minutes} minutes"
    return f"{hours}个小时" if lang == "zh" else f"{hours} hour{'s' if hours != 1 else ''}"
