"""`compliance-bot --help` that documents itself: each option's default, each command's settings.

The settings each command reads are listed from Settings' own fields (default and allowed
values), so the help cannot drift from what the code accepts.
"""

from __future__ import annotations

import argparse
from importlib import metadata
from pathlib import Path
from typing import Any

from bot.settings import settings_reference

_KNOWLEDGE = (
    "DATA_DIR",
    "CHROMA_PATH",
    "CHROMA_HOST",
    "CHROMA_PORT",
    "DOCS_DIR",
    "EMBEDDING_BACKEND",
    "EMBEDDING_MODEL",
    "LLM_BASE_URL",
    "LLM_MODEL",
    "LLM_API_KEY",
    "LLM_TIMEOUT_S",
)
_STORE = ("DATA_DIR", "DATABASE_URL", "TEAM_TIMEZONE")
_DOCUMENTS = ("ORG_NAME", "ORG_CONTACT")
_REMINDERS = ("INSPECTION_REMINDER_HOUR", "INSPECTION_ALERT_HOUR", "OBLIGATION_REMINDER_HOUR")
_SLACK = ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_API_URL")
# Which settings each command reads; LOG_LEVEL applies to all of them.
READS: dict[str, tuple[str, ...]] = {
    "ask": _KNOWLEDGE,
    "console": (*_KNOWLEDGE, *_STORE, "FILERS", *_DOCUMENTS, *_REMINDERS),
    "ingest": _KNOWLEDGE,
    "eval": _KNOWLEDGE,
    "serve": (*_SLACK, "ALERT_CHANNEL", *_KNOWLEDGE, *_STORE, "FILERS", *_DOCUMENTS, *_REMINDERS),
    "remind": (*_STORE, "SLACK_BOT_TOKEN", "SLACK_API_URL", "ALERT_CHANNEL", *_REMINDERS),
    "db": _STORE,
    "audit": _STORE,
    "report": (*_STORE, *_DOCUMENTS),
    "incident": (*_STORE, *_DOCUMENTS),
}


def version() -> str:
    try:
        return metadata.version("govcloud-compliance-bot")
    except metadata.PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown (not installed)"


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Appends "(default: …)" to every option that has a meaningful default."""

    def _get_help_string(self, action: argparse.Action) -> str:
        text = action.help or ""
        default = action.default
        if (
            "%(default)" in text
            or "(default:" in text
            or action.required
            or not action.option_strings
            or default in (None, False, "", argparse.SUPPRESS)
        ):
            return text
        return f"{text} (default: %(default)s)"


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose subcommands (nested ones too) use HelpFormatter."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, **kwargs)


def document_environment(sub: Any) -> None:
    """Give every registered command an epilog listing the settings it reads."""
    reference = {name: (default, allowed) for name, default, allowed in settings_reference()}
    for command, parser in sub.choices.items():
        names = (*READS.get(command, ()), "LOG_LEVEL")
        lines = ["environment variables read (also from ./.env):"]
        for name in dict.fromkeys(names):
            default, allowed = reference[name]
            lines.append(f"  {name:26} default {_shown(default)}; {allowed}")
        for documented in (parser, *_nested(parser)):  # `db upgrade` reads what `db` reads
            documented.epilog = "\n".join(lines)


def _nested(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    found = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                found += [child, *_nested(child)]
    return found


def _shown(default: object) -> str:
    if isinstance(default, Path):
        try:
            return "./" + str(default.relative_to(Path.cwd()))
        except ValueError:
            return str(default)
    if default in ("", (), None):
        return "unset"
    return str(default)
