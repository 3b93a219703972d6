"""`compliance-bot serve` (Socket Mode or HTTP) and `compliance-bot remind --now …`."""

from __future__ import annotations

import argparse
import logging
import sys
import threading
from datetime import datetime
from typing import TYPE_CHECKING, Any

from bot.settings import Settings

if TYPE_CHECKING:
    from slack_bolt import App

    from bot.services import Services

log = logging.getLogger(__name__)


def register(sub: Any) -> None:
    serve = sub.add_parser(
        "serve", help="run the Slack bot (Socket Mode when SLACK_APP_TOKEN is set)"
    )
    serve.add_argument(
        "--http",
        action="store_true",
        help="HTTP mode: Slack posts to /slack/events (default: Socket Mode when SLACK_APP_TOKEN is set)",
    )
    serve.add_argument("--port", type=port_number, default=3000, help="HTTP port, 1 to 65535")
    serve.add_argument("--host", default="0.0.0.0", help="HTTP address to listen on")
    serve.set_defaults(handler=serve_bot)

    remind = sub.add_parser(
        "remind", help="run one reminder tick at a given time (demos and checks)"
    )
    remind.add_argument("--now", required=True, help='"YYYY-MM-DD HH:MM" in the team time zone')
    remind.set_defaults(handler=remind_once)


def port_number(text: str) -> int:
    """argparse type: a TCP port."""
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port from 1 to 65535")
    return int(text)


def serve_bot(args: argparse.Namespace, settings: Settings) -> int:
    """Wait for Slack, then serve (Socket Mode or HTTP) until SIGTERM or Ctrl-C."""
    from bot.health import Health
    from bot.lifecycle import StartupError, run_until_stopped, stop_on_signals
    from bot.scheduler import Scheduler

    if not settings.slack_bot_token.get_secret_value():
        print(
            "SLACK_BOT_TOKEN is not set; use `compliance-bot console` to run without Slack.",
            file=sys.stderr,
        )
        return 2
    socket_mode = not args.http and bool(settings.slack_app_token.get_secret_value())
    if not socket_mode and not settings.slack_signing_secret.get_secret_value():
        print(
            "HTTP mode needs SLACK_SIGNING_SECRET (or set SLACK_APP_TOKEN for Socket Mode).",
            file=sys.stderr,
        )
        return 2
    stop = threading.Event()
    stop_on_signals(stop)
    try:
        started = _wait_and_build(settings, stop)
    except StartupError as error:
        print(f"compliance-bot: {error}", file=sys.stderr)
        return 2
    if started is None:
        return 0  # stopped before Slack ever answered
    services, app = started
    scheduler = Scheduler(services.store, app.client, settings)
    health = Health(services, scheduler)
    runner = (
        socket_mode_runner(app, settings) if socket_mode else _http(app, settings, args, health)
    )
    try:
        run_until_stopped(runner, scheduler=scheduler, services=services, stop=stop)
    except StartupError as error:
        print(f"compliance-bot: {error}", file=sys.stderr)
        return 2
    return 0


def _wait_and_build(settings: Settings, stop: threading.Event) -> tuple[Services, App] | None:
    """Wait for Slack, then build the services and the app; None if stopped meanwhile.

    Bolt calls auth.test while the app is built (bot.app): should Slack fail right after
    answering the probe, this waits for it again instead of stopping with a traceback.
    """
    from slack_bolt.error import BoltError

    from bot.app import build_app
    from bot.lifecycle import probe_client, startup_warnings, wait_for_slack
    from bot.services import build_services

    services = None
    while wait_for_slack(probe_client(settings), stop=stop, api_url=settings.slack_api_url):
        if services is None:
            for warning in startup_warnings(settings):
                log.warning(warning)
            services = build_services(settings)
        try:
            return services, build_app(settings, services)
        except (BoltError, OSError) as error:  # Slack failed again right after answering
            log.warning("Slack failed while the app was built (%s); waiting for it again", error)
    return None


class SocketModeRunner:
    """The Socket Mode connection as a Runner."""

    def __init__(self, handler: Any) -> None:
        self._handler = handler

    def start(self) -> None:
        from slack_sdk.errors import SlackApiError

        from bot.lifecycle import StartupError

        try:
            self._handler.connect()
        except SlackApiError as error:
            raise StartupError(
                f"Slack refused SLACK_APP_TOKEN ({error.response.get('error')}): create an "
                "app-level token (xapp-…) with connections:write under Basic Information"
            ) from None

    def stop(self) -> None:
        self._handler.close()


def socket_mode_runner(app: Any, settings: Settings) -> SocketModeRunner:
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    log.info("starting in Socket Mode")
    # web_client=app.client: apps.connections.open goes to SLACK_API_URL like every other call.
    return SocketModeRunner(
        SocketModeHandler(app, settings.slack_app_token.get_secret_value(), web_client=app.client)
    )


def _http(app: Any, settings: Settings, args: argparse.Namespace, health: Any) -> Any:
    from bot.http_server import SlackHTTPServer

    server = SlackHTTPServer(
        app,
        signing_secret=settings.slack_signing_secret.get_secret_value(),
        host=args.host,
        port=args.port,
        health=health,
    )
    log.info("listening on %s:%s (/slack/events, /healthz)", args.host, server.port)
    return server


def remind_once(args: argparse.Namespace, settings: Settings) -> int:
    """One tick at --now: to Slack when a token is set, else printed (the terminal is the channel)."""
    from bot.console import TERMINAL, PrintPost
    from bot.scheduler import deliver_due, reminder_config
    from commands import reminders
    from commands.store.presence import open_store

    try:
        now = datetime.strptime(args.now.strip(), "%Y-%m-%d %H:%M").replace(tzinfo=settings.tz)
    except ValueError:
        print('--now must look like "2026-12-01 09:00" (YYYY-MM-DD HH:MM)', file=sys.stderr)
        return 2
    store = open_store(settings.resolved_database_url, data_dir=settings.data_dir)
    try:
        if settings.slack_bot_token.get_secret_value():
            from bot.app import build_client

            for key in deliver_due(store, build_client(settings), now, settings=settings):
                print(f"posted {key}")
            return 0
        printed = PrintPost(store, None)  # both languages, as posted
        config = reminder_config(settings)
        channel = settings.alert_channel or TERMINAL
        # Only the terminal's own messages: Slack's stay queued for the bot (never marked sent here).
        reminders.deliver_due(
            store, now=now, config=config, channel=channel, post=printed, only={TERMINAL}
        )
        for message in printed.lines:
            print(message)
    finally:
        store.dispose()
    return 0
