"""Repository functions, one namespace for the domain: `from commands.store import repo`.

Every write appends its audit entry in the same transaction (commands.store.records.write).
"""

from __future__ import annotations

from commands.store.audit import append_audit, current_head, last_actor, lock_chain
from commands.store.filings import (
    completion_between,
    completions_between,
    create_completion,
    create_inspection,
    create_staff_change,
    first_activity,
    get_inspection,
    get_staff_change,
    inspections_between,
    last_completions,
    mark_staff_change_notified,
    staff_changes_filed_between,
    staff_changes_pending_notice,
)
from commands.store.history import (
    add_timeline_entry,
    cancel_record,
    correct_record,
    corrections_between,
    corrections_of,
    rewrite,
    timeline,
    timeline_between,
    timeline_entry_by_key,
)
from commands.store.incident_channels import (
    get_incident_channel,
    incident_channels,
    incident_of_channel,
    set_incident_channel,
)
from commands.store.incidents import (
    close_incident,
    create_incident,
    create_incident_report,
    get_incident,
    incident_report,
    incident_reports,
    incidents_discovered_between,
    open_incidents,
    open_incidents_with_reports,
)
from commands.store.keys import (
    claim_deliveries,
    claim_delivery,
    delivered_stages,
    recall_reply,
    record_vote,
    remember_reply,
)
from commands.store.meta import store_id
from commands.store.records import as_record, audit_refusal, check_audited
from commands.store.verify import verify_audit

__all__ = [
    "add_timeline_entry",
    "append_audit",
    "as_record",
    "audit_refusal",
    "cancel_record",
    "check_audited",
    "claim_deliveries",
    "claim_delivery",
    "close_incident",
    "completion_between",
    "completions_between",
    "correct_record",
    "corrections_between",
    "corrections_of",
    "create_completion",
    "create_incident",
    "create_incident_report",
    "create_inspection",
    "create_staff_change",
    "current_head",
    "delivered_stages",
    "first_activity",
    "get_incident",
    "get_incident_channel",
    "get_inspection",
    "get_staff_change",
    "incident_channels",
    "incident_of_channel",
    "incident_report",
    "incident_reports",
    "incidents_discovered_between",
    "inspections_between",
    "last_actor",
    "last_completions",
    "lock_chain",
    "mark_staff_change_notified",
    "open_incidents",
    "open_incidents_with_reports",
    "recall_reply",
    "record_vote",
    "remember_reply",
    "rewrite",
    "set_incident_channel",
    "staff_changes_filed_between",
    "staff_changes_pending_notice",
    "store_id",
    "timeline",
    "timeline_between",
    "timeline_entry_by_key",
    "verify_audit",
]
