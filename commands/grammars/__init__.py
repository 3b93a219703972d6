"""Text → typed operation, one grammar per slash command (the console and Slack share them)."""

from __future__ import annotations

from collections.abc import Callable

from commands.errors import UserError
from commands.grammar import Context
from commands.grammars import deadlines, incident, inspect, staff_change
from commands.operations import Operation

COMMANDS = ("inspect", "staff-change", "incident", "deadlines")
_PARSERS: dict[str, Callable[[str, Context], Operation]] = {
    "inspect": inspect.parse,
    "staff-change": staff_change.parse,
    "incident": incident.parse,
    "deadlines": deadlines.parse,
}
HELP: dict[str, tuple[str, str]] = {
    "inspect": (inspect.HELP_ZH, inspect.HELP_EN),
    "staff-change": (staff_change.HELP_ZH, staff_change.HELP_EN),
    "incident": (incident.HELP_ZH, incident.HELP_EN),
}


def parse(command: str, text: str, ctx: Context) -> Operation:
    """The operation a command's text asks for; raises UserError (nothing written) otherwise."""
    parser = _PARSERS.get(command)
    if parser is None:
        raise UserError(f"未知命令 /{command}。", f"Unknown command /{command}.", field="command")
    return parser(text, ctx)
