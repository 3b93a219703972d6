"""`compliance-bot`: one entry point with a subcommand per job."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence

from pydantic import ValidationError

from bot import redact
from bot.cli_help import Parser, document_environment, version
from bot.settings import Settings, describe_errors

Handler = Callable[[argparse.Namespace, Settings], int]


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="compliance-bot",
        description="Compliance bot for the Chongqing e-government cloud platform security measures.",
        epilog="Settings are environment variables, also read from ./.env in the working "
        "directory; each command's --help lists the ones it reads.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {version()}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    console = sub.add_parser("console", help="the bot in this terminal (reads stdin line by line)")
    console.add_argument(
        "--lang", choices=("auto", "zh", "en"), default="auto", help="reply language"
    )
    console.add_argument(
        "--user",
        default="",
        help="user id filings are recorded under (default: console:LOGIN, your login name)",
    )
    console.set_defaults(handler=_console)

    _register_optional(sub)
    document_environment(sub)
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
    try:
        settings = Settings.from_environment()
    except ValidationError as error:  # one line per bad setting, no traceback
        for line in describe_errors(error):
            print(f"compliance-bot: {line}", file=sys.stderr)
        return 2
    # Tokens and secrets never reach a log line, tracebacks included, whatever LOG_LEVEL says.
    redact.install(settings.log_level, secrets=_secrets(settings))
    logging.getLogger("alembic").setLevel(
        logging.WARNING
    )  # "Context impl SQLiteImpl" at every start
    handler: Handler = args.handler
    from commands.errors import StoreUnavailable

    try:
        return handler(args, settings)
    except StoreUnavailable as error:  # a lost, empty, foreign or damaged store: say what to do
        print(f"{error.en}\n{error.zh}", file=sys.stderr)
        return 2


def _secrets(settings: Settings) -> list[str]:
    return [
        secret.get_secret_value()
        for secret in (
            settings.slack_bot_token,
            settings.slack_app_token,
            settings.slack_signing_secret,
            settings.llm_api_key,
        )
    ]


if __name__ == "__main__":
    sys.exit(main())
