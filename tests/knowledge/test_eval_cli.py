"""The evaluation command's JSON shape and the `ask --json` output, run as real processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    data = tmp_path_factory.mktemp("data")
    return {**os.environ, "DATA_DIR": str(data), "PYTHONPATH": str(ROOT)}


def test_eval_json_has_the_agreed_keys(env: dict[str, str], tmp_path: Path) -> None:
    questions = tmp_path / "q.tsv"
    questions.write_text(
        "lang\tquestion\tarticles\n"
        "zh\t发生网络安全事件后多长时间内必须上报？\t30\n"
        "en\tHow fast must we report an incident?\t30\n"
        "zh\t网络日志要保存多久？\t21,35\n"
        "en\tWhat time does the cafeteria open?\tnone\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, "-m", "knowledge.eval", "--questions", str(questions), "--json"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    report = json.loads(done.stdout)
    assert set(report) >= {
        "by_lang",
        "out_of_scope",
        "in_scope_false_abstentions",
        "latency_ms",
        "cold_start_s",
    }
    assert set(report["by_lang"]) == {"zh", "en"}
    for stats in report["by_lang"].values():
        assert set(stats) >= {"n", "recall_at_1", "recall_at_3", "mrr"}
    assert report["by_lang"]["zh"]["n"] == 2
    assert report["by_lang"]["zh"]["recall_at_1"] == 1.0
    assert report["out_of_scope"] == {"n": 1, "abstained": 1.0}
    assert set(report["latency_ms"]) == {"p50", "p95"}
    assert report["cold_start_s"] > 0


def test_eval_rejects_a_malformed_articles_column(env: dict[str, str], tmp_path: Path) -> None:
    questions = tmp_path / "bad.tsv"
    questions.write_text("lang\tquestion\tarticles\nzh\t问题\tthirty\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "knowledge.eval", "--questions", str(questions)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    assert "bad.tsv:2" in done.stderr


def test_ask_json_carries_citations(env: dict[str, str]) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "ask", "出了安全事件多久要上报？", "--json"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    payload = json.loads(done.stdout)
    assert payload["language"] == "zh"
    assert payload["abstained"] is False
    citation = payload["citations"][0]
    assert citation["article"] == 30
    assert citation["document"] == "chongqing-govcloud-security-measures"
    assert "在2个小时内" in citation["quote"]
