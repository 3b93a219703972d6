"""Slack listeners, one module and one register(app, services) per kind."""

from __future__ import annotations

from slack_bolt import App

from bot.listeners import actions, commands, errors, events, evidence, home, pins, shortcuts, views
from bot.services import Services


def register_all(app: App, services: Services) -> None:
    for kind in (commands, events, pins, actions, views, evidence, home, shortcuts, errors):
        kind.register(app, services)
