"""A reply's documents (the monthly report, an incident report draft) shared into Slack.

Slack's current upload flow is files.getUploadURLExternal per file, a POST of the bytes to the
upload_url it returns, then one files.completeUploadExternal that shares them all into a
channel. slack_sdk's `files_upload_v2` does exactly those three steps, so it is used as is.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from slack_sdk.errors import SlackApiError

from commands.replies import ReplyFile

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
