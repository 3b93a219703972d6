"""Slash commands: /ask answers privately; the filings behave exactly as in the console."""

from __future__ import annotations

import json
from typing import Any

from slack_bolt import Ack, App, Respond

from bot import uploads
from bot.alerts import tell_after_delivery
from bot.blocks import answer_blocks, inspect_modal, reply_blocks, staff_change_modal
from bot.evidence_form import evidence_modal
from bot.incident_form import incident_modal
from bot.keys import command_key, request_key
from bot.listeners.errors import after_ack
from bot.mrkdwn import escape, unescape
from bot.services import Services
from commands.dispatch import COMMANDS
from commands.grammars.deadlines import DONE
from commands.replies import Lang, pick
from commands.report import report_heading, report_request
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
        name = command["command"].lstrip("/")
        form = form_for(name, unescape(command.get("text", "")).strip())
        if form and body.get("trigger_id"):
            # At once, never queued behind answers: the trigger_id expires 3 s after the command.
            after_ack(
                services,
                body,
                client,
                respond,
                lambda: open_form(form, command, client, body["trigger_id"]),
                at_once=True,
            )
            return
        after_ack(
            services, body, client, respond, lambda: file_after_ack(command, respond, client, body)
        )

    def open_form(form: str, command: dict[str, Any], client: Any, trigger_id: str) -> None:
        lang = services.locales.filing_language(client, command["user_id"])
        metadata = json.dumps({"lang": lang, "channel": command.get("channel_id", "")})
        client.views_open(trigger_id=trigger_id, view=MODALS[form](lang, metadata))

    def file_after_ack(
        command: dict[str, Any], respond: Respond, client: Any, body: dict[str, Any]
    ) -> None:
        name, text, user = (
            command["command"].lstrip("/"),
            unescape(command.get("text", "")).strip(),
            command["user_id"],
        )
        lang = services.locales.filing_language(client, user, text)
        reply = services.file(
            name,
            text,
            user=user,
            lang=lang,
            key=command_key(body),
        )

        # Stored: from here on the filer hears what happened to the alert, never "try again".
        def send(status: str) -> None:
            respond(
                response_type="ephemeral",
                text=escape(reply.text) + (f"\n{status}" if status else ""),
                blocks=reply_blocks(reply, status=status),
            )

        tell_after_delivery(
            services,
            client,
            reply,
            lang,
            send,
            later=lambda line: respond(
                response_type="ephemeral", replace_original=False, text=line
            ),
        )
        if reply.kind == "incident_draft":  # the .docx, rendered again from the store when sent
            document = {"document": "incident_draft", "incident_id": reply.data["incident_id"]}
            send_files(reply.text, reply.lang, document, command, client, respond)

    def report(
        ack: Ack, command: dict[str, Any], respond: Respond, client: Any, body: dict[str, Any]
    ) -> None:
        ack()  # the report is read and rendered after the ack: a busy month takes a moment
        after_ack(
            services, body, client, respond, lambda: report_after_ack(command, respond, client)
        )

    def report_after_ack(command: dict[str, Any], respond: Respond, client: Any) -> None:
        text, user = unescape(command.get("text", "")).strip(), command["user_id"]
        month, lang = report_request(
            text,
            lang=services.locales.filing_language(client, user, text),
            now=services.now(),
            tz=services.settings.tz,
        )
        document = {"document": "monthly_report", "month": month}
        send_files(report_heading(month, lang), lang, document, command, client, respond)

    def send_files(
        heading: str,
        lang: Lang,
        document: dict[str, Any],
        command: dict[str, Any],
        client: Any,
        respond: Respond,
    ) -> None:
        """Upload the document where the command was typed (else the DM), through the outbox."""
        line = uploads.send(
            services,
            client,
            key=request_key("upload", command_key(command)),
            channel=command.get("channel_id", ""),
            user=command["user_id"],
            lang=lang,
            heading=heading,
            document=document,
        )
        respond(response_type="ephemeral", replace_original=False, text=f"{heading}\n{line}")

    app.command("/ask")(ask)
    app.command("/report")(report)
    for name in COMMANDS:
        app.command(f"/{name}")(file)
