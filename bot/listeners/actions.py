"""Buttons: feedback votes, sharing a private answer, marking an incident reported."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, Respond

from bot.alerts import deliver_soon
from bot.blocks import answer_blocks
from bot.delivery import post_once
from bot.keys import digest, message_ts, request_key
from bot.listeners.errors import after_ack
from bot.mrkdwn import escape
from bot.services import Services
from commands import outbox
from commands.feedback import record_vote
from commands.replies import pick


def register(app: App, services: Services) -> None:
    def vote(body: dict[str, Any], action: dict[str, Any], client: Any, respond: Respond) -> None:
        user = body["user"]["id"]
        payload = json.loads(action["value"])
        question = str(payload.get("q", ""))
        lang = services.locales.question_language(client, user, question)
        # One vote per user per answer: a double click counts once. Without the message's ts,
        # one vote per user per question.
        key = request_key("vote", message_ts(body), user) or f"vote:q:{digest(question)}:{user}"
        with services.store.session() as session:
            record_vote(
                session,
                user=user,
                question=question,
                articles=payload.get("a", []),
                vote="up" if action["action_id"] == "feedback_up" else "down",
                key=key,
                now=services.now(),
            )
        respond(
            response_type="ephemeral",
            replace_original=False,
            text=pick(lang, "感谢反馈！", "Thanks for the feedback!"),
        )

    def share(body: dict[str, Any], action: dict[str, Any], client: Any, respond: Respond) -> None:
        user, channel = body["user"]["id"], body.get("channel", {}).get("id")
        if not channel:
            return
        key = request_key("share", message_ts(body), user)
        if key and outbox.is_enqueued(services.store, key):
            return
        question = action["value"]
        answer = services.answerer.answer(
            question, services.locales.question_language(client, user, question)
        )
        payload = {
            # The sharer is mentioned on purpose; what anyone typed is escaped.
            "text": f"<@{user}>: {escape(question)}\n{escape(answer.text)}",
            "blocks": answer_blocks(answer, shareable=False),
        }
        post_once(
            services.store,
            client,
            services.settings.tz,
            key=key,
            channel=channel,
            payload=payload,
            now=services.now(),
        )

    def reported(
        body: dict[str, Any], action: dict[str, Any], client: Any, respond: Respond
    ) -> None:
        user = body["user"]["id"]
        incident_id, authority = action["value"].split(":")
        reply = services.file(
            "incident",
            f"reported {incident_id} {authority}",
            user=user,
            lang=services.locales.filing_language(client, user),
            key=request_key("btn", message_ts(body), action["value"]),
        )
        deliver_soon(services, client, reply.outbox)  # the alert's update, chat.update in place

    def thin(
        work: Callable[[dict[str, Any], dict[str, Any], Any, Respond], None],
    ) -> Callable[..., None]:
        """Ack at once; the work runs after, on the background pool."""

        def listener(
            ack: Ack, body: dict[str, Any], action: dict[str, Any], client: Any, respond: Respond
        ) -> None:
            ack()
            after_ack(services, body, client, respond, lambda: work(body, action, client, respond))

        return listener

    app.action("feedback_up")(thin(vote))
    app.action("feedback_down")(thin(vote))
    app.action("share_answer")(thin(share))
    app.action("incident_reported")(thin(reported))
