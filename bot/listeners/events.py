"""Events: a mention is answered in its thread, a direct message (with or without files) in the
DM. Messages from any bot, this one included, are never answered: two bots answering each other
would never stop."""

from __future__ import annotations

import re
from typing import Any

from slack_bolt import App, BoltContext

from bot.blocks import answer_blocks
from bot.delivery import post_once
from bot.keys import event_key
from bot.listeners.errors import after_ack
from bot.mrkdwn import escape, unescape
from bot.services import Services
from commands import outbox
from commands.replies import Lang, pick

_MENTION = re.compile(r"<@[A-Z0-9]+>")
# Plain messages and messages with files are questions; edits (message_changed), deletions,
# joins and every other subtype are not.
_QUESTION_SUBTYPES = {None, "file_share"}


def from_a_bot(event: dict[str, Any], bot_user_id: str | None) -> bool:
    """Posted by an app (any bot_id, a bot_message) or by this bot's own user."""
    return bool(
        event.get("bot_id")
        or event.get("bot_profile")
        or event.get("subtype") == "bot_message"
        or (bot_user_id and event.get("user") == bot_user_id)
    )


def register(app: App, services: Services) -> None:
    def answer_into(
        client: Any, event: dict[str, Any], body: dict[str, Any], *, thread: bool
    ) -> None:
        question = unescape(_MENTION.sub("", event.get("text", ""))).strip()
        lang = services.locales.question_language(client, event.get("user", ""), question)
        # Slack retries an event it thinks we missed (x-slack-retry-num): answer each event once.
        key = event_key(body, event)
        if key and outbox.is_enqueued(services.store, key):
            return
        payload: dict[str, Any] = {}
        if thread:
            payload["thread_ts"] = event.get("thread_ts") or event["ts"]
        if not question:
            payload["text"] = _no_question(lang, bool(event.get("files")))
        else:
            answer = services.answerer.answer(question, lang)
            payload |= {
                "text": escape(answer.text),
                "blocks": answer_blocks(answer, shareable=False),
            }
        # Once per event: the key is claimed with the message, and no transaction is open
        # while the answer is built or posted.
        post_once(
            services.store,
            client,
            services.settings.tz,
            key=key,
            channel=event["channel"],
            payload=payload,
            now=services.now(),
        )

    def on_mention(
        event: dict[str, Any], body: dict[str, Any], client: Any, context: BoltContext
    ) -> None:
        if from_a_bot(event, context.bot_user_id):
            return
        after_ack(
            services, body, client, None, lambda: answer_into(client, event, body, thread=True)
        )

    def on_message(
        event: dict[str, Any], body: dict[str, Any], client: Any, context: BoltContext
    ) -> None:
        if (
            event.get("channel_type") != "im"
            or event.get("subtype") not in _QUESTION_SUBTYPES
            or from_a_bot(event, context.bot_user_id)
        ):
            return
        after_ack(
            services, body, client, None, lambda: answer_into(client, event, body, thread=False)
        )

    app.event("app_mention")(on_mention)
    app.event("message")(on_message)


def _no_question(lang: Lang, with_files: bool) -> str:
    if with_files:
        return pick(
            lang,
            "附件的内容我读不到，请把问题直接打字发给我，例如：出了安全事件多久要上报？",
            "I cannot read attachments; please type the question, e.g. How fast must we report an incident?",
        )
    return pick(
        lang,
        "请直接提问，例如：出了安全事件多久要上报？",
        "Ask me a question, e.g. How fast must we report an incident?",
    )
