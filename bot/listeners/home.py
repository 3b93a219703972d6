"""The Home tab: published when a user opens it, republished (debounced) when a filing changes
what it shows, and its buttons open the filing forms."""

from __future__ import annotations

import json
import re
from typing import Any

from slack_bolt import Ack, App

from bot.home import home_view
from bot.home_refresh import HomeRefresher
from bot.listeners.commands import MODALS
from bot.listeners.errors import after_ack
from bot.services import Services
from commands.home import read_dashboard


def publish_home(services: Services, client: Any, user: str) -> None:
    """Read the dashboard (the store transaction ends here), then publish: no call inside it."""
    lang = services.locales.of_user(client, user)
    dashboard = read_dashboard(services.store, now=services.now(), tz=services.settings.tz)
    client.views_publish(
        user_id=user, view=home_view(dashboard, lang=lang, tz=services.settings.tz)
    )


def register(app: App, services: Services) -> None:
    refresher = HomeRefresher(
        lambda user: publish_home(services, app.client, user),
        delay_s=services.settings.home_refresh_s,
    )
    services.after_write.append(lambda _reply: refresher.changed())

    def opened(event: dict[str, Any]) -> None:
        # The same event comes for the Messages and About tabs: only Home is ours to draw.
        if event.get("tab") == "home" and event.get("user"):
            refresher.opened(event["user"])

    def open_form(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: Any) -> None:
        ack()
        # At once, never queued behind answers: the trigger_id expires 3 seconds after the click.
        after_ack(
            services, body, client, None, lambda: show_form(body, action, client), at_once=True
        )

    def show_form(body: dict[str, Any], action: dict[str, Any], client: Any) -> None:
        user = body["user"]["id"]
        lang = services.locales.of_user(client, user)
        metadata = json.dumps({"lang": lang, "channel": ""})
        client.views_open(
            trigger_id=body["trigger_id"], view=MODALS[action["value"]](lang, metadata)
        )

    app.event("app_home_opened")(opened)
    app.action(re.compile(r"^home_open:"))(open_form)
