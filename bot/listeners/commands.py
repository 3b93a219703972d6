"""Slash commands: /ask answers privately; the filings behave exactly as in the console."""

from __future__ import annotations

import json
from typing import Any

from slack_bolt import Ack, App, Respond

from bot.alerts import publish
from bot.blocks import answer_blocks, inspect_modal, reply_blocks, staff_change_modal
from bot.evidence_form import evidence_modal
from bot.incident_form import incident_modal
from bot.keys import command_key
from bot.listeners.errors import after_ack
from bot.mrkdwn import escape, unescape
from bot.services import Services
from commands.dispatch import COMMANDS
from commands.grammars.deadlines import DONE
from commands.replies import pick
from commands.text import fold

# The forms a command opens when typed without text (and the Home tab's buttons open);
# "deadlines-done" is `/deadlines done` without an id: a slash command cannot carry a file.
MODALS = {
    "inspect": inspect_modal,
    "staff-change": staff_change_modal,
    "incident": incident_modal,
    "deadlines-done": evidence_modal,
}


def form_for(name: str, text: str) -> str | None:
    """The form a command opens instead of filing: none when the text says what to file."""
    if not text and name in MODALS:
        return name
    if name == "deadlines" and fold(text) in DONE:
        return "deadlines-done"
    return None


def register(app: App, services: Services) -> None:
    def ask(
        ack: Ack, command: dict[str, Any], respond: Respond, client: Any, body: dict[str, Any]
    ) -> None:
        ack()  # within Slack's 3 seconds; the answer follows through response_url
        after_ack(services, body, client, respond, lambda: answer(command, respond, client))

    def answer(command: dict[str, Any], respond: Respond, client: Any) -> None:
        question = unescape(command.get("text", "")).strip()
        lang = services.locales.question_language(client, command["user_id"], question)
        if not question:
            respond(
                response_type="ephemeral",
                text=pick(
                    lang,
                    "请在 /ask 后输入问题，例如：/ask 出了安全事件多久要上报？",
                    "Type a question after /ask, e.g. /ask How fast must we report an incident?",
                ),
            )
            return
        answer = services.answerer.answer(question, lang)
        respond(
            response_type="ephemeral",
            text=escape(answer.text),
            blocks=answer_blocks(answer, shareable=True),
        )

    def file(
        ack: Ack, command: dict[str, Any], respond: Respond, client: Any, body: dict[str, Any]
    ) -> None:
        ack()
        after_ack(
            services, body, client, respond, lambda: file_after_ack(command, respond, client, body)
        )

    def file_after_ack(
        command: dict[str, Any], respond: Respond, client: Any, body: dict[str, Any]
    ) -> None:
        name, text, user = (
            command["command"].lstrip("/"),
            unescape(command.get("text", "")).strip(),
            command["user_id"],
        )
        lang = services.locales.filing_language(client, user, text)
        form = form_for(name, text)
        if form and body.get("trigger_id"):
            metadata = json.dumps({"lang": lang, "channel": command.get("channel_id", "")})
            client.views_open(trigger_id=body["trigger_id"], view=MODALS[form](lang, metadata))
            return
        reply = services.file(
            name,
            text,
            user=user,
            lang=lang,
            key=command_key(body),
        )
        respond(response_type="ephemeral", text=escape(reply.text), blocks=reply_blocks(reply))
        publish(services, client, reply)

    app.command("/ask")(ask)
    for name in COMMANDS:
        app.command(f"/{name}")(file)
