"""A reply's documents (the monthly report, an incident report draft) shared into Slack.

Slack's current upload flow is files.getUploadURLExternal per file, a POST of the bytes to the
upload_url it returns, then one files.completeUploadExternal that shares them all into a
channel. slack_sdk's `files_upload_v2` does exactly those three steps, so it is used as is.

An upload is an outbox message (kind "upload") like every post: its payload names the document
(a month's report, an incident's draft), never its bytes, which are rendered from the store when
it is delivered — so nothing is stored twice, and a retry renders the same request again.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from slack_sdk.errors import SlackApiError

from bot.mrkdwn import escape
from commands import outbox
from commands.execute import execute
from commands.grammar import Organisation
from commands.operations import DraftIncidentReport
from commands.outbox import Message, Posted
from commands.replies import Lang, ReplyFile, pick
from commands.report import report_files
from commands.store import Store

if TYPE_CHECKING:
    from bot.delivery import SlackPost
    from bot.services import Services

log = logging.getLogger(__name__)

# Where the files cannot go (the bot is not in that channel, or may not post there): they go to
# the asker's DM instead, so what was asked for still arrives.
_NOT_HERE = {"not_in_channel", "channel_not_found", "is_archived", "restricted_action"}


def share_files(
    client: Any,
    files: Sequence[ReplyFile],
    *,
    channel: str,
    user: str,
    comment: str = "",
    thread_ts: str | None = None,
) -> str:
    """Upload `files` into `channel` (the asker's DM when it is not possible there); returns the
    channel id they were shared in. Other Slack errors are raised."""
    if not files:
        return ""
    if channel:
        try:
            _upload(client, files, channel=channel, comment=comment, thread_ts=thread_ts)
            return channel
        except SlackApiError as error:
            if error.response.get("error") not in _NOT_HERE:
                raise
            log.info(
                "files not shared in %s (%s): sent to the asker's DM",
                channel,
                error.response.get("error"),
            )
    dm = client.conversations_open(users=user)["channel"]["id"]
    _upload(client, files, channel=dm, comment=comment, thread_ts=None)
    return str(dm)


def _upload(
    client: Any,
    files: Sequence[ReplyFile],
    *,
    channel: str,
    comment: str,
    thread_ts: str | None,
) -> None:
    client.files_upload_v2(
        file_uploads=[{"content": f.content, "filename": f.name, "title": f.title} for f in files],
        channel=channel,
        initial_comment=comment or None,
        thread_ts=thread_ts,
    )


KIND = "upload"


def deliver_upload(slack: SlackPost, message: Message) -> Posted:
    """Render the document the payload names, as it is in the store, and share it."""
    payload = message.payload
    files = render(slack.store, payload, slack.tz)
    shared = share_files(
        slack.client,
        files,
        channel=message.channel,
        user=str(payload["user"]),
        comment=str(payload.get("comment") or ""),
    )
    return Posted(shared)


def render(store: Store, payload: dict[str, Any], tz: Any) -> tuple[ReplyFile, ...]:
    """The files of a monthly report or an incident draft, at the moment it was asked for."""
    at = datetime.fromisoformat(str(payload["at"]))
    org = Organisation(*payload.get("org", ("", "")))
    lang = payload["lang"]
    if payload["document"] == "monthly_report":
        return report_files(store, month=payload["month"], tz=tz, lang=lang, now=at, org=org)
    reply = execute(
        store,
        DraftIncidentReport(incident_id=int(payload["incident_id"])),
        user=str(payload["user"]),
        lang=lang,
        now=at,
        tz=tz,
        org=org,
    )
    return reply.files


def send(
    services: Services,
    client: Any,
    *,
    key: str | None,
    channel: str,
    user: str,
    lang: Lang,
    heading: str,
    document: dict[str, Any],
) -> str:
    """Enqueue the upload of `document` into `channel`, deliver it now with no transaction open,
    and return the line that tells the asker where it went (or that it will be retried)."""
    from bot.delivery import SlackPost  # bot.delivery registers this module's kind

    now, org = services.now(), services.settings.org
    key = key or f"upload:{uuid.uuid4().hex}"
    payload = document | {
        "user": user,
        "lang": lang,
        "at": now.isoformat(),
        "org": [org.name, org.contact],
        "comment": f"<@{user}>: {escape(heading)}",
    }
    with services.store.session() as session:
        outbox.enqueue(session, key=key, kind=KIND, channel=channel, payload=payload, now=now)
    post = SlackPost(client, services.store, services.settings.tz)
    return describe(outbox.deliver_once(services.store, key=key, now=now, post=post), lang)


def describe(outcome: outbox.Outcome, lang: Lang) -> str:
    """Where the files went, or why not yet."""
    if outcome.delivered:
        return pick(
            lang, f"文件已发送到 <#{outcome.channel}>。", f"Files sent to <#{outcome.channel}>."
        )
    if outcome.status == "busy":
        return pick(lang, "文件正在发送。", "The files are being sent.")
    if outcome.operator_action:
        return pick(
            lang,
            f"文件未能发出：需要管理员处理（{outcome.operator_action}），处理后将自动重试。",
            f"The files could not be sent: an operator must act ({outcome.operator_action}); they will be retried automatically.",
        )
    if outcome.status == "failed_permanent":
        return pick(
            lang,
            "文件未能发出，且无法自动重试；已记录，请联系管理员。",
            "The files could not be sent and cannot be retried; it is logged, tell the operator.",
        )
    return pick(
        lang,
        "文件暂未发出（Slack 暂时不可用），将自动重试。",
        "The files are not sent yet (Slack is unavailable for now); they will be retried automatically.",
    )
