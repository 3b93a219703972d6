"""Filing an incident from a Slack message, and the incident form's typed values, end to end over
real HTTP against the fake Slack."""

from __future__ import annotations

import io
import json
from datetime import datetime
from typing import Any

import docx
from sqlalchemy import select

from bot.services import Services
from commands.store import repo
from commands.store.models import Incident, TimelineEntry
from tests.bot.conftest import SlackClient, view_submission
from tests.bot.fake_slack import FakeSlack, message_shortcut
from tests.commands.conftest import TZ

TS = "1764038400.000100"  # 2025-11-25 02:40:00 UTC, 10:40 in Chongqing


def _submission(
    view: dict[str, Any], values: dict[str, Any], view_id: str, user: str = "UZH"
) -> dict[str, Any]:
    """The view_submission of a form the app opened, with the values the user left in it."""
    metadata = view.get("private_metadata", "")
    return view_submission(
        view["callback_id"], values, view_id, user=user, private_metadata=metadata
    )


def _initial(view: dict[str, Any], block_id: str) -> str | None:
    block = next(b for b in view["blocks"] if b.get("block_id") == block_id)
    return block["element"].get("initial_value")


def _incidents(services: Services) -> list[Incident]:
    with services.store.session() as session:
        return list(session.execute(select(Incident)).scalars())


def _timeline(services: Services) -> list[TimelineEntry]:
    with services.store.session() as session:
        return list(session.execute(select(TimelineEntry)).scalars())


def _open_from_message(
    slack: SlackClient, fake: FakeSlack, text: str, **kwargs: Any
) -> dict[str, Any]:
    before = len(fake.of("views.open"))
    status, _ = slack.interaction(message_shortcut(text=text, ts=TS, **kwargs))
    assert status == 200
    return fake.wait_for("views.open", before + 1)[-1].args["view"]


def _filled(summary: str | None, **more: Any) -> dict[str, Any]:
    return {
        "summary": {"value": summary},
        "severity": {"selected_option": {"value": more.pop("severity", "high")}},
        "discovered": {"value": more.pop("discovered", None)},
        "affected": {"value": more.pop("affected", None)},
        "measures": {"value": more.pop("measures", None)},
    }


def test_the_shortcut_opens_the_incident_form_filled_from_the_message(
    slack: SlackClient, fake: FakeSlack
) -> None:
    view = _open_from_message(slack, fake, "&lt;!channel&gt; OA 被植入木马 &amp; 外联")
    link = fake.wait_for("chat.getPermalink")[0].args
    assert (link["channel"], link["message_ts"]) == ("CGENERAL", TS)
    assert view["callback_id"] == "incident_form"
    # Unescaped once: the store will hold what the author typed, the form shows it as typed.
    assert _initial(view, "summary") == "<!channel> OA 被植入木马 & 外联"
    assert _initial(view, "discovered") == "2025-11-25 10:40"
    assert _initial(view, "affected") is None
    permalink = FakeSlack.permalink("CGENERAL", TS)
    assert f"来源消息：{permalink}" in str(view["blocks"])
    metadata = json.loads(view["private_metadata"])
    assert metadata["source"] == {
        "permalink": permalink,
        "key": f"CGENERAL:{TS}",
        "at": "2025-11-25T10:40:00.000100+08:00",
    }


