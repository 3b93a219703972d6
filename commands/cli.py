"""`compliance-bot db upgrade | audit verify | audit head`: the store's subcommands (`report` and
`incident draft` are in commands.cli_documents)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol
from zoneinfo import ZoneInfo

from commands.errors import StoreUnavailable

# The store (SQLAlchemy, Alembic) is imported by the handlers that use it: building the parser
# for `compliance-bot ask` must not cost the store's imports.
if TYPE_CHECKING:
    from commands.grammar import Organisation
    from commands.store import Store


class StoreSettings(Protocol):
    """What these handlers read from bot.settings.Settings (commands never imports bot)."""

    @property
    def resolved_database_url(self) -> str: ...

    @property
    def data_dir(self) -> Path: ...

    @property
    def tz(self) -> ZoneInfo: ...

    @property
    def org(self) -> Organisation: ...


def register(sub: Any) -> None:
    """Add the store's subcommands to the `compliance-bot` argument parser."""
    db = sub.add_parser("db", help="database maintenance")
    db_sub = db.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    db_sub.add_parser(
        "upgrade", help="create the store on purpose, or apply migrations up to head"
    ).set_defaults(handler=db_upgrade)

    audit = sub.add_parser("audit", help="the tamper-evident audit trail")
    audit_sub = audit.add_subparsers(dest="audit_command", required=True, metavar="ACTION")
    verify = audit_sub.add_parser(
        "verify", help="check the chain and every record against it; exit 1 on tampering"
    )
    verify.add_argument(
        "--expect-head",
        metavar="SEQ:HASH",
        help="a head printed earlier by `audit head` (or posted daily): it must still be in the chain",
    )
    verify.set_defaults(handler=audit_verify)
    audit_sub.add_parser(
        "head", help="print the chain's current head (keep it outside the store)"
    ).set_defaults(handler=audit_head)

    from commands import cli_documents  # it builds on this module's store helpers

    cli_documents.register(sub)


def db_upgrade(args: argparse.Namespace | None, settings: StoreSettings) -> int:
    """Create the store at DATABASE_URL on purpose, or bring its schema to head."""
    from commands.store.meta import store_id
    from commands.store.presence import open_store

    try:
        store = open_store(settings.resolved_database_url, data_dir=settings.data_dir, create=True)
    except StoreUnavailable as error:
        return _unavailable(error)
    with store.session() as session:
        found = store_id(session)
    store.dispose()
    print(f"database at head ({store.dialect}); store id {found}")
    return 0


def audit_verify(args: argparse.Namespace | None, settings: StoreSettings) -> int:
    """0 when the chain, every record and the expected head check out; 1 at the first problem."""
    from commands.store.verify import parse_anchor, verify_audit

    expected = getattr(args, "expect_head", None)
    try:
        anchor = parse_anchor(expected) if expected else None
    except ValueError as error:
        print(f"--expect-head: {error}", file=sys.stderr)
        return 2
    store = existing(settings)
    if store is None:
        return 2
    try:
        with store.session() as session:
            report = verify_audit(session, anchor=anchor)
    finally:
        store.dispose()
    if report.ok:
        anchored = " and contains the expected head" if anchor else ""
        print(
            f"audit chain intact: {report.entries} entries; {report.records} records match their audited state{anchored}"
        )
        return 0
    if report.problem in ("edited", "deleted", "reordered", "inserted"):
        print(f"audit chain broken: entry {report.seq} was {report.problem} ({report.detail})")
    else:
        print(f"audit check failed: {report.problem} ({report.detail})")
    print(f"{report.entries} entries checked")
    return 1


def audit_head(args: argparse.Namespace | None, settings: StoreSettings) -> int:
    """Print SEQ:HASH of the chain's last entry, for `audit verify --expect-head` later."""
    from commands.store.audit import current_head

    store = existing(settings)
    if store is None:
        return 2
    try:
        with store.session() as session:
            seq, digest = current_head(session)
    finally:
        store.dispose()
    print(f"{seq}:{digest}")
    return 0


def existing(settings: StoreSettings) -> Store | None:
    """The configured store, never created or migrated here; None (reported) when unusable."""
    from commands.store.presence import open_existing

    try:
        return open_existing(settings.resolved_database_url, data_dir=settings.data_dir)
    except StoreUnavailable as error:
        _unavailable(error)
        return None


def _unavailable(error: StoreUnavailable) -> int:
    print(error.en, file=sys.stderr)
    print(error.zh, file=sys.stderr)
    return 2
