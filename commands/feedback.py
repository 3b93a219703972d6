"""👍/👎 on answers, kept so the team can see which answers helped."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.orm import Session

from commands.errors import UserError
from commands.store import repo

VOTES = ("up", "down")


def record_vote(
    session: Session,
    *,
    user: str,
    question: str,
    articles: Sequence[int],
    vote: str,
    key: str,
    now: datetime,
) -> bool:
    """Store one vote per key (a double click counts once); False when already recorded."""
    if vote not in VOTES:
        raise UserError("无效的评价。", f"Unknown vote {vote!r}.")
    return repo.record_vote(
        session,
        key=key,
        user=user,
        question=question[:500],
        articles=",".join(map(str, articles)),
        vote=vote,
        now=now,
    )
