"""The Home tab: the dashboard read from a real store, its blocks, the debounced refresher, and
the whole path over real HTTP against the fake Slack."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bot.home import home_view
from bot.home_refresh import HomeRefresher
from bot.services import Services
from bot.settings import Settings
from commands.dispatch import run_command
from commands.home import read_dashboard
from commands.store import Store, repo
from tests.bot.conftest import SlackClient
from tests.bot.fake_slack import FakeSlack
from tests.commands.conftest import TZ

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=TZ)


@pytest.fixture
def filled(tmp_path: Path) -> Iterator[Store]:
    store = Store.open(f"sqlite:///{tmp_path / 'home.sqlite3'}")
    early = NOW - timedelta(days=3)

    def file(command: str, text: str, at: datetime = NOW) -> None:
        run_command(store, command, text, user="U1", lang="zh", now=at, tz=TZ)

    file("inspect", "ok", early)  # the store's first day: the days since are missed
    file("incident", "<!channel> 门户网站被篡改 严重程度=高 发现时间=2026-11-24 09:10")
    file("incident", "数据库异常登录 发现时间=2026-11-24 07:00")
    file("incident", "reported 1 police")
    file("staff-change", "leave 李四<@U9> 运维 2026-12-10")
    yield store
    store.dispose()


def _text(view: dict) -> str:  # type: ignore[type-arg]
    return str(view["blocks"])


def test_the_dashboard_holds_each_section_as_of_now(filled: Store) -> None:
    dashboard = read_dashboard(filled, now=NOW, tz=TZ)
    first, second = dashboard.incidents
    assert first.summary == "<!channel> 门户网站被篡改" and first.pending == ("cac", "bigdata")
    assert first.time_left(NOW) == timedelta(minutes=70)
    assert second.time_left(NOW) == -timedelta(hours=1)
    assert dashboard.inspection.inspection_id is None  # none today
    assert len(dashboard.inspection.missed) == 2  # the two days between
    assert [n.name for n in dashboard.notices] == ["李四<@U9>"]
    assert dashboard.notices[0].overdue and dashboard.notices[0].to_notify == ("bigdata", "tenants")
    assert not any(d.key.startswith(("incident:", "staff:")) for d in dashboard.deadlines)
    assert all(d.due <= NOW.date() + timedelta(days=30) for d in dashboard.deadlines)


def test_the_home_view_in_chinese_escapes_what_was_typed(filled: Store) -> None:
    view = home_view(read_dashboard(filled, now=NOW, tz=TZ), lang="zh", tz=TZ)
    text = _text(view)
    assert view["type"] == "home"
    assert "&lt;!channel&gt; 门户网站被篡改" in text and "<!channel>" not in text
    assert "李四&lt;@U9&gt;" in text and "<@U9>" not in text
    assert "剩余 1 小时 10 分" in text and "已超时 1 小时 0 分" in text
    assert "✅ 公安 10:00" in text and "⬜ 网信" in text
    assert "第三十条" in text and "第二十三条" in text and "第十九条" in text
    # One button per authority still to report, on each open incident.
    assert text.count("'incident_reported'") == 2 + 3
    forms = next(b for b in view["blocks"] if b.get("block_id") == "home_forms")
    assert [e["action_id"] for e in forms["elements"]] == [
        "home_open:incident",
        "home_open:inspect",
        "home_open:staff-change",
        "home_open:deadlines-done",
    ]


def test_the_home_view_in_english(filled: Store) -> None:
    text = _text(home_view(read_dashboard(filled, now=NOW, tz=TZ), lang="en", tz=TZ))
    assert "Open security incidents" in text and "1 h 10 min left" in text
    assert "1 h 0 min overdue" in text and "Art. 30" in text
    assert "Not logged yet for 2026-11-24" in text and "still to tell" in text
    assert "门户网站被篡改" in text  # what was typed stays as typed


def test_an_empty_store_shows_every_section_empty(tmp_path: Path) -> None:
    store = Store.open(f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    try:
        text = _text(home_view(read_dashboard(store, now=NOW, tz=TZ), lang="zh", tz=TZ))
    finally:
        store.dispose()
    assert text.count("无。") >= 2 and "尚未记录" in text


# The refresher, with timers fired by hand and a clock moved by hand.


class FakeTimers:
    def __init__(self) -> None:
        self.pending: list[tuple[float, Callable[[], None]]] = []

    def __call__(self, delay: float, fire: Callable[[], None]) -> FakeTimers.Timer:
        timers = self

        class Timer:
            def start(self) -> None:
                timers.pending.append((delay, fire))

            def cancel(self) -> None:
                timers.pending = [p for p in timers.pending if p[1] is not fire]

        return Timer()

    def fire_all(self) -> None:
        pending, self.pending = self.pending, []
        for _, fire in pending:
            fire()


class Clock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def test_opening_home_publishes_at_once_and_a_burst_of_changes_publishes_once() -> None:
    published: list[str] = []
    timers, clock = FakeTimers(), Clock()
    refresher = HomeRefresher(published.append, delay_s=2.0, timer=timers, clock=clock)
    refresher.opened("U1")
    assert [delay for delay, _ in timers.pending] == [0.0]
    timers.fire_all()
    assert published == ["U1"]
    for _ in range(10):
        refresher.changed()
    assert [delay for delay, _ in timers.pending] == [2.0]  # ten changes, one publish scheduled
    timers.fire_all()
    assert published == ["U1", "U1"]


def test_a_change_during_a_publish_gives_exactly_one_more_after_it() -> None:
    timers, clock = FakeTimers(), Clock()
    published: list[str] = []
    refresher: HomeRefresher

    def publish(user: str) -> None:
        published.append(user)
        if len(published) == 1:
            refresher.changed()  # a filing lands while this publish is in flight
            refresher.changed()
            assert timers.pending == []  # nothing runs beside the publish in flight

    refresher = HomeRefresher(publish, delay_s=2.0, timer=timers, clock=clock)
    refresher.opened("U1")
    timers.fire_all()
    assert len(timers.pending) == 1
    timers.fire_all()
    assert published == ["U1", "U1"] and timers.pending == []


def test_users_who_opened_home_long_ago_are_not_refreshed() -> None:
    timers, clock = FakeTimers(), Clock()
    published: list[str] = []
    refresher = HomeRefresher(
        published.append, delay_s=1.0, active_for_s=3600, timer=timers, clock=clock
    )
    refresher.opened("UOLD")
    timers.fire_all()
    clock.t += 3000
    refresher.opened("UNEW")
    timers.fire_all()
    clock.t += 1000  # UOLD opened 4000 s ago, UNEW 1000 s ago
    refresher.changed()
    timers.fire_all()
    assert published == ["UOLD", "UNEW", "UNEW"]
    assert refresher.watching() == ["UNEW"]


def test_a_failed_publish_does_not_stop_the_next_one() -> None:
    timers, clock = FakeTimers(), Clock()
    calls: list[str] = []

    def publish(user: str) -> None:
        calls.append(user)
        if len(calls) == 1:
            raise ConnectionError("slack down")

    refresher = HomeRefresher(publish, timer=timers, clock=clock)
    refresher.opened("U1")
    timers.fire_all()
    refresher.changed()
    timers.fire_all()
    assert calls == ["U1", "U1"]


def test_at_most_one_publish_per_user_is_in_flight_with_real_threads() -> None:
    gate, inside, most = threading.Event(), [0], [0]
    lock = threading.Lock()
    done = threading.Semaphore(0)

    def publish(user: str) -> None:
        with lock:
            inside[0] += 1
            most[0] = max(most[0], inside[0])
        gate.wait(5)
        with lock:
            inside[0] -= 1
        done.release()

    refresher = HomeRefresher(publish, delay_s=0.0)
    refresher.opened("U1")
    for _ in range(20):
        refresher.changed()
    gate.set()
    assert done.acquire(timeout=5) and done.acquire(timeout=5)  # the first, and one after
    refresher.close()
    assert most[0] == 1


# End to end: the event in, views.publish out; a filing republishes; the buttons open forms.


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The shared settings with no debounce, so a republish follows a filing at once."""
    return settings.model_copy(update={"home_refresh_s": 0.0})


