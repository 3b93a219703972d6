"""The console writes a reply's documents (the incident report draft, the monthly report) to
DATA_DIR/documents and prints where; the files open again with python-docx."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import docx
import pytest

from bot.console import Console
from bot.services import Services
from bot.settings import Settings
from commands.store import Store

TZ_NAME = "Asia/Shanghai"


class NoAnswers:
    def answer(self, question: str, lang: str | None = None) -> object:
        raise AssertionError("no question is asked here")


@pytest.fixture
def console(tmp_path: Path) -> Iterator[Console]:
    settings = Settings(
        DATABASE_URL=f"sqlite:///{tmp_path / 'store.sqlite3'}",
        DATA_DIR=tmp_path,
        ORG_NAME="重庆市某政务云服务有限公司",
    )
    store = Store.open(settings.resolved_database_url)
    services = Services(settings=settings, answerer=NoAnswers(), store=store)  # type: ignore[arg-type]
    yield Console(services, lang="zh", user="U1", out=io.StringIO())
    store.dispose()


def _written(output: str) -> list[Path]:
    return [
        Path(line.split("：", 1)[1]) for line in output.splitlines() if line.startswith("已写入：")
    ]


def test_an_incident_draft_is_written_and_its_path_printed(
    console: Console, tmp_path: Path
) -> None:
    console.handle("/incident 勒索病毒 发现时间=00:00 受影响系统=门户网站")
    out = console.handle("/incident draft 1")
    (path,) = _written(out)
    assert path.parent == tmp_path / "documents" and path.suffix == ".docx"
    facts = {
        row.cells[0].text: row.cells[1].text for row in docx.Document(str(path)).tables[0].rows
    }
    assert (
        facts["报告单位"] == "重庆市某政务云服务有限公司"
        and facts["受影响的系统及范围"] == "门户网站"
    )
    assert console.failures == 0


def test_report_writes_markdown_csv_and_docx(console: Console, tmp_path: Path) -> None:
    console.handle("/inspect ok")
    today = datetime.now(ZoneInfo(TZ_NAME))  # the team's clock decides which month is current
    month = f"{today.year:04d}-{today.month:02d}"
    out = console.handle(f"/report {month} en")
    paths = _written(out.replace("Written: ", "已写入："))
    assert [p.name for p in paths] == [f"report-{month}-en.{x}" for x in ("md", "csv", "docx")]
    assert "Security inspections (Art. 23)" in paths[0].read_text(encoding="utf-8")
    assert docx.Document(str(paths[2])).tables
    assert "尚未到来" in console.handle("/report 2999-01") and console.failures == 1
