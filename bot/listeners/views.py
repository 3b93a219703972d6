"""Form submissions: invalid fields are shown inline (response_action errors) and nothing is stored."""

from __future__ import annotations

import json
import shlex
from typing import Any

from slack_bolt import Ack, App

from bot import incident_form
from bot.alerts import publish
from bot.blocks import reply_blocks
from bot.listeners.errors import after_ack
from bot.mrkdwn import escape
from bot.services import Services
from commands.errors import UserError
from commands.replies import Lang

# Which form field a rejected filing is shown against, by the operation field the error names
# (UserError.field); an error about no field of the form goes on the first one.
_FIELD_FOR = {
    "inspect_form": ("notes", {"status": "status", "notes": "notes"}),
    "staff_change_form": (
        "name",
        {"kind": "kind", "name": "name", "role": "role", "effective_date": "effective"},
    ),
    incident_form.CALLBACK_ID: ("summary", incident_form.FIELD_BLOCKS),
}


def _values(view: dict[str, Any]) -> dict[str, str]:
    found = {}
    for block_id, actions in view["state"]["values"].items():
        element = actions["value"]
        value = (
            element.get("value")
            or element.get("selected_date")
            or (element.get("selected_option") or {}).get("value")
            or ""
        )
        found[block_id] = str(value).strip()
    return found


def _command_text(callback_id: str, v: dict[str, str]) -> tuple[str, str]:
    """The inspection and staff-change forms as the text the command would take."""
    if callback_id == "inspect_form":
        return "inspect", f"{v['status']} {v.get('notes', '')}".strip()
    return "staff-change", shlex.join([v["kind"], v["name"], v["role"], v["effective"]])


def register(app: App, services: Services) -> None:
    def submit(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: Any) -> None:
        user = body["user"]["id"]
        metadata = json.loads(view.get("private_metadata") or "{}")
        lang: Lang = metadata.get("lang") or services.locales.of_user(client, user)
        values, key = _values(view), f"view:{view['id']}"
        try:
            # Filed before the ack so a rejection can be shown on the form; a write takes milliseconds.
            if view["callback_id"] == incident_form.CALLBACK_ID:
                now, tz = services.now(), services.settings.tz
                operation = incident_form.incident_operation(
                    values, metadata, tz=tz, today=now.astimezone(tz).date()
                )
                reply = services.run(operation, user=user, lang=lang, key=key, now=now)
            else:
                command, text = _command_text(view["callback_id"], values)
                reply = services.file(command, text, user=user, lang=lang, key=key)
        except UserError as error:
            message = error.message(lang)
            default, blocks = _FIELD_FOR[view["callback_id"]]
            field = blocks.get(error.field or "", default)
            ack(response_action="errors", errors={field: message[:150]})
            return
        ack()

        def confirm() -> None:
            client.chat_postMessage(
                channel=user, text=escape(reply.text), blocks=reply_blocks(reply)
            )
            publish(services, client, reply)

        after_ack(services, body, client, None, confirm)

    for callback_id in _FIELD_FOR:
        app.view(callback_id)(submit)
