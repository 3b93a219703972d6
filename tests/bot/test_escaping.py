"""Nothing a user types can ping anyone or disguise a link, and the store holds what was typed.

Slack encodes &, < and > in slash-command and message text; forms and buttons deliver them raw.
Every test sends text the way Slack would, then reads what the bot sent back as Slack would
render it: any `<!…>`, `<@…>`, `<#…>` or `<http…>` left in a mrkdwn string is a forged mention
or link.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from bot.app import build_client
from bot.blocks import alert_fallback, answer_blocks, incident_alert_blocks, reply_blocks
from bot.mrkdwn import escape, unescape
from bot.scheduler import deliver_due
from bot.services import Services
from bot.settings import Settings
from commands.replies import Reply
from commands.store.models import Incident, StaffChange
from knowledge.types import Answer
from tests.bot.conftest import ALERTS, SlackClient
from tests.bot.fake_slack import FakeSlack

# Each special sequence Slack parses in mrkdwn, and a literal entity the user really typed.
SPECIAL = (
    "<!channel>",
    "<!here>",
    "<!everyone>",
    "<!subteam^S0123ABC|@security>",
    "<@U0BOSS>",
    "<#C0GENERAL|general>",
    "<https://evil.example|click here>",
    "<mailto:ceo@example.com|CEO>",
)
TYPED = " ".join(SPECIAL) + " R&D &amp; co > 5"
TZ = ZoneInfo("Asia/Shanghai")
OURS = (f"<#{ALERTS}>",)  # the bot's own link to the alert channel, in "alert posted to …"
_PARSED = re.compile(r"<[!@#]|<[a-z]+:")


def slack_encoded(typed: str) -> str:
    """Slash-command and message text as Slack delivers it."""
    return escape(typed)


def mrkdwn_strings(payload: Any) -> list[str]:
    """Every string Slack would parse as mrkdwn: a message's `text` and mrkdwn text objects."""
    found: list[str] = []

    def walk(node: Any, parsed: bool) -> None:
        if isinstance(node, dict):
            is_mrkdwn = node.get("type") == "mrkdwn"
            for key, value in node.items():
                if key == "text" and isinstance(value, str):
                    if is_mrkdwn or parsed:
                        found.append(value)
                else:
                    walk(value, False)
        elif isinstance(node, list):
            for item in node:
                walk(item, False)

    if isinstance(payload.get("text"), str):
        found.append(payload["text"])
    walk(payload.get("blocks") or [], False)
    return found


def forged(payload: dict[str, Any], allowed: tuple[str, ...] = ()) -> list[str]:
    """The mentions and links Slack would render from this message, minus the intended ones."""
    hits = []
    for text in mrkdwn_strings(payload):
        for intended in allowed:
            text = text.replace(intended, "")
        hits += [text[m.start() : m.start() + 30] for m in _PARSED.finditer(text)]
    return hits


# --- the helper itself ---------------------------------------------------------------------


@given(st.text())
def test_unescape_inverts_escape_for_any_text(text: str) -> None:
    assert unescape(escape(text)) == text
    assert "<" not in escape(text) and ">" not in escape(text)


def test_unescape_crosses_exactly_once() -> None:
    # The user literally typed "&lt;" and "&amp;": Slack sends "&amp;lt;" and "&amp;amp;".
    assert unescape("&amp;lt; &amp;amp; &lt;!here&gt;") == "&lt; &amp; <!here>"


@given(st.text(min_size=1))
def test_alerts_and_answers_render_no_mention_whatever_the_text(text: str) -> None:
    data = {
        "id": 7,
        "summary": text + " " + TYPED,
        "severity": "high",
        "deadline": "2026-11-24T10:30:00+08:00",
        "reports": {},
    }
    alert = {"text": alert_fallback(data), "blocks": incident_alert_blocks(data, TZ)}
    assert forged(alert) == []
    answer = Answer(question=text, language="zh", text=text + TYPED, citations=())
    assert (
        forged({"text": escape(answer.text), "blocks": answer_blocks(answer, shareable=True)}) == []
    )


@pytest.mark.parametrize("sequence", SPECIAL)
def test_each_special_sequence_is_shown_as_text_in_every_builder(sequence: str) -> None:
    data = {
        "id": 3,
        "summary": f"数据库 {sequence} 被加密",
        "severity": "low",
        "deadline": "2026-11-24T10:30:00+08:00",
        "reports": {"cac": None, "police": None, "bigdata": None},
    }
    alert = {"text": alert_fallback(data), "blocks": incident_alert_blocks(data, TZ)}
    answer = Answer(question=sequence, language="en", text=f"See {sequence}", citations=())
    shown = [
        alert,
        {"text": escape(answer.text), "blocks": answer_blocks(answer, shareable=True)},
        {"blocks": reply_blocks(Reply(f"Filed: {sequence}", "en", "incident"))},
    ]
    for message in shown:
        assert forged(message) == [], message
    assert escape(sequence) in alert["text"]
    assert sequence.startswith("<") and escape(sequence).startswith("&lt;")


def test_a_filing_reply_is_plain_text_shown_as_typed() -> None:
    blocks = reply_blocks(Reply(f"已登记：{TYPED}", "zh", "incident", articles=(30,)))
    assert blocks[0]["text"] == {"type": "plain_text", "text": f"已登记：{TYPED}"}
    assert forged({"blocks": blocks}) == []


