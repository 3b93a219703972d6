"""Filings through run_command: each cites its rule, validates input and writes nothing when wrong."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from commands.dispatch import run_command
from commands.errors import UserError
from commands.store import Store
from commands.store.models import AuditEntry, Incident, Inspection, StaffChange

TZ = ZoneInfo("Asia/Shanghai")


def file(store: Store, command: str, text: str, now: datetime, lang: str = "zh", **kwargs):  # type: ignore[no-untyped-def]
    return run_command(
        store, command, text, user=kwargs.pop("user", "U1"), lang=lang, now=now, tz=TZ, **kwargs
    )  # type: ignore[arg-type]


def count(store: Store, model) -> int:  # type: ignore[no-untyped-def]
    with store.session() as session:
        return int(session.execute(select(func.count()).select_from(model)).scalar_one())


def test_an_incident_gets_a_two_hour_deadline_citing_article_30(
    store: Store, now: datetime
) -> None:
    reply = file(
        store, "incident", "数据库遭勒索病毒加密 严重程度=高 发现时间=2026-11-24 09:30", now
    )
    assert reply.kind == "incident" and reply.articles == (30,)
    assert "第三十条" in reply.text and "2026-11-24 11:30" in reply.text
    assert reply.data["severity"] == "high"
    assert reply.data["reports"] == {"cac": None, "police": None, "bigdata": None}
    english = file(store, "incident", "Ransomware on the DB sev=low", now, lang="en")
    assert "Art. 30" in english.text and "2026-11-24 12:00" in english.text


def test_reports_are_recorded_per_authority_with_timeliness(store: Store, now: datetime) -> None:
    file(store, "incident", "病毒 发现时间=08:30", now)
    on_time = file(store, "incident", "reported 1 网信", now)
    assert on_time.data["reports"]["cac"]["on_time"] is True
    late = file(store, "incident", "reported 1 police", now + timedelta(hours=1), lang="en")
    assert late.data["reports"]["police"]["on_time"] is False
    with pytest.raises(UserError, match="already"):
        file(store, "incident", "reported 1 cac", now, lang="en")
    with pytest.raises(UserError, match="big data") as refused:
        file(store, "incident", "close 1", now)
    assert refused.value.field == "reason"
    closed = file(store, "incident", "close 1 原因=演练，无需向大数据报告", now)
    assert "关闭" in closed.text and "演练" in closed.text
    assert "没有未关闭" in file(store, "incident", "list", now).text


@pytest.mark.parametrize(
    ("text", "zh", "en"),
    [
        ("", "事件摘要", "describe the incident"),
        ("病毒 严重程度=特别高", "严重程度", "severity"),
        ("病毒 发现时间=2026-11-24 11:00", "将来", "future"),
        ("病毒 发现时间=昨天", "时间", "time"),
        ("reported 99 网信", "没有编号为 99", "no incident #99"),
        ("reported 1 卫健委", "网信、公安 或 大数据", "cac, police or bigdata"),
        ("close abc", "编号", "id"),
        ("x" * 501, "过长", "Too long"),
    ],
)
def test_bad_incident_input_is_explained_in_both_languages_and_writes_nothing(
    store: Store, now: datetime, text: str, zh: str, en: str
) -> None:
    if text.startswith(("reported", "close")):
        file(store, "incident", "已有事件", now)
    before = (count(store, Incident), count(store, AuditEntry))
    for lang, fragment in (("zh", zh), ("en", en)):
        with pytest.raises(UserError) as raised:
            file(store, "incident", text or "", now, lang=lang) if text else file(
                store, "incident", "sev=high", now, lang=lang
            )
        assert fragment.lower() in raised.value.message(lang).lower()  # type: ignore[arg-type]
    assert (count(store, Incident), count(store, AuditEntry)) == before


def test_a_staff_change_under_30_days_is_recorded_late_with_the_shortfall(
    store: Store, now: datetime
) -> None:
    reply = file(store, "staff-change", "离岗 张三 安全运维 2026-12-10", now)
    assert reply.data["late"] is True and reply.data["notice_days"] == 16
    assert "第十九条" in reply.text and "少 14 天" in reply.text
    ok = file(store, "staff-change", 'join "Li Si" "SOC analyst" 2027-01-31', now, lang="en")
    assert ok.data["late"] is False and "Late" not in ok.text
    partly = file(store, "staff-change", "notified 1 大数据", now)
    assert "还需向相关云租户报备" in partly.text
    done = file(store, "staff-change", "notified 1 tenants", now, lang="en")
    assert "complete" in done.text
    assert "#2" in file(store, "staff-change", "list", now).text


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("离岗 张三 安全运维 2026-11-01", "已过去"),
        ("离岗 张三 安全运维 2026-13-01", "YYYY-MM-DD"),
        ("退休 张三 安全运维 2026-12-31", "入职、离岗、调岗"),
        ("离岗 张三 2026-12-31", "四项"),
        ("notified 5 大数据", "没有编号为 5"),
        ("notified 1 网信", "大数据 或 租户"),
    ],
)
def test_bad_staff_changes_write_nothing(
    store: Store, now: datetime, text: str, fragment: str
) -> None:
    if text.startswith("notified 1"):
        file(store, "staff-change", "入职 王五 运维 2027-02-01", now)
    before = (count(store, StaffChange), count(store, AuditEntry))
    with pytest.raises(UserError) as raised:
        file(store, "staff-change", text, now)
    assert fragment in raised.value.zh
    assert raised.value.en and raised.value.en != raised.value.zh
    assert (count(store, StaffChange), count(store, AuditEntry)) == before


def test_inspections_and_their_gaps(store: Store, now: datetime) -> None:
    file(store, "inspect", "ok", now - timedelta(days=2))
    reply = file(store, "inspect", "issue 防火墙告警未分析", now)
    assert "第二十三条" in reply.text and reply.data["status"] == "issue"
    status = file(store, "inspect", "status", now, lang="en")
    assert "2026-11-23" in status.text and "2026-11-22" not in status.text
    with pytest.raises(UserError):
        file(store, "inspect", "issue", now)
    with pytest.raises(UserError):
        file(store, "inspect", "maybe", now)
    assert count(store, Inspection) == 2


def test_deadlines_list_obligations_with_articles_and_record_completions(
    store: Store, now: datetime
) -> None:
    listing = file(store, "deadlines", "", now)
    keys = [item["key"] for item in listing.data["items"]]
    assert (
        "vuln-scan" in keys and "tenant-report" in keys and "pentest" not in keys
    )  # pentest is due 12-31, outside 30 days
    assert "第二十一条" in listing.text
    longer = file(store, "deadlines", "60", now, lang="en")
    assert "pentest" in [item["key"] for item in longer.data["items"]]
    done = file(store, "deadlines", "done vuln-scan 报告 #123", now)
    assert done.data["next_due"] == "2026-12-31"
    after = file(store, "deadlines", "", now)
    assert "vuln-scan" not in [item["key"] for item in after.data["items"]]
    for bad in ("done", "done nonsense", "done daily-inspection", "0", "400", "abc"):
        with pytest.raises(UserError):
            file(store, "deadlines", bad, now)


def test_overdue_obligations_are_flagged(store: Store, now: datetime) -> None:
    file(store, "deadlines", "done vuln-scan", datetime(2026, 9, 15, tzinfo=TZ))
    listing = file(store, "deadlines", "", now)
    scan = next(item for item in listing.data["items"] if item["key"] == "vuln-scan")
    assert scan == {"key": "vuln-scan", "due": "2026-10-31", "overdue": True, "article": 21}
    assert "已逾期" in listing.text


def test_help_is_bilingual_for_every_command(store: Store, now: datetime) -> None:
    for command in ("inspect", "staff-change", "incident", "deadlines"):
        zh = file(store, command, "help", now)
        en = file(store, command, "help", now, lang="en")
        assert zh.text != en.text and command in en.text


def test_the_same_idempotency_key_gives_one_record_and_the_same_reply(
    store: Store, now: datetime
) -> None:
    first = file(store, "incident", "病毒", now, idempotency_key="req-1")
    again = file(store, "incident", "病毒", now + timedelta(seconds=3), idempotency_key="req-1")
    assert again == first
    assert count(store, Incident) == 1
    other = file(store, "incident", "病毒", now, idempotency_key="req-2")
    assert other.data["id"] == 2


def test_filers_restrict_writes_and_refusals_are_audited(store: Store, now: datetime) -> None:
    with pytest.raises(UserError) as raised:
        file(store, "incident", "病毒", now, user="U9", filers=("U1",))
    assert "FILERS" in raised.value.zh and "FILERS" in raised.value.en
    assert count(store, Incident) == 0
    with store.session() as session:
        entry = session.execute(select(AuditEntry)).scalar_one()
    assert (entry.actor, entry.action, entry.entity) == ("U9", "refused", "incident")
    assert file(store, "incident", "list", now, user="U9", filers=("U1",)).kind == "incident_list"
    assert file(store, "incident", "病毒", now, user="U1", filers=("U1",)).kind == "incident"


def test_unknown_command(store: Store, now: datetime) -> None:
    with pytest.raises(UserError):
        file(store, "launch", "x", now)
