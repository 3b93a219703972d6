"""`compliance-bot report` (Art. 33, Markdown, CSV or .docx) and `compliance-bot incident draft`
(the Art. 30 report to the authorities, .docx): the documents, written where the operator says."""

from __future__ import annotations

import argparse
import getpass
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from commands.cli import StoreSettings, existing
from commands.errors import UserError


def register(sub: Any) -> None:
    """Add `report` and `incident draft` to the `compliance-bot` argument parser."""
    report = sub.add_parser("report", help="the monthly report to tenants (Art. 33)")
    report.add_argument("--month", required=True, help="the month to report, YYYY-MM")
    report.add_argument(
        "--format", choices=("md", "csv", "docx"), default="md", help="Markdown, CSV or Word"
    )
    report.add_argument("--lang", choices=("zh", "en"), default="zh", help="report language")
    report.add_argument(
        "--output",
        metavar="FILE",
        type=Path,
        help="write the report to FILE (required for docx; md and csv print otherwise)",
    )
    report.set_defaults(handler=report_month)

    incident = sub.add_parser("incident", help="documents of one incident (Art. 30)")
    actions = incident.add_subparsers(dest="incident_command", required=True, metavar="ACTION")
    draft = actions.add_parser(
        "draft", help="the pre-filled report to the authorities (网络安全事件报告, .docx)"
    )
    draft.add_argument("incident_id", type=int, help="the incident's number")
    draft.add_argument("--lang", choices=("zh", "en"), default="zh", help="document language")
    draft.add_argument(
        "--output",
        metavar="FILE",
        type=Path,
        help="where to write it (default: incident-ID-report-draft-TIME.docx here)",
    )
    draft.set_defaults(handler=draft_incident)


def report_month(args: argparse.Namespace, settings: StoreSettings) -> int:
    """Print or write the Art. 33 monthly report; 2 with the reason on a bad month or output."""
    from commands.report import render_month  # imported late: `compliance-bot ask` stays light

    if args.format == "docx" and args.output is None:
        print(
            "a .docx report needs --output FILE / .docx 报告须用 --output 指定文件", file=sys.stderr
        )
        return 2
    store = existing(settings)
    if store is None:
        return 2
    try:
        content = render_month(
            store,
            month=args.month,
            fmt=args.format,
            tz=settings.tz,
            lang=args.lang,
            now=datetime.now(settings.tz),
            org=settings.org,
        )
    except UserError as error:
        print(error.message(args.lang), file=sys.stderr)
        return 2
    finally:
        store.dispose()
    if args.output is None:
        print(content)
        return 0
    return _write(args.output, content.encode("utf-8") if isinstance(content, str) else content)


def draft_incident(args: argparse.Namespace, settings: StoreSettings) -> int:
    """Write the incident's report draft and print its path; 2 when there is no such incident."""
    from commands.execute import execute  # imported late, as in report_month
    from commands.operations import DraftIncidentReport

    store = existing(settings)
    if store is None:
        return 2
    try:
        reply = execute(
            store,
            DraftIncidentReport(args.incident_id),
            user=f"cli:{getpass.getuser()}",
            lang=args.lang,
            now=datetime.now(settings.tz),
            tz=settings.tz,
            org=settings.org,
        )
    except UserError as error:
        print(error.message(args.lang), file=sys.stderr)
        return 2
    finally:
        store.dispose()
    document = reply.files[0]
    status = _write(args.output or Path(document.name), document.content)
    if status == 0:
        print(reply.text)
    return status


def _write(path: Path, content: bytes) -> int:
    try:
        path.write_bytes(content)
    except OSError as error:
        print(f"cannot write {path}: {error.strerror} / 无法写入 {path}", file=sys.stderr)
        return 2
    print(path.resolve())
    return 0
