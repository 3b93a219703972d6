"""Form submissions: invalid fields are shown inline (response_action errors) and nothing is stored."""

from __future__ import annotations

import json
import shlex
from typing import Any

from slack_bolt import Ack, App

from bot.alerts import deliver_and_describe
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
    "incident_form": (
        "summary",
        {"summary": "summary", "severity": "severity", "discovered_at": "discovered"},
    ),
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
    if callback_id == "inspect_form":
        return "inspect", f"{v['status']} {v.get('notes', '')}".strip()
    if callback_id == "staff_change_form":
        return "staff-change", shlex.join([v["kind"], v["name"], v["role"], v["effective"]])
    words = [v["summary"], f"sev={v['severity']}"] + (
        [f"at={v['discovered']}"] if v.get("discovered") else []
    )
    return "incident", " ".join(words)


def register(app: App, services: Services) -> None:
    def submit(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: Any) -> None:
        user = body["user"]["id"]
        metadata = json.loads(view.get("private_metadata") or "{}")
        lang: Lang = metadata.get("lang") or services.locales.of_user(client, user)
        command, text = _command_text(view["callback_id"], _values(view))
        try:
            # Filed before the ack so a rejection can be shown on the form; a write takes milliseconds.
            reply = services.file(command, text, user=user, lang=lang, key=f"view:{view['id']}")
        except UserError as error:
            message = error.message(lang)
            default, blocks = _FIELD_FOR[view["callback_id"]]
            field = blocks.get(error.field or "", default)
            ack(response_action="errors", errors={field: message[:150]})
            return
        ack()

        def confirm() -> None:
            status = deliver_and_describe(services, client, reply, lang)
            client.chat_postMessage(
                channel=user,
                text=escape(reply.text) + (f"\n{status}" if status else ""),
                blocks=reply_blocks(reply, status=status),
            )

        after_ack(services, body, client, None, confirm)

    for callback_id in _FIELD_FOR:
        app.view(callback_id)(submit)
