"""The reminder tick with a moved clock: each reminder posted once, on time, to the alert channel."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.app import build_client
from bot.scheduler import deliver_due, reminder_config
from bot.settings import Settings
from commands.dispatch import run_command
from commands.reminders import due_reminders
from commands.store import Store
from tests.bot.conftest import ALERTS
from tests.bot.fake_slack import FakeSlack

TZ = ZoneInfo("Asia/Shanghai")


def _tick_through(
    store: Store, fake: FakeSlack, settings: Settings, start: datetime, minutes: int
) -> dict[str, datetime]:
    client = build_client(settings)
    posted: dict[str, datetime] = {}
    for minute in range(minutes + 1):
        now = start + timedelta(minutes=minute)
        for key in deliver_due(store, client, now, settings=settings):
            assert key not in posted, f"{key} posted twice"
            posted[key] = now
    return posted


def test_incident_reminders_fire_once_each_at_the_right_minute(
    settings: Settings, fake: FakeSlack
) -> None:
    store = Store.open(settings.resolved_database_url)
    start = datetime(
        2026, 11, 24, 6, 0, tzinfo=TZ
    )  # before the day's inspection and obligation hours
    run_command(store, "incident", "勒索病毒", user="U1", lang="zh", now=start, tz=TZ)
    posted = _tick_through(store, fake, settings, start, 150)
    incident = {k: (v - start).seconds // 60 for k, v in posted.items() if k.startswith("incident")}
    assert incident == {
        "incident:1:+60": 60,
        "incident:1:+90": 90,
        "incident:1:+110": 110,
        "incident:1:+120": 120,
    }
    messages = fake.of("chat.postMessage")
    assert len(messages) == len(posted)
    assert all(m.args["channel"] == ALERTS for m in messages)
    assert "第三十条" in messages[-1].args["text"] and "Art. 30" in messages[-1].args["text"]


def test_a_day_of_reminders_and_a_restart_post_nothing_twice(
    settings: Settings, fake: FakeSlack
) -> None:
    store = Store.open(settings.resolved_database_url)
    run_command(
        store,
        "inspect",
        "ok",
        user="U1",
        lang="zh",
        now=datetime(2026, 11, 20, 9, tzinfo=TZ),
        tz=TZ,
    )
    day = datetime(2026, 11, 23, 8, 0, tzinfo=TZ)
    posted = _tick_through(store, fake, settings, day, 15 * 60)
    assert posted["inspection:2026-11-23:reminder"] == day.replace(hour=10)
    assert posted["inspection:2026-11-23:missed"] == day.replace(hour=22)
    assert posted["obligation:vuln-scan:2026-11-30:7d"] == day.replace(hour=9)
    restarted = Store.open(settings.resolved_database_url)  # a new process: the store remembers
    assert (
        deliver_due(restarted, build_client(settings), day.replace(hour=23), settings=settings)
        == []
    )


def test_a_failed_post_is_retried_on_the_next_tick(settings: Settings, fake: FakeSlack) -> None:
    store = Store.open(settings.resolved_database_url)
    now = datetime(2026, 11, 24, 10, 0, tzinfo=TZ)
    run_command(store, "incident", "病毒 发现时间=08:30", user="U1", lang="zh", now=now, tz=TZ)
    with store.session() as session:
        due = {r.key for r in due_reminders(session, now=now, config=reminder_config(settings))}
    assert len(due) >= 2
    fake.fail_next("chat.postMessage", 200, "channel_not_found")
    first = deliver_due(store, build_client(settings), now, settings=settings)
    assert len(first) == len(due) - 1
    second = deliver_due(
        store, build_client(settings), now + timedelta(minutes=1), settings=settings
    )
    assert len(second) == 1 and set(first) | set(second) == due


def test_no_alert_channel_means_nothing_is_claimed(settings: Settings, fake: FakeSlack) -> None:
    quiet = settings.model_copy(update={"alert_channel": ""})
    store = Store.open(settings.resolved_database_url)
    now = datetime(2026, 11, 24, 10, 0, tzinfo=TZ)
    assert deliver_due(store, build_client(quiet), now, settings=quiet) == []
    assert deliver_due(store, build_client(settings), now, settings=settings)


def test_two_schedulers_sharing_one_database_post_each_reminder_once(
    db_url: str, fake: FakeSlack
) -> None:
    settings = Settings(
        SLACK_BOT_TOKEN="xoxb-x",
        SLACK_API_URL=fake.api_url,
        ALERT_CHANNEL=ALERTS,
        DATABASE_URL=db_url,
    )
    replicas = [Store.open(db_url) for _ in range(2)]
    start = datetime(2026, 11, 24, 8, 0, tzinfo=TZ)
    for i in range(5):
        run_command(replicas[0], "incident", f"事件 {i}", user="U1", lang="zh", now=start, tz=TZ)
    delivered: list[list[str]] = [[], []]

    def run(index: int) -> None:
        client = build_client(settings)
        for minute in range(0, 125, 5):
            delivered[index] += deliver_due(
                replicas[index], client, start + timedelta(minutes=minute), settings=settings
            )

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    everything = delivered[0] + delivered[1]
    assert len(everything) == len(set(everything))
    assert {k for k in everything if k.startswith("incident")} == {
        f"incident:{i}:+{m}" for i in range(1, 6) for m in (60, 90, 110, 120)
    }
    assert len(fake.of("chat.postMessage")) == len(everything)
    for replica in replicas:
        replica.dispose()
