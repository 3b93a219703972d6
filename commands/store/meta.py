"""Facts about the store itself, kept in it: its id."""

from __future__ import annotations

from sqlalchemy.orm import Session

from commands.store.models import StoreMeta


def store_id(session: Session) -> str | None:
    """The id the first migration past 0001 gave this store (None before it ran)."""
    row = session.get(StoreMeta, "store_id")
    return row.value if row else None
