"""End to end over real HTTP: signed requests in, recorded Web API calls out."""

from __future__ import annotations

import time

from sqlalchemy import func, select

from bot.services import Services
from commands.store.models import FeedbackVote, Incident, IncidentReport, StaffChange
from tests.bot.conftest import ALERTS, SlackClient, view_submission
from tests.bot.fake_slack import FakeSlack


def _count(services: Services, model) -> int:  # type: ignore[no-untyped-def]
    with services.store.session() as session:
        return int(session.execute(select(func.count()).select_from(model)).scalar_one())


def _texts(blocks: list[dict]) -> str:  # type: ignore[type-arg]
    return str(blocks)


def test_ask_answers_privately_with_the_article_and_a_share_button(
    slack: SlackClient, fake: FakeSlack
) -> None:
    status, _ = slack.command(
        "/ask", "出了安全事件多久要上报？", response_url=fake.response_url("ask")
    )
    assert status == 200
    reply = fake.wait_for("response_url")[0].args
    assert reply["response_type"] == "ephemeral"
    assert "2个小时内向网信部门、公安部门、大数据主管部门等报告" in reply["text"]
    blocks = _texts(reply["blocks"])
    assert "第三十条" in blocks and "share_answer" in blocks and "feedback_up" in blocks


def test_an_english_question_gets_an_english_answer_labelled_unofficial(
    slack: SlackClient, fake: FakeSlack
) -> None:
    slack.command(
        "/ask", "How fast must we report an incident?", user="UZH", response_url=fake.response_url()
    )
    reply = fake.wait_for("response_url")[0].args
    assert "2 hours" in reply["text"]
    assert "Unofficial English translation" in _texts(reply["blocks"])


def test_a_new_incident_is_filed_and_alerted_with_one_button_per_authority(
    slack: SlackClient, fake: FakeSlack, services: Services
) -> None:
    slack.command(
        "/incident", "核心数据库遭勒索病毒加密 严重程度=高", response_url=fake.response_url()
    )
    reply = fake.wait_for("response_url")[0].args
    assert "已登记网络安全事件 #1" in reply["text"]
    alert = fake.wait_for("chat.postMessage")[0].args
    assert alert["channel"] == ALERTS
    blocks = _texts(alert["blocks"])
    assert "第三十条" in blocks and blocks.count("incident_reported") == 3
    assert _count(services, Incident) == 1


def test_report_buttons_update_the_alert_and_a_double_click_files_once(
    slack: SlackClient, fake: FakeSlack, services: Services
) -> None:
    slack.command("/incident", "网页被篡改", response_url=fake.response_url())
    alert = fake.wait_for("chat.postMessage")[0]
    ts = "1700000001.000100"
    click = {
        "type": "block_actions",
        "user": {"id": "UZH"},
        "team": {"id": "T1"},
        "trigger_id": "t",
        "container": {"type": "message", "message_ts": ts, "channel_id": ALERTS},
        "channel": {"id": ALERTS},
        "message": {"ts": ts},
        "response_url": fake.response_url("btn"),
        "actions": [
            {
                "action_id": "incident_reported",
                "block_id": "incident_1",
                "value": "1:cac",
                "action_ts": "1",
            }
        ],
    }
    assert slack.interaction(click)[0] == 200
    assert slack.interaction(click)[0] == 200  # the same button clicked twice
    # The second click replays the first's reply, and with it the same outbox row: one update.
    updates = fake.wait_for("chat.update", 1)
    assert updates[0].args["channel"] == ALERTS
    assert _texts(updates[-1].args["blocks"]).count("incident_reported") == 2
    assert _count(services, IncidentReport) == 1
    assert alert.args["channel"] == ALERTS


def test_commands_without_text_open_a_form(slack: SlackClient, fake: FakeSlack) -> None:
    for command in ("/inspect", "/staff-change", "/incident"):
        slack.command(command, "", trigger_id=f"trigger-{command}")
    opened = fake.wait_for("views.open", 3)
    assert sorted(c.args["view"]["callback_id"] for c in opened) == [
        "incident_form",
        "inspect_form",
        "staff_change_form",
    ]
    assert {c.args["trigger_id"] for c in opened} == {
        "trigger-/inspect",
        "trigger-/staff-change",
        "trigger-/incident",
    }


def test_an_invalid_form_shows_inline_errors_and_stores_nothing(
    slack: SlackClient, services: Services
) -> None:
    past = {
        "kind": {"selected_option": {"value": "leave"}},
        "name": {"value": "张三"},
        "role": {"value": "安全运维"},
        "effective": {"selected_date": "2020-01-01"},
    }
    status, body = slack.interaction(view_submission("staff_change_form", past))
    assert status == 200
    assert '"response_action": "errors"' in body or '"response_action":"errors"' in body
    assert "effective" in body
    issue = {"status": {"selected_option": {"value": "issue"}}, "notes": {"value": None}}
    status, body = slack.interaction(view_submission("inspect_form", issue, view_id="V2"))
    assert "errors" in body and "notes" in body
    assert _count(services, StaffChange) == 0


