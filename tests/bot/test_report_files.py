"""/report and /incident draft over real HTTP: the documents go to Slack with the external upload
flow (files.getUploadURLExternal, the bytes POSTed to upload_url, files.completeUploadExternal)
and are opened again with python-docx."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import docx
import pytest
from sqlalchemy import select

from bot.app import build_client
from bot.delivery import SlackPost
from bot.services import Services
from bot.settings import Settings
from commands import outbox
from commands.store.models import OutboxMessage
from tests.bot.conftest import SlackClient
from tests.bot.fake_slack import FakeSlack, Upload


def _month(services: Services) -> str:
    return services.now().strftime("%Y-%m")


def _by_suffix(uploads: list[Upload]) -> dict[str, Upload]:
    return {u.filename.rsplit(".", 1)[1]: u for u in uploads}


def _facts(content: bytes) -> dict[str, str]:
    document = docx.Document(io.BytesIO(content))
    return {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows[1:]}


def test_report_posts_markdown_csv_and_docx_where_it_was_asked(
    slack: SlackClient, fake: FakeSlack, services: Services
) -> None:
    slack.command("/incident", "门户网站被篡改 严重程度=高", response_url=fake.response_url("i"))
    fake.reply_to("i")
    month = _month(services)
    slack.command("/report", f"{month} zh", response_url=fake.response_url("r"))
    fake.wait_for("files.completeUploadExternal")
    said = fake.reply_to("r")
    assert said["response_type"] == "ephemeral" and "<#CGENERAL>" in said["text"]

    shared = _by_suffix(fake.shared("CGENERAL"))
    assert set(shared) == {"md", "csv", "docx"}
    assert all(len(u.content) == u.length > 0 for u in shared.values())  # the bytes, uploaded
    assert shared["md"].content.decode("utf-8").startswith("# 政务云平台安全运行月度报告")
    rows = list(csv.reader(io.StringIO(shared["csv"].content.decode("utf-8"))))
    assert any("门户网站被篡改" in cell for row in rows for cell in row)
    word = docx.Document(io.BytesIO(shared["docx"].content))
    cells = [cell.text for t in word.tables for row in t.rows for cell in row.cells]
    assert any("门户网站被篡改" in cell for cell in cells)
    assert "月度安全报告" in shared["docx"].title and month in shared["docx"].title
    # One upload URL per file, the bytes posted to each, then one completion sharing all three.
    assert len(fake.of("files.getUploadURLExternal")) == 3 and len(fake.of("upload")) == 3
    completion = fake.of("files.completeUploadExternal")[0].args
    assert completion["channel_id"] == "CGENERAL" and "<@UZH>" in completion["initial_comment"]


def test_report_defaults_to_last_month_and_answers_in_english(
    slack: SlackClient, fake: FakeSlack, services: Services
) -> None:
    slack.command("/report", "", user="UEN", response_url=fake.response_url("r"))
    fake.wait_for("files.completeUploadExternal")
    first = services.now().replace(day=1)
    last_month = (first - timedelta(days=1)).strftime("%Y-%m")
    shared = _by_suffix(fake.shared("CGENERAL"))
    assert shared["md"].filename == f"report-{last_month}-en.md"
    assert "Files sent to <#CGENERAL>." in fake.reply_to("r")["text"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2999-01", "尚未到来"), ("2026-13", "YYYY-MM"), ("2026-10 2026-11", "格式")],
)
def test_a_bad_month_is_refused_and_nothing_uploaded(
    slack: SlackClient, fake: FakeSlack, text: str, expected: str
) -> None:
    slack.command("/report", text, response_url=fake.response_url("r"))
    said = fake.reply_to("r")
    assert expected in said["text"] and said["response_type"] == "ephemeral"
    assert fake.of("files.getUploadURLExternal") == []


def test_a_channel_the_bot_is_not_in_gets_the_files_in_the_dm_instead(
    slack: SlackClient, fake: FakeSlack, services: Services
) -> None:
    fake.fail_next("files.completeUploadExternal", 200, "not_in_channel")
    slack.command("/report", _month(services), response_url=fake.response_url("r"))
    fake.wait_for("files.completeUploadExternal", 2)
    assert fake.of("conversations.open")[0].args["users"] == "UZH"
    assert {u.filename.rsplit(".", 1)[1] for u in fake.shared("DUZH")} == {"md", "csv", "docx"}
    assert "<#DUZH>" in fake.reply_to("r")["text"]


def test_incident_draft_uploads_the_docx_with_the_incidents_fields(
    slack: SlackClient, fake: FakeSlack, services: Services
) -> None:
    discovered = services.now() - timedelta(minutes=10)
    at = discovered.strftime("%Y-%m-%d %H:%M")
    slack.command(
        "/incident",
        f'勒索病毒加密文件服务器 严重程度=高 发现时间="{at}" 受影响系统=文件服务器 措施=断网隔离',
        response_url=fake.response_url("i"),
    )
    assert "已登记网络安全事件 #1" in fake.reply_to("i")["text"]
    slack.command("/incident", "reported 1 cac", response_url=fake.response_url("c"))
    fake.reply_to("c")
    slack.command("/incident", "draft 1", response_url=fake.response_url("d"))
    fake.wait_for("files.completeUploadExternal")
    (upload,) = fake.shared("CGENERAL")
    assert upload.filename.endswith(".docx") and upload.filename.startswith("incident-1-")
    facts = _facts(upload.content)
    assert "勒索病毒加密文件服务器" in "".join(facts.values())
    assert facts["受影响的系统及范围"] == "文件服务器"
    assert "断网隔离" in "".join(facts.values())
    assert facts["事件发现时间"] == discovered.strftime("%Y年%m月%d日 %H:%M")
    authorities = docx.Document(io.BytesIO(upload.content)).tables[1]
    rows = [[cell.text for cell in row.cells] for row in authorities.rows[1:]]
    assert rows[0][0] == "网信部门" and rows[0][2] == "按时" and "年" in rows[0][1]
    assert [row[1] for row in rows[1:]] == ["未报告", "未报告"]


def test_an_upload_is_an_outbox_message_that_names_the_document_and_is_retried(
    slack: SlackClient, fake: FakeSlack, services: Services, settings: Settings
) -> None:
    fake.fail_next("files.completeUploadExternal", 500, "internal_error")
    slack.command("/report", _month(services), response_url=fake.response_url("r"))
    assert "将自动重试" in fake.reply_to("r")["text"]
    with services.store.session() as session:
        (row,) = session.execute(
            select(OutboxMessage).where(OutboxMessage.kind == "upload")
        ).scalars()
        assert row.channel == "CGENERAL" and row.payload["month"] == _month(services)
        assert "content" not in str(row.payload) and len(str(row.payload)) < 1000  # no bytes
    post = SlackPost(build_client(settings), services.store, settings.tz)
    later = services.now() + timedelta(seconds=6)
    assert [o.status for o in outbox.deliver_pending(services.store, now=later, post=post)] == [
        "sent"
    ]
    assert outbox.deliver_pending(services.store, now=later + timedelta(minutes=5), post=post) == []
    assert len(fake.of("files.completeUploadExternal")) == 2
    assert {u.filename.rsplit(".", 1)[1] for u in fake.shared("CGENERAL")} == {"md", "csv", "docx"}
