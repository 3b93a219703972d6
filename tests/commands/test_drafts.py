"""/incident draft: the Art. 30 report to the authorities built from the store and rendered as
.docx (opened again with python-docx): what the bot knows filled in, the rest marked blanks."""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from pathlib import Path

import docx
import pytest
from docx.document import Document
from sqlalchemy import func, select

from bot.cli import main
from commands.dispatch import run_command
from commands.documents import BLANK
from commands.errors import UserError
from commands.grammar import Organisation
from commands.replies import DOCX, Reply
from commands.store import Store
from commands.store.models import AuditEntry, IdempotentReply
from tests.commands.conftest import TZ

ORG = Organisation("重庆市某政务云服务有限公司", "李四 023-00000000")


def _file(
    store: Store, line: str, now: datetime, *, lang: str = "zh", org: Organisation = ORG
) -> Reply:
    return run_command(store, "incident", line, user="U1", lang=lang, now=now, tz=TZ, org=org)  # type: ignore[arg-type]


def _entries(store: Store) -> int:
    with store.session() as session:
        return int(session.execute(select(func.count()).select_from(AuditEntry)).scalar_one())


def _facts(document: Document) -> dict[str, str]:
    return {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows[1:]}


def _authorities(document: Document) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in document.tables[1].rows[1:]]


def _opened(reply: Reply) -> Document:
    (attached,) = reply.files
    assert attached.mime == DOCX
    return docx.Document(io.BytesIO(attached.content))


def test_the_draft_fills_what_the_store_knows(store: Store, now: datetime) -> None:
    _file(
        store,
        "勒索病毒加密文件服务器 严重程度=高 发现时间=09:00 受影响系统=文件服务器、OA 措施=断网隔离",
        now,
    )
    _file(store, "reported 1 网信 报告时间=09:40", now)
    _file(store, "reported 1 公安 报告时间=11:20", now + timedelta(hours=2))
    _file(store, "note 1 重置全部管理员口令 时间=09:30", now)
    reply = _file(store, "draft 1", now + timedelta(hours=2))
    assert reply.kind == "incident_draft" and reply.data["incident_id"] == 1
    assert reply.files[0].name == "incident-1-report-draft-20261124-1200.docx"
    facts = _facts(_opened(reply))
    assert facts["报告单位"] == "重庆市某政务云服务有限公司"
    assert facts["联系人及电话"] == "李四 023-00000000"
    assert facts["事件登记编号"] == "#1"
    assert facts["事件发现时间"] == "2026年11月24日 09:00"
    assert facts["严重程度（本单位初步评估）"] == "高"
    assert facts["受影响的系统及范围"] == "文件服务器、OA"
    assert facts["已采取的处置措施及效果"] == "断网隔离"
    assert (
        facts["事件简要经过"]
        == "勒索病毒加密文件服务器\n\n时间线：\n2026-11-24 09:30 重置全部管理员口令"
    )
    for unknown in (
        "事件发生时间",
        "已造成的影响和危害",
        "初步原因分析",
        "下一步工作及需要的支持",
        "报告时间",
    ):
        assert facts[unknown] == BLANK["zh"], unknown
    assert facts["事件类别"].startswith(BLANK["zh"]) and facts["事件级别"].startswith(BLANK["zh"])
    assert _authorities(_opened(reply)) == [
        ["网信部门", "2026年11月24日 09:40", "按时"],
        ["公安部门", "2026年11月24日 11:20", "超时 20 分钟"],
        ["大数据主管部门", "未报告", "已超过报告时限，尚未报告"],
    ]
    assert reply.data["blank_fields"] == [
        "occurred",
        "category",
        "grade",
        "impact",
        "cause",
        "next",
        "submitted",
    ]
    assert "事件发生时间、事件类别" in reply.text


