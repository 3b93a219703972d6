"""Team-channel side effects of filings: incident alerts (updated in place) and staff changes."""

from __future__ import annotations

import logging
from typing import Any

from bot.blocks import alert_fallback, incident_alert_blocks
from bot.incident_channels import channel_of, update_quietly
from bot.mrkdwn import escape
from bot.services import Services
from commands.replies import Reply
from commands.store import repo

log = logging.getLogger(__name__)


def publish(services: Services, client: Any, reply: Reply) -> None:
    """Post or update what the team channel should see after a filing."""
    channel = services.settings.alert_channel
    if not channel:
        return
    if reply.kind == "incident":
        _incident(services, client, channel, reply)
    elif (
        reply.kind == "staff_change"
        and reply.data.get("notified_bigdata_at") is None
        and reply.data.get("notified_tenants_at") is None
    ):
        _once(
            services,
            f"alert:staff:{reply.data['id']}",
            lambda: client.chat_postMessage(channel=channel, text=escape(_staff_text(reply.data))),
        )


def _incident(services: Services, client: Any, channel: str, reply: Reply) -> None:
    data, tz = reply.data, services.settings.tz
    room, card_ts = channel_of(services.store, int(data["id"]))
    blocks = incident_alert_blocks(data, tz, channel=room)
    with services.store.session() as session:
        alert = repo.get_incident_alert(session, incident_id=data["id"])
        where = (alert.channel, alert.ts) if alert else None
    if where:
        client.chat_update(channel=where[0], ts=where[1], text=alert_fallback(data), blocks=blocks)
        if card_ts:  # the card in the incident's channel shows the same clock and buttons
            update_quietly(client, room, card_ts, data, incident_alert_blocks(data, tz))
        return
    # Claim and record in one transaction: a retried filing never posts a second alert.
    with services.store.session() as session:
        if not repo.claim_delivery(session, key=f"alert:incident:{data['id']}", now=services.now()):
            return
        posted = client.chat_postMessage(channel=channel, text=alert_fallback(data), blocks=blocks)
        repo.set_incident_alert(
            session, incident_id=data["id"], channel=posted["channel"], ts=posted["ts"]
        )
    room = services.incident_channels.open(services.store, client, data, now=services.now(), tz=tz)
    if room:  # the alert links the incident's channel
        linked = incident_alert_blocks(data, tz, channel=room)
        update_quietly(client, posted["channel"], posted["ts"], data, linked)


def _once(services: Services, key: str, post: Any) -> None:
    with services.store.session() as session:
        if repo.claim_delivery(session, key=key, now=services.now()):
            post()


def _staff_text(data: dict[str, Any]) -> str:
    late = "⚠ 逾期报备 / LATE notice" if data["late"] else "按时 / on time"
    return (
        f"👤 安全团队人员变动 #{data['id']} / Security-team change #{data['id']}: {data['name']} ({data['role']}, {data['kind']}), "
        f"生效 / effective {data['effective_date']}, 提前 {data['notice_days']} 天 / {data['notice_days']} days' notice — {late}. "
        "第十九条 / Art. 19: 提前30日报备 / report 30 days ahead."
    )