def _home_event(user: str, tab: str = "home") -> dict:  # type: ignore[type-arg]
    return {"type": "app_home_opened", "user": user, "channel": "D1", "tab": tab}


def test_opening_home_publishes_the_dashboard_in_the_users_language(
    slack: SlackClient, fake: FakeSlack, services: Services
) -> None:
    slack.command("/incident", "勒索病毒 <b>&", response_url=fake.response_url("i"))
    fake.reply_to("i")
    slack.event(_home_event("UEN"), "Ev1")
    published = fake.wait_for("views.publish")[0].args
    assert published["user_id"] == "UEN"
    view = published["view"]
    assert view["type"] == "home" and "Compliance dashboard" in str(view)
    assert "勒索病毒 &lt;b&gt;&amp;" in str(view) and "left)" in str(view)


def test_the_messages_tab_is_left_alone(slack: SlackClient, fake: FakeSlack) -> None:
    slack.event(_home_event("UZH", tab="messages"), "Ev2")
    slack.event(_home_event("UZH"), "Ev3")
    assert len(fake.wait_for("views.publish")) == 1


def test_a_filing_republishes_an_open_home_tab(
    slack: SlackClient, fake: FakeSlack, services: Services
) -> None:
    slack.event(_home_event("UZH"), "Ev4")
    first = fake.wait_for("views.publish")[0].args["view"]
    assert "未关闭的网络安全事件" in str(first) and "网页被挂马" not in str(first)
    slack.command("/incident", "网页被挂马", response_url=fake.response_url("i"))
    fake.reply_to("i")
    republished = fake.wait_for("views.publish", 2)[-1].args
    assert republished["user_id"] == "UZH" and "网页被挂马" in str(republished["view"])
    # A read does not republish; the next write does, once.
    slack.command("/deadlines", "", response_url=fake.response_url("d"))
    fake.reply_to("d")
    slack.command("/inspect", "ok", response_url=fake.response_url("k"))
    fake.reply_to("k")
    assert "已巡检 #1" in str(fake.wait_for("views.publish", 3)[-1].args["view"])
    assert len(fake.of("views.publish")) == 3


