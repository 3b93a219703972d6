"""`compliance-bot`: one entry point with a subcommand per job."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict
from pathlib import Path

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

    ask = sub.add_parser("ask", help="answer one question from the regulation")
    ask.add_argument("question", help="the question, in Chinese or English")
    ask.add_argument("--json", action="store_true", help="print the answer as JSON")
    ask.set_defaults(handler=_ask)

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

    ingest = sub.add_parser(
        "ingest", help="index the regulation(s); unchanged documents are skipped"
    )
    ingest.add_argument(
        "paths", nargs="*", type=Path, help="files or directories (default: bundled)"
    )
    ingest.set_defaults(handler=_ingest)

    _register_optional(sub)
    document_environment(sub)
    return parser


def _register_optional(sub: argparse._SubParsersAction) -> None:
    """Subcommands of the other layers: the store (db, audit, report) and Slack (serve, remind)."""
    from bot import slack_cli
    from commands import cli as commands_cli

    commands_cli.register(sub)
    slack_cli.register(sub)


def _ask(args: argparse.Namespace, settings: Settings) -> int:
    from bot.services import knowledge_config
    from knowledge.answer import EmptyQuestion
    from knowledge.engine import build_answerer

    try:
        answer = build_answerer(knowledge_config(settings)).answer(args.question)
    except EmptyQuestion:
        print("请输入问题 / Please type a question.", file=sys.stderr)
        return 2
    if args.json:
        payload = {
            "answer": answer.text,
            "language": answer.language,
            "abstained": answer.abstained,
            "phrased_by": answer.phrased_by,
            "citations": [
                {**asdict(c), "document": c.doc_id, "document_title": c.doc_title}
                for c in answer.citations
            ],
        }
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        print(answer.text)
    return 0


def _console(args: argparse.Namespace, settings: Settings) -> int:
    from bot.console import run_console
    from bot.services import build_services

    return run_console(build_services(settings), lang=args.lang, user=args.user)


def _ingest(args: argparse.Namespace, settings: Settings) -> int:
    from bot.services import knowledge_config
    from knowledge.engine import open_index
    from knowledge.ingest import describe, ingest
    from knowledge.loaders import LoadError

    config = knowledge_config(settings)
    paths = args.paths or list(config.docs)
    try:
        report = ingest(open_index(config), paths)
    except LoadError as exc:
        print(f"ingest failed, index left unchanged: {exc}", file=sys.stderr)
        return 1
    print(describe(report))
    return 0


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
    from commands.store.presence import StoreUnavailable

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
