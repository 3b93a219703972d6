"""Events: DMs with files are answered from their text; no bot's message is ever answered."""

from __future__ import annotations

import time
from typing import Any

from bot.listeners.events import from_a_bot
from tests.bot.conftest import SlackClient
from tests.bot.fake_slack import FakeSlack


def _dm(text: str, ts: str, **extra: Any) -> dict[str, Any]:
    return {
        "type": "message",
        "channel_type": "im",
        "user": "UZH",
        "text": text,
        "ts": ts,
        "channel": "D1",
        **extra,
    }


FILE = {"id": "F1", "name": "截图.png", "mimetype": "image/png"}


def test_a_dm_with_a_file_is_answered_from_its_text(slack: SlackClient, fake: FakeSlack) -> None:
    slack.event(_dm("漏洞扫描多久做一次？", "1.1", subtype="file_share", files=[FILE]), "EvF1")
    posted = fake.wait_for("chat.postMessage")[0].args
    assert posted["channel"] == "D1" and "第二十一条" in str(posted["blocks"])


def test_a_file_without_text_gets_asked_for_the_question_as_text(
    slack: SlackClient, fake: FakeSlack
) -> None:
    slack.event(_dm("", "1.2", subtype="file_share", files=[FILE]), "EvF2")
    posted = fake.wait_for("chat.postMessage")[0].args
    assert "附件" in posted["text"] and "blocks" not in posted


def test_no_bot_is_ever_answered_nor_edits_and_joins(slack: SlackClient, fake: FakeSlack) -> None:
    ignored = [
        _dm("How long must network logs be retained?", "2.1", bot_id="BOTHER"),
        _dm("How long must network logs be retained?", "2.2", subtype="bot_message", bot_id="B2"),
        _dm("漏洞扫描多久做一次？", "2.3", user="UBOT"),  # this bot's own user (auth.test)
        _dm("漏洞扫描多久做一次？", "2.4", subtype="message_changed"),
        _dm("漏洞扫描多久做一次？", "2.5", subtype="channel_join"),
        {
            "type": "app_mention",
            "user": "UOTHERBOT",
            "bot_id": "BOTHER",
            "text": "<@UBOT> 漏洞扫描多久做一次？",
            "ts": "2.6",
            "channel": "CGENERAL",
        },
    ]
    for index, event in enumerate(ignored):
        assert slack.event(event, f"EvB{index}")[0] == 200
    slack.event(_dm("漏洞扫描多久做一次？", "2.9"), "EvHuman")
    fake.wait_for("chat.postMessage")
    time.sleep(1)  # let any wrongly accepted event reach the fake before counting
    posts = fake.of("chat.postMessage")
    assert len(posts) == 1 and posts[0].args["channel"] == "D1"


def test_a_dm_in_a_thread_is_still_answered(slack: SlackClient, fake: FakeSlack) -> None:
    slack.event(_dm("漏洞扫描多久做一次？", "3.2", thread_ts="3.1"), "EvT")
    assert "第二十一条" in str(fake.wait_for("chat.postMessage")[0].args["blocks"])


def test_from_a_bot() -> None:
    assert from_a_bot({"bot_id": "B1", "user": "U1"}, "UBOT")
    assert from_a_bot({"subtype": "bot_message"}, "UBOT")
    assert from_a_bot({"user": "UBOT"}, "UBOT")
    assert from_a_bot({"user": "U1", "bot_profile": {"id": "B1"}}, None)
    assert not from_a_bot({"user": "U1"}, "UBOT")
    assert not from_a_bot({"user": "U1"}, None)
