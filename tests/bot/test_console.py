"""The console reads a pipe line by line and answers questions and filings, as a real process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    data = tmp_path_factory.mktemp("data")
    return {**os.environ, "DATA_DIR": str(data), "PYTHONPATH": str(ROOT), "SLACK_BOT_TOKEN": ""}


def console(env: dict[str, str], lines: list[str], *args: str, status: int = 0) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "console", *args],
        input="\n".join(lines) + "\n",
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == status, done.stderr
    return done.stdout


def test_piped_questions_get_cited_answers_in_their_language(env: dict[str, str]) -> None:
    out = console(
        env,
        ["出了安全事件多久要上报？", "/ask How fast must we report an incident?", "明天会下雨吗？"],
    )
    assert "2个小时内向网信部门、公安部门、大数据主管部门等报告" in out
    assert "第三十条" in out
    assert "Article 30" in out and "2 hours" in out
    assert "均未涉及这个问题" in out and "《网络安全法》" in out


def test_piped_filings_work_as_in_slack(env: dict[str, str]) -> None:
    out = console(
        env,
        [
            "/incident 核心数据库遭勒索病毒加密 严重程度=高",
            "/incident reported 1 网信",
            "/staff-change 离岗 张三 安全运维 2099-01-01",
            "/inspect ok",
            "/deadlines",
            "/incident reported 99 网信",
            "/frobnicate",
            "help",
        ],
        status=1,  # two lines failed; every line was still answered
    )
    assert "已登记网络安全事件 #1" in out and "第三十条" in out
    assert "网信 ✓" in out
    assert "已登记安全团队人员变动" in out
    assert "已记录" in out and "安全巡检" in out
    assert "合规期限" in out
    assert "没有编号为 99 的事件" in out
    assert "未知命令 /frobnicate" in out
    assert "/staff-change" in out


def test_english_filings_reply_in_english(env: dict[str, str]) -> None:
    out = console(
        env,
        ["/incident Web defacement detected on the portal sev=low", "/incident list"],
        "--lang",
        "en",
    )
    assert "Opened security incident" in out and "Art. 30" in out
    assert "Open security incidents" in out


def run_cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_store_subcommands(env: dict[str, str], tmp_path: Path) -> None:
    local = {**env, "DATA_DIR": str(tmp_path)}
    assert "database at head" in run_cli(local, "db", "upgrade").stdout
    console(local, ["/inspect ok"])
    reminded = run_cli(local, "remind", "--now", "2030-01-15 22:30")
    assert (
        reminded.returncode == 0
        and "No security inspection logged for 2030-01-15" in reminded.stdout
    )
    assert run_cli(local, "remind", "--now", "2030-01-15 22:30").stdout == ""  # delivered once
    assert run_cli(local, "remind", "--now", "tomorrow").returncode == 2
    report = run_cli(local, "report", "--month", "2026-11", "--format", "csv", "--lang", "en")
    assert report.stdout.startswith("section,Date,Result,Notes")
    assert run_cli(local, "report", "--month", "2026-13").returncode == 2
    verified = run_cli(local, "audit", "verify")
    assert verified.returncode == 0 and "audit chain intact" in verified.stdout


def test_serve_without_a_token_points_to_the_console(env: dict[str, str]) -> None:
    served = run_cli(env, "serve")
    assert served.returncode == 2 and "console" in served.stderr