def test_a_draft_in_english_without_the_unit_set_leaves_it_blank(
    store: Store, now: datetime
) -> None:
    _file(store, "Ransomware on the file server", now, lang="en")
    reply = _file(store, "draft 1", now, lang="en", org=Organisation())
    facts = _facts(_opened(reply))
    assert facts["Reporting unit"] == BLANK["en"] and facts["Contact and telephone"] == BLANK["en"]
    assert facts["Affected systems and scope"] == BLANK["en"]
    assert facts["Severity (our preliminary rating)"] == "medium"
    assert "Reporting unit, Contact and telephone, Occurred at" in reply.text


def test_a_draft_of_an_edited_incident_uses_the_corrected_values(
    store: Store, now: datetime
) -> None:
    _file(store, "病毒 发现时间=09:00", now)
    _file(store, "edit 1 发现时间=08:30 措施=已隔离 原因=日志核实", now)
    facts = _facts(_opened(_file(store, "draft 1", now)))
    assert (
        facts["事件发现时间"] == "2026年11月24日 08:30"
        and facts["已采取的处置措施及效果"] == "已隔离"
    )


def test_drafting_writes_nothing_and_an_unknown_incident_is_refused(
    store: Store, now: datetime
) -> None:
    _file(store, "病毒", now)
    before = _entries(store)
    _file(store, "draft 1", now)
    _file(store, "草稿 1", now)
    assert _entries(store) == before
    with pytest.raises(UserError) as raised:
        _file(store, "draft 7", now)
    assert raised.value.field == "incident_id"


def test_a_read_with_an_idempotency_key_keeps_nothing(store: Store, now: datetime) -> None:
    """A draft asked twice with the same key is drafted afresh; its bytes never enter the store."""
    _file(store, "病毒", now)
    first = run_command(
        store, "incident", "draft 1", user="U1", lang="zh", now=now, tz=TZ, idempotency_key="k1"
    )
    later = now + timedelta(minutes=7)
    again = run_command(
        store, "incident", "draft 1", user="U1", lang="zh", now=later, tz=TZ, idempotency_key="k1"
    )
    assert first.files[0].name != again.files[0].name  # generated at each time asked
    with store.session() as session:
        assert session.execute(select(func.count()).select_from(IdempotentReply)).scalar_one() == 0


def test_a_reply_with_a_file_survives_its_json(store: Store, now: datetime) -> None:
    _file(store, "病毒", now)
    reply = _file(store, "draft 1", now)
    assert Reply.from_json(reply.to_json()) == reply


def test_incident_draft_through_the_cli(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ORG_NAME", "重庆市某政务云服务有限公司")
    monkeypatch.chdir(tmp_path)
    assert main(["db", "upgrade"]) == 0
    store = Store.open(db_url)
    _file(store, "勒索病毒 受影响系统=门户网站", datetime.now(TZ) - timedelta(minutes=5))
    store.dispose()
    capsys.readouterr()
    out = tmp_path / "draft.docx"
    assert main(["incident", "draft", "1", "--output", str(out)]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert printed[0] == str(out.resolve()) and "草稿" in printed[1]
    facts = _facts(docx.Document(str(out)))
    assert (
        facts["报告单位"] == "重庆市某政务云服务有限公司"
        and facts["受影响的系统及范围"] == "门户网站"
    )
    assert main(["incident", "draft", "1", "--lang", "en"]) == 0  # default name, here
    written = Path(capsys.readouterr().out.splitlines()[0])
    assert written.parent == tmp_path and written.name.startswith("incident-1-report-draft-")
    assert main(["incident", "draft", "2"]) == 2
    assert "没有编号为 2 的事件" in capsys.readouterr().err


def test_every_reply_carries_plain_json_data(store: Store, now: datetime) -> None:
    """Reads as writes: times as ISO text, never datetime objects, whatever the reply holds."""
    import json

    _file(store, "病毒 受影响系统=门户网站", now)
    _file(store, "note 1 已隔离", now)
    for line in ("history 1", "timeline 1", "draft 1", "list"):
        reply = _file(store, line, now)
        json.dumps(reply.data)  # raises on a datetime
        assert Reply.from_json(reply.to_json()) == reply