def test_a_valid_form_is_filed_once_even_if_submitted_twice(
    slack: SlackClient, fake: FakeSlack, services: Services
) -> None:
    values = {
        "summary": {"value": "DDoS on the portal"},
        "severity": {"selected_option": {"value": "high"}},
        "discovered": {"value": None},
    }
    for _ in range(2):
        status, _ = slack.interaction(
            view_submission("incident_form", values, view_id="V9", user="UEN")
        )
        assert status == 200
    posts = fake.wait_for("chat.postMessage", 3)  # the alert, once, and a DM per submission
    dms = [p.args for p in posts if p.args["channel"] == "UEN"]
    assert len(posts) == 3 and len(dms) == 2
    assert all("Opened security incident #1" in dm["text"] for dm in dms)
    assert "Alert posted to <#CALERT>" in dms[0]["text"]
    assert _count(services, Incident) == 1


def test_a_mention_is_answered_in_its_thread_once_despite_retries(
    slack: SlackClient, fake: FakeSlack
) -> None:
    event = {
        "type": "app_mention",
        "user": "UZH",
        "text": "<@UBOT> 漏洞扫描多久做一次？",
        "ts": "1700000000.000200",
        "channel": "CGENERAL",
    }
    assert slack.event(event, "Ev1")[0] == 200
    assert (
        slack.event(
            event, "Ev1", headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
        )[0]
        == 200
    )
    posted = fake.wait_for("chat.postMessage")
    time.sleep(0.5)
    assert len(fake.of("chat.postMessage")) == 1
    assert posted[0].args["thread_ts"] == "1700000000.000200"
    assert "第二十一条" in _texts(posted[0].args["blocks"])


def test_a_direct_message_is_answered_in_the_dm(slack: SlackClient, fake: FakeSlack) -> None:
    event = {
        "type": "message",
        "channel_type": "im",
        "user": "UEN",
        "text": "How long must network logs be retained?",
        "ts": "1700000000.000300",
        "channel": "D1",
    }
    slack.event(event, "Ev2")
    posted = fake.wait_for("chat.postMessage")[0].args
    assert posted["channel"] == "D1" and "thread_ts" not in posted
    assert "6 months" in posted["text"]


def test_bad_signatures_and_stale_timestamps_are_rejected_and_store_nothing(
    slack: SlackClient, fake: FakeSlack, services: Services
) -> None:
    assert slack.command("/incident", "伪造的事件", secret="wrong-secret")[0] == 401
    assert slack.command("/incident", "过期的事件", timestamp=int(time.time()) - 6 * 60)[0] == 401
    time.sleep(0.3)
    assert _count(services, Incident) == 0
    assert fake.calls == [] or all(c.method in ("auth.test",) for c in fake.calls)


def test_a_user_error_comes_back_privately_in_the_users_language(
    slack: SlackClient, fake: FakeSlack
) -> None:
    slack.command("/incident", "reported 99 cac", user="UEN", response_url=fake.response_url("err"))
    reply = fake.wait_for("response_url")[0].args
    assert reply["response_type"] == "ephemeral"
    assert "There is no incident #99" in reply["text"]


def test_an_unexpected_error_shows_a_reference_id_that_is_logged(
    slack: SlackClient, fake: FakeSlack, services: Services, caplog, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    def broken(*_: object, **__: object) -> None:
        raise RuntimeError("index unavailable")

    monkeypatch.setattr(
        services.answerer, "answer", broken
    )  # the answerer is shared: restore it after
    slack.command("/ask", "出了安全事件多久要上报？", response_url=fake.response_url("boom"))
    reply = fake.wait_for("response_url")[0].args
    assert "参考编号" in reply["text"]
    reference = reply["text"].split("参考编号 ")[1].rstrip("）。")
    deadline = time.monotonic() + 5
    while reference not in caplog.text and time.monotonic() < deadline:
        time.sleep(0.05)
    assert reference in caplog.text


def test_rate_limited_posts_are_retried_after_retry_after(
    slack: SlackClient, fake: FakeSlack
) -> None:
    fake.fail_next("chat.postMessage", 429)
    slack.command("/incident", "暴力破解告警", response_url=fake.response_url())
    posts = fake.wait_for("chat.postMessage", 2, timeout=20)
    assert posts[-1].args["channel"] == ALERTS


def test_feedback_is_stored_once_per_user_and_answer(
    slack: SlackClient, fake: FakeSlack, services: Services
) -> None:
    vote = {
        "type": "block_actions",
        "user": {"id": "UZH"},
        "team": {"id": "T1"},
        "trigger_id": "t",
        "container": {"type": "message", "message_ts": "1700000000.9"},
        "channel": {"id": "CGENERAL"},
        "response_url": fake.response_url("vote"),
        "actions": [
            {
                "action_id": "feedback_up",
                "block_id": "answer_actions",
                "value": '{"q": "漏洞扫描多久做一次？", "a": [21]}',
                "action_ts": "1",
            }
        ],
    }
    slack.interaction(vote)
    slack.interaction(vote)
    fake.wait_for("response_url", 2)
    assert _count(services, FeedbackVote) == 1


def test_healthz(slack: SlackClient) -> None:
    import urllib.request

    with urllib.request.urlopen(slack.url + "/healthz", timeout=5) as response:
        assert response.status == 200 and b'"ok": true' in response.read()
