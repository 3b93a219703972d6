"""The "duty done" form: evidence as a link (filed before the ack, so errors show on the form) or
as an uploaded file (downloaded and hashed after the ack; the result comes as a DM)."""

from __future__ import annotations

import json
from typing import Any

from slack_bolt import Ack, App

from bot.blocks import reply_blocks
from bot.evidence_files import fetch_shared_file
from bot.evidence_form import CALLBACK_ID, FIELD_BLOCKS, EvidenceValues, evidence_values
from bot.listeners.errors import after_ack
from bot.mrkdwn import escape
from bot.services import Services
from commands.errors import UserError
from commands.evidence import check_link
from commands.operations import CompleteObligation
from commands.replies import Lang, Reply


def _check_form(values: EvidenceValues) -> None:
    """What can be refused before anything is downloaded."""
    if values.file_id and values.link:
        raise UserError(
            "请在文件和链接中二选一（文件会自动附上其在 Slack 中的链接）。",
            "Give a file or a link, not both (a file brings its own Slack link).",
            field="link",
        )
    if values.link:
        check_link(values.link, field="link")


def register(app: App, services: Services) -> None:
    def confirm(client: Any, user: str, reply: Reply) -> None:
        client.chat_postMessage(channel=user, text=escape(reply.text), blocks=reply_blocks(reply))

    def with_file(client: Any, user: str, lang: Lang, values: EvidenceValues, key: str) -> None:
        shared = fetch_shared_file(client, values.file_id, api_url=services.settings.slack_api_url)
        operation = CompleteObligation(
            values.obligation_id, values.note, shared.permalink, shared.name, shared.sha256
        )
        confirm(client, user, services.run(operation, user=user, lang=lang, key=key))

    def submit(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: Any) -> None:
        user = body["user"]["id"]
        metadata = json.loads(view.get("private_metadata") or "{}")
        lang: Lang = metadata.get("lang") or services.locales.of_user(client, user)
        values, key = evidence_values(view), f"view:{view['id']}"
        try:
            _check_form(values)
            if not values.file_id:
                operation = CompleteObligation(values.obligation_id, values.note, values.link)
                reply = services.run(operation, user=user, lang=lang, key=key)
        except UserError as error:
            block = FIELD_BLOCKS.get(error.field or "", "obligation")
            ack(response_action="errors", errors={block: error.message(lang)[:150]})
            return
        ack()
        if values.file_id:  # a download may take longer than Slack waits for the ack
            after_ack(
                services, body, client, None, lambda: with_file(client, user, lang, values, key)
            )
        else:
            after_ack(services, body, client, None, lambda: confirm(client, user, reply))

    app.view(CALLBACK_ID)(submit)
