"""The manifest declares every command, event and setting the app uses."""

from __future__ import annotations

from pathlib import Path

import yaml

from commands.dispatch import COMMANDS

MANIFEST = yaml.safe_load(
    (Path(__file__).resolve().parents[2] / "manifest.yml").read_text(encoding="utf-8")
)


def test_every_slash_command_is_declared_with_the_events_url() -> None:
    declared = {c["command"]: c["url"] for c in MANIFEST["features"]["slash_commands"]}
    assert set(declared) == {"/ask", "/report", *(f"/{c}" for c in COMMANDS)}
    assert all(url.endswith("/slack/events") for url in declared.values())


def test_events_interactivity_and_scopes_cover_the_listeners() -> None:
    settings = MANIFEST["settings"]
    assert set(settings["event_subscriptions"]["bot_events"]) == {
        "app_mention",
        "message.im",
        "pin_added",  # incident timelines (bot.listeners.pins)
        "reaction_added",
        "app_home_opened",  # the Home tab (bot.listeners.home)
    }
    assert settings["interactivity"]["is_enabled"] is True
    assert settings["socket_mode_enabled"] is True
    scopes = set(MANIFEST["oauth_config"]["scopes"]["bot"])
    assert {"app_mentions:read", "chat:write", "commands", "im:history", "users:read"} <= scopes
    assert "files:write" in scopes  # /report and /incident draft upload their documents
    # Incident channels: created and invited to; their pins and 📌 read into the timeline.
    assert {"channels:manage", "channels:history", "pins:read", "reactions:read"} <= scopes
    assert "files:read" in scopes  # evidence files downloaded for their SHA-256


def test_the_home_tab_is_enabled() -> None:
    assert MANIFEST["features"]["app_home"]["home_tab_enabled"] is True


def test_the_file_as_incident_shortcut_is_declared_on_messages() -> None:
    shortcuts = {s["callback_id"]: s for s in MANIFEST["features"]["shortcuts"]}
    assert shortcuts["file_as_incident"]["type"] == "message"
    assert shortcuts["file_as_incident"]["name"] == "登记为安全事件 / File as incident"
