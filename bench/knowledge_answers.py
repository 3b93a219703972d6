"""Answer-path figures on the bundled regulation: ingest time, cold start, warm latency.

Run: `.venv/bin/python -m bench.knowledge_answers` (part of `make bench`).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from knowledge.answer import Answerer
from knowledge.corpus import BUNDLED_DIR
from knowledge.engine import KnowledgeConfig, build_answerer, open_index
from knowledge.eval import percentile, read_questions
from knowledge.ingest import ingest

QUESTIONS = Path(__file__).resolve().parent.parent.parent / "shared" / "eval" / "questions.tsv"
FALLBACK_QUESTIONS = [
    "出了安全事件多久要上报？",
    "How fast must we report an incident?",
    "漏洞扫描多久做一次？",
    "How long must network logs be retained?",
]


def measure(answerer: Answerer, questions: list[str], rounds: int = 5) -> list[float]:
    """Milliseconds per answer, after one warm-up pass."""
    for question in questions:
        answerer.answer(question)
    latencies = []
    for _ in range(rounds):
        for question in questions:
            started = time.perf_counter()
            answerer.answer(question)
            latencies.append((time.perf_counter() - started) * 1000)
    return latencies


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        chroma = Path(tmp) / "chroma"
        config = KnowledgeConfig(chroma_path=chroma)
        started = time.perf_counter()
        index = open_index(config)
        opened = time.perf_counter()
        ingest(index, [BUNDLED_DIR])
        done = time.perf_counter()
        print(
            f"ingest of the regulation (zh + en, fresh index): {done - opened:.2f} s (+ {opened - started:.2f} s to load the model)"
        )
        started = time.perf_counter()
        again = ingest(index, [BUNDLED_DIR])
        print(
            f"re-ingest, unchanged ({', '.join(again.unchanged)}): {time.perf_counter() - started:.2f} s"
        )

        env = {**os.environ, "CHROMA_PATH": str(chroma), "DATA_DIR": tmp}
        colds = []
        for _ in range(3):
            started = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "bot.cli", "ask", "出了安全事件多久要上报？"],
                env=env,
                check=True,
                capture_output=True,
            )
            colds.append(time.perf_counter() - started)
        print(
            f"cold start, process start to first answer (`compliance-bot ask`): median {statistics.median(colds):.2f} s over 3 runs"
        )

        answerer = build_answerer(config, auto_ingest=False)
        questions = (
            [q.text for q in read_questions(QUESTIONS)]
            if QUESTIONS.exists()
            else FALLBACK_QUESTIONS
        )
        latencies = measure(answerer, questions)
        print(
            f"warm answer latency over {len(latencies)} answers: p50 {percentile(latencies, 50):.1f} ms, p95 {percentile(latencies, 95):.1f} ms"
        )


if __name__ == "__main__":
    main()
