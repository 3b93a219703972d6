"""Filing replies when Slack misbehaves: another user's filing while chat.postMessage hangs, and
100 incidents (with 10 /ask) from 20 concurrent clients while every post takes 0.3 s.
Run: `.venv/bin/python -m bench.slack_faults` (part of `make bench`).

Latency is from sending the slash command to the reply arriving at response_url (the fake
Slack records when each call arrives).
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from bench.slack_bot import running_bot
from knowledge.eval import percentile
from tests.bot.conftest import SlackClient
from tests.bot.fake_slack import FakeSlack

FILINGS_WHILE_HUNG = 40
SLOW_POST_S = 0.3
SLOW_INCIDENTS, SLOW_ASKS, SLOW_CLIENTS = 100, 10, 20


@contextmanager
def _bot(tmp: Path, fake: FakeSlack) -> Iterator[SlackClient]:
    # Drained on exit: the held posts were released by then, so they finish.
    with running_bot(tmp, fake.api_url) as bot:
        yield bot.client()


def _timed(client: SlackClient, fake: FakeSlack, name: str, command: str, text: str) -> float:
    """ms from sending the command to its reply reaching response_url."""
    sent = time.monotonic()
    client.command(command, text, user=f"U{name}", response_url=fake.response_url(name))
    fake.reply_to(name, timeout=60)
    arrived = [c.at for c in fake.of("response_url") if c.path == f"/response/{name}"]
    return (arrived[0] - sent) * 1000


def while_slack_hangs(tmp: Path) -> None:
    with FakeSlack() as fake, _bot(tmp, fake) as client:
        fake.hold("chat.postMessage")
        _timed(client, fake, "first", "/incident", "第一起：告警挂起")
        waits = [
            _timed(
                client,
                fake,
                f"other{i}",
                *(("/inspect", "ok") if i % 2 else ("/incident", f"其他用户的事件 {i}")),
            )
            for i in range(FILINGS_WHILE_HUNG)
        ]
        still_held = "chat.postMessage" in fake._held
        fake.release("chat.postMessage")
    print(
        f"other users' filings while chat.postMessage hangs ({FILINGS_WHILE_HUNG} filings, half incidents whose own alerts hang too): reply p50 {percentile(waits, 50):.0f} ms, p99 {percentile(waits, 99):.0f} ms, max {max(waits):.0f} ms; Slack still hanging throughout: {still_held}"
    )


def while_slack_is_slow(tmp: Path) -> None:
    with FakeSlack() as fake, _bot(tmp, fake) as client:
        fake.slow("chat.postMessage", SLOW_POST_S)
        jobs = [("/incident", f"慢速事件 {i}") for i in range(SLOW_INCIDENTS)]
        jobs += [("/ask", "出了安全事件多久要上报？")] * SLOW_ASKS

        def run(index: int) -> tuple[str, float]:
            command, text = jobs[index]
            return command, _timed(client, fake, f"s{index}", command, text)

        with ThreadPoolExecutor(SLOW_CLIENTS) as pool:
            results = list(pool.map(run, range(len(jobs))))
        filings = [ms for command, ms in results if command == "/incident"]
        asks = [ms for command, ms in results if command == "/ask"]
        fake.wait_for("chat.postMessage", SLOW_INCIDENTS, timeout=120)
        alerts = len(fake.of("chat.postMessage"))
    print(
        f"Slack slow ({SLOW_POST_S} s a post), {SLOW_INCIDENTS} incidents + {SLOW_ASKS} /ask from {SLOW_CLIENTS} concurrent clients: filer reply p50 {percentile(filings, 50):.0f} ms, p99 {percentile(filings, 99):.0f} ms; /ask p50 {percentile(asks, 50):.0f} ms; {alerts} alerts posted, one per incident"
    )


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        while_slack_hangs(Path(tmp))
    with tempfile.TemporaryDirectory() as tmp:
        while_slack_is_slow(Path(tmp))


if __name__ == "__main__":
    main()
