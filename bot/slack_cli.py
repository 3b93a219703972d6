"""`compliance-bot serve` (Socket Mode or HTTP) and `compliance-bot remind --now …`."""

from __future__ import annotations

import argparse
import logging
import sys
from datetime import datetime
from typing import Any

from bot.settings import Settings

log = logging.getLogger(__name__)


def register(sub: Any) -> None:
    serve = sub.add_parser(
        "serve", help="run the Slack bot (Socket Mode when SLACK_APP_TOKEN is set)"
    )
    serve.add_argument(
        "--http", action="store_true", help="HTTP mode: Slack posts to /slack/events"
    )
    serve.add_argument("--port", type=int, default=3000)
    serve.add_argument("--host", default="0.0.0.0")
    serve.set_defaults(handler=serve_bot)

    remind = sub.add_parser(
        "remind", help="run one reminder tick at a given time (demos and checks)"
    )
    remind.add_argument("--now", required=True, help='"YYYY-MM-DD HH:MM" in the team time zone')
    remind.set_defaults(handler=remind_once)


def serve_bot(args: argparse.Namespace, settings: Settings) -> int:
    from bot.app import build_app
    from bot.scheduler import Scheduler
    from bot.services import build_services

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
    services = build_services(settings)
    app = build_app(settings, services)
    scheduler = Scheduler(services.store, app.client, settings)
    scheduler.start()
    try:
        if socket_mode:
            from slack_bolt.adapter.socket_mode import SocketModeHandler

            log.info("starting in Socket Mode")
            # web_client=app.client: apps.connections.open goes to SLACK_API_URL like every other call.
            SocketModeHandler(
                app, settings.slack_app_token.get_secret_value(), web_client=app.client
            ).start()
        else:
            from bot.http_server import SlackHTTPServer

            server = SlackHTTPServer(app, host=args.host, port=args.port)
            log.info("listening on %s:%s (/slack/events, /healthz)", args.host, server.port)
            server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        scheduler.stop()
    return 0


def remind_once(args: argparse.Namespace, settings: Settings) -> int:
    from bot.scheduler import deliver_due, reminder_config
    from commands.reminders import claim_reminder, due_reminders
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
        with store.session() as session:  # no Slack: the console is the channel
            for reminder in due_reminders(session, now=now, config=reminder_config(settings)):
                if claim_reminder(session, reminder, now=now):
                    print(f"{reminder.text_zh}\n{reminder.text_en}")
    finally:
        store.dispose()
    return 0
