"""One entry point for every filing, used alike by the console and by Slack."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import datetime
from types import ModuleType
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from commands import deadlines, incidents, inspections, staff_changes
from commands.errors import UserError
from commands.grammar import Context
from commands.replies import Lang, Reply
from commands.store import Store, repo
from commands.store.audit import canonical_json

COMMANDS = ("inspect", "staff-change", "incident", "deadlines")
_MODULES: dict[str, ModuleType] = {
    "inspect": inspections,
    "staff-change": staff_changes,
    "incident": incidents,
    "deadlines": deadlines,
}


def run_command(
    store: Store,
    command: str,
    text: str,
    *,
    user: str,
    lang: Lang,
    now: datetime,
    idempotency_key: str | None = None,
    filers: Sequence[str] = (),
    tz: ZoneInfo,
) -> Reply:
    """Parse, validate, write and reply, all in one transaction; raises UserError for bad input.

    The same idempotency key twice gives one record and the same reply. When FILERS is set,
    anyone else's write is refused, and the refusal itself is audited.
    """
    module = _MODULES.get(command)
    if module is None:
        raise UserError(f"未知命令 /{command}。", f"Unknown command /{command}.")
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    text = " ".join(text.split()) if "\n" not in text else text.strip()
    context = Context(user=user, lang=lang, now=now, tz=tz)
    if filers and user not in filers and module.is_write(text):
        _refuse(store, command, text, context)
    handle: Callable[[Session, str, Context], Reply] = module.handle
    if idempotency_key is None:
        with store.session() as session:
            return _jsonable(handle(session, text, context))
    try:
        with store.session() as session:
            if (seen := repo.recall_reply(session, key=idempotency_key)) is not None:
                return Reply.from_json(seen)
            reply = _jsonable(handle(session, text, context))
            repo.remember_reply(session, key=idempotency_key, reply=reply.to_json(), now=now)
            return reply
    except IntegrityError:
        # A concurrent retry with the same key committed first: answer with what it stored.
        with store.session() as session:
            seen = repo.recall_reply(session, key=idempotency_key)
        if seen is None:
            raise
        return Reply.from_json(seen)


def _refuse(store: Store, command: str, text: str, context: Context) -> None:
    with store.session() as session:
        repo.audit_refusal(session, actor=context.user, command=command, text=text, now=context.now)
    raise UserError(
        f"你没有提交 /{command} 的权限（仅 FILERS 设置中的用户可以提交）。查询类操作不受限制。请联系安全管理团队。",
        f"You are not allowed to file /{command} (only the users in the FILERS setting may). Read-only actions still work. Ask the security team.",
    )


def _jsonable(reply: Reply) -> Reply:
    """The reply exactly as a retry will read it back from the store."""
    return Reply.from_json(json.loads(canonical_json(reply.to_json())))
