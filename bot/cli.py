"""`compliance-bot`: one entry point with a subcommand per job."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence

from bot import redact
from bot.settings import Settings

Handler = Callable[[argparse.Namespace, Settings], int]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="compliance-bot",
        description="Compliance bot for the Chongqing e-government cloud platform security measures.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    console = sub.add_parser("console", help="the bot in this terminal (reads stdin line by line)")
    console.add_argument(
        "--lang", choices=("auto", "zh", "en"), default="auto", help="reply language"
    )
    console.add_argument("--user", default="", help="user id filings are recorded under")
    console.set_defaults(handler=_console)

    _register_optional(sub)
    return parser


def _register_optional(sub: argparse._SubParsersAction) -> None:
    """Subcommands of the other layers: answers (ask, ingest, eval), the store (db, audit,
    report) and Slack (serve, remind)."""
    from bot import knowledge_cli, slack_cli
    from commands import cli as commands_cli

    knowledge_cli.register(sub)
    commands_cli.register(sub)
    slack_cli.register(sub)


def _console(args: argparse.Namespace, settings: Settings) -> int:
    from bot.console import run_console
    from bot.services import build_services

    return run_console(build_services(settings), lang=args.lang, user=args.user)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    settings = Settings()
    logging.basicConfig(
        level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    redact.install()  # tokens never reach a log line, whatever LOG_LEVEL says
    logging.getLogger("alembic").setLevel(
        logging.WARNING
    )  # "Context impl SQLiteImpl" at every start
    handler: Handler = args.handler
    return handler(args, settings)


if __name__ == "__main__":
    sys.exit(main())