def test_home_buttons_open_the_filing_forms(slack: SlackClient, fake: FakeSlack) -> None:
    forms = (("incident", "incident_form"), ("staff-change", "staff_change_form"))
    for count, (form, callback) in enumerate(forms, start=1):
        slack.interaction(
            {
                "type": "block_actions",
                "user": {"id": "UEN"},
                "team": {"id": "T1"},
                "trigger_id": f"trig-{form}",
                "view": {"id": "VHOME", "type": "home"},
                "actions": [
                    {
                        "action_id": f"home_open:{form}",
                        "block_id": "home_forms",
                        "value": form,
                        "type": "button",
                    }
                ],
            }
        )
        opened = fake.wait_for("views.open", count)[-1].args
        assert opened["trigger_id"] == f"trig-{form}"
        assert opened["view"]["callback_id"] == callback
        assert opened["view"]["submit"]["text"] == "Submit"


def test_a_reported_button_on_home_files_the_report_and_refreshes_home(
    slack: SlackClient, fake: FakeSlack, services: Services
) -> None:
    slack.command("/incident", "主机被挖矿", response_url=fake.response_url("i"))
    fake.reply_to("i")
    slack.event(_home_event("UZH"), "Ev5")
    fake.wait_for("views.publish")
    slack.interaction(
        {
            "type": "block_actions",
            "user": {"id": "UZH"},
            "team": {"id": "T1"},
            "trigger_id": "trig-r",
            "container": {"type": "view", "view_id": "VHOME"},
            "view": {"id": "VHOME", "type": "home"},
            "actions": [
                {"action_id": "incident_reported", "block_id": "home_incident_1", "value": "1:cac"}
            ],
        }
    )
    view = str(fake.wait_for("views.publish", 2)[-1].args["view"])
    assert "✅ 网信" in view and view.count("'incident_reported'") == 2
    with services.store.session() as session:
        assert set(repo.incident_reports(session, incident_id=1)) == {"cac"}
