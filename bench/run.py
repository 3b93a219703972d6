"""`make bench`: every benchmark in turn, each printing its figures."""

from __future__ import annotations

import importlib
import time

MODULES = (
    "bench.knowledge_answers",  # first start, ingest throughput, warm latency on six documents
    "bench.knowledge_scale",  # answer latency with 100 regulations indexed
    "bench.commands_store",  # filings per second, due reminders over 10,000 open items
    "bench.bot_ack",  # slash-command ack latency with 50 concurrent clients, reminder tick
    "bench.slack_faults",  # filing replies while Slack hangs, and while every post is slow
    "bench.documents",  # render time and size of the monthly and incident .docx
    "bench.report_store",  # the monthly report from a busy month's store: rows, md, csv, docx
)


def main() -> None:
    for name in MODULES:
        print(f"== {name}", flush=True)
        started = time.perf_counter()
        importlib.import_module(name).main()
        print(f"   ({time.perf_counter() - started:.0f} s)", flush=True)


if __name__ == "__main__":
    main()
