"""The one error path: user errors become a private message in the user's language; anything
unexpected gets a short reference id that is logged with the traceback and shown to the user."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from typing import Any

from slack_bolt import App

from bot.mrkdwn import escape
from bot.services import Services
from commands.errors import UserError
from commands.replies import Lang
from knowledge.answer import EmptyQuestion

log = logging.getLogger(__name__)


def _user_of(body: dict[str, Any]) -> str:
    return str(
        body.get("user_id")
        or (body.get("user") or {}).get("id")
        or (body.get("event") or {}).get("user")
        or ""
    )


def _channel_of(body: dict[str, Any]) -> str:
    return str(
        body.get("channel_id")
        or (body.get("channel") or {}).get("id")
        or (body.get("event") or {}).get("channel")
        or ""
    )


def after_ack(
    services: Services,
    body: dict[str, Any],
    client: Any,
    respond: Any,
    work: Callable[[], None],
    *,
    at_once: bool = False,
) -> None:
    """Run the listener's work after its response has left; its errors take the same path as Bolt's.

    Listeners run on the HTTP thread and the response leaves when they return (bot.app), so
    everything after ack() that waits or computes goes through here: to the background pool, or
    with `at_once` (a Slack call due within seconds, e.g. views.open) to the interactive pool.
    """

    def run() -> None:
        try:
            work()
        except Exception as error:
            report(services, error, body, client, respond)

    (services.interactive if at_once else services.background).submit(run)


def register(app: App, services: Services) -> None:
    @app.error
    def on_error(error: Exception, body: dict[str, Any], client: Any, respond: Any = None) -> None:
        report(services, error, body, client, respond)


def _language(services: Services, client: Any, body: dict[str, Any], user: str) -> Lang:
    """The language the request is answered in: a question's own, else the user's locale."""
    text = str(body.get("text") or (body.get("event") or {}).get("text") or "")
    if body.get("command") == "/ask" or body.get("event"):
        return services.locales.question_language(client, user, text)
    return services.locales.filing_language(client, user, text)


def report(
    services: Services, error: Exception, body: dict[str, Any], client: Any, respond: Any = None
) -> None:
    """Tell the user: a UserError in their language, anything else with a logged reference id."""
    user, channel = _user_of(body), _channel_of(body)
    lang = _language(services, client, body, user)
    if isinstance(error, UserError):
        message = error.message(lang)
    elif isinstance(error, EmptyQuestion):
        message = "请输入问题。" if lang == "zh" else "Please type a question."
    else:
        reference = uuid.uuid4().hex[:8]
        log.exception("unexpected error, reference %s", reference, exc_info=error)
        message = (
            f"出错了，请稍后重试（参考编号 {reference}）。"
            if lang == "zh"
            else f"Something went wrong; please try again (reference {reference})."
        )
    message = escape(message)  # a user error may echo what was typed
    try:
        if body.get("response_url") and respond is not None:
            respond(response_type="ephemeral", replace_original=False, text=message)
        elif channel and user:
            client.chat_postEphemeral(channel=channel, user=user, text=message)
        elif user:
            client.chat_postMessage(channel=user, text=message)
    except Exception:
        log.exception("could not tell the user about an error")