# --- the round trip over HTTP ----------------------------------------------------------------


def test_slash_command_text_is_stored_as_typed_and_never_pings_in_reply_alert_or_reminder(
    slack: SlackClient, fake: FakeSlack, services: Services, settings: Settings
) -> None:
    slack.command("/incident", slack_encoded(TYPED), response_url=fake.response_url("inc"))
    reply = fake.wait_for("response_url")[0].args
    alert = fake.wait_for("chat.postMessage")[0].args
    with services.store.session() as session:
        stored = session.execute(select(Incident)).scalar_one()
    assert stored.summary == TYPED  # unescaped exactly once: "&amp;" stays as the user typed it
    assert forged(reply, OURS) == [] and forged(alert) == []
    assert TYPED in str(reply["blocks"])  # plain_text: shown exactly as typed
    assert escape(TYPED) in alert_fallback({"id": 1, "summary": TYPED}) == alert["text"]
    assert alert["channel"] == ALERTS

    later = stored.discovered_at + timedelta(minutes=61)
    assert deliver_due(services.store, build_client(settings), later, settings=settings)
    reminders = fake.of("chat.postMessage")[1:]
    assert reminders and all(forged(r.args) == [] for r in reminders)
    assert escape(TYPED) in reminders[0].args["text"]


def test_staff_names_are_stored_as_typed_and_escaped_in_the_team_alert(
    slack: SlackClient, fake: FakeSlack, services: Services
) -> None:
    name, role = "<!channel> Zhang", "<https://evil.example|ops> & security"
    slack.command(
        "/staff-change",
        slack_encoded(f'leave "{name}" "{role}" 2099-01-01'),
        response_url=fake.response_url("staff"),
    )
    notice = fake.wait_for("chat.postMessage")[0].args
    with services.store.session() as session:
        change = session.execute(select(StaffChange)).scalar_one()
    assert (change.name, change.role) == (name, role)
    assert forged(notice) == [] and escape(name) in notice["text"]
    assert forged(fake.wait_for("response_url")[0].args, OURS) == []


def test_form_values_arrive_raw_and_are_not_unescaped_again(
    slack: SlackClient, fake: FakeSlack, services: Services
) -> None:
    summary = "<!here> literal &lt; and &amp; as typed"
    submission = {
        "type": "view_submission",
        "user": {"id": "UZH"},
        "team": {"id": "T1"},
        "trigger_id": "t",
        "view": {
            "id": "VFORM",
            "type": "modal",
            "callback_id": "incident_form",
            "private_metadata": "",
            "state": {
                "values": {
                    "summary": {"value": {"value": summary}},
                    "severity": {"value": {"selected_option": {"value": "low"}}},
                    "discovered": {"value": {"value": None}},
                }
            },
        },
    }
    assert slack.interaction(submission)[0] == 200
    posts = fake.wait_for("chat.postMessage", 2)  # the filer's DM and the team alert
    with services.store.session() as session:
        assert session.execute(select(Incident.summary)).scalar_one() == summary
    assert all(forged(p.args, OURS) == [] for p in posts)


def test_a_user_error_echoing_the_input_is_escaped(slack: SlackClient, fake: FakeSlack) -> None:
    slack.command(
        "/incident", slack_encoded("病毒 严重程度=<!channel>"), response_url=fake.response_url()
    )
    error = fake.wait_for("response_url")[0].args
    assert "严重程度" in error["text"] and forged(error) == []
    assert "&lt;!channel&gt;" in error["text"]


def test_a_shared_answer_mentions_only_the_sharer(slack: SlackClient, fake: FakeSlack) -> None:
    question = "<!channel> <@U0BOSS> 出了安全事件多久要上报？"
    share = {
        "type": "block_actions",
        "user": {"id": "UZH"},
        "team": {"id": "T1"},
        "trigger_id": "t",
        "container": {"type": "message", "message_ts": "1700000000.5", "channel_id": "CGENERAL"},
        "channel": {"id": "CGENERAL"},
        "response_url": fake.response_url("share"),
        "actions": [
            {
                "action_id": "share_answer",
                "block_id": "answer_actions",
                "value": question,  # button values come back exactly as the bot set them
                "action_ts": "1",
            }
        ],
    }
    slack.interaction(share)
    posted = fake.wait_for("chat.postMessage")[0].args
    assert posted["text"].startswith("<@UZH>: ")
    assert forged(posted, allowed=("<@UZH>",)) == []
    assert "第三十条" in str(posted["blocks"])


def test_a_mention_is_unescaped_once_and_answered_without_echoing_markup(
    slack: SlackClient, fake: FakeSlack
) -> None:
    event = {
        "type": "app_mention",
        "user": "UZH",
        "text": "<@UBOT> " + slack_encoded("<!here> 出了安全事件多久要上报？"),
        "ts": "1700000000.000400",
        "channel": "CGENERAL",
    }
    slack.event(event, "EvEsc")
    posted = fake.wait_for("chat.postMessage")[0].args
    assert forged(posted) == [] and "第三十条" in str(posted["blocks"])
