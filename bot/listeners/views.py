"""Form submissions: invalid fields are shown inline (response_action errors) and nothing is stored."""

from __future__ import annotations

import json
from typing import Any

from slack_bolt import Ack, App

from bot import incident_form
from bot.alerts import tell_after_delivery
from bot.blocks import reply_blocks
from bot.listeners.errors import after_ack
from bot.mrkdwn import escape
from bot.services import Services
from commands.errors import UserError
from commands.operations import FileStaffChange, LogInspection, Operation
from commands.replies import Lang
from commands.values import parse_date

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
        found[block_id] = str(value)
    return found


def _operation(
    callback_id: str, v: dict[str, str], metadata: dict[str, Any], services: Services
) -> Operation:
    """The form's values as the typed operation, exactly as entered: never text parsed again, so
    quotes and `sev=low` inside a summary stay part of the summary."""
    if callback_id == "inspect_form":
        return LogInspection(v.get("status", ""), v.get("notes", "").strip())
    if callback_id == "staff_change_form":
        return FileStaffChange(
            v.get("kind", ""),
            v.get("name", "").strip(),
            v.get("role", "").strip(),
            parse_date(v.get("effective", ""), field="effective_date", usage="YYYY-MM-DD"),
        )
    # The incident form (also opened pre-filled from a message) reads its own fields.
    now, tz = services.now(), services.settings.tz
    return incident_form.incident_operation(v, metadata, tz=tz, today=now.astimezone(tz).date())


def register(app: App, services: Services) -> None:
    def submit(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: Any) -> None:
        user = body["user"]["id"]
        metadata = json.loads(view.get("private_metadata") or "{}")
        lang: Lang = metadata.get("lang") or services.locales.of_user(client, user)
        try:
            # Filed before the ack so a rejection can be shown on the form; a write takes milliseconds.
            op = _operation(view["callback_id"], _values(view), metadata, services)
            reply = services.run(op, user=user, lang=lang, key=f"view:{view['id']}")
        except UserError as error:
            message = error.message(lang)
            default, blocks = _FIELD_FOR[view["callback_id"]]
            field = blocks.get(error.field or "", default)
            ack(response_action="errors", errors={field: message[:150]})
            return
        ack()

        def confirm(status: str) -> None:
            client.chat_postMessage(
                channel=user,
                text=escape(reply.text) + (f"\n{status}" if status else ""),
                blocks=reply_blocks(reply, status=status),
            )

        after_ack(
            services,
            body,
            client,
            None,
            lambda: tell_after_delivery(services, client, reply, lang, confirm),
        )

    for callback_id in _FIELD_FOR:
        app.view(callback_id)(submit)
