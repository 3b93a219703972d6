"""The text entry point, used alike by the console and by Slack's slash commands: parse, execute."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from commands.execute import execute
from commands.grammar import NO_ORG, Context, Organisation
from commands.grammars import COMMANDS, parse
from commands.replies import Lang, Reply
from commands.store import Store

__all__ = ["COMMANDS", "run_command"]


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
    org: Organisation = NO_ORG,
    alert_channel: str | None = None,
) -> Reply:
    """Parse the text into its operation and execute it; raises UserError for bad input.

    Text that does not parse writes nothing. What it parses into decides everything else
    (FILERS, the record, the reply): see commands.execute.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    operation = parse(command, text, Context(user=user, lang=lang, now=now, tz=tz, org=org))
    return execute(
        store,
        operation,
        user=user,
        lang=lang,
        now=now,
        tz=tz,
        filers=filers,
        idempotency_key=idempotency_key,
        source=text,
        org=org,
        alert_channel=alert_channel,
    )
