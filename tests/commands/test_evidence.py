"""Evidence of a duty done (SQLite and PostgreSQL): `/deadlines done <id>` with a link, or a file
shared in Slack (name, permalink, SHA-256 of its bytes); kept in the record and its audit entry,
listed in the monthly report; anything not exactly a valid link or digest is refused."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from commands.dispatch import run_command
from commands.errors import UserError
from commands.execute import execute
from commands.grammar import Context
from commands.grammars import parse
from commands.operations import CompleteObligation
from commands.report import render_month
from commands.store import Store
from commands.store.models import AuditEntry, ObligationCompletion
from tests.commands.conftest import TZ

SCAN = b"%PDF-1.7 vulnerability scan, November"
DIGEST = hashlib.sha256(SCAN).hexdigest()
PERMALINK = "https://gov-cloud.slack.com/files/U1/F0SCAN/scan-2026-11.pdf"


def _done(store: Store, line: str, now: datetime):  # type: ignore[no-untyped-def]
    return run_command(store, "deadlines", line, user="U1", lang="zh", now=now, tz=TZ)


def _stored(store: Store) -> tuple[ObligationCompletion, dict[str, object]]:
    with store.session() as session:
        row = session.execute(select(ObligationCompletion)).scalar_one()
        entry = session.execute(
            select(AuditEntry.record).where(AuditEntry.entity == "obligation_completions")
        ).scalar_one()
    return row, json.loads(entry)


def test_a_link_typed_with_done_is_kept_in_the_record_its_audit_entry_and_the_report(
    store: Store, now: datetime
) -> None:
    reply = _done(
        store, f"done vuln-scan https://wiki.intra.gov/scan/2026-11 sha256={DIGEST} 第11期", now
    )
    assert "https://wiki.intra.gov/scan/2026-11" in reply.text and DIGEST in reply.text
    row, audited = _stored(store)
    assert (row.evidence_link, row.evidence_sha256, row.evidence) == (
        "https://wiki.intra.gov/scan/2026-11",
        DIGEST,
        "第11期",
    )
    assert audited["evidence_link"] == row.evidence_link and audited["evidence_sha256"] == DIGEST
    month = render_month(store, month="2026-11", fmt="md", tz=TZ, now=now + timedelta(days=7))
    assert f"| https://wiki.intra.gov/scan/2026-11；SHA-256 {DIGEST}；第11期 |" in month


def test_a_file_shared_in_slack_keeps_its_name_permalink_and_digest(
    store: Store, now: datetime
) -> None:
    op = CompleteObligation("pentest", "第三方测试", PERMALINK, "scan-2026-11.pdf", DIGEST.upper())
    reply = execute(store, op, user="U1", lang="en", now=now, tz=TZ)
    assert "file: scan-2026-11.pdf" in reply.text
    row, audited = _stored(store)
    assert (row.evidence_file, row.evidence_link, row.evidence_sha256) == (
        "scan-2026-11.pdf",
        PERMALINK,
        DIGEST,  # kept in lower case, as sha256sum prints it
    )
    assert audited["evidence_file"] == "scan-2026-11.pdf" and audited["evidence_sha256"] == DIGEST
    csv = render_month(
        store, month="2026-11", fmt="csv", tz=TZ, lang="en", now=now + timedelta(days=7)
    )
    assert f"file: scan-2026-11.pdf; {PERMALINK}; SHA-256 {DIGEST}; 第三方测试" in str(csv)


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ("done vuln-scan ftp://files.intra.gov/scan.pdf", "link"),
        ("done vuln-scan https://", "link"),
        ("done vuln-scan https://admin:secret@wiki.intra.gov/scan", "link"),
        ("done vuln-scan https://wiki.intra.gov:99999/scan", "link"),
        ("done vuln-scan https://a.gov/1 https://b.gov/2", "link"),
        ("done vuln-scan 链接=https://a.gov/1 https://b.gov/2", "link"),
        (f"done vuln-scan sha256={DIGEST}", "link"),  # a digest of what?
        ("done vuln-scan https://a.gov/1 sha256=abc123", "file_sha256"),
        (f"done vuln-scan https://a.gov/1 sha256={DIGEST[:-1]}g", "file_sha256"),
        ("done vuln-scan https://a.gov/1 文件名=scan.pdf", "file_sha256"),
    ],
)
def test_evidence_that_is_not_exactly_right_is_refused(
    store: Store, now: datetime, line: str, field: str
) -> None:
    with pytest.raises(UserError) as raised:
        _done(store, line, now)
    assert raised.value.field == field, raised.value.en
    with store.session() as session:
        assert session.execute(select(func.count()).select_from(AuditEntry)).scalar_one() == 0


@pytest.mark.parametrize(
    ("op", "field"),
    [
        (CompleteObligation("vuln-scan", "", "", "scan.pdf", DIGEST), "link"),
        (CompleteObligation("vuln-scan", "", PERMALINK, "scan.pdf", ""), "file_sha256"),
        (CompleteObligation("vuln-scan", "", PERMALINK, " ", DIGEST), "file_name"),
        (CompleteObligation("vuln-scan", "", PERMALINK, "x" * 256, DIGEST), "file_name"),
        (CompleteObligation("vuln-scan", "x" * 501), "evidence"),
        (CompleteObligation("vuln-scan", "", "https://a.gov/" + "x" * 2000), "link"),
    ],
)
def test_a_file_from_an_edge_that_is_incomplete_is_refused(
    store: Store, now: datetime, op: CompleteObligation, field: str
) -> None:
    with pytest.raises(UserError) as raised:
        execute(store, op, user="U1", lang="en", now=now, tz=TZ)
    assert raised.value.field == field


def test_the_grammar_reads_links_exactly_and_leaves_the_rest_as_the_note() -> None:
    ctx = Context(user="U1", lang="zh", now=datetime(2026, 11, 24, 10, tzinfo=TZ), tz=TZ)
    cases = {
        "done vuln-scan": CompleteObligation("vuln-scan"),
        "done vuln-scan 扫描报告#12": CompleteObligation("vuln-scan", "扫描报告#12"),
        "done 漏洞扫描 见 https://w.gov/s?id=12&v=2 报告": CompleteObligation(
            "vuln-scan", "见 报告", "https://w.gov/s?id=12&v=2"
        ),
        "done pentest 链接：https://w.gov/pt": CompleteObligation(
            "pentest", "", "https://w.gov/pt"
        ),
        "done pentest HTTPS://W.GOV/PT": CompleteObligation("pentest", "", "HTTPS://W.GOV/PT"),
        'done pentest "https://a.gov/1 是旧版"': CompleteObligation(
            "pentest", "https://a.gov/1 是旧版"
        ),
        f"done pentest https://w.gov/pt.pdf sha256={DIGEST} 文件名=pt.pdf": CompleteObligation(
            "pentest", "", "https://w.gov/pt.pdf", "pt.pdf", DIGEST
        ),
        "done pentest www.w.gov/pt": CompleteObligation("pentest", "www.w.gov/pt"),
    }
    for line, expected in cases.items():
        assert parse("deadlines", line, ctx) == expected, line