def test_submitting_it_files_the_incident_with_its_source_in_the_timeline(
    slack: SlackClient, fake: FakeSlack, services: Services
) -> None:
    view = _open_from_message(slack, fake, "门户网站首页被篡改", user="UEN")
    values = _filled(
        "门户网站首页被篡改",
        affected="门户网站 (www)",
        measures="已下线首页；保留日志",
        discovered="2025-11-25 10:40",
    )
    status, body = slack.interaction(_submission(view, values, "VM1", user="UEN"))
    assert status == 200 and "errors" not in body
    (incident,) = _incidents(services)
    assert incident.summary == "门户网站首页被篡改" and incident.severity == "high"
    assert incident.discovered_at.astimezone(TZ) == datetime(2025, 11, 25, 10, 40, tzinfo=TZ)
    assert incident.affected_systems == "门户网站 (www)"
    assert incident.measures_taken == "已下线首页；保留日志"
    (entry,) = _timeline(services)
    assert entry.source == "message" and entry.key == f"CGENERAL:{TS}"
    assert entry.permalink == FakeSlack.permalink("CGENERAL", TS)
    assert entry.incident_id == incident.id and entry.recorded_by == "UEN"
    with services.store.session() as session:
        assert repo.verify_audit(session).ok
    # The DM confirming the filing (the alert and the incident channel's card are posted too).
    fake.wait_until(
        "chat.postMessage",
        lambda c: c.args["channel"] == "UEN" and "Opened security incident #1" in c.args["text"],
    )
    # The report to the authorities carries what the form added.
    draft = services.file("incident", "draft 1", user="UEN", lang="zh")
    document = docx.Document(io.BytesIO(draft.files[0].content))
    facts = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows[1:]}
    assert facts["受影响的系统及范围"] == "门户网站 (www)"
    assert facts["已采取的处置措施及效果"] == "已下线首页；保留日志"
    timeline = services.file("incident", "timeline 1", user="UEN", lang="en")
    assert (
        "[filed from this message]" in timeline.text
        and FakeSlack.permalink("CGENERAL", TS) in timeline.text
    )


def test_the_same_message_is_filed_once(
    slack: SlackClient, fake: FakeSlack, services: Services
) -> None:
    view = _open_from_message(slack, fake, "数据库被拖库")
    slack.interaction(_submission(view, _filled("数据库被拖库"), "VA"))
    again = _open_from_message(slack, fake, "数据库被拖库")
    status, body = slack.interaction(_submission(again, _filled("数据库被拖库"), "VB"))
    assert status == 200
    errors = json.loads(body)["errors"]
    assert "已记入事件 #1 的时间线" in errors["summary"]
    assert len(_incidents(services)) == 1 and len(_timeline(services)) == 1


def test_a_long_message_is_cut_to_a_summary_and_the_form_says_so(
    slack: SlackClient, fake: FakeSlack
) -> None:
    view = _open_from_message(slack, fake, "日志" * 400, user="UEN")
    assert _initial(view, "summary") == "日志" * 250
    summary = next(b for b in view["blocks"] if b.get("block_id") == "summary")
    assert "longer than 500 characters" in summary["hint"]["text"]


def test_without_a_permalink_the_form_still_opens_and_files(
    slack: SlackClient, fake: FakeSlack, services: Services
) -> None:
    fake.fail_next("chat.getPermalink", 200, "channel_not_found")
    view = _open_from_message(slack, fake, "可疑登录")
    assert "来源消息" not in str(view["blocks"])
    assert _initial(view, "discovered") == "2025-11-25 10:40"
    slack.interaction(_submission(view, _filled("可疑登录", discovered="2025-11-25 10:40"), "VP"))
    fake.wait_for("chat.postMessage")
    (entry,) = _timeline(services)
    assert entry.permalink == "" and entry.key == f"CGENERAL:{TS}"


def test_form_values_stay_text_and_bad_ones_show_on_their_field(
    slack: SlackClient, fake: FakeSlack, services: Services
) -> None:
    form = {"callback_id": "incident_form", "private_metadata": ""}
    tricky = 'He said "sev=low" at=09:00 受影响系统=无'
    status, body = slack.interaction(_submission(form, _filled(tricky, severity="medium"), "VT"))
    assert status == 200 and "errors" not in body
    (incident,) = _incidents(services)
    assert (incident.summary, incident.severity, incident.affected_systems) == (
        tricky,
        "medium",
        "",
    )
    status, body = slack.interaction(_submission(form, _filled("x", discovered="昨天下午"), "VD"))
    assert "discovered" in json.loads(body)["errors"]
    status, body = slack.interaction(_submission(form, _filled("x", measures="断" * 501), "VL"))
    assert "measures" in json.loads(body)["errors"]
    status, body = slack.interaction(
        _submission(form, _filled("x", discovered="2099-01-01 00:00"), "VF")
    )
    assert "在将来" in json.loads(body)["errors"]["discovered"]
    assert len(_incidents(services)) == 1
