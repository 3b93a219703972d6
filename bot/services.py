"""The services the console and the Slack app share, built once per process from Settings."""

from __future__ import annotations

import logging
import os
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from bot.incident_channels import CHANNEL_KIND, IncidentChannels
from bot.knowledge_config import knowledge_config
from bot.locale import Locales
from bot.settings import Settings
from knowledge.engine import build_answerer

if TYPE_CHECKING:
    from commands.operations import Operation
    from commands.replies import Lang, Reply
    from commands.store import Store
    from knowledge.answer import Answerer


log = logging.getLogger(__name__)

BACKGROUND_THREADS = 4
DELIVERY_THREADS = 8
INTERACTIVE_THREADS = 16
# How much lower than the process's the background threads' CPU priority is (Linux "nice").
BACKGROUND_NICENESS = 10


def yield_cpu_to_requests() -> None:
    """Pool initializer: run this worker thread BACKGROUND_NICENESS below the process's CPU
    priority (Linux, where a priority is per thread).

    An answer spends ~25 ms embedding the question in C with the GIL released, so four of them
    keep both cores of a small host busy while the HTTP threads wait for a core to send their
    acks (p99 over 100 ms with 50 concurrent clients, measured). At a lower priority the kernel
    runs the request threads first; the answers take the cores that are left, and on an idle host
    that is all of them. The level is set from the process's, not the thread's: a thread inherits
    its creator's, and a pool's threads are created by whoever submits first.
    """
    if not sys.platform.startswith("linux"):
        return  # elsewhere the priority is the whole process's: leave it
    thread = threading.get_native_id()
    try:
        target = min(os.getpriority(os.PRIO_PROCESS, os.getpid()) + BACKGROUND_NICENESS, 19)
        if os.getpriority(os.PRIO_PROCESS, thread) < target:  # raising it needs no privilege
            os.setpriority(os.PRIO_PROCESS, thread, target)
    except OSError as error:  # a sandbox may refuse it: slower acks under load, nothing wrong
        log.warning("background threads keep the normal CPU priority: %s", error)


@dataclass
class Services:
    settings: Settings
    answerer: Answerer
    store: Store
    locales: Locales = field(default_factory=Locales)
    incident_channels: IncidentChannels = field(init=False)
    # Work after ack (answers, filings, Slack calls) runs here, on few threads at a lower CPU
    # priority, so that acks never wait behind the answers being built (Slack allows 3 s).
    background: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(
            max_workers=BACKGROUND_THREADS,
            thread_name_prefix="work",
            initializer=yield_cpu_to_requests,
        )
    )
    # Slack calls due within seconds of the request, at the normal priority: views.open with a
    # trigger_id that expires 3 s after the click, never queued behind answers or deliveries.
    interactive: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(
            max_workers=INTERACTIVE_THREADS, thread_name_prefix="interactive"
        )
    )
    # Called after every write that succeeded (e.g. refresh open Home tabs); they must not raise.
    after_write: list[Callable[[Reply], None]] = field(default_factory=list)

    # The first delivery attempt right after a filing (bot.alerts): its own threads, so a hanging
    # Slack holds these, never the pool that answers and files; work after ack, so at the same
    # lower priority (the background threads that submit it would pass theirs on anyway).
    delivery: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(
            max_workers=DELIVERY_THREADS,
            thread_name_prefix="deliver",
            initializer=yield_cpu_to_requests,
        )
    )

    def __post_init__(self) -> None:
        from bot.delivery import register_kind

        self.incident_channels = IncidentChannels(
            enabled=self.settings.incident_channels == "on",
            responders=self.settings.incident_responders,
        )
        # The channel's deliverer is this process's: it remembers a refusal (missing_scope).
        register_kind(CHANNEL_KIND, self.incident_channels.deliver_channel)

    def now(self) -> datetime:
        """The current time in the team's zone."""
        return datetime.now(self.settings.tz)

    def file(
        self, command: str, text: str, *, user: str, lang: Lang, key: str | None = None
    ) -> Reply:
        """Run a filing typed as text, with the configured FILERS and time zone (raises UserError)."""
        from commands.grammar import Context
        from commands.grammars import parse

        settings = self.settings
        now = self.now()
        context = Context(user=user, lang=lang, now=now, tz=settings.tz, org=settings.org)
        operation = parse(command, text, context)
        return self.run(operation, user=user, lang=lang, key=key, source=text, now=now)

    def run(
        self,
        operation: Operation,
        *,
        user: str,
        lang: Lang,
        key: str | None = None,
        source: str | None = None,
        now: datetime | None = None,
    ) -> Reply:
        """Run a typed operation (a form's values, a button) exactly as typed text would run."""
        from commands.execute import execute

        settings = self.settings
        reply = execute(
            self.store,
            operation,
            user=user,
            lang=lang,
            now=now or self.now(),
            tz=settings.tz,
            filers=settings.filers,
            idempotency_key=key,
            source=source,
            org=settings.org,
            alert_channel=settings.alert_channel or None,
        )
        if operation.writes:
            for hook in self.after_write:
                hook(reply)
        return reply


def build_services(settings: Settings) -> Services:
    """Open the store (checked: a lost one is refused, see commands.store.presence), then the index."""
    from commands.store.presence import open_store

    store = open_store(settings.resolved_database_url, data_dir=settings.data_dir)
    answerer = build_answerer(knowledge_config(settings))
    return Services(settings=settings, answerer=answerer, store=store)
