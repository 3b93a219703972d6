"""Filings answer in the user's Slack locale, questions in their own language, and a slow
users.info never holds a reply."""

from __future__ import annotations

import itertools
import time

from tests.bot.conftest import SlackClient
from tests.bot.fake_slack import FakeSlack

_names = itertools.count()


def reply(slack: SlackClient, fake: FakeSlack, command: str, text: str, user: str) -> str:
    name = f"lang{next(_names)}"
    slack.command(command, text, user=user, response_url=fake.response_url(name))
    return str(fake.reply_to(name)["text"])


def test_a_chinese_user_typing_the_english_keywords_gets_chinese(
    slack: SlackClient, fake: FakeSlack
) -> None:
    assert "已记录" in reply(slack, fake, "/inspect", "ok", "UZH")
    assert "已登记网络安全事件 #1" in reply(
        slack, fake, "/incident", "Web defacement on the portal sev=high", "UZH"
    )
    assert "网信 ✓" in reply(slack, fake, "/incident", "reported 1 cac", "UZH")
    assert "没有编号为 99 的事件" in reply(slack, fake, "/incident", "reported 99 cac", "UZH")
    assert "Logged the security inspection" in reply(slack, fake, "/inspect", "ok", "UEN")
    assert "Opened security incident #2" in reply(slack, fake, "/incident", "病毒", "UEN")
    assert len(fake.of("users.info")) == 2  # one lookup per user, then the cache


def test_questions_are_answered_in_their_own_language(slack: SlackClient, fake: FakeSlack) -> None:
    assert "2个小时" in reply(slack, fake, "/ask", "出了安全事件多久要上报？", "UEN")
    assert "2 hours" in reply(slack, fake, "/ask", "How fast must we report an incident?", "UZH")


def test_a_hanging_users_info_never_holds_a_filing_reply(
    slack: SlackClient, fake: FakeSlack
) -> None:
    fake.hold("users.info")
    # Slack has not answered users.info (and will not until released): the reply falls back.
    assert "已记录" in reply(slack, fake, "/inspect", "ok", "UEN")
    assert "Opened security incident #1" in reply(
        slack, fake, "/incident", "Web defacement on the portal", "UEN"
    )
    assert len(fake.of("users.info")) == 1  # the second reply did not start a second lookup
    fake.release("users.info")
    deadline = time.monotonic() + 10
    text = ""
    while time.monotonic() < deadline:  # the lookup finishes in the background, filling the cache
        text = reply(slack, fake, "/inspect", "status", "UEN")
        if text.startswith("Today ("):
            break
        time.sleep(0.1)
    assert text.startswith("Today (") and len(fake.of("users.info")) == 1
