"""The index works against a real `chroma run` server, as replicas sharing one index would use it."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from knowledge.engine import KnowledgeConfig, build_answerer
from tests.knowledge.conftest import REGULATION_A, REGULATION_B


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def chroma_server(tmp_path: Path) -> Iterator[int]:
    executable = shutil.which("chroma", path=str(Path(sys.executable).parent))
    if executable is None:
        pytest.skip("the chroma CLI is not installed beside this Python")
    port = _free_port()
    log = (tmp_path / "chroma.log").open("wb")
    server = subprocess.Popen(
        [
            executable,
            "run",
            "--path",
            str(tmp_path / "server-data"),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1
                ).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(
                        f"chroma server did not start: {(tmp_path / 'chroma.log').read_text()}"
                    )
                time.sleep(0.2)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()


def test_answers_come_from_a_chroma_server(chroma_server: int, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "reg-a.txt").write_text(REGULATION_A, encoding="utf-8")
    (docs / "reg-b.txt").write_text(REGULATION_B, encoding="utf-8")
    config = KnowledgeConfig(chroma_host="127.0.0.1", chroma_port=chroma_server, docs=(docs,))

    answer = build_answerer(config).answer("安全事件多久内要报告？")
    assert not answer.abstained
    assert (answer.citations[0].doc_id, answer.citations[0].article) == ("reg-a", 2)

    # A second replica finds the index already current and answers from it without re-ingesting.
    replica = build_answerer(config, auto_ingest=False)
    assert replica.answer("日志保存多久？").citations[0].doc_id == "reg-b"
