"""What a filing owes the alert channel, enqueued in the filing's own transaction.

A stored incident always has its alert row (Art. 30: the team must know within the 2-hour
window), a stored staff change its notice (Art. 19). The rows hold plain data: the incident
alert is rendered at delivery from the incident as it is then, so a retried or late alert, and
every update of it, shows the current state and the order of deliveries cannot matter.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from sqlalchemy.orm import Session

from commands import outbox
from commands.incidents import incident_data
from commands.operations import (
    CloseIncident,
    EditIncident,
    FileStaffChange,
    OpenIncident,
    Operation,
    ReportIncident,
)
from commands.replies import Lang, Reply, pick
from commands.store import Store, repo
from commands.store.audit import canonical_json
from commands.store.outbox import get_message
from commands.text import display

OWES_ALERT = (OpenIncident, ReportIncident, CloseIncident, EditIncident, FileStaffChange)
INCIDENT_ALERT, INCIDENT_UPDATE, NOTICE = "incident_alert", "incident_alert_update", "notice"


def incident_alert_key(incident_id: int) -> str:
    return f"alert:incident:{incident_id}"


def enqueue_alerts(
    session: Session, op: Operation, reply: Reply, *, channel: str | None, now: Any
) -> Reply:
    """Enqueue what `op` owes the alert channel; the reply names the rows (or says none could be)."""
    if not isinstance(op, OWES_ALERT):
        return reply
    if not channel:
        return replace(reply, alert_channel_missing=True)
    data = reply.data
    if isinstance(op, OpenIncident):
        key = incident_alert_key(data["id"])
        outbox.enqueue(
            session,
            key=key,
            kind=INCIDENT_ALERT,
            channel=channel,
            payload={"incident_id": data["id"]},
            now=now,
        )
    elif isinstance(op, FileStaffChange):
        key = f"alert:staff:{data['id']}"
        zh, en = staff_notice(data)
        outbox.enqueue(
            session,
            key=key,
            kind=NOTICE,
            channel=channel,
            payload={"text_zh": zh, "text_en": en},
            now=now,
        )
    else:
        original = incident_alert_key(data["id"])
        if get_message(session, key=original) is None:
            return reply  # filed while no alert channel was set: there is no alert to update
        # The audit head's seq is this write's own: one update row per change of the incident.
        key = f"{original}:update:{repo.current_head(session)[0]}"
        outbox.enqueue(
            session,
            key=key,
            kind=INCIDENT_UPDATE,
            channel=channel,
            payload={"incident_id": data["id"], "of": original},
            now=now,
        )
    return replace(reply, outbox=(*reply.outbox, key))


def staff_notice(data: dict[str, Any]) -> tuple[str, str]:
    """The team-channel notice of a staff change, as plain text (escaped where it is rendered)."""
    name, role, kind = display(data["name"]), display(data["role"]), data["kind"]
    when, days, late = data["effective_date"], data["notice_days"], data["late"]
    return (
        f"👤 安全团队人员变动 #{data['id']}：{name}（{role}，{kind}），{when} 生效，提前 {days} 天报备"
        f"{' — ⚠ 逾期报备' if late else ' — 按时'}。第十九条：提前30日报备。",
        f"👤 Security-team change #{data['id']}: {name} ({role}, {kind}), effective {when}, "
        f"{days} days' notice{' — ⚠ LATE notice' if late else ' — on time'}. Art. 19: report 30 days ahead.",
    )


def incident_alert_data(store: Store, incident_id: int) -> dict[str, Any]:
    """The incident as its alert shows it now (JSON data: times as ISO 8601 text)."""
    with store.session() as session:
        incident = repo.get_incident(session, incident_id=incident_id)
        if incident is None:
            raise LookupError(f"incident {incident_id} is not in the store")
        reports = repo.incident_reports(session, incident_id=incident_id)
        return dict(json.loads(canonical_json(incident_data(incident, reports))))


def posted_at(store: Store, key: str) -> tuple[str, str] | None:
    """Where the message with this key was posted (channel, ts), once it was."""
    with store.session() as session:
        row = get_message(session, key=key)
        if row is None or row.posted_ts is None or row.posted_channel is None:
            return None
        return row.posted_channel, row.posted_ts


def plain_text(store: Store, message: outbox.Message, lang: Lang | None) -> str:
    """A message as plain text in one language (None: both), for the console and the CLI
    without Slack; "" for an update of a message (a terminal has nothing to update)."""
    payload = message.payload
    if message.kind == NOTICE:
        zh, en = str(payload["text_zh"]), str(payload["text_en"])
    elif message.kind == INCIDENT_ALERT:
        data = incident_alert_data(store, payload["incident_id"])
        zh = f"🚨 网络安全事件 #{data['id']}：{display(data['summary'])}"
        en = f"🚨 Security incident #{data['id']}: {display(data['summary'])}"
    else:
        zh = en = ""
    if zh or en:
        return f"{zh}\n{en}" if lang is None else pick(lang, zh, en)
    if message.kind == INCIDENT_UPDATE:
        return ""
    return str(payload.get("text", ""))
