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


def _run(env: dict[str, str], *args: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        **kwargs,  # type: ignore[call-overload]
    )


def test_eval_scores_the_five_column_format(env: dict[str, str], tmp_path: Path) -> None:
    questions = tmp_path / "q.tsv"
    questions.write_text(
        "lang\tquestion\texpected\tkey_fact\tgroup\n"
        "zh\t发生网络安全事件后多长时间内必须上报？\t重庆市电子政务云平台安全管理办法:30\t(2|两)个?小时\tregulation\n"
        "en\tHow fast must we report an incident?\tchongqing-govcloud-security-measures:30\t(2|two) hours\tregulation,english\n"
        "zh\t网络日志要保存多久？\t网络安全法:21;重庆市电子政务云平台安全管理办法:21;重庆市电子政务云平台安全管理办法:35\t\tlaw\n"
        "en\tWhat time does the cafeteria open?\tnone\t\toos\n"
        "other\tセキュリティ事件はいつまでに報告しますか？\tunsupported\t\tunsupported-lang\n",
        encoding="utf-8",
    )
    done = _run(env, "eval", "--questions", str(questions), "--json", check=True)
    report = json.loads(done.stdout)["files"][str(questions)]
    assert report["n"] == 5
    assert report["in_scope"] == 3
    assert report["right_article"] == 1.0
    assert report["key_fact"] == 1.0 and report["key_fact_n"] == 2
    assert report["wrong_document"] == 0.0
    assert report["out_of_scope_declined"] == 1.0
    assert report["unsupported_handled"] == 1.0
    assert set(report["by_lang"]) == {"zh", "en", "other"}
    assert report["by_group"]["english"]["right_article"] == 1.0
    assert set(report["latency_ms"]) == {"p50", "p95"}


def test_eval_still_reads_the_three_column_format(env: dict[str, str], tmp_path: Path) -> None:
    questions = tmp_path / "old.tsv"
    questions.write_text(
        "lang\tquestion\tarticles\n"
        "zh\t发生网络安全事件后多长时间内必须上报？\t30\n"
        "zh\t网络日志要保存多久？\t21,35\n"
        "en\tWhat time does the cafeteria open?\tnone\n",
        encoding="utf-8",
    )
    done = _run(env, "eval", "--questions", str(questions), "--json", check=True)
    report = json.loads(done.stdout)["files"][str(questions)]
    assert report["by_lang"]["zh"]["recall_at_1"] == 1.0
    assert report["out_of_scope_declined"] == 1.0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("lang\tquestion\tarticles\nzh\t问题\tthirty\n", "bad.tsv:2: articles must be numbers"),
        (
            "lang\tquestion\texpected\tkey_fact\tgroup\nzh\t问题\t网络安全法-21\t\tlaw\n",
            "bad.tsv:2: expected DOC:ARTICLE",
        ),
        (
            "lang\tquestion\texpected\tkey_fact\tgroup\nzh\t问题\t网络安全法:21\t(六\tlaw\n",
            "bad.tsv:2: key_fact is not a valid regular expression",
        ),
        ("question\tanswer\n", "bad.tsv:1: header must be"),
    ],
)
def test_eval_names_the_line_of_a_malformed_file(
    env: dict[str, str], tmp_path: Path, content: str, message: str
) -> None:
    questions = tmp_path / "bad.tsv"
    questions.write_text(content, encoding="utf-8")
    done = _run(env, "eval", "--questions", str(questions))
    assert done.returncode == 2
    assert message in done.stderr


def test_eval_refuses_a_model_file_naming_unknown_signals(
    env: dict[str, str], tmp_path: Path
) -> None:
    model = json.loads((ROOT / "knowledge/resources/model.json").read_text(encoding="utf-8"))
    model["rank"]["zh"]["typo_signal"] = 1.0
    path = tmp_path / "model.json"
    path.write_text(json.dumps(model), encoding="utf-8")
    done = _run(env, "eval", "--model", str(path))
    assert done.returncode == 2
    assert "typo_signal" in done.stderr


def test_ask_reads_questions_from_stdin_and_prints_json_lines(env: dict[str, str]) -> None:
    done = _run(
        env,
        "ask",
        "--json",
        "-",
        input="出了安全事件多久要上报？\n\nWhat time does the cafeteria open?\n",
        check=True,
    )
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [line["abstained"] for line in lines] == [False, True]
    assert lines[0]["citations"][0]["article"] == 30
    assert lines[1]["question"] == "What time does the cafeteria open?"


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
