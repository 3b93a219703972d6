"""`compliance-bot db upgrade | audit verify | report`: the store's subcommands."""

from __future__ import annotations

import argparse
import sys
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from commands.errors import UserError
from commands.store import Store
from commands.store.audit import verify_audit


class StoreSettings(Protocol):
    """What these handlers read from bot.settings.Settings (commands never imports bot)."""

    @property
    def resolved_database_url(self) -> str: ...

    @property
    def tz(self) -> ZoneInfo: ...


def register(sub: Any) -> None:
    """Add the store's subcommands to the `compliance-bot` argument parser."""
    db = sub.add_parser("db", help="database maintenance")
    db_sub = db.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    db_sub.add_parser("upgrade", help="apply migrations up to head").set_defaults(
        handler=db_upgrade
    )

    audit = sub.add_parser("audit", help="the tamper-evident audit trail")
    audit_sub = audit.add_subparsers(dest="audit_command", required=True, metavar="ACTION")
    audit_sub.add_parser("verify", help="check the hash chain; exit 1 on tampering").set_defaults(
        handler=audit_verify
    )

    report = sub.add_parser("report", help="the monthly report to tenants (Art. 33)")
    report.add_argument("--month", required=True, help="the month to report, YYYY-MM")
    report.add_argument(
        "--format", choices=("md", "csv"), default="md", help="Markdown or CSV (default: md)"
    )
    report.add_argument(
        "--lang", choices=("zh", "en"), default="zh", help="report language (default: zh)"
    )
    report.set_defaults(handler=report_month)


def db_upgrade(args: argparse.Namespace | None, settings: StoreSettings) -> int:
    """Bring the schema at DATABASE_URL to head (start-up does the same)."""
    store = Store.open(settings.resolved_database_url)
    store.dispose()
    print(f"database at head ({store.dialect})")
    return 0


def audit_verify(args: argparse.Namespace | None, settings: StoreSettings) -> int:
    """Walk the audit chain; 0 when intact, 1 at the first edited, deleted, reordered entry."""
    store = Store.open(settings.resolved_database_url)
    try:
        with store.session() as session:
            report = verify_audit(session)
    finally:
        store.dispose()
    if report.ok:
        print(f"audit chain intact: {report.entries} entries")
        return 0
    print(f"audit chain broken: entry {report.seq} was {report.problem} ({report.detail})")
    print(f"{report.entries} entries checked")
    return 1


def report_month(args: argparse.Namespace, settings: StoreSettings) -> int:
    """Print the Art. 33 monthly report; 2 with the reason when the month is malformed."""
    from commands.report import render_month  # imported late: `compliance-bot ask` stays light

    store = Store.open(settings.resolved_database_url)
    try:
        print(
            render_month(store, month=args.month, fmt=args.format, tz=settings.tz, lang=args.lang)
        )
    except UserError as error:
        print(error.message(args.lang), file=sys.stderr)
        return 2
    finally:
        store.dispose()
    return 0
