"""The ack path: a request's response never waits for Slack (auth.test, views.open) or for the
work behind it, and that work runs at a lower CPU priority than the threads that answer requests."""

from __future__ import annotations

import os
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from bot.services import Services
from bot.settings import Settings
from tests.bot.conftest import SlackClient
from tests.bot.fake_slack import FakeSlack, message_shortcut


def _home_button(form: str) -> dict[str, object]:
    return {
        "type": "block_actions",
        "user": {"id": "UEN"},
        "team": {"id": "T1"},
        "trigger_id": f"trig-home-{form}",
        "view": {"id": "VHOME", "type": "home"},
        "actions": [{"action_id": f"home_open:{form}", "block_id": "home_forms", "value": form}],
    }


@pytest.mark.parametrize("opened_by", ["command", "home button", "message shortcut"])
def test_the_ack_leaves_while_views_open_hangs(
    slack: SlackClient, fake: FakeSlack, opened_by: str
) -> None:
    # Listeners run on the request's thread (process_before_response): a views.open made there
    # would hold the ack until Slack answered, and here Slack never answers until released.
    fake.hold("views.open")
    try:
        if opened_by == "command":
            status, _ = slack.command("/inspect", "", trigger_id="trig-held")
        elif opened_by == "home button":
            status, _ = slack.interaction(_home_button("inspect"))
        else:
            status, _ = slack.interaction(message_shortcut(text="网站被篡改"))
        assert status == 200
        # The form was asked for while the ack had already left (recorded, still hanging).
        assert len(fake.wait_for("views.open")) == 1
    finally:
        fake.release("views.open")


def test_a_form_that_slack_refuses_to_open_is_reported_to_the_user(
    slack: SlackClient, fake: FakeSlack
) -> None:
    fake.fail_next("views.open", status=200, error="expired_trigger_id")
    status, _ = slack.command(
        "/incident", "", trigger_id="trig-expired", user="UEN", response_url=fake.response_url()
    )
    assert status == 200
    told = fake.wait_for("response_url")[0].args
    assert told["response_type"] == "ephemeral" and "reference" in told["text"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="per-thread priority is Linux's")
def test_background_work_runs_below_the_request_threads_priority(services: Services) -> None:
    def niceness() -> int:
        return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())

    mine = niceness()
    if mine >= 19:
        pytest.skip("this process already runs at the lowest priority")
    work = services.background.submit(niceness).result()
    assert work > mine
    # The first delivery attempts are submitted from those threads: the same level, not lower.
    from_work = services.background.submit(lambda: services.delivery.submit(niceness).result())
    assert from_work.result() == work
    # Forms, due within the trigger's 3 s, keep the priority of the request threads.
    assert services.interactive.submit(niceness).result() == mine


def test_no_request_waits_for_auth_test(slack: SlackClient, fake: FakeSlack) -> None:
    # Bolt's auth.test is made while the app is built and kept: left to the first requests, each
    # that arrived before it returned called it too and waited for Slack before its ack.
    assert len(fake.of("auth.test")) == 1
    with ThreadPoolExecutor(20) as pool:
        statuses = list(
            pool.map(
                lambda i: slack.command(
                    "/inspect", "status", user=f"U{i}", response_url=fake.response_url(f"r{i}")
                )[0],
                range(20),
            )
        )
    assert statuses == [200] * 20
    assert len(fake.wait_for("response_url", 20)) == 20  # every status was answered
    assert len(fake.of("auth.test")) == 1


def test_serve_waits_again_when_slack_fails_while_the_app_is_built(
    settings: Settings,
    fake: FakeSlack,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    from bot import lifecycle
    from bot.slack_cli import _wait_and_build

    probe, failed = lifecycle.wait_for_slack, []

    def probe_then_fail_the_next_call(*args: object, **kwargs: object) -> object:
        answered = probe(*args, **kwargs)  # type: ignore[arg-type]
        if not failed:  # Slack answers the probe, then fails the app's own auth.test once
            fake.fail_next("auth.test", status=200, error="internal_error")
            failed.append(True)
        return answered

    monkeypatch.setattr(lifecycle, "wait_for_slack", probe_then_fail_the_next_call)
    started = _wait_and_build(settings, threading.Event())
    assert started is not None
    services, app = started
    assert app.client.token == settings.slack_bot_token.get_secret_value()
    assert len(fake.of("auth.test")) == 4  # probe, failed build, probe, build
    assert "waiting for it again" in caplog.text
    services.store.dispose()
